//! The roots a config may name paths in (docs/config.md, "What a config may name"): the top of
//! the git work tree that holds the config's directory (its nearest ancestor with a `.git`), or
//! that directory itself outside git, plus the directories the user lists in `GAVEL_ROOTS`.
//! Paths are compared after symlinks are resolved, so a symlink cannot lead out; a path outside
//! is never opened, and errors about it say only that it is outside.

use std::path::{Component, Path, PathBuf};

/// The environment variable that adds roots: directories separated like `PATH`.
pub const ROOTS_ENV: &str = "GAVEL_ROOTS";

/// Where a config may name files.
#[derive(Debug, Clone)]
pub struct Roots {
    /// The config's directory, symlinks resolved: relative entries start here.
    base: PathBuf,
    /// The repository's top (or `base` outside git), then `GAVEL_ROOTS`'s directories.
    dirs: Vec<PathBuf>,
    in_git: bool,
}

/// Where an entry of a config leads.
#[derive(Debug, PartialEq)]
pub enum Resolved {
    /// Inside the roots: the path with symlinks resolved.
    Inside(PathBuf),
    /// Inside the roots as far as it exists, but it does not exist.
    Missing,
    /// Outside the roots (or a symlink that resolves to nothing): not read.
    Outside,
}

impl Roots {
    /// The roots of a config in `dir` (the directory of the `gavel.toml`, as named).
    pub fn of_config_dir(dir: &Path) -> Roots {
        let base = std::fs::canonicalize(dir).unwrap_or_else(|_| normalize(dir));
        let repo = base
            .ancestors()
            .find(|d| d.join(".git").symlink_metadata().is_ok());
        let mut dirs = vec![repo.unwrap_or(&base).to_path_buf()];
        if let Some(list) = std::env::var_os(ROOTS_ENV) {
            dirs.extend(
                std::env::split_paths(&list)
                    .filter(|d| d.is_absolute())
                    .filter_map(|d| std::fs::canonicalize(d).ok()),
            );
        }
        Roots {
            in_git: repo.is_some(),
            base,
            dirs,
        }
    }

    /// Where `entry` (relative to the config's directory, or absolute) leads. A path that is
    /// outside lexically is not even looked up.
    pub fn resolve(&self, entry: &Path) -> Resolved {
        let joined = self.base.join(entry);
        if !self.contains(&normalize(&joined)) {
            return Resolved::Outside;
        }
        match std::fs::canonicalize(&joined) {
            Ok(real) if self.contains(&real) => Resolved::Inside(real),
            Ok(_) => Resolved::Outside,
            Err(_) => self.missing(&joined),
        }
    }

    /// A path that does not resolve is missing only when the deepest part of it that exists is
    /// inside and the first part that does not is no dangling symlink (whose target would be
    /// told apart by the error otherwise).
    fn missing(&self, joined: &Path) -> Resolved {
        let mut child = joined;
        for ancestor in joined.ancestors().skip(1) {
            if let Ok(real) = std::fs::canonicalize(ancestor) {
                let dangling = child.symlink_metadata().is_ok();
                return if self.contains(&real) && !dangling {
                    Resolved::Missing
                } else {
                    Resolved::Outside
                };
            }
            child = ancestor;
        }
        Resolved::Outside
    }

    fn contains(&self, path: &Path) -> bool {
        self.dirs.iter().any(|d| path.starts_with(d))
    }

    /// The roots in words, for "is outside ..." messages.
    pub fn describe(&self) -> String {
        let first = if self.in_git {
            format!("the git repository {}", self.dirs[0].display())
        } else {
            format!(
                "{} (the config's directory; it is in no git repository)",
                self.dirs[0].display()
            )
        };
        if self.dirs.len() > 1 {
            format!("{first} and the directories in {ROOTS_ENV}")
        } else {
            first
        }
    }

    /// What to do about an entry outside the roots: `instead` (e.g. "name a file inside
    /// it"), or allow the directory.
    pub fn hint(&self, instead: &str) -> String {
        format!(
            "{instead}, or, if you trust this config, add the directory to the {ROOTS_ENV} \
             environment variable"
        )
    }
}

/// `path` with `.` and `..` applied lexically (symlinks are not looked at).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(all(test, unix))]
mod tests;
