//! gavel → LSP: byte ranges to positions in the negotiated encoding, findings to diagnostics,
//! fixes to text edits.

use std::ops::Range;

use gavel_engine::{Edit, Finding};
use gavel_policy::Severity;
use gavel_syntax::{LineIndex, WideEncoding};
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, DiagnosticTag, NumberOrString, Position,
    Range as LspRange, TextEdit, Uri,
};

/// A text with its line index, to convert byte offsets.
pub struct Positions<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub enc: WideEncoding,
}

impl Positions<'_> {
    pub fn position(&self, offset: usize) -> Position {
        let lc = self.index.line_col(self.text, offset, self.enc);
        Position::new(lc.line, lc.col)
    }

    pub fn range(&self, r: &Range<usize>) -> LspRange {
        LspRange::new(self.position(r.start), self.position(r.end))
    }

    pub fn text_edit(&self, e: &Edit) -> TextEdit {
        TextEdit::new(self.range(&e.range), e.text.clone())
    }
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint | Severity::Off => DiagnosticSeverity::HINT,
    }
}

/// The diagnostic's message: the rule's message, then the sanctioned library to use instead,
/// and "AI-written" on AI-written lines.
pub fn message(f: &Finding) -> String {
    let mut m = match f.sanctioned() {
        Some(s) => format!("{} (use {})", f.message, s.name),
        None => f.message.clone(),
    };
    if f.provenance == gavel_engine::Provenance::Ai {
        m.push_str(" [AI-written]");
    }
    m
}

pub fn diagnostic(f: &Finding, pos: &Positions<'_>) -> Diagnostic {
    let href = f.url().and_then(|u| u.parse::<Uri>().ok());
    Diagnostic {
        range: pos.range(&f.range),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule_id.clone())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some("gavel".to_string()),
        message: message(f),
        tags: (f.rule_id == "gavel.unused-suppression").then(|| vec![DiagnosticTag::UNNECESSARY]),
        ..Diagnostic::default()
    }
}
