//! A whole run's file findings, kept so that a run on a workspace in which
//! nothing changed reports them again without reading or parsing anything.
//!
//! The index cache makes a run read only the files that changed, but every
//! file a run reports on is still read, parsed and checked against the whole
//! index: a full run on an unchanged workspace repeats all of that. What a
//! file's findings depend on is the configuration, the manifests,
//! `REUSE.toml`, the options (all in the cache [`key`](super::key)) and the
//! content of every file the walk found. So a full run stores its findings
//! with a digest of the file list (each path, size and [`Stamp`]), and a run
//! whose digest is the same reports them again, filtered to the paths it was
//! asked about. Any change, addition, removal or rename of a file, and any
//! file the stamps cannot vouch for (changed within seconds of the run, or
//! licensed by a sidecar the stamps do not cover), means a full check.
//!
//! Only what the files say is replayed: the workspace-wide checks of the
//! manifests and `LICENSES/` run every time (they take a millisecond), and
//! the texts findings point into are read again and must hash as they did.
//!
//! [`Stamp`]: crate::workspace::Stamp

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic, Fix, Label, Location, Severity, SourceFile};
use crate::index::Sources;
use crate::workspace::FileEntry;

/// Bumped whenever what a record means changes.
const FORMAT: u32 = 2;

/// What a full run found in the workspace's files.
#[derive(Debug, Default)]
pub struct Findings {
    /// Every finding of the files, before suppressions and before the
    /// workspace-wide checks.
    pub diagnostics: Vec<Diagnostic>,
    /// Files with suppression comments: read again for them.
    pub suppressed: Vec<String>,
    /// The license ids the files use, each at its first use.
    pub used_ids: BTreeMap<String, Location>,
    /// Files checked and Rust files parsed, as the run counted them.
    pub checked: usize,
    /// Rust files parsed.
    pub parsed: usize,
    /// Rust files whose own boundary findings were looked for.
    pub boundary_files: usize,
}

/// The digest of everything a full run's file findings depend on: the
/// cache key, the links to files, and every file's path, size and stamp. `None` when a checked
/// file has no stamp to trust (changed within [`super::RACY`] of `started`,
/// or unstamped).
pub fn digest(
    key: u64,
    (files, links): (&[FileEntry], &BTreeMap<String, String>),
    checked: &dyn Fn(&str) -> bool,
    started: SystemTime,
) -> Option<u64> {
    let racy_after = super::racy_after(started);
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&key.to_le_bytes());
    // Links to workspace files, and where they end.
    for (link, target) in links {
        for part in [link, target] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    for f in files {
        hasher.update(&(f.rel.len() as u64).to_le_bytes());
        hasher.update(f.rel.as_bytes());
        hasher.update(&f.len.to_le_bytes());
        if checked(&f.rel) {
            let stamp = f.stamp.filter(|s| s.modified.0 < racy_after)?;
            hasher.update(&stamp.modified.0.to_le_bytes());
            hasher.update(&stamp.modified.1.to_le_bytes());
            hasher.update(&stamp.changed.0.to_le_bytes());
            hasher.update(&stamp.changed.1.to_le_bytes());
            hasher.update(&stamp.inode.to_le_bytes());
            hasher.update(&stamp.device.to_le_bytes());
        }
    }
    Some(hasher.digest())
}

/// A finding as stored: its files by path.
#[derive(Serialize, Deserialize)]
struct Stored {
    code: String,
    severity: Severity,
    message: String,
    at: (String, Range<usize>),
    primary_label: Option<String>,
    labels: Vec<(String, Range<usize>, String)>,
    help: Option<String>,
    edition: Option<String>,
    target_edition: Option<String>,
    symbol: Option<String>,
    fix: Option<Fix>,
}

/// The stored file.
#[derive(Serialize, Deserialize)]
struct Record {
    format: u32,
    digest: u64,
    findings: Vec<Stored>,
    /// Each file a finding points into, with the hash of its text then.
    texts: Vec<(String, u64)>,
    suppressed: Vec<String>,
    used_ids: Vec<(String, String, Range<usize>)>,
    checked: usize,
    parsed: usize,
    boundary_files: usize,
}

