//! The workspace model: which files exist, which crates own them, and what
//! each crate's manifest says.
//!
//! Crates and their targets come from every `Cargo.toml` found, read the way
//! Cargo reads them (explicit targets, then its folder conventions, as the
//! manifest allows). Cargo itself is never run: through rustup it would obey
//! the checked workspace's `rust-toolchain.toml`, which can name any program,
//! and checking a stranger's pull request must never run its code. A
//! directory with no Cargo.toml at all is still a workspace of loose files.

mod discover;
pub mod manifest;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use discover::{discover, slash_path, Discovered, FileEntry, Stamp};

use crate::diagnostic::{Diagnostic, Location, SourceFile};

/// A crate target (library, binary, test, ...).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Target {
    /// Target name.
    pub name: String,
    /// `lib`, `bin`, `test`, `example`, `bench`, `custom-build`, ...
    pub kind: String,
    /// Root source file, relative to the workspace root.
    pub root: String,
    /// `required-features`: cargo builds it only with these on.
    pub required_features: Vec<String>,
}

impl Target {
    /// Whether other crates can depend on it (and name it in code).
    pub fn is_library(&self) -> bool {
        is_library_kind(&self.kind)
    }
}

/// The hash of a file's content: what tells the cache, and a second
/// reading of a file, that it is the content read before.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Whether a target of this kind is a library other crates can depend on.
pub fn is_library_kind(kind: &str) -> bool {
    matches!(kind, "lib" | "rlib" | "proc-macro" | "dylib" | "cdylib" | "staticlib")
}

/// Whether `path` is folder `dir` or inside it (`""` is the root).
pub fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// Whether a relative path names a Cargo manifest.
pub fn is_manifest(rel: &str) -> bool {
    rel.rsplit('/').next() == Some("Cargo.toml")
}

/// The folder of a manifest, relative to the root (`""` for the root's).
pub fn manifest_dir(rel: &str) -> &str {
    rel.strip_suffix("Cargo.toml").unwrap_or("").trim_end_matches('/')
}

