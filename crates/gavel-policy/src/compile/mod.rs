//! Raw pack → validated, compiled [`Pack`]. Every problem becomes a [`PolicyError`] at the span
//! of the text to change.

use std::{collections::HashSet, ops::Range, sync::Arc};

use gavel_syntax::{Lang, LineIndex, SgLang, WideEncoding};
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use toml::Spanned;

mod matcher;
mod template;

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
        // Placeholders are judged against matchers that compiled (else their errors say it).
        if self.errors.len() == before {
            let m = &matchers;
            self.check_template(&id, "message", raw.message.get_ref(), raw.message.span(), m);
            if let Some(i) = &raw.instead {
                self.check_template(&id, "instead", i.get_ref(), i.span(), m);
            }
            for f in &raw.fix {
                if let Some(r) = &f.get_ref().replace {
                    self.check_template(&id, "replace", r, f.span(), m);
                }
            }
        }
        let fixes = raw
            .fix
            .into_iter()
            .filter_map(|f| self.fix(&id, &matchers, f))
            .collect();
        let examples = self.examples(raw.examples);
        let instead = raw.instead.and_then(|i| self.instead(&id, i));
        let review = raw.review.and_then(|r| self.review(&id, r.into_inner()));
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
            requires_approval: raw.requires_approval,
            review,
            origin: Origin {
                file: self.file.name.clone(),
                line: self.line(&span),
            },
        })
    }

    /// `[rule.review]`: a prompt that asks something, and a known context.
    fn review(&mut self, rule: &str, raw: RawReview) -> Option<Review> {
        let prompt = raw.prompt.get_ref().trim();
        if prompt.is_empty() {
            self.err(
                raw.prompt.span(),
                format!("rule `{rule}`: the review `prompt` is empty: say what the reviewer must judge, e.g. \"Fail if the handler does not call acme_authz.require()\""),
            );
            return None;
        }
        let context = match &raw.context {
            None => ReviewContext::Match,
            Some(c) => match ReviewContext::ALL.iter().find(|(n, _)| n == c.get_ref()) {
                Some((_, context)) => *context,
                None => {
                    self.err(
                        c.span(),
                        format!(
                            "rule `{rule}`: review context `{}` is not one of \"match\", \"function\", \"file\"",
                            c.get_ref()
                        ),
                    );
                    return None;
                }
            },
        };
        Some(Review {
            prompt: prompt.to_string(),
            context,
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
