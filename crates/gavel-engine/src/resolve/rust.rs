//! Rust name binding: `use` trees (groups, renames, `self`, nested braces, globs),
//! `extern crate x as y`, and paths beginning with `::`, `crate::`, `self::` and `super::`.

use std::{collections::HashMap, ops::Range};

use crate::{facts::Facts, unit::SNode};

use super::{
    GlobReach, ImportItem, ModuleLookups, PathNodes, canonical,
    parents::{ParentOf, parents_of},
};

struct Scope {
    range: Range<usize>,
    /// The file's own scope (its `use` items are module-level bindings).
    top: bool,
    /// The enclosing scope (`usize::MAX` for none), once the scopes are nested.
    parent: usize,
    /// Local name to import item.
    bindings: HashMap<String, usize>,
    /// Glob imports that can reach a rule's name.
    globs: Vec<Vec<String>>,
}

pub(crate) struct RsResolver<'a> {
    pub imports: Vec<ImportItem<'a>>,
    scopes: Vec<Scope>,
    /// `crate::a::b` for `src/a/b.rs`.
    module: Vec<String>,
    pub lookups: ModuleLookups,
}

impl<'a> RsResolver<'a> {
    pub fn new(
        facts: &Facts<'a>,
        path: &str,
        lookups: ModuleLookups,
        reach: GlobReach<'_>,
    ) -> RsResolver<'a> {
        let mut r = RsResolver {
            imports: Vec::new(),
            scopes: Vec::new(),
            module: module_of(path),
            lookups,
        };
        let stmts: Vec<SNode<'a>> = facts
            .imports
            .iter()
            .copied()
            .filter(|s| s.unit.is_file())
            .collect();
        let mut scope_of: HashMap<Range<usize>, usize> = HashMap::new();
        for (stmt, parent) in stmts.iter().zip(parents(&stmts)) {
            let (scope_range, top) = match parent {
                Some(p) => (p.range, p.is_root),
                None => (0..usize::MAX, true),
            };
            let scope = *scope_of.entry(scope_range.clone()).or_insert_with(|| {
                r.scopes.push(Scope {
                    range: scope_range,
                    top,
                    parent: 0,
                    bindings: HashMap::new(),
                    globs: Vec::new(),
                });
                r.scopes.len() - 1
            });
            let mut leaves = Vec::new();
            match stmt.kind() {
                "use_declaration" => {
                    if let Some(arg) = stmt.field("argument") {
                        let mut nodes = Vec::new();
                        walk_use(arg, &[], &r.module, &mut leaves, &mut nodes);
                        for leaf in &mut leaves {
                            leaf.path_nodes = nodes.clone();
                        }
                    }
                }
                _ => {
                    if let Some(name) = stmt.field("name") {
                        let alias = stmt.field("alias").map(|a| a.text().to_string());
                        let path = vec![name.text().to_string()];
                        leaves.push(Leaf {
                            local: Some(alias.unwrap_or_else(|| path[0].clone())),
                            path: path.clone(),
                            star: false,
                            report: *stmt,
                            path_nodes: vec![(path, name.range())],
                        });
                    }
                }
            }
            for leaf in leaves {
                let index = r.imports.len();
                let path = canonical(gavel_syntax::Lang::Rust, leaf.path);
                if leaf.star && reach.may_reach(&path) {
                    r.scopes[scope].globs.push(path.clone());
                }
                if let Some(local) = &leaf.local {
                    // The first binding of a name in a scope is the one a lookup finds.
                    r.scopes[scope]
                        .bindings
                        .entry(local.clone())
                        .or_insert(index);
                }
                r.imports.push(ImportItem {
                    stmt: *stmt,
                    bound: path.clone(),
                    path,
                    local: leaf.local,
                    star: leaf.star,
                    from: false,
                    report: leaf.report,
                    path_nodes: leaf.path_nodes,
                });
            }
        }
        r.nest_scopes();
        r
    }

    /// Sort the scopes by start (outer first) and link each to the innermost one around it.
    fn nest_scopes(&mut self) {
        self.scopes
            .sort_by_key(|s| (s.range.start, std::cmp::Reverse(s.range.end)));
        let mut stack: Vec<usize> = Vec::new();
        for i in 0..self.scopes.len() {
            while let Some(&top) = stack.last() {
                if self.scopes[top].range.end >= self.scopes[i].range.end {
                    break;
                }
                stack.pop();
            }
            self.scopes[i].parent = stack.last().map_or(usize::MAX, |&p| p);
            stack.push(i);
        }
    }

    /// Scopes containing `pos`, innermost first.
    fn chain(&self, pos: usize) -> Vec<&Scope> {
        // Scopes nest and are sorted by start: the last one starting at or before `pos`, then
        // its enclosing ones, are the candidates.
        let mut i = self.scopes.partition_point(|s| s.range.start <= pos);
        let mut chain = Vec::new();
        if i == 0 {
            return chain;
        }
        i -= 1;
        while i != usize::MAX {
            let scope = &self.scopes[i];
            if scope.range.contains(&pos) {
                chain.push(scope);
            }
            i = scope.parent;
        }
        chain
    }

    pub fn lookup(&self, name: &str, pos: usize) -> Option<usize> {
        for scope in self.chain(pos) {
            if let Some(i) = scope.bindings.get(name) {
                if scope.top {
                    self.lookups.record(pos, name);
                }
                return Some(*i);
            }
        }
        self.lookups.record(pos, name);
        None
    }

    pub fn binding_of(&self, node: SNode<'a>) -> Option<usize> {
        let segs = path_segments(node)?;
        self.lookup(&segs[0].0, node.range().start)
    }

    pub fn resolve(&self, node: SNode<'a>) -> Vec<Vec<String>> {
        let Some(segs) = path_segments(node) else {
            return Vec::new();
        };
        let written: Vec<String> = segs.iter().map(|s| s.0.clone()).collect();
        let pos = node.range().start;
        let out = match written[0].as_str() {
            "Self" => return Vec::new(),
            "crate" | "self" | "super" => vec![relative(&self.module, &written)],
            "::" => vec![written[1..].to_vec()],
            first => match self.lookup(first, pos) {
                Some(i) => vec![
                    self.imports[i]
                        .bound
                        .iter()
                        .cloned()
                        .chain(written[1..].iter().cloned())
                        .collect(),
                ],
                None => {
                    let mut out = vec![written.clone()];
                    for scope in self.chain(pos) {
                        for glob in &scope.globs {
                            out.push(
                                glob.iter()
                                    .cloned()
                                    .chain(written.iter().cloned())
                                    .collect(),
                            );
                        }
                    }
                    out
                }
            },
        };
        out.into_iter()
            .map(|p| canonical(gavel_syntax::Lang::Rust, p))
            .collect()
    }
}

