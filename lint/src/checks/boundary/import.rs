//! `boundary/import`: code of edition A refers to something that does not
//! exist in A's build: an item of an edition A may not use, or anything that
//! only a feature mapped to such an edition brings in (a gated item, variant,
//! field, method or `use`). Every reference is resolved twice (see
//! [`crate::index::resolve`]): in any build, to know it names workspace code,
//! and in the build of its own code's edition, where it must still resolve.
//!
//! References are `use` trees, paths in code (expressions, types, patterns,
//! bounds, `impl Trait for`, attributes, derives, macro paths and names
//! inside macro arguments and format strings, serde attribute strings),
//! single names (a call, a constant, a variant brought in by a glob), method
//! calls and field accesses on receivers whose type is written down
//! somewhere, and the items of an `impl Trait for` block, which must exist in
//! the trait.
//!
//! A `use` is reported where it is written; code using the name it binds is
//! not reported again (rustc binds a failed import too). A `pub use` is
//! reported as `boundary/reexport` instead ([`super::reexport`]).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use crate::diagnostic::{Code, Diagnostic};
use crate::index::modtree::{Inputs, ModId, ModTree, Need};
use crate::index::resolve::{Ctx, Res, Resolved, Resolver, View};
use crate::index::{FileData, Sources};

use super::{behind_crossing, broken_uses, crossing, definition, gate_text, Kind, Report, Trees};
use crate::parse::items::{
    ns, Cfg, Conversion, GatedLocal, Hint, ItemDef, MacroCall, MacroRule, MemberKind, MethodCall, Name, PathRef,
    TyPath, ELEMENT_GETTERS, ELEMENT_ITERS, LOCK_METHODS, MAP_VALUES,
};

/// The files are checked in this many parts, each by one fork of the
/// resolver, in order: a split fixed by the number of files, so that the
/// findings never depend on the number of threads (see
/// [`crate::index::resolve::Forks`]). A fork resolves again what another
/// one did, so fewer, larger parts do less work twice.
const PARTS: usize = 16;

/// The fewest files in a part.
const MIN_FILES_PER_PART: usize = 64;

/// A finding of one file, before the parts are merged.
struct Found {
    diagnostic: Diagnostic,
    /// Found while checking types, in this module and code context.
    typed: Option<(ModId, Ctx)>,
    /// A path in a macro body, by the body's file and span: reported only
    /// where it expands first.
    expanded: Option<(usize, Range<usize>)>,
}

/// What a check of one file looks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wanted {
    /// Its own findings: the file is reported on.
    Whole,
    /// What reported files' findings need of it: the bodies its macro
    /// paths expand (`macros`: a reported file defines a macro, and such
    /// a body's findings are that file's) and the trait paths of its
    /// signatures that stop type checking (`traits`: it shares a target
    /// with a reported file, see [`types_unchecked`]).
    Paths { macros: bool, traits: bool },
}

impl Wanted {
    /// What the check of file `file` looks for, when anything (`reported`
    /// and `macros` as in [`Trees`] and [`Wanted::Paths`], `targets` those
    /// holding a reported file).
    fn of(tree: &ModTree, reported: &[bool], (macros, targets): (bool, &HashSet<ModId>), file: usize) -> Option<Self> {
        if reported.get(file).copied().unwrap_or(false) {
            return Some(Wanted::Whole);
        }
        let traits = targets_of(tree, file).any(|t| targets.contains(&t));
        (macros || traits).then_some(Wanted::Paths { macros, traits })
    }

    /// Whether path `r` of a file's `syntax` is looked at.
    fn path(self, syntax: &crate::parse::items::Syntax, r: &PathRef) -> bool {
        match self {
            Wanted::Whole => true,
            Wanted::Paths { macros, traits } => {
                (macros && r.ns == ns::MACRO) || (traits && syntax.signature_traits.contains(&r.span))
            }
        }
    }
}

/// The targets (their root modules) whose trees hold file `file`.
fn targets_of(tree: &ModTree, file: usize) -> impl Iterator<Item = ModId> + '_ {
    let roots = tree.file_roots(file);
    roots.iter().filter_map(|&r| Some(tree.modules.get(r)?.root))
}

/// What one file's references give.
#[derive(Default)]
struct FileFindings {
    found: Vec<Found>,
    /// Trait paths that stop type checking, with their module and context.
    stops: Vec<(ModId, Ctx)>,
}

/// Checks every `use`, path, method call and trait impl of every file in a
/// module tree: the files in fixed parts on every thread, each part with its
/// own fork of the resolver, then merged in file order.
pub fn check(trees: &Trees<'_, '_>) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let Trees { inputs, tree, resolver, keys, sources, reported } = *trees;
    let reach = inputs.ws.reach();
    let forks = resolver.forks();
    let files: Vec<usize> = (0..inputs.files.len()).collect();
    let reported_files = crate::index::marked(inputs.files, reported);
    let macros = reported_files.clone().any(|(_, data)| data.defines_macros());
    let targets: HashSet<ModId> = reported_files.flat_map(|(f, _)| targets_of(tree, f)).collect();
    let parts: Vec<&[usize]> = files.chunks(files.len().div_ceil(PARTS).max(MIN_FILES_PER_PART)).collect();
    // The largest parts first, each thread taking the next when it is free,
    // so that no large part is left for one thread at the end; the findings
    // go back in part order.
    let size = |part: &[usize]| -> usize {
        part.iter().filter_map(|&f| inputs.files.get(f)).map(|d| d.bodies.as_ref().map_or(0, Vec::len)).sum()
    };
    let mut by_size: Vec<(usize, usize)> = parts.iter().enumerate().map(|(at, part)| (size(part), at)).collect();
    by_size.sort_unstable_by(|a, b| b.cmp(a));
    let mut done: Vec<(usize, Vec<FileFindings>)> = by_size
        .into_iter()
        .par_bridge()
        .filter_map(|(_, at)| {
            let part = parts.get(at)?;
            let resolver = forks.fork();
            // Within a part, a body reported once is not searched again.
            let mut expanded = HashSet::new();
            let check = |&file: &usize| {
                let wanted = Wanted::of(tree, reported, (macros, &targets), file)?;
                Some(file_findings(inputs, tree, (&resolver, keys), sources, (file, wanted), reach, &mut expanded))
            };
            Some((at, part.iter().filter_map(check).collect()))
        })
        .collect();
    done.sort_unstable_by_key(|(at, _)| *at);
    let parts = done.into_iter().map(|(_, part)| part);
    let mut out = Vec::new();
    let mut typed: Vec<(usize, ModId, Ctx)> = Vec::new();
    let mut stops: Vec<(ModId, Ctx)> = Vec::new();
    // A macro body breaks once, however often it expands.
    let mut expanded = HashSet::new();
    for file in parts.into_iter().flatten() {
        stops.extend(file.stops);
        for found in file.found {
            if found.expanded.is_some_and(|key| !expanded.insert(key)) {
                continue;
            }
            if let Some((m, ctx)) = found.typed {
                typed.push((out.len(), m, ctx));
            }
            out.push(found.diagnostic);
        }
    }
    trait_items(inputs, tree, resolver, sources, &mut out);
    let unchecked = |&(_, m, ctx): &(usize, ModId, Ctx)| types_unchecked(tree, resolver, &stops, m, ctx);
    let masked: HashSet<usize> = typed.iter().filter(|t| unchecked(t)).map(|&(i, ..)| i).collect();
    // A file several mods read gives the same finding in each reading
    // where it breaks: once is enough (after the masking, which is per reading).
    let shared: HashSet<&str> = tree
        .file_modules
        .iter()
        .filter(|(_, roots)| roots.len() > 1)
        .filter_map(|(&f, _)| Some(inputs.files.get(f)?.rel.as_str()))
        .collect();
    let mut given = HashSet::new();
    let mut once = |d: &Diagnostic| {
        let path = d.location.file.path.as_str();
        !shared.contains(path) || given.insert((d.code, path.to_owned(), d.location.span.clone(), d.message.clone()))
    };
    out.into_iter().enumerate().filter(|(i, _)| !masked.contains(i)).map(|(_, d)| d).filter(|d| once(d)).collect()
}

