//! `boundary/import`: code of edition A refers to an item of an edition A may
//! not use, through a `use` tree, a path in code (expressions, types,
//! patterns, bounds, `impl Trait for`, attributes, derives, macro paths and
//! paths inside macro arguments, serde attribute strings) or, with warning
//! severity, a method call whose name only enterprise-tagged impls define.
//!
//! A `use` is reported where it is written; one-name paths in code that the
//! `use` brought in are not reported again. A `pub use` is reported as
//! `boundary/reexport` instead (see that check).

use std::collections::BTreeMap;

use crate::config::EditionId;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::index::modtree::{Inputs, ModId, ModTree};
use crate::index::resolve::{Ctx, Res, Resolved, Resolver};
use crate::index::{FileData, Sources};

/// Checks every `use`, path and method call of every file in a module tree.
pub fn check(inputs: &Inputs<'_>, tree: &ModTree, sources: &Sources) -> Vec<Diagnostic> {
    let resolver = Resolver::new(inputs, tree);
    let mut out = Vec::new();
    let methods = method_editions(inputs, tree, &resolver);
    let reach = inputs.ws.reach();
    for (file, data) in inputs.files.iter().enumerate() {
        let Some(root) = tree.module_of(file, &[]) else { continue };
        for m in modules_in_file(tree, root, file) {
            uses(inputs, tree, &resolver, sources, data, m, &mut out);
        }
        for r in &data.syntax.refs {
            if r.local {
                continue;
            }
            let Some(m) = tree.module_of(file, &r.module) else { continue };
            let ctx = context(inputs, tree, data, m, &r.span);
            let found = if r.segments.len() == 1 && !r.global {
                r.segments.first().and_then(|name| resolver.resolve_local(m, name, ctx))
            } else {
                resolver.resolve(m, &r.segments, r.global, ctx)
            };
            let Some(found) = found else { continue };
            let Some(to) = resolver.edition(found.res) else { continue };
            if inputs.allowed(ctx.edition, ctx.gate, to) {
                continue;
            }
            // A path whose first name a forbidden `use` brought in: that
            // `use` is the finding.
            if r.segments.len() > 1 && !r.global {
                let head = r.segments.first().and_then(|h| resolver.resolve(m, std::slice::from_ref(h), false, ctx));
                if head.is_some_and(|h| {
                    h.hops.first().is_some_and(|hop| hop.file == file)
                        && resolver.edition(h.res).is_some_and(|e| !inputs.allowed(ctx.edition, ctx.gate, e))
                }) {
                    continue;
                }
            }
            let written = format!("{}{}", if r.global { "::" } else { "" }, r.segments.join("::"));
            out.push(finding(
                inputs,
                tree,
                &resolver,
                sources,
                data,
                r.span.clone(),
                &written,
                &found,
                ctx,
                to,
                Kind::Path,
            ));
        }
        for (name, span, body) in &data.syntax.method_calls {
            let Some(m) = tree.module_of(file, body) else { continue };
            let ctx = context(inputs, tree, data, m, span);
            let Some(defs) = methods.get(name.as_str()) else { continue };
            // Only impls in crates the caller can reach define its methods.
            let caller = tree.modules.get(m).and_then(|module| module.krate);
            let defs = defs.iter().filter(|d| match (caller, d.krate) {
                (Some(a), Some(b)) => reach.get(a).and_then(|r| r.get(b)).copied().unwrap_or(false),
                (a, b) => a == b,
            });
            let forbidden = defs.clone().find(|d| d.tagged && !inputs.allowed(ctx.edition, ctx.gate, d.edition));
            let twin = defs.clone().any(|d| inputs.allowed(ctx.edition, ctx.gate, d.edition));
            if let (Some(MethodDef { edition: to, .. }), false) = (forbidden, twin) {
                let (from_name, to_name) = (inputs.config.name(ctx.edition), inputs.config.name(*to));
                out.push(
                    Diagnostic::new(
                        Code::BoundaryImport,
                        sources.at(&data.rel, span.clone()),
                        format!("{from_name} code calls `.{name}()`, which only {to_name} impls define"),
                    )
                    .with_severity(Severity::Warning)
                    .with_label(format!("{to_name}-only method"))
                    .with_edition(from_name)
                    .with_target_edition(to_name)
                    .with_symbol(name.clone())
                    .with_help(format!(
                        "corefence cannot know the receiver's type: if this calls the {to_name} method, move the call into {to_name} code or behind its feature; if not, add `// corefence: allow(boundary/import) -- reason`"
                    )),
                );
            }
        }
    }
    out
}

