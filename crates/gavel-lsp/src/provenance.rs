//! Provenance in the editor (SPEC 4): the live buffer against the base blob, blame for
//! committed AI-written lines, and edit bursts.
//!
//! - [`AiMarks`]: lines a single didChange inserted at least `burst_lines` of, per document.
//!   They follow later edits: lines inserted above shift them, editing a marked line keeps it
//!   marked, deleting it drops it.
//! - [`State`]: git per file, read once (base blob, HEAD blob, blame) and kept until HEAD or
//!   the index moves ([`crate::git_watch`]); a keystroke only diffs the buffer against the
//!   cached blobs.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use dashmap::DashMap;
use gavel_engine::{Finding, LineMarks, ProvenanceOptions, apply_provenance};
use gavel_syntax::{Change, WideEncoding, rope_offset, ropey::Rope};
use gavel_workspace::{
    LoadedConfig,
    git::{FileHistory, GitCache, marks_without_git},
};

/// `burst_lines` when the config does not set it.
pub const DEFAULT_BURST_LINES: u32 = 6;

/// Lines marked AI-written by edit bursts; empty until the first burst.
#[derive(Debug, Clone, Default)]
pub struct AiMarks {
    lines: Vec<bool>,
}

/// One change of a didChange, in lines of the text before it.
pub struct LineEdit<'a> {
    pub start_line: usize,
    /// The change starts at column 0: nothing of the old start line stays before it.
    pub at_line_start: bool,
    pub end_line: usize,
    /// The change ends at the end of its line: nothing of the old end line follows it.
    pub at_line_end: bool,
    pub text: &'a str,
}

impl AiMarks {
    pub fn contains(&self, line: usize) -> bool {
        self.lines.get(line).copied().unwrap_or(false)
    }

    pub fn is_empty(&self) -> bool {
        !self.lines.contains(&true)
    }

    /// Forget every mark (the whole text was replaced).
    pub fn clear(&mut self) {
        self.lines.clear();
    }

    /// 0-based inclusive line ranges, for `gavel/documentState`.
    pub fn ranges(&self) -> Vec<(usize, usize)> {
        let facts = self
            .lines
            .iter()
            .map(|&ai| gavel_engine::LineFacts { changed: None, ai })
            .collect();
        LineMarks::from_facts(facts).ranges(|f| f.ai)
    }

    /// Apply one change; `burst` marks the lines it inserts.
    pub fn edit(&mut self, e: &LineEdit<'_>, burst: bool) {
        if self.lines.is_empty() && !burst {
            return;
        }
        let end = e.end_line.max(e.start_line);
        if self.lines.len() <= end {
            self.lines.resize(end + 1, false);
        }
        let (was_start, was_end) = (self.lines[e.start_line], self.lines[end]);
        let segments: Vec<&str> = e.text.split('\n').collect();
        let k = segments.len() - 1;
        let mut new = vec![false; k + 1];
        if burst {
            for (i, seg) in segments.iter().enumerate() {
                new[i] = (0 < i && i < k) || !seg.trim().is_empty();
            }
        }
        new[0] |= was_start && !e.at_line_start;
        new[k] |= was_end && !e.at_line_end;
        if k == 0 {
            new[0] |= was_start && was_end;
        }
        self.lines.splice(e.start_line..=end, new);
    }
}

/// How many lines a batch of changes inserts: a burst when at least `burst_lines`.
pub fn is_burst(texts: &[&str], burst_lines: u32) -> bool {
    let inserted: usize = texts.iter().map(|t| t.matches('\n').count()).sum();
    burst_lines > 0 && inserted >= burst_lines as usize
}

