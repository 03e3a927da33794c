//! Loading the `policies` entries of a config: pack files, directories of `*.toml`, and
//! `builtin:NAME`. A pack that fails is reported; the others keep working. An entry of a config
//! is read only inside the config's [`Roots`], and only from regular files of at most
//! [`MAX_POLICY_BYTES`](crate::read::MAX_POLICY_BYTES).

use std::{
    collections::HashMap,
    ops::Range,
    path::{Path, PathBuf},
};

use gavel_policy::{Pack, SourceFile, builtin, did_you_mean, parse_pack};

use crate::{
    WorkspaceError,
    read::read_policy_text,
    roots::{Resolved, Roots},
};

/// Where an entry came from, to place errors about it, and where that config may name files.
pub struct EntryRef<'a> {
    pub config: &'a SourceFile,
    pub span: Range<usize>,
    pub roots: &'a Roots,
}

impl EntryRef<'_> {
    /// Is `entry` (relative to the config's directory) outside the roots? Then say so.
    fn outside(&self, entry: &Path, what: &str, out: &mut Loaded) -> bool {
        if self.roots.resolve(entry) != Resolved::Outside {
            return false;
        }
        let message = format!(
            "{what} is outside {}, so gavel did not read it; {}",
            self.roots.describe(),
            self.roots.hint("name a file inside it")
        );
        let error = self.config.error(Some(self.span.clone()), message);
        out.errors.push(error.into());
        true
    }
}

/// Load one entry, appending packs, the files read, and errors. `at` is `None` for a path the
/// user named (on the command line): it is read wherever it is.
pub fn load_entry(entry: &str, base: &Path, at: Option<EntryRef<'_>>, out: &mut Loaded) {
    if let Some(name) = entry.strip_prefix("builtin:") {
        match builtin::get(name) {
            Some(text) => out.add(SourceFile::new(entry, text)),
            None => {
                let names = builtin::PACKS.iter().map(|(n, _)| *n);
                let hint = did_you_mean(name, names)
                    .map(|b| format!("did you mean `builtin:{b}`? "))
                    .unwrap_or_default();
                let all: Vec<_> = builtin::PACKS
                    .iter()
                    .map(|(n, _)| format!("builtin:{n}"))
                    .collect();
                let message = format!(
                    "unknown built-in pack `{entry}`: {hint}the built-in packs are {}",
                    all.join(", ")
                );
                out.errors.push(match at {
                    Some(at) => at.config.error(Some(at.span), message).into(),
                    None => WorkspaceError::Io {
                        path: entry.into(),
                        message,
                    },
                });
            }
        }
        return;
    }
    let path = base.join(entry);
    if let Some(at) = &at
        && at.outside(Path::new(entry), &format!("policy entry `{entry}`"), out)
    {
        return;
    }
    match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => {
            for file in toml_files(&path) {
                if let Some(at) = &at
                    && let Ok(rel) = file.strip_prefix(&path)
                    && at.outside(
                        &Path::new(entry).join(rel),
                        &format!("pack `{}` (in policy entry `{entry}`)", file.display()),
                        out,
                    )
                {
                    continue;
                }
                read_pack(&file, out);
            }
        }
        Ok(_) => read_pack(&path, out),
        Err(e) => {
            let message = format!(
                "policy entry `{entry}` ({}) cannot be read: {e}",
                path.display()
            );
            out.errors.push(match at {
                Some(at) => at.config.error(Some(at.span), message).into(),
                None => WorkspaceError::io(&path, &e),
            });
        }
    }
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| !t.is_dir()))
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "toml")
                && p.file_name().is_some_and(|n| n != "gavel.toml")
        })
        .collect();
    files.sort();
    files
}

fn read_pack(path: &Path, out: &mut Loaded) {
    out.files.push(path.to_path_buf());
    match read_policy_text(path) {
        Ok(text) => out.add(SourceFile::new(path.display().to_string(), text)),
        Err(e) => out.errors.push(e),
    }
}

/// Packs loaded so far, checked for duplicate pack and rule ids.
#[derive(Default)]
pub struct Loaded {
    pub packs: Vec<Pack>,
    pub files: Vec<PathBuf>,
    pub errors: Vec<WorkspaceError>,
    rule_origin: HashMap<String, String>,
}

impl Loaded {
    fn add(&mut self, file: SourceFile) {
        if self.packs.iter().any(|p| p.origin == file.name) {
            return;
        }
        match parse_pack(&file) {
            Ok(pack) => {
                if let Some(other) = self.packs.iter().find(|p| p.id == pack.id) {
                    let message = format!(
                        "pack id `{}` is already used by {}: pack ids must be unique",
                        pack.id, other.origin
                    );
                    self.errors.push(file.error(None, message).into());
                    return;
                }
                for rule in &pack.rules {
                    if let Some(first) = self.rule_origin.get(&rule.id) {
                        let message = format!(
                            "duplicate rule id `{}`: already defined in {first}; rename one of them",
                            rule.id
                        );
                        let mut e = file.error(None, message);
                        e.line = rule.origin.line;
                        self.errors.push(e.into());
                        return;
                    }
                }
                for rule in &pack.rules {
                    self.rule_origin.insert(
                        rule.id.clone(),
                        format!("{}:{}", rule.origin.file, rule.origin.line),
                    );
                }
                self.packs.push(pack);
            }
            Err(errors) => self.errors.extend(errors.into_iter().map(Into::into)),
        }
    }
}