/// The module `root` of a file and its inline modules.
fn modules_in_file(tree: &ModTree, root: ModId, file: usize) -> Vec<ModId> {
    let mut out = vec![root];
    let mut i = 0;
    while let Some(&m) = out.get(i) {
        if let Some(module) = tree.modules.get(m) {
            out.extend(
                module
                    .children
                    .iter()
                    .map(|(_, c)| *c)
                    .filter(|c| tree.modules.get(*c).is_some_and(|x| x.file == file)),
            );
        }
        i += 1;
    }
    out
}

/// The edition of the code at `span` in module `m`, and its cfg gate.
pub fn context(inputs: &Inputs<'_>, tree: &ModTree, data: &FileData, m: ModId, span: &std::ops::Range<usize>) -> Ctx {
    let module = tree.modules.get(m);
    let edition = data.tag_at(span).or(module.map(|x| x.edition)).unwrap_or(inputs.config.default);
    let gate = inputs.gate_edition(data.features_at(span)).or(module.and_then(|x| x.gate));
    Ctx { edition, gate }
}

fn uses(
    inputs: &Inputs<'_>,
    tree: &ModTree,
    resolver: &Resolver<'_>,
    sources: &Sources,
    data: &FileData,
    m: ModId,
    out: &mut Vec<Diagnostic>,
) {
    let Some(body) = resolver.body(m) else { return };
    for u in &body.uses {
        let ctx = context(inputs, tree, data, m, &u.item_span);
        let Some(found) = resolver.resolve(m, &u.path, u.global || u.extern_crate, ctx) else { continue };
        let Some(to) = resolver.edition(found.res) else { continue };
        if inputs.allowed(ctx.edition, ctx.gate, to) {
            continue;
        }
        let written = format!("{}{}", if u.global { "::" } else { "" }, u.path.join("::"));
        let kind = if u.vis.is_public() { Kind::Reexport } else { Kind::Use };
        out.push(finding(inputs, tree, resolver, sources, data, u.span.clone(), &written, &found, ctx, to, kind));
    }
}

/// How the forbidden item is reached.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A `use`.
    Use,
    /// A `pub use`.
    Reexport,
    /// A path in code.
    Path,
}

#[allow(clippy::too_many_arguments)] // one finding's whole description
fn finding(
    inputs: &Inputs<'_>,
    tree: &ModTree,
    resolver: &Resolver<'_>,
    sources: &Sources,
    data: &FileData,
    span: std::ops::Range<usize>,
    written: &str,
    found: &Resolved,
    ctx: Ctx,
    to: EditionId,
    kind: Kind,
) -> Diagnostic {
    let (from_name, to_name) = (inputs.config.name(ctx.edition), inputs.config.name(to));
    let symbol = resolver.display(found.res);
    let what = match found.res {
        Res::Module(m) if tree.modules.get(m).is_some_and(|x| x.parent.is_none()) => "crate",
        Res::Module(_) => "module",
        Res::Item(..) => "item",
    };
    let verb = match kind {
        Kind::Use => "imports",
        Kind::Reexport => "re-exports",
        Kind::Path => "uses",
    };
    let code = if kind == Kind::Reexport { Code::BoundaryReexport } else { Code::BoundaryImport };
    let mut d = Diagnostic::new(
        code,
        sources.at(&data.rel, span),
        format!("{from_name} code {verb} {to_name} {what} `{symbol}`"),
    )
    .with_label(format!("{to_name} {what}"))
    .with_edition(from_name)
    .with_target_edition(to_name)
    .with_symbol(symbol.clone());
    if let Some((file, def)) = definition(tree, resolver, found.res) {
        if let Some(f) = inputs.files.get(file) {
            d = d.with_secondary(sources.at(&f.rel, def), format!("defined here, in {to_name} code"));
        }
    }
    let chain = chain(inputs, tree, data, written, found, sources);
    let feature = mapped_feature(inputs, to);
    let gate = feature.as_deref().map_or_else(
        || format!("the feature corefence.toml maps to the {to_name} edition"),
        |f| format!("`#[cfg(feature = \"{f}\")]`"),
    );
    let fix = match kind {
        Kind::Reexport => format!(
            "remove the re-export, or gate it with {gate}; re-exporting leaks {to_name} code into the {from_name} edition's API"
        ),
        _ => format!(
            "move this code into the {to_name} edition, gate it with {gate}, or have {to_name} code implement a {from_name} trait and inject it"
        ),
    };
    d.with_help(match chain {
        Some(chain) => format!("reached through re-exports: {chain}; {fix}"),
        None => fix,
    })
}

