//! What the repository already says about its editions: its license files,
//! the SPDX identifiers its headers and snippets carry, the Cargo features
//! that gate enterprise code, its folder conventions and its vendored
//! crates. [`Proposal::infer`] turns it into the settings `init` writes,
//! each with the evidence it came from.

use std::collections::{BTreeMap, BTreeSet};

use super::license_files::{self, LicenseFile};
use crate::license::comment::CommentStyle;
use crate::license::expr::LicenseExpr;
use crate::workspace::{is_under, Workspace};

/// Folder names that hold enterprise code by convention, with or without
/// a cfg gate to confirm them.
const ENTERPRISE_FOLDERS: [&str; 2] = ["ee", "enterprise"];

/// Module and folder names that hold enterprise code when a feature gate
/// around their `mod` confirms it.
const GATED_NAMES: [&str; 5] = ["enterprise_edition", "premium", "ee", "enterprise", "pro"];

/// Folders whose crates are vendored by convention.
const VENDOR_FOLDERS: [&str; 5] = ["vendor", "third_party", "third-party", "external-crates", "vendored"];

/// Below this share of Rust files carrying an SPDX header (numerator,
/// denominator), the repository does not use headers and `init` switches
/// header checks off.
const HEADERS_IN_USE: (usize, usize) = (1, 5);

/// One inferred setting and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Finding {
    /// What was inferred, as the config says it.
    pub value: String,
    /// The evidence, for the user.
    pub from: String,
}

/// The settings `init` proposes.
#[derive(Debug, Clone, Default)]
pub struct Proposal {
    /// The community license, and further expressions community crates'
    /// manifests declare (accepted too).
    pub community: Vec<Finding>,
    /// The enterprise license.
    pub enterprise: Option<Finding>,
    /// Enterprise folders and files (globs).
    pub paths: Vec<Finding>,
    /// Enterprise crates outside those folders, by name.
    pub crates: Vec<Finding>,
    /// Cargo features that gate enterprise code.
    pub features: Vec<Finding>,
    /// The community edition is built without default features.
    pub no_default_features: Option<Finding>,
    /// Crates only the enterprise build has: they turn the enterprise
    /// features of their dependencies on unconditionally.
    pub build_only: Vec<Finding>,
    /// Whether the repository uses headers (`on` or `off`), and why.
    pub headers: Finding,
    /// Whether header checks stay on.
    pub headers_on: bool,
    /// Whether the crates' manifests declare a `license` (`on` or `off`), and why.
    pub manifests: Finding,
    /// Whether the Cargo.toml `license` check stays on.
    pub manifests_on: bool,
    /// Vendored folders.
    pub third_party: Vec<Finding>,
}

/// A Rust file's header identifiers.
struct Headed {
    rel: String,
    file: Option<String>,
    snippets: Vec<String>,
}

/// Counted license expressions, equal when they parse equal.
#[derive(Default)]
struct Tally(Vec<(String, LicenseExpr, Vec<String>)>);

impl Tally {
    fn add(&mut self, text: &str, rel: &str) {
        let Ok(expr) = LicenseExpr::parse(text) else { return };
        match self.0.iter_mut().find(|(_, e, _)| *e == expr) {
            Some((_, _, files)) => files.push(rel.to_owned()),
            None => self.0.push((text.to_owned(), expr, vec![rel.to_owned()])),
        }
    }

    /// The most used expression, with its files.
    fn most(&self) -> Option<(&str, &[String])> {
        self.0.iter().max_by_key(|(_, _, f)| f.len()).map(|(t, _, f)| (t.as_str(), f.as_slice()))
    }

    /// The most used open-source expression (one with an open-source
    /// license in it, such as a dual `AGPL-3.0-only OR LicenseRef-X`),
    /// else the most used one.
    fn most_open(&self) -> Option<(&str, &[String])> {
        let open = self.0.iter().filter(|(t, _, _)| !license_files::is_commercial(t));
        open.max_by_key(|(_, _, f)| f.len()).map(|(t, _, f)| (t.as_str(), f.as_slice())).or_else(|| self.most())
    }

    fn same(a: &str, b: &str) -> bool {
        matches!((LicenseExpr::parse(a), LicenseExpr::parse(b)), (Ok(x), Ok(y)) if x == y)
    }
}