/// The findings of one file's `use`s, derives, paths, gated locals, trait
/// needs, conversions and method calls; for a file whose findings are not
/// reported, only what `wanted` says reported files' findings depend on. A
/// file that several `mod`s read (`#[path]`, in one crate or several) is
/// checked in each reading: its names can mean other items in each, and
/// each crate's build can break in it ([`check`] gives a finding several
/// readings give once).
fn file_findings(
    inputs: &Inputs<'_>,
    tree: &ModTree,
    (resolver, keys): (&Resolver<'_>, &crate::index::keys::Keys),
    sources: &Sources<'_>,
    (file, wanted): (usize, Wanted),
    reach: &[Vec<bool>],
    expanded: &mut HashSet<(usize, Range<usize>)>,
) -> FileFindings {
    let mut out = FileFindings::default();
    let whole = wanted == Wanted::Whole;
    let Some(data) = inputs.files.get(file) else { return out };
    let roots = tree.file_roots(file);
    if roots.is_empty() {
        return out;
    }
    // Only a reported file's own findings read its bodies.
    let data = data.completed(&keys.at(tree, file), whole, |rel| sources.read(rel));
    let data = &*data;
    for &root in roots {
        let report = Report { inputs, tree, resolver, sources, data, file, root };
        let reading = reading_findings(&report, wanted, reach, expanded);
        out.stops.extend(reading.stops);
        out.found.extend(reading.found);
    }
    out
}

/// [`file_findings`] in one reading of the file (`report.root`).
fn reading_findings(
    report: &Report<'_, '_>,
    wanted: Wanted,
    reach: &[Vec<bool>],
    expanded: &mut HashSet<(usize, Range<usize>)>,
) -> FileFindings {
    let mut out = FileFindings::default();
    let whole = wanted == Wanted::Whole;
    let (tree, resolver, data, file, root) = (report.tree, report.resolver, report.data, report.file, report.root);
    let plain = |diagnostic| Found { diagnostic, typed: None, expanded: None };
    let typed = |diagnostic, m, ctx| Found { diagnostic, typed: Some((m, ctx)), expanded: None };
    let mut found = Vec::new();
    if whole {
        for m in tree.modules_in_file(root, file) {
            uses(report, m, &mut found);
            derives(report, m, &mut found);
        }
    }
    out.found.extend(found.drain(..).map(plain));
    let arguments = macro_arguments(report);
    for r in data.syntax.refs.iter().filter(|r| !r.local && wanted.path(&data.syntax, r)) {
        let Some(m) = report.module_of(&r.module) else { continue };
        let ctx = match arguments.iter().find(|(args, _)| args.start <= r.span.start && r.span.end <= args.end) {
            // The macro only stringifies its arguments.
            Some((_, None)) => continue,
            Some((_, Some(cfg))) => resolver.ctx_with(m, &r.span, cfg),
            None => resolver.ctx_at(m, &r.span),
        };
        if let Some((d, phase)) = path_ref(report, m, r, ctx) {
            match phase {
                Phase::Types => out.found.push(typed(d, m, ctx)),
                Phase::Resolve if data.syntax.signature_traits.contains(&r.span) => {
                    out.stops.push((m, ctx));
                    out.found.push(plain(d));
                }
                Phase::Resolve => out.found.push(plain(d)),
            }
        } else if r.ns == ns::MACRO {
            expansion(report, m, r, ctx, expanded, &mut out.found);
        }
    }
    if !whole {
        return out;
    }
    for read in &data.syntax.gated_locals {
        let Some(m) = report.module_of(&read.module) else { continue };
        out.found.extend(gated_local(report, m, read).map(plain));
    }
    for need in &data.syntax.trait_uses {
        let Some(m) = report.module_of(&need.module) else { continue };
        let ctx = resolver.ctx_at(m, &need.span);
        let Some(owner) = type_of(resolver, m, &need.receiver, None, resolver.view_of(ctx)) else { continue };
        if let Some(d) = unimplemented(report, owner, &need.traits, &need.span, ctx) {
            out.found.push(typed(d, m, ctx));
        }
    }
    for converted in &data.syntax.conversions {
        let Some(m) = report.module_of(&converted.module) else { continue };
        if let Some(d) = conversion(report, m, converted) {
            out.found.push(typed(d, m, resolver.ctx_at(m, &converted.span)));
        }
    }
    for call in &data.syntax.method_calls {
        let Some(m) = report.module_of(&call.module) else { continue };
        let found = method_call(report, m, call, reach)
            .or_else(|| std_needs(report, m, call))
            .or_else(|| pushed_object(report, m, call));
        if let Some(d) = found {
            out.found.push(typed(d, m, resolver.ctx_at(m, &call.span)));
        }
    }
    out
}

/// When rustc reports a finding: while resolving names, or while checking
/// types, which it does only for a crate whose names all resolved.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Name resolution: a path, `use` or name that does not resolve.
    Resolve,
    /// Type checking: a member, method, field or trait impl a type lacks.
    Types,
}

/// Whether rustc never checks the types of code of context `ctx` in module
/// `m`: a trait path in an item signature of the same crate (a bound, a
/// supertrait, `impl Trait for`, a `dyn Trait` parameter) fails to resolve
/// in the same build, and rustc stops before type checking. A failure only
/// the unit-test build compiles stops only that build.
fn types_unchecked(tree: &ModTree, resolver: &Resolver<'_>, stops: &[(ModId, Ctx)], m: ModId, ctx: Ctx) -> bool {
    let root = |m: ModId| tree.modules.get(m).map(|x| x.root);
    let edition = resolver.view_of(ctx).edition();
    stops.iter().any(|&(sm, stop)| {
        root(sm) == root(m)
            && resolver.view_of(stop).edition() == edition
            && (stop.gate.plain != Need::Never || ctx.gate.plain == Need::Never)
    })
}

fn uses(report: &Report<'_, '_>, m: ModId, out: &mut Vec<Diagnostic>) {
    for (span, written, found, ctx) in broken_uses(report, m, false) {
        out.extend(finding(report, span, &written, &found, ctx, Kind::Use));
    }
}

/// A `boundary/import` finding.
fn finding(
    report: &Report<'_, '_>,
    span: Range<usize>,
    written: &str,
    found: &Resolved,
    ctx: Ctx,
    kind: Kind,
) -> Option<Diagnostic> {
    crossing(Code::BoundaryImport, report, span, written, found, ctx, kind)
}

/// `#[derive(Clone)]` on a type needs `Clone` of each field's type: a
/// finding at a field whose type derives or implements it only in builds
/// the derive's build lacks.
fn derives(report: &Report<'_, '_>, m: ModId, out: &mut Vec<Diagnostic>) {
    let resolver = report.resolver;
    let Some(body) = resolver.body(m) else { return };
    for item in body.items.iter().filter(|it| !it.derives.is_empty()) {
        let fields = item.members.iter().flat_map(|x| std::iter::once(x).chain(&x.fields));
        for field in fields.filter(|x| x.kind == MemberKind::Field) {
            let Some(ty) = field.ty.as_ref().and_then(|t| resolver.type_res(m, t, None)) else { continue };
            for (name, span) in &item.derives {
                let ctx = resolver.ctx_at(m, span);
                // A field the derive's build lacks asks nothing of it.
                if !resolver.holds(resolver.view_of(ctx), resolver.ctx_at(m, &field.span)) {
                    continue;
                }
                if let Some(d) = unimplemented(report, ty, std::slice::from_ref(name), &field.span, ctx) {
                    out.push(d);
                    break;
                }
            }
        }
    }
}

