//! The check pipeline: discover → read → parse → check → report-ready diagnostics.
//!
//! [`run`] finds the root and configuration, builds the workspace model, runs
//! every check (per file in parallel with rayon, then the workspace-wide
//! ones), keeps the diagnostics for the paths the user asked about and returns
//! them sorted and fingerprinted. It prints nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use indicatif::ParallelProgressIterator;
use rayon::prelude::*;

mod discover;
mod files;
mod fixer;
mod read;
mod scan;
mod scope;
mod shared;
mod syntax;
mod timings;

pub use timings::Timings;

pub use fixer::unified_diff;

use crate::cache::{replay, Need};
use crate::checks;
use crate::config::{Config, ConfigErrors, EditionId};
use crate::diagnostic::{self, Diagnostic};
use crate::edition::EditionMap;
use crate::index::keys::Keys;
use crate::index::modtree::{Inputs, ModTree};
use crate::index::resolve::Resolver;
use crate::index::Sources;
use crate::inventory::facts::{self, Inventory};
use crate::license::expr::LicenseExpr;
use crate::prefilter;
use crate::suppress;
use crate::workspace::Workspace;
use discover::{absolute, load_config, origin};
use scope::Scope;

/// Stack size of the worker threads (reserved, not used: a parse that needs
/// more grows its own, see [`crate::parse::parse`]).
const WORKER_STACK: usize = 16 << 20;

/// Files a run must read before a progress bar is worth showing.
const PROGRESS_MIN_FILES: usize = 1000;

/// What to check and how.
#[derive(Debug, Clone, Default)]
#[allow(clippy::struct_excessive_bools)] // independent switches of one run
pub struct Options {
    /// Where to start root discovery (usually the current directory).
    pub start: PathBuf,
    /// Only diagnostics under these paths are reported (the whole workspace is
    /// still indexed). Empty means everything.
    pub paths: Vec<PathBuf>,
    /// An explicit configuration file instead of discovery.
    pub config: Option<PathBuf>,
    /// The configuration's text, instead of any file (`corefence init`'s
    /// dry run of what it proposes).
    pub config_text: Option<String>,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Repair what can be repaired (`--fix`).
    pub fix: Option<FixMode>,
    /// Check what git's index holds and report on staged files only (`--staged`).
    pub staged: bool,
    /// Gather per-file facts for `corefence report`.
    pub collect_facts: bool,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Files larger than this many bytes get only their header checked (a
    /// Rust file that large is an error);
    /// 0 means [`DEFAULT_MAX_FILE_SIZE`].
    pub max_file_size: u64,
    /// Parse every Rust file, not only those the lexical pre-filter keeps
    /// (`--exhaustive`): slower, the same boundary findings, and
    /// `parse/syntax` for every file that does not parse.
    pub exhaustive: bool,
    /// Keep the index between runs (see [`crate::cache`]); unused with `--fix`
    /// and for `corefence report`.
    pub cache: bool,
    /// Check these files (relative path to content) instead of a folder on
    /// disk: `start` is their root and nothing is read from or written to
    /// disk. For tests, fuzzing and tools that hold files in memory.
    pub memory: Option<std::collections::BTreeMap<String, Vec<u8>>>,
    /// Unsaved editor buffers by absolute path, read instead of those files
    /// on disk (`corefence lsp`); nothing is written for them. Unused with
    /// `staged` and `memory`, which say where every file comes from.
    pub unsaved: BTreeMap<PathBuf, Vec<u8>>,
}

impl Options {
    /// The file size over which only a header is checked: `max_file_size`,
    /// or the default for 0.
    pub fn size_limit(&self) -> u64 {
        if self.max_file_size == 0 {
            DEFAULT_MAX_FILE_SIZE
        } else {
            self.max_file_size
        }
    }
}

/// The default of `--max-file-size`: far above any hand-written source file.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 << 20;

/// How `--fix` runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FixMode {
    /// Also replace a different, valid license (`--relicense`).
    pub relicense: bool,
    /// Compute the changes and show them as a diff; write nothing (`--dry-run`).
    pub dry_run: bool,
}

/// What `--fix` did (or, with `--dry-run`, would do) to one file.
#[derive(Debug, Clone)]
pub struct FileFix {
    /// Relative path.
    pub path: String,
    /// One line per change, `path:line: what`, refusals included.
    pub changes: Vec<String>,
    /// The unified diff, with `--dry-run`.
    pub diff: Option<String>,
    /// Whether the file was rewritten.
    pub written: bool,
    /// The new content, with `--dry-run` (for tools that hold files in memory).
    pub fixed: Option<Vec<u8>>,
}

