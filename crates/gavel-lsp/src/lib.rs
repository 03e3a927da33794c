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

mod approvals;
mod baseline;
mod caps;
mod check;
mod document;
mod finish;
mod framing;
mod from_proto;
mod git_watch;
mod guard;
mod handlers;
mod named;
mod notice;
mod policies;
mod policy_state;
mod provenance;
mod review;
mod scan;
mod server;
mod session;
mod stamped;
mod to_proto;
mod watch;
mod watchers;

pub use server::Server;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::LspService;

/// How the client ended the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// `shutdown`, then `exit` (or the end of the input): exit status 0.
    Clean,
    /// `exit` (or the end of the input) without `shutdown`: exit status 1, as LSP says.
    WithoutShutdown,
}

/// Serve LSP on the given streams until the client exits.
pub async fn serve<I, O>(input: I, output: O) -> Ended
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (service, socket) = LspService::build(Server::new)
        .custom_method("gavel/documentState", Server::document_state)
        .finish();
    framing::serve(input, output, service, socket).await
}

/// Serve LSP on stdin and stdout (`gavel lsp`). An `exit` without `shutdown` ends the process
/// here with status 1 (LSP's rule), since `Ok` means status 0 to the caller.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let ended = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Its stdin reader may be blocked for good on a client that keeps stdin open: do not wait.
    runtime.shutdown_background();
    if ended == Ended::WithoutShutdown {
        tracing::warn!("the client exited without shutdown; exit status 1");
        std::process::exit(1);
    }
    Ok(())
}
