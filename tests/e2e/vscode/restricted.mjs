// Restricted Mode: code-server opens a workspace that is not trusted, whose .vscode/settings.json
// points gavel.path at a script of its own (which would create the file RAN). The extension must
// ignore that setting (a restricted configuration), run the gavel from the user settings, and
// check files as usual. Run by scripts/e2e-vscode.sh after e2e.mjs.

import * as fs from "node:fs";
import * as path from "node:path";
import { chromium } from "playwright-core";

const url = process.env.GAVEL_E2E_URL;
const project = process.env.GAVEL_E2E_PROJECT;
const shots = process.env.GAVEL_E2E_SHOTS ?? ".";
const timeout = Number(process.env.GAVEL_E2E_TIMEOUT_MS ?? 60000);
const started = Date.now();
let passed = 0;
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(2).padStart(6)}s] ${msg}`);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
page.setDefaultTimeout(timeout);

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
  } catch (e) {
    console.log(`FAIL: ${name}\n  ${String(e?.stack ?? e).split("\n").slice(0, 6).join("\n  ")}`);
    await page.screenshot({ path: path.join(shots, "vscode-restricted-failure.png") }).catch(() => {});
    console.log(`${passed} passed, 1 failed`);
    await browser.close();
    process.exit(1);
  }
  passed += 1;
  log(`ok - ${name} (${Date.now() - t0} ms)`);
}

await step("the workspace opens in Restricted Mode", async () => {
  await page.goto(url);
  await page.locator(".monaco-workbench").waitFor({ state: "visible" });
  await page.locator(".statusbar-item", { hasText: "Restricted Mode" }).waitFor({ state: "visible" });
});

await step("app.py opens; gavel runs (the user's binary) and shows the squiggle and the rule count", async () => {
  await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } }).catch(() => {});
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill("app.py");
  await page.locator(".quick-input-list .monaco-list-row", { hasText: "app.py" }).first().waitFor();
  await page.keyboard.press("Enter");
  await page.locator(".tab.active", { hasText: "app.py" }).waitFor();
  await page.locator(".statusbar-item", { hasText: /gavel: \d+ rules/ }).waitFor({ state: "visible" });
  await page.locator(".editor-instance .monaco-editor .squiggly-error").first().waitFor({ state: "visible" });
  await page.screenshot({ path: path.join(shots, "vscode-restricted.png") });
});

await step("the workspace's own gavel.path was never run", async () => {
  if (fs.existsSync(path.join(project, "RAN"))) {
    throw new Error("the workspace's gavel.path script ran in Restricted Mode");
  }
});

await browser.close();
console.log(`${passed} passed, 0 failed`);
