//! Resolution rules checked on the resolver itself: a workspace held in
//! memory is parsed, its module trees built, and paths resolved from a
//! named module in a given build.

use std::collections::BTreeMap;
use std::path::Path;

use super::modtree::{Inputs, ModId, ModTree};
use super::resolve::{Res, Resolved, Resolver, View};
use super::FileData;
use crate::config::Config;
use crate::edition::EditionMap;
use crate::parse::items::{ns, Name};
use crate::workspace::Workspace;

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

/// The workspace every test starts from: the community crate `app`, whose
/// `enterprise` feature turns on the enterprise crate `acme-ee`. A test's
/// files are added to it, replacing those of the same path.
const BASE: &[(&str, &str)] = &[
    ("Cargo.toml", "[workspace]\nmembers = [\"app\", \"ee\"]\nresolver = \"2\"\n"),
    (
        "app/Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[features]\nenterprise = [\"dep:acme-ee\"]\n\n[dependencies]\nacme-ee = { path = \"../ee\", optional = true }\n",
    ),
    ("app/src/lib.rs", "pub fn f() {}\n"),
    ("ee/Cargo.toml", "[package]\nname = \"acme-ee\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
    (
        "ee/src/lib.rs",
        "pub mod sso { pub fn login() {} fn internal() {} pub(crate) fn helper() {} }\nmod inner { pub struct Token; }\npub use inner::Token;\n",
    ),
];

/// A configuration and workspace in memory, with every Rust file parsed.
struct Fixture {
    config: Config,
    ws: Workspace,
    editions: EditionMap,
    files: Vec<FileData>,
}

impl Fixture {
    /// The base workspace with `files` added, under the test configuration.
    fn new(files: &[(&str, &str)]) -> Self {
        Self::with_config(CONFIG, files)
    }

    /// A workspace of the base files and `files` (Cargo manifests and Rust
    /// files), under configuration `config`.
    fn with_config(config: &str, files: &[(&str, &str)]) -> Self {
        let config = crate::config::from_str("corefence.toml", config).expect("the configuration is valid");
        let texts: BTreeMap<String, String> =
            BASE.iter().chain(files).map(|(rel, text)| ((*rel).to_owned(), (*text).to_owned())).collect();
        let ws = crate::testing::memory_workspace(&texts);
        let editions = EditionMap::new(&config, &ws);
        let files = texts
            .iter()
            .filter(|(rel, _)| Path::new(rel).extension().is_some_and(|e| e == "rs"))
            .map(|(rel, text)| {
                let parsed = crate::parse::parse(text);
                assert!(parsed.problem.is_none(), "{rel}: {:?}", parsed.problem);
                let tagged = parsed
                    .file
                    .tags
                    .iter()
                    .filter_map(|t| Some((t.item_span.clone(), config.edition_named(&t.args.as_ref().ok()?.edition)?)))
                    .collect();
                let (syntax, problem) = (parsed.file.syntax, parsed.problem);
                FileData { rel: rel.clone(), syntax, tagged, problem, ..FileData::default() }
            })
            .collect();
        Fixture { config, ws, editions, files }
    }

    /// Builds the module trees and a resolver over them, and runs `check` with it.
    fn check<T>(&self, check: impl FnOnce(&Probe<'_>) -> T) -> T {
        let inputs = Inputs { config: &self.config, ws: &self.ws, editions: &self.editions, files: &self.files };
        let tree = ModTree::build(&inputs);
        let resolver = Resolver::new(&inputs, &tree);
        check(&Probe { inputs: &inputs, tree: &tree, resolver })
    }
}

/// A built resolver, and what it was built from.
struct Probe<'a> {
    inputs: &'a Inputs<'a>,
    tree: &'a ModTree,
    resolver: Resolver<'a>,
}

impl Probe<'_> {
    /// Whether `keys` want the one function body of `text`, a function
    /// probed as if written in file `rel`.
    fn wants(&self, keys: &super::keys::Keys, rel: &str, text: &str) -> bool {
        let keep = crate::parse::skeleton::Keep::new(["community", "enterprise"], ["enterprise"]);
        let bodies = crate::parse::skeleton::blankable(text, &keep, &[]);
        assert_eq!(bodies.len(), 1, "{text}");
        let file = self.inputs.file(rel).unwrap_or_else(|| panic!("no file {rel}"));
        keys.at(self.tree, file).wants(&bodies[0])
    }

    /// The first module whose canonical path is `name` (`app::a::b`).
    fn module(&self, name: &str) -> ModId {
        (0..self.tree.modules.len())
            .find(|&m| self.resolver.display(Res::Module(m)) == name)
            .unwrap_or_else(|| panic!("no module {name}"))
    }

    /// The module a file's top-level code is in.
    fn file_module(&self, rel: &str) -> ModId {
        let file = self.inputs.file(rel).unwrap_or_else(|| panic!("no file {rel}"));
        self.tree.file_modules[&file][0]
    }

    /// The build of an edition named in the configuration.
    fn build(&self, edition: &str) -> View {
        View::In(self.inputs.config.edition_named(edition).expect("a configured edition"))
    }

    /// The unit-test build of an edition.
    fn test_build(&self, edition: &str) -> View {
        View::Test(self.inputs.config.edition_named(edition).expect("a configured edition"))
    }

    /// Resolves `path` (`crate::a::f`, `::dep::x`) written in module `from`,
    /// its last segment in namespaces `ns`.
    fn resolve_ns(&self, from: ModId, path: &str, ns: u8, view: View) -> Option<Resolved> {
        let (global, path) = match path.strip_prefix("::") {
            Some(rest) => (true, rest),
            None => (false, path),
        };
        let segments: Vec<Name> = path.split("::").map(Into::into).collect();
        self.resolver.resolve(from, &segments, global, ns, view)
    }

    /// Resolves `path` written in the module named `from`, in any namespace.
    fn resolve(&self, from: &str, path: &str, view: View) -> Option<Resolved> {
        self.resolve_ns(self.module(from), path, ns::ANY, view)
    }

    /// The canonical path of what `path`, written in module `from`, resolves to.
    fn target(&self, from: &str, path: &str, view: View) -> Option<String> {
        self.resolve(from, path, view).map(|r| self.resolver.display(r.res))
    }

    /// The name of the edition of a definition.
    fn edition(&self, res: Res) -> &str {
        self.inputs.config.name(self.resolver.edition(res).expect("a definition in the tree"))
    }

    /// What `path`, written in module `from`, resolves to in any build: its
    /// canonical path and its edition.
    fn target_and_edition(&self, from: &str, path: &str) -> (String, String) {
        let found = self.resolve(from, path, View::Any).unwrap_or_else(|| panic!("{path} resolves"));
        (self.resolver.display(found.res), self.edition(found.res).to_owned())
    }

    /// The `use` paths a resolution went through, in order.
    fn hops(&self, from: &str, path: &str, view: View) -> Vec<String> {
        let hops = self.resolve(from, path, view).expect("the path resolves").hops;
        hops.iter().map(|h| self.resolver.hop_path(h)).collect()
    }
}

