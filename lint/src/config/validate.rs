//! Phase two of loading: turn the spanned raw values into a [`Config`] whose
//! invariants hold, reporting every violation with its span.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::raw::{RawConfig, Sp};
use super::{Assign, Config, ConfigProblem, Copyright, Edition, EditionId, Headers, Pattern, Sets};
use crate::diagnostic::{Code, SourceFile};
use crate::suggest;

/// The edition names as written, for lookups that report unknown names.
struct Names<'a>(Vec<&'a str>);

impl Names<'_> {
    fn lookup(&self, name: &Sp<String>, what: &str, problems: &mut Vec<ConfigProblem>) -> Option<EditionId> {
        let found = self.0.iter().position(|n| *n == name.value);
        if found.is_none() {
            problems.push(
                ConfigProblem::new(name.span.clone(), format!("unknown edition `{}` in {what}", name.value))
                    .label("not defined under [editions]")
                    .help(help_for_edition(&name.value, &self.0))
                    .code(Code::EditionUnknown),
            );
        }
        found
    }
}

/// Validates `raw`, pushing every problem; the returned config is only
/// meaningful when no problem was pushed.
pub fn validate(raw: &RawConfig, source: Option<Arc<SourceFile>>, problems: &mut Vec<ConfigProblem>) -> Config {
    let names = Names(raw.editions.iter().map(|e| e.name.value.as_str()).collect());
    let (default, editions) = editions(raw, &names, problems);
    let embedded = source.is_none();
    let compile = |patterns: &[Sp<String>], problems: &mut Vec<ConfigProblem>| -> Vec<Pattern> {
        patterns
            .iter()
            .filter_map(|p| match Pattern::new(&p.value, (!embedded).then(|| p.span.clone())) {
                Ok(pattern) => Some(pattern),
                Err(err) => {
                    problems.push(
                        ConfigProblem::new(p.span.clone(), format!("invalid glob `{}`: {err}", shortened(&p.value)))
                            .label("invalid glob")
                            .help(
                                "globs use gitignore syntax: `*` within a folder, `**` across folders, `[ab]` classes",
                            ),
                    );
                    None
                }
            })
            .collect()
    };

    let mut editions = editions;
    for e in &mut editions {
        if let Some(written) = raw.editions.iter().find(|r| r.name.value == e.name) {
            e.build_only_crates = compile(&written.build_only_crates, problems);
        }
    }
    let assigns: Vec<Assign> = raw
        .assigns
        .iter()
        .filter_map(|a| {
            let edition = a.edition.as_ref().and_then(|e| names.lookup(e, "`[[assign]]`", problems));
            let crates = compile(&a.crates, problems);
            let paths = compile(&a.paths, problems);
            edition.map(|edition| Assign { crates, paths, edition })
        })
        .collect();

    let include = match &raw.headers_include {
        Some(list) => compile(list, problems),
        None => vec![Pattern::new("**/*.rs", None).unwrap_or_else(|_| unreachable!("constant glob"))],
    };
    let exclude = compile(&raw.headers_exclude, problems);
    let copyright = match raw.copyright.as_ref() {
        None => Copyright::Optional,
        Some(c) if c.value == "optional" => Copyright::Optional,
        Some(c) if c.value == "required" => Copyright::Required,
        Some(c) => {
            problems.push(one_of(c, &["optional", "required"]));
            Copyright::Optional
        }
    };
    let deny_dev_dependencies = match raw.dev_dependencies.as_ref() {
        None => true,
        Some(c) if c.value == "deny" => true,
        Some(c) if c.value == "allow" => false,
        Some(c) => {
            problems.push(one_of(c, &["deny", "allow"]));
            true
        }
    };
    let third_party = compile(&raw.third_party, problems);
    let manifests = raw.manifests.as_ref().is_none_or(|m| m.value);
    let headers = Headers { include, exclude, copyright, manifests };
    let sets = Sets::new(&assigns, &headers, &third_party).unwrap_or_else(|(at, why)| {
        problems.push(
            ConfigProblem::new(at.unwrap_or(0..0), format!("the globs cannot be compiled: {why}"))
                .label("too large to compile")
                .help("use fewer or shorter globs: a folder glob such as `ee/**` covers everything below it"),
        );
        Sets::default()
    });

    Config { source, default, editions, assigns, headers, deny_dev_dependencies, third_party, sets }
}