impl Proposal {
    /// Reads the evidence of the workspace.
    pub fn infer(ws: &Workspace) -> Proposal {
        let mut p = Proposal::default();
        let mut vendored = vendored(ws);
        let license_files = {
            let in_vendored = |rel: &str| vendored.iter().any(|v| is_under(rel, &v.value));
            license_files::find(ws, &in_vendored)
        };
        vendored.extend(own_licensed(ws, &license_files, &vendored));
        let in_vendored = |rel: &str| vendored.iter().any(|v| is_under(rel, &v.value));
        let license_files: Vec<LicenseFile> = license_files.into_iter().filter(|f| !in_vendored(&f.rel)).collect();
        let rust: Vec<&str> = ws
            .files
            .iter()
            .map(|f| f.rel.as_str())
            .filter(|r| is_rust(r) && !in_vendored(r) && !r.starts_with("target/"))
            .collect();
        // Each Rust file read once: its header, and its gated modules.
        let (headed, gates) = read_rust(ws, &rust);
        let with_header = headed.iter().filter(|h| h.file.is_some()).count();
        p.headers_on = !rust.is_empty() && with_header * HEADERS_IN_USE.1 >= rust.len() * HEADERS_IN_USE.0;
        p.headers = Finding {
            value: if p.headers_on { "on".into() } else { "off".into() },
            from: format!("{with_header} of {} Rust files carrying an SPDX header", rust.len()),
        };
        p.manifests(ws, &in_vendored);
        p.community_license(ws, &headed, &license_files, &in_vendored);
        p.enterprise_license(&headed, &license_files);
        p.enterprise_paths(ws, &headed, &license_files, (&rust, &gates));
        p.enterprise_features(ws, &gates);
        p.third_party = vendored.into_iter().map(|v| Finding { value: folder_glob(&v.value), from: v.from }).collect();
        p
    }

    /// Whether the crates' manifests declare licenses at all: below the
    /// share headers need, the `license` check is switched off.
    fn manifests(&mut self, ws: &Workspace, in_vendored: &dyn Fn(&str) -> bool) {
        let publishable: Vec<&crate::workspace::Crate> =
            ws.crates.iter().filter(|c| c.info.publishable && !in_vendored(&c.dir)).collect();
        let declared = publishable
            .iter()
            .filter(|c| c.info.license.is_some() || c.info.license_file.is_some() || c.info.license_inherited.is_some())
            .count();
        self.manifests_on =
            publishable.is_empty() || declared * HEADERS_IN_USE.1 >= publishable.len() * HEADERS_IN_USE.0;
        self.manifests = Finding {
            value: if self.manifests_on { "on".into() } else { "off".into() },
            from: format!("{declared} of {} publishable crates declaring a `license`", publishable.len()),
        };
    }

    /// The majority header expression (a dual one kept as it is), else the
    /// root license files, else the manifests.
    fn community_license(
        &mut self,
        ws: &Workspace,
        headed: &[Headed],
        files: &[LicenseFile],
        in_vendored: &dyn Fn(&str) -> bool,
    ) {
        let mut tally = Tally::default();
        for h in headed {
            if let Some(l) = &h.file {
                tally.add(l, &h.rel);
            }
        }
        let root: Vec<&LicenseFile> = files
            .iter()
            .filter(|f| f.folder.is_empty() && !f.is_commercial() && !f.notice && !f.rel.contains("LICENSES/"))
            .collect();
        let manifests = manifest_licenses(ws, in_vendored);
        let chosen = if let Some((text, rels)) = tally.most_open().filter(|_| self.headers_on) {
            Finding { value: text.to_owned(), from: format!("the header of {} of {} files", rels.len(), headed.len()) }
        } else if !root.is_empty() {
            let ids: BTreeSet<&str> = root.iter().filter_map(|f| f.id.as_deref()).collect();
            let value = ids.into_iter().collect::<Vec<_>>().join(" OR ");
            Finding { value, from: root.iter().map(|f| f.describe()).collect::<Vec<_>>().join(", ") }
        } else if let Some((text, rels)) = manifests.most() {
            Finding { value: text.to_owned(), from: format!("the Cargo.toml `license` of {} crates", rels.len()) }
        } else {
            Finding { value: "AGPL-3.0-only".into(), from: "nothing in the repository says: the default".into() }
        };
        // What community manifests declare besides: accepted, not written.
        let also =
            manifests.0.iter().filter(|(t, _, _)| !Tally::same(t, &chosen.value) && !license_files::is_commercial(t));
        let also: Vec<Finding> = also
            .map(|(t, _, rels)| Finding {
                value: t.clone(),
                from: format!("the Cargo.toml `license` of {}", rels.join(", ")),
            })
            .collect();
        self.community = std::iter::once(chosen).chain(also).collect();
    }

