//! Checking one file: facts, resolution, matchers, fixes, test code, suppressions.
//!
//! [`RuleSet::check`] checks the whole file. [`analyze`](RuleSet::analyze) is the core it shares
//! with the incremental check ([`crate::incremental`]): it can gather facts from a region only,
//! with the module-level bindings and suppression comments of the rest of the file given as
//! byte ranges to find again in the tree.

use std::{collections::HashSet, ops::Range};

use gavel_policy::Severity;
use gavel_syntax::{
    Lang, LineIndex,
    tree_sitter::{Node, Tree, TreeCursor},
};
use typed_arena::Arena;

use crate::{
    facts::{FactKind, Facts, expand_macros, gather},
    finding::{FileReport, Finding, Provenance, Waived},
    fix,
    matchers::{Ctx, Hit, run_all},
    resolve::Resolver,
    ruleset::{ActiveRule, RuleSet},
    suppress,
    template::render_line,
    test_code::{is_test_path, test_ranges},
    unit::{SNode, Unit},
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

/// A node of the file known by its range and kind, found again in a new tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct NodeRef {
    pub fact: FactKind,
    pub kind_id: u16,
    pub range: Range<usize>,
}

/// What a region check knows of the rest of the file.
#[derive(Default)]
pub(crate) struct Outside<'a> {
    /// The module-level bindings and suppression comments the region depends on.
    pub known: Vec<NodeRef>,
    /// Where to find `known` again: the whole file's tree, when the region's tree is a parse of
    /// the region alone; `None` when the input's tree is the whole file's.
    pub tree: Option<&'a Tree>,
    /// The findings (before suppressions) of the rest of the file, from before.
    pub findings: Vec<Finding>,
}

/// What [`RuleSet::analyze`] found.
pub(crate) struct Analysis {
    /// Findings before suppressions (in the region, when there is one), sorted.
    pub raw: Vec<Finding>,
    /// The findings after suppressions, with gavel's own findings about them.
    pub findings: Vec<Finding>,
    pub suppressed: usize,
    /// What the suppressions removed.
    pub waived: Vec<Waived>,
    /// Module-level bindings (imports and definitions) gathered.
    pub bindings: Vec<NodeRef>,
    /// Comments that may be suppressions.
    pub comments: Vec<NodeRef>,
    /// Names looked up in the module's scope, with where they were used (for an editor pass).
    pub lookups: Vec<(usize, String)>,
}

/// What a pass of [`RuleSet::analyze`] is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pass {
    /// `gavel check`, code actions: findings with their fixes.
    WithFixes,
    /// The editor's incremental check: no fixes, and the names looked up in the module's scope.
    Editor,
}

impl RuleSet {
    /// Check one file.
    pub fn check(&self, input: &FileInput<'_>) -> FileReport {
        let a = self.analyze(input, None, Outside::default(), Pass::WithFixes);
        FileReport {
            findings: a.findings,
            suppressed: a.suppressed,
            waived: a.waived,
        }
    }

    fn applicable(&self, input: &FileInput<'_>) -> Vec<bool> {
        let test_file = is_test_path(input.lang, input.path);
        self.rules
            .iter()
            .map(|r| self.applies(r, input.lang, input.path, test_file))
            .collect()
    }

    /// The rules that are on for a file of `lang` at `path` (relative to the config's
    /// directory, with `/`): its language, its test-code status and the rules' `files` and
    /// `exclude` globs decide, as they do when the file is checked.
    pub fn rules_for<'a>(
        &'a self,
        lang: Lang,
        path: &'a str,
    ) -> impl Iterator<Item = &'a ActiveRule> + 'a {
        let test_file = is_test_path(lang, path);
        self.rules
            .iter()
            .filter(move |r| self.applies(r, lang, path, test_file))
    }

    fn applies(&self, r: &ActiveRule, lang: Lang, path: &str, test_file: bool) -> bool {
        r.severity != Severity::Off
            && r.rule.language == lang
            && !(r.rule.skip_tests && test_file)
            && (self.options.ignore_file_globs
                || r.rule.files.as_ref().is_none_or(|g| g.is_match(path))
                    && !r.rule.exclude.as_ref().is_some_and(|g| g.is_match(path)))
    }

    /// Check `region` of the file (all of it for `None`), given what is known of the rest.
    pub(crate) fn analyze(
        &self,
        input: &FileInput<'_>,
        region: Option<&[Range<usize>]>,
        outside: Outside<'_>,
        pass: Pass,
    ) -> Analysis {
        let index = self.index(input.lang);
        let applicable = self.applicable(input);
        let arena = Arena::new();
        let file = Unit::file(input.lang, input.source, input.tree);
        let outline = outside
            .tree
            .map(|t| Unit::file(input.lang, input.source, t));
        let mut facts = gather(&index.plan, &file, region);
        facts.outline = outline.as_ref();
        add_known(
            &mut facts,
            outline.as_ref().unwrap_or(&file),
            known_in_use(input.source, region, &outside.known),
        );
        expand_macros(&index.plan, &mut facts, &arena);

        let resolver = Resolver::new(
            input.lang,
            &facts,
            input.path,
            pass == Pass::Editor,
            &index.qual_targets,
        );
        let mut cx = Ctx::new(
            input.lang,
            input.source,
            &facts,
            &resolver,
            &self.rules,
            &applicable,
        );
        cx.region = region;
        let mut hits = run_all(&cx, index);
        if region.is_some() {
            hits.retain(|h| cx.in_region(&(h.range.start..h.range.start)));
        }
        drop_test_code(self, &cx, &mut hits);
        hits.sort_by_key(|h| (h.range.start, h.range.end, h.rule));
        hits.dedup_by(|b, a| a.rule == b.rule && a.range == b.range);
        let raw: Vec<Finding> = hits
            .iter()
            .map(|h| self.finding(&cx, h, pass == Pass::WithFixes))
            .collect();
        let mut findings = raw.clone();
        findings.extend(outside.findings);
        // Only a comment that says "gavel" can suppress; most checks (every keystroke in an
        // editor) need no line index for the whole file.
        let waived = if facts.comments.iter().any(|c| c.text().contains("gavel")) {
            let line_index = LineIndex::new(input.source);
            suppress::apply(self, input.source, &line_index, &facts, &mut findings)
        } else {
            Vec::new()
        };
        findings.sort_by(|a, b| {
            (a.range.start, a.range.end, &a.rule_id).cmp(&(b.range.start, b.range.end, &b.rule_id))
        });
        Analysis {
            raw,
            findings,
            suppressed: waived.len(),
            waived,
            bindings: resolver
                .module_bindings()
                .into_iter()
                .map(|(fact, n)| node_ref(fact, n))
                .collect(),
            comments: facts
                .comments
                .iter()
                .filter(|c| c.text().contains("gavel"))
                .map(|c| node_ref(FactKind::Comment, *c))
                .collect(),
            lookups: resolver.module_lookups(),
        }
    }

    fn finding(&self, cx: &Ctx<'_>, hit: &Hit<'_>, with_fixes: bool) -> Finding {
        let active = &self.rules[hit.rule];
        let rule = &active.rule;
        let message = render_line(&rule.message, &hit.vars);
        let instead = rule.instead.as_ref().map(|i| render_line(i, &hit.vars));
        Finding {
            rule_id: rule.id.clone(),
            rule: Some(rule.clone()),
            severity: active.severity,
            category: rule.category.clone(),
            remedy: crate::finding::remedy(rule, &message, instead.as_deref()),
            message,
            instead,
            range: hit.range.clone(),
            fixes: if with_fixes {
                fix::build(cx, &rule.fixes, hit)
            } else {
                Vec::new()
            },
            provenance: Provenance::Unknown,
            changed: None,
            applies_to: active.applies_to,
        }
    }
}

