//! `textDocument/didSave`: saving a policy file reloads the policies and re-checks every open
//! document.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use crate::{from_proto, policy_state, session::Session};

pub fn handle(session: &Arc<Session>, params: DidSaveTextDocumentParams) {
    if let Some(path) = from_proto::path(&params.text_document.uri)
        && session.policies().is_policy_file(&path)
    {
        tracing::info!("{} saved; reloading the policies", path.display());
        policy_state::reload(session);
    }
}