/// A path in code: a finding when it resolves in some build but not in the
/// build of its code.
fn path_ref(report: &Report<'_, '_>, m: ModId, r: &PathRef, ctx: Ctx) -> Option<(Diagnostic, Phase)> {
    let view = report.resolver.view_of(ctx);
    let resolve = |view: View| resolve_ref(report.resolver, m, r, view);
    let Some(found) = resolve(View::Any) else {
        return gated_import(report, m, r, ctx, view).map(|d| (d, Phase::Resolve));
    };
    if let Some(here) = resolve(view) {
        let found = qualified_impl(report, m, r, view, ctx)
            .or_else(|| call_arity(report, m, here.res, &r.span, ctx))
            .or_else(|| turbofish_bounds(report, m, here.res, &r.span, ctx))
            .or_else(|| argument_bounds(report, m, here.res, &r.span, ctx))
            .or_else(|| expected_bounds(report, m, here.res, &r.span, ctx));
        return found.map(|d| (d, Phase::Types));
    }
    // A name a `use` of this module binds, in this build: that `use` is
    // where rustc stops (and reports, if it fails).
    let head = r.segments.first()?;
    let in_scope = scope_name(r);
    if in_scope.is_some_and(|head| {
        report.resolver.imports(m, head, view)
            && report.resolver.resolve(m, std::slice::from_ref(head), false, ns::ANY, view).is_none()
    }) {
        return None;
    }
    // A name a `use` of the crate's module the path leads to binds, in
    // this build: that `use` failed, and rustc reports only it. (Another
    // crate's failed `use` stops that crate's build: the path is reported
    // with the chain of re-exports.)
    if let Some((last, prefix)) = r.segments.split_last().filter(|(_, p)| !p.is_empty()) {
        let through = report.resolver.resolve(m, prefix, r.global, ns::TYPE, view);
        let tree = report.tree;
        let same_crate = |x: ModId| tree.modules.get(x).map(|x| x.root) == tree.modules.get(m).map(|m| m.root);
        if let Some(Res::Module(x)) = through.map(|t| t.res).filter(|r| matches!(r, Res::Module(x) if same_crate(*x))) {
            if report.resolver.imports(x, last, view) {
                return None;
            }
        }
    }
    if behind_crossing(report, &found) {
        return None;
    }
    // In this build the name falls back to std's prelude (`drop`,
    // `println!`) or to what a glob of a crate outside the workspace brings.
    if in_scope.is_some_and(|h| std_prelude().contains(h.as_str()) || report.resolver.maybe_imported(m, h, view)) {
        return None;
    }
    // `Self` in an `impl` of a type the build lacks: rustc reports the
    // impl's header, not each use of `Self` inside it.
    if head == "Self" && r.self_ty.as_deref().is_some_and(|own| report.resolver.type_in(m, own, None, view).is_none()) {
        return None;
    }
    let written = format!("{}{}", if r.global { "::" } else { "" }, r.segments.join("::"));
    // A member of a type the build has (`Plan::Team`, `Server::SEATS`):
    // rustc finds it missing while checking types.
    let owner = match found.res {
        Res::Member(i) => report.resolver.members().get(i).and_then(|info| info.owner),
        _ => None,
    };
    let phase = if owner.is_some_and(|o| report.resolver.present(o, view)) { Phase::Types } else { Phase::Resolve };
    finding(report, r.span.clone(), &written, &found, ctx, Kind::Path).map(|d| (d, phase))
}

/// A path's first segment when it is a name looked up in scope: not after a
/// leading `::`, and not `crate`, `self`, `super`, `Self` or `$crate`.
fn scope_name(r: &PathRef) -> Option<&Name> {
    let head = r.segments.first()?;
    (!r.global && !matches!(head.as_str(), "crate" | "self" | "super" | "Self" | "$crate")).then_some(head)
}

/// A `macro_rules!` macro expanded at `r`: the paths of its bodies resolve
/// there (`$crate` in the macro's crate), in the build of the code that
/// expands it; rustc reports the ones that break in the macro's body.
fn expansion(
    report: &Report<'_, '_>,
    m: ModId,
    r: &PathRef,
    ctx: Ctx,
    seen: &mut HashSet<(usize, std::ops::Range<usize>)>,
    out: &mut Vec<Found>,
) {
    let resolver = report.resolver;
    let view = resolver.view_of(ctx);
    let Some(Resolved { res: Res::Item(def_m, index), .. }) = resolve_ref(resolver, m, r, view) else { return };
    let Some(def) = resolver.item(def_m, index).filter(|d| !d.expands.is_empty()) else { return };
    let Some(file) = report.tree.modules.get(def_m).map(|x| x.file) else { return };
    let Some(data) = report.inputs.files.get(file) else { return };
    let Some(root) = report.tree.module_of(file, &[]) else { return };
    let at_definition = Report { data, file, root, ..*report };
    // Only the rules this invocation may match expand here.
    let rules = matching_rules(data, def, invocation(report.data, &r.span));
    let expands = |b: &&PathRef| {
        rules
            .as_ref()
            .is_none_or(|rules| rules.iter().any(|rule| rule.body.start <= b.span.start && b.span.end <= rule.body.end))
    };
    for written in def.expands.iter().filter(|b| !b.local).filter(expands) {
        if seen.contains(&(file, written.span.clone())) {
            continue;
        }
        let in_macro_crate;
        let (from, expanded) = match written.segments.split_first() {
            Some((head, rest)) if head == "$crate" => {
                let segments = std::iter::once(Name::const_new("crate")).chain(rest.iter().cloned()).collect();
                in_macro_crate = PathRef { segments, ..written.clone() };
                (def_m, &in_macro_crate)
            }
            _ => (m, written),
        };
        // A part of the body under `#[cfg(..)]` is not in every build.
        if !resolver.holds(view, resolver.ctx_at(def_m, &written.span)) {
            continue;
        }
        let Some(found) = resolve_ref(resolver, from, expanded, View::Any) else { continue };
        if resolve_ref(resolver, from, expanded, view).is_some() {
            continue;
        }
        seen.insert((file, written.span.clone()));
        let text = written.segments.join("::");
        let Some(diagnostic) = finding(&at_definition, written.span.clone(), &text, &found, ctx, Kind::Path) else {
            continue;
        };
        out.push(Found { diagnostic, typed: None, expanded: Some((file, written.span.clone())) });
    }
}

/// The rules of a macro an invocation with arguments `text` (unknown when
/// `None`) may match, in order: up to the first whose literal pattern is
/// exactly the arguments; a literal pattern that differs never matches.
fn matching<'r>(rules: &'r [MacroRule], text: Option<&str>) -> Vec<&'r MacroRule> {
    let mut out = Vec::new();
    for rule in rules {
        match (&rule.literal, text) {
            (Some(literal), Some(text)) if literal == text => {
                out.push(rule);
                break;
            }
            (Some(_), Some(_)) => {}
            _ => out.push(rule),
        }
    }
    out
}

/// The rules of macro `def` (defined in the file of `def_data`) that an
/// invocation may match (all of them when its arguments are unknown);
/// `None` when the definition holds no rules.
fn matching_rules<'d>(def_data: &'d FileData, def: &ItemDef, call: Option<&MacroCall>) -> Option<Vec<&'d MacroRule>> {
    let (_, rules) = def_data.syntax.macro_rules.iter().find(|(name, _)| *name == def.span)?;
    Some(matching(rules, call.and_then(|c| c.text.as_deref())))
}

/// The invocation of the macro whose path is at `path`.
fn invocation<'d>(data: &'d FileData, path: &Range<usize>) -> Option<&'d MacroCall> {
    // Recorded in source order: a file's many invocations cost a search each.
    let calls = &data.syntax.macro_calls;
    calls.get(calls.partition_point(|c| c.path.end < path.end)).filter(|c| c.path.end == path.end)
}

/// The arguments of this file's invocations of workspace macros whose
/// matching rules all only stringify them (`None`: they are not code) or
/// all put them under one `#[cfg(..)]` (they are gated by it).
fn macro_arguments(report: &Report<'_, '_>) -> Vec<(Range<usize>, Option<Cfg>)> {
    let (tree, resolver, data) = (report.tree, report.resolver, report.data);
    let mut out = Vec::new();
    for r in data.syntax.refs.iter().filter(|r| r.ns == ns::MACRO) {
        let Some(call) = invocation(data, &r.span) else { continue };
        let Some(m) = report.module_of(&r.module) else { continue };
        let Some(Resolved { res: Res::Item(def_m, index), .. }) = resolve_ref(resolver, m, r, View::Any) else {
            continue;
        };
        let Some(def) = resolver.item(def_m, index) else { continue };
        let Some(def_data) = tree.modules.get(def_m).and_then(|x| report.inputs.files.get(x.file)) else { continue };
        let Some(rules) = matching_rules(def_data, def, Some(call)) else { continue };
        let Some(first) = rules.first() else { continue };
        if rules.iter().all(|rule| rule.opaque) {
            out.push((call.args.clone(), None));
        } else if let Some(cfg) =
            first.gate.as_ref().filter(|c| rules.iter().all(|rule| rule.gate.as_ref() == Some(*c)))
        {
            out.push((call.args.clone(), Some(cfg.clone())));
        }
    }
    out
}

/// A read of a variable bound under a gate (a `#[cfg]` `let` or parameter):
/// a finding when the build of the reading code lacks the gate's edition.
fn gated_local(report: &Report<'_, '_>, m: ModId, read: &GatedLocal) -> Option<Diagnostic> {
    let (inputs, resolver) = (report.inputs, report.resolver);
    let ctx = report.resolver.ctx_at(m, &read.span);
    if read.others.iter().any(|other| resolver.holds(resolver.view_of(ctx), resolver.ctx_at(m, other))) {
        return None;
    }
    let view = resolver.view_of(ctx).edition()?;
    let bound = report.resolver.ctx_at(m, &read.binding);
    let to = bound.gate.edition()?;
    if inputs.config.may_use(view, to) {
        return None;
    }
    let (from_name, to_name) = (inputs.config.name(ctx.edition), inputs.config.name(to));
    let gate = gate_text(inputs, to);
    Some(
        Diagnostic::new(
            Code::BoundaryImport,
            report.sources.at(&report.data.rel, read.span.clone()),
            format!("{from_name} code reads `{}`, which only the {to_name} build binds", read.name),
        )
        .with_label(format!("bound only in the {to_name} build"))
        .with_secondary(report.sources.at(&report.data.rel, read.binding.clone()), format!("bound under {gate}"))
        .with_edition(from_name)
        .with_target_edition(to_name)
        .with_symbol(read.name.clone())
        .with_help(format!(
            "it does not exist in the {from_name} edition's build: gate this code with {gate} too, or bind `{}` in every build",
            read.name
        )),
    )
}