/// A canonical path and an edition name, as `target_and_edition` gives them.
fn pair(path: &str, edition: &str) -> (String, String) {
    (path.to_owned(), edition.to_owned())
}

#[test]
fn crate_self_and_super_start_from_the_root_the_module_and_its_parent() {
    let lib = "pub fn top() {}\npub mod a {\n  pub fn f() {}\n  pub mod b { fn g() {} }\n}\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        let any = View::Any;
        assert_eq!(p.target("app::a::b", "crate::top", any).as_deref(), Some("app::top"));
        assert_eq!(p.target("app::a::b", "super::f", any).as_deref(), Some("app::a::f"));
        assert_eq!(p.target("app::a::b", "self::g", any).as_deref(), Some("app::a::b::g"));
        assert_eq!(p.target("app::a::b", "super::super::top", any).as_deref(), Some("app::top"));
        assert_eq!(p.target("app::a::b", "crate::a::b", any).as_deref(), Some("app::a::b"));
        // The crate root has no parent.
        assert_eq!(p.target("app", "super::top", any), None);
    });
}

#[test]
fn a_path_that_names_nothing_resolves_to_none() {
    let lib = "pub mod a { pub fn f() {} }\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        assert_eq!(p.target("app", "crate::missing", View::Any), None);
        assert_eq!(p.target("app", "a::missing", View::Any), None);
        assert_eq!(p.target("app", "missing::f", View::Any), None);
        assert_eq!(p.target("app", "::a::f", View::Any), None, "a global path names crates only");
        assert_eq!(p.target("app", "a::f", View::Any).as_deref(), Some("app::a::f"));
    });
}

#[test]
fn a_use_alias_binds_the_item_under_its_new_name() {
    let lib = "mod inner { pub fn open() {} }\nuse inner::open as start;\npub mod user { pub fn f() {} }\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        assert_eq!(p.target("app", "start", View::Any).as_deref(), Some("app::inner::open"));
        assert_eq!(p.target("app::user", "super::start", View::Any).as_deref(), Some("app::inner::open"));
        assert_eq!(p.hops("app", "start", View::Any), ["inner::open"]);
        // The alias replaces the name: `open` is not bound at the root.
        assert_eq!(p.target("app", "open", View::Any), None);
    });
}

