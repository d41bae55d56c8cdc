//! `boundary/*`: code, modules and dependencies of an edition that reach an
//! edition it may not use. What the checks of code share (one file's
//! report, how a crossing is worded) lives here; each code is emitted by
//! its own file.

pub mod dependency;
pub mod import;
pub mod module;
pub mod reexport;

use std::ops::Range;

use crate::config::EditionId;
use crate::diagnostic::{Code, Diagnostic};
use crate::index::modtree::{Inputs, ModId, ModTree};
use crate::index::resolve::{Ctx, Res, Resolved, Resolver, View, Why};
use crate::index::{FileData, Sources};
use crate::parse::items::ns;

/// What the checks of the workspace's module trees read.
#[derive(Clone, Copy)]
pub struct Trees<'r, 'a> {
    /// The configuration, workspace, editions and indexed files.
    pub inputs: &'r Inputs<'a>,
    /// Every target's module tree.
    pub tree: &'r ModTree,
    /// Path resolution over the trees.
    pub resolver: &'r Resolver<'a>,
    /// Which function bodies left out of the first reading can hold a
    /// finding.
    pub keys: &'r crate::index::keys::Keys,
    /// The files' text, for locations.
    pub sources: &'r Sources<'r>,
    /// Per indexed file, whether its findings are reported (see
    /// [`reported_files`]): the others are checked only for what the
    /// reported ones depend on.
    pub reported: &'r [bool],
}

impl Trees<'_, '_> {
    /// Whether file `file`'s findings are reported.
    pub(super) fn reports(&self, file: usize) -> bool {
        self.reported.get(file).copied().unwrap_or(false)
    }
}

/// Per indexed file, whether its findings are reported: the user asked
/// about it (`asked`), and a crate whose module tree holds it can have
/// findings at all (`can_cross`, see [`crate::prefilter::IndexPlan::checks`];
/// `None`: code no crate owns).
pub fn reported_files(
    inputs: &Inputs<'_>,
    tree: &ModTree,
    asked: &dyn Fn(&str) -> bool,
    can_cross: &dyn Fn(Option<usize>) -> bool,
) -> Vec<bool> {
    let checked = |file: usize| {
        let roots = tree.file_roots(file);
        roots.iter().filter_map(|&r| tree.modules.get(r)).any(|m| can_cross(m.krate))
    };
    let reported = |(file, data): (usize, &FileData)| asked(&data.rel) && checked(file);
    inputs.files.iter().enumerate().map(reported).collect()
}

/// A check of code against the workspace's module trees.
pub type TreeCheck = fn(&Trees<'_, '_>) -> Vec<Diagnostic>;

/// The checks that need the whole workspace's module trees, run once the
/// trees are built: every `mod` and `include!`, every reference in code,
/// every `pub use`.
pub const TREE_CHECKS: &[TreeCheck] = &[module::check, import::check, reexport::check];

/// What every finding of one file needs.
pub(super) struct Report<'r, 'a> {
    pub(super) inputs: &'r Inputs<'a>,
    pub(super) tree: &'r ModTree,
    pub(super) resolver: &'r Resolver<'a>,
    pub(super) sources: &'r Sources<'r>,
    pub(super) data: &'r FileData,
    pub(super) file: usize,
    /// The module the file is read as, of those it is read as
    /// ([`ModTree::file_roots`]): a file several crates read as a module
    /// is checked in each reading.
    pub(super) root: ModId,
}

impl Report<'_, '_> {
    /// The module the file's code at inline path `body` belongs to, in
    /// this reading of the file.
    pub(super) fn module_of(&self, body: &[usize]) -> Option<ModId> {
        self.tree.module_in(self.root, self.file, body)
    }

    /// The path of the file module `m` is in.
    pub(super) fn rel_of(&self, m: ModId) -> &str {
        let file = self.tree.modules.get(m).and_then(|x| self.inputs.files.get(x.file));
        file.map_or(self.data.rel.as_str(), |f| f.rel.as_str())
    }
}

