//! What a check found, ready to print: files with their findings located (1-based lines and
//! columns in Unicode scalar values, [`Positions`]), and the JSON views every front end shares
//! ([`json`]: `gavel check --format json`, MCP results, hooks).

pub mod json;
mod positions;

use gavel_engine::Finding;

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

    /// How many findings have this provenance.
    pub fn with_provenance(&self, p: gavel_engine::Provenance) -> usize {
        self.findings()
            .filter(|(_, f)| f.finding.provenance == p)
            .count()
    }

    pub fn suppressed(&self) -> usize {
        self.files.iter().map(|f| f.suppressed).sum()
    }
}
