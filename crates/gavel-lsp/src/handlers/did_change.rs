//! `textDocument/didChange`: apply the edits synchronously, before any `.await`, so they keep
//! the order they were sent in; then schedule a check, and finish a reparse that passed its
//! budget on another thread ([`crate::finish`]).

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
            return None;
        };
        let changes: Vec<Change<'_>> = params
            .content_changes
            .iter()
            .map(from_proto::change)
            .collect();
        if version > entry.version() {
            let rope = entry.rope().clone();
            crate::provenance::track(&mut entry.ai, &rope, &changes, enc, burst_lines);
            let problem = crate::notice::problem(&changes);
            if let Some(why) = &problem {
                tracing::error!(
                    "{}: {why}; its text no longer matches the client's, not checked until \
                     reopened",
                    uri.as_str()
                );
            }
            if problem.is_some() || changes.iter().any(|c| matches!(c, Change::Full(_))) {
                entry.out_of_sync = problem;
            }
        }
        match entry.apply(version, &changes, enc, &limits) {
            // Past the reparse budget: the parse is finished on another thread.
            Ok(_) => Some(entry.pending()),
            Err(e) => {
                tracing::warn!("didChange for {} ignored: {e}", uri.as_str());
                None
            }
        }
    });
    match applied {
        Some(Some(pending)) => {
            schedule_push(session, &uri);
            if let Some(pending) = pending {
                crate::finish::spawn(session, &uri, pending);
            }
        }
        Some(None) => {}
        None => {
            // The document may be half edited: forget it rather than check the wrong text.
            session.docs.remove(&uri);
            tracing::error!("{} is no longer tracked; reopen it", uri.as_str());
        }
    }
}
