//! Parsing less loses no finding: every fixture workspace and every
//! differential case gives the same findings with and without
//! `--exhaustive` (which parses every Rust file, and every function body at
//! once), except `parse/syntax` on files the pre-filter proved need no
//! parse.

use std::path::{Path, PathBuf};

use corefence::diagnostic::Code;
use corefence::engine::{run, Options, Outcome};

/// Every fixture workspace with a valid configuration.
fn corpus() -> Vec<PathBuf> {
    let fixtures = crate::support::repo_root().join("fixtures");
    let mut out = Vec::new();
    for group in [fixtures.clone(), fixtures.join("boundary")] {
        for entry in std::fs::read_dir(&group).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() && !matches!(name.as_str(), "boundary" | "broken-config") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn check(root: &Path, exhaustive: bool) -> Outcome {
    run(&Options { start: root.to_path_buf(), jobs: 2, exhaustive, ..Options::default() }).unwrap()
}

/// A comparable line per finding.
fn lines(outcome: &Outcome, keep: impl Fn(&corefence::diagnostic::Diagnostic) -> bool) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| keep(d))
        .map(|d| {
            let at = &d.location;
            format!("{}:{:?} {} {} [{}]", at.path(), at.start(), d.code.as_str(), d.message, d.fingerprint)
        })
        .collect()
}

#[test]
fn pre_filter_and_exhaustive_find_the_same() {
    let (mut parsed, mut exhaustive_parsed) = (0, 0);
    for root in corpus() {
        let fast = check(&root, false);
        let full = check(&root, true);
        let not_syntax = |d: &corefence::diagnostic::Diagnostic| d.code != Code::ParseSyntax;
        assert_eq!(lines(&fast, not_syntax), lines(&full, not_syntax), "{}", root.display());
        let full_syntax = lines(&full, |d| !not_syntax(d));
        for syntax in lines(&fast, |d| !not_syntax(d)) {
            assert!(full_syntax.contains(&syntax), "{}: {syntax}", root.display());
        }
        assert!(fast.parsed <= full.parsed);
        parsed += fast.parsed;
        exhaustive_parsed += full.parsed;
    }
    // The comparison means something only if the pre-filter skipped files.
    assert!(parsed < exhaustive_parsed, "the pre-filter parsed {parsed} of {exhaustive_parsed} files");
}

/// The differential cases are built to hide crossings in function bodies
/// (format captures, gated tuple fields, block-level `use`s, traits a gated
/// blanket impl gives): bodies the first reading leaves out and parses only
/// when they name what can break.
#[test]
fn function_bodies_read_late_find_what_bodies_read_at_once_find() {
    let dir = tempfile::tempdir().unwrap();
    let mut with_findings = 0;
    for case in crate::differential::cases() {
        let root = dir.path().join(&case.name);
        crate::differential::write_case(&case, &root);
        let (lean, full) = (check(&root, false), check(&root, true));
        let boundary = |d: &corefence::diagnostic::Diagnostic| d.code.as_str().starts_with("boundary/");
        assert_eq!(lines(&lean, boundary), lines(&full, boundary), "{}", case.name);
        with_findings += usize::from(!lines(&full, boundary).is_empty());
    }
    assert!(with_findings > 50, "{with_findings} cases with findings");
}

