//! Errors from the workspace: a bad policy file, or a file that cannot be read.

use std::{fmt, path::PathBuf};

use gavel_policy::PolicyError;

#[derive(Debug, Clone)]
pub enum WorkspaceError {
    /// A config or pack that does not parse or validate.
    Policy(PolicyError),
    /// A path that cannot be read.
    Io { path: PathBuf, message: String },
}

impl fmt::Display for WorkspaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkspaceError::Policy(e) => e.fmt(f),
            WorkspaceError::Io { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl From<PolicyError> for WorkspaceError {
    fn from(e: PolicyError) -> Self {
        WorkspaceError::Policy(e)
    }
}

impl WorkspaceError {
    pub fn io(path: impl Into<PathBuf>, e: &std::io::Error) -> WorkspaceError {
        let path = path.into();
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory; check the path".to_string(),
            std::io::ErrorKind::PermissionDenied => {
                "permission denied; check the file's permissions".to_string()
            }
            _ => format!("cannot read: {e}"),
        };
        WorkspaceError::Io { path, message }
    }
}
