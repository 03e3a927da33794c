//! `gavel report [DIR] [--since DATE] [--max-commits N] [--out FILE] [--format html|json]`
//! (SPEC 10): walks the history through gavel-report and writes the page or the JSON. A report
//! made despite problems (a broken pack, say) lists them, and the command exits 2.

use std::{path::PathBuf, sync::Mutex};

use gavel_report::{Options, Progress as ReportProgress, Report, parse_since};

use crate::{
    cli::{ReportArgs, ReportFormat},
    cmd::progress::Progress,
};

/// The command-line progress bar, made once the number of commits is known.
struct Bar {
    quiet: bool,
    bar: Mutex<Option<Progress>>,
}

impl ReportProgress for Bar {
    fn start(&self, commits: usize) {
        let bar = Progress::counting(commits, self.quiet, "walking {pos}/{len} commits");
        *self.bar.lock().expect("not poisoned") = Some(bar);
    }

    fn tick(&self) {
        if let Some(bar) = &*self.bar.lock().expect("not poisoned") {
            bar.tick();
        }
    }
}

pub fn run(args: ReportArgs) -> u8 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let since = match args.since.as_deref().map(|s| parse_since(s, now)) {
        None => None,
        Some(Ok(t)) => Some(t),
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let options = Options {
        dir: args.dir.clone(),
        config: args.config.config.clone(),
        since,
        max_commits: args.max_commits,
        cache: !args.no_cache,
    };
    let bar = Bar {
        quiet: args.quiet,
        bar: Mutex::new(None),
    };
    let result = gavel_report::report(&options, &bar);
    if let Some(bar) = &*bar.bar.lock().expect("not poisoned") {
        bar.finish();
    }
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let text = match args.format {
        ReportFormat::Html => gavel_report::html::render(&report),
        ReportFormat::Json => {
            serde_json::to_string_pretty(&report).expect("a report serializes") + "\n"
        }
    };
    let out = match (&args.out, args.format) {
        (Some(p), _) => Some(p.clone()),
        (None, ReportFormat::Html) => Some(PathBuf::from("gavel-report.html")),
        (None, ReportFormat::Json) => None,
    };
    match &out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return 2;
            }
        }
        None => crate::output::emit(&text),
    }
    if !args.quiet {
        summary(&report, out.as_deref());
    }
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    if report.errors.is_empty() { 0 } else { 2 }
}

fn summary(r: &Report, out: Option<&std::path::Path>) {
    let median = r
        .fixes
        .median_days_to_fix
        .map_or("n/a".to_string(), |d| format!("{d} days"));
    eprintln!(
        "report: {} commits walked, {} checked ({} AI-written) in {} s, {} commits/s; {} introduced, \
         {} fixed (median {median}), {} open",
        r.commits.walked,
        r.commits.checked,
        r.commits.ai,
        r.commits.seconds,
        r.commits.per_second,
        r.fixes.introduced,
        r.fixes.fixed,
        r.fixes.open
    );
    if let Some(path) = out {
        eprintln!("wrote {}", path.display());
    }
}
