//! When most files disagree with the configuration in the same way (1,093
//! community files say `AGPL-3.0-only OR LicenseRef-SEL` where
//! `corefence.toml` says `AGPL-3.0-only`), the configuration is the likelier
//! mistake: human output shows one summary pointing at the edition's license
//! in `corefence.toml` instead of the same finding and the same
//! `--fix --relicense` advice a thousand times. Machine formats keep every
//! finding.

use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location, SourceFile};
use crate::license::expr::LicenseExpr;

/// Fewest findings that make a group worth summarising.
const AT_LEAST: usize = 10;

/// The diagnostics to render: groups of `license/mismatch` and
/// `license/manifest` findings that say the same license for the same
/// edition, in at least half of the `files` checked, each replaced by one
/// summary (at the first finding's place in the list).
pub fn collapse(diagnostics: &[Diagnostic], files: usize, config: &Config) -> Vec<Diagnostic> {
    let mut groups: Vec<(String, LicenseExpr, String, Vec<usize>)> = Vec::new();
    for (i, d) in diagnostics.iter().enumerate() {
        // By name: this module summarises findings, it emits none of its own.
        if !matches!(d.code.as_str(), "license/mismatch" | "license/manifest") {
            continue;
        }
        let (Some(edition), Some(said)) = (d.edition.as_deref(), d.location.file.text.get(d.location.span.clone()))
        else {
            continue;
        };
        let said = said.trim().trim_matches('"');
        let Ok(expr) = LicenseExpr::parse(said) else { continue };
        match groups.iter_mut().find(|(e, x, _, _)| e == edition && *x == expr) {
            Some((_, _, _, members)) => members.push(i),
            None => groups.push((edition.to_owned(), expr, said.to_owned(), vec![i])),
        }
    }
    let big = |n: usize| n >= AT_LEAST && n * 2 >= files;
    let mut replaced: Vec<Option<Diagnostic>> = vec![None; diagnostics.len()];
    let mut hidden = vec![false; diagnostics.len()];
    for (edition, _, said, members) in groups.iter().filter(|(_, _, _, m)| big(m.len())) {
        let Some(&first) = members.first() else { continue };
        let paths: Vec<&str> = members.iter().filter_map(|&i| diagnostics.get(i)).map(|d| d.location.path()).collect();
        if let (Some(d), Some(slot)) = (diagnostics.get(first), replaced.get_mut(first)) {
            *slot = Some(summary(d, config, edition, said, &paths));
        }
        for &i in members {
            if let Some(h) = hidden.get_mut(i) {
                *h = true;
            }
        }
    }
    diagnostics
        .iter()
        .zip(replaced)
        .zip(hidden)
        .filter_map(|((d, summary), hidden)| summary.or_else(|| (!hidden).then(|| d.clone())))
        .collect()
}

/// One finding for `paths`, which all say `said` for `edition`.
fn summary(first: &Diagnostic, config: &Config, edition: &str, said: &str, paths: &[&str]) -> Diagnostic {
    let expected = config.edition_named(edition).and_then(|id| config.editions.get(id)).map_or("", |e| e.license());
    let n = paths.len();
    let shown: Vec<&str> = paths.iter().take(3).copied().collect();
    let more = n.saturating_sub(shown.len());
    let listed = if more == 0 { shown.join(", ") } else { format!("{} and {more} more", shown.join(", ")) };
    let message =
        format!("{n} {edition} files and crates say `{said}`, not `{expected}`: is `{said}` the {edition} license?");
    let help = format!(
        "if it is, write it in corefence.toml (`license = \"{said}\"` under [editions.{edition}], or add it to the list); if it is not, `corefence check --fix --relicense` rewrites them. They are {listed}; `--format short` lists each"
    );
    let mut d = Diagnostic::new(first.code, first.location.clone(), message).with_edition(edition).with_help(help);
    if let Some(at) = config.source.as_ref().and_then(|s| license_value(s, edition)) {
        d = d.at(at).with_label(format!("the {edition} license"));
    }
    d
}

/// Where `corefence.toml` writes the license of `[editions.NAME]`.
fn license_value(source: &Arc<SourceFile>, edition: &str) -> Option<Location> {
    let text = &source.text;
    let table = text.find(&format!("[editions.{edition}]"))?;
    let rest = text.get(table..)?;
    let next_table = rest.get(1..).and_then(|r| r.find("\n[")).map_or(rest.len(), |i| i + 1);
    let key = rest.get(..next_table)?.find("\nlicense")?;
    let line_start = table + key + 1;
    let line = text.get(line_start..)?.lines().next()?;
    let eq = line.find('=')?;
    let after = line.get(eq + 1..)?;
    let start = line_start + eq + 1 + (after.len() - after.trim_start().len());
    Some(Location::new(source, start..line_start + line.trim_end().len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    fn mismatch(rel: &str, said: &str) -> Diagnostic {
        let text = format!("// SPDX-License-Identifier: {said}\n");
        let file = Arc::new(SourceFile::new(rel, text));
        let start = "// SPDX-License-Identifier: ".len();
        let code: Code = "license/mismatch".parse().unwrap();
        Diagnostic::new(code, Location::new(&file, start..start + said.len()), "mismatch").with_edition("community")
    }

    #[test]
    fn most_files_saying_the_same_license_become_one_summary_at_the_config() {
        let text = "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\n";
        let config = crate::config::from_str("corefence.toml", text).unwrap();
        let dual = "AGPL-3.0-only OR LicenseRef-E";
        let mut found: Vec<Diagnostic> = (0..12)
            .map(|i| mismatch(&format!("src/f{i:02}.rs"), if i == 5 { "LicenseRef-E OR AGPL-3.0-only" } else { dual }))
            .collect();
        found.push(mismatch("src/other.rs", "MIT"));
        let shown = collapse(&found, 20, &config);
        assert_eq!(shown.len(), 2, "{shown:#?}");
        let s = &shown[0];
        assert!(
            s.message
                .starts_with("12 community files and crates say `AGPL-3.0-only OR LicenseRef-E`, not `AGPL-3.0-only`"),
            "{}",
            s.message
        );
        assert_eq!(s.location.path(), "corefence.toml");
        assert_eq!(&s.location.file.text[s.location.span.clone()], "\"AGPL-3.0-only\"");
        assert!(s.help.as_deref().unwrap().contains("src/f00.rs, src/f01.rs, src/f02.rs and 9 more"));
        assert_eq!(shown[1].location.path(), "src/other.rs");
        // Fewer than half the files: each finding is shown.
        assert_eq!(collapse(&found, 40, &config).len(), found.len());
    }
}
