// Where the gavel binary comes from: the gavel.path setting, else PATH, else the copy bundled in
// a platform build of the extension (bin/gavel).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type Source = "setting" | "PATH" | "bundled";

export interface Found {
  path: string;
  source: Source;
}

export interface NotFound {
  /** What was looked at, for the notification. */
  tried: string[];
  /** gavel.path is set but does not point to an executable. */
  badSetting?: string;
}

const exe = process.platform === "win32" ? "gavel.exe" : "gavel";

function isExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      return false;
    }
    fs.accessSync(file, process.platform === "win32" ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Expand `~` and `${workspaceFolder}` in a path setting. */
export function expand(value: string, workspaceFolder: string | undefined): string {
  let out = value.trim();
  if (out === "~" || out.startsWith("~/")) {
    out = path.join(os.homedir(), out.slice(1));
  }
  if (workspaceFolder) {
    out = out.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  return out;
}

/** Is `dir` (after symlinks) inside one of `roots`? */
function isInside(dir: string, roots: string[]): boolean {
  const real = (p: string): string => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const d = real(dir);
  return roots.some((root) => {
    const r = real(root);
    return d === r || d.startsWith(r.endsWith(path.sep) ? r : r + path.sep);
  });
}

/**
 * The first gavel on PATH. A relative entry (`.`, `bin`, or an empty one, which means the current
 * directory) and any directory inside an opened workspace are skipped: a repository must not be
 * able to put a `gavel` of its own in front of the user's. Only `gavel.path` may point there.
 */
export function findOnPath(
  envPath: string | undefined = process.env.PATH,
  workspaces: string[] = [],
): string | undefined {
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir) || isInside(dir, workspaces)) {
      continue;
    }
    const candidate = path.join(dir, exe);
    if (isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

export function findBinary(
  setting: string,
  extensionPath: string,
  workspaceFolder: string | undefined,
  workspaces: string[] = workspaceFolder ? [workspaceFolder] : [],
): Found | NotFound {
  if (setting.trim() !== "") {
    const p = path.resolve(workspaceFolder ?? process.cwd(), expand(setting, workspaceFolder));
    if (isExecutable(p)) {
      return { path: p, source: "setting" };
    }
    return { tried: [`gavel.path = ${p}`], badSetting: p };
  }
  const onPath = findOnPath(process.env.PATH, workspaces);
  if (onPath) {
    return { path: onPath, source: "PATH" };
  }
  const bundled = path.join(extensionPath, "bin", exe);
  if (process.platform !== "win32" && fs.existsSync(bundled) && !isExecutable(bundled)) {
    // An unpacked vsix may not keep the executable bit.
    try {
      fs.chmodSync(bundled, 0o755);
    } catch {
      // Reported below as not found.
    }
  }
  if (isExecutable(bundled)) {
    return { path: bundled, source: "bundled" };
  }
  return { tried: ["gavel.path (not set)", `${exe} on PATH`, bundled] };
}

export function isFound(r: Found | NotFound): r is Found {
  return (r as Found).path !== undefined;
}
