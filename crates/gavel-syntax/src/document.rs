//! An open document: its text in a rope, and a syntax tree kept up to date incrementally.
//!
//! An editor sends changes as line/column ranges ([`Change`]). [`Document::apply`] applies a
//! batch of them in order, each relative to the text the previous one produced, as LSP
//! specifies. It edits the rope, describes each ranged change to the tree with
//! [`Tree::edit`](tree_sitter::Tree::edit), then reparses once, reusing the edited tree.
//!
//! Positions are clamped the same way as [`LineIndex::offset`](crate::LineIndex::offset): a
//! column past the end of its line is the line's end, a line past the end of the text is the end
//! of the text, and a column inside a character (half a surrogate pair, the middle of a UTF-8
//! sequence) is that character's start. [`rope_offset`] and [`rope_line_col`] convert positions
//! directly on a rope.
//!
//! Some choices worth knowing:
//!
//! - **Full changes.** A [`Change::Full`] replaces the text; no `InputEdit` describes it, so the
//!   old tree is dropped and the batch is parsed from scratch.
//! - **Versions.** A version older than the document's is rejected and leaves the document as it
//!   was. The same version is accepted: [`Document::apply`] with no changes retries a parse that
//!   timed out.
//! - **Deadlines.** If the parse passes its deadline, the text edits are kept (the editor has made
//!   them, so dropping them would desynchronise the document) and the tree is marked stale:
//!   [`Document::tree`] returns `None` until a later `apply` parses successfully, or until the
//!   [`PendingParse`] taken with [`Document::pending`] is finished on another thread and given
//!   back with [`Document::finish`]. The ranges edited meanwhile are carried over and reported by
//!   the later `apply`. Meanwhile [`Document::edited_tree`] is the previous tree, edited to match
//!   the text, for a provisional check of what the edits touched.
//! - **Rows.** tree-sitter counts rows at `\n` only, while LSP lines (and ropey with `cr_lines`)
//!   also end at a lone `\r`. Points given to `Tree::edit` count `\n` only. Never read LSP
//!   positions from `Node::start_position`: convert node bytes with [`rope_line_col`].

use std::{fmt, ops::Range, time::Instant};

use ropey::Rope;
use tree_sitter::{InputEdit, Point, Tree};

use crate::{Lang, LineCol, WideEncoding, parse::parse_rope};

/// One content change sent by an editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<'a> {
    /// The whole new text.
    Full(&'a str),
    /// Replace the text between two positions (in the encoding given to [`Document::apply`]).
    Ranged {
        start: LineCol,
        end: LineCol,
        text: &'a str,
    },
}

/// Why [`Document::apply`] refused a batch of changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyError {
    /// The changes are for a version older than the document's.
    OldVersion { current: i32, got: i32 },
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApplyError::OldVersion { current, got } => {
                write!(
                    f,
                    "version {got} is older than the document's version {current}"
                )
            }
        }
    }
}

impl std::error::Error for ApplyError {}

/// How the tree was brought up to date by [`Document::apply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reparse {
    /// Reparsed reusing the edited previous tree.
    Incremental,
    /// Parsed from scratch: a full change, `incremental == false`, or a timed-out parse that
    /// left no reusable tree.
    FromScratch,
    /// The deadline passed: the text is up to date, the tree is stale.
    TimedOut,
    /// No changes and the tree was already up to date.
    NotNeeded,
}

/// Where one change landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSpan {
    /// The bytes of the final text this change wrote. Later changes in the batch shift it, and
    /// one overlapping or touching it grows it to cover what that later change wrote too.
    pub bytes: Range<usize>,
    /// The lines of the final text that `bytes` touches (`first..last + 1`, never empty).
    pub lines: Range<usize>,
    /// How many line breaks (`\n`, `\r\n`, lone `\r`) the change's text holds: the number of
    /// lines it inserted. A large value marks a paste.
    pub inserted_lines: usize,
}

/// What [`Document::apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Byte ranges of the new text written since the tree was last up to date (by this batch,
    /// and by earlier ones whose parse timed out): sorted, disjoint and not touching. A deletion
    /// leaves an empty range where it happened.
    pub edited: Vec<Range<usize>>,
    /// Byte ranges whose syntax changed (`old.changed_ranges(&new)`), or the whole text after a
    /// parse from scratch, or nothing if the parse timed out. tree-sitter misses edits that keep
    /// the tree's shape (a same-length edit inside a string or a comment): see [`Applied::dirty`].
    pub changed: Vec<Range<usize>>,
    /// One span per change of this batch, in order.
    pub changes: Vec<ChangeSpan>,
    pub reparse: Reparse,
}

