//! The README's table of codes is generated from the code table; this test
//! fails when it is stale, and `UPDATE_DOCS=1` rewrites it.

use std::fmt::Write as _;

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
