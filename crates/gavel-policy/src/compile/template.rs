//! Placeholders in a rule's templates (`message`, `instead`, a fix's `replace`): each `$NAME`
//! must be one the rule's matchers give (a pattern's metavariables, a query's captures,
//! `$MODULE` of `import`, `$CALLEE`/`$ARGS`/`$NAME` of calls, ...), else it would print as
//! written. A `$` not followed by an upper-case name is text.

use super::*;

/// What each matcher kind gives every hit.
fn given(m: &Matcher) -> Vec<String> {
    let fixed: &[&str] = match &m.kind {
        MatchKind::Import(_) => &["MODULE"],
        MatchKind::Call(_) | MatchKind::Reference(_) => &["CALLEE", "ARGS", "NAME"],
        MatchKind::Method(_) => &["METHOD", "RECEIVER", "ARGS", "CALLEE"],
        MatchKind::Macro(_) => &["MACRO", "ARGS"],
        MatchKind::Regex(_) => &["MATCH"],
        MatchKind::Metric(_) => &["FUNCTION", "VALUE", "MAX", "METRIC"],
        MatchKind::Pattern(p) => {
            return p
                .pattern
                .defined_vars()
                .into_iter()
                .map(str::to_string)
                .collect();
        }
        MatchKind::Query(q) => return captures(&q.source),
    };
    fixed.iter().map(|s| s.to_string()).collect()
}

/// The capture names of a tree-sitter query (`@name`).
fn captures(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = query;
    while let Some(i) = rest.find('@') {
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
            .unwrap_or(after.len());
        out.push(after[..len].to_string());
        rest = &after[len..];
    }
    out
}

/// The `$NAME`s of a template, with their byte offsets.
fn placeholders(template: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = template[at..].find('$') {
        let start = at + i;
        let after = template[start..].trim_start_matches('$');
        let name_at = template.len() - after.len();
        let len = after
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        if len > 0 {
            out.push((start, &after[..len]));
        }
        at = name_at + len;
    }
    out
}

impl Cx<'_> {
    /// Report each placeholder of `template` (written at `span`) that no matcher gives.
    pub(super) fn check_template(
        &mut self,
        rule: &str,
        key: &str,
        template: &str,
        span: Range<usize>,
        matchers: &[Matcher],
    ) {
        let known: Vec<String> = matchers.iter().flat_map(given).collect();
        for (_, name) in placeholders(template) {
            if known.iter().any(|k| k == name) {
                continue;
            }
            let written = format!("${name}");
            let at = self.file.text[span.clone()]
                .find(&written)
                .map_or(span.clone(), |i| {
                    span.start + i..span.start + i + written.len()
                });
            let mut offered: Vec<&str> = known.iter().map(String::as_str).collect();
            offered.sort_unstable();
            offered.dedup();
            let offer = if offered.is_empty() {
                "this rule's matchers give none".to_string()
            } else {
                format!("this rule's matchers give ${}", offered.join(", $"))
            };
            self.err(
                at,
                format!("rule `{rule}`: `{key}` uses `{written}`, which no matcher gives ({offer}); write one of those, or the text without `$`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_upper_case_names_after_dollars() {
        let found = placeholders("use $X and $$$ARGS, not $ 5 or $lower or $");
        assert_eq!(found, [(4, "X"), (11, "ARGS")]);
        assert_eq!(captures("(call function: (_) @FN) @match"), ["FN", "match"]);
    }
}
