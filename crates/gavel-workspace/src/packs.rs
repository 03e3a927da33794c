//! Loading the `policies` entries of a config: pack files, directories of `*.toml`, and
//! `builtin:NAME`. A pack that fails is reported; the others keep working.

use std::{
    collections::HashMap,
    ops::Range,
    path::{Path, PathBuf},
};

use gavel_policy::{Pack, SourceFile, builtin, did_you_mean, parse_pack};

use crate::WorkspaceError;

/// Where an entry came from, to place errors about it.
pub struct EntryRef<'a> {
    pub config: &'a SourceFile,
    pub span: Range<usize>,
}

/// Load one entry, appending packs, the files read, and errors.
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
    match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => {
            for file in toml_files(&path) {
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
    match std::fs::read_to_string(path) {
        Ok(text) => out.add(SourceFile::new(path.display().to_string(), text)),
        Err(e) => out.errors.push(WorkspaceError::io(path, &e)),
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
