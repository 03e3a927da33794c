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

use gavel_engine::Provenance;
use unicode_width::UnicodeWidthChar;

use super::{Located, Report};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for (file, f) in report.findings() {
        frame(&mut out, &file.path, f);
    }
    out.push_str(&summary(report));
    out
}

fn frame(out: &mut String, path: &str, located: &Located) {
    let (f, start, end) = (&located.finding, located.start, located.end);
    let line_no = start.line.to_string();
    let gutter = " ".repeat(line_no.len());
    let _ = writeln!(out, "{}: {}", f.severity, f.agent_message());
    let _ = writeln!(out, "{gutter}--> {path}:{}:{}", start.line, start.column);
    let _ = writeln!(out, "{gutter} |");
    let excerpt = &located.line;
    let text = excerpt.text.as_str();
    let (open, close) = (
        if excerpt.cut_before { "…" } else { "" },
        if excerpt.cut_after { "…" } else { "" },
    );
    let _ = writeln!(out, "{line_no} | {open}{}{close}", expand_tabs(text));
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
        "{gutter} | {}{}{more}",
        " ".repeat(lead),
        "^".repeat(span)
    );
    if let Some(s) = f.sanctioned() {
        let docs = s
            .docs
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let _ = writeln!(out, "{gutter} = sanctioned: use {}{docs}", s.name);
    }
    if let Some(fix) = f.fixes.first()
        && f.remedy != gavel_engine::Remedy::FixTitle
    {
        let _ = writeln!(out, "{gutter} = fix: {}", fix.title);
    }
    if let Some(url) = f.url() {
        let _ = writeln!(out, "{gutter} = see: {url}");
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
    if report
        .findings()
        .any(|(_, f)| f.finding.provenance != Provenance::Unknown)
    {
        parts.push(format!(
            "{} on AI-written lines",
            report.with_provenance(Provenance::Ai)
        ));
        parts.push(format!(
            "{} on changed lines",
            report.with_provenance(Provenance::Changed)
        ));
    }
    if fixable > 0 {
        parts.push(format!("{fixable} fixable with --fix"));
    }
    if report.suppressed() > 0 {
        parts.push(format!("{} suppressed", report.suppressed()));
    }
    let extra = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    };
    let s = |k: usize| if k == 1 { "" } else { "s" };
    format!(
        "{n} finding{} in {files} file{} checked{extra}\n",
        s(n),
        s(files)
    )
}