struct Leaf<'a> {
    path: Vec<String>,
    local: Option<String>,
    star: bool,
    report: SNode<'a>,
    path_nodes: PathNodes,
}

/// Flatten a use tree into leaves, recording every path node with the full path it stands for.
fn walk_use<'a>(
    node: SNode<'a>,
    prefix: &[String],
    module: &[String],
    leaves: &mut Vec<Leaf<'a>>,
    nodes: &mut PathNodes,
) {
    match node.kind() {
        "use_list" => {
            for child in node.named_children() {
                walk_use(child, prefix, module, leaves, nodes);
            }
        }
        "scoped_use_list" => {
            let base = match node.field("path") {
                Some(p) => join(prefix, p, module, nodes),
                None => prefix.to_vec(),
            };
            if let Some(list) = node.field("list") {
                walk_use(list, &base, module, leaves, nodes);
            }
        }
        "use_as_clause" => {
            let Some(p) = node.field("path") else { return };
            let path = join(prefix, p, module, nodes);
            let alias = node.field("alias").map(|a| a.text().to_string());
            leaves.push(Leaf {
                path,
                local: alias.filter(|a| a != "_"),
                star: false,
                report: node,
                path_nodes: Vec::new(),
            });
        }
        "use_wildcard" => {
            let path = match node.named_children().first() {
                Some(p) => join(prefix, *p, module, nodes),
                None => prefix.to_vec(),
            };
            leaves.push(Leaf {
                path,
                local: None,
                star: true,
                report: node,
                path_nodes: Vec::new(),
            });
        }
        _ => {
            // identifier, scoped_identifier, self, crate, super
            let path = join(prefix, node, module, nodes);
            // `use a::b::{self}` binds `b`.
            let local = path
                .last()
                .cloned()
                .filter(|l| l != "self" && l != "crate" && l != "super");
            let path = if node.kind() == "self" {
                prefix.to_vec()
            } else {
                path
            };
            let local = if node.kind() == "self" {
                prefix.last().cloned()
            } else {
                local
            };
            leaves.push(Leaf {
                path,
                local,
                star: false,
                report: node,
                path_nodes: Vec::new(),
            });
        }
    }
}

