//! `gavel explain ID` and the MCP tool `gavel_explain`: one rule told in full, as text: its id,
//! language, severity and category, its pack and where it is defined, its message and note,
//! what to do instead, the sanctioned library, its fixes and its examples.

use std::fmt::Write as _;

use gavel_policy::{Example, Rule, Severity};

/// The rule as `gavel explain` prints it, with the severity the config gives it.
pub fn text(r: &Rule, severity: Severity) -> String {
    let mut out = String::new();
    let severity = match &r.review {
        Some(_) => format!("{}, reviewed by `gavel review`", r.severity),
        None => severity.to_string(),
    };
    let _ = writeln!(out, "{} ({}, {severity}, {})", r.id, r.language, r.category);
    if let Some(review) = &r.review {
        let _ = writeln!(
            out,
            "review ({} context): {}",
            review.context.as_str(),
            review.prompt
        );
    }
    let _ = writeln!(
        out,
        "pack: {} ({}:{})",
        r.pack, r.origin.file, r.origin.line
    );
    let _ = writeln!(out, "\n{}", r.message);
    if let Some(note) = &r.note {
        let _ = writeln!(out, "\n{}", note.trim_end());
    }
    if let Some(i) = &r.instead {
        let _ = writeln!(out, "\nInstead: {i}");
    }
    if let Some(s) = &r.sanctioned {
        let docs = s
            .docs
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let _ = writeln!(out, "\nSanctioned: use {}{docs}", s.name);
    }
    if let Some(url) = &r.url {
        let _ = writeln!(out, "More: {url}");
    }
    for fix in &r.fixes {
        let _ = writeln!(out, "Fix: {}", fix.title);
    }
    examples(&mut out, "Flagged", &r.examples.bad);
    examples(&mut out, "Not flagged", &r.examples.good);
    for f in &r.examples.fixed {
        out.push_str("\nFixed, before:\n");
        indented(&mut out, &f.before);
        out.push_str("after:\n");
        indented(&mut out, &f.after);
    }
    out
}

fn examples(out: &mut String, title: &str, examples: &[Example]) {
    if examples.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}:");
    for e in examples {
        indented(out, &e.text);
        out.push('\n');
    }
}

fn indented(out: &mut String, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "    {line}");
    }
}
