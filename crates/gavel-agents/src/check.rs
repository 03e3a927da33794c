//! The one place this crate calls the checker (gavel-workspace's `Checker`, the pipeline of
//! `gavel check`): a file in, its findings out as hooks tell them (positions, the agent message
//! of SPEC 7.1, the preferred fix's edits located).

use std::path::{Path, PathBuf};

use gavel_policy::{AppliesTo, Severity};
use gavel_workspace::{Checked, Outcome, report::Located};

/// A 1-based line and a 1-based column in Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// One edit of a finding's preferred fix, in the file as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixEdit {
    pub start: Pos,
    pub end: Pos,
    pub text: String,
}

/// A finding, ready to be told to an agent.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rule: String,
    pub severity: Severity,
    pub start: Pos,
    pub end: Pos,
    /// The agent message (SPEC 7.1).
    pub message: String,
    /// The preferred fix's edits, or empty.
    pub fix: Vec<FixEdit>,
    /// The text the finding covers (cut to [`MATCHED_CHARS`]), to recognise it again after
    /// other edits moved it.
    pub matched: String,
}

/// A recorded finding is recognised by its rule and this much of the text it covers.
const MATCHED_CHARS: usize = 200;

/// What checking one file gave.
pub enum FileOutcome {
    Checked {
        text: String,
        hits: Vec<Hit>,
    },
    /// Not a file gavel checks (another language, excluded, not decodable): say nothing.
    Skipped,
    /// Could not be checked (unreadable, refused): an error.
    Failed(String),
}

/// Checks files under one config choice (`--config`, or each file's nearest `gavel.toml`), on
/// every line (a hook is about the lines of one edit, not a git scope).
pub struct Checker {
    inner: gavel_workspace::Checker,
}

impl Checker {
    pub fn new(config: Option<PathBuf>, cwd: PathBuf) -> Checker {
        Checker {
            inner: gavel_workspace::Checker::new(config, cwd, None, AppliesTo::All),
        }
    }

    /// Problems in the configs loaded so far, one sentence each.
    pub fn config_errors(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .inner
            .configs()
            .all()
            .iter()
            .flat_map(|c| c.errors.iter().map(ToString::to_string))
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// Check the file at `path` as it is on disk.
    pub fn check(&self, path: &Path) -> FileOutcome {
        let checked = match self.inner.check(path, None) {
            Outcome::Checked(c) => c,
            Outcome::Skipped(_) | Outcome::Excluded => return FileOutcome::Skipped,
            Outcome::Failed(e) => return FileOutcome::Failed(e),
        };
        let Checked { file, text, .. } = *checked;
        let hits = file.findings.iter().map(|l| hit(l, &text)).collect();
        FileOutcome::Checked { text, hits }
    }
}

fn hit(l: &Located, text: &str) -> Hit {
    let f = &l.finding;
    let fix = match (f.fixes.first(), l.edits.first()) {
        (Some(fix), Some(at)) => fix
            .edits
            .iter()
            .zip(at)
            .map(|(e, (start, end))| FixEdit {
                start: pos(*start),
                end: pos(*end),
                text: e.text.clone(),
            })
            .collect(),
        _ => Vec::new(),
    };
    Hit {
        rule: f.rule_id.clone(),
        severity: f.severity,
        start: pos(l.start),
        end: pos(l.end),
        message: f.agent_message(),
        fix,
        matched: matched_text(text, f.range.clone()),
    }
}

fn pos(p: gavel_workspace::report::Pos) -> Pos {
    Pos {
        line: p.line,
        column: p.column,
    }
}

fn matched_text(text: &str, range: std::ops::Range<usize>) -> String {
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let slice = text.get(start..end).unwrap_or("");
    slice.chars().take(MATCHED_CHARS).collect()
}