#[test]
fn a_glob_brings_in_what_its_module_can_see() {
    let lib = "mod inner { pub fn open() {} fn shut() {} }\nmod user { use super::inner::*; }\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        assert_eq!(p.target("app::user", "open", View::Any).as_deref(), Some("app::inner::open"));
        assert_eq!(p.hops("app::user", "open", View::Any), ["super::inner::*"]);
        // `shut` is private to `inner`, which `user` is not inside.
        assert_eq!(p.target("app::user", "shut", View::Any), None);
    });
}

#[test]
fn explicit_items_and_imports_shadow_a_glob() {
    let lib = "mod inner { pub fn open() {} pub fn shut() {} pub fn keep() {} }\nmod other { pub fn shut() {} }\nuse inner::*;\nuse other::shut;\nfn open() {}\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        assert_eq!(p.target("app", "open", View::Any).as_deref(), Some("app::open"));
        assert_eq!(p.target("app", "shut", View::Any).as_deref(), Some("app::other::shut"));
        assert_eq!(p.target("app", "keep", View::Any).as_deref(), Some("app::inner::keep"));
    });
}

#[test]
fn a_reexport_chain_across_crates_ends_at_the_definition_and_its_edition() {
    let lib = "pub use acme_ee::Token as EeToken;\npub mod m { pub fn f() {} }\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        assert_eq!(p.target_and_edition("app::m", "crate::EeToken"), pair("acme_ee::inner::Token", "enterprise"));
        assert_eq!(p.hops("app::m", "crate::EeToken", View::Any), ["acme_ee::Token", "inner::Token"]);
        // The enterprise crate is only in the enterprise build.
        assert_eq!(p.target("app::m", "crate::EeToken", p.build("community")), None);
        let ee = p.target("app::m", "crate::EeToken", p.build("enterprise"));
        assert_eq!(ee.as_deref(), Some("acme_ee::inner::Token"));
        // `inner` is private to the enterprise crate: only the re-export reaches it.
        assert_eq!(p.target("app", "acme_ee::inner::Token", View::Any), None);
    });
}

#[test]
fn items_of_another_crate_are_reached_only_when_public() {
    Fixture::new(&[]).check(|p| {
        assert_eq!(p.target_and_edition("app", "acme_ee::sso::login"), pair("acme_ee::sso::login", "enterprise"));
        assert_eq!(p.target("app", "acme_ee::sso::internal", View::Any), None);
        assert_eq!(p.target("app", "acme_ee::sso::helper", View::Any), None);
        // Within its own crate, `pub(crate)` reaches everywhere.
        assert_eq!(p.target("acme_ee", "sso::helper", View::Any).as_deref(), Some("acme_ee::sso::helper"));
    });
}

#[test]
fn a_feature_gated_item_exists_only_in_the_enterprise_build() {
    let lib = "#[cfg(feature = \"enterprise\")]\npub fn bonus() {}\n#[cfg(feature = \"enterprise\")]\npub mod ent { pub fn extra() {} }\npub fn base() {}\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        let (community, enterprise) = (p.build("community"), p.build("enterprise"));
        assert_eq!(p.target("app", "bonus", community), None);
        assert_eq!(p.target("app", "bonus", enterprise).as_deref(), Some("app::bonus"));
        assert_eq!(p.target("app", "ent::extra", community), None);
        assert_eq!(p.target("app", "ent::extra", enterprise).as_deref(), Some("app::ent::extra"));
        // The gate raises the edition of community code to the one its feature is mapped to.
        assert_eq!(p.target_and_edition("app", "bonus"), pair("app::bonus", "enterprise"));
        assert_eq!(p.target_and_edition("app", "ent::extra"), pair("app::ent::extra", "enterprise"));
        assert_eq!(p.target_and_edition("app", "base"), pair("app::base", "community"));
        let ent = p.resolve("app", "ent", View::Any).unwrap().res;
        assert!(!p.resolver.present(ent, community));
        assert!(p.resolver.present(ent, enterprise));
    });
}

#[test]
fn cfg_twin_imports_resolve_through_whichever_has_the_rest_of_the_path() {
    let lib = "mod oss { pub fn limit() {} }\n#[cfg(feature = \"enterprise\")]\nmod ent { pub fn limit() {} pub fn bonus() {} }\n#[cfg(not(feature = \"enterprise\"))]\nuse oss as current;\n#[cfg(feature = \"enterprise\")]\nuse ent as current;\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        let (community, enterprise) = (p.build("community"), p.build("enterprise"));
        assert_eq!(p.target("app", "current::limit", community).as_deref(), Some("app::oss::limit"));
        assert_eq!(p.target("app", "current::bonus", community), None);
        assert_eq!(p.target("app", "current::bonus", enterprise).as_deref(), Some("app::ent::bonus"));
    });
}