/// A name from outside the workspace (`HashMap`, a dependency's macro)
/// that only a gated `use` brings in: a finding when the build of the
/// code lacks the gate's edition and the prelude has no such name.
fn gated_import(report: &Report<'_, '_>, m: ModId, r: &PathRef, ctx: Ctx, view: View) -> Option<Diagnostic> {
    let (inputs, resolver) = (report.inputs, report.resolver);
    let head = scope_name(r)?;
    if std_prelude().contains(head.as_str()) {
        return None;
    }
    let (scope, u) = resolver.gated_import(m, head, view)?;
    let to = resolver.view_of(resolver.ctx_at(scope, &u.item_span)).edition()?;
    let (from_name, to_name) = (inputs.config.name(ctx.edition), inputs.config.name(to));
    let gate = gate_text(inputs, to);
    let imported = u.path.join("::");
    Some(
        Diagnostic::new(
            Code::BoundaryImport,
            report.sources.at(&report.data.rel, r.span.clone()),
            format!("{from_name} code uses `{head}`, which only the {to_name} build imports"),
        )
        .with_label(format!("imported only in the {to_name} build"))
        .with_secondary(report.sources.at(report.rel_of(scope), u.span.clone()), format!("imported under {gate}"))
        .with_edition(from_name)
        .with_target_edition(to_name)
        .with_symbol(imported.clone())
        .with_help(format!(
            "it is not in scope in the {from_name} edition's build: gate this code with {gate} too, or import `{imported}` in every build"
        )),
    )
}

/// `make::<Seat>()` for `fn make<T: Default>()`: each type argument must
/// implement its parameter's traits in the build of the code; a finding
/// when the type has impls or derives of one, and the build has none.
fn turbofish_bounds(
    report: &Report<'_, '_>,
    m: ModId,
    res: Res,
    callee: &Range<usize>,
    ctx: Ctx,
) -> Option<Diagnostic> {
    let (inputs, resolver) = (report.inputs, report.resolver);
    let (file, name) = definition(report.tree, resolver, res)?;
    let (_, bounds) = inputs.files.get(file)?.syntax.bounded_fns.iter().find(|(n, _)| *n == name)?;
    let call = report.data.syntax.calls.iter().find(|c| c.callee == *callee)?;
    call.turbofish.iter().zip(bounds).find_map(|(ty, traits)| {
        let owner = resolver.type_res(m, ty, None)?;
        traits.iter().find_map(|t| unimplemented(report, owner, std::slice::from_ref(t), callee, ctx))
    })
}

/// `let s: Seat = make();` for `fn make<T: Default>() -> T`: the type the
/// `let` asks for must implement the return type's traits.
fn expected_bounds(report: &Report<'_, '_>, m: ModId, res: Res, callee: &Range<usize>, ctx: Ctx) -> Option<Diagnostic> {
    let (inputs, resolver) = (report.inputs, report.resolver);
    let (_, ty) = report.data.syntax.expected.iter().find(|(c, _)| c == callee)?;
    let (file, name) = definition(report.tree, resolver, res)?;
    let (_, traits) = inputs.files.get(file)?.syntax.bounded_returns.iter().find(|(n, _)| *n == name)?;
    let owner = resolver.type_in(m, ty, None, resolver.view_of(ctx))?;
    traits.iter().find_map(|t| unimplemented(report, owner, std::slice::from_ref(t), callee, ctx))
}

/// `probe(&ldap)` for `fn probe<P: Provider>(p: &P)` (or `p: impl
/// Provider`, `p: &dyn Provider`): each argument's type must implement its
/// parameter's traits in the build of the code. A method called by path
/// (`Type::method(x, ..)`) takes its receiver as the first argument.
fn argument_bounds(report: &Report<'_, '_>, m: ModId, res: Res, callee: &Range<usize>, ctx: Ctx) -> Option<Diagnostic> {
    let (inputs, resolver) = (report.inputs, report.resolver);
    let (file, name) = definition(report.tree, resolver, res)?;
    let (_, params) = inputs.files.get(file)?.syntax.bounded_params.iter().find(|(n, _)| *n == name)?;
    let by_path = !report.data.syntax.method_calls.iter().any(|c| c.span == *callee);
    let takes_self = matches!(res, Res::Member(i) if resolver.members().get(i)
        .is_some_and(|x| x.member.kind == MemberKind::Fn { method: true }));
    let skip = usize::from(by_path && takes_self);
    let view = resolver.view_of(ctx);
    report.data.syntax.arguments.iter().filter(|a| a.callee == *callee).find_map(|a| {
        let traits = params.get(a.index.checked_sub(skip)?)?;
        let owner = type_of(resolver, m, &a.value, None, view)?;
        traits.iter().find_map(|t| unimplemented(report, owner, std::slice::from_ref(t), &a.span, ctx))
    })
}

/// A call of a function some of whose parameters are gated: a finding when
/// the build of the code gives the function a different number of
/// parameters than the call passes arguments.
fn call_arity(report: &Report<'_, '_>, m: ModId, res: Res, callee: &Range<usize>, ctx: Ctx) -> Option<Diagnostic> {
    let (inputs, resolver) = (report.inputs, report.resolver);
    let view = resolver.view_of(ctx);
    let (file, name) = definition(report.tree, resolver, res)?;
    let def = inputs.files.get(file)?;
    let sig = def.syntax.gated_signatures.iter().find(|s| s.name == name)?;
    let missing: Vec<(&Range<usize>, Ctx)> = sig
        .gated
        .iter()
        .filter_map(|p| Some((p, resolver.ctx_in(res, p)?)))
        .filter(|(_, c)| !resolver.holds(view, *c))
        .collect();
    let &(param, param_ctx) = missing.first()?;
    let takes = sig.params.saturating_sub(missing.len());
    let call = report.data.syntax.calls.iter().find(|c| c.callee == *callee)?;
    let args = call.args - call.gated.iter().filter(|a| !resolver.holds(view, resolver.ctx_at(m, a))).count();
    if args == takes {
        return None;
    }
    let to = resolver.view_of(param_ctx).edition()?;
    let (from_name, to_name) = (inputs.config.name(ctx.edition), inputs.config.name(to));
    let symbol = resolver.display(res);
    let gate = gate_text(inputs, to);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    Some(
        Diagnostic::new(
            Code::BoundaryImport,
            report.sources.at(&report.data.rel, callee.clone()),
            format!(
                "{from_name} code passes `{symbol}` {args} argument{}, which only the {to_name} build's `{symbol}` takes; the {from_name} build's takes {takes}",
                plural(args)
            ),
        )
        .with_label(format!("{args} argument{}", plural(args)))
        .with_secondary(
            report.sources.at(&def.rel, param.clone()),
            format!("this parameter exists only in the {to_name} build"),
        )
        .with_edition(from_name)
        .with_target_edition(to_name)
        .with_symbol(symbol)
        .with_help(format!("gate this call with {gate}, or give the {from_name} build a call without the gated argument")),
    )
}

/// `<T as Trait>::f`: `T` must implement the trait in the build of the code.
fn qualified_impl(report: &Report<'_, '_>, m: ModId, r: &PathRef, view: View, ctx: Ctx) -> Option<Diagnostic> {
    let resolver = report.resolver;
    let qself = r.qself.as_ref()?;
    let ty = resolver.type_res(m, qself, r.self_ty.as_deref())?;
    let trait_len = r.segments.len().checked_sub(1)?;
    let of_trait = resolver.resolve(m, r.segments.get(..trait_len)?, r.global, ns::TYPE, View::Any)?.res;
    let impls: Vec<usize> = resolver
        .members_of(ty)
        .iter()
        .copied()
        .filter(|&i| resolver.members().get(i).is_some_and(|info| info.of_trait == Some(of_trait)))
        .collect();
    let first = *impls.first()?;
    if impls.iter().any(|&i| resolver.present(Res::Member(i), view)) {
        return None;
    }
    let found = Resolved { res: Res::Member(first), hops: Vec::new() };
    let written = format!("<{} as {}>", qself.segments.join("::"), r.segments.get(..trait_len)?.join("::"));
    finding(report, r.span.clone(), &written, &found, ctx, Kind::Path)
}

