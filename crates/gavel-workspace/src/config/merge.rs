//! Reading a `gavel.toml` and the configs it `extends`, merged in order (the extended ones
//! first). Each config names files only inside its own [`Roots`]; an `extends` target outside
//! them must be a `gavel.toml` (an organisation's config in a sibling checkout), and is then
//! limited to its own roots.

use std::{
    ops::Range,
    path::{Path, PathBuf},
};

use gavel_policy::{
    RuleOverride, SourceFile,
    config::{Provenance, ReviewSettings},
    parse_config,
};
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::{
    WorkspaceError,
    read::read_policy_text,
    roots::{Resolved, Roots},
};

pub type Override = (RuleOverride, SourceFile, Range<usize>);

/// A `policies` entry: its text, the directory it is relative to, where it was written, and
/// where that config may name files.
pub struct PolicyEntry {
    pub entry: String,
    pub base: PathBuf,
    pub config: SourceFile,
    pub span: Range<usize>,
    pub roots: Roots,
}

/// Configs merged along `extends`, the extended ones first.
#[derive(Default)]
pub struct Merged {
    pub policies: Vec<PolicyEntry>,
    pub overrides: Vec<(String, Override)>,
    pub exclude: Vec<(PathBuf, GlobSet)>,
    pub require_reason: Option<bool>,
    pub provenance: Provenance,
    pub review: ReviewSettings,
    pub errors: Vec<WorkspaceError>,
    pub files: Vec<PathBuf>,
    /// The configs being read, outermost first, as (symlinks resolved, as named).
    stack: Vec<(PathBuf, PathBuf)>,
}

impl Merged {
    /// Read the config at `path` (absolute, as named), the first of the chain. A `gavel.toml`
    /// that is a symlink must stay inside its directory's roots.
    pub fn read_top(&mut self, path: &Path) {
        let dir = path.parent().unwrap_or(Path::new("/"));
        let roots = Roots::of_config_dir(dir);
        let name = Path::new(path.file_name().unwrap_or_default());
        match roots.resolve(name) {
            Resolved::Inside(real) => self.read(path, &real),
            Resolved::Missing => self.read(path, path),
            Resolved::Outside => {
                self.files.push(path.to_path_buf());
                self.errors.push(WorkspaceError::Io {
                    path: path.into(),
                    message: format!(
                        "a symlink that leads outside {}, so gavel did not read it; replace the \
                         symlink with the config itself",
                        roots.describe()
                    ),
                });
            }
        }
    }

    /// Read one config (`path` as named, `real` with symlinks resolved), its `extends` first.
    fn read(&mut self, path: &Path, real: &Path) {
        if self.stack.iter().any(|(r, _)| r == real) {
            let chain: Vec<_> = self
                .stack
                .iter()
                .map(|(_, p)| p.display().to_string())
                .collect();
            self.errors.push(WorkspaceError::Io {
                path: path.into(),
                message: format!(
                    "`extends` forms a cycle: {} -> {}",
                    chain.join(" -> "),
                    path.display()
                ),
            });
            return;
        }
        self.files.push(path.to_path_buf());
        let text = match read_policy_text(path) {
            Ok(t) => t,
            Err(e) => {
                self.errors.push(e);
                return;
            }
        };
        let source = SourceFile::new(path.display().to_string(), text);
        let config = match parse_config(&source) {
            Ok(c) => c,
            Err(errors) => {
                self.errors.extend(errors.into_iter().map(Into::into));
                return;
            }
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let roots = Roots::of_config_dir(&dir);
        self.stack.push((real.to_path_buf(), path.to_path_buf()));
        for parent in &config.extends {
            self.extend(&dir, &roots, &source, (parent.get_ref(), parent.span()));
        }
        self.stack.pop();
        for p in &config.policies {
            self.policies.push(PolicyEntry {
                entry: p.get_ref().clone(),
                base: dir.clone(),
                config: source.clone(),
                span: p.span(),
                roots: roots.clone(),
            });
        }
        let globs = config.exclude.iter().map(|g| (g.get_ref(), g.span()));
        self.exclude(&dir, &source, globs);
        for (id, (o, span)) in config.rules {
            self.overrides.push((id, (o, source.clone(), span)));
        }
        self.require_reason = config.require_reason.or(self.require_reason);
        self.review = config.review.or(std::mem::take(&mut self.review));
        let p = config.provenance;
        let old = std::mem::take(&mut self.provenance);
        self.provenance = Provenance {
            base: p.base.or(old.base),
            ai_commit_patterns: p.ai_commit_patterns.or(old.ai_commit_patterns),
            burst_lines: p.burst_lines.or(old.burst_lines),
            ai_min_severity: p.ai_min_severity.or(old.ai_min_severity),
        };
    }

    /// Follow one `extends` entry of the config in `dir`.
    fn extend(
        &mut self,
        dir: &Path,
        roots: &Roots,
        source: &SourceFile,
        (entry, span): (&str, Range<usize>),
    ) {
        let target = dir.join(entry);
        let message = match roots.resolve(Path::new(entry)) {
            Resolved::Inside(real) => {
                let target = std::path::absolute(&target).unwrap_or(target);
                return self.read(&target, &real);
            }
            Resolved::Missing => format!(
                "`extends` entry `{entry}` ({}) does not exist; fix the path",
                target.display()
            ),
            Resolved::Outside => format!(
                "`extends` entry `{entry}` is outside {}, so gavel did not read it; {}",
                roots.describe(),
                roots.hint("extend a file inside it")
            ),
        };
        self.errors.push(source.error(Some(span), message).into());
    }

    fn exclude<'a>(
        &mut self,
        dir: &Path,
        source: &SourceFile,
        exclude: impl Iterator<Item = (&'a String, Range<usize>)>,
    ) {
        let mut globs = GlobSetBuilder::new();
        for (glob, span) in exclude {
            match Glob::new(glob) {
                Ok(glob) => {
                    globs.add(glob);
                }
                Err(e) => self.errors.push(
                    source
                        .error(
                            Some(span),
                            format!("invalid exclude glob `{glob}`: {}", e.kind()),
                        )
                        .into(),
                ),
            }
        }
        if let Ok(set) = globs.build() {
            self.exclude.push((dir.to_path_buf(), set));
        }
    }
}
