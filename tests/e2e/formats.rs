//! Every output format on the demo workspace, snapshotted. The human format
//! is rendered without colour at a fixed width so the snapshot is stable.

use crate::support::corefence;

fn check(format: &str) -> crate::support::Run {
    let run = corefence(&["check", "fixtures/demo", "--format", format, "--color", "never"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    run
}

#[test]
fn human() {
    let run = check("human");
    assert!(run.stdout.is_empty(), "human output goes to stderr, as cargo's does");
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn short() {
    insta::assert_snapshot!(check("short").stdout);
}

#[test]
fn json_follows_the_contract() {
    let run = check("json");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    let errors = doc["summary"]["errors"].as_u64().unwrap();
    assert_eq!(run.code, i32::from(errors > 0));
    for d in doc["diagnostics"].as_array().unwrap() {
        let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "code",
                "column",
                "edition",
                "end_column",
                "end_line",
                "fingerprint",
                "help",
                "line",
                "message",
                "path",
                "severity",
                "symbol",
                "target_edition"
            ]
        );
        assert!(!d["path"].as_str().unwrap().contains('\\'));
    }
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn sarif() {
    // Paths from the workspace root, wherever the repository holds it.
    let run = corefence(&["check", "fixtures/demo", "--format", "sarif", "--sarif-root", "."]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(doc["version"], "2.1.0");
    let rules = doc["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), corefence::diagnostic::Code::ALL.len(), "one rule per code");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn github() {
    let run = check("github");
    for line in run.stdout.lines() {
        assert!(line.starts_with("::error file=") || line.starts_with("::warning file="), "{line}");
    }
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn gitlab() {
    let run = check("gitlab");
    let issues: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("a JSON array");
    let mut fingerprints: Vec<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    for i in &issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].is_string(), "{key} in {i}");
        }
        assert!(i["location"]["lines"]["begin"].is_u64());
    }
    insta::assert_snapshot!(run.stdout);
}

/// Every finding is a cargo `compiler-message` that `cargo_metadata` (what
/// rust-analyzer and other cargo tools read) takes as one, at the place,
/// with the code and level of the JSON contract; related spans ("defined
/// here") and the help come through; the last line says the build failed.
#[test]
fn rustc_json_is_what_cargo_check_message_format_json_prints() {
    let run = check("rustc-json");
    let contract: serde_json::Value = serde_json::from_str(&check("json").stdout).unwrap();
    let expected = contract["diagnostics"].as_array().unwrap();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), expected.len() + 1, "{}", run.stdout);
    let (mut related, mut helped) = (0, 0);
    for (line, want) in lines.iter().zip(expected) {
        let message: cargo_metadata::Message = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let cargo_metadata::Message::CompilerMessage(m) = message else { panic!("not a compiler message: {line}") };
        let d = &m.message;
        assert_eq!(d.code.as_ref().map(|c| c.code.as_str()), want["code"].as_str());
        assert_eq!(d.message, want["message"].as_str().unwrap());
        let level = match d.level {
            cargo_metadata::diagnostic::DiagnosticLevel::Error => "error",
            cargo_metadata::diagnostic::DiagnosticLevel::Warning => "warning",
            _ => "other",
        };
        assert_eq!(level, want["severity"].as_str().unwrap());
        let primary: Vec<_> = d.spans.iter().filter(|s| s.is_primary).collect();
        assert_eq!(primary.len(), 1, "{line}");
        let p = primary[0];
        assert_eq!(p.file_name, want["path"].as_str().unwrap());
        assert_eq!(
            (p.line_start as u64, p.column_start as u64),
            (want["line"].as_u64().unwrap(), want["column"].as_u64().unwrap())
        );
        assert_eq!(
            (p.line_end as u64, p.column_end as u64),
            (want["end_line"].as_u64().unwrap(), want["end_column"].as_u64().unwrap())
        );
        let covered = &p.text[0];
        assert!(covered.highlight_start <= covered.highlight_end, "{line}");
        related += d.spans.iter().filter(|s| !s.is_primary && s.label.is_some()).count();
        if let Some(help) = want["help"].as_str() {
            assert!(d.children.iter().any(|c| c.message == help), "{line}");
            helped += 1;
        }
        assert!(d.rendered.as_deref().is_some_and(|r| r.contains(&d.message)), "{line}");
    }
    assert!(related > 0 && helped > 0, "{related} related spans, {helped} helps");
    let last: cargo_metadata::Message = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert!(matches!(last, cargo_metadata::Message::BuildFinished(ref b) if !b.success), "{last:?}");
    assert_eq!(run.code, 1);
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let one = corefence(&["check", "fixtures/demo", "--format", "json", "--jobs", "1"]);
    let many = corefence(&["check", "fixtures/demo", "--format", "json", "--jobs", "8"]);
    assert_eq!(one.stdout, many.stdout);
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let warn_only = corefence(&["check", "fixtures/warnings-only", "--format", "short"]);
    assert_eq!(warn_only.code, 0, "{}", warn_only.stdout);
    assert!(warn_only.stdout.contains("warning["), "{}", warn_only.stdout);
    let denied = corefence(&["check", "fixtures/warnings-only", "--format", "short", "--deny", "warnings"]);
    assert_eq!(denied.code, 1);
}

