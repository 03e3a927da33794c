//! `initialize`: negotiate the position encoding and diagnostics mode, read the settings, and
//! say what the server does.

use std::path::PathBuf;

use tower_lsp_server::ls_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, DiagnosticOptions,
    DiagnosticServerCapabilities, ExecuteCommandOptions, HoverProviderCapability, InitializeParams,
    InitializeResult, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};

use crate::{
    caps::Caps,
    from_proto,
    handlers::execute_command::COMMANDS,
    session::{Session, Settings},
};

/// The code action kind of "fix everything".
pub const FIX_ALL: &str = "source.fixAll.gavel";

pub fn handle(session: &Session, params: InitializeParams) -> InitializeResult {
    let caps = Caps::negotiate(&params.capabilities);
    let settings = match params.initialization_options.clone() {
        Some(v) => serde_json::from_value::<Settings>(v).unwrap_or_else(|e| {
            tracing::error!("initializationOptions ignored: {e}");
            Settings::default()
        }),
        None => Settings::default(),
    };
    session.configure(caps, settings, root(&params));
    InitializeResult {
        capabilities: capabilities(&caps),
        server_info: Some(ServerInfo {
            name: "gavel".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        offset_encoding: None,
    }
}

/// The workspace root: the first folder, else the deprecated root URI, else the working
/// directory.
#[allow(deprecated)]
fn root(params: &InitializeParams) -> PathBuf {
    params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| from_proto::path(&f.uri))
        .or_else(|| params.root_uri.as_ref().and_then(from_proto::path))
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_default())
}

fn capabilities(caps: &Caps) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(caps.encoding_kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        diagnostic_provider: caps.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("gavel".to_string()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                ..DiagnosticOptions::default()
            })
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL)]),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: COMMANDS.iter().map(ToString::to_string).collect(),
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}
