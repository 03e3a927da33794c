//! Where entries lead from a config in `repo/sub/`, in a git work tree, with symlinks that try
//! to lead out.

use std::os::unix::fs::symlink;

use super::*;

fn layout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for p in ["repo/.git", "repo/sub", "repo/packs", "outside/org"] {
        std::fs::create_dir_all(d.join(p)).unwrap();
    }
    for p in [
        "repo/sub/gavel.toml",
        "repo/packs/p.toml",
        "outside/secret.toml",
        "outside/org/gavel.toml",
    ] {
        std::fs::write(d.join(p), "x = 1\n").unwrap();
    }
    let links = [
        ("repo/packs/escape.toml", "../../outside/secret.toml"),
        ("repo/packs/inside.toml", "p.toml"),
        ("repo/packs/dangling.toml", "../../outside/nope.toml"),
        ("repo/outdir", "../outside"),
        ("repo/packs/zero.toml", "/dev/zero"),
        ("outside/org/fake", "../secret.toml"),
    ];
    for (link, target) in links {
        symlink(target, d.join(link)).unwrap();
    }
    std::fs::create_dir_all(d.join("outside/org/fakedir")).unwrap();
    symlink(
        "../../secret.toml",
        d.join("outside/org/fakedir/gavel.toml"),
    )
    .unwrap();
    dir
}

#[test]
fn entries_resolve_inside_missing_or_outside() {
    let dir = layout();
    let d = std::fs::canonicalize(dir.path()).unwrap();
    let roots = Roots::of_config_dir(&d.join("repo/sub"));
    let inside = |p: &str| Resolved::Inside(d.join(p));
    let cases = [
        ("../packs/p.toml", inside("repo/packs/p.toml")),
        ("../packs/", inside("repo/packs")),
        ("../packs/inside.toml", inside("repo/packs/p.toml")),
        ("../packs/nope.toml", Resolved::Missing),
        ("../nodir/nope.toml", Resolved::Missing),
        ("../packs/escape.toml", Resolved::Outside),
        ("../packs/dangling.toml", Resolved::Outside),
        ("../packs/zero.toml", Resolved::Outside),
        ("../outdir/secret.toml", Resolved::Outside),
        ("../outdir/nope.toml", Resolved::Outside),
        ("../../outside/secret.toml", Resolved::Outside),
        ("../../outside/nope.toml", Resolved::Outside),
        ("/dev/zero", Resolved::Outside),
        ("/dev/stdin", Resolved::Outside),
        ("/", Resolved::Outside),
        ("..", inside("repo")),
        ("../..", Resolved::Outside),
    ];
    for (entry, want) in cases {
        assert_eq!(roots.resolve(Path::new(entry)), want, "{entry}");
    }
}

#[test]
fn a_config_outside_is_outside_even_when_named_gavel_toml() {
    let dir = layout();
    let d = std::fs::canonicalize(dir.path()).unwrap();
    let roots = Roots::of_config_dir(&d.join("repo/sub"));
    let cases = [
        // The user's own config is a gavel.toml too: a workspace must not read it.
        ("../../outside/org/gavel.toml", Resolved::Outside),
        ("../../outside/nope/gavel.toml", Resolved::Outside),
        ("../../outside/org/fakedir/gavel.toml", Resolved::Outside),
        ("../../outside/org/fake", Resolved::Outside),
        ("../../outside/secret.toml", Resolved::Outside),
        (
            "gavel.toml",
            Resolved::Inside(d.join("repo/sub/gavel.toml")),
        ),
    ];
    for (entry, want) in cases {
        assert_eq!(roots.resolve(Path::new(entry)), want, "{entry}");
    }
}

#[test]
fn outside_git_the_root_is_the_config_directory() {
    let dir = layout();
    let d = std::fs::canonicalize(dir.path()).unwrap();
    let roots = Roots::of_config_dir(&d.join("outside/org"));
    let cases = [
        (
            "gavel.toml",
            Resolved::Inside(d.join("outside/org/gavel.toml")),
        ),
        ("../secret.toml", Resolved::Outside),
        ("fake", Resolved::Outside),
    ];
    for (entry, want) in cases {
        assert_eq!(roots.resolve(Path::new(entry)), want, "{entry}");
    }
    assert!(
        roots.describe().contains("in no git repository"),
        "{}",
        roots.describe()
    );
}
