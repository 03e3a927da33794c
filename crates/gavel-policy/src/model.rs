//! The validated, compiled policy model that the engine runs.

use std::{collections::BTreeMap, fmt, sync::Arc};

use ast_grep_core::Pattern;
use gavel_syntax::Lang;
use globset::GlobSet;
use regex::Regex;
use serde::Deserialize;

/// How serious a finding is. `Off` disables a rule.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    serde::Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule's `severity`, with an error that lists the valid values whatever was written.
pub(crate) fn severity_opt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Severity>, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = Severity;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a severity: \"error\", \"warning\", \"info\", \"hint\" or \"off\"")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Severity, E> {
            Severity::deserialize(serde::de::value::StrDeserializer::<E>::new(s))
        }
    }
    d.deserialize_any(V).map(Some)
}

/// Which lines a rule reports on (SPEC 4).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum AppliesTo {
    #[default]
    All,
    Changed,
    Ai,
}

/// Where a `regex` matcher searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RegexIn {
    #[default]
    Any,
    String,
    Comment,
}

/// A loaded pack.
#[derive(Debug)]
pub struct Pack {
    pub id: String,
    pub description: String,
    /// The file it came from, or `builtin:NAME`.
    pub origin: String,
    pub rules: Vec<Arc<Rule>>,
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub pack: String,
    pub language: Lang,
    pub severity: Severity,
    pub category: String,
    pub message: String,
    pub note: Option<String>,
    pub url: Option<String>,
    /// Include globs, relative to the config's directory. `None`: every file.
    pub files: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    pub skip_tests: bool,
    pub applies_to: AppliesTo,
    /// One line: what to write instead, a template with the match's metavariables (SPEC 7.1).
    pub instead: Option<String>,
    /// Any of these may match (OR); each is one matcher with its constraints (AND).
    pub matchers: Vec<Matcher>,
    pub sanctioned: Option<Sanctioned>,
    pub fixes: Vec<FixSpec>,
    pub examples: Examples,
    /// Only an approval (SPEC 9.3) waives it, never a suppression comment.
    pub requires_approval: bool,
    /// A review rule (SPEC 9): its matches go to the reviewer; it reports nothing by itself.
    pub review: Option<Review>,
    /// Where the rule is defined.
    pub origin: Origin,
}

/// `[rule.review]`: what the reviewer is asked about each match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub prompt: String,
    pub context: ReviewContext,
}

/// How much code the reviewer sees around a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReviewContext {
    /// The matched code only.
    #[default]
    Match,
    /// The function (or method) that contains the match, else the match.
    Function,
    /// The whole file.
    File,
}

impl ReviewContext {
    pub const ALL: [(&'static str, ReviewContext); 3] = [
        ("match", ReviewContext::Match),
        ("function", ReviewContext::Function),
        ("file", ReviewContext::File),
    ];

    pub fn as_str(self) -> &'static str {
        ReviewContext::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("match", |(n, _)| n)
    }
}

/// A file and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Sanctioned {
    pub name: String,
    pub docs: Option<String>,
}

/// One `[rule.match]` table.
#[derive(Debug)]
pub struct Matcher {
    pub kind: MatchKind,
    pub constraints: CallConstraints,
}

#[derive(Debug)]
pub enum MatchKind {
    Import(Vec<QualPattern>),
    Call(Vec<QualPattern>),
    Reference(Vec<QualPattern>),
    Method(Vec<String>),
    Macro(Vec<String>),
    Pattern(PatternMatch),
    Query(QueryMatch),
    Regex(RegexMatch),
    Metric(MetricMatch),
}

impl MatchKind {
    /// The key that selects this matcher in TOML.
    pub fn key(&self) -> &'static str {
        match self {
            MatchKind::Import(_) => "import",
            MatchKind::Call(_) => "call",
            MatchKind::Reference(_) => "reference",
            MatchKind::Method(_) => "method",
            MatchKind::Macro(_) => "macro",
            MatchKind::Pattern(_) => "pattern",
            MatchKind::Query(_) => "query",
            MatchKind::Regex(_) => "regex",
            MatchKind::Metric(_) => "metric",
        }
    }
}

/// A qualified name from a rule: `subprocess.run`, `std::process::Command::new`, `os.*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualPattern {
    pub segments: Vec<String>,
    /// Written with a trailing `*`: anything below `segments` matches.
    pub any_below: bool,
}

impl QualPattern {
    /// The name as a rule writes it: `subprocess.run`, `os.*`, `std::process::*`.
    pub fn written(&self, lang: Lang) -> String {
        let sep = match lang {
            Lang::Python => ".",
            Lang::Rust => "::",
        };
        let mut name = self.segments.join(sep);
        if self.any_below {
            name.push_str(sep);
            name.push('*');
        }
        name
    }

