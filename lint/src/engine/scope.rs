//! Which files' findings a run reports.

use std::path::Path;

use super::discover::absolute;
use super::Options;
use crate::config::Root;
use crate::workspace::{is_under, slash_path};

/// Which files' findings are reported: those under the paths asked about
/// (all when none), and with `--staged` only the staged ones. A change to
/// what configures the whole tree (`corefence.toml`, `REUSE.toml`, a
/// Cargo.toml, `LICENSES/`), asked about or staged, reports on every file:
/// such a change can make findings anywhere.
pub(super) struct Scope<'a> {
    /// Relative prefixes; `None` for everything.
    wanted: Option<Vec<String>>,
    staged: Option<&'a [String]>,
}

impl<'a> Scope<'a> {
    pub(super) fn new(options: &Options, start: &Path, root: &Root, staged: Option<&'a [String]>) -> Self {
        let wanted: Vec<String> = options
            .paths
            .iter()
            .filter_map(|p| absolute(&start.join(p)).strip_prefix(&root.dir).ok().map(slash_path))
            .collect();
        let config_rel = root.config_file.as_deref().and_then(|f| f.strip_prefix(&root.dir).ok()).map(slash_path);
        let configures = |rel: &str| {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            matches!(name, "Cargo.toml" | "REUSE.toml" | "corefence.toml")
                || config_rel.as_deref() == Some(rel)
                || is_under(rel, "LICENSES")
        };
        let whole_tree = staged.is_some_and(|s| s.iter().any(|f| configures(f)));
        let everything = options.paths.is_empty() || wanted.iter().any(|w| w.is_empty() || configures(w));
        if whole_tree {
            return Scope { wanted: None, staged: None };
        }
        Scope { wanted: (!everything).then_some(wanted), staged }
    }

    /// Whether every file is reported on.
    pub(super) fn everything(&self) -> bool {
        self.wanted.is_none() && self.staged.is_none()
    }

    pub(super) fn reports(&self, rel: &str) -> bool {
        self.wanted.as_ref().is_none_or(|w| w.iter().any(|p| is_under(rel, p)))
            && self.staged.is_none_or(|s| s.iter().any(|f| f == rel))
    }
}
