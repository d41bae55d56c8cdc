//! The workspace index: every crate target's module tree, built by following
//! `mod` declarations from the target's root file as rustc does, and name
//! resolution over it for the boundary checks.
//!
//! The per-file stage hands over one [`FileData`] per parsed Rust file (plain
//! data, no syntax trees); this module ties them together.

mod declared;
mod encoded;
mod groups;
pub mod keys;
pub mod modtree;
mod regions;
pub mod resolve;

use std::ops::Range;

use crate::config::EditionId;
use crate::parse::items::{Bodies, Syntax};
pub use encoded::Encoded;

/// What the per-file stage keeps of a Rust file for the index.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FileData {
    /// Path relative to the root.
    pub rel: String,
    /// Items, uses, mods, paths.
    pub syntax: Syntax,
    /// Regions that are explicitly of an edition: `#[edition(..)]` items and
    /// SPDX snippets carrying an edition's license, outermost first.
    pub tagged: Vec<(Range<usize>, EditionId)>,
    /// Why syn could not read the file (it was read token by token): the
    /// `parse/syntax` warning it gets whenever it is reported on.
    pub problem: Option<crate::parse::SyntaxError>,
    /// What only the file's own findings read ([`Bodies`]), encoded: most of
    /// a parsed file's data, kept small until the file is checked
    /// ([`FileData::whole`]). `None` for a file read from the cache without
    /// them (it is not reported on in this run, and no other file's findings
    /// need them) and for data made whole by hand.
    #[serde(skip)]
    pub bodies: Option<Vec<u8>>,
    /// The function bodies the file's reading left out, if any: parsed
    /// when a check needs them ([`FileData::completed`]).
    pub lean: Option<Lean>,
    /// The cfg regions ordered for [`FileData::gates_at`], made on first use.
    #[serde(skip)]
    regions: std::sync::OnceLock<regions::Regions>,
}

impl FileData {
    /// The index data of a file just parsed, its [`Bodies`] encoded apart.
    pub fn parsed(
        rel: String,
        mut syntax: Syntax,
        tagged: Vec<(Range<usize>, EditionId)>,
        problem: Option<crate::parse::SyntaxError>,
    ) -> FileData {
        let bodies = syntax.take_bodies();
        // Encoding plain data into a vector does not fail; if it did, the
        // bodies would stay in place.
        let encoded = postcard::to_stdvec(&bodies).ok().map(|mut e| {
            e.shrink_to_fit();
            e
        });
        if encoded.is_none() {
            syntax.put_bodies(bodies);
        }
        // Kept for the whole run, for thousands of files.
        syntax.shrink();
        FileData { rel, syntax, tagged, problem, bodies: encoded, lean: None, regions: std::sync::OnceLock::new() }
    }

    /// Whether the file's reading holds a `macro_rules!` macro: another
    /// file may expand it, and the findings of its body are this file's.
    pub fn defines_macros(&self) -> bool {
        !self.syntax.macro_rules.is_empty()
    }

    /// The file's data as a check of its own findings (`own`), or of what
    /// other files' findings need of it, must see it: with its [`Bodies`]
    /// decoded (for `own`), and the function bodies its reading left out
    /// parsed where they hold a name of `keys`. `read` gives the file's
    /// content; a file changed since its reading keeps what was read.
    pub fn completed(
        &self,
        keys: &keys::At<'_>,
        own: bool,
        read: impl FnOnce(&str) -> Option<Vec<u8>>,
    ) -> std::borrow::Cow<'_, FileData> {
        if let Some(full) = self.lean.as_ref().and_then(|lean| self.reread(lean, keys, own, read)) {
            return std::borrow::Cow::Owned(full);
        }
        if own {
            self.whole()
        } else {
            std::borrow::Cow::Borrowed(self)
        }
    }

    /// The file parsed again with the bodies `keys` want, when there are any.
    fn reread(
        &self,
        lean: &Lean,
        keys: &keys::At<'_>,
        own: bool,
        read: impl FnOnce(&str) -> Option<Vec<u8>>,
    ) -> Option<FileData> {
        // The first reading listed each body's words: a file none of whose
        // bodies is wanted is not read again.
        let wants = |b: &crate::parse::skeleton::Blanked| if own { keys.wants(b) } else { keys.expands(b) };
        // Bodies whose list does not decode are all read.
        let left_out = lean.bodies.get();
        if left_out.is_some_and(|bodies| !bodies.iter().any(wants)) {
            return None;
        }
        let bytes = read(&self.rel)?;
        if crate::workspace::content_hash(&bytes) != lean.hash {
            return None;
        }
        let text = std::str::from_utf8(&bytes).ok()?;
        let (wanted, still): (Vec<_>, Vec<_>) = left_out.into_iter().flatten().partition(|b| wants(b));
        let text = crate::parse::without_frontmatter(text, lean.frontmatter.clone());
        let rest = |still: Vec<&crate::parse::skeleton::Blanked>| {
            (!still.is_empty())
                .then(|| Lean { bodies: Encoded::new(still.into_iter().cloned().collect()), ..lean.clone() })
        };
        // The wanted functions alone, in the blocks around them, put in
        // place of their empty bodies: the rest of the file was read.
        if let Some((focus, items)) = crate::parse::skeleton::focus(&text, &wanted) {
            let parsed = crate::parse::parse_nesting(&focus, (Vec::new(), &[]), (lean.nesting, 0));
            let mut data = self.whole().into_owned();
            let put = parsed.problem.is_none().then(|| data.syntax.put_functions(parsed.file.syntax, &items)).flatten();
            if put.is_some() {
                data.lean = rest(still);
                return Some(data);
            }
        }
        let still: Vec<_> = still.into_iter().cloned().collect();
        let parsed = crate::parse::parse_nesting(&text, (still, &[]), (lean.nesting, 0));
        let lean = (!parsed.blanked.is_empty()).then(|| Lean { bodies: Encoded::new(parsed.blanked), ..lean.clone() });
        Some(FileData {
            rel: self.rel.clone(),
            syntax: parsed.file.syntax,
            tagged: self.tagged.clone(),
            problem: self.problem.clone().or(parsed.problem),
            bodies: None,
            lean,
            regions: std::sync::OnceLock::new(),
        })
    }

    /// The file's data with its [`Bodies`] decoded, to check its own
    /// findings. (The encoding is this binary's own, checksummed when it
    /// comes from the cache.)
    pub fn whole(&self) -> std::borrow::Cow<'_, FileData> {
        let Some(bodies) = self.bodies.as_deref().and_then(|b| postcard::from_bytes::<Bodies>(b).ok()) else {
            return std::borrow::Cow::Borrowed(self);
        };
        let mut syntax = self.syntax.clone();
        syntax.put_bodies(bodies);
        let (rel, tagged, problem) = (self.rel.clone(), self.tagged.clone(), self.problem.clone());
        let regions = self.regions.clone();
        let lean = self.lean.clone();
        std::borrow::Cow::Owned(FileData { rel, syntax, tagged, problem, bodies: None, lean, regions })
    }

    /// The edition explicitly given to the code at `span` (innermost tag or snippet).
    pub fn tag_at(&self, span: &Range<usize>) -> Option<EditionId> {
        self.tagged
            .iter()
            .filter(|(r, _)| r.start <= span.start && span.end <= r.end)
            .min_by_key(|(r, _)| r.end - r.start)
            .map(|(_, e)| *e)
    }

    /// The `#[cfg(..)]` predicates enclosing `span`.
    pub fn gates_at(&self, span: &Range<usize>) -> impl Iterator<Item = &crate::parse::items::Cfg> {
        let regions = &self.syntax.cfg_regions;
        let ordered = self.regions.get_or_init(|| regions::Regions::new(regions.iter().map(|(r, _)| r.clone())));
        ordered.enclosing(span).into_iter().filter_map(|i| regions.get(i).map(|(_, c)| c))
    }

    /// The `#![cfg(..)]` of the whole file, if any.
    pub fn file_gate(&self) -> impl Iterator<Item = &crate::parse::items::Cfg> {
        self.syntax.cfg_regions.iter().filter(|(r, _)| r.start == 0 && r.end == usize::MAX).map(|(_, c)| c)
    }
}

