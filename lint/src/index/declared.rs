//! Which names a lookup can find at all: a binding comes from an item, a
//! child module, a named `use` or an enum's variant declared somewhere in
//! the target of the module looked in or in a target it reaches through its
//! dependencies. A lookup of any other name binds nothing, and the resolver
//! answers it without a search.
//!
//! That matters where globs form cycles: a generated crate whose `features`
//! module glob-imports a thousand modules that each `use super::*;` walks
//! all of them for every name it is asked about (`allow`, `derive`, a
//! prelude name), and such a walk, cut short by the cycle, is not memoized.

use foldhash::HashMap;

use super::modtree::{ModId, ModTree};
use crate::parse::items::{ns, MemberKind, ModuleBody, UseTarget};

/// Names declared per target, and the targets each target reaches.
#[derive(Default)]
pub struct Declared<'a> {
    /// Per name: the targets (by slot) declaring it, each with the
    /// namespaces it is declared in there.
    by_name: HashMap<&'a str, Vec<(u32, u8)>>,
    /// Per module id: the slot of its target.
    slot_of: Vec<u32>,
    /// Per slot: the slots its code can reach (itself and its
    /// dependencies, transitively), as a bit set.
    reach: Vec<Vec<u64>>,
}

impl<'a> Declared<'a> {
    /// Collects the names of `tree`'s modules (`body` gives a module's
    /// body) and the targets each target's `externs` (per module id of a
    /// target root: the roots of the crates it names) reach.
    pub fn new(
        tree: &'a ModTree,
        body: impl Fn(ModId) -> Option<&'a ModuleBody>,
        externs: &[Vec<(crate::parse::items::Name, ModId)>],
    ) -> Self {
        let mut slots: HashMap<ModId, u32> = HashMap::default();
        let mut roots: Vec<ModId> = Vec::new();
        let slot_of: Vec<u32> = (tree.modules.iter())
            .map(|module| {
                *slots.entry(module.root).or_insert_with(|| {
                    roots.push(module.root);
                    u32::try_from(roots.len() - 1).unwrap_or(u32::MAX)
                })
            })
            .collect();
        let words = roots.len().div_ceil(64);
        let reach = (roots.iter())
            .map(|&root| {
                let mut bits = vec![0u64; words];
                let mut stack = vec![root];
                while let Some(r) = stack.pop() {
                    let Some(&s) = slots.get(&r) else { continue };
                    let (word, bit) = (s as usize / 64, 1u64 << (s % 64));
                    let Some(w) = bits.get_mut(word).filter(|w| **w & bit == 0) else { continue };
                    *w |= bit;
                    stack.extend(externs.get(r).into_iter().flatten().map(|(_, dep)| *dep));
                }
                bits
            })
            .collect();
        let mut by_name: HashMap<&'a str, Vec<(u32, u8)>> = HashMap::default();
        let mut declare = |name: &'a str, slot: u32, namespaces: u8| {
            let targets = by_name.entry(name).or_default();
            match targets.last_mut() {
                Some((last, bits)) if *last == slot => *bits |= namespaces,
                _ => targets.push((slot, namespaces)),
            }
        };
        for (m, module) in tree.modules.iter().enumerate() {
            let slot = slot_of.get(m).copied().unwrap_or(u32::MAX);
            for (name, _) in &module.children {
                declare(name.as_str(), slot, ns::TYPE);
            }
            let Some(body) = body(m) else { continue };
            for item in &body.items {
                declare(item.name.as_str(), slot, item.ns);
                // `use Tier::*;` binds the variants.
                for v in item.members.iter().filter(|v| v.kind == MemberKind::Variant) {
                    declare(v.name.as_str(), slot, ns::TYPE | ns::VALUE);
                }
            }
            for u in &body.uses {
                if let UseTarget::Name(name) = &u.target {
                    declare(name.as_str(), slot, ns::ANY);
                }
            }
        }
        Declared { by_name, slot_of, reach }
    }

    /// Whether a lookup of `name` in namespaces `ns` in module `m` may find
    /// a binding: some target `m`'s reaches declares it there.
    pub fn may_bind(&self, m: ModId, name: &str, ns: u8) -> bool {
        let Some(targets) = self.by_name.get(name) else { return false };
        let Some(reach) = self.slot_of.get(m).and_then(|&s| self.reach.get(s as usize)) else { return true };
        targets.iter().any(|&(slot, bits)| {
            bits & ns != 0 && reach.get(slot as usize / 64).is_some_and(|w| w & (1u64 << (slot % 64)) != 0)
        })
    }
}
