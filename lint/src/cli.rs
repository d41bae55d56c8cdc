//! The command line: parses arguments, runs the engine, renders, and maps the
//! outcome to an exit code (0 clean, 1 findings, 2 usage, config or I/O error).
//!
//! [`run`] takes its streams as arguments so the whole CLI can be tested in
//! process; the binaries only pass the real ones.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::baseline::Baseline;
use crate::config;
use crate::diagnostic::{Code, Counts, Diagnostic, Severity};
use crate::engine::{self, Fatal};
use crate::report::{self, Format, Style};

/// Exit code: no errors.
pub const EXIT_OK: i32 = 0;
/// Exit code: findings.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage, configuration or I/O error.
pub const EXIT_ERROR: i32 = 2;

/// corefence keeps the line between the community and enterprise editions of
/// an open-core Rust codebase.
#[derive(Debug, Parser)]
#[command(name = "corefence", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// `corefence [OPTIONS]` is `corefence check [OPTIONS]`.
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check headers and edition boundaries (the default command).
    Check(CheckArgs),
    /// Write a commented corefence.toml fitted to this workspace.
    Init(InitArgs),
    /// Per-edition inventory: crates, files, tagged items, lines.
    Report(ReportArgs),
    /// Draw the crates by edition, their dependencies and every crossing (Mermaid or Graphviz DOT).
    Graph(GraphArgs),
    /// Write an edition's build of the workspace (the community tree) into OUT.
    Export(ExportArgs),
    /// Write a git pre-commit hook that runs `corefence check --staged`.
    InstallHook {
        /// Replace an existing pre-commit hook that is not corefence's.
        #[arg(long)]
        force: bool,
    },
    /// Explain a diagnostic code, or list every code.
    Explain {
        /// A code such as `boundary/import`; omit to list all codes.
        code: Option<String>,
    },
    /// Serve the Language Server Protocol on stdin/stdout: findings in the
    /// editor as you type, safe fixes as code actions.
    Lsp {
        /// Worker threads per check (default: one per core).
        #[arg(long, short, value_name = "N", default_value_t = 0, hide_default_value = true)]
        jobs: usize,
    },
    /// Print a completion script for a shell (e.g. `corefence completions
    /// bash > ~/.local/share/bash-completion/completions/corefence`).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    /// Exit with 1 when there are warnings.
    Warnings,
}

#[derive(Debug, Args, Clone)]
#[allow(clippy::struct_excessive_bools)] // command-line switches are booleans by nature
struct CheckArgs {
    /// Only report on these files or folders; the whole workspace is still indexed.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// With `--format sarif`: the workspace's folder inside the repository,
    /// put before every path so that code scanning finds the files
    /// (default: found from git; `.` for none).
    #[arg(long, value_name = "PATH")]
    sarif_root: Option<String>,
    /// Treat warnings as errors for the exit code.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Use this configuration file instead of discovering corefence.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write missing SPDX headers and snippet markers, normalise obvious
    /// misspellings, set missing Cargo.toml licenses; lists every change.
    #[arg(long)]
    fix: bool,
    /// With --fix: also replace a different, valid license.
    #[arg(long, requires = "fix")]
    relicense: bool,
    /// With --fix: print the changes as a unified diff and write nothing
    /// (on stdout; on stderr with --format json, sarif, github or gitlab).
    #[arg(long, requires = "fix")]
    dry_run: bool,
    /// Check the content staged in git's index and report on staged files
    /// only (what a pre-commit hook wants); the whole index is still read.
    #[arg(long, conflicts_with = "fix")]
    staged: bool,
    /// Files larger than this many bytes get only their header checked; a
    /// Rust file that large is an error, since its code goes unchecked.
    #[arg(long, value_name = "BYTES", default_value_t = engine::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Parse every Rust file, also those the lexical pre-filter proves
    /// cannot hold a boundary finding, and every function body at once:
    /// slower, the same findings, plus `parse/syntax` for every Rust file
    /// that does not parse.
    #[arg(long)]
    exhaustive: bool,
    /// Do not read or write the index cache (kept in `target/corefence/`
    /// or the user's cache folder, so that a run on a few files reads only
    /// those and the files that changed).
    #[arg(long)]
    no_cache: bool,
    /// Report only findings not recorded in this baseline (and list stale entries).
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file instead of reporting them.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Print where the run's time went, stage by stage, on stderr.
    #[arg(long)]
    timings: bool,
    /// Print the findings and nothing else: no summary line, no notes.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    quiet: bool,
    /// Also print the root, the configuration used and what was read.
    #[arg(long, short = 'v')]
    verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// A table.
    Human,
    /// `{ "version": 1, "editions": [...] }`.
    Json,
    /// An SPDX 2.3 JSON document: every checked file with its license and checksum.
    Spdx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    /// A Mermaid flowchart (GitHub renders it in Markdown).
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
}