/// Resolves a reference, `Self` standing for its impl's type.
fn resolve_ref(resolver: &Resolver<'_>, m: ModId, r: &PathRef, view: View) -> Option<Resolved> {
    if r.segments.first().is_some_and(|s| s == "Self") {
        let own = r.self_ty.as_deref()?;
        let mut res = resolver.type_res(m, own, None)?;
        for (i, seg) in r.segments.iter().enumerate().skip(1) {
            let ns = if i + 1 == r.segments.len() { r.ns } else { ns::TYPE };
            let found = resolver.members_named(res, seg, ns);
            res = Res::Member(found.iter().copied().find(|&i| resolver.present(Res::Member(i), view))?);
        }
        return resolver.present(res, view).then_some(Resolved { res, hops: Vec::new() });
    }
    resolver.resolve(m, &r.segments, r.global, r.ns, view)
}

/// The std traits corefence knows, and the methods implementing one gives a
/// type (`x.to_string()` exists because of `impl Display`).
const STD_TRAIT_METHODS: &[(&str, &[&str])] = &[
    ("Display", &["to_string"]),
    ("Default", &["default"]),
    ("Clone", &["clone", "clone_from"]),
    ("PartialEq", &["eq", "ne"]),
    ("PartialOrd", &["partial_cmp", "lt", "le", "gt", "ge"]),
    ("Ord", &["cmp", "max", "min", "clamp"]),
    ("Hash", &["hash"]),
    ("Iterator", &["next"]),
    ("From", &["from"]),
    ("Into", &["into"]),
    ("AsRef", &["as_ref"]),
    ("Deref", &["deref"]),
    ("Drop", &["drop"]),
    ("FromStr", &["from_str"]),
    ("Debug", &["fmt"]),
];

/// A method call or field access on a receiver: a finding when every method
/// (or field) of that name its type has is missing from the code's build.
fn method_call(report: &Report<'_, '_>, m: ModId, call: &MethodCall, reach: &[Vec<bool>]) -> Option<Diagnostic> {
    let resolver = report.resolver;
    let ctx = report.resolver.ctx_at(m, &call.span);
    let view = resolver.view_of(ctx);
    let typed = |view: View| call.receiver.as_ref().and_then(|h| type_of(resolver, m, h, call.self_ty.as_ref(), view));
    let owner = typed(view);
    // The receiver's type is missing from the build: rustc reports the
    // type (or the call that produced it), not what is done with the value.
    if owner.is_none() && typed(View::Any).is_some() {
        return None;
    }
    // `Arc::clone` and `Rc::clone` need nothing of the value's type.
    if call.name == "clone"
        && call.receiver.as_ref().is_some_and(|h| shared(resolver, m, h, call.self_ty.as_ref(), view))
    {
        return None;
    }
    let caller = report.tree.modules.get(m).and_then(|x| x.krate);
    let reachable = |i: usize| {
        let Some(info) = resolver.members().get(i) else { return false };
        let defined_in = report.tree.modules.get(info.module).and_then(|x| x.krate);
        match (caller, defined_in) {
            // A member only its crate can name is never another crate's.
            (Some(a), Some(b)) if a != b && info.member.local => false,
            (Some(a), Some(b)) => reach.get(a).and_then(|r| r.get(b)).copied().unwrap_or(false),
            (a, b) => a == b,
        }
    };
    // A name on a receiver of unknown type (or one with no such member in
    // any build): only a field or method that nothing but code of other
    // editions declares, and that std does not have, is taken for theirs.
    let by_name = || -> Vec<usize> {
        let common = if call.field {
            STD_FIELDS.contains(&call.name.as_str()) || call.name.parse::<usize>().is_ok()
        } else {
            std_methods().contains(call.name.as_str())
        };
        // A macro may give some type a member of that name.
        if common || resolver.macro_member(&call.name) {
            return Vec::new();
        }
        resolver
            .members_called(&call.name)
            .iter()
            .copied()
            .filter(|&i| {
                resolver.members().get(i).is_some_and(|info| match info.member.kind {
                    MemberKind::Field => call.field,
                    MemberKind::Fn { method } => method && !call.field,
                    _ => false,
                }) && reachable(i)
            })
            .collect()
    };
    let own = match owner {
        Some(owner) if call.field && call.name.parse::<usize>().is_ok() => {
            return tuple_field(report, owner, call, ctx, view);
        }
        Some(owner) => owned_candidates(resolver, owner, call),
        None => {
            let foreign = foreign_candidates(resolver, m, call, view);
            // A type written down that is not the workspace's (a dependency's,
            // or one a macro declares): its other members are unknown.
            if foreign.is_empty() && matches!(call.receiver, Some(Hint::Type(_) | Hint::Unwrapped(_))) {
                return None;
            }
            foreign
        }
    };
    let known = !own.is_empty();
    // A method of the type a `Deref` impl leads to (`Account::quota` on a
    // `Tenant`), present in this build.
    let through_deref = || {
        let target = owner.and_then(|owner| deref_target(resolver, owner, view));
        let reached = target.map(|t| owned_candidates(resolver, t, call)).unwrap_or_default();
        reached.iter().any(|&i| resolver.present(Res::Member(i), view))
    };
    // Only through `Deref`: that impl must be in the build.
    if let (false, Some(owner), false) = (known, owner, call.field) {
        if through_deref() {
            return unimplemented(report, owner, &[Name::const_new("Deref")], &call.span, ctx);
        }
    }
    let candidates = if known { by_argument(report, m, call, own) } else { by_name() };
    let first = *candidates.first()?;
    // The type's own methods of that name are gone from this build, and
    // auto-deref reaches the target's.
    if known && !call.field && !candidates.iter().any(|&i| resolver.present(Res::Member(i), view)) && through_deref() {
        return None;
    }
    if let Some(&here) = candidates.iter().find(|&&i| resolver.present(Res::Member(i), view)) {
        let known = known && !call.field;
        if !known {
            return None;
        }
        return trait_out_of_scope(report, m, &candidates, call, ctx)
            .or_else(|| call_arity(report, m, Res::Member(here), &call.span, ctx))
            .or_else(|| argument_bounds(report, m, Res::Member(here), &call.span, ctx));
    }
    let found = Resolved { res: Res::Member(first), hops: Vec::new() };
    let written = format!(".{}", call.name);
    let kind = if call.field { Kind::Field } else { Kind::Method };
    finding(report, call.span.clone(), &written, &found, ctx, kind)
}

/// Methods of std collections that need traits of their keys or elements:
/// the collections, the methods, whether the map's key (else the element)
/// needs them, and the traits.
type StdNeed = (&'static [&'static str], &'static [&'static str], bool, &'static [&'static str]);

/// See [`StdNeed`].
const STD_NEEDS: &[StdNeed] = &[
    (
        &["HashMap"],
        &["insert", "get", "get_mut", "contains_key", "remove", "entry", "get_key_value", "remove_entry"],
        true,
        &["Hash", "Eq"],
    ),
    (&["HashSet"], &["insert", "contains", "remove", "get", "take", "replace"], false, &["Hash", "Eq"]),
    (
        &["BTreeMap"],
        &["insert", "get", "get_mut", "contains_key", "remove", "entry", "get_key_value", "remove_entry"],
        true,
        &["Ord"],
    ),
    (&["BTreeSet"], &["insert", "contains", "remove", "get", "take", "replace"], false, &["Ord"]),
    (&["Vec", "[]", "VecDeque"], &["sort", "sort_unstable", "binary_search"], false, &["Ord"]),
    (&["Vec", "[]", "VecDeque"], &["contains", "dedup"], false, &["PartialEq"]),
    (&["Iterator"], &["max", "min"], false, &["Ord"]),
];

/// `set.insert(id)` on a `HashSet<TenantId>`: std's method needs the
/// element's `Hash` and `Eq` (a map's key's; `Ord` for a B-tree), which
/// must be implemented in the build of the code.
fn std_needs(report: &Report<'_, '_>, m: ModId, call: &MethodCall) -> Option<Diagnostic> {
    let needs = STD_NEEDS.iter().filter(|(_, methods, ..)| methods.contains(&call.name.as_str()));
    let mut needs = needs.peekable();
    needs.peek()?;
    let resolver = report.resolver;
    let ctx = resolver.ctx_at(m, &call.span);
    let view = resolver.view_of(ctx);
    let (written_in, ty) = declared(resolver, m, call.receiver.as_ref()?, call.self_ty.as_ref(), view)?;
    let collection = ty.segments.last()?;
    let (_, _, key, traits) = needs.find(|(types, ..)| types.contains(&collection.as_str()))?;
    let of = if *key { ty.arg.as_deref()? } else { ty.ok.as_deref()? };
    let owner = resolver.type_in(written_in, of, None, view)?;
    traits.iter().find_map(|t| unimplemented(report, owner, &[Name::from(*t)], &call.span, ctx))
}