/// The result of a run.
#[derive(Debug)]
pub struct Outcome {
    /// The workspace root.
    pub root: PathBuf,
    /// The configuration used.
    pub config: Config,
    /// Findings, sorted and fingerprinted.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of files checked (read and scanned).
    pub files: usize,
    /// Number of Rust files in the index, parsed or taken from the cache
    /// (the rest the pre-filter proved need no parse).
    pub parsed: usize,
    /// Number of files the index cache knew unchanged, so they were not read.
    pub cached: usize,
    /// Number of indexed Rust files whose own boundary findings were looked
    /// for: those reported on in crates whose code can reach what it may
    /// not use. The rest of the index only resolves the paths that lead
    /// through it.
    pub boundary_files: usize,
    /// What `--fix` changed, file by file, in path order.
    pub fixes: Vec<FileFix>,
    /// What `corefence report` and `export` know of the workspace (with
    /// `collect_facts`; otherwise empty).
    pub inventory: Inventory,
    /// Bugs met while checking, each naming its file (exit code 2).
    pub internal_errors: Vec<String>,
    /// Where the run's time went.
    pub timings: Timings,
}

/// Why nothing could be checked (exit code 2).
#[derive(Debug)]
pub enum Fatal {
    /// The configuration is invalid; the diagnostics point into it.
    Config {
        /// Where corefence looked.
        root: PathBuf,
        /// The problems.
        errors: ConfigErrors,
    },
    /// A path given on the command line does not exist, or the root cannot be read.
    Io(String),
}

/// Runs every check, on `--jobs` threads: every parallel stage runs on one
/// pool, whose threads have room for syn's recursion.
pub fn run(options: &Options) -> Result<Outcome, Fatal> {
    let jobs =
        if options.jobs == 0 { std::thread::available_parallelism().map_or(1, usize::from) } else { options.jobs };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(WORKER_STACK)
        .build()
        .map_err(|e| Fatal::Io(e.to_string()))?;
    pool.install(|| run_on_pool(options, jobs))
}