    /// The commonest commercial expression of headers and snippets, else a
    /// commercial license file, else a placeholder.
    fn enterprise_license(&mut self, headed: &[Headed], files: &[LicenseFile]) {
        let community = self.community.first().map_or("", |f| f.value.as_str());
        let mut tally = Tally::default();
        for h in headed {
            for l in h.file.iter().chain(&h.snippets) {
                if !Tally::same(l, community) {
                    tally.add(l, &h.rel);
                }
            }
        }
        self.enterprise = if let Some((text, rels)) = tally.most() {
            Some(Finding { value: text.to_owned(), from: format!("the header or snippets of {} files", rels.len()) })
        } else if let Some(f) = files.iter().filter(|f| f.is_commercial()).min_by_key(|f| !names_enterprise(&f.rel)) {
            let value = f.id.clone().unwrap_or_else(|| "LicenseRef-Enterprise".to_owned());
            Some(Finding { value, from: f.describe() })
        } else {
            None
        };
    }

    /// Folders and files of the enterprise license, folders with a
    /// commercial license file, conventional folders, and modules a
    /// feature gate confirms.
    fn enterprise_paths(
        &mut self,
        ws: &Workspace,
        headed: &[Headed],
        files: &[LicenseFile],
        (rust, gates): (&[&str], &[GatedModule]),
    ) {
        let mut paths: BTreeMap<String, String> = BTreeMap::new();
        // Crates enterprise by name: their files need no path of their own.
        let embedded = crate::config::Config::embedded();
        let named: Vec<&crate::workspace::Crate> = ws
            .crates
            .iter()
            .filter(|c| embedded.crate_edition(&c.name).is_some_and(|e| e != embedded.default))
            .collect();
        let in_named = |rel: &str| named.iter().any(|c| !c.dir.is_empty() && is_under(rel, &c.dir));
        if let Some(enterprise) = self.enterprise.as_ref().map(|e| e.value.clone()) {
            let is_enterprise =
                |h: &Headed| !in_named(&h.rel) && h.file.as_deref().is_some_and(|l| Tally::same(l, &enterprise));
            let enterprise_files: Vec<&str> =
                headed.iter().filter(|h| is_enterprise(h)).map(|h| h.rel.as_str()).collect();
            let every_file_enterprise =
                |dir: &str| rust.iter().filter(|r| is_under(r, dir)).all(|r| enterprise_files.contains(r));
            for rel in &enterprise_files {
                // The highest folder whose every Rust file is enterprise,
                // climbing only where that covers more files.
                let files_under = |dir: &str| rust.iter().filter(|r| is_under(r, dir)).count();
                let mut best = literal(rel);
                let (mut dir, mut covered) = (*rel, 1);
                while let Some((parent, _)) = dir.rsplit_once('/') {
                    if !every_file_enterprise(parent) {
                        break;
                    }
                    let count = files_under(parent);
                    if count > covered {
                        best = folder_glob(parent);
                        covered = count;
                    }
                    dir = parent;
                }
                paths.entry(best).or_insert_with(|| format!("their headers (`{enterprise}`)"));
            }
        }
        for f in files.iter().filter(|f| f.is_commercial() && !f.notice && !f.folder.is_empty()) {
            paths.entry(folder_glob(&f.folder)).or_insert_with(|| f.describe());
        }
        for rel in rust {
            let parts: Vec<&str> = rel.split('/').collect();
            if let Some(i) = parts.iter().position(|p| ENTERPRISE_FOLDERS.contains(p)) {
                let folder = parts.get(..=i).unwrap_or_default().join("/");
                if folder != *rel {
                    let name = parts.get(i).copied().unwrap_or_default();
                    paths.entry(folder_glob(&folder)).or_insert_with(|| format!("the folder's name (`{name}`)"));
                }
            }
        }
        for gate in gates {
            let entry = paths.entry(gate.glob.clone());
            entry.or_insert_with(|| {
                format!("{}: `mod {}` under cfg(feature = \"{}\")", gate.declared_in, gate.name, gate.feature)
            });
        }
        // A glob below another one adds nothing.
        let globs: Vec<String> = paths.keys().cloned().collect();
        let covered = |g: &str| {
            let base = g.trim_end_matches("/**");
            globs.iter().any(|o| o != g && o.ends_with("/**") && is_under(base, o.trim_end_matches("/**")))
        };
        self.paths =
            paths.into_iter().filter(|(g, _)| !covered(g)).map(|(value, from)| Finding { value, from }).collect();
        let patterns: Vec<crate::config::Pattern> =
            self.paths.iter().filter_map(|f| crate::config::Pattern::new(&f.value, None).ok()).collect();
        for c in named {
            let in_paths = patterns.iter().any(|p| p.matches(&c.dir) || p.matches(&format!("{}/Cargo.toml", c.dir)));
            if !in_paths {
                self.crates.push(Finding { value: c.name.clone(), from: format!("the crate's name ({})", c.dir) });
            }
        }
    }

