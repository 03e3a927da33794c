//! Byte offsets to lines and columns, and back.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as LSP counts them, so the CLI and the editor agree
//! on line numbers. Columns come in three units: UTF-8 bytes, UTF-16 code units (LSP's default)
//! and Unicode scalar values (the CLI's JSON).

use std::ops::Range;

/// A unit for columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WideEncoding {
    Utf8,
    Utf16,
    /// Unicode scalar values (`char`s).
    Scalar,
}

/// A 0-based line and a 0-based column in some [`WideEncoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// The start of every line of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        // Lines average 30 to 40 bytes in code: one reservation, not a dozen regrowths.
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        // `\r\n` is one break: its `\n` is skipped when its `\r` is found.
        let mut after_crlf = None;
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if after_crlf == Some(i) {
                continue;
            }
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                starts.push(i + 2);
                after_crlf = Some(i + 1);
            } else {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// How many lines `text` has, as [`line_count`](Self::line_count) counts them, without
    /// building an index.
    pub fn count_lines(text: &str) -> usize {
        let bytes = text.as_bytes();
        let breaks = bytes
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
            .count();
        1 + breaks
    }

    /// How many lines (a text ending in a newline has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte range of `line`'s content, without its terminator (clamped to the last line).
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let line = line.min(self.starts.len() - 1);
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The start of `line`, or the end of the text past the last line.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// Line and column of a byte offset. An offset inside a character or a line terminator is
    /// moved back to its start.
    pub fn line_col(&self, text: &str, offset: usize, enc: WideEncoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let range = self.line_range(text, line);
        let offset = offset.min(range.end);
        let col = wide_len(&text[range.start..offset], enc);
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The byte offset of a line and column, clamped: a column past the end of its line is the
    /// line's end, a line past the end of the text is the end of the text, and a column inside a
    /// character (a UTF-16 surrogate half) is that character's start.
    pub fn offset(&self, text: &str, pos: LineCol, enc: WideEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return self.len;
        }
        let range = self.line_range(text, line);
        let content = &text[range.clone()];
        range.start + byte_of_wide(content, pos.col as usize, enc)
    }
}

fn wide_len(s: &str, enc: WideEncoding) -> usize {
    match enc {
        WideEncoding::Utf8 => s.len(),
        WideEncoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        WideEncoding::Scalar => s.chars().count(),
    }
}

fn byte_of_wide(s: &str, col: usize, enc: WideEncoding) -> usize {
    match enc {
        WideEncoding::Utf8 => floor_char_boundary(s, col.min(s.len())),
        WideEncoding::Utf16 | WideEncoding::Scalar => {
            let mut seen = 0;
            for (i, c) in s.char_indices() {
                let w = if enc == WideEncoding::Utf16 {
                    c.len_utf16()
                } else {
                    1
                };
                if seen + w > col {
                    return i;
                }
                seen += w;
            }
            s.len()
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{Expect, expect};

    /// Prints line:col in every encoding for each char start, then each given offset round-trip.
    fn check(text: &str, expect: Expect) {
        let index = LineIndex::new(text);
        let mut out = String::new();
        for (i, c) in text.char_indices() {
            let [a, b, c2] = [
                WideEncoding::Utf8,
                WideEncoding::Utf16,
                WideEncoding::Scalar,
            ]
            .map(|e| index.line_col(text, i, e));
            out.push_str(&format!(
                "{i:>2} {c:?}: {}:{} u16={} sc={}\n",
                a.line, a.col, b.col, c2.col
            ));
            for e in [
                WideEncoding::Utf8,
                WideEncoding::Utf16,
                WideEncoding::Scalar,
            ] {
                let back = index.offset(text, index.line_col(text, i, e), e);
                let expected = index.line_range(text, index.line_of(i)).end.min(i);
                assert_eq!(back, expected, "round trip of {i} in {e:?}");
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn crlf_lone_cr_tab_and_emoji() {
        check(
            "a\r\nb\rc\t😀d\né",
            expect![[r#"
                 0 'a': 0:0 u16=0 sc=0
                 1 '\r': 0:1 u16=1 sc=1
                 2 '\n': 0:1 u16=1 sc=1
                 3 'b': 1:0 u16=0 sc=0
                 4 '\r': 1:1 u16=1 sc=1
                 5 'c': 2:0 u16=0 sc=0
                 6 '\t': 2:1 u16=1 sc=1
                 7 '😀': 2:2 u16=2 sc=2
                11 'd': 2:6 u16=4 sc=3
                12 '\n': 2:7 u16=5 sc=4
                13 'é': 3:0 u16=0 sc=0
            "#]],
        );
    }

    #[test]
    fn positions_out_of_range_are_clamped() {
        let text = "ab\n😀x\n";
        let index = LineIndex::new(text);
        let at = |line, col, enc| index.offset(text, LineCol { line, col }, enc);
        assert_eq!(at(0, 99, WideEncoding::Utf16), 2, "past the end of a line");
        assert_eq!(
            at(9, 0, WideEncoding::Utf16),
            text.len(),
            "past the last line"
        );
        assert_eq!(at(1, 1, WideEncoding::Utf16), 3, "inside a surrogate pair");
        assert_eq!(at(1, 2, WideEncoding::Utf8), 3, "inside a UTF-8 sequence");
        assert_eq!(at(1, 1, WideEncoding::Scalar), 7);
        assert_eq!(index.line_count(), 3);
    }

    #[test]
    fn count_lines_agrees_with_the_index() {
        for text in ["", "a", "a\n", "a\r\nb\rc\n\r", "\r\r\n\n", "x\r"] {
            assert_eq!(
                LineIndex::count_lines(text),
                LineIndex::new(text).line_count(),
                "{text:?}"
            );
        }
    }
}
