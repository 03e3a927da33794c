//! A provisional check while a slow reparse runs.
//!
//! tree-sitter usually reparses an edited file in a millisecond or two, but an edit that starts
//! error recovery (typing `de` before an existing `def`) can make it reparse most of a large
//! file. An editor need not wait for that: the top-level chunks the edits touched can be parsed
//! on their own (tree-sitter's included ranges) and checked as a region, with the rest of the
//! file known from the previous check and from the previous tree, edited to match the new text
//! (`Tree::edit` keeps its nodes outside the edits at their new offsets).
//!
//! The chunks are cut from that edited tree and reused by their text, exactly as
//! [`RuleSet::check_incremental`] does; those not reused, and every chunk between them, are the
//! region. The result is provisional: a chunk parsed alone can recover from an error
//! differently than it would inside the file, so the editor checks again once the full reparse
//! ends.

use std::{collections::HashMap, ops::Range};

use gavel_syntax::tree_sitter::Tree;

use super::{Incremental, IncrementalStats, chunks, reuse};
use crate::{check::FileInput, finding::FileReport, ruleset::RuleSet};

/// The most bytes a provisional check parses. An unclosed brace makes the old tree one chunk
/// from there to the end of the file; parsing and checking that much costs more than waiting
/// for the reparse (tens of milliseconds on a 300 KB file, against one or two).
pub const MAX_REGION: usize = 16 * 1024;

/// Which chunks a provisional check re-checks, from [`RuleSet::plan_partial`].
#[derive(Debug, Clone)]
pub struct PartialPlan {
    cut: Vec<(Range<usize>, Option<u64>)>,
    reused: HashMap<usize, usize>,
    region: Range<usize>,
}

impl PartialPlan {
    /// The bytes to parse on their own: every chunk from the first changed one to the last.
    pub fn region(&self) -> Range<usize> {
        self.region.clone()
    }
}

/// Whether the first code in `range` (past blank space) is not at the start of its line.
fn indented(source: &str, range: &Range<usize>) -> bool {
    let text = &source[range.clone()];
    let Some(code) = text.find(|c: char| !c.is_whitespace()) else {
        return false;
    };
    let at = range.start + code;
    let line_start = source[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    at > line_start
}

impl RuleSet {
    /// Plan a provisional check of `input`, whose tree is the previous one edited to match the
    /// new text, against `prev`, the previous check's cache. `None` when there is no previous
    /// check with these rules, no chunk changed, or the changed chunks span more than
    /// [`MAX_REGION`] bytes.
    pub fn plan_partial(&self, input: &FileInput<'_>, prev: &Incremental) -> Option<PartialPlan> {
        if prev.rules != self.id || prev.path != input.path {
            return None;
        }
        let mut cut = chunks(input);
        let mut reused = reuse(&cut, input, prev);
        let mut first = (0..cut.len()).find(|i| !reused.contains_key(i))?;
        let mut last = (0..cut.len()).rfind(|i| !reused.contains_key(i))?;
        // The old tree may have cut the new text inside an item (an edit that closes a block):
        // a chunk whose code starts indented continues the one before it.
        let indented = |i: usize| indented(input.source, &cut[i].0);
        while first > 0 && indented(first) {
            first -= 1;
        }
        while last + 1 < cut.len() && indented(last + 1) {
            last += 1;
        }
        let region = cut[first].0.start..cut[last].0.end;
        if region.len() > MAX_REGION {
            return None;
        }
        for (i, (_, key)) in cut.iter_mut().enumerate().take(last + 1).skip(first) {
            reused.remove(&i);
            // Cut from the old tree: the new parse may hold an error, so never reuse it.
            *key = None;
        }
        Some(PartialPlan {
            cut,
            reused,
            region,
        })
    }

    /// Check the plan's region, parsed on its own into `part` (offsets in the whole text); the
    /// rest comes from `prev` and from `whole`, the previous tree edited to match the text.
    /// `None` when the region's module-level bindings changed what the rest of the file
    /// resolves to: only a check of the whole new tree will do.
    pub fn check_partial(
        &self,
        input: &FileInput<'_>,
        part: &Tree,
        plan: &PartialPlan,
        prev: &Incremental,
    ) -> Option<(FileReport, Incremental, IncrementalStats)> {
        let region_input = FileInput {
            tree: part,
            ..*input
        };
        self.region_check(
            &region_input,
            Some(input.tree),
            prev,
            &plan.cut,
            &plan.reused,
            None,
        )
        .ok()
    }
}
