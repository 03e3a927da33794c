//! Policy files as documents: their errors become diagnostics at the right position, a
//! `gavel/status` notification tells clients how many rules are active or what is broken, and a
//! reload re-checks every open document.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::Arc,
};

use gavel_policy::PolicyError;
use gavel_syntax::{LineCol, LineIndex, WideEncoding};
use gavel_workspace::WorkspaceError;
use serde_json::{Value, json};
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticSeverity, Position, Range, Uri, notification::Notification,
};

use crate::{check::schedule_push, session::Session};

/// `gavel/status`: the number of active rules and the policy errors.
pub enum Status {}

impl Notification for Status {
    type Params = Value;
    const METHOD: &'static str = "gavel/status";
}

/// Load the policies again, report their state and re-check every open document.
pub fn reload(session: &Arc<Session>) {
    let session = session.clone();
    tokio::spawn(async move {
        let policies = session.policies();
        // Open documents may now fall under a new `gavel.toml`: load it before reporting.
        let paths: Vec<_> = session.docs.iter().filter_map(|e| e.path.clone()).collect();
        let reload = move || {
            policies.reload();
            policies.for_file(None);
            for p in &paths {
                policies.for_file(Some(p));
            }
        };
        if let Err(e) = tokio::task::spawn_blocking(reload).await {
            tracing::error!("reloading the policies failed: {e}");
        }
        announce(&session);
        recheck_all(&session);
        // A reload can change what the configs name: watch that.
        if session.caps().watch_files && session.watched.lock().expect("not poisoned").is_some() {
            crate::watchers::register(&session).await;
        }
    });
}

/// Re-check every open document: pushed again, or the client is asked to pull again.
pub fn recheck_all(session: &Arc<Session>) {
    if session.caps().pull {
        if session.caps().refresh {
            let session = session.clone();
            tokio::spawn(async move {
                if let Err(e) = session.client.workspace_diagnostic_refresh().await {
                    tracing::warn!("workspace/diagnostic/refresh failed: {e}");
                }
            });
        }
        return;
    }
    let uris: Vec<Uri> = session.docs.iter().map(|e| e.key().clone()).collect();
    for uri in uris {
        schedule_push(session, &uri);
    }
}

/// Publish the policy errors on their files (clearing files that no longer have any) and send
/// `gavel/status`.
pub fn announce(session: &Arc<Session>) {
    let session = session.clone();
    tokio::spawn(async move {
        let by_file = diagnostics(&session);
        let previous = std::mem::replace(
            &mut *session
                .policy_diagnostic_files
                .lock()
                .expect("not poisoned"),
            by_file.keys().cloned().collect(),
        );
        let pull = session.caps().pull;
        for uri in previous {
            let cleared = !by_file.contains_key(&uri);
            let pulled = pull && session.docs.contains_key(&uri);
            if cleared && !pulled {
                session
                    .client
                    .publish_diagnostics(uri, Vec::new(), None)
                    .await;
            }
        }
        for (uri, items) in by_file {
            // A pulling client asks for the open ones itself.
            if !(pull && session.docs.contains_key(&uri)) {
                session.client.publish_diagnostics(uri, items, None).await;
            }
        }
        session
            .client
            .send_notification::<Status>(status(&session))
            .await;
    });
}

pub fn status(session: &Session) -> Value {
    let policies = session.policies();
    let errors: Vec<Value> = policies
        .errors()
        .iter()
        .map(|e| match e {
            WorkspaceError::Policy(p) => json!({
                "file": absolute(&policies, &p.file).display().to_string(),
                "line": p.line,
                "column": p.column,
                "message": p.message,
            }),
            WorkspaceError::Io { path, message } => json!({
                "file": crate::named::normalise(path).display().to_string(),
                "line": 1,
                "column": 1,
                "message": message,
            }),
        })
        .collect();
    json!({
        "state": if errors.is_empty() { "ok" } else { "error" },
        "rules": policies.rule_count(),
        "errors": errors,
    })
}

/// The file an error is in, absolute and normalised (no `dir/../x`), so that its diagnostics go
/// to the URI the editor has the file open under.
fn absolute(policies: &crate::policies::Policies, file: &str) -> PathBuf {
    let p = Path::new(file);
    crate::named::normalise(&if p.is_absolute() {
        p.to_path_buf()
    } else {
        policies.default_dir().join(p)
    })
}

/// The policy errors as diagnostics, by file.
pub fn diagnostics(session: &Session) -> HashMap<Uri, Vec<Diagnostic>> {
    let policies = session.policies();
    let enc = session.caps().encoding;
    let mut out: HashMap<Uri, Vec<Diagnostic>> = HashMap::new();
    for e in policies.errors() {
        let WorkspaceError::Policy(p) = e else {
            continue;
        };
        if p.file.starts_with("builtin:") {
            continue;
        }
        let path = absolute(&policies, &p.file);
        let Some(uri) = Uri::from_file_path(&path) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        out.entry(uri).or_default().push(Diagnostic {
            range: range(&text, &p, enc),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("gavel".to_string()),
            message: p.message.clone(),
            ..Diagnostic::default()
        });
    }
    out
}

fn range(text: &str, e: &PolicyError, enc: WideEncoding) -> Range {
    let index = LineIndex::new(text);
    let (start, end) = match &e.span {
        Some(span) => (span.start, span.end),
        None => {
            let at = index.offset(
                text,
                LineCol {
                    line: e.line.saturating_sub(1),
                    col: e.column.saturating_sub(1),
                },
                WideEncoding::Scalar,
            );
            (at, at)
        }
    };
    let p = |o: usize| {
        let lc = index.line_col(text, o, enc);
        Position::new(lc.line, lc.col)
    };
    Range::new(p(start), p(end))
}
