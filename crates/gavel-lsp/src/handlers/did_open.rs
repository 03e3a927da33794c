//! `textDocument/didOpen`: parse the document and check it.

use std::sync::Arc;

use gavel_syntax::Lang;
use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::{check::schedule_push, document::DocEntry, from_proto, guard, session::Session};

pub fn handle(session: &Arc<Session>, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let path = from_proto::path(&doc.uri);
    let lang = path
        .as_deref()
        .and_then(Lang::from_path)
        .or_else(|| Lang::from_name(&doc.language_id));
    let limits = session.settings().limits();
    let opened = guard::sync("didOpen", || {
        let entry = DocEntry::open(path, lang, &doc.text, doc.version, &limits);
        session.docs.insert(doc.uri.clone(), entry);
    });
    if opened.is_none() {
        return;
    }
    // A pulling client pulls this document's diagnostics; drop what a scan pushed for it.
    if session.caps().pull && session.scanned.remove(&doc.uri).is_some() {
        let session = session.clone();
        let uri = doc.uri.clone();
        tokio::spawn(async move {
            session
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        });
    }
    schedule_push(session, &doc.uri);
}
