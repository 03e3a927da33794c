//! Compiling a rule's `[rule.match]` tables: names, patterns (ast-grep, checked to parse),
//! tree-sitter queries (checked against the grammar), regexes, metrics and call constraints,
//! each problem a [`PolicyError`](crate::PolicyError) at its span.

use super::*;

impl Cx<'_> {
    pub(super) fn matcher(
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
        // A list that names nothing would match nothing, silently.
        let lists = [&m.import, &m.call, &m.reference, &m.method, &m.macro_];
        if let Some(empty) = lists.into_iter().flatten().find(|v| v.get_ref().is_empty()) {
            self.err(
                empty.span(),
                format!("rule `{rule}`: `{key} = []` names nothing: list at least one name"),
            );
            return None;
        }
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
}
