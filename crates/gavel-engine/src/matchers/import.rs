//! `import = ["requests"]`: import statements, `use` items and `extern crate`, Python's
//! `importlib.import_module("m")`/`__import__("m")`, and Rust paths written in code
//! (`reqwest::get(..)`). Prefixes match whole segments only.

use gavel_policy::{MatchKind, QualPattern};
use gavel_syntax::Lang;

use super::{Ctx, Hit};
use crate::{matchers::call::callee, resolve::written_segments, ruleset::LangIndex, unit::SNode};

pub(crate) fn run<'a>(cx: &Ctx<'a>, index: &LangIndex, hits: &mut Vec<Hit<'a>>) {
    let targets: Vec<_> = cx.targets(index, "import").collect();
    if targets.is_empty() {
        return;
    }
    let dynamic = dynamic_imports(cx);
    for (rule, m) in targets {
        let MatchKind::Import(patterns) = &m.kind else {
            continue;
        };
        statements(cx, rule, patterns, hits);
        for (call, module) in &dynamic {
            let path: Vec<String> = module.split('.').map(str::to_string).collect();
            if let Some(p) = prefix_match(patterns, &path) {
                let mut hit = Hit::new(rule, call.range());
                hit.vars = vec![("MODULE".into(), module.to_string().into())];
                hit.matched = Some(p.segments.clone());
                hits.push(hit);
            }
        }
        if cx.lang == Lang::Rust {
            code_paths(cx, rule, patterns, hits);
        }
    }
}

fn prefix_match<'p>(patterns: &'p [QualPattern], path: &[String]) -> Option<&'p QualPattern> {
    patterns.iter().find(|p| p.is_prefix_of(path))
}

/// One finding per matching Python `import` item, per Python `from` statement, and per Rust
/// `use` declaration.
fn statements<'a>(cx: &Ctx<'a>, rule: usize, patterns: &[QualPattern], hits: &mut Vec<Hit<'a>>) {
    let mut last_stmt = None;
    for (i, item) in cx.resolver.imports().iter().enumerate() {
        let Some(p) = prefix_match(patterns, &item.path) else {
            continue;
        };
        let per_statement = item.from || cx.lang == Lang::Rust;
        let range = match (cx.lang, item.from) {
            // `from m import x` with `m.x` listed: the name; with `m` listed: the statement.
            (Lang::Python, true) if p.segments.len() >= item.path.len() && !item.star => {
                item.report.range()
            }
            (Lang::Python, true) | (Lang::Rust, _) => item.stmt.range(),
            (Lang::Python, false) => item.report.range(),
        };
        if per_statement && last_stmt == Some(range.clone()) {
            continue;
        }
        last_stmt = Some(range.clone());
        let mut hit = Hit::new(rule, range);
        hit.vars = vec![("MODULE".into(), item.path.join(sep(cx.lang)).into())];
        hit.import = Some(i);
        hit.matched = Some(p.segments.clone());
        hits.push(hit);
    }
}

fn sep(lang: Lang) -> &'static str {
    match lang {
        Lang::Python => ".",
        Lang::Rust => "::",
    }
}

/// `importlib.import_module("m")` and `__import__("m")` with a literal module name: the calls
/// and their modules. Only callees that could be one are resolved: `__import__` itself, or any
/// callee when the file imports from `importlib` or `builtins` (which aliases could come from).
fn dynamic_imports<'a>(cx: &Ctx<'a>) -> Vec<(SNode<'a>, &'a str)> {
    if cx.lang != Lang::Python {
        return Vec::new();
    }
    let aliased = cx.resolver.imports().iter().any(|i| {
        matches!(
            i.path.first().map(String::as_str),
            Some("importlib" | "builtins")
        )
    });
    let mut found = Vec::new();
    for &call in &cx.facts.calls {
        let Some(f) = callee(call) else { continue };
        if !aliased && f.text() != "__import__" {
            continue;
        }
        let names = cx.resolve(f);
        let dynamic = names
            .iter()
            .any(|n| n == &["importlib", "import_module"] || n == &["__import__"]);
        if !dynamic {
            continue;
        }
        let Some(arg) = call
            .field("arguments")
            .and_then(|a| a.named_children().into_iter().next())
        else {
            continue;
        };
        if arg.kind() != "string" || !crate::matchers::is_literal(arg) {
            continue;
        }
        found.push((call, arg.text().trim_matches(|c| c == '"' || c == '\'')));
    }
    found
}

/// Rust paths in code whose first segment names the crate itself: `reqwest::get(..)`, also after
/// `use reqwest;` or `extern crate reqwest as r;`, but not `Client::new()` after `use
/// reqwest::Client;`, which the `use` finding covers.
fn code_paths<'a>(cx: &Ctx<'a>, rule: usize, patterns: &[QualPattern], hits: &mut Vec<Hit<'a>>) {
    // Paths that are the `path` of a longer one (`a::b` in `a::b::c`) are skipped: the
    // outermost is reported. References come parent first, so the inner ones are known before
    // they are reached (without asking tree-sitter for parents, which walks down from the root).
    let mut inner = std::collections::HashSet::new();
    for &node in &cx.facts.references {
        if !matches!(node.kind(), "scoped_identifier" | "scoped_type_identifier") {
            continue;
        }
        if let Some(path) = node.field("path")
            && matches!(path.kind(), "scoped_identifier" | "scoped_type_identifier")
        {
            inner.insert(path.node.id());
        }
        if inner.contains(&node.node.id()) || cx.in_import(&node.range()) {
            continue;
        }
        let Some(segs) = written_segments(cx.lang, node) else {
            continue;
        };
        let root_is_crate = match cx.resolver.binding_of(node) {
            Some(i) => cx.resolver.imports()[i].bound.len() == 1,
            None => true,
        };
        if !root_is_crate || segs.len() < 2 {
            continue;
        }
        let names = cx.resolve(node);
        let Some(p) = names.iter().find_map(|n| prefix_match(patterns, n)) else {
            continue;
        };
        let mut hit = Hit::new(rule, node.range());
        hit.vars = vec![("MODULE".into(), p.segments.join("::").into())];
        hit.callee = Some(node);
        hit.matched = Some(p.segments.clone());
        hits.push(hit);
    }
}
