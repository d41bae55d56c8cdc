//! The license texts a repository keeps: `LICENSE*`, `COPYING*` and
//! `LICENSES/` (REUSE), at the root and in folders (`ee/LICENSE`), each
//! recognised by the spdx crate's text matcher where it is an SPDX license.

use crate::workspace::Workspace;

/// How close a text must be to an SPDX license text to be called that license.
const MATCH: f32 = 0.8;

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
            Some(id) => format!("{} ({id} text, {:.0}% match)", self.rel, self.score * 100.0),
            None => format!("{} (not an SPDX license text)", self.rel),
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
            });
            continue;
        }
        if !is_license_name(name) || f.len > 1 << 20 {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&f.abs) else { continue };
        let store = store.get_or_insert_with(|| spdx::detection::Store::load_inline().ok());
        let (id, certainty) = store.as_ref().map_or((None, 0.0), |s| recognise(s, &text));
        out.push(LicenseFile { rel: f.rel.clone(), folder: folder.to_owned(), id, score: certainty });
    }
    out
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

/// The SPDX license `text` is, and how sure the matcher is.
fn recognise(store: &spdx::detection::Store, text: &str) -> (Option<String>, f32) {
    let data = spdx::detection::TextData::new(text);
    let found = store.analyze(&data);
    if found.score < MATCH {
        return (None, found.score);
    }
    let common = COMMON
        .iter()
        .filter_map(|id| Some((*id, store.get_original(id)?.match_score(&data))))
        .filter(|(_, close)| *close >= found.score - NEAR)
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match common {
        Some((id, close)) => (Some(id.to_owned()), close),
        None => (Some(found.name.to_owned()), found.score),
    }
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
        assert_eq!(recognise(&store, apache).0.as_deref(), Some("Apache-2.0"));
        let mit = include_str!("../../../../LICENSE-MIT");
        assert_eq!(recognise(&store, mit).0.as_deref(), Some("MIT"));
        let own = "Acme Enterprise License\n\nThis software is not open source. Use requires a subscription.\n";
        assert_eq!(recognise(&store, own).0, None);
    }
}
