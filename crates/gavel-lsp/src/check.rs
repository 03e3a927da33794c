//! Checking a snapshot, caching the result per document, and the push worker that keeps pushed
//! diagnostics up to date without ever publishing an older version's.

use std::sync::Arc;

use gavel_engine::{FileInput, Finding};
use gavel_syntax::{LineIndex, WideEncoding};
use tower_lsp_server::ls_types::{Diagnostic, Uri};

use crate::{
    session::{Session, Snapshot},
    to_proto::{self, Positions},
};

/// The findings of one version of a document, with what is needed to place them.
pub struct CheckResult {
    pub version: i32,
    pub generation: u64,
    pub text: String,
    pub index: LineIndex,
    pub enc: WideEncoding,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckResult {
    pub fn positions(&self) -> Positions<'_> {
        Positions {
            text: &self.text,
            index: &self.index,
            enc: self.enc,
        }
    }
}

/// Check a snapshot. `None` when its tree is stale (a parse timed out): the previous
/// diagnostics stay rather than vanish.
pub fn run(s: &Snapshot) -> Option<CheckResult> {
    let tree = s.tree.as_ref()?;
    let text = s.rope.to_string();
    let findings = match &s.path {
        Some(p) if s.config.is_excluded(p) => Vec::new(),
        _ => {
            let rel = match &s.path {
                Some(p) => s.config.rel_path(p),
                None => String::new(),
            };
            s.config
                .rules
                .check(&FileInput {
                    source: &text,
                    tree,
                    lang: s.lang,
                    path: &rel,
                })
                .findings
        }
    };
    let index = LineIndex::new(&text);
    let pos = Positions {
        text: &text,
        index: &index,
        enc: s.enc,
    };
    let diagnostics = findings
        .iter()
        .map(|f| to_proto::diagnostic(f, &pos))
        .collect();
    Some(CheckResult {
        version: s.version,
        generation: s.generation,
        text,
        index,
        enc: s.enc,
        findings,
        diagnostics,
    })
}

impl Session {
    /// The check result for a snapshot: the cached one if it is for the same version and
    /// policies, else a fresh check on a blocking thread (cached if still the newest).
    pub async fn result(&self, snap: Snapshot) -> Option<Arc<CheckResult>> {
        if let Some(entry) = self.docs.get(&snap.uri)
            && let Some(r) = &entry.result
            && r.version == snap.version
            && r.generation == snap.generation
        {
            return Some(r.clone());
        }
        let uri = snap.uri.clone();
        let result = match tokio::task::spawn_blocking(move || run(&snap)).await {
            Ok(r) => Arc::new(r?),
            Err(e) => {
                tracing::error!("checking {} failed: {e}", uri.as_str());
                return None;
            }
        };
        if let Some(mut entry) = self.docs.get_mut(&uri) {
            let newer = entry.result.as_ref().is_none_or(|old| {
                (old.generation, old.version) <= (result.generation, result.version)
            });
            if newer {
                entry.result = Some(result.clone());
            }
        }
        Some(result)
    }

    /// Is `r` still for the document's current version and policies?
    pub fn is_current(&self, uri: &Uri, version: i32, generation: u64) -> bool {
        self.docs.get(uri).is_some_and(|e| e.version() == version)
            && self.policies().generation() == generation
    }
}

/// Push diagnostics for a document once checked (push clients only). At most one worker runs
/// per document; it loops until it has published the current version.
pub fn schedule_push(session: &Arc<Session>, uri: &Uri) {
    if session.caps().pull {
        return;
    }
    {
        let Some(mut entry) = session.docs.get_mut(uri) else {
            return;
        };
        if entry.checking {
            return;
        }
        entry.checking = true;
    }
    let session = session.clone();
    let uri = uri.clone();
    tokio::spawn(async move {
        loop {
            let Some(snap) = session.snapshot(&uri) else {
                if let Some(mut e) = session.docs.get_mut(&uri) {
                    e.checking = false;
                }
                return;
            };
            let (version, generation) = (snap.version, snap.generation);
            let result = session.result(snap).await;
            if let Some(r) = result
                && session.is_current(&uri, version, generation)
            {
                session
                    .client
                    .publish_diagnostics(uri.clone(), r.diagnostics.clone(), Some(r.version))
                    .await;
            }
            let Some(mut entry) = session.docs.get_mut(&uri) else {
                return;
            };
            if entry.version() == version && session.policies().generation() == generation {
                entry.checking = false;
                return;
            }
        }
    });
}
