//! `license/text`: when the repository keeps license texts in `LICENSES/`
//! (the REUSE layout), every license an edition or a header uses needs its
//! text there as `LICENSES/<id>.txt` (exceptions too).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Location, SourceFile};
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

/// Flags each used id without a text in `LICENSES/`; `used` are the ids
/// found in headers. `config_file` is where edition licenses are written.
pub fn check(root: &Path, config: &Config, used_in_headers: &BTreeSet<String>) -> Vec<Diagnostic> {
    let folder = root.join("LICENSES");
    if !folder.is_dir() {
        return Vec::new();
    }
    let file = config.source.clone().unwrap_or_else(|| Arc::new(SourceFile::new("LICENSES", "")));
    let mut wanted: BTreeSet<String> = used_in_headers.clone();
    for e in &config.editions {
        for l in &e.licenses {
            if let Ok(expr) = LicenseExpr::parse(l) {
                wanted.extend(ids(&expr));
            }
        }
    }
    wanted
        .into_iter()
        .filter(|id| !folder.join(format!("{id}.txt")).is_file())
        .map(|id| {
            let span = config.source.as_ref().and_then(|s| s.text.find(&id).map(|i| i..i + id.len())).unwrap_or(0..0);
            Diagnostic::new(Code::LicenseText, Location::new(&file, span), format!("LICENSES/{id}.txt is missing"))
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
