//! `gavel check --fix` for one file: the engine's fix loop, then an atomic write that loses
//! nothing (gavel-workspace's `write_fixed`). What was fixed, refused or not written is told on
//! stderr, with the file's name.

use gavel_engine::FileReport;
use gavel_workspace::{Fixed, Source, write_fixed};

/// Fix `text` (the file's contents, as read) and write the result over the file.
pub fn fix_file(source: &Source<'_>, text: String, original_report: FileReport) -> Fixed {
    let (path, display) = (source.path, source.display);
    if let Some(encoding) = source.decoded_from {
        eprintln!(
            "note: {display}: not fixed: it is {encoding}, and gavel writes fixes to UTF-8 \
             files only"
        );
        return Fixed::unchanged(text, original_report);
    }
    let outcome = source.fix(&text, original_report.clone());
    for p in &outcome.problems {
        eprintln!("warning: {display}: {p}");
    }
    if outcome.text == text {
        return Fixed::unchanged(text, original_report);
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
