//! Check the edited files, keep the findings at or above `--fail-on` on the lines the edit
//! changed, and write them as the text an agent reads: one agent message a line
//! (`path:line:col: message`), each followed by its fix, at most [`MAX_SHOWN`].
//!
//! A fix is one line: `  fix: ` and its edits joined by `; `, all applied together, positions
//! in the file as it is now (1-based lines, columns in characters):
//!
//! - `replace line 3 col 1-24 with "acme_http"`: columns 1 to 24, both included;
//! - `delete line 3 col 5-9`;
//! - `insert at line 1 col 1 "import acme_http\n"`;
//! - `replace from line 3 col 5 up to line 5 col 1 with "..."`: a range over several lines,
//!   its end excluded.
//!
//! Texts are JSON strings, so quotes and newlines are escaped and the line stays one line.

use std::{fmt::Write as _, path::PathBuf};

use gavel_policy::Severity;

use super::{
    lines::{Change, changed_lines},
    project::Project,
};
use crate::check::{Checker, FileOutcome, FixEdit, Hit};

/// An answer names at most this many findings, then how many more there are.
pub const MAX_SHOWN: usize = 20;

/// A file an agent edited, as the payload names it, and what the edit changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditedFile {
    pub path: PathBuf,
    pub change: Change,
}

/// A finding to tell, and the file it is in (relative to the project).
#[derive(Debug, Clone)]
pub struct Reported {
    pub file: String,
    /// Canonical.
    pub path: PathBuf,
    pub hit: Hit,
}

/// The findings at or above `threshold` on the changed lines of each file, sorted by file and
/// position. Files gavel does not check, and deleted files, give none; a file outside the
/// project or one that cannot be read is an error.
pub fn findings(
    checker: &Checker,
    project: &Project,
    files: &[EditedFile],
    threshold: Severity,
) -> Result<Vec<Reported>, String> {
    let mut out = Vec::new();
    for edited in files {
        let Some(file) = project.file(&edited.path)? else {
            continue;
        };
        let (text, hits) = match checker.check(&file.path) {
            FileOutcome::Checked { text, hits } => (text, hits),
            FileOutcome::Skipped => continue,
            FileOutcome::Failed(e) => return Err(e),
        };
        let lines = changed_lines(&text, &edited.change);
        out.extend(
            hits.into_iter()
                .filter(|h| h.severity >= threshold && lines.touches(h.start, h.end))
                .map(|hit| Reported {
                    file: file.display.clone(),
                    path: file.path.clone(),
                    hit,
                }),
        );
    }
    out.sort_by(|a, b| {
        (&a.file, a.hit.start, &a.hit.rule).cmp(&(&b.file, b.hit.start, &b.hit.rule))
    });
    out.dedup_by(|a, b| a.file == b.file && a.hit.start == b.hit.start && a.hit.rule == b.hit.rule);
    Ok(out)
}

/// The text an agent reads: `intro`, then each finding with its fix, then how many more.
pub fn render(intro: &str, found: &[Reported]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{intro}");
    for r in found.iter().take(MAX_SHOWN) {
        let h = &r.hit;
        let _ = writeln!(
            out,
            "{}:{}:{}: {}",
            r.file, h.start.line, h.start.column, h.message
        );
        if !h.fix.is_empty() {
            let edits: Vec<String> = h.fix.iter().map(describe_edit).collect();
            let _ = writeln!(out, "  fix: {}", edits.join("; "));
        }
    }
    if found.len() > MAX_SHOWN {
        let mut files: Vec<&str> = found.iter().map(|r| r.file.as_str()).collect();
        files.dedup();
        let _ = writeln!(
            out,
            "and {} more (`gavel check {}` lists them all)",
            found.len() - MAX_SHOWN,
            files.join(" ")
        );
    }
    out.truncate(out.trim_end().len());
    out
}

/// The opening line: how many findings, and where.
pub fn intro(count: usize, when: &str) -> String {
    let s = if count == 1 { "" } else { "s" };
    format!(
        "gavel found {count} problem{s} on the lines you changed{when}. Fix each one before \
         you go on; a fix's positions are in the file as it is now:"
    )
}

fn describe_edit(e: &FixEdit) -> String {
    let text = serde_json::to_string(&e.text).unwrap_or_default();
    if e.start == e.end {
        return format!(
            "insert at line {} col {} {text}",
            e.start.line, e.start.column
        );
    }
    let verb = if e.text.is_empty() {
        "delete".to_string()
    } else {
        "replace".to_string()
    };
    let with = if e.text.is_empty() {
        String::new()
    } else {
        format!(" with {text}")
    };
    if e.start.line == e.end.line {
        format!(
            "{verb} line {} col {}-{}{with}",
            e.start.line,
            e.start.column,
            e.end.column - 1
        )
    } else {
        format!(
            "{verb} from line {} col {} up to line {} col {}{with}",
            e.start.line, e.start.column, e.end.line, e.end.column
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Pos;

    fn edit(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> FixEdit {
        FixEdit {
            start: Pos {
                line: l1,
                column: c1,
            },
            end: Pos {
                line: l2,
                column: c2,
            },
            text: text.into(),
        }
    }

    #[test]
    fn edits_read_unambiguously() {
        assert_eq!(
            describe_edit(&edit(3, 1, 3, 25, "acme_http")),
            r#"replace line 3 col 1-24 with "acme_http""#
        );
        assert_eq!(
            describe_edit(&edit(3, 5, 3, 10, "")),
            "delete line 3 col 5-9"
        );
        assert_eq!(
            describe_edit(&edit(1, 1, 1, 1, "import a\n")),
            r#"insert at line 1 col 1 "import a\n""#
        );
        assert_eq!(
            describe_edit(&edit(3, 5, 5, 1, "x \"y\"")),
            r#"replace from line 3 col 5 up to line 5 col 1 with "x \"y\"""#
        );
    }
}
