//! Progress on long scans (SPEC 5): on a terminal, a scan still running after a second shows a
//! bar on stderr (indicatif), cleared when it ends. Never on a pipe, never with `--quiet`, and
//! never in `lsp`, `mcp` or `hook` (they do not scan through here).

use std::{
    io::IsTerminal,
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Shown after this long.
const DELAY: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

impl Progress {
    /// A bar for `files` files, or none (not a terminal, or `quiet`).
    pub fn new(files: usize, quiet: bool) -> Progress {
        Progress::counting(files, quiet, "checking {pos}/{len} files")
    }

    /// A bar for `len` steps, `what` saying what they are (indicatif's `{pos}` and `{len}`).
    pub fn counting(len: usize, quiet: bool, what: &str) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template(&format!("{{spinner}} {what} {{wide_bar}} {{eta}}"))
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// One more file checked.
    pub fn tick(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if self.started.elapsed() >= DELAY && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
