//! Walking the paths to check: Python and Rust files, honouring `.gitignore` inside and
//! outside a git repository, and hidden directories.

use std::path::{Path, PathBuf};

use gavel_syntax::Lang;

use crate::WorkspaceError;

/// Every Python and Rust file under `paths`, sorted. A file named directly is kept even when
/// `.gitignore` lists it; unreadable paths are errors.
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
    files.sort();
    files.dedup();
    (files, errors)
}

fn walk_dir(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<WorkspaceError>) {
    let walker = ignore::WalkBuilder::new(dir).require_git(false).build();
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
}
