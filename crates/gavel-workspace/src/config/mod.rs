//! `gavel.toml`: discovery (the nearest in a file's directory or an ancestor), `extends`
//! merging ([`merge`]), pack loading and `[rules]` overrides, into a ready [`RuleSet`].

mod merge;
mod select;

pub use select::Selection;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use gavel_engine::{ActiveRule, BUILTIN_RULES, FileInput, FileReport, Options, RuleSet};
use gavel_policy::{builtin, config::Provenance, did_you_mean};
use globset::GlobSet;
use merge::{Merged, Override};

use crate::{
    WorkspaceError,
    packs::{EntryRef, Loaded, load_entry},
};

pub const CONFIG_FILE: &str = "gavel.toml";

/// A config ready to check files with.
pub struct LoadedConfig {
    /// The `gavel.toml`, or `None` when the built-in defaults apply.
    pub file: Option<PathBuf>,
    /// Globs and relative paths are relative to this directory.
    pub dir: PathBuf,
    pub rules: Arc<RuleSet>,
    pub packs: Vec<gavel_policy::Pack>,
    pub provenance: Provenance,
    /// `[review]` as the config and those it extends ask (SPEC 9.1); what of it may be used is
    /// decided with the user's own config.
    pub review: gavel_policy::config::ReviewSettings,
    /// Problems in the config or its packs; the packs that loaded still work.
    pub errors: Vec<WorkspaceError>,
    /// Every config and pack file read, to watch for changes.
    pub files: Vec<PathBuf>,
    /// What decides this config's results, for the result cache ([`crate::cache`]).
    pub rules_key: String,
    exclude: Vec<(PathBuf, GlobSet)>,
}

impl LoadedConfig {
    /// The path of a file relative to the config's directory, with `/`.
    pub fn rel_path(&self, path: &Path) -> String {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = abs.strip_prefix(&self.dir).unwrap_or(path);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Parse and check a file's text under this config (its path decides `files`/`exclude`
    /// globs, test code and relative imports).
    pub fn check_text(&self, path: &Path, lang: gavel_syntax::Lang, text: &str) -> FileReport {
        let tree = gavel_syntax::parse(lang, text);
        self.rules.check(&FileInput {
            source: text,
            tree: &tree,
            lang,
            path: &self.rel_path(path),
        })
    }

    /// Is the file excluded by the config's `exclude` globs (or an extended config's)?
    pub fn is_excluded(&self, path: &Path) -> bool {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.exclude.iter().any(|(base, globs)| {
            abs.strip_prefix(base).is_ok_and(|rel| {
                let rel: String = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                globs.is_match(&rel)
                    || rel
                        .split('/')
                        .scan(String::new(), |acc, part| {
                            if !acc.is_empty() {
                                acc.push('/');
                            }
                            acc.push_str(part);
                            Some(acc.clone())
                        })
                        .any(|prefix| globs.is_match(&prefix))
            })
        })
    }
}

/// The nearest `gavel.toml` in `dir` or an ancestor. Anything but a directory by that name
/// counts (a symlink to `/dev/zero` too), so that loading it reports what is wrong instead of
/// another config applying silently.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).ok()?;
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.symlink_metadata().is_ok_and(|m| !m.is_dir()) && !p.is_dir())
}

/// Load a config (or the defaults, for `None`, relative to `default_dir`). Never fails: problems
/// are in [`LoadedConfig::errors`].
pub fn load_config(file: Option<&Path>, default_dir: &Path) -> LoadedConfig {
    load_selected(file, default_dir, &Selection::default())
}

/// [`load_config`] with `--select`/`--ignore` applied: rules left out are `off`.
pub fn load_selected(
    file: Option<&Path>,
    default_dir: &Path,
    selection: &Selection,
) -> LoadedConfig {
    let mut merged = Merged::default();
    let dir = match file {
        Some(f) => {
            let abs = std::path::absolute(f).unwrap_or_else(|_| f.to_path_buf());
            merged.read_top(&abs);
            abs.parent().map(Path::to_path_buf).unwrap_or_default()
        }
        None => std::path::absolute(default_dir).unwrap_or_else(|_| default_dir.to_path_buf()),
    };
    let mut loaded = Loaded::default();
    if merged.policies.is_empty() && merged.errors.is_empty() {
        for name in builtin::DEFAULT {
            load_entry(&format!("builtin:{name}"), &dir, None, &mut loaded);
        }
    }
    for p in &merged.policies {
        let at = EntryRef {
            config: &p.config,
            span: p.span.clone(),
            roots: &p.roots,
        };
        load_entry(&p.entry, &p.base, Some(at), &mut loaded);
    }
    let mut errors = merged.errors;
    errors.append(&mut loaded.errors);
    let rules = build_rules(
        &loaded.packs,
        &merged.overrides,
        merged.require_reason,
        selection,
        &mut errors,
    );
    let mut files = merged.files;
    files.append(&mut loaded.files);
    let mut config = LoadedConfig {
        file: file.map(|f| std::path::absolute(f).unwrap_or_else(|_| f.to_path_buf())),
        dir,
        rules: Arc::new(rules),
        packs: loaded.packs,
        provenance: merged.provenance,
        review: merged.review,
        errors,
        files,
        rules_key: String::new(),
        exclude: merged.exclude,
    };
    config.rules_key = crate::cache::rules_key(&config);
    config
}

