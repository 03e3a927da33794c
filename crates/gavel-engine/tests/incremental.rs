//! `check_incremental` against `check`: after random edits to real-looking files, the
//! incremental findings (reusing the previous check's chunks) equal a full check's, and checks reuse
//! chunks. Failures print both texts, so they replay.

use gavel_engine::{ActiveRule, FileInput, Finding, Incremental, Options, RuleSet};
use gavel_policy::{SourceFile, builtin::PACKS, parse_pack};
use std::time::{Duration, Instant};

use gavel_syntax::{Change, Document, Lang, LineIndex, WideEncoding, parse, parse_rope_range};

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
    let mut doc = Document::new(lang, base, 0);
    let mut cache: Option<Incremental> = None;
    let (mut chunks, mut rechecked) = (0, 0);
    let mut partial = Partial::default();
    for step in 0..steps {
        let version = step as i32 + 1;
        if step % 200 == 199 {
            doc = Document::new(lang, base, version);
        }
        let previous = doc.text();
        let mut text = previous.clone();
        let mut changes = Vec::new();
        for _ in 0..rng.below(3) + 1 {
            let a = rng.below(text.len() + 1);
            let mut b = (a + rng.below(12)).min(text.len());
            if rng.below(2) == 0 {
                b = a;
            }
            let index = LineIndex::new(&text);
            let (start, end) = (
                index.line_col(&text, a, WideEncoding::Utf8),
                index.line_col(&text, b, WideEncoding::Utf8),
            );
            let (a, b) = (
                index.offset(&text, start, WideEncoding::Utf8),
                index.offset(&text, end, WideEncoding::Utf8),
            );
            let insert = snippets[rng.below(snippets.len())];
            text.replace_range(a..b, insert);
            changes.push(Change::Ranged {
                start,
                end,
                text: insert,
            });
        }
        // A deadline already passed leaves the tree stale (unless the reparse is tiny), as a
        // slow reparse in an editor does.
        let past = Instant::now() - Duration::from_secs(1);
        doc.apply(version, &changes, WideEncoding::Utf8, true, Some(past))
            .unwrap();
        assert_eq!(
            doc.text(),
            text,
            "step {step}: the document and the test disagree"
        );
        let tree = parse(lang, &text);
        let input = FileInput {
            source: &text,
            tree: &tree,
            lang,
            path,
        };
        let full: Vec<_> = rules.check(&input).findings.iter().map(key).collect();
        // A provisional check at every eighth step keeps the test quick.
        if let Some(prev) = cache.as_ref().filter(|_| step % 8 == 0) {
            partial.compare(&rules, &doc, prev, &input, &full, &previous);
        }
        doc.apply(version, &[], WideEncoding::Utf8, true, None)
            .unwrap();
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
    // Most stale steps get a provisional check (random edits leave syntax errors, so few are
    // compared: typing is, below).
    assert!(partial.checked * 2 > partial.stale, "{partial:?}");
}

/// Provisional checks made while the tree was stale, and how many were compared.
#[derive(Debug, Default)]
struct Partial {
    stale: usize,
    checked: usize,
    compared: usize,
}

