//! What the pull request page shows: `check --format markdown` (a job
//! summary with counts, the findings linked to their lines, and the
//! boundary drawn), and `corefence graph` in Mermaid and Graphviz DOT.

use std::process::Command;

use crate::support::{corefence_in, repo_root, tool_missing};

fn demo() -> std::path::PathBuf {
    repo_root().join("fixtures/demo")
}

/// The demo's boundary findings, as JSON.
fn boundary_findings() -> Vec<serde_json::Value> {
    let run = corefence_in(demo(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let all = doc["diagnostics"].as_array().unwrap().clone();
    all.into_iter().filter(|d| d["code"].as_str().unwrap().starts_with("boundary/")).collect()
}

/// The counts on the graph's red edges (`-->|"2 crossings"|`).
fn crossing_counts(mermaid: &str) -> Vec<usize> {
    mermaid
        .lines()
        .filter_map(|l| l.split("-->|\"").nth(1))
        .filter_map(|rest| rest.split(' ').next()?.parse().ok())
        .collect()
}

#[test]
fn graph_draws_crates_by_edition_with_every_crossing_in_red() {
    let run = corefence_in(demo(), &["graph"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mermaid = run.stdout;
    assert!(mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    for edition in ["community", "enterprise"] {
        assert!(mermaid.contains(&format!("[\"{edition}\"]")), "{edition}: {mermaid}");
    }
    let report = corefence_in(demo(), &["report", "--format", "json"]);
    let inventory: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
    for edition in inventory["editions"].as_array().unwrap() {
        for krate in edition["crates"].as_array().unwrap() {
            assert!(mermaid.contains(&format!("[\"{}\"]", krate.as_str().unwrap())), "{krate}: {mermaid}");
        }
    }
    // Every crossing from one crate into another is counted on a red edge.
    let counts = crossing_counts(&mermaid);
    let drawn: usize = counts.iter().sum();
    let findings = boundary_findings();
    assert!(drawn > 0 && drawn <= findings.len(), "{drawn} of {} findings drawn:\n{mermaid}", findings.len());
    let styled = mermaid.lines().find(|l| l.starts_with("  linkStyle ")).unwrap_or_default();
    assert_eq!(styled.split(' ').nth(3).unwrap_or_default().split(',').count(), counts.len(), "{mermaid}");
    assert!(styled.contains("stroke:#d1242f"), "{styled}");
}

#[test]
fn graph_dot_has_the_same_edges() {
    let mermaid = corefence_in(demo(), &["graph"]).stdout;
    let dot = corefence_in(demo(), &["graph", "--format", "dot"]).stdout;
    assert!(dot.starts_with("digraph corefence {"), "{dot}");
    let arrows = |text: &str, arrow: &str| text.lines().filter(|l| l.contains(arrow)).count();
    assert_eq!(arrows(&dot, " -> "), arrows(&mermaid, " -->"), "{dot}\n{mermaid}");
    assert_eq!(arrows(&dot, "[color=red"), crossing_counts(&mermaid).len(), "{dot}");
}

#[test]
#[ignore = "needs graphviz"]
fn graphviz_renders_the_dot_graph() {
    if Command::new("dot").arg("-V").output().is_err() {
        tool_missing("dot", "apt-get install graphviz");
    }
    let dot = corefence_in(demo(), &["graph", "--format", "dot"]).stdout;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("boundary.dot");
    std::fs::write(&input, dot).unwrap();
    let out = Command::new("dot").arg("-Tsvg").arg(&input).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"), "no SVG");
}

#[test]
fn markdown_summary_counts_links_and_draws_the_boundary() {
    let contract = corefence_in(demo(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&contract.stdout).unwrap();
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_corefence"))
        .args(["check", "--format", "markdown"])
        .current_dir(demo())
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/app")
        .env("GITHUB_SHA", "0123abc")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    let errors = doc["summary"]["errors"].as_u64().unwrap();
    assert!(md.starts_with(&format!("## ❌ corefence: {errors} errors")), "{md}");
    assert!(md.contains("| edition | errors | warnings |") && md.contains("| code | errors | warnings |"), "{md}");
    // One row per finding, linked to its line in the commit.
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| error |") || l.starts_with("| warning |")).collect();
    assert_eq!(rows.len(), diagnostics.len(), "{md}");
    for (row, d) in rows.iter().zip(diagnostics) {
        let link = format!(
            "(https://github.com/acme/app/blob/0123abc/{}#L{})",
            d["path"].as_str().unwrap(),
            d["line"].as_u64().unwrap()
        );
        assert!(row.contains(&link), "{row} lacks {link}");
        assert!(row.contains(&format!("`{}`", d["code"].as_str().unwrap())), "{row}");
    }
    // The graph, as `corefence graph` draws it.
    let graph = corefence_in(demo(), &["graph"]).stdout;
    assert!(md.contains(&format!("```mermaid\n{graph}```")), "{md}");
}

#[test]
fn markdown_cells_stay_in_their_table() {
    // A file name with a pipe, angle brackets and a newline stays one cell.
    let (_dir, root) = crate::support::copy_fixture("headers");
    std::fs::write(root.join("src/we|ird<b>.rs"), "pub fn f() {}\n").unwrap();
    let run = corefence_in(root, &["check", "--format", "markdown"]);
    let row = run.stdout.lines().find(|l| l.contains("ird")).unwrap_or_default();
    assert!(row.contains("`src/we\\|ird<b>.rs`"), "in a code span, as written: {row}");
    assert!(row.contains("(src/we%7Cird%3Cb%3E.rs#L1)"), "{row}");
    assert_eq!(row.matches(" | ").count(), 3, "four cells: {row}");
}

/// The CI recipes the README points to are valid workflow files (the
/// schemas GitHub Actions and GitLab CI publish, as `check-jsonschema`
/// vendors them), and do what the README says they do.
#[test]
#[ignore = "needs check-jsonschema"]
fn the_ci_examples_are_valid_and_publish_every_report() {
    if Command::new("check-jsonschema").arg("--version").output().is_err() {
        tool_missing("check-jsonschema", "pip install check-jsonschema");
    }
    let examples = repo_root().join("examples");
    for (file, schema) in [("github-actions.yml", "vendor.github-workflows"), ("gitlab-ci.yml", "vendor.gitlab-ci")] {
        let out = Command::new("check-jsonschema")
            .args(["--builtin-schema", schema])
            .arg(examples.join(file))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{file}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let github = std::fs::read_to_string(examples.join("github-actions.yml")).unwrap();
    for step in [
        "corefence check --format sarif",
        "upload-sarif",
        "corefence check --format markdown >> \"$GITHUB_STEP_SUMMARY\"",
        "corefence export --edition community",
    ] {
        assert!(github.contains(step), "github-actions.yml lacks `{step}`");
    }
    let gitlab = std::fs::read_to_string(examples.join("gitlab-ci.yml")).unwrap();
    assert!(gitlab.contains("codequality: gl-code-quality-report.json") && gitlab.contains("--check"), "{gitlab}");
}

/// Code scanning reads SARIF paths from the repository's root: a workspace
/// in a folder of the repository gets that folder before every path, found
/// from git or given with `--sarif-root` (`.` for none).
#[test]
fn sarif_paths_start_at_the_repository_root() {
    let (dir, root) = crate::support::copy_fixture("demo");
    crate::support::git(dir.path(), &["init", "-q"]);
    let uris = |args: &[&str]| -> Vec<String> {
        let run = corefence_in(root.clone(), args);
        let log: serde_json::Value =
            serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
        let results = log["runs"][0]["results"].as_array().unwrap().clone();
        results
            .iter()
            .flat_map(|r| {
                let related = r["relatedLocations"].as_array().into_iter().flatten();
                let all = r["locations"].as_array().unwrap().iter().chain(related);
                all.map(|l| l["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let found = uris(&["check", "--format", "sarif"]);
    assert!(!found.is_empty() && found.iter().all(|u| u.starts_with("demo/")), "{found:?}");
    let given = uris(&["check", "--format", "sarif", "--sarif-root", "services/api/"]);
    let none = uris(&["check", "--format", "sarif", "--sarif-root", "."]);
    for ((found, given), none) in found.iter().zip(&given).zip(&none) {
        assert_eq!(found.strip_prefix("demo/"), Some(none.as_str()));
        assert_eq!(given.strip_prefix("services/api/"), Some(none.as_str()));
    }
}
