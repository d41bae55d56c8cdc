//! The check pipeline: discover → read → parse → check → report-ready diagnostics.
//!
//! [`run`] finds the root and configuration, builds the workspace model, runs
//! every check (per file in parallel with rayon, then the workspace-wide
//! ones), keeps the diagnostics for the paths the user asked about and returns
//! them sorted and fingerprinted. It prints nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::checks;
use crate::suppress;

mod files;
use crate::config::{self, Config, ConfigErrors, Root};
use crate::diagnostic::{self, Diagnostic};
use crate::edition::EditionMap;
use crate::index::modtree::{Inputs, ModTree};
use crate::index::Sources;
use crate::license::expr::LicenseExpr;
use crate::workspace::{slash_path, Workspace};

/// What to check and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where to start root discovery (usually the current directory).
    pub start: PathBuf,
    /// Only diagnostics under these paths are reported (the whole workspace is
    /// still indexed). Empty means everything.
    pub paths: Vec<PathBuf>,
    /// An explicit configuration file instead of discovery.
    pub config: Option<PathBuf>,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
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
    /// Number of files looked at.
    pub files: usize,
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

/// Runs every check.
pub fn run(options: &Options) -> Result<Outcome, Fatal> {
    let start = absolute(&options.start);
    let first_path = options.paths.first().map(|p| absolute(&start.join(p)));
    for p in &options.paths {
        let p = start.join(p);
        if !p.exists() {
            return Err(Fatal::Io(format!("{}: no such file or folder", p.display())));
        }
    }
    let root = if let Some(file) = &options.config {
        let file = absolute(&start.join(file));
        let dir = file.parent().map_or_else(|| start.clone(), Path::to_path_buf);
        Root { dir, config_file: Some(file) }
    } else {
        // Discovery starts from the first path asked about, so that
        // `corefence check fixtures/demo` finds the demo's own config.
        let from =
            first_path.as_deref().map_or(start.as_path(), |p| if p.is_file() { p.parent().unwrap_or(p) } else { p });
        config::discover_root(from)
    };
    let config = match &root.config_file {
        Some(file) => {
            let display = file.strip_prefix(&root.dir).map_or_else(|_| file.display().to_string(), slash_path);
            config::load_file(file, &display).map_err(|errors| Fatal::Config { root: root.dir.clone(), errors })?
        }
        None => Config::embedded(),
    };
    let jobs =
        if options.jobs == 0 { std::thread::available_parallelism().map_or(1, usize::from) } else { options.jobs };

    let ws = Workspace::load(&root.dir, jobs);
    let mut diagnostics = ws.diagnostics.clone();
    let editions = EditionMap::new(&config, &ws, &mut diagnostics);
    let accepted = accepted_licenses(&config);
    let reuse = files::ReuseToml::load(&root.dir, &mut diagnostics);
    let shared = files::Shared { config: &config, ws: &ws, editions: &editions, accepted: &accepted, reuse: &reuse };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().map_err(|e| Fatal::Io(e.to_string()))?;
    let results: Vec<files::FileResult> =
        pool.install(|| ws.files.par_iter().filter_map(|f| files::check(&shared, f)).collect());
    let mut used_ids = BTreeSet::new();
    let mut indexed = Vec::new();
    let mut suppressions = BTreeMap::new();
    for r in results {
        diagnostics.extend(r.diagnostics);
        used_ids.extend(r.license_ids);
        indexed.extend(r.index);
        if let Some((source, found)) = r.suppressions {
            suppressions.insert(source.path.clone(), (source, found));
        }
    }
    for c in &ws.crates {
        if !suppressions.contains_key(&c.manifest.path) {
            let found = suppress::find(&c.manifest.text);
            if !found.is_empty() {
                suppressions.insert(c.manifest.path.clone(), (Arc::clone(&c.manifest), found));
            }
        }
    }
    indexed.sort_by(|a, b| a.rel.cmp(&b.rel));
    let inputs = Inputs { config: &config, ws: &ws, editions: &editions, files: &indexed };
    let tree = ModTree::build(&inputs);
    let sources = Sources::new(&root.dir);
    diagnostics.extend(checks::enterprise_module::check(&inputs, &tree, &sources));
    diagnostics.extend(checks::enterprise_import::check(&inputs, &tree, &sources));
    diagnostics.extend(checks::unmatched_config::check(&config, &ws));
    diagnostics.extend(checks::manifest_license::check(&config, &ws, &editions, &accepted));
    diagnostics.extend(checks::enterprise_dependency::check(&config, &ws, &editions));
    diagnostics.extend(checks::license_texts::check(&root.dir, &config, &used_ids));

    suppress::apply(&mut diagnostics, &suppressions);

    let wanted: Vec<String> = options
        .paths
        .iter()
        .filter_map(|p| absolute(&start.join(p)).strip_prefix(&root.dir).ok().map(slash_path))
        .collect();
    if !options.paths.is_empty() && !wanted.iter().any(String::is_empty) {
        diagnostics.retain(|d| wanted.iter().any(|w| is_under(d.location.path(), w)));
    }
    diagnostic::finalize(&mut diagnostics);
    Ok(Outcome { root: root.dir, config, diagnostics, files: ws.files.len() })
}

/// Every edition's accepted expressions, parsed once (the config loader has
/// already rejected any that do not parse).
fn accepted_licenses(config: &Config) -> Vec<Vec<LicenseExpr>> {
    config.editions.iter().map(|e| e.licenses.iter().filter_map(|l| LicenseExpr::parse(l).ok()).collect()).collect()
}

/// Whether `path` is `prefix` or inside it.
fn is_under(path: &str, prefix: &str) -> bool {
    path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}

/// An absolute, `..`-free version of `p` without touching the file system
/// beyond the current directory (symlinks are kept as written).
fn absolute(p: &Path) -> PathBuf {
    let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
