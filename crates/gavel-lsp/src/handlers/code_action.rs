//! `textDocument/codeAction`: for each finding on the requested lines, its fixes (the first
//! preferred), "Suppress ID on this line" (unless the `suppressAction` setting is off; it writes
//! a placeholder reason and, where the client can select, selects it so typing replaces it; a
//! suppression without a reason would be reported at once) and "Open docs for NAME"; and
//! `source.fixAll.gavel`,
//! which applies every preferred fix that does not overlap another. The actions are built on a
//! blocking thread (the fix loop is slow on large files), skipped when the request was
//! cancelled or the document changed before they started.

use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use gavel_engine::{Finding, apply_fixes};
use gavel_syntax::Lang;
use serde_json::json;
use tower_lsp_server::{
    jsonrpc::{Error, Result},
    ls_types::{
        CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
        Command, TextEdit, Uri, WorkspaceEdit,
    },
};

use crate::{
    check::CheckResult, guard, handlers::initialize::FIX_ALL, session::Session, to_proto::Positions,
};

pub async fn handle(
    session: &Arc<Session>,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri.clone();
    let Some(snap) = guard::sync("codeAction", || session.snapshot(&uri)).flatten() else {
        return Ok(None);
    };
    let opts = Opts {
        suppress: session.settings().suppress_action,
        select: session.caps().show_document,
    };
    let session = session.clone();
    // Set when the client cancels (tower-lsp-server drops this future): the work is skipped.
    let cancelled = Arc::new(AtomicBool::new(false));
    let _cancel = CancelOnDrop(cancelled.clone());
    guard::request("codeAction", async move {
        let Some(result) = session.full_result(snap).await else {
            return Ok(None);
        };
        // The fix loop is quadratic in the fixes: off the async runtime, so that a large
        // fix-all holds up no other request.
        let work = tokio::task::spawn_blocking(move || {
            let current = session.is_current(&uri, result.version, result.generation);
            if cancelled.load(Ordering::Relaxed) {
                return Err(Error::request_cancelled());
            }
            if !current {
                return Err(Error::content_modified());
            }
            Ok(Some(actions(&uri, &result, &params, opts)))
        });
        work.await.unwrap_or_else(|e| {
            tracing::error!("code actions failed: {e}");
            Err(guard::panicked("codeAction"))
        })
    })
    .await
}

struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn wants(only: Option<&Vec<CodeActionKind>>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        })
    })
}

/// What the client and the settings allow.
#[derive(Clone, Copy)]
struct Opts {
    /// Offer "Suppress ID on this line" (the `suppressAction` setting).
    suppress: bool,
    /// The client can select text for us (`window/showDocument`).
    select: bool,
}

fn actions(
    uri: &Uri,
    result: &CheckResult,
    params: &CodeActionParams,
    opts: Opts,
) -> CodeActionResponse {
    let pos = result.positions();
    let only = params.context.only.as_ref();
    let first_line = params.range.start.line as usize;
    let last_line = params.range.end.line as usize;
    let on_lines: Vec<(usize, &Finding)> = result
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            let start = result.index.line_of(f.range.start);
            let end = result.index.line_of(f.range.end);
            start <= last_line && first_line <= end
        })
        .collect();
    let mut out = Vec::new();
    // Source actions act on the whole file; they are offered only when asked for by kind.
    if only.is_some() && wants(only, FIX_ALL) {
        out.extend(fix_all(uri, result, &pos));
    }
    if wants(only, CodeActionKind::QUICKFIX.as_str()) {
        for (i, f) in &on_lines {
            let diagnostic = result.diagnostics[*i].clone();
            for (n, fix) in f.fixes.iter().enumerate() {
                out.push(action(
                    &fix.title,
                    CodeActionKind::QUICKFIX,
                    Some(diagnostic.clone()),
                    n == 0,
                    edit(uri, fix.edits.iter().map(|e| pos.text_edit(e)).collect()),
                ));
            }
            if let Some(lang) = lang_of(uri)
                && !f.rule_id.starts_with("gavel.")
                && opts.suppress
            {
                out.push(suppress_action(
                    uri,
                    result,
                    &pos,
                    f,
                    lang,
                    &diagnostic,
                    opts,
                ));
            }
            if let Some(s) = f.sanctioned()
                && let Some(docs) = &s.docs
            {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Open docs for {}", s.name),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    command: Some(Command::new(
                        format!("Open docs for {}", s.name),
                        "gavel.openDocs".to_string(),
                        Some(vec![json!(docs)]),
                    )),
                    ..CodeAction::default()
                }));
            }
        }
    }
    out
}

