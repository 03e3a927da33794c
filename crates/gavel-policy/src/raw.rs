//! The pack file as written, with spans: what serde reads before validation.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::{
    model::{AppliesTo, RegexIn, Severity},
    one_or_many::OneOrMany,
};

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a pack: a [pack] table and [[rule]] tables"
)]
pub struct RawPack {
    #[schemars(with = "RawPackMeta")]
    pub pack: Spanned<RawPackMeta>,
    #[serde(default)]
    #[schemars(with = "Vec<RawRule>")]
    pub rule: Vec<Spanned<RawRule>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a [pack] table with `id` (and `description`)"
)]
pub struct RawPackMeta {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a [[rule]] table with `id`, `language`, `message` and a [rule.match] table"
)]
pub struct RawRule {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub language: Spanned<String>,
    #[serde(default, deserialize_with = "crate::model::severity_opt")]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub category: Option<String>,
    #[schemars(with = "String")]
    pub message: Spanned<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub files: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pub skip_tests: bool,
    #[serde(default)]
    pub applies_to: AppliesTo,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub instead: Option<Spanned<String>>,
    #[serde(rename = "match")]
    #[schemars(with = "crate::schema::OneOrManySchema<RawMatch>")]
    pub matcher: Spanned<OneOrMany<RawMatch>>,
    #[serde(default)]
    pub sanctioned: Option<RawSanctioned>,
    #[serde(default)]
    #[schemars(with = "Vec<RawFix>")]
    pub fix: Vec<Spanned<RawFix>>,
    #[serde(default)]
    pub examples: RawExamples,
    #[serde(default)]
    pub requires_approval: bool,
    #[serde(default)]
    #[schemars(with = "Option<RawReview>")]
    pub review: Option<Spanned<RawReview>>,
}

/// `[rule.review]` (SPEC 9).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a [rule.review] table with `prompt` (and `context`)"
)]
pub struct RawReview {
    #[schemars(with = "String")]
    pub prompt: Spanned<String>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub context: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a [rule.match] table with one matcher key, e.g. call = [\"eval\"]"
)]
pub struct RawMatch {
    #[schemars(with = "Option<Vec<String>>")]
    pub import: Option<Spanned<Vec<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub call: Option<Spanned<Vec<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub reference: Option<Spanned<Vec<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub method: Option<Spanned<Vec<String>>>,
    #[serde(rename = "macro")]
    #[schemars(with = "Option<Vec<String>>")]
    pub macro_: Option<Spanned<Vec<String>>>,
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub query: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub regex: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub metric: Option<Spanned<String>>,
    // Constraints.
    pub regex_in: Option<RegexIn>,
    #[schemars(with = "Option<u32>")]
    pub max: Option<Spanned<u32>>,
    #[schemars(with = "Option<BTreeMap<String, RawKwarg>>")]
    pub kwargs: Option<Spanned<BTreeMap<String, RawKwarg>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub missing_kwargs: Option<Spanned<Vec<String>>>,
    #[schemars(with = "Option<BTreeMap<String, usize>>")]
    pub positions: Option<Spanned<BTreeMap<String, usize>>>,
    #[schemars(with = "Option<BTreeMap<String, String>>")]
    pub arg_regex: Option<Spanned<BTreeMap<String, String>>>,
    #[schemars(with = "Option<Vec<usize>>")]
    pub arg_not_literal: Option<Spanned<Vec<usize>>>,
    #[schemars(with = "Option<crate::schema::OneOrManySchema<String>>")]
    pub inside: Option<Spanned<OneOrMany<String>>>,
    #[schemars(with = "Option<crate::schema::OneOrManySchema<String>>")]
    pub not_inside: Option<Spanned<OneOrMany<String>>>,
}

/// `kwargs = { shell = "True" }`, `{ mode = ["a", "b"] }`, `{ url = { regex = "..." } }`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(
    untagged,
    expecting = "not a keyword test: write the value's text (\"True\"), a list of texts, or { regex = \"...\" }"
)]
pub enum RawKwarg {
    Text(String),
    AnyOf(Vec<String>),
    Regex { regex: String },
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a [rule.sanctioned] table with `name` (and `docs`)"
)]
pub struct RawSanctioned {
    pub name: String,
    #[serde(default)]
    pub docs: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a [[rule.fix]] table with `title` and `rename_to`, `replace`, `add_imports` or `remove_kwargs`"
)]
pub struct RawFix {
    #[schemars(with = "String")]
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

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a [rule.examples] table with `bad`, `good` and [[rule.examples.fixed]]"
)]
pub struct RawExamples {
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub bad: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub good: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawFixed>")]
    pub fixed: Vec<Spanned<RawFixed>>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a table { before = \"...\", after = \"...\" } ([[rule.examples.fixed]])"
)]
pub struct RawFixed {
    pub before: String,
    pub after: String,
}