    /// Features that switch on an enterprise crate or gate an enterprise
    /// module; and whether a community crate's `default` turns one on.
    fn enterprise_features(&mut self, ws: &Workspace, gates: &[GatedModule]) {
        let patterns: Vec<crate::config::Pattern> =
            self.paths.iter().filter_map(|f| crate::config::Pattern::new(&f.value, None).ok()).collect();
        let enterprise_dir = |dir: &str| patterns.iter().any(|p| p.matches(dir));
        let enterprise_crate = |i: usize| {
            ws.crates.get(i).is_some_and(|c| enterprise_dir(&c.dir) || self.crates.iter().any(|f| f.value == c.name))
        };
        let mut found: BTreeMap<String, String> = BTreeMap::new();
        for c in ws.crates.iter().filter(|c| !enterprise_dir(&c.dir)) {
            for dep in c.info.dependencies.iter().filter(|d| d.optional) {
                let Some(target) = ws.dependency_crate(c, dep).filter(|t| enterprise_crate(*t)) else { continue };
                let target_name = ws.crates.get(target).map_or("", |t| t.name.as_str());
                for f in &c.info.features {
                    let direct = f.enables.iter().any(|e| e == &format!("dep:{}", dep.key) || e == &dep.key);
                    if direct && f.name != "default" {
                        found.entry(f.name.clone()).or_insert_with(|| {
                            format!("{}/Cargo.toml: `{}` switches on `{target_name}`", c.dir, f.name)
                        });
                    }
                }
            }
        }
        for gate in gates {
            found.entry(gate.feature.clone()).or_insert_with(|| {
                format!("{}: `mod {}` under cfg(feature = \"{}\")", gate.declared_in, gate.name, gate.feature)
            });
        }
        self.features = found.into_iter().map(|(value, from)| Finding { value, from }).collect();
        let mapped: BTreeSet<&str> = self.features.iter().map(|f| f.value.as_str()).collect();
        for c in ws.crates.iter().filter(|c| !enterprise_dir(&c.dir)) {
            let forced = c.info.dependencies.iter().find_map(|d| {
                let on = ws.dependency_features(c, d).find(|f| mapped.contains(f.value.as_str()))?;
                Some((d.key.clone(), on.value.clone()))
            });
            if let Some((dep, feature)) = forced {
                let from = format!("{}/Cargo.toml: it always turns on `{feature}` of `{dep}`", c.dir);
                self.build_only.push(Finding { value: c.name.clone(), from });
            }
        }
        for c in ws.crates.iter().filter(|c| !enterprise_dir(&c.dir)) {
            let Some(default) = c.info.features.iter().find(|f| f.name == "default") else { continue };
            if let Some(on) = default.enables.iter().find(|e| mapped.contains(e.as_str())) {
                self.no_default_features = Some(Finding {
                    value: "false".into(),
                    from: format!(
                        "{}/Cargo.toml: `default` turns on `{on}`; the community build is --no-default-features",
                        c.dir
                    ),
                });
                break;
            }
        }
    }
}