fn run_on_pool(options: &Options, jobs: usize) -> Result<Outcome, Fatal> {
    let mut clock = timings::Clock::new();
    let steps = timings::Steps::default();
    let start = absolute(&options.start);
    let (root, staged) = origin(options, &start)?;
    let unsaved = staged.is_none().then(|| discover::unsaved(&root.dir, &options.unsaved)).flatten();
    let overlay = staged.as_ref().map(|v| &v.content).or(unsaved.as_ref());
    // A file's content: git's index (or memory) for the files read from it.
    let in_memory = options.memory.is_some();
    let read_rel = |rel: &str| match overlay.and_then(|o| o.get(rel)) {
        Some(bytes) => Ok(bytes.clone()),
        None if in_memory => Err(std::io::ErrorKind::NotFound.into()),
        None => std::fs::read(root.dir.join(rel)),
    };
    let config = load_config(&root, options.config_text.as_deref(), &read_rel)?;
    let started = std::time::SystemTime::now();
    // Files in memory are never written: `--fix` only shows what it would do.
    let fix = if in_memory { options.fix.map(|mode| FixMode { dry_run: true, ..mode }) } else { options.fix };
    let caching = options.cache && fix.is_none() && !options.collect_facts && !in_memory;
    let reported_staged = staged.as_ref().filter(|_| options.staged).map(|v| v.staged.as_slice());
    let scope = Scope::new(options, &start, &root, reported_staged);
    // A run on a few files (the hook's, the editor's) reads the cache beside
    // the walk and the manifests, which tell the key it must have. A whole
    // run mostly replays its last findings and never needs the entries.
    let prefetch = (caching && !scope.everything()).then(|| crate::cache::Prefetch::start(&root.dir)).flatten();
    // Size and stamp matter only for the files that are checked.
    let checked = |rel: &str| files::is_checked(&config, rel);
    let walk = discover::Walk::new(&root.dir, jobs, caching, started);
    let found = discover::files(&walk, staged.as_ref(), unsaved.as_ref(), &checked);
    clock.lap("discover files");
    let ws = Workspace::from_files(&root.dir, found, &|f| read_rel(&f.rel));
    let reuse_toml = read_rel("REUSE.toml");
    let mut cache = caching.then(|| {
        let key = cache_key(options, &config, &ws, &read_rel, reuse_toml.as_deref().unwrap_or_default());
        crate::cache::Cache::unread(&root.dir, key, prefetch)
    });
    let mut diagnostics = ws.diagnostics.clone();
    let editions = EditionMap::new(&config, &ws);
    let accepted = accepted_licenses(&config);
    let reuse = shared::ReuseToml::load(reuse_toml, &mut diagnostics);
    let sources = Sources::new(&root.dir, overlay);
    // A full run's findings are kept for a run on the same files.
    let replay = cache.as_ref().filter(|_| overlay.is_none()).and_then(|c| replay_key(c, &ws, &checked, started));
    clock.lap("manifests");
    let replayed = replay.as_ref().and_then(|(index, digest)| replay::load(index, *digest, &sources));
    cache.as_mut().filter(|_| replayed.is_none()).into_iter().for_each(crate::cache::Cache::read);
    let (words, keep, to_read) = words(options, (&config, &ws, &editions), &scope, cache.as_ref());
    clock.lap("cache read");
    let shared = shared::Shared {
        config: &config,
        ws: &ws,
        editions: &editions,
        accepted: &accepted,
        reuse: &reuse,
        fix,
        index_content: overlay,
        collect_facts: options.collect_facts,
        max_file_size: options.size_limit(),
        words: &words,
        parse_all: options.exhaustive,
        keep: keep.as_ref(),
        cache: cache.as_ref(),
        reported: &|rel: &str| scope.reports(rel),
        scoped: !scope.everything(),
        steps: &steps,
    };
    let mut found = if let Some(findings) = replayed {
        Found::replayed(findings, &sources)
    } else {
        let from = diagnostics.len();
        // A bar only where it helps: a terminal, and enough files to read
        // that the run takes a while.
        let progress = options.progress && to_read >= PROGRESS_MIN_FILES;
        let found = check_workspace(&shared, &sources, started, progress, &mut diagnostics, &mut clock);
        if let Some((index, digest)) = replay.filter(|_| scope.everything() && found.replayable()) {
            // Not kept, the next full run only checks every file again.
            let _ = replay::save(&index, digest, &found.findings(diagnostics.get(from..).unwrap_or_default()));
        }
        clock.lap("cache save");
        found
    };
    diagnostics.append(&mut found.diagnostics);
    let Found { used_ids, mut fixes, facts, mut internal_errors, mut suppressions, module_editions, .. } = found;
    manifest_suppressions(&ws, &mut suppressions);
    let stage = "checking Cargo.toml files and LICENSES/";
    diagnostics.extend(
        caught(stage, &mut internal_errors, || workspace_checks(&shared, &used_ids, fix, &mut fixes))
            .unwrap_or_default(),
    );
    clock.lap("workspace checks");
    settle(&mut diagnostics, &suppressions, &scope);
    fixes.sort_by(|a, b| a.path.cmp(&b.path));
    let inventory = if options.collect_facts {
        Inventory::gather(&root.dir, facts, (&config, &ws, &editions), &module_editions)
    } else {
        Inventory { root: root.dir.clone(), ..Inventory::default() }
    };
    clock.lap("report");
    Ok(Outcome {
        root: root.dir,
        config,
        diagnostics,
        files: found.checked,
        parsed: found.parsed,
        cached: found.cached,
        boundary_files: found.boundary_files,
        fixes,
        inventory,
        internal_errors,
        timings: clock.finish(&steps),
    })
}

/// What keeps a function body in the first reading of a file (see
/// [`crate::parse::skeleton`]); `None` reads every body at once, as
/// `--exhaustive` does, and `report` and `export`, which count every line.
fn lean_reading(options: &Options, config: &Config, editions: &EditionMap) -> Option<crate::parse::skeleton::Keep> {
    (!options.exhaustive && !options.collect_facts).then(|| {
        let features = config.editions.iter().flat_map(|e| e.features.iter().map(String::as_str));
        crate::parse::skeleton::Keep::new(
            config.editions.iter().map(|e| e.name.as_str()),
            features.chain(editions.gating_features()),
        )
    })
}

/// Where a full run's findings are kept and the digest of the workspace
/// state they are for.
fn replay_key(
    cache: &crate::cache::Cache,
    ws: &Workspace,
    checked: &dyn Fn(&str) -> bool,
    started: std::time::SystemTime,
) -> Option<(PathBuf, u64)> {
    Some((cache.path()?.to_path_buf(), replay::digest(cache.key(), (&ws.files, &ws.links), checked, started)?))
}