#[test]
fn a_tagged_item_is_of_the_tag_edition() {
    let lib = "use corefence_macros::edition;\n#[edition(enterprise)]\npub fn ee() {}\npub fn plain() {}\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        assert_eq!(p.target_and_edition("app", "ee"), pair("app::ee", "enterprise"));
        assert_eq!(p.target_and_edition("app", "plain"), pair("app::plain", "community"));
        assert_eq!(p.target("app", "ee", p.build("community")), None);
        assert_eq!(p.target("app", "ee", p.build("enterprise")).as_deref(), Some("app::ee"));
        let res = p.resolve("app", "ee", View::Any).unwrap().res;
        let (edition, gate) = p.resolver.edition_and_gate(res).unwrap();
        assert_eq!(p.inputs.config.name(edition), "enterprise");
        assert_eq!(gate.edition(), None, "a tag is no cfg gate");
    });
}

#[test]
fn a_module_file_assigned_to_an_edition_is_of_that_edition() {
    let lib = "#[cfg(feature = \"enterprise\")]\nmod ee_sso;\nmod plain;\n";
    let files = [
        ("app/src/lib.rs", lib),
        ("app/src/ee_sso.rs", "pub fn login() {}\n"),
        ("app/src/plain.rs", "pub fn f() {}\n"),
    ];
    Fixture::new(&files).check(|p| {
        assert_eq!(p.target_and_edition("app", "ee_sso::login"), pair("app::ee_sso::login", "enterprise"));
        assert_eq!(p.target_and_edition("app", "plain::f"), pair("app::plain::f", "community"));
        assert_eq!(p.file_module("app/src/ee_sso.rs"), p.module("app::ee_sso"));
    });
}

#[test]
fn extern_crate_self_names_the_crate_itself() {
    let lib = "extern crate self as acme;\npub mod a { pub fn f() {} }\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        assert_eq!(p.target("app::a", "acme::a::f", View::Any).as_deref(), Some("app::a::f"));
        assert_eq!(p.target("app::a", "::acme::a::f", View::Any).as_deref(), Some("app::a::f"));
        assert_eq!(p.target("app", "acme", View::Any).as_deref(), Some("app"));
    });
}

#[test]
fn extern_crate_renames_a_dependency_in_its_builds_only() {
    let lib = "extern crate acme_ee as e2;\npub mod m { pub fn f() {} }\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        let (community, enterprise) = (p.build("community"), p.build("enterprise"));
        assert_eq!(p.target("app::m", "e2::sso::login", enterprise).as_deref(), Some("acme_ee::sso::login"));
        assert_eq!(p.target("app::m", "e2::sso::login", community), None);
        assert_eq!(p.target("app::m", "acme_ee::sso::login", enterprise).as_deref(), Some("acme_ee::sso::login"));
    });
}

#[test]
fn a_cargo_renamed_dependency_goes_by_its_key() {
    let manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[features]\nenterprise = [\"dep:ee\"]\n\n[dependencies]\nee = { package = \"acme-ee\", path = \"../ee\", optional = true }\n";
    Fixture::new(&[("app/Cargo.toml", manifest)]).check(|p| {
        assert_eq!(p.target_and_edition("app", "ee::sso::login"), pair("acme_ee::sso::login", "enterprise"));
        assert_eq!(p.target("app", "acme_ee::sso::login", View::Any), None);
    });
}

#[test]
fn a_binary_names_its_own_library() {
    let files = [("app/src/lib.rs", "pub fn top() {}\n"), ("app/src/main.rs", "fn main() {}\n")];
    Fixture::new(&files).check(|p| {
        let main = p.file_module("app/src/main.rs");
        assert_ne!(main, p.module("app"), "the binary is a crate of its own");
        let found = p.resolve_ns(main, "app::top", ns::VALUE, View::Any).map(|r| p.resolver.display(r.res));
        assert_eq!(found.as_deref(), Some("app::top"));
        assert!(p.resolve_ns(main, "top", ns::VALUE, View::Any).is_none());
    });
}

#[test]
fn a_glob_of_an_enum_brings_its_variants() {
    let lib = "pub enum Plan { Team, Solo }\npub mod user { use super::Plan::*; }\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        assert_eq!(p.target("app", "Plan::Team", View::Any).as_deref(), Some("app::Plan::Team"));
        assert_eq!(p.target("app::user", "Solo", View::Any).as_deref(), Some("app::Plan::Solo"));
        assert_eq!(p.target("app", "Plan::Missing", View::Any), None);
    });
}

