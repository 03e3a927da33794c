//! The files git tracks under a directory, from the index: a tracked file is checked even when
//! `.gitignore` lists it (git ignores only untracked files, and CI runs what is committed).

use std::path::{Path, PathBuf};

use gix::index::entry::Mode;

/// The regular files the index of `dir`'s repository holds under `dir`, spelled as `dir`
/// joined with their path below it. None outside a repository.
pub fn tracked_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(repo) = gix::discover(dir) else {
        return Vec::new();
    };
    let (Some(workdir), Ok(index)) = (repo.workdir(), repo.index_or_empty()) else {
        return Vec::new();
    };
    let (Ok(workdir), Ok(real_dir)) = (std::fs::canonicalize(workdir), std::fs::canonicalize(dir))
    else {
        return Vec::new();
    };
    index
        .entries()
        .iter()
        .filter(|e| e.mode == Mode::FILE || e.mode == Mode::FILE_EXECUTABLE)
        .filter_map(|e| {
            let rel = gix::path::from_bstr(e.path(&index)).ok()?;
            let below = workdir
                .join(rel)
                .strip_prefix(&real_dir)
                .ok()?
                .to_path_buf();
            Some(dir.join(below))
        })
        .collect()
}
