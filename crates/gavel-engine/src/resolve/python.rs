//! Python name binding: `import a.b as c`, `from a import b as c`, `from a import *`, relative
//! imports and imports inside functions; assignments, definitions and parameters shadow.

use std::{collections::HashMap, ops::Range};

use crate::{
    facts::{FactKind, Facts},
    unit::SNode,
};

use super::{GlobReach, ImportItem, ModuleLookups, PathNodes};

/// A name bound in a scope at a position: to an import item, or to something else.
struct Binding {
    pos: usize,
    import: Option<usize>,
}

struct Scope {
    range: Range<usize>,
    /// The enclosing scope (the module's is itself).
    parent: usize,
    /// By name, each list sorted by position: a lookup costs one hash, not a scan.
    bindings: HashMap<String, Vec<Binding>>,
}

pub(crate) struct PyResolver<'a> {
    pub imports: Vec<ImportItem<'a>>,
    /// Module scope first, then function scopes (by start).
    scopes: Vec<Scope>,
    /// Modules imported with `from m import *` that can reach a rule's name.
    stars: Vec<Vec<String>>,
    /// Import statements and definitions that bind in the module scope.
    pub module: Vec<(FactKind, SNode<'a>)>,
    pub lookups: ModuleLookups,
}

impl<'a> PyResolver<'a> {
    pub fn new(
        facts: &Facts<'a>,
        path: &str,
        lookups: ModuleLookups,
        reach: GlobReach<'_>,
    ) -> PyResolver<'a> {
        let package = package_of(path);
        let file_len = facts.units.first().map_or(0, |u| u.text.len());
        let mut scopes = vec![Scope {
            range: 0..file_len,
            parent: 0,
            bindings: HashMap::new(),
        }];
        for f in &facts.functions {
            scopes.push(Scope {
                range: f.range(),
                parent: 0,
                bindings: HashMap::new(),
            });
        }
        scopes[1..].sort_by_key(|s| (s.range.start, std::cmp::Reverse(s.range.end)));
        let mut r = PyResolver {
            imports: Vec::new(),
            scopes,
            stars: Vec::new(),
            module: Vec::new(),
            lookups,
        };
        r.link_parents();
        for stmt in &facts.imports {
            r.add_import(*stmt, &package);
        }
        r.stars.retain(|m| reach.may_reach(m));
        // Where each function's name starts, and where the function does: a function's name
        // binds in the enclosing scope (found without asking tree-sitter for parents, which
        // walks down from the root every time).
        let fn_names: HashMap<usize, usize> = facts
            .functions
            .iter()
            .filter_map(|f| Some((f.field("name")?.range().start, f.range().start)))
            .collect();
        for def in &facts.local_defs {
            let pos = def.range().start;
            let scope = match fn_names.get(&pos) {
                Some(0) => 0,
                Some(&start) => r.scope_at(start - 1),
                None => r.scope_at(pos),
            };
            if scope == 0 {
                r.module.push((FactKind::LocalDef, *def));
            }
            r.scopes[scope]
                .bindings
                .entry(def.text().to_string())
                .or_default()
                .push(Binding { pos, import: None });
        }
        for s in &mut r.scopes {
            for list in s.bindings.values_mut() {
                list.sort_by_key(|b| b.pos);
            }
        }
        r
    }

    /// The innermost scope that contains `pos` (0 is the module).
    fn scope_at(&self, pos: usize) -> usize {
        // Function scopes are sorted by start and nest: take the last one starting at or
        // before `pos`, then climb to the first that contains it.
        let mut i = self.scopes[1..].partition_point(|s| s.range.start <= pos);
        while i > 0 && !self.scopes[i].range.contains(&pos) {
            i = self.scopes[i].parent;
        }
        i
    }

    /// Set each scope's parent, with scopes sorted by start (the module first).
    fn link_parents(&mut self) {
        let mut stack: Vec<usize> = vec![0];
        for i in 1..self.scopes.len() {
            while let Some(&top) = stack.last() {
                if top == 0 || self.scopes[top].range.end >= self.scopes[i].range.end {
                    break;
                }
                stack.pop();
            }
            self.scopes[i].parent = *stack.last().unwrap_or(&0);
            stack.push(i);
        }
    }

    fn add_import(&mut self, stmt: SNode<'a>, package: &[String]) {
        let scope = self.scope_at(stmt.range().start);
        if scope == 0 {
            self.module.push((FactKind::Import, stmt));
        }
        let pos = stmt.range().start;
        let push = |r: &mut Self, item: ImportItem<'a>| {
            if let Some(local) = &item.local {
                let import = Some(r.imports.len());
                r.scopes[scope]
                    .bindings
                    .entry(local.clone())
                    .or_default()
                    .push(Binding { pos, import });
            }
            if item.star {
                r.stars.push(item.path.clone());
            }
            r.imports.push(item);
        };
        match stmt.kind() {
            "import_statement" => {
                for name in stmt
                    .node
                    .children_by_field_name("name", &mut stmt.node.walk())
                {
                    let name = stmt.with(name);
                    let (dotted, alias) = split_alias(name);
                    let Some(segs) = dotted_names(dotted) else {
                        continue;
                    };
                    let path: Vec<String> = segs.iter().map(|s| s.0.clone()).collect();
                    // `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`.
                    let (local, bound) = match alias {
                        Some(alias) => (alias, path.clone()),
                        None => (path[0].clone(), vec![path[0].clone()]),
                    };
                    let item = ImportItem {
                        stmt,
                        path_nodes: prefix_nodes(&segs, &[]),
                        path,
                        bound,
                        local: Some(local),
                        star: false,
                        from: false,
                        report: name,
                    };
                    push(self, item);
                }
            }
            "import_from_statement" | "future_import_statement" => {
                let (module, path_nodes) = match stmt.field("module_name") {
                    Some(m) => module_of(m, package),
                    None => (vec!["__future__".to_string()], Vec::new()),
                };
                let mut cursor = stmt.node.walk();
                let names: Vec<_> = stmt
                    .node
                    .children_by_field_name("name", &mut cursor)
                    .map(|n| stmt.with(n))
                    .collect();
                if stmt
                    .node
                    .named_children(&mut stmt.node.walk())
                    .any(|c| c.kind() == "wildcard_import")
                {
                    push(
                        self,
                        ImportItem {
                            stmt,
                            path: module.clone(),
                            bound: module.clone(),
                            local: None,
                            star: true,
                            from: true,
                            report: stmt,
                            path_nodes: path_nodes.clone(),
                        },
                    );
                }
                for name in names {
                    let (dotted, alias) = split_alias(name);
                    let Some(segs) = dotted_names(dotted) else {
                        continue;
                    };
                    let mut path = module.clone();
                    path.extend(segs.iter().map(|s| s.0.clone()));
                    let local = alias.unwrap_or_else(|| segs[0].0.clone());
                    push(
                        self,
                        ImportItem {
                            stmt,
                            bound: path.clone(),
                            path,
                            local: Some(local),
                            star: false,
                            from: true,
                            report: name,
                            path_nodes: path_nodes.clone(),
                        },
                    );
                }
            }
            _ => {}
        }
    }

    /// The binding of a bare name at a position, innermost scope first. `Some(None)` means bound
    /// to something that is not an import.
    pub fn lookup(&self, name: &str, pos: usize) -> Option<Option<usize>> {
        let mut chain = vec![self.scope_at(pos)];
        while let Some(&i) = chain.last().filter(|&&i| i != 0) {
            chain.push(self.scopes[i].parent);
        }
        for i in chain {
            let Some(bindings) = self.scopes[i].bindings.get(name).filter(|b| !b.is_empty()) else {
                continue;
            };
            if i == 0 {
                self.lookups.record(pos, name);
            }
            // The latest binding before the use; a module import also binds for code in
            // functions defined above it.
            let before = bindings.partition_point(|b| b.pos <= pos);
            let b = &bindings[before.saturating_sub(1)];
            return Some(b.import);
        }
        self.lookups.record(pos, name);
        None
    }

    pub fn binding_of(&self, node: SNode<'a>) -> Option<usize> {
        let segs = dotted(node)?;
        self.lookup(&segs[0].0, node.range().start).flatten()
    }

    pub fn resolve(&self, node: SNode<'a>) -> Vec<Vec<String>> {
        let Some(segs) = dotted(node) else {
            return Vec::new();
        };
        let root = &segs[0].0;
        let rest = segs[1..].iter().map(|s| s.0.clone());
        match self.lookup(root, node.range().start) {
            Some(Some(i)) => vec![super::canonical(
                gavel_syntax::Lang::Python,
                self.imports[i].bound.iter().cloned().chain(rest).collect(),
            )],
            Some(None) => Vec::new(),
            None => {
                let written: Vec<String> = segs.iter().map(|s| s.0.clone()).collect();
                let mut out = vec![written.clone()];
                for star in &self.stars {
                    out.push(
                        star.iter()
                            .cloned()
                            .chain(written.iter().cloned())
                            .collect(),
                    );
                }
                out
            }
        }
    }
}

