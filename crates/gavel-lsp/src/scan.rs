//! `gavel.scanWorkspace`: check every file of the workspace (honouring `.gitignore` and
//! `exclude`), reporting `$/progress`, and publish the findings of files that are not open.

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use gavel_syntax::{Lang, LineIndex};
use gavel_workspace::{SourceText, read_source, walk};
use serde_json::{Value, json};
use tower_lsp_server::ls_types::{Diagnostic, NumberOrString, Uri};

use crate::{session::Session, to_proto};

/// Files checked per progress report.
const BATCH: usize = 64;

static SCANS: AtomicU64 = AtomicU64::new(0);

pub async fn run(session: Arc<Session>) -> Value {
    let policies = session.policies();
    let root = policies.default_dir().to_path_buf();
    let files = tokio::task::spawn_blocking(move || walk(&[root]).0)
        .await
        .unwrap_or_default();
    let token = NumberOrString::String(format!(
        "gavel-scan-{}",
        SCANS.fetch_add(1, Ordering::SeqCst)
    ));
    let progress = if session.caps().work_done_progress {
        let created = tokio::time::timeout(
            Duration::from_secs(5),
            session.client.create_work_done_progress(token.clone()),
        )
        .await;
        match created {
            Ok(Ok(())) => Some(
                session
                    .client
                    .progress(token, "gavel: scanning the workspace")
                    .with_percentage(0)
                    .begin()
                    .await,
            ),
            _ => None,
        }
    } else {
        None
    };
    let enc = session.caps().encoding;
    let (mut checked, mut findings) = (0usize, 0usize);
    let total = files.len();
    for batch in files.chunks(BATCH) {
        let batch: Vec<PathBuf> = batch.to_vec();
        let policies = policies.clone();
        let git = session.settings().provenance.then(|| session.git.clone());
        let results = tokio::task::spawn_blocking(move || {
            batch
                .iter()
                .filter_map(|path| {
                    let config = policies.for_file(Some(path));
                    if config.is_excluded(path) {
                        return None;
                    }
                    // A Latin-1 file with a coding line is checked, as `gavel check` does.
                    let text = match read_source(path).ok()? {
                        SourceText::Text(text) | SourceText::Decoded { text, .. } => text,
                        SourceText::Skipped(_) | SourceText::Refused(_) => return None,
                    };
                    let lang = Lang::from_path(path)?;
                    let mut report = config.check_text(path, lang, &text);
                    if let Some(git) = git.as_ref().filter(|_| !report.findings.is_empty()) {
                        let none = Default::default();
                        git.apply(&config, Some(path), &text, &none, &mut report.findings);
                    }
                    let index = LineIndex::new(&text);
                    let pos = to_proto::Positions {
                        text: &text,
                        index: &index,
                        enc,
                    };
                    let diags: Vec<Diagnostic> = report
                        .findings
                        .iter()
                        .map(|f| to_proto::diagnostic(f, &pos))
                        .collect();
                    Some((Uri::from_file_path(path)?, diags))
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        for (uri, diags) in results {
            checked += 1;
            findings += diags.len();
            if session.docs.contains_key(&uri) {
                continue;
            }
            session.scanned.insert(uri.clone(), ());
            session.client.publish_diagnostics(uri, diags, None).await;
        }
        if let Some(p) = &progress {
            let percent = (checked * 100 / total.max(1)).min(100) as u32;
            p.report_with_message(format!("{checked}/{total} files"), percent)
                .await;
        }
    }
    if let Some(p) = progress {
        p.finish_with_message(format!("{checked} files, {findings} findings"))
            .await;
    }
    json!({ "files": checked, "findings": findings })
}
