//! One file per request or notification.

pub mod code_action;
pub mod diagnostic;
pub mod did_change;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod document_state;
pub mod execute_command;
pub mod hover;
pub mod initialize;
pub mod initialized;
pub mod watched_files;