/// `dirs.push(Box::new(Ldap { .. }))` into a `Vec<Box<dyn Directory>>`:
/// the value coerces to the trait object only where its type implements
/// the trait.
fn pushed_object(report: &Report<'_, '_>, m: ModId, call: &MethodCall) -> Option<Diagnostic> {
    if !matches!(call.name.as_str(), "push" | "push_back" | "push_front") {
        return None;
    }
    let resolver = report.resolver;
    let ctx = resolver.ctx_at(m, &call.span);
    let view = resolver.view_of(ctx);
    let (_, collection) = declared(resolver, m, call.receiver.as_ref()?, call.self_ty.as_ref(), view)?;
    let element = collection.ok.filter(|e| e.object)?;
    let name = element.segments.last()?;
    let arg = report.data.syntax.arguments.iter().find(|a| a.callee == call.span && a.index == 0)?;
    let owner = type_of(resolver, m, &arg.value, call.self_ty.as_ref(), view)?;
    unimplemented(report, owner, std::slice::from_ref(name), &arg.span, ctx)
}

/// The fields or methods named like `call` that the type `owner` has,
/// through its definition, its impls, and std traits its impls implement.
/// Public fields of std types (`Range`, `process::Output`): a field of
/// that name on an unknown receiver may be theirs.
const STD_FIELDS: &[&str] = &["start", "end", "status", "stdout", "stderr"];

/// Code that needs type `owner` to implement one of `traits` (an
/// operator, a `for` loop, `{}`, auto-deref): a finding when the type has
/// such impls or derives, and the code's build has none of them.
fn unimplemented(
    report: &Report<'_, '_>,
    owner: Res,
    traits: &[Name],
    span: &Range<usize>,
    ctx: Ctx,
) -> Option<Diagnostic> {
    let (inputs, resolver) = (report.inputs, report.resolver);
    let view = resolver.view_of(ctx);
    let impls: Vec<&(Name, ModId, Range<usize>)> =
        resolver.trait_impls(owner).iter().filter(|(name, ..)| traits.contains(name)).collect();
    let &&(ref name, module, ref place) = impls.first()?;
    if impls.iter().any(|(_, m, span)| resolver.holds(view, resolver.ctx_at(*m, span))) {
        return None;
    }
    let View::In(to) = resolver.view_of(resolver.ctx_at(module, place)) else { return None };
    let (from_name, to_name) = (inputs.config.name(ctx.edition), inputs.config.name(to));
    let ty = resolver.display(owner);
    let def = report.tree.modules.get(module).and_then(|x| inputs.files.get(x.file))?;
    let gate = gate_text(inputs, to);
    Some(
        Diagnostic::new(
            Code::BoundaryImport,
            report.sources.at(&report.data.rel, span.clone()),
            format!("{from_name} code needs `{ty}: {name}`, which only the {to_name} build implements"),
        )
        .with_label(format!("needs `{name}`"))
        .with_secondary(report.sources.at(&def.rel, place.clone()), format!("implemented only in the {to_name} build"))
        .with_edition(from_name)
        .with_target_edition(to_name)
        .with_symbol(format!("{ty}: {name}"))
        .with_help(format!(
            "it does not exist in the {from_name} edition's build: gate this code with {gate} too, or implement `{name}` in every build"
        )),
    )
}

/// A conversion with `From` (`expr?` into the function's error type,
/// `T::from(x)`, `x.into()`): an impl only another build has leaves the
/// code without it.
fn conversion(report: &Report<'_, '_>, m: ModId, conversion: &Conversion) -> Option<Diagnostic> {
    let resolver = report.resolver;
    let ctx = resolver.ctx_at(m, &conversion.span);
    let view = resolver.view_of(ctx);
    let (into_module, into) = if conversion.into_error {
        error_type(resolver, m, &conversion.into, view)?
    } else {
        (m, conversion.into.clone())
    };
    let target = resolver.type_in(into_module, &into, None, view)?;
    // A type of the workspace by its name, another by the name it is declared with.
    let from = match type_of(resolver, m, &conversion.from, None, view) {
        Some(Res::Item(fm, fi)) => Res::Item(fm, fi),
        Some(_) => return None,
        None => {
            let (from_module, ty) = declared(resolver, m, &conversion.from, None, view)?;
            match resolver.type_in(from_module, &ty, None, view) {
                Some(res) => res,
                None => {
                    return unimplemented(
                        report,
                        target,
                        &[compact_str::format_compact!("From<{}>", ty.segments.last()?)],
                        &conversion.span,
                        ctx,
                    )
                }
            }
        }
    };
    let Res::Item(fm, fi) = from else { return None };
    if from == target {
        return None;
    }
    let name = compact_str::format_compact!("From<{}>", resolver.item(fm, fi)?.name);
    unimplemented(report, target, &[name], &conversion.span, ctx)
}

/// The error type of a `Result` written in module `m`, and the module it
/// is written in: `E` of `Result<T, E>`, or of the alias `Result<T>` stands for.
fn error_type(resolver: &Resolver<'_>, m: ModId, ty: &TyPath, view: View) -> Option<(ModId, TyPath)> {
    if ty.segments.last()? != "Result" {
        return None;
    }
    if let Some(err) = &ty.arg {
        return Some((m, (**err).clone()));
    }
    let Res::Item(am, ai) = resolver.resolve(m, &ty.segments, ty.global, ns::TYPE, view)?.res else { return None };
    let alias = resolver.item(am, ai)?.alias.as_ref()?;
    Some((am, (**alias.arg.as_ref()?).clone()))
}

/// `x.2` on a tuple struct: in a build without some of its fields, the
/// later ones are numbered down, so an index is missing when fewer fields
/// than it remain.
fn tuple_field(report: &Report<'_, '_>, owner: Res, call: &MethodCall, ctx: Ctx, view: View) -> Option<Diagnostic> {
    let resolver = report.resolver;
    let index: usize = call.name.parse().ok()?;
    let fields: Vec<usize> = resolver
        .members_of(owner)
        .iter()
        .copied()
        .filter(|&i| resolver.members().get(i).is_some_and(|info| info.member.kind == MemberKind::Field))
        .collect();
    let (kept, gone): (Vec<usize>, Vec<usize>) = fields.iter().partition(|&&i| resolver.present(Res::Member(i), view));
    let gated = *gone.first()?;
    if index < kept.len() || index >= fields.len() {
        return None;
    }
    let (inputs, info) = (report.inputs, resolver.members().get(gated)?);
    let to = resolver.edition(Res::Member(gated))?;
    let (from_name, to_name) = (inputs.config.name(ctx.edition), inputs.config.name(to));
    let owner_name = resolver.display(owner);
    let def = report.tree.modules.get(info.module).and_then(|x| inputs.files.get(x.file))?;
    let gate = gate_text(inputs, to);
    Some(
        Diagnostic::new(
            Code::BoundaryImport,
            report.sources.at(&report.data.rel, call.span.clone()),
            format!("{from_name} code reads field `{index}` of `{owner_name}`, which has only {} fields in the {from_name} build", kept.len()),
        )
        .with_label(format!("no field `{index}` in the {from_name} build"))
        .with_secondary(report.sources.at(&def.rel, info.member.span.clone()), format!("this field exists only in the {to_name} build, so the later ones are numbered down"))
        .with_edition(from_name)
        .with_target_edition(to_name)
        .with_symbol(format!("{owner_name}::{index}"))
        .with_help(format!("gate this code with {gate}, or read the field by its number in the {from_name} build")),
    )
}

fn owned_candidates(resolver: &Resolver<'_>, owner: Res, call: &MethodCall) -> Vec<usize> {
    resolver
        .members_of(owner)
        .iter()
        .copied()
        .filter(|&i| {
            let Some(info) = resolver.members().get(i) else { return false };
            let named = info.member.name == call.name;
            if call.field {
                return named && info.member.kind == MemberKind::Field;
            }
            let method = named && matches!(info.member.kind, MemberKind::Fn { .. });
            let provided = info.trait_name.is_some_and(|t| {
                STD_TRAIT_METHODS.iter().any(|(name, methods)| *name == t && methods.contains(&call.name.as_str()))
            });
            method || provided
        })
        .collect()
}

