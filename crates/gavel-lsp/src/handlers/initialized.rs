//! `initialized`: load the workspace's policies, report their state, and watch policy files
//! (through the client when it offers dynamic registration, else by polling), and watch git
//! for provenance.

use std::sync::Arc;

use serde_json::json;
use tower_lsp_server::ls_types::Registration;

use crate::{git_watch, policy_state, session::Session, watch};

pub fn handle(session: &Arc<Session>) {
    let session = session.clone();
    tokio::spawn(async move {
        let policies = session.policies();
        let _ = tokio::task::spawn_blocking(move || policies.for_file(None)).await;
        policy_state::announce(&session);
        git_watch::start(&session);
        if session.caps().watch_files {
            let registration = Registration {
                id: "gavel-policy-files".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: Some(json!({
                    "watchers": [{ "globPattern": "**/*.toml" }]
                })),
            };
            if let Err(e) = session.client.register_capability(vec![registration]).await {
                tracing::warn!("the client refused to watch policy files ({e}); polling instead");
                watch::start(&session);
            }
        } else {
            watch::start(&session);
        }
    });
}
