//! Cached review verdicts in the editor (SPEC 9.2): the editor shows what the last `gavel review`
//! said about the file's unchanged code, and never asks a reviewer itself. Each check runs the
//! config's review rules (a [`RuleSet`] built with the review selection, loaded once per config
//! and policy generation, and only for a config that has review rules: any other costs a map
//! lookup) over the document's tree, builds each match's request as `gavel review` does
//! ([`gavel_review::item::request`]) and looks its verdict up in the verdict cache under the
//! configured model. `fail` keeps the rule's severity and adds the reviewer's reason, `unsure`
//! is `info`, and `pass` or no verdict (the code changed since its review) shows nothing.
//!
//! Building a request finds a `function` context in the document's tree and copies its code, so
//! requests are kept per document ([`Memo`]) by what decides them: the rule, the text of the
//! top-level items the match is in (the whole file for a `file` context or a tree with errors)
//! and the match's place in it. A keystroke rebuilds only the requests of the items it changed;
//! the verdicts themselves are looked up at every check (one small cache file per match), so a
//! review run in a terminal shows at the next check.

use std::{
    collections::HashMap,
    hash::{Hash, Hasher},
    ops::Range,
    path::PathBuf,
    sync::{Arc, Mutex, OnceLock},
};

use gavel_engine::{FileInput, Finding, RuleSet};
use gavel_policy::{ReviewContext, Severity};
use gavel_review::{
    item::{self, Request},
    settings, verdicts,
};
use gavel_syntax::{Lang, tree_sitter::Tree};
use gavel_workspace::{
    LoadedConfig, Selection,
    config::load_selected,
    report::{Located, Positions},
};

/// The review rules of each config in use, by `gavel.toml`.
#[derive(Default)]
pub struct Reviews {
    by_config: Mutex<HashMap<Option<PathBuf>, Seen>>,
}

/// The policy generation a config was looked at in, and its review rules then.
type Seen = (u64, Option<Arc<Rules>>);

/// One config's review rules, loaded at the first check that needs them.
pub struct Rules {
    file: Option<PathBuf>,
    dir: PathBuf,
    generation: u64,
    loaded: OnceLock<Loaded>,
}

struct Loaded {
    rules: Arc<RuleSet>,
    /// The verdict cache's directory: the config's.
    dir: PathBuf,
    /// Part of the verdict cache's key.
    model: String,
}

impl Reviews {
    /// The review rules of `config` under the policies of `generation`; `None` when it has none.
    pub fn for_config(&self, config: &LoadedConfig, generation: u64) -> Option<Arc<Rules>> {
        let mut by_config = self.by_config.lock().expect("not poisoned");
        if let Some((seen, rules)) = by_config.get(&config.file)
            && *seen == generation
        {
            return rules.clone();
        }
        let any = config.rules.rules.iter().any(|r| r.rule.review.is_some());
        let rules = any.then(|| {
            Arc::new(Rules {
                file: config.file.clone(),
                dir: config.dir.clone(),
                generation,
                loaded: OnceLock::new(),
            })
        });
        by_config.insert(config.file.clone(), (generation, rules.clone()));
        rules
    }
}

impl Rules {
    /// Load the config again with the review selection (on a blocking thread: it reads files
    /// and builds a rule set), and resolve the model as `gavel review` does (no network).
    fn loaded(&self) -> &Loaded {
        self.loaded.get_or_init(|| {
            let config = load_selected(
                self.file.as_deref(),
                &self.dir,
                &Selection::default().for_review(),
            );
            for e in &config.errors {
                tracing::warn!("review rules: {e}");
            }
            let settings = settings::resolve(&config, &|k| std::env::var(k).ok());
            for n in &settings.notes {
                tracing::debug!("review settings: {n}");
            }
            Loaded {
                rules: config.rules.clone(),
                dir: config.dir.clone(),
                model: settings.model,
            }
        })
    }
}

/// What decides a match's request: its rule, a hash of the text around it, and its place in
/// that text.
type Key = (String, u64, usize, usize);

/// A document's requests, by [`Key`], for the policies of one generation.
#[derive(Default)]
pub struct Memo {
    inner: Mutex<(u64, Requests)>,
}

/// Each match's request (`None`: not a review rule's).
type Requests = HashMap<Key, Option<Arc<Request>>>;

/// The matches of the review rules in `text` (whose tree is `tree`), each as the finding to
/// show: `off` where there is nothing to show (no verdict, or `pass`), kept so that
/// fingerprints count every match as `gavel review` does. `rel` is the file's path relative to
/// its config directory.
pub fn findings(
    rules: &Rules,
    memo: &Memo,
    lang: Lang,
    tree: &Tree,
    text: &str,
    rel: &str,
) -> Vec<Finding> {
    let loaded = rules.loaded();
    let input = FileInput {
        source: text,
        tree,
        lang,
        path: rel,
    };
    let mut found = loaded.rules.check(&input).findings;
    if found.is_empty() {
        return found;
    }
    let (mut generation, mut old) = {
        let mut inner = memo.inner.lock().expect("not poisoned");
        std::mem::take(&mut *inner)
    };
    if generation != rules.generation {
        old.clear();
        generation = rules.generation;
    }
    let mut new = HashMap::new();
    let mut positions = None;
    for f in &mut found {
        let key = key(f, tree, text);
        let request = match old.remove(&key).or_else(|| new.get(&key).cloned()) {
            Some(r) => r,
            None => {
                let pos = positions.get_or_insert_with(|| Positions::new(text));
                let located = Located::new(f.clone(), pos);
                item::request(&located, rel, lang, text, tree).map(Arc::new)
            }
        };
        show(f, request.as_deref(), loaded);
        new.insert(key, request);
    }
    *memo.inner.lock().expect("not poisoned") = (generation, new);
    found
}

/// Give `f` its cached verdict, or make it `off`.
fn show(f: &mut Finding, request: Option<&Request>, loaded: &Loaded) {
    let answer = request.and_then(|r| verdicts::load(&loaded.dir, &loaded.model, r));
    if !answer.is_some_and(|a| gavel_review::run::show_verdict(f, &a)) {
        f.severity = Severity::Off;
    }
}

/// The memo key of a match: the text that decides its request's code is that of the top-level
/// items it is in (grown to whole lines), or the whole file for a `file` context or when the
/// tree has errors (a fresh parse could then read the items differently).
fn key(f: &Finding, tree: &Tree, text: &str) -> Key {
    let whole = f
        .rule
        .as_ref()
        .and_then(|r| r.review.as_ref())
        .is_none_or(|r| r.context == ReviewContext::File);
    let root = tree.root_node();
    let span = if whole || root.has_error() {
        0..text.len()
    } else {
        let mut cursor = root.walk();
        let mut span: Option<Range<usize>> = None;
        for child in root.children(&mut cursor) {
            let r = child.byte_range();
            if r.start <= f.range.end && f.range.start <= r.end {
                span = Some(match span {
                    Some(s) => s.start.min(r.start)..s.end.max(r.end),
                    None => r,
                });
            }
        }
        item::whole_lines(text, span.unwrap_or(0..text.len()))
    };
    let mut h = std::hash::DefaultHasher::new();
    text.get(span.clone()).unwrap_or_default().hash(&mut h);
    let start = f.range.start.saturating_sub(span.start);
    (f.rule_id.clone(), h.finish(), start, f.range.len())
}