/// Whether what a path reached lies in a module whose `mod` declaration is
/// already a `boundary/module` finding: rustc reports only the declaration.
pub(super) fn behind_crossing(report: &Report<'_, '_>, found: &Resolved) -> bool {
    let module = match found.res {
        Res::Module(m) | Res::Item(m, _) => Some(m),
        Res::Member(i) => report.resolver.members().get(i).map(|info| info.module),
    };
    module.is_some_and(|m| declared_across(report.inputs, report.tree, m))
}

/// Whether `m` is, or lies in, a module whose declaration is a
/// `boundary/module` finding: the declarer's build has no such file, and
/// rustc reports the declaration, not the paths into the module.
fn declared_across(inputs: &Inputs<'_>, tree: &ModTree, mut m: ModId) -> bool {
    // Bounded by the tree's depth: parents always come first.
    for _ in 0..tree.modules.len() {
        let Some(module) = tree.modules.get(m) else { return false };
        if module.pull.and_then(|p| tree.pulls.get(p)).is_some_and(|p| module::crosses(inputs, p)) {
            return true;
        }
        let Some(parent) = module.parent else { return false };
        m = parent;
    }
    false
}

/// The `use` (or, with `public`, `pub use`) declarations of module `m`
/// that resolve in some build but not in the build of their own code: where
/// each is written, as written, what it reaches and the code's context.
pub(super) fn broken_uses(
    report: &Report<'_, '_>,
    m: ModId,
    public: bool,
) -> Vec<(Range<usize>, String, Resolved, Ctx)> {
    let resolver = report.resolver;
    let Some(body) = resolver.body(m) else { return Vec::new() };
    let mut out = Vec::new();
    for u in body.uses.iter().filter(|u| u.vis.is_public() == public) {
        let ctx = resolver.ctx_at(m, &u.item_span);
        let global = u.global || u.extern_crate;
        let Some(found) = resolver.resolve(m, &u.path, global, ns::ANY, View::Any) else { continue };
        if resolver.resolve(m, &u.path, global, ns::ANY, resolver.view_of(ctx)).is_some() {
            continue;
        }
        if behind_crossing(report, &found) {
            continue;
        }
        let written = format!("{}{}", if u.global { "::" } else { "" }, u.path.join("::"));
        out.push((u.span.clone(), written, found, ctx));
    }
    out
}

/// How the forbidden item is reached.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A `use`.
    Use,
    /// A `pub use`.
    Reexport,
    /// A path in code.
    Path,
    /// A method call.
    Method,
    /// A field access.
    Field,
    /// An item implementing a trait item.
    TraitItem,
}