fn node_ref(fact: FactKind, n: SNode<'_>) -> NodeRef {
    NodeRef {
        fact,
        kind_id: n.node.kind_id(),
        range: n.range(),
    }
}

/// Words that are never a name a region looks up, though imports write them.
const KEYWORDS: &[&str] = &[
    "import", "from", "as", "use", "extern", "crate", "pub", "self", "super",
];

/// The known nodes a region may depend on: every comment (a suppression), and the bindings
/// that share a word with the region's text (the names it may look up) or bind every name (a
/// `*` import). A binding whose names the region never writes cannot change what the region
/// resolves to, and finding it again in the tree costs about a microsecond: a 10,000-line
/// file has hundreds.
///
/// Words are runs of ASCII letters, digits and `_`: what a grammar reads as one identifier may
/// run on into other characters (`x😀run` holds the name `run` for tree-sitter-python), so the
/// region's words are cut at every other character, and a binding that writes any non-ASCII
/// character is always kept.
fn known_in_use<'k>(
    source: &str,
    region: Option<&[Range<usize>]>,
    known: &'k [NodeRef],
) -> Vec<&'k NodeRef> {
    let Some(region) = region else {
        return known.iter().collect();
    };
    let used: HashSet<&str> = region
        .iter()
        .filter_map(|r| source.get(r.clone()))
        .flat_map(ascii_words)
        .filter(|w| !KEYWORDS.contains(w))
        .collect();
    known
        .iter()
        .filter(|k| {
            let text = source.get(k.range.clone()).unwrap_or_default();
            k.fact == FactKind::Comment
                || !text.is_ascii()
                || text.contains('*')
                || ascii_words(text).any(|w| used.contains(w))
        })
        .collect()
}

fn ascii_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// Find known nodes again in the file's tree and add them to the facts: one cursor moving
/// forward through the tree, as the nodes are sorted. A file has hundreds of module-level
/// bindings; finding each one from the root would scan the root's children every time.
fn add_known<'a>(facts: &mut Facts<'a>, file: &'a Unit<'a>, mut known: Vec<&NodeRef>) {
    if known.is_empty() {
        return;
    }

    known.sort_by_key(|k| (k.range.start, std::cmp::Reverse(k.range.end)));
    let mut cursor = file.tree.root_node().walk();
    for k in known {
        let Some(node) = seek(&mut cursor, k) else {
            continue;
        };
        let node = SNode::new(node, file);
        match k.fact {
            FactKind::Import => facts.imports.push(node),
            FactKind::LocalDef => facts.local_defs.push(node),
            FactKind::Comment => facts.comments.push(node),
            _ => {}
        }
    }
    facts.imports.sort_by_key(|n| n.range().start);
    facts.local_defs.sort_by_key(|n| n.range().start);
    facts.comments.sort_by_key(|n| n.range().start);
}

/// Move `cursor` forward to the outermost node with `k`'s range and kind. The cursor is left
/// where the search ended, so that the next (later) node is sought from there.
fn seek<'t>(cursor: &mut TreeCursor<'t>, k: &NodeRef) -> Option<Node<'t>> {
    loop {
        let node = cursor.node();
        if node.end_byte() <= k.range.start && !k.range.is_empty() {
            if !cursor.goto_next_sibling() && !cursor.goto_parent() {
                return None;
            }
            continue;
        }
        if node.start_byte() > k.range.start || node.end_byte() < k.range.end {
            return None;
        }
        if node.byte_range() == k.range && node.kind_id() == k.kind_id {
            return Some(node);
        }
        if !cursor.goto_first_child() {
            return None;
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