#[test]
fn exported_macros_live_at_the_crate_root() {
    let lib = "pub mod m {\n  #[macro_export]\n  macro_rules! mac { () => {} }\n}\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        let m = p.module("app::m");
        let found = p.resolve_ns(m, "crate::mac", ns::MACRO, View::Any).map(|r| p.resolver.display(r.res));
        assert_eq!(found.as_deref(), Some("app::m::mac"));
        assert!(p.resolve_ns(m, "crate::mac", ns::VALUE, View::Any).is_none(), "a macro is not a value");
    });
}

#[test]
fn imports_sees_a_use_in_the_builds_that_hold_it() {
    let lib = "#[cfg(feature = \"enterprise\")]\nuse acme_ee::Token;\nuse acme_ee::Missing;\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        let (root, community, enterprise) = (p.module("app"), p.build("community"), p.build("enterprise"));
        assert!(!p.resolver.imports(root, "Token", community));
        assert!(p.resolver.imports(root, "Token", enterprise));
        // A `use` that does not resolve still binds its name.
        assert!(p.resolver.imports(root, "Missing", community));
        assert!(!p.resolver.imports(root, "Other", enterprise));
    });
}

#[test]
fn ctx_at_and_holds_follow_cfg_gates() {
    let lib = "#[cfg(feature = \"enterprise\")]\npub fn bonus() {}\n#[cfg(test)]\npub fn fixture() {}\n";
    Fixture::new(&[("app/src/lib.rs", lib)]).check(|p| {
        let root = p.module("app");
        let (community, enterprise) = (p.build("community"), p.build("enterprise"));
        let span = |name: &str| {
            let body = p.resolver.body(root).unwrap();
            body.items.iter().find(|i| i.name == name).unwrap().item_span.clone()
        };
        let bonus = p.resolver.ctx_at(root, &span("bonus"));
        assert_eq!(p.inputs.config.name(bonus.edition), "community", "a gate does not change whose code it is");
        assert!(!p.resolver.holds(community, bonus));
        assert!(p.resolver.holds(enterprise, bonus));
        assert!(p.resolver.holds(View::Any, bonus));
        assert_eq!(p.resolver.view_of(bonus), enterprise);
        let fixture = p.resolver.ctx_at(root, &span("fixture"));
        assert!(!p.resolver.holds(community, fixture));
        assert!(p.resolver.holds(p.test_build("community"), fixture));
        assert_eq!(p.resolver.view_of(fixture), p.test_build("community"));
        assert_eq!(p.target("app", "fixture", community), None);
        assert_eq!(p.target("app", "fixture", p.test_build("community")).as_deref(), Some("app::fixture"));
    });
}

#[test]
fn display_names_crate_roots_and_orphan_files() {
    let files = [("app/src/lib.rs", "pub mod a {}\n"), ("app/src/orphan.rs", "pub fn lost() {}\n")];
    Fixture::new(&files).check(|p| {
        assert_eq!(p.resolver.display(Res::Module(p.file_module("app/src/lib.rs"))), "app");
        assert_eq!(p.resolver.display(Res::Module(p.file_module("ee/src/lib.rs"))), "acme_ee");
        let orphan = p.file_module("app/src/orphan.rs");
        assert_eq!(p.resolver.display(Res::Module(orphan)), "crate");
        let lost = p.resolve_ns(orphan, "self::lost", ns::VALUE, View::Any).unwrap();
        assert_eq!(p.resolver.display(lost.res), "crate::lost");
    });
}

