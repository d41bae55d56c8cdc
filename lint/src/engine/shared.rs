//! What every file's stages share: the workspace model, the options of
//! the run, the pre-filter's words and the previous run's cache.

use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::edition::EditionMap;
use crate::license::expr::LicenseExpr;
use crate::license::reuse::{self, Annotation};
use crate::prefilter::Words;
use crate::workspace::Workspace;

/// What every file's check shares.
pub struct Shared<'a> {
    pub config: &'a Config,
    pub ws: &'a Workspace,
    pub editions: &'a EditionMap,
    pub accepted: &'a [Vec<LicenseExpr>],
    pub reuse: &'a ReuseToml,
    pub fix: Option<super::FixMode>,
    /// Whether to gather [`crate::inventory::facts::FileFacts`] for `corefence report`.
    pub collect_facts: bool,
    /// Files larger than this many bytes get only their header checked.
    pub max_file_size: u64,
    /// With `--staged`: the index content of files whose working tree differs.
    pub index_content: Option<&'a std::collections::BTreeMap<String, Vec<u8>>>,
    /// The pre-filter's words.
    pub words: &'a Words,
    /// Parse every Rust file (`--exhaustive`), not only those the pre-filter keeps.
    pub parse_all: bool,
    /// Leave the function bodies that cannot change the index out of the
    /// first reading of each file (see [`crate::parse::skeleton`]); `None`
    /// parses every body at once.
    pub keep: Option<&'a crate::parse::skeleton::Keep>,
    /// The previous run's index cache, when caching.
    pub cache: Option<&'a crate::cache::Cache>,
    /// Whether a file's findings are reported (the paths asked about, the
    /// staged files): only the others may come from the cache unread.
    pub reported: &'a (dyn Fn(&str) -> bool + Sync),
    /// Only some files are reported: the index needs only what their
    /// crates can reach.
    pub scoped: bool,
    /// The time spent in each per-file step.
    pub steps: &'a super::timings::Steps,
}

/// The root `REUSE.toml`, if any.
#[derive(Default)]
pub struct ReuseToml {
    pub(super) annotations: Vec<Annotation>,
}

impl ReuseToml {
    /// Reads `REUSE.toml` at the root (what reading it gave); a broken one
    /// is reported and ignored.
    pub fn load(read: std::io::Result<Vec<u8>>, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let Ok(text) = read.map(|b| String::from_utf8_lossy(&b).into_owned()) else { return ReuseToml::default() };
        match reuse::parse_reuse_toml(&text) {
            Ok(annotations) => ReuseToml { annotations },
            Err(err) => {
                let file = Arc::new(SourceFile::new("REUSE.toml", text));
                diagnostics.push(Diagnostic::unreadable(
                    &file,
                    err.to_string(),
                    "fix REUSE.toml (see the REUSE specification); its annotations are ignored until then",
                ));
                ReuseToml::default()
            }
        }
    }
}