/// A method of a workspace trait called on a value of a std type (`n.seats()`
/// on a `u32`, `s.audit_line()` on a `&str`): the items of the impls for
/// that type, and of blanket impls std types may meet. A name std itself
/// gives some type is left alone: the type's own method may be the one called.
fn foreign_candidates(resolver: &Resolver<'_>, m: ModId, call: &MethodCall, view: View) -> Vec<usize> {
    if call.field || std_methods().contains(call.name.as_str()) {
        return Vec::new();
    }
    let declared = call.receiver.as_ref().and_then(|h| declared(resolver, m, h, call.self_ty.as_ref(), view));
    let Some((written_in, ty)) = declared.filter(|(_, ty)| !ty.object) else { return Vec::new() };
    let [name] = ty.segments.as_slice() else { return Vec::new() };
    let std_type = name == "[]" || std_prelude().contains(name.as_str());
    if !std_type || resolver.type_in(written_in, &ty, None, View::Any).is_some() {
        return Vec::new();
    }
    resolver
        .foreign_members(name)
        .filter(|&i| {
            resolver.members().get(i).is_some_and(|info| {
                info.member.name == call.name && matches!(info.member.kind, MemberKind::Fn { method: true })
            })
        })
        .collect()
}

/// A method of impls of one generic trait for the receiver's type (`impl
/// Authenticate<Password>`, `impl Authenticate<SamlAssertion>`): rustc picks
/// the impl whose type argument is the first argument's type, when that
/// type is written down.
fn by_argument(report: &Report<'_, '_>, m: ModId, call: &MethodCall, candidates: Vec<usize>) -> Vec<usize> {
    let resolver = report.resolver;
    let generic: Vec<(usize, Res)> = candidates
        .iter()
        .filter_map(|&i| {
            let info = resolver.members().get(i)?;
            Some((i, resolver.type_res(info.module, info.trait_arg.as_ref()?, None)?))
        })
        .collect();
    if generic.len() < 2 {
        return candidates;
    }
    let first = report.data.syntax.arguments.iter().find(|a| a.callee == call.span && a.index == 0);
    let Some(ty) = first.and_then(|a| type_of(resolver, m, &a.value, call.self_ty.as_ref(), View::Any)) else {
        return candidates;
    };
    let chosen: Vec<usize> = generic.iter().filter(|(_, arg)| *arg == ty).map(|(i, _)| *i).collect();
    if chosen.is_empty() {
        candidates
    } else {
        chosen
    }
}

/// The type a receiver hint names, as far as it is written down.
fn type_of(resolver: &Resolver<'_>, m: ModId, hint: &Hint, self_ty: Option<&TyPath>, view: View) -> Option<Res> {
    Typing { resolver, m, self_ty, view }.ty(hint, 0)
}

/// The type a value is declared with, as written, and the module it is
/// written in (see [`Typing::declared`]).
fn declared(
    resolver: &Resolver<'_>,
    m: ModId,
    hint: &Hint,
    self_ty: Option<&TyPath>,
    view: View,
) -> Option<(ModId, TyPath)> {
    Typing { resolver, m, self_ty, view }.declared(hint, 0)
}

/// What typing a value needs: the module of the code, what `Self` is
/// there, and the build.
#[derive(Clone, Copy)]
struct Typing<'r, 'a> {
    resolver: &'r Resolver<'a>,
    m: ModId,
    self_ty: Option<&'r TyPath>,
    view: View,
}

impl Typing<'_, '_> {
    /// The workspace type a hint names, `depth` fields and calls into a chain.
    fn ty(&self, hint: &Hint, depth: usize) -> Option<Res> {
        let Typing { resolver, m, self_ty, view } = *self;
        if depth > Hint::MAX_CHAIN {
            return None;
        }
        match hint {
            Hint::Type(ty) => resolver.type_in(m, ty, self_ty, view),
            Hint::Call(_) => returned(resolver, callee(resolver, m, hint, self_ty, view)?, view),
            Hint::Field(base, name) | Hint::Method(base, name) => {
                if let Some((written_in, ty)) = self.guarded(hint, depth) {
                    return resolver.type_in(written_in, &ty, None, view);
                }
                let owner = self.ty(base, depth + 1);
                let field = matches!(hint, Hint::Field(..));
                let Some((owner, found)) = owner.and_then(|o| Some((o, member_in(resolver, o, name, field, view)?)))
                else {
                    let (written_in, ty) = self.collection_method(hint, depth)?;
                    return resolver.type_in(written_in, &ty, None, view);
                };
                let info = resolver.members().get(found)?;
                let ty = info.member.ty.as_ref()?;
                if ty.segments.first().is_some_and(|s| s == "Self") {
                    return Some(owner);
                }
                resolver.type_in(info.module, ty, None, view)
            }
            // The `T` of the `Result<T, E>` or `Option<T>` the value is declared
            // with, or the `E`; a pattern's field.
            Hint::Unwrapped(_) | Hint::Failed(_) | Hint::Pattern(..) => {
                let (written_in, ty) = self.declared(hint, depth)?;
                resolver.type_in(written_in, &ty, None, view)
            }
        }
    }

    /// The type a value is declared with, as written, and the module it is
    /// written in: an annotation, a function's return type, a field's or
    /// method's type, or what `?`/`unwrap()` takes out of one of those.
    fn declared(&self, hint: &Hint, depth: usize) -> Option<(ModId, TyPath)> {
        let Typing { resolver, m, self_ty, view } = *self;
        if depth > Hint::MAX_CHAIN {
            return None;
        }
        match hint {
            Hint::Type(ty) => Some((m, ty.clone())),
            Hint::Call(_) => match callee(resolver, m, hint, self_ty, view)? {
                Res::Item(im, i) => Some((im, resolver.item(im, i)?.ret.clone()?)),
                Res::Member(i) => resolver.members().get(i).and_then(|x| Some((x.module, x.member.ty.clone()?))),
                Res::Module(_) => None,
            },
            Hint::Field(base, name) | Hint::Method(base, name) => {
                if let Some(found) = self.guarded(hint, depth) {
                    return Some(found);
                }
                let field = matches!(hint, Hint::Field(..));
                let owner = self.ty(base, depth + 1);
                match owner.and_then(|owner| member_in(resolver, owner, name, field, view)) {
                    Some(found) => resolver.members().get(found).and_then(|x| Some((x.module, x.member.ty.clone()?))),
                    None => self.collection_method(hint, depth),
                }
            }
            Hint::Unwrapped(base) => {
                let (written_in, ty) = self.declared(base, depth + 1)?;
                Some((written_in, *ty.ok?))
            }
            Hint::Pattern(path, field) => {
                let owner = match path.segments.as_slice() {
                    // `Self(x)`, `Self::Variant(x)`
                    [first, rest @ ..] if first == "Self" => {
                        let base = resolver.type_in(m, self_ty?, None, view)?;
                        match rest {
                            [] => base,
                            [variant] => Res::Member(member_in_ns(resolver, base, variant, view)?),
                            _ => return None,
                        }
                    }
                    _ => resolver.resolve(m, &path.segments, path.global, ns::VALUE | ns::TYPE, view)?.res,
                };
                let found = member_in(resolver, owner, field, true, view)?;
                resolver.members().get(found).and_then(|x| Some((x.module, x.member.ty.clone()?)))
            }
            Hint::Failed(base) => {
                let (written_in, ty) = self.declared(base, depth + 1)?;
                if ty.segments.last()? != "Result" {
                    return None;
                }
                Some((written_in, *ty.arg?))
            }
        }
    }

    /// What a std collection's or iterator's method gives, for a receiver
    /// declared as a collection: `v.iter()` the same elements, `v.get(i)`,
    /// `map.get(k)` or `v.iter().find(..)` an `Option` of one.
    fn collection_method(&self, hint: &Hint, depth: usize) -> Option<(ModId, TyPath)> {
        let Hint::Method(base, name) = hint else { return None };
        let name = name.as_str();
        let iterates = ELEMENT_ITERS.contains(&name) || MAP_VALUES.contains(&name);
        let entry = ENTRY_VALUES.contains(&name);
        if !iterates && !entry && name != "entry" && !ELEMENT_GETTERS.contains(&name) {
            return None;
        }
        let (written_in, collection) = self.declared(base, depth + 1)?;
        let element = collection.ok?;
        Some((
            written_in,
            match name {
                _ if entry => *element,
                "entry" => TyPath { ok: Some(element), ..TyPath::name("Entry") },
                _ if iterates => TyPath { ok: Some(element), ..TyPath::name("Iterator") },
                _ => TyPath { ok: Some(element), ..TyPath::name("Option") },
            },
        ))
    }

