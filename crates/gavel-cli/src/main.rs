//! The `gavel` command line (SPEC 5): `check`, `baseline`, `review`, `approve`, `test`, `lsp`,
//! `mcp`, `hook`, `rules`, `explain`, `agents-md`, `schema` and `report`.
//!
//! Exit codes: 0 nothing at or above `--fail-on`; 1 findings; 2 an error (bad config,
//! unreadable path, bad flag), with a message naming the file and what to change.

mod cli;
mod cmd;
mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match args.command {
        cli::Command::Check(a) => cmd::check::run(a),
        cli::Command::Test(a) => cmd::test::run(a),
        cli::Command::Rules(a) => cmd::rules::run(a),
        cli::Command::Explain(a) => cmd::explain::run(a),
        cli::Command::Lsp => cmd::lsp::run(),
        cli::Command::Hook(a) => cmd::hook::run(a),
        cli::Command::AgentsMd(a) => cmd::agents_md::run(a),
        cli::Command::Mcp(a) => cmd::mcp::run(a),
        cli::Command::Baseline(a) => cmd::baseline::run(a),
        cli::Command::Review(a) => cmd::review::run(a),
        cli::Command::Approve(a) => cmd::approve::run(a),
        cli::Command::Schema(a) => cmd::schema::run(a),
        cli::Command::Report(a) => cmd::report::run(a),
    };
    ExitCode::from(code)
}
