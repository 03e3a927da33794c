//! `gavel mcp`: the MCP server (SPEC 7.2) on stdin and stdout, for coding agents. Logs go to
//! stderr only (filter with `GAVEL_LOG`); stdout carries protocol messages and nothing else.

use tracing_subscriber::EnvFilter;

use crate::cli::McpArgs;

pub fn run(args: McpArgs) -> u8 {
    let filter = EnvFilter::try_from_env("GAVEL_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    if !super::config_flag_ok(args.config.config.as_ref()) {
        return 2;
    }
    let options = gavel_mcp::Options {
        config: args.config.config.and_then(|f| std::path::absolute(f).ok()),
        cwd: std::env::current_dir().unwrap_or_default(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the MCP server: {e}");
            return 2;
        }
    };
    match runtime.block_on(gavel_mcp::serve_stdio(options)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
