//! gavel's language server (SPEC 6), on tower-lsp-server.
//!
//! The only crate that knows LSP. [`session`] holds the open documents and the loaded policies;
//! each request or notification has its own file in [`handlers`]; [`to_proto`] and
//! [`from_proto`] convert between gavel's byte ranges and LSP positions in the negotiated
//! encoding.
//!
//! Ordering: tower-lsp-server runs handlers concurrently, so every handler that changes a
//! document does so synchronously, before its first `.await`, and every request handler takes
//! its snapshot first. Checks run on blocking threads, one worker per document, and results for
//! an older version than the document's are never published.

mod caps;
mod check;
mod document;
mod finish;
mod framing;
mod from_proto;
mod git_watch;
mod guard;
mod handlers;
mod policies;
mod policy_state;
mod provenance;
mod scan;
mod server;
mod session;
mod to_proto;
mod watch;

pub use server::Server;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::LspService;

/// Serve LSP on the given streams until the client exits.
pub async fn serve<I, O>(input: I, output: O)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (service, socket) = LspService::build(Server::new)
        .custom_method("gavel/documentState", Server::document_state)
        .finish();
    framing::serve(input, output, service, socket).await;
}

/// Serve LSP on stdin and stdout (`gavel lsp`).
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    Ok(())
}
