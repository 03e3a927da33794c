// Unit tests of the binary lookup (no VS Code needed): node --test on the esbuild bundle.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import { expand, findBinary, findOnPath, isFound } from "../src/binary";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "gavel-binary-"));
}

function executable(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "#!/bin/sh\n");
  fs.chmodSync(file, 0o755);
  return file;
}

function withPath<T>(value: string, fn: () => T): T {
  const saved = process.env.PATH;
  process.env.PATH = value;
  try {
    return fn();
  } finally {
    process.env.PATH = saved;
  }
}

void test("gavel.path wins over PATH and the bundled copy", () => {
  const dir = tempDir();
  const fromSetting = executable(path.join(dir, "custom", "gavel"));
  executable(path.join(dir, "onpath", "gavel"));
  executable(path.join(dir, "ext", "bin", "gavel"));
  const found = withPath(path.join(dir, "onpath"), () => findBinary(fromSetting, path.join(dir, "ext"), dir));
  assert.deepEqual(found, { path: fromSetting, source: "setting" });
});

void test("a relative gavel.path is resolved against the workspace folder; ${workspaceFolder} expands", () => {
  const dir = tempDir();
  const bin = executable(path.join(dir, "tools", "gavel"));
  assert.deepEqual(findBinary("tools/gavel", "/nonexistent", dir), { path: bin, source: "setting" });
  assert.deepEqual(findBinary("${workspaceFolder}/tools/gavel", "/nonexistent", dir), { path: bin, source: "setting" });
  assert.equal(expand("~/x", undefined), path.join(os.homedir(), "x"));
});

void test("a gavel.path that is not executable is reported, not replaced by PATH", () => {
  const dir = tempDir();
  executable(path.join(dir, "onpath", "gavel"));
  const notExec = path.join(dir, "gavel.txt");
  fs.writeFileSync(notExec, "");
  const found = withPath(path.join(dir, "onpath"), () => findBinary(notExec, "/nonexistent", dir));
  assert.equal(isFound(found), false);
  assert.deepEqual(found, { tried: [`gavel.path = ${notExec}`], badSetting: notExec });
});

void test("no setting: PATH, then the bundled copy, then not found", () => {
  const dir = tempDir();
  const onPath = executable(path.join(dir, "onpath", "gavel"));
  const ext = path.join(dir, "ext");
  const ws = path.join(dir, "ws"); // the workspace folder, beside the PATH directories
  assert.deepEqual(
    withPath(`${path.join(dir, "empty")}${path.delimiter}${path.join(dir, "onpath")}`, () => findBinary("", ext, ws)),
    { path: onPath, source: "PATH" },
  );
  const bundled = executable(path.join(ext, "bin", "gavel"));
  assert.deepEqual(withPath(path.join(dir, "empty"), () => findBinary("  ", ext, ws)), { path: bundled, source: "bundled" });
  fs.chmodSync(bundled, 0o644); // as unpacked from a vsix that lost the executable bit
  assert.deepEqual(withPath(path.join(dir, "empty"), () => findBinary("", ext, dir)), { path: bundled, source: "bundled" });
  fs.rmSync(bundled);
  const missing = withPath(path.join(dir, "empty"), () => findBinary("", ext, dir));
  assert.equal(isFound(missing), false);
  assert.equal(withPath("", () => findOnPath()), undefined);
});

void test("PATH entries that are relative or inside a workspace folder are skipped", () => {
  const dir = tempDir();
  const workspace = path.join(dir, "repo");
  executable(path.join(workspace, "gavel"));
  executable(path.join(workspace, "bin", "gavel"));
  const mine = executable(path.join(dir, "home", "bin", "gavel"));
  const saved = process.cwd();
  process.chdir(workspace);
  try {
    const envPath = [".", "", "bin", path.join(workspace, "bin"), path.dirname(mine)].join(path.delimiter);
    assert.equal(findOnPath(envPath, [workspace]), mine);
    const found = withPath(envPath, () => findBinary("", "/nonexistent", workspace));
    assert.deepEqual(found, { path: mine, source: "PATH" });
  } finally {
    process.chdir(saved);
  }
});
