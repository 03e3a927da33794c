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
}

/// The `ai_commit_patterns` used when a config sets none: co-author trailers and "Generated
/// with" lines of the common assistants, and aider's `(aider)` author suffix.
pub const DEFAULT_AI_COMMIT_PATTERNS: &[&str] = &[
    r"(?im)^co-authored-by:.*\b(claude|copilot|cursor|codex|gemini|devin|aider|windsurf|codeium|jules|amazon q|chatgpt|openai)\b",
    r"(?i)generated (with|by) \[?(claude|copilot|cursor|codex|gemini|devin|aider|chatgpt)",
    r"\(aider\)",
];

/// `[provenance]`, all optional so that `extends` can merge.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub base: Option<String>,
    pub ai_commit_patterns: Option<Vec<String>>,
    pub burst_lines: Option<u32>,
    pub ai_min_severity: Option<Severity>,
}

/// `"off"`, or `{ severity = "error", applies_to = "changed" }`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    pub severity: Option<Severity>,
    pub applies_to: Option<AppliesTo>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    policies: Vec<Spanned<String>>,
    #[serde(default)]
    extends: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, OverrideValue>,
    #[serde(default)]
    suppressions: Suppressions,
    #[serde(default)]
    provenance: Provenance,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Suppressions {
    require_reason: Option<bool>,
}

#[derive(Debug)]
struct OverrideValue(RuleOverride);

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
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Config {
        policies: raw.policies,
        extends: raw.extends,
        exclude: raw.exclude,
        rules,
        require_reason: raw.suppressions.require_reason,
        provenance: raw.provenance,
    })
}