#[derive(Debug, Args)]
struct GraphArgs {
    /// The workspace (default: the current directory).
    path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    format: GraphFormat,
    /// Use this configuration file instead of discovering corefence.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// The workspace (default: the current directory).
    path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
    /// Use this configuration file instead of discovering corefence.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// The folder to write: outside the workspace, and empty unless `--force`.
    out: PathBuf,
    /// The edition to export (default: the default edition of corefence.toml).
    #[arg(long)]
    edition: Option<String>,
    /// Clear OUT first when it is not empty.
    #[arg(long)]
    force: bool,
    /// Then build the export with cargo and report every compiler error at
    /// its original file and line (`export/build`).
    #[arg(long)]
    check: bool,
    /// The build `--check` runs in OUT; it must print cargo's JSON messages.
    #[arg(long, value_name = "CMD", requires = "check", default_value = crate::export::check::DEFAULT_COMMAND)]
    check_cmd: String,
    /// Output format of the diagnostics; `json` also carries the manifest of
    /// what was written and removed.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Use this configuration file instead of discovering corefence.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// Print the file instead of writing it.
    #[arg(long)]
    stdout: bool,
    /// Overwrite an existing corefence.toml.
    #[arg(long)]
    force: bool,
}

/// What a run writes to and where it runs.
pub struct Io<'a> {
    /// Standard output.
    pub stdout: &'a mut dyn Write,
    /// Standard error.
    pub stderr: &'a mut dyn Write,
    /// The directory the command runs in.
    pub cwd: PathBuf,
    /// Whether stderr is a terminal (colour and progress in `auto` mode).
    pub stderr_is_terminal: bool,
}

/// Runs the command line and returns the exit code.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>, io: &mut Io<'_>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let text = err.render().to_string();
            let _ = if err.use_stderr() {
                io.stderr.write_all(text.as_bytes())
            } else {
                io.stdout.write_all(text.as_bytes())
            };
            return code;
        }
    };
    if let Some(err) = mistyped_subcommand(&cli, &io.cwd) {
        let _ = io.stderr.write_all(err.render().to_string().as_bytes());
        return EXIT_ERROR;
    }
    let result = match cli.command {
        None => check(&cli.check, io),
        Some(Command::Check(args)) => check(&args, io),
        Some(Command::Init(args)) => init(&args, io),
        Some(Command::Explain { code }) => explain(code.as_deref(), io),
        Some(Command::InstallHook { force }) => install_hook(force, io),
        Some(Command::Report(args)) => report_inventory(&args, io),
        Some(Command::Graph(args)) => graph(&args, io),
        Some(Command::Export(args)) => export(&args, io),
        Some(Command::Completions { shell }) => completions(shell, io),
        Some(Command::Lsp { jobs }) => lsp(jobs, io),
    };
    result.unwrap_or_else(|err| {
        // A closed pipe (`corefence | head`) is the reader's choice, not an error worth a message.
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(io.stderr, "error: cannot write output: {err}");
        }
        EXIT_ERROR
    })
}

/// Entry point of the binaries: real streams, real exit code. `skip` is the
/// number of leading arguments to drop after the program name (1 for
/// `cargo corefence`, where cargo passes the subcommand name first).
pub fn main_with_skip(skip: usize) -> ! {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if skip > 0 && args.get(1).is_some_and(|a| a == "corefence") {
        args.drain(1..=skip);
        // Help and usage then read `cargo corefence ...`, the way it was typed.
        if let Some(program) = args.first_mut() {
            *program = OsString::from("cargo corefence");
        }
    }
    // The streams are locked per write, never for the whole run: the
    // progress bar draws on stderr from worker threads while the run goes on.
    let (mut stdout, mut stderr) = (std::io::stdout(), std::io::stderr());
    let stderr_is_terminal = stderr.is_terminal();
    let mut io = Io {
        stdout: &mut stdout,
        stderr: &mut stderr,
        cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        stderr_is_terminal,
    };
    let code = run(args, &mut io);
    let _ = io.stdout.flush();
    std::process::exit(code)
}