/// `prefix` extended by the path written at `node`, resolved for `crate`/`self`/`super`.
fn join(
    prefix: &[String],
    node: SNode<'_>,
    module: &[String],
    nodes: &mut PathNodes,
) -> Vec<String> {
    let Some(segs) = path_segments(node) else {
        return prefix.to_vec();
    };
    let mut written: Vec<String> = prefix.to_vec();
    let base_len = written.len();
    for (name, n) in &segs {
        if name == "::" {
            continue;
        }
        written.push(name.clone());
        let full = if base_len == 0 {
            relative(module, &written)
        } else {
            written.clone()
        };
        nodes.push((full, segs[0].1.range().start..n.range().end));
    }
    if base_len == 0 {
        relative(module, &written)
    } else {
        written
    }
}

/// Resolve a path written with `crate`, `self` or `super` against the file's module path.
fn relative(module: &[String], written: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = written;
    match written.first().map(String::as_str) {
        Some("self") => {
            out = module.to_vec();
            rest = &written[1..];
        }
        Some("super") => {
            out = module.to_vec();
            while rest.first().map(String::as_str) == Some("super") {
                if out.len() > 1 {
                    out.pop();
                }
                rest = &rest[1..];
            }
        }
        Some("::") => rest = &written[1..],
        _ => {}
    }
    out.extend(rest.iter().cloned());
    out
}

/// The segments of a path expression, each with the node that ends at it. A leading `::` is
/// kept as a segment `"::"`. Generic arguments are skipped; other paths give `None`.
pub(crate) fn path_segments<'a>(node: SNode<'a>) -> Option<Vec<(String, SNode<'a>)>> {
    match node.kind() {
        "identifier" | "type_identifier" | "self" | "crate" | "super" => {
            Some(vec![(node.text().to_string(), node)])
        }
        "generic_type" | "generic_function" => {
            let inner = node.field("type").or_else(|| node.field("function"))?;
            path_segments(inner)
        }
        "scoped_identifier" | "scoped_type_identifier" => {
            let name = node.field("name")?;
            let mut segs = match node.field("path") {
                Some(p) => path_segments(p)?,
                None if node.text().trim_start().starts_with("::") => {
                    vec![("::".to_string(), node)]
                }
                None => Vec::new(),
            };
            segs.push((name.text().to_string(), node));
            Some(segs)
        }
        _ => None,
    }
}

/// `crate::a::b` for `src/a/b.rs`, `crate::a` for `src/a/mod.rs`, `crate` for `src/lib.rs`.
fn module_of(path: &str) -> Vec<String> {
    let mut parts: Vec<&str> = path.split('/').collect();
    if let Some(i) = parts.iter().rposition(|p| *p == "src") {
        parts.drain(..=i);
    }
    let mut out = vec!["crate".to_string()];
    if let Some(last) = parts.pop() {
        out.extend(
            parts
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| p.to_string()),
        );
        let stem = last.trim_end_matches(".rs");
        if !matches!(stem, "lib" | "main" | "mod") {
            out.push(stem.to_string());
        }
    }
    out
}

/// The parent of each statement, from one forward walk per tree (statements sorted by start).
fn parents(stmts: &[SNode<'_>]) -> Vec<Option<ParentOf>> {
    let mut out = vec![None; stmts.len()];
    let mut i = 0;
    while i < stmts.len() {
        let unit = stmts[i].unit;
        let group: Vec<usize> = (i..stmts.len())
            .take_while(|&j| std::ptr::eq(stmts[j].unit, unit))
            .collect();
        let nodes: Vec<_> = group.iter().map(|&j| stmts[j].node).collect();
        let delta = unit.delta;
        for (&j, p) in group.iter().zip(parents_of(unit.tree.root_node(), &nodes)) {
            out[j] = p.map(|p| ParentOf {
                range: shift(p.range.start, delta)..shift(p.range.end, delta),
                is_root: p.is_root,
            });
        }
        i += group.len();
    }
    out
}

fn shift(b: usize, delta: isize) -> usize {
    (b as isize + delta).max(0) as usize
}