/// A finding of `code` at `span`: code of one edition reaching `found`;
/// `None` when no edition's build of the code's kind (tests or not) has
/// `found`, so the line between editions is not what breaks.
pub(super) fn crossing(
    code: Code,
    report: &Report<'_, '_>,
    span: std::ops::Range<usize>,
    written: &str,
    found: &Resolved,
    ctx: Ctx,
    kind: Kind,
) -> Option<Diagnostic> {
    let (inputs, resolver) = (report.inputs, report.resolver);
    if !resolver.built_like(found.res, resolver.view_of(ctx)) {
        return None;
    }
    let to: EditionId = resolver.edition(found.res).unwrap_or(ctx.edition);
    let (from_name, to_name) = (inputs.config.name(ctx.edition), inputs.config.name(to));
    let symbol = resolver.display(found.res);
    let what = match found.res {
        Res::Module(m) if report.tree.modules.get(m).is_some_and(|x| x.parent.is_none()) => "crate",
        Res::Module(_) => "module",
        Res::Item(..) => "item",
        Res::Member(_) => match kind {
            Kind::Field => "field",
            Kind::Method => "method",
            _ => "item",
        },
    };
    let verb = match kind {
        Kind::Use => "imports",
        Kind::Reexport => "re-exports",
        Kind::Path | Kind::Field => "uses",
        Kind::Method => "calls",
        Kind::TraitItem => "implements",
    };
    let mut d = Diagnostic::new(
        code,
        report.sources.at(&report.data.rel, span),
        format!("{from_name} code {verb} {to_name} {what} `{symbol}`"),
    )
    .with_label(format!("{to_name} {what}"))
    .with_edition(from_name)
    .with_target_edition(to_name)
    .with_symbol(symbol.clone());
    if let Some((file, def)) = definition(report.tree, resolver, found.res) {
        if let Some(f) = inputs.files.get(file) {
            let why = match resolver.why(found.res) {
                Some(Why::Gate(g)) => format!(" behind {}", gate_text(inputs, g)),
                Some(Why::Tag) => " by its tag or snippet".to_owned(),
                Some(Why::File(reason)) => format!(" by {reason}"),
                None => String::new(),
            };
            d = d.with_secondary(report.sources.at(&f.rel, def), format!("defined here, in {to_name} code{why}"));
        }
    }
    let chain = chain(report, written, found);
    let gate = gate_text(inputs, to);
    let fix = match kind {
        Kind::Reexport => format!(
            "remove the re-export, or gate it with {gate}; re-exporting leaks {to_name} code into the {from_name} edition's API"
        ),
        _ => format!(
            "it does not exist in the {from_name} edition's build: move this code into the {to_name} edition, gate it with {gate}, or have {to_name} code implement a {from_name} trait and inject it"
        ),
    };
    Some(d.with_help(match chain {
        Some(chain) => format!("reached through re-exports: {chain}; {fix}"),
        None => fix,
    }))
}

/// How to gate code of edition `to`: with its mapped feature, if any.
pub(super) fn gate_text(inputs: &Inputs<'_>, to: EditionId) -> String {
    inputs.config.mapped_feature(to).map_or_else(
        || format!("the feature corefence.toml maps to the {} edition", inputs.config.name(to)),
        |f| format!("`#[cfg(feature = \"{f}\")]`"),
    )
}

/// Where a definition is: its name, or its `mod` declaration (a crate root: its first byte).
pub(super) fn definition(tree: &ModTree, resolver: &Resolver<'_>, res: Res) -> Option<(usize, std::ops::Range<usize>)> {
    match res {
        Res::Item(m, i) => Some((tree.modules.get(m)?.file, resolver.item(m, i)?.span.clone())),
        Res::Member(i) => {
            let info = resolver.members().get(i)?;
            Some((tree.modules.get(info.module)?.file, info.member.name_span.clone()))
        }
        Res::Module(m) => {
            let module = tree.modules.get(m)?;
            module.decl.clone().or(Some((module.file, 0..0)))
        }
    }
}

/// `acme_app → acme_api::Token → acme_ee::Token (re-exported at crates/acme-api/src/lib.rs:1)`,
/// when the path goes through a `use` outside its own file.
fn chain(report: &Report<'_, '_>, written: &str, found: &Resolved) -> Option<String> {
    let foreign: Vec<_> = found.hops.iter().filter(|h| h.file != report.file).collect();
    if foreign.is_empty() {
        return None;
    }
    let tree = report.tree;
    let start = tree
        .file_modules
        .get(&report.file)
        .and_then(|ms| ms.first())
        .and_then(|m| tree.modules.get(*m))
        .and_then(|m| tree.modules.get(m.root))
        .map_or_else(
            || "crate".to_owned(),
            |r| if r.name.is_empty() { report.data.rel.clone() } else { r.name.to_string() },
        );
    let mut parts = vec![start, written.to_owned()];
    for hop in foreign {
        let rel = report.inputs.files.get(hop.file).map_or("", |f| f.rel.as_str());
        let line = report.sources.get(rel).line_col(hop.span.start).line;
        parts.push(format!("{} (re-exported at {rel}:{line})", report.resolver.hop_path(hop)));
    }
    Some(parts.join(" → "))
}
