//! `corefence export`: the community tree, written and then built by cargo.
//! Every kept byte is unchanged, and where the community build breaks is
//! where `corefence check` reports a boundary finding.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::error_places as places;
use crate::support::{copy_fixture, repo_root, write};

const COREFENCE: &str = env!("CARGO_BIN_EXE_corefence");

fn corefence(cwd: &Path, args: &[&str]) -> Output {
    Command::new(COREFENCE).args(args).current_dir(cwd).env("CARGO_TARGET_DIR", target_dir()).output().unwrap()
}

/// One build folder for every cargo run of these tests.
fn target_dir() -> PathBuf {
    repo_root().join("target/export-tests")
}

fn cargo_check(root: &Path, extra: &[&str]) -> Output {
    Command::new("cargo")
        .args(["check", "--workspace", "--all-targets", "--offline"])
        .args(extra)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Every file below `root`, relative, sorted.
fn tree(root: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                if entry.file_name() != "target" {
                    stack.push(path);
                }
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

/// The demo with its violations fixed: a license, a header, a gated import
/// and no enterprise dependency in the community API.
fn fixed_demo() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = copy_fixture("demo");
    write(
        &root,
        "crates/acme-api/Cargo.toml",
        "[package]\nname = \"acme-api\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"AGPL-3.0-only\"\n\n\
         [dependencies]\nacme-core = { path = \"../acme-core\" }\n",
    );
    write(
        &root,
        "crates/acme-api/src/lib.rs",
        "// SPDX-License-Identifier: AGPL-3.0-only\n//! The public API of the Acme server.\n\npub use acme_core::seat_limit;\n\n\
         /// Describes the server, for the status page.\npub fn describe() -> String {\n    format!(\"acme with {} seats\", seat_limit())\n}\n",
    );
    write(
        &root,
        "crates/acme-core/src/auth.rs",
        "// SPDX-License-Identifier: AGPL-3.0-only\n//! Logging in.\n\n#[cfg(feature = \"enterprise\")]\nuse acme_ee::sso::login;\n\n\
         /// Logs a user in.\n#[cfg(feature = \"enterprise\")]\npub fn sign_in(user: &str) -> bool {\n    login(user)\n}\n",
    );
    let ee = root.join("ee/acme-ee/src/lib.rs");
    let fixed = std::fs::read_to_string(&ee).unwrap().replace("AGPL-3.0-only", "LicenseRef-Acme-Enterprise");
    std::fs::write(ee, fixed).unwrap();
    (dir, root)
}

#[test]
fn the_fixed_demo_exports_a_community_tree_that_builds() {
    let (dir, root) = fixed_demo();
    let clean = corefence(&root, &["check", "--format", "short", "--no-cache"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
    let out = dir.path().join("community");
    let export = corefence(&root, &["export", "--edition", "community", out.to_str().unwrap(), "--check"]);
    assert_eq!(export.status.code(), Some(0), "{}", text(&export));
    let exported = tree(&out);
    assert!(!exported.iter().any(|f| f.starts_with("ee/")), "{exported:?}");
    assert!(exported.contains("crates/acme-core/src/auth.rs"), "{exported:?}");
    // Kept files are byte-identical; the manifest lost the enterprise feature and dependency.
    for kept in ["crates/acme-core/src/auth.rs", "crates/acme-api/src/lib.rs", "corefence.toml"] {
        assert_eq!(std::fs::read(root.join(kept)).unwrap(), std::fs::read(out.join(kept)).unwrap(), "{kept}");
    }
    // The workspace loses the glob that named only the enterprise crate.
    assert_eq!(
        std::fs::read_to_string(out.join("Cargo.toml")).unwrap(),
        std::fs::read_to_string(root.join("Cargo.toml")).unwrap().replace(", \"ee/*\"", "")
    );
    let core = std::fs::read_to_string(out.join("crates/acme-core/Cargo.toml")).unwrap();
    assert!(!core.contains("enterprise") && !core.contains("acme-ee"), "{core}");
    assert!(core.starts_with("[package]\nname = \"acme-core\"\n"), "{core}");
    // The community tree builds on its own, and the whole workspace still builds.
    let community = cargo_check(&out, &[]);
    assert!(community.status.success(), "{}", text(&community));
    let full = cargo_check(&root, &["--all-features"]);
    assert!(full.status.success(), "{}", text(&full));
    // The summary says what went.
    let summary = String::from_utf8_lossy(&export.stderr);
    assert!(summary.contains("removed ee/acme-ee/src/sso.rs"), "{summary}");
    assert!(summary.contains("exported the community edition to"), "{summary}");
}

#[test]
fn export_check_on_the_demo_breaks_exactly_where_check_reports() {
    let (dir, root) = copy_fixture("demo");
    let check = corefence(&root, &["check", "--format", "json", "--no-cache"]);
    let findings = places(&check.stdout, "boundary/");
    assert_eq!(findings.len(), 3, "{findings:?}");
    let out = dir.path().join("community");
    let export = corefence(&root, &["export", out.to_str().unwrap(), "--check", "--format", "json"]);
    assert_eq!(export.status.code(), Some(1), "{}", text(&export));
    let broken = places(&export.stdout, "export/build");
    // acme-api depends on acme-core, whose community build breaks: the
    // compiler gets to acme-api only once acme-core builds, and says so.
    let api_lib = ("crates/acme-api/src/lib.rs".to_owned(), 5);
    let mut expected = findings.clone();
    expected.remove(&api_lib);
    assert_eq!(broken, expected, "{}", text(&export));
    let doc: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    let unchecked: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(unchecked, ["crates/acme-api/Cargo.toml"]);
    // Once acme-core's crossing is fixed, the compiler reaches the re-export.
    let auth = root.join("crates/acme-core/src/auth.rs");
    let gated = std::fs::read_to_string(&auth)
        .unwrap()
        .replace("use acme_ee", "#[cfg(feature = \"enterprise\")]\nuse acme_ee")
        .replace("pub fn sign_in", "#[cfg(feature = \"enterprise\")]\npub fn sign_in");
    std::fs::write(&auth, gated).unwrap();
    let again = dir.path().join("again");
    let second = corefence(&root, &["export", again.to_str().unwrap(), "--check", "--format", "json"]);
    assert!(places(&second.stdout, "export/build").contains(&api_lib), "{}", text(&second));
    // --check leaves the exported manifests as exported.
    let api = std::fs::read_to_string(out.join("crates/acme-api/Cargo.toml")).unwrap();
    assert_eq!(api, std::fs::read_to_string(root.join("crates/acme-api/Cargo.toml")).unwrap());
    // The JSON manifest lists what was removed.
    let doc: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    let files: Vec<&str> =
        doc["export"]["removed"]["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(files.contains(&"ee/acme-ee/Cargo.toml"), "{files:?}");
    assert_eq!(doc["export"]["removed"]["crates"][0], "ee/acme-ee");
}

#[test]
fn a_dual_licensed_server_with_snippets_exports_and_builds() {
    let (dir, root) = copy_fixture("export/dual");
    let clean = corefence(&root, &["check", "--format", "short", "--no-cache"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
    let out = dir.path().join("community");
    let export = corefence(&root, &["export", out.to_str().unwrap(), "--check", "--format", "json"]);
    assert_eq!(export.status.code(), Some(0), "{}", text(&export));
    let server = std::fs::read_to_string(out.join("crates/server/src/lib.rs")).unwrap();
    assert!(!server.contains("SnippetBegin") && !server.contains("Business") && !server.contains("raise"), "{server}");
    assert!(server.contains("        Plan::Free => limit,\n    }\n"), "{server}");
    assert!(!out.join("crates/server/src/enterprise").exists());
    let manifest = std::fs::read_to_string(out.join("crates/server/Cargo.toml")).unwrap();
    assert!(manifest.contains("default = []") && !manifest.contains("enterprise"), "{manifest}");
    // Both license texts stay: the community expression names both.
    assert!(out.join("LICENSES/LicenseRef-Acme.txt").is_file() && out.join("LICENSES/AGPL-3.0-only.txt").is_file());
    let doc: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(doc["export"]["removed"]["snippets"].as_array().unwrap().len(), 5, "{doc}");
    // Two exports of one tree are identical.
    let again = dir.path().join("again");
    assert!(corefence(&root, &["export", again.to_str().unwrap()]).status.success());
    let (a, b) = (tree(&out), tree(&again));
    assert_eq!(a, b);
    for f in &a {
        assert_eq!(std::fs::read(out.join(f)).unwrap(), std::fs::read(again.join(f)).unwrap(), "{f}");
    }
}

#[test]
fn export_refuses_a_folder_it_could_harm() {
    let (dir, root) = copy_fixture("demo");
    // Inside the workspace.
    let inside = corefence(&root, &["export", "out"]);
    assert_eq!(inside.status.code(), Some(2), "{}", text(&inside));
    assert!(text(&inside).contains("inside the workspace"), "{}", text(&inside));
    assert!(!root.join("out").exists() || tree(&root.join("out")).is_empty());
    let climbing = corefence(&root, &["export", "src/../out"]);
    assert_eq!(climbing.status.code(), Some(2), "{}", text(&climbing));
    // A sibling named through `..` is outside, though it does not exist yet.
    let sibling = corefence(&root, &["export", "../sibling"]);
    assert_eq!(sibling.status.code(), Some(0), "{}", text(&sibling));
    assert!(root.parent().unwrap().join("sibling/Cargo.toml").is_file());
    // Not empty without --force, and left alone.
    let busy = dir.path().join("busy");
    write(&busy, "keep.txt", "mine\n");
    let refused = corefence(&root, &["export", busy.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert_eq!(tree(&busy), BTreeSet::from(["keep.txt".to_owned()]));
    let forced = corefence(&root, &["export", busy.to_str().unwrap(), "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced));
    assert!(!busy.join("keep.txt").exists() && busy.join("Cargo.toml").is_file());
    // A link: never written through.
    #[cfg(unix)]
    {
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let linked = corefence(&root, &["export", link.to_str().unwrap()]);
        assert_eq!(linked.status.code(), Some(2), "{}", text(&linked));
        assert!(tree(&elsewhere).is_empty());
    }
}

#[test]
fn a_snippet_that_never_ends_exports_nothing() {
    let (dir, root) = copy_fixture("export/dual");
    let lib = root.join("crates/store/src/lib.rs");
    let text_ = std::fs::read_to_string(&lib).unwrap();
    let cut = text_.replacen("    // SPDX-SnippetEnd\n", "", 1);
    std::fs::write(&lib, cut).unwrap();
    let out = dir.path().join("community");
    let export = corefence(&root, &["export", out.to_str().unwrap(), "--format", "short"]);
    assert_eq!(export.status.code(), Some(2), "{}", text(&export));
    assert!(text(&export).contains("crates/store/src/lib.rs:7:"), "{}", text(&export));
    assert!(text(&export).contains("never ends"), "{}", text(&export));
    assert!(!out.exists() || tree(&out).is_empty(), "something was written");
}

#[test]
fn tagged_items_go_with_their_docs_and_a_tagged_module_takes_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    write(
        &root,
        "corefence.toml",
        "default = \"community\"\n[editions.community]\nlicense = \"MIT\"\n\
         [editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\n[headers]\ninclude = []\n",
    );
    write(
        &root,
        "Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n",
    );
    write(
        &root,
        "src/lib.rs",
        "pub fn open() {}\n\n/// Enterprise single sign-on.\n#[edition(enterprise)]\npub fn sso() {}\n\n\
         #[edition(enterprise)]\nmod audit;\n\nimpl Open {\n    #[edition(enterprise)]\n    pub fn seats(&self) -> u32 { 50 }\n    pub fn name(&self) {}\n}\npub struct Open;\n",
    );
    write(&root, "src/audit.rs", "pub fn log() {}\n");
    write(&root, ".gitignore", "secret.txt\n");
    write(&root, "secret.txt", "local only\n");
    let out = dir.path().join("community");
    let export = corefence(&root, &["export", out.to_str().unwrap()]);
    assert_eq!(export.status.code(), Some(0), "{}", text(&export));
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        // The blank lines around the removed items are kept bytes too.
        "pub fn open() {}\n\n\n\nimpl Open {\n    pub fn name(&self) {}\n}\npub struct Open;\n"
    );
    assert!(!out.join("src/audit.rs").exists());
    assert!(!out.join("secret.txt").exists(), "gitignored files stay out");
    let summary = String::from_utf8_lossy(&export.stderr);
    assert!(summary.contains("removed enterprise item `sso` at src/lib.rs:3"), "{summary}");
    assert!(summary.contains("removed src/audit.rs"), "{summary}");
}

/// Code a build script writes is out of `check`'s sight: when the build
/// breaks where `check` found nothing, the message says it is a corefence bug
/// (here, a limit worth knowing about).
#[test]
fn a_build_failure_check_did_not_predict_is_called_a_corefence_bug() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    write(
        &root,
        "corefence.toml",
        "default = \"community\"\n[editions.community]\nlicense = \"MIT\"\n\
         [editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n\
         [[assign]]\npaths = [\"src/ee/**\"]\nedition = \"enterprise\"\n[headers]\ninclude = []\n",
    );
    write(
        &root,
        "Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n[features]\nenterprise = []\n",
    );
    write(
        &root,
        "build.rs",
        "fn main() {\n    let out = std::env::var(\"OUT_DIR\").unwrap();\n    \
         std::fs::write(format!(\"{out}/gen.rs\"), \"pub fn leak() -> bool { crate::ee::sso() }\").unwrap();\n}\n",
    );
    write(
        &root,
        "src/lib.rs",
        "#[cfg(feature = \"enterprise\")]\npub mod ee;\ninclude!(concat!(env!(\"OUT_DIR\"), \"/gen.rs\"));\n",
    );
    write(&root, "src/ee/mod.rs", "pub fn sso() -> bool { true }\n");
    let full = cargo_check(&root, &["--all-features"]);
    assert!(full.status.success(), "{}", text(&full));
    let check = corefence(&root, &["check", "--format", "short", "--no-cache"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let out = dir.path().join("community");
    let export = corefence(&root, &["export", out.to_str().unwrap(), "--check", "--format", "short"]);
    assert_eq!(export.status.code(), Some(1), "{}", text(&export));
    assert!(text(&export).contains("error[export/build]"), "{}", text(&export));
    assert!(text(&export).contains("this is a corefence bug"), "{}", text(&export));
}

/// A crate only the enterprise build has (a test-suite crate that turns on
/// `enterprise` in its dependencies): without `build-only-crates` every use
/// it makes is a finding; with it there is none, the community export drops
/// the crate, and both editions' exports build.
#[test]
fn a_crate_only_the_enterprise_build_has_may_use_enterprise_code_and_leaves_the_community_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let config = |extra: &str| {
        format!(
            "default = \"community\"\n[editions.community]\nlicense = \"MIT\"\n[editions.enterprise]\nlicense = \"LicenseRef-E\"\nuses = [\"community\"]\nfeatures = [\"enterprise\"]\n{extra}\n[headers]\ninclude = []\n"
        )
    };
    write(&root, "corefence.toml", config(""));
    write(&root, "Cargo.toml", "[workspace]\nmembers = [\"core\", \"tests\"]\nresolver = \"2\"\n");
    write(&root, "core/Cargo.toml", "[package]\nname = \"core-lib\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[features]\nenterprise = []\n");
    write(&root, "core/src/lib.rs", "pub fn open() {}\n\n#[cfg(feature = \"enterprise\")]\npub fn audit() {}\n");
    write(
        &root,
        "tests/Cargo.toml",
        "[package]\nname = \"suite\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\ncore-lib = { path = \"../core\", features = [\"enterprise\"] }\n",
    );
    write(&root, "tests/src/lib.rs", "pub fn run() {\n    core_lib::open();\n    core_lib::audit();\n}\n");
    let before = corefence(&root, &["check", "--format", "short", "--no-cache"]);
    let found = String::from_utf8_lossy(&before.stdout).into_owned();
    assert!(found.contains("tests/Cargo.toml") && found.contains("boundary/dependency"), "{found}");
    assert!(found.contains("tests/src/lib.rs:3") && found.contains("boundary/import"), "{found}");

    write(&root, "corefence.toml", config("build-only-crates = [\"suite\"]"));
    let after = corefence(&root, &["check", "--format", "short", "--no-cache"]);
    assert_eq!(after.status.code(), Some(0), "{}", text(&after));
    let community = dir.path().join("community");
    let export = corefence(&root, &["export", "--edition", "community", community.to_str().unwrap(), "--check"]);
    assert_eq!(export.status.code(), Some(0), "{}", text(&export));
    let exported = tree(&community);
    assert!(!exported.iter().any(|f| f.starts_with("tests/")), "{exported:?}");
    assert!(exported.contains("core/src/lib.rs"), "{exported:?}");
    let enterprise = dir.path().join("enterprise");
    let export = corefence(&root, &["export", "--edition", "enterprise", enterprise.to_str().unwrap(), "--check"]);
    assert_eq!(export.status.code(), Some(0), "{}", text(&export));
    assert!(tree(&enterprise).contains("tests/src/lib.rs"));
}
