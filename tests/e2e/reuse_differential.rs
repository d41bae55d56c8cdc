//! Differential test against the REUSE reference tool (`reuse lint --json`,
//! `pip install reuse`): on a generated REUSE-compliant tree, corefence's
//! header detection and REUSE must agree on every file's license expression
//! (compared as parsed expressions), except where REUSE contradicts the SPDX
//! rules corefence follows; each such case is listed in `DISAGREEMENTS` with
//! the reason.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use corefence::license::comment::style_for_path;
use corefence::license::expr::LicenseExpr;
use corefence::license::header::scan;
use corefence::license::reuse::sidecar_license;

const EXPRESSIONS: [&str; 8] = [
    "MIT",
    "Apache-2.0",
    "MIT OR Apache-2.0",
    "(MIT AND Apache-2.0)",
    "GPL-2.0-or-later WITH Classpath-exception-2.0",
    "LicenseRef-Acme-Enterprise",
    "AGPL-3.0-only",
    "agpl-3.0-only",
];

/// Where REUSE and the SPDX header rules part ways: REUSE reads a tag
/// anywhere in a file, corefence only in the leading comments.
const DISAGREEMENTS: [(&str, &str); 2] = [
    ("after_code.rs", "REUSE counts a tag after code; SPDX headers are the leading comments only"),
    ("in_string.rs", "REUSE counts a tag inside a string literal; it is code, not a comment"),
];

/// A small deterministic generator, so a failure reproduces.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from((self.0 >> 33) % n as u64).unwrap()
    }
}

fn render(kind: usize, expr: &str, copyright: &str) -> (&'static str, String) {
    match kind {
        0 => ("rs", format!("// SPDX-FileCopyrightText: {copyright}\n// SPDX-License-Identifier: {expr}\n\nfn main() {{}}\n")),
        1 => ("rs", format!("//! SPDX-FileCopyrightText: {copyright}\n//! SPDX-License-Identifier: {expr}\n//! Docs.\n")),
        2 => ("rs", format!("/*\n * SPDX-FileCopyrightText: {copyright}\n * SPDX-License-Identifier: {expr}\n */\npub fn f() {{}}\n")),
        3 => ("py", format!("#!/usr/bin/env python3\n# SPDX-FileCopyrightText: {copyright}\n# SPDX-License-Identifier: {expr}\nprint(1)\n")),
        4 => ("sh", format!("#!/bin/sh\n# SPDX-FileCopyrightText: {copyright}\n# SPDX-License-Identifier: {expr}\necho hi\n")),
        5 => ("sql", format!("-- SPDX-FileCopyrightText: {copyright}\n-- SPDX-License-Identifier: {expr}\nSELECT 1;\n")),
        6 => ("md", format!("<!--\nSPDX-FileCopyrightText: {copyright}\nSPDX-License-Identifier: {expr}\n-->\n# Title\n")),
        7 => ("css", format!("/* SPDX-FileCopyrightText: {copyright} */\n/* SPDX-License-Identifier: {expr} */\nbody {{}}\n")),
        8 => ("js", format!("// SPDX-FileCopyrightText: {copyright}\n// SPDX-License-Identifier: {expr}\nlet x = 1;\n")),
        _ => ("toml", format!("# SPDX-FileCopyrightText: {copyright}\n# SPDX-License-Identifier: {expr}\n[a]\n")),
    }
}

fn corefence_view(root: &Path, rel: &str) -> Vec<String> {
    let path = root.join(rel);
    if let Ok(Some(sidecar)) = sidecar_license(&path) {
        return sidecar.licenses.into_iter().map(|t| t.text).collect();
    }
    let Some(style) = style_for_path(&path) else { return Vec::new() };
    scan(&std::fs::read(&path).unwrap(), style).licenses.into_iter().map(|t| t.text).collect()
}

fn same(a: &[String], b: &[String]) -> bool {
    let parse = |v: &[String]| v.iter().map(|s| LicenseExpr::parse(s).map_err(|_| s.clone())).collect::<Vec<_>>();
    let (a, b) = (parse(a), parse(b));
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| match (x, y) {
            (Ok(x), Ok(y)) => x == y,
            (Err(x), Err(y)) => x == y,
            _ => false,
        })
}