fn build_rules(
    packs: &[gavel_policy::Pack],
    overrides: &[(String, Override)],
    require_reason: Option<bool>,
    selection: &Selection,
    errors: &mut Vec<WorkspaceError>,
) -> RuleSet {
    let mut rules: Vec<ActiveRule> = packs
        .iter()
        .flat_map(|p| p.rules.iter().cloned().map(ActiveRule::new))
        .collect();
    let mut builtin_severity = HashMap::new();
    for (id, (o, source, span)) in overrides {
        if let Some(r) = rules.iter_mut().find(|r| &r.rule.id == id) {
            r.severity = o.severity.unwrap_or(r.severity);
            r.applies_to = o.applies_to.unwrap_or(r.applies_to);
        } else if BUILTIN_RULES.iter().any(|b| b.0 == id) {
            if let Some(s) = o.severity {
                builtin_severity.insert(id.clone(), s);
            }
        } else {
            let known = rules
                .iter()
                .map(|r| r.rule.id.as_str())
                .chain(BUILTIN_RULES.iter().map(|b| b.0));
            let hint = did_you_mean(id, known)
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            let message = format!(
                "[rules] names `{id}`, which no loaded pack defines: {hint}see `gavel rules`"
            );
            errors.push(source.error(Some(span.clone()), message).into());
        }
    }
    for r in &mut rules {
        if !selection.keeps(&r.rule.id, Some(&r.rule)) {
            r.severity = gavel_policy::Severity::Off;
        }
    }
    for (id, _, _) in BUILTIN_RULES {
        if !selection.keeps(id, None) {
            builtin_severity.insert(id.to_string(), gavel_policy::Severity::Off);
        }
    }
    let options = Options {
        require_reason: require_reason.unwrap_or(true),
        builtin_severity,
        ..Options::default()
    };
    RuleSet::new(rules, options).unwrap_or_else(|e| {
        errors.push(WorkspaceError::Io {
            path: PathBuf::from("<rules>"),
            message: e,
        });
        RuleSet::new(Vec::new(), Options::default()).expect("an empty rule set builds")
    })
}

/// The config of each file: `--config` for all, else the nearest `gavel.toml`, else defaults.
/// Loaded once per config file.
pub struct Configs {
    explicit: Option<PathBuf>,
    default_dir: PathBuf,
    selection: Selection,
    by_dir: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    loaded: Mutex<HashMap<Option<PathBuf>, Arc<LoadedConfig>>>,
}

impl Configs {
    pub fn new(explicit: Option<PathBuf>, default_dir: PathBuf) -> Configs {
        Configs {
            explicit,
            default_dir,
            selection: Selection::default(),
            by_dir: Mutex::default(),
            loaded: Mutex::default(),
        }
    }

    /// Apply `--select`/`--ignore` to every config loaded from now on.
    pub fn with_selection(mut self, selection: Selection) -> Configs {
        self.selection = selection;
        self
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    pub fn for_file(&self, path: &Path) -> Arc<LoadedConfig> {
        let file = match &self.explicit {
            Some(f) => Some(f.clone()),
            None => {
                // `a.py` has the parent "", which is the working directory.
                let dir = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
                let mut by_dir = self.by_dir.lock().expect("not poisoned");
                by_dir
                    .entry(dir.clone())
                    .or_insert_with(|| find_config(&dir))
                    .clone()
            }
        };
        let mut loaded = self.loaded.lock().expect("not poisoned");
        loaded
            .entry(file.clone())
            .or_insert_with(|| {
                Arc::new(load_selected(
                    file.as_deref(),
                    &self.default_dir,
                    &self.selection,
                ))
            })
            .clone()
    }

    /// Every config loaded so far.
    pub fn all(&self) -> Vec<Arc<LoadedConfig>> {
        let mut all: Vec<_> = self
            .loaded
            .lock()
            .expect("not poisoned")
            .values()
            .cloned()
            .collect();
        all.sort_by(|a, b| a.file.cmp(&b.file));
        all
    }
}
