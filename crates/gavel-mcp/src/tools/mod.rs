//! The five tools of SPEC 7.2, one module each. Each is a plain function from its arguments and
//! a [`Ctx`] to a tool result; the server runs them off the async runtime.

pub mod check;
pub mod explain;
pub mod fix;
pub mod guidance;
pub mod rules;

use std::{path::PathBuf, sync::Arc};

use gavel_policy::{AppliesTo, Severity};
use gavel_workspace::{Checker, LoadedConfig};
use serde_json::{Value, json};

use crate::roots::Roots;

/// What one tool call knows: where it may look and which config to use.
pub struct Ctx {
    pub roots: Roots,
    /// `gavel mcp --config FILE`, else each file's nearest `gavel.toml`.
    pub config: Option<PathBuf>,
}

impl Ctx {
    /// A checker for this call, on every line (an agent asks about whole files or buffers),
    /// showing paths relative to the first root. Built per call, so that an edited
    /// `gavel.toml` or pack counts at once.
    pub fn checker(&self) -> Checker {
        Checker::new(
            self.config.clone(),
            self.roots.first().to_path_buf(),
            None,
            AppliesTo::All,
        )
    }

    /// The config that applies to `path` (a file or directory inside a root), or to the first
    /// root.
    pub fn config_for(&self, path: Option<&std::path::Path>) -> Arc<LoadedConfig> {
        let checker = self.checker();
        let at = match path {
            Some(p) if p.is_dir() => p.join("_"),
            Some(p) => p.to_path_buf(),
            None => self.roots.first().join("_"),
        };
        checker.configs().for_file(&at)
    }
}

/// Config and pack errors, for results: a result after one says so.
pub fn config_errors(config: &LoadedConfig) -> Vec<String> {
    config.errors.iter().map(ToString::to_string).collect()
}

/// A finding as `gavel check --format json` gives it, plus its agent message (SPEC 7.1).
pub fn finding_json(path: &str, l: &gavel_workspace::report::Located) -> Value {
    let mut v = serde_json::to_value(gavel_workspace::report::json::finding(path, l))
        .expect("a finding serializes");
    v["agent_message"] = Value::String(l.finding.agent_message());
    v
}

/// A rule in a list (`gavel_rules`, `gavel_guidance`).
pub fn rule_summary(rule: &gavel_policy::Rule, severity: Severity) -> Value {
    json!({
        "id": rule.id,
        "language": rule.language.to_string(),
        "severity": severity.as_str(),
        "category": rule.category,
        "message": rule.message,
        "instead": rule.instead,
        "sanctioned": rule.sanctioned.as_ref().map(|s| json!({"name": s.name, "docs": s.docs})),
    })
}

/// A rule in one line of text, as findings tell it: `id (severity, category): message.
/// Instead: X` (the remedy as in SPEC 7.1: `instead`, else the fix's title, else the
/// sanctioned library).
pub fn rule_line(rule: &gavel_policy::Rule, severity: Severity) -> String {
    let message = rule.message.trim_end();
    let remedy = rule
        .instead
        .clone()
        .or_else(|| rule.fixes.first().map(|f| f.title.clone()))
        .or_else(|| rule.sanctioned.as_ref().map(|s| format!("use {}", s.name)));
    let instead = match remedy {
        Some(r) if message.ends_with(['.', '!', '?']) => format!(" Instead: {r}"),
        Some(r) => format!(". Instead: {r}"),
        None => String::new(),
    };
    format!(
        "{} ({severity}, {}): {message}{instead}",
        rule.id, rule.category
    )
}

/// Optional arguments are plain types in the schema (a single `type`, which every model
/// provider's schema dialect takes) with no `"default": null`, which would contradict it.
pub fn portable(schema: &mut rmcp::schemars::Schema) {
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for p in props.values_mut() {
            if let Some(p) = p.as_object_mut()
                && p.get("default") == Some(&Value::Null)
            {
                p.remove("default");
            }
        }
    }
}
