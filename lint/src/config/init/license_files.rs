//! The license texts a repository keeps: `LICENSE*`, `COPYING*` and
//! `LICENSES/` (REUSE), at the root and in folders (`ee/LICENSE`), each
//! recognised by the spdx crate's text matcher where it is an SPDX license.

use std::collections::BTreeSet;

use crate::workspace::Workspace;

/// How close a text must be to an SPDX license text to be called that license.
const MATCH: f32 = 0.8;

/// How close an unmatched text must be for its closest license to be named.
const CLOSE: f32 = 0.5;

/// One license text of the repository.
#[derive(Debug, Clone, PartialEq)]
pub struct LicenseFile {
    /// Where it is.
    pub rel: String,
    /// The folder it licenses (`""` for the root).
    pub folder: String,
    /// The SPDX identifier (or the REUSE file name's `LicenseRef-`), when known.
    pub id: Option<String>,
    /// How sure the matcher is (1.0 for a REUSE file name).
    pub score: f32,
    /// A notice of other projects' licenses (several open-source texts in
    /// one file, as vendored or bundled code keeps them): evidence of
    /// neither edition.
    pub notice: bool,
    /// Read from the file's own `SPDX-License-Identifier` line.
    pub declared: bool,
    /// For a text no license matches well enough: the closest one, when
    /// it is a fair match (an adapted BUSL-1.1).
    pub closest: Option<String>,
}

impl LicenseFile {
    /// Whether the license is a commercial or source-available one: a
    /// `LicenseRef-`, a text no SPDX license matches, or an SPDX license
    /// that is not open source (BUSL-1.1, Elastic-2.0, SSPL-1.0, …).
    pub fn is_commercial(&self) -> bool {
        self.id.as_deref().is_none_or(is_commercial)
    }

    /// Where the evidence is, for the user: the file and what it was read as.
    pub fn describe(&self) -> String {
        match &self.id {
            Some(_) if self.rel.rsplit('/').nth(1) == Some("LICENSES") => format!("{} (REUSE)", self.rel),
            Some(id) if self.notice => format!("{} (a notice of {id} texts)", self.rel),
            Some(id) if self.declared => format!("{} (SPDX-License-Identifier: {id})", self.rel),
            Some(id) => format!("{} ({id} text, {:.0}% match)", self.rel, self.score * 100.0),
            None => match &self.closest {
                Some(near) => format!(
                    "{} (not an SPDX license text; closest: {near} at {:.0}%, adapted?)",
                    self.rel,
                    self.score * 100.0
                ),
                None => format!("{} (not an SPDX license text)", self.rel),
            },
        }
    }
}

/// Whether an SPDX expression's licenses are all commercial or
/// source-available (no OSI-approved license among them).
pub fn is_commercial(expression: &str) -> bool {
    let ids: Vec<&str> = expression
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty() && !matches!(*w, "OR" | "AND" | "WITH" | "or" | "and" | "with"))
        .collect();
    !ids.is_empty()
        && ids.iter().all(|id| {
            id.starts_with("LicenseRef-")
                || spdx::license_id(id.trim_end_matches('+')).is_none_or(|l| !l.is_osi_approved())
        })
}

/// Whether `name` is a license file's name.
fn is_license_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["LICENSE", "LICENCE", "COPYING"].iter().any(|p| upper.starts_with(p))
        && std::path::Path::new(name)
            .extension()
            .is_none_or(|e| !e.eq_ignore_ascii_case("rs") && !e.eq_ignore_ascii_case("license"))
}