    /// `m.lock()` on a value declared in a `Mutex` (`RwLock`, `RefCell`): a
    /// guard of the value, in a `Result` but for `RefCell`'s.
    fn guarded(&self, hint: &Hint, depth: usize) -> Option<(ModId, TyPath)> {
        let Hint::Method(base, name) = hint else { return None };
        let &(_, wrapped) = LOCK_METHODS.iter().find(|(n, _)| n == name)?;
        let (written_in, ty) = self.declared(base, depth + 1)?;
        if !ty.locked {
            return None;
        }
        let value = TyPath { locked: false, ..ty };
        Some((written_in, if wrapped { TyPath { ok: Some(Box::new(value)), ..TyPath::name("Result") } } else { value }))
    }
}

/// Methods of a map's `Entry` that give the value.
const ENTRY_VALUES: &[&str] = &["or_insert", "or_insert_with", "or_default", "or_insert_with_key"];

/// A method only traits give the receiver's type, called where every such
/// trait is in scope in some build (imported, or declared) but none in
/// the build of the code: rustc finds no method there.
fn trait_out_of_scope(
    report: &Report<'_, '_>,
    m: ModId,
    candidates: &[usize],
    call: &MethodCall,
    ctx: Ctx,
) -> Option<Diagnostic> {
    let resolver = report.resolver;
    let view = resolver.view_of(ctx);
    let present = |i: usize| resolver.present(Res::Member(i), view);
    // An inherent method of that name in another build only: without it,
    // this build calls a trait's method, which must be in scope.
    let inherent = candidates.iter().copied().find(|&i| {
        !present(i) && resolver.members().get(i).is_some_and(|info| info.of_trait.is_none() && info.via.is_none())
    });
    let mut traits = Vec::new();
    for &i in candidates.iter().filter(|&&i| inherent.is_none() || present(i)) {
        let info = resolver.members().get(i)?;
        // An inherent method needs no trait; a trait of outside the workspace is not followed.
        let of_trait @ Res::Item(tm, ti) = info.of_trait? else { return None };
        let name = resolver.item(tm, ti)?.name.clone();
        let named = |view: View| {
            resolver.resolve(m, std::slice::from_ref(&name), false, ns::TYPE, view).is_some_and(|r| r.res == of_trait)
        };
        let imported_elsewhere = named(View::Any) || inherent.is_some();
        if named(view) || !imported_elsewhere || resolver.unnamed_in_scope(m, of_trait, view) {
            return None;
        }
        traits.push((name, of_trait));
    }
    if let Some(gated) = inherent {
        let found = Resolved { res: Res::Member(gated), hops: Vec::new() };
        return finding(report, call.span.clone(), &format!(".{}", call.name), &found, ctx, Kind::Method);
    }
    let (name, of_trait) = traits.into_iter().next()?;
    let (scope, u) = resolver.gated_import(m, &name, view)?;
    let View::In(to) = resolver.view_of(resolver.ctx_at(scope, &u.item_span)) else { return None };
    let inputs = report.inputs;
    let (from_name, to_name) = (inputs.config.name(ctx.edition), inputs.config.name(to));
    let gate = gate_text(inputs, to);
    let symbol = resolver.display(of_trait);
    Some(
        Diagnostic::new(
            Code::BoundaryImport,
            report.sources.at(&report.data.rel, call.span.clone()),
            format!(
                "{from_name} code calls `{}`, a method of trait `{symbol}`, which only the {to_name} build brings into scope",
                call.name
            ),
        )
        .with_label(format!("`{name}` is not in scope in the {from_name} build"))
        .with_secondary(report.sources.at(report.rel_of(scope), u.span.clone()), format!("imported under {gate}"))
        .with_edition(from_name)
        .with_target_edition(to_name)
        .with_symbol(symbol)
        .with_help(format!("import `{name}` in every build, or gate this code with {gate} too")),
    )
}

/// The type a type's `Deref` impl leads to, in build `view`.
fn deref_target(resolver: &Resolver<'_>, owner: Res, view: View) -> Option<Res> {
    resolver.members_of(owner).iter().find_map(|&i| {
        let info = resolver.members().get(i)?;
        let deref = info.trait_name == Some("Deref") && info.member.name == "Target";
        resolver.type_in(info.module, info.member.ty.as_ref().filter(|_| deref)?, None, view)
    })
}

/// Whether a value is declared inside an `Arc` or `Rc`.
fn shared(resolver: &Resolver<'_>, m: ModId, hint: &Hint, self_ty: Option<&TyPath>, view: View) -> bool {
    declared(resolver, m, hint, self_ty, view).is_some_and(|(_, ty)| ty.shared)
}

/// What a call hint calls: a function, or an associated function of `Self`.
fn callee(resolver: &Resolver<'_>, m: ModId, hint: &Hint, self_ty: Option<&TyPath>, view: View) -> Option<Res> {
    let Hint::Call(path) = hint else { return None };
    if path.segments.first().is_some_and(|s| s == "Self") {
        let base = resolver.type_in(m, self_ty?, None, view)?;
        return member_in(resolver, base, path.segments.get(1)?, false, view).map(Res::Member);
    }
    Some(resolver.resolve(m, &path.segments, path.global, ns::VALUE, view)?.res)
}

/// The variant (or associated item) of `owner` called `name` in build `view`.
fn member_in_ns(resolver: &Resolver<'_>, owner: Res, name: &str, view: View) -> Option<usize> {
    resolver.members_named(owner, name, ns::VALUE).into_iter().find(|&i| resolver.present(Res::Member(i), view))
}

/// The member of `owner` called `name` that build `view` has: a field, or a function.
fn member_in(resolver: &Resolver<'_>, owner: Res, name: &str, field: bool, view: View) -> Option<usize> {
    resolver.members_named(owner, name, ns::VALUE).into_iter().find(|&i| {
        resolver.present(Res::Member(i), view)
            && resolver.members().get(i).is_some_and(|info| (info.member.kind == MemberKind::Field) == field)
    })
}

/// The type a call of `res` produces: a function's return type, a tuple
/// struct's or variant's own type.
fn returned(resolver: &Resolver<'_>, res: Res, view: View) -> Option<Res> {
    match res {
        Res::Item(m, i) => {
            let item = resolver.item(m, i)?;
            match &item.ret {
                Some(ty) => resolver.type_in(m, ty, None, view),
                // A tuple struct's constructor.
                None if item.ns & ns::TYPE != 0 => Some(res),
                None => None,
            }
        }
        Res::Member(i) => {
            let info = resolver.members().get(i)?;
            if info.member.kind == MemberKind::Variant {
                return info.owner;
            }
            let ty = info.member.ty.as_ref()?;
            if ty.segments.first().is_some_and(|s| s == "Self") {
                return info.owner;
            }
            resolver.type_in(info.module, ty, None, view)
        }
        Res::Module(_) => None,
    }
}

/// An item of an `impl Trait for X` block whose trait has no such item in
/// the block's build (rustc: "not a member of trait").
fn trait_items(
    inputs: &Inputs<'_>,
    tree: &ModTree,
    resolver: &Resolver<'_>,
    sources: &Sources,
    out: &mut Vec<Diagnostic>,
) {
    for (i, info) in resolver.members().iter().enumerate().filter(|(_, info)| info.via.is_none()) {
        let Some(of_trait @ Res::Item(..)) = info.of_trait else { continue };
        let Some(module) = tree.modules.get(info.module) else { continue };
        let Some(data) = inputs.files.get(module.file) else { continue };
        let ctx = resolver.ctx_at(info.module, &info.member.span);
        let view = resolver.view_of(ctx);
        // An impl that is not in this build has nothing to check; one of a
        // trait the build does not have is reported at the trait's path.
        if !resolver.present(Res::Member(i), view) || !resolver.present(of_trait, view) {
            continue;
        }
        let declared: Vec<usize> = resolver
            .members_named(of_trait, &info.member.name, ns::ANY)
            .into_iter()
            .filter(|&t| resolver.members().get(t).is_some_and(|x| x.of_trait.is_none()))
            .collect();
        let Some(&first) = declared.first() else { continue };
        if declared.iter().any(|&t| resolver.present(Res::Member(t), view)) {
            continue;
        }
        let Some(root) = tree.module_of(module.file, &[]) else { continue };
        let report = Report { inputs, tree, resolver, sources, data, file: module.file, root };
        let found = Resolved { res: Res::Member(first), hops: Vec::new() };
        let written = info.member.name.clone();
        out.extend(finding(&report, info.member.name_span.clone(), &written, &found, ctx, Kind::TraitItem));
    }
}

/// The names of std's methods.
fn std_methods() -> &'static HashSet<&'static str> {
    static NAMES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        include_str!("../../index/std_methods.txt").lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect()
    })
}

/// The names every module has without importing them: std's prelude,
/// primitive types, built-in macros and attributes.
fn std_prelude() -> &'static HashSet<&'static str> {
    static NAMES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        include_str!("../../index/std_prelude.txt").lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect()
    })
}