/// The completion script of every subcommand and option, for `shell`.
fn completions(shell: clap_complete::Shell, io: &mut Io<'_>) -> std::io::Result<i32> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "corefence", &mut script);
    io.stdout.write_all(&script)?;
    Ok(EXIT_OK)
}

fn style(args: &CheckArgs, io: &Io<'_>) -> Style {
    Style { color: color_enabled(args.color, io), width: width(io), summary: !args.quiet }
}

/// Human output is wrapped to the terminal it goes to (at least 40
/// columns), and to 100 columns anywhere else, so logs and snapshots do not
/// depend on who ran it.
fn width(io: &Io<'_>) -> usize {
    let terminal = io.stderr_is_terminal.then(|| terminal_size::terminal_size_of(std::io::stderr())).flatten();
    terminal.map_or(100, |(columns, _)| usize::from(columns.0).max(40))
}

fn color_enabled(choice: ColorChoice, io: &Io<'_>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => auto_color(io.stderr_is_terminal, |name| std::env::var_os(name)),
    }
}

/// `--color auto`, as ruff, typos and cargo read the environment:
/// `CLICOLOR_FORCE` (not `0`) colours even a pipe; `NO_COLOR` (not empty),
/// `CLICOLOR=0` and `TERM=dumb` switch colour off; otherwise a terminal
/// gets colour.
fn auto_color(terminal: bool, env: impl Fn(&str) -> Option<OsString>) -> bool {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    let off = set("NO_COLOR").is_some()
        || env("CLICOLOR").is_some_and(|v| v == "0")
        || env("TERM").is_some_and(|v| v == "dumb");
    terminal && !off
}

/// A first argument that names no file but looks like a mistyped
/// subcommand (`corefence chek`): clap's error with a suggestion, instead
/// of "no such file".
fn mistyped_subcommand(cli: &Cli, cwd: &std::path::Path) -> Option<clap::Error> {
    use clap::CommandFactory;
    let first = cli.check.paths.first().filter(|_| cli.command.is_none())?;
    let word = first.to_str().filter(|w| !w.contains(['/', '\\', '.']))?;
    if cwd.join(first).exists() {
        return None;
    }
    let mut command = Cli::command();
    let names: Vec<String> = command.get_subcommands().map(|c| c.get_name().to_owned()).collect();
    let similar = crate::suggest::closest(word, names.iter().map(String::as_str))?;
    let message = format!("unrecognized subcommand '{word}'\n\n  tip: a similar subcommand exists: '{similar}'");
    Some(command.error(clap::error::ErrorKind::InvalidSubcommand, message))
}

