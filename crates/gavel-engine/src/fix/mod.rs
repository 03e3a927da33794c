//! Building a finding's quick fixes (SPEC 1.2): each `[[rule.fix]]` becomes one multi-edit
//! change against the checked text. A fix whose edits would overlap is dropped.

mod imports;
mod kwargs;
mod rename;

use gavel_policy::FixSpec;

use crate::{
    finding::{Edit, Fix},
    matchers::{Ctx, Hit},
    template::render,
};

pub(crate) use imports::add_imports;

/// The fixes of a hit, in the rule's order (the first is preferred).
pub(crate) fn build(cx: &Ctx<'_>, specs: &[FixSpec], hit: &Hit<'_>) -> Vec<Fix> {
    specs
        .iter()
        .filter_map(|spec| build_one(cx, spec, hit))
        .collect()
}

fn build_one(cx: &Ctx<'_>, spec: &FixSpec, hit: &Hit<'_>) -> Option<Fix> {
    let mut edits = Vec::new();
    if let Some(template) = &spec.replace {
        edits.push(Edit {
            range: hit.range.clone(),
            text: render(template, &hit.vars),
        });
    }
    if let Some(new) = &spec.rename_to {
        edits.extend(rename::edits(cx, hit, new)?);
    }
    if !spec.remove_kwargs.is_empty() {
        edits.extend(kwargs::remove(hit.call?, &spec.remove_kwargs));
    }
    let mut wanted: Vec<String> = spec.add_imports.clone();
    if let Some(new) = &spec.rename_to {
        wanted.extend(rename::implied_import(cx, hit, new));
    }
    edits.extend(add_imports(cx, &wanted));
    normalize(&mut edits)?;
    if edits.is_empty() {
        return None;
    }
    Some(Fix {
        title: spec.title.clone(),
        edits,
    })
}

/// Sort, drop duplicates, and refuse overlapping edits (two insertions at one point merge).
fn normalize(edits: &mut Vec<Edit>) -> Option<()> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup();
    let mut i = 1;
    while i < edits.len() {
        let (a, b) = (&edits[i - 1], &edits[i]);
        if a.range.is_empty() && b.range.is_empty() && a.range.start == b.range.start {
            let text = b.text.clone();
            edits[i - 1].text.push_str(&text);
            edits.remove(i);
            continue;
        }
        if b.range.start < a.range.end {
            return None;
        }
        i += 1;
    }
    Some(())
}
