// Renders gavel report's HTML page in headless Debian Chromium (playwright-core) and checks
// what a reader sees against `gavel report --format json` of the same repository: the page
// makes no request, every chart is drawn with data (or says it has none, where the JSON has
// none), each chart's marks carry the JSON's numbers, the headline figures match, and each
// chart says what it shows. Then a full-page screenshot.
//
//   node report.mjs REPORT.html REPORT.json SHOT.png
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const [htmlPath, jsonPath, shotPath] = process.argv.slice(2);
if (!shotPath) {
  console.error("usage: node report.mjs REPORT.html REPORT.json SHOT.png");
  process.exit(2);
}
const data = JSON.parse(fs.readFileSync(jsonPath, "utf8"));
const failures = [];
const expectEq = (what, got, want) => {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) failures.push(`${what}: the page shows ${g}, the JSON says ${w}`);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const requests = [];
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) requests.push(r.url());
  });
  await page.goto("file://" + path.resolve(htmlPath));
  expectEq("requests beyond the file", requests, []);

  // The figures embedded in the page are the JSON's, but for how long each run took.
  const embedded = JSON.parse(await page.textContent("#gavel-report-data"));
  const timeless = (r) => ({ ...r, commits: { ...r.commits, seconds: 0, per_second: 0 } });
  expectEq("embedded figures", timeless(embedded), timeless(data));

  const arrays = {
    severity: data.timeline,
    provenance: data.timeline,
    weeks: data.weeks.filter((w) => w.introduced + w.fixed > 0),
    "ai-vs-human": data.ai_vs_human,
    suppressed: data.suppressed,
    approved: data.approved,
    "top-files": data.top_files,
    review: data.review,
  };
  const charts = await page.$$eval("figure.chart", (figs) =>
    figs.map((f) => {
      const svg = f.querySelector("svg");
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      const lines = [...f.querySelectorAll("polyline[data-series]")].map((p) => ({
        series: p.dataset.series,
        values: p.dataset.values.split(",").map(Number),
        length: p.getTotalLength(),
      }));
      const bars = [...f.querySelectorAll("rect[data-series]")].map((r) => ({
        series: r.dataset.series,
        value: Number(r.dataset.value),
        width: r.getBoundingClientRect().width,
        height: r.getBoundingClientRect().height,
      }));
      return {
        id: f.dataset.chart,
        empty: f.dataset.empty === "true",
        caption: (f.querySelector("figcaption")?.textContent || "").trim(),
        width: box.width,
        height: box.height,
        lines,
        bars,
      };
    }),
  );
  for (const c of charts) {
    if (c.caption.length < 20) failures.push(`${c.id}: no sentence says what the chart shows`);
    const rows = arrays[c.id];
    if (rows === undefined) {
      failures.push(`${c.id}: a chart the test does not know`);
      continue;
    }
    if (c.empty) {
      if (rows.length > 0) failures.push(`${c.id}: says it has no data, the JSON has ${rows.length} rows`);
      continue;
    }
    if (!(c.width > 100 && c.height > 20)) failures.push(`${c.id}: not drawn (${c.width}x${c.height})`);
    const drawn = c.lines.some((l) => l.length > 0 || l.values.length === 1) ||
      c.bars.some((b) => b.width > 0 && b.height > 0);
    if (!drawn) failures.push(`${c.id}: no mark is drawn`);
  }
  const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
  const line = (id, series) => byId[id]?.lines.find((l) => l.series === series)?.values;
  for (const s of ["error", "warning", "info", "hint"]) {
    expectEq(`severity ${s}`, line("severity", s), data.timeline.map((p) => p[s]));
  }
  expectEq("AI-written lines", line("provenance", "AI-written lines"), data.timeline.map((p) => p.ai));
  expectEq("other lines", line("provenance", "other lines"), data.timeline.map((p) => p.human));
  const sum = (id, series) =>
    (byId[id]?.bars || []).filter((b) => b.series === series).reduce((a, b) => a + b.value, 0);
  if (!byId.weeks?.empty) {
    expectEq("introduced per week, summed", sum("weeks", "introduced"), data.fixes.introduced);
    expectEq("fixed per week, summed", sum("weeks", "fixed"), data.fixes.fixed);
  }
  const bars = (id, series) =>
    (byId[id]?.bars || []).filter((b) => b.series === series).map((b) => b.value);
  if (!byId["ai-vs-human"]?.empty) {
    expectEq("AI rate per rule", bars("ai-vs-human", "AI-written, per 1,000 lines"), data.ai_vs_human.map((r) => r.ai_per_kloc));
    expectEq("human rate per rule", bars("ai-vs-human", "others, per 1,000 lines"), data.ai_vs_human.map((r) => r.human_per_kloc));
  }
  if (!byId["top-files"]?.empty) {
    expectEq("findings per top file", bars("top-files", "findings"), data.top_files.map((f) => f.findings));
  }
  if (!byId.suppressed?.empty) {
    expectEq("suppressions per rule", bars("suppressed", "suppressions"), data.suppressed.map((w) => w.count));
  }
  if (!byId.approved?.empty) {
    expectEq("approvals per rule", bars("approved", "approvals"), data.approved.map((w) => w.count));
  }

  // The headline numbers.
  const stats = await page.$$eval("[data-key]", (els) => els.map((e) => [e.dataset.key, e.textContent.trim()]));
  for (const [key, shown] of stats) {
    const value = key.split(".").reduce((o, k) => o?.[k], data);
    expectEq(`stat ${key}`, shown, value === null ? "n/a" : String(value));
  }
  const suggestions = await page.$$eval("#suggestions li", (els) => els.length);
  expectEq("suggestions", suggestions, data.suggestions.length);
  if (data.errors.length > 0) {
    const errs = await page.$$eval("#errors li", (els) => els.length);
    expectEq("problems listed", errs, data.errors.length);
  }

  fs.mkdirSync(path.dirname(path.resolve(shotPath)), { recursive: true });
  await page.screenshot({ path: shotPath, fullPage: true });
  const drawn = charts.filter((c) => !c.empty).map((c) => c.id);
  const empty = charts.filter((c) => c.empty).map((c) => c.id);
  console.log(`charts drawn: ${drawn.join(", ")}; empty (none in the JSON either): ${empty.join(", ") || "none"}`);
  console.log(`screenshot: ${shotPath}`);
} finally {
  await browser.close();
}
if (failures.length > 0) {
  for (const f of failures) console.error(`FAIL ${f}`);
  process.exit(1);
}
console.log("the page matches the JSON");
