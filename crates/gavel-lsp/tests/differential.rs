//! The differential test: random edit sequences (inserts, deletes, replacements; multi-line,
//! CRLF, lone CR, emoji; several changes per didChange; positions past the end) sent to the
//! server. After each sequence the document's text equals the text the edits should give, its
//! incremental tree equals a fresh parse, and its diagnostics (from the incremental check)
//! equal a fresh `check` of that text.

mod common;

use std::path::Path;

use common::{Client, Setup, range};
use gavel_syntax::{Lang, LineCol, LineIndex, WideEncoding, parse};
use gavel_workspace::{LoadedConfig, load_config};
use serde_json::{Value, json};

/// Sequences per language; `GAVEL_DIFF_SEQUENCES` runs more (`scripts/differential.sh`).
fn sequences() -> usize {
    std::env::var("GAVEL_DIFF_SEQUENCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

/// A small deterministic generator (xorshift), so failures replay.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The file the random edits start from (shared with the other crate's differential test).
const PY_BASE: &str = include_str!("../../../tests/fixtures/incremental/app.py");

const PY_SNIPPETS: &[&str] = &[
    "",
    "x",
    "\n",
    "\r\n",
    "\r",
    "😀",
    "é",
    " ",
    "    ",
    "eval(y)",
    "import requests\n",
    "import pickle\n",
    "requests = None\n",
    "pickle.loads(b)\n",
    "def g(a, b):\n    return a\n",
    "\"",
    "'",
    "(",
    ")",
    ":",
    "# gavel: allow(acme.eval) ok\n",
    "# gavel: allow(acme.eval)\n",
    "sp.call(c, shell=True)\n",
    "yaml.load(s)\n",
    "import yaml\n",
    "\n\n",
    "class A:\n    pass\n",
    "from subprocess import run\n",
    "run(x, shell=True)",
    "assert x\n",
    "try:\n    pass\nexcept:\n    pass\n",
];

/// The file the random edits start from (shared with the other crate's differential test).
const RS_BASE: &str = include_str!("../../../tests/fixtures/incremental/lib.rs");

const RS_SNIPPETS: &[&str] = &[
    "",
    "x",
    "\n",
    "\r\n",
    "😀",
    "é",
    " ",
    ".unwrap()",
    "println!(\"{}\", x);\n",
    "fn g() {}\n",
    "}",
    "{",
    "use std::env;\n",
    "use std::mem;\n",
    "unsafe { mem::transmute::<u8, i8>(1) };\n",
    "// gavel: allow(acme.unwrap) fine\n",
    "#[cfg(test)]\n",
    "todo!()",
    "(",
    ")",
    ";",
    "env::set_var(\"A\", \"B\");\n",
    "let s = \"AKIAABCDEFGHIJKLMNOP\";\n",
    "mod m {\n}\n",
    "Command::new(\"bash\").arg(\"-c\")",
    "/* c */",
    "\"",
    "dbg!(1);\n",
];

fn project() -> tempfile::TempDir {
    let dir = common::project();
    std::fs::write(
        dir.path().join("gavel.toml"),
        r#"policies = ["acme.toml", "builtin:python-security", "builtin:python-quality", "builtin:rust-security", "builtin:rust-quality"]
"#,
    )
    .unwrap();
    dir
}

/// One random change against `text`: its JSON and the text after it.
fn random_change(rng: &mut Rng, text: &str, snippets: &[&str]) -> (Value, String) {
    let index = LineIndex::new(text);
    let lines = index.line_count() as u32;
    let pos = |rng: &mut Rng| {
        // Mostly real positions, sometimes past the end of the line or of the file.
        let line = rng.below(lines as usize + 2) as u32;
        let wide = rng.below(8) == 0;
        let col = rng.below(if wide { 200 } else { 40 }) as u32;
        (line, col)
    };
    let a = pos(rng);
    let b = if rng.below(3) == 0 {
        a
    } else {
        let (l, c) = pos(rng);
        (a.0 + l % 3, c)
    };
    let (start, end) = if a <= b { (a, b) } else { (b, a) };
    let mut insert = String::new();
    for _ in 0..rng.below(3) + usize::from(start == end) {
        insert.push_str(rng.pick(snippets));
    }
    let offset =
        |(line, col): (u32, u32)| index.offset(text, LineCol { line, col }, WideEncoding::Utf16);
    let (s, e) = (offset(start), offset(end).max(offset(start)));
    let new = format!("{}{}{}", &text[..s], insert, &text[e..]);
    let change = json!({ "range": range(start.0, start.1, end.0, end.1), "text": insert });
    (change, new)
}

/// The diagnostics a fresh check of `text` gives, in the server's rendering.
fn fresh(config: &LoadedConfig, path: &Path, lang: Lang, text: &str) -> Vec<String> {
    let report = config.check_text(path, lang, text);
    let index = LineIndex::new(text);
    let pos = |o: usize| {
        let lc = index.line_col(text, o, WideEncoding::Utf16);
        format!("{}:{}", lc.line, lc.col)
    };
    report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}-{} {} {}",
                pos(f.range.start),
                pos(f.range.end),
                f.rule_id,
                f.agent_message()
            )
        })
        .collect()
}

