//! The large real workspace of issue #5: real crates.io crates turned into an
//! open-core workspace by `bench/corpus.py` (a few crates nothing else
//! depends on are enterprise, every file carries its edition's header).
//! corefence must find nothing on it, and once crossings are planted in a
//! copy, exactly those.
//!
//! The workspace is generated, not committed (it is ~250 MB of vendored
//! sources before the subset is taken); `.ci/run` generates it and points
//! `COREFENCE_REAL_WORKSPACE` at it. Locally:
//!
//! ```sh
//! export COREFENCE_REAL_WORKSPACE=$(bench/corpus.py --crates 40 --max-crate-kb 500)
//! cargo test --test e2e real_workspace -- --include-ignored
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::support::{corefence_in, tool_missing};

/// One public item per enterprise crate of `bench/corpus.py`
/// (`ENTERPRISE_CRATES` there), for the planted `use` lines.
const ENTERPRISE_ITEMS: [(&str, &str); 4] =
    [("aws-sdk-s3", "Client"), ("generic-array", "GenericArray"), ("sct", "verify_sct"), ("tonic", "Status")];

fn workspace() -> PathBuf {
    let Some(dir) = std::env::var_os("COREFENCE_REAL_WORKSPACE") else {
        tool_missing(
            "the generated real workspace (COREFENCE_REAL_WORKSPACE)",
            "export COREFENCE_REAL_WORKSPACE=$(bench/corpus.py --crates 40 --max-crate-kb 500)",
        );
    };
    let dir = PathBuf::from(dir);
    assert!(dir.join("corefence.toml").is_file(), "{} is not a workspace bench/corpus.py generated", dir.display());
    dir
}

/// Every diagnostic of a `--format json` run as (code, path, line).
fn findings(root: &Path) -> (i32, BTreeSet<(String, String, u64)>) {
    let run = corefence_in(root.to_path_buf(), &["check", "--format", "json"]);
    let doc: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    let found = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (run.code, found)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (kind, dest) = (entry.file_type().unwrap(), to.join(entry.file_name()));
        if kind.is_dir() {
            copy_tree(&entry.path(), &dest);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &dest).unwrap();
        } else if kind.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &dest).unwrap();
        }
    }
}

/// The crates `corefence.toml` assigns to an edition.
fn assigned(root: &Path, edition: &str) -> BTreeSet<String> {
    let config: toml::Table = std::fs::read_to_string(root.join("corefence.toml")).unwrap().parse().unwrap();
    config["assign"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["edition"].as_str() == Some(edition))
        .flat_map(|a| a["crates"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()))
        .collect()
}

/// Appends `text` to a file and returns the 1-based line its first line
/// lands on.
fn append(path: &Path, text: &str) -> u64 {
    let mut content = std::fs::read_to_string(path).unwrap();
    if !content.ends_with('\n') {
        content.push('\n');
    }
    let line = content.lines().count() as u64 + 1;
    content.push_str(text);
    std::fs::write(path, content).unwrap();
    line
}

/// Adds `target = "*"` to the `[dependencies]` of a manifest and returns its
/// line.
fn plant_dependency(manifest: &Path, target: &str) -> u64 {
    let mut content = std::fs::read_to_string(manifest).unwrap();
    let entry = format!("{target} = \"*\"\n");
    let table = "\n[dependencies]\n";
    if let Some(at) = content.find(table) {
        let end = at + table.len();
        content.insert_str(end, &entry);
        std::fs::write(manifest, &content).unwrap();
        return content[..end].matches('\n').count() as u64 + 1;
    }
    // Cargo writes `[dependencies.x]` tables instead when it normalises a
    // manifest; a `[dependencies]` table after them is still valid TOML.
    append(manifest, &format!("\n[dependencies]\n{entry}")) + 2
}

#[test]
#[ignore = "needs the generated real workspace (bench/corpus.py)"]
fn real_workspace_is_clean_and_every_planted_crossing_is_found() {
    let original = workspace();

    let (code, found) = findings(&original);
    assert_eq!((code, &found), (0, &BTreeSet::new()), "findings on the generated workspace");

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    copy_tree(&original, &root);

    let enterprise = assigned(&root, "enterprise");
    let planted: Vec<_> = ENTERPRISE_ITEMS.iter().filter(|(name, _)| enterprise.contains(*name)).collect();
    assert!(planted.len() >= 2, "the workspace holds too few enterprise crates: {enterprise:?}");
    // Community crates with a library root, one per crossing, spread over
    // the sorted list.
    let mut community: Vec<String> = std::fs::read_dir(root.join("crates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| !enterprise.contains(name) && root.join("crates").join(name).join("src/lib.rs").is_file())
        .collect();
    community.sort();
    assert!(community.len() >= planted.len());
    let step = community.len() / planted.len();

    let mut expected = BTreeSet::new();
    for (i, (target, item)) in planted.iter().enumerate() {
        let user = &community[i * step];
        let manifest = format!("crates/{user}/Cargo.toml");
        let line = plant_dependency(&root.join(&manifest), target);
        expected.insert(("boundary/dependency".to_owned(), manifest, line));

        let lib = format!("crates/{user}/src/lib.rs");
        let extern_name = target.replace('-', "_");
        let line = append(&root.join(&lib), &format!("use {extern_name}::{item};\n"));
        expected.insert(("boundary/import".to_owned(), lib, line));
    }

    let (code, found) = findings(&root);
    assert_eq!(code, 1);
    assert_eq!(found, expected);
}
