#!/usr/bin/env python3
"""Build a git repository with a long, mixed history for the provenance benchmark.

usage: make-history-repo.py SRC_DIR DEST [--files N] [--commits N] [--seed S]

Takes the first N .py files under SRC_DIR (sorted; default 1000), commits them, then makes
--commits (default 2000) more commits with git fast-import. Each edits one to three files: it
inserts a few lines (some with `eval(...)`, which the built-in packs flag) or changes one.
About 15% of the commits carry a `Co-authored-by: Claude` trailer, 5% have an aider-style
author `Dev (aider)`; the rest are human. Deterministic for a seed.
"""
import argparse
import os
import random
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dest")
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--commits", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    paths = []
    for root, dirs, files in os.walk(a.src):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".py"):
                paths.append(os.path.join(root, f))
    files = {}
    for p in sorted(paths):
        if len(files) == a.files:
            break
        try:
            files[os.path.relpath(p, a.src)] = open(p, encoding="utf-8").read().split("\n")
        except UnicodeDecodeError:
            continue
    if len(files) < a.files:
        sys.exit(f"only {len(files)} UTF-8 .py files under {a.src}")
    os.makedirs(a.dest)
    subprocess.run(["git", "init", "-q", "-b", "main", a.dest], check=True)
    out = []
    t = 1_700_000_000

    def data(s):
        b = s.encode()
        out.append(b"data %d\n" % len(b) + b + b"\n")

    def commit(n, author, message, changed):
        out.append(b"commit refs/heads/main\nmark :%d\n" % n)
        out.append(f"author {author} {t + n * 60} +0000\n".encode())
        out.append(f"committer {author} {t + n * 60} +0000\n".encode())
        data(message)
        if n > 1:
            out.append(b"from :%d\n" % (n - 1))
        for rel in changed:
            out.append(f"M 100644 inline {rel}\n".encode())
            data("\n".join(files[rel]))

    names = sorted(files)
    commit(1, "Dev <dev@example.com>", "import the sources\n", names)
    for n in range(2, a.commits + 2):
        changed = rng.sample(names, rng.randint(1, 3))
        for rel in changed:
            lines = files[rel]
            at = rng.randrange(len(lines))
            if rng.random() < 0.7:
                block = [f"def _bench_{n}_{at}(data):", f"    return eval(data)  # {n}", ""]
                lines[at:at] = block
            else:
                lines[at] = lines[at] + f"  # edited in {n}"
        r = rng.random()
        if r < 0.15:
            author = "Dev <dev@example.com>"
            message = f"change {n}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
        elif r < 0.20:
            author = "Dev (aider) <dev@example.com>"
            message = f"aider: change {n}\n"
        else:
            author = "Dev <dev@example.com>"
            message = f"change {n}\n"
        commit(n, author, message, changed)
    subprocess.run(
        ["git", "fast-import", "--quiet"], input=b"".join(out), cwd=a.dest, check=True
    )
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=a.dest, check=True)
    print(f"{a.dest}: {len(names)} files, {a.commits + 1} commits")


if __name__ == "__main__":
    main()
