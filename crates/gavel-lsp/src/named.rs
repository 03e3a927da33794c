//! Every path a config names, whether it exists or not: the `gavel.toml`, its `extends` chain,
//! and each pack file or directory in `policies`, lexically normalised (no `dir/../x`). A pack
//! that appears in a named directory, or a named file restored after deletion, is a change to
//! the policies even though no load has read it yet.

use std::path::{Component, Path, PathBuf};

use gavel_policy::{SourceFile, parse_config};

/// A named path, and whether it names a directory (of packs).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Named {
    pub path: PathBuf,
    pub dir: bool,
}

/// The paths `config` names, itself first.
pub fn paths(config: &Path) -> Vec<Named> {
    let mut out = Vec::new();
    collect(&normalise(config), &mut out);
    out
}

fn collect(config: &Path, out: &mut Vec<Named>) {
    if out.iter().any(|n| n.path == config) {
        return;
    }
    out.push(Named {
        path: config.to_path_buf(),
        dir: false,
    });
    let Ok(text) = std::fs::read_to_string(config) else {
        return;
    };
    let Ok(parsed) = parse_config(&SourceFile::new(config.display().to_string(), text)) else {
        return;
    };
    let base = config.parent().unwrap_or(Path::new("/"));
    for entry in &parsed.policies {
        let entry = entry.get_ref();
        if entry.starts_with("builtin:") {
            continue;
        }
        let path = normalise(&base.join(entry));
        let dir = entry.ends_with('/') || path.is_dir() || path.extension().is_none();
        out.push(Named { path, dir });
    }
    for parent in &parsed.extends {
        collect(&normalise(&base.join(parent.get_ref())), out);
    }
}

/// `path` made absolute and without `.` or `dir/..` components (lexically: symlinks are not
/// followed).
pub fn normalise(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether a change at `path` can change what the named paths hold.
pub fn touches(named: &[Named], path: &Path) -> bool {
    let path = normalise(path);
    named.iter().any(|n| {
        n.path == path
            || n.path.starts_with(&path)
            || n.dir
                && path.parent() == Some(&n.path)
                && path.extension().is_some_and(|e| e == "toml")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised() {
        let cases = [
            ("/a/b/../c/./d.toml", "/a/c/d.toml"),
            ("/a/../../x", "/x"),
            ("/a/b/", "/a/b"),
        ];
        for (input, want) in cases {
            assert_eq!(normalise(Path::new(input)), PathBuf::from(want), "{input}");
        }
    }
}
