//! `workspace/didChangeWatchedFiles`: a policy file changed on disk, so reload.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;

use crate::{from_proto, policy_state, session::Session};

pub fn handle(session: &Arc<Session>, params: DidChangeWatchedFilesParams) {
    let policies = session.policies();
    let relevant = params
        .changes
        .iter()
        .filter_map(|c| from_proto::path(&c.uri))
        .any(|p| policies.is_policy_file(&p));
    if relevant {
        policy_state::reload(session);
    }
}
