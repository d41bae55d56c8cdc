//! `corefence report`: what each edition holds — crates, files, tagged items,
//! lines — as a table, as JSON, or as an SPDX 2.3 document listing every
//! checked file with its declared license and checksum, crates as packages.

pub mod facts;
mod spdx;

use std::io::{self, Write};

use serde::Serialize;

use crate::config::Config;
use facts::Inventory;

pub use spdx::write as write_spdx;

/// The numbers of one edition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EditionSummary {
    /// Edition name.
    pub edition: String,
    /// Its canonical license.
    pub license: String,
    /// Crates whose own edition it is.
    pub crates: Vec<String>,
    /// Checked files of the edition.
    pub files: usize,
    /// Items tagged `#[edition(..)]` with it, anywhere.
    pub tagged_items: usize,
    /// SPDX snippets carrying its license, anywhere.
    pub snippets: usize,
    /// Lines of the edition's files.
    pub lines: usize,
    /// Lines of its tagged items and snippets inside files of other
    /// editions: what an export of an edition that may not use it cuts out
    /// of those files.
    pub region_lines: usize,
}

/// One summary per edition, in config order.
pub fn summarise(inv: &Inventory, config: &Config) -> Vec<EditionSummary> {
    let mut out: Vec<EditionSummary> = config
        .editions
        .iter()
        .map(|e| EditionSummary {
            edition: e.name.clone(),
            license: e.license().to_owned(),
            ..EditionSummary::default()
        })
        .collect();
    for c in &inv.crates {
        if let Some(s) = out.get_mut(c.edition) {
            s.crates.push(c.name.clone());
        }
    }
    for f in &inv.files {
        if let Some(s) = out.get_mut(f.edition) {
            s.files += 1;
            s.lines += f.lines;
        }
        for tagged in &f.tagged {
            if let Some(s) = out.get_mut(*tagged) {
                s.tagged_items += 1;
            }
        }
        for r in &f.regions {
            if let Some(s) = out.get_mut(r.edition) {
                s.snippets += usize::from(r.item.is_none());
                if r.edition != f.edition {
                    s.region_lines += r.lines;
                }
            }
        }
    }
    out
}

/// The table.
pub fn write_human(out: &mut dyn Write, inv: &Inventory, config: &Config) -> io::Result<()> {
    let rows = summarise(inv, config);
    let width = rows.iter().map(|r| r.edition.len()).max().unwrap_or(7).max(7);
    let lic = rows.iter().map(|r| r.license.len()).max().unwrap_or(7).max(7);
    writeln!(
        out,
        "{:<width$}  {:<lic$}  {:>6}  {:>6}  {:>6}  {:>8}  {:>8}  {:>13}",
        "edition", "license", "crates", "files", "tagged", "snippets", "lines", "lines in code"
    )?;
    for r in &rows {
        writeln!(
            out,
            "{:<width$}  {:<lic$}  {:>6}  {:>6}  {:>6}  {:>8}  {:>8}  {:>13}",
            r.edition,
            r.license,
            r.crates.len(),
            r.files,
            r.tagged_items,
            r.snippets,
            r.lines,
            r.region_lines
        )?;
    }
    writeln!(
        out,
        "\n`lines in code`: lines of an edition's tagged items and snippets in other editions' files (cut by an export)"
    )?;
    for r in rows.iter().filter(|r| !r.crates.is_empty()) {
        writeln!(out, "\n{} crates: {}", r.edition, r.crates.join(", "))?;
    }
    Ok(())
}

/// The JSON document: `{ "version": 1, "editions": [...] }`.
pub fn write_json(out: &mut dyn Write, inv: &Inventory, config: &Config) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc {
        version: u32,
        editions: Vec<EditionSummary>,
    }
    serde_json::to_writer_pretty(&mut *out, &Doc { version: 1, editions: summarise(inv, config) })?;
    writeln!(out)
}
