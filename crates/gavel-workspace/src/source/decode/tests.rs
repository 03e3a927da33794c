//! What each file's bytes decode to, per language, as CPython and rustc read them.

use super::*;

fn show(d: &Decoded) -> String {
    match d {
        Decoded::Utf8(t) => format!("utf-8 {t:?}"),
        Decoded::Other(t, e) => format!("{} {t:?}", e.name()),
        Decoded::Rejected(why) => format!("rejected: {why}"),
        Decoded::Unknown(why) => format!("unknown: {why}"),
    }
}

fn assert_cases(lang: Lang, cases: &[(&[u8], &str)]) {
    for (bytes, want) in cases {
        let got = show(&decode(lang, bytes.to_vec()));
        assert!(
            got.starts_with(want),
            "{:?}\n got: {got}\nwant: {want}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn python_follows_pep_263() {
    assert_cases(
        Lang::Python,
        &[
            (b"x = 1\n", r#"utf-8 "x = 1\n""#),
            (
                b"# -*- coding: latin-1 -*-\ns = '\xe9'\n",
                "latin-1 \"# -*- coding: latin-1 -*-\\ns = '\u{e9}'\\n\"",
            ),
            (
                b"#!/usr/bin/env python\n# coding=iso-8859-1\n'\xe9'\n",
                "latin-1",
            ),
            (b"# vim: set fileencoding=latin1 :\n'\xff'\n", "latin-1"),
            (
                b"# coding: cp1252\n'\x80'\n",
                "windows-1252 \"# coding: cp1252\\n'\u{20ac}'\\n\"",
            ),
            (
                b"# coding: iso8859_15\n'\xa4'\n",
                "ISO-8859-15 \"# coding: iso8859_15\\n'\u{20ac}'\\n\"",
            ),
            (
                b"# coding: shift_jis\n'\x82\xa0'\n",
                "Shift_JIS \"# coding: shift_jis\\n'\u{3042}'\\n\"",
            ),
            (b"# coding: utf-8\n'\xc3\xa9'\n", "utf-8"),
            (b"# coding: UTF8\n'\xc3\xa9'\n", "utf-8"),
            // Line 2 counts only after a comment or blank line 1.
            (
                b"x = 1\n# coding: latin-1\n'\xe9'\n",
                "rejected: not UTF-8 (invalid byte at offset 25), which Python rejects too",
            ),
            (b"\n# coding: latin-1\n'\xe9'\n", "latin-1"),
            // Line 3 never counts.
            (b"#\n#\n# coding: latin-1\n'\xe9'\n", "rejected: not UTF-8"),
            (
                b"s = '\xe9'\n",
                "rejected: not UTF-8 (invalid byte at offset 5), which Python rejects too",
            ),
            (b"\xef\xbb\xbfx = '\xc3\xa9'\n", "utf-8"),
            (
                b"\xef\xbb\xbf# coding: latin-1\nx = 1\n",
                "rejected: it starts with a UTF-8 byte order mark but its coding line names `latin-1`",
            ),
            (b"# coding: ascii\nx = '\xc3\xa9'\n", "rejected: not ASCII"),
            (b"# coding: ascii\nx = 1\n", "utf-8"),
            (
                b"x = 1 # \x00\n",
                "rejected: binary file (a NUL byte at offset 8, which Python rejects too)",
            ),
            (b"\x00\x01\x02", "rejected: binary file"),
            (
                b"# coding: cp850\nx = 1\n",
                "unknown: its coding line names `cp850`, an encoding gavel cannot decode",
            ),
            (
                b"# coding: utf-16\nx = 1\n",
                "unknown: its coding line names `utf-16`",
            ),
        ],
    );
}

#[test]
fn rust_is_utf8_and_may_hold_nul() {
    assert_cases(
        Lang::Rust,
        &[
            (b"// a \x00 in a comment\nfn main() {}\n", "utf-8"),
            (
                b"fn main() {} // \xe9\n",
                "rejected: not UTF-8 (invalid byte at offset 16), which rustc rejects too",
            ),
            (b"// coding: latin-1\n\xe9\n", "rejected: not UTF-8"),
        ],
    );
}

#[test]
fn encodings_round_trip_and_refuse_what_they_lack() {
    let cases: &[(&[u8], &str)] = &[
        (b"# coding: latin-1\n'\xe9\xff'\n", "'\u{20ac}'"),
        (b"# coding: cp1252\n'\x80'\n", "'\u{3042}'"),
    ];
    for (bytes, lacking) in cases {
        let Decoded::Other(text, enc) = decode(Lang::Python, bytes.to_vec()) else {
            panic!("{bytes:?} decodes");
        };
        assert_eq!(enc.encode(&text).as_deref(), Some(*bytes));
        assert_eq!(enc.encode(lacking), None, "{}", enc.name());
    }
}
