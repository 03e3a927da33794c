//! `gavel.toml`: which packs to load, per-rule overrides, exclusions, suppression and provenance
//! settings (SPEC 2). Paths stay as written; the workspace resolves them against the config's
//! directory.

use std::{collections::BTreeMap, fmt};

use serde::{
    Deserialize, Deserializer,
    de::{self, MapAccess, Visitor, value::MapAccessDeserializer},
};
use toml::Spanned;

use crate::{
    compile::{from_toml, valid_id},
    error::{PolicyError, SourceFile},
    model::{AppliesTo, Severity},
};

/// A parsed `gavel.toml` (one file, before `extends` is merged).
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub policies: Vec<Spanned<String>>,
    pub extends: Vec<Spanned<String>>,
    pub exclude: Vec<Spanned<String>>,
    pub rules: BTreeMap<String, (RuleOverride, std::ops::Range<usize>)>,
    pub require_reason: Option<bool>,
    pub provenance: Provenance,
    pub review: ReviewSettings,
}

/// `[review]` (SPEC 9.1), all optional so that `extends` and the user's own config can merge.
/// Which of them a workspace's config may set is the workspace crate's business: a config
/// only says what it asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewSettings {
    /// An OpenAI-compatible base URL (`.../v1`).
    pub endpoint: Option<String>,
    pub model: Option<String>,
    /// The name of the environment variable that holds the key; it ends in `_API_KEY`.
    pub api_key_env: Option<String>,
    /// A reviewer command that reads a request on stdin and answers on stdout.
    pub command: Option<Vec<String>>,
    pub max_items: Option<usize>,
    pub timeout_s: Option<u64>,
    /// Only in the user's own config: workspaces whose `[review]` may choose the endpoint,
    /// key and command.
    pub trusted_workspaces: Option<Vec<String>>,
}

impl ReviewSettings {
    /// Each setting from `self`, else from `under` (a config over the one it extends, the
    /// environment over a config).
    pub fn or(self, under: ReviewSettings) -> ReviewSettings {
        ReviewSettings {
            endpoint: self.endpoint.or(under.endpoint),
            model: self.model.or(under.model),
            api_key_env: self.api_key_env.or(under.api_key_env),
            command: self.command.or(under.command),
            max_items: self.max_items.or(under.max_items),
            timeout_s: self.timeout_s.or(under.timeout_s),
            trusted_workspaces: self.trusted_workspaces.or(under.trusted_workspaces),
        }
    }
}

/// The `ai_commit_patterns` used when a config sets none: co-author trailers and "Generated
/// with" lines of the common assistants, and aider's `(aider)` author suffix.
pub const DEFAULT_AI_COMMIT_PATTERNS: &[&str] = &[
    r"(?im)^co-authored-by:.*\b(claude|copilot|cursor|codex|gemini|devin|aider|windsurf|codeium|jules|amazon q|chatgpt|openai)\b",
    r"(?i)generated (with|by) \[?(claude|copilot|cursor|codex|gemini|devin|aider|chatgpt)",
    r"\(aider\)",
];

/// `[provenance]`, all optional so that `extends` can merge.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub base: Option<String>,
    pub ai_commit_patterns: Option<Vec<String>>,
    pub burst_lines: Option<u32>,
    pub ai_min_severity: Option<Severity>,
}

/// `"off"`, or `{ severity = "error", applies_to = "changed" }`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    pub severity: Option<Severity>,
    pub applies_to: Option<AppliesTo>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "GavelToml")]
pub(crate) struct RawConfig {
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    policies: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    extends: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, OverrideValue>")]
    rules: BTreeMap<Spanned<String>, OverrideValue>,
    #[serde(default)]
    suppressions: Suppressions,
    #[serde(default)]
    provenance: Provenance,
    #[serde(default)]
    #[schemars(with = "Option<ReviewSettings>")]
    review: Option<Spanned<ReviewSettings>>,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Suppressions {
    require_reason: Option<bool>,
}

#[derive(Debug)]
pub(crate) struct OverrideValue(RuleOverride);

impl schemars::JsonSchema for OverrideValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RuleOverrideValue".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let severity = generator.subschema_for::<Severity>();
        let table = generator.subschema_for::<RuleOverride>();
        schemars::json_schema!({"anyOf": [severity, table]})
    }
}

