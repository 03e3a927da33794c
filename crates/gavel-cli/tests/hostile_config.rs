//! A hostile or careless workspace config (issue 21): gavel reads policy files only from
//! regular files of at most 1 MB inside the roots a config may name (its git repository, or its
//! directory outside git, plus `GAVEL_ROOTS`); a path outside is not read, and the error says
//! only that it is outside. An `extends` of a sibling checkout's
//! `gavel.toml` needs `GAVEL_ROOTS`.
//! Unix only: the cases are symlinks, devices and FIFOs.
#![cfg(unix)]

mod common;
#[path = "../../../tests/support/git.rs"]
mod git_support;

use std::{os::unix::fs::symlink, path::Path, process::Command, time::Instant};

use common::{project, run, run_env};
use expect_test::expect;
use git_support::git;

const PACK: &str = r#"[pack]
id = "house"
[[rule]]
id = "py.eval"
language = "python"
message = "eval"
[rule.match]
call = ["eval"]
"#;

/// A secret outside the repository, in a file that parses as TOML.
const SECRET: &str = "[pack]\nid = \"house-secret\"\npassword = \"hunter2\"\n";

/// `$DIR/repo` (a git repository) and `$DIR/outside`, with `repo/gavel.toml` as given.
fn layout(config: &str) -> tempfile::TempDir {
    let dir = project(&format!(
        "//- repo/gavel.toml\n{config}\n//- repo/packs/house.toml\n{PACK}\n//- repo/app.py\neval(x)\n//- outside/secret.toml\n{SECRET}//- outside/shared/other.toml\n{}",
        PACK.replace("house", "other")
            .replace("py.eval", "other.eval")
    ));
    git(&dir.path().join("repo"), &["init", "-q"]);
    dir
}

fn link(dir: &Path, target: &str, at: &str) {
    let at = dir.join(at);
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    symlink(target, at).unwrap();
}

