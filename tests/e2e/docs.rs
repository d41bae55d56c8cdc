//! The README's table of codes is generated from the code table; this test
//! fails when it is stale, and `UPDATE_DOCS=1` rewrites it.

use std::fmt::Write as _;

use clap::Parser as _;
use corefence::diagnostic::Code;

fn table() -> String {
    let mut out = String::from("| code | default | fires when |\n|---|---|---|\n");
    for c in Code::ALL {
        let _ = writeln!(out, "| `{}` | {} | {} |", c.as_str(), c.default_severity(), c.summary().replace('|', "\\|"));
    }
    out
}

#[test]
fn readme_code_table_is_current() {
    let path = crate::support::repo_root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find("<!-- codes:start").expect("start marker");
    let body_start = start + readme[start..].find("-->\n").expect("end of start marker") + 4;
    let end = readme.find("<!-- codes:end -->").expect("end marker");
    let wanted = table();
    if readme[body_start..end] != wanted {
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, format!("{}{}{}", &readme[..body_start], wanted, &readme[end..])).unwrap();
        } else {
            panic!("README.md's code table is stale: run `UPDATE_DOCS=1 cargo test --test e2e docs`");
        }
    }
}

/// Every `corefence ...` command in the CI recipes and the README is one the
/// command line accepts: a renamed flag must not leave stale recipes behind.
#[test]
fn documented_commands_parse() {
    let root = crate::support::repo_root();
    let mut checked = 0;
    for file in ["examples/github-actions.yml", "examples/gitlab-ci.yml", "README.md"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        for line in text.lines() {
            let found = ["corefence check", "corefence report", "corefence export"].iter().find_map(|c| line.find(c));
            let Some(start) = found else { continue };
            let command = line[start..].split(['>', '`', '#', '|']).next().unwrap().trim();
            let args: Vec<&str> = command.split_whitespace().collect();
            // A command named in prose (`corefence export` writes ...) is not run.
            if args.len() == 2 && line[..start].ends_with('`') {
                continue;
            }
            // Synopsis lines (`--format FORMAT`, `[PATHS...]`) are not commands.
            let placeholder = |a: &&str| {
                a.contains('[') || a.contains("...") || (a.len() > 1 && a.chars().all(|c| c.is_ascii_uppercase()))
            };
            if args.iter().any(placeholder) {
                continue;
            }
            let parsed = corefence::cli::Cli::try_parse_from(&args);
            assert!(parsed.is_ok(), "{file}: `{command}` does not parse: {:?}", parsed.err());
            checked += 1;
        }
    }
    assert!(checked >= 5, "found only {checked} commands");
}