impl Applied {
    /// Everything that may need re-checking: `edited` and `changed` merged.
    pub fn dirty(&self) -> Vec<Range<usize>> {
        merge_ranges(self.edited.iter().chain(&self.changed).cloned().collect())
    }
}

/// A document's text, syntax tree and version.
#[derive(Debug, Clone)]
pub struct Document {
    lang: Lang,
    rope: Rope,
    tree: Tree,
    version: i32,
    /// How many `\r` not followed by `\n` the text holds. With none, tree-sitter rows are ropey
    /// lines, which makes points cheap.
    lone_crs: usize,
    /// Set while the tree lags behind the text (a parse timed out).
    stale: Option<Stale>,
}

#[derive(Debug, Clone)]
struct Stale {
    /// Whether every edit since the last parse was described to `tree`, so it can be reused.
    tree_edited: bool,
    /// Byte ranges written since the last parse.
    edited: Vec<Range<usize>>,
}

/// A replacement of `start..old_end` by text now at `start..new_end`.
#[derive(Debug, Clone, Copy)]
struct Edit {
    start: usize,
    old_end: usize,
    new_end: usize,
}

impl Document {
    /// A document parsed from scratch.
    pub fn new(lang: Lang, text: &str, version: i32) -> Document {
        let rope = Rope::from_str(text);
        let tree = parse_rope(lang, &rope, None, None).expect("a parse without a deadline ends");
        let lone_crs = count_lone_crs(&rope, 0..rope.len_bytes());
        Document {
            lang,
            rope,
            tree,
            version,
            lone_crs,
            stale: None,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    /// The whole text, copied out of the rope.
    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// The syntax tree of the current text, or `None` while it is stale (a parse timed out).
    pub fn tree(&self) -> Option<&Tree> {
        match self.stale {
            None => Some(&self.tree),
            Some(_) => None,
        }
    }

    /// Whether the last parse timed out, so the tree lags behind the text.
    pub fn is_stale(&self) -> bool {
        self.stale.is_some()
    }

    /// The byte offset of `pos`, clamped (see [`rope_offset`]).
    pub fn offset(&self, pos: LineCol, enc: WideEncoding) -> usize {
        rope_offset(&self.rope, pos, enc)
    }

    /// The line and column of a byte offset (see [`rope_line_col`]).
    pub fn line_col(&self, offset: usize, enc: WideEncoding) -> LineCol {
        rope_line_col(&self.rope, offset, enc)
    }

    /// Apply `changes` in order, then reparse once, reusing the edited tree if `incremental`
    /// (otherwise from scratch, the baseline to compare against) and giving up at `deadline`.
    ///
    /// Columns are in `enc`. A `version` older than the document's is rejected and changes
    /// nothing. If the deadline passes, the text is still changed and the tree is marked stale
    /// (`Reparse::TimedOut`); a later call, with no changes if need be, parses again.
    pub fn apply(
        &mut self,
        version: i32,
        changes: &[Change<'_>],
        enc: WideEncoding,
        incremental: bool,
        deadline: Option<Instant>,
    ) -> Result<Applied, ApplyError> {
        if version < self.version {
            return Err(ApplyError::OldVersion {
                current: self.version,
                got: version,
            });
        }
        self.version = version;
        let Some(stale) = self.stale.take().or_else(|| fresh_if_changed(changes)) else {
            let reparse = Reparse::NotNeeded;
            return Ok(Applied {
                edited: vec![],
                changed: vec![],
                changes: vec![],
                reparse,
            });
        };
        let mut reuse = stale.tree_edited && incremental;
        let mut edited = stale.edited;
        let mut spans = Vec::with_capacity(changes.len());
        for change in changes {
            reuse &= !matches!(change, Change::Full(_));
            let edit = self.apply_change(change, enc, reuse);
            for range in edited.iter_mut().chain(spans.iter_mut()) {
                *range = edit.map(range.clone());
            }
            edited.push(edit.start..edit.new_end);
            spans.push(edit.start..edit.new_end);
        }
        let edited = merge_ranges(edited);
        let changes = self.spans(changes, spans);
        let (changed, reparse) = self.reparse(reuse, deadline, &edited);
        Ok(Applied {
            edited,
            changed,
            changes,
            reparse,
        })
    }

    /// Apply one change to the rope, and to the tree if `edit_tree`.
    fn apply_change(&mut self, change: &Change<'_>, enc: WideEncoding, edit_tree: bool) -> Edit {
        match *change {
            Change::Full(text) => {
                let old_end = self.rope.len_bytes();
                self.rope = Rope::from_str(text);
                self.lone_crs = count_lone_crs(&self.rope, 0..text.len());
                Edit {
                    start: 0,
                    old_end,
                    new_end: text.len(),
                }
            }
            Change::Ranged { start, end, text } => {
                let a = rope_offset(&self.rope, start, enc);
                let b = rope_offset(&self.rope, end, enc);
                let (start, old_end) = (a.min(b), a.max(b));
                let points = edit_tree.then(|| (self.point(start), self.point(old_end)));
                self.replace(start..old_end, text);
                let edit = Edit {
                    start,
                    old_end,
                    new_end: start + text.len(),
                };
                if let Some((start_position, old_end_position)) = points {
                    self.tree.edit(&InputEdit {
                        start_byte: edit.start,
                        old_end_byte: edit.old_end,
                        new_end_byte: edit.new_end,
                        start_position,
                        old_end_position,
                        new_end_position: self.point(edit.new_end),
                    });
                }
                edit
            }
        }
    }

    /// Replace a byte range (on char boundaries) of the rope, keeping `lone_crs` up to date.
    fn replace(&mut self, range: Range<usize>, text: &str) {
        // Only a `\r` inside the range or just before it can change lone-ness.
        let before = range.start.saturating_sub(1);
        self.lone_crs -= count_lone_crs(&self.rope, before..range.end);
        let start = self.rope.byte_to_char(range.start);
        let end = self.rope.byte_to_char(range.end);
        self.rope.remove(start..end);
        self.rope.insert(start, text);
        self.lone_crs += count_lone_crs(&self.rope, before..range.start + text.len());
    }

    /// The tree-sitter point of a byte offset: rows count `\n` only, columns are bytes.
    fn point(&self, byte: usize) -> Point {
        if self.lone_crs == 0 {
            let row = self.rope.byte_to_line(byte);
            return Point {
                row,
                column: byte - self.rope.line_to_byte(row),
            };
        }
        // Rare (classic Mac line ends): lone `\r`s end ropey lines but not tree-sitter rows.
        let (mut row, mut row_start, mut pos) = (0, 0, 0);
        for chunk in self.rope.chunks() {
            let chunk = &chunk.as_bytes()[..chunk.len().min(byte - pos)];
            for (i, _) in chunk.iter().enumerate().filter(|(_, b)| **b == b'\n') {
                row += 1;
                row_start = pos + i + 1;
            }
            pos += chunk.len();
            if pos == byte {
                break;
            }
        }
        Point {
            row,
            column: byte - row_start,
        }
    }

    /// The spans of the changes, with their lines in the final text.
    fn spans(&self, changes: &[Change<'_>], spans: Vec<Range<usize>>) -> Vec<ChangeSpan> {
        let spans = changes.iter().zip(spans);
        spans
            .map(|(change, bytes)| {
                let text = match change {
                    Change::Full(text) | Change::Ranged { text, .. } => text,
                };
                let first = self.rope.byte_to_line(bytes.start);
                let lines = first..self.rope.byte_to_line(bytes.end) + 1;
                ChangeSpan {
                    bytes,
                    lines,
                    inserted_lines: count_line_breaks(text),
                }
            })
            .collect()
    }

    /// Parse the current text, reusing the tree if `reuse`; on timeout, mark the tree stale.
    fn reparse(
        &mut self,
        reuse: bool,
        deadline: Option<Instant>,
        edited: &[Range<usize>],
    ) -> (Vec<Range<usize>>, Reparse) {
        let old = reuse.then_some(&self.tree);
        let Ok(tree) = parse_rope(self.lang, &self.rope, old, deadline) else {
            self.stale = Some(Stale {
                tree_edited: reuse,
                edited: edited.to_vec(),
            });
            return (vec![], Reparse::TimedOut);
        };
        let result = if reuse {
            let changed = self.tree.changed_ranges(&tree);
            (
                changed.map(|r| r.start_byte..r.end_byte).collect(),
                Reparse::Incremental,
            )
        } else {
            let whole = 0..self.rope.len_bytes();
            (vec![whole], Reparse::FromScratch)
        };
        self.tree = tree;
        result
    }
}

/// A fresh document's state before a batch, or `None` if the batch is empty (nothing to do).
fn fresh_if_changed(changes: &[Change<'_>]) -> Option<Stale> {
    (!changes.is_empty()).then_some(Stale {
        tree_edited: true,
        edited: vec![],
    })
}

impl Edit {
    /// Where a range of the text before this edit lies after it. A range overlapping or touching
    /// the replaced text grows to cover the new text.
    fn map(&self, r: Range<usize>) -> Range<usize> {
        let shift = |x: usize| x - self.old_end + self.new_end;
        if r.end < self.start {
            r
        } else if r.start > self.old_end {
            shift(r.start)..shift(r.end)
        } else {
            let end = if r.end > self.old_end {
                shift(r.end)
            } else {
                self.new_end
            };
            r.start.min(self.start)..end.max(self.new_end)
        }
    }
}

/// Sort ranges and merge those that overlap or touch.
fn merge_ranges(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// How many `\r` not followed by `\n` start in `range` (the byte after it is looked at).
fn count_lone_crs(rope: &Rope, range: Range<usize>) -> usize {
    let mut bytes = rope.bytes_at(range.start);
    let mut count = 0;
    let mut after_cr = false;
    for _ in range {
        let b = bytes.next().expect("range is inside the rope");
        count += usize::from(after_cr && b != b'\n');
        after_cr = b == b'\r';
    }
    count + usize::from(after_cr && bytes.next() != Some(b'\n'))
}

/// How many line breaks (`\n`, `\r\n`, lone `\r`) `text` holds.
fn count_line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    let crs = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
    bytes.iter().filter(|&&b| b == b'\n').count() + crs.count()
}

/// The byte offset of a line and column of `rope`, clamped like
/// [`LineIndex::offset`](crate::LineIndex::offset): a column past the end of its line is the
/// line's end, a line past the end of the text is the end of the text, and a column inside a
/// character is that character's start.
pub fn rope_offset(rope: &Rope, pos: LineCol, enc: WideEncoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let first = rope.line_to_char(line);
    let content = rope.slice(first..first + content_chars(rope, line));
    let col = pos.col as usize;
    let chars = match enc {
        WideEncoding::Utf8 => content.byte_to_char(col.min(content.len_bytes())),
        WideEncoding::Utf16 => content.utf16_cu_to_char(col.min(content.len_utf16_cu())),
        WideEncoding::Scalar => col.min(content.len_chars()),
    };
    rope.char_to_byte(first + chars)
}

/// The line and column of a byte offset of `rope`, like
/// [`LineIndex::line_col`](crate::LineIndex::line_col): an offset past the end is the end, and
/// one inside a character or a line terminator is moved back to its start.
pub fn rope_line_col(rope: &Rope, offset: usize, enc: WideEncoding) -> LineCol {
    let char = rope.byte_to_char(offset.min(rope.len_bytes()));
    let line = rope.char_to_line(char);
    let first = rope.line_to_char(line);
    let char = char.min(first + content_chars(rope, line));
    let col = match enc {
        WideEncoding::Utf8 => rope.char_to_byte(char) - rope.line_to_byte(line),
        WideEncoding::Utf16 => rope.char_to_utf16_cu(char) - rope.char_to_utf16_cu(first),
        WideEncoding::Scalar => char - first,
    };
    LineCol {
        line: line as u32,
        col: col as u32,
    }
}

/// The number of chars of `line`, without its terminator.
fn content_chars(rope: &Rope, line: usize) -> usize {
    let line = rope.line(line);
    let mut len = line.len_chars();
    if len > 0 && line.char(len - 1) == '\n' {
        len -= 1;
    }
    if len > 0 && line.char(len - 1) == '\r' {
        len -= 1;
    }
    len
}

mod pending;
#[cfg(test)]
mod tests;

pub use pending::PendingParse;
