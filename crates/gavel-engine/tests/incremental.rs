//! `check_incremental` against `check`: after random edits to real-looking files, the
//! incremental findings (reusing the previous check's chunks) equal a full check's, and checks reuse
//! chunks. Failures print both texts, so they replay.

use gavel_engine::{ActiveRule, FileInput, Finding, Incremental, Options, RuleSet};
use gavel_policy::{SourceFile, builtin::PACKS, parse_pack};
use gavel_syntax::{Lang, parse};

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

fn builtin(lang: &str) -> RuleSet {
    let rules = PACKS
        .iter()
        .filter(|(name, _)| name.starts_with(lang))
        .flat_map(|(name, text)| {
            parse_pack(&SourceFile::new(format!("builtin:{name}"), *text))
                .expect("built-in packs compile")
                .rules
        })
        .map(ActiveRule::new)
        .collect();
    RuleSet::new(rules, Options::default()).unwrap()
}

fn key(f: &Finding) -> (usize, usize, String, String) {
    (
        f.range.start,
        f.range.end,
        f.rule_id.clone(),
        f.message.clone(),
    )
}

fn run(lang: Lang, path: &str, base: &str, snippets: &[&str], seed: u64, steps: usize) {
    let rules = builtin(match lang {
        Lang::Python => "python",
        Lang::Rust => "rust",
    });
    let mut rng = Rng(seed);
    let mut text = base.to_string();
    let mut cache: Option<Incremental> = None;
    let (mut chunks, mut rechecked) = (0, 0);
    for step in 0..steps {
        if step % 200 == 199 {
            text = base.to_string();
        }
        let previous = text.clone();
        for _ in 0..rng.below(3) + 1 {
            let mut a = rng.below(text.len() + 1);
            let mut b = (a + rng.below(12)).min(text.len());
            if rng.below(2) == 0 {
                b = a;
            }
            while !text.is_char_boundary(a) {
                a -= 1;
            }
            while !text.is_char_boundary(b) {
                b += 1;
            }
            let insert = snippets[rng.below(snippets.len())];
            text.replace_range(a..b, insert);
        }
        let tree = parse(lang, &text);
        let input = FileInput {
            source: &text,
            tree: &tree,
            lang,
            path,
        };
        let full: Vec<_> = rules.check(&input).findings.iter().map(key).collect();
        let (report, next, stats) = rules.check_incremental(&input, cache.as_ref());
        let inc: Vec<_> = report.findings.iter().map(key).collect();
        assert_eq!(
            inc, full,
            "step {step}: incremental != full\n--- previous text ---\n{previous}\n--- text ---\n{text}"
        );
        chunks += stats.chunks;
        rechecked += stats.rechecked;
        cache = Some(next);
    }
    // Random edits leave many chunks with syntax errors, which are never reused; typing in one
    // item re-checks one chunk (gavel-lsp's diagnostics tests).
    assert!(
        rechecked < chunks,
        "re-checked {rechecked} of {chunks} chunks"
    );
}

/// The file the random edits start from (shared with the other crate's differential test).
const PY: &str = include_str!("../../../tests/fixtures/incremental/app.py");

const PY_SNIPPETS: &[&str] = &[
    "",
    "x",
    "\n",
    "\r\n",
    "😀",
    " ",
    "    ",
    "eval(y)",
    "import requests\n",
    "import pickle\n",
    "requests = None\n",
    "pickle.loads(b)\n",
    "def g(a, b):\n    return a\n",
    "\"",
    "(",
    ")",
    ":",
    "# gavel: allow(py.eval-used) ok\n",
    "from subprocess import run\n",
    "run(x, shell=True)\n",
    "yaml.load(s)\n",
    "import yaml\n",
    "try:\n    pass\nexcept:\n    pass\n",
    "assert x\n",
    "\r",
    "class A:\n    pass\n",
    "sp.call(c, shell=True)\n",
    "'",
    "é",
    "\n\n",
    "run(x, shell=True)",
    "# gavel: allow(py.eval-used)\n",
];

/// The file the random edits start from (shared with the other crate's differential test).
const RS: &str = include_str!("../../../tests/fixtures/incremental/lib.rs");

