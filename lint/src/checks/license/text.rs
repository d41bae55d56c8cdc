//! `license/text`: when the repository keeps license texts in `LICENSES/`
//! (the REUSE layout), every license an edition or a header uses needs its
//! text there as `LICENSES/<id>.txt` (exceptions too).

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::license::expr::LicenseExpr;

/// The license and exception ids of an expression (references to other
/// documents are left out: their text lives there).
pub fn ids(expr: &LicenseExpr) -> Vec<String> {
    expr.canonical()
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !t.is_empty() && !matches!(*t, "AND" | "OR" | "WITH") && !t.starts_with("DocumentRef-"))
        .map(|t| t.trim_end_matches('+').to_owned())
        .collect()
}

/// Flags each used id without a text in `LICENSES/`: the editions' licenses
/// (pointing into `corefence.toml`) and `used_in_files`, each id with the
/// first place a file uses it.
pub fn check(root: &Path, config: &Config, used_in_files: &BTreeMap<String, Location>) -> Vec<Diagnostic> {
    let folder = root.join("LICENSES");
    if !folder.is_dir() {
        return Vec::new();
    }
    let mut wanted: BTreeMap<String, Location> = BTreeMap::new();
    if let Some(file) = &config.source {
        for e in &config.editions {
            for l in &e.licenses {
                let Ok(expr) = LicenseExpr::parse(l) else { continue };
                for id in ids(&expr) {
                    let span = file.text.find(&format!("\"{l}\"")).map_or(0..0, |i| i + 1..i + 1 + l.len());
                    wanted.entry(id).or_insert_with(|| Location::new(file, span));
                }
            }
        }
    }
    for (id, at) in used_in_files {
        wanted.entry(id.clone()).or_insert_with(|| at.clone());
    }
    wanted
        .into_iter()
        .filter(|(id, _)| !folder.join(format!("{id}.txt")).is_file())
        .map(|(id, at)| {
            Diagnostic::new(Code::LicenseText, at, format!("LICENSES/{id}.txt is missing"))
                .with_label("license used here")
                .with_symbol(id.clone())
                .with_help(if id.starts_with("LicenseRef-") {
                    format!("add the text of your license as LICENSES/{id}.txt")
                } else {
                    format!("add the license text as LICENSES/{id}.txt (`reuse download {id}`)")
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_an_expression() {
        let e =
            LicenseExpr::parse("(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0 AND LicenseRef-Acme")
                .unwrap();
        let mut found = ids(&e);
        found.sort();
        assert_eq!(found, ["Apache-2.0", "Classpath-exception-2.0", "GPL-2.0-only", "LicenseRef-Acme", "MIT"]);
    }
}
