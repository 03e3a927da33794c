//! Reading frames from a client that may send anything. Unlike tokio-util's `FramedRead`, which
//! stops for good at its first decode error, this reader always finds the next frame: after
//! bytes that are not a header block it skips to the next `Content-Length`; a body is never
//! allocated before it arrives and never longer than [`MAX_BODY`]; and a `Content-Length` longer
//! than the message it frames is noticed as soon as the next frame's header arrives.

use tokio::io::{AsyncRead, AsyncReadExt};

use super::head::{self, Head};

/// Longest body accepted (a document over the size limit is still kept as text, so this is well
/// above `maxFileBytes`).
pub const MAX_BODY: u64 = 256 * 1024 * 1024;

const MARK: &[u8] = b"content-length";

/// What came next from the client.
#[derive(Debug, PartialEq)]
pub enum Frame {
    /// A frame's body, as sent.
    Body(Vec<u8>),
    /// Bytes skipped, and why.
    Bad(String),
}

pub struct FrameReader<I> {
    input: I,
    buf: Vec<u8>,
    /// Skipping bytes until the next `Content-Length`.
    skipping: bool,
}

impl<I: AsyncRead + Unpin> FrameReader<I> {
    pub fn new(input: I) -> FrameReader<I> {
        FrameReader {
            input,
            buf: Vec::new(),
            skipping: false,
        }
    }

    /// The next frame; `None` at the end of the input.
    pub async fn next(&mut self) -> Option<Frame> {
        loop {
            if self.skipping {
                self.skip().await?;
            }
            match head::parse(&self.buf) {
                Head::Complete {
                    len,
                    content_length,
                } => {
                    self.buf.drain(..len);
                    if content_length > MAX_BODY {
                        self.skipping = true;
                        return Some(Frame::Bad(format!(
                            "Content-Length {content_length} is over the limit of {MAX_BODY}"
                        )));
                    }
                    return self.body(content_length as usize).await.map(Frame::Body);
                }
                Head::Partial => {
                    if !self.fill().await {
                        return None;
                    }
                }
                Head::Invalid(why) => {
                    // Start the search past this block's first byte, or it would find itself.
                    self.buf.drain(..1);
                    self.skipping = true;
                    return Some(Frame::Bad(why));
                }
            }
        }
    }

    /// Drop bytes up to the next `Content-Length` (case-insensitive); `None` at the end.
    async fn skip(&mut self) -> Option<()> {
        loop {
            if let Some(at) = find_mark(&self.buf, 0) {
                self.buf.drain(..at);
                self.skipping = false;
                return Some(());
            }
            // Keep what could be the start of a mark split across reads.
            let keep = self.buf.len().min(MARK.len() - 1);
            self.buf.drain(..self.buf.len() - keep);
            if !self.fill().await {
                return None;
            }
        }
    }

    /// A body of `len` bytes, or less when a complete JSON value is followed by the next frame's
    /// header before `len` bytes (a `Content-Length` too long). `None` at the end of the input.
    async fn body(&mut self, len: usize) -> Option<Vec<u8>> {
        let mut searched = 0usize;
        loop {
            if self.buf.len() >= len {
                let end = match ends_like_json(&self.buf[..len]) {
                    true => None,
                    false => self.early_end(0, len),
                };
                return Some(self.take(end.unwrap_or(len)));
            }
            // Waiting for more: has the message already ended?
            if let Some(end) = self.early_end(searched.saturating_sub(MARK.len()), len) {
                return Some(self.take(end));
            }
            searched = self.buf.len();
            if !self.fill().await {
                tracing::warn!("the input ended inside a message");
                return None;
            }
        }
    }

    /// Where, before `len` and from `from` on, a complete JSON value is followed by a header.
    fn early_end(&self, from: usize, len: usize) -> Option<usize> {
        let mut at = from;
        while let Some(mark) = find_mark(&self.buf, at).filter(|&m| m < len) {
            if is_complete_json(&self.buf[..mark]) {
                tracing::warn!(
                    "Content-Length {len} is longer than the message it frames ({mark} bytes)"
                );
                return Some(mark);
            }
            at = mark + 1;
        }
        None
    }

    fn take(&mut self, len: usize) -> Vec<u8> {
        let rest = self.buf.split_off(len);
        std::mem::replace(&mut self.buf, rest)
    }

    /// Read more input; `false` at its end.
    async fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 64 * 1024];
        match self.input.read(&mut chunk).await {
            Ok(0) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
            Err(e) => {
                tracing::error!("reading the client's messages failed: {e}");
                false
            }
        }
    }
}

fn find_mark(buf: &[u8], from: usize) -> Option<usize> {
    let last = buf.len().checked_sub(MARK.len())?;
    (from..=last)
        .find(|&i| buf[i] | 0x20 == b'c' && buf[i..i + MARK.len()].eq_ignore_ascii_case(MARK))
}

/// Whether a body ends the way a JSON object or array does (the usual case: no search for an
/// earlier end).
fn ends_like_json(body: &[u8]) -> bool {
    body.trim_ascii_end()
        .last()
        .is_some_and(|&b| b == b'}' || b == b']')
}

fn is_complete_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut reader = FrameReader::new(input);
            let mut all = Vec::new();
            while let Some(f) = reader.next().await {
                all.push(f);
            }
            all
        })
    }

    fn body(s: &str) -> Frame {
        Frame::Body(s.as_bytes().to_vec())
    }

    #[test]
    fn frames_are_found_after_anything() {
        let bad = |s: &str| Frame::Bad(s.to_string());
        let cases: Vec<(&[u8], Vec<Frame>)> = vec![
            (b"Content-Length: 2\r\n\r\n{}", vec![body("{}")]),
            (
                b"Content-Length: 1\r\n\r\n{}Content-Length: 2\r\n\r\n[]",
                vec![
                    body("{"),
                    bad("not a header: \"}Content-Length: 2\""),
                    body("[]"),
                ],
            ),
            (
                b"Content-Length: 90\r\n\r\n{} Content-Length: 2\r\n\r\n[]",
                vec![body("{} "), body("[]")],
            ),
            (
                b"Content-Length: 30\r\n\r\n{}\nContent-Length: 2\r\n\r\n[]Content-Length: 2\r\n\r\n[]",
                vec![body("{}\n"), body("[]"), body("[]")],
            ),
            (
                b"Content-Length: 4000000000\r\n\r\n{}Content-Length: 2\r\n\r\n[]",
                vec![
                    bad("Content-Length 4000000000 is over the limit of 268435456"),
                    body("[]"),
                ],
            ),
            (
                b"junk\r\n\r\nContent-Length: 2\r\n\r\n[]",
                vec![bad("not a header: \"junk\""), body("[]")],
            ),
            (
                b"Content-Length: 9\r\n\r\n\"content-length\"",
                vec![body("\"content-"), bad("not a header: \"length\\\"\"")],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(frames(input), want, "{}", head::shown(input));
        }
    }
}
