//! Applying fixes to text: non-overlapping, and only when the result still parses.

use std::{collections::BTreeMap, ops::Range};

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

/// Apply as many of `fixes` as do not overlap one another, in order, refusing (and reporting)
/// fixes that would break the syntax. Returns the new text, how many fixes were applied, and
/// the refused ones.
///
/// The fixes chosen are checked together, with one parse: two fixes that each parse alone can
/// break the code together. When the combination breaks it, halves are tried (each together
/// with those already accepted), so a bad fix among thousands costs a few parses, not one
/// parse per fix.
pub fn apply_fixes(lang: Lang, text: &str, fixes: &[&Fix]) -> (String, usize, Vec<FixError>) {
    let done = apply_indexed(lang, text, fixes);
    (done.text, done.accepted.len(), done.refused)
}

/// What [`apply_indexed`] did.
pub(crate) struct Applied {
    pub text: String,
    /// Indices into the fixes given, in order.
    pub accepted: Vec<usize>,
    pub refused: Vec<FixError>,
}

/// [`apply_fixes`], saying which fixes were applied.
pub(crate) fn apply_indexed(lang: Lang, text: &str, fixes: &[&Fix]) -> Applied {
    let chosen = choose(fixes);
    let mut trial = Trial {
        lang,
        text,
        fixes,
        errors_before: error_count(lang, text),
    };
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    trial.accept(&chosen, &mut accepted, &mut refused);
    accepted.sort_unstable();
    Applied {
        text: apply_edits(text, &trial.edits(&accepted)),
        accepted,
        refused,
    }
}

/// The fixes that do not overlap an earlier one, in order. Chosen edits are kept sorted and
/// disjoint, so each new edit is compared with its neighbours only.
fn choose(fixes: &[&Fix]) -> Vec<usize> {
    let mut taken: BTreeMap<(usize, usize), ()> = BTreeMap::new();
    let mut chosen = Vec::new();
    for (i, &fix) in fixes.iter().enumerate() {
        let clashes = fix.edits.iter().any(|e| {
            taken
                .range(..=(e.range.end, usize::MAX))
                .rev()
                .take_while(|((_, end), _)| *end >= e.range.start)
                .any(|(&(start, end), _)| overlap(&(start..end), &e.range))
        });
        if clashes || fix.edits.is_empty() {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| ((e.range.start, e.range.end), ())));
        chosen.push(i);
    }
    chosen
}

/// Trying sets of fixes on a text.
struct Trial<'t> {
    lang: Lang,
    text: &'t str,
    fixes: &'t [&'t Fix],
    errors_before: usize,
}

impl Trial<'_> {
    /// Accept `these` (indices of fixes) if, together with those accepted so far, they leave no
    /// more syntax errors than the text had; else try each half, down to single fixes, which
    /// are refused.
    fn accept(&mut self, these: &[usize], accepted: &mut Vec<usize>, refused: &mut Vec<FixError>) {
        if these.is_empty() {
            return;
        }
        let all: Vec<usize> = accepted.iter().chain(these).copied().collect();
        if error_count(self.lang, &apply_edits(self.text, &self.edits(&all))) <= self.errors_before
        {
            accepted.extend_from_slice(these);
            return;
        }
        if let [one] = these {
            refused.push(FixError::BreaksSyntax {
                title: self.fixes[*one].title.clone(),
            });
            return;
        }
        let (left, right) = these.split_at(these.len() / 2);
        self.accept(left, accepted, refused);
        self.accept(right, accepted, refused);
    }

    /// The edits of these fixes, sorted.
    fn edits(&self, these: &[usize]) -> Vec<Edit> {
        let mut edits: Vec<Edit> = these
            .iter()
            .flat_map(|&i| self.fixes[i].edits.iter().cloned())
            .collect();
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        edits
    }
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a == b {
        return true;
    }
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    a.start < b.end && b.start < a.end
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

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(at: [usize; 2], open: &str, close: &str) -> Fix {
        let insert = |i: usize, text: &str| Edit {
            range: i..i,
            text: text.into(),
        };
        Fix {
            title: format!("wrap {at:?}"),
            edits: vec![insert(at[0], open), insert(at[1], close)],
        }
    }

    /// `(a + b) + c` and `a + [b + c]` each parse; `(a + [b) + c]` does not.
    #[test]
    fn fixes_that_parse_alone_but_not_together_are_not_applied_together() {
        let text = "a + b + c\n";
        let (first, second) = (wrap([0, 5], "(", ")"), wrap([4, 9], "[", "]"));
        for fix in [&first, &second] {
            assert_eq!(apply_fixes(Lang::Python, text, &[fix]).1, 1);
        }
        let (fixed, applied, refused) = apply_fixes(Lang::Python, text, &[&first, &second]);
        assert_eq!((fixed.as_str(), applied), ("(a + b) + c\n", 1));
        assert_eq!(
            refused,
            [FixError::BreaksSyntax {
                title: "wrap [4, 9]".into()
            }]
        );
    }
}
