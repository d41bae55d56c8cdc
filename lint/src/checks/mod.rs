//! The checks: one file per diagnostic code, `checks/<group>/<name>.rs` for
//! the code `<group>/<name>` (`boundary/reexport` is emitted by
//! `checks/boundary/reexport.rs`). Each returns diagnostics and prints
//! nothing; the [`crate::engine`] runs them.
//!
//! Per-file checks receive a [`FileContext`]: the file's text, its edition and
//! why, its header scan with every license expression parsed once, and (for
//! Rust files that parse) what the syntax tree says. Workspace checks receive
//! the whole model.

pub mod boundary;
pub mod config;
pub mod edition;
pub mod license;
pub mod parse;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::config::{Config, EditionId};
use crate::diagnostic::{Diagnostic, Location, SourceFile};
use crate::edition::{EditionMap, Reason};
use crate::license::expr::{ExprError, LicenseExpr};
use crate::license::header::Scan;
use crate::license::tag::LicenseTag;
use crate::parse::ParsedFile;
use crate::workspace::Workspace;

/// A license expression written somewhere in a file, parsed.
#[derive(Debug)]
pub struct WrittenLicense {
    /// The tag as found.
    pub tag: LicenseTag,
    /// The parse result.
    pub expr: Result<LicenseExpr, ExprError>,
}

impl WrittenLicense {
    /// Parses a tag's text.
    pub fn new(tag: LicenseTag) -> Self {
        let expr = LicenseExpr::parse(&tag.text);
        WrittenLicense { tag, expr }
    }
}

/// A license given to the file from outside it: a REUSE `.license` sidecar
/// or a `REUSE.toml` annotation.
#[derive(Debug)]
pub struct ExternalLicense {
    /// Where it comes from, for messages.
    pub origin: String,
    /// The expression.
    pub license: WrittenLicense,
    /// The `SPDX-FileCopyrightText` statements given with it.
    pub copyrights: Vec<String>,
}

/// Everything a per-file check may look at.
pub struct FileContext<'a> {
    /// The configuration.
    pub config: &'a Config,
    /// The file's text (lossily decoded when not UTF-8).
    pub source: &'a Arc<SourceFile>,
    /// The file's edition (path, crate or default).
    pub edition: EditionId,
    /// Why it has that edition.
    pub reason: &'a Reason,
    /// Whether `[headers]` requires a header on this file.
    pub header_required: bool,
    /// Whether the file is vendored third-party code (keeps its own license).
    pub third_party: bool,
    /// The header and snippet scan.
    pub scan: &'a Scan,
    /// File-level identifiers, parsed.
    pub licenses: &'a [WrittenLicense],
    /// Snippet identifiers, parsed, with the index of their snippet in `scan.snippets`.
    pub snippet_licenses: &'a [(usize, WrittenLicense)],
    /// The license given from outside the file, when it has none of its own.
    pub external: Option<&'a ExternalLicense>,
    /// Accepted expressions per edition.
    pub accepted: &'a [Vec<LicenseExpr>],
    /// The parsed Rust file, when it is one and it parses.
    pub parsed: Option<&'a ParsedFile>,
}

impl FileContext<'_> {
    /// The edition's name.
    pub fn edition_name(&self) -> &str {
        self.config.name(self.edition)
    }

    /// The edition's canonical license.
    pub fn expected_license(&self) -> &str {
        self.config.editions.get(self.edition).map_or("", |e| e.license())
    }

    /// A location in this file.
    pub fn at(&self, span: Range<usize>) -> crate::diagnostic::Location {
        crate::diagnostic::Location::new(self.source, span)
    }

    /// Every parsed license of the file: its own, or the external one.
    pub fn effective_licenses(&self) -> Vec<&WrittenLicense> {
        if self.licenses.is_empty() {
            self.external.map(|e| &e.license).into_iter().collect()
        } else {
            self.licenses.iter().collect()
        }
    }
}

/// Runs every per-file check.
pub fn check_file(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    license::missing::check(ctx, out);
    license::invalid::check(ctx, out);
    license::deprecated::check(ctx, out);
    license::conflict::check(ctx, out);
    license::mismatch::check(ctx, out);
    edition::invalid::check(ctx, out);
    edition::unknown::check(ctx, out);
    license::snippet::check(ctx, out);
}

/// What a workspace-wide check reads: the configuration and the manifests,
/// with what the per-file stage found.
pub struct WorkspaceContext<'a> {
    /// The configuration.
    pub config: &'a Config,
    /// The workspace.
    pub ws: &'a Workspace,
    /// Every crate's edition.
    pub editions: &'a EditionMap,
    /// Accepted expressions per edition.
    pub accepted: &'a [Vec<LicenseExpr>],
    /// Each license id the files use, with the first place one does.
    pub used_ids: &'a BTreeMap<String, Location>,
}

/// A check of the whole workspace.
pub type WorkspaceCheck = fn(&WorkspaceContext<'_>) -> Vec<Diagnostic>;

/// The workspace-wide checks, run after the per-file stage. A new one is
/// added here, and the engine runs it.
pub const WORKSPACE_CHECKS: &[WorkspaceCheck] = &[
    |w| config::unmatched::check(w.config, w.ws),
    |w| edition::unknown::crates(w.config, w.ws),
    |w| license::manifest::check(w.config, w.ws, w.editions, w.accepted),
    |w| license::text::check(&w.ws.root, w.config, w.used_ids),
    |w| boundary::dependency::check(w.config, w.ws, w.editions),
    |w| boundary::module::target_files(w.config, w.ws, w.editions),
];

#[cfg(test)]
mod tests;
