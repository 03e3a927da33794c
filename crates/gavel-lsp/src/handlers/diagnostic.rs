//! `textDocument/diagnostic` (pull): the findings of the document's current version, or the
//! errors of a policy file; "unchanged" when the client already has them.
//!
//! Never less than the truth: while a change's reparse is pending, the answer is the provisional
//! check when one can be made, else the pull waits for the reparse (at most `parseTimeoutMs`
//! and a second) and checks the version it finished. Only when no reparse is coming (it timed
//! out) does it fall back to the document's last check, and to an error if it has none: never
//! an empty "clean" list it did not compute.

use std::{sync::Arc, time::Duration};

use tower_lsp_server::{
    jsonrpc::{Error, Result},
    ls_types::{
        Diagnostic, DocumentDiagnosticParams, DocumentDiagnosticReport,
        DocumentDiagnosticReportResult, FullDocumentDiagnosticReport,
        RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
        UnchangedDocumentDiagnosticReport,
    },
};

use crate::{
    check::CheckResult,
    guard, policy_state,
    session::{Session, Snapshot},
};

pub async fn handle(
    session: &Arc<Session>,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let generation = session.policies().generation();
    // Before the snapshot, so that no reparse ending after it goes unnoticed.
    let reparsed = session.reparsed.subscribe();
    let snap = guard::sync("diagnostic", || session.snapshot(&uri))
        .ok_or_else(|| guard::panicked("diagnostic"))?;
    let Some(snap) = snap else {
        if let Some((d, version)) = session.notice(&uri) {
            return Ok(full(format!("n{generation}v{version}"), vec![d]));
        }
        // A policy file, or a document gavel does not check.
        let items = policy_state::diagnostics(session)
            .remove(&uri)
            .unwrap_or_default();
        return Ok(full(format!("p{generation}:{}", items.len()), items));
    };
    let result_id = format!("g{}v{}", snap.generation, snap.version);
    if params.previous_result_id.as_deref() == Some(result_id.as_str())
        && session
            .docs
            .get(&uri)
            .and_then(|e| e.result.as_ref().map(|r| r.version == snap.version))
            .unwrap_or(false)
    {
        return Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id,
                },
            }),
        ));
    }
    let session = session.clone();
    guard::request("diagnostic", async move {
        let r = truth(&session, snap, reparsed).await.ok_or_else(|| Error {
            message: "not checked yet: its parse timed out; checked again at the next change"
                .into(),
            ..Error::internal_error()
        })?;
        Ok(full(
            format!("g{}v{}", r.generation, r.version),
            r.diagnostics.clone(),
        ))
    })
    .await
}

/// The check of `snap`, or of the version whose pending reparse it waited for.
async fn truth(
    session: &Session,
    mut snap: Snapshot,
    mut reparsed: tokio::sync::watch::Receiver<u64>,
) -> Option<Arc<CheckResult>> {
    let uri = snap.uri.clone();
    let wait = session.settings().limits().parse_timeout + Duration::from_secs(1);
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if let Some(r) = session.result(snap).await {
            return Some(r);
        }
        // No check could be made on the stale tree: wait for its reparse.
        let pending = session.docs.get(&uri).is_some_and(|e| e.is_stale());
        if !pending
            || tokio::time::timeout_at(deadline, reparsed.changed())
                .await
                .is_err()
        {
            break;
        }
        snap = session.snapshot(&uri)?;
    }
    tracing::warn!(
        "{}: no check of the current version; answering the last one",
        uri.as_str()
    );
    session.docs.get(&uri)?.result.clone()
}

fn full(result_id: String, items: Vec<Diagnostic>) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(result_id),
                items,
            },
        },
    ))
}
