//! Errors in policy files, with the file, line and column of the offending text.

use std::{fmt, ops::Range, sync::Arc};

use gavel_syntax::{LineIndex, WideEncoding};

/// A policy file's name and text, so errors can be placed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// A path as the user wrote it or found it, or `builtin:NAME`.
    pub name: String,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    /// An error at `span` of this file.
    pub fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> PolicyError {
        let (line, column) = match &span {
            Some(span) => {
                let index = LineIndex::new(&self.text);
                let lc = index.line_col(&self.text, span.start, WideEncoding::Scalar);
                (lc.line + 1, lc.col + 1)
            }
            None => (1, 1),
        };
        PolicyError {
            file: self.name.clone(),
            span,
            line,
            column,
            message: message.into(),
        }
    }
}

/// A policy file that cannot be used, and what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub file: String,
    /// Byte range in the file, when known.
    pub span: Option<Range<usize>>,
    /// 1-based.
    pub line: u32,
    /// 1-based, in Unicode scalar values.
    pub column: u32,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for PolicyError {}
