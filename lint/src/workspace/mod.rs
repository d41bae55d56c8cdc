//! The workspace model: which files exist, which crates own them, and what
//! each crate's manifest says.
//!
//! Crates and their targets come from `cargo metadata --no-deps --offline`;
//! when cargo is missing or fails (a broken member manifest, no network for a
//! git dependency) every `Cargo.toml` found on disk is read directly, and a
//! directory with no Cargo.toml at all is still a workspace of loose files.

mod discover;
pub mod manifest;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use discover::{discover, slash_path, Discovered, FileEntry};

use crate::diagnostic::{Code, Diagnostic, Location, SourceFile};

/// A crate target (library, binary, test, ...).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Target {
    /// Target name.
    pub name: String,
    /// `lib`, `bin`, `test`, `example`, `bench`, `custom-build`, ...
    pub kind: String,
    /// Root source file, relative to the workspace root.
    pub root: String,
}

impl Target {
    /// Whether other crates can depend on it (and name it in code).
    pub fn is_library(&self) -> bool {
        is_library_kind(&self.kind)
    }
}

/// Whether a target of this kind is a library other crates can depend on.
pub fn is_library_kind(kind: &str) -> bool {
    matches!(kind, "lib" | "rlib" | "proc-macro" | "dylib" | "cdylib" | "staticlib")
}

/// Whether `path` is folder `dir` or inside it (`""` is the root).
pub fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// `rel` and the folders holding it, innermost first, ending with the root `""`.
pub fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(rel), |d| (!d.is_empty()).then(|| d.rsplit_once('/').map_or("", |(parent, _)| parent)))
}

/// One package.
#[derive(Debug, Clone)]
pub struct Crate {
    /// Package name.
    pub name: String,
    /// Folder holding the Cargo.toml, relative to the root (`""` for the root).
    pub dir: String,
    /// The manifest text, for spans.
    pub manifest: Arc<SourceFile>,
    /// What corefence reads from it.
    pub info: manifest::Manifest,
    /// Build targets.
    pub targets: Vec<Target>,
}

/// Where the crate list came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrateSource {
    /// `cargo metadata`.
    Cargo,
    /// Manifests read directly (cargo missing or failed).
    Manifests,
}

/// The workspace: root, files and crates.
#[derive(Debug)]
pub struct Workspace {
    /// Absolute root.
    pub root: PathBuf,
    /// Every file found, sorted by relative path.
    pub files: Vec<FileEntry>,
    /// Every crate, sorted by folder.
    pub crates: Vec<Crate>,
    /// Where the crates came from.
    pub crate_source: CrateSource,
    /// The root manifest's `[workspace.package] license`, if any.
    pub workspace_license: Option<(Arc<SourceFile>, manifest::Field)>,
    /// The root manifest's `[workspace.dependencies]`: key and package name.
    pub workspace_dependencies: Vec<(String, String)>,
    /// Crate folders, to their index in `crates`.
    pub crate_dirs: std::collections::HashMap<String, usize>,
    /// Package names, to the index of the first crate of that name.
    pub crate_names: std::collections::HashMap<String, usize>,
    /// [`Workspace::reach`], once asked for.
    pub reach: std::sync::OnceLock<Vec<Vec<bool>>>,
    /// Problems met while building the model (unreadable files, broken manifests).
    pub diagnostics: Vec<Diagnostic>,
}

impl Workspace {
    /// Builds the model of the workspace at `root`.
    pub fn load(root: &Path, jobs: usize) -> Workspace {
        Self::load_cached(root, jobs, false, &|_| true)
    }

