#!/usr/bin/env python3
"""Turn the raw measurements of bench/run.sh (bench/.cache/run) into bench/RESULTS.md.

usage: bench/report.py RUN_DIR OUT.md   (OUT.md "-" prints to stdout)

Every figure comes from RUN_DIR; nothing here is a measurement or a hard-coded result. The
explanations of per-rule count differences are read from bench/peers/differences.md.
"""

import collections
import json
import os
import statistics
import sys

TOOLS = ["gavel", "ast-grep", "semgrep", "floor"]
LABEL = {"gavel": "gavel check", "ast-grep": "ast-grep scan", "semgrep": "semgrep scan",
         "floor": "parse floor"}
CORPUS = {"python": "Python", "rust": "Rust"}

# The targets of issue 7, as (what, threshold).
SCAN_VS_AST_GREP = 2.0
SCAN_VS_SEMGREP = 20.0
SCAN_VS_FLOOR = 1.5
LSP_P99_MS = 10.0
LSP_VS_AST_GREP = 5.0


def read_meta(run):
    meta = {}
    with open(os.path.join(run, "meta")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            meta[k] = v
    return meta


def read_scan(run):
    """{(corpus, threads, tool): [(wall, cpu, rss_kib), ...]}"""
    rows = collections.defaultdict(list)
    path = os.path.join(run, "scan.tsv")
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            corpus, threads, tool, _round, wall, user, sys_, rss = line.split()
            rows[(corpus, int(threads), tool)].append(
                (float(wall), float(user) + float(sys_), int(rss)))
    return rows


def med(values):
    return statistics.median(values) if values else float("nan")


def verdict(ok, cpu_ok=None):
    """The verdict on the target's measure; flagged when the CPU-time ratio disagrees."""
    v = "**met**" if ok else "**missed**"
    if cpu_ok is not None and cpu_ok != ok:
        v += " on wall time only; by CPU time " + ("met" if cpu_ok else "missed")
    return v


def floor_workload(run, corpus):
    """files and bytes the parse floor parsed, from its JSON line."""
    for threads in (2, 1):
        p = os.path.join(run, "out", f"{corpus}-{threads}-floor.out")
        if os.path.exists(p):
            with open(p) as f:
                d = json.loads(f.read().strip().splitlines()[-1])
            return d
    return None


def counts(run, corpus):
    """Per-rule counts of each tool, from the last output of each (2 threads)."""
    result = {}
    for tool in ("gavel", "ast-grep", "semgrep"):
        p = os.path.join(run, "out", f"{corpus}-2-{tool}.out")
        if not os.path.exists(p) or os.path.getsize(p) == 0:
            continue
        c = collections.Counter()
        extra = {}
        with open(p) as f:
            if tool == "gavel":
                d = json.load(f)
                c.update(x["rule"] for x in d["findings"])
                extra["files"] = d["summary"].get("files")
            elif tool == "ast-grep":
                files = set()
                for line in f:
                    if line.strip():
                        m = json.loads(line)
                        c[m["ruleId"]] += 1
                        files.add(m["file"])
            else:
                d = json.load(f)
                c.update(x["check_id"] for x in d["results"])
                extra["files"] = len(d["paths"]["scanned"])
                extra["errors"] = len(d["errors"])
        result[tool] = (c, extra)
    return result


def rule_ids(here, corpus):
    """The ids of the benchmark rules for a corpus (from the semgrep file, one `- id:` each)."""
    lang = "python" if corpus == "python" else "rust"
    ids = set()
    with open(os.path.join(here, "peers", "semgrep", f"{lang}.yml")) as f:
        for line in f:
            line = line.strip()
            if line.startswith("- id:"):
                ids.add(line.split(":", 1)[1].strip())
    return ids


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def fmt_ms(v, late):
    return (">= " if late else "") + f"{v:.2f}"


def main():
    run, out = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    meta = read_meta(run)
    scan = read_scan(run)
    lines = []
    w = lines.append

    w("# gavel against ast-grep and semgrep: results")
    w("")
    w("Written by `bench/run.sh` (see [README.md](README.md)); every figure below comes from one "
      "run of it, and every ratio compares figures measured in that same run.")
    if meta.get("quick") == "1":
        w("")
        w("**--quick run: a quarter of each corpus and fewer edits; a smoke test, not results.**")
    w("")
    w(f"- date: {meta['date']} (the start of the run)")
    w(f"- machine: {meta['nproc']} cores ({meta['cpu']}), {meta['mem']}; load average "
      f"{meta['load_start']} at the start, {meta.get('load_end', '?')} at the end (other "
      "engineers' builds share this machine)")
    w(f"- gavel {meta['gavel']} (commit of the measured tree; `+dirty`: uncommitted changes "
      f"under crates/ or policies/; its last change to gavel's own crates or packs: "
      f"{meta.get('gavel_code', '?')}), {meta['ast_grep']}, {meta['semgrep']}, "
      f"{meta['python']}, {meta['rustc']}")
    w("- rules: [bench/peers](peers/) (12 Python and 13 Rust rules, the same in each tool's "
      "language; per-rule counts below)")
    w("")

    # --- Corpora ---
    w("## Corpora")
    w("")
    for corpus, path_key in (("python", "py_corpus"), ("rust", "rs_corpus")):
        d = floor_workload(run, corpus)
        what = ("the Python standard library of this machine's python3 "
                f"(`{meta['stdlib_source']}`, without site-packages)" if corpus == "python" else
                "the crates of [rust-corpus/Cargo.toml](rust-corpus/Cargo.toml) at the versions "
                "of its Cargo.lock, vendored; their `.rs` files only, tests included")
        if d:
            w(f"- {CORPUS[corpus]}: {what}: `{meta[path_key]}`, {d['files']} files, "
              f"{d['bytes'] / 1e6:.1f} MB parsed by the floor ({d['skipped']} skipped as gavel "
              f"skips them: not UTF-8, binary or over 8 MiB).")
        else:
            w(f"- {CORPUS[corpus]}: {what}: `{meta[path_key]}`.")
    w("")

    # --- Scan ---
    if scan:
        w("## Scan: the whole corpus, from the command line")
        w("")
        w(f"Each figure is the median of the runs counted in `n`: {meta['rounds']} rounds; in "
          "each round every tool runs once per corpus and thread count, in an order that rotates "
          "from round to round. semgrep takes minutes per run on this machine, so it ran in the "
          f"first {meta['semgrep_rounds']} rounds only (its `n` says so). Wall time is the "
          "shell's clock around the process; CPU is user + system time and peak RSS the "
          "largest resident set of the process tree's biggest process, both from GNU time. "
          "Threads: `RAYON_NUM_THREADS` for gavel, `--threads` for the floor, `--threads` for "
          "ast-grep, `--jobs` for semgrep. Every tool writes its JSON report to a file.")
        w("")
        try:
            busy = float(meta["load_start"].split()[0]) > int(meta["nproc"]) / 2
        except (KeyError, ValueError, IndexError):
            busy = False
        if busy:
            w("The machine was busy with other work (load average above half its cores at the "
              "start), so a 2-thread run rarely had both cores: wall times at 2 threads vary "
              "widely (see min-max) and CPU times are the steadier comparison.")
            w("")
        for corpus in ("python", "rust"):
            w(f"### {CORPUS[corpus]}")
            w("")
            w("| tool | threads | n | wall s (min-max) | CPU s | peak RSS MiB | wall vs gavel "
              "| CPU vs gavel |")
            w("|---|---|---|---|---|---|---|---|")
            for threads in (1, 2):
                g = med([r[0] for r in scan.get((corpus, threads, "gavel"), [])])
                gc = med([r[1] for r in scan.get((corpus, threads, "gavel"), [])])
                for tool in TOOLS:
                    rs = scan.get((corpus, threads, tool), [])
                    if not rs:
                        continue
                    walls = [r[0] for r in rs]
                    wall = med(walls)
                    cpu = med([r[1] for r in rs])
                    ratio = f"{wall / g:.2f}x"
                    cratio = f"{cpu / gc:.2f}x"
                    w(f"| {LABEL[tool]} | {threads} | {len(rs)} | {wall:.2f} "
                      f"({min(walls):.2f}-{max(walls):.2f}) | {cpu:.2f} | "
                      f"{med([r[2] for r in rs]) / 1024:.1f} | {ratio} | {cratio} |")
            w("")

    # --- LSP ---
    lsp = read_jsonl(os.path.join(run, "lsp.jsonl"))
    if lsp:
        w("## Editor latency: didChange to diagnostics")
        w("")
        w(f"`gavel-lsp-bench` types {meta['edits']} characters, one every "
          f"{meta.get('pace_ms', '30')} ms, into the middle "
          "of a 10,000-line file (Python: argparse, typing, subprocess and inspect of the stdlib "
          "joined; Rust: syn's sources joined) in a fresh server, and times each didChange to "
          "the first diagnostics published for its version or a later one. `gavel` is "
          "`gavel lsp` with the benchmark rules (`initializationOptions.config`); "
          "`gavel, full reparse` is the same server with `incremental = false` (a full parse and "
          f"check per change: the baseline), given {meta['baseline_edits']} edits only because "
          "it falls behind typing; `ast-grep` is `ast-grep lsp -c` the benchmark sgconfig.yml "
          "(it asks for full text sync, so it gets the whole text at every change, as an editor "
          "would send it). After the last edit the harness waits 10 s at most: an edit whose "
          "diagnostics had not come by then counts as the time waited, a lower bound, shown "
          "`>=`; `late` counts them. One run per server and file: each row is already a "
          "distribution over its edits.")
        w("")
        w("| file | server | edits | p50 ms | p90 ms | p99 ms | max ms | late |")
        w("|---|---|---|---|---|---|---|---|")
        for r in lsp:
            if r["kind"] != "latency":
                continue
            w(f"| {r['file']} | {r['server']} | {r['edits']} | {fmt_ms(r['p50'], r['p50_late'])} "
              f"| {fmt_ms(r['p90'], r['p90_late'])} | {fmt_ms(r['p99'], r['p99_late'])} | "
              f"{r['max']:.2f} | {r['late']} |")
        w("")
        slow = collections.defaultdict(lambda: [0, 0])
        trace = os.path.join(run, "lsp-trace.tsv")
        if os.path.exists(trace):
            with open(trace) as f:
                for line in f:
                    server, file, _i, _ch, ms, _late = line.rstrip("\n").split("\t")
                    slow[(server, file)][0] += float(ms) > LSP_P99_MS
                    slow[(server, file)][1] += 1
        if slow:
            w("Edits whose diagnostics took over "
              f"{LSP_P99_MS:g} ms: " + "; ".join(
                  f"{server}, {file}: {n} of {total}"
                  for (server, file), (n, total) in sorted(slow.items())) +
              ". Every edit's latency, with the character typed, is in "
              "`bench/.cache/run/lsp-trace.tsv` after a run.")
            w("")
    else:
        lsp_md = os.path.join(run, "lsp.md")
        if os.path.exists(lsp_md):
            w("## Editor latency")
            w("")
            w(open(lsp_md).read())

    # --- Memory ---
    mem_rows = []
    for corpus in ("python", "rust"):
        for r in read_jsonl(os.path.join(run, f"memory-{corpus}.jsonl")):
            mem_rows.append((corpus, r))
    if mem_rows:
        w("## Memory: 200 files open in one server")
        w("")
        w("The first 200 files of 2-100 KB of each corpus (in directory order) opened in one "
          "server, resident memory read from /proc once every file's diagnostics came.")
        w("")
        w("| corpus | server | files | MB of source | RSS MiB | idle RSS MiB | peak RSS MiB | "
          "no diagnostics |")
        w("|---|---|---|---|---|---|---|---|")
        for corpus, r in mem_rows:
            w(f"| {CORPUS[corpus]} | {r['server']} | {r['files']} | {r['bytes'] / 1e6:.1f} | "
              f"{r['rss_kib'] / 1024:.1f} | {r['idle_kib'] / 1024:.1f} | "
              f"{r['peak_kib'] / 1024:.1f} | {r['missing']} |")
        w("")

    # --- Targets ---
    w("## Targets")
    w("")
    w("Ratios of medians from this run. For the scan, `measured` is the peer's wall time over "
      "gavel's (or gavel's over the floor's), the target's measure; `CPU` is the same ratio of "
      "CPU time, less sensitive to the other work on the machine.")
    w("")
    w("| target | measured | CPU | verdict |")
    w("|---|---|---|---|")
    for corpus in ("python", "rust"):
        for threads in (1, 2):
            g = scan.get((corpus, threads, "gavel"))
            if not g:
                continue
            gw = med([r[0] for r in g])
            gc = med([r[1] for r in g])
            for tool, want in (("ast-grep", SCAN_VS_AST_GREP), ("semgrep", SCAN_VS_SEMGREP)):
                rs = scan.get((corpus, threads, tool))
                if rs:
                    x = med([r[0] for r in rs]) / gw
                    c = med([r[1] for r in rs]) / gc
                    w(f"| scan, {CORPUS[corpus]}, {threads} thread(s): gavel >= {want:g}x "
                      f"faster than {tool} | {x:.2f}x | {c:.2f}x | "
                      f"{verdict(x >= want, c >= want)} |")
            fl = scan.get((corpus, threads, "floor"))
            if fl:
                x = gw / med([r[0] for r in fl])
                c = gc / med([r[1] for r in fl])
                w(f"| scan, {CORPUS[corpus]}, {threads} thread(s): gavel <= {SCAN_VS_FLOOR:g}x "
                  f"the parse floor | {x:.2f}x | {c:.2f}x | "
                  f"{verdict(x <= SCAN_VS_FLOOR, c <= SCAN_VS_FLOOR)} |")
    by = {(r["file"], r["server"]): r for r in lsp if r["kind"] == "latency"}
    for f in sorted({r["file"] for r in lsp if r["kind"] == "latency"}):
        g = by.get((f, "gavel"))
        a = by.get((f, "ast-grep"))
        if g:
            w(f"| editor, {f}: gavel p99 <= {LSP_P99_MS:g} ms | "
              f"{fmt_ms(g['p99'], g['p99_late'])} ms | - | {verdict(g['p99'] <= LSP_P99_MS)} |")
        if g and a:
            x = a["p99"] / g["p99"]
            lower = " (a lower bound: ast-grep's p99 is late)" if a["p99_late"] else ""
            w(f"| editor, {f}: gavel p99 >= {LSP_VS_AST_GREP:g}x better than ast-grep lsp | "
              f"{x:.2f}x{lower} | - | {verdict(x >= LSP_VS_AST_GREP)} |")
        b = by.get((f, "gavel, full reparse"))
        if g and b:
            x = b["p50"] / g["p50"]
            w(f"| editor, {f}: incremental vs full reparse (no target), p50 | {x:.1f}x | - | - |")
    w("")

    # --- Counts ---
    w("## Equivalence: findings per rule")
    w("")
    w("From each tool's report of the last 2-thread scan. The rules mean the same thing in each "
      "tool, but the tools' semantics differ; the differences are explained below the tables.")
    w("")
    for corpus in ("python", "rust"):
        c = counts(run, corpus)
        if not c:
            continue
        tools = [t for t in ("gavel", "ast-grep", "semgrep") if t in c]
        rules = sorted(set().union(rule_ids(here, corpus), *[set(c[t][0]) for t in tools]))
        w(f"### {CORPUS[corpus]}")
        w("")
        w("| rule | " + " | ".join(tools) + " |")
        w("|---|" + "---|" * len(tools))
        for rule in rules:
            vals = [c[t][0].get(rule, 0) for t in tools]
            w(f"| {rule} | " + " | ".join(str(v) for v in vals) + " |")
        w("| **total** | " + " | ".join(str(sum(c[t][0].values())) for t in tools) + " |")
        notes = []
        if "gavel" in c:
            notes.append(f"gavel checked {c['gavel'][1].get('files')} files")
        if "semgrep" in c:
            notes.append(f"semgrep scanned {c['semgrep'][1].get('files')} files and reported "
                         f"{c['semgrep'][1].get('errors')} errors (partial parses)")
        w("")
        if notes:
            w("; ".join(notes) + ".")
            w("")
    diff = os.path.join(here, "peers", "differences.md")
    if os.path.exists(diff):
        with open(diff) as f:
            w(f.read().rstrip("\n"))
        w("")

    text = "\n".join(lines) + "\n"
    if out == "-":
        sys.stdout.write(text)
    else:
        with open(out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
