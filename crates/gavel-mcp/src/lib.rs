//! `gavel mcp` (SPEC 7.2): the house rules as Model Context Protocol tools, on stdio, for the
//! coding agents that run no language server (Claude Code, Codex, Cursor, Gemini, Copilot CLI).
//!
//! - [`server`]: the tool router on rmcp, the official Rust SDK; both protocol eras (the
//!   `initialize` handshake of 2025-11-25 and earlier, and the stateless 2026-07-28 with
//!   `server/discover`) are rmcp's.
//! - [`tools`]: the five tools, one module each, as plain functions.
//! - [`roots`]: paths confined to the client's workspace roots (or the working directory).
//! - [`reply`]: results as text for the model and the same as structured content.
//!
//! Nothing but protocol messages is written to stdout; logs go to stderr.

pub mod reply;
pub mod roots;
pub mod server;
pub mod tools;

use rmcp::{ServiceExt, transport::stdio};

pub use server::{GavelServer, Options};

/// Serve on stdin and stdout until the client closes stdin.
pub async fn serve_stdio(options: Options) -> Result<(), String> {
    let running = GavelServer::new(options)
        .serve(stdio())
        .await
        .map_err(|e| format!("the MCP session did not start: {e}"))?;
    running
        .waiting()
        .await
        .map_err(|e| format!("the MCP session ended with an error: {e}"))?;
    Ok(())
}
