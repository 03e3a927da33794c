//! The one place this crate calls the checker: a file in, its findings out, as this crate shows
//! them (positions resolved, the agent message rendered, the preferred fix's edits located).

use std::path::{Path, PathBuf};

use gavel_policy::Severity;
use gavel_syntax::{Lang, LineIndex, WideEncoding};
use gavel_workspace::{Configs, SourceText, read_source};

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

/// Checks files under one config choice (`--config`, or each file's nearest `gavel.toml`).
pub struct Checker {
    configs: Configs,
}

impl Checker {
    pub fn new(config: Option<PathBuf>, cwd: PathBuf) -> Checker {
        Checker {
            configs: Configs::new(config, cwd),
        }
    }

    /// Problems in the configs loaded so far, one sentence each.
    pub fn config_errors(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .configs
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
        let Some(lang) = Lang::from_path(path) else {
            return FileOutcome::Skipped;
        };
        let config = self.configs.for_file(path);
        if config.is_excluded(path) {
            return FileOutcome::Skipped;
        }
        let text = match read_source(path) {
            Ok(SourceText::Text(t) | SourceText::Decoded { text: t, .. }) => t,
            Ok(SourceText::Skipped(_)) => return FileOutcome::Skipped,
            Ok(SourceText::Refused(why)) => {
                return FileOutcome::Failed(format!("{}: not checked: {why}", path.display()));
            }
            Err(e) => return FileOutcome::Failed(e.to_string()),
        };
        let report = config.check_text(path, lang, &text);
        let index = LineIndex::new(&text);
        let at = |offset: usize| {
            let lc = index.line_col(&text, offset, WideEncoding::Scalar);
            Pos {
                line: lc.line + 1,
                column: lc.col + 1,
            }
        };
        let hits = report
            .findings
            .iter()
            .map(|f| Hit {
                rule: f.rule_id.clone(),
                severity: f.severity,
                start: at(f.range.start),
                end: at(f.range.end),
                message: agent_message(f),
                fix: f.fixes.first().map_or_else(Vec::new, |fix| {
                    fix.edits
                        .iter()
                        .map(|e| FixEdit {
                            start: at(e.range.start),
                            end: at(e.range.end),
                            text: e.text.clone(),
                        })
                        .collect()
                }),
                matched: matched_text(&text, f.range.clone()),
            })
            .collect();
        FileOutcome::Checked { text, hits }
    }
}

/// The agent message of SPEC 7.1.
fn agent_message(f: &gavel_engine::Finding) -> String {
    let instead = f
        .fixes
        .first()
        .map(|fix| fix.title.clone())
        .or_else(|| f.sanctioned().map(|s| format!("use {}", s.name)));
    match instead {
        Some(i) => format!(
            "{}. Instead: {i} [{}]",
            f.message.trim_end_matches('.'),
            f.rule_id
        ),
        None => format!("{} [{}]", f.message, f.rule_id),
    }
}

fn matched_text(text: &str, range: std::ops::Range<usize>) -> String {
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let slice = text.get(start..end).unwrap_or("");
    slice.chars().take(MATCHED_CHARS).collect()
}
