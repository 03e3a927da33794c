//! `gavel hook AGENT`: read the payload on stdin, let gavel-agents answer, print its answer.
//! Every error here exits 1 (never 2, which Claude Code and Gemini CLI take as a block).

use std::io::Read;

use gavel_agents::hook::{Agent, Options, run as answer};

use crate::cli::HookArgs;

/// A payload larger than this is refused: a file gavel checks is at most 8 MiB, and a payload
/// may hold it twice (old and new text).
const MAX_PAYLOAD_BYTES: u64 = 64 * 1024 * 1024;

pub fn run(args: HookArgs) -> u8 {
    let Some(agent) = Agent::from_name(&args.agent) else {
        let names: Vec<&str> = Agent::ALL.iter().map(|a| a.name()).collect();
        eprintln!(
            "error: gavel hook: unknown agent `{}`; name one of {}",
            args.agent,
            names.join(", ")
        );
        return 1;
    };
    if let Some(f) = &args.config.config
        && !f.is_file()
    {
        eprintln!(
            "error: gavel hook {}: --config {}: no such file; pass the path of a gavel.toml",
            agent.name(),
            f.display()
        );
        return 1;
    }
    let mut input = String::new();
    let read = std::io::stdin()
        .take(MAX_PAYLOAD_BYTES)
        .read_to_string(&mut input);
    if let Err(e) = read {
        eprintln!(
            "error: gavel hook {}: cannot read the payload on standard input: {e}",
            agent.name()
        );
        return 1;
    }
    let options = Options {
        fail_on: args.fail_on.threshold(),
        config: args.config.config,
        cwd: std::env::current_dir().unwrap_or_default(),
    };
    let out = answer(agent, &input, &options);
    crate::output::emit(&out.stdout);
    eprint!("{}", out.stderr);
    out.code
}
