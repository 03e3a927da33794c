//! Incremental checking for editors: re-check only the top-level items that changed.
//!
//! A file is cut into **chunks**: each top-level node of the tree (a Python statement, a Rust
//! item with its attributes and comments before it), with the text up to the previous chunk,
//! so chunks cover the file. Each chunk's findings (before suppressions), module-level bindings
//! and suppression comments are cached by the hash of its text, relative to its start.
//!
//! A new check reuses every chunk whose text is unchanged (it may have moved) and re-checks
//! the others, as a region: facts are gathered from the changed chunks only, and the bindings
//! and suppression comments of the unchanged chunks are found again by their ranges.
//! Suppressions then run over all findings. This is sound because, in gavel's model, a finding
//! in one chunk depends on the rest of the file only through module-level bindings:
//!
//! - if the module-level bindings of the changed chunks differ, or move relative to the
//!   unchanged chunks (an import added, a name assigned at module level, a definition moved
//!   above a use), everything is re-checked;
//! - a chunk whose findings reach outside it (a query or regex matching across items) is always
//!   re-checked, and so is a chunk with a syntax error (error recovery depends on what comes
//!   before it, so the same text can parse differently);
//! - when bindings change but the unchanged chunks keep their order (and no star import
//!   changed), an unchanged chunk is still reused unless it looked up, in the module's scope, a
//!   name that a changed binding spells: each chunk keeps the names its check looked up there
//!   (names bound in a function are resolved inside the chunk). Those that did are re-checked
//!   too, in a second region pass; only a reordering or a star import falls back to a full
//!   check;
//! - fixes are not built (they may edit other chunks: `rename_to`, `add_imports`); callers that
//!   need fixes use [`RuleSet::check`].
//!
//! The result equals [`RuleSet::check`]'s findings, without fixes; a differential test in
//! `gavel-lsp` holds it to that over thousands of random edits.

use std::{
    collections::HashMap,
    hash::{BuildHasher, Hash, Hasher},
    ops::Range,
};

use gavel_syntax::tree_sitter::Tree;

mod partial;

pub use partial::PartialPlan;

use crate::{
    check::{Analysis, FileInput, NodeRef, Outside, Pass},
    finding::{FileReport, Finding},
    ruleset::RuleSet,
};

/// What the previous check of a document left behind.
#[derive(Debug, Clone, Default)]
pub struct Incremental {
    rules: u64,
    path: String,
    chunks: Vec<Chunk>,
}

/// How much an incremental check re-checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncrementalStats {
    pub chunks: usize,
    pub rechecked: usize,
}

#[derive(Debug, Clone)]
struct Chunk {
    /// Text hash and length; `None` for a chunk with a syntax error.
    key: Option<(u64, usize)>,
    /// Findings before suppressions, relative to the chunk's start, without fixes.
    raw: Vec<Finding>,
    bindings: Vec<NodeRef>,
    comments: Vec<NodeRef>,
    /// Hash of the module-level bindings' kinds and texts; `None` when it has none.
    summary: Option<u64>,
    /// The words of its module-level bindings (names, and every word of an import).
    names: Vec<String>,
    /// The names its check looked up in the module's scope, sorted.
    used: Vec<String>,
    /// Every finding lies inside the chunk.
    contained: bool,
}

/// Why a region check did not do: the reused chunks (new indices) to re-check as well, with the
/// names whose bindings changed; `None` when only a full check will do.
type Retry = Option<(Vec<usize>, Vec<String>)>;

/// The hasher of chunk texts and binding summaries: foldhash with a fixed seed (the same in
/// every check of a session). A check hashes the whole text; SipHash took a third of a
/// millisecond of it on a 10,000-line file.
fn hasher() -> impl Hasher {
    foldhash::quality::FixedState::with_seed(0x0067_6176_656c).build_hasher()
}

/// Node kinds that belong with the item after them.
const LEADING: &[&str] = &["attribute_item", "line_comment", "block_comment"];

