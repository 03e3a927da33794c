//! `initialized`: load the workspace's policies, report their state, and watch policy files
//! (through the client when it offers dynamic registration, else by polling), and watch git
//! for provenance.

use std::sync::Arc;

use crate::{git_watch, policy_state, session::Session, watch, watchers};

pub fn handle(session: &Arc<Session>) {
    let session = session.clone();
    tokio::spawn(async move {
        let policies = session.policies();
        let _ = tokio::task::spawn_blocking(move || policies.for_file(None)).await;
        // Before anything is announced: a change after the load is a change.
        let baseline = watch::signature_of(&session).await;
        policy_state::announce(&session);
        git_watch::start(&session);
        let caps = session.caps();
        let watched = caps.watch_files && watchers::register(&session).await;
        // Without relative patterns a client watches only inside its workspace folders.
        if !watched || !caps.relative_patterns {
            tracing::info!("polling policy files");
            watch::start(&session, baseline);
        }
    });
}