impl<'de> Deserialize<'de> for OverrideValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OverrideValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a severity (\"off\", \"error\", ...) or a table { severity, applies_to }",
                )
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                let severity = Severity::deserialize(de::value::StrDeserializer::<E>::new(s))?;
                Ok(OverrideValue(RuleOverride {
                    severity: Some(severity),
                    applies_to: None,
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RuleOverride::deserialize(MapAccessDeserializer::new(map)).map(OverrideValue)
            }
        }
        d.deserialize_any(V)
    }
}

/// Parse one `gavel.toml`.
pub fn parse_config(file: &SourceFile) -> Result<Config, Vec<PolicyError>> {
    let raw: RawConfig = from_toml(file)?;
    let mut errors = Vec::new();
    let mut rules = BTreeMap::new();
    for (id, v) in raw.rules {
        if !valid_id(id.get_ref()) {
            errors.push(file.error(
                Some(id.span()),
                format!("`{}` is not a rule id", id.get_ref()),
            ));
        }
        rules.insert(id.get_ref().clone(), (v.0, id.span()));
    }
    if let Some(patterns) = &raw.provenance.ai_commit_patterns {
        for p in patterns {
            if let Err(e) = regex::Regex::new(p) {
                let detail = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                errors.push(file.error(
                    None,
                    format!("[provenance] ai_commit_patterns: invalid regex `{p}`: {detail}"),
                ));
            }
        }
    }
    let review = raw.review.map(|r| {
        let span = r.span();
        let review = r.into_inner();
        check_review(file, &review, span, &mut errors);
        review
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Config {
        review: review.unwrap_or_default(),
        policies: raw.policies,
        extends: raw.extends,
        exclude: raw.exclude,
        rules,
        require_reason: raw.suppressions.require_reason,
        provenance: raw.provenance,
    })
}

/// A key's variable must be named like one (`*_API_KEY`), so that a config cannot send another
/// variable's value (a token, a password) to a reviewer; a command must name a program.
fn check_review(
    file: &SourceFile,
    review: &ReviewSettings,
    span: std::ops::Range<usize>,
    errors: &mut Vec<PolicyError>,
) {
    if let Some(name) = &review.api_key_env {
        let shaped = name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !shaped || !name.ends_with("_API_KEY") || name.len() == "_API_KEY".len() {
            let at = locate(&file.text, &span, "api_key_env");
            errors.push(file.error(
                Some(at),
                format!(
                    "[review] api_key_env = \"{name}\": name an environment variable that ends in `_API_KEY` (e.g. \"GAVEL_REVIEW_API_KEY\"); other variables are never sent to a reviewer"
                ),
            ));
        }
    }
    if review
        .command
        .as_ref()
        .is_some_and(|c| c.is_empty() || c[0].trim().is_empty())
    {
        let at = locate(&file.text, &span, "command");
        errors.push(file.error(
            Some(at),
            "[review] command is empty: name the program and its arguments, e.g. [\"my-reviewer\", \"--json\"]",
        ));
    }
    if review.max_items == Some(0) || review.timeout_s == Some(0) {
        let key = if review.max_items == Some(0) {
            "max_items"
        } else {
            "timeout_s"
        };
        let at = locate(&file.text, &span, key);
        errors.push(file.error(Some(at), format!("[review] {key} must be at least 1")));
    }
}

/// The span of `key` inside the table at `span` (the table's when it is not found).
fn locate(text: &str, span: &std::ops::Range<usize>, key: &str) -> std::ops::Range<usize> {
    text.get(span.clone())
        .and_then(|t| t.find(key))
        .map_or(span.clone(), |i| span.start + i..span.start + i + key.len())
}