/// The one difference: a file the pre-filter skips is not parsed, so only
/// `--exhaustive` says it does not parse.
#[test]
fn only_exhaustive_parses_skipped_files() {
    let root = crate::support::repo_root().join("fixtures/boundary/prefilter");
    let syntax = |exhaustive| {
        check(&root, exhaustive)
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::ParseSyntax)
            .map(|d| d.location.path().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(syntax(false), Vec::<String>::new());
    assert_eq!(syntax(true), ["crates/plain/src/broken.rs"]);
}

/// A run on some paths reports what the whole run reports on them: the
/// files outside are still indexed, and checked for what the reported
/// files' findings depend on (macro bodies they expand, trait paths that
/// stop type checking), whatever the paths are.
#[test]
fn a_run_on_one_file_finds_what_the_whole_run_finds_there() {
    let mut compared = 0;
    for root in corpus() {
        let whole = check(&root, false);
        if whole.root != root.canonicalize().unwrap() {
            // Not a workspace of its own (`fixtures/export` is checked as
            // part of the repository).
            continue;
        }
        let mut files: Vec<String> = whole.diagnostics.iter().map(|d| d.location.path().to_owned()).collect();
        files.sort();
        files.dedup();
        for file in files.iter().filter(|f| Path::new(f).extension().is_some_and(|e| e == "rs")) {
            let options =
                Options { start: root.clone(), paths: vec![whole.root.join(file)], jobs: 2, ..Options::default() };
            let one = run(&options).unwrap();
            let there = |d: &corefence::diagnostic::Diagnostic| d.location.path() == file;
            assert_eq!(lines(&one, there), lines(&whole, there), "{}: {file}", root.display());
            compared += 1;
        }
    }
    assert!(compared > 20, "{compared} files compared");
}

/// A run on some files indexes only what findings there can depend on:
/// their crates and what those depend on, not the crates that depend on
/// theirs (rustc resolves nothing in a crate through its dependents).
#[test]
fn a_run_on_one_file_indexes_only_what_its_crate_reaches() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("Cargo.toml", "[workspace]\nmembers = [\"base\", \"app\", \"ee\"]\nresolver = \"2\"\n");
    let manifest = |name: &str, extra: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n{extra}")
    };
    // `base` gates a module on the enterprise feature: analysed, as `app` is.
    write("base/Cargo.toml", &manifest("base", "[features]\nenterprise = []\n"));
    write("base/src/lib.rs", "#[cfg(feature = \"enterprise\")]\nmod extra;\npub fn id() -> u32 { 1 }\n");
    write("base/src/extra.rs", "pub fn more() -> u32 { 2 }\n");
    write("ee/Cargo.toml", &manifest("acme-ee", ""));
    write("ee/src/lib.rs", "pub fn sso() -> u32 { 3 }\n");
    write(
        "app/Cargo.toml",
        &manifest(
            "app",
            "[features]\nenterprise = [\"dep:acme-ee\"]\n[dependencies]\nbase = { path = \"../base\" }\nacme-ee = { path = \"../ee\", optional = true }\n",
        ),
    );
    write("app/src/lib.rs", "mod web;\npub fn f() -> u32 { base::id() + web::g() }\n");
    write("app/src/web.rs", "pub fn g() -> u32 { acme_ee::sso() }\n");
    let run_on = |paths: Vec<PathBuf>| {
        run(&Options { start: root.clone(), paths, jobs: 2, cache: false, ..Options::default() }).unwrap()
    };
    let whole = run_on(Vec::new());
    assert_eq!(whole.parsed, 5, "every crate is analysed or reached");
    let on_base = run_on(vec![root.join("base/src/lib.rs")]);
    assert_eq!(on_base.parsed, 2, "only `base`: `app` depends on it, and `acme-ee` is not reached");
    let on_app = run_on(vec![root.join("app/src/web.rs")]);
    assert_eq!(on_app.parsed, 5);
    let found = |o: &Outcome| lines(o, |d| d.location.path() == "app/src/web.rs");
    assert_eq!(found(&on_app), found(&whole));
    let crossings = found(&on_app).iter().filter(|l| l.contains("boundary/import")).count();
    assert_eq!(crossings, 1, "{:?}", found(&on_app));
}

/// A run on the file that defines a macro reports the findings of its body
/// where another file, not reported on, expands it in a function body.
#[test]
fn a_run_on_a_macros_file_finds_what_its_expansions_elsewhere_break() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let manifest = |name: &str, extra: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n{extra}")
    };
    let app = manifest(
        "app",
        "[features]\nenterprise = [\"dep:acme-ee\"]\n[dependencies]\nacme-ee = { path = \"../ee\", optional = true }\n",
    );
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"app\", \"ee\"]\nresolver = \"2\"\n".to_owned()),
        ("ee/Cargo.toml", manifest("acme-ee", "")),
        ("ee/src/lib.rs", "pub fn sso() -> u32 {\n    3\n}\n".to_owned()),
        ("app/Cargo.toml", app),
        ("app/src/lib.rs", "#[macro_use]\nmod macros;\nmod web;\npub use web::g;\n".to_owned()),
        ("app/src/macros.rs", "macro_rules! seats {\n    () => {\n        acme_ee::sso()\n    };\n}\n".to_owned()),
        ("app/src/web.rs", "pub fn g() -> u32 {\n    let n = 1;\n    n + seats!()\n}\n".to_owned()),
    ];
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let run_on = |paths: Vec<PathBuf>| {
        run(&Options { start: root.clone(), paths, jobs: 2, cache: false, ..Options::default() }).unwrap()
    };
    let whole = run_on(Vec::new());
    let there = |d: &corefence::diagnostic::Diagnostic| d.location.path() == "app/src/macros.rs";
    let found = lines(&whole, there);
    assert!(found.iter().any(|l| l.contains("boundary/import") && l.contains("acme_ee::sso")), "{found:?}");
    let one = run_on(vec![root.join("app/src/macros.rs")]);
    assert_eq!(lines(&one, there), found);
}

