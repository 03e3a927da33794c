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
