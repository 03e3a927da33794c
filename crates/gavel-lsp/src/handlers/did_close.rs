//! `textDocument/didClose`: forget the document and, for a push client, clear its diagnostics.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use crate::session::Session;

pub fn handle(session: &Arc<Session>, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    if session.docs.remove(&uri).is_none() {
        tracing::warn!("didClose for {}, which is not open", uri.as_str());
    }
    if !session.caps().pull {
        let session = session.clone();
        tokio::spawn(async move {
            session
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        });
    }
}