/// Modules that glob-import the crate root and each other in a ring, while
/// the root re-exports them all: every lookup runs into cycles. Each answer
/// must be the same whichever lookups ran before it (a lookup cut short by
/// a cycle must not leave its partial answer for later ones).
#[test]
fn answers_in_cycles_of_globs_do_not_depend_on_the_order_of_lookups() {
    let n = 6;
    let lib = (0..n).map(|i| format!("mod m{i};\npub use m{i}::*;\n")).collect::<Vec<_>>().concat();
    let mut files = Vec::new();
    for i in 0..n {
        let next = (i + 1) % n;
        files.push((format!("app/src/m{i}.rs"), format!("use crate::m{next}::*;\nuse super::*;\npub struct S{i};\n")));
    }
    let mut all: Vec<(&str, &str)> = vec![("app/src/lib.rs", lib.as_str())];
    all.extend(files.iter().map(|(rel, text)| (rel.as_str(), text.as_str())));
    let fixture = Fixture::new(&all);
    // `Token` is declared where the crate reaches (`acme_ee`), not through
    // the cycle: found nowhere, whichever module asks first.
    let names: Vec<String> = (0..n).map(|i| format!("S{i}")).chain(["Token".to_owned()]).collect();
    let queries: Vec<(String, String)> =
        (0..n).flat_map(|from| names.iter().map(move |name| (format!("app::m{from}"), name.clone()))).collect();
    let answers = |order: &mut dyn Iterator<Item = &(String, String)>| {
        fixture.check(|p| {
            let mut out: Vec<(String, String, Option<String>)> =
                order.map(|(from, name)| (from.clone(), name.clone(), p.target(from, name, View::Any))).collect();
            out.sort();
            out
        })
    };
    let forward = answers(&mut queries.iter());
    let backward = answers(&mut queries.iter().rev());
    assert_eq!(forward, backward);
    // And every name is found from every module: through the root's re-exports.
    assert!(forward.iter().all(|(_, name, found)| found.is_some() == (name != "Token")), "{forward:?}");
}

#[test]
fn a_body_is_parsed_only_when_it_names_what_can_break() {
    let plan = "pub enum Tier { Free, #[cfg(feature = \"enterprise\")] Team }
pub fn base() -> u32 { 1 }
#[cfg(feature = \"enterprise\")]
pub fn seats() -> u32 { 2 }
pub struct Quota;
impl Quota {
    #[cfg(feature = \"enterprise\")]
    pub fn audit(&self) {}
    pub fn total(&self) {}
}
#[derive(Clone, Default)]
pub struct Seat { pub id: u32 }
impl Seat {
    #[cfg(feature = \"enterprise\")]
    pub fn export(&self) {}
    pub fn renewed(&self) -> Seat { Seat { id: self.id } }
}
pub fn first_seat() -> Seat { Seat { id: 1 } }
pub struct Report;
impl Report {
    pub fn export(&self) {}
}
pub trait Audit { fn trail(&self); }
";
    let probe = "use crate::plan::{Quota, Seat as Place};
#[cfg(feature = \"enterprise\")]
use crate::plan::{Audit, Seat};
";
    let files = [
        (
            "app/src/lib.rs",
            "pub mod plan;\npub mod probe;\npub mod globs;\n#[cfg(feature = \"enterprise\")]\npub mod extra;\n",
        ),
        ("app/src/plan.rs", plan),
        ("app/src/probe.rs", probe),
        ("app/src/globs.rs", "use crate::plan::*;\n"),
        ("app/src/extra.rs", "use crate::plan::*;\n"),
    ];
    Fixture::new(&files).check(|p| {
        let keys = super::keys::Keys::new(p.inputs, p.tree, &p.resolver);
        let wanted_in = |rel: &str, body: &str| p.wants(&keys, rel, &format!("fn probe(q: &Quota) {{ {body} }}\n"));
        let wanted = |body: &str| wanted_in("app/src/probe.rs", body);
        for names in [
            "plan::seats()",
            "let t = Team;",
            "q.audit()",
            "Quota::audit(q)",
            "acme_ee::sso::login()",
            "format!(\"{Team}\")",
            // A trait only a gated `use` brings in: its methods.
            "q.trail()",
            // A method only higher code gives `Seat`, on a value the body
            // can tell is one: by its type, a renaming `use`, or a function.
            "let s: Seat = make(); s.export()",
            "let s: Place = make(); s.export()",
            "plan::first_seat().export()",
            "let s: Seat = make(); s.renewed().export()",
        ] {
            assert!(wanted(names), "{names}");
        }
        for nothing in [
            "plan::base() + 1",
            "q.total()",
            "audit(q)",
            "let x = Free;",
            // `Report` has an `export` of its own: a call on a value of
            // unknown type is not a finding.
            "r.export()",
            // A type's methods need no `use`: the gated `use` of `Seat`
            // brings in no `clone` or `default`.
            "q.clone(); Default::default()",
            // A higher function's name alone means it only where it is
            // declared, or where a glob may bring it.
            "seats()",
            // A method of `Seat` that gives a `Seat` tells the type only of
            // a value already known to be one.
            "r.renewed().export()",
        ] {
            assert!(!wanted(nothing), "{nothing}");
        }
        // Code only the enterprise build has breaks in no build.
        assert!(!wanted_in("app/src/extra.rs", "plan::seats(); q.audit()"));
        assert!(wanted_in("app/src/plan.rs", "seats()") && wanted_in("app/src/globs.rs", "seats()"));
    });
}

