// End-to-end test of the gavel VS Code extension in a real VS Code (code-server), driven through
// its UI by headless Chromium. Run by scripts/e2e-vscode.sh, which starts code-server with the
// extension installed and a project holding app.py; this file only drives the browser.
//
// Env: GAVEL_E2E_URL (code-server, with ?folder=), GAVEL_E2E_PROJECT (the project dir),
// GAVEL_E2E_SHOTS (where screenshots go), GAVEL_E2E_TIMEOUT_MS (per wait, default 60000).

import * as fs from "node:fs";
import * as path from "node:path";
import { chromium } from "playwright-core";

const url = process.env.GAVEL_E2E_URL;
const project = process.env.GAVEL_E2E_PROJECT;
const shots = process.env.GAVEL_E2E_SHOTS ?? ".";
const timeout = Number(process.env.GAVEL_E2E_TIMEOUT_MS ?? 60000);
if (!url || !project) {
  console.error("GAVEL_E2E_URL and GAVEL_E2E_PROJECT must be set (scripts/e2e-vscode.sh sets them)");
  process.exit(2);
}

const started = Date.now();
let passed = 0;
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(2).padStart(6)}s] ${msg}`);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
const page = await context.newPage();
page.setDefaultTimeout(timeout);
const consoleErrors = [];
page.on("console", (m) => {
  if (m.type() === "error") {
    consoleErrors.push(m.text());
  }
});

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
  } catch (e) {
    console.log(`FAIL: ${name}\n  ${String(e?.stack ?? e).split("\n").slice(0, 6).join("\n  ")}`);
    const shot = path.join(shots, "vscode-failure.png");
    await page.screenshot({ path: shot }).catch(() => {});
    console.log(`  screenshot of the failure: ${shot}`);
    if (consoleErrors.length) {
      console.log(`  browser console errors (last 5):\n    ${consoleErrors.slice(-5).join("\n    ")}`);
    }
    console.log(`${passed} passed, 1 failed`);
    await browser.close();
    process.exit(1);
  }
  passed += 1;
  log(`ok - ${name} (${Date.now() - t0} ms)`);
}

/** Poll until fn() returns a truthy value; fail with describe() after the timeout. */
async function until(what, fn, describe) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) {
      return last;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${describe ? `: ${await describe()}` : ""}`);
    }
    await page.waitForTimeout(100);
  }
}

/** The text of the active editor, read from VS Code's own model through the DOM of its lines. */
async function editorLines() {
  return page.evaluate(() => {
    const editor = document.querySelector(".editor-instance .monaco-editor");
    if (!editor) {
      return [];
    }
    const rows = [...editor.querySelectorAll(".view-lines .view-line")].map((line) => ({
      top: parseFloat(line.style.top),
      text: (line.textContent ?? "").replace(/\u00a0/g, " "),
    }));
    rows.sort((a, b) => a.top - b.top);
    return rows.map((r) => r.text);
  });
}

async function problems() {
  return page.locator(".markers-panel .monaco-list-row").allTextContents();
}

async function runCommand(title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`>${title}`);
  const item = page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first();
  await item.waitFor({ state: "visible" });
  await page.keyboard.press("Enter");
}

await step("code-server serves the VS Code workbench", async () => {
  await page.goto(url);
  await page.locator(".monaco-workbench").waitFor({ state: "visible" });
  await page.locator(".explorer-folders-view, .explorer-viewlet").first().waitFor({ state: "visible" });
});

await step("app.py opens in an editor (Quick Open)", async () => {
  await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } }).catch(() => {});
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill("app.py");
  await page.locator(".quick-input-list .monaco-list-row", { hasText: "app.py" }).first().waitFor();
  await page.keyboard.press("Enter");
  await page.locator(".tab.active", { hasText: "app.py" }).waitFor();
  await until("the text of app.py", async () => (await editorLines()).some((l) => l.includes("yaml.load(f)")), editorLines);
});