/// What the file and boundary stages found.
#[derive(Default)]
struct Found {
    /// Findings in files (replayed ones; a run's own go straight to the
    /// run's list).
    diagnostics: Vec<Diagnostic>,
    used_ids: BTreeMap<String, diagnostic::Location>,
    fixes: Vec<FileFix>,
    facts: Vec<facts::FileFacts>,
    internal_errors: Vec<String>,
    suppressions: BTreeMap<String, (Arc<diagnostic::SourceFile>, Vec<suppress::Suppression>)>,
    module_editions: BTreeMap<String, EditionId>,
    /// Files checked, Rust files parsed, files the cache knew unchanged,
    /// Rust files whose own boundary findings were looked for.
    checked: usize,
    parsed: usize,
    cached: usize,
    boundary_files: usize,
    /// A file's license came from a sidecar or `REUSE.toml`, which file
    /// stamps do not cover.
    volatile: bool,
}

impl Found {
    /// A full run's findings, reported again: their suppression comments read
    /// again from their files.
    fn replayed(findings: replay::Findings, sources: &Sources<'_>) -> Self {
        let suppressions = findings
            .suppressed
            .iter()
            .filter_map(|rel| {
                let file = sources.get(rel);
                let style = crate::license::comment::style_for_path(std::path::Path::new(rel))
                    .unwrap_or(crate::license::comment::CommentStyle::Hash);
                let found = suppress::find(&file.text, style);
                (!found.is_empty()).then(|| (rel.clone(), (file, found)))
            })
            .collect();
        Found {
            diagnostics: findings.diagnostics,
            used_ids: findings.used_ids,
            suppressions,
            checked: findings.checked,
            parsed: findings.parsed,
            cached: findings.checked,
            boundary_files: findings.boundary_files,
            ..Found::default()
        }
    }

    /// Whether the next run may report these findings again unchecked.
    fn replayable(&self) -> bool {
        !self.volatile && self.internal_errors.is_empty() && self.fixes.is_empty()
    }

    /// What a run on the same files reports again: `diagnostics` are this
    /// run's findings in files.
    fn findings(&self, diagnostics: &[Diagnostic]) -> replay::Findings {
        replay::Findings {
            diagnostics: diagnostics.to_vec(),
            suppressed: self.suppressions.keys().cloned().collect(),
            used_ids: self.used_ids.clone(),
            checked: self.checked,
            parsed: self.parsed,
            boundary_files: self.boundary_files,
        }
    }
}

/// Checks every file and the boundary across them, adding their findings to
/// `diagnostics`, and stores the index cache.
fn check_workspace(
    shared: &shared::Shared<'_>,
    sources: &Sources<'_>,
    started: std::time::SystemTime,
    progress: bool,
    diagnostics: &mut Vec<Diagnostic>,
    clock: &mut timings::Clock,
) -> Found {
    let ws = shared.ws;
    let results = check_files(shared, ws, progress);
    let checked = results.len();
    let cached = results.iter().filter(|(_, r)| r.from_cache).count();
    clock.lap("files (in parallel)");
    let Late { plan, loaded: late, mut skipped } = late_index(shared, &results);
    // Files in the index: parsed, or taken from the cache.
    let mut parsed = results.iter().filter(|(_, r)| r.lexed.is_some() && !r.unparsed).count() + late.len();
    let Merged { used_ids, fixes, facts, mut internal_errors, mut indexed, suppressions, rows } =
        merge(results, late, &plan, ws, sources, diagnostics);
    clock.lap("index plan, late parses");
    let before = indexed.len();
    let boundary = caught("resolving the workspace's modules", &mut internal_errors, || {
        boundary_checks(shared, sources, &plan, (&mut indexed, &mut skipped), diagnostics, clock)
    });
    let (found, module_editions, boundary_files) = boundary.unwrap_or_default();
    parsed += indexed.len().saturating_sub(before);
    diagnostics.extend(found);
    clock.lap("boundary checks");
    let volatile = rows.iter().any(|r| r.volatile);
    match shared.cache {
        Some(cache) if worth_writing(cache, ws, (&rows, &indexed), started) => {
            let mut entries = cache_entries(ws, rows, indexed);
            // A cache that cannot be written only costs the next run time.
            let _ = cache.save(&mut entries, started);
            free_later(entries);
        }
        _ => free_later((rows, indexed)),
    }
    Found {
        diagnostics: Vec::new(),
        used_ids,
        fixes,
        facts,
        internal_errors,
        suppressions,
        module_editions,
        checked,
        parsed,
        cached,
        boundary_files,
        volatile,
    }
}