fn action(
    title: &str,
    kind: CodeActionKind,
    diagnostic: Option<tower_lsp_server::ls_types::Diagnostic>,
    preferred: bool,
    edit: WorkspaceEdit,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.to_string(),
        kind: Some(kind),
        diagnostics: diagnostic.map(|d| vec![d]),
        edit: Some(edit),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}

fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

fn lang_of(uri: &Uri) -> Option<Lang> {
    crate::from_proto::path(uri)
        .and_then(|p| Lang::from_path(&p))
        .or_else(|| Lang::from_path(std::path::Path::new(uri.path().as_str())))
}

/// Where the reason goes until the user writes one: selected after the edit when the client
/// can select, so typing replaces it.
pub const REASON: &str = "TODO: why this is safe";

/// "Suppress ID on this line", selecting the placeholder reason afterwards when it can.
fn suppress_action(
    uri: &Uri,
    result: &CheckResult,
    pos: &Positions<'_>,
    f: &Finding,
    lang: Lang,
    diagnostic: &tower_lsp_server::ls_types::Diagnostic,
    opts: Opts,
) -> CodeActionOrCommand {
    let (text_edit, reason) = suppress_edit(result, pos, f, lang);
    let CodeActionOrCommand::CodeAction(mut action) = action(
        &format!("Suppress {} on this line", f.rule_id),
        CodeActionKind::QUICKFIX,
        Some(diagnostic.clone()),
        false,
        edit(uri, vec![text_edit]),
    ) else {
        unreachable!("action() builds a CodeAction")
    };
    if let Some(reason) = reason.filter(|_| opts.select) {
        action.command = Some(Command::new(
            "Select the reason".into(),
            "gavel.select".into(),
            Some(vec![json!(uri), json!(reason)]),
        ));
    }
    CodeActionOrCommand::CodeAction(action)
}

/// Insert `  # gavel: allow(ID) REASON` at the end of the finding's first line, and where the
/// placeholder reason lands; or add the id to an allow comment already on that line.
fn suppress_edit(
    result: &CheckResult,
    pos: &Positions<'_>,
    f: &Finding,
    lang: Lang,
) -> (TextEdit, Option<tower_lsp_server::ls_types::Range>) {
    let line = result.index.line_of(f.range.start);
    let range = result.index.line_range(&result.text, line);
    let line_text = &result.text[range.clone()];
    if let Some(at) = line_text.find("gavel: allow(")
        && let Some(close) = line_text[at..].find(')')
    {
        let offset = range.start + at + close;
        let edit = TextEdit::new(pos.range(&(offset..offset)), format!(", {}", f.rule_id));
        return (edit, None);
    }
    let end = range.start + line_text.trim_end().len();
    let head = format!("  {} gavel: allow({}) ", lang.line_comment(), f.rule_id);
    let at = pos.range(&(end..end));
    // The inserted text is ASCII: one code unit per byte in every encoding.
    let mut reason = at;
    reason.start.character += head.len() as u32;
    reason.end.character = reason.start.character + REASON.len() as u32;
    (TextEdit::new(at, format!("{head}{REASON}")), Some(reason))
}

/// Every preferred fix that does not overlap another, as one edit of the changed span.
fn fix_all(uri: &Uri, result: &CheckResult, pos: &Positions<'_>) -> Option<CodeActionOrCommand> {
    let lang = lang_of(uri)?;
    let fixes: Vec<_> = result
        .findings
        .iter()
        .filter_map(|f| f.fixes.first())
        .collect();
    if fixes.is_empty() {
        return None;
    }
    let (fixed, applied, _) = apply_fixes(lang, &result.text, &fixes);
    if applied == 0 || fixed == result.text {
        return None;
    }
    let old = result.text.as_bytes();
    let new = fixed.as_bytes();
    let mut prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    while !result.text.is_char_boundary(prefix) || !fixed.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !result.text.is_char_boundary(old.len() - suffix)
        || !fixed.is_char_boundary(new.len() - suffix)
    {
        suffix -= 1;
    }
    let edit_range = prefix..old.len() - suffix;
    let text = fixed[prefix..new.len() - suffix].to_string();
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: format!(
            "gavel: apply {applied} fix{}",
            if applied == 1 { "" } else { "es" }
        ),
        kind: Some(CodeActionKind::new(FIX_ALL)),
        edit: Some(edit(uri, vec![TextEdit::new(pos.range(&edit_range), text)])),
        ..CodeAction::default()
    }))
}
