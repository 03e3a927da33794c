//! What the walk records: a sample of the totals at each commit checked, each finding that
//! appeared or went (matched by fingerprint between two checks of its file), and the lines
//! AI-written and other commits wrote.

use std::collections::{HashMap, HashSet};

use gavel_policy::Severity;

use crate::{
    commits::Commit,
    state::{FileState, Tracked},
};

/// The totals at one commit checked.
#[derive(Debug, Clone)]
pub struct Sample {
    pub commit: String,
    pub time: i64,
    pub ai_commit: bool,
    /// Findings by severity: error, warning, info, hint.
    pub by_severity: [usize; 4],
    /// Findings on AI-written lines, and on the others.
    pub ai: usize,
    pub human: usize,
    pub files: usize,
}

impl Sample {
    pub fn of(commit: &Commit, files: &HashMap<String, FileState>) -> Sample {
        let mut s = Sample {
            commit: commit.id.to_hex_with_len(10).to_string(),
            time: commit.time,
            ai_commit: commit.ai,
            by_severity: [0; 4],
            ai: 0,
            human: 0,
            files: files.len(),
        };
        for f in files.values().flat_map(|state| &state.findings) {
            if let Some(i) = severity_slot(f.severity) {
                s.by_severity[i] += 1;
            }
            if f.ai {
                s.ai += 1;
            } else {
                s.human += 1;
            }
        }
        s
    }

    pub fn total(&self) -> usize {
        self.ai + self.human
    }
}

/// The slot of a severity in [`Sample::by_severity`].
pub fn severity_slot(s: Severity) -> Option<usize> {
    match s {
        Severity::Error => Some(0),
        Severity::Warning => Some(1),
        Severity::Info => Some(2),
        Severity::Hint => Some(3),
        Severity::Off => None,
    }
}

/// A finding that appeared at a commit checked.
#[derive(Debug, Clone)]
pub struct Introduced {
    pub rule: String,
    pub time: i64,
    pub ai: bool,
}

/// A finding that went while its file stayed.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub rule: String,
    pub time: i64,
    /// When it appeared, if the walk saw that (not for those already there at the first
    /// commit checked).
    pub since: Option<i64>,
}

/// Everything the walk recorded.
#[derive(Default)]
pub struct Events {
    pub samples: Vec<Sample>,
    pub introduced: Vec<Introduced>,
    pub fixed: Vec<Fixed>,
    /// Findings that went with their file (deleted, or renamed out of what is checked).
    pub removed: usize,
    /// Lines written in the range checked by AI-written commits, and by the others.
    pub lines_ai: usize,
    pub lines_human: usize,
    /// Blobs not checked (too large to read).
    pub skipped: usize,
    /// Rules that had a finding at some commit checked.
    pub fired: HashSet<String>,
    /// The languages of the files seen.
    pub languages: HashSet<gavel_syntax::Lang>,
    /// The findings open now, by file identity and fingerprint: when each appeared.
    open: HashMap<(String, String), Option<i64>>,
    /// The first commit checked is not the first commit: what it finds was there before.
    pub starts_mid_history: bool,
}

impl Events {
    pub fn sample(&mut self, sample: Sample) {
        self.samples.push(sample);
    }

    /// A commit (`ai`: an AI-written one) wrote `lines` lines.
    pub fn wrote(&mut self, ai: bool, lines: usize) {
        if ai {
            self.lines_ai += lines;
        } else {
            self.lines_human += lines;
        }
    }

    /// A file was checked again at `commit`: its findings `before` and `after`.
    pub fn compare(
        &mut self,
        identity: &str,
        before: &[Tracked],
        after: &[Tracked],
        commit: &Commit,
    ) {
        let baseline = self.samples.is_empty() && self.starts_mid_history;
        let now: HashSet<&str> = after.iter().map(|f| f.print.as_str()).collect();
        let was: HashSet<&str> = before.iter().map(|f| f.print.as_str()).collect();
        for f in after.iter().filter(|f| !was.contains(f.print.as_str())) {
            self.fired.insert(f.rule.clone());
            let since = (!baseline).then_some(commit.time);
            self.open
                .insert((identity.to_string(), f.print.clone()), since);
            if !baseline {
                self.introduced.push(Introduced {
                    rule: f.rule.clone(),
                    time: commit.time,
                    ai: f.ai,
                });
            }
        }
        for f in before.iter().filter(|f| !now.contains(f.print.as_str())) {
            let since = self
                .open
                .remove(&(identity.to_string(), f.print.clone()))
                .flatten();
            self.fixed.push(Fixed {
                rule: f.rule.clone(),
                time: commit.time,
                since,
            });
        }
    }

    /// A followed file went (deleted, or renamed to what is not checked).
    pub fn removed_with_file(&mut self, state: &FileState) {
        for f in &state.findings {
            if self
                .open
                .remove(&(state.identity.clone(), f.print.clone()))
                .is_some()
            {
                self.removed += 1;
            }
        }
    }

    /// The findings open now, with when each appeared (`None`: before the first commit checked).
    pub fn open(&self) -> impl Iterator<Item = Option<i64>> + '_ {
        self.open.values().copied()
    }
}