/// The findings as reported: suppressed ones gone, only those on the paths
/// asked about, sorted and fingerprinted.
fn settle(
    diagnostics: &mut Vec<Diagnostic>,
    suppressions: &BTreeMap<String, (Arc<diagnostic::SourceFile>, Vec<suppress::Suppression>)>,
    scope: &Scope<'_>,
) {
    suppress::apply(diagnostics, suppressions);
    diagnostics.retain(|d| scope.reports(d.location.path()));
    diagnostic::finalize(diagnostics);
}

/// The per-file stage, in parallel, with a progress bar if `progress`.
fn check_files(shared: &shared::Shared<'_>, ws: &Workspace, progress: bool) -> Vec<(usize, files::FileResult)> {
    let progress = progress_bar(progress, ws.files.len());
    let results = ws
        .files
        .par_iter()
        .enumerate()
        .progress_with(progress.clone())
        .filter_map(|(i, f)| Some((i, files::check(shared, f)?)))
        .collect();
    progress.finish_and_clear();
    results
}

/// Runs a workspace-wide stage. A panic there (a bug, never an expected
/// outcome) becomes an internal error naming the stage, as a panic while
/// checking one file names the file: the run goes on and exits with 2.
fn caught<T>(stage: &str, internal_errors: &mut Vec<String>, run: impl FnOnce() -> T) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(done) => Some(done),
        Err(panic) => {
            internal_errors.push(format!("internal error while {stage}: {}", panic_message(panic.as_ref())));
            None
        }
    }
}

/// Frees `value` on a thread of its own: thousands of files' index data
/// take a run's last hundredths of a second to free, which it need not wait
/// for (a process that exits first gives all its memory back at once).
fn free_later<T: Send + 'static>(value: T) {
    // Freed here if no thread can be started.
    let _ = std::thread::Builder::new().name("corefence-free".to_owned()).spawn(move || drop(value));
}

/// What a caught panic says.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(ToString::to_string)
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// The per-file results, gathered for the workspace-wide stages.
struct Merged {
    used_ids: BTreeMap<String, diagnostic::Location>,
    fixes: Vec<FileFix>,
    facts: Vec<facts::FileFacts>,
    internal_errors: Vec<String>,
    indexed: Vec<crate::index::FileData>,
    suppressions: BTreeMap<String, (Arc<diagnostic::SourceFile>, Vec<suppress::Suppression>)>,
    /// What the cache keeps of each file, but its index data.
    rows: Vec<CacheRow>,
}

/// One file's cache entry before the index stage adds its index data.
struct CacheRow {
    file: usize,
    hash: u64,
    lexed: Option<prefilter::Lexed>,
    license_ids: Vec<(String, std::ops::Range<usize>)>,
    /// Watched by nothing the cache sees (sidecar, REUSE.toml): always read again.
    volatile: bool,
}

