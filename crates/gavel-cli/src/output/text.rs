//! `--format text`: a code frame per finding in the rustc and ruff style, headed by the agent
//! message (SPEC 7.1, the same line editors, hooks and MCP results show), with the sanctioned
//! library and the fix title when the message does not already say it, then a one-line summary.
//!
//! ```text
//! error: subprocess.run with shell=True. Instead: acme.proc.run([...]) [py.subprocess-shell]
//!   --> src/app.py:12:5
//!    |
//! 12 |     subprocess.run(cmd, shell=True)
//!    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//!    = sanctioned: use acme.proc (https://wiki.acme.example/proc)
//!    = fix: Use acme.proc.run
//! ```

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use gavel_engine::Provenance;
use gavel_policy::Severity;
use unicode_width::UnicodeWidthChar;

use super::{Located, Report};

/// How the text is printed: `--quiet` (findings only) and colour (`--color`, `NO_COLOR`).
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    pub quiet: bool,
    pub color: bool,
}

impl TextStyle {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

fn severity_style(s: Severity) -> Style {
    let color = match s {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Blue,
        _ => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

const GUTTER: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Blue)))
    .bold();

pub fn render(report: &Report, style: TextStyle) -> String {
    let mut out = String::new();
    for (file, f) in report.findings() {
        frame(&mut out, &file.path, f, style);
    }
    if !style.quiet {
        out.push_str(&summary(report));
    }
    out
}

fn frame(out: &mut String, path: &str, located: &Located, style: TextStyle) {
    let (f, start, end) = (&located.finding, located.start, located.end);
    let line_no = start.line.to_string();
    let gutter = " ".repeat(line_no.len());
    let sev = severity_style(f.severity);
    let _ = writeln!(
        out,
        "{}: {}",
        style.paint(sev, f.severity.as_str()),
        style.paint(Style::new().bold(), &f.agent_message())
    );
    let arrow = style.paint(GUTTER, "-->");
    let bar = style.paint(GUTTER, "|");
    let _ = writeln!(
        out,
        "{gutter}{arrow} {path}:{}:{}",
        start.line, start.column
    );
    let _ = writeln!(out, "{gutter} {bar}");
    let excerpt = &located.line;
    let text = excerpt.text.as_str();
    let (open, close) = (
        if excerpt.cut_before { "…" } else { "" },
        if excerpt.cut_after { "…" } else { "" },
    );
    let _ = writeln!(
        out,
        "{} {bar} {open}{}{close}",
        style.paint(GUTTER, &line_no),
        expand_tabs(text)
    );
    // Columns within the excerpt, 0-based.
    let first = start.column - excerpt.first_column;
    let shown = text.chars().count() as u32;
    let last = if end.line == start.line {
        (end.column - excerpt.first_column).min(shown)
    } else {
        shown
    };
    let lead = width(text.chars().take(first as usize)) + usize::from(excerpt.cut_before);
    let span = width(
        text.chars()
            .skip(first as usize)
            .take(last.saturating_sub(first) as usize),
    )
    .max(1);
    let more = if end.line > start.line {
        format!(" (to line {})", end.line)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{gutter} {bar} {}{}{more}",
        " ".repeat(lead),
        style.paint(sev, &"^".repeat(span))
    );
    if let Some(s) = f.sanctioned() {
        let docs = s
            .docs
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{gutter} {} sanctioned: use {}{docs}",
            style.paint(GUTTER, "="),
            s.name
        );
    }
    if let Some(fix) = f.fixes.first()
        && f.remedy != gavel_engine::Remedy::FixTitle
    {
        let _ = writeln!(
            out,
            "{gutter} {} fix: {}",
            style.paint(GUTTER, "="),
            fix.title
        );
    }
    if let Some(url) = f.url() {
        let _ = writeln!(out, "{gutter} {} see: {url}", style.paint(GUTTER, "="));
    }
    out.push('\n');
}

fn expand_tabs(text: &str) -> String {
    text.replace('\t', "    ")
}

fn width(chars: impl Iterator<Item = char>) -> usize {
    chars
        .map(|c| if c == '\t' { 4 } else { c.width().unwrap_or(0) })
        .sum()
}

fn summary(report: &Report) -> String {
    let n = report.finding_count();
    let files = report.files.len();
    let fixable = report
        .findings()
        .filter(|(_, f)| !f.finding.fixes.is_empty())
        .count();
    let mut parts = Vec::new();
    // Two facts, counted apart (SPEC 4): a finding can be on an AI-written line that is
    // unchanged since the base, or on a line a person changed.
    if report
        .findings()
        .any(|(_, f)| f.finding.provenance != Provenance::Unknown)
    {
        parts.push(format!("{} on AI-written lines", report.on_ai_lines()));
        parts.push(format!(
            "{} on changed lines",
            report.with_changed(Some(true))
        ));
    }
    if fixable > 0 {
        parts.push(format!("{fixable} fixable with --fix"));
    }
    if report.suppressed() > 0 {
        parts.push(format!("{} suppressed", report.suppressed()));
    }
    if let Some(n) = report.baselined.filter(|n| *n > 0) {
        parts.push(format!("{n} in the baseline"));
    }
    if !report.approved.is_empty() {
        parts.push(format!("{} approved", report.approved.len()));
    }
    let extra = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    };
    let s = |k: usize| if k == 1 { "" } else { "s" };
    let errors = match report.errors.len() {
        0 => String::new(),
        k => format!("; {k} error{} (above): this report is incomplete", s(k)),
    };
    format!(
        "{n} finding{} in {files} file{} checked{extra}{errors}\n",
        s(n),
        s(files)
    )
}
