//! Reading a source file: binary and non-UTF-8 files are skipped with a note, never an error.

use std::path::Path;

use crate::WorkspaceError;

/// Files larger than this are skipped with a note.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// What reading a source gave.
#[derive(Debug)]
pub enum SourceText {
    Text(String),
    /// Not checked, with the reason (binary, not UTF-8, too large).
    Skipped(String),
}

pub fn read_source(path: &Path) -> Result<SourceText, WorkspaceError> {
    let meta = std::fs::metadata(path).map_err(|e| WorkspaceError::io(path, &e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Ok(SourceText::Skipped(format!(
            "larger than {} MB",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| WorkspaceError::io(path, &e))?;
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Ok(SourceText::Skipped("binary file".into()));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::Text(text)),
        Err(e) => Ok(SourceText::Skipped(format!(
            "not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))),
    }
}
