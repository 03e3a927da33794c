//! Raw pack → validated, compiled [`Pack`]. Every problem becomes a [`PolicyError`] at the span
//! of the text to change.

use std::{collections::HashSet, ops::Range, sync::Arc};

use gavel_syntax::{Lang, LineIndex, SgLang, WideEncoding};
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use toml::Spanned;

use crate::{
    error::{PolicyError, SourceFile},
    model::*,
    raw::*,
    suggest::improve_serde_message,
};

/// Parse and compile one pack file. All problems found are returned, not only the first.
pub fn parse_pack(file: &SourceFile) -> Result<Pack, Vec<PolicyError>> {
    let raw: RawPack = from_toml(file)?;
    let cx = Cx {
        file,
        index: LineIndex::new(&file.text),
        errors: Vec::new(),
    };
    cx.pack(raw)
}

/// Deserialize TOML, turning serde's message into one with a suggestion.
pub(crate) fn from_toml<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
) -> Result<T, Vec<PolicyError>> {
    toml::from_str(&file.text).map_err(|e| {
        let message = improve_serde_message(e.message());
        let message = match message.as_str() {
            m if m.starts_with("missing field") => format!("{m}: add it"),
            _ => message,
        };
        vec![file.error(e.span(), message)]
    })
}

struct Cx<'a> {
    file: &'a SourceFile,
    index: LineIndex,
    errors: Vec<PolicyError>,
}

