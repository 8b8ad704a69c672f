//! Each node's neighbours in one flat list (compressed rows): the layered graph of a big diagram
//! has hundreds of thousands of nodes (and its placement as many tokens with constraints), and a
//! `Vec` of neighbours per node was that many allocations to make, to chase through while
//! ordering the ranks, and to free.

use std::ops::Index;

/// What nodes `0..len()` link to: `adjacency[v]` is node `v`'s list (of neighbours, or of
/// `(neighbour, gap)` constraints), in the order the links were given.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Adjacency<T = usize> {
    /// Node `v`'s list is `targets[start[v]..start[v + 1]]`.
    start: Vec<usize>,
    targets: Vec<T>,
}

impl<T> Default for Adjacency<T> {
    fn default() -> Self {
        Adjacency { start: vec![0], targets: Vec::new() }
    }
}

impl<T: Copy + Default> Adjacency<T> {
    /// The links `(from, to)` of `nodes` nodes as each node's list of `to`s, kept in the order
    /// of `links` (a stable counting sort by `from`; the iterator is walked twice).
    pub fn from_links(nodes: usize, links: impl Iterator<Item = (usize, T)> + Clone) -> Self {
        let mut start = vec![0usize; nodes + 1];
        for (from, _) in links.clone() {
            start[from + 1] += 1;
        }
        for v in 0..nodes {
            start[v + 1] += start[v];
        }
        let mut next = start.clone();
        let mut targets = vec![T::default(); start[nodes]];
        for (from, to) in links {
            targets[next[from]] = to;
            next[from] += 1;
        }
        Adjacency { start, targets }
    }
}

impl Adjacency {
    /// Each node's neighbours in `first`, then its neighbours in `second`.
    pub fn joined(first: &Adjacency, second: &Adjacency) -> Self {
        let nodes = first.len().max(second.len());
        let mut start = Vec::with_capacity(nodes + 1);
        let mut targets = Vec::with_capacity(first.targets.len() + second.targets.len());
        start.push(0);
        for v in 0..nodes {
            targets.extend_from_slice(first.get(v));
            targets.extend_from_slice(second.get(v));
            start.push(targets.len());
        }
        Adjacency { start, targets }
    }

    /// One list per node, as given (tests build small graphs this way).
    #[cfg(test)]
    pub fn from_lists(lists: &[Vec<usize>]) -> Self {
        let links: Vec<(usize, usize)> = lists
            .iter()
            .enumerate()
            .flat_map(|(v, list)| list.iter().map(move |&u| (v, u)))
            .collect();
        Adjacency::from_links(lists.len(), links.into_iter())
    }
}

impl<T> Adjacency<T> {
    /// How many nodes.
    pub fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// How many links in all.
    pub fn link_count(&self) -> usize {
        self.targets.len()
    }

    /// Node `v`'s list; empty for a node beyond [`Adjacency::len`].
    fn get(&self, v: usize) -> &[T] {
        match (self.start.get(v), self.start.get(v + 1)) {
            (Some(&a), Some(&b)) => &self.targets[a..b],
            _ => &[],
        }
    }
}

impl<T> Index<usize> for Adjacency<T> {
    type Output = [T];

    fn index(&self, v: usize) -> &[T] {
        &self.targets[self.start[v]..self.start[v + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_their_order_per_node() {
        let adjacency = Adjacency::from_links(4, [(2, 0), (0, 3), (2, 1), (0, 1)].into_iter());
        assert_eq!(adjacency.len(), 4);
        assert_eq!(&adjacency[0], &[3, 1]);
        assert!(adjacency[1].is_empty());
        assert_eq!(&adjacency[2], &[0, 1]);
        assert!(adjacency[3].is_empty());
        assert_eq!(adjacency.link_count(), 4);
    }

    #[test]
    fn joined_lists_one_after_the_other() {
        let up = Adjacency::from_lists(&[vec![], vec![0], vec![0, 1]]);
        let down = Adjacency::from_lists(&[vec![1, 2], vec![2], vec![]]);
        let both = Adjacency::joined(&up, &down);
        assert_eq!(&both[0], &[1, 2]);
        assert_eq!(&both[1], &[0, 2]);
        assert_eq!(&both[2], &[0, 1]);
    }
}