/// Validates `[editions]` and `default`: names, licenses, `uses` (resolved
/// transitively, cycles reported) and feature mappings.
fn editions(raw: &RawConfig, names: &Names<'_>, problems: &mut Vec<ConfigProblem>) -> (EditionId, Vec<Edition>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, e) in raw.editions.iter().enumerate() {
        if seen.insert(e.name.value.as_str(), i).is_some() {
            problems
                .push(ConfigProblem::new(e.name.span.clone(), format!("edition `{}` is defined twice", e.name.value)));
        }
    }
    if raw.editions.is_empty() {
        problems.push(
            ConfigProblem::new(0..0, "no editions are defined")
                .help("define at least one edition, e.g. `[editions.community]` with `license = \"AGPL-3.0-only\"`"),
        );
    }
    let default = match &raw.default {
        Some(d) => names.lookup(d, "`default`", problems).unwrap_or(0),
        None => names.0.iter().position(|n| *n == "community").unwrap_or_else(|| {
            if !raw.editions.is_empty() {
                problems.push(
                    ConfigProblem::new(0..0, "no `default` edition")
                        .help("add `default = \"<edition>\"` at the top: the edition of code no rule assigns"),
                );
            }
            0
        }),
    };

    let mut direct_uses: Vec<Vec<(EditionId, Range<usize>)>> = Vec::new();
    let mut feature_owner: HashMap<String, &str> = HashMap::new();
    let mut editions = Vec::new();
    for e in &raw.editions {
        let mut licenses = Vec::new();
        for l in &e.license {
            match check_expression(&l.value) {
                Ok(()) => licenses.push(l.value.clone()),
                Err((message, within, help)) => {
                    // +1: the span of a TOML string starts at its quote.
                    let at = l.span.start + 1 + within.start;
                    problems.push(
                        ConfigProblem::new(at..l.span.start + 1 + within.end.max(within.start + 1), message)
                            .label("invalid SPDX expression")
                            .help(help),
                    );
                }
            }
        }
        if e.license.is_empty() && e.license_span.is_some() {
            problems.push(ConfigProblem::new(e.license_span.clone().unwrap_or(0..0), "empty license list"));
        }
        let uses = e
            .uses
            .iter()
            .filter_map(|u| {
                names.lookup(u, &format!("`editions.{}.uses`", e.name.value), problems).map(|id| (id, u.span.clone()))
            })
            .collect();
        direct_uses.push(uses);
        for f in &e.features {
            if let Some(other) = feature_owner.insert(f.value.clone(), &e.name.value) {
                problems.push(ConfigProblem::new(
                    f.span.clone(),
                    format!("feature `{}` is mapped to two editions (`{other}` and `{}`)", f.value, e.name.value),
                ));
            }
        }
        editions.push(Edition {
            name: e.name.value.clone(),
            licenses,
            features: e.features.iter().map(|f| f.value.clone()).collect(),
            default_features: e.default_features.as_ref().is_none_or(|d| d.value),
            build_only_crates: Vec::new(),
            may_use: Vec::new(),
        });
    }
    report_cycles(&direct_uses, &names.0, problems);
    for (id, edition) in editions.iter_mut().enumerate() {
        edition.may_use = reachable(id, &direct_uses);
    }
    (default, editions)
}

fn one_of(got: &Sp<String>, allowed: &[&str]) -> ConfigProblem {
    let (span, got) = (got.span.clone(), got.value.as_str());
    let quoted: Vec<String> = allowed.iter().map(|a| format!("`\"{a}\"`")).collect();
    let hint = suggest::did_you_mean(got, allowed.iter().copied());
    ConfigProblem::new(span, format!("invalid value `{got}`"))
        .label(format!("expected {}", quoted.join(" or ")))
        .help(if hint.is_empty() { format!("use {}", quoted.join(" or ")) } else { hint })
}