fn rendered(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            let r = &d["range"];
            let message = d["message"].as_str().unwrap();
            // The server appends the sanctioned library; the engine's message is the prefix.
            let message = message.split(" (use ").next().unwrap();
            format!(
                "{}:{}-{}:{} {} {}",
                r["start"]["line"],
                r["start"]["character"],
                r["end"]["line"],
                r["end"]["character"],
                d["code"].as_str().unwrap(),
                message
            )
        })
        .collect()
}

async fn run(file: &str, lang: Lang, base: &str, snippets: &[&str], seed: u64) {
    let dir = project();
    let path = dir.path().join(file);
    let config = load_config(Some(&dir.path().join("gavel.toml")), dir.path());
    assert!(config.errors.is_empty(), "{:?}", config.errors);
    let mut client = Client::start(
        dir.path(),
        Setup {
            pull: true,
            // Multi-line inserts are edit bursts, whose findings say "AI-written" on purpose:
            // compare the findings themselves (tests/provenance.rs covers bursts). Every
            // reparse is waited for: this compares the incremental tree and check with fresh
            // ones; provisional checks while a reparse runs are compared in gavel-engine's
            // tests/incremental.rs and here in tests/diagnostics.rs.
            options: json!({ "watchIntervalMs": 100, "provenance": false, "reparseBudgetMs": 2000 }),
            ..Setup::default()
        },
    )
    .await;
    let uri = client.open(&path, base).await;
    let mut rng = Rng(seed);
    let mut text = base.to_string();
    let mut version = 0;
    let mut rechecked = 0;
    let mut chunks = 0;
    let mut checked = String::new();
    let mut recovered_differently = 0;
    for sequence in 0..sequences() {
        if sequence % 100 == 99 {
            version += 1;
            text = base.to_string();
            client
                .change(&uri, version, json!([{ "text": base }]))
                .await;
        }
        for _ in 0..rng.below(3) + 1 {
            let mut changes = Vec::new();
            for _ in 0..rng.below(3) + 1 {
                let (change, new) = random_change(&mut rng, &text, snippets);
                changes.push(change);
                text = new;
            }
            version += 1;
            client.change(&uri, version, Value::Array(changes)).await;
        }
        let state = client
            .request("gavel/documentState", json!({ "uri": uri, "tree": true }))
            .await
            .unwrap();
        assert_eq!(state["version"], version);
        assert_eq!(
            state["text"].as_str().unwrap(),
            text,
            "text after sequence {sequence}"
        );
        let fresh_tree = parse(lang, &text);
        let diags = client.diagnostics(&uri, version).await;
        if state["tree"].as_str().unwrap() != fresh_tree.root_node().to_sexp() {
            // tree-sitter's error recovery may settle differently when it reuses an old tree;
            // on text without syntax errors the trees must be the same.
            assert!(
                fresh_tree.root_node().has_error(),
                "tree after sequence {sequence} of {text:?}"
            );
            recovered_differently += 1;
            checked = text.clone();
            continue;
        }
        assert_eq!(
            rendered(&diags),
            fresh(&config, &path, lang, &text),
            "diagnostics after sequence {sequence} (seed {seed}) of {text:?}, previously checked: {checked:?}"
        );
        checked = text.clone();
        let state = client.state(&uri).await;
        chunks += state["findings"]["chunks"].as_u64().unwrap_or(0);
        rechecked += state["findings"]["rechecked"].as_u64().unwrap_or(0);
    }
    assert!(
        recovered_differently * 50 < sequences(),
        "{recovered_differently} different trees"
    );
    // Random edits all over a small file re-check much of it, but not all of it.
    assert!(
        rechecked < chunks,
        "re-checked {rechecked} of {chunks} chunks"
    );
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_random_edits_match_a_fresh_parse_and_check() {
    run(
        "pkg/app.py",
        Lang::Python,
        PY_BASE,
        PY_SNIPPETS,
        0x9e37_79b9_7f4a_7c15,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_random_edits_match_a_fresh_parse_and_check() {
    run(
        "src/lib.rs",
        Lang::Rust,
        RS_BASE,
        RS_SNIPPETS,
        0x2545_f491_4f6c_dd1d,
    )
    .await;
}
