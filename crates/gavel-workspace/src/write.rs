//! Writing a fixed file without losing it: the new text goes to a temporary file beside the
//! original, is flushed to disk, takes the original's permissions, and is renamed over it. A
//! full disk or any other failure leaves the original as it was. A file that changed on disk
//! since it was read (an editor saved it while `--fix` ran) is not overwritten.

use std::{io::Write, path::Path};

/// Why a fixed file was not written; the original is unchanged in every case.
#[derive(Debug)]
pub enum WriteError {
    /// The file's bytes are no longer those that were checked.
    Changed,
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Changed => f.write_str(
                "it changed on disk while gavel was fixing it, so the fixes were not written; \
                 run gavel check --fix again",
            ),
            WriteError::Io(e) => write!(
                f,
                "cannot write the fixed file ({e}); the file is unchanged"
            ),
        }
    }
}

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// Replace `path`'s contents, which were `original` when it was read, with `text`. A symlink is
/// followed: its target is replaced, and the link stays.
pub fn write_fixed(path: &Path, original: &[u8], text: &str) -> Result<(), WriteError> {
    let real = std::fs::canonicalize(path)?;
    let dir = real.parent().unwrap_or(Path::new("."));
    let meta = std::fs::metadata(&real)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".gavel-fix-")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.as_file().set_permissions(meta.permissions())?;
    // As late as can be: what is on disk now must still be what was checked.
    if std::fs::read(&real)? != original {
        return Err(WriteError::Changed);
    }
    tmp.persist(&real).map_err(|e| WriteError::Io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_and_follows_symlinks() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("run.py");
        std::fs::write(&real, "old\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o750)).unwrap();
        let link = dir.path().join("link.py");
        symlink("run.py", &link).unwrap();
        write_fixed(&link, b"old\n", "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o750);
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2, "no temporary file is left behind");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "saved by the editor\n").unwrap();
        let err = write_fixed(&path, b"what gavel read\n", "fixed\n").unwrap_err();
        assert!(matches!(err, WriteError::Changed), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "saved by the editor\n"
        );
    }
}