/// Where the record of the cache at `index` lives: beside it.
fn location(index: &Path) -> PathBuf {
    let stem = index.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    index.with_file_name(format!("{stem}-findings.bin"))
}

fn text_hash(file: &SourceFile) -> u64 {
    super::hash(file.text.as_bytes())
}

/// Stores `findings` for the workspace state `digest`, beside the index
/// cache at `index`.
pub fn save(index: &Path, digest: u64, findings: &Findings) -> std::io::Result<()> {
    let mut texts = BTreeMap::new();
    let mut stored = Vec::with_capacity(findings.diagnostics.len());
    let mut path_of = |location: &Location| {
        texts.entry(location.file.path.clone()).or_insert_with(|| text_hash(&location.file));
        (location.file.path.clone(), location.span.clone())
    };
    for d in &findings.diagnostics {
        stored.push(Stored {
            code: d.code.as_str().to_owned(),
            severity: d.severity,
            message: d.message.clone(),
            at: path_of(&d.location),
            primary_label: d.primary_label.clone(),
            labels: d
                .labels
                .iter()
                .map(|l| {
                    let (path, span) = path_of(&l.location);
                    (path, span, l.text.clone())
                })
                .collect(),
            help: d.help.clone(),
            edition: d.edition.clone(),
            target_edition: d.target_edition.clone(),
            symbol: d.symbol.clone(),
            fix: d.fix.clone(),
        });
    }
    let used_ids =
        findings.used_ids.iter().map(|(id, at)| (id.clone(), at.file.path.clone(), at.span.clone())).collect();
    let record = Record {
        format: FORMAT,
        digest,
        findings: stored,
        texts: texts.into_iter().collect(),
        suppressed: findings.suppressed.clone(),
        used_ids,
        checked: findings.checked,
        parsed: findings.parsed,
        boundary_files: findings.boundary_files,
    };
    let bytes = postcard::to_stdvec(&record).map_err(|e| std::io::Error::other(e.to_string()))?;
    super::write_checked(&location(index), &bytes)
}

/// The findings stored for the workspace state `digest`, their files read
/// from `sources`; `None` when there are none for it, the record is
/// damaged, or a file a finding points into no longer reads as it did.
pub fn load(index: &Path, digest: u64, sources: &Sources<'_>) -> Option<Findings> {
    let body = super::read_checked(&location(index))?;
    let record: Record = postcard::from_bytes(&body).ok()?;
    if record.format != FORMAT || record.digest != digest {
        return None;
    }
    let files: BTreeMap<&str, Arc<SourceFile>> = record
        .texts
        .iter()
        .map(|(path, hash)| {
            let file = sources.get(path);
            (text_hash(&file) == *hash).then_some((path.as_str(), file))
        })
        .collect::<Option<_>>()?;
    let at = |path: &str, span: &Range<usize>| Some(Location::new(files.get(path)?, span.clone()));
    let mut diagnostics = Vec::with_capacity(record.findings.len());
    for s in record.findings {
        let mut d = Diagnostic::new(s.code.parse::<Code>().ok()?, at(&s.at.0, &s.at.1)?, s.message);
        d.severity = s.severity;
        d.primary_label = s.primary_label;
        d.labels = s
            .labels
            .into_iter()
            .map(|(path, span, text)| Some(Label { location: at(&path, &span)?, text }))
            .collect::<Option<_>>()?;
        d.help = s.help;
        d.edition = s.edition;
        d.target_edition = s.target_edition;
        d.symbol = s.symbol;
        d.fix = s.fix;
        diagnostics.push(d);
    }
    let used_ids = record.used_ids.into_iter().map(|(id, path, span)| (id, sources.at(&path, span))).collect();
    Some(Findings {
        diagnostics,
        suppressed: record.suppressed,
        used_ids,
        checked: record.checked,
        parsed: record.parsed,
        boundary_files: record.boundary_files,
    })
}