/// A crate only the enterprise build has (`build-only-crates`: a test
/// suite turning `enterprise` on) breaks in no build: it is not read for
/// the boundary unless another crate reaches it, and the findings are
/// those `--exhaustive` gives.
#[test]
fn a_crate_only_the_enterprise_build_has_is_not_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let case =
        crate::support::repo_root().join("tests/differential/build_only_suite_reads_enterprise_code_freely.case");
    let text = std::fs::read_to_string(case).unwrap();
    for part in text.split("\n--- ").skip(1) {
        let (rel, body) = part.split_once('\n').unwrap();
        let path = root.join(rel.trim());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    let run_with = |exhaustive: bool| {
        run(&Options { start: root.clone(), jobs: 2, cache: false, exhaustive, ..Options::default() }).unwrap()
    };
    let lean = run_with(false);
    // `core`, `app` and the enterprise crate; not the suite's two files.
    assert_eq!(lean.parsed, 3, "{:?}", lines(&lean, |_| true));
    let full = run_with(true);
    assert_eq!(full.parsed, 5);
    let boundary = |o: &Outcome| lines(o, |d| d.code.as_str().starts_with("boundary/"));
    assert_eq!(boundary(&lean), boundary(&full));
    assert_eq!(boundary(&lean).len(), 1, "{:?}", boundary(&lean));
    assert!(boundary(&lean)[0].starts_with("app/src/lib.rs"), "{:?}", boundary(&lean));
}

#[test]
fn a_crate_indexed_only_for_paths_through_it_is_not_searched_for_findings() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"base\", \"ee\", \"app\"]\nresolver = \"2\"\n"),
        (
            "corefence.toml",
            "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n\
             [editions.enterprise]\nlicense = \"LicenseRef-Enterprise\"\nuses = [\"community\"]\n\
             [[assign]]\ncrates = [\"ee\"]\nedition = \"enterprise\"\n[headers]\ninclude = []\n",
        ),
        ("base/Cargo.toml", "[package]\nname = \"base\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n"),
        ("base/src/lib.rs", "pub mod util;\npub fn helper() -> u32 {\n    util::twice(2)\n}\n"),
        ("base/src/util.rs", "pub fn twice(x: u32) -> u32 {\n    x * 2\n}\n"),
        (
            "ee/Cargo.toml",
            "[package]\nname = \"ee\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\
             [dependencies]\nbase = { path = \"../base\" }\n",
        ),
        ("ee/src/lib.rs", "pub fn sso() -> u32 {\n    base::helper()\n}\n"),
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\
             [dependencies]\nbase = { path = \"../base\" }\nee = { path = \"../ee\" }\n",
        ),
        ("app/src/lib.rs", "pub fn run() -> u32 {\n    base::helper() + ee::sso()\n}\n"),
    ];
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let run_with = |exhaustive: bool| {
        run(&Options { start: root.clone(), jobs: 2, cache: false, exhaustive, ..Options::default() }).unwrap()
    };
    let lean = run_with(false);
    let full = run_with(true);
    // `app` reaches `base` and `ee`, so all four files are indexed; only
    // `app`'s code can cross the line.
    assert_eq!((lean.parsed, lean.boundary_files), (4, 1), "{:?}", lines(&lean, |_| true));
    assert_eq!((full.parsed, full.boundary_files), (4, 4));
    let boundary = |o: &Outcome| lines(o, |d| d.code.as_str().starts_with("boundary/"));
    assert_eq!(boundary(&lean), boundary(&full));
    let found = boundary(&lean);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("app/Cargo.toml") && found[0].contains("boundary/dependency"), "{found:?}");
    assert!(found[1].starts_with("app/src/lib.rs") && found[1].contains("`ee::sso`"), "{found:?}");
}

