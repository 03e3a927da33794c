//! Languages, parsing and text positions for gavel.
//!
//! This crate knows tree-sitter and the two grammars gavel supports. It does no IO and knows
//! nothing of LSP: positions are bytes, and [`LineIndex`] converts them to lines and columns in
//! UTF-8, UTF-16 or Unicode scalar values. [`Document`] keeps an editor's text in a rope and its
//! tree up to date incrementally.

mod astgrep;
mod document;
mod language;
mod line_index;
mod parse;

pub use astgrep::SgLang;
pub use document::{
    Applied, ApplyError, Change, ChangeSpan, Document, PendingParse, Reparse, rope_line_col,
    rope_offset,
};
pub use language::{Lang, canonical_path};
pub use line_index::{LineCol, LineIndex, WideEncoding};
pub use parse::{ParseError, parse, parse_rope, parse_rope_range, parse_with_deadline};

pub use ropey;
pub use tree_sitter;