/// The chunks of a file: byte ranges covering it, and the hash of each one's text and kinds;
/// `None` for a chunk with a syntax error, which is never reused (error recovery depends on
/// what comes before, so the same text can parse differently).
fn chunks(input: &FileInput<'_>) -> Vec<(Range<usize>, Option<u64>)> {
    let root = input.tree.root_node();
    let mut out = Vec::new();
    let mut start = 0;
    let mut kinds = hasher();
    let mut cursor = root.walk();
    let children: Vec<_> = root.children(&mut cursor).collect();
    // After an attribute or comment, the chunk runs to the next named item (as test code
    // detection does), over any stray tokens between.
    let mut leading = false;
    let mut error = false;
    for (i, child) in children.iter().enumerate() {
        child.kind_id().hash(&mut kinds);
        error |= child.has_error();
        let last = i + 1 == children.len();
        if LEADING.contains(&child.kind()) {
            leading = true;
        }
        if !last && (LEADING.contains(&child.kind()) || leading && !child.is_named()) {
            continue;
        }
        leading = false;
        let end = if last {
            input.source.len()
        } else {
            child.end_byte()
        };
        let mut h = std::mem::replace(&mut kinds, hasher());
        input.source[start..end].hash(&mut h);
        out.push((
            start..end,
            (!std::mem::take(&mut error)).then(|| h.finish()),
        ));
        start = end;
    }
    if out.is_empty() || start < input.source.len() {
        let mut h = hasher();
        input.source[start..].hash(&mut h);
        out.push((start..input.source.len(), Some(h.finish())));
    }
    out
}

fn shift(r: &Range<usize>, by: isize) -> Range<usize> {
    (r.start as isize + by) as usize..(r.end as isize + by) as usize
}

fn shifted_refs(refs: &[NodeRef], by: isize) -> impl Iterator<Item = NodeRef> + '_ {
    refs.iter().map(move |n| NodeRef {
        range: shift(&n.range, by),
        ..n.clone()
    })
}

fn names(input: &FileInput<'_>, bindings: &[NodeRef]) -> Vec<String> {
    let mut out: Vec<String> = bindings
        .iter()
        .filter_map(|b| input.source.get(b.range.clone()))
        .flat_map(|t| t.split(|c: char| !(c.is_alphanumeric() || c == '_')))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    // A star import or glob binds names it does not spell.
    if bindings.iter().any(|b| {
        input
            .source
            .get(b.range.clone())
            .is_some_and(|t| t.contains('*'))
    }) {
        out.push("*".to_string());
    }
    out.sort();
    out.dedup();
    out
}

fn summary(input: &FileInput<'_>, bindings: &[NodeRef]) -> Option<u64> {
    if bindings.is_empty() {
        return None;
    }
    let mut h = hasher();
    for b in bindings {
        b.fact.hash(&mut h);
        input.source.get(b.range.clone()).hash(&mut h);
    }
    Some(h.finish())
}

impl RuleSet {
    /// Check a file, reusing what `prev` (the previous check of the same document with the same
    /// rules) found in chunks whose text did not change. Findings carry no fixes.
    pub fn check_incremental(
        &self,
        input: &FileInput<'_>,
        prev: Option<&Incremental>,
    ) -> (FileReport, Incremental, IncrementalStats) {
        let cut = chunks(input);
        let prev = prev.filter(|p| p.rules == self.id && p.path == input.path);
        if let Some(prev) = prev {
            let mut reused = reuse(&cut, input, prev);
            let mut changed = None;
            // A second pass also re-checks the unchanged chunks that looked up a name whose
            // module-level binding changed.
            for _ in 0..2 {
                if reused.is_empty() {
                    break;
                }
                match self.region_check(input, None, prev, &cut, &reused, changed.as_deref()) {
                    Ok(result) => return result,
                    Err(Some((affected, names))) => {
                        for i in affected {
                            reused.remove(&i);
                        }
                        changed = Some(names);
                    }
                    Err(None) => break,
                }
            }
        }
        let a = self.analyze(input, None, Outside::default(), Pass::Editor);
        let all: Vec<usize> = (0..cut.len()).collect();
        let cache = self.cache(input, &cut, &a, &HashMap::new(), &all, None);
        let stats = IncrementalStats {
            chunks: cut.len(),
            rechecked: cut.len(),
        };
        (report(a), cache, stats)
    }

