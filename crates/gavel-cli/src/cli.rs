//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "gavel",
    version,
    about = "Enforce your house rules on Python and Rust code, in CI and in the editor"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check files and directories (default `.`), honouring `.gitignore`.
    Check(CheckArgs),
    /// Run every loaded rule's examples; prints `N passed, M failed`.
    Test(TestArgs),
    /// The language server on stdio.
    Lsp,
    /// List loaded rules: id, language, severity, category, pack; or document them in Markdown.
    Rules(RulesArgs),
    /// A rule's message, note, sanctioned library and examples.
    Explain(ExplainArgs),
    /// A post-edit hook for a coding agent: reads the agent's hook payload on stdin, checks the
    /// lines the edit changed, and answers in that agent's contract.
    Hook(HookArgs),
    /// Print the loaded house rules as a Markdown section for AGENTS.md, CLAUDE.md or a Cursor
    /// rule; or keep that section of a file up to date.
    AgentsMd(AgentsMdArgs),
    /// Write the current findings to the baseline: `check` then reports only new ones.
    Baseline(BaselineArgs),
    /// The MCP server on stdin and stdout: gavel_check, gavel_fix, gavel_explain, gavel_rules
    /// and gavel_guidance for coding agents.
    Mcp(McpArgs),
    /// Ask the reviewer about the matches of review rules on changed lines (SPEC 9)
    Review(ReviewArgs),
    /// Approve a finding: a code owner waives it, with a reason, until it expires (SPEC 9.3)
    Approve(ApproveArgs),
    /// Print the JSON Schema of a policy pack or of gavel.toml
    Schema(SchemaArgs),
    /// The feedback report (SPEC 10): what the rules say about the repository's history, by
    /// severity and provenance, as one HTML page or JSON
    Report(ReportArgs),
}

#[derive(Args)]
pub struct ReportArgs {
    /// A directory in the repository
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Check only commits since then: a date (2025-01-31), a time, or how long ago (90 days)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Check at most this many commits, spread evenly over the range (0: all)
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub max_commits: usize,
    /// Write the report here (default: gavel-report.html for html, stdout for json)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Do not read or write the result cache (.gavel_cache/)
    #[arg(long)]
    pub no_cache: bool,
    /// No progress bar and no summary on stderr
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page with inline SVG charts
    Html,
    /// The same figures, for dashboards
    Json,
}

#[derive(Args)]
pub struct SchemaArgs {
    /// Which file's schema
    #[arg(value_enum)]
    pub kind: SchemaKind,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A policy pack (`[pack]` and `[[rule]]`)
    Pack,
    /// `gavel.toml`
    Config,
}

#[derive(Args)]
pub struct ReviewArgs {
    /// Files or directories to review
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Which matches to review: those on changed lines (the default), AI-written lines, or all
    #[arg(long, value_enum, default_value_t = Scope::Changed)]
    pub scope: Scope,
    /// The git revision that "changed" is measured against
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Exit 2 when the reviewer cannot be reached or is not configured
    #[arg(long)]
    pub fail_on_review_error: bool,
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub select: Vec<String>,
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Ask again even for code whose verdict is cached
    #[arg(long)]
    pub no_cache: bool,
    #[arg(long, short)]
    pub quiet: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Args)]
pub struct ApproveArgs {
    /// The rule whose finding is approved
    pub id: String,
    /// Where the finding is: PATH:LINE
    #[arg(value_name = "PATH:LINE")]
    pub at: String,
    /// Why this finding is acceptable (recorded, and shown wherever the finding would be)
    #[arg(long)]
    pub reason: String,
    /// The last day the approval holds (YYYY-MM-DD); default 90 days from today
    #[arg(long, value_name = "DATE")]
    pub expires: Option<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Args)]
pub struct McpArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Args)]
pub struct ConfigArgs {
    /// Use this gavel.toml instead of the nearest one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Files and directories to check.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Report findings on all lines, on changed lines, or on AI-written lines.
    #[arg(long, value_enum, default_value_t = Scope::All)]
    pub scope: Scope,
    /// The git revision "changed" is measured against.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Apply the preferred fix of each finding in place, then re-check.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the preferred fixes as a unified diff and write nothing (exit 1 when there is one).
    #[arg(long)]
    pub diff: bool,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Read the source from standard input and check it as if it were PATH (PATH's config,
    /// language and provenance); with --fix, print the fixed source to stdout.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Run only these rules: ids, globs over ids (`py.*`), pack ids or categories.
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules: ids, globs over ids, pack ids or categories.
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Instead of the findings, one line per rule: count, id, fixable, message.
    #[arg(long)]
    pub statistics: bool,
    /// Print the findings only: no summary and no notes.
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour the text output: `auto` (on a terminal, unless NO_COLOR is set), `always` or
    /// `never`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Report only findings this baseline does not know [default: .gavel-baseline.json beside
    /// the nearest gavel.toml, when it exists].
    #[arg(long, value_name = "FILE", conflicts_with = "no_baseline")]
    pub baseline: Option<PathBuf>,
    /// Ignore the baseline: report every finding.
    #[arg(long)]
    pub no_baseline: bool,
    /// Do not read or write the result cache (`.gavel_cache/` beside the config).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Args)]
pub struct BaselineArgs {
    /// Files and directories to check.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Write the baseline here [default: .gavel-baseline.json beside the nearest gavel.toml, or
    /// in the working directory].
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Colour for stdout? `auto`: a terminal, and `NO_COLOR` unset or empty (no-color.org).
    pub fn for_stdout(self) -> bool {
        use std::io::IsTerminal;
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

#[derive(Args)]
pub struct RulesArgs {
    /// Pack files, directories of packs or `builtin:NAME`; default: the packs the config loads.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// `text`: one rule per line; `markdown`: a reference page with each rule's note and
    /// examples (docs/rules.md is generated this way).
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Markdown,
}

#[derive(Args)]
pub struct TestArgs {
    /// Pack files or directories of packs; default: the packs the config loads.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The rule id.
    pub id: String,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Args)]
pub struct HookArgs {
    /// The agent whose payload and answer to use: claude-code, codex, cursor, copilot or gemini.
    #[arg(value_name = "AGENT")]
    pub agent: String,
    /// Tell the agent about findings at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Args)]
pub struct AgentsMdArgs {
    /// Put the section in FILE: replace its old gavel section in place, or append one (the file
    /// is created when missing).
    #[arg(long, value_name = "FILE", conflicts_with = "check")]
    pub write: Option<PathBuf>,
    /// Exit 1 when FILE's gavel section is missing or differs from the loaded rules.
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    /// GitLab's code quality report.
    Gitlab,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    All,
    Changed,
    Ai,
}

impl Scope {
    pub fn applies_to(self) -> gavel_policy::AppliesTo {
        match self {
            Scope::All => gavel_policy::AppliesTo::All,
            Scope::Changed => gavel_policy::AppliesTo::Changed,
            Scope::Ai => gavel_policy::AppliesTo::Ai,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<gavel_policy::Severity> {
        use gavel_policy::Severity;
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Never => None,
        }
    }
}
