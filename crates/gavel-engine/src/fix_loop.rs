//! `--fix`: apply every finding's preferred fix, check again, and repeat until nothing is left
//! to fix. A fix whose rule fires again where the fix just wrote does not converge: it is
//! applied once and reported, never again (a `replace` that writes its own pattern would
//! otherwise grow the code every round).

use std::ops::Range;

use gavel_syntax::Lang;

use crate::{
    apply::{FixError, apply_indexed},
    finding::{Edit, FileReport, Fix},
};

/// At most this many rounds of fixing.
pub const FIX_ROUNDS: usize = 8;

/// What fixing a text did.
#[derive(Debug)]
pub struct FixOutcome {
    pub text: String,
    /// The check of `text`.
    pub report: FileReport,
    /// Fixes applied, over all rounds.
    pub fixed: usize,
    /// Fixes refused (they broke the syntax) or stopped (they did not converge).
    pub problems: Vec<String>,
}

/// Fix `text`, whose check is `report`, with the findings' preferred fixes until none applies;
/// `check` checks each new text.
pub fn fix_text(
    lang: Lang,
    text: &str,
    report: FileReport,
    mut check: impl FnMut(&str) -> FileReport,
) -> FixOutcome {
    let mut text = text.to_string();
    let mut report = report;
    let mut fixed = 0;
    let mut problems = Vec::new();
    // Where each rule's fixes wrote, in the current text.
    let mut written: Vec<(String, Range<usize>)> = Vec::new();
    for _ in 0..FIX_ROUNDS {
        let mut fixes: Vec<(&str, &Fix)> = Vec::new();
        for f in &report.findings {
            let Some(fix) = f.fixes.first() else { continue };
            let again = written
                .iter()
                .any(|(rule, at)| *rule == f.rule_id && touches(at, &f.range));
            if again {
                problems.push(format!(
                    "fix \"{}\" of {} did not clear its finding; applied once, not again",
                    fix.title, f.rule_id
                ));
            } else {
                fixes.push((&f.rule_id, fix));
            }
        }
        let list: Vec<&Fix> = fixes.iter().map(|(_, f)| *f).collect();
        let done = apply_indexed(lang, &text, &list);
        problems.extend(done.refused.iter().map(FixError::to_string));
        if done.accepted.is_empty() {
            break;
        }
        let applied: Vec<(&str, &Fix)> = done.accepted.iter().map(|&i| fixes[i]).collect();
        written = moved(&written, &applied);
        written.extend(spans(&applied));
        fixed += applied.len();
        text = done.text;
        report = check(&text);
    }
    problems.dedup();
    FixOutcome {
        text,
        report,
        fixed,
        problems,
    }
}

/// Each applied fix's edits, as ranges of the new text.
fn spans(fixes: &[(&str, &Fix)]) -> Vec<(String, Range<usize>)> {
    let mut edits: Vec<(&str, &Edit)> = fixes
        .iter()
        .flat_map(|(rule, f)| f.edits.iter().map(move |e| (*rule, e)))
        .collect();
    edits.sort_by_key(|(_, e)| (e.range.start, e.range.end));
    let mut shift: isize = 0;
    let mut out = Vec::with_capacity(edits.len());
    for (rule, e) in edits {
        let start = (e.range.start as isize + shift) as usize;
        out.push((rule.to_string(), start..start + e.text.len()));
        shift += e.text.len() as isize - e.range.len() as isize;
    }
    out
}

/// Earlier spans moved through this round's edits (dropped where an edit replaced them).
fn moved(spans: &[(String, Range<usize>)], fixes: &[(&str, &Fix)]) -> Vec<(String, Range<usize>)> {
    let mut edits: Vec<&Edit> = fixes.iter().flat_map(|(_, f)| f.edits.iter()).collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    // The shift after the first k edits, for a binary search per position.
    let mut after = Vec::with_capacity(edits.len() + 1);
    after.push(0isize);
    for e in &edits {
        after.push(after[after.len() - 1] + e.text.len() as isize - e.range.len() as isize);
    }
    let map = |at: usize| {
        let k = edits.partition_point(|e| e.range.end <= at);
        (at as isize + after[k]) as usize
    };
    spans
        .iter()
        .filter(|(_, r)| {
            let k = edits.partition_point(|e| e.range.end <= r.start);
            edits.get(k).is_none_or(|e| e.range.start >= r.end)
        })
        .map(|(rule, r)| (rule.clone(), map(r.start)..map(r.end)))
        .collect()
}

/// Does a finding at `b` lie on or touch what a fix wrote at `a`?
fn touches(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}
