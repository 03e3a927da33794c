//! `gavel/documentState` (and the `gavel.documentState` command): what the server holds for a
//! document, for tests and clients.

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::{
    jsonrpc::{Error, Result},
    ls_types::Uri,
};

use crate::{document::Body, session::Session};

pub fn handle(session: &Arc<Session>, params: Value) -> Result<Value> {
    let uri = params
        .get("uri")
        .or_else(|| params.get(0))
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<Uri>().ok())
        .ok_or_else(|| Error::invalid_params("expected { \"uri\": \"file:///...\" }"))?;
    let Some(entry) = session.docs.get(&uri) else {
        return Err(Error::invalid_params(format!(
            "{} is not open",
            uri.as_str()
        )));
    };
    let (checked, stale) = match &entry.body {
        Body::Source(d) => (true, d.is_stale()),
        Body::Text { .. } => (false, false),
    };
    // The syntax tree as an S-expression, on request (`"tree": true`).
    let tree = match &entry.body {
        Body::Source(d) if params.get("tree") == Some(&Value::Bool(true)) => {
            d.tree().map(|t| t.root_node().to_sexp())
        }
        _ => None,
    };
    Ok(json!({
        "uri": uri.as_str(),
        "version": entry.version(),
        "language": entry.lang().map(|l| l.name()),
        "checked": checked,
        "staleTree": stale,
        "length": entry.rope().len_bytes(),
        "text": entry.rope().to_string(),
        "tree": tree,
        "findings": entry.result.as_ref().map(|r| json!({
            "version": r.version,
            "count": r.findings.len(),
            "chunks": r.stats.map(|s| s.chunks),
            "rechecked": r.stats.map(|s| s.rechecked),
            "provisional": r.provisional,
            "provenance": r.findings.iter().map(|f| f.provenance.as_str()).collect::<Vec<_>>(),
        })),
        // 0-based inclusive line ranges.
        "aiLines": entry.ai.ranges(),
        "provenance": entry.result.as_ref().map(|r| json!({
            "ai": r.marks.ranges(|f| f.ai),
            "changed": r.marks.ranges(|f| f.changed == Some(true)),
        })),
    }))
}
