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

/// The diagnostic's message: the agent message (SPEC 7.1: the rule's message, what to write
/// instead, the rule id), and "AI-written" on AI-written lines (SPEC 4).
pub fn message(f: &Finding) -> String {
    let mut m = f.agent_message();
    if f.provenance == gavel_engine::Provenance::Ai {
        m.push_str(" [AI-written]");
    }
    m
}

/// `codeDescription`: the sanctioned library's docs when the rule names them, else its `url`.
fn href(f: &Finding) -> Option<Uri> {
    let docs = f.sanctioned().and_then(|s| s.docs.as_deref());
    docs.or(f.url()).and_then(|u| u.parse::<Uri>().ok())
}

/// `data` for tools that read it (SPEC 6): the rule, its `instead`, the sanctioned library, and
/// the fixes computed with the diagnostic as LSP edits (live diagnostics leave fixes to code
/// actions; `fixable` says whether the rule has any).
fn data(f: &Finding, pos: &Positions<'_>) -> serde_json::Value {
    let fixes: Vec<_> = f
        .fixes
        .iter()
        .map(|fix| {
            let edits: Vec<TextEdit> = fix.edits.iter().map(|e| pos.text_edit(e)).collect();
            serde_json::json!({"title": fix.title, "edits": edits})
        })
        .collect();
    let fixable = f.rule.as_ref().is_some_and(|r| !r.fixes.is_empty()) || !f.fixes.is_empty();
    serde_json::json!({
        "rule": f.rule_id,
        "instead": f.instead,
        "sanctioned": f.sanctioned().map(|s| serde_json::json!({"name": s.name, "docs": s.docs})),
        "fixable": fixable,
        "fixes": fixes,
    })
}

pub fn diagnostic(f: &Finding, pos: &Positions<'_>) -> Diagnostic {
    let href = href(f);
    Diagnostic {
        range: pos.range(&f.range),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule_id.clone())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some("gavel".to_string()),
        message: message(f),
        tags: (f.rule_id == "gavel.unused-suppression").then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: Some(data(f, pos)),
        ..Diagnostic::default()
    }
}
