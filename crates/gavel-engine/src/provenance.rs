//! Provenance (SPEC 4) applied to findings: each finding takes the facts of its lines
//! (changed since the base, AI-written: two independent facts), rules with `applies_to` (and the
//! command line's `--scope`) drop findings elsewhere, and `ai_min_severity` raises findings on
//! AI-written lines.
//!
//! Which line is which is decided elsewhere (git in `gavel-workspace`, edit bursts in
//! `gavel-lsp`); this module only needs the answer as [`LineMarks`].

use gavel_policy::{AppliesTo, Severity};

use crate::{Finding, Provenance};

/// What is known of one line: changed since the base (`None`: no repository, cannot tell), and
/// AI-written (by blame or an editor burst), independently.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineFacts {
    pub changed: Option<bool>,
    pub ai: bool,
}

impl LineFacts {
    /// The single label: `ai` over `changed` over `unchanged` over `unknown`.
    pub fn label(self) -> Provenance {
        match (self.ai, self.changed) {
            (true, _) => Provenance::Ai,
            (false, Some(true)) => Provenance::Changed,
            (false, Some(false)) => Provenance::Unchanged,
            (false, None) => Provenance::Unknown,
        }
    }
}

/// The facts of each line of a text (0-based lines).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMarks {
    lines: Vec<LineFacts>,
}

impl LineMarks {
    /// Every line unknown: no repository and no edit bursts.
    pub fn unknown() -> LineMarks {
        LineMarks::default()
    }

    /// One [`LineFacts`] per line; lines past the end are unknown and not AI-written.
    pub fn from_facts(lines: Vec<LineFacts>) -> LineMarks {
        LineMarks { lines }
    }

    pub fn facts(&self, line: usize) -> LineFacts {
        self.lines.get(line).copied().unwrap_or_default()
    }

    pub fn line(&self, line: usize) -> Provenance {
        self.facts(line).label()
    }

    /// The facts of `first..=last` together: AI-written when one line is, changed when one line
    /// is, unchanged when every line is known unchanged, else unknown. So a finding that touches
    /// one AI-written line is an AI-written finding.
    pub fn span(&self, first: usize, last: usize) -> LineFacts {
        let mut out = LineFacts {
            changed: Some(false),
            ai: false,
        };
        for l in first..=last {
            let f = self.facts(l);
            out.ai |= f.ai;
            out.changed = match (out.changed, f.changed) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            };
        }
        out
    }

    /// 0-based lines whose facts satisfy `which`, as inclusive ranges.
    pub fn ranges(&self, which: impl Fn(LineFacts) -> bool) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (i, f) in self.lines.iter().enumerate() {
            if !which(*f) {
                continue;
            }
            match out.last_mut() {
                Some(last) if last.1 + 1 == i => last.1 = i,
                _ => out.push((i, i)),
            }
        }
        out
    }
}

/// What the run asks for besides each rule's own `applies_to`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProvenanceOptions {
    /// The command line's `--scope`; `All` in the editor.
    pub scope: AppliesTo,
    /// `[provenance] ai_min_severity`.
    pub ai_min_severity: Option<Severity>,
}

/// Give each finding the facts of its lines, drop those outside their rule's `applies_to` or
/// the run's scope, and raise AI-written ones to `ai_min_severity`.
///
/// Unknown lines (no repository) never drop a finding: gavel cannot tell the line is unchanged,
/// or not AI-written, so it reports rather than hides.
pub fn apply_provenance(
    findings: &mut Vec<Finding>,
    text: &str,
    marks: &LineMarks,
    options: ProvenanceOptions,
) {
    let starts = line_starts(text);
    let line_of = |byte: usize| starts.partition_point(|&s| s <= byte).saturating_sub(1);
    for f in findings.iter_mut() {
        let last_byte = f.range.end.max(f.range.start + 1) - 1;
        let facts = marks.span(line_of(f.range.start), line_of(last_byte));
        f.provenance = facts.label();
        f.changed = facts.changed;
        if facts.ai
            && let Some(min) = options.ai_min_severity
        {
            f.severity = f.severity.max(min);
        }
    }
    findings.retain(|f| in_scope(f.applies_to, f) && in_scope(options.scope, f));
}

/// Does a finding count for `applies_to` (SPEC 4)? `changed`: its lines changed since the base,
/// whoever wrote them; `ai`: its lines are AI-written, whenever. Without a repository both keep
/// it.
pub fn in_scope(applies_to: AppliesTo, f: &Finding) -> bool {
    let no_repo = f.changed.is_none();
    match applies_to {
        AppliesTo::All => true,
        AppliesTo::Changed => f.changed != Some(false),
        AppliesTo::Ai => f.provenance == Provenance::Ai || no_repo,
    }
}