#[test]
#[ignore = "needs reuse"]
fn corefence_and_reuse_agree_on_every_file() {
    if Command::new("reuse").arg("--version").output().is_err() {
        crate::support::tool_missing("reuse", "pip install reuse");
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut rng = Lcg(0x5eed);
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..80 {
        let expr = EXPRESSIONS[rng.next(EXPRESSIONS.len())];
        let (ext, text) = render(rng.next(10), expr, "2026 Acme Corp");
        std::fs::write(root.join(format!("f{i:02}.{ext}")), text).unwrap();
        ids.extend(corefence::checks::license::text::ids(&LicenseExpr::parse(expr).unwrap()));
    }
    // A file that cannot carry a comment, with a REUSE sidecar.
    std::fs::write(root.join("data.json"), "{}\n").unwrap();
    std::fs::write(
        root.join("data.json.license"),
        "SPDX-FileCopyrightText: 2026 Acme Corp\nSPDX-License-Identifier: MIT\n",
    )
    .unwrap();
    std::fs::write(
        root.join("after_code.rs"),
        "// SPDX-FileCopyrightText: 2026 Acme Corp\nfn f() {}\n// SPDX-License-Identifier: MIT\n",
    )
    .unwrap();
    std::fs::write(
        root.join("in_string.rs"),
        "// SPDX-FileCopyrightText: 2026 Acme Corp\nconst S: &str = \"SPDX-License-Identifier: MIT\";\n",
    )
    .unwrap();
    std::fs::create_dir(root.join("LICENSES")).unwrap();
    for id in ids.iter().chain([&"MIT".to_owned()]) {
        std::fs::write(root.join("LICENSES").join(format!("{id}.txt")), "text\n").unwrap();
    }

    let out = Command::new("reuse").arg("--root").arg(root).args(["lint", "--json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("reuse lint --json output");
    let mut theirs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in report["files"].as_array().unwrap() {
        let values = f["spdx_expressions"].as_array().unwrap().iter().map(|e| e["value"].as_str().unwrap().to_owned());
        theirs.insert(f["path"].as_str().unwrap().to_owned(), values.collect());
    }
    assert!(theirs.len() >= 80, "reuse saw {} files", theirs.len());
    let mut mismatches = Vec::new();
    for (rel, expected) in &theirs {
        if rel.starts_with("LICENSES/") || rel.ends_with(".license") {
            continue;
        }
        let ours = corefence_view(root, rel);
        let listed = DISAGREEMENTS.iter().any(|(file, _)| file == rel);
        match (same(&ours, expected), listed) {
            (true, false) | (false, true) => {}
            (true, true) => mismatches.push(format!("{rel}: listed as a disagreement but both say {ours:?}")),
            (false, false) => mismatches.push(format!("{rel}: corefence {ours:?}, reuse {expected:?}")),
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

/// A REUSE tree where what REUSE says of a file comes from outside it: a
/// sidecar beside a file with its own header, a sidecar with two
/// identifiers on a binary file, and `REUSE.toml` annotations of each
/// precedence. Every file's license is made a mismatch (the community
/// license is one no file has), so `check --format json` states it.
fn precedence_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, bytes: &[u8]| {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), bytes).unwrap();
    };
    let header = b"// SPDX-FileCopyrightText: 2026 Acme\n// SPDX-License-Identifier: MIT\n";
    write("corefence.toml", b"default = \"community\"\n[editions.community]\nlicense = \"LicenseRef-Nothing\"\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\n[headers]\ninclude = [\"src/**\", \"assets/**\"]\nexclude = [\"**/*.license\"]\n");
    write("src/own_and_sidecar.rs", header);
    write(
        "src/own_and_sidecar.rs.license",
        b"SPDX-FileCopyrightText: 2026 Acme\nSPDX-License-Identifier: Apache-2.0\n",
    );
    for name in ["over", "agg", "close"] {
        write(&format!("src/{name}.rs"), header);
    }
    write("assets/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    write(
        "assets/logo.png.license",
        b"SPDX-FileCopyrightText: 2026 Acme\nSPDX-License-Identifier: MIT\nSPDX-License-Identifier: Apache-2.0\n",
    );
    let annotation = |path: &str, precedence: &str| {
        format!("[[annotations]]\npath = \"{path}\"\nprecedence = \"{precedence}\"\nSPDX-FileCopyrightText = \"2026 Acme\"\nSPDX-License-Identifier = \"AGPL-3.0-only\"\n\n")
    };
    let toml = format!(
        "version = 1\n\n{}{}{}",
        annotation("src/over.rs", "override"),
        annotation("src/agg.rs", "aggregate"),
        annotation("src/close.rs", "closest")
    );
    write("REUSE.toml", toml.as_bytes());
    dir
}

/// Each file's license ids as corefence's `license/mismatch` states them.
fn corefence_ids(root: &Path) -> BTreeMap<String, Vec<String>> {
    let run = crate::support::corefence_in(root.to_path_buf(), &["check", "--format", "json", "--no-cache"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let mut out = BTreeMap::new();
    for d in report["diagnostics"].as_array().unwrap() {
        assert_eq!(d["code"], "license/mismatch", "{d}");
        let message = d["message"].as_str().unwrap();
        let said = message.split('`').nth(1).unwrap();
        let mut ids: Vec<String> = said
            .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .filter(|w| !w.is_empty() && *w != "AND")
            .map(str::to_owned)
            .collect();
        ids.sort();
        out.insert(d["path"].as_str().unwrap().to_owned(), ids);
    }
    out
}

#[test]
fn sidecars_binary_files_and_reuse_toml_precedence_apply_as_reuse_specifies() {
    let dir = precedence_tree();
    let ids = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let expected: BTreeMap<String, Vec<String>> = [
        // A sidecar replaces what the file says.
        ("src/own_and_sidecar.rs", ids(&["Apache-2.0"])),
        ("src/over.rs", ids(&["AGPL-3.0-only"])),
        ("src/agg.rs", ids(&["AGPL-3.0-only", "MIT"])),
        ("src/close.rs", ids(&["MIT"])),
        // A binary file with a sidecar of two identifiers: both apply.
        ("assets/logo.png", ids(&["Apache-2.0", "MIT"])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(corefence_ids(dir.path()), expected);
}

#[test]
#[ignore = "needs reuse"]
fn sidecars_binary_files_and_reuse_toml_precedence_agree_with_reuse() {
    if Command::new("reuse").arg("--version").output().is_err() {
        crate::support::tool_missing("reuse", "pip install reuse");
    }
    let dir = precedence_tree();
    let out = Command::new("reuse").arg("--root").arg(dir.path()).args(["lint", "--json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("reuse lint --json output");
    let mut theirs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in report["files"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        if !(path.starts_with("src/") || path.starts_with("assets/")) || path.ends_with(".license") {
            continue;
        }
        let mut values: Vec<String> =
            f["spdx_expressions"].as_array().unwrap().iter().map(|e| e["value"].as_str().unwrap().to_owned()).collect();
        values.sort();
        theirs.insert(path.to_owned(), values);
    }
    assert_eq!(theirs.len(), 5, "{theirs:?}");
    assert_eq!(corefence_ids(dir.path()), theirs);
}

#[test]
fn the_spdx_report_carries_copyrights_and_licenses_reuse_gives_from_outside() {
    let dir = precedence_tree();
    let run = crate::support::corefence_in(dir.path().to_path_buf(), &["report", "--format", "spdx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let file = |name: &str| {
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["fileName"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    let logo = file("./assets/logo.png");
    assert_eq!(logo["licenseInfoInFiles"], serde_json::json!(["Apache-2.0", "MIT"]));
    assert_eq!(logo["copyrightText"], "2026 Acme");
    assert_eq!(file("./src/close.rs")["copyrightText"], "2026 Acme");
    assert_eq!(file("./src/over.rs")["licenseInfoInFiles"], serde_json::json!(["AGPL-3.0-only"]));
}
