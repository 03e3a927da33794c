//! Rust: every matcher and alias form, and calls inside macro arguments.

mod common;
use common::check;
use expect_test::expect;

#[test]
fn command_new_through_use_forms() {
    check(
        r#"
[[rule]]
id = "rs.command"
language = "rust"
message = "$NAME"
[rule.match]
call = ["std::process::Command::new"]
"#,
        "src/lib.rs",
        r#"use std::process::{self, Command as Cmd};
fn f() {
    Cmd::new("a");
    process::Command::new("b");
    ::std::process::Command::new("c");
    std::process::Command::new("d");
    Command::new("not imported");
}
mod g {
    use std::process::*;
    fn h() { Command::new("e"); }
}
mod k {
    use std::{io, process::{Command}};
    fn h() { Command::new("f"); }
}
"#,
        expect![[r#"
            3:5-3:18 warning rs.command: std::process::Command::new
            4:5-4:31 warning rs.command: std::process::Command::new
            5:5-5:38 warning rs.command: std::process::Command::new
            6:5-6:36 warning rs.command: std::process::Command::new
            11:14-11:31 warning rs.command: std::process::Command::new
            15:14-15:31 warning rs.command: std::process::Command::new
        "#]],
    );
}

#[test]
fn calls_inside_macro_arguments() {
    check(
        r#"
[[rule]]
id = "rs.unwrap"
language = "rust"
message = "unwrap on $RECEIVER"
[rule.match]
method = ["unwrap"]

[[rule]]
id = "rs.shell"
language = "rust"
message = "shell"
[rule.match]
call = ["std::process::Command::new"]
arg_regex = { 0 = '^"(sh|bash)"$' }

[[rule]]
id = "rs.dbg"
language = "rust"
message = "$MACRO!"
[rule.match]
macro = ["dbg"]
"#,
        "src/main.rs",
        r#"use std::process::Command;
fn main() {
    println!("{}", x.unwrap());
    assert!(Command::new("sh").status().is_ok());
    let v = vec![a.unwrap(); 3];
    let s = format!("{:?}", dbg!(y.unwrap()));
    std::println!("😀 {}", naïve.unwrap());
    assert_impl!(Foo: Send, z.unwrap());
    thread_local!(static K: u8 = k.unwrap(); static L: u8 = 0);
    make! { i.unwrap(), j }
}
"#,
        expect![[r#"
            3:22-3:30 warning rs.unwrap: unwrap on x
            4:13-4:31 warning rs.shell: shell
            5:20-5:28 warning rs.unwrap: unwrap on a
            6:29-6:45 warning rs.dbg: dbg!
            6:36-6:44 warning rs.unwrap: unwrap on y
            7:33-7:41 warning rs.unwrap: unwrap on naïve
            8:31-8:39 warning rs.unwrap: unwrap on z
            9:36-9:44 warning rs.unwrap: unwrap on k
            10:15-10:23 warning rs.unwrap: unwrap on i
        "#]],
    );
}

/// Macros whose arguments hold no word a rule could match are not parsed again; these are the
/// ways a call or path inside one can match without its rule's word written there (a renamed
/// import, a glob import), and a pattern's word.
#[test]
fn macros_parsed_when_a_name_is_renamed_imported_or_globbed() {
    check(
        r#"
[[rule]]
id = "rs.transmute"
language = "rust"
message = "$NAME"
[rule.match]
call = ["std::mem::transmute"]

[[rule]]
id = "rs.sync"
language = "rust"
message = "sync"
[rule.match]
import = ["std::sync"]

[[rule]]
id = "rs.len"
language = "rust"
message = "len"
[rule.match]
pattern = "$X.len() == 0"

[[rule]]
id = "rs.db"
language = "rust"
message = "$MODULE"
[rule.match]
import = ["crate::legacy::db"]
"#,
        "src/lib.rs",
        r#"use std::mem::transmute as tm;
fn f() {
    println!("{}", tm(1u32));
    assert!(v.len() == 0);
    println!("{}", nothing(3));
}
mod g {
    use std::sync::atomic::*;
    fn h() { println!("{:?}", Ordering::SeqCst); }
}
mod k {
    use std::io::*;
    use self::legacy::db::*;
    fn h() { assert!(Conn::open().is_ok()); }
}
"#,
        expect![[r#"
            3:20-3:28 warning rs.transmute: std::mem::transmute
            4:13-4:25 warning rs.len: len
            8:5-8:30 warning rs.sync: sync
            9:31-9:47 warning rs.sync: sync
            13:5-13:29 warning rs.db: crate::legacy::db
            14:22-14:32 warning rs.db: crate::legacy::db
        "#]],
    );
}

#[test]
fn imports_extern_crate_and_code_paths() {
    check(
        r#"
[[rule]]
id = "rs.reqwest"
language = "rust"
message = "use acme_http, not $MODULE"
[rule.match]
import = ["reqwest"]
"#,
        "src/lib.rs",
        r#"use reqwest::{Client, blocking::get};
use reqwest_middleware::X;
extern crate reqwest as rq;
fn f() {
    let c = Client::new();
    let r = reqwest::get("u");
    let t: reqwest::Response = todo!();
}
"#,
        expect![[r#"
            1:1-1:38 warning rs.reqwest: use acme_http, not reqwest::Client
            3:1-3:28 warning rs.reqwest: use acme_http, not reqwest
            6:13-6:25 warning rs.reqwest: use acme_http, not reqwest
            7:12-7:29 warning rs.reqwest: use acme_http, not reqwest
        "#]],
    );
}

#[test]
fn std_reexports_globs_and_references() {
    check(
        r#"
[[rule]]
id = "rs.hashmap"
language = "rust"
message = "$NAME"
[rule.match]
reference = ["std::collections::HashMap", "std::env::temp_dir"]
"#,
        "src/lib.rs",
        r#"use core::mem;
use std::collections::hash_map::HashMap as Map;
use std::env;
fn f() -> Map<u8, u8> {
    let d = x.unwrap_or_else(env::temp_dir);
    Map::new()
}
"#,
        expect![[r#"
            4:11-4:14 warning rs.hashmap: Map
            5:30-5:43 warning rs.hashmap: env::temp_dir
            6:5-6:8 warning rs.hashmap: Map
        "#]],
    );
}

#[test]
fn skip_tests_covers_cfg_test_and_test_functions() {
    check(
        r#"
[[rule]]
id = "rs.unwrap"
language = "rust"
message = "unwrap"
skip_tests = true
[rule.match]
method = ["unwrap", "expect"]
"#,
        "src/lib.rs",
        r#"fn lib() { a.unwrap(); }
#[cfg(all(test, unix))]
mod tests {
    fn helper() { b.unwrap(); }
}
#[test]
fn t() { c.expect("x"); }
#[cfg(not(test))]
fn prod() { d.unwrap(); }
"#,
        expect![[r#"
            1:14-1:22 warning rs.unwrap: unwrap
            9:15-9:23 warning rs.unwrap: unwrap
        "#]],
    );
}

#[test]
fn metrics_and_query() {
    check(
        r#"
[[rule]]
id = "rs.cyclomatic"
language = "rust"
message = "$FUNCTION has complexity $VALUE"
[rule.match]
metric = "cyclomatic"
max = 3

[[rule]]
id = "rs.unsafe"
language = "rust"
message = "unsafe block"
[rule.match]
query = "(unsafe_block) @match"
"#,
        "src/lib.rs",
        r#"fn f(a: bool, b: bool) -> u8 {
    if a && b { 1 } else if a { 2 } else { match b { true => 3, false => 4 } }
}
fn g() { unsafe { x() } }
"#,
        expect![[r#"
            1:4-1:5 warning rs.cyclomatic: f has complexity 5
            4:10-4:24 warning rs.unsafe: unsafe block
        "#]],
    );
}

#[test]
fn crate_self_and_super_paths() {
    check(
        r#"
[[rule]]
id = "arch.infra"
language = "rust"
message = "domain must not use $MODULE"
[rule.match]
import = ["crate::infra"]

[[rule]]
id = "arch.db"
language = "rust"
message = "$NAME"
[rule.match]
call = ["crate::infra::db::connect"]
"#,
        "src/domain/user.rs",
        r#"use crate::infra::db;
use super::super::infra::cache;
use self::helpers::x;
fn f() {
    db::connect();
    crate::infra::db::connect();
    super::super::infra::db::connect();
}
"#,
        expect![[r#"
            1:1-1:22 warning arch.infra: domain must not use crate::infra::db
            2:1-2:32 warning arch.infra: domain must not use crate::infra::cache
            5:5-5:18 warning arch.db: crate::infra::db::connect
            6:5-6:30 warning arch.infra: domain must not use crate::infra
            6:5-6:32 warning arch.db: crate::infra::db::connect
            7:5-7:37 warning arch.infra: domain must not use crate::infra
            7:5-7:39 warning arch.db: crate::infra::db::connect
        "#]],
    );
}

/// A regex rule on comments, and one on string literals, for the tests of what the walk skips.
const TODO_RULE: &str = r#"
[[rule]]
id = "rs.todo"
language = "rust"
message = "$MATCH"
[rule.match]
regex = '\b(TODO|FIXME)\b'
regex_in = "comment"
"#;
const SECRET_RULE: &str = r#"
[[rule]]
id = "rs.secret"
language = "rust"
message = "$MATCH"
[rule.match]
regex = 'pass\w*='
regex_in = "string"
"#;

/// Comments and strings inside macro arguments are the file's own tokens: regex rules find
/// them there, in nested token trees too, with or without string rules in the set.
#[test]
fn regexes_in_macro_comments_and_strings() {
    let code = r#"fn f() {
    let v = vec![1, /* TODO: drop */ 2];
    assert!(ok(), "{}", [x, // FIXME later
        y]);
    println!("password={}", p);
}
"#;
    check(
        TODO_RULE,
        "src/lib.rs",
        code,
        expect![[r#"
            2:24-2:28 warning rs.todo: TODO
            3:32-3:37 warning rs.todo: FIXME
        "#]],
    );
    check(
        &format!("{TODO_RULE}{SECRET_RULE}"),
        "src/lib.rs",
        code,
        expect![[r#"
            2:24-2:28 warning rs.todo: TODO
            3:32-3:37 warning rs.todo: FIXME
            5:15-5:24 warning rs.secret: password=
        "#]],
    );
}

/// The walk skips a `use` declaration's paths when only `import` rules look at paths, but not
/// its comments; string literals' contents are skipped, not the literals.
#[test]
fn comments_inside_use_declarations() {
    check(
        &format!(
            r#"
[[rule]]
id = "rs.sync"
language = "rust"
message = "$MODULE"
[rule.match]
import = ["std::sync"]
{TODO_RULE}{SECRET_RULE}"#
        ),
        "src/lib.rs",
        r#"use std::{io, /* TODO: trim */ sync::Mutex};
fn f() -> std::sync::Arc<u8> {
    let s = "password=\u{1F600}\n";
    todo!()
}
"#,
        expect![[r#"
            1:1-1:45 warning rs.sync: std::sync::Mutex
            1:18-1:22 warning rs.todo: TODO
            2:11-2:25 warning rs.sync: std::sync
            3:14-3:23 warning rs.secret: password=
        "#]],
    );
}

/// A broken file can end inside a macro's arguments, with no closing delimiter and a
/// multi-byte character last: the arguments are still checked (found by the LSP differential
/// test at 10,000 sequences; `gavel check` panicked on it).
#[test]
fn an_unclosed_macro_ending_in_a_multibyte_character() {
    check(
        r#"
[[rule]]
id = "rs.unwrap"
language = "rust"
message = "unwrap"
[rule.match]
method = ["unwrap"]
"#,
        "src/lib.rs",
        "fn f() { m!(a.unwrap() é",
        expect![[r#"
            1:15-1:23 warning rs.unwrap: unwrap
        "#]],
    );
    // A macro rule's `$ARGS` of that token tree (found by the LSP differential test at 10,000
    // sequences: `(v.l.uenv::set_var("A", "B");\né` panicked on a cut inside `é`).
    check(
        r#"
[[rule]]
id = "rs.dbg"
language = "rust"
message = "dbg! of $ARGS"
[rule.match]
macro = ["dbg"]
"#,
        "src/lib.rs",
        "fn f() { dbg!(x.len();\né",
        expect![[r#"
            1:10-2:2 warning rs.dbg: dbg! of x.len(); é
        "#]],
    );
}
