//! The pack file as written, with spans: what serde reads before validation.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::{
    model::{AppliesTo, RegexIn, Severity},
    one_or_many::OneOrMany,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPack {
    pub pack: Spanned<RawPackMeta>,
    #[serde(default)]
    pub rule: Vec<Spanned<RawRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPackMeta {
    pub id: Spanned<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    pub language: Spanned<String>,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub category: Option<String>,
    pub message: Spanned<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub files: Vec<Spanned<String>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pub skip_tests: bool,
    #[serde(default)]
    pub applies_to: AppliesTo,
    #[serde(default)]
    pub instead: Option<Spanned<String>>,
    #[serde(rename = "match")]
    pub matcher: Spanned<OneOrMany<RawMatch>>,
    #[serde(default)]
    pub sanctioned: Option<RawSanctioned>,
    #[serde(default)]
    pub fix: Vec<Spanned<RawFix>>,
    #[serde(default)]
    pub examples: RawExamples,
    #[serde(default)]
    pub requires_approval: bool,
    #[serde(default)]
    pub review: Option<Spanned<RawReview>>,
}

/// `[rule.review]` (SPEC 9).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReview {
    pub prompt: Spanned<String>,
    #[serde(default)]
    pub context: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMatch {
    pub import: Option<Spanned<Vec<String>>>,
    pub call: Option<Spanned<Vec<String>>>,
    pub reference: Option<Spanned<Vec<String>>>,
    pub method: Option<Spanned<Vec<String>>>,
    #[serde(rename = "macro")]
    pub macro_: Option<Spanned<Vec<String>>>,
    pub pattern: Option<Spanned<String>>,
    pub query: Option<Spanned<String>>,
    pub regex: Option<Spanned<String>>,
    pub metric: Option<Spanned<String>>,
    // Constraints.
    pub regex_in: Option<RegexIn>,
    pub max: Option<Spanned<u32>>,
    pub kwargs: Option<Spanned<BTreeMap<String, RawKwarg>>>,
    pub missing_kwargs: Option<Spanned<Vec<String>>>,
    pub positions: Option<Spanned<BTreeMap<String, usize>>>,
    pub arg_regex: Option<Spanned<BTreeMap<String, String>>>,
    pub arg_not_literal: Option<Spanned<Vec<usize>>>,
    pub inside: Option<Spanned<OneOrMany<String>>>,
    pub not_inside: Option<Spanned<OneOrMany<String>>>,
}

/// `kwargs = { shell = "True" }`, `{ mode = ["a", "b"] }`, `{ url = { regex = "..." } }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawKwarg {
    Text(String),
    AnyOf(Vec<String>),
    Regex { regex: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSanctioned {
    pub name: String,
    #[serde(default)]
    pub docs: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFix {
    pub title: Spanned<String>,
    #[serde(default)]
    pub rename_to: Option<String>,
    #[serde(default)]
    pub replace: Option<String>,
    #[serde(default)]
    pub add_imports: Vec<String>,
    #[serde(default)]
    pub remove_kwargs: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExamples {
    #[serde(default)]
    pub bad: Vec<Spanned<String>>,
    #[serde(default)]
    pub good: Vec<Spanned<String>>,
    #[serde(default)]
    pub fixed: Vec<Spanned<RawFixed>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFixed {
    pub before: String,
    pub after: String,
}
