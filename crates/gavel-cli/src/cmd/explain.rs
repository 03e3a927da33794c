//! `gavel explain ID`: a rule's message, note, sanctioned library and examples.

use crate::cli::ExplainArgs;

pub fn run(args: ExplainArgs) -> u8 {
    let config = match super::cwd_config(args.config.config.as_ref()) {
        Ok(c) => c,
        Err(code) => return code as u8,
    };
    let Some(active) = config.rules.get(&args.id) else {
        let ids = config.rules.rules.iter().map(|r| r.rule.id.as_str());
        let hint = gavel_policy::did_you_mean(&args.id, ids)
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
        eprintln!(
            "error: no loaded rule is called `{}`: {hint}list them with `gavel rules`",
            args.id
        );
        return 2;
    };
    print!(
        "{}",
        gavel_agents::explain::text(&active.rule, active.severity)
    );
    0
}