#[test]
fn entries_outside_the_repository_devices_fifos_and_huge_files_are_not_read() {
    let dir = layout(
        r#"policies = ["/dev/zero", "/dev/stdin", "/", "../outside/secret.toml", "../outside/missing.toml", "links/", "linkdir/secret.toml", "linkdir/missing.toml", "fifo.toml", "big.toml", "packs/"]"#,
    );
    let repo = dir.path().join("repo");
    link(&repo, "/dev/zero", "links/zero.toml");
    link(&repo, "../../outside/secret.toml", "links/secret.toml");
    link(&repo, "../../outside/missing.toml", "links/dangling.toml");
    link(&repo, "../outside", "linkdir");
    let fifo = Command::new("mkfifo").arg(repo.join("fifo.toml")).status();
    assert!(fifo.unwrap().success());
    std::fs::write(repo.join("big.toml"), vec![b'#'; 1024 * 1024 + 1]).unwrap();
    let start = Instant::now();
    let out = run(&repo, &["check"]);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    for leak in ["hunter2", "password", "house-secret"] {
        assert!(!out.contains(leak), "{leak} leaked:\n{out}");
    }
    expect![[r#"
        exit: 2
        --- stdout
        warning: eval [py.eval]
         --> app.py:1:1
          |
        1 | eval(x)
          | ^^^^^^^

        1 finding in 1 file checked (0 on AI-written lines, 1 on changed lines)
        --- stderr
        error: $DIR/big.toml: larger than 1 MB, more than any policy file needs; check the path
        error: $DIR/fifo.toml: not a regular file (a directory, device, FIFO or socket); gavel reads policies only from regular files
        error: $DIR/gavel.toml:1:108: policy entry `linkdir/secret.toml` is outside the git repository $DIR, so gavel did not read it; name a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
        error: $DIR/gavel.toml:1:131: policy entry `linkdir/missing.toml` is outside the git repository $DIR, so gavel did not read it; name a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
        error: $DIR/gavel.toml:1:13: policy entry `/dev/zero` is outside the git repository $DIR, so gavel did not read it; name a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
        error: $DIR/gavel.toml:1:26: policy entry `/dev/stdin` is outside the git repository $DIR, so gavel did not read it; name a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
        error: $DIR/gavel.toml:1:40: policy entry `/` is outside the git repository $DIR, so gavel did not read it; name a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
        error: $DIR/gavel.toml:1:45: policy entry `../outside/secret.toml` is outside the git repository $DIR, so gavel did not read it; name a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
        error: $DIR/gavel.toml:1:71: policy entry `../outside/missing.toml` is outside the git repository $DIR, so gavel did not read it; name a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
        error: $DIR/gavel.toml:1:98: pack `$DIR/links/dangling.toml` (in policy entry `links/`) is outside the git repository $DIR, so gavel did not read it; name a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
        error: $DIR/gavel.toml:1:98: pack `$DIR/links/secret.toml` (in policy entry `links/`) is outside the git repository $DIR, so gavel did not read it; name a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
        error: $DIR/gavel.toml:1:98: pack `$DIR/links/zero.toml` (in policy entry `links/`) is outside the git repository $DIR, so gavel did not read it; name a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
    "#]]
    .assert_eq(&out);
}

#[test]
fn gavel_roots_lets_the_user_allow_a_directory() {
    let config = r#"policies = ["../outside/shared/other.toml"]"#;
    let dir = layout(config);
    let repo = dir.path().join("repo");
    let shared = dir.path().join("outside/shared");
    let allowed = run_env(
        &repo,
        &["rules"],
        &[("GAVEL_ROOTS", shared.to_str().unwrap())],
    );
    expect![[r#"
        exit: 0
        --- stdout
        ID          LANGUAGE  SEVERITY  CATEGORY  PACK
        other.eval  python    warning   general   other
    "#]]
    .assert_eq(&allowed);
    let refused = run_env(&repo, &["rules"], &[("GAVEL_ROOTS", "")]);
    assert!(
        refused.contains("is outside the git repository"),
        "{refused}"
    );
}

#[test]
fn extends_of_a_sibling_checkout_needs_gavel_roots_and_reaches_nothing_else_outside() {
    let dir = project(&format!(
        r#"
//- platform/gavel.toml
policies = ["house.toml"]
//- platform/house.toml
{PACK}
//- platform/notes.toml
{SECRET}
//- service/gavel.toml
extends = ["../platform/gavel.toml", "../platform/notes.toml"]
//- service/app.py
eval(x)
//- trusting/gavel.toml
extends = ["../platform/gavel.toml"]
//- trusting/app.py
eval(x)
"#
    ));
    let service = dir.path().join("service");
    git(&service, &["init", "-q"]);
    // A gavel.toml outside is not read, whatever its name: the user's own config is one too.
    let out = run(&service, &["check"]);
    assert!(!out.contains("hunter2"), "{out}");
    expect![[r#"
        exit: 2
        --- stdout
        0 findings in 1 file checked
        --- stderr
        error: $DIR/gavel.toml:1:12: `extends` entry `../platform/gavel.toml` is outside the git repository $DIR, so gavel did not read it; extend a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
        error: $DIR/gavel.toml:1:38: `extends` entry `../platform/notes.toml` is outside the git repository $DIR, so gavel did not read it; extend a file inside it, or, if you trust this config, add the directory to the GAVEL_ROOTS environment variable
    "#]]
    .assert_eq(&out);
    // The user allows the platform checkout: its config and its packs apply.
    let trusting = dir.path().join("trusting");
    git(&trusting, &["init", "-q"]);
    let platform = dir.path().join("platform");
    let out = run_env(
        &trusting,
        &["check"],
        &[("GAVEL_ROOTS", platform.to_str().unwrap())],
    );
    assert!(out.starts_with("exit: 1\n"), "{out}");
    assert!(out.contains("warning: eval [py.eval]"), "{out}");
}

#[test]
fn a_gavel_toml_that_is_a_device_or_a_symlink_out_is_an_error_not_read() {
    let cases = [
        (
            "../outside/secret.toml",
            "a symlink that leads outside the git repository $DIR, so gavel did not read it; replace the symlink with the config itself",
        ),
        (
            "/dev/zero",
            "a symlink that leads outside the git repository $DIR, so gavel did not read it; replace the symlink with the config itself",
        ),
        ("real.toml", "py.eval  python    warning   general   house"),
    ];
    for (target, want) in cases {
        let dir = layout("");
        let repo = dir.path().join("repo");
        std::fs::write(
            repo.join("real.toml"),
            "policies = [\"packs/house.toml\"]\n",
        )
        .unwrap();
        std::fs::remove_file(repo.join("gavel.toml")).unwrap();
        symlink(target, repo.join("gavel.toml")).unwrap();
        let out = run(&repo, &["rules"]);
        assert!(!out.contains("hunter2"), "{out}");
        assert!(out.contains(want), "gavel.toml -> {target}:\n{out}");
    }
}
