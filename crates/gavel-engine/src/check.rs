//! Checking one file: facts, resolution, matchers, fixes, test code, suppressions.

use gavel_policy::Severity;
use gavel_syntax::{Lang, LineIndex, tree_sitter::Tree};
use typed_arena::Arena;

use crate::{
    facts::gather,
    finding::{FileReport, Finding, Provenance},
    fix,
    matchers::{Ctx, Hit, run_all},
    resolve::Resolver,
    ruleset::RuleSet,
    suppress,
    template::render,
    test_code::{is_test_path, test_ranges},
    unit::Unit,
};

/// A file to check: its text, its (possibly incremental) tree, and its path relative to the
/// config's directory, with `/` separators (used for `files`/`exclude`, test detection and
/// relative imports).
pub struct FileInput<'a> {
    pub source: &'a str,
    pub tree: &'a Tree,
    pub lang: Lang,
    pub path: &'a str,
}

impl RuleSet {
    /// Check one file.
    pub fn check(&self, input: &FileInput<'_>) -> FileReport {
        let index = self.index(input.lang);
        let test_file = is_test_path(input.lang, input.path);
        let applicable: Vec<bool> = self
            .rules
            .iter()
            .map(|r| {
                r.severity != Severity::Off
                    && r.rule.language == input.lang
                    && !(r.rule.skip_tests && test_file)
                    && (self.options.ignore_file_globs
                        || r.rule.files.as_ref().is_none_or(|g| g.is_match(input.path))
                            && !r
                                .rule
                                .exclude
                                .as_ref()
                                .is_some_and(|g| g.is_match(input.path)))
            })
            .collect();
        let arena = Arena::new();
        let file = Unit::file(input.source, input.tree);
        let facts = gather(&index.plan, &file, &arena);
        let resolver = Resolver::new(input.lang, &facts, input.path);
        let cx = Ctx::new(
            input.lang,
            input.source,
            &facts,
            &resolver,
            &self.rules,
            &applicable,
        );
        let mut hits = run_all(&cx, index);
        drop_test_code(self, &cx, &mut hits);
        hits.sort_by_key(|h| (h.range.start, h.range.end, h.rule));
        hits.dedup_by(|b, a| a.rule == b.rule && a.range == b.range);
        let mut findings: Vec<Finding> = hits.iter().map(|h| self.finding(&cx, h)).collect();
        let line_index = LineIndex::new(input.source);
        let suppressed = suppress::apply(self, input.source, &line_index, &facts, &mut findings);
        findings.sort_by(|a, b| {
            (a.range.start, a.range.end, &a.rule_id).cmp(&(b.range.start, b.range.end, &b.rule_id))
        });
        FileReport {
            findings,
            suppressed,
        }
    }

    fn finding(&self, cx: &Ctx<'_>, hit: &Hit<'_>) -> Finding {
        let active = &self.rules[hit.rule];
        let rule = &active.rule;
        Finding {
            rule_id: rule.id.clone(),
            rule: Some(rule.clone()),
            severity: active.severity,
            category: rule.category.clone(),
            message: render(&rule.message, &hit.vars),
            range: hit.range.clone(),
            fixes: fix::build(cx, &rule.fixes, hit),
            provenance: Provenance::Unknown,
            applies_to: active.applies_to,
        }
    }
}

fn drop_test_code(rules: &RuleSet, cx: &Ctx<'_>, hits: &mut Vec<Hit<'_>>) {
    if !hits.iter().any(|h| rules.rules[h.rule].rule.skip_tests) {
        return;
    }
    let ranges = test_ranges(cx.lang, cx.facts);
    hits.retain(|h| {
        !rules.rules[h.rule].rule.skip_tests
            || !ranges
                .iter()
                .any(|r| r.start <= h.range.start && h.range.end <= r.end)
    });
}
