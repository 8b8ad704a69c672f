//! Long flows as blocks, the way Brandes and Köpf (and Graphviz) line them up: the nodes a long
//! flow has in consecutive ranks become one variable of the placement, so the flow runs down
//! in one vertical line and the rest is placed around it.
//!
//! Two blocks must never swap sides from one rank to the next (the placement would then ask
//! each to be left of the other), nor may a block cross a cluster's side. So, between each pair
//! of neighbouring ranks, a flow's segment joins its block only if it crosses no segment
//! already taken there; clusters' sides are taken first, then the segments of the longest flows.
//! A flow whose segment is refused is cut into several blocks there.

use std::collections::BTreeMap;

use crate::index_hash::{IndexMap, IndexSet};

use super::adjacency::Adjacency;
use super::straighten::Run;

/// Which variable places each token, and where the token sits relative to it.
pub(crate) struct Blocks {
    /// The variable of each token: the token itself, or its block's top node.
    pub of: Vec<usize>,
    /// How far each token's centre lies before its variable: a block's variable is the flow's
    /// line, which runs along a label node's left side.
    pub shift: Vec<f64>,
    /// The nodes of each block of two or more, by its variable.
    members: IndexMap<usize, Vec<usize>>,
}

impl Blocks {
    /// Every token placed on its own.
    pub(crate) fn none(vars: usize) -> Self {
        Blocks { of: (0..vars).collect(), shift: vec![0.0; vars], members: IndexMap::default() }
    }

    /// Blocks for the `runs`, given each rank's `tokens` (nodes below `n`, cluster sides above).
    pub(crate) fn aligned(tokens: &[Vec<usize>], n: usize, vars: usize, runs: &[Run]) -> Self {
        let taken = taken_segments(tokens, n, runs);
        let mut blocks = Blocks::none(vars);
        for (r, run) in runs.iter().enumerate() {
            let mut top = 0;
            for i in 0..run.inner.len() {
                let joins = i > 0 && taken.contains(&(r, i - 1));
                if !joins {
                    top = i;
                }
                let block = &run.inner[top..=i];
                if block.len() < 2 {
                    continue;
                }
                let (head, (v, off)) = (block[0].0, run.inner[i]);
                if block.len() == 2 {
                    blocks.shift[head] = block[0].1;
                    blocks.members.insert(head, vec![head]);
                }
                blocks.of[v] = head;
                blocks.shift[v] = off;
                blocks.members.entry(head).or_default().push(v);
            }
        }
        blocks
    }

    /// Where token `v`'s centre is, given the variables' positions `x`.
    pub(crate) fn centre(&self, v: usize, x: &[f64]) -> f64 {
        x[self.of[v]] - self.shift[v]
    }

    /// Where variable `v` (a node's or a block's) wants to be: the median of its neighbours
    /// outside it; `None` for a node placed by its block, or one without neighbours.
    pub(crate) fn wanted(
        &self,
        v: usize,
        neighbours: &Adjacency,
        x: &[f64],
        scratch: &mut Vec<f64>,
    ) -> Option<f64> {
        if self.of[v] != v {
            return None;
        }
        scratch.clear();
        match self.members.get(&v) {
            Some(members) => {
                for &m in members {
                    let outside = neighbours[m].iter().filter(|&&u| self.of[u] != v);
                    scratch.extend(outside.map(|&u| self.centre(u, x)));
                }
            }
            None => scratch.extend(neighbours[v].iter().map(|&u| self.centre(u, x))),
        }
        median(scratch)
    }
}

/// A segment that may join a block, sorted by priority: (longest flows first as `usize::MAX`
/// less the run's length, run, index in the run, position in its upper rank, in its lower rank).
type Candidate = (usize, usize, usize, usize, usize);

/// The segments `(run, i)` (from the run's `i`th inner node to the next) that join blocks.
fn taken_segments(tokens: &[Vec<usize>], n: usize, runs: &[Run]) -> IndexSet<(usize, usize)> {
    let mut at = vec![(usize::MAX, 0usize); n];
    for (rank, list) in tokens.iter().enumerate() {
        for (pos, &t) in list.iter().enumerate() {
            if t < n {
                at[t] = (rank, pos);
            }
        }
    }
    // The candidates of each pair of ranks, longest flows first.
    let mut by_rank: Vec<Vec<Candidate>> = vec![Vec::new(); tokens.len()];
    for (r, run) in runs.iter().enumerate() {
        for (i, w) in run.inner.windows(2).enumerate() {
            let ((rank, upper), (next, lower)) = (at[w[0].0], at[w[1].0]);
            if rank != usize::MAX && next == rank + 1 {
                by_rank[rank].push((usize::MAX - run.inner.len(), r, i, upper, lower));
            }
        }
    }
    let mut taken = IndexSet::default();
    for (rank, candidates) in by_rank.iter_mut().enumerate() {
        if candidates.is_empty() {
            continue;
        }
        candidates.sort_unstable();
        let mut lines: BTreeMap<usize, usize> = sides_through(tokens, n, rank);
        for &(_, r, i, upper, lower) in candidates.iter() {
            let before = lines.range(..upper).next_back().map(|(_, &l)| l);
            let after = lines.range(upper + 1..).next().map(|(_, &l)| l);
            if before.is_none_or(|l| l < lower) && after.is_none_or(|l| l > lower) {
                lines.insert(upper, lower);
                taken.insert((r, i));
            }
        }
    }
    taken
}

/// The clusters' sides present in both `rank` and the next, as (position above, position below).
fn sides_through(tokens: &[Vec<usize>], n: usize, rank: usize) -> BTreeMap<usize, usize> {
    let (Some(upper), Some(lower)) = (tokens.get(rank), tokens.get(rank + 1)) else {
        return BTreeMap::new();
    };
    let below: IndexMap<usize, usize> =
        lower.iter().enumerate().filter(|(_, &t)| t >= n).map(|(p, &t)| (t, p)).collect();
    upper
        .iter()
        .enumerate()
        .filter(|(_, &t)| t >= n)
        .filter_map(|(p, t)| Some((p, *below.get(t)?)))
        .collect()
}

/// The median of `values` (reordered), `None` when there are none.
fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let m = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[m] } else { (values[m - 1] + values[m]) / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(nodes: &[usize]) -> Run {
        Run { inner: nodes.iter().map(|&v| (v, 0.0)).collect(), ends: (0, 0) }
    }

    /// Two flows swap sides between ranks 0 and 1: only the longer one becomes a block there.
    #[test]
    fn crossing_segments_do_not_both_join_blocks() {
        let tokens = vec![vec![0, 1], vec![2, 3], vec![4]];
        let blocks = Blocks::aligned(&tokens, 5, 5, &[run(&[0, 3, 4]), run(&[1, 2])]);
        assert_eq!((blocks.of[3], blocks.of[4]), (0, 0));
        assert_eq!((blocks.of[1], blocks.of[2]), (1, 2));
    }

    /// A flow outside a cluster on its left in one rank and on its right in the next cannot be
    /// one vertical line: the cluster's side is taken first.
    #[test]
    fn a_block_never_crosses_a_clusters_side() {
        // Cluster 0's left side is token 4 (n = 4), its right side 5.
        let tokens = vec![vec![0, 4, 1, 5], vec![4, 2, 5, 3]];
        let blocks = Blocks::aligned(&tokens, 4, 6, &[run(&[0, 3])]);
        assert_eq!(blocks.of[3], 3);
    }
}
