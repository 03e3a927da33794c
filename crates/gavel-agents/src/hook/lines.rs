//! Which lines of a file, as it is now, an edit changed: the new text of each replacement found
//! in the file, hunks of a patch, or line numbers the agent reported. Only findings that touch
//! these lines are told to the agent.

use gavel_syntax::LineIndex;

use crate::check::Pos;

/// What an edit changed, as the payload tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The whole file: a write, or a payload that does not say.
    Whole,
    /// Text that is now in the file, each with its changed lines.
    Pieces(Vec<Piece>),
    /// 1-based lines of the file as it is now, first and last (inclusive).
    Lines(Vec<(u32, u32)>),
}

/// Text the edit put in the file, and which of its lines are new (0-based, first and end, the
/// end excluded): all of a replacement's new text, the added lines of a patch hunk (its context
/// lines place it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub changed: Vec<(usize, usize)>,
    /// The text is whole lines (a patch hunk): it is only looked for at line starts.
    pub lines: bool,
}

impl Piece {
    /// A replacement's new text: every line of it changed.
    pub fn all(text: &str) -> Piece {
        Piece {
            text: text.to_string(),
            changed: vec![(0, line_count(text))],
            lines: false,
        }
    }
}

/// Lines that count, 1-based and inclusive; `whole` for every line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lines {
    pub whole: bool,
    pub spans: Vec<(u32, u32)>,
}

impl Lines {
    pub fn whole() -> Lines {
        Lines {
            whole: true,
            spans: Vec::new(),
        }
    }

    /// Does a finding from `start` to `end` (exclusive) touch these lines? A range that ends at
    /// the start of a line does not reach into it.
    pub fn touches(&self, start: Pos, end: Pos) -> bool {
        if self.whole {
            return true;
        }
        let last = if end.column == 1 && end.line > start.line {
            end.line - 1
        } else {
            end.line
        };
        self.spans
            .iter()
            .any(|&(a, b)| start.line <= b && last >= a)
    }
}

/// Search no further than this many occurrences of a piece (a one-character replacement).
const MAX_OCCURRENCES: usize = 1000;

/// The lines of `text` that `change` changed.
pub fn changed_lines(text: &str, change: &Change) -> Lines {
    match change {
        Change::Whole => Lines::whole(),
        Change::Lines(spans) => Lines {
            whole: false,
            spans: spans.clone(),
        },
        Change::Pieces(pieces) => locate_pieces(text, pieces),
    }
}

/// Every occurrence of each piece marks its changed lines: the payload does not say which
/// occurrence an edit made. A piece that is not in the file (changed since, by a formatter or a
/// person) makes the whole file count, and so do pieces that are all empty (deletions).
fn locate_pieces(text: &str, pieces: &[Piece]) -> Lines {
    let index = LineIndex::new(text);
    let mut spans = Vec::new();
    let mut any = false;
    for piece in pieces.iter().filter(|p| !p.text.is_empty()) {
        any = true;
        let starts = occurrences(text, &piece.text, piece.lines);
        if starts.is_empty() {
            return Lines::whole();
        }
        for start in starts {
            let first = index.line_of(start) as u32 + 1;
            for &(a, b) in &piece.changed {
                if b > a {
                    spans.push((first + a as u32, first + b as u32 - 1));
                }
            }
        }
    }
    if !any {
        return Lines::whole();
    }
    spans.sort_unstable();
    spans.dedup();
    Lines {
        whole: false,
        spans,
    }
}

/// Byte offsets where `needle` occurs in `text`; with `\r\n` line ends too, for a file whose
/// lines end so while the agent wrote `\n`.
fn occurrences(text: &str, needle: &str, at_line_start: bool) -> Vec<usize> {
    let found: Vec<usize> = find_all(text, needle, at_line_start);
    if !found.is_empty() || !needle.contains('\n') || !text.contains("\r\n") {
        return found;
    }
    let crlf = needle.replace("\r\n", "\n").replace('\n', "\r\n");
    find_all(text, &crlf, at_line_start)
}

/// Every occurrence, overlapping ones too (a hunk that starts with a blank line).
fn find_all(text: &str, needle: &str, at_line_start: bool) -> Vec<usize> {
    let mut found = Vec::new();
    let mut from = 0;
    while found.len() < MAX_OCCURRENCES
        && let Some(i) = text[from..].find(needle).map(|i| i + from)
    {
        let bytes = text.as_bytes();
        if !at_line_start || i == 0 || matches!(bytes[i - 1], b'\n' | b'\r') {
            found.push(i);
        }
        from = i + text[i..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// Lines of a piece of text: a final newline ends the last line, it does not start another.
pub fn line_count(text: &str) -> usize {
    let breaks = text.matches('\n').count();
    if text.ends_with('\n') {
        breaks.max(1)
    } else {
        breaks + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, change: Change) -> Lines {
        changed_lines(text, &change)
    }

    #[test]
    fn a_replacement_marks_its_lines_at_each_occurrence() {
        let text = "a\nb = 1\nc\nb = 1\n";
        let got = spans(text, Change::Pieces(vec![Piece::all("b = 1\n")]));
        assert_eq!(got.spans, vec![(2, 2), (4, 4)]);
        let got = spans(text, Change::Pieces(vec![Piece::all("a\nb = 1")]));
        assert_eq!(got.spans, vec![(1, 2)]);
    }

    #[test]
    fn a_hunk_marks_only_its_added_lines() {
        let text = "x\ncontext\nadded\nmore\n";
        let piece = Piece {
            text: "context\nadded\nmore".into(),
            changed: vec![(1, 2)],
            lines: true,
        };
        assert_eq!(spans(text, Change::Pieces(vec![piece])).spans, vec![(3, 3)]);
        let blank_first = Piece {
            text: "\nadded".into(),
            changed: vec![(1, 2)],
            lines: true,
        };
        let text = "a\n\nadded\n";
        let got = spans(text, Change::Pieces(vec![blank_first]));
        assert_eq!(got.spans, vec![(3, 3)]);
    }

    #[test]
    fn text_not_in_the_file_and_deletions_count_the_whole_file() {
        assert!(spans("a\n", Change::Pieces(vec![Piece::all("zzz")])).whole);
        assert!(spans("a\n", Change::Pieces(vec![Piece::all("")])).whole);
    }

    #[test]
    fn crlf_files_match_text_written_with_lf() {
        let text = "a\r\nb\r\nc\r\n";
        let got = spans(text, Change::Pieces(vec![Piece::all("b\nc")]));
        assert_eq!(got.spans, vec![(2, 3)]);
    }

    #[test]
    fn a_range_ending_at_a_line_start_does_not_reach_that_line() {
        let lines = Lines {
            whole: false,
            spans: vec![(3, 3)],
        };
        let p = |line, column| Pos { line, column };
        assert!(!lines.touches(p(2, 1), p(3, 1)));
        assert!(lines.touches(p(2, 1), p(3, 2)));
        assert!(lines.touches(p(3, 4), p(3, 9)));
        assert!(!lines.touches(p(4, 1), p(4, 9)));
    }

    #[test]
    fn line_counts() {
        assert_eq!(line_count("a"), 1);
        assert_eq!(line_count("a\n"), 1);
        assert_eq!(line_count("a\nb"), 2);
        assert_eq!(line_count("\n"), 1);
    }
}