fn check(args: &CheckArgs, io: &mut Io<'_>) -> std::io::Result<i32> {
    let options = engine::Options {
        start: io.cwd.clone(),
        paths: args.paths.clone(),
        config: args.config.clone(),
        jobs: args.jobs.unwrap_or(0),
        fix: args.fix.then_some(engine::FixMode { relicense: args.relicense, dry_run: args.dry_run }),
        staged: args.staged,
        // The Markdown summary draws the workspace's crates.
        collect_facts: args.format == Format::Markdown,
        // A progress bar helps people on a terminal; CI logs and pipes get none.
        progress: io.stderr_is_terminal && std::env::var_os("CI").is_none(),
        max_file_size: args.max_file_size,
        exhaustive: args.exhaustive,
        cache: !args.no_cache,
        memory: None,
        unsaved: std::collections::BTreeMap::new(),
        config_text: None,
    };
    let style = style(args, io);
    let mut outcome = match engine::run(&options) {
        Ok(outcome) => outcome,
        Err(Fatal::Config { mut errors, .. }) => {
            // Config errors are findings like any other: SARIF and GitLab
            // track them by fingerprint.
            crate::diagnostic::finalize(&mut errors.0);
            emit(args.format, &errors.0, 0, style, io)?;
            return Ok(EXIT_ERROR);
        }
        Err(Fatal::Io(message)) => {
            writeln!(io.stderr, "error: {message}")?;
            return Ok(EXIT_ERROR);
        }
    };
    if outcome.config.is_embedded() && !args.quiet {
        embedded_notes(&outcome.root, io)?;
    }
    if args.verbose {
        let config = outcome.config.source.as_ref();
        let config = config
            .map_or_else(|| "the embedded defaults".to_owned(), |s| outcome.root.join(&s.path).display().to_string());
        writeln!(io.stderr, "root: {}", outcome.root.display())?;
        writeln!(io.stderr, "config: {config}")?;
        writeln!(
            io.stderr,
            "files: {} checked, {} Rust files indexed ({} searched for boundary findings), {} unchanged since the last run",
            outcome.files, outcome.parsed, outcome.boundary_files, outcome.cached
        )?;
    }
    report_fixes(&outcome.fixes, args.format, io)?;
    if let Some(file) = &args.write_baseline {
        let path = io.cwd.join(file);
        let recorded = Baseline::of(&outcome.diagnostics);
        if let Err(message) = recorded.write(&path) {
            writeln!(io.stderr, "error: {message}")?;
            return Ok(EXIT_ERROR);
        }
        writeln!(io.stderr, "wrote {} findings to {}", recorded.findings.len(), file.display())?;
        return Ok(EXIT_OK);
    }
    if let Some(file) = &args.baseline {
        let recorded = match Baseline::read(&io.cwd.join(file)) {
            Ok(b) => b,
            Err(message) => {
                writeln!(io.stderr, "error: {message}")?;
                return Ok(EXIT_ERROR);
            }
        };
        let outdated = recorded.filter(&mut outcome.diagnostics);
        for entry in &outdated {
            writeln!(
                io.stderr,
                "note: stale baseline entry (fixed, or changed beyond recognition): {}: {} {}",
                entry.path, entry.code, entry.message
            )?;
        }
        if !outdated.is_empty() {
            writeln!(
                io.stderr,
                "note: {} stale baseline entries; `--write-baseline {}` drops them",
                outdated.len(),
                file.display()
            )?;
        }
    }
    write_findings(args, &outcome, style, io)?;
    if args.timings {
        write!(io.stderr, "{}", outcome.timings.render())?;
    }
    for error in &outcome.internal_errors {
        writeln!(io.stderr, "error: {error}\nthis is a bug in corefence; please report it with the file if you can")?;
    }
    if !outcome.internal_errors.is_empty() {
        return Ok(EXIT_ERROR);
    }
    let counts = Counts::of(&outcome.diagnostics);
    let fails = counts.errors > 0 || (args.deny == Some(Deny::Warnings) && counts.warnings > 0);
    Ok(if fails { EXIT_FINDINGS } else { EXIT_OK })
}

/// The findings of a `check` in its format.
fn write_findings(args: &CheckArgs, outcome: &engine::Outcome, style: Style, io: &mut Io<'_>) -> std::io::Result<()> {
    let format = args.format;
    match format {
        Format::Sarif => {
            // Code scanning reads paths from the repository's root.
            let below_repository = || {
                let repository = crate::git::repository_root(&outcome.root)?;
                let inside = outcome.root.strip_prefix(repository).ok()?;
                Some(crate::workspace::slash_path(inside))
            };
            let root = args.sarif_root.clone().or_else(below_repository).unwrap_or_default();
            report::sarif::write_under(io.stdout, &outcome.diagnostics, &root)
        }
        Format::Markdown => {
            let graph = report::graph::Graph::new(&outcome.inventory.crates, &outcome.config, &outcome.diagnostics);
            let links = report::markdown::Links::from_github_env();
            report::markdown::write(io.stdout, &outcome.diagnostics, outcome.files, Some(&graph), &links)
        }
        Format::Human => {
            // One summary where most files disagree with the config the same way.
            let shown = report::mass::collapse(&outcome.diagnostics, outcome.files, &outcome.config);
            let counts = crate::diagnostic::Counts::of(&outcome.diagnostics);
            report::human::write_counted(io.stderr, &shown, counts, outcome.files, style)
        }
        _ => emit(format, &outcome.diagnostics, outcome.files, style, io),
    }
}

/// Lists every change `--fix` made (stderr, so machine formats stay clean).
/// With `--dry-run` the diffs go to stdout, where `git apply` can read them,
/// unless the format owns stdout (a JSON or SARIF document must stay one
/// document): then they go to stderr with the list.
fn report_fixes(fixes: &[engine::FileFix], format: Format, io: &mut Io<'_>) -> std::io::Result<()> {
    for fix in fixes {
        let verb = if fix.written { "fixed" } else { "fix" };
        for change in &fix.changes {
            let prefix = if change.contains(": not fixed: ") { "note" } else { verb };
            writeln!(io.stderr, "{prefix}: {}", report::visible::visible(change))?;
        }
        if let Some(diff) = &fix.diff {
            let out: &mut dyn Write = if format.owns_stdout() { io.stderr } else { io.stdout };
            out.write_all(diff.as_bytes())?;
        }
    }
    Ok(())
}

