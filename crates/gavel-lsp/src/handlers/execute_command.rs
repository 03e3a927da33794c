//! `workspace/executeCommand`: scan the workspace, reload the policies, open a sanctioned
//! library's docs, and inspect a document.

use std::{sync::Arc, time::Duration};

use serde_json::{Value, json};
use tower_lsp_server::{
    jsonrpc::{Error, Result},
    ls_types::{ExecuteCommandParams, LSPAny, MessageType, Range, ShowDocumentParams, Uri},
};

use crate::{guard, handlers::document_state, policy_state, scan, session::Session};

pub const COMMANDS: &[&str] = &[
    "gavel.scanWorkspace",
    "gavel.reloadPolicies",
    "gavel.openDocs",
    "gavel.documentState",
    "gavel.select",
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
        "gavel.select" => select(&session, &params.arguments).await,
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

/// Select a range of a document (`[uri, range]`): the placeholder reason of a suppression.
async fn select(session: &Session, args: &[Value]) -> Result<Option<LSPAny>> {
    let (Some(uri), Some(range)) = (args.first(), args.get(1)) else {
        return Err(Error::invalid_params("gavel.select expects [uri, range]"));
    };
    let uri = serde_json::from_value::<Uri>(uri.clone());
    let range = serde_json::from_value::<Range>(range.clone());
    let (Ok(uri), Ok(range)) = (uri, range) else {
        return Err(Error::invalid_params("gavel.select expects [uri, range]"));
    };
    let shown = tokio::time::timeout(
        Duration::from_secs(10),
        session.client.show_document(ShowDocumentParams {
            uri,
            external: Some(false),
            take_focus: Some(true),
            selection: Some(range),
        }),
    )
    .await;
    Ok(Some(json!({ "shown": matches!(shown, Ok(Ok(true))) })))
}

async fn open_docs(session: &Session, arg: &Value) -> Result<Option<LSPAny>> {
    let uri = arg
        .as_str()
        .and_then(|s| s.parse::<Uri>().ok())
        .ok_or_else(|| Error::invalid_params("gavel.openDocs expects the docs URL"))?;
    let uri_text = uri.as_str().to_string();
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
    let shown = matches!(shown, Ok(Ok(true)));
    if !shown {
        // No browser (a terminal editor over ssh, say): the URL itself is still of use.
        session
            .client
            .show_message(
                MessageType::INFO,
                format!("Docs: {} (could not open a browser)", uri_text),
            )
            .await;
    }
    Ok(Some(json!({ "shown": shown })))
}