    /// Re-check the chunks not reused. When module-level bindings changed, the error holds the
    /// reused chunks that depend on them and the names that changed (`changed`, when given, from
    /// a first pass), or `None` when only a full check will do.
    ///
    /// `whole` is the whole file's tree when `input`'s is a parse of the re-checked chunks alone
    /// ([`RuleSet::check_partial`]).
    fn region_check(
        &self,
        input: &FileInput<'_>,
        whole: Option<&Tree>,
        prev: &Incremental,
        cut: &[(Range<usize>, Option<u64>)],
        reused: &HashMap<usize, usize>,
        changed: Option<&[String]>,
    ) -> Result<(FileReport, Incremental, IncrementalStats), Retry> {
        let dirty: Vec<usize> = (0..cut.len()).filter(|i| !reused.contains_key(i)).collect();
        let mut outside = Outside {
            tree: whole,
            ..Outside::default()
        };
        for (&new, &old) in reused {
            let by = cut[new].0.start as isize;
            let chunk = &prev.chunks[old];
            outside.known.extend(shifted_refs(&chunk.bindings, by));
            outside.known.extend(shifted_refs(&chunk.comments, by));
            outside.findings.extend(chunk.raw.iter().map(|f| Finding {
                range: shift(&f.range, by),
                ..f.clone()
            }));
        }
        let region = merge(dirty.iter().map(|&i| cut[i].0.clone()).collect());
        let a = self.analyze(input, Some(&region), outside, Pass::Editor);
        let cache = self.cache(input, cut, &a, reused, &dirty, Some(prev));
        // The module-level bindings, in order, must be the same as before, or unrelated to
        // what the reused chunks look up.
        let mut old_reused = vec![false; prev.chunks.len()];
        for &old in reused.values() {
            old_reused[old] = true;
        }
        if env(&cache, |i| reused.get(&i).copied()) != env(prev, |i| old_reused[i].then_some(i)) {
            let changed = match changed {
                Some(names) => names.to_vec(),
                None => changed_names(prev, &cache, reused),
            };
            let affected = affected(prev, &changed, reused).ok_or(None)?;
            if !affected.is_empty() {
                return Err(Some((affected, changed)));
            }
        }
        let stats = IncrementalStats {
            chunks: cut.len(),
            rechecked: dirty.len(),
        };
        Ok((report(a), cache, stats))
    }

    /// The cache after a check: reused chunks as they were, dirty ones from the analysis.
    fn cache(
        &self,
        input: &FileInput<'_>,
        cut: &[(Range<usize>, Option<u64>)],
        a: &Analysis,
        reused: &HashMap<usize, usize>,
        dirty: &[usize],
        prev: Option<&Incremental>,
    ) -> Incremental {
        let mut chunks: Vec<Option<Chunk>> = vec![None; cut.len()];
        if let Some(prev) = prev {
            for (&new, &old) in reused {
                chunks[new] = Some(prev.chunks[old].clone());
            }
        }
        for &i in dirty {
            let range = &cut[i].0;
            let by = -(range.start as isize);
            let inside = |r: &Range<usize>| {
                range.contains(&r.start)
                    || r.start == range.end && r.is_empty() && i + 1 == cut.len()
            };
            let raw: Vec<Finding> = a.raw.iter().filter(|f| inside(&f.range)).cloned().collect();
            let bindings: Vec<NodeRef> = a
                .bindings
                .iter()
                .filter(|n| inside(&n.range))
                .cloned()
                .collect();
            let comments: Vec<NodeRef> = a
                .comments
                .iter()
                .filter(|n| inside(&n.range))
                .cloned()
                .collect();
            let mut used: Vec<String> = a
                .lookups
                .iter()
                .filter(|(pos, _)| inside(&(*pos..*pos)))
                .map(|(_, name)| name.clone())
                .collect();
            used.sort_unstable();
            used.dedup();
            chunks[i] = Some(Chunk {
                used,
                key: cut[i].1.map(|h| (h, range.len())),
                contained: raw.iter().all(|f| f.range.end <= range.end),
                summary: summary(input, &bindings),
                names: names(input, &bindings),
                raw: raw
                    .into_iter()
                    .map(|f| Finding {
                        range: shift(&f.range, by),
                        ..f
                    })
                    .collect(),
                bindings: shifted_refs(&bindings, by).collect(),
                comments: shifted_refs(&comments, by).collect(),
            });
        }
        Incremental {
            rules: self.id,
            path: input.path.to_string(),
            chunks: chunks
                .into_iter()
                .map(|c| c.expect("every chunk is filled"))
                .collect(),
        }
    }
}