#[test]
fn a_bound_or_a_gated_parameter_is_a_key_only_where_a_build_can_break_on_it() {
    let package = |name: &str, deps: &[&str]| {
        let deps: Vec<String> = deps.iter().map(|dep| format!("acme-{dep} = {{ path = \"../{dep}\" }}\n")).collect();
        manifest(&format!("acme-{name}"), &deps.concat())
    };
    let (core, plugins) = (package("core", &[]), package("plugins", &["core"]));
    let (app, tool) = (package("app", &["core", "plugins"]), package("tool", &["core"]));
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"app\", \"ee\", \"core\", \"plugins\", \"tool\"]\n"),
        ("core/Cargo.toml", core.as_str()),
        (
            "core/src/lib.rs",
            "pub trait Exporter { fn name(&self) -> u32; }
pub fn export<T: Exporter>(item: T) -> u32 { item.name() }
pub fn open(#[cfg(feature = \"enterprise\")] seats: u32, name: u32) -> u32 { name }
pub fn close(#[cfg(unix)] mode: u32, name: u32) -> u32 { name }
#[macro_export]
macro_rules! render { ($x:expr) => { $crate::Exporter::name(&$x) } }
",
        ),
        ("plugins/Cargo.toml", plugins.as_str()),
        (
            "plugins/src/lib.rs",
            "pub struct Csv;\n#[cfg(feature = \"enterprise\")]\nimpl acme_core::Exporter for Csv { fn name(&self) -> u32 { 1 } }\n",
        ),
        ("app/Cargo.toml", app.as_str()),
        ("app/src/lib.rs", "pub fn run() {}\n"),
        ("tool/Cargo.toml", tool.as_str()),
        ("tool/src/lib.rs", "pub fn run() {}\n"),
    ];
    Fixture::new(&files).check(|p| {
        let keys = super::keys::Keys::new(p.inputs, p.tree, &p.resolver);
        let wanted_in = |rel: &str, body: &str| p.wants(&keys, rel, &format!("fn probe(x: u32) {{ {body} }}\n"));
        // Only builds with the plugins crate have its impl: the app's.
        assert!(wanted_in("app/src/lib.rs", "acme_core::export(x)"));
        assert!(!wanted_in("tool/src/lib.rs", "acme_core::export(x)"));
        // So is a macro expanding to the trait's name.
        assert!(wanted_in("app/src/lib.rs", "acme_core::render!(x)"));
        assert!(!wanted_in("tool/src/lib.rs", "acme_core::render!(x)"));
        // A parameter only the enterprise build has changes a call's
        // arity; one every build has on Unix changes nothing.
        assert!(wanted_in("tool/src/lib.rs", "acme_core::open(x, x)"));
        assert!(!wanted_in("tool/src/lib.rs", "acme_core::close(x, x)"));
    });
}

#[test]
fn a_glob_use_brings_keys_only_from_the_crates_its_crate_reaches() {
    let (core, app) = (manifest("acme-core", ""), manifest("acme-app", "acme-core = { path = \"../core\" }\n"));
    let tool = manifest("acme-tool", "");
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"app\", \"ee\", \"core\", \"apps\", \"tool\"]\n"),
        ("core/Cargo.toml", core.as_str()),
        (
            "core/src/lib.rs",
            "pub mod tools { pub fn helper() {} }\n#[cfg(feature = \"enterprise\")]\npub mod plan { pub fn seats() -> u32 { 1 } }\n",
        ),
        ("apps/Cargo.toml", app.as_str()),
        ("apps/src/lib.rs", "use acme_core::tools::*;\npub fn run() {}\n"),
        ("tool/Cargo.toml", tool.as_str()),
        ("tool/src/lib.rs", "use std::collections::*;\npub fn run() {}\n"),
    ];
    Fixture::new(&files).check(|p| {
        let keys = super::keys::Keys::new(p.inputs, p.tree, &p.resolver);
        let wanted_in = |rel: &str, body: &str| p.wants(&keys, rel, &format!("fn probe() {{ {body} }}\n"));
        // A glob may bring the gated `seats` into a crate reaching it...
        assert!(wanted_in("apps/src/lib.rs", "seats();"));
        // ...never into one that reaches neither it nor the enterprise
        // crate's `login`.
        assert!(!wanted_in("tool/src/lib.rs", "seats();"));
        assert!(!wanted_in("tool/src/lib.rs", "login();"));
    });
}

