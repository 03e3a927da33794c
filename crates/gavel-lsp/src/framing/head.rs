//! The header block of an incoming frame: `Name: value` lines up to an empty line, each ending
//! in `\r\n` (a bare `\n` is accepted too). Only `Content-Length` matters; names are compared
//! case-insensitively, as HTTP does.

/// Longest header block accepted; longer means the bytes are not a header.
pub const MAX_HEAD: usize = 8 * 1024;

/// What the start of a buffer holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Head {
    /// A complete block of `len` bytes (its empty line included) declaring `content_length`.
    Complete { len: usize, content_length: u64 },
    /// Could still become a header block: read more.
    Partial,
    /// Not a header block (or a block without a usable `Content-Length`): why.
    Invalid(String),
}

/// Parse the header block at the start of `buf`.
pub fn parse(buf: &[u8]) -> Head {
    let mut at = 0;
    let mut length: Option<Result<u64, String>> = None;
    while let Some(nl) = buf[at..].iter().position(|&b| b == b'\n') {
        let line = &buf[at..at + nl];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        at += nl + 1;
        if line.is_empty() {
            return match length {
                Some(Ok(content_length)) => Head::Complete {
                    len: at,
                    content_length,
                },
                Some(Err(why)) => Head::Invalid(why),
                None => Head::Invalid("no Content-Length header".into()),
            };
        }
        let Some((name, value)) = split_line(line) else {
            return Head::Invalid(format!("not a header: {}", shown(line)));
        };
        if name.eq_ignore_ascii_case(b"content-length") {
            length = Some(parse_length(value));
        }
    }
    let rest = &buf[at..];
    if buf.len() > MAX_HEAD {
        Head::Invalid(format!("no end of headers in {MAX_HEAD} bytes"))
    } else if !could_start_line(rest) {
        Head::Invalid(format!("not a header: {}", shown(rest)))
    } else {
        Head::Partial
    }
}

/// `name: value`, the name a token of letters, digits, `-` and `_`.
fn split_line(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = &line[..colon];
    (!name.is_empty() && name.iter().all(|&b| is_token(b))).then(|| (name, &line[colon + 1..]))
}

/// Whether an unfinished line could still become a header line.
fn could_start_line(rest: &[u8]) -> bool {
    match rest.iter().position(|&b| b == b':') {
        Some(colon) => colon > 0 && rest[..colon].iter().all(|&b| is_token(b)),
        None => rest.iter().all(|&b| is_token(b) || b == b'\r'),
    }
}

fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn parse_length(value: &[u8]) -> Result<u64, String> {
    std::str::from_utf8(value)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("Content-Length is not a number: {}", shown(value)))
}

/// A short, printable excerpt of some bytes for a log line or an error message.
pub fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]);
    format!("{text:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_blocks() {
        let cases: &[(&[u8], Head)] = &[
            (
                b"Content-Length: 12\r\n\r\n{}",
                Head::Complete {
                    len: 22,
                    content_length: 12,
                },
            ),
            (
                b"content-length:3\nContent-Type: x\n\n",
                Head::Complete {
                    len: 34,
                    content_length: 3,
                },
            ),
            (b"Content-Len", Head::Partial),
            (b"Content-Length: 1\r\n", Head::Partial),
            (
                b"Content-Length: x\r\n\r\n",
                Head::Invalid("Content-Length is not a number: \" x\"".into()),
            ),
            (
                b"Content-Type: a\r\n\r\n",
                Head::Invalid("no Content-Length header".into()),
            ),
            (b"\"}", Head::Invalid("not a header: \"\\\"}\"".into())),
            (
                b"ab}Content-Length: 2\r\n\r\n",
                Head::Invalid("not a header: \"ab}Content-Length: 2\"".into()),
            ),
        ];
        for (buf, want) in cases {
            assert_eq!(&parse(buf), want, "{}", shown(buf));
        }
    }
}