/// The files of `files` that `marked` (per file) marks, with their index.
pub fn marked<'f>(files: &'f [FileData], marked: &'f [bool]) -> impl Iterator<Item = (usize, &'f FileData)> + Clone {
    files.iter().enumerate().zip(marked).filter(|(_, m)| **m).map(|(file, _)| file)
}

/// What reading a file's function bodies left out later needs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Lean {
    /// The bodies left out, decoded only when the file is checked.
    pub bodies: Encoded<Vec<crate::parse::skeleton::Blanked>>,
    /// The hash of the content read ([`crate::workspace::content_hash`]).
    pub hash: u64,
    /// Its cargo-script frontmatter, which syn does not read.
    pub frontmatter: Option<Range<usize>>,
    /// How deep it nests ([`crate::parse::lex::nesting_bound`]): no reading
    /// of part of it nests deeper.
    pub nesting: usize,
}

/// The texts of files findings point into, read when the first finding needs
/// one: the per-file stage keeps no text, so memory stays flat.
pub struct Sources<'a> {
    root: std::path::PathBuf,
    /// With `--staged`: the index content of files whose working tree differs,
    /// so a finding shows the code it is about.
    overlay: Option<&'a std::collections::BTreeMap<String, Vec<u8>>>,
    /// Shared by the threads that report findings.
    cache: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<crate::diagnostic::SourceFile>>>,
}

impl<'a> Sources<'a> {
    /// Reads from the workspace at `root`, or from `overlay` where it has the file.
    pub fn new(root: &std::path::Path, overlay: Option<&'a std::collections::BTreeMap<String, Vec<u8>>>) -> Self {
        Sources { root: root.to_path_buf(), overlay, cache: std::sync::Mutex::default() }
    }

    /// The text of a file (empty when it has become unreadable since).
    pub fn get(&self, rel: &str) -> std::sync::Arc<crate::diagnostic::SourceFile> {
        let mut cache = self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = cache.entry(rel.to_owned()).or_insert_with(|| {
            let text = match self.overlay.and_then(|o| o.get(rel)) {
                Some(bytes) => Ok(String::from_utf8_lossy(bytes).into_owned()),
                None => std::fs::read(self.root.join(rel)).map(|b| String::from_utf8_lossy(&b).into_owned()),
            };
            std::sync::Arc::new(crate::diagnostic::SourceFile::new(rel.to_owned(), text.unwrap_or_default()))
        });
        std::sync::Arc::clone(entry)
    }

    /// A file's content, read again (and not kept).
    pub fn read(&self, rel: &str) -> Option<Vec<u8>> {
        match self.overlay.and_then(|o| o.get(rel)) {
            Some(bytes) => Some(bytes.clone()),
            None => std::fs::read(self.root.join(rel)).ok(),
        }
    }

    /// A location in a file.
    pub fn at(&self, rel: &str, span: Range<usize>) -> crate::diagnostic::Location {
        crate::diagnostic::Location::new(&self.get(rel), span)
    }
}

#[cfg(test)]
mod resolver_tests;
#[cfg(test)]
mod tests;
