//! `gavel check --fix` for one file: the engine's fix loop, then an atomic write that loses
//! nothing (gavel-workspace's `write_fixed`). What was fixed, refused or not written is told on
//! stderr, with the file's name.

use std::path::Path;

use gavel_engine::{FileReport, fix_text};
use gavel_syntax::Lang;
use gavel_workspace::write_fixed;

/// What fixing one file gave.
pub struct Fixed {
    /// The text now on disk, and its check.
    pub text: String,
    pub report: FileReport,
    /// Fixes written.
    pub fixed: usize,
    /// The file was left unchanged because it could not be written.
    pub error: Option<String>,
}

/// Fix `text` (the file's contents, as read) and write the result over `path`.
pub fn fix_file(
    path: &Path,
    display: &str,
    lang: Lang,
    text: String,
    check: impl FnMut(&str) -> FileReport,
    original_report: FileReport,
) -> Fixed {
    let outcome = fix_text(lang, &text, original_report.clone(), check);
    for p in &outcome.problems {
        eprintln!("warning: {display}: {p}");
    }
    if outcome.text == text {
        return Fixed {
            text,
            report: original_report,
            fixed: 0,
            error: None,
        };
    }
    match write_fixed(path, text.as_bytes(), &outcome.text) {
        Ok(()) => Fixed {
            text: outcome.text,
            report: outcome.report,
            fixed: outcome.fixed,
            error: None,
        },
        // The file is as it was: report what is in it.
        Err(e) => Fixed {
            text,
            report: original_report,
            fixed: 0,
            error: Some(format!("{display}: {e}")),
        },
    }
}
