//! Which `#[cfg(..)]` regions of a file enclose a span, without scanning
//! them all: a file gated item by item (hundreds of `#[cfg(feature = ..)]`)
//! is asked about every path in it.
//!
//! Regions come from syntax, so any two are nested or apart. Sorted by start
//! (outer first on a tie), each region's parent is the nearest region
//! enclosing it; every region enclosing a span then lies on the parent chain
//! of the last region starting at or before the span. A file whose regions
//! overlap otherwise (which no parse makes) is searched region by region.

use std::ops::Range;

/// The regions of one file, ordered for [`Regions::enclosing`].
#[derive(Debug, Clone, Default)]
pub struct Regions {
    /// The regions, by index.
    ranges: Vec<Range<usize>>,
    /// Indices of the regions, by start, then by end descending.
    order: Vec<usize>,
    /// Per place in `order`: the place of the nearest enclosing region.
    parent: Vec<Option<usize>>,
    /// Any two regions are nested or apart.
    nested: bool,
}

impl Regions {
    /// Orders `ranges` (a file's cfg regions, by index).
    pub fn new(ranges: impl IntoIterator<Item = Range<usize>>) -> Regions {
        let ranges: Vec<Range<usize>> = ranges.into_iter().collect();
        let regions = &ranges;
        let mut order: Vec<usize> = (0..regions.len()).collect();
        order.sort_by_key(|&i| regions.get(i).map(|r| (r.start, std::cmp::Reverse(r.end))));
        let mut parent = Vec::with_capacity(order.len());
        let mut open: Vec<usize> = Vec::new();
        let mut nested = true;
        for &i in &order {
            let Some(cur) = regions.get(i) else { continue };
            let end_of = |place: usize| order.get(place).and_then(|&j| regions.get(j)).map_or(0, |r| r.end);
            while let Some(&top) = open.last() {
                if cur.end <= end_of(top) {
                    break;
                }
                // Starts inside the region on top but ends after it.
                nested &= cur.start >= end_of(top);
                open.pop();
            }
            parent.push(open.last().copied());
            open.push(parent.len() - 1);
        }
        Regions { ranges, order, parent, nested }
    }

    /// The indices of the regions enclosing `span`, in index order.
    pub fn enclosing(&self, span: &Range<usize>) -> Vec<usize> {
        let regions = &self.ranges;
        let encloses = |i: &usize| regions.get(*i).is_some_and(|r| r.start <= span.start && span.end <= r.end);
        // An empty span where one region ends and the next begins lies in
        // both, apart as they are: only a scan finds them.
        if !self.nested || span.is_empty() {
            return (0..regions.len()).filter(encloses).collect();
        }
        let starts_before = self.order.partition_point(|&i| regions.get(i).is_some_and(|r| r.start <= span.start));
        let mut out = Vec::new();
        let mut place = starts_before.checked_sub(1);
        while let Some(p) = place {
            out.extend(self.order.get(p).copied().filter(encloses));
            place = self.parent.get(p).copied().flatten();
        }
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Regions;
    use proptest::prelude::*;

    fn linear(regions: &[std::ops::Range<usize>], span: &std::ops::Range<usize>) -> Vec<usize> {
        (0..regions.len()).filter(|&i| regions[i].start <= span.start && span.end <= regions[i].end).collect()
    }

    /// Nested or apart regions, as syntax makes them: a random tree of
    /// ranges, with the whole-file region (`0..usize::MAX`) at times.
    fn tree() -> impl Strategy<Value = Vec<std::ops::Range<usize>>> {
        proptest::collection::vec((0usize..200, 1usize..40), 0..30).prop_map(|raw| {
            let mut out: Vec<std::ops::Range<usize>> = Vec::new();
            for (start, len) in raw {
                let candidate = start..start + len;
                let fits = out.iter().all(|r| {
                    candidate.end <= r.start
                        || r.end <= candidate.start
                        || (r.start <= candidate.start && candidate.end <= r.end)
                        || (candidate.start <= r.start && r.end <= candidate.end)
                });
                if fits {
                    out.push(candidate);
                }
            }
            if out.len().is_multiple_of(3) {
                out.push(0..usize::MAX);
            }
            out
        })
    }

    #[test]
    fn an_empty_span_where_two_regions_meet_lies_in_both() {
        let regions = [170..171, 150..170];
        let ordered = Regions::new(regions.iter().cloned());
        assert_eq!(ordered.enclosing(&(170..170)), [0, 1]);
        assert_eq!(ordered.enclosing(&(170..171)), [0]);
    }

    proptest! {
        #[test]
        fn enclosing_regions_are_those_a_scan_finds(regions in tree(), start in 0usize..240, len in 0usize..20) {
            let span = start..start + len;
            let ordered = Regions::new(regions.iter().cloned());
            prop_assert!(ordered.nested);
            prop_assert_eq!(ordered.enclosing(&span), linear(&regions, &span));
        }

        #[test]
        fn overlapping_regions_are_scanned(raw in proptest::collection::vec((0usize..100, 1usize..60), 0..20), start in 0usize..160) {
            let regions: Vec<_> = raw.into_iter().map(|(s, l)| s..s + l).collect();
            let span = start..start + 1;
            prop_assert_eq!(Regions::new(regions.iter().cloned()).enclosing(&span), linear(&regions, &span));
        }
    }

    #[test]
    fn a_region_ending_inside_another_is_not_nested() {
        let regions = Regions::new([0..10, 5..20]);
        assert!(!regions.nested);
        assert_eq!(regions.enclosing(&(6..8)), [0, 1]);
    }
}