/// Where the module-level bindings are relative to the reused chunks: the chunks in order, a
/// reused one as its old index, one with bindings as their summary. Resolution in a reused
/// chunk is unchanged when this sequence is.
fn env(cache: &Incremental, reused_as: impl Fn(usize) -> Option<usize>) -> Vec<(bool, u64)> {
    cache
        .chunks
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match reused_as(i) {
            Some(old) => Some((true, old as u64)),
            None => c.summary.map(|s| (false, s)),
        })
        .collect()
}

/// The words of the module-level bindings of the chunks that are not reused, before and after.
fn changed_names(
    prev: &Incremental,
    cache: &Incremental,
    reused: &HashMap<usize, usize>,
) -> Vec<String> {
    let old_reused: std::collections::HashSet<usize> = reused.values().copied().collect();
    let mut changed: Vec<String> = cache
        .chunks
        .iter()
        .enumerate()
        .filter(|(i, _)| !reused.contains_key(i))
        .chain(
            prev.chunks
                .iter()
                .enumerate()
                .filter(|(i, _)| !old_reused.contains(i)),
        )
        .flat_map(|(_, c)| c.names.iter().cloned())
        .collect();
    changed.sort_unstable();
    changed.dedup();
    changed
}

/// Module-level bindings spelling `changed` were added, removed or moved: which reused chunks
/// (new indices) can that change what they resolve to? Those that looked one of the names up in
/// the module's scope. `None` when the reused chunks changed order or a star import changed
/// (it binds names it does not spell).
fn affected(
    prev: &Incremental,
    changed: &[String],
    reused: &HashMap<usize, usize>,
) -> Option<Vec<usize>> {
    let mut order: Vec<(usize, usize)> = reused.iter().map(|(&n, &o)| (n, o)).collect();
    order.sort_unstable();
    if order.windows(2).any(|w| w[0].1 > w[1].1) || changed.iter().any(|w| w == "*") {
        return None;
    }
    Some(
        order
            .into_iter()
            .filter(|&(_, old)| {
                let used = &prev.chunks[old].used;
                changed.iter().any(|w| used.binary_search(w).is_ok())
            })
            .map(|(new, _)| new)
            .collect(),
    )
}

/// Which new chunks (by index) reuse which old ones: same text, findings contained.
fn reuse(
    cut: &[(Range<usize>, Option<u64>)],
    _input: &FileInput<'_>,
    prev: &Incremental,
) -> HashMap<usize, usize> {
    let mut by_key: HashMap<(u64, usize), Vec<usize>> = HashMap::new();
    for (i, c) in prev.chunks.iter().enumerate().rev() {
        if c.contained
            && let Some(key) = c.key
        {
            by_key.entry(key).or_default().push(i);
        }
    }
    let mut pairs = Vec::new();
    for (i, (range, hash)) in cut.iter().enumerate() {
        let Some(hash) = hash else {
            continue;
        };
        if let Some(old) = by_key.get_mut(&(*hash, range.len())).and_then(Vec::pop) {
            pairs.push((i, old));
        }
    }
    in_order(&pairs).into_iter().collect()
}

/// The longest run of `pairs` (sorted by new index) whose old indices increase too: reused
/// chunks must keep their order, so that every binding stays before or after the same uses.
fn in_order(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // Patience sorting: `tails[k]` is the pair ending the best run of length k + 1 found so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; pairs.len()];
    for (i, &(_, old)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < old);
        before[i] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(i) = at {
        run.push(pairs[i]);
        at = before[i];
    }
    run.reverse();
    run
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

fn report(a: Analysis) -> FileReport {
    FileReport {
        findings: a.findings,
        suppressed: a.suppressed,
        waived: a.waived,
    }
}
