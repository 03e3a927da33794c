//! The project a hook may look at: the directories the payload names (its `cwd`, or Cursor's
//! `workspace_roots`), else the process's working directory, with symlinks resolved. A payload
//! that names a file outside them is an error, never a read.

use std::path::{Component, Path, PathBuf};

/// The roots of the project, canonical.
#[derive(Debug, Clone)]
pub struct Project {
    roots: Vec<PathBuf>,
}

/// A file of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFile {
    /// Canonical: symlinks resolved.
    pub path: PathBuf,
    /// Relative to the root it is under, with `/`.
    pub display: String,
}

impl Project {
    /// The payload's directories (relative ones against `cwd`), or `cwd` when it names none.
    pub fn new(named: &[PathBuf], cwd: &Path) -> Result<Project, String> {
        let named: Vec<PathBuf> = if named.is_empty() {
            vec![cwd.to_path_buf()]
        } else {
            named.iter().map(|p| cwd.join(p)).collect()
        };
        let mut roots = Vec::new();
        for dir in named {
            match dir.canonicalize() {
                Ok(d) if d.is_dir() => roots.push(d),
                Ok(_) => {
                    return Err(format!(
                        "the project directory {} is not a directory",
                        dir.display()
                    ));
                }
                Err(e) => {
                    return Err(format!(
                        "the project directory {} cannot be read: {e}",
                        dir.display()
                    ));
                }
            }
        }
        Ok(Project { roots })
    }

    /// The first root: where relative paths of the payload start, and the checker's working
    /// directory.
    pub fn root(&self) -> &Path {
        &self.roots[0]
    }

    /// A file the payload names: `Ok(None)` when it no longer exists (deleted), an error when
    /// it is, or resolves to, a path outside the project.
    pub fn file(&self, named: &Path) -> Result<Option<ProjectFile>, String> {
        let joined = self.root().join(named);
        let resolved = match joined.canonicalize() {
            Ok(p) => p,
            Err(_) if !joined.exists() && joined.symlink_metadata().is_err() => {
                let lexical = normalize(&joined);
                return match self.relative(&lexical) {
                    Some(_) => Ok(None),
                    None => Err(self.outside(named)),
                };
            }
            Err(e) => return Err(format!("{}: {e}", named.display())),
        };
        match self.relative(&resolved) {
            Some(display) => Ok(Some(ProjectFile {
                path: resolved,
                display,
            })),
            None => Err(self.outside(named)),
        }
    }

    fn relative(&self, path: &Path) -> Option<String> {
        self.roots.iter().find_map(|root| {
            let rel = path.strip_prefix(root).ok()?;
            Some(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        })
    }

    fn outside(&self, named: &Path) -> String {
        let roots: Vec<String> = self.roots.iter().map(|r| r.display().to_string()).collect();
        format!(
            "{} is outside the project ({}), so gavel did not read it; a hook checks files \
             under the payload's working directory only",
            named.display(),
            roots.join(", ")
        )
    }
}

/// `a/./b/../c` as `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_inside_resolve_and_outside_ones_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/a.py"), "x = 1\n").unwrap();
        std::fs::write(dir.path().join("secret.py"), "x = 1\n").unwrap();
        let project = Project::new(std::slice::from_ref(&root), Path::new("/")).unwrap();

        let f = project.file(Path::new("src/a.py")).unwrap().unwrap();
        assert_eq!(f.display, "src/a.py");
        let abs = root.join("src/a.py");
        assert_eq!(project.file(&abs).unwrap().unwrap().display, "src/a.py");
        assert!(project.file(Path::new("../secret.py")).is_err());
        assert!(project.file(&dir.path().join("secret.py")).is_err());
        assert_eq!(project.file(Path::new("src/gone.py")).unwrap(), None);
        assert!(project.file(Path::new("../gone.py")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_project_is_outside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(dir.path().join("secret.py"), "x = 1\n").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.py"), root.join("link.py")).unwrap();
        let project = Project::new(&[root], Path::new("/")).unwrap();
        assert!(project.file(Path::new("link.py")).is_err());
    }
}
