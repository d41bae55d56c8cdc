//! The edition of every crate and file, by DESIGN's "most specific rule wins":
//! a path assignment, then the crate's assignment (`[[assign]] crates` or its
//! own `[package.metadata.corefence] edition`), then the default. A crate's own
//! edition (for its manifest and dependencies) falls back to the edition of
//! the folder holding its Cargo.toml, so a crate under `ee/` is enterprise.
//!
//! Tags (`#[edition(..)]`), snippets and cfg-gated code refine this per item;
//! that happens where the items are indexed.

use std::fmt;

use crate::config::{Config, EditionId};
use crate::workspace::Workspace;

/// Why a crate or file has its edition (shown in help texts and `report`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// `[[assign]] paths` matched.
    Path,
    /// `[[assign]] crates` matched the crate's name.
    CrateAssign,
    /// The crate's `[package.metadata.corefence] edition`.
    CrateMetadata,
    /// The default edition.
    Default,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::Path => "a path assignment",
            Reason::CrateAssign => "a crate assignment",
            Reason::CrateMetadata => "the crate's [package.metadata.corefence]",
            Reason::Default => "the default edition",
        })
    }
}

/// The editions of the workspace's crates, resolved once.
#[derive(Debug)]
pub struct EditionMap {
    /// Per crate (same order as `Workspace::crates`): the crate assignment
    /// (assign or metadata) if any.
    assigned: Vec<Option<(EditionId, Reason)>>,
    /// Per crate: the crate's own edition.
    own: Vec<(EditionId, Reason)>,
    /// Per crate: the edition each of its Cargo features turns on, where it
    /// turns on a mapped feature (directly, through another of its
    /// features, or through `dep/feature` of a workspace crate).
    features: Vec<std::collections::HashMap<String, EditionId>>,
}

impl EditionMap {
    /// Resolves every crate's edition; a crate whose metadata names an
    /// unknown edition (`edition/unknown` reports it) falls back to the next rule.
    pub fn new(config: &Config, ws: &Workspace) -> Self {
        let mut assigned = Vec::with_capacity(ws.crates.len());
        let mut own = Vec::with_capacity(ws.crates.len());
        for c in &ws.crates {
            let by_metadata = c
                .info
                .metadata_edition
                .as_ref()
                .and_then(|e| config.edition_named(&e.value))
                .map(|id| (id, Reason::CrateMetadata));
            let a = by_metadata.or_else(|| config.crate_edition(&c.name).map(|id| (id, Reason::CrateAssign)));
            let o = a.clone().unwrap_or_else(|| match config.path_edition(&c.dir) {
                Some(id) => (id, Reason::Path),
                None => (config.default, Reason::Default),
            });
            assigned.push(a);
            own.push(o);
        }
        let features = feature_editions(config, ws);
        EditionMap { assigned, own, features }
    }

    /// Every feature name, in any crate, that turns on a mapped feature.
    pub fn gating_features(&self) -> impl Iterator<Item = &str> {
        self.features.iter().flat_map(|m| m.keys().map(String::as_str))
    }

    /// The edition a Cargo feature of crate `krate` turns on, if any: the
    /// edition the configuration maps it to, or the highest one it turns on.
    pub fn feature_edition(&self, config: &Config, krate: Option<usize>, feature: &str) -> Option<EditionId> {
        krate.and_then(|k| self.features.get(k)?.get(feature).copied()).or_else(|| config.feature_edition(feature))
    }

    /// A crate's own edition, by index in `Workspace::crates`.
    pub fn crate_edition(&self, index: usize) -> (EditionId, Reason) {
        self.own.get(index).cloned().unwrap_or((0, Reason::Default))
    }

    /// The edition of a file by path and crate (no tags or snippets).
    pub fn file_edition(&self, config: &Config, ws: &Workspace, rel: &str) -> (EditionId, Reason) {
        if let Some(id) = config.path_edition(rel) {
            return (id, Reason::Path);
        }
        let owner = ws.crate_of(rel).and_then(|c| ws.crates.iter().position(|x| std::ptr::eq(x, c)));
        if let Some(Some(a)) = owner.and_then(|i| self.assigned.get(i)) {
            return a.clone();
        }
        (config.default, Reason::Default)
    }
}

/// Per crate, the features that turn on a mapped feature, and the highest
/// edition they reach: a fixed point over every crate's `[features]`.
fn feature_editions(config: &Config, ws: &Workspace) -> Vec<std::collections::HashMap<String, EditionId>> {
    let mut out: Vec<std::collections::HashMap<String, EditionId>> = ws
        .crates
        .iter()
        .map(|c| {
            c.info.features.iter().filter_map(|f| Some((f.name.clone(), config.feature_edition(&f.name)?))).collect()
        })
        .collect();
    // Each round can only raise an entry; editions are few.
    for _ in 0..=config.editions.len() * ws.crates.len().max(1) {
        let mut changed = false;
        for (ci, c) in ws.crates.iter().enumerate() {
            for f in &c.info.features {
                let mut reached: Option<EditionId> = out.get(ci).and_then(|m| m.get(&f.name).copied());
                for entry in &f.enables {
                    let found = match entry.split_once('/') {
                        Some((dep, feature)) => {
                            let dep = dep.trim_end_matches('?');
                            let target = c
                                .info
                                .dependencies
                                .iter()
                                .find(|d| d.key == dep)
                                .and_then(|d| ws.dependency_crate(c, d));
                            target
                                .and_then(|t| out.get(t)?.get(feature).copied())
                                .or_else(|| config.feature_edition(feature))
                        }
                        None if entry.starts_with("dep:") => None,
                        None => out
                            .get(ci)
                            .and_then(|m| m.get(entry.as_str()).copied())
                            .or_else(|| config.feature_edition(entry)),
                    };
                    if let Some(e) = found {
                        reached = Some(reached.map_or(e, |r| config.higher(r, e)));
                    }
                }
                if let (Some(e), Some(map)) = (reached, out.get_mut(ci)) {
                    if map.get(&f.name) != Some(&e) {
                        map.insert(f.name.clone(), e);
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    out
}