/// Whether a license file's path says it is the enterprise edition's:
/// `ee/LICENSE`, `LICENSE-EE`, `LICENSE.enterprise`, `COMMERCIAL-LICENSE`.
fn names_enterprise(rel: &str) -> bool {
    rel.split(['/', '-', '_', '.']).any(|w| {
        let w = w.to_ascii_lowercase();
        ENTERPRISE_FOLDERS.contains(&w.as_str()) || GATED_NAMES.contains(&w.as_str()) || w == "commercial"
    })
}

fn is_rust(rel: &str) -> bool {
    std::path::Path::new(rel).extension().is_some_and(|e| e == "rs")
}

/// The walked file at `rel` (the walk sorts them by path).
fn file<'w>(ws: &'w Workspace, rel: &str) -> Option<&'w crate::workspace::FileEntry> {
    ws.files.binary_search_by(|f| f.rel.as_str().cmp(rel)).ok().and_then(|i| ws.files.get(i))
}

/// A glob matching the path `rel` and nothing else.
fn literal(rel: &str) -> String {
    rel.split('/').map(super::glob_literal).collect::<Vec<_>>().join("/")
}

/// A glob matching the folder `dir` and everything below it.
fn folder_glob(dir: &str) -> String {
    format!("{}/**", literal(dir))
}

/// Each Rust file's file and snippet identifiers, and the gated enterprise
/// modules the workspace's files declare: every file read once.
fn read_rust(ws: &Workspace, rust: &[&str]) -> (Vec<Headed>, Vec<GatedModule>) {
    use rayon::prelude::*;
    let read: Vec<(Headed, Vec<GatedModule>)> = rust
        .par_iter()
        .filter_map(|rel| {
            let entry = file(ws, rel)?;
            let bytes = std::fs::read(&entry.abs).ok()?;
            let scan = crate::license::header::scan(&bytes, CommentStyle::Rust);
            let headed = Headed {
                rel: (*rel).to_owned(),
                file: scan.licenses.first().map(|t| t.text.clone()),
                snippets: scan.snippets.iter().filter_map(|s| Some(s.license.as_ref()?.text.clone())).collect(),
            };
            let gates = std::str::from_utf8(&bytes).map_or_else(|_| Vec::new(), |text| gated_modules(ws, rel, text));
            Some((headed, gates))
        })
        .collect();
    let (headed, gates): (Vec<Headed>, Vec<Vec<GatedModule>>) = read.into_iter().unzip();
    (headed, gates.into_iter().flatten().collect())
}

/// The license expressions community-looking crates' manifests declare.
fn manifest_licenses(ws: &Workspace, in_vendored: &dyn Fn(&str) -> bool) -> Tally {
    let mut tally = Tally::default();
    for c in ws.crates.iter().filter(|c| !in_vendored(&c.dir)) {
        let inherited = ws.inherited_license(c).map(|(_, l)| l.value.clone());
        let declared = c
            .info
            .license
            .as_ref()
            .map(|l| l.value.clone())
            .or_else(|| c.info.license_inherited.as_ref().and(inherited.clone()));
        if let Some(l) = declared.filter(|l| !license_files::is_commercial(l)) {
            tally.add(&l, &format!("{}/Cargo.toml", c.dir));
        }
    }
    tally
}

/// A module that a feature gate confirms as enterprise code.
struct GatedModule {
    /// Its folder or file, as a glob.
    glob: String,
    name: String,
    feature: String,
    declared_in: String,
}

/// The `mod <conventional name>;` declarations of the file `rel` under a cfg that requires a
/// feature (`#[cfg(feature = "x")]`, `all(..)`, over several lines, a
/// gated inline parent module), with the module's file or folder. Only
/// files that declare such a name are parsed.
fn gated_modules(ws: &Workspace, rel: &str, text: &str) -> Vec<GatedModule> {
    if !text.lines().any(|l| declared_name(l).is_some_and(conventional)) {
        return Vec::new();
    }
    let parsed = crate::parse::parse(text);
    let mut out = Vec::new();
    let syntax = &parsed.file.syntax;
    let mut stack: Vec<(&crate::parse::items::ModuleBody, Vec<String>)> = vec![(&syntax.root, Vec::new())];
    while let Some((body, inline)) = stack.pop() {
        for m in &body.mods {
            if let Some(inner) = &m.inline {
                let mut path = inline.clone();
                path.push(m.name.to_string());
                stack.push((inner, path));
                continue;
            }
            if !conventional(&m.name) || m.path_attr.is_some() {
                continue;
            }
            let within = |r: &std::ops::Range<usize>| r.start <= m.item_span.start && m.item_span.end <= r.end;
            let feature = syntax
                .cfg_regions
                .iter()
                .filter(|(r, _)| within(r))
                .find_map(|(_, cfg)| required_features(cfg).into_iter().next());
            let Some(feature) = feature else { continue };
            if let Some(glob) = module_path(ws, rel, &inline, &m.name) {
                out.push(GatedModule { glob, name: m.name.to_string(), feature, declared_in: rel.to_owned() });
            }
        }
    }
    out
}