fn help_for_edition(name: &str, names: &[&str]) -> String {
    let hint = suggest::did_you_mean(name, names.iter().copied());
    if hint.is_empty() {
        format!("defined editions: {}", names.join(", "))
    } else {
        hint
    }
}

/// Checks an SPDX expression written in the config. Deprecated ids are
/// accepted here (files using them get `license/deprecated`); unknown ids are
/// not, except `LicenseRef-`/`DocumentRef-` ones which are user-defined.
/// The error carries a message, the byte range within the text, and help.
pub(crate) fn check_expression(text: &str) -> Result<(), (String, Range<usize>, String)> {
    let mode = spdx::ParseMode { allow_deprecated: true, ..spdx::ParseMode::STRICT };
    spdx::Expression::parse_mode(text, mode).map(|_| ()).map_err(|err| {
        let bad = text.get(err.span.clone()).unwrap_or(text);
        let help = match spdx::imprecise_license_id(bad)
            .map(|(id, _)| id.name)
            .or_else(|| suggest::closest(bad, spdx::identifiers::LICENSES.iter().map(|l| l.name)))
        {
            Some(id) => format!("did you mean `{id}`? A commercial license is written `LicenseRef-<name>`"),
            None => "write an SPDX expression such as `AGPL-3.0-only` or `LicenseRef-Acme-Enterprise`".to_owned(),
        };
        (format!("invalid SPDX expression `{text}`: {}", err.reason), err.span, help)
    })
}

/// The editions reachable from `from` through `uses`, including itself.
fn reachable(from: EditionId, uses: &[Vec<(EditionId, Range<usize>)>]) -> Vec<EditionId> {
    let mut seen = vec![from];
    let mut stack = vec![from];
    while let Some(e) = stack.pop() {
        for (next, _) in uses.get(e).map_or(&[][..], Vec::as_slice) {
            if !seen.contains(next) {
                seen.push(*next);
                stack.push(*next);
            }
        }
    }
    seen.sort_unstable();
    seen
}

/// Reports each `uses` edge that closes a cycle, naming the whole cycle.
fn report_cycles(uses: &[Vec<(EditionId, Range<usize>)>], names: &[&str], problems: &mut Vec<ConfigProblem>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        e: EditionId,
        uses: &[Vec<(EditionId, Range<usize>)>],
        names: &[&str],
        marks: &mut [Mark],
        path: &mut Vec<EditionId>,
        problems: &mut Vec<ConfigProblem>,
    ) {
        let name = |i: &EditionId| names.get(*i).copied().unwrap_or("?");
        if let Some(m) = marks.get_mut(e) {
            *m = Mark::Active;
        }
        path.push(e);
        for (next, span) in uses.get(e).map_or(&[][..], Vec::as_slice) {
            match marks.get(*next).copied().unwrap_or(Mark::Done) {
                Mark::Active => {
                    let start = path.iter().position(|p| p == next).unwrap_or(0);
                    let mut cycle: Vec<&str> = path.iter().skip(start).map(name).collect();
                    cycle.push(name(next));
                    problems.push(
                        ConfigProblem::new(span.clone(), format!("`uses` cycle: {}", cycle.join(" → ")))
                            .label("closes the cycle")
                            .help("`uses` must form a hierarchy: remove one of these entries"),
                    );
                }
                Mark::New => visit(*next, uses, names, marks, path, problems),
                Mark::Done => {}
            }
        }
        path.pop();
        if let Some(m) = marks.get_mut(e) {
            *m = Mark::Done;
        }
    }
    let mut marks = vec![Mark::New; uses.len()];
    for e in 0..uses.len() {
        if marks.get(e) == Some(&Mark::New) {
            visit(e, uses, names, &mut marks, &mut Vec::new(), problems);
        }
    }
}

/// A glob as shown in a message: whole when short, else its start.
fn shortened(glob: &str) -> String {
    const SHOWN: usize = 60;
    match glob.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &glob[..end]),
        None => glob.to_owned(),
    }
}
