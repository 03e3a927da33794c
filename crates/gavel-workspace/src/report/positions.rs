//! Byte offsets to 1-based lines and columns in Unicode scalar values, cheaply on long lines
//! (checkpoints), and the excerpt of a finding's line the text printer shows.

use gavel_syntax::{LineIndex, WideEncoding};

/// A 1-based line and a 1-based column in Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// The part of a line the text printer shows: all of it, or for a long line the characters
/// around the finding, so that 40,000 findings on one 360 KB line do not copy it 40,000 times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// The 1-based column of `text`'s first character.
    pub first_column: u32,
    /// Characters of the line were left out before / after `text`.
    pub cut_before: bool,
    pub cut_after: bool,
}

/// An excerpt shows at most this many characters before a finding's start, and this many in all.
const EXCERPT_BEFORE: usize = 60;
const EXCERPT_CHARS: usize = 240;

/// Columns of long lines are counted from checkpoints this many bytes apart.
const CHECKPOINT_BYTES: usize = 4096;

/// Positions in one file's text.
pub struct Positions<'a> {
    text: &'a str,
    index: LineIndex,
    /// For each long line asked about, the (byte offset, 0-based column) of a character
    /// boundary every [`CHECKPOINT_BYTES`]: a column then costs at most that many bytes, not
    /// the line's length.
    checkpoints: std::cell::RefCell<std::collections::HashMap<usize, Vec<(usize, u32)>>>,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Positions<'a> {
        Positions {
            text,
            index: LineIndex::new(text),
            checkpoints: Default::default(),
        }
    }

    pub fn at(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.index.line_of(offset);
        let range = self.index.line_range(self.text, line);
        if range.len() <= 2 * CHECKPOINT_BYTES {
            let lc = self.index.line_col(self.text, offset, WideEncoding::Scalar);
            return Pos {
                line: lc.line + 1,
                column: lc.col + 1,
            };
        }
        let mut offset = offset.min(range.end);
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let mut all = self.checkpoints.borrow_mut();
        let points = all
            .entry(line)
            .or_insert_with(|| checkpoints(&self.text[range.clone()], range.start));
        let (at, col) = points[points.partition_point(|&(b, _)| b <= offset) - 1];
        let rest = self.text[at..offset].chars().count() as u32;
        Pos {
            line: line as u32 + 1,
            column: col + rest + 1,
        }
    }

    /// The text of a finding's first line around its start (`offset`, at `start`).
    pub fn excerpt(&self, offset: usize, start: Pos) -> Excerpt {
        let range = self.index.line_range(self.text, start.line as usize - 1);
        let line = &self.text[range.clone()];
        let offset = offset.clamp(range.start, range.end) - range.start;
        let mut from = offset;
        let mut before = 0;
        for (i, _) in line[..offset].char_indices().rev().take(EXCERPT_BEFORE) {
            from = i;
            before += 1;
        }
        let to = line[from..]
            .char_indices()
            .nth(EXCERPT_CHARS)
            .map_or(line.len(), |(i, _)| from + i);
        Excerpt {
            text: line[from..to].to_string(),
            first_column: start.column - before,
            cut_before: from > 0,
            cut_after: to < line.len(),
        }
    }
}

/// (byte offset, 0-based column) of the first character boundary at or after each multiple of
/// [`CHECKPOINT_BYTES`] in `line`, which starts at byte `base` of the text.
fn checkpoints(line: &str, base: usize) -> Vec<(usize, u32)> {
    let mut out = vec![(base, 0)];
    let mut col = 0u32;
    let mut at = 0;
    while at + CHECKPOINT_BYTES < line.len() {
        let mut next = at + CHECKPOINT_BYTES;
        while !line.is_char_boundary(next) {
            next += 1;
        }
        col += line[at..next].chars().count() as u32;
        out.push((base + next, col));
        at = next;
    }
    out
}
