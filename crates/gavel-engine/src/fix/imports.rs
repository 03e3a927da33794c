//! `add_imports`: add each import once, where the file's imports are: Python after the last
//! module-level import (else after the docstring and `__future__` imports), Rust after the last
//! top-level `use` (else before the first item).

use gavel_syntax::Lang;

use crate::{finding::Edit, matchers::Ctx, resolve::canonical};

pub(crate) fn add_imports(cx: &Ctx<'_>, wanted: &[String]) -> Vec<Edit> {
    let missing: Vec<&String> = wanted.iter().filter(|w| !present(cx, w)).collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let mut text = String::new();
    let (at, after_line) = insertion_point(cx);
    // A comment node can end with its newline: then the point is already a line start.
    let leading_newline = after_line && !cx.source[..at].ends_with('\n');
    let newline = line_ending(cx.source);
    for (i, m) in missing.iter().enumerate() {
        if i > 0 || leading_newline {
            text.push_str(newline);
        }
        text.push_str(m.trim());
    }
    if !leading_newline {
        text.push_str(newline);
    }
    vec![Edit {
        range: at..at,
        text,
    }]
}

/// The file's line ending, as its first line ends: added lines match it.
fn line_ending(source: &str) -> &'static str {
    match memchr::memchr(b'\n', source.as_bytes()) {
        Some(i) if i > 0 && source.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Is an import line already satisfied by the file's imports?
fn present(cx: &Ctx<'_>, line: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let wanted = norm(line.trim().trim_end_matches(';'));
    let imports = cx.resolver.imports();
    if imports
        .iter()
        .any(|i| i.stmt.unit.is_file() && norm(i.stmt.text().trim_end_matches(';')) == wanted)
    {
        return true;
    }
    match cx.lang {
        Lang::Python => {
            if let Some(module) = wanted.strip_prefix("import ") {
                let path: Vec<String> = module.split('.').map(str::to_string).collect();
                return imports
                    .iter()
                    .any(|i| !i.from && i.path == path && i.local.as_deref() == Some(&path[0]));
            }
            if let Some((module, name)) = wanted
                .strip_prefix("from ")
                .and_then(|r| r.split_once(" import "))
            {
                let mut path: Vec<String> = module.split('.').map(str::to_string).collect();
                path.push(name.trim().to_string());
                return imports
                    .iter()
                    .any(|i| i.from && i.path == path && i.local.as_deref() == Some(name.trim()));
            }
            false
        }
        Lang::Rust => {
            let Some(path) = wanted.strip_prefix("use ") else {
                return false;
            };
            if path.contains('{') {
                return false;
            }
            let path = canonical(
                Lang::Rust,
                path.split("::").map(|s| s.trim().to_string()).collect(),
            );
            imports.iter().any(|i| i.path == path && !i.star)
        }
    }
}

/// Where to insert, and whether the text goes after a line (so it starts with a newline).
fn insertion_point(cx: &Ctx<'_>) -> (usize, bool) {
    let top_level = |kind: &str| match cx.lang {
        Lang::Python => kind == "module",
        Lang::Rust => kind == "source_file",
    };
    let last_import = cx
        .facts
        .imports
        .iter()
        .filter(|i| i.unit.is_file() && i.parent().is_some_and(|p| top_level(p.kind())))
        .max_by_key(|i| i.range().end);
    if let Some(i) = last_import {
        return (i.range().end, true);
    }
    let Some(unit) = cx.facts.units.first() else {
        return (0, false);
    };
    let root = unit.tree.root_node();
    let mut cursor = root.walk();
    let mut after = None;
    for child in root.named_children(&mut cursor) {
        let skip = match cx.lang {
            Lang::Python => child.kind() == "comment" || is_docstring(child) && after.is_none(),
            Lang::Rust => matches!(
                child.kind(),
                "inner_attribute_item" | "line_comment" | "block_comment"
            ),
        };
        if !skip {
            break;
        }
        if child.kind() != "comment" && !child.kind().ends_with("_comment")
            || is_inner_doc(&unit.text[child.byte_range()])
        {
            after = Some(child.end_byte());
        }
    }
    match after {
        Some(end) => (end, true),
        None => (first_code_start(cx), false),
    }
}

fn is_docstring(node: gavel_syntax::tree_sitter::Node<'_>) -> bool {
    node.kind() == "expression_statement"
        && node.named_child(0).is_some_and(|c| c.kind() == "string")
}

fn is_inner_doc(text: &str) -> bool {
    text.starts_with("//!") || text.starts_with("/*!")
}

/// The start of the first line that is neither a comment nor blank.
fn first_code_start(cx: &Ctx<'_>) -> usize {
    let Some(unit) = cx.facts.units.first() else {
        return 0;
    };
    let root = unit.tree.root_node();
    let mut cursor = root.walk();
    let first = root
        .named_children(&mut cursor)
        .find(|c| !c.kind().contains("comment"));
    first.map_or(unit.text.len(), |n| {
        let start = n.start_byte();
        unit.text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1)
    })
}
