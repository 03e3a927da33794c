//! `remove_kwargs = ["shell"]`: drop keyword arguments from the call, with their commas.

use crate::{finding::Edit, matchers::Args, unit::SNode};

pub(crate) fn remove(call: SNode<'_>, names: &[String]) -> Vec<Edit> {
    let args = Args::of_call(call);
    let all = args.all();
    let mut edits: Vec<Edit> = Vec::new();
    for (name, kw, _) in &args.keywords {
        if !names.contains(name) {
            continue;
        }
        let Some(i) = all.iter().position(|a| a.node == kw.node) else {
            continue;
        };
        let range = if let Some(next) = all.get(i + 1) {
            kw.range().start..next.range().start
        } else if i > 0 {
            all[i - 1].range().end..kw.range().end
        } else {
            kw.range()
        };
        edits.push(Edit {
            range,
            text: String::new(),
        });
    }
    // Removing neighbours can produce overlapping ranges: merge them.
    edits.sort();
    let mut merged: Vec<Edit> = Vec::new();
    for e in edits {
        match merged.last_mut() {
            Some(last) if e.range.start <= last.range.end => {
                last.range.end = last.range.end.max(e.range.end)
            }
            _ => merged.push(e),
        }
    }
    merged
}