/// The manifest of the crate in folder `dir` (`""` for the root).
pub fn manifest_path(dir: &str) -> String {
    if dir.is_empty() {
        "Cargo.toml".to_owned()
    } else {
        format!("{dir}/Cargo.toml")
    }
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

/// A Cargo workspace root (a manifest with `[workspace]`), at the top or
/// nested below it: what its members inherit.
#[derive(Debug, Clone)]
pub struct WorkspaceRoot {
    /// Its folder, relative to the root (`""` for the top).
    pub dir: String,
    /// Its manifest.
    pub manifest: Arc<SourceFile>,
    /// `[workspace.package] license`.
    pub license: Option<manifest::Field>,
    /// `[workspace.dependencies]`.
    pub dependencies: Vec<manifest::WorkspaceDependency>,
}

/// The workspace: root, files and crates.
#[derive(Debug)]
#[allow(clippy::struct_field_names)] // cargo's names: `[workspace.package] license`, `[workspace.dependencies]`
pub struct Workspace {
    /// Absolute root.
    pub root: PathBuf,
    /// Every file found, sorted by relative path.
    pub files: Vec<FileEntry>,
    /// Every crate, sorted by folder.
    pub crates: Vec<Crate>,
    /// The root manifest's `[workspace.package] license`, if any.
    pub workspace_license: Option<(Arc<SourceFile>, manifest::Field)>,
    /// The root `Cargo.toml`, when it parses.
    pub root_manifest: Option<Arc<SourceFile>>,
    /// The root manifest's `[workspace.dependencies]`.
    pub workspace_dependencies: Vec<manifest::WorkspaceDependency>,
    /// Every Cargo workspace root, the top one included, by folder.
    pub workspace_roots: Vec<WorkspaceRoot>,
    /// Symbolic links to files of the workspace: the link's relative path,
    /// to the file it ends at (through chains of links).
    pub links: std::collections::BTreeMap<String, String>,
    /// Crate folders, to their index in `crates`.
    pub crate_dirs: foldhash::HashMap<String, usize>,
    /// Package names, to the index of the first crate of that name.
    pub crate_names: std::collections::HashMap<String, usize>,
    /// [`Workspace::reach`], once asked for.
    pub reach: std::sync::OnceLock<Vec<Vec<bool>>>,
    /// [`Workspace::library_reach`], once asked for.
    pub library_reach: std::sync::OnceLock<Vec<Vec<bool>>>,
    /// Problems met while building the model (unreadable files, broken manifests).
    pub diagnostics: Vec<Diagnostic>,
}

impl Workspace {
    /// Builds the model of the workspace at `root`, walking it.
    pub fn load(root: &Path, jobs: usize) -> Workspace {
        Self::from_files(root, discover(root, jobs, &|_| true), &|f| std::fs::read(&f.abs))
    }

    /// Builds the model from the files found (by the walk, or in git's index
    /// with `--staged`); `read` gives a file's content (the index's, with
    /// `--staged`). Nothing is executed: targets follow Cargo's rules, read
    /// from the manifests.
    pub fn from_files(
        root: &Path,
        found: Discovered,
        read: &(dyn Fn(&FileEntry) -> std::io::Result<Vec<u8>> + Sync),
    ) -> Workspace {
        let Discovered { files, mut diagnostics, links, .. } = found;
        let links = resolve_links(&files, links);
        let mut crates = Vec::new();
        let mut workspace_license = None;
        let mut workspace_dependencies = Vec::new();
        let mut root_manifest = None;
        let mut workspace_roots = Vec::new();
        // Read and parsed in parallel: a workspace may have hundreds.
        let parsed: Vec<_> = files
            .par_iter()
            .filter(|f| is_manifest(&f.rel))
            .map(|entry| {
                let read = read(entry).map(|bytes| {
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
                    if info.is_workspace {
                        workspace_roots.push(WorkspaceRoot {
                            dir: manifest_dir(&entry.rel).to_owned(),
                            manifest: Arc::clone(&file),
                            license: info.workspace_license.clone(),
                            dependencies: info.workspace_dependencies.clone(),
                        });
                    }
                    if entry.rel == "Cargo.toml" {
                        workspace_dependencies.clone_from(&info.workspace_dependencies);
                        root_manifest = Some(Arc::clone(&file));
                        if let Some(license) = &info.workspace_license {
                            workspace_license = Some((Arc::clone(&file), license.clone()));
                        }
                    }
                    if !info.is_package {
                        continue;
                    }
                    let dir = manifest_dir(&entry.rel).to_owned();
                    let name = info
                        .name
                        .as_ref()
                        .map_or_else(|| dir.rsplit('/').next().unwrap_or("").to_owned(), |n| n.value.clone());
                    let targets = conventional_targets(&dir, &info, &files);
                    crates.push(Crate { name, dir, manifest: file, info, targets });
                }
                Err(err) => diagnostics.push(
                    Diagnostic::unreadable(
                        &file,
                        format!("{} does not parse: {}", entry.rel, err.message),
                        "fix the manifest (cargo rejects it too); its crate is checked as loose files until then",
                    )
                    .at(Location::new(&file, err.span))
                    .with_label("invalid TOML"),
                ),
            }
        }
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
            library_reach: std::sync::OnceLock::new(),
            workspace_license,
            root_manifest,
            workspace_dependencies,
            workspace_roots,
            links,
            diagnostics,
        }
    }

    /// Every name code can give the crate `target` that dependency `dep`
    /// names: its key, its package name and its library's name (`-` as `_`).
    pub fn extern_names(&self, dep: &manifest::Dependency, target: usize) -> Vec<String> {
        let Some(t) = self.crates.get(target) else { return Vec::new() };
        let libs = t.targets.iter().filter(|t| t.is_library()).map(|t| t.name.as_str());
        [dep.key.as_str(), t.name.as_str()].into_iter().chain(libs).map(|n| n.replace('-', "_")).collect()
    }

    /// The workspace crate a dependency of crate `from` names, by index in
    /// `crates`: the crate in the folder its `path` names (relative to
    /// `from`'s folder, or to the root when inherited from
    /// `[workspace.dependencies]`), else the crate of its package name
    /// (`package =`, or the key).
    pub fn dependency_crate(&self, from: &Crate, dep: &manifest::Dependency) -> Option<usize> {
        let (dir, path, package) = if dep.inherited {
            let root = self.workspace_of(from);
            let entry = root.and_then(|r| r.dependencies.iter().find(|d| d.key == dep.key));
            let dir = root.map_or("", |r| r.dir.as_str());
            (dir, entry.and_then(|d| d.path.as_deref()), entry.map_or(dep.key.as_str(), |d| d.package.as_str()))
        } else {
            (from.dir.as_str(), dep.path.as_deref(), dep.package.as_deref().unwrap_or(&dep.key))
        };
        match path {
            Some(path) => join(dir, path).and_then(|d| self.crate_dirs.get(&d).copied()),
            None => self.crate_names.get(package).copied(),
        }
    }

    /// The features a dependency line turns on: its own `features = [..]`,
    /// and when inherited, those of the `[workspace.dependencies]` entry.
    pub fn dependency_features<'a>(
        &'a self,
        from: &Crate,
        dep: &'a manifest::Dependency,
    ) -> impl Iterator<Item = &'a manifest::Field> {
        let inherited = if dep.inherited { self.inherited(from, dep) } else { None };
        dep.features.iter().chain(inherited.into_iter().flat_map(|(_, d)| &d.features))
    }

    /// The `[workspace.dependencies]` entry a `x.workspace = true` of crate
    /// `from` names, with the workspace root it is in.
    pub fn inherited(
        &self,
        from: &Crate,
        dep: &manifest::Dependency,
    ) -> Option<(&WorkspaceRoot, &manifest::WorkspaceDependency)> {
        let root = self.workspace_of(from)?;
        Some((root, root.dependencies.iter().find(|d| d.key == dep.key)?))
    }

    /// The Cargo workspace a crate belongs to: the nearest manifest with
    /// `[workspace]` at or above its folder, as Cargo looks for it.
    pub fn workspace_of(&self, c: &Crate) -> Option<&WorkspaceRoot> {
        self.workspace_roots.iter().filter(|r| r.dir.is_empty() || is_under(&c.dir, &r.dir)).max_by_key(|r| r.dir.len())
    }

    /// The license a crate inherits with `license.workspace = true`, and
    /// the manifest it is written in.
    pub fn inherited_license(&self, c: &Crate) -> Option<(&Arc<SourceFile>, &manifest::Field)> {
        let root = self.workspace_of(c)?;
        Some((&root.manifest, root.license.as_ref()?))
    }

    /// Per crate, the crates it reaches through its dependencies on workspace
    /// crates (every kind, transitively), itself included; computed once.
    pub fn reach(&self) -> &[Vec<bool>] {
        self.reach.get_or_init(|| self.compute_reach(|_| true))
    }

    /// Per crate, the crates its library's code reaches through its
    /// `[dependencies]` on workspace crates, transitively, itself included:
    /// what code depending on it can see through it. A dependency's dev- and
    /// build-dependencies are never built into the code that depends on it.
    pub fn library_reach(&self) -> &[Vec<bool>] {
        self.library_reach.get_or_init(|| self.compute_reach(|d| d.kind == manifest::DepKind::Normal))
    }

    fn compute_reach(&self, followed: impl Fn(&manifest::Dependency) -> bool) -> Vec<Vec<bool>> {
        let deps: Vec<Vec<usize>> = self
            .crates
            .iter()
            .map(|c| {
                c.info.dependencies.iter().filter(|d| followed(d)).filter_map(|d| self.dependency_crate(c, d)).collect()
            })
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

/// The folders Cargo discovers targets in, and their kind.
const TARGET_FOLDERS: [(&str, &str); 4] =
    [("src/bin/", "bin"), ("examples/", "example"), ("tests/", "test"), ("benches/", "bench")];

/// A package's targets by Cargo's rules: the manifest's explicit targets,
/// then (unless `autobins = false` and the like) the conventional files.
fn conventional_targets(dir: &str, info: &manifest::Manifest, files: &[FileEntry]) -> Vec<Target> {
    let join = |p: &str| if dir.is_empty() { p.to_owned() } else { format!("{dir}/{p}") };
    let exists = |rel: &str| files.binary_search_by(|f| f.rel.as_str().cmp(rel)).is_ok();
    let name = info.name.as_ref().map_or("", |n| n.value.as_str()).replace('-', "_");
    let mut targets = Vec::new();
    let mut push = |kind: &str, name: &str, root: String| {
        if exists(&root) && !targets.iter().any(|t: &Target| t.root == root) {
            let required_features = info
                .required_features
                .iter()
                .find(|(k, n, _)| *k == kind && n == name)
                .map(|(_, _, f)| f.clone())
                .unwrap_or_default();
            targets.push(Target { name: name.to_owned(), kind: kind.to_owned(), root, required_features });
        }
    };
    let lib_name = info.lib_name.clone().unwrap_or_else(|| name.clone());
    push("lib", &lib_name, join(info.lib_path.as_deref().unwrap_or("src/lib.rs")));
    for (kind, target, path) in &info.target_paths {
        push(kind, target, join(path));
    }
    // A named target without a path: `src/bin/NAME.rs` or `src/bin/NAME/main.rs`
    // (and `src/main.rs` for a binary named after the package).
    for (kind, target) in &info.named_targets {
        let Some((folder, _)) = TARGET_FOLDERS.iter().find(|(_, k)| k == kind) else { continue };
        if *kind == "bin" && target.replace('-', "_") == name {
            push(kind, target, join("src/main.rs"));
        }
        push(kind, target, join(&format!("{folder}{target}.rs")));
        push(kind, target, join(&format!("{folder}{target}/main.rs")));
    }
    if info.auto_targets[0] {
        push("bin", &name, join("src/main.rs"));
    }
    if !info.build_disabled {
        push("custom-build", "build-script-build", join(info.build.as_deref().unwrap_or("build.rs")));
    }
    for ((folder, kind), auto) in TARGET_FOLDERS.iter().zip(info.auto_targets) {
        if !auto {
            continue;
        }
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

/// The links that end, through at most a few other links, at a file found:
/// link to that file's relative path.
fn resolve_links(files: &[FileEntry], raw: Vec<(String, String)>) -> std::collections::BTreeMap<String, String> {
    let named: std::collections::BTreeMap<String, String> = raw.into_iter().collect();
    let is_file = |rel: &str| files.binary_search_by(|f| f.rel.as_str().cmp(rel)).is_ok();
    named
        .keys()
        .filter_map(|link| {
            let mut at = named.get(link)?;
            // Bounded: a loop of links ends nowhere.
            for _ in 0..8 {
                if is_file(at) {
                    return Some((link.clone(), at.clone()));
                }
                at = named.get(at)?;
            }
            None
        })
        .collect()
}

/// `dir/rel` for relative paths written in the workspace (`/`-separated,
/// backslashes accepted), with `.` and `..` resolved; `None` when `rel` is absolute
/// or climbs above the root.
pub fn join(dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with(['/', '\\']) || rel.as_bytes().get(1) == Some(&b':') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in dir.split(['/', '\\']).chain(rel.split(['/', '\\'])) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}
