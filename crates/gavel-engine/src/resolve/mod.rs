//! Import and alias resolution, computed once per file: which qualified name a local name
//! stands for at a position. Each language has its own binder; both produce [`ImportItem`]s
//! that the import matcher and the fixes share.

mod parents;
mod python;
mod rust;

use std::{cell::RefCell, ops::Range};

use gavel_syntax::Lang;

use crate::{
    facts::{FactKind, Facts},
    unit::SNode,
};

/// Each prefix of a path as written, with the full path it stands for and its byte range.
pub(crate) type PathNodes = Vec<(Vec<String>, Range<usize>)>;

/// One imported name: an item of `import a, b`, `from m import x as y`, or a leaf of a Rust
/// `use` tree.
pub(crate) struct ImportItem<'a> {
    /// The whole statement (`import_statement`, `use_declaration`, ...).
    pub stmt: SNode<'a>,
    /// The full path imported: `["requests"]`, `["requests", "Session"]`; for a star import,
    /// the module.
    pub path: Vec<String>,
    /// What the local name stands for: `import a.b` binds `a` to `["a"]`.
    pub bound: Vec<String>,
    /// The name bound in the file (`None` for star imports and Python `import a.b`, which binds
    /// `a` to `["a"]` and is recorded with local `a`).
    pub local: Option<String>,
    pub star: bool,
    /// `from m import x`: true. Decides where a Python finding is reported.
    pub from: bool,
    /// The node to report for this item.
    pub report: SNode<'a>,
    /// Segment nodes of the path as written, with the full path each prefix stands for; used
    /// to rename a module at the import.
    pub path_nodes: PathNodes,
}

/// The names a file binds, and how to resolve an expression to qualified names.
pub(crate) enum Resolver<'a> {
    Python(python::PyResolver<'a>),
    Rust(rust::RsResolver<'a>),
}

/// The names looked up in the module's scope (not bound in an inner scope), with where they
/// were used, when asked to keep them: all that the findings at those places depend on in the
/// rest of the file (see [`crate::incremental`]).
#[derive(Default)]
pub(crate) struct ModuleLookups(Option<RefCell<Vec<(usize, String)>>>);

impl ModuleLookups {
    fn record(&self, pos: usize, name: &str) {
        if let Some(v) = &self.0 {
            v.borrow_mut().push((pos, name.to_string()));
        }
    }
}

impl<'a> Resolver<'a> {
    /// The resolver of a file; with `record`, it keeps the names it looks up in the module's
    /// scope ([`Resolver::module_lookups`]).
    /// `targets` are the rules' qualified names: a glob import that cannot reach one is not
    /// resolved through (a file of 4,000 globs would otherwise give every name 4,000 paths).
    pub fn new(
        lang: Lang,
        facts: &Facts<'a>,
        path: &str,
        record: bool,
        targets: &[Vec<String>],
    ) -> Resolver<'a> {
        let lookups = ModuleLookups(record.then(RefCell::default));
        let reach = GlobReach { lang, targets };
        match lang {
            Lang::Python => Resolver::Python(python::PyResolver::new(facts, path, lookups, reach)),
            Lang::Rust => Resolver::Rust(rust::RsResolver::new(facts, path, lookups, reach)),
        }
    }

    /// The names looked up in the module's scope so far, with the position of each use.
    pub fn module_lookups(&self) -> Vec<(usize, String)> {
        let lookups = match self {
            Resolver::Python(r) => &r.lookups,
            Resolver::Rust(r) => &r.lookups,
        };
        lookups
            .0
            .as_ref()
            .map(|v| v.borrow().clone())
            .unwrap_or_default()
    }

    pub fn imports(&self) -> &[ImportItem<'a>] {
        match self {
            Resolver::Python(r) => &r.imports,
            Resolver::Rust(r) => &r.imports,
        }
    }

    /// The qualified names an expression (a name, a dotted name or a path) may stand for. Empty
    /// when it is bound to something that is not an import, or is not a name at all.
    pub fn resolve(&self, node: SNode<'a>) -> Vec<Vec<String>> {
        match self {
            Resolver::Python(r) => r.resolve(node),
            Resolver::Rust(r) => r.resolve(node),
        }
    }

    /// Imports and definitions that bind names for the whole module: what a change elsewhere
    /// in the file depends on.
    pub fn module_bindings(&self) -> Vec<(FactKind, SNode<'a>)> {
        match self {
            Resolver::Python(r) => r.module.clone(),
            Resolver::Rust(r) => r
                .imports
                .iter()
                .map(|i| i.stmt)
                .filter(|s| s.unit.is_file() && s.parent().is_some_and(|p| p.parent().is_none()))
                .fold(Vec::new(), |mut v: Vec<(FactKind, SNode<'a>)>, s| {
                    if v.last().is_none_or(|(_, l)| l.range() != s.range()) {
                        v.push((FactKind::Import, s));
                    }
                    v
                }),
        }
    }

    /// The import item the root name of `node` is bound to, if any.
    pub fn binding_of(&self, node: SNode<'a>) -> Option<usize> {
        match self {
            Resolver::Python(r) => r.binding_of(node),
            Resolver::Rust(r) => r.binding_of(node),
        }
    }
}

/// The segments written in a dotted name or a path expression, with the node of each prefix.
pub(crate) fn written_segments<'a>(
    lang: Lang,
    node: SNode<'a>,
) -> Option<Vec<(String, SNode<'a>)>> {
    match lang {
        Lang::Python => python::dotted(node),
        Lang::Rust => rust::path_segments(node),
    }
}

pub(crate) use gavel_syntax::canonical_path as canonical;

/// Which glob imports (`use a::*;`, `from m import *`) can make a name resolve to one of the
/// rules' qualified names.
#[derive(Clone, Copy)]
pub(crate) struct GlobReach<'t> {
    lang: Lang,
    targets: &'t [Vec<String>],
}

impl GlobReach<'_> {
    /// A name resolved through `glob` is `glob` followed by what is written; it can equal, lie
    /// below or above a target only when `glob` and the target agree on their common prefix.
    /// Paths that canonical names rewrite (`builtins.x`, `std::collections::hash_map::X`) are
    /// compared on what canonicalisation keeps.
    pub fn may_reach(&self, glob: &[String]) -> bool {
        let glob: &[String] = match self.lang {
            Lang::Python if glob.first().is_some_and(|s| s == "builtins") => return true,
            Lang::Rust if glob.len() > 2 && glob[0] == "std" && glob[1] == "collections" => {
                &glob[..2]
            }
            _ => glob,
        };
        self.targets
            .iter()
            .any(|t| glob.iter().zip(t).all(|(g, t)| g == t))
    }
}
