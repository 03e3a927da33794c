//! Printers for `gavel check`: text (rustc/ruff style), JSON and SARIF 2.1.0. The report
//! model and the JSON views live in gavel-workspace (`report`), shared with the agent tools.

pub mod gitlab;
pub mod sarif;
pub mod statistics;
pub mod text;

pub use gavel_workspace::report::{CheckedFile, Located, Pos, Report, json};

/// Write a report to stdout. A reader that went away (`gavel check | head`) is not an error:
/// the rest is dropped quietly, as in ripgrep, instead of `print!`'s panic.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the report: {e}");
    }
}