/// Line starts at `\n` only, as git and imara-diff count lines (not `LineIndex`, which also
/// breaks at a lone `\r` the way LSP does), so that a finding meets the marks git gave.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gavel_policy::AppliesTo::{self, *};

    fn finding(range: std::ops::Range<usize>, applies_to: AppliesTo) -> Finding {
        Finding {
            rule_id: "r".into(),
            rule: None,
            severity: Severity::Warning,
            category: "c".into(),
            message: "m".into(),
            instead: None,
            remedy: Default::default(),
            range,
            fixes: Vec::new(),
            provenance: Provenance::Unknown,
            changed: None,
            applies_to,
        }
    }

    /// Line facts as letters: `.` unchanged, `C` changed, `A` AI-written and unchanged since the
    /// base (an AI commit already on main), `X` AI-written and changed, `?` unknown.
    fn marks(lines: &str) -> LineMarks {
        LineMarks::from_facts(
            lines
                .chars()
                .map(|c| match c {
                    '.' => LineFacts {
                        changed: Some(false),
                        ai: false,
                    },
                    'C' => LineFacts {
                        changed: Some(true),
                        ai: false,
                    },
                    'A' => LineFacts {
                        changed: Some(false),
                        ai: true,
                    },
                    'X' => LineFacts {
                        changed: Some(true),
                        ai: true,
                    },
                    _ => LineFacts::default(),
                })
                .collect(),
        )
    }

    /// `text` has one finding per line (each covering the line) and one over all three;
    /// returns `range:provenance:changed:severity` of those kept.
    fn check(lines: &str, applies_to: AppliesTo, scope: AppliesTo) -> String {
        let text = "a\nbb\nccc\n";
        let mut findings = vec![
            finding(0..1, applies_to),
            finding(2..4, applies_to),
            finding(5..8, applies_to),
            finding(0..8, applies_to),
        ];
        let options = ProvenanceOptions {
            scope,
            ai_min_severity: Some(Severity::Error),
        };
        apply_provenance(&mut findings, text, &marks(lines), options);
        findings
            .iter()
            .map(|f| {
                let changed = f.changed.map_or("?", |c| if c { "c" } else { "-" });
                format!(
                    "{:?}:{}:{changed}:{}",
                    f.range,
                    f.provenance,
                    f.severity.as_str()
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn each_finding_takes_the_facts_of_its_lines() {
        assert_eq!(
            check(".CA", All, All),
            "0..1:unchanged:-:warning 2..4:changed:c:warning 5..8:ai:-:error 0..8:ai:c:error"
        );
        assert_eq!(
            check(".C", All, All),
            "0..1:unchanged:-:warning 2..4:changed:c:warning 5..8:unknown:?:warning 0..8:changed:c:warning"
        );
    }

    #[test]
    fn changed_and_ai_are_two_facts() {
        // An AI-written line already on the base is not changed; a changed line by a person is
        // not AI-written.
        assert_eq!(
            check(".CA", All, Changed),
            "2..4:changed:c:warning 0..8:ai:c:error"
        );
        assert_eq!(check(".CA", All, Ai), "5..8:ai:-:error 0..8:ai:c:error");
        assert_eq!(
            check("..X", All, Changed),
            "5..8:ai:c:error 0..8:ai:c:error"
        );
        assert_eq!(check("...", Changed, All), "");
        assert_eq!(check("..A", Changed, All), "");
        assert_eq!(check("C..", Ai, All), "");
    }

    #[test]
    fn applies_to_and_scope_drop_findings_elsewhere() {
        assert_eq!(
            check(".CA", Changed, All),
            "2..4:changed:c:warning 0..8:ai:c:error"
        );
        assert_eq!(check(".CA", Ai, All), "5..8:ai:-:error 0..8:ai:c:error");
        assert_eq!(check(".C.", All, Ai), "");
        assert_eq!(
            check(".C.", All, Changed),
            "2..4:changed:c:warning 0..8:changed:c:warning"
        );
    }

    #[test]
    fn unknown_lines_are_reported() {
        assert_eq!(check("???", Ai, Changed).matches("unknown").count(), 4);
    }

    #[test]
    fn ranges_merge_neighbours() {
        let m = marks("AA.ACA");
        assert_eq!(m.ranges(|f| f.ai), vec![(0, 1), (3, 3), (5, 5)]);
        assert_eq!(m.ranges(|f| f.changed == Some(true)), vec![(4, 4)]);
    }
}
