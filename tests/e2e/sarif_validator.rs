//! SARIF output against Microsoft's official validator (`sarif-multitool`,
//! from the npm package `@microsoft/sarif-multitool`). The tests are ignored
//! by default (`cargo test` has no validator); `.ci/run` installs it and runs
//! them.

use std::process::Command;

use crate::support::corefence;

/// Runs the validator on a SARIF log and fails on any error it reports,
/// or when it is not installed.
pub fn assert_valid_sarif(log_text: &str) {
    let Ok(version) = Command::new("sarif-multitool").arg("--version").output() else {
        crate::support::tool_missing("sarif-multitool", "npm install -g @microsoft/sarif-multitool");
    };
    assert!(version.status.success());
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("corefence.sarif");
    std::fs::write(&log, log_text).unwrap();
    let out_file = dir.path().join("validation.sarif");
    let status = Command::new("sarif-multitool")
        .arg("validate")
        .arg(&log)
        .arg("--output")
        .arg(&out_file)
        .arg("--log")
        .arg("ForceOverwrite")
        .status()
        .unwrap();
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    let errors: Vec<&serde_json::Value> = report["runs"][0]["results"]
        .as_array()
        .map(|r| r.iter().filter(|x| x["level"] == "error").collect())
        .unwrap_or_default();
    assert!(errors.is_empty(), "validator errors: {errors:#?}");
    assert!(status.success());
}

#[test]
#[ignore = "needs sarif-multitool"]
fn sarif_passes_the_official_validator() {
    let run = corefence(&["check", "fixtures/demo", "--format", "sarif"]);
    assert_valid_sarif(&run.stdout);
}