/// Every license file of the workspace, outside `skip` (vendored folders),
/// recognised. The spdx crate's text store is loaded only when a text
/// needs it.
pub fn find(ws: &Workspace, skip: &dyn Fn(&str) -> bool) -> Vec<LicenseFile> {
    let mut store = None;
    let mut out = Vec::new();
    for f in &ws.files {
        let (folder, name) = f.rel.rsplit_once('/').unwrap_or(("", &f.rel));
        if skip(&f.rel) {
            continue;
        }
        if folder == "LICENSES" || folder.ends_with("/LICENSES") {
            // REUSE: the file name is the identifier.
            let id = name.strip_suffix(".txt").unwrap_or(name);
            let licensed = folder.strip_suffix("LICENSES").unwrap_or("").trim_end_matches('/');
            out.push(LicenseFile {
                rel: f.rel.clone(),
                folder: licensed.to_owned(),
                id: Some(id.to_owned()),
                score: 1.0,
                notice: false,
                declared: false,
                closest: None,
            });
            continue;
        }
        if !is_license_name(name) || f.len > 1 << 20 {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&f.abs) else { continue };
        let read = match declared(&text) {
            Declared::Umbrella => continue,
            Declared::One(id) => Read { id: Some(id), score: 1.0, notice: false, declared: true, closest: None },
            Declared::Nothing => {
                let store = store.get_or_insert_with(|| spdx::detection::Store::load_inline().ok());
                store
                    .as_ref()
                    .map_or(Read { id: None, score: 0.0, notice: false, declared: false, closest: None }, |s| {
                        recognise(s, &text)
                    })
            }
        };
        out.push(LicenseFile {
            rel: f.rel.clone(),
            folder: folder.to_owned(),
            id: read.id,
            score: read.score,
            notice: read.notice,
            declared: read.declared,
            closest: read.closest,
        });
    }
    out
}

/// What a license file says of itself in an `SPDX-License-Identifier` line.
enum Declared {
    /// Nothing: read the text.
    Nothing,
    /// One edition's license.
    One(String),
    /// Open-source and commercial licenses at once (`MIT AND BUSL-1.1`): a
    /// file pointing at the others, evidence of neither edition.
    Umbrella,
}

fn declared(text: &str) -> Declared {
    let tag = "SPDX-License-Identifier:";
    let Some(line) = text.lines().find_map(|l| Some(l.split_once(tag)?.1.trim())) else { return Declared::Nothing };
    let line = line.trim_end_matches("*/").trim_end_matches("-->").trim();
    if crate::license::expr::LicenseExpr::parse(line).is_err() {
        return Declared::Nothing;
    }
    let ids: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty() && !matches!(*w, "OR" | "AND" | "WITH" | "or" | "and" | "with"))
        .collect();
    let commercial = ids.iter().filter(|id| is_commercial(id)).count();
    if commercial > 0 && commercial < ids.len() && line.contains("AND") {
        Declared::Umbrella
    } else {
        Declared::One(line.to_owned())
    }
}

/// Licenses open-core repositories use, preferred over a near-identical
/// variant (Apache-2.0 over Pixar, which is Apache-2.0 with changes).
const COMMON: [&str; 16] = [
    "Apache-2.0",
    "MIT",
    "BSD-3-Clause",
    "BSD-2-Clause",
    "ISC",
    "MPL-2.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "GPL-3.0-only",
    "GPL-2.0-only",
    "LGPL-3.0-only",
    "LGPL-2.1-only",
    "BUSL-1.1",
    "Elastic-2.0",
    "SSPL-1.0",
    "Unlicense",
];

/// How much lower than the best match a common license may score and still
/// be preferred.
const NEAR: f32 = 0.05;

/// What a license text was read as.
struct Read {
    id: Option<String>,
    score: f32,
    notice: bool,
    declared: bool,
    closest: Option<String>,
}

/// The SPDX license `text` is, and how sure the matcher is; a text made
/// of several open-source license texts between separator lines (`---`)
/// is a notice of them.
fn recognise(store: &spdx::detection::Store, text: &str) -> Read {
    let sections = sections(text);
    if sections.len() > 1 {
        let ids: Vec<Option<String>> = sections.iter().map(|s| recognise_one(store, s).id).collect();
        let open: BTreeSet<&str> = ids.iter().flatten().map(String::as_str).filter(|id| !is_commercial(id)).collect();
        if ids.iter().flatten().count() > 1 && !open.is_empty() {
            let id = open.into_iter().collect::<Vec<_>>().join(" AND ");
            return Read { id: Some(id), score: 1.0, notice: true, declared: false, closest: None };
        }
    }
    recognise_one(store, text)
}

