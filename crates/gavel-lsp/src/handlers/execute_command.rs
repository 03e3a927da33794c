//! `workspace/executeCommand`: scan the workspace, reload the policies, open a sanctioned
//! library's docs, and inspect a document.

use std::{sync::Arc, time::Duration};

use serde_json::{Value, json};
use tower_lsp_server::{
    jsonrpc::{Error, Result},
    ls_types::{ExecuteCommandParams, LSPAny, MessageType, ShowDocumentParams, Uri},
};

use crate::{guard, handlers::document_state, policy_state, scan, session::Session};

pub const COMMANDS: &[&str] = &[
    "gavel.scanWorkspace",
    "gavel.reloadPolicies",
    "gavel.openDocs",
    "gavel.documentState",
];

pub async fn handle(
    session: &Arc<Session>,
    params: ExecuteCommandParams,
) -> Result<Option<LSPAny>> {
    let arg = params.arguments.first().cloned().unwrap_or(Value::Null);
    let session = session.clone();
    match params.command.as_str() {
        "gavel.scanWorkspace" => {
            guard::request("gavel.scanWorkspace", async move {
                Ok(Some(scan::run(session).await))
            })
            .await
        }
        "gavel.reloadPolicies" => {
            policy_state::reload(&session);
            Ok(None)
        }
        "gavel.openDocs" => open_docs(&session, &arg).await,
        "gavel.documentState" => document_state::handle(&session, arg).map(Some),
        "gavel.debug.panic" if session.settings().debug_commands => {
            guard::request("gavel.debug.panic", async move {
                panic!("gavel.debug.panic was called");
            })
            .await
        }
        other => Err(Error::invalid_params(format!(
            "unknown command {other:?}; the commands are {}",
            COMMANDS.join(", ")
        ))),
    }
}

async fn open_docs(session: &Session, arg: &Value) -> Result<Option<LSPAny>> {
    let uri = arg
        .as_str()
        .and_then(|s| s.parse::<Uri>().ok())
        .ok_or_else(|| Error::invalid_params("gavel.openDocs expects the docs URL"))?;
    if !session.caps().show_document {
        session
            .client
            .show_message(MessageType::INFO, format!("Docs: {}", uri.as_str()))
            .await;
        return Ok(Some(json!({ "shown": false })));
    }
    let shown = tokio::time::timeout(
        Duration::from_secs(10),
        session.client.show_document(ShowDocumentParams {
            uri,
            external: Some(true),
            take_focus: Some(true),
            selection: None,
        }),
    )
    .await;
    Ok(Some(json!({ "shown": matches!(shown, Ok(Ok(true))) })))
}
