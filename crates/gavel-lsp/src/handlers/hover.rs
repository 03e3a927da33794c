//! `textDocument/hover` over a finding: the rule id, message, note, and the sanctioned library
//! with its link.

use std::{fmt::Write, sync::Arc};

use gavel_engine::Finding;
use tower_lsp_server::{
    jsonrpc::Result,
    ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind},
};

use crate::{from_proto, guard, session::Session};

pub async fn handle(session: &Arc<Session>, params: HoverParams) -> Result<Option<Hover>> {
    let at = params.text_document_position_params;
    let Some(snap) = guard::sync("hover", || session.snapshot(&at.text_document.uri)).flatten()
    else {
        return Ok(None);
    };
    let session = session.clone();
    guard::request("hover", async move {
        let Some(result) = session.result(snap).await else {
            return Ok(None);
        };
        let offset =
            result
                .index
                .offset(&result.text, from_proto::line_col(at.position), result.enc);
        let here: Vec<&Finding> = result
            .findings
            .iter()
            .filter(|f| f.range.start <= offset && offset <= f.range.end)
            .collect();
        let Some(first) = here.first() else {
            return Ok(None);
        };
        let value = here
            .iter()
            .map(|f| markdown(f))
            .collect::<Vec<_>>()
            .join("\n\n---\n\n");
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: Some(result.positions().range(&first.range)),
        }))
    })
    .await
}

fn markdown(f: &Finding) -> String {
    let mut out = format!(
        "**gavel** `{}` ({})\n\n{}",
        f.rule_id,
        f.severity.as_str(),
        f.message
    );
    if let Some(note) = f.note() {
        let _ = write!(out, "\n\n{note}");
    }
    if let Some(s) = f.sanctioned() {
        match &s.docs {
            Some(docs) => {
                let _ = write!(out, "\n\nSanctioned library: [`{}`]({docs})", s.name);
            }
            None => {
                let _ = write!(out, "\n\nSanctioned library: `{}`", s.name);
            }
        }
    }
    if let Some(url) = f.url() {
        let _ = write!(out, "\n\n[More about `{}`]({url})", f.rule_id);
    }
    out
}