/// Update `marks` for a didChange's `changes`, taken in order against `rope` (the text before
/// them). Cheap when there are no marks and no burst: nothing is done.
pub fn track(
    marks: &mut AiMarks,
    rope: &Rope,
    changes: &[Change<'_>],
    enc: WideEncoding,
    burst_lines: u32,
) {
    let texts: Vec<&str> = changes
        .iter()
        .map(|c| match c {
            Change::Full(t) | Change::Ranged { text: t, .. } => *t,
        })
        .collect();
    let burst = is_burst(&texts, burst_lines);
    if marks.is_empty() && !burst {
        return;
    }
    let mut rope = rope.clone();
    for change in changes {
        match *change {
            Change::Full(_) => marks.clear(),
            Change::Ranged { start, end, text } => {
                let a = rope_offset(&rope, start, enc);
                let b = rope_offset(&rope, end, enc).max(a);
                let (sl, el) = (rope.byte_to_line(a), rope.byte_to_line(b));
                let line_end = rope.line_to_byte(el) + line_len(&rope, el);
                marks.edit(
                    &LineEdit {
                        start_line: sl,
                        at_line_start: a == rope.line_to_byte(sl),
                        end_line: el,
                        at_line_end: b >= line_end,
                        text,
                    },
                    burst,
                );
            }
        }
        crate::document::apply_to_rope(&mut rope, change, enc);
    }
}

/// The bytes of a line without its line break.
fn line_len(rope: &Rope, line: usize) -> usize {
    let l = rope.line(line);
    let mut n = l.len_bytes();
    for b in ["\n", "\r"] {
        if n > 0 && l.byte(n - 1) == b.as_bytes()[0] {
            n -= 1;
        }
    }
    n
}

/// git for open documents.
#[derive(Default)]
pub struct State {
    git: GitCache,
    histories: DashMap<PathBuf, Option<Arc<FileHistory>>>,
    /// Per `.git` directory, its HEAD and index stamps from before its history was read.
    pub stamps: DashMap<PathBuf, crate::git_watch::Stamps>,
}

impl State {
    /// HEAD or the index moved: read git again at the next check.
    pub fn refresh(&self) {
        self.git.refresh();
        self.histories.clear();
        self.stamps.clear();
    }

    /// The file's history, read on first use; `None` outside a repository.
    fn history(&self, config: &LoadedConfig, path: &Path, text: &str) -> Option<Arc<FileHistory>> {
        if let Some(h) = self.histories.get(path) {
            return h.clone();
        }
        if let Some(dir) = path.parent().and_then(crate::git_watch::git_dir) {
            let stamps = crate::git_watch::stamps(&dir);
            self.stamps.entry(dir).or_insert(stamps);
        }
        let history = match self.git.repo(config, path) {
            Some(Ok(repo)) => repo
                .rel_path(path)
                .map(|rel| Arc::new(repo.history(&rel, text))),
            Some(Err(e)) => {
                tracing::warn!("provenance: {e}");
                None
            }
            None => None,
        };
        self.histories.insert(path.to_path_buf(), history.clone());
        history
    }

    /// Give `findings` their provenance and drop those outside their rule's `applies_to`.
    pub fn apply(
        &self,
        config: &LoadedConfig,
        path: Option<&Path>,
        text: &str,
        ai: &AiMarks,
        findings: &mut Vec<Finding>,
    ) -> LineMarks {
        let history = path.and_then(|p| self.history(config, p, text));
        let burst = |line: usize| ai.contains(line);
        let marks = match &history {
            Some(h) => h.marks(text, burst),
            None => marks_without_git(text, burst),
        };
        let options = ProvenanceOptions {
            scope: gavel_policy::AppliesTo::All,
            ai_min_severity: config.provenance.ai_min_severity,
        };
        apply_provenance(findings, text, &marks, options);
        marks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Start from `marked` lines of an 8-line text, apply `edits`, render marked lines.
    fn check(marked: &[usize], edits: &[(LineEdit<'_>, bool)], expect: &str) {
        let mut marks = AiMarks {
            lines: (0..8).map(|l| marked.contains(&l)).collect(),
        };
        for (e, burst) in edits {
            marks.edit(e, *burst);
        }
        let got: String = (0..marks.lines.len().max(8))
            .map(|l| if marks.contains(l) { 'A' } else { '.' })
            .collect();
        assert_eq!(got, expect);
    }

    fn edit(start: (usize, bool), end: (usize, bool), text: &str) -> LineEdit<'_> {
        LineEdit {
            start_line: start.0,
            at_line_start: start.1,
            end_line: end.0,
            at_line_end: end.1,
            text,
        }
    }

    #[test]
    fn a_burst_marks_the_lines_it_inserts() {
        // Six lines pasted at the start of line 2 (column 0): lines 2..=7 are new.
        let paste = "a\nb\nc\nd\ne\nf\n";
        check(
            &[],
            &[(edit((2, true), (2, false), paste), true)],
            "..AAAAAA......",
        );
        // Pasted after the end of line 1: line 1 keeps its own state, the new lines are marked.
        check(
            &[],
            &[(edit((1, false), (1, true), "\na\nb"), true)],
            "..AA......",
        );
    }

    #[test]
    fn marks_follow_later_edits() {
        // Lines inserted above shift the marks down.
        check(
            &[3, 4],
            &[(edit((0, true), (0, false), "x\ny\n"), false)],
            ".....AA...",
        );
        // Typing inside a marked line keeps it marked.
        check(
            &[3],
            &[(edit((3, false), (3, false), "z"), false)],
            "...A....",
        );
        // Enter at the end of a marked line: the new line below is not AI-written.
        check(
            &[3],
            &[(edit((3, false), (3, true), "\n"), false)],
            "...A.....",
        );
        // Deleting a marked line (from its start to the next line's start) drops its mark.
        check(
            &[3, 5],
            &[(edit((3, true), (4, true), ""), false)],
            "....A...",
        );
    }
}
