//! A review rule's match as the reviewer sees it (SPEC 9.1): the rule, its prompt, the path and
//! language, the code of the rule's `context` (the match, its function, or the file; whole
//! lines, bounded) and the match's range.

use std::ops::Range;

use gavel_policy::{Review, ReviewContext};
use gavel_syntax::{
    Lang,
    tree_sitter::{Node, Tree},
};
use gavel_workspace::report::{Located, Pos};
use serde::Serialize;

/// A context is cut to this many bytes (around the match), so that one file cannot fill a
/// model's window or a request body.
pub const MAX_CODE_BYTES: usize = 32 * 1024;

/// What is sent to the reviewer.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub rule: String,
    pub prompt: String,
    /// The rule's message: what a `fail` means.
    pub message: String,
    pub path: String,
    pub language: &'static str,
    pub context: &'static str,
    pub code: String,
    pub range: RangeJson,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct RangeJson {
    pub start: PosJson,
    pub end: PosJson,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct PosJson {
    pub line: u32,
    pub column: u32,
}

impl From<Pos> for PosJson {
    fn from(p: Pos) -> PosJson {
        PosJson {
            line: p.line,
            column: p.column,
        }
    }
}

/// The request for a located finding of a review rule in `text` (the file, at `path` as reports
/// show it, and `tree`, its parse: a `function` context is found in it); `None` for a finding of
/// another rule.
pub fn request(
    located: &Located,
    path: &str,
    lang: Lang,
    text: &str,
    tree: &Tree,
) -> Option<Request> {
    let rule = located.finding.rule.as_ref()?;
    let review: &Review = rule.review.as_ref()?;
    let range = located.finding.range.clone();
    let span = match review.context {
        ReviewContext::Match => range.clone(),
        ReviewContext::Function => function_around(tree, &range).unwrap_or(range.clone()),
        ReviewContext::File => 0..text.len(),
    };
    Some(Request {
        rule: rule.id.clone(),
        prompt: review.prompt.clone(),
        message: rule.message.clone(),
        path: path.to_string(),
        language: lang.name(),
        context: review.context.as_str(),
        code: bounded(text, whole_lines(text, span), &range),
        range: RangeJson {
            start: located.start.into(),
            end: located.end.into(),
        },
    })
}

/// The innermost function (with its decorators) that contains `range`.
fn function_around(tree: &Tree, range: &Range<usize>) -> Option<Range<usize>> {
    let node = tree
        .root_node()
        .descendant_for_byte_range(range.start, range.end)?;
    let mut at: Option<Node<'_>> = Some(node);
    while let Some(n) = at {
        if matches!(n.kind(), "function_definition" | "function_item") {
            let outer = n
                .parent()
                .filter(|p| p.kind() == "decorated_definition")
                .unwrap_or(n);
            return Some(outer.byte_range());
        }
        at = n.parent();
    }
    None
}

/// `span` grown to whole lines.
pub fn whole_lines(text: &str, span: Range<usize>) -> Range<usize> {
    let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    start..end
}

/// The text of `span`, cut to [`MAX_CODE_BYTES`] around `focus` at line boundaries.
fn bounded(text: &str, span: Range<usize>, focus: &Range<usize>) -> String {
    if span.len() <= MAX_CODE_BYTES {
        return text[span].to_string();
    }
    let half = MAX_CODE_BYTES / 2;
    let mut start = focus.start.saturating_sub(half).max(span.start);
    let mut end = (start + MAX_CODE_BYTES).min(span.end);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = whole_lines(text, start..end);
    let start = if cut.start < start {
        text[start..].find('\n').map_or(start, |i| start + i + 1)
    } else {
        cut.start
    };
    let end = text[..end]
        .rfind('\n')
        .filter(|&i| i > start)
        .unwrap_or(end);
    text[start..end].to_string()
}
