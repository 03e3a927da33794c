//! `gavel lsp`: the language server on stdin and stdout. Logs go to stderr only (filter with
//! `GAVEL_LOG`, e.g. `GAVEL_LOG=debug`); stdout carries protocol messages and nothing else.

use tracing_subscriber::EnvFilter;

pub fn run() -> u8 {
    let filter = EnvFilter::try_from_env("GAVEL_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    match gavel_lsp::run_stdio() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: cannot start the language server: {e}");
            2
        }
    }
}