fn merge(
    results: Vec<(usize, files::FileResult)>,
    late: Vec<(crate::index::FileData, Option<Diagnostic>)>,
    plan: &prefilter::IndexPlan,
    ws: &Workspace,
    sources: &Sources<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Merged {
    let mut merged = Merged {
        used_ids: BTreeMap::new(),
        fixes: Vec::new(),
        facts: Vec::new(),
        internal_errors: Vec::new(),
        indexed: Vec::new(),
        suppressions: BTreeMap::new(),
        rows: Vec::new(),
    };
    for (i, r) in results {
        let rel = ws.files.get(i).map_or("", |f| f.rel.as_str());
        // Read again only for the first file using each id (few ids, few files).
        for (id, span) in &r.license_ids {
            if !merged.used_ids.contains_key(id) {
                merged.used_ids.insert(id.clone(), sources.at(rel, span.clone()));
            }
        }
        if let Some(hash) = r.hash {
            let (lexed, license_ids, volatile) = (r.lexed, r.license_ids, r.external);
            merged.rows.push(CacheRow { file: i, hash, lexed, license_ids, volatile });
        }
        merged.internal_errors.extend(r.internal_error);
        merged.facts.extend(r.facts);
        diagnostics.extend(r.diagnostics);
        merged.fixes.extend(r.fix.filter(|f| !f.changes.is_empty()));
        merged.indexed.extend(r.index.filter(|d| plan.indexes(ws, &d.rel)));
        if let Some((source, found)) = r.suppressions {
            merged.suppressions.insert(source.path.clone(), (source, found));
        }
    }
    for (data, syntax) in late {
        merged.indexed.push(data);
        diagnostics.extend(syntax);
    }
    merged
}

/// The pre-filter's words, sized for the files this run will read, what
/// keeps a function body in a file's first reading ([`lean_reading`]),
/// and how many files that is.
fn words(
    options: &Options,
    (config, ws, editions): (&Config, &Workspace, &EditionMap),
    scope: &Scope<'_>,
    cache: Option<&crate::cache::Cache>,
) -> (prefilter::Words, Option<crate::parse::skeleton::Keep>, usize) {
    let unread = |f: &crate::workspace::FileEntry| cache.is_some_and(|c| c.unchanged(f).is_some());
    let to_read = ws.files.iter().filter(|f| scope.reports(&f.rel) || !unread(f)).count();
    (prefilter::Words::new(config, ws, editions, to_read), lean_reading(options, config, editions), to_read)
}

/// The workspace-wide checks (repairing a missing Cargo.toml `license`
/// with `--fix`).
fn workspace_checks(
    shared: &shared::Shared<'_>,
    used_ids: &BTreeMap<String, diagnostic::Location>,
    fix: Option<FixMode>,
    fixes: &mut Vec<FileFix>,
) -> Vec<Diagnostic> {
    let (config, ws, editions) = (shared.config, shared.ws, shared.editions);
    let context = checks::WorkspaceContext { config, ws, editions, accepted: shared.accepted, used_ids };
    let found: Vec<Diagnostic> = checks::WORKSPACE_CHECKS.iter().flat_map(|check| check(&context)).collect();
    match fix {
        Some(mode) => fixer::fix_manifests(ws, mode, found, fixes),
        None => found,
    }
}

/// Everything a cache entry depends on besides its own file: the
/// configuration, every manifest, `REUSE.toml` and the options that change
/// what is parsed.
fn cache_key(
    options: &Options,
    config: &Config,
    ws: &Workspace,
    read_rel: &dyn Fn(&str) -> std::io::Result<Vec<u8>>,
    reuse_toml: &[u8],
) -> u64 {
    let config = config.source.as_ref().map_or(&[][..], |s| s.text.as_bytes());
    // Package manifests are loaded already; the root manifest (it may only
    // declare the workspace) is read here.
    let root_manifest = read_rel("Cargo.toml").unwrap_or_default();
    let manifests = ws.crates.iter().flat_map(|c| [c.dir.as_bytes(), c.manifest.text.as_bytes()]);
    let flags = [u8::from(options.exhaustive), u8::from(options.staged)];
    // The limit in force: a default asked for by 0 or by its value is one key.
    let size = options.size_limit().to_le_bytes();
    crate::cache::key(
        [config, flags.as_slice(), size.as_slice(), root_manifest.as_slice(), reuse_toml].into_iter().chain(manifests),
    )
}

/// Whether this run's cache entries are worth building: the cache would
/// write them ([`crate::cache::Cache::save`]).
fn worth_writing(
    cache: &crate::cache::Cache,
    ws: &Workspace,
    (rows, indexed): (&[CacheRow], &[crate::index::FileData]),
    started: std::time::SystemTime,
) -> bool {
    let indexed: std::collections::HashSet<&str> = indexed.iter().map(|d| d.rel.as_str()).collect();
    let seen = rows.iter().filter_map(|row| {
        let file = ws.files.get(row.file)?;
        let stamp = if row.volatile { None } else { file.stamp };
        let indexed = indexed.contains(file.rel.as_str());
        Some(crate::cache::Seen { rel: &file.rel, len: file.len, stamp, hash: row.hash, indexed })
    });
    cache.worth_writing(seen, started)
}

/// This run's cache entries: each file's row with its index data, if indexed.
fn cache_entries(
    ws: &Workspace,
    rows: Vec<CacheRow>,
    indexed: Vec<crate::index::FileData>,
) -> Vec<(String, crate::cache::CacheEntry)> {
    // Moved, not cloned: the index is not needed after this.
    let mut indexed: std::collections::HashMap<String, crate::index::FileData> =
        indexed.into_iter().map(|d| (d.rel.clone(), d)).collect();
    rows.into_iter()
        .filter_map(|row| {
            let file = ws.files.get(row.file)?;
            let entry = crate::cache::CacheEntry {
                len: file.len,
                stamp: if row.volatile { None } else { file.stamp },
                hash: row.hash,
                lexed: row.lexed,
                index: indexed.remove(&file.rel),
                outline: None,
                bodies: None,
                license_ids: row.license_ids,
            };
            Some((file.rel.clone(), entry))
        })
        .collect()
}

/// What the pre-filter's plan asks the index for beyond the per-file stage.
struct Late {
    plan: prefilter::IndexPlan,
    /// Index data of files the plan indexes that the per-file stage did not
    /// parse (from the cache, or parsed now), with their `parse/syntax` warnings.
    loaded: Vec<(crate::index::FileData, Option<Diagnostic>)>,
    /// The files the plan leaves out of the index: a `mod` or `include!`
    /// may still ask for one.
    skipped: BTreeSet<String>,
}

/// Decides with the pre-filter which files the boundary analysis indexes,
/// and loads those the per-file stage did not parse: from the cache, else
/// parsed now.
fn late_index(shared: &shared::Shared<'_>, results: &[(usize, files::FileResult)]) -> Late {
    let ws = shared.ws;
    let seen: Vec<prefilter::Seen<'_>> = results
        .iter()
        .filter_map(|(i, r)| Some(prefilter::Seen { rel: &ws.files.get(*i)?.rel, lexed: r.lexed.as_ref()? }))
        .collect();
    let mut plan = if shared.parse_all {
        prefilter::IndexPlan::everything(ws)
    } else {
        prefilter::plan(shared.config, ws, shared.editions, shared.words, &seen)
    };
    if shared.scoped {
        plan.only_reaching(ws, &seen, shared.reported);
    }
    // The index needs every file of the crates it analyses. Largest first,
    // each worker taking the next file when it is free: a large file parsed
    // last would leave the other workers idle while it is read.
    let pending: Vec<usize> = results
        .iter()
        .filter(|(i, r)| r.unparsed && ws.files.get(*i).is_some_and(|f| plan.indexes(ws, &f.rel)))
        .map(|(i, _)| *i)
        .collect();
    let mut by_size: Vec<(u64, usize)> =
        pending.iter().enumerate().map(|(at, &i)| (ws.files.get(i).map_or(0, |f| f.len), at)).collect();
    by_size.sort_unstable_by(|a, b| b.cmp(a));
    let loaded: Vec<(usize, (crate::index::FileData, Option<Diagnostic>))> = by_size
        .into_iter()
        .par_bridge()
        .filter_map(|(_, at)| {
            let i = *pending.get(at)?;
            let entry = ws.files.get(i)?;
            let hash = results.binary_search_by_key(&i, |(j, _)| *j).ok().and_then(|k| results.get(k)?.1.hash);
            let data = cached_index(shared, entry, hash)
                .map(|data| (data, None))
                .or_else(|| syntax::index_only(shared, entry));
            Some((at, data?))
        })
        .collect();
    // Back in workspace order, each moved once: index data is large.
    let mut slots: Vec<Option<_>> = std::iter::repeat_with(|| None).take(pending.len()).collect();
    for (at, data) in loaded {
        if let Some(slot) = slots.get_mut(at) {
            *slot = Some(data);
        }
    }
    let late = slots.into_iter().flatten().collect();
    let skipped = results
        .iter()
        .filter_map(|(i, r)| ws.files.get(*i).filter(|f| r.unparsed && !plan.indexes(ws, &f.rel)))
        .map(|f| f.rel.clone())
        .collect();
    Late { plan, loaded: late, skipped }
}

/// A file's index data from the cache, when its content (`hash`, else its
/// size and stamp) is what the cache knows: whole for a reported file, its
/// outline for the others. A file syn could not read is read again: its
/// warning needs its text.
fn cached_index(
    shared: &shared::Shared<'_>,
    entry: &crate::workspace::FileEntry,
    hash: Option<u64>,
) -> Option<crate::index::FileData> {
    let cache = shared.cache?;
    let known = match hash {
        Some(h) => cache.same_content(&entry.rel, h),
        None => cache.unchanged(entry),
    };
    let need = if (shared.reported)(&entry.rel) { Need::Whole } else { Need::Outline };
    known.and(cache.take_index(&entry.rel, need)).filter(|data| data.problem.is_none())
}

/// The index stage and the checks that need the whole workspace's module
/// trees: `boundary/module` and `boundary/import` (with re-exports). Files
/// the pre-filter skipped that a `mod` or `include!` names after all are
/// parsed and the trees built again, until none is missing.
fn boundary_checks(
    shared: &shared::Shared<'_>,
    sources: &Sources<'_>,
    plan: &prefilter::IndexPlan,
    (indexed, skipped): (&mut Vec<crate::index::FileData>, &mut BTreeSet<String>),
    diagnostics: &mut Vec<Diagnostic>,
    clock: &mut timings::Clock,
) -> (Vec<Diagnostic>, BTreeMap<String, EditionId>, usize) {
    let (config, ws, editions) = (shared.config, shared.ws, shared.editions);
    loop {
        indexed.sort_by(|a, b| a.rel.cmp(&b.rel));
        let inputs = Inputs { config, ws, editions, files: indexed };
        let tree = ModTree::build(&inputs);
        let wanted: Vec<String> = tree.missing.iter().filter(|rel| skipped.remove(rel.as_str())).cloned().collect();
        if wanted.is_empty() {
            clock.lap("module trees");
            let resolver = Resolver::new(&inputs, &tree);
            clock.lap("name resolution");
            let reported =
                checks::boundary::reported_files(&inputs, &tree, shared.reported, &|krate| plan.checks(krate));
            let few = shared.scoped.then(|| Keys::of_few_files(inputs.files, &reported)).flatten();
            let keys = few.unwrap_or_else(|| Keys::new(&inputs, &tree, &resolver));
            clock.lap("keys to bodies");
            let (resolver, keys) = (&resolver, &keys);
            let trees =
                checks::boundary::Trees { inputs: &inputs, tree: &tree, resolver, keys, sources, reported: &reported };
            let out = checks::boundary::TREE_CHECKS.iter().flat_map(|check| check(&trees)).collect();
            // The edition each module file's declaration gives it (for `export`).
            let declared = if shared.collect_facts {
                tree.modules
                    .iter()
                    .filter(|m| m.body.is_empty() && m.decl.is_some())
                    .filter_map(|m| Some((inputs.files.get(m.file)?.rel.clone(), m.edition)))
                    .collect()
            } else {
                BTreeMap::new()
            };
            let looked_at = reported.iter().filter(|r| **r).count();
            return (out, declared, looked_at);
        }
        for rel in wanted {
            let Ok(at) = ws.files.binary_search_by(|f| f.rel.as_str().cmp(&rel)) else { continue };
            let Some(entry) = ws.files.get(at) else { continue };
            if let Some(data) = cached_index(shared, entry, None) {
                indexed.push(data);
            } else if let Some((data, syntax)) = syntax::index_only(shared, entry) {
                indexed.push(data);
                diagnostics.extend(syntax);
            }
        }
    }
}

/// The suppression comments of the manifests (not read as files to check).
fn manifest_suppressions(
    ws: &Workspace,
    suppressions: &mut BTreeMap<String, (Arc<diagnostic::SourceFile>, Vec<suppress::Suppression>)>,
) {
    for c in &ws.crates {
        if !suppressions.contains_key(&c.manifest.path) {
            let found = suppress::find(&c.manifest.text, crate::license::comment::CommentStyle::Hash);
            if !found.is_empty() {
                suppressions.insert(c.manifest.path.clone(), (Arc::clone(&c.manifest), found));
            }
        }
    }
}

fn progress_bar(enabled: bool, len: usize) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    indicatif::ProgressBar::new(len as u64).with_style(
        indicatif::ProgressStyle::with_template("{spinner} checking {pos}/{len} files {wide_bar}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    )
}

/// Every edition's accepted expressions, parsed once (the config loader has
/// already rejected any that do not parse).
fn accepted_licenses(config: &Config) -> Vec<Vec<LicenseExpr>> {
    config.editions.iter().map(|e| e.licenses.iter().filter_map(|l| LicenseExpr::parse(l).ok()).collect()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panicking_stage_becomes_an_internal_error_naming_it() {
        let mut errors = Vec::new();
        let out: Option<u32> = super::caught("resolving the modules", &mut errors, || panic!("boom"));
        assert_eq!(out, None);
        assert_eq!(errors, ["internal error while resolving the modules: boom"]);
        assert_eq!(super::caught("checking", &mut errors, || 7), Some(7));
        assert_eq!(errors.len(), 1);
    }
}
