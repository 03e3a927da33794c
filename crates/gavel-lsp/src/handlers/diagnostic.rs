//! `textDocument/diagnostic` (pull): the findings of the document's current version, or the
//! errors of a policy file; "unchanged" when the client already has them.

use std::sync::Arc;

use tower_lsp_server::{
    jsonrpc::Result,
    ls_types::{
        Diagnostic, DocumentDiagnosticParams, DocumentDiagnosticReport,
        DocumentDiagnosticReportResult, FullDocumentDiagnosticReport,
        RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
        UnchangedDocumentDiagnosticReport,
    },
};

use crate::{guard, policy_state, session::Session};

pub async fn handle(
    session: &Arc<Session>,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let generation = session.policies().generation();
    let snap = guard::sync("diagnostic", || session.snapshot(&uri))
        .ok_or_else(|| guard::panicked("diagnostic"))?;
    let Some(snap) = snap else {
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
        let items = match session.result(snap).await {
            Some(r) => r.diagnostics.clone(),
            None => Vec::new(),
        };
        Ok(full(result_id, items))
    })
    .await
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