/// Writes `files` under `root`.
fn write_all(root: &Path, files: &[(&str, String)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn manifest(name: &str, extra: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n{extra}")
}

/// Code that depends on a crate sees its library and what that depends on,
/// never its tests' or build script's dependencies: a mixed crate among
/// those makes the crate's own tests analysed, not every crate that names
/// it. Whichever table `mixed` is in, the findings are `--exhaustive`'s.
#[test]
fn a_dependencys_dev_and_build_dependencies_do_not_make_it_risky() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let with_mixed_in = |table: &str| {
        vec![
            ("Cargo.toml", "[workspace]\nmembers = [\"mixed\", \"base\", \"app\"]\nresolver = \"2\"\n".to_owned()),
            ("mixed/Cargo.toml", manifest("mixed", "[features]\nenterprise = []\n")),
            (
                "mixed/src/lib.rs",
                "pub fn seats() -> u32 {\n    1\n}\n#[cfg(feature = \"enterprise\")]\npub fn sso() {}\n".to_owned(),
            ),
            ("base/Cargo.toml", manifest("base", &format!("[{table}]\nmixed = {{ path = \"../mixed\" }}\n"))),
            ("base/src/lib.rs", "pub fn id() -> u32 {\n    1\n}\n".to_owned()),
            (
                "base/tests/seats.rs",
                "#[test]\nfn seats() {\n    assert_eq!(mixed::seats(), base::id());\n}\n".to_owned(),
            ),
            ("app/Cargo.toml", manifest("app", "[dependencies]\nbase = { path = \"../base\" }\n")),
            ("app/src/lib.rs", "pub fn f() -> u32 {\n    base::id()\n}\n".to_owned()),
        ]
    };
    let run_with = |exhaustive: bool| {
        run(&Options { start: root.clone(), jobs: 2, cache: false, exhaustive, ..Options::default() }).unwrap()
    };
    let boundary = |o: &Outcome| lines(o, |d| d.code.as_str().starts_with("boundary/"));
    for (table, parsed) in [("dev-dependencies", 3), ("build-dependencies", 3), ("dependencies", 4)] {
        write_all(&root, &with_mixed_in(table));
        let (lean, full) = (run_with(false), run_with(true));
        // `mixed` and `base`'s two files; `app` too when `base`'s library
        // depends on `mixed`.
        assert_eq!(lean.parsed, parsed, "{table}: {:?}", lines(&lean, |_| true));
        assert_eq!(boundary(&lean), boundary(&full), "{table}");
    }
}

/// Data a file embeds from outside its crate (`include_bytes!` of a test
/// certificate two folders up) changes nothing its crate's code means: the
/// crate is read for the boundary only when the data is of an edition it
/// may not use, and then the embed is a finding.
#[test]
fn embedded_data_from_outside_the_crate_makes_it_mixed_only_when_of_another_edition() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let config = "default = \"community\"\n[editions.community]\nlicense = \"AGPL-3.0-only\"\n\
                  [editions.enterprise]\nlicense = \"LicenseRef-Enterprise\"\nuses = [\"community\"]\n\
                  [[assign]]\npaths = [\"ee-data/**\"]\nedition = \"enterprise\"\n[headers]\ninclude = []\n";
    let with_embed = |path: &str| {
        vec![
            ("Cargo.toml", "[workspace]\nmembers = [\"tls\", \"app\"]\nresolver = \"2\"\n".to_owned()),
            ("corefence.toml", config.to_owned()),
            ("test-data/key.der", "community test key\n".to_owned()),
            ("ee-data/terms.txt", "enterprise terms\n".to_owned()),
            ("tls/Cargo.toml", manifest("tls", "")),
            ("tls/src/lib.rs", format!("pub const KEY: &[u8] = include_bytes!(\"{path}\");\n")),
            ("app/Cargo.toml", manifest("app", "[dependencies]\ntls = { path = \"../tls\" }\n")),
            ("app/src/lib.rs", "pub fn key_len() -> usize {\n    tls::KEY.len()\n}\n".to_owned()),
        ]
    };
    let run_with = |exhaustive: bool| {
        run(&Options { start: root.clone(), jobs: 2, cache: false, exhaustive, ..Options::default() }).unwrap()
    };
    let boundary = |o: &Outcome| lines(o, |d| d.code.as_str().starts_with("boundary/"));
    write_all(&root, &with_embed("../../test-data/key.der"));
    let (lean, full) = (run_with(false), run_with(true));
    assert_eq!(lean.parsed, 0, "{:?}", lines(&lean, |_| true));
    assert_eq!((boundary(&lean), boundary(&full)), (Vec::new(), Vec::new()));
    write_all(&root, &with_embed("../../ee-data/terms.txt"));
    let (lean, full) = (run_with(false), run_with(true));
    assert_eq!(lean.parsed, 2, "`tls` and `app`, which names it: {:?}", lines(&lean, |_| true));
    assert_eq!(boundary(&lean), boundary(&full));
    let found = boundary(&lean);
    assert!(found.len() == 1 && found[0].starts_with("tls/src/lib.rs"), "{found:?}");
}