/// The name `mod name;` on this line declares, if it does.
fn declared_name(line: &str) -> Option<&str> {
    let at = line.find("mod ")?;
    let rest = line.get(at + 4..)?.trim_start();
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
    rest.get(..end).filter(|n| !n.is_empty())
}

/// Whether a module's name says it holds enterprise code.
fn conventional(name: &str) -> bool {
    GATED_NAMES.contains(&name) || name.ends_with("_ee") || name.starts_with("ee_")
}

/// The features a cfg predicate requires: each part of `all`, what every
/// alternative of `any` requires, none under `not`.
fn required_features(cfg: &crate::parse::items::Cfg) -> Vec<String> {
    use crate::parse::items::Cfg;
    match cfg {
        Cfg::Feature(f) => vec![f.clone()],
        Cfg::All(parts) => parts.iter().flat_map(required_features).collect(),
        Cfg::Any(parts) => {
            let mut each = parts.iter().map(required_features);
            let first = each.next().unwrap_or_default();
            let rest: Vec<Vec<String>> = each.collect();
            first.into_iter().filter(|f| rest.iter().all(|r| r.contains(f))).collect()
        }
        Cfg::Not(_) | Cfg::Test | Cfg::Other => Vec::new(),
    }
}

/// Where `mod name;` in `rel` (inside the inline modules `inline`) lives:
/// its folder as a glob when it has one, else its file.
fn module_path(ws: &Workspace, rel: &str, inline: &[String], name: &str) -> Option<String> {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let mut base = if matches!(file, "lib.rs" | "main.rs" | "mod.rs") {
        dir.to_owned()
    } else {
        format!("{dir}/{}", file.trim_end_matches(".rs"))
    };
    for m in inline {
        base = if base.is_empty() { m.clone() } else { format!("{base}/{m}") };
    }
    let join = |p: &str| if base.is_empty() { p.to_owned() } else { format!("{base}/{p}") };
    let exists = |p: &str| ws.files.iter().any(|f| f.rel == p || is_under(&f.rel, p));
    let folder = join(name);
    let file = join(&format!("{name}.rs"));
    if exists(&format!("{folder}/mod.rs")) || ws.files.iter().any(|f| is_under(&f.rel, &folder)) {
        Some(folder_glob(&folder))
    } else if exists(&file) {
        Some(literal(&file))
    } else {
        None
    }
}

