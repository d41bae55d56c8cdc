//! `boundary/reexport`: a `pub use` in code of edition A re-exports an item
//! of an edition A may not use. It is found as an import is (see
//! [`super::import`]) and reported where it is written; uses through the
//! re-export are reported as imports.

use crate::diagnostic::{Code, Diagnostic};

use super::{broken_uses, crossing, Kind, Report, Trees};

/// Checks every `pub use` of every module of the files reported on (no
/// other file's finding depends on one: a use through a re-export is
/// resolved, and reported, by itself).
pub fn check(trees: &Trees<'_, '_>) -> Vec<Diagnostic> {
    let Trees { inputs, tree, resolver, sources, .. } = *trees;
    let mut out = Vec::new();
    for (file, data) in inputs.files.iter().enumerate().filter(|(file, _)| trees.reports(*file)) {
        // In each reading of the file, each finding once.
        let mut given = std::collections::HashSet::new();
        for &root in tree.file_roots(file) {
            let report = Report { inputs, tree, resolver, sources, data, file, root };
            for m in tree.modules_in_file(root, file) {
                for (span, written, found, ctx) in broken_uses(&report, m, true) {
                    let found = crossing(Code::BoundaryReexport, &report, span, &written, &found, ctx, Kind::Reexport);
                    out.extend(found.filter(|d| given.insert((d.location.span.clone(), d.message.clone()))));
                }
            }
        }
    }
    out
}
