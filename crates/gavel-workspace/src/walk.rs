//! Walking the paths to check: Python and Rust files, hidden ones included (`.github/`; only
//! `.git` itself is left out), honouring `.gitignore` inside and outside a git repository for
//! untracked files only: every file git tracks is checked. A file named in several spellings
//! (`a.py ./a.py dir/../a.py`, absolute, through a symlinked directory) is checked once.

use std::{
    collections::HashMap,
    path::{Component, Path, PathBuf},
};

use gavel_syntax::Lang;

use crate::{WorkspaceError, git::tracked_under};

/// Every Python and Rust file under `paths`, sorted, each once. A file named directly is kept
/// even when `.gitignore` lists it; unreadable paths are errors.
pub fn walk(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<WorkspaceError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => errors.push(WorkspaceError::io(path, &e)),
            Ok(m) if m.is_file() => {
                if Lang::from_path(path).is_some() {
                    files.push(path.clone());
                }
            }
            Ok(_) => walk_dir(path, &mut files, &mut errors),
        }
    }
    (once_each(files), errors)
}

fn walk_dir(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<WorkspaceError>) {
    let walker = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(e)
                if e.file_type().is_some_and(|t| t.is_file())
                    && Lang::from_path(e.path()).is_some() =>
            {
                files.push(e.into_path());
            }
            Ok(_) => {}
            Err(e) => errors.push(WorkspaceError::Io {
                path: dir.to_path_buf(),
                message: e.to_string(),
            }),
        }
    }
    files.extend(tracked_under(dir).into_iter().filter(|p| {
        Lang::from_path(p).is_some() && p.symlink_metadata().is_ok_and(|m| m.is_file())
    }));
}

/// The files sorted, one spelling per file: the same file (its directory's symlinks resolved)
/// keeps its plainest spelling (no `..`, fewest components).
fn once_each(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut real_dirs: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut by_real: HashMap<PathBuf, PathBuf> = HashMap::new();
    for file in files {
        let real = real_path(&file, &mut real_dirs);
        let kept = by_real.entry(real).or_insert_with(|| file.clone());
        if plainness(&file) < plainness(kept) {
            *kept = file;
        }
    }
    let mut files: Vec<PathBuf> = by_real.into_values().collect();
    files.sort();
    files
}

/// The file with its directory's symlinks resolved (cached per directory); a file that is a
/// symlink itself is resolved too.
fn real_path(file: &Path, real_dirs: &mut HashMap<PathBuf, PathBuf>) -> PathBuf {
    if file
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    }
    let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
        return file.to_path_buf();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let real = real_dirs
        .entry(dir.to_path_buf())
        .or_insert_with(|| std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()));
    real.join(name)
}

fn plainness(path: &Path) -> (usize, usize, &Path) {
    let parents = path
        .components()
        .filter(|c| matches!(c, Component::ParentDir))
        .count();
    (parents, path.components().count(), path)
}
