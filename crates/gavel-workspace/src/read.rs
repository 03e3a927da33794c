//! Reading a file named by someone else (a config, a pack, a source file): only a regular file
//! after symlinks are resolved, and at most a cap of bytes, so `/dev/zero`, a FIFO or
//! `/dev/stdin` is refused before it is opened, and a file that grows while it is read cannot
//! blow the cap.

use std::{fs::File, io::Read, path::Path};

use crate::WorkspaceError;

/// Packs and configs larger than this are refused (the largest built-in pack is 64 KB).
pub const MAX_POLICY_BYTES: u64 = 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// A directory, device, FIFO or socket.
    NotRegular,
    /// Larger than the cap (in bytes).
    TooLarge(u64),
    Io(std::io::Error),
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// `cap` bytes in words: `8 MB`, `2 KB` (binary units, as `ls -h` counts).
pub fn human(cap: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if cap.is_multiple_of(MB) {
        format!("{} MB", cap / MB)
    } else {
        format!("{} KB", cap.div_ceil(1024))
    }
}

/// The bytes of the regular file at `path` (symlinks followed), at most `cap` of them. The
/// file's type is checked before it is opened (opening a FIFO would wait for a writer) and
/// again on the opened file.
pub fn read_regular(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    check(&std::fs::metadata(path)?, cap)?;
    let file = File::open(path)?;
    let meta = file.metadata()?;
    check(&meta, cap)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(cap));
    }
    Ok(bytes)
}

/// The text of a config or pack: a regular UTF-8 file of at most [`MAX_POLICY_BYTES`].
pub fn read_policy_text(path: &Path) -> Result<String, WorkspaceError> {
    let message = match read_regular(path, MAX_POLICY_BYTES) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => return Ok(text),
            Err(e) => format!(
                "not UTF-8 (invalid byte at offset {}); save it as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        },
        Err(ReadError::Io(e)) => return Err(WorkspaceError::io(path, &e)),
        Err(ReadError::NotRegular) => "not a regular file (a directory, device, FIFO or socket); \
            gavel reads policies only from regular files"
            .into(),
        Err(ReadError::TooLarge(cap)) => format!(
            "larger than {}, more than any policy file needs; check the path",
            human(cap)
        ),
    };
    Err(WorkspaceError::Io {
        path: path.into(),
        message,
    })
}

fn check(meta: &std::fs::Metadata, cap: u64) -> Result<(), ReadError> {
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge(cap));
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_small_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small.toml");
        std::fs::write(&small, "x = 1\n").unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; 2049]).unwrap();
        let cases: &[(&Path, &str)] = &[
            (&small, "ok 6"),
            (&big, "TooLarge(2048)"),
            (dir.path(), "NotRegular"),
            (Path::new("/dev/zero"), "NotRegular"),
            (&dir.path().join("nope"), "Io(Os { code: 2, kind: NotFound"),
        ];
        for (path, want) in cases {
            let got = match read_regular(path, 2048) {
                Ok(b) => format!("ok {}", b.len()),
                Err(e) => format!("{e:?}"),
            };
            assert!(got.starts_with(want), "{}: {got}", path.display());
        }
    }
}
