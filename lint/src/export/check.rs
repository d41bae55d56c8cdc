//! `corefence export --check`: builds the exported tree with cargo and turns
//! every compiler error into an `export/build` diagnostic at the original
//! file and line, through the line maps of the files the export edited.
//!
//! This runs the build the user asked for, in the export folder: cargo, its
//! build scripts and proc macros are the exported code's own. `check` never
//! does this.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cargo_metadata::diagnostic::{DiagnosticLevel, DiagnosticSpan};
use cargo_metadata::Message;

use super::Export;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::index::Sources;

/// The default build: every target of every crate, no network, and past
/// the first crate that fails.
pub const DEFAULT_COMMAND: &str = "cargo check --workspace --all-targets --offline --keep-going --message-format json";

/// Why the build could not be run at all.
#[derive(Debug, thiserror::Error)]
#[error("cannot run `{command}`: {why}")]
pub struct CheckError {
    command: String,
    why: String,
}

/// Runs `command` (split on whitespace; it must print cargo's JSON
/// messages) in the export and maps every error back to the workspace.
///
/// Cargo stops at the first manifest it cannot load (a dependency on a
/// crate the export removed, a feature another crate no longer has), before
/// any compiler error: each such stop is reported at its dependency, the
/// dependency is taken out of the export's manifest for the next attempt,
/// and the build runs again, until it gets to the compiler. The manifests
/// are put back as exported at the end.
pub fn build(export: &Export, command: &str) -> Result<Vec<Diagnostic>, CheckError> {
    let sources = Sources::new(&export.root, None);
    let mut out = Vec::new();
    let mut patched: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    // The build writes a lock file; the export stays as it was written.
    let lock = export.out.join("Cargo.lock");
    let lock_before = std::fs::read(&lock).ok();
    let result = (|| {
        // Bounded: each round takes one dependency or feature out.
        for _ in 0..64 {
            let run = run_once(export, &sources, command)?;
            if run.success || !run.compiler.is_empty() {
                out.extend(run.compiler);
                if !run.success {
                    out.extend(unchecked(export, &sources, &run.built));
                }
                return Ok(());
            }
            let Some(stop) = ManifestStop::parse(&run.stderr, &export.out) else {
                out.push(cargo_error(export, &sources, &run.stderr));
                return Ok(());
            };
            let Some(manifest) = stop.manifest(&export.out) else {
                out.push(cargo_error(export, &sources, &run.stderr));
                return Ok(());
            };
            let stop = stop.keyed(&manifest);
            // The feature may come from the `[workspace.dependencies]`
            // entry the member inherits: then the root manifest is patched.
            let root = export.out.join("Cargo.toml");
            let attempts = [(&manifest, false), (&root, true)];
            let Some((target, before, after)) = attempts.into_iter().find_map(|(path, inherited)| {
                let before = std::fs::read(path).ok()?;
                let text = String::from_utf8_lossy(&before);
                let after = if inherited { stop.patch_inherited(&text) } else { stop.patch(&text) }?;
                Some((path.clone(), before, after))
            }) else {
                out.push(cargo_error(export, &sources, &run.stderr));
                return Ok(());
            };
            if !patched.iter().any(|(p, _)| *p == target) {
                patched.push((target.clone(), before));
            }
            std::fs::write(&target, after)
                .map_err(|e| CheckError { command: command.to_owned(), why: e.to_string() })?;
            if let Some(d) = stop.diagnostic(export, &sources, &manifest) {
                out.push(d);
            }
        }
        Ok(())
    })();
    for (path, bytes) in patched {
        let _ = std::fs::write(path, bytes);
    }
    match lock_before {
        Some(bytes) => {
            let _ = std::fs::write(&lock, bytes);
        }
        None => {
            let _ = std::fs::remove_file(&lock);
        }
    }
    result?;
    if export.boundary_errors == 0 {
        for d in &mut out {
            d.message.push_str(
                " (corefence check reported no boundary error on this tree: this is a corefence bug, please report it)",
            );
        }
    }
    Ok(out)
}

/// One build: its compiler errors, whether it passed, cargo's stderr, and
/// the folders of the crates the compiler got to (built or failed).
struct Run {
    compiler: Vec<Diagnostic>,
    success: bool,
    stderr: String,
    built: BTreeSet<PathBuf>,
}

