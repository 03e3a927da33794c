//! Applying fixes to text: non-overlapping, and only when the result still parses.

use gavel_syntax::{Lang, parse};

use crate::finding::{Edit, Fix};

/// Why a fix was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixError {
    /// The fixed text would have syntax errors the original did not have.
    BreaksSyntax { title: String },
}

impl std::fmt::Display for FixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FixError::BreaksSyntax { title } => write!(
                f,
                "fix \"{title}\" was not applied: the fixed code would not parse"
            ),
        }
    }
}

/// Apply sorted, non-overlapping edits.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.range.start < at || e.range.end > text.len() {
            continue;
        }
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.text);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Apply as many of `fixes` as do not overlap one another, in order, skipping (and reporting)
/// each fix that would break the syntax on its own. Returns the new text, how many fixes were
/// applied, and the refused ones.
pub fn apply_fixes(lang: Lang, text: &str, fixes: &[&Fix]) -> (String, usize, Vec<FixError>) {
    let errors_before = error_count(lang, text);
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    let mut refused = Vec::new();
    for fix in fixes {
        let overlaps = fix
            .edits
            .iter()
            .any(|e| chosen.iter().any(|c| overlap(c, e)));
        let duplicate = fix.edits.iter().all(|e| chosen.contains(&e));
        if overlaps || duplicate {
            continue;
        }
        if error_count(lang, &apply_edits(text, &fix.edits)) > errors_before {
            refused.push(FixError::BreaksSyntax {
                title: fix.title.clone(),
            });
            continue;
        }
        chosen.extend(&fix.edits);
        applied += 1;
    }
    let mut edits: Vec<Edit> = chosen.into_iter().cloned().collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    (apply_edits(text, &edits), applied, refused)
}

fn overlap(a: &Edit, b: &Edit) -> bool {
    if a == b {
        return true;
    }
    if a.range.is_empty() && b.range.is_empty() {
        return a.range.start == b.range.start;
    }
    a.range.start < b.range.end && b.range.start < a.range.end
}

fn error_count(lang: Lang, text: &str) -> usize {
    let tree = parse(lang, text);
    let mut count = 0;
    let mut cursor = tree.walk();
    let mut stack = vec![tree.root_node()];
    while let Some(n) = stack.pop() {
        if !n.has_error() {
            continue;
        }
        count += usize::from(n.is_error() || n.is_missing());
        stack.extend(n.children(&mut cursor));
    }
    count
}
