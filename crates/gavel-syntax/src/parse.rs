//! Parsing with a per-thread parser cache and an optional deadline.

use std::{cell::RefCell, ops::ControlFlow, time::Instant};

use ropey::Rope;
use tree_sitter::{ParseOptions, ParseState, Parser, Tree};

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
    let read = |offset: usize| -> &[u8] {
        match rope.get_chunk_at_byte(offset) {
            Some((chunk, start, _, _)) => &chunk.as_bytes()[offset - start..],
            None => &[],
        }
    };
    parse_with_reader(lang, read, old, deadline)
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
}
