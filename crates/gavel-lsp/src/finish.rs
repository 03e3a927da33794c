//! Finishing a reparse that passed a change's budget.
//!
//! `didChange` waits for the incremental reparse at most `reparseBudgetMs`: usually it takes a
//! millisecond or two, but an edit that starts error recovery in a large file can take as long as
//! a parse from scratch. Past the budget the document keeps its text, its tree goes stale, and
//! the push worker publishes a provisional check ([`crate::check`]). Meanwhile the reparse is
//! finished here, on a blocking thread, within `parseTimeoutMs`, and installed unless a newer
//! change came first (that change's own reparse, or its own finisher, takes over). Once
//! installed, the document is checked again: pushed, or the client is asked to pull again. Pulls
//! that found no check possible meanwhile wait for it (`Session::reparsed`).

use std::{sync::Arc, time::Instant};

use gavel_syntax::PendingParse;
use tower_lsp_server::ls_types::Uri;

use crate::{check::schedule_push, session::Session};

/// Finish `pending`, the reparse of `uri` that passed its budget, then check the document again.
pub fn spawn(session: &Arc<Session>, uri: &Uri, pending: PendingParse) {
    let session = session.clone();
    let uri = uri.clone();
    tokio::spawn(async move {
        let _done = Done(session.clone());
        let start = Instant::now();
        let deadline = start + session.settings().limits().parse_timeout;
        let (s, u, job) = (session.clone(), uri.clone(), pending.clone());
        let parsed = tokio::task::spawn_blocking(move || {
            // A newer change has a reparse of its own: skip the work if one came already.
            let current = s.docs.get(&u).is_some_and(|e| e.version() == job.version());
            current.then(|| job.run(Some(deadline)))
        });
        let tree = match parsed.await {
            Ok(Some(Ok(tree))) => tree,
            Ok(Some(Err(e))) => {
                tracing::warn!("{}: {e}; checked again at the next change", uri.as_str());
                return;
            }
            Ok(None) => return,
            Err(e) => {
                tracing::error!("reparsing {} failed: {e}", uri.as_str());
                return;
            }
        };
        let installed = session
            .docs
            .get_mut(&uri)
            .is_some_and(|mut e| e.finish(&pending, tree));
        tracing::debug!(
            "{}: reparse of version {} finished in {:?}; installed: {installed}",
            uri.as_str(),
            pending.version(),
            start.elapsed()
        );
        if !installed {
            return;
        }
        session.reparsed.send_modify(|n| *n += 1);
        if session.caps().pull {
            if session.caps().refresh
                && let Err(e) = session.client.workspace_diagnostic_refresh().await
            {
                tracing::warn!("workspace/diagnostic/refresh failed: {e}");
            }
        } else {
            schedule_push(&session, &uri);
        }
    });
}

/// Tells waiting pulls that a reparse ended, however it ended.
struct Done(Arc<Session>);

impl Drop for Done {
    fn drop(&mut self) {
        self.0.reparsed.send_modify(|n| *n += 1);
    }
}
