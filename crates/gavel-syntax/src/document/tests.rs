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
    assert!(matches_fresh_parse(doc, true));
}

/// Is the incremental tree the fresh parse's? Where the text has syntax errors, tree-sitter's
/// error recovery may group the broken tokens differently when it reuses old subtrees (seen
/// once in 10,000 random sequences: `use std::f/* ...` as a `scoped_identifier` in the `ERROR`
/// node, against two identifiers fresh); then, unless `exact`, both trees must hold errors over
/// the same text, and `false` says they differ. Where the text is sound they must be equal.
fn matches_fresh_parse(doc: &Document, exact: bool) -> bool {
    let fresh = parse(doc.lang(), &doc.text());
    let tree = doc.tree().expect("the tree is up to date");
    let (ours, theirs) = (dump(tree), dump(&fresh));
    if ours == theirs {
        return true;
    }
    let broken = fresh.root_node().has_error();
    assert!(
        broken && !exact && tree.root_node().has_error(),
        "incremental tree != fresh parse of {:?}:\n{ours}\n!=\n{theirs}",
        doc.text()
    );
    assert_eq!(
        tree.root_node().byte_range(),
        fresh.root_node().byte_range()
    );
    false
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

mod random;