await step("the status bar shows the number of active rules", async () => {
  const item = page.locator(".statusbar-item", { hasText: /gavel: \d+ rules/ });
  await item.waitFor({ state: "visible" });
  log(`   status bar: ${(await item.textContent())?.trim()}`);
});

await step("the violation gets an error squiggle", async () => {
  await page.locator(".editor-instance .monaco-editor .squiggly-error").first().waitFor({ state: "visible" });
});

await step("the Problems panel lists py.yaml-load at 6:16", async () => {
  await page.keyboard.press("Control+Shift+M");
  await page.locator(".markers-panel").waitFor({ state: "visible" });
  const rows = await until(
    "a py.yaml-load problem",
    async () => {
      const r = await problems();
      return r.some((t) => t.includes("yaml.load without a safe Loader")) ? r : null;
    },
    problems,
  );
  const row = rows.find((t) => t.includes("yaml.load without a safe Loader"));
  for (const part of ["gavel", "py.yaml-load", "[Ln 6, Col 16]"]) {
    if (!row.includes(part)) {
      throw new Error(`the Problems row ${JSON.stringify(row)} lacks ${JSON.stringify(part)}`);
    }
  }
  log(`   Problems: ${rows.join(" | ")}`);
});

await step("Ctrl+. on the finding offers the preferred fix and the suppression", async () => {
  // Go to line 6, column 20 (inside yaml.load(f)) and focus the editor.
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(":6:20");
  await page.keyboard.press("Enter");
  await page.locator(".editor-instance .monaco-editor.focused").waitFor();
  await page.keyboard.press("Control+.");
  const menu = page.locator(".action-widget");
  await menu.waitFor({ state: "visible" });
  await page.locator(".action-widget .monaco-list-row", { hasText: "Use yaml.safe_load" }).waitFor();
  await page.locator(".action-widget .monaco-list-row", { hasText: "Suppress py.yaml-load on this line" }).waitFor();
  log(`   quick fixes: ${(await page.locator(".action-widget .monaco-list-row").allTextContents()).join(" | ")}`);
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, "vscode.png") });
  log(`   screenshot: ${path.join(shots, "vscode.png")}`);
});

await step("choosing \"Use yaml.safe_load\" rewrites the line", async () => {
  // The preferred fix is the focused entry: Enter applies it, as a user would.
  const focused = page.locator(".action-widget .monaco-list-row.focused");
  const title = (await focused.getAttribute("aria-label")) ?? "";
  if (title !== "Use yaml.safe_load") {
    throw new Error(`the focused quick fix is ${JSON.stringify(title)}, not the preferred "Use yaml.safe_load"`);
  }
  await page.keyboard.press("Enter");
  await until(
    "yaml.safe_load(f) in the editor",
    async () => (await editorLines()).includes("        return yaml.safe_load(f)"),
    async () => JSON.stringify(await editorLines()),
  );
  const lines = await editorLines();
  const expected = ["import yaml", "", "", "def load_config(path):", "    with open(path) as f:", "        return yaml.safe_load(f)"];
  if (JSON.stringify(lines.slice(0, 6)) !== JSON.stringify(expected)) {
    throw new Error(`editor text ${JSON.stringify(lines)}`);
  }
});

await step("the squiggle and the problem are gone", async () => {
  await until("no squiggle", async () => (await page.locator(".editor-instance .monaco-editor .squiggly-error").count()) === 0);
  await until(
    "no gavel problem",
    async () => !(await problems()).some((t) => t.includes("py.yaml-load")),
    problems,
  );
});

await step("saving writes the fixed text to disk", async () => {
  await page.keyboard.press("Control+S");
  await until("app.py saved", async () =>
    fs.readFileSync(path.join(project, "app.py"), "utf8").includes("return yaml.safe_load(f)\n"),
  );
});