const RS_SNIPPETS: &[&str] = &[
    "",
    "x",
    "\n",
    "😀",
    " ",
    ".unwrap()",
    "println!(\"{}\", x);\n",
    "fn g() {}\n",
    "}",
    "{",
    "use std::env;\n",
    "use std::mem;\n",
    "mem::transmute::<u8, i8>(1);\n",
    "#[cfg(test)]\n",
    "// gavel: allow(rs.unwrap-used) fine\n",
    "todo!()",
    "(",
    ")",
    ";",
    "env::set_var(\"A\", \"B\");\n",
    "mod m {\n}\n",
    "Command::new(\"bash\").arg(\"-c\")",
    "dbg!(1);\n",
];

#[test]
fn python_incremental_equals_full() {
    run(
        Lang::Python,
        "pkg/app.py",
        PY,
        PY_SNIPPETS,
        0x9e37_79b9_7f4a_7c15,
        1500,
    );
}

#[test]
fn rust_incremental_equals_full() {
    run(
        Lang::Rust,
        "src/lib.rs",
        RS,
        RS_SNIPPETS,
        0x2545_f491_4f6c_dd1d,
        1500,
    );
}

/// Type `typed` one character at a time where `at` starts: after every keystroke the
/// incremental findings equal a full check's, and no keystroke falls back to a full check.
/// Returns the rule ids found at the end.
fn type_into(lang: Lang, path: &str, base: &str, at: &str, typed: &str) -> Vec<String> {
    let rules = builtin(match lang {
        Lang::Python => "python",
        Lang::Rust => "rust",
    });
    let mut text = base.to_string();
    let mut pos = text.find(at).expect("the typing point is in the text");
    let mut cache: Option<Incremental> = None;
    let mut ids = Vec::new();
    for (step, ch) in std::iter::once(None)
        .chain(typed.chars().map(Some))
        .enumerate()
    {
        if let Some(ch) = ch {
            text.insert(pos, ch);
            pos += ch.len_utf8();
        }
        let tree = parse(lang, &text);
        let input = FileInput {
            source: &text,
            tree: &tree,
            lang,
            path,
        };
        let full = rules.check(&input).findings;
        let (report, next, stats) = rules.check_incremental(&input, cache.as_ref());
        assert_eq!(
            report.findings.iter().map(key).collect::<Vec<_>>(),
            full.iter().map(key).collect::<Vec<_>>(),
            "step {step}: incremental != full\n--- text ---\n{text}"
        );
        assert!(
            step == 0 || stats.rechecked < stats.chunks,
            "step {step}: a full check\n--- text ---\n{text}"
        );
        ids = full.iter().map(|f| f.rule_id.clone()).collect();
        cache = Some(next);
    }
    ids
}

const TYPED_PY: &str = "\
import os


def a(x):
    return eval(x)


def b(eval):
    return eval(1)


def c():
    eval = print
    return eval(2)


def d():
    return os.getcwd()
";

#[test]
fn typing_a_definition_that_shadows_a_name_used_elsewhere() {
    let before = type_into(Lang::Python, "pkg/app.py", TYPED_PY, "\n\ndef d", "");
    assert!(before.contains(&"py.eval-used".to_string()), "{before:?}");
    // Once `def eval` exists, `a`'s call is to it: the chunk that looked `eval` up in the
    // module is re-checked; `b` and `c` bind `eval` themselves.
    let after = type_into(
        Lang::Python,
        "pkg/app.py",
        TYPED_PY,
        "\n\ndef d",
        "\n\ndef eval(t):\n    return t\n",
    );
    assert!(!after.contains(&"py.eval-used".to_string()), "{after:?}");
}

const TYPED_RS: &str = "\
fn a() {
    Command::new(\"sh\").arg(\"-c\").arg(\"ls\").status().unwrap();
}

fn b() {
    let x = 1;
}

fn c() {
    let y = 2;
}
";

#[test]
fn typing_a_use_that_binds_a_name_used_elsewhere() {
    let ids = type_into(
        Lang::Rust,
        "src/lib.rs",
        TYPED_RS,
        "\n\nfn b",
        "\n\nuse std::process::Command;",
    );
    assert!(ids.contains(&"rs.command-shell".to_string()), "{ids:?}");
}
