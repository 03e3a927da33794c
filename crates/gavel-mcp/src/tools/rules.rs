//! `gavel_rules`: the rules that apply to a path (its language, test-code status and the rules'
//! `files`/`exclude` globs decide), or every rule that is on.

use gavel_syntax::Lang;
use rmcp::{model::CallToolResult, schemars};
use serde::Deserialize;
use serde_json::json;

use super::{Ctx, config_errors, rule_line, rule_summary};
use crate::reply::{fail, ok};

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars", transform = super::portable)]
pub struct Args {
    /// A file (it need not exist yet): only the rules that apply to it. Every rule that is on
    /// when absent.
    #[serde(default)]
    #[schemars(with = "String")]
    pub path: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> CallToolResult {
    let path = match args.path.as_deref().map(|p| ctx.roots.resolve(p)) {
        Some(Err(e)) => return fail(e),
        Some(Ok(p)) => Some(p),
        None => None,
    };
    let config = ctx.config_for(path.as_deref());
    let rules: Vec<_> = match &path {
        Some(p) => {
            let Some(lang) = Lang::from_path(p) else {
                return fail(format!(
                    "{}: gavel checks Python (.py) and Rust (.rs) files; no rule applies here",
                    args.path.unwrap_or_default()
                ));
            };
            if config.is_excluded(p) {
                return ok(
                    format!(
                        "{}: excluded by the config; no rule applies",
                        args.path.unwrap_or_default()
                    ),
                    json!({"rules": [], "excluded": true, "errors": config_errors(&config)}),
                );
            }
            let rel = config.rel_path(p);
            config
                .rules
                .rules_for(lang, &rel)
                .collect::<Vec<_>>()
                .into_iter()
                .map(|r| (r.rule.clone(), r.severity))
                .collect()
        }
        None => config
            .rules
            .rules
            .iter()
            .filter(|r| r.severity != gavel_policy::Severity::Off)
            .map(|r| (r.rule.clone(), r.severity))
            .collect(),
    };
    let mut text: String = rules.iter().map(|(r, s)| rule_line(r, *s) + "\n").collect();
    let errors = config_errors(&config);
    for e in &errors {
        text.push_str(&format!("error: {e}\n"));
    }
    text.push_str(&format!(
        "{} rule(s); gavel_explain RULE tells one in full\n",
        rules.len()
    ));
    ok(
        text,
        json!({
            "rules": rules.iter().map(|(r, s)| rule_summary(r, *s)).collect::<Vec<_>>(),
            "errors": errors,
        }),
    )
}
