//! `rename_to`: rewrite the matched module or callee to the sanctioned name, at the import and
//! at every reference in the file that goes through it.

use gavel_syntax::Lang;

use crate::{
    finding::Edit,
    matchers::{Ctx, Hit, reference::is_use_site},
    resolve::written_segments,
};

pub(crate) fn edits(cx: &Ctx<'_>, hit: &Hit<'_>, new: &str) -> Option<Vec<Edit>> {
    let matched = hit.matched.as_ref()?;
    if let Some(i) = hit.import {
        return Some(import_edits(cx, i, matched, new));
    }
    let callee = hit.callee?;
    // A Rust path in code matched by an import rule: rename its matched prefix.
    if hit.call.is_none()
        || cx.lang == Lang::Rust && matched.len() < written_segments(cx.lang, callee)?.len()
    {
        let segs = written_segments(cx.lang, callee)?;
        let k = matched.len().min(segs.len());
        if k < segs.len() && k > 0 {
            let at = segs[k - 1].1.range();
            return Some(vec![Edit {
                range: callee.range().start..at.end,
                text: new.to_string(),
            }]);
        }
    }
    Some(vec![Edit {
        range: callee.range(),
        text: new.to_string(),
    }])
}

/// A dotted Python target of a call rename needs its module imported.
pub(crate) fn implied_import(cx: &Ctx<'_>, hit: &Hit<'_>, new: &str) -> Option<String> {
    if cx.lang != Lang::Python || hit.import.is_some() {
        return None;
    }
    let (module, _) = new.rsplit_once('.')?;
    Some(format!("import {module}"))
}

fn import_edits(cx: &Ctx<'_>, item_index: usize, matched: &[String], new: &str) -> Vec<Edit> {
    let item = &cx.resolver.imports()[item_index];
    let mut edits: Vec<Edit> = item
        .path_nodes
        .iter()
        .filter(|(path, _)| path == matched)
        .map(|(_, range)| Edit {
            range: range.clone(),
            text: new.to_string(),
        })
        .collect();
    // References change only where the import binds the matched name itself: `import requests`,
    // `use reqwest;`; not `import requests as r` or `from requests import get`.
    let binds_itself = !item.from
        && item.bound.len() == matched.len()
        && item.local.as_deref() == item.bound.last().map(String::as_str);
    if !binds_itself || item.bound != matched {
        return edits;
    }
    for &node in &cx.facts.references {
        if cx.in_import(&node.range()) || !is_use_site(cx, node) {
            continue;
        }
        let Some(segs) = written_segments(cx.lang, node) else {
            continue;
        };
        let written: Vec<&str> = segs.iter().map(|s| s.0.as_str()).collect();
        if written != item.bound.iter().map(String::as_str).collect::<Vec<_>>()
            || cx.resolver.binding_of(node) != Some(item_index)
        {
            continue;
        }
        edits.push(Edit {
            range: node.range(),
            text: new.to_string(),
        });
    }
    // A Rust path's inner prefix node is also a reference fact: keep the outermost edit per start.
    edits.sort();
    edits.dedup_by(|b, a| a.range.start == b.range.start);
    edits
}
