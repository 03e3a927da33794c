//! The MCP server: the five tools of SPEC 7.2 behind rmcp's tool router. Each call works out
//! its roots (the client's, when it has them; else the working directory), then runs its tool
//! on a blocking thread, so a long check never stalls the protocol and a panic in one call is an
//! error result, not a dead server.

use std::path::PathBuf;

use rmcp::{
    Peer, RoleServer, ServerHandler,
    handler::server::{router::tool::ToolRouter, wrapper::Parameters},
    model::{CallToolResult, Implementation, ServerCapabilities, ServerConfig},
    tool, tool_handler, tool_router,
};

use crate::{
    reply::fail,
    roots::{Roots, from_uri},
    tools::{Ctx, check, explain, fix, guidance, rules},
};

/// How the server was started.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--config FILE`, else each file's nearest `gavel.toml`.
    pub config: Option<PathBuf>,
    /// The working directory: the root when the client names none.
    pub cwd: PathBuf,
}

#[derive(Clone)]
pub struct GavelServer {
    options: Options,
    tool_router: ToolRouter<GavelServer>,
}

const INSTRUCTIONS: &str = "gavel enforces this company's house rules on Python and Rust code. \
Before writing code that uses a library or does I/O (HTTP, subprocesses, SQL, logging, \
secrets), call gavel_guidance with the topic: it names the sanctioned internal library to use. \
After each edit, call gavel_check on the file (or pass the unsaved text with path): fix every \
finding it reports, applying its fix edits or the `Instead:` line; gavel_fix applies the \
automatic fixes. gavel_explain RULE tells why a rule exists; a finding that must stay needs \
`# gavel: allow(RULE) reason` (Rust: `// gavel: allow(RULE) reason`) on its line.";

#[tool_router]
impl GavelServer {
    pub fn new(options: Options) -> GavelServer {
        GavelServer {
            options,
            tool_router: Self::tool_router(),
        }
    }

    /// Check files or directories against the house rules, or an unsaved buffer (path + text).
    /// Returns the findings as `gavel check --format json` does, each with a self-contained
    /// agent message (what is wrong, what to write instead, the rule id) and its fix edits.
    #[tool(annotations(
        title = "Check code against the house rules",
        read_only_hint = true,
        destructive_hint = false,
        idempotent_hint = true,
        open_world_hint = false
    ))]
    async fn gavel_check(
        &self,
        Parameters(args): Parameters<check::Args>,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        self.call(peer, move |ctx| check::run(ctx, args)).await
    }

    /// Apply the automatic fixes of a file's findings (all rules, or only `rules`). Returns the
    /// fixed text and what was fixed; writes the file only with `write: true`.
    #[tool(annotations(
        title = "Fix a file's findings",
        read_only_hint = false,
        destructive_hint = false,
        idempotent_hint = true,
        open_world_hint = false
    ))]
    async fn gavel_fix(
        &self,
        Parameters(args): Parameters<fix::Args>,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        self.call(peer, move |ctx| fix::run(ctx, args)).await
    }

    /// Explain one rule: its message, why it exists, what to write instead, the sanctioned
    /// library, its fixes and examples.
    #[tool(annotations(
        title = "Explain a house rule",
        read_only_hint = true,
        destructive_hint = false,
        idempotent_hint = true,
        open_world_hint = false
    ))]
    async fn gavel_explain(
        &self,
        Parameters(args): Parameters<explain::Args>,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        self.call(peer, move |ctx| explain::run(ctx, args)).await
    }

    /// List the house rules that apply to a file (or every rule that is on).
    #[tool(annotations(
        title = "List the house rules",
        read_only_hint = true,
        destructive_hint = false,
        idempotent_hint = true,
        open_world_hint = false
    ))]
    async fn gavel_rules(
        &self,
        Parameters(args): Parameters<rules::Args>,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        self.call(peer, move |ctx| rules::run(ctx, args)).await
    }

    /// Before writing code about a topic ("http client", "logging", "subprocess", "sql"): the
    /// sanctioned internal libraries to use and the rules that apply, so the code is right the
    /// first time.
    #[tool(annotations(
        title = "Ask which library and rules apply",
        read_only_hint = true,
        destructive_hint = false,
        idempotent_hint = true,
        open_world_hint = false
    ))]
    async fn gavel_guidance(
        &self,
        Parameters(args): Parameters<guidance::Args>,
        peer: Peer<RoleServer>,
    ) -> CallToolResult {
        self.call(peer, move |ctx| guidance::run(ctx, args)).await
    }
}

impl GavelServer {
    /// Run `tool` with this call's roots, off the async runtime.
    async fn call(
        &self,
        peer: Peer<RoleServer>,
        tool: impl FnOnce(&Ctx) -> CallToolResult + Send + 'static,
    ) -> CallToolResult {
        let ctx = Ctx {
            roots: Roots::new(client_roots(&peer).await, &self.options.cwd),
            config: self.options.config.clone(),
        };
        match tokio::task::spawn_blocking(move || tool(&ctx)).await {
            Ok(result) => result,
            Err(e) => {
                tracing::error!("a tool call failed: {e}");
                fail(format!(
                    "gavel failed on this call ({e}); the server is still running, and this \
                     is a bug worth reporting"
                ))
            }
        }
    }
}

/// The workspace roots the client gives, as directories: asked for on each call (they change
/// as folders are opened), only of clients that said they have roots. Empty when the client
/// has none, or does not answer within two seconds.
#[allow(deprecated)] // Roots are deprecated from protocol 2026-07-28 on, but clients still send them.
async fn client_roots(peer: &Peer<RoleServer>) -> Vec<PathBuf> {
    let has_roots = peer
        .peer_info()
        .is_some_and(|info| info.capabilities.roots.is_some());
    if !has_roots {
        return Vec::new();
    }
    let asked = tokio::time::timeout(std::time::Duration::from_secs(2), peer.list_roots()).await;
    match asked {
        Ok(Ok(list)) => list.roots.iter().filter_map(|r| from_uri(&r.uri)).collect(),
        Ok(Err(e)) => {
            tracing::warn!("the client did not list its roots: {e}");
            Vec::new()
        }
        Err(_) => {
            tracing::warn!("the client did not list its roots within 2 s");
            Vec::new()
        }
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for GavelServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("gavel", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }
}
