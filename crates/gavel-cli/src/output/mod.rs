//! Printers for `gavel check`: text (rustc/ruff style), JSON and SARIF 2.1.0.

pub mod json;
pub mod sarif;
pub mod text;

use gavel_engine::Finding;
use gavel_syntax::{LineIndex, WideEncoding};

/// Write a report to stdout. A reader that went away (`gavel check | head`) is not an error:
/// the rest is dropped quietly, as in ripgrep, instead of `print!`'s panic.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the report: {e}");
    }
}

/// A checked file and its findings. The source is not kept: positions and the lines the text
/// printer shows are computed when the file is checked, so a large scan holds no sources.
pub struct CheckedFile {
    /// Relative to the working directory, with `/`.
    pub path: String,
    pub findings: Vec<Located>,
    pub suppressed: usize,
}

/// A finding with its positions resolved.
pub struct Located {
    pub finding: Finding,
    pub start: Pos,
    pub end: Pos,
    /// The text of the finding's first line.
    pub line: String,
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
            line: pos.line_text(start.line as usize - 1).to_string(),
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
