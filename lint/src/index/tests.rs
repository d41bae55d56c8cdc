//! Resolution rules, one workspace per rule, checked through the engine so
//! that the module tree, the resolver and the checks agree.

use std::fmt::Write as _;
use std::path::Path;

use crate::engine::{run, Options};

const CONFIG: &str = r#"
default = "community"
[editions.community]
license = "AGPL-3.0-only"
[editions.enterprise]
license = "LicenseRef-E"
uses = ["community"]
features = ["enterprise"]
[[assign]]
paths = ["ee/**", "app/src/ee_*.rs"]
edition = "enterprise"
[headers]
include = []
"#;

const EE: &[(&str, &str)] = &[
    ("ee/Cargo.toml", "[package]\nname = \"acme-ee\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
    ("ee/src/lib.rs", "pub mod sso { pub fn login() {} }\npub struct Token;\n"),
];

/// Writes a workspace (`app` and the enterprise crate `acme-ee`) and returns
/// its boundary findings as `path:line code symbol`.
fn findings(app_manifest_extra: &str, files: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| crate::testing::write(root, rel, text);
    write("corefence.toml", CONFIG);
    write("Cargo.toml", "[workspace]\nmembers = [\"app\", \"ee\"]\nresolver = \"2\"\n");
    write(
        "app/Cargo.toml",
        &format!(
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[features]\nenterprise = [\"dep:acme-ee\"]\n\n[dependencies]\nacme-ee = {{ path = \"../ee\", optional = true }}\n{app_manifest_extra}"
        ),
    );
    for (rel, text) in EE.iter().chain(files) {
        write(rel, text);
    }
    let outcome = run(&Options { start: root.to_path_buf(), jobs: 1, ..Options::default() }).unwrap();
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str().starts_with("boundary/") && !Path::new(d.location.path()).ends_with("Cargo.toml"))
        .map(|d| {
            format!(
                "{}:{} {} {}",
                d.location.path(),
                d.location.start().line,
                d.code.as_str(),
                d.symbol.as_deref().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn crate_self_and_super_reach_tagged_items() {
    let lib = "use corefence_macros::edition;\n#[edition(enterprise)]\npub fn ee() {}\npub mod a {\n  pub fn f() { crate::ee(); super::ee(); self::g(); }\n  fn g() {}\n}\n";
    assert_eq!(
        findings("", &[("app/src/lib.rs", lib)]),
        ["app/src/lib.rs:5 boundary/import app::ee", "app/src/lib.rs:5 boundary/import app::ee"]
    );
}

#[test]
fn extern_names_follow_cargo_renames_and_extern_crate() {
    let lib = "use ee::Token;\nextern crate acme_ee as e2;\npub fn f() { e2::sso::login(); }\n";
    assert_eq!(
        findings("ee = { package = \"acme-ee\", path = \"../ee\", optional = true }\n", &[("app/src/lib.rs", lib)]),
        ["app/src/lib.rs:1 boundary/import acme_ee::Token", "app/src/lib.rs:2 boundary/import acme_ee",]
    );
}

#[test]
fn a_use_is_reported_once_not_at_every_use_of_its_name() {
    let lib = "use acme_ee::sso as s;\npub fn f() { s::login(); s::login(); }\n";
    assert_eq!(findings("", &[("app/src/lib.rs", lib)]), ["app/src/lib.rs:1 boundary/import acme_ee::sso"]);
}

#[test]
fn global_paths_name_crates_only() {
    let lib = "mod acme_ee { pub fn login() {} }\npub fn f() { acme_ee::login(); ::acme_ee::sso::login(); }\n";
    assert_eq!(findings("", &[("app/src/lib.rs", lib)]), ["app/src/lib.rs:2 boundary/import acme_ee::sso::login"]);
}

#[test]
fn globs_and_reexports_inside_a_crate() {
    let lib = "mod shim { pub use acme_ee::sso::*; }\nuse shim::login;\n";
    assert_eq!(
        findings("", &[("app/src/lib.rs", lib)]),
        ["app/src/lib.rs:1 boundary/reexport acme_ee::sso", "app/src/lib.rs:2 boundary/import acme_ee::sso::login"]
    );
}

#[test]
fn glob_cycles_end() {
    let lib = "mod a { pub use super::b::*; }\nmod b { pub use super::a::*; }\nuse a::Nothing;\npub fn f() { a::Nothing::x(); }\n";
    assert!(findings("", &[("app/src/lib.rs", lib)]).is_empty());
}

#[test]
fn a_binary_names_its_own_library() {
    let lib = "use corefence_macros::edition;\n#[edition(enterprise)]\npub fn ee() {}\n";
    let main = "fn main() { app::ee(); }\n";
    assert_eq!(
        findings("", &[("app/src/lib.rs", lib), ("app/src/main.rs", main)]),
        ["app/src/main.rs:1 boundary/import app::ee"]
    );
}

#[test]
fn enterprise_files_may_use_enterprise_code() {
    let lib = "#[cfg(feature = \"enterprise\")]\nmod ee_sso;\n";
    let ee = "use acme_ee::sso::login;\npub fn f() { login(); acme_ee::sso::login(); }\n";
    assert!(findings("", &[("app/src/lib.rs", lib), ("app/src/ee_sso.rs", ee)]).is_empty());
}

#[test]
fn module_files_inherit_a_cfg_gate() {
    let lib = "#[cfg(all(feature = \"enterprise\", unix))]\nmod gated;\n";
    let gated = "pub fn f() { acme_ee::sso::login(); }\n";
    assert!(findings("", &[("app/src/lib.rs", lib), ("app/src/gated.rs", gated)]).is_empty());
}

#[test]
fn shared_files_take_the_edition_all_declarers_may_use() {
    let cmd = "pub fn run() { acme_ee::sso::login(); }\n";
    let ee_main = "#[path = \"cmd.rs\"]\nmod cmd;\nfn main() {}\n";
    let oss_main = "#[path = \"cmd.rs\"]\nmod cmd;\nfn main() {}\n";
    let bins =
        "[[bin]]\nname = \"ee\"\npath = \"src/ee_main.rs\"\n[[bin]]\nname = \"oss\"\npath = \"src/oss_main.rs\"\n";
    let only_ee = "[[bin]]\nname = \"ee\"\npath = \"src/ee_main.rs\"\n";
    assert_eq!(
        findings(bins, &[("app/src/cmd.rs", cmd), ("app/src/ee_main.rs", ee_main), ("app/src/oss_main.rs", oss_main)]),
        ["app/src/cmd.rs:1 boundary/import acme_ee::sso::login"]
    );
    assert!(findings(only_ee, &[("app/src/cmd.rs", cmd), ("app/src/ee_main.rs", ee_main)]).is_empty());
}

#[test]
fn cfg_alternated_names_resolve_in_the_build_of_the_referring_edition() {
    let lib = "mod oss { pub fn limit() {} }\n#[cfg(feature = \"enterprise\")]\nmod ent { pub fn limit() {} pub fn bonus() {} }\n#[cfg(not(feature = \"enterprise\"))]\nuse oss as current;\n#[cfg(feature = \"enterprise\")]\nuse ent as current;\npub fn f() { current::limit(); ent::bonus(); }\n";
    assert_eq!(findings("", &[("app/src/lib.rs", lib)]), ["app/src/lib.rs:8 boundary/import app::ent::bonus"]);
}

#[test]
fn snippets_mark_enterprise_code() {
    let lib = "pub fn f() {\n    // SPDX-SnippetBegin\n    // SPDX-License-Identifier: LicenseRef-E\n    acme_ee::sso::login();\n    // SPDX-SnippetEnd\n    acme_ee::sso::login();\n}\n";
    assert_eq!(findings("", &[("app/src/lib.rs", lib)]), ["app/src/lib.rs:6 boundary/import acme_ee::sso::login"]);
}

#[test]
fn orphan_files_are_still_checked() {
    let lib = "pub fn f() {}\n";
    let orphan = "use acme_ee::Token;\n";
    assert_eq!(
        findings("", &[("app/src/lib.rs", lib), ("app/src/orphan.rs", orphan)]),
        ["app/src/orphan.rs:1 boundary/import acme_ee::Token"]
    );
}

#[test]
fn dependencies_go_by_their_library_name() {
    let ee_manifest =
        "[package]\nname = \"acme-ee\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[lib]\nname = \"acme_enterprise\"\n";
    let lib = "use acme_enterprise::Token;\nuse acme_ee::sso;\n";
    assert_eq!(
        findings("", &[("ee/Cargo.toml", ee_manifest), ("app/src/lib.rs", lib)]),
        ["app/src/lib.rs:1 boundary/import acme_enterprise::Token"]
    );
}

#[test]
fn glob_diamonds_resolve_in_linear_time() {
    // Each module glob-imports the two before it: without memoised lookups
    // a miss walks 2^30 paths.
    let mut lib = String::from("pub mod m0 { pub use acme_ee::sso::*; }\npub mod m1 { pub use super::m0::*; }\n");
    for i in 2..30 {
        let (a, b) = (i - 1, i - 2);
        writeln!(lib, "pub mod m{i} {{ pub use super::m{a}::*; pub use super::m{b}::*; }}").unwrap();
    }
    lib.push_str("pub fn f() { m29::missing(); m29::login(); }\n");
    let found = findings("", &[("app/src/lib.rs", &lib)]);
    assert_eq!(found.last().map(String::as_str), Some("app/src/lib.rs:31 boundary/import acme_ee::sso::login"));
}

#[test]
fn a_glob_brings_in_only_what_its_module_can_see() {
    // `ent::limit` is private to `ent`: `prelude::limit` is the community one.
    let lib = "mod oss { pub fn limit() {} }\n#[cfg(feature = \"enterprise\")]\nmod ent { fn limit() {} pub fn bonus() {} }\npub mod prelude {\n  #[cfg(feature = \"enterprise\")]\n  pub use super::ent::*;\n  pub use super::oss::*;\n}\npub fn f() { prelude::limit(); prelude::bonus(); }\n";
    assert_eq!(findings("", &[("app/src/lib.rs", lib)]), ["app/src/lib.rs:9 boundary/import app::ent::bonus"]);
}

#[test]
fn private_and_crate_items_are_not_reached_from_another_crate() {
    let ee = "pub mod sso { pub fn login() {} fn internal() {} pub(crate) fn helper() {} pub(super) fn up() {} }\nmod hidden { pub fn x() {} }\npub(crate) struct Secret;\n";
    let lib = "use acme_ee::Secret;\nuse acme_ee::hidden::x;\nuse acme_ee::sso::{helper, up};\npub fn f() { acme_ee::sso::internal(); acme_ee::sso::helper(); acme_ee::hidden::x(); }\npub fn g() { acme_ee::sso::login(); }\n";
    assert_eq!(
        findings("", &[("ee/src/lib.rs", ee), ("app/src/lib.rs", lib)]),
        ["app/src/lib.rs:5 boundary/import acme_ee::sso::login"]
    );
}

#[test]
fn private_methods_and_fields_of_another_crate_are_not_taken_for_an_unknown_receiver() {
    // `resp` comes from a dependency outside the workspace: its type is
    // unknown, and the enterprise crate's only `text` and `body` are private;
    // its public `matched_lines` is still taken for the enterprise one.
    let ee = "pub struct Grep { body: String }\nimpl Grep {\n  fn text(&self) -> &str { &self.body }\n  pub fn matched_lines(&self) -> usize { 0 }\n}\n";
    let lib = "#[cfg(feature = \"enterprise\")]\npub use acme_ee as ee;\npub async fn f() -> usize {\n  let resp = CLIENT.post(1).send().await.unwrap();\n  resp.text().len() + resp.body.len() + resp.matched_lines()\n}\n";
    assert_eq!(
        findings("", &[("ee/src/lib.rs", ee), ("app/src/lib.rs", lib)]),
        ["app/src/lib.rs:5 boundary/import acme_ee::Grep::matched_lines"]
    );
}

#[test]
fn descendants_see_private_items_of_their_ancestors() {
    // `child`'s glob brings the private `secret` in for `child` and below,
    // not for its sibling `other`.
    let lib = "#[corefence_macros::edition(enterprise)]\nfn secret() {}\nmod child {\n  use super::*;\n  pub fn f() { super::secret(); crate::secret(); }\n  mod grandchild { pub fn g() { super::secret(); super::super::secret(); } }\n}\nmod other { pub fn h() { super::child::secret(); } }\n";
    assert_eq!(
        findings("", &[("app/src/lib.rs", lib)]),
        [
            "app/src/lib.rs:5 boundary/import app::secret",
            "app/src/lib.rs:5 boundary/import app::secret",
            "app/src/lib.rs:6 boundary/import app::secret",
            "app/src/lib.rs:6 boundary/import app::secret",
        ]
    );
}

#[test]
fn restricted_visibility_reaches_the_module_it_names() {
    let tag = "#[corefence_macros::edition(enterprise)]";
    let lib = format!(
        "pub mod a {{\n  pub mod b {{\n    {tag} pub(in crate::a) fn in_a() {{}}\n    {tag} pub(super) fn up() {{}}\n    {tag} pub(self) fn me() {{}}\n  }}\n  pub fn f() {{ b::in_a(); b::up(); b::me(); }}\n}}\npub fn g() {{ a::b::in_a(); a::b::up(); a::b::me(); }}\n"
    );
    assert_eq!(
        findings("", &[("app/src/lib.rs", &lib)]),
        ["app/src/lib.rs:7 boundary/import app::a::b::in_a", "app/src/lib.rs:7 boundary/import app::a::b::up"]
    );
}

#[test]
fn reexports_reach_no_further_than_what_they_export() {
    // A `pub use` of a `pub(crate)` item, and a `pub` glob over a private
    // module, expose only `pub` items to other crates.
    let ee = "mod inner { pub fn open() {} pub(crate) fn shut() {} }\npub use inner::*;\npub(crate) use inner::open as crate_open;\npub use inner::open as pub_open;\npub use inner::shut as leaked;\n";
    let lib = "use acme_ee::open;\nuse acme_ee::shut;\nuse acme_ee::crate_open;\nuse acme_ee::pub_open;\nuse acme_ee::leaked;\n";
    assert_eq!(
        findings("", &[("ee/src/lib.rs", ee), ("app/src/lib.rs", lib)]),
        [
            "app/src/lib.rs:1 boundary/import acme_ee::inner::open",
            "app/src/lib.rs:4 boundary/import acme_ee::inner::open"
        ]
    );
}

#[test]
fn negations_are_pushed_inwards() {
    let lib = "#[cfg(not(not(feature = \"enterprise\")))]\npub fn a() { acme_ee::sso::login(); }\n\
               #[cfg(not(any(not(feature = \"enterprise\"), unix)))]\npub fn b() { acme_ee::sso::login(); }\n\
               #[cfg(not(feature = \"enterprise\"))]\npub fn c() { acme_ee::sso::login(); }\n";
    assert_eq!(findings("", &[("app/src/lib.rs", lib)]), ["app/src/lib.rs:6 boundary/import acme_ee::sso::login"]);
}

#[test]
fn unit_tests_are_checked_in_the_build_with_cfg_test() {
    // `fixture` is in every unit-test build, but only in the enterprise library.
    let lib = "#[cfg(any(feature = \"enterprise\", test))]\npub fn fixture() {}\npub fn seats() { fixture(); }\n\
               #[cfg(test)]\nmod tests {\n    fn t() { super::fixture(); }\n}\n#[test]\nfn unit() { fixture(); }\n\
               #[cfg(all(not(test), feature = \"enterprise\"))]\npub fn plain() { acme_ee::sso::login(); }\n";
    assert_eq!(findings("", &[("app/src/lib.rs", lib)]), ["app/src/lib.rs:3 boundary/import app::fixture"]);
}

#[test]
fn a_root_extern_crate_names_the_crate_in_every_module() {
    let lib = "#[cfg(feature = \"enterprise\")]\nextern crate acme_ee as ee;\npub mod m {\n    pub fn f() { ee::sso::login(); }\n    #[cfg(feature = \"enterprise\")]\n    pub fn g() { ::ee::sso::login(); }\n}\n";
    assert_eq!(findings("", &[("app/src/lib.rs", lib)]), ["app/src/lib.rs:4 boundary/import acme_ee::sso::login"]);
}

#[test]
fn a_gated_argument_is_not_passed_where_its_gate_is_off() {
    let lib = "pub fn cap(#[cfg(feature = \"enterprise\")] seats: u32, base: u32) -> u32 { base }\n\
               pub fn run() -> u32 { cap(#[cfg(feature = \"enterprise\")] 50, 5) }\npub fn bad() -> u32 { cap(50, 5) }\n";
    assert_eq!(findings("", &[("app/src/lib.rs", lib)]), ["app/src/lib.rs:3 boundary/import app::cap"]);
}
