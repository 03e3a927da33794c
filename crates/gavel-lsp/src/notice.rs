//! Documents gavel does not check, and say so on the document rather than leave its old
//! diagnostics (or none) behind: a file grown over the size limit, and a document whose text
//! fell out of step with the editor's (an edit whose range ends before it starts).
//!
//! An out-of-step document is not checked again until a full-text change or a reopen: its
//! findings would sit at the wrong places.

use gavel_syntax::Change;
use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range};

use crate::document::{Body, DocEntry};

/// Why a batch of changes cannot be what the client meant for `rope`: a range ending before it
/// starts (applied, it would only insert, dropping the deletion the client made). `None` when
/// every change fits; a full-text change forgets earlier problems. Positions past the end of a
/// line or of the text are clamped, as LSP says for columns (tests/differential.rs).
pub fn problem(changes: &[Change<'_>]) -> Option<String> {
    let mut problem = None;
    for change in changes {
        match change {
            Change::Full(_) => problem = None,
            Change::Ranged { start, end, .. } => {
                if (end.line, end.col) < (start.line, start.col) {
                    problem = Some(format!(
                        "an edit ending (line {}, column {}) before it starts (line {}, column {})",
                        end.line + 1,
                        end.col + 1,
                        start.line + 1,
                        start.col + 1
                    ));
                }
            }
        }
    }
    problem
}

/// The one diagnostic an unchecked source document gets, if it is one.
pub fn notice(entry: &DocEntry, max_bytes: usize) -> Option<Diagnostic> {
    if let Some(why) = &entry.out_of_sync {
        let message = format!(
            "gavel stopped checking this file: {why}, so its copy of the text no longer matches \
             the editor's. Close and reopen the file to check it again."
        );
        return Some(diagnostic(
            "gavel.out-of-sync",
            DiagnosticSeverity::WARNING,
            message,
        ));
    }
    match &entry.body {
        Body::Text {
            rope,
            lang: Some(_),
            ..
        } if rope.len_bytes() > max_bytes => {
            let message = format!(
                "gavel does not check this file: {} bytes, over the limit of {max_bytes} (the \
                 maxFileBytes setting)",
                rope.len_bytes()
            );
            Some(diagnostic(
                "gavel.too-large",
                DiagnosticSeverity::INFORMATION,
                message,
            ))
        }
        _ => None,
    }
}

fn diagnostic(code: &str, severity: DiagnosticSeverity, message: String) -> Diagnostic {
    Diagnostic {
        range: Range::new(Position::new(0, 0), Position::new(0, 0)),
        severity: Some(severity),
        code: Some(NumberOrString::String(code.into())),
        source: Some("gavel".into()),
        message,
        ..Diagnostic::default()
    }
}
