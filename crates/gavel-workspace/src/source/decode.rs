//! Decoding a source file the way its language does. Python: a UTF-8 BOM, else the encoding a
//! PEP 263 coding line names on line 1 or 2 (line 2 only after a comment or blank line 1), else
//! UTF-8; a NUL byte is rejected (CPython refuses such source). Rust: UTF-8 only, and a NUL
//! byte is fine (rustc accepts one in a comment or a string).

use std::sync::LazyLock;

use gavel_syntax::Lang;
use regex::bytes::Regex;

/// An encoding other than UTF-8 that a coding line named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding(Inner);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inner {
    /// ISO-8859-1 as Python has it: every byte is the code point of its value.
    Latin1,
    Whatwg(&'static encoding_rs::Encoding),
}

impl Encoding {
    pub fn name(&self) -> &'static str {
        match self.0 {
            Inner::Latin1 => "latin-1",
            Inner::Whatwg(e) => e.name(),
        }
    }

    /// `text` in this encoding, or `None` when it holds a character the encoding lacks.
    pub fn encode(&self, text: &str) -> Option<Vec<u8>> {
        match self.0 {
            Inner::Latin1 => text.chars().map(|c| u8::try_from(c).ok()).collect(),
            Inner::Whatwg(e) => {
                let (bytes, _, unmappable) = e.encode(text);
                (!unmappable).then(|| bytes.into_owned())
            }
        }
    }

    fn decode(&self, bytes: &[u8]) -> Option<String> {
        match self.0 {
            Inner::Latin1 => Some(bytes.iter().map(|&b| char::from(b)).collect()),
            Inner::Whatwg(e) => e
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(|t| t.into_owned()),
        }
    }
}

/// What the language makes of a file's bytes.
#[derive(Debug, PartialEq)]
pub enum Decoded {
    Utf8(String),
    Other(String, Encoding),
    /// The language would not run it either; why.
    Rejected(String),
    /// The language may run it but gavel cannot decode it; why.
    Unknown(String),
}

pub fn decode(lang: Lang, bytes: Vec<u8>) -> Decoded {
    match lang {
        Lang::Python => python(bytes),
        Lang::Rust => utf8(bytes, "rustc"),
    }
}

fn utf8(bytes: Vec<u8>, tool: &str) -> Decoded {
    match String::from_utf8(bytes) {
        Ok(text) => Decoded::Utf8(text),
        Err(e) => Decoded::Rejected(format!(
            "not UTF-8 (invalid byte at offset {}), which {tool} rejects too",
            e.utf8_error().valid_up_to()
        )),
    }
}

fn python(bytes: Vec<u8>) -> Decoded {
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Decoded::Rejected(format!(
            "binary file (a NUL byte at offset {at}, which Python rejects too)"
        ));
    }
    let bom = bytes.starts_with(b"\xef\xbb\xbf");
    let Some(name) = coding_line(&bytes) else {
        return utf8(bytes, "Python");
    };
    match python_codec(&name) {
        Codec::Utf8 => utf8(bytes, "Python"),
        Codec::Ascii if bytes.is_ascii() => utf8(bytes, "Python"),
        Codec::Ascii => Decoded::Rejected(
            "not ASCII, which its coding line names, so Python rejects it too".into(),
        ),
        _ if bom => Decoded::Rejected(format!(
            "it starts with a UTF-8 byte order mark but its coding line names `{name}`, \
             which Python rejects too"
        )),
        Codec::Other(enc) => match enc.decode(&bytes) {
            Some(text) => Decoded::Other(text, enc),
            None => Decoded::Rejected(format!(
                "not valid {} (its coding line names `{name}`), which Python rejects too",
                enc.name()
            )),
        },
        Codec::Unknown => Decoded::Unknown(format!(
            "its coding line names `{name}`, an encoding gavel cannot decode; re-encode it as \
             UTF-8"
        )),
    }
}

/// The encoding name of a PEP 263 coding line, on line 1, or on line 2 when line 1 is a
/// comment or blank.
fn coding_line(bytes: &[u8]) -> Option<String> {
    static CODING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[ \t\x0c]*#.*?coding[:=][ \t]*([-_.a-zA-Z0-9]+)").expect("valid")
    });
    static BLANK_OR_COMMENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[ \t\x0c]*(#.*)?\r?$").expect("valid"));
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut lines = bytes.split(|&b| b == b'\n');
    let first = lines.next()?;
    let found = |line: &[u8]| {
        CODING
            .captures(line)
            .map(|c| String::from_utf8_lossy(&c[1]).into_owned())
    };
    found(first).or_else(|| {
        BLANK_OR_COMMENT
            .is_match(first)
            .then(|| lines.next().and_then(found))
            .flatten()
    })
}

enum Codec {
    Utf8,
    Ascii,
    Other(Encoding),
    Unknown,
}

/// Python's codec for a coding line's name (its aliases, `-`/`_`/case folded), where gavel has
/// one: Latin-1 exactly, the others through encoding_rs's WHATWG encodings.
fn python_codec(name: &str) -> Codec {
    let norm = name.to_ascii_lowercase().replace(['-', ' '], "_");
    let latin1 = Codec::Other(Encoding(Inner::Latin1));
    match norm.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "cp65001" | "utf8_ucs2" | "utf8_ucs4" => Codec::Utf8,
        _ if norm.starts_with("utf_8_") => Codec::Utf8,
        "ascii" | "us_ascii" | "646" | "us" => Codec::Ascii,
        "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859" | "cp819"
        | "iso_ir_100" | "csisolatin1" | "iso_latin_1" => latin1,
        _ if ["latin_1_", "iso_8859_1_", "iso_latin_1_"]
            .iter()
            .any(|p| norm.starts_with(p)) =>
        {
            latin1
        }
        _ if norm.starts_with("utf") => Codec::Unknown,
        _ => whatwg(&norm),
    }
}

fn whatwg(norm: &str) -> Codec {
    let alias = match norm {
        "mac_roman" | "macroman" => "macintosh",
        "cp932" | "ms932" | "mskanji" | "ms_kanji" => "shift_jis",
        "cp949" | "uhc" => "windows-949",
        "cp936" | "ms936" => "gbk",
        "cp950" | "ms950" => "big5",
        other => other,
    };
    let found = encoding_rs::Encoding::for_label(alias.as_bytes())
        .or_else(|| encoding_rs::Encoding::for_label(alias.replace('_', "-").as_bytes()));
    match found {
        Some(e)
            if e != encoding_rs::UTF_16LE
                && e != encoding_rs::UTF_16BE
                && e != encoding_rs::REPLACEMENT
                && e != encoding_rs::X_USER_DEFINED =>
        {
            if e == encoding_rs::UTF_8 {
                Codec::Utf8
            } else {
                Codec::Other(Encoding(Inner::Whatwg(e)))
            }
        }
        _ => Codec::Unknown,
    }
}

#[cfg(test)]
mod tests;