impl Partial {
    /// Check the chunks the edits touched, parsed alone, against the previous check's cache.
    /// When neither the whole new tree nor the region's has a syntax error, the provisional
    /// findings are the full check's.
    fn compare(
        &mut self,
        rules: &RuleSet,
        doc: &Document,
        prev: &Incremental,
        whole: &FileInput<'_>,
        full: &[(usize, usize, String, String)],
        previous: &str,
    ) {
        let Some(edited) = doc.edited_tree() else {
            return;
        };
        self.stale += 1;
        let text = whole.source;
        let input = FileInput {
            tree: edited,
            ..*whole
        };
        let Some(plan) = rules.plan_partial(&input, prev) else {
            return;
        };
        let part = parse_rope_range(doc.lang(), doc.rope(), plan.region());
        let Some((report, _, _)) = rules.check_partial(&input, &part, &plan, prev) else {
            return;
        };
        self.checked += 1;
        if whole.tree.root_node().has_error() || part.root_node().has_error() {
            return;
        }
        self.compared += 1;
        let provisional: Vec<_> = report.findings.iter().map(key).collect();
        assert_eq!(
            provisional, full,
            "provisional != full\n--- previous text ---\n{previous}\n--- text ---\n{text}"
        );
    }
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

/// Edit steps per language, each compared with a full check; `GAVEL_DIFF_SEQUENCES` runs more
/// (`scripts/differential.sh`).
fn steps() -> usize {
    std::env::var("GAVEL_DIFF_SEQUENCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500)
}

#[test]
fn python_incremental_equals_full() {
    run(
        Lang::Python,
        "pkg/app.py",
        PY,
        PY_SNIPPETS,
        0x9e37_79b9_7f4a_7c15,
        steps(),
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
        steps(),
    );
}

/// Type `typed` one character at a time where the last `at` starts: after every keystroke the
/// incremental findings equal a full check's, and no keystroke falls back to a full check.
/// Each keystroke's reparse is made to time out first, for a provisional check (see
/// [`Partial::compare`]). Returns the rule ids found at the end.
fn type_into(lang: Lang, path: &str, base: &str, at: &str, typed: &str) -> (Vec<String>, Partial) {
    let rules = builtin(match lang {
        Lang::Python => "python",
        Lang::Rust => "rust",
    });
    let mut doc = Document::new(lang, base, 0);
    let mut pos = base.rfind(at).expect("the typing point is in the text");
    let mut cache: Option<Incremental> = None;
    let mut ids = Vec::new();
    let mut partial = Partial::default();
    for (step, ch) in std::iter::once(None)
        .chain(typed.chars().map(Some))
        .enumerate()
    {
        let previous = doc.text();
        if let Some(ch) = ch {
            let at = doc.line_col(pos, WideEncoding::Utf8);
            let typed = ch.to_string();
            let change = Change::Ranged {
                start: at,
                end: at,
                text: &typed,
            };
            let past = Instant::now() - Duration::from_secs(1);
            doc.apply(step as i32, &[change], WideEncoding::Utf8, true, Some(past))
                .unwrap();
            pos += ch.len_utf8();
        }
        let text = doc.text();
        let tree = parse(lang, &text);
        let input = FileInput {
            source: &text,
            tree: &tree,
            lang,
            path,
        };
        let full = rules.check(&input).findings;
        if let Some(prev) = &cache {
            let keys: Vec<_> = full.iter().map(key).collect();
            partial.compare(&rules, &doc, prev, &input, &keys, &previous);
        }
        doc.apply(step as i32, &[], WideEncoding::Utf8, true, None)
            .unwrap();
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
    (ids, partial)
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
    let (before, _) = type_into(Lang::Python, "pkg/app.py", TYPED_PY, "\n\ndef d", "");
    assert!(before.contains(&"py.eval-used".to_string()), "{before:?}");
    // Once `def eval` exists, `a`'s call is to it: the chunk that looked `eval` up in the
    // module is re-checked; `b` and `c` bind `eval` themselves.
    let (after, _) = type_into(
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
    let (ids, _) = type_into(
        Lang::Rust,
        "src/lib.rs",
        TYPED_RS,
        "\n\nfn b",
        "\n\nuse std::process::Command;",
    );
    assert!(ids.contains(&"rs.command-shell".to_string()), "{ids:?}");
}

/// A region check finds the module-level bindings it uses by the words it writes: `run` is one
/// of them even where an emoji runs into it.
#[test]
fn typing_next_to_a_name_joined_to_an_emoji() {
    let base = "from subprocess import run\n\n\ndef a():\n    pass\n\n\ndef d():\n    x😀run(cmd, shell=True)\n";
    let (ids, _) = type_into(
        Lang::Python,
        "pkg/app.py",
        base,
        "    x😀run",
        "    y = 1\n",
    );
    assert!(ids.contains(&"py.subprocess-shell".to_string()), "{ids:?}");
}

/// `base` with `n` more items after it, so that a reparse is long enough to be cut short.
fn grown(base: &str, item: &str, n: usize) -> String {
    let mut text = base.to_string();
    for i in 0..n {
        text.push_str(&item.replace("{i}", &i.to_string()));
    }
    text
}

/// Typing a new item before an existing one, as the editor benchmark does: every keystroke
/// gets a provisional check of the chunks it touched, and those that parse without an error
/// (most keystrokes inside the new item's body) equal a full check.
#[test]
fn provisional_checks_while_typing_an_item_equal_full_checks() {
    let item = "\n\ndef f{i}(x):\n    return os.path.join(x, eval(x))\n";
    let typed = "\n\ndef typed(a, b):\n    total = a + b\n    return eval(str(total))";
    let base = grown(TYPED_PY, item, 100);
    let (ids, partial) = type_into(Lang::Python, "pkg/app.py", &base, "\n\ndef d", typed);
    assert_eq!(ids.iter().filter(|id| *id == "py.eval-used").count(), 102);
    assert_eq!(partial.stale, typed.len(), "{partial:?}");
    assert!(
        partial.checked == partial.stale && partial.compared > typed.len() / 2,
        "{partial:?}"
    );

    // Rust code is rarely free of errors while a line is typed; a method chain often is.
    let item = "\n\nfn f{i}(x: Option<u32>) -> u32 {\n    x.unwrap()\n}\n";
    let typed = ".map(|v| v * 2).unwrap()";
    let base = grown(TYPED_RS, item, 100) + "\nfn typed(a: Option<u32>) -> u32 {\n    a\n}\n";
    let (ids, partial) = type_into(Lang::Rust, "src/lib.rs", &base, "\n}\n", typed);
    let unwraps = ids.iter().filter(|id| *id == "rs.unwrap-used").count();
    assert_eq!(unwraps, 102, "{ids:?}");
    assert_eq!(partial.stale, typed.len(), "{partial:?}");
    assert!(
        partial.checked == partial.stale && partial.compared > typed.len() / 3,
        "{partial:?}"
    );
}
