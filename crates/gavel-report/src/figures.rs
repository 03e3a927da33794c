//! The figures of a report, as `--format json` gives them and the HTML page draws them. Every
//! chart of the page is drawn from these and nothing else.

use serde::Serialize;

/// A whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The format of this JSON; grows only by new keys.
    pub version: u32,
    pub repository: String,
    pub head: String,
    /// The first and last commit dates checked (`YYYY-MM-DD`, UTC).
    pub from: String,
    pub to: String,
    pub commits: Commits,
    pub lines_written: Lines,
    /// Problems met on the way (config errors, blobs too large to check): a report after an
    /// error says so.
    pub errors: Vec<String>,
    pub timeline: Vec<Point>,
    pub weeks: Vec<Week>,
    pub fixes: Fixes,
    /// Every rule that fired or is loaded, with its figures, most findings introduced first.
    pub rules: Vec<RuleFigures>,
    /// The rules AI-written lines break most, by rate per 1,000 lines written.
    pub ai_vs_human: Vec<Rate>,
    pub suppressed: Vec<Waivers>,
    pub approved: Vec<Waivers>,
    pub never_fired: Vec<String>,
    /// Rules suppressed more than they are fixed.
    pub noisy: Vec<Noisy>,
    pub top_files: Vec<FileCount>,
    pub review: Vec<Verdicts>,
    pub suggestions: Vec<Suggestion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Commits {
    /// First-parent commits walked (diffed for line authorship).
    pub walked: usize,
    /// Commits checked (all in the range, or a sample).
    pub checked: usize,
    /// AI-written commits among those in the range.
    pub ai: usize,
    /// File checks run; the rest were reused from the commit before.
    pub file_checks: usize,
    pub seconds: f64,
    pub per_second: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lines {
    pub ai: usize,
    pub human: usize,
}

/// The totals at one commit checked.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub commit: String,
    pub date: String,
    pub time: i64,
    pub ai_commit: bool,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub hint: usize,
    pub total: usize,
    /// Findings on AI-written lines, and on the others.
    pub ai: usize,
    pub human: usize,
    /// Python and Rust files at that commit.
    pub files: usize,
}

/// Findings introduced and fixed in one week (starting Monday, UTC).
#[derive(Debug, Clone, Serialize)]
pub struct Week {
    pub week: String,
    pub introduced: usize,
    pub introduced_ai: usize,
    pub fixed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fixes {
    pub introduced: usize,
    pub fixed: usize,
    /// Over the fixed findings whose introduction the walk saw.
    pub median_days_to_fix: Option<f64>,
    /// Open at the last commit checked.
    pub open: usize,
    pub removed_with_file: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleFigures {
    pub id: String,
    pub severity: String,
    pub category: String,
    pub introduced_ai: usize,
    pub introduced_human: usize,
    pub fixed: usize,
    pub open: usize,
    pub suppressed: usize,
    pub approved: usize,
    /// It tells agents what to write instead (`instead`, a sanctioned library or a fix).
    pub has_instead: bool,
}

/// A rule's findings introduced per 1,000 lines written, by AI-written commits and others.
#[derive(Debug, Clone, Serialize)]
pub struct Rate {
    pub rule: String,
    pub ai: usize,
    pub human: usize,
    pub ai_per_kloc: f64,
    pub human_per_kloc: f64,
}

/// A rule's suppressions (at the last commit) or approvals, with the reasons given.
#[derive(Debug, Clone, Serialize)]
pub struct Waivers {
    pub rule: String,
    pub count: usize,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub reason: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Noisy {
    pub rule: String,
    pub suppressed: usize,
    pub fixed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileCount {
    pub path: String,
    pub findings: usize,
    pub ai: usize,
}

/// The review layer's kept verdicts of one rule.
#[derive(Debug, Clone, Serialize)]
pub struct Verdicts {
    pub rule: String,
    pub pass: usize,
    pub fail: usize,
    pub unsure: usize,
}

/// Something to do, drawn from the figures.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// `add-instead`, `suppressed-more-than-fixed` or `never-fires`.
    pub kind: String,
    pub rules: Vec<String>,
    pub text: String,
}
