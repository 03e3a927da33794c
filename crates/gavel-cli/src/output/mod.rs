//! Printers for `gavel check`: text (rustc/ruff style), JSON and SARIF 2.1.0.

pub mod json;
pub mod sarif;
pub mod text;

use gavel_engine::Finding;
use gavel_syntax::{LineIndex, WideEncoding};

/// A checked file and its findings.
pub struct CheckedFile {
    /// Relative to the working directory, with `/`.
    pub path: String,
    pub source: String,
    pub findings: Vec<Finding>,
    pub suppressed: usize,
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
    pub fn findings(&self) -> impl Iterator<Item = (&CheckedFile, &Finding)> {
        let mut files: Vec<&CheckedFile> = self.files.iter().collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
            .into_iter()
            .flat_map(|f| f.findings.iter().map(move |x| (f, x)))
    }

    pub fn finding_count(&self) -> usize {
        self.files.iter().map(|f| f.findings.len()).sum()
    }

    pub fn suppressed(&self) -> usize {
        self.files.iter().map(|f| f.suppressed).sum()
    }
}

/// A 1-based line and a 1-based column in Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// Positions in one file's text.
pub struct Positions<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Positions<'a> {
        Positions {
            text,
            index: LineIndex::new(text),
        }
    }

    pub fn at(&self, offset: usize) -> Pos {
        let lc = self.index.line_col(self.text, offset, WideEncoding::Scalar);
        Pos {
            line: lc.line + 1,
            column: lc.col + 1,
        }
    }

    /// The text of a 0-based line, without its terminator.
    pub fn line_text(&self, line: usize) -> &'a str {
        &self.text[self.index.line_range(self.text, line)]
    }
}
