//! An open document as the server keeps it: a checked source (rope + incremental tree), or text
//! only (a policy file, a file over the size limit, a language gavel does not check).

use std::{path::PathBuf, sync::Arc, time::Instant};

use gavel_syntax::{
    Applied, ApplyError, Change, Document, Lang, PendingParse, WideEncoding, rope_offset,
    ropey::Rope, tree_sitter::Tree,
};

use gavel_engine::Incremental;

use crate::check::CheckResult;

/// The text of an open document, parsed or not.
pub enum Body {
    Source(Document),
    Text {
        rope: Rope,
        version: i32,
        lang: Option<Lang>,
    },
}

/// What the server keeps per open document.
pub struct DocEntry {
    pub path: Option<PathBuf>,
    pub body: Body,
    /// The latest check result (possibly for an older version), without fixes.
    pub result: Option<Arc<CheckResult>>,
    /// The latest full check, with fixes (for code actions).
    pub full: Option<Arc<CheckResult>>,
    /// What the latest incremental check cached, for the next one.
    pub cache: Option<Arc<Incremental>>,
    /// A push worker is checking this document.
    pub checking: bool,
    /// Lines edit bursts marked AI-written.
    pub ai: crate::provenance::AiMarks,
    /// Why the text no longer matches the client's ([`crate::notice`]); not checked meanwhile.
    pub out_of_sync: Option<String>,
    /// The review requests of the latest check ([`crate::review`]).
    pub review: Arc<crate::review::Memo>,
}

/// The limits a document is opened and edited under.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub incremental: bool,
    pub parse_timeout: std::time::Duration,
    /// How long a change's incremental reparse may take before it is finished elsewhere
    /// ([`crate::finish`]).
    pub reparse_budget: std::time::Duration,
}

impl DocEntry {
    pub fn open(
        path: Option<PathBuf>,
        lang: Option<Lang>,
        text: &str,
        version: i32,
        limits: &Limits,
    ) -> DocEntry {
        let body = match lang {
            Some(lang) if text.len() <= limits.max_bytes => {
                let mut doc = Document::new(lang, "", version);
                let deadline = Some(Instant::now() + limits.parse_timeout);
                // Only an older version is refused, and this is the same one.
                let _ = doc.apply(
                    version,
                    &[Change::Full(text)],
                    WideEncoding::Utf8,
                    false,
                    deadline,
                );
                Body::Source(doc)
            }
            _ => {
                if lang.is_some() {
                    tracing::warn!(
                        "{}: {} bytes, over the limit of {}; not checked",
                        path.as_deref()
                            .map_or("untitled".into(), |p| p.display().to_string()),
                        text.len(),
                        limits.max_bytes
                    );
                }
                Body::Text {
                    rope: Rope::from_str(text),
                    version,
                    lang,
                }
            }
        };
        DocEntry {
            path,
            body,
            result: None,
            full: None,
            cache: None,
            checking: false,
            ai: Default::default(),
            out_of_sync: None,
            review: Default::default(),
        }
    }

    pub fn version(&self) -> i32 {
        match &self.body {
            Body::Source(d) => d.version(),
            Body::Text { version, .. } => *version,
        }
    }

    pub fn rope(&self) -> &Rope {
        match &self.body {
            Body::Source(d) => d.rope(),
            Body::Text { rope, .. } => rope,
        }
    }

    pub fn lang(&self) -> Option<Lang> {
        match &self.body {
            Body::Source(d) => Some(d.lang()),
            Body::Text { lang, .. } => *lang,
        }
    }

    /// Whether the document's tree lags behind its text (a reparse is pending).
    pub fn is_stale(&self) -> bool {
        matches!(&self.body, Body::Source(d) if d.is_stale())
    }

    /// The reparse to finish while the tree is stale.
    pub fn pending(&self) -> Option<PendingParse> {
        match &self.body {
            Body::Source(d) => d.pending(),
            Body::Text { .. } => None,
        }
    }

    /// Install a finished reparse if the document is still at its version.
    pub fn finish(&mut self, parse: &PendingParse, tree: Tree) -> bool {
        match &mut self.body {
            Body::Source(d) => d.finish(parse, tree),
            Body::Text { .. } => false,
        }
    }

    /// Apply a batch of changes. Returns what changed for a parsed document; `None` for text.
    pub fn apply(
        &mut self,
        version: i32,
        changes: &[Change<'_>],
        enc: WideEncoding,
        limits: &Limits,
    ) -> Result<Option<Applied>, ApplyError> {
        let current = self.version();
        // Versions increase with every change; a repeated one is as stale as an older one.
        if version < current || version == current && !changes.is_empty() {
            return Err(ApplyError::OldVersion {
                current,
                got: version,
            });
        }
        match &mut self.body {
            Body::Source(doc) => {
                let wait = match limits.incremental {
                    true => limits.reparse_budget,
                    false => limits.parse_timeout,
                };
                let deadline = Some(Instant::now() + wait);
                let applied = doc.apply(version, changes, enc, limits.incremental, deadline)?;
                if doc.rope().len_bytes() > limits.max_bytes {
                    tracing::warn!(
                        "document grew over {} bytes; no longer checked",
                        limits.max_bytes
                    );
                    self.body = Body::Text {
                        rope: doc.rope().clone(),
                        version,
                        lang: Some(doc.lang()),
                    };
                    self.result = None;
                    return Ok(None);
                }
                Ok(Some(applied))
            }
            Body::Text {
                rope,
                version: v,
                lang,
            } => {
                for c in changes {
                    apply_to_rope(rope, c, enc);
                }
                *v = version;
                if let Some(lang) = *lang
                    && rope.len_bytes() <= limits.max_bytes
                {
                    let text = rope.to_string();
                    *self = DocEntry {
                        result: None,
                        ..DocEntry::open(self.path.take(), Some(lang), &text, version, limits)
                    };
                }
                Ok(None)
            }
        }
    }
}

pub(crate) fn apply_to_rope(rope: &mut Rope, change: &Change<'_>, enc: WideEncoding) {
    match *change {
        Change::Full(text) => *rope = Rope::from_str(text),
        Change::Ranged { start, end, text } => {
            let s = rope_offset(rope, start, enc);
            let e = rope_offset(rope, end, enc).max(s);
            let (sc, ec) = (rope.byte_to_char(s), rope.byte_to_char(e));
            rope.remove(sc..ec);
            rope.insert(sc, text);
        }
    }
}
