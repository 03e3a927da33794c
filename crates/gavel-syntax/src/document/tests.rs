use std::{fmt::Write, time::Duration};

use expect_test::{Expect, expect};

use super::*;
use crate::{LineIndex, parse};
use WideEncoding::{Scalar, Utf8, Utf16};

fn at(line: u32, col: u32) -> LineCol {
    LineCol { line, col }
}

fn ranged(start: (u32, u32), end: (u32, u32), text: &str) -> Change<'_> {
    Change::Ranged {
        start: at(start.0, start.1),
        end: at(end.0, end.1),
        text,
    }
}

/// Apply `changes` as the next version, check the tree against a fresh parse, and print the
/// text and what `apply` reported.
fn check(doc: &mut Document, changes: &[Change<'_>], enc: WideEncoding, expect: Expect) {
    let applied = doc
        .apply(doc.version() + 1, changes, enc, true, None)
        .unwrap();
    assert_matches_fresh_parse(doc);
    expect.assert_eq(&render(doc, &applied));
}

fn render(doc: &Document, applied: &Applied) -> String {
    let mut out = format!("{:?}\n", doc.text());
    let Applied {
        edited,
        changed,
        changes,
        reparse,
    } = applied;
    writeln!(out, "{reparse:?} edited={edited:?} changed={changed:?}").unwrap();
    for span in changes {
        let ChangeSpan {
            bytes,
            lines,
            inserted_lines,
        } = span;
        writeln!(
            out,
            "  bytes={bytes:?} lines={lines:?} inserted_lines={inserted_lines}"
        )
        .unwrap();
    }
    out
}

/// The tree's s-expression, then every node with its bytes and points.
fn dump(tree: &Tree) -> String {
    let mut out = tree.root_node().to_sexp();
    out.push('\n');
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        let (s, e) = (node.start_position(), node.end_position());
        let (kind, bytes) = (node.kind(), node.byte_range());
        writeln!(
            out,
            "{kind} {bytes:?} {}:{}-{}:{}",
            s.row, s.column, e.row, e.column
        )
        .unwrap();
        if cursor.goto_first_child() || cursor.goto_next_sibling() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

fn assert_matches_fresh_parse(doc: &Document) {
    let fresh = parse(doc.lang(), &doc.text());
    let tree = doc.tree().expect("the tree is up to date");
    assert_eq!(
        dump(tree),
        dump(&fresh),
        "incremental tree != fresh parse of {:?}",
        doc.text()
    );
}

#[test]
fn crlf_lines() {
    let mut doc = Document::new(Lang::Python, "a = 1\r\nb = 2\r\n", 1);
    check(
        &mut doc,
        &[
            ranged((1, 4), (1, 5), "42"),
            ranged((0, 99), (0, 99), "  # one"),
        ],
        Utf16,
        expect![[r#"
            "a = 1  # one\r\nb = 42\r\n"
            Incremental edited=[5..12, 18..20] changed=[5..13]
              bytes=18..20 lines=1..2 inserted_lines=0
              bytes=5..12 lines=0..1 inserted_lines=0
        "#]],
    );
    // Replace a CRLF by a LF, then insert a line ending in CRLF.
    check(
        &mut doc,
        &[
            ranged((0, 12), (1, 0), "\n"),
            ranged((1, 0), (1, 0), "c = 3\r\n"),
        ],
        Utf8,
        expect![[r#"
            "a = 1  # one\nc = 3\r\nb = 42\r\n"
            Incremental edited=[12..20] changed=[12..20]
              bytes=12..20 lines=0..3 inserted_lines=1
              bytes=13..20 lines=1..3 inserted_lines=1
        "#]],
    );
}

#[test]
fn lone_cr_lines() {
    // Lone `\r`s end LSP lines but not tree-sitter rows.
    let mut doc = Document::new(Lang::Rust, "fn a() {}\rfn b() {}\r", 1);
    check(
        &mut doc,
        &[
            ranged((1, 3), (1, 4), "bee"),
            ranged((2, 0), (2, 0), "fn c() {}\r\n"),
        ],
        Utf16,
        expect![[r#"
            "fn a() {}\rfn bee() {}\rfn c() {}\r\n"
            Incremental edited=[13..16, 22..33] changed=[22..31]
              bytes=13..16 lines=1..2 inserted_lines=0
              bytes=22..33 lines=2..4 inserted_lines=1
        "#]],
    );
    assert_eq!(doc.point(22), Point { row: 0, column: 22 });
    assert_eq!(doc.point(33), Point { row: 1, column: 0 });
    // Joining a lone `\r` with an inserted `\n` makes a CRLF: one line fewer for LSP.
    check(
        &mut doc,
        &[ranged((1, 0), (1, 0), "\n")],
        Utf8,
        expect![[r#"
            "fn a() {}\r\nfn bee() {}\rfn c() {}\r\n"
            Incremental edited=[10..11] changed=[]
              bytes=10..11 lines=0..2 inserted_lines=1
        "#]],
    );
    assert_eq!(doc.lone_crs, 1);
    assert_eq!(doc.line_col(11, Utf8), at(1, 0));
}

#[test]
fn tabs_are_one_column() {
    let mut doc = Document::new(Lang::Python, "if x:\n\t\ty = 1\n", 1);
    for enc in [Utf8, Utf16, Scalar] {
        assert_eq!(doc.offset(at(1, 2), enc), 8, "{enc:?}");
        assert_eq!(doc.line_col(8, enc), at(1, 2), "{enc:?}");
    }
    check(
        &mut doc,
        &[ranged((1, 2), (1, 3), "z")],
        Scalar,
        expect![[r#"
            "if x:\n\t\tz = 1\n"
            Incremental edited=[8..9] changed=[]
              bytes=8..9 lines=1..2 inserted_lines=0
        "#]],
    );
}

#[test]
fn emoji_in_utf16_and_utf8() {
    let text = "s = \"😀é\"\nt = 1\n";
    let mut doc = Document::new(Lang::Python, text, 1);
    // UTF-16: 😀 is columns 5..7, é is 7; a column inside the surrogate pair is the emoji.
    check(
        &mut doc,
        &[ranged((0, 6), (0, 7), "")],
        Utf16,
        expect![[r#"
            "s = \"é\"\nt = 1\n"
            Incremental edited=[5..5] changed=[]
              bytes=5..5 lines=0..1 inserted_lines=0
        "#]],
    );
    check(
        &mut doc,
        &[ranged((0, 5), (0, 5), "🦀"), ranged((0, 7), (0, 8), "e")],
        Utf16,
        expect![[r#"
            "s = \"🦀e\"\nt = 1\n"
            Incremental edited=[5..10] changed=[5..9]
              bytes=5..10 lines=0..1 inserted_lines=0
              bytes=9..10 lines=0..1 inserted_lines=0
        "#]],
    );
    // UTF-8: 🦀 is bytes 5..9; a byte inside it is rounded down to its start.
    check(
        &mut doc,
        &[ranged((0, 7), (0, 9), "x")],
        Utf8,
        expect![[r#"
            "s = \"xe\"\nt = 1\n"
            Incremental edited=[5..6] changed=[]
              bytes=5..6 lines=0..1 inserted_lines=0
        "#]],
    );
}

#[test]
fn positions_past_the_end_are_clamped() {
    let mut doc = Document::new(Lang::Rust, "fn a() {}\nfn b() {}", 1);
    check(
        &mut doc,
        &[
            ranged((0, 50), (0, 80), " // a"),
            ranged((7, 3), (9, 0), "\nfn c() {}\n"),
        ],
        Utf16,
        expect![[r#"
            "fn a() {} // a\nfn b() {}\nfn c() {}\n"
            Incremental edited=[9..14, 24..35] changed=[9..14, 24..35]
              bytes=9..14 lines=0..1 inserted_lines=0
              bytes=24..35 lines=1..4 inserted_lines=2
        "#]],
    );
    // A range from past the end back to the start is the whole text.
    check(
        &mut doc,
        &[ranged((9, 0), (0, 0), "fn d() {}")],
        Utf8,
        expect![[r#"
            "fn d() {}"
            Incremental edited=[0..9] changed=[2..9]
              bytes=0..9 lines=0..1 inserted_lines=0
        "#]],
    );
}

#[test]
fn full_and_ranged_changes_mixed() {
    let mut doc = Document::new(Lang::Python, "x = 1\n", 1);
    check(
        &mut doc,
        &[
            ranged((0, 4), (0, 5), "2"),
            Change::Full("def f():\n    pass\n"),
            ranged((1, 4), (1, 8), "return 1"),
            ranged((2, 0), (2, 0), "y = f()\n"),
        ],
        Utf16,
        expect![[r#"
            "def f():\n    return 1\ny = f()\n"
            FromScratch edited=[0..30] changed=[0..30]
              bytes=0..30 lines=0..4 inserted_lines=0
              bytes=0..30 lines=0..4 inserted_lines=2
              bytes=13..21 lines=1..2 inserted_lines=0
              bytes=22..30 lines=2..4 inserted_lines=1
        "#]],
    );
    // The next batch is incremental again.
    check(
        &mut doc,
        &[ranged((2, 0), (2, 1), "z")],
        Utf16,
        expect![[r#"
            "def f():\n    return 1\nz = f()\n"
            Incremental edited=[22..23] changed=[]
              bytes=22..23 lines=2..3 inserted_lines=0
        "#]],
    );
}

#[test]
fn old_versions_are_rejected() {
    let mut doc = Document::new(Lang::Python, "x = 1\n", 5);
    let change = [ranged((0, 0), (0, 1), "y")];
    let err = doc.apply(4, &change, Utf16, true, None).unwrap_err();
    assert_eq!(err, ApplyError::OldVersion { current: 5, got: 4 });
    expect!["version 4 is older than the document's version 5"].assert_eq(&err.to_string());
    assert_eq!((doc.text().as_str(), doc.version()), ("x = 1\n", 5));
    // The same version is accepted.
    doc.apply(5, &change, Utf16, true, None).unwrap();
    assert_eq!(doc.text(), "y = 1\n");
    let nothing = doc.apply(6, &[], Utf16, true, None).unwrap();
    assert_eq!((nothing.reparse, doc.version()), (Reparse::NotNeeded, 6));
}

#[test]
fn same_length_edits_in_strings_are_only_in_edited() {
    let mut doc = Document::new(Lang::Python, "s = \"abc\"  # xyz\n", 1);
    let applied = doc
        .apply(
            2,
            &[ranged((0, 6), (0, 7), "B"), ranged((0, 14), (0, 15), "Y")],
            Utf8,
            true,
            None,
        )
        .unwrap();
    assert!(applied.changed.is_empty());
    assert_eq!(applied.dirty(), vec![6..7, 14..15]);
}

#[test]
fn a_timed_out_parse_keeps_the_text_and_marks_the_tree_stale() {
    let mut doc = Document::new(Lang::Python, "x = [1]\n", 1);
    let past = Instant::now() - Duration::from_secs(1);
    let long = "[1]\n".repeat(2_000);
    let changes = [ranged((0, 4), (0, 4), &long)];
    let applied = doc.apply(2, &changes, Utf16, true, Some(past)).unwrap();
    assert_eq!(applied.reparse, Reparse::TimedOut);
    assert!(applied.changed.is_empty());
    assert!(doc.is_stale() && doc.tree().is_none());
    assert_eq!(doc.text().len(), 8 + long.len());
    // A later batch parses the pending edits with its own and reports both.
    let applied = doc
        .apply(3, &[ranged((0, 0), (0, 1), "y")], Utf16, true, None)
        .unwrap();
    assert_eq!(applied.reparse, Reparse::Incremental);
    assert_eq!(applied.edited, vec![0..1, 4..4 + long.len()]);
    assert_matches_fresh_parse(&doc);
    // After a timed-out full change there is no tree to reuse; an empty batch retries.
    doc.apply(4, &[Change::Full(&long)], Utf16, true, Some(past))
        .unwrap();
    let applied = doc.apply(4, &[], Utf16, true, None).unwrap();
    assert_eq!(applied.reparse, Reparse::FromScratch);
    assert_matches_fresh_parse(&doc);
}

#[test]
fn a_timed_out_parse_is_finished_elsewhere_unless_the_text_moved_on() {
    let text = "def f(x):\n    return x\n".repeat(2_000);
    let mut doc = Document::new(Lang::Python, &text, 1);
    let past = Instant::now() - Duration::from_secs(1);
    doc.apply(
        2,
        &[ranged((1, 11), (1, 11), " + 1")],
        Utf8,
        true,
        Some(past),
    )
    .unwrap();
    // The edited old tree: nodes after the edit moved by the four bytes written.
    let edited = doc
        .edited_tree()
        .expect("a ranged edit is described to the tree");
    let second = edited.root_node().child(1).unwrap();
    assert_eq!(second.start_byte(), 23 + 4);
    let pending = doc.pending().unwrap();
    let tree = pending.run(None).unwrap();
    assert!(doc.finish(&pending, tree));
    assert!(!doc.is_stale() && doc.edited_tree().is_none());
    assert_matches_fresh_parse(&doc);

    // A change that comes before the parse ends wins; its own parse is the one kept.
    doc.apply(3, &[ranged((0, 4), (0, 5), "g")], Utf8, true, Some(past))
        .unwrap();
    let pending = doc.pending().unwrap();
    doc.apply(4, &[ranged((0, 4), (0, 5), "h")], Utf8, true, Some(past))
        .unwrap();
    let tree = pending.run(None).unwrap();
    assert!(!doc.finish(&pending, tree));
    assert!(doc.is_stale());
    assert!(doc.text().starts_with("def h(x):"));
}

#[test]
fn non_incremental_parses_from_scratch() {
    let mut doc = Document::new(Lang::Rust, "fn a() {}\n", 1);
    let applied = doc
        .apply(2, &[ranged((0, 3), (0, 4), "b")], Utf8, false, None)
        .unwrap();
    assert_eq!(applied.reparse, Reparse::FromScratch);
    let whole = 0..doc.rope().len_bytes();
    assert_eq!(applied.changed, [whole]);
    assert_matches_fresh_parse(&doc);
}

/// `rope_offset` and `rope_line_col` agree with `LineIndex` everywhere, in range or not.
#[test]
fn rope_positions_agree_with_line_index() {
    for text in ["", "a\r\nb\rc\t😀d\né", "\r\r\n\n😀", "x\n"] {
        let (rope, index) = (Rope::from_str(text), LineIndex::new(text));
        for enc in [Utf8, Utf16, Scalar] {
            for offset in 0..=text.len() + 1 {
                let expected = index.line_col(text, offset, enc);
                assert_eq!(
                    rope_line_col(&rope, offset, enc),
                    expected,
                    "{text:?} {offset}"
                );
            }
            for line in 0..index.line_count() as u32 + 2 {
                for col in 0..12 {
                    let expected = index.offset(text, at(line, col), enc);
                    assert_eq!(rope_offset(&rope, at(line, col), enc), expected, "{text:?}");
                }
            }
        }
    }
}

#[test]
fn line_breaks_are_counted_like_lsp() {
    assert_eq!(count_line_breaks("a\r\nb\rc\n\r"), 4);
    assert_eq!(count_line_breaks("abc"), 0);
}

/// A tiny deterministic PRNG (xorshift64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const PYTHON_SEED: &str = "import os\r\n\r\ndef greet(name):\r\n    \"\"\"Say 😀 hi.\"\"\"\r\n    \
    if name:\r\n        return f\"hi {name}\"  # é\r\n    return None\r\n\r\nclass A:\r\n    \
    x = [1, 2,\r\n         3]\r\n";

const RUST_SEED: &str = "use std::fmt;\n\n/// Docs 😀.\nfn main() {\n    let s = \"é😀\";\n    \
    if s.is_empty() {\n        println!(\"{}\", s);\n    }\n}\n\nstruct P { x: i32 }\n";

const PIECES: &[&str] = &[
    "x",
    "1",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "😀",
    "é",
    "(",
    ")",
    ":",
    ",",
    "\"",
    "'",
    "#",
    "//",
    "{",
    "}",
    ";",
    "    ",
    "/* c */",
    "def f(a):\n    return a\n",
    "fn g() -> u8 { 1 }\r\n",
    "if x:\r\n    pass\n",
    "let s = \"😀\";\n",
    "# note 😀\n",
    "class B:\n    y = 2\n",
];

fn random_text(rng: &mut Rng, max_pieces: usize) -> String {
    (0..rng.below(max_pieces + 1))
        .map(|_| *rng.pick(PIECES))
        .collect()
}

/// A position, sometimes past the end of its line or of the text, or inside a character.
fn random_pos(rng: &mut Rng, text: &str, enc: WideEncoding) -> LineCol {
    let index = LineIndex::new(text);
    let line = rng.below(index.line_count() + 2);
    let width = match line < index.line_count() {
        true => {
            index
                .line_col(text, index.line_range(text, line).end, enc)
                .col as usize
        }
        false => 0,
    };
    at(line as u32, rng.below(width + 3) as u32)
}

/// Make a random change to `model` and return it.
fn random_change(
    rng: &mut Rng,
    model: &mut String,
    enc: WideEncoding,
) -> (Option<[LineCol; 2]>, String) {
    if rng.below(25) == 0 {
        let text = random_text(rng, 8);
        model.clone_from(&text);
        return (None, text);
    }
    let index = LineIndex::new(model);
    let (start, end) = (random_pos(rng, model, enc), random_pos(rng, model, enc));
    let end = if rng.below(3) == 0 { start } else { end };
    let (a, b) = (
        index.offset(model, start, enc),
        index.offset(model, end, enc),
    );
    let text = random_text(rng, 3);
    model.replace_range(a.min(b)..a.max(b), &text);
    (Some([start, end]), text)
}

/// The tree-sitter point of a byte offset, counted on a string.
fn naive_point(text: &str, byte: usize) -> Point {
    let before = &text.as_bytes()[..byte];
    let row_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    Point {
        row: before.iter().filter(|&&b| b == b'\n').count(),
        column: byte - row_start,
    }
}

fn check_report(before: &str, after: &str, applied: &Applied) {
    let edited = &applied.edited;
    assert!(
        edited.windows(2).all(|w| w[0].end < w[1].start),
        "{edited:?}"
    );
    if let (Some(first), Some(last)) = (edited.first(), edited.last()) {
        assert_eq!(
            after[..first.start],
            before[..first.start],
            "text before the first edit"
        );
        let suffix = &after[last.end..];
        assert!(before.ends_with(suffix) && before.len() - suffix.len() >= first.start);
    }
    for span in &applied.changes {
        assert!(span.bytes.start <= span.bytes.end && span.bytes.end <= after.len());
        assert!(
            edited
                .iter()
                .any(|e| e.start <= span.bytes.start && span.bytes.end <= e.end)
        );
    }
}

/// Nodes that an edit leaves alone keep correct points once the edits are described to the
/// tree: this checks the points given to `Tree::edit`, which a fresh-parse comparison can't see.
fn check_edited_tree_points(doc: &Document, changes: &[Change<'_>], enc: WideEncoding) {
    if changes.iter().any(|c| matches!(c, Change::Full(_))) || doc.is_stale() {
        return;
    }
    let mut probe = doc.clone();
    for change in changes {
        probe.apply_change(change, enc, true);
    }
    let text = probe.text();
    let mut cursor = probe.tree.walk();
    loop {
        let node = cursor.node();
        if !node.has_changes() {
            assert_eq!(
                node.start_position(),
                naive_point(&text, node.start_byte()),
                "{node:?}"
            );
            assert_eq!(
                node.end_position(),
                naive_point(&text, node.end_byte()),
                "{node:?}"
            );
        }
        if (node.has_changes() && cursor.goto_first_child()) || cursor.goto_next_sibling() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// A random batch of 1 to 3 changes, made to `model` too.
fn random_batch(
    rng: &mut Rng,
    model: &mut String,
    enc: WideEncoding,
) -> Vec<(Option<[LineCol; 2]>, String)> {
    (0..1 + rng.below(3))
        .map(|_| random_change(rng, model, enc))
        .collect()
}

fn as_changes(owned: &[(Option<[LineCol; 2]>, String)]) -> Vec<Change<'_>> {
    owned
        .iter()
        .map(|(range, text)| match range {
            Some([start, end]) => Change::Ranged {
                start: *start,
                end: *end,
                text,
            },
            None => Change::Full(text),
        })
        .collect()
}

/// Random batches of changes keep the rope equal to a `String` edited the same way (positions
/// resolved by `LineIndex`), and the incremental tree equal to a fresh parse.
#[test]
fn random_edits_match_a_string_model_and_a_fresh_parse() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for sequence in 0..300 {
        let (lang, seed) = match sequence % 2 {
            0 => (Lang::Python, PYTHON_SEED),
            _ => (Lang::Rust, RUST_SEED),
        };
        let mut doc = Document::new(lang, seed, 0);
        let mut model = seed.to_string();
        for version in 1..=4 {
            let enc = *rng.pick(&[Utf8, Utf16, Scalar]);
            let before = model.clone();
            let owned = random_batch(&mut rng, &mut model, enc);
            let changes = as_changes(&owned);
            let incremental = rng.below(8) != 0;
            check_edited_tree_points(&doc, &changes, enc);
            let applied = doc
                .apply(version, &changes, enc, incremental, None)
                .unwrap();
            let context = format!("sequence {sequence} version {version}: {changes:?}");
            assert_eq!(doc.text(), model, "{context}");
            assert_matches_fresh_parse(&doc);
            check_report(&before, &model, &applied);
            let scratch = !incremental || owned.iter().any(|(range, _)| range.is_none());
            assert_eq!(
                applied.reparse == Reparse::FromScratch,
                scratch,
                "{context}"
            );
            let lone = model
                .match_indices('\r')
                .filter(|(i, _)| !model[i + 1..].starts_with('\n'));
            assert_eq!(doc.lone_crs, lone.count(), "{context}");
            let mut byte = rng.below(model.len() + 1);
            while !model.is_char_boundary(byte) {
                byte -= 1;
            }
            assert_eq!(doc.point(byte), naive_point(&model, byte), "{context}");
        }
    }
}