/// `a.b.c` as segments with their nodes, for an identifier or an attribute chain rooted at an
/// identifier.
pub(crate) fn dotted<'a>(node: SNode<'a>) -> Option<Vec<(String, SNode<'a>)>> {
    match node.kind() {
        "identifier" => Some(vec![(node.text().to_string(), node)]),
        "attribute" => {
            let mut segs = dotted(node.field("object")?)?;
            let attr = node.field("attribute")?;
            segs.push((attr.text().to_string(), node));
            Some(segs)
        }
        _ => None,
    }
}

fn split_alias(name: SNode<'_>) -> (SNode<'_>, Option<String>) {
    if name.kind() == "aliased_import" {
        let alias = name.field("alias").map(|a| a.text().to_string());
        (name.field("name").unwrap_or(name), alias)
    } else {
        (name, None)
    }
}

/// The identifiers of a `dotted_name`, each with its node.
fn dotted_names(dotted: SNode<'_>) -> Option<Vec<(String, SNode<'_>)>> {
    let segs: Vec<_> = dotted
        .named_children()
        .into_iter()
        .filter(|c| c.kind() == "identifier")
        .map(|c| (c.text().to_string(), c))
        .collect();
    (!segs.is_empty()).then_some(segs)
}

/// For each prefix of a dotted name, the full path it stands for and its byte range.
fn prefix_nodes(segs: &[(String, SNode<'_>)], base: &[String]) -> PathNodes {
    let Some(first) = segs.first() else {
        return Vec::new();
    };
    let start = first.1.range().start;
    let mut path = base.to_vec();
    segs.iter()
        .map(|(name, node)| {
            path.push(name.clone());
            (path.clone(), start..node.range().end)
        })
        .collect()
}

/// The module of a `from` import, resolving a relative one against the file's package.
fn module_of(m: SNode<'_>, package: &[String]) -> (Vec<String>, PathNodes) {
    if m.kind() == "dotted_name" {
        let segs = dotted_names(m).unwrap_or_default();
        let path = segs.iter().map(|s| s.0.clone()).collect();
        return (path, prefix_nodes(&segs, &[]));
    }
    // relative_import: import_prefix ("." or "..") and an optional dotted_name.
    let dots = m
        .named_children()
        .iter()
        .find(|c| c.kind() == "import_prefix")
        .map_or(1, |p| p.text().matches('.').count());
    let keep = package.len().saturating_sub(dots - 1);
    let base: Vec<String> = package[..keep].to_vec();
    let segs = m
        .named_children()
        .into_iter()
        .find(|c| c.kind() == "dotted_name")
        .and_then(dotted_names)
        .unwrap_or_default();
    let mut path = base.clone();
    path.extend(segs.iter().map(|s| s.0.clone()));
    (path, prefix_nodes(&segs, &base))
}

/// The package of a file, from its path: `src/acme/api.py` is in `acme`.
fn package_of(path: &str) -> Vec<String> {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    if let Some(i) = parts.iter().rposition(|p| *p == "src") {
        parts.drain(..=i);
    }
    parts
        .into_iter()
        .filter(|p| !p.is_empty() && *p != ".")
        .map(str::to_string)
        .collect()
}
