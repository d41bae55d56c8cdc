//! `corefence init`: a commented `corefence.toml` fitted to the workspace.
//!
//! It starts from the embedded defaults and adjusts them to what it finds:
//! enterprise crates (by the default name patterns or because they live under
//! an `ee/`-style folder), the licenses those crates and the others already
//! declare in Cargo.toml or in file headers, and the enterprise folders that
//! actually exist.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Config;
use crate::workspace::Workspace;

/// Folder names that hold enterprise code by convention.
const ENTERPRISE_FOLDERS: [&str; 2] = ["ee", "enterprise"];

/// Renders the proposal.
pub fn render(ws: &Workspace) -> String {
    let defaults = Config::embedded();
    let enterprise_id = defaults.edition_named("enterprise").unwrap_or(0);
    let in_ee_folder = |rel: &str| rel.split('/').any(|part| ENTERPRISE_FOLDERS.contains(&part));

    let mut ee_crates = Vec::new();
    // Licenses seen, counted: community side first, enterprise side second.
    let (mut community_seen, mut enterprise_seen) =
        (BTreeMap::<String, usize>::new(), BTreeMap::<String, usize>::new());
    for c in &ws.crates {
        let by_name = defaults.crate_edition(&c.name) == Some(enterprise_id);
        let enterprise = by_name || in_ee_folder(&c.dir);
        if by_name && !in_ee_folder(&c.dir) {
            ee_crates.push(c.name.clone());
        }
        let declared = c.info.license.as_ref().map(|l| l.value.clone()).or_else(|| {
            c.info.license_inherited.as_ref().and_then(|_| ws.workspace_license.as_ref().map(|(_, l)| l.value.clone()))
        });
        if let Some(l) = declared.filter(|l| super::validate::check_expression(l).is_ok()) {
            let seen = if enterprise { &mut enterprise_seen } else { &mut community_seen };
            *seen.entry(l).or_default() += 1;
        }
    }
    for f in ws.files.iter().filter(|f| std::path::Path::new(&f.rel).extension().is_some_and(|e| e == "rs")).take(2000)
    {
        if let Some(l) = header_license(&f.abs).filter(|l| super::validate::check_expression(l).is_ok()) {
            let seen = if in_ee_folder(&f.rel) { &mut enterprise_seen } else { &mut community_seen };
            *seen.entry(l).or_default() += 1;
        }
    }
    let most_common = |m: &BTreeMap<String, usize>, fallback: &str| {
        m.iter().max_by_key(|(_, n)| **n).map_or_else(|| fallback.to_owned(), |(l, _)| l.clone())
    };
    let community = most_common(&community_seen, "AGPL-3.0-only");
    let mut enterprise = most_common(&enterprise_seen, "LicenseRef-Enterprise");
    if enterprise == community {
        "LicenseRef-Enterprise".clone_into(&mut enterprise);
    }

    let mut folders: Vec<String> = Vec::new();
    for f in &ws.files {
        let parts: Vec<&str> = f.rel.split('/').collect();
        if let Some(i) = parts.iter().position(|p| ENTERPRISE_FOLDERS.contains(p)) {
            let folder = format!("{}/**", parts.get(..=i).unwrap_or_default().join("/"));
            if !folders.contains(&folder) {
                folders.push(folder);
            }
        }
    }

    let mut out = String::new();
    let _ = write!(
        out,
        r#"# corefence configuration: which code belongs to which edition of the product,
# and which license each edition's files must carry. `corefence explain` lists
# the checks; `corefence check` runs them.

# The edition of code that no rule below assigns.
default = "community"

[editions.community]
# The SPDX expression every community file and crate must carry. A list is
# accepted too: the first entry is what `corefence check --fix` writes.
license = "{community}"

[editions.enterprise]
license = "{enterprise}"
# Enterprise code may use community code, never the other way round.
uses = ["community"]
# Code under #[cfg(feature = "enterprise")] may refer to enterprise items.
features = ["enterprise"]
"#
    );
    if !ee_crates.is_empty() {
        let list: Vec<String> = ee_crates.iter().map(|c| format!("\"{c}\"")).collect();
        let _ = write!(
            out,
            "\n# Whole crates of the enterprise edition (globs such as \"acme-ee-*\" work).\n[[assign]]\ncrates = [{}]\nedition = \"enterprise\"\n",
            list.join(", ")
        );
    }
    let _ = write!(out, "\n# Folders of the enterprise edition (gitignore globs; `ee/**` includes `ee` itself).\n");
    if folders.is_empty() {
        let _ = write!(out, "# Nothing matched the usual names; uncomment and adjust:\n# [[assign]]\n# paths = [\"ee/**\"]\n# edition = \"enterprise\"\n");
    } else {
        let list: Vec<String> = folders.iter().map(|f| format!("\"{f}\"")).collect();
        let _ = write!(out, "[[assign]]\npaths = [{}]\nedition = \"enterprise\"\n", list.join(", "));
    }
    let _ = write!(
        out,
        r#"
[headers]
# Files that must carry an SPDX-License-Identifier header (.gitignore'd files are skipped).
include = ["**/*.rs"]
exclude = []
# "required" also demands an SPDX-FileCopyrightText line.
copyright = "optional"

[boundary]
# "allow" lets community crates dev-depend on enterprise crates (tests only).
dev-dependencies = "deny"
"#
    );
    out
}

/// The SPDX identifier in a file's first lines, if any (a quick look, enough
/// to propose a license; the header check proper is stricter).
fn header_license(path: &std::path::Path) -> Option<String> {
    use std::io::Read;
    let mut head = [0u8; 1024];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).ok()?;
    let text = String::from_utf8_lossy(head.get(..n)?);
    text.lines()
        .take_while(|l| {
            l.trim_start().starts_with("//")
                || l.trim().is_empty()
                || l.starts_with("#!")
                || l.trim_start().starts_with("/*")
                || l.trim_start().starts_with('*')
        })
        .find_map(|l| {
            l.split_once("SPDX-License-Identifier:").map(|(_, e)| e.trim().trim_end_matches("*/").trim().to_owned())
        })
}
