//! Test helper: lay out a project from a fixture, run the real `gavel` binary in it, and
//! render exit code, stdout and stderr for `expect!` comparison.

use std::{path::Path, process::Command};

use expect_test::Expect;

/// `fixture` holds files as `//- path` headers followed by their content.
pub fn project(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut current: Option<(String, String)> = None;
    let flush = |cur: Option<(String, String)>| {
        if let Some((path, content)) = cur {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, content).unwrap();
        }
    };
    for line in fixture.lines() {
        if let Some(path) = line.strip_prefix("//- ") {
            flush(current.take());
            current = Some((path.trim().to_string(), String::new()));
        } else if let Some((_, content)) = current.as_mut() {
            content.push_str(line);
            content.push('\n');
        }
    }
    flush(current);
    dir
}

/// Run gavel in `dir` and render what a user sees.
pub fn run(dir: &Path, args: &[&str]) -> String {
    run_env(dir, args, &[])
}

/// [`run`] with these environment variables set.
pub fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gavel"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .expect("gavel runs");
    render(dir, &out)
}

/// [`run`] with `input` on standard input.
#[allow(dead_code)]
pub fn run_stdin(dir: &Path, args: &[&str], input: &[u8]) -> String {
    use std::{io::Write, process::Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_gavel"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gavel runs");
    let mut stdin = child.stdin.take().expect("piped stdin");
    // gavel may refuse its arguments before it reads stdin: a closed pipe
    // then is its answer, not a test failure.
    if let Err(e) = stdin.write_all(input) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    drop(stdin);
    render(dir, &child.wait_with_output().expect("gavel exits"))
}

/// Exit code, stdout and stderr, with the project's directory as `$DIR`.
fn render(dir: &Path, out: &std::process::Output) -> String {
    let mut s = format!("exit: {}\n", out.status.code().unwrap_or(-1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tmp = dir.display().to_string();
    if !stdout.is_empty() {
        s.push_str("--- stdout\n");
        s.push_str(&stdout.replace(&tmp, "$DIR"));
    }
    if !stderr.is_empty() {
        s.push_str("--- stderr\n");
        s.push_str(&stderr.replace(&tmp, "$DIR"));
    }
    s
}

/// Lay out `fixture`, run gavel with `args`, compare with `expect`.
#[allow(dead_code)]
pub fn check(fixture: &str, args: &[&str], expect: Expect) {
    let dir = project(fixture);
    expect.assert_eq(&run(dir.path(), args));
}

/// [`check`] with the project's directory allowed in `GAVEL_ROOTS`, as a user whose configs
/// extend one another across checkouts sets it.
#[allow(dead_code)]
pub fn check_trusted(fixture: &str, args: &[&str], expect: Expect) {
    let dir = project(fixture);
    let root = dir.path().to_str().expect("utf-8 temp dir");
    expect.assert_eq(&run_env(dir.path(), args, &[("GAVEL_ROOTS", root)]));
}

#[allow(dead_code)]
pub fn stdout(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gavel"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("gavel runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Run a script in `dir`, one step a line: `gavel ARGS...` runs gavel (with `env`) and adds
/// what `show` makes of [`run`]'s rendering; `write PATH TEXT` writes TEXT (`\n` for newlines);
/// `cat PATH` adds the file. Each step is echoed as `$ STEP`.
#[allow(dead_code)]
pub fn script(
    dir: &Path,
    steps: &str,
    env: &[(&str, &str)],
    show: impl Fn(String) -> String,
) -> String {
    let mut out = String::new();
    for step in steps.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str(&format!("$ {step}\n"));
        if let Some(rest) = step.strip_prefix("write ") {
            let (path, text) = rest.split_once(' ').expect("write PATH TEXT");
            std::fs::write(dir.join(path), text.replace("\\n", "\n")).unwrap();
        } else if let Some(path) = step.strip_prefix("cat ") {
            out.push_str(&std::fs::read_to_string(dir.join(path)).unwrap());
        } else if let Some(args) = step.strip_prefix("gavel ") {
            let args: Vec<&str> = args.split(' ').collect();
            out.push_str(&show(run_env(dir, &args, env)));
        } else {
            panic!("unknown step {step}");
        }
    }
    out
}
