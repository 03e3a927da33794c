//! No silent skips (issue 21): gavel checks what the language would run. A Python file is
//! decoded as its PEP 263 coding line says; a Rust file may hold a NUL byte in a comment; hidden
//! files and every file git tracks are walked (only untracked ignored files are not); a file
//! the language may run but gavel cannot check is an error unless the config excludes it; and
//! a file named in several spellings is checked once.

mod common;
#[path = "../../../tests/support/git.rs"]
mod git_support;

use common::{project, run};
use expect_test::expect;
use git_support::git;

const SETUP: &str = r#"
//- gavel.toml
policies = ["house.toml"]
//- house.toml
[pack]
id = "house"
[[rule]]
id = "py.eval"
language = "python"
message = "eval"
[rule.match]
call = ["eval"]
[[rule.fix]]
title = "Use safe_eval"
replace = "safe_eval($ARGS)"
[[rule]]
id = "rs.unwrap"
language = "rust"
message = "unwrap"
[rule.match]
method = ["unwrap"]
"#;

fn write(dir: &std::path::Path, path: &str, bytes: &[u8]) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Files as (path, bytes): the first group git tracks, the second it ignores untracked.
const TRACKED: &[(&str, &[u8])] = &[
    (
        "latin1.py",
        b"# -*- coding: latin-1 -*-\ns = '\xe9'; eval(s)\n",
    ),
    (
        "nul.rs",
        b"// a \x00 in a comment\nfn f(x: Option<u8>) { x.unwrap(); }\n",
    ),
    (".github/scripts/deploy.py", b"eval(x)\n"),
    (".hidden.py", b"eval(x)\n"),
    ("gen/tracked.py", b"eval(x)\n"),
    (".gitignore", b"gen/\ntarget/\n.venv/\n"),
];
const IGNORED: &[(&str, &[u8])] = &[
    ("target/out.py", b"eval(x)\n"),
    (".venv/lib/site.py", b"eval(x)\n"),
    ("gen/untracked.py", b"eval(x)\n"),
    (".git/hooks/hook.py", b"eval(x)\n"),
];

#[test]
fn what_the_language_runs_and_git_tracks_is_checked() {
    let dir = project(SETUP);
    let d = dir.path();
    for (path, bytes) in TRACKED {
        write(d, path, bytes);
    }
    git(d, &["init", "-q"]);
    git(d, &["add", "-f", "."]);
    git(d, &["commit", "-qm", "init"]);
    for (path, bytes) in IGNORED {
        write(d, path, bytes);
    }
    expect![[r#"
        exit: 1
        --- stdout
        warning: eval. Instead: Use safe_eval [py.eval]
         --> .github/scripts/deploy.py:1:1
          |
        1 | eval(x)
          | ^^^^^^^

        warning: eval. Instead: Use safe_eval [py.eval]
         --> .hidden.py:1:1
          |
        1 | eval(x)
          | ^^^^^^^

        warning: eval. Instead: Use safe_eval [py.eval]
         --> gen/tracked.py:1:1
          |
        1 | eval(x)
          | ^^^^^^^

        warning: eval. Instead: Use safe_eval [py.eval]
         --> latin1.py:2:10
          |
        2 | s = 'é'; eval(s)
          |          ^^^^^^^

        warning: unwrap [rs.unwrap]
         --> nul.rs:2:25
          |
        2 | fn f(x: Option<u8>) { x.unwrap(); }
          |                         ^^^^^^^^

        5 findings in 5 files checked (0 on AI-written lines, 0 on changed lines, 4 fixable with --fix)
    "#]]
    .assert_eq(&run(d, &["check"]));
}

#[test]
fn a_file_the_language_may_run_but_gavel_cannot_check_is_an_error_unless_excluded() {
    let mut big = b"eval(x)\n".to_vec();
    big.resize(8 * 1024 * 1024 + 1, b'#');
    let files: &[(&str, &[u8])] = &[
        ("big.py", &big),
        ("dos.py", b"# coding: cp850\neval(x)\n"),
        // CPython refuses these too: a note, and the exit code does not change.
        ("nul.py", b"x = 1  # \x00\n"),
        ("nocoding.py", b"s = '\xe9'\n"),
        ("latin1.rs", b"// \xe9\n"),
    ];
    let configs = [
        (
            "",
            expect![[r#"
                exit: 2
                --- stdout
                0 findings in 0 files checked
                --- stderr
                error: big.py: not checked: larger than 8 MB, so gavel cannot check it; split it, or add it to `exclude` in gavel.toml if it is generated
                error: dos.py: not checked: its coding line names `cp850`, an encoding gavel cannot decode; re-encode it as UTF-8, or add it to `exclude` in gavel.toml
                note: latin1.rs: skipped: not UTF-8 (invalid byte at offset 3), which rustc rejects too
                note: nocoding.py: skipped: not UTF-8 (invalid byte at offset 5), which Python rejects too
                note: nul.py: skipped: binary file (a NUL byte at offset 9, which Python rejects too)
            "#]],
        ),
        (
            "exclude = [\"big.py\", \"dos.py\"]\n",
            expect![[r#"
                exit: 0
                --- stdout
                0 findings in 0 files checked
                --- stderr
                note: latin1.rs: skipped: not UTF-8 (invalid byte at offset 3), which rustc rejects too
                note: nocoding.py: skipped: not UTF-8 (invalid byte at offset 5), which Python rejects too
                note: nul.py: skipped: binary file (a NUL byte at offset 9, which Python rejects too)
            "#]],
        ),
    ];
    for (exclude, want) in configs {
        let dir = project(SETUP);
        let d = dir.path();
        let config = std::fs::read_to_string(d.join("gavel.toml")).unwrap();
        write(d, "gavel.toml", format!("{exclude}{config}").as_bytes());
        for (path, bytes) in files {
            write(d, path, bytes);
        }
        want.assert_eq(&run(d, &["check"]));
    }
}

#[test]
fn fix_leaves_a_latin1_file_as_it_was() {
    let dir = project(SETUP);
    let d = dir.path();
    let bytes = b"# coding: latin-1\ns = '\xe9'; eval(s)\n";
    write(d, "latin1.py", bytes);
    expect![[r#"
        exit: 1
        --- stdout
        warning: eval. Instead: Use safe_eval [py.eval]
         --> latin1.py:2:10
          |
        2 | s = 'é'; eval(s)
          |          ^^^^^^^

        1 finding in 1 file checked (1 fixable with --fix)
        --- stderr
        note: latin1.py: not fixed: it is latin-1, and gavel writes fixes to UTF-8 files only
        0 fixed, 1 remaining
    "#]]
    .assert_eq(&run(d, &["check", "--fix"]));
    assert_eq!(std::fs::read(d.join("latin1.py")).unwrap(), bytes);
}

#[test]
fn a_file_named_in_several_spellings_is_checked_once() {
    let dir = project(&format!("{SETUP}//- a.py\neval(x)\n//- sub/b.py\nx = 1\n"));
    let d = dir.path();
    let abs = d.join("a.py");
    expect![[r#"
        exit: 1
        --- stdout
        warning: eval. Instead: Use safe_eval [py.eval]
         --> a.py:1:1
          |
        1 | eval(x)
          | ^^^^^^^

        1 finding in 2 files checked (1 fixable with --fix)
    "#]]
    .assert_eq(&run(
        d,
        &[
            "check",
            "a.py",
            "./a.py",
            "sub/../a.py",
            abs.to_str().unwrap(),
            ".",
        ],
    ));
}
