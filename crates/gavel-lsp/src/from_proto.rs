//! LSP → gavel: positions to byte offsets (clamped), content changes to [`Change`]s, URIs to
//! paths.

use std::path::PathBuf;

use gavel_syntax::{Change, LineCol};
use tower_lsp_server::ls_types::{Position, TextDocumentContentChangeEvent, Uri};

pub fn line_col(p: Position) -> LineCol {
    LineCol {
        line: p.line,
        col: p.character,
    }
}

pub fn change(c: &TextDocumentContentChangeEvent) -> Change<'_> {
    match c.range {
        None => Change::Full(&c.text),
        Some(r) => Change::Ranged {
            start: line_col(r.start),
            end: line_col(r.end),
            text: &c.text,
        },
    }
}

/// The file a `file:` URI names; `None` for other schemes (`untitled:`, ...).
pub fn path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}