/// The parts of `text` between separator lines: three or more of one of
/// `-`, `=`, `*`, `_` alone on a line.
fn sections(text: &str) -> Vec<String> {
    let separator = |line: &str| {
        let line = line.trim();
        line.len() >= 3 && ['-', '=', '*', '_'].iter().any(|&c| line.chars().all(|x| x == c))
    };
    let mut out = vec![String::new()];
    for line in text.lines() {
        if separator(line) {
            out.push(String::new());
        } else if let Some(last) = out.last_mut() {
            last.push_str(line);
            last.push('\n');
        }
    }
    out.retain(|s| !s.trim().is_empty());
    out
}

/// The SPDX license `text` is as a whole.
fn recognise_one(store: &spdx::detection::Store, text: &str) -> Read {
    let data = spdx::detection::TextData::new(text);
    let found = store.analyze(&data);
    if found.score < MATCH {
        let closest = (found.score >= CLOSE).then(|| found.name.to_owned());
        return Read { id: None, score: found.score, notice: false, declared: false, closest };
    }
    let common = COMMON
        .iter()
        .filter_map(|id| Some((*id, store.get_original(id)?.match_score(&data))))
        .filter(|(_, close)| *close >= found.score - NEAR)
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let (id, certainty) = common.unwrap_or((found.name, found.score));
    Read { id: Some(id.to_owned()), score: certainty, notice: false, declared: false, closest: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_source_and_commercial_licenses_are_told_apart() {
        for open in ["MIT", "Apache-2.0", "AGPL-3.0-only", "MIT OR Apache-2.0", "AGPL-3.0-only OR LicenseRef-SEL"] {
            assert!(!is_commercial(open), "{open}");
        }
        for closed in ["LicenseRef-SEL", "BUSL-1.1", "Elastic-2.0", "SSPL-1.0", "LicenseRef-A AND BUSL-1.1"] {
            assert!(is_commercial(closed), "{closed}");
        }
    }

    #[test]
    fn license_texts_are_recognised() {
        let store = spdx::detection::Store::load_inline().unwrap();
        let apache = include_str!("../../../../LICENSE-APACHE");
        assert_eq!(recognise(&store, apache).id.as_deref(), Some("Apache-2.0"));
        let mit = include_str!("../../../../LICENSE-MIT");
        assert_eq!(recognise(&store, mit).id.as_deref(), Some("MIT"));
        let own = "Acme Enterprise License\n\nThis software is not open source. Use requires a subscription.\n";
        assert_eq!(recognise(&store, own).id, None);
        // Bundled projects' texts, one after the other: a notice, not a
        // commercial license.
        let projects = ["tree-sitter.wasm", "tree-sitter-go.wasm", "tree-sitter-rust.wasm", "tree-sitter-c.wasm"];
        let bundle: Vec<String> = projects.iter().map(|p| format!("{p} (https://example.org/{p})\n\n{mit}")).collect();
        let bundle = bundle.join("\n---\n\n") + "\n---\n\n" + apache;
        let read = recognise(&store, &bundle);
        assert!(read.notice);
        assert_eq!(read.id.as_deref(), Some("Apache-2.0 AND MIT"));
    }

    #[test]
    fn a_license_file_naming_open_and_commercial_licenses_points_elsewhere() {
        let umbrella = "Parts of this software are MIT, see LICENSE-MIT; parts are under\nLICENSE-EE.\n\nSPDX-License-Identifier: MIT AND BUSL-1.1\n";
        assert!(matches!(declared(umbrella), Declared::Umbrella));
        assert!(matches!(declared("SPDX-License-Identifier: BUSL-1.1\n"), Declared::One(id) if id == "BUSL-1.1"));
        assert!(matches!(declared("MIT License\n\nPermission is hereby granted"), Declared::Nothing));
    }
}
