//! `corefence init` on three open-core layouts: it reads the repository's
//! license files, headers, features, folders and vendored crates, writes a
//! configuration with which `check` reports nothing false, and that
//! configuration still catches a crossing planted afterwards.

use crate::support::{copy_fixture, corefence_in};

/// One layout: what `init` must say it found, and a crossing to plant.
struct Layout {
    fixture: &'static str,
    /// Lines (or parts of lines) of the evidence `init` prints.
    evidence: &'static [&'static str],
    /// What the evidence must not mention (a wrong inference).
    absent: &'static [&'static str],
    /// A file and the ungated enterprise use appended to it.
    crossing: (&'static str, &'static str),
}

const LAYOUTS: [Layout; 3] = [
    // Apache-2.0 outside `ee/`, a commercial text in `ee/LICENSE`, no
    // headers, no crate declaring a license, an `ee` feature that the
    // default features turn on, a notice of bundled MIT projects
    // (`clients/agent/wasm/LICENSES`), a vendored member with its own MIT text.
    Layout {
        fixture: "init/apache-ee",
        evidence: &[
            "community license   Apache-2.0",
            "from LICENSE (Apache-2.0 text",
            "community build     --no-default-features",
            "enterprise license  LicenseRef-Enterprise",
            "enterprise code     ee/**",
            "enterprise feature  ee",
            "headers             off",
            "manifest licenses   off",
            "third-party         crates/downloader/**",
            "crates/downloader/LICENCE.md (MIT text",
        ],
        absent: &["clients/agent", "from ee/LICENSE (MIT"],
        crossing: (
            "crates/acme-server/src/routes.rs",
            "pub fn leak() -> acme_webserver::Dashboard {\n    acme_webserver::Dashboard\n}\n",
        ),
    },
    // REUSE: a dual community expression, enterprise folders and files,
    // enterprise snippets inside community files.
    Layout {
        fixture: "init/reuse-dual",
        evidence: &[
            "community license   AGPL-3.0-only OR LicenseRef-SEL",
            "enterprise license  LicenseRef-SEL",
            "enterprise code     crates/common/src/enterprise/**",
            "enterprise code     crates/server/src/undelete.rs",
            "enterprise feature  enterprise",
            "build-only crate    tests",
            "headers             on",
            "manifest licenses   on",
        ],
        absent: &["third-party"],
        crossing: ("crates/server/src/api.rs", "pub fn leak() -> u32 {\n    common::enterprise::MAX_ACCOUNTS\n}\n"),
    },
    // An umbrella `LICENSE` (`MIT AND BUSL-1.1`) pointing at `LICENSE-MIT`
    // and a BUSL-1.1 `LICENSE-EE`, `enterprise_edition` modules with
    // community twins, a vendored crate outside the members, a fuzz crate
    // (its own workspace, using `search`) that is the project's code.
    Layout {
        fixture: "init/mit-busl",
        evidence: &[
            "community license   MIT",
            "from LICENSE-MIT (MIT text",
            "enterprise license  BUSL-1.1",
            "from LICENSE-EE (BUSL-1.1 text",
            "enterprise code     crates/search/src/enterprise_edition/**",
            // Declared in an inline module, under a gate over several lines.
            "enterprise code     crates/http/src/routes/enterprise_edition.rs",
            "enterprise feature  enterprise",
            "headers             off",
            "third-party         external-crates/**",
            "from the folder's name (`external-crates`)",
        ],
        absent: &["fuzz", "MIT AND BUSL-1.1", "from LICENSE ("],
        crossing: ("crates/search/src/lib.rs", "pub fn leak() -> usize {\n    enterprise_edition::max_shards()\n}\n"),
    },
];

#[test]
fn init_reads_the_evidence_and_check_then_reports_nothing_false() {
    for layout in &LAYOUTS {
        let (_dir, root) = copy_fixture(layout.fixture);
        let before = corefence_in(root.clone(), &["check", "--format", "short"]);
        assert_eq!(before.code, 1, "{}: without a configuration the defaults misfire", layout.fixture);
        let init = corefence_in(root.clone(), &["init"]);
        assert_eq!(init.code, 0, "{}: {}", layout.fixture, init.stderr);
        for line in layout.evidence {
            assert!(init.stderr.contains(line), "{}: `{line}` missing from:\n{}", layout.fixture, init.stderr);
        }
        for wrong in layout.absent {
            assert!(!init.stderr.contains(wrong), "{}: `{wrong}` in:\n{}", layout.fixture, init.stderr);
        }
        assert!(init.stderr.contains("dry run of `corefence check` with it: no findings"), "{}", init.stderr);
        assert!(root.join("corefence.toml").is_file());
        let after = corefence_in(root.clone(), &["check", "--format", "short"]);
        assert_eq!((after.code, after.stdout.as_str()), (0, ""), "{}: {}", layout.fixture, after.stderr);
        // The configuration still has teeth.
        let (rel, code) = layout.crossing;
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        std::fs::write(root.join(rel), format!("{text}\n{code}")).unwrap();
        let planted = corefence_in(root.clone(), &["check", "--format", "short"]);
        assert_eq!(planted.code, 1, "{}: {}", layout.fixture, planted.stdout);
        let lines: Vec<&str> = planted.stdout.lines().collect();
        assert!(
            !lines.is_empty() && lines.iter().all(|l| l.starts_with(rel) && l.contains("error[boundary/import]")),
            "{}: {}",
            layout.fixture,
            planted.stdout
        );
    }
}

#[test]
fn init_stdout_prints_the_configuration_and_the_dry_run_counts_findings() {
    let (_dir, root) = copy_fixture("init/reuse-dual");
    // A community file that drops its header: the dry run counts it.
    let api = root.join("crates/server/src/api.rs");
    let text = std::fs::read_to_string(&api).unwrap();
    let body = text.split_inclusive('\n').skip(2).collect::<String>();
    std::fs::write(&api, body).unwrap();
    let run = corefence_in(root.clone(), &["init", "--stdout"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!root.join("corefence.toml").exists(), "--stdout writes nothing");
    let config: toml::Table = toml::from_str(&run.stdout).unwrap();
    let community = &config["editions"]["community"]["license"];
    assert_eq!(community.as_str(), Some("AGPL-3.0-only OR LicenseRef-SEL"));
    assert!(
        run.stderr.contains("dry run of `corefence check` with it: 1 finding in 8 files (1 license/missing)"),
        "{}",
        run.stderr
    );
}
