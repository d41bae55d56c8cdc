//! The checks, one file each, named after what they flag. Each returns
//! diagnostics and prints nothing; the [`crate::engine`] runs them.
//!
//! Per-file checks receive a [`FileContext`]: the file's text, its edition and
//! why, its header scan with every license expression parsed once, and (for
//! Rust files that parse) what the syntax tree says. Workspace checks receive
//! the whole model.

pub mod conflicting_licenses;
pub mod deprecated_license;
pub mod enterprise_dependency;
pub mod enterprise_import;
pub mod enterprise_module;
pub mod invalid_license;
pub mod license_mismatch;
pub mod license_texts;
pub mod manifest_license;
pub mod missing_header;
pub mod syntax_error;
pub mod tag_edition;
pub mod unmatched_config;
pub mod untagged_snippet;

use std::ops::Range;
use std::sync::Arc;

use crate::config::{Config, EditionId};
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::edition::Reason;
use crate::license::expr::{ExprError, LicenseExpr};
use crate::license::header::{Scan, Tag};
use crate::parse::ParsedFile;

/// A license expression written somewhere in a file, parsed.
#[derive(Debug)]
pub struct WrittenLicense {
    /// The tag as found.
    pub tag: Tag,
    /// The parse result.
    pub expr: Result<LicenseExpr, ExprError>,
}

impl WrittenLicense {
    /// Parses a tag's text.
    pub fn new(tag: Tag) -> Self {
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
    missing_header::check(ctx, out);
    invalid_license::check(ctx, out);
    deprecated_license::check(ctx, out);
    conflicting_licenses::check(ctx, out);
    license_mismatch::check(ctx, out);
    tag_edition::check(ctx, out);
    untagged_snippet::check(ctx, out);
}