await step("\"gavel: Show output\" shows the server's log", async () => {
  await runCommand("gavel: Show output");
  const shown = async () =>
    page.evaluate(() => {
      const select = document.querySelector(".panel select.monaco-select-box");
      const channel = select ? select.options[select.selectedIndex]?.text : undefined;
      const text = document.querySelector(".panel .monaco-editor .view-lines")?.textContent ?? "";
      return { channel, text: text.slice(-300) };
    });
  await until(
    "the gavel output channel with the LSP trace",
    async () => {
      const s = await shown();
      return s.channel === "gavel" && s.text.includes("textDocument/");
    },
    async () => JSON.stringify(await shown()),
  );
});

await step("\"gavel: Scan workspace\" lists the findings of unopened files", async () => {
  fs.writeFileSync(path.join(project, "unopened.py"), "def parse(text):\n    return eval(text)\n");
  await runCommand("gavel: Scan workspace");
  await page.keyboard.press("Control+Shift+M");
  const rows = await until(
    "a py.eval-used problem in unopened.py",
    async () => {
      const r = await problems();
      return r.some((t) => t.includes("py.eval-used") && t.includes("[Ln 2, Col 12]")) ? r : null;
    },
    problems,
  );
  log(`   Problems: ${rows.join(" | ")}`);
});

await step("a broken gavel.toml: the status bar says so, and a click opens it at the error", async () => {
  // The project's gavel.toml (valid so far) gets a bad severity on line 3.
  fs.writeFileSync(path.join(project, "gavel.toml"), '# The built-in packs apply.\n[rules]\n"py.eval-used" = "loud"\n');
  await runCommand("gavel: Reload policies");
  const item = page.locator(".statusbar-item", { hasText: "gavel: policy error" });
  await item.waitFor({ state: "visible" });
  await item.click();
  await page.locator(".tab.active", { hasText: "gavel.toml" }).waitFor();
  await page.locator(".statusbar-item", { hasText: "Ln 3, Col 18" }).waitFor();
  const rows = await until(
    "the policy error in Problems, once",
    async () => {
      const r = await problems();
      return r.filter((t) => t.includes("unknown value `loud`") && t.includes("[Ln 3, Col 18]")).length === 1 ? r : null;
    },
    problems,
  );
  log(`   Problems: ${rows.join(" | ")}`);
  await page.screenshot({ path: path.join(shots, "vscode-policy-error.png") });
});

await step("\"gavel: Restart server\" starts it again with the fixed gavel.toml", async () => {
  fs.writeFileSync(path.join(project, "gavel.toml"), '[rules]\n"py.eval-used" = "off"\n');
  await runCommand("gavel: Restart server");
  await page.locator(".statusbar-item", { hasText: /gavel: \d+ rules/ }).waitFor({ state: "visible" });
  await until(
    "no gavel problems (py.eval-used is off, gavel.toml is valid)",
    async () => !(await problems()).some((t) => t.includes("gavel")),
    problems,
  );
});

await step("a gavel.path that is not a binary: one notification with the fix, and the status bar says so", async () => {
  // A workspace setting (.vscode/settings.json): VS Code sees the change and the extension
  // restarts the server with it.
  fs.mkdirSync(path.join(project, ".vscode"), { recursive: true });
  fs.writeFileSync(
    path.join(project, ".vscode", "settings.json"),
    JSON.stringify({ "gavel.path": path.join(project, "no-such-gavel") }, null, 2),
  );
  const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "gavel.path setting points to" });
  await toast.waitFor({ state: "visible" });
  await toast.locator("a.monaco-button, .monaco-button", { hasText: "Open Settings" }).first().waitFor();
  await page.locator(".statusbar-item", { hasText: "gavel: binary not found" }).waitFor({ state: "visible" });
  const count = await page.locator(".notifications-toasts .notification-toast", { hasText: "gavel" }).count();
  if (count !== 1) {
    throw new Error(`expected one gavel notification, saw ${count}`);
  }
  log(`   notification: ${(await toast.locator(".notification-list-item-message").textContent())?.trim()}`);
  await page.screenshot({ path: path.join(shots, "vscode-missing-binary.png") });
});

await browser.close();
log(`${passed} passed, 0 failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, 0 failed`);
