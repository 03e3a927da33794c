//! What a check found, ready to print: files with their findings located (1-based lines and
//! columns in Unicode scalar values, [`Positions`]), and the JSON views every front end shares
//! ([`json`]: `gavel check --format json`, MCP results, hooks).

mod error;
pub mod fingerprint;
pub mod json;
mod positions;

use gavel_engine::Finding;

pub use error::ReportError;
pub use positions::{Excerpt, Pos, Positions};

/// A checked file and its findings. The source is not kept: positions and the lines the text
/// printer shows are computed when the file is checked, so a large scan holds no sources.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    /// Relative to the working directory, with `/`.
    pub path: String,
    pub findings: Vec<Located>,
    pub suppressed: usize,
    /// Fixes `--fix` wrote to this file.
    pub fixed: usize,
}

/// A finding with its positions resolved.
#[derive(Debug, Clone)]
pub struct Located {
    pub finding: Finding,
    pub start: Pos,
    pub end: Pos,
    /// The finding's first line, or the part of a long one around the finding.
    pub line: Excerpt,
    /// For each fix, each edit's start and end.
    pub edits: Vec<Vec<(Pos, Pos)>>,
    /// Stable when lines move (SPEC 8); set by [`fingerprint::assign`].
    pub fingerprint: String,
    /// Whether a baseline knows this finding; `None` without a baseline.
    pub baseline: Option<BaselineState>,
    /// The approval that waives it (SPEC 9.3), when one does.
    pub approved: Option<Approved>,
}

/// Who approved a finding, why, and until when (SPEC 9.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    pub approver: String,
    pub reason: String,
    /// `YYYY-MM-DD`.
    pub expires: String,
}

/// A finding against the baseline (SPEC 8; SARIF's `baselineState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaselineState {
    New,
    Unchanged,
}

impl BaselineState {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
        }
    }
}

impl Located {
    pub fn new(finding: Finding, pos: &Positions<'_>) -> Located {
        let start = pos.at(finding.range.start);
        let edits = finding
            .fixes
            .iter()
            .map(|f| {
                f.edits
                    .iter()
                    .map(|e| (pos.at(e.range.start), pos.at(e.range.end)))
                    .collect()
            })
            .collect();
        Located {
            start,
            end: pos.at(finding.range.end),
            line: pos.excerpt(finding.range.start, start),
            edits,
            fingerprint: String::new(),
            baseline: None,
            approved: None,
            finding,
        }
    }
}

/// Everything `check` prints.
#[derive(Default)]
pub struct Report {
    pub files: Vec<CheckedFile>,
    /// Files skipped (binary, not UTF-8, too large).
    pub notes: Vec<String>,
    /// What went wrong: the report is incomplete when there are any.
    pub errors: Vec<ReportError>,
    /// Findings left out because the baseline knows them (SPEC 8); `None` without a baseline.
    pub baselined: Option<usize>,
    /// Findings an approval waives (SPEC 9.3), with their paths: not counted, shown in SARIF
    /// as suppressed.
    pub approved: Vec<(String, Located)>,
}

impl Report {
    /// Findings sorted by path, then position.
    pub fn findings(&self) -> impl Iterator<Item = (&CheckedFile, &Located)> {
        let mut files: Vec<&CheckedFile> = self.files.iter().collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
            .into_iter()
            .flat_map(|f| f.findings.iter().map(move |x| (f, x)))
    }

    pub fn finding_count(&self) -> usize {
        self.files.iter().map(|f| f.findings.len()).sum()
    }

    /// How many findings are on AI-written lines.
    pub fn on_ai_lines(&self) -> usize {
        self.findings()
            .filter(|(_, f)| f.finding.provenance == gavel_engine::Provenance::Ai)
            .count()
    }

    /// How many findings have this `changed` fact (`None`: outside a repository).
    pub fn with_changed(&self, changed: Option<bool>) -> usize {
        self.findings()
            .filter(|(_, f)| f.finding.changed == changed)
            .count()
    }

    pub fn suppressed(&self) -> usize {
        self.files.iter().map(|f| f.suppressed).sum()
    }
}