/// A warning for each crate the build never got to: a crate it depends on
/// does not build, so the compiler could not check it.
fn unchecked(export: &Export, sources: &Sources<'_>, built: &BTreeSet<PathBuf>) -> Vec<Diagnostic> {
    export
        .crates
        .iter()
        .filter(|dir| !built.contains(&export.out.join(dir.as_str())))
        .map(|dir| {
            let manifest = crate::workspace::manifest_path(dir);
            Diagnostic::new(
                Code::ExportBuild,
                Location::file_start(&sources.get(&manifest)),
                format!(
                    "`{}` was not checked: a crate it depends on does not build in the {} edition",
                    if dir.is_empty() { "." } else { dir.as_str() },
                    export.edition
                ),
            )
            .with_severity(crate::diagnostic::Severity::Warning)
            .with_label("not checked")
            .with_help("fix the errors of the crates it depends on, then run `export --check` again")
            .with_edition(export.edition.clone())
        })
        .collect()
}

/// The folder of a path package from its id (`path+file:///…/crate#0.1.0`).
fn package_dir(id: &cargo_metadata::PackageId) -> Option<PathBuf> {
    let rest = id.repr.strip_prefix("path+file://")?;
    Some(PathBuf::from(rest.split(['#', '?']).next()?))
}

fn run_once(export: &Export, sources: &Sources<'_>, command: &str) -> Result<Run, CheckError> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let fail = |why: String| CheckError { command: command.to_owned(), why };
    let (program, args) = words.split_first().ok_or_else(|| fail("the command is empty".to_owned()))?;
    let mut child = Command::new(program)
        .args(args)
        .current_dir(&export.out)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(e.to_string()))?;
    let mut stderr = child.stderr.take().ok_or_else(|| fail("no stderr".to_owned()))?;
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let stdout = child.stdout.take().ok_or_else(|| fail("no stdout".to_owned()))?;
    let mut compiler = Vec::new();
    let mut seen = BTreeSet::new();
    let mut built = BTreeSet::new();
    for message in Message::parse_stream(std::io::BufReader::new(stdout)).flatten() {
        let msg = match message {
            Message::CompilerArtifact(artifact) => {
                built.extend(artifact.manifest_path.as_std_path().parent().map(Path::to_path_buf));
                continue;
            }
            Message::CompilerMessage(msg) => msg,
            _ => continue,
        };
        built.extend(package_dir(&msg.package_id));
        if !matches!(msg.message.level, DiagnosticLevel::Error | DiagnosticLevel::Ice) {
            continue;
        }
        let package_dir = msg.target.src_path.as_std_path().ancestors().find(|d| d.join("Cargo.toml").is_file());
        let d = compiler_error(export, sources, &msg.message, package_dir);
        // Each target of a crate reports its errors again: once is enough.
        let start = d.location.start();
        if seen.insert((d.location.path().to_owned(), start.line, start.column, d.message.clone())) {
            compiler.push(d);
        }
    }
    let status = child.wait().map_err(|e| fail(e.to_string()))?;
    Ok(Run { compiler, success: status.success(), stderr: errors.join().unwrap_or_default(), built })
}

/// Where cargo stopped loading manifests, and why.
#[derive(Debug, PartialEq, Eq)]
struct ManifestStop {
    /// The folder of the crate whose manifest names the dependency, in the export.
    member: Option<PathBuf>,
    /// The dependency's key.
    dependency: String,
    /// The feature the dependency no longer has; `None` when the dependency
    /// itself is gone.
    feature: Option<String>,
}

/// The text between the first pair of backticks after `marker`.
fn quoted_after<'t>(text: &'t str, marker: &str) -> Option<&'t str> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let start = rest.find('`')? + 1;
    let len = rest.get(start..)?.find('`')?;
    rest.get(start..start + len)
}