/// Folders of vendored crates, with why: conventional vendor folders
/// holding crates, and crates that are not workspace members and use none
/// (a fuzz or tool crate that depends on the workspace's own crates is the
/// project's code).
fn vendored(ws: &Workspace) -> Vec<Finding> {
    let root = ws.root_manifest.as_ref().and_then(|m| m.text.parse::<toml::Table>().ok());
    let workspace = root.as_ref().and_then(|t| t.get("workspace")).and_then(toml::Value::as_table);
    let globs = |key: &str| -> Vec<crate::config::Pattern> {
        workspace
            .and_then(|w| w.get(key))
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(|v| crate::config::Pattern::new(v.as_str()?, None).ok()).collect())
            .unwrap_or_default()
    };
    let (members, exclude) = (globs("members"), globs("exclude"));
    let excluded = |dir: &str| exclude.iter().any(|e| e.matches(dir));
    // Members, and (as Cargo makes them) the path dependencies of members.
    let mut member: Vec<bool> =
        ws.crates.iter().map(|c| members.iter().any(|m| m.matches(&c.dir)) && !excluded(&c.dir)).collect();
    let mut changed = true;
    while changed {
        changed = false;
        for (i, c) in ws.crates.iter().enumerate() {
            if !member.get(i).copied().unwrap_or(false) {
                continue;
            }
            for dep in &c.info.dependencies {
                let Some(t) = ws.dependency_crate(c, dep) else { continue };
                let dir = ws.crates.get(t).map_or("", |t| t.dir.as_str());
                if let Some(m) = member.get_mut(t).filter(|m| !**m && !excluded(dir)) {
                    *m = true;
                    changed = true;
                }
            }
        }
    }
    let is_member = |i: usize| member.get(i).copied().unwrap_or(true);
    let uses_members = |c: &crate::workspace::Crate| {
        c.info.dependencies.iter().any(|d| ws.dependency_crate(c, d).is_some_and(is_member))
    };
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (i, c) in ws.crates.iter().enumerate().filter(|(_, c)| !c.dir.is_empty()) {
        let parts: Vec<&str> = c.dir.split('/').collect();
        if let Some(at) = parts.iter().position(|p| VENDOR_FOLDERS.contains(p)) {
            let folder = parts.get(..=at).unwrap_or_default().join("/");
            let name = parts.get(at).copied().unwrap_or_default();
            out.entry(folder).or_insert_with(|| format!("the folder's name (`{name}`)"));
        } else if !members.is_empty() && !is_member(i) && !uses_members(c) {
            out.insert(c.dir.clone(), "a crate that is not a workspace member and uses none".to_owned());
        }
    }
    out.into_iter().map(|(value, from)| Finding { value, from }).collect()
}

/// Crates that keep another project's license text: an open-source license
/// file in the crate's folder that none of the repository's own (at its
/// root) is. Nothing is concluded when the root has no license file.
fn own_licensed(ws: &Workspace, files: &[LicenseFile], vendored: &[Finding]) -> Vec<Finding> {
    let own: BTreeSet<&str> = files
        .iter()
        .filter(|f| f.folder.is_empty() && !f.notice)
        .filter_map(|f| f.id.as_deref())
        .flat_map(|id| id.split(" OR "))
        .collect();
    if own.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in ws.crates.iter().filter(|c| !c.dir.is_empty() && !vendored.iter().any(|v| is_under(&c.dir, &v.value))) {
        let other = files.iter().find(|f| {
            f.folder == c.dir
                && !f.notice
                && f.id.as_deref().is_some_and(|id| !license_files::is_commercial(id) && !own.contains(id))
        });
        if let Some(f) = other {
            out.push(Finding { value: c.dir.clone(), from: format!("the crate's own license text, {}", f.describe()) });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_crates_are_those_outside_the_members_and_in_vendor_folders() {
        let files: BTreeMap<String, String> = [
            ("Cargo.toml", "[workspace]\nmembers = [\"app\"]\n"),
            (
                "app/Cargo.toml",
                "[package]\nname = \"app\"\n[dependencies]\nhelper = { path = \"../lib/helper\" }\nzlib = { path = \"../vendor/zlib\" }\n",
            ),
            ("lib/helper/Cargo.toml", "[package]\nname = \"helper\"\n"),
            ("vendor/zlib/Cargo.toml", "[package]\nname = \"zlib\"\n"),
            ("tools/gen/Cargo.toml", "[package]\nname = \"gen\"\n"),
            // A fuzz crate is its own workspace, and the project's code.
            (
                "app/fuzz/Cargo.toml",
                "[package]\nname = \"app-fuzz\"\npublish = false\n[workspace]\nmembers = [\".\"]\n[dependencies]\napp = { path = \"..\" }\n",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let ws = crate::testing::memory_workspace(&files);
        // `helper` is a member as a member's path dependency; `vendor/` is
        // vendored by its name, `tools/gen` by being no member and using
        // none; `app/fuzz` uses `app`.
        let found: Vec<String> = vendored(&ws).into_iter().map(|f| f.value).collect();
        assert_eq!(found, ["tools/gen", "vendor"]);
    }

    #[test]
    fn globs_match_the_path_literally() {
        let glob = folder_glob("we*ird/ee");
        let pattern = crate::config::Pattern::new(&glob, None).unwrap();
        assert!(pattern.matches("we*ird/ee/lib.rs"));
        assert!(!pattern.matches("weXird/ee/lib.rs"));
        assert_eq!(literal("a/b[1].rs"), "a/b\\[1\\].rs");
    }
}