#[test]
fn paths_limit_what_is_reported() {
    let all = corefence(&["check", "fixtures/demo", "--format", "short"]);
    let only = corefence(&["check", "fixtures/demo/ee", "--format", "short"]);
    assert!(!only.stdout.is_empty());
    assert!(only.stdout.lines().all(|l| l.starts_with("ee/")), "{}", only.stdout);
    assert!(all.stdout.lines().count() > only.stdout.lines().count());
}

#[test]
fn timings_show_where_the_run_went() {
    let run = corefence(&["check", "fixtures/demo", "--format", "short", "--no-cache", "--timings"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for stage in [
        "timings: ",
        "discover files",
        "files (in parallel)",
        "module trees",
        "name resolution",
        "keys to bodies",
        "boundary checks",
        "workspace checks",
        "parse",
    ] {
        assert!(run.stderr.contains(stage), "no `{stage}` in:\n{}", run.stderr);
    }
    // Seconds per line, the peak memory by each stage's end where the
    // system tells it, and the report itself unchanged on stdout.
    let timed = |l: &&str| l.trim_end().ends_with(" s") || l.contains(" s ");
    assert!(run.stderr.lines().filter(timed).count() >= 10, "{}", run.stderr);
    if cfg!(target_os = "linux") {
        assert!(run.stderr.lines().filter(|l| l.trim_end().ends_with(" MB peak")).count() >= 8, "{}", run.stderr);
    }
    assert!(!run.stdout.contains("timings"), "{}", run.stdout);
}

#[test]
fn quiet_prints_the_findings_only_and_verbose_says_what_was_read() {
    let plain = check("human");
    let quiet = corefence(&["check", "fixtures/demo", "-q", "--color", "never"]);
    assert_eq!(quiet.code, plain.code);
    assert!(plain.stderr.contains("corefence: "), "{}", plain.stderr);
    assert!(!quiet.stderr.contains("corefence: "), "{}", quiet.stderr);
    assert_eq!(quiet.stderr.matches("boundary/import").count(), plain.stderr.matches("boundary/import").count());
    let verbose = corefence(&["check", "fixtures/demo", "-v", "--color", "never"]);
    assert_eq!(verbose.code, plain.code);
    let root = crate::support::repo_root().join("fixtures/demo");
    assert!(verbose.stderr.contains(&format!("root: {}\n", root.display())), "{}", verbose.stderr);
    assert!(
        verbose.stderr.contains(&format!("config: {}\n", root.join("corefence.toml").display())),
        "{}",
        verbose.stderr
    );
    assert!(verbose.stderr.contains(" checked, "), "{}", verbose.stderr);
    assert_eq!(corefence(&["check", "-q", "-v"]).code, 2, "-q and -v contradict each other");
}