impl ManifestStop {
    fn parse(stderr: &str, out: &Path) -> Option<ManifestStop> {
        // `package `app v0.1.0 (/out/app)``: the folder in parentheses.
        let folder_of = |described: &str| {
            let open = described.rfind('(')?;
            let inner = described.get(open + 1..)?.trim_end_matches(')');
            Some(PathBuf::from(inner))
        };
        if let Some(dependency) = quoted_after(stderr, "failed to load manifest for dependency") {
            let member = quoted_after(stderr, "failed to load manifest for workspace member").map(PathBuf::from);
            let member = member.or_else(|| Some(out.to_path_buf()));
            return Some(ManifestStop { member, dependency: dependency.to_owned(), feature: None });
        }
        if let Some(dependency) = quoted_after(stderr, "failed to get") {
            let member = quoted_after(stderr, "as a dependency of package").and_then(folder_of);
            return Some(ManifestStop { member, dependency: dependency.to_owned(), feature: None });
        }
        if stderr.contains("does not have that feature") || stderr.contains("does not have these features") {
            let dependency = quoted_after(stderr, "failed to select a version for")?.to_owned();
            let member = quoted_after(stderr, "required by package").and_then(folder_of);
            let feature = quoted_after(stderr, "with feature").or_else(|| quoted_after(stderr, "with features:"));
            return Some(ManifestStop { member, dependency, feature: feature.map(str::to_owned) });
        }
        None
    }

    /// With the dependency named by its key in `manifest`: cargo names a
    /// renamed dependency (`licensing = { package = "acme-ee" }`) by its package.
    fn keyed(self, manifest: &Path) -> ManifestStop {
        let text = std::fs::read_to_string(manifest).unwrap_or_default();
        let key = crate::workspace::manifest::parse(&text).ok().and_then(|parsed| {
            let by_key = parsed.dependencies.iter().any(|d| d.key == self.dependency);
            let renamed = parsed.dependencies.iter().find(|d| d.package.as_deref() == Some(self.dependency.as_str()));
            renamed.filter(|_| !by_key).map(|d| d.key.clone())
        });
        ManifestStop { dependency: key.unwrap_or(self.dependency), ..self }
    }

    /// The manifest to patch, inside the export.
    fn manifest(&self, out: &Path) -> Option<PathBuf> {
        let path = self.member.as_ref()?.join("Cargo.toml");
        (path.starts_with(out) && path.is_file()).then_some(path)
    }

