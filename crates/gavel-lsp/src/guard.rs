//! A panic in one handler must not take the server down: synchronous work runs under
//! `catch_unwind`, asynchronous work in its own task, and a panic becomes a logged error or an
//! error response.

use std::{
    future::Future,
    panic::{AssertUnwindSafe, catch_unwind},
};

use tower_lsp_server::jsonrpc::{Error, Result};

/// Run `f`, turning a panic into `None` and an error log line.
pub fn sync<T>(what: &str, f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => Some(v),
        Err(panic) => {
            tracing::error!("{what} panicked: {}", panic_message(&*panic));
            None
        }
    }
}

/// Run a request's work in its own task, turning a panic into an internal-error response.
pub async fn request<T, F>(what: &'static str, fut: F) -> Result<T>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    match tokio::spawn(fut).await {
        Ok(r) => r,
        Err(e) => {
            let message = if e.is_panic() {
                format!("{what} panicked: {}", panic_message(&*e.into_panic()))
            } else {
                format!("{what} was cancelled")
            };
            tracing::error!("{message}");
            Err(Error {
                message: message.into(),
                ..Error::internal_error()
            })
        }
    }
}

/// A request's answer for a handler that panicked before its work began.
pub fn panicked(what: &str) -> Error {
    Error {
        message: format!("{what} panicked; see the server log").into(),
        ..Error::internal_error()
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}
