//! The matcher families. Each runs once per file over the gathered facts, for every
//! (rule, matcher) pair of its family, and yields [`Hit`]s.

mod args;
mod call;
mod import;
mod macro_call;
mod method;
mod metric;
mod pattern;
mod query;
pub(crate) mod reference;
mod regex;

use std::{borrow::Cow, collections::HashMap, ops::Range};

use gavel_syntax::Lang;

use crate::{
    facts::Facts,
    resolve::Resolver,
    ruleset::{ActiveRule, LangIndex},
    unit::SNode,
};

pub(crate) use args::{Args, args_text, is_literal};

/// A place where a rule's matcher matched.
pub(crate) struct Hit<'a> {
    pub rule: usize,
    pub range: Range<usize>,
    /// Metavariables for the message and `replace` templates.
    /// Borrowed from the source where they can be: a chain of 8,000 calls would otherwise
    /// copy its receiver's text 8,000 times.
    pub vars: Vec<(String, Cow<'a, str>)>,
    /// The call, for `remove_kwargs` and `$CALLEE`/`$ARGS`.
    pub call: Option<SNode<'a>>,
    /// The callee or reference expression, for `rename_to` on calls.
    pub callee: Option<SNode<'a>>,
    /// The import item, for `rename_to` on imports.
    pub import: Option<usize>,
    /// The qualified-name pattern that matched, for `rename_to`.
    pub matched: Option<Vec<String>>,
}

impl<'a> Hit<'a> {
    pub fn new(rule: usize, range: Range<usize>) -> Hit<'a> {
        Hit {
            rule,
            range,
            vars: Vec::new(),
            call: None,
            callee: None,
            import: None,
            matched: None,
        }
    }
}

/// The qualified names an expression may stand for.
type Names = Vec<Vec<String>>;

/// What every matcher may read.
pub(crate) struct Ctx<'a> {
    pub lang: Lang,
    pub source: &'a str,
    pub facts: &'a Facts<'a>,
    pub resolver: &'a Resolver<'a>,
    pub rules: &'a [ActiveRule],
    /// Rules that apply to this file (globs, tests).
    pub applicable: &'a [bool],
    /// Ranges of import statements, to tell a reference from an imported name.
    pub import_ranges: Vec<Range<usize>>,
    /// When set, only this part of the file is being checked (sorted, disjoint ranges).
    pub region: Option<&'a [Range<usize>]>,
    resolved: std::cell::RefCell<HashMap<(usize, usize), Names>>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        lang: Lang,
        source: &'a str,
        facts: &'a Facts<'a>,
        resolver: &'a Resolver<'a>,
        rules: &'a [ActiveRule],
        applicable: &'a [bool],
    ) -> Ctx<'a> {
        let mut import_ranges: Vec<Range<usize>> =
            facts.imports.iter().map(|i| i.range()).collect();
        import_ranges.sort_by_key(|r| r.start);
        Ctx {
            lang,
            source,
            facts,
            resolver,
            rules,
            applicable,
            import_ranges,
            region: None,
            resolved: Default::default(),
        }
    }

    /// Resolve an expression once per file.
    pub fn resolve(&self, node: SNode<'a>) -> Vec<Vec<String>> {
        let key = (node.range().start, node.range().end);
        if let Some(v) = self.resolved.borrow().get(&key) {
            return v.clone();
        }
        let v = self.resolver.resolve(node);
        self.resolved.borrow_mut().insert(key, v.clone());
        v
    }

    /// Is this node of the file in the region being checked?
    pub fn in_region(&self, range: &Range<usize>) -> bool {
        self.region.is_none_or(|region| {
            region
                .iter()
                .any(|r| r.start < range.end.max(range.start + 1) && range.start < r.end)
        })
    }

    pub fn in_import(&self, range: &Range<usize>) -> bool {
        // Statements don't overlap and are sorted by start: only the last one starting at or
        // before `range` can contain it.
        let i = self
            .import_ranges
            .partition_point(|r| r.start <= range.start);
        i > 0 && range.end <= self.import_ranges[i - 1].end
    }

    /// The (rule, matcher) pairs of a family that apply to this file.
    pub fn targets<'i>(
        &self,
        index: &'i LangIndex,
        key: &str,
    ) -> impl Iterator<Item = (usize, &'a gavel_policy::Matcher)> + use<'a, 'i, '_> {
        index
            .by_kind
            .get(key)
            .into_iter()
            .flatten()
            .filter(|(r, _)| self.applicable[*r])
            .map(|&(r, m)| (r, &self.rules[r].rule.matchers[m]))
    }
}

/// Run every family.
pub(crate) fn run_all<'a>(cx: &Ctx<'a>, index: &LangIndex) -> Vec<Hit<'a>> {
    let mut hits = Vec::new();
    import::run(cx, index, &mut hits);
    call::run(cx, index, &mut hits);
    reference::run(cx, index, &mut hits);
    method::run(cx, index, &mut hits);
    macro_call::run(cx, index, &mut hits);
    pattern::run(cx, index, &mut hits);
    query::run(cx, index, &mut hits);
    regex::run(cx, index, &mut hits);
    metric::run(cx, index, &mut hits);
    hits
}

/// Does any resolved name match any pattern? Returns the pattern's segments and the name.
pub(crate) fn match_names<'n>(
    names: &'n [Vec<String>],
    patterns: &[gavel_policy::QualPattern],
) -> Option<(Vec<String>, &'n [String])> {
    patterns.iter().find_map(|p| {
        names
            .iter()
            .find(|n| p.matches(n))
            .map(|n| (p.segments.clone(), n.as_slice()))
    })
}