/// The first Cargo feature mapped to an edition that may use `to`.
fn mapped_feature(inputs: &Inputs<'_>, to: EditionId) -> Option<String> {
    let config = inputs.config;
    config
        .editions
        .iter()
        .enumerate()
        .filter(|(id, _)| *id == to || config.may_use(*id, to))
        .find_map(|(_, e)| e.features.first().cloned())
}

/// Where a definition is: its name, or its `mod` declaration (a crate root: its first byte).
fn definition(tree: &ModTree, resolver: &Resolver<'_>, res: Res) -> Option<(usize, std::ops::Range<usize>)> {
    match res {
        Res::Item(m, i) => Some((tree.modules.get(m)?.file, resolver.item(m, i)?.span.clone())),
        Res::Module(m) => {
            let module = tree.modules.get(m)?;
            module.decl.clone().or(Some((module.file, 0..0)))
        }
    }
}

/// `acme_app → acme_api::Token → acme_ee::Token (re-exported at crates/acme-api/src/lib.rs:1)`,
/// when the path goes through a `use` outside its own file.
fn chain(
    inputs: &Inputs<'_>,
    tree: &ModTree,
    data: &FileData,
    written: &str,
    found: &Resolved,
    sources: &Sources,
) -> Option<String> {
    let file = inputs.files.binary_search_by(|f| f.rel.as_str().cmp(&data.rel)).ok()?;
    let foreign: Vec<_> = found.hops.iter().filter(|h| h.file != file).collect();
    if foreign.is_empty() {
        return None;
    }
    let start = tree
        .file_modules
        .get(&file)
        .and_then(|ms| ms.first())
        .and_then(|m| tree.modules.get(*m))
        .and_then(|m| tree.modules.get(m.root))
        .map_or_else(|| "crate".to_owned(), |r| if r.name.is_empty() { data.rel.clone() } else { r.name.clone() });
    let mut parts = vec![start, written.to_owned()];
    for hop in foreign {
        let rel = inputs.files.get(hop.file).map_or("", |f| f.rel.as_str());
        let line = sources.get(rel).line_col(hop.span.start).line;
        parts.push(format!("{} (re-exported at {rel}:{line})", hop.path));
    }
    Some(parts.join(" → "))
}

/// A method defined in an impl.
struct MethodDef {
    edition: EditionId,
    /// Explicitly tagged (or in a snippet).
    tagged: bool,
    /// The crate of the impl.
    krate: Option<usize>,
}

/// Every method defined in an impl, per name.
fn method_editions<'a>(
    inputs: &'a Inputs<'_>,
    tree: &ModTree,
    _resolver: &Resolver<'_>,
) -> BTreeMap<&'a str, Vec<MethodDef>> {
    let mut out: BTreeMap<&str, Vec<MethodDef>> = BTreeMap::new();
    for (file, data) in inputs.files.iter().enumerate() {
        let Some(root) = tree.module_of(file, &[]) else { continue };
        for (name, span) in &data.syntax.methods {
            let tag = data.tag_at(span);
            let ctx = context(inputs, tree, data, root, span);
            let edition = match ctx.gate {
                Some(g) if tag.is_none() && g != ctx.edition && !inputs.config.may_use(ctx.edition, g) => g,
                _ => ctx.edition,
            };
            let krate = tree.modules.get(root).and_then(|module| module.krate);
            out.entry(name.as_str()).or_default().push(MethodDef { edition, tagged: tag.is_some(), krate });
        }
    }
    out
}