#[test]
fn a_glob_in_a_file_of_several_crates_brings_the_keys_each_crate_reaches() {
    let core = manifest("acme-core", "");
    let (tool, app) = (manifest("acme-tool", ""), manifest("acme-app", "acme-core = { path = \"../core\" }\n"));
    let shared = "#[path = \"../../shared/glob.rs\"]\nmod glob;\n";
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"app\", \"ee\", \"core\", \"aaa\", \"zzz\"]\n"),
        ("core/Cargo.toml", core.as_str()),
        ("core/src/lib.rs", "#[cfg(feature = \"enterprise\")]\npub mod plan { pub fn seats() -> u32 { 1 } }\n"),
        // Both crates read the same file as a module; only the second
        // reaches the core crate.
        ("aaa/Cargo.toml", tool.as_str()),
        ("aaa/src/lib.rs", shared),
        ("zzz/Cargo.toml", app.as_str()),
        ("zzz/src/lib.rs", shared),
        ("shared/glob.rs", "use super::*;\npub fn run() {}\n"),
    ];
    Fixture::new(&files).check(|p| {
        let keys = super::keys::Keys::new(p.inputs, p.tree, &p.resolver);
        assert!(p.wants(&keys, "shared/glob.rs", "fn probe() { seats(); }\n"));
    });
}

/// A package's manifest with an `enterprise` feature and `deps` (lines of
/// its `[dependencies]` table).
fn manifest(name: &str, deps: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[features]\nenterprise = []\n\n[dependencies]\n{deps}")
}

/// A generated crate's shape (web-sys): a module glob-importing a thousand
/// modules that each `use super::*;`. A name nothing in the cycle declares
/// is searched for once, not once per module that asks; a name nothing the
/// crate reaches declares (`allow`) is not searched for at all.
#[test]
fn a_glob_cycle_is_searched_once_per_name() {
    use std::fmt::Write as _;
    const MODULES: usize = 300;
    let mut lib = String::from("pub mod features {\n");
    for i in 0..MODULES {
        writeln!(lib, "    pub mod g{i} {{ use super::*; pub struct T{i}; }}\n    pub use g{i}::*;").unwrap();
    }
    lib.push_str("}\n");
    Fixture::new(&[("app/src/lib.rs", &lib)]).check(|p| {
        let modules: Vec<ModId> = (0..MODULES).map(|i| p.module(&format!("app::features::g{i}"))).collect();
        let before = p.resolver.searched();
        for (i, &m) in modules.iter().enumerate() {
            // `acme_ee::Token`, declared where the crate reaches but not
            // through its globs.
            assert!(p.resolve_ns(m, "Token", ns::TYPE, View::Any).is_none(), "g{i}");
            assert!(p.resolve_ns(m, "allow", ns::MACRO, View::Any).is_none(), "g{i}");
            let found = p.resolve_ns(m, "T7", ns::TYPE, View::Any).map(|r| p.resolver.display(r.res));
            assert_eq!(found.as_deref(), Some("app::features::g7::T7"), "g{i}");
        }
        let searched = p.resolver.searched() - before;
        assert!(searched < 4 * MODULES, "{searched} modules searched for three names from {MODULES} modules");
    });
}

/// The search for a `use` only another build has follows globs four deep:
/// through modules that glob each other, each module is entered once per
/// depth at most, not once per way to it.
#[test]
fn the_search_for_a_gated_use_enters_each_glob_module_once() {
    use std::fmt::Write as _;
    const MODULES: usize = 24;
    let mut lib = String::new();
    for i in 0..MODULES {
        write!(lib, "pub mod m{i} {{").unwrap();
        for j in (0..MODULES).filter(|&j| j != i) {
            write!(lib, " pub use super::m{j}::*;").unwrap();
        }
        if i == MODULES - 1 {
            lib.push_str(" #[cfg(feature = \"enterprise\")] pub use std::collections::HashMap;");
        }
        lib.push_str(" }\n");
    }
    Fixture::new(&[("app/src/lib.rs", &lib)]).check(|p| {
        let (from, community) = (p.module("app::m0"), p.build("community"));
        let before = p.resolver.searched();
        let (scope, u) = p.resolver.gated_import(from, "HashMap", community).expect("the gated `use` is found");
        assert_eq!(p.resolver.display(Res::Module(scope)), format!("app::m{}", MODULES - 1));
        assert_eq!(u.path.join("::"), "std::collections::HashMap");
        assert!(p.resolver.gated_import(from, "HashMap", p.build("enterprise")).is_none());
        let searched = p.resolver.searched() - before;
        assert!(searched < 20 * MODULES, "{searched} modules searched among {MODULES}");
        // Asked again from the same module, in the same build: the same
        // answer, from memory (a binding's type is named in every method).
        let again = p.resolver.gated_import(from, "HashMap", community).expect("found again");
        assert!(std::ptr::eq(again.1, u) && again.0 == scope);
        assert_eq!(p.resolver.searched() - before, searched, "searched again");
    });
}
