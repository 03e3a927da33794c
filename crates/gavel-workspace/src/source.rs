//! Reading a source file as its language reads it ([`decode`]): UTF-8, or Python's PEP 263
//! coding line. A file the language would reject too (not decodable, a NUL byte in Python) is
//! skipped with a note; a file the language may run but gavel cannot check (too large, an
//! encoding gavel lacks) is refused, which the CLI reports as an error unless the config
//! excludes the file.

mod decode;

use std::path::Path;

use gavel_syntax::Lang;

pub use decode::Encoding;
use decode::{Decoded, decode};

use crate::{
    WorkspaceError,
    read::{ReadError, human, read_regular},
};

/// Files larger than this are refused.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// What reading a source gave.
#[derive(Debug)]
pub enum SourceText {
    /// UTF-8, as in the file.
    Text(String),
    /// Decoded from the encoding its coding line names. Positions are in the decoded text;
    /// write it back with [`Encoding::encode`], never as UTF-8.
    Decoded { text: String, encoding: Encoding },
    /// Not checked, and the language would not run it either (why): a note.
    Skipped(String),
    /// Not checked, though the language may run it (why, and what to change): an error unless
    /// the config excludes the file.
    Refused(String),
}

pub fn read_source(path: &Path) -> Result<SourceText, WorkspaceError> {
    let bytes = match read_regular(path, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(ReadError::TooLarge(cap)) => {
            return Ok(SourceText::Refused(format!(
                "larger than {}, so gavel cannot check it; split it, or add it to `exclude` in \
                 gavel.toml if it is generated",
                human(cap)
            )));
        }
        Err(ReadError::Io(e)) => return Err(WorkspaceError::io(path, &e)),
        Err(ReadError::NotRegular) => {
            return Err(WorkspaceError::Io {
                path: path.into(),
                message: "not a regular file (a device, FIFO or socket); name a source file".into(),
            });
        }
    };
    let lang = Lang::from_path(path).unwrap_or(Lang::Rust);
    Ok(match decode(lang, bytes) {
        Decoded::Utf8(text) => SourceText::Text(text),
        Decoded::Other(text, encoding) => SourceText::Decoded { text, encoding },
        Decoded::Rejected(why) => SourceText::Skipped(why),
        Decoded::Unknown(why) => {
            SourceText::Refused(format!("{why}, or add it to `exclude` in gavel.toml"))
        }
    })
}

/// The text of `bytes` as the language of `path` decodes it, or lossy UTF-8 when it does not
/// (for git blobs, compared line by line with the current text).
pub fn decode_lossy(path: &Path, bytes: Vec<u8>) -> String {
    let Some(lang) = Lang::from_path(path) else {
        return String::from_utf8_lossy(&bytes).into_owned();
    };
    match decode(lang, bytes.clone()) {
        Decoded::Utf8(text) | Decoded::Other(text, _) => text,
        Decoded::Rejected(_) | Decoded::Unknown(_) => String::from_utf8_lossy(&bytes).into_owned(),
    }
}
