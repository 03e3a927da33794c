//! What was negotiated with the client at `initialize`.

use gavel_syntax::WideEncoding;
use tower_lsp_server::ls_types::{ClientCapabilities, PositionEncodingKind};

/// The client's abilities that change what the server does.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    pub encoding: WideEncoding,
    /// Diagnostics are pulled (`textDocument/diagnostic`); otherwise they are pushed.
    pub pull: bool,
    /// The client can be asked to pull again (`workspace/diagnostic/refresh`).
    pub refresh: bool,
    /// The client watches files for us after a dynamic registration.
    pub watch_files: bool,
    /// The client takes relative patterns (a base URI and a glob) for file watchers.
    pub relative_patterns: bool,
    pub show_document: bool,
    pub work_done_progress: bool,
}

impl Default for Caps {
    fn default() -> Caps {
        Caps {
            encoding: WideEncoding::Utf16,
            pull: false,
            refresh: false,
            watch_files: false,
            relative_patterns: false,
            show_document: false,
            work_done_progress: false,
        }
    }
}

impl Caps {
    pub fn negotiate(c: &ClientCapabilities) -> Caps {
        let offers_utf8 = c
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
        let text = c.text_document.as_ref();
        let workspace = c.workspace.as_ref();
        let window = c.window.as_ref();
        Caps {
            encoding: if offers_utf8 {
                WideEncoding::Utf8
            } else {
                WideEncoding::Utf16
            },
            pull: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
            refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            watch_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            relative_patterns: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.relative_pattern_support)
                .unwrap_or(false),
            show_document: window
                .and_then(|w| w.show_document.as_ref())
                .is_some_and(|s| s.support),
            work_done_progress: window.and_then(|w| w.work_done_progress).unwrap_or(false),
        }
    }

    pub fn encoding_kind(&self) -> PositionEncodingKind {
        match self.encoding {
            WideEncoding::Utf8 => PositionEncodingKind::UTF8,
            WideEncoding::Utf16 => PositionEncodingKind::UTF16,
            WideEncoding::Scalar => PositionEncodingKind::UTF32,
        }
    }
}
