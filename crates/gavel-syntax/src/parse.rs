//! Parsing with a per-thread parser cache and an optional deadline.

use std::{cell::RefCell, ops::ControlFlow, ops::Range, time::Instant};

use ropey::Rope;
use tree_sitter::{ParseOptions, ParseState, Parser, Point, Tree};

use crate::Lang;

/// Why a parse produced no tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The deadline passed before the parse finished.
    Timeout,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Timeout => f.write_str("parsing took too long and was abandoned"),
        }
    }
}

thread_local! {
    static PARSERS: RefCell<Vec<(Lang, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// Parse `text` from scratch.
pub fn parse(lang: Lang, text: &str) -> Tree {
    parse_with_deadline(lang, text, None, None).expect("a parse without a deadline always ends")
}

/// Parse `text`, reusing `old` (already edited) when given, and giving up at `deadline`.
pub fn parse_with_deadline(
    lang: Lang,
    text: &str,
    old: Option<&Tree>,
    deadline: Option<Instant>,
) -> Result<Tree, ParseError> {
    let bytes = text.as_bytes();
    parse_with_reader(
        lang,
        |offset| bytes.get(offset..).unwrap_or_default(),
        old,
        deadline,
    )
}

/// Parse the text of `rope`, reading its chunks in place (no copy), reusing `old` (already
/// edited to match `rope`) when given, and giving up at `deadline`.
pub fn parse_rope(
    lang: Lang,
    rope: &Rope,
    old: Option<&Tree>,
    deadline: Option<Instant>,
) -> Result<Tree, ParseError> {
    parse_with_reader(lang, |offset| read_rope(rope, offset), old, deadline)
}

/// The bytes of `rope` from `offset` to the end of its chunk (empty past the end): what
/// tree-sitter reads at a time.
fn read_rope(rope: &Rope, offset: usize) -> &[u8] {
    match rope.get_chunk_at_byte(offset) {
        Some((chunk, start, _, _)) => &chunk.as_bytes()[offset - start..],
        None => &[],
    }
}

/// Parse only `range` of the text of `rope`, as if the rest were not there (tree-sitter's
/// included ranges). The tree's byte offsets are offsets in the whole text; its rows are ropey
/// lines, which differ from tree-sitter's only after a lone `\r`, so read positions from bytes.
///
/// An editor uses it to re-check the top-level items an edit touched without waiting for an
/// incremental reparse that error recovery made slow.
pub fn parse_rope_range(lang: Lang, rope: &Rope, range: Range<usize>) -> Tree {
    let point = |byte: usize| {
        let row = rope.byte_to_line(byte);
        Point {
            row,
            column: byte - rope.line_to_byte(row),
        }
    };
    let included = tree_sitter::Range {
        start_byte: range.start,
        end_byte: range.end,
        start_point: point(range.start),
        end_point: point(range.end),
    };
    with_parser(lang, |parser| {
        parser
            .set_included_ranges(&[included])
            .expect("one range is always in order");
        let mut read = |offset: usize, _| read_rope(rope, offset);
        let tree = parser.parse_with_options(&mut read, None, None);
        parser
            .set_included_ranges(&[])
            .expect("no ranges means the whole text");
        tree.expect("a parse without a deadline or cancellation ends")
    })
}

/// Parse the text that `read` returns from a byte offset (an empty slice past the end).
fn parse_with_reader<'t>(
    lang: Lang,
    mut read: impl FnMut(usize) -> &'t [u8],
    old: Option<&Tree>,
    deadline: Option<Instant>,
) -> Result<Tree, ParseError> {
    with_parser(lang, |parser| {
        let mut progress = |_: &ParseState| match deadline {
            Some(d) if Instant::now() >= d => ControlFlow::Break(()),
            _ => ControlFlow::Continue(()),
        };
        let options = ParseOptions::new().progress_callback(&mut progress);
        let mut callback = |offset: usize, _| read(offset);
        let tree = parser.parse_with_options(&mut callback, old, Some(options));
        if tree.is_none() {
            parser.reset();
        }
        tree.ok_or(ParseError::Timeout)
    })
}

/// Run `f` with this thread's parser for `lang`.
pub fn with_parser<R>(lang: Lang, f: impl FnOnce(&mut Parser) -> R) -> R {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let idx = match parsers.iter().position(|(l, _)| *l == lang) {
            Some(i) => i,
            None => {
                let mut parser = Parser::new();
                parser
                    .set_language(&lang.ts_language())
                    .expect("grammar ABI is checked by a test");
                parsers.push((lang, parser));
                parsers.len() - 1
            }
        };
        f(&mut parsers[idx].1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_passed_deadline_abandons_the_parse() {
        let text = "x = [".repeat(20_000);
        let past = Instant::now() - Duration::from_secs(1);
        assert_eq!(
            parse_with_deadline(Lang::Python, &text, None, Some(past)).unwrap_err(),
            ParseError::Timeout
        );
        // The parser is usable again afterwards.
        assert!(!parse(Lang::Python, "x = 1\n").root_node().has_error());
    }

    #[test]
    fn a_range_parsed_alone_has_the_nodes_it_has_in_the_whole_text() {
        let text =
            "import os\n\ndef a(x):\n    if x:\n        return os.sep\n\nclass B:\n    y = 1\n";
        let whole = parse(Lang::Python, text);
        let root = whole.root_node();
        let (import, def) = (root.child(0).unwrap(), root.child(1).unwrap());
        // From the end of the item before, as gavel's incremental chunks are cut.
        let rope = Rope::from_str(text);
        let part = parse_rope_range(Lang::Python, &rope, import.end_byte()..def.end_byte());
        let alone = part.root_node().child(0).unwrap();
        assert_eq!(alone.to_sexp(), def.to_sexp());
        assert_eq!(alone.byte_range(), def.byte_range());
        assert_eq!(part.root_node().child_count(), 1);
        // The thread's parser reads whole texts again afterwards.
        assert_eq!(
            parse(Lang::Python, text).root_node().to_sexp(),
            root.to_sexp()
        );
    }
}