    /// The manifest without the dependency (and every feature entry naming
    /// it), or without the feature it asks of the dependency.
    fn patch(&self, text: &str) -> Option<String> {
        let mut doc: toml_edit::DocumentMut = text.parse().ok()?;
        let key = self.dependency.as_str();
        let mut changed = false;
        let mut tables: Vec<&mut toml_edit::Table> = Vec::new();
        let root = doc.as_table_mut();
        let names =
            ["dependencies", "dev-dependencies", "build-dependencies", "dev_dependencies", "build_dependencies"];
        for (name, item) in root.iter_mut() {
            match name.get() {
                n if names.contains(&n) => tables.extend(item.as_table_mut()),
                "target" => {
                    for (_, target) in item.as_table_mut().into_iter().flat_map(|t| t.iter_mut()) {
                        for (inner, deps) in target.as_table_mut().into_iter().flat_map(|t| t.iter_mut()) {
                            if names.contains(&inner.get()) {
                                tables.extend(deps.as_table_mut());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        for table in tables {
            match &self.feature {
                None => changed |= table.remove(key).is_some(),
                Some(feature) => {
                    let features =
                        table.get_mut(key).and_then(|d| d.get_mut("features")).and_then(|f| f.as_array_mut());
                    if let Some(list) = features {
                        let before = list.len();
                        list.retain(|v| v.as_str() != Some(feature.as_str()));
                        changed |= list.len() != before;
                    }
                }
            }
        }
        // Feature entries that name the dependency (or ask it for the feature).
        if let Some(features) = doc.get_mut("features").and_then(|f| f.as_table_mut()) {
            for (_, list) in features.iter_mut() {
                let Some(list) = list.as_array_mut() else { continue };
                let before = list.len();
                list.retain(|v| {
                    let Some(entry) = v.as_str() else { return true };
                    let (dep, asked) = entry.split_once('/').map_or((entry, None), |(d, f)| (d, Some(f)));
                    let dep = dep.trim_start_matches("dep:").trim_end_matches('?');
                    match &self.feature {
                        None => dep != key,
                        Some(feature) => !(dep == key && asked == Some(feature.as_str())),
                    }
                });
                changed |= list.len() != before;
            }
        }
        changed.then(|| doc.to_string())
    }

    /// The root manifest without the feature in the `[workspace.dependencies]`
    /// entry of the dependency.
    fn patch_inherited(&self, text: &str) -> Option<String> {
        let feature = self.feature.as_deref()?;
        let mut doc: toml_edit::DocumentMut = text.parse().ok()?;
        let list = doc
            .get_mut("workspace")?
            .get_mut("dependencies")?
            .get_mut(&self.dependency)?
            .get_mut("features")?
            .as_array_mut()?;
        let before = list.len();
        list.retain(|v| v.as_str() != Some(feature));
        (list.len() != before).then(|| doc.to_string())
    }

    /// The finding, at the dependency in the original manifest.
    fn diagnostic(&self, export: &Export, sources: &Sources<'_>, manifest: &Path) -> Option<Diagnostic> {
        let rel = crate::workspace::slash_path(manifest.strip_prefix(&export.out).ok()?);
        let file = sources.get(&rel);
        let parsed = crate::workspace::manifest::parse(&file.text).ok()?;
        // The entry that asks for the feature (a dev-dependency may, where
        // the normal one does not).
        let named = parsed.dependencies.iter().filter(|d| d.key == self.dependency);
        let asks = |d: &&crate::workspace::manifest::Dependency| {
            self.feature.as_ref().is_some_and(|f| d.features.iter().any(|x| x.value == *f))
        };
        let dep = named.clone().find(asks).or_else(|| named.clone().next())?;
        let message = match &self.feature {
            None => format!(
                "the exported {} edition does not build: `{}` is a dependency on a crate the edition does not have",
                export.edition, self.dependency
            ),
            Some(feature) => format!(
                "the exported {} edition does not build: `{}` no longer has the feature `{feature}` this asks for",
                export.edition, self.dependency
            ),
        };
        Some(
            Diagnostic::new(Code::ExportBuild, Location::new(&file, dep.span.clone()), message)
                .with_label("cargo stops here")
                .with_help("this is where the edition's build breaks: fix the boundary/dependency finding here")
                .with_edition(export.edition.clone()),
        )
    }
}

/// One compiler error, at its primary span in the original workspace.
fn compiler_error(
    export: &Export,
    sources: &Sources<'_>,
    message: &cargo_metadata::diagnostic::Diagnostic,
    package_dir: Option<&Path>,
) -> Diagnostic {
    let text = match &message.code {
        Some(code) => {
            format!("the exported {} edition does not build: error[{}]: {}", export.edition, code.code, message.message)
        }
        None => format!("the exported {} edition does not build: {}", export.edition, message.message),
    };
    let primary = message.spans.iter().find(|s| s.is_primary).or(message.spans.first());
    let located = primary.and_then(|span| locate(export, sources, span, package_dir));
    let (location, label) = located.unwrap_or_else(|| (spanless(export, sources, message, package_dir), None));
    let mut d = Diagnostic::new(Code::ExportBuild, location, text);
    if let Some(label) = label {
        d = d.with_label(label);
    }
    let notes: Vec<&str> = message
        .children
        .iter()
        .filter(|c| matches!(c.level, DiagnosticLevel::Help | DiagnosticLevel::Note))
        .map(|c| c.message.as_str())
        .collect();
    let help = if notes.is_empty() {
        "this is where the edition's build breaks: fix the boundary finding at the same place".to_owned()
    } else {
        format!("the compiler says: {}", notes.join("; "))
    };
    d = d.with_help(help).with_edition(export.edition.clone());
    d
}

/// The original location of a span in the export: through macro expansions
/// to the code that was written, then through the file's line map.
fn locate(
    export: &Export,
    sources: &Sources<'_>,
    span: &DiagnosticSpan,
    package_dir: Option<&Path>,
) -> Option<(Location, Option<String>)> {
    let mut span = span;
    let mut label = span.label.clone();
    loop {
        if let Some(rel) = relative(export, &span.file_name, package_dir) {
            let map = export.line_maps.get(&rel);
            let to_original = |at: u32| map.map_or(at as usize, |m| m.to_original(at as usize));
            let (start, end) = (to_original(span.byte_start), to_original(span.byte_end));
            return Some((sources.at(&rel, start..end.max(start)), label));
        }
        span = &span.expansion.as_ref()?.span;
        label = label.or_else(|| span.label.clone());
    }
}

/// A compiler file name as a path relative to the export (and so to the
/// workspace), when it is one of the exported files.
fn relative(export: &Export, file_name: &str, package_dir: Option<&Path>) -> Option<String> {
    let candidates: Vec<PathBuf> = if Path::new(file_name).is_absolute() {
        vec![PathBuf::from(file_name)]
    } else {
        [Some(export.out.join(file_name)), package_dir.map(|d| d.join(file_name))].into_iter().flatten().collect()
    };
    candidates.iter().find_map(|c| {
        let rel = c.strip_prefix(&export.out).ok()?;
        // `src/bin/../cmd.rs` (a `#[path]` from a binary) is `src/cmd.rs`.
        c.is_file().then(|| crate::workspace::join("", &crate::workspace::slash_path(rel))).flatten()
    })
}

/// Cargo's own error (no compiler message), on the manifest it names.
fn cargo_error(export: &Export, sources: &Sources<'_>, stderr: &str) -> Diagnostic {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    let first = lines.iter().position(|l| l.starts_with("error")).unwrap_or(0);
    let excerpt: Vec<&str> = lines.iter().skip(first).take(6).copied().collect();
    let out = export.out.display().to_string();
    let manifest = excerpt
        .iter()
        .flat_map(|l| l.split(['`', ' ', '\'']))
        .filter_map(|word| word.strip_prefix(out.as_str()))
        .map(|rest| rest.trim_start_matches('/'))
        .find(|rel| rel.ends_with("Cargo.toml"))
        .unwrap_or("Cargo.toml")
        .to_owned();
    // A target cargo cannot find: at its `path` in the manifest.
    let mentioned = excerpt
        .iter()
        .flat_map(|l| l.split(['`', ' ', '\'']))
        .filter_map(|word| word.strip_prefix(out.as_str()))
        .map(|rest| rest.trim_start_matches('/').to_owned());
    let location =
        file_field(sources, &manifest, mentioned).unwrap_or_else(|| Location::file_start(&sources.get(&manifest)));
    Diagnostic::new(
        Code::ExportBuild,
        location,
        format!(
            "the exported {} edition does not build: {}",
            export.edition,
            excerpt.join(" ").replace(&out, "<export>")
        ),
    )
    .with_label("cargo stops here")
    .with_help("a dependency, feature or target the edition may not use is still named here")
    .with_edition(export.edition.clone())
}

/// Where an error without a span goes: at the line of the manifest naming
/// the file rustc cannot read (``couldn't read `build.rs` ``), else at the
/// start of the crate's manifest.
fn spanless(
    export: &Export,
    sources: &Sources<'_>,
    message: &cargo_metadata::diagnostic::Diagnostic,
    package_dir: Option<&Path>,
) -> Location {
    let crate_dir = package_dir
        .and_then(|d| d.strip_prefix(&export.out).ok())
        .map(crate::workspace::slash_path)
        .unwrap_or_default();
    let manifest = crate::workspace::manifest_path(&crate_dir);
    // rustc runs in the workspace root; a script's path may be the crate's.
    let mentioned = message.message.split('`').skip(1).step_by(2).flat_map(|written| {
        [crate::workspace::join("", written), crate::workspace::join(&crate_dir, written)].into_iter().flatten()
    });
    file_field(sources, &manifest, mentioned).unwrap_or_else(|| Location::file_start(&sources.get(&manifest)))
}

/// Where the manifest `manifest` (relative to the workspace root) names one
/// of the `mentioned` files (relative to the root) as a target or build
/// script.
fn file_field(sources: &Sources<'_>, manifest: &str, mut mentioned: impl Iterator<Item = String>) -> Option<Location> {
    let file = sources.get(manifest);
    let parsed = crate::workspace::manifest::parse(&file.text).ok()?;
    let dir = crate::workspace::manifest_dir(manifest);
    mentioned.find_map(|rel| {
        let field =
            parsed.file_fields.iter().find(|f| crate::workspace::join(dir, &f.value).as_deref() == Some(&rel))?;
        Some(Location::new(&file, field.span.clone()))
    })
}