/// Human output goes to stderr, as cargo's does; machine formats to stdout.
fn emit(
    format: Format,
    diagnostics: &[Diagnostic],
    files: usize,
    style: Style,
    io: &mut Io<'_>,
) -> std::io::Result<()> {
    let out: &mut dyn Write = if format.is_machine() { io.stdout } else { io.stderr };
    report::write(out, format, diagnostics, files, style)
}

fn explain(code: Option<&str>, io: &mut Io<'_>) -> std::io::Result<i32> {
    let Some(name) = code else {
        writeln!(io.stdout, "{:<22} {:<8} summary", "code", "default")?;
        for c in Code::ALL {
            writeln!(io.stdout, "{:<22} {:<8} {}", c.as_str(), c.default_severity(), c.summary())?;
        }
        return Ok(EXIT_OK);
    };
    match name.parse::<Code>() {
        Ok(c) => {
            let level = match c.default_severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            writeln!(io.stdout, "# {c} (default: {level})\n\n{}.\n\n{}", capitalise(c.summary()), c.explanation())?;
            Ok(EXIT_OK)
        }
        Err(err) => {
            writeln!(io.stderr, "error: {err}\nrun `corefence explain` to list every code")?;
            Ok(EXIT_ERROR)
        }
    }
}

/// Serves the editor on the process's own stdin and stdout (the protocol
/// owns them); only a failure of the protocol itself is written to `io`.
fn lsp(jobs: usize, io: &mut Io<'_>) -> std::io::Result<i32> {
    match crate::lsp::serve(jobs) {
        Ok(()) => Ok(EXIT_OK),
        Err(err) => {
            writeln!(io.stderr, "error: language server: {err}")?;
            Ok(EXIT_ERROR)
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn init(args: &InitArgs, io: &mut Io<'_>) -> std::io::Result<i32> {
    let root = config::discover_root(&io.cwd);
    let ws = crate::workspace::Workspace::load(&root.dir, 0);
    let proposal = config::init::Proposal::infer(&ws);
    let text = config::init::render(&proposal);
    // The proposal must load: a file `init` writes and `check` rejects would be a bug.
    if let Err(errors) = config::from_str(config::FILE_NAME, &text) {
        for d in &errors.0 {
            writeln!(io.stderr, "{}", report::short::line(d))?;
        }
        return Ok(EXIT_ERROR);
    }
    writeln!(io.stderr, "inferred from the repository at {}:", root.dir.display())?;
    let rows = config::init::summary(&proposal);
    let width = rows.iter().map(|(_, v, _)| v.chars().count()).max().unwrap_or(0).min(40);
    for (what, value, from) in &rows {
        writeln!(io.stderr, "  {what:<19} {value:<width$}  from {from}")?;
    }
    let dry =
        engine::Options { start: root.dir.clone(), config_text: Some(text.clone()), ..engine::Options::default() };
    match engine::run(&dry) {
        Ok(outcome) => writeln!(io.stderr, "{}", dry_run_line(&outcome))?,
        Err(_) => writeln!(io.stderr, "dry run of `corefence check` with it: could not run")?,
    }
    if args.stdout {
        io.stdout.write_all(text.as_bytes())?;
        return Ok(EXIT_OK);
    }
    let target = root.dir.join(config::FILE_NAME);
    if let Err(err) = config::init::write(&target, &text, args.force) {
        writeln!(io.stderr, "error: {err}")?;
        return Ok(EXIT_ERROR);
    }
    writeln!(io.stderr, "wrote {}", target.display())?;
    Ok(EXIT_OK)
}

/// What a run without `corefence.toml` says about its configuration and root.
fn embedded_notes(root: &Path, io: &mut Io<'_>) -> std::io::Result<()> {
    writeln!(
        io.stderr,
        "note: no {} found; using the embedded defaults (run `corefence init` to write one)",
        config::FILE_NAME
    )?;
    if !root.join("Cargo.toml").is_file() && crate::git::repository_root(root).is_none() {
        writeln!(
            io.stderr,
            "note: no Cargo workspace or git repository here; checking {} and everything below it",
            root.display()
        )?;
    }
    Ok(())
}

/// What `check` would report with `init`'s proposal: counts per code.
fn dry_run_line(outcome: &engine::Outcome) -> String {
    let mut per_code: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in &outcome.diagnostics {
        *per_code.entry(d.code.as_str()).or_default() += 1;
    }
    if per_code.is_empty() {
        return format!("dry run of `corefence check` with it: no findings in {} files", outcome.files);
    }
    let counts: Vec<String> = per_code.iter().map(|(code, n)| format!("{n} {code}")).collect();
    let n = outcome.diagnostics.len();
    let plural = if n == 1 { "" } else { "s" };
    format!(
        "dry run of `corefence check` with it: {n} finding{plural} in {} files ({})",
        outcome.files,
        counts.join(", ")
    )
}

fn install_hook(force: bool, io: &mut Io<'_>) -> std::io::Result<i32> {
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("corefence"));
    match crate::hook::install(&io.cwd, &exe, force) {
        Ok(crate::hook::Installed::Written(path)) => {
            writeln!(io.stderr, "installed {}: commits now run `corefence check --staged`", path.display())?;
            Ok(EXIT_OK)
        }
        Ok(crate::hook::Installed::AlreadyThere(path)) => {
            writeln!(io.stderr, "{} is already corefence's hook", path.display())?;
            Ok(EXIT_OK)
        }
        Err(err) => {
            writeln!(io.stderr, "error: {err}")?;
            Ok(EXIT_ERROR)
        }
    }
}

/// A run that gathers the workspace's facts (`report`, `graph`), on
/// `path` if given; a configuration or I/O error is printed and becomes
/// the exit code.
fn facts_run(
    path: Option<&PathBuf>,
    config: Option<&PathBuf>,
    io: &mut Io<'_>,
) -> std::io::Result<Result<engine::Outcome, i32>> {
    let options = engine::Options {
        start: io.cwd.clone(),
        paths: path.into_iter().cloned().collect(),
        config: config.cloned(),
        collect_facts: true,
        ..engine::Options::default()
    };
    match engine::run(&options) {
        Ok(outcome) => Ok(Ok(outcome)),
        Err(Fatal::Config { errors, .. }) => {
            report::write(io.stderr, Format::Human, &errors.0, 0, Style { color: false, width: 100, summary: true })?;
            Ok(Err(EXIT_ERROR))
        }
        Err(Fatal::Io(message)) => {
            writeln!(io.stderr, "error: {message}")?;
            Ok(Err(EXIT_ERROR))
        }
    }
}

fn report_inventory(args: &ReportArgs, io: &mut Io<'_>) -> std::io::Result<i32> {
    let outcome = match facts_run(args.path.as_ref(), args.config.as_ref(), io)? {
        Ok(outcome) => outcome,
        Err(code) => return Ok(code),
    };
    match args.format {
        ReportFormat::Human => crate::inventory::write_human(io.stdout, &outcome.inventory, &outcome.config)?,
        ReportFormat::Json => crate::inventory::write_json(io.stdout, &outcome.inventory, &outcome.config)?,
        ReportFormat::Spdx => crate::inventory::write_spdx(io.stdout, &outcome.inventory, &outcome.config)?,
    }
    Ok(EXIT_OK)
}

fn graph(args: &GraphArgs, io: &mut Io<'_>) -> std::io::Result<i32> {
    let outcome = match facts_run(args.path.as_ref(), args.config.as_ref(), io)? {
        Ok(outcome) => outcome,
        Err(code) => return Ok(code),
    };
    let graph = report::graph::Graph::new(&outcome.inventory.crates, &outcome.config, &outcome.diagnostics);
    let text = match args.format {
        GraphFormat::Mermaid => graph.mermaid(),
        GraphFormat::Dot => graph.dot(),
    };
    io.stdout.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}

fn export(args: &ExportArgs, io: &mut Io<'_>) -> std::io::Result<i32> {
    use crate::export::{self, ExportError};
    let options = export::Options {
        start: io.cwd.clone(),
        config: args.config.clone(),
        edition: args.edition.clone(),
        out: io.cwd.join(&args.out),
        force: args.force,
        jobs: args.jobs.unwrap_or(0),
    };
    let style = Style { color: color_enabled(args.color, io), width: width(io), summary: true };
    let done = match export::export(&options) {
        Ok(done) => done,
        Err(ExportError::Fatal(Fatal::Config { errors, .. })) => {
            emit(args.format, &errors.0, 0, style, io)?;
            return Ok(EXIT_ERROR);
        }
        Err(ExportError::Fatal(Fatal::Io(message)) | ExportError::Refused(message)) => {
            writeln!(io.stderr, "error: {message}")?;
            return Ok(EXIT_ERROR);
        }
        Err(ExportError::Findings(mut found)) => {
            crate::diagnostic::finalize(&mut found);
            emit(args.format, &found, 0, style, io)?;
            writeln!(io.stderr, "error: nothing was exported")?;
            return Ok(EXIT_ERROR);
        }
    };
    let mut diagnostics = done.warnings.clone();
    if args.check {
        match export::check::build(&done, &args.check_cmd) {
            Ok(found) => diagnostics.extend(found),
            Err(err) => {
                writeln!(io.stderr, "error: {err}")?;
                return Ok(EXIT_ERROR);
            }
        }
    }
    crate::diagnostic::finalize(&mut diagnostics);
    write_export_summary(&done, io)?;
    if args.format == Format::Json {
        let manifest = serde_json::json!({
            "edition": done.edition,
            "out": done.out.display().to_string(),
            "files": done.written,
            "removed": done.removed,
        });
        report::json::write_with_export(io.stdout, &diagnostics, done.written, Some(manifest))?;
    } else if !diagnostics.is_empty() || args.format.is_machine() {
        emit(args.format, &diagnostics, done.written, style, io)?;
    }
    let counts = Counts::of(&diagnostics);
    Ok(if counts.errors > 0 { EXIT_FINDINGS } else { EXIT_OK })
}

/// What the export wrote and removed, on stderr (machine formats keep stdout).
fn write_export_summary(done: &crate::export::Export, io: &mut Io<'_>) -> std::io::Result<()> {
    let r = &done.removed;
    for f in &r.files {
        writeln!(io.stderr, "removed {}", report::visible::visible(f))?;
    }
    for i in &r.items {
        let name = i.name.as_deref().unwrap_or("item");
        writeln!(
            io.stderr,
            "removed {} item `{}` at {}:{}",
            i.edition,
            report::visible::visible(name),
            report::visible::visible(&i.path),
            i.line
        )?;
    }
    for s in &r.snippets {
        writeln!(
            io.stderr,
            "removed {} snippet at {}:{} ({} lines)",
            s.edition,
            report::visible::visible(&s.path),
            s.line,
            s.lines
        )?;
    }
    for m in &r.manifest {
        writeln!(
            io.stderr,
            "removed `{}` from [{}] in {}:{}",
            report::visible::visible(&m.key),
            m.table,
            report::visible::visible(&m.path),
            m.line
        )?;
    }
    for a in &r.reuse_annotations {
        writeln!(io.stderr, "removed the REUSE.toml annotation of `{}`", report::visible::visible(a))?;
    }
    writeln!(
        io.stderr,
        "exported the {} edition to {}: {} files written; removed {} files ({} crates), {} items, {} snippets, {} Cargo.toml entries",
        done.edition,
        report::visible::visible(&done.out.display().to_string()),
        done.written,
        r.files.len(),
        r.crates.len(),
        r.items.len(),
        r.snippets.len(),
        r.manifest.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::auto_color;
    use std::ffi::OsString;

    fn with<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| OsString::from(v))
    }

    #[test]
    fn auto_colour_reads_the_environment_as_other_tools_do() {
        assert!(auto_color(true, with(&[])));
        assert!(!auto_color(false, with(&[])));
        assert!(auto_color(false, with(&[("CLICOLOR_FORCE", "1")])));
        assert!(auto_color(true, with(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])));
        assert!(!auto_color(false, with(&[("CLICOLOR_FORCE", "0")])));
        assert!(!auto_color(true, with(&[("NO_COLOR", "1")])));
        // An empty NO_COLOR is no request.
        assert!(auto_color(true, with(&[("NO_COLOR", "")])));
        assert!(!auto_color(true, with(&[("CLICOLOR", "0")])));
        assert!(auto_color(true, with(&[("CLICOLOR", "1")])));
        assert!(!auto_color(true, with(&[("TERM", "dumb")])));
    }
}
