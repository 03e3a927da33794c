//! An error a report carries (SPEC 5): a config or pack that failed, a path that could not be
//! read or checked. JSON lists them in `errors` and SARIF in `toolExecutionNotifications`, so a
//! report after an error is never an empty, clean-looking one.

use std::fmt;

use crate::WorkspaceError;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct ReportError {
    /// The file at fault, as reports show paths; `None` when no file is.
    pub path: Option<String>,
    /// 1-based, when the error has a position.
    pub line: Option<u32>,
    /// 1-based, in Unicode scalar values.
    pub column: Option<u32>,
    pub message: String,
}

impl ReportError {
    /// An error about `path` as a whole (`message` does not repeat the path).
    pub fn file(path: &str, message: impl Into<String>) -> ReportError {
        ReportError {
            path: Some(path.to_string()),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error in no particular file.
    pub fn general(message: impl Into<String>) -> ReportError {
        ReportError {
            path: None,
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error text met while checking the file shown as `path`: about that file when it
    /// starts with `path: ` (as `Outcome::Failed` and fix-step errors do), else a general one
    /// (a bad provenance base is the same error for every file, and is reported once).
    pub fn about(path: &str, text: &str) -> ReportError {
        match text
            .strip_prefix(path)
            .and_then(|rest| rest.strip_prefix(": "))
        {
            Some(message) => ReportError::file(path, message),
            None => ReportError::general(text),
        }
    }
}

impl From<&WorkspaceError> for ReportError {
    fn from(e: &WorkspaceError) -> ReportError {
        match e {
            WorkspaceError::Policy(p) => ReportError {
                path: Some(p.file.clone()),
                line: Some(p.line),
                column: Some(p.column),
                message: p.message.clone(),
            },
            WorkspaceError::Io { path, message } => {
                ReportError::file(&path.display().to_string(), message.clone())
            }
        }
    }
}

/// `path:line:column: message`, as the CLI prints errors on stderr.
impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{path}:")?;
            if let Some(line) = self.line {
                write!(f, "{line}:")?;
                if let Some(column) = self.column {
                    write!(f, "{column}:")?;
                }
            }
            f.write_str(" ")?;
        }
        f.write_str(&self.message)
    }
}
