//! `gavel_explain`: one rule in full, as `gavel explain` prints it: message, note, what to do
//! instead, the sanctioned library, fixes and examples.

use rmcp::{model::CallToolResult, schemars};
use serde::Deserialize;
use serde_json::json;

use super::{Ctx, config_errors};
use crate::reply::{fail, ok};

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars", transform = super::portable)]
pub struct Args {
    /// The rule's id, as findings show it in brackets (e.g. `acme.http-client`).
    pub rule: String,
}

pub fn run(ctx: &Ctx, args: Args) -> CallToolResult {
    let config = ctx.config_for(None);
    let Some(active) = config.rules.get(&args.rule) else {
        let ids = config.rules.rules.iter().map(|r| r.rule.id.as_str());
        let hint = gavel_policy::did_you_mean(&args.rule, ids)
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
        return fail(format!(
            "no loaded rule is called `{}`: {hint}gavel_rules lists them",
            args.rule
        ));
    };
    let r = &active.rule;
    let examples = |list: &[gavel_policy::Example]| -> Vec<String> {
        list.iter().map(|e| e.text.clone()).collect()
    };
    ok(
        gavel_agents::explain::text(r, active.severity),
        json!({
            "id": r.id,
            "pack": r.pack,
            "language": r.language.to_string(),
            "severity": active.severity.as_str(),
            "category": r.category,
            "message": r.message,
            "note": r.note,
            "instead": r.instead,
            "sanctioned": r.sanctioned.as_ref().map(|s| json!({"name": s.name, "docs": s.docs})),
            "url": r.url,
            "fixes": r.fixes.iter().map(|f| f.title.clone()).collect::<Vec<_>>(),
            "examples": {
                "flagged": examples(&r.examples.bad),
                "not_flagged": examples(&r.examples.good),
                "fixed": r.examples.fixed.iter()
                    .map(|f| json!({"before": f.before, "after": f.after}))
                    .collect::<Vec<_>>(),
            },
            "errors": config_errors(&config),
        }),
    )
}