    pub fn parse(lang: Lang, text: &str) -> QualPattern {
        let sep = match lang {
            Lang::Python => ".",
            Lang::Rust => "::",
        };
        let text = text.strip_prefix("::").unwrap_or(text);
        let mut segments: Vec<String> = text.split(sep).map(str::to_string).collect();
        let any_below = segments.last().is_some_and(|s| s == "*");
        if any_below {
            segments.pop();
        }
        // Canonical once, here: `core::mem` is `std::mem`, `builtins.eval` is `eval`.
        let segments = gavel_syntax::canonical_path(lang, segments);
        QualPattern {
            segments,
            any_below,
        }
    }

    /// Does a resolved name match: equal, or below when written with `*`.
    pub fn matches(&self, name: &[impl AsRef<str>]) -> bool {
        if self.any_below {
            name.len() > self.segments.len() && self.is_prefix_of(name)
        } else {
            name.len() == self.segments.len() && self.is_prefix_of(name)
        }
    }

    /// Whole-segment prefix test: `requests` is a prefix of `requests.adapters`.
    pub fn is_prefix_of(&self, name: &[impl AsRef<str>]) -> bool {
        name.len() >= self.segments.len()
            && self.segments.iter().zip(name).all(|(a, b)| a == b.as_ref())
    }
}

#[derive(Debug)]
pub struct PatternMatch {
    pub source: String,
    pub pattern: Pattern,
    pub inside: Vec<Pattern>,
    pub not_inside: Vec<Pattern>,
}

#[derive(Debug)]
pub struct QueryMatch {
    /// The query text; it compiled on its own for the rule's language.
    pub source: String,
}

#[derive(Debug)]
pub struct RegexMatch {
    pub regex: Regex,
    pub within: RegexIn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    FunctionLines,
    FunctionParams,
    NestingDepth,
    Cyclomatic,
}

impl Metric {
    pub const ALL: [(&'static str, Metric); 4] = [
        ("function_lines", Metric::FunctionLines),
        ("function_params", Metric::FunctionParams),
        ("nesting_depth", Metric::NestingDepth),
        ("cyclomatic", Metric::Cyclomatic),
    ];

    pub fn name(self) -> &'static str {
        Metric::ALL
            .iter()
            .find(|(_, m)| *m == self)
            .map(|(n, _)| *n)
            .unwrap_or_default()
    }
}

#[derive(Debug)]
pub struct MetricMatch {
    pub metric: Metric,
    pub max: u32,
}

/// Constraints on the arguments of a matched call (SPEC 1.1).
#[derive(Debug, Default)]
pub struct CallConstraints {
    pub kwargs: Vec<(String, KwargTest)>,
    pub missing_kwargs: Vec<String>,
    /// Positional argument N also gives keyword NAME.
    pub positions: BTreeMap<String, usize>,
    pub arg_regex: Vec<(usize, Regex)>,
    pub arg_not_literal: Vec<usize>,
}

impl CallConstraints {
    pub fn is_empty(&self) -> bool {
        self.kwargs.is_empty()
            && self.missing_kwargs.is_empty()
            && self.arg_regex.is_empty()
            && self.arg_not_literal.is_empty()
    }
}

#[derive(Debug)]
pub enum KwargTest {
    Present,
    OneOf(Vec<String>),
    Regex(Regex),
}

/// A quick fix: one multi-edit change.
#[derive(Debug, Clone, Default)]
pub struct FixSpec {
    pub title: String,
    pub rename_to: Option<String>,
    pub replace: Option<String>,
    pub add_imports: Vec<String>,
    pub remove_kwargs: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Examples {
    pub bad: Vec<Example>,
    pub good: Vec<Example>,
    pub fixed: Vec<FixedExample>,
}

#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    /// 1-based line in the pack file.
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct FixedExample {
    pub before: String,
    pub after: String,
    pub line: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_patterns_match_whole_segments() {
        let p = QualPattern::parse(Lang::Python, "requests");
        assert!(p.is_prefix_of(&["requests", "get"]));
        assert!(!p.is_prefix_of(&["requests_oauthlib"]));
        let star = QualPattern::parse(Lang::Python, "subprocess.*");
        assert!(star.matches(&["subprocess", "run"]));
        assert!(!star.matches(&["subprocess"]));
        let rust = QualPattern::parse(Lang::Rust, "::std::process::Command::new");
        assert_eq!(rust.segments, ["std", "process", "Command", "new"]);
    }
}