impl Cx<'_> {
    fn err(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(self.file.error(Some(span), message));
    }

    fn line(&self, span: &Range<usize>) -> u32 {
        self.index
            .line_col(&self.file.text, span.start, WideEncoding::Utf8)
            .line
            + 1
    }

    fn pack(mut self, raw: RawPack) -> Result<Pack, Vec<PolicyError>> {
        let meta = raw.pack.into_inner();
        let pack_id = meta.id.get_ref().clone();
        if !valid_id(&pack_id) {
            self.err(
                meta.id.span(),
                format!("pack id `{pack_id}` may only use letters, digits, `.`, `_` and `-`"),
            );
        }
        let mut seen = HashSet::new();
        let mut rules = Vec::new();
        for rule in raw.rule {
            let span = rule.span();
            let rule = rule.into_inner();
            if !seen.insert(rule.id.get_ref().clone()) {
                self.err(
                    rule.id.span(),
                    format!(
                        "duplicate rule id `{}` in this pack: rule ids must be unique",
                        rule.id.get_ref()
                    ),
                );
                continue;
            }
            if let Some(rule) = self.rule(&pack_id, rule, span) {
                rules.push(Arc::new(rule));
            }
        }
        if self.errors.is_empty() {
            Ok(Pack {
                id: pack_id,
                description: meta.description,
                origin: self.file.name.clone(),
                rules,
            })
        } else {
            Err(self.errors)
        }
    }

    fn rule(&mut self, pack: &str, raw: RawRule, span: Range<usize>) -> Option<Rule> {
        let before = self.errors.len();
        let id = raw.id.get_ref().clone();
        if !valid_id(&id) {
            self.err(
                raw.id.span(),
                format!("rule id `{id}` may only use letters, digits, `.`, `_` and `-`"),
            );
        }
        let language = match Lang::from_name(raw.language.get_ref()) {
            Some(l) => l,
            None => {
                self.err(
                    raw.language.span(),
                    format!(
                        "rule `{id}`: language `{}` is not supported; use \"python\" or \"rust\"",
                        raw.language.get_ref()
                    ),
                );
                return None;
            }
        };
        let files = self.globs(&raw.files);
        let exclude = self.globs(&raw.exclude);
        let mut matchers = Vec::new();
        let match_span = raw.matcher.span();
        for m in raw.matcher.into_inner().0 {
            if let Some(m) = self.matcher(&id, language, m, match_span.clone()) {
                matchers.push(m);
            }
        }
        if matchers.is_empty() && self.errors.len() == before {
            self.err(
                match_span,
                format!(
                    "rule `{id}` has no matcher: add one of {}",
                    MATCH_KEYS.join(", ")
                ),
            );
        }
        let fixes = raw
            .fix
            .into_iter()
            .filter_map(|f| self.fix(&id, &matchers, f))
            .collect();
        let examples = self.examples(raw.examples);
        let instead = raw.instead.and_then(|i| self.instead(&id, i));
        if self.errors.len() > before {
            return None;
        }
        Some(Rule {
            id,
            pack: pack.to_string(),
            language,
            severity: raw.severity.unwrap_or(Severity::Warning),
            category: raw.category.unwrap_or_else(|| "general".into()),
            message: raw.message.into_inner(),
            note: raw.note,
            url: raw.url,
            files,
            exclude,
            skip_tests: raw.skip_tests,
            applies_to: raw.applies_to,
            instead,
            matchers,
            sanctioned: raw.sanctioned.map(|s| Sanctioned {
                name: s.name,
                docs: s.docs,
            }),
            fixes,
            examples,
            origin: Origin {
                file: self.file.name.clone(),
                line: self.line(&span),
            },
        })
    }

    /// `instead` is one line that says something: agents read it as the thing to write.
    fn instead(&mut self, rule: &str, instead: Spanned<String>) -> Option<String> {
        let text = instead.get_ref().trim();
        if text.is_empty() || text.contains('\n') {
            self.err(
                instead.span(),
                format!(
                    "rule `{rule}`: `instead` must be one non-empty line (what to write instead, \
                     e.g. \"acme_http.get($ARGS)\"); put longer advice in `note`"
                ),
            );
            return None;
        }
        Some(text.to_string())
    }

    fn globs(&mut self, globs: &[Spanned<String>]) -> Option<GlobSet> {
        if globs.is_empty() {
            return None;
        }
        let mut builder = GlobSetBuilder::new();
        for g in globs {
            match Glob::new(g.get_ref()) {
                Ok(glob) => {
                    builder.add(glob);
                }
                Err(e) => self.err(
                    g.span(),
                    format!("invalid glob `{}`: {}", g.get_ref(), e.kind()),
                ),
            }
        }
        builder.build().ok()
    }

    fn matcher(
        &mut self,
        rule: &str,
        lang: Lang,
        m: RawMatch,
        span: Range<usize>,
    ) -> Option<Matcher> {
        let present: Vec<&str> = [
            ("import", m.import.is_some()),
            ("call", m.call.is_some()),
            ("reference", m.reference.is_some()),
            ("method", m.method.is_some()),
            ("macro", m.macro_.is_some()),
            ("pattern", m.pattern.is_some()),
            ("query", m.query.is_some()),
            ("regex", m.regex.is_some()),
            ("metric", m.metric.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, p)| p.then_some(k))
        .collect();
        match present.as_slice() {
            [] => {
                self.err(
                    span,
                    format!(
                        "rule `{rule}`: [rule.match] needs one matcher key: one of {}",
                        MATCH_KEYS.join(", ")
                    ),
                );
                return None;
            }
            [_] => {}
            many => {
                self.err(
                    span,
                    format!(
                        "rule `{rule}`: [rule.match] has {} matchers ({}); keep one, or write several [[rule.match]] tables to match any of them",
                        many.len(),
                        many.join(", ")
                    ),
                );
                return None;
            }
        }
        let key = present[0];
        self.check_constraints_fit(rule, key, lang, &m);
        let names = |v: &Spanned<Vec<String>>| {
            v.get_ref()
                .iter()
                .map(|n| QualPattern::parse(lang, n))
                .collect()
        };
        let kind = match key {
            "import" => MatchKind::Import(names(m.import.as_ref()?)),
            "call" => MatchKind::Call(names(m.call.as_ref()?)),
            "reference" => MatchKind::Reference(names(m.reference.as_ref()?)),
            "method" => MatchKind::Method(m.method.as_ref()?.get_ref().clone()),
            "macro" => {
                if lang != Lang::Rust {
                    self.err(
                        m.macro_.as_ref()?.span(),
                        format!("rule `{rule}`: `macro` only applies to Rust rules"),
                    );
                }
                let names = m
                    .macro_
                    .as_ref()?
                    .get_ref()
                    .iter()
                    .map(|n| n.trim_end_matches('!').to_string());
                MatchKind::Macro(names.collect())
            }
            "pattern" => self.pattern(rule, lang, &m)?,
            "query" => self.query(rule, lang, m.query.as_ref()?)?,
            "regex" => {
                let regex = self.regex(m.regex.as_ref()?)?;
                MatchKind::Regex(RegexMatch {
                    regex,
                    within: m.regex_in.unwrap_or_default(),
                })
            }
            "metric" => self.metric(rule, &m, span)?,
            _ => unreachable!("every key is handled"),
        };
        let constraints = self.constraints(&m)?;
        Some(Matcher { kind, constraints })
    }

    fn check_constraints_fit(&mut self, rule: &str, key: &str, lang: Lang, m: &RawMatch) {
        let callish = matches!(key, "call" | "method" | "reference");
        let spans = [
            ("kwargs", m.kwargs.as_ref().map(|s| s.span()), callish),
            (
                "missing_kwargs",
                m.missing_kwargs.as_ref().map(|s| s.span()),
                callish,
            ),
            ("positions", m.positions.as_ref().map(|s| s.span()), callish),
            ("arg_regex", m.arg_regex.as_ref().map(|s| s.span()), callish),
            (
                "arg_not_literal",
                m.arg_not_literal.as_ref().map(|s| s.span()),
                callish,
            ),
            (
                "inside",
                m.inside.as_ref().map(|s| s.span()),
                key == "pattern",
            ),
            (
                "not_inside",
                m.not_inside.as_ref().map(|s| s.span()),
                key == "pattern",
            ),
            ("max", m.max.as_ref().map(|s| s.span()), key == "metric"),
        ];
        for (name, span, fits) in spans {
            if let (Some(span), false) = (span, fits) {
                let owner = match name {
                    "inside" | "not_inside" => "`pattern`",
                    "max" => "`metric`",
                    _ => "`call`, `method` and `reference`",
                };
                self.err(
                    span,
                    format!("rule `{rule}`: `{name}` only applies to {owner}, not to `{key}`"),
                );
            }
        }
        if lang == Lang::Rust
            && let Some(k) = m
                .kwargs
                .as_ref()
                .map(|s| s.span())
                .or(m.missing_kwargs.as_ref().map(|s| s.span()))
        {
            self.err(
                k,
                format!("rule `{rule}`: Rust has no keyword arguments; use `arg_regex` instead"),
            );
        }
        if m.regex_in.is_some() && key != "regex" {
            self.err(
                0..0,
                format!("rule `{rule}`: `regex_in` only applies to `regex`"),
            );
        }
    }

    fn pattern(&mut self, rule: &str, lang: Lang, m: &RawMatch) -> Option<MatchKind> {
        let src = m.pattern.as_ref()?;
        let pattern = self.one_pattern(rule, lang, src.get_ref(), src.span())?;
        let mut list =
            |v: &Option<Spanned<crate::one_or_many::OneOrMany<String>>>| -> Option<Vec<_>> {
                let Some(v) = v else { return Some(Vec::new()) };
                v.get_ref()
                    .0
                    .iter()
                    .map(|p| self.one_pattern(rule, lang, p, v.span()))
                    .collect()
            };
        let inside = list(&m.inside)?;
        let not_inside = list(&m.not_inside)?;
        Some(MatchKind::Pattern(PatternMatch {
            source: src.get_ref().clone(),
            pattern,
            inside,
            not_inside,
        }))
    }

    fn one_pattern(
        &mut self,
        rule: &str,
        lang: Lang,
        src: &str,
        span: Range<usize>,
    ) -> Option<ast_grep_core::Pattern> {
        match SgLang(lang).pattern(src) {
            Ok(p) if !p.has_error() => Some(p),
            Ok(_) => {
                self.err(span, format!("rule `{rule}`: pattern `{src}` is not valid {lang} code; write it as code, with $X for one node and $$$X for many"));
                None
            }
            Err(e) => {
                self.err(span, format!("rule `{rule}`: invalid pattern `{src}`: {e}"));
                None
            }
        }
    }

    fn query(&mut self, rule: &str, lang: Lang, src: &Spanned<String>) -> Option<MatchKind> {
        match gavel_syntax::tree_sitter::Query::new(&lang.ts_language(), src.get_ref()) {
            Ok(q) if q.capture_names().contains(&"match") => Some(MatchKind::Query(QueryMatch {
                source: src.get_ref().clone(),
            })),
            Ok(_) => {
                self.err(src.span(), format!("rule `{rule}`: the query has no `@match` capture; add `@match` after the node to report"));
                None
            }
            Err(e) => {
                let at = inner_span(&self.file.text, src, e.offset);
                self.err(
                    at,
                    format!(
                        "rule `{rule}`: invalid tree-sitter query for {lang}: {:?} error: {}",
                        e.kind,
                        e.message.trim()
                    ),
                );
                None
            }
        }
    }

    fn regex(&mut self, src: &Spanned<String>) -> Option<Regex> {
        match Regex::new(src.get_ref()) {
            Ok(r) => Some(r),
            Err(e) => {
                let detail = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                self.err(
                    src.span(),
                    format!("invalid regex `{}`: {detail}", src.get_ref()),
                );
                None
            }
        }
    }

    fn metric(&mut self, rule: &str, m: &RawMatch, span: Range<usize>) -> Option<MatchKind> {
        let name = m.metric.as_ref()?;
        let Some(metric) = Metric::ALL
            .iter()
            .find(|(n, _)| n == name.get_ref())
            .map(|(_, m)| *m)
        else {
            let names: Vec<_> = Metric::ALL.iter().map(|(n, _)| *n).collect();
            let hint = crate::did_you_mean(name.get_ref(), names.iter().copied())
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            self.err(
                name.span(),
                format!(
                    "rule `{rule}`: unknown metric `{}`: {hint}use one of {}",
                    name.get_ref(),
                    names.join(", ")
                ),
            );
            return None;
        };
        let Some(max) = m.max.as_ref() else {
            self.err(span, format!("rule `{rule}`: a `metric` needs `max = N`"));
            return None;
        };
        Some(MatchKind::Metric(MetricMatch {
            metric,
            max: *max.get_ref(),
        }))
    }

    fn constraints(&mut self, m: &RawMatch) -> Option<CallConstraints> {
        let mut c = CallConstraints::default();
        if let Some(kwargs) = &m.kwargs {
            for (name, v) in kwargs.get_ref() {
                let test = match v {
                    RawKwarg::Text(t) if t == "*" => KwargTest::Present,
                    RawKwarg::Text(t) => KwargTest::OneOf(vec![normalize_ws(t)]),
                    RawKwarg::AnyOf(ts) => {
                        KwargTest::OneOf(ts.iter().map(|t| normalize_ws(t)).collect())
                    }
                    RawKwarg::Regex { regex } => match Regex::new(regex) {
                        Ok(r) => KwargTest::Regex(r),
                        Err(e) => {
                            self.err(
                                kwargs.span(),
                                format!(
                                    "invalid regex for kwarg `{name}`: {}",
                                    e.to_string().lines().last().unwrap_or_default().trim()
                                ),
                            );
                            return None;
                        }
                    },
                };
                c.kwargs.push((name.clone(), test));
            }
        }
        c.missing_kwargs = m
            .missing_kwargs
            .as_ref()
            .map(|v| v.get_ref().clone())
            .unwrap_or_default();
        c.positions = m
            .positions
            .as_ref()
            .map(|v| v.get_ref().clone())
            .unwrap_or_default();
        c.arg_not_literal = m
            .arg_not_literal
            .as_ref()
            .map(|v| v.get_ref().clone())
            .unwrap_or_default();
        if let Some(arg_regex) = &m.arg_regex {
            for (k, v) in arg_regex.get_ref() {
                let Ok(i) = k.parse::<usize>() else {
                    self.err(
                        arg_regex.span(),
                        format!("`arg_regex` keys are argument positions (0, 1, ...), not `{k}`"),
                    );
                    return None;
                };
                match Regex::new(v) {
                    Ok(r) => c.arg_regex.push((i, r)),
                    Err(e) => {
                        self.err(
                            arg_regex.span(),
                            format!(
                                "invalid regex `{v}` for argument {i}: {}",
                                e.to_string().lines().last().unwrap_or_default().trim()
                            ),
                        );
                        return None;
                    }
                }
            }
        }
        Some(c)
    }

    fn fix(&mut self, rule: &str, matchers: &[Matcher], f: Spanned<RawFix>) -> Option<FixSpec> {
        let span = f.span();
        let f = f.into_inner();
        if f.rename_to.is_none()
            && f.replace.is_none()
            && f.add_imports.is_empty()
            && f.remove_kwargs.is_empty()
        {
            self.err(span, format!("rule `{rule}`: fix `{}` does nothing: give `rename_to`, `replace`, `add_imports` or `remove_kwargs`", f.title.get_ref()));
            return None;
        }
        if f.rename_to.is_some()
            && matchers.iter().any(|m| {
                !matches!(
                    m.kind,
                    MatchKind::Import(_) | MatchKind::Call(_) | MatchKind::Reference(_)
                )
            })
        {
            self.err(span, format!("rule `{rule}`: `rename_to` only works with `import`, `call` and `reference` matchers; use `replace`"));
            return None;
        }
        Some(FixSpec {
            title: f.title.into_inner(),
            rename_to: f.rename_to,
            replace: f.replace,
            add_imports: f.add_imports,
            remove_kwargs: f.remove_kwargs,
        })
    }

    fn examples(&mut self, raw: RawExamples) -> Examples {
        let ex = |cx: &Self, e: Spanned<String>| Example {
            line: cx.line(&e.span()),
            text: e.into_inner(),
        };
        Examples {
            bad: raw.bad.into_iter().map(|e| ex(self, e)).collect(),
            good: raw.good.into_iter().map(|e| ex(self, e)).collect(),
            fixed: raw
                .fixed
                .into_iter()
                .map(|f| {
                    let line = self.line(&f.span());
                    let f = f.into_inner();
                    FixedExample {
                        before: f.before,
                        after: f.after,
                        line,
                    }
                })
                .collect(),
        }
    }
}

const MATCH_KEYS: [&str; 9] = [
    "import",
    "call",
    "reference",
    "method",
    "macro",
    "pattern",
    "query",
    "regex",
    "metric",
];

pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The span of byte `offset` of a string value, when the TOML text holds the value verbatim (a
/// literal string); otherwise the start of the value.
fn inner_span(file: &str, value: &Spanned<String>, offset: usize) -> Range<usize> {
    let span = value.span();
    match file
        .get(span.clone())
        .and_then(|raw| raw.find(value.get_ref().as_str()))
    {
        Some(k) => {
            let at = span.start + k + offset.min(value.get_ref().len());
            at..at + 1
        }
        None => span,
    }
}
