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
    /// The rule's `instead`, rendered with the match's metavariables (SPEC 7.1).
    pub instead: Option<String>,
    /// What the agent message says to do (see [`Remedy`]).
    pub remedy: Remedy,
    pub range: Range<usize>,
    pub fixes: Vec<Fix>,
    /// The strongest label of its lines' facts (SPEC 4).
    pub provenance: Provenance,
    /// Its lines changed since the base; `None` outside a repository.
    pub changed: Option<bool>,
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

    /// The self-contained line editors, hooks and MCP results show (SPEC 7.1): the message,
    /// then ` Instead: ` and the remedy, then the rule id in brackets.
    pub fn agent_message(&self) -> String {
        let message = self.message.trim_end();
        match self.remedy_text() {
            Some(remedy) => {
                let stop = if message.ends_with(['.', '!', '?']) {
                    ""
                } else {
                    "."
                };
                format!("{message}{stop} Instead: {remedy} [{}]", self.rule_id)
            }
            None => format!("{message} [{}]", self.rule_id),
        }
    }
}

impl Finding {
    /// The text after ` Instead: ` in the agent message, if any.
    pub fn remedy_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        let rule = self.rule.as_deref();
        match self.remedy {
            Remedy::None => None,
            Remedy::Instead => self.instead.as_deref().map(Into::into),
            Remedy::FixTitle => rule
                .and_then(|r| r.fixes.first())
                .map(|f| f.title.as_str().into()),
            Remedy::UseSanctioned => rule
                .and_then(|r| r.sanctioned.as_ref())
                .map(|s| format!("use {}", s.name).into()),
        }
    }
}

/// Which text the agent message gives as what to do instead (kept as a choice, not a copy:
/// a file can hold a finding every few bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Remedy {
    /// The message already says it, or there is nothing to say.
    #[default]
    None,
    /// The rule's `instead`, rendered ([`Finding::instead`]).
    Instead,
    /// The preferred fix's title.
    FixTitle,
    /// `use NAME` for the sanctioned library.
    UseSanctioned,
}

/// The remedy for a finding of `rule` with this message and `instead`. The rule's `instead` is
/// said unless the message already holds it; the fallbacks (the preferred fix's title, `use
/// NAME`) only when the message names neither them nor the sanctioned library ("Use
/// acme_http, not requests" needs no "Instead: use acme_http").
pub fn remedy(rule: &Rule, message: &str, instead: Option<&str>) -> Remedy {
    let message = message.to_lowercase();
    let says = |text: &str| message.contains(text.trim_end_matches('.').to_lowercase().as_str());
    if let Some(instead) = instead {
        return if says(instead) {
            Remedy::None
        } else {
            Remedy::Instead
        };
    }
    let sanctioned = rule.sanctioned.as_ref();
    if sanctioned.is_some_and(|s| says(&s.name)) {
        return Remedy::None;
    }
    match (rule.fixes.first(), sanctioned) {
        (Some(fix), _) if !says(&fix.title) => Remedy::FixTitle,
        (None, Some(s)) if !says(&format!("use {}", s.name)) => Remedy::UseSanctioned,
        _ => Remedy::None,
    }
}

/// The result of checking one file.
#[derive(Debug, Default, Clone)]
pub struct FileReport {
    /// Sorted by position.
    pub findings: Vec<Finding>,
    /// How many findings suppressions removed.
    pub suppressed: usize,
    /// The findings suppressions removed: their rule and the suppression's reason, in position
    /// order (for the feedback report's most suppressed rules).
    pub waived: Vec<Waived>,
}

/// A finding a suppression comment removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waived {
    pub rule_id: String,
    /// The suppression's reason (empty when it gives none).
    pub reason: String,
    /// The finding's first line (0-based).
    pub line: usize,
}