    /// [`Workspace::load`], keeping cargo's answer about targets in the
    /// index cache's folder when `cache` is set (asking cargo costs a third
    /// of a second in a workspace of a few hundred crates), and reading the
    /// size and time only of the files `checked` accepts.
    pub fn load_cached(root: &Path, jobs: usize, cache: bool, checked: &(dyn Fn(&str) -> bool + Sync)) -> Workspace {
        let Discovered { files, mut diagnostics } = discover(root, jobs, checked);
        let mut crates = Vec::new();
        let mut workspace_license = None;
        let mut workspace_dependencies = Vec::new();
        // Read and parsed in parallel: a workspace may have hundreds.
        let parsed: Vec<_> = files
            .par_iter()
            .filter(|f| f.rel.rsplit('/').next() == Some("Cargo.toml"))
            .map(|entry| {
                let read = std::fs::read(&entry.abs).map(|bytes| {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    let parsed = manifest::parse(&text);
                    (text, parsed)
                });
                (entry, read)
            })
            .collect();
        for (entry, read) in parsed {
            let (text, parsed) = match read {
                Ok(read) => read,
                Err(err) => {
                    let file = Arc::new(SourceFile::new(entry.rel.clone(), ""));
                    diagnostics.push(unreadable(&file, &format!("cannot read {}: {err}", entry.rel)));
                    continue;
                }
            };
            let file = Arc::new(SourceFile::new(entry.rel.clone(), text));
            match parsed {
                Ok(info) => {
                    if entry.rel == "Cargo.toml" {
                        workspace_dependencies.clone_from(&info.workspace_dependencies);
                    }
                    if let Some(license) = &info.workspace_license {
                        if entry.rel == "Cargo.toml" {
                            workspace_license = Some((Arc::clone(&file), license.clone()));
                        }
                    }
                    if !info.is_package {
                        continue;
                    }
                    let dir = entry.rel.strip_suffix("Cargo.toml").unwrap_or("").trim_end_matches('/').to_owned();
                    let name = info
                        .name
                        .as_ref()
                        .map_or_else(|| dir.rsplit('/').next().unwrap_or("").to_owned(), |n| n.value.clone());
                    let targets = conventional_targets(&dir, &info, &files);
                    crates.push(Crate { name, dir, manifest: file, info, targets });
                }
                Err(err) => diagnostics.push(
                    Diagnostic::new(
                        Code::FileUnreadable,
                        Location::new(&file, err.span),
                        format!("{} does not parse: {}", entry.rel, err.message),
                    )
                    .with_label("invalid TOML")
                    .with_help(
                        "fix the manifest (cargo rejects it too); its crate is checked as loose files until then",
                    ),
                ),
            }
        }
        let asked = if cache {
            // Targets depend on the manifests and on which files exist (auto-discovered targets).
            let manifests = crates.iter().map(|c| c.manifest.text.as_bytes());
            let key = crate::cache::key(manifests.chain(files.iter().map(|f| f.rel.as_bytes())));
            crate::cache::cargo_targets(root, key, || cargo_targets(root))
        } else {
            cargo_targets(root)
        };
        let crate_source = match asked {
            Some(by_manifest) => {
                for c in &mut crates {
                    let manifest =
                        if c.dir.is_empty() { "Cargo.toml".to_owned() } else { format!("{}/Cargo.toml", c.dir) };
                    if let Some(targets) = by_manifest.iter().find(|(m, _)| *m == manifest).map(|(_, t)| t) {
                        c.targets.clone_from(targets);
                    }
                }
                CrateSource::Cargo
            }
            None => CrateSource::Manifests,
        };
        crates.sort_by(|a, b| a.dir.cmp(&b.dir));
        let crate_dirs = crates.iter().enumerate().map(|(i, c)| (c.dir.clone(), i)).collect();
        let mut crate_names = std::collections::HashMap::new();
        for (i, c) in crates.iter().enumerate() {
            crate_names.entry(c.name.clone()).or_insert(i);
        }
        Workspace {
            root: root.to_path_buf(),
            files,
            crates,
            crate_dirs,
            crate_names,
            reach: std::sync::OnceLock::new(),
            crate_source,
            workspace_license,
            workspace_dependencies,
            diagnostics,
        }
    }

    /// The workspace crate a dependency names, by index in `crates`: its
    /// package (`package =`, or the key), followed through
    /// `[workspace.dependencies]` when inherited.
    pub fn dependency_crate(&self, dep: &manifest::Dependency) -> Option<usize> {
        let package = if dep.inherited {
            self.workspace_dependencies.iter().find(|(k, _)| *k == dep.key).map_or(dep.key.as_str(), |(_, p)| p)
        } else {
            dep.package.as_deref().unwrap_or(&dep.key)
        };
        self.crate_names.get(package).copied()
    }

    /// Per crate, the crates it reaches through its dependencies on workspace
    /// crates (every kind, transitively), itself included; computed once.
    pub fn reach(&self) -> &[Vec<bool>] {
        self.reach.get_or_init(|| self.compute_reach())
    }

