//! `textDocument/didChange`: apply the edits synchronously, before any `.await`, so they keep
//! the order they were sent in; then schedule a check.

use std::sync::Arc;

use gavel_syntax::Change;
use tower_lsp_server::ls_types::DidChangeTextDocumentParams;

use crate::{check::schedule_push, from_proto, guard, session::Session};

pub fn handle(session: &Arc<Session>, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    let enc = session.caps().encoding;
    let limits = session.settings().limits();
    // Loading a config can read files: do it before taking the document's lock.
    let burst_lines = session.docs.get(&uri).and_then(|e| e.path.clone()).map_or(
        crate::provenance::DEFAULT_BURST_LINES,
        |p| {
            session
                .policies()
                .for_file(Some(&p))
                .provenance
                .burst_lines
                .unwrap_or(crate::provenance::DEFAULT_BURST_LINES)
        },
    );
    let applied = guard::sync("didChange", || {
        let Some(mut entry) = session.docs.get_mut(&uri) else {
            tracing::warn!("didChange for {}, which is not open; ignored", uri.as_str());
            return false;
        };
        let changes: Vec<Change<'_>> = params
            .content_changes
            .iter()
            .map(from_proto::change)
            .collect();
        if version > entry.version() {
            let rope = entry.rope().clone();
            crate::provenance::track(&mut entry.ai, &rope, &changes, enc, burst_lines);
        }
        match entry.apply(version, &changes, enc, &limits) {
            Ok(_) => true,
            Err(e) => {
                tracing::warn!("didChange for {} ignored: {e}", uri.as_str());
                false
            }
        }
    });
    match applied {
        Some(true) => schedule_push(session, &uri),
        Some(false) => {}
        None => {
            // The document may be half edited: forget it rather than check the wrong text.
            session.docs.remove(&uri);
            tracing::error!("{} is no longer tracked; reopen it", uri.as_str());
        }
    }
}
