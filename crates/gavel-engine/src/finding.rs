//! What a check reports: findings with their fixes.

use std::{fmt, ops::Range, sync::Arc};

use gavel_policy::{AppliesTo, Rule, Sanctioned, Severity};

/// Where a finding's lines come from (SPEC 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Provenance {
    Ai,
    Changed,
    Unchanged,
    #[default]
    Unknown,
}

impl Provenance {
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Ai => "ai",
            Provenance::Changed => "changed",
            Provenance::Unchanged => "unchanged",
            Provenance::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One text replacement, in bytes of the checked text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

impl Ord for Edit {
    fn cmp(&self, other: &Edit) -> std::cmp::Ordering {
        (self.range.start, self.range.end, &self.text).cmp(&(
            other.range.start,
            other.range.end,
            &other.text,
        ))
    }
}

impl PartialOrd for Edit {
    fn partial_cmp(&self, other: &Edit) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A quick fix: edits applied together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    /// Sorted, not overlapping.
    pub edits: Vec<Edit>,
}

/// A rule violation at a range of the file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule_id: String,
    /// The rule, or `None` for gavel's own suppression findings.
    pub rule: Option<Arc<Rule>>,
    pub severity: Severity,
    pub category: String,
    pub message: String,
    pub range: Range<usize>,
    pub fixes: Vec<Fix>,
    pub provenance: Provenance,
    pub applies_to: AppliesTo,
}

impl Finding {
    pub fn url(&self) -> Option<&str> {
        self.rule.as_ref().and_then(|r| r.url.as_deref())
    }

    pub fn sanctioned(&self) -> Option<&Sanctioned> {
        self.rule.as_ref().and_then(|r| r.sanctioned.as_ref())
    }

    pub fn note(&self) -> Option<&str> {
        self.rule.as_ref().and_then(|r| r.note.as_deref())
    }
}

/// The result of checking one file.
#[derive(Debug, Default, Clone)]
pub struct FileReport {
    /// Sorted by position.
    pub findings: Vec<Finding>,
    /// How many findings suppressions removed.
    pub suppressed: usize,
}
