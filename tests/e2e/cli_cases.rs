//! CLI cases as data: each `tests/cmd/*.toml` names the arguments, the
//! expected exit code and output (trycmd).

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .register_bin("corefence", trycmd::cargo::cargo_bin!("corefence"))
        .register_bin("cargo-corefence", trycmd::cargo::cargo_bin!("cargo-corefence"))
        .case("tests/cmd/*.toml");
}

/// The binary carries the allocator options of `.cargo/config.toml`
/// (transparent huge pages, one arena): without them a cached one-file run
/// on a large workspace spends a quarter of its time in page faults.
#[cfg(not(windows))]
#[test]
fn the_binary_is_built_with_the_allocator_options() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_corefence"))
        .arg("--version")
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .expect("corefence runs");
    assert!(out.status.success());
    let stats = String::from_utf8_lossy(&out.stderr);
    assert!(
        stats.contains(r#"config.malloc_conf: "thp:always,metadata_thp:always,narenas:1""#),
        "jemalloc's build-time options are missing:\n{}",
        stats.lines().take(12).collect::<Vec<_>>().join("\n")
    );
}
