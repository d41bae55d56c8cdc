//! Indices grouped by a key: one list for all the groups, each group a run
//! of it. The resolver keeps its members by owner and by name this way, so
//! that tens of thousands of groups cost two allocations, not one each.

use std::hash::Hash;

// Built and looked up for every member of the workspace: hashed with foldhash.
use foldhash::HashMap;

/// From this many indices on, a run is sorted with each key made once.
const CACHED_KEYS: usize = 16;

/// Indices `0..len` grouped by key, each group in a given order.
#[derive(Debug, Clone)]
pub struct Groups<K> {
    /// Each key's run of `list`: its start and end.
    runs: HashMap<K, (usize, usize)>,
    list: Vec<usize>,
}

impl<K> Default for Groups<K> {
    fn default() -> Self {
        Groups { runs: HashMap::default(), list: Vec::new() }
    }
}

impl<K: Hash + Eq + Copy> Groups<K> {
    /// Groups the indices `0..len` by `key_of` (`None`: in no group), each
    /// group in index order.
    pub fn new(len: usize, key_of: impl Fn(usize) -> Option<K>) -> Self {
        let mut ids: HashMap<K, usize> = HashMap::default();
        // Per group: its key and its size.
        let mut groups: Vec<(K, usize)> = Vec::new();
        let mut keyed: Vec<(usize, usize)> = Vec::with_capacity(len);
        for i in 0..len {
            let Some(key) = key_of(i) else { continue };
            let id = *ids.entry(key).or_insert_with(|| {
                groups.push((key, 0));
                groups.len() - 1
            });
            if let Some((_, size)) = groups.get_mut(id) {
                *size += 1;
            }
            keyed.push((i, id));
        }
        // Each group's next free place in the list (a counting sort: stable,
        // so each group stays in index order).
        let mut next = Vec::with_capacity(groups.len());
        let mut runs = HashMap::with_capacity_and_hasher(groups.len(), foldhash::fast::RandomState::default());
        let mut start = 0;
        for &(key, size) in &groups {
            next.push(start);
            runs.insert(key, (start, start + size));
            start += size;
        }
        let mut list = vec![0; keyed.len()];
        for (i, id) in keyed {
            let Some(at) = next.get_mut(id) else { continue };
            if let Some(slot) = list.get_mut(*at) {
                *slot = i;
            }
            *at += 1;
        }
        Groups { runs, list }
    }

    /// The group of `key`, empty when there is none.
    pub fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> &[usize]
    where
        K: std::borrow::Borrow<Q>,
    {
        self.runs.get(key).and_then(|&(start, end)| self.list.get(start..end)).unwrap_or_default()
    }

    /// The same groups, each sorted by `order`.
    pub fn sorted_by_key<O: Ord>(&self, order: impl Fn(usize) -> O) -> Self {
        let mut list = self.list.clone();
        for &(start, end) in self.runs.values() {
            match list.get_mut(start..end) {
                // A long run's keys are made once each, not at every
                // comparison: each costs lookups all over memory.
                Some(run) if run.len() > CACHED_KEYS => run.sort_by_cached_key(|&i| order(i)),
                Some(run) => run.sort_unstable_by_key(|&i| order(i)),
                None => {}
            }
        }
        Groups { runs: self.runs.clone(), list }
    }
}

#[cfg(test)]
mod tests {
    use super::Groups;

    #[test]
    fn groups_hold_their_indices_in_order_and_sort_apart() {
        let words = ["b", "a", "b", "c", "a", "b"];
        let by_word = Groups::new(words.len(), |i| words.get(i).filter(|w| **w != "c").copied());
        assert_eq!(by_word.get("b"), [0, 2, 5]);
        assert_eq!(by_word.get("a"), [1, 4]);
        assert!(by_word.get(&"c").is_empty(), "left out of every group");
        assert!(by_word.get(&"d").is_empty());
        let reversed = by_word.sorted_by_key(std::cmp::Reverse);
        assert_eq!(reversed.get(&"b"), [5, 2, 0]);
        assert_eq!(reversed.get(&"a"), [4, 1]);
        assert_eq!(by_word.get(&"b"), [0, 2, 5], "the original keeps its order");
        assert!(Groups::<u8>::new(0, |_| None).get(&0).is_empty());
    }
}
