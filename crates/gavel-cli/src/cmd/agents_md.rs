//! `gavel agents-md [--write FILE | --check FILE]`: the loaded house rules as a Markdown
//! section for agents (SPEC 7.4). Exit codes: 0 printed, written or current; 1 `--check` found
//! the section stale or missing; 2 an error (bad config, unreadable file).

use gavel_agents::agents_md::{self, Status};

use crate::cli::AgentsMdArgs;

pub fn run(args: AgentsMdArgs) -> u8 {
    let config = match super::cwd_config(args.config.config.as_ref()) {
        Ok(c) => c,
        Err(code) => return code as u8,
    };
    if super::report_config_errors(&config) {
        return 2;
    }
    let rows: Vec<agents_md::Row> = config
        .rules
        .rules
        .iter()
        .map(|r| (r.rule.clone(), r.severity))
        .collect();
    let section = agents_md::render(&rows);
    if let Some(file) = &args.check {
        return match agents_md::check(file, &section) {
            Ok(Status::Current) => 0,
            Ok(Status::Stale(why)) => {
                eprintln!(
                    "{why}; run `gavel agents-md --write {}` to update it",
                    file.display()
                );
                1
            }
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        };
    }
    if let Some(file) = &args.write {
        return match agents_md::write(file, &section) {
            Ok(true) => {
                eprintln!("wrote the gavel section of {}", file.display());
                0
            }
            Ok(false) => 0,
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        };
    }
    crate::output::emit(&format!("{section}\n"));
    0
}
