//! The picture of the boundary: the workspace's crates grouped by edition,
//! their dependencies on each other, and every crossing (boundary findings
//! from one crate into another) drawn in red and labelled with its count.
//! As Mermaid, which GitHub renders in Markdown (job summaries, pull request
//! comments), or as Graphviz DOT.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::inventory::facts::CrateFacts;

/// Crates, their editions, and the edges between them.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Edition names, in configuration order.
    editions: Vec<String>,
    /// Per crate: its name and the index of its edition.
    crates: Vec<(String, usize)>,
    /// From, to: whether `from` depends on `to`, and how many boundary
    /// findings in `from` reach `to`.
    edges: BTreeMap<(usize, usize), (bool, usize)>,
}

impl Graph {
    /// The graph of a run: its crates and their dependencies, and its
    /// boundary findings as crossings.
    pub fn new(crates: &[CrateFacts], config: &Config, diagnostics: &[Diagnostic]) -> Graph {
        let mut edges: BTreeMap<(usize, usize), (bool, usize)> = BTreeMap::new();
        for (from, c) in crates.iter().enumerate() {
            for &to in &c.depends_on {
                edges.entry((from, to)).or_default().0 = true;
            }
        }
        for d in diagnostics.iter().filter(|d| d.code.as_str().starts_with("boundary/")) {
            let Some(from) = crate_of(crates, d.location.path()) else { continue };
            let to = d
                .labels
                .iter()
                .find_map(|l| crate_of(crates, l.location.path()).filter(|&to| to != from))
                .or_else(|| d.symbol.as_deref().and_then(|s| crate_named(crates, s)));
            if let Some(to) = to.filter(|&to| to != from) {
                edges.entry((from, to)).or_default().1 += 1;
            }
        }
        Graph {
            editions: config.editions.iter().map(|e| e.name.clone()).collect(),
            crates: crates.iter().map(|c| (c.name.clone(), c.edition)).collect(),
            edges,
        }
    }

    /// How many crossings the graph draws.
    pub fn crossings(&self) -> usize {
        self.edges.values().map(|(_, n)| n).sum()
    }

    /// A Mermaid flowchart: a subgraph per edition, dependencies as plain
    /// arrows, crossings in red with their count.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        for (e, name, members) in self.groups() {
            let _ = writeln!(out, "  subgraph e{e}[\"{}\"]", mermaid_text(name));
            for c in members {
                let _ = writeln!(out, "    c{c}[\"{}\"]", mermaid_text(self.name(c)));
            }
            out.push_str("  end\n");
        }
        let mut red = Vec::new();
        for (i, (&(from, to), &(_, crossings))) in self.edges.iter().enumerate() {
            if crossings == 0 {
                let _ = writeln!(out, "  c{from} --> c{to}");
            } else {
                let _ = writeln!(out, "  c{from} -->|\"{}\"| c{to}", plural(crossings, "crossing"));
                red.push(i.to_string());
            }
        }
        if !red.is_empty() {
            let _ = writeln!(out, "  linkStyle {} stroke:#d1242f,stroke-width:3px,color:#d1242f", red.join(","));
        }
        out
    }

    /// The same graph in Graphviz DOT.
    pub fn dot(&self) -> String {
        let mut out = String::from("digraph corefence {\n  rankdir=LR;\n  node [shape=box];\n");
        for (e, name, members) in self.groups() {
            let _ = writeln!(out, "  subgraph cluster_{e} {{\n    label=\"{}\";", dot_text(name));
            for c in members {
                let _ = writeln!(out, "    c{c} [label=\"{}\"];", dot_text(self.name(c)));
            }
            out.push_str("  }\n");
        }
        for (&(from, to), &(_, crossings)) in &self.edges {
            if crossings == 0 {
                let _ = writeln!(out, "  c{from} -> c{to};");
            } else {
                let label = plural(crossings, "crossing");
                let _ = writeln!(out, "  c{from} -> c{to} [color=red, fontcolor=red, penwidth=2, label=\"{label}\"];");
            }
        }
        out.push_str("}\n");
        out
    }

    /// Per edition with crates: its index, its name and its crates.
    fn groups(&self) -> impl Iterator<Item = (usize, &str, Vec<usize>)> + '_ {
        self.editions.iter().enumerate().filter_map(|(e, name)| {
            let members: Vec<usize> = (0..self.crates.len()).filter(|&c| self.edition_of(c) == Some(e)).collect();
            (!members.is_empty()).then_some((e, name.as_str(), members))
        })
    }

    fn name(&self, c: usize) -> &str {
        self.crates.get(c).map_or("", |(n, _)| n.as_str())
    }

    fn edition_of(&self, c: usize) -> Option<usize> {
        self.crates.get(c).map(|(_, e)| *e)
    }
}

/// The crate whose folder holds `path` (the deepest one).
fn crate_of(crates: &[CrateFacts], path: &str) -> Option<usize> {
    crates
        .iter()
        .enumerate()
        .filter(|(_, c)| crate::workspace::is_under(path, &c.dir) || c.dir.is_empty())
        .max_by_key(|(_, c)| c.dir.len())
        .map(|(i, _)| i)
}

/// The crate a finding's symbol names: a crate name (`acme-ee`, a
/// dependency's), or a path's first segment (`acme_ee::sso`).
fn crate_named(crates: &[CrateFacts], symbol: &str) -> Option<usize> {
    let first = symbol.split(['/', ':']).next().unwrap_or(symbol);
    crates.iter().position(|c| c.name == first || c.name.replace('-', "_") == first)
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Text inside a Mermaid `"..."` label: quotes and markup as entities.
fn mermaid_text(s: &str) -> String {
    s.replace('&', "#amp;").replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;")
}

/// Text inside a DOT `"..."` string.
fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', " ")
}
