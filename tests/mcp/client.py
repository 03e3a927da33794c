"""The official MCP Python SDK's stdio client against `gavel mcp` (SPEC 7.2).

Run by scripts/mcp-python-test.sh with the SDK from PyPI. Spawns `gavel mcp` in the acme
example, in both protocol eras the SDK speaks: the `initialize` handshake (legacy, with the
client's workspace roots) and the stateless 2026-07-28 revision (`server/discover`). Asserts what
an agent reads: the tools and their read-only hints, agent messages with `Instead:` and the rule
id, structured content beside the text, fixes, guidance, and an error result (never a read) for
a path outside the roots. Exits 1 on the first failure.
"""

import asyncio
import json
import sys
from pathlib import Path

from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client

GAVEL, EXAMPLE = sys.argv[1], Path(sys.argv[2]).resolve()
TOOLS = {"gavel_check", "gavel_fix", "gavel_explain", "gavel_rules", "gavel_guidance"}
failures = []


def expect(era, what, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} [{era}] {what}" + (f": {detail}" if not ok else ""))
    if not ok:
        failures.append(what)


def text_of(result):
    return "".join(c.text for c in result.content if c.type == "text")


async def roots(_context):
    return types.ListRootsResult(roots=[types.Root(uri=EXAMPLE.as_uri(), name="acme-service")])


async def run(era):
    params = StdioServerParameters(command=GAVEL, args=["mcp"], cwd=str(EXAMPLE))
    async with stdio_client(params) as (read, write):
        callback = roots if era == "legacy" else None
        async with ClientSession(read, write, list_roots_callback=callback) as s:
            if era == "legacy":
                init = await s.initialize()
                expect(era, "initialize names gavel", init.server_info.name == "gavel", init)
            else:
                await s.discover()
            expect(era, f"protocol version {s.protocol_version}", s.protocol_version is not None)

            listed = await s.list_tools()
            names = {t.name for t in listed.tools}
            expect(era, "the five tools are listed", names == TOOLS, names)
            read_only = {t.name for t in listed.tools if t.annotations and t.annotations.read_only_hint}
            expect(era, "all but gavel_fix are read-only", read_only == TOOLS - {"gavel_fix"}, read_only)

            checked = await s.call_tool("gavel_check", {"paths": ["python/orders"], "limit": 5})
            text = text_of(checked)
            sc = checked.structured_content or {}
            expect(era, "gavel_check finds the example's findings", not checked.is_error and sc.get("total", 0) > 5, text)
            expect(era, "at most `limit` findings, and how many more", len(sc.get("findings", [])) == 5 and sc.get("more") == sc.get("total", 0) - 5, sc.get("more"))
            expect(era, "agent messages say what to write instead and the rule id", "Instead: " in text and "[acme." in text, text)
            first = (sc.get("findings") or [{}])[0]
            expect(era, "structured findings as check --format json, with agent_message", {"rule", "start", "fixes", "agent_message"} <= set(first), first)

            buffer = await s.call_tool("gavel_check", {"path": "python/orders/new.py", "text": "import requests\n"})
            expect(era, "an unsaved buffer is checked as its path", "acme.http-client" in text_of(buffer), text_of(buffer))

            fixed = await s.call_tool("gavel_fix", {"path": "python/orders/new.py", "text": "import requests\n"})
            expect(era, "gavel_fix returns the fixed text", "import acme_http" in (fixed.structured_content or {}).get("text", ""), text_of(fixed))

            explained = await s.call_tool("gavel_explain", {"rule": "acme.http-client"})
            expect(era, "gavel_explain tells the rule", "acme_http" in text_of(explained), text_of(explained))

            rules = await s.call_tool("gavel_rules", {"path": "rust/src/lib.rs"})
            langs = {r["language"] for r in (rules.structured_content or {}).get("rules", [])}
            expect(era, "gavel_rules for a Rust path lists Rust rules only", langs == {"rust"}, langs)

            guided = await s.call_tool("gavel_guidance", {"topic": "http client"})
            expect(era, "gavel_guidance names acme_http", "acme_http" in text_of(guided), text_of(guided))

            outside = await s.call_tool("gavel_check", {"paths": ["../../Cargo.toml"]})
            expect(era, "a path outside the roots is an error result", outside.is_error and "outside the workspace roots" in text_of(outside), text_of(outside))


async def main():
    for era in ("legacy", "modern"):
        await run(era)
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("all MCP Python SDK checks passed")


asyncio.run(main())
