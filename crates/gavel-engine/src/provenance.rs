//! Provenance (SPEC 4) applied to findings: each finding takes the provenance of its lines,
//! rules with `applies_to` (and the command line's `--scope`) drop findings elsewhere, and
//! `ai_min_severity` raises findings on AI-written lines.
//!
//! Which line is which is decided elsewhere (git in `gavel-workspace`, edit bursts in
//! `gavel-lsp`); this module only needs the answer as [`LineMarks`].

use gavel_policy::{AppliesTo, Severity};

use crate::{Finding, Provenance};

/// The provenance of each line of a text (0-based lines).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMarks {
    lines: Vec<Provenance>,
}

impl LineMarks {
    /// Every line unknown: no repository and no edit bursts.
    pub fn unknown() -> LineMarks {
        LineMarks::default()
    }

    /// One provenance per line; lines past the end are `unknown`.
    pub fn from_lines(lines: Vec<Provenance>) -> LineMarks {
        LineMarks { lines }
    }

    pub fn line(&self, line: usize) -> Provenance {
        self.lines.get(line).copied().unwrap_or(Provenance::Unknown)
    }

    /// The strongest provenance among `first..=last`: `ai` over `changed` over `unchanged` over
    /// `unknown`, so a finding that touches one AI-written line is an AI-written finding.
    pub fn span(&self, first: usize, last: usize) -> Provenance {
        (first..=last)
            .map(|l| self.line(l))
            .min()
            .unwrap_or(Provenance::Unknown)
    }

    /// 0-based lines with the given provenance, as inclusive ranges.
    pub fn ranges(&self, which: Provenance) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (i, p) in self.lines.iter().enumerate() {
            if *p != which {
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

/// Give each finding the provenance of its lines, drop those outside their rule's
/// `applies_to` or the run's scope, and raise AI-written ones to `ai_min_severity`.
///
/// `unknown` (no repository) never drops a finding: gavel cannot tell the line is unchanged, so
/// it reports rather than hides.
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
        f.provenance = marks.span(line_of(f.range.start), line_of(last_byte));
        if f.provenance == Provenance::Ai
            && let Some(min) = options.ai_min_severity
        {
            f.severity = f.severity.max(min);
        }
    }
    findings
        .retain(|f| in_scope(f.applies_to, f.provenance) && in_scope(options.scope, f.provenance));
}

/// Does a finding with this provenance count for `applies_to`?
pub fn in_scope(applies_to: AppliesTo, provenance: Provenance) -> bool {
    match applies_to {
        AppliesTo::All => true,
        AppliesTo::Changed => provenance != Provenance::Unchanged,
        AppliesTo::Ai => matches!(provenance, Provenance::Ai | Provenance::Unknown),
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
    use Provenance::{Ai as A, Changed as C, Unchanged as U, Unknown as K};
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
            applies_to,
        }
    }

    /// `text` has one finding per line (each covering the line); returns
    /// `(line, provenance, severity)` of those kept.
    fn check(lines: &[Provenance], applies_to: AppliesTo, scope: AppliesTo) -> String {
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
        apply_provenance(
            &mut findings,
            text,
            &LineMarks::from_lines(lines.to_vec()),
            options,
        );
        findings
            .iter()
            .map(|f| format!("{:?}:{}:{}", f.range, f.provenance, f.severity.as_str()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn each_finding_takes_its_strongest_line() {
        assert_eq!(
            check(&[U, C, A], All, All),
            "0..1:unchanged:warning 2..4:changed:warning 5..8:ai:error 0..8:ai:error"
        );
        assert_eq!(
            check(&[U, C], All, All),
            "0..1:unchanged:warning 2..4:changed:warning 5..8:unknown:warning 0..8:changed:warning"
        );
    }

    #[test]
    fn applies_to_and_scope_drop_findings_elsewhere() {
        assert_eq!(
            check(&[U, C, A], Changed, All),
            "2..4:changed:warning 5..8:ai:error 0..8:ai:error"
        );
        assert_eq!(check(&[U, C, A], Ai, All), "5..8:ai:error 0..8:ai:error");
        assert_eq!(check(&[U, C, U], All, Ai), "");
        assert_eq!(
            check(&[U, C, U], All, Changed),
            "2..4:changed:warning 0..8:changed:warning"
        );
    }

    #[test]
    fn unknown_lines_are_reported() {
        assert_eq!(check(&[K, K, K], Ai, Changed).matches("unknown").count(), 4);
    }

    #[test]
    fn ranges_merge_neighbours() {
        let marks = LineMarks::from_lines(vec![A, A, U, A, C, A]);
        assert_eq!(marks.ranges(A), vec![(0, 1), (3, 3), (5, 5)]);
    }
}
