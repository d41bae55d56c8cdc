//! CLI cases as data: each `tests/cmd/*.toml` names the arguments, the
//! expected exit code and output (trycmd).

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .register_bin("corefence", trycmd::cargo::cargo_bin!("corefence"))
        .register_bin("cargo-corefence", trycmd::cargo::cargo_bin!("cargo-corefence"))
        .case("tests/cmd/*.toml");
}
