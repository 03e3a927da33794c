//! Where the tools may look (SPEC 7.2): the workspace roots the client gives, or the working
//! directory. A path is resolved against the first root when relative, then made canonical
//! (symlinks followed, `..` gone); a path that is not inside a root is refused before anything
//! reads it.

use std::path::{Component, Path, PathBuf};

/// The roots of one tool call, canonical.
#[derive(Debug, Clone)]
pub struct Roots {
    dirs: Vec<PathBuf>,
}

impl Roots {
    /// `dirs` that exist, made canonical; `fallback` (the working directory) when none does.
    pub fn new(dirs: Vec<PathBuf>, fallback: &Path) -> Roots {
        let mut canonical: Vec<PathBuf> = dirs
            .iter()
            .filter_map(|d| d.canonicalize().ok())
            .filter(|d| d.is_dir())
            .collect();
        if canonical.is_empty() {
            canonical.push(
                fallback
                    .canonicalize()
                    .unwrap_or_else(|_| fallback.to_path_buf()),
            );
        }
        Roots { dirs: canonical }
    }

    /// The first root: relative paths are relative to it, and reports show paths relative to it.
    pub fn first(&self) -> &Path {
        &self.dirs[0]
    }

    /// `path` inside a root, canonical; or why not. A file that does not exist yet (an unsaved
    /// buffer) is resolved through its nearest existing ancestor.
    pub fn resolve(&self, path: &str) -> Result<PathBuf, String> {
        if path.trim().is_empty() {
            return Err("the path is empty; give a file or directory inside the workspace".into());
        }
        let given = Path::new(path);
        let joined = if given.is_absolute() {
            given.to_path_buf()
        } else {
            self.first().join(given)
        };
        let resolved = canonical(&joined).ok_or_else(|| {
            format!(
                "{path}: cannot resolve this path; give one inside {}",
                self.list()
            )
        })?;
        if self.dirs.iter().any(|d| resolved.starts_with(d)) {
            Ok(resolved)
        } else {
            Err(format!(
                "{path}: outside the workspace roots ({}); gavel reads nothing outside them",
                self.list()
            ))
        }
    }

    fn list(&self) -> String {
        let all: Vec<String> = self.dirs.iter().map(|d| d.display().to_string()).collect();
        all.join(", ")
    }
}

/// The directory a `file://` root URI names (percent-decoded); `None` for other schemes.
pub fn from_uri(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///x` (empty host) and `file://localhost/x`.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

/// The canonical form of `path`: of the path itself when it exists, else of its nearest
/// existing ancestor with the rest appended (the rest may hold no `..`, which could climb out).
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        let name = at.file_name()?;
        rest.push(name.to_os_string());
        at = at.parent()?;
        if let Ok(base) = at.canonicalize() {
            let mut out = base;
            for part in rest.iter().rev() {
                out.push(part);
            }
            let climbs = Path::new(&out)
                .components()
                .any(|c| matches!(c, Component::ParentDir));
            return (!climbs).then_some(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(roots: &Roots, path: &str, expect: Result<&str, &str>) {
        let got = roots.resolve(path);
        match (got, expect) {
            (Ok(p), Ok(rel)) => assert_eq!(p, roots.first().join(rel), "{path}"),
            (Err(e), Err(part)) => assert!(e.contains(part), "{path}: {e}"),
            (got, want) => panic!("{path}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn paths_resolve_inside_the_roots_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/a.py"), "").unwrap();
        std::fs::write(dir.path().join("secret.py"), "").unwrap();
        let roots = Roots::new(vec![root.clone()], &root);
        check(&roots, "src/a.py", Ok("src/a.py"));
        check(&roots, "src/new.py", Ok("src/new.py"));
        check(&roots, "src/../src/a.py", Ok("src/a.py"));
        check(&roots, "../secret.py", Err("outside the workspace roots"));
        check(
            &roots,
            dir.path().join("secret.py").to_str().unwrap(),
            Err("outside"),
        );
        check(&roots, "missing/../../secret.py", Err("cannot resolve"));
        check(&roots, "/etc/passwd", Err("outside"));
        check(&roots, " ", Err("the path is empty"));
        assert_eq!(from_uri("file:///a%20b/c"), Some(PathBuf::from("/a b/c")));
        assert_eq!(
            from_uri("file://localhost/x%2"),
            Some(PathBuf::from("/x%2"))
        );
        assert_eq!(from_uri("https://example.com/x"), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.py"), root.join("link.py")).unwrap();
            check(&roots, "link.py", Err("outside"));
        }
    }
}