    fn compute_reach(&self) -> Vec<Vec<bool>> {
        let deps: Vec<Vec<usize>> = self
            .crates
            .iter()
            .map(|c| c.info.dependencies.iter().filter_map(|d| self.dependency_crate(d)).collect())
            .collect();
        (0..deps.len())
            .map(|from| {
                let mut seen = vec![false; deps.len()];
                let mut stack = vec![from];
                while let Some(c) = stack.pop() {
                    match seen.get_mut(c) {
                        Some(s) if !*s => *s = true,
                        _ => continue,
                    }
                    stack.extend(deps.get(c).into_iter().flatten().copied());
                }
                seen
            })
            .collect()
    }

    /// The crate owning a relative path: the one whose folder is the longest prefix.
    pub fn crate_of(&self, rel: &str) -> Option<&Crate> {
        self.crate_index_of(rel).and_then(|i| self.crates.get(i))
    }

    /// The index in [`Workspace::crates`] of the crate owning a relative path.
    pub fn crate_index_of(&self, rel: &str) -> Option<usize> {
        ancestors(rel).find_map(|dir| self.crate_dirs.get(dir).copied())
    }
}

fn unreadable(file: &Arc<SourceFile>, message: &str) -> Diagnostic {
    Diagnostic::unreadable(file, message, "check the file's permissions, or exclude it")
}

/// Targets by Cargo's conventions, for when cargo cannot be asked.
fn conventional_targets(dir: &str, info: &manifest::Manifest, files: &[FileEntry]) -> Vec<Target> {
    let join = |p: &str| if dir.is_empty() { p.to_owned() } else { format!("{dir}/{p}") };
    let exists = |rel: &str| files.binary_search_by(|f| f.rel.as_str().cmp(rel)).is_ok();
    let name = info.name.as_ref().map_or("", |n| n.value.as_str()).replace('-', "_");
    let mut targets = Vec::new();
    let mut push = |kind: &str, name: &str, root: String| {
        if exists(&root) && !targets.iter().any(|t: &Target| t.root == root) {
            targets.push(Target { name: name.to_owned(), kind: kind.to_owned(), root });
        }
    };
    let lib_name = info.lib_name.clone().unwrap_or_else(|| name.clone());
    push("lib", &lib_name, join(info.lib_path.as_deref().unwrap_or("src/lib.rs")));
    for (kind, target, path) in &info.target_paths {
        push(kind, target, join(path));
    }
    push("bin", &name, join("src/main.rs"));
    push("custom-build", "build-script-build", join(info.build.as_deref().unwrap_or("build.rs")));
    for (folder, kind) in [("src/bin/", "bin"), ("tests/", "test"), ("examples/", "example"), ("benches/", "bench")] {
        let prefix = join(folder);
        // Files are sorted: those under `prefix` are one run.
        let first = files.partition_point(|f| f.rel.as_str() < prefix.as_str());
        let under = files.iter().skip(first).map_while(|f| Some((f, f.rel.strip_prefix(prefix.as_str())?)));
        for (f, rest) in under {
            let stem = rest.strip_suffix(".rs").filter(|s| !s.contains('/'));
            let main = rest.strip_suffix("/main.rs").filter(|s| !s.contains('/'));
            if let Some(stem) = stem.or(main) {
                push(kind, stem, f.rel.clone());
            }
        }
    }
    targets
}

/// Asks cargo for every package's targets; `None` when cargo is missing or fails.
fn cargo_targets(root: &Path) -> Option<Vec<(String, Vec<Target>)>> {
    if !root.join("Cargo.toml").is_file() {
        return None;
    }
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        .no_deps()
        .other_options(vec!["--offline".to_owned()])
        .exec()
        .ok()?;
    let rel = |p: &Path| p.strip_prefix(root).ok().map(discover::slash_path);
    let packages = metadata.packages.iter().filter_map(|p| {
        let manifest = rel(p.manifest_path.as_std_path())?;
        let targets = p
            .targets
            .iter()
            .filter_map(|t| {
                Some(Target {
                    name: t.name.clone(),
                    kind: t.kind.first().map(ToString::to_string).unwrap_or_default(),
                    root: rel(t.src_path.as_std_path())?,
                })
            })
            .collect();
        Some((manifest, targets))
    });
    Some(packages.collect())
}
