#!/usr/bin/env python3
"""Render `tmux capture-pane -e -p` output (text with SGR escapes) as an HTML page, so headless
Chromium can take a PNG screenshot of exactly what the terminal showed.

Usage: ansi2html.py capture.ansi > capture.html
"""

import html
import re
import sys

# xterm's 16 base colours, then the 6x6x6 cube and the grey ramp.
BASE = [
    "#1e1e1e", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
    "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff",
]
FG, BG = "#d4d4d4", "#1e1e1e"


def xterm(n: int) -> str:
    if n < 16:
        return BASE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = self.bg = None
        self.bold = self.italic = self.underline = self.reverse = self.undercurl = False

    def css(self) -> str:
        fg, bg = self.fg or FG, self.bg or BG
        if self.reverse:
            fg, bg = bg, fg
        out = [f"color:{fg}", f"background:{bg}"]
        if self.bold:
            out.append("font-weight:bold")
        if self.italic:
            out.append("font-style:italic")
        if self.undercurl:
            out.append("text-decoration:underline wavy")
        elif self.underline:
            out.append("text-decoration:underline")
        return ";".join(out)

    def apply(self, params: list):
        i = 0
        while i < len(params):
            p = params[i]
            code, sub = (p.split(":") + [""])[:2]
            n = int(code) if code.isdigit() else 0
            if n == 0:
                self.reset()
            elif n == 1:
                self.bold = True
            elif n == 3:
                self.italic = True
            elif n == 4:
                self.underline = True
                self.undercurl = sub == "3"
            elif n == 7:
                self.reverse = True
            elif n == 22:
                self.bold = False
            elif n == 23:
                self.italic = False
            elif n == 24:
                self.underline = self.undercurl = False
            elif n == 27:
                self.reverse = False
            elif 30 <= n <= 37:
                self.fg = BASE[n - 30]
            elif 90 <= n <= 97:
                self.fg = BASE[n - 90 + 8]
            elif 40 <= n <= 47:
                self.bg = BASE[n - 40]
            elif 100 <= n <= 107:
                self.bg = BASE[n - 100 + 8]
            elif n == 39:
                self.fg = None
            elif n == 49:
                self.bg = None
            elif n in (38, 48, 58):
                if i + 1 < len(params) and params[i + 1] == "5":
                    color = xterm(int(params[i + 2]))
                    i += 2
                elif i + 1 < len(params) and params[i + 1] == "2":
                    r, g, b = (int(x) for x in params[i + 2 : i + 5])
                    color = "#%02x%02x%02x" % (r, g, b)
                    i += 4
                else:
                    color = None
                if n == 38:
                    self.fg = color
                elif n == 48:
                    self.bg = color
            i += 1


def render(text: str) -> str:
    style = Style()
    out = []
    for line in text.rstrip("\n").split("\n"):
        parts = re.split(r"\x1b\[([0-9;:]*)m", line)
        row = []
        for k, part in enumerate(parts):
            if k % 2 == 1:
                style.apply(part.split(";") if part else ["0"])
            elif part:
                row.append(f'<span style="{style.css()}">{html.escape(part)}</span>')
        out.append("".join(row) or " ")
    body = "\n".join(out)
    return f"""<!doctype html><meta charset="utf-8">
<style>
body {{ margin: 0; background: {BG}; }}
pre {{ margin: 0; padding: 8px; font: 15px/1.25 "DejaVu Sans Mono", monospace; color: {FG}; background: {BG}; }}
</style>
<pre>{body}</pre>
"""


if __name__ == "__main__":
    sys.stdout.write(render(open(sys.argv[1], encoding="utf-8").read()))
