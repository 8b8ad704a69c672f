//! The order of the nodes inside each rank: crossing reduction that keeps every trust boundary
//! (cluster) in one piece.
//!
//! The classic recipe (as in Graphviz): barycenter sweeps down and up, each followed by
//! transposition of neighbours while that removes crossings, for several passes, keeping the best
//! order seen. Clusters are kept contiguous by sorting each rank hierarchically: nodes are
//! compared by the chain of clusters that hold them, so the members of a cluster can only move as
//! one group. A cluster's place among its siblings comes from one key for all ranks it spans, so
//! two sibling clusters are in the same order in every rank (a boundary box is one rectangle).
//! The work is capped so a graph with tens of thousands of nodes stays fast.

use super::adjacency::Adjacency;
use super::chains::Chains;

/// The graph being ordered: a proper layered graph (every edge joins neighbouring ranks).
pub(crate) struct Levels<'a> {
    /// Neighbours of each node in the rank above (towards rank 0).
    pub up: &'a Adjacency,
    /// Neighbours of each node in the rank below.
    pub down: &'a Adjacency,
    /// The clusters holding each node, outermost first (empty for the top level).
    pub chains: &'a Chains,
    /// Number of clusters (ids used in `chains` are below it).
    pub cluster_count: usize,
}

/// Sweeps (each one rank after another, down or up) allowed for a graph of this size: the work
/// of one sweep is about its node and edge count, so the sweeps' work is counted, never timed,
/// and the same graph always gets the same order.
///
/// Up to [`BIG_GRAPH`] the budget is [`SWEEP_BUDGET`] with two sweeps at least (one each way);
/// above it, [`BIG_SWEEP_BUDGET`] with one at least: a diagram of 10,000 elements has 150,000
/// nodes in 2,700 ranks, where each further sweep costs a tenth of a second and removes a few
/// per cent of crossings in a picture no one reads line by line.
fn sweeps_for(work: usize) -> usize {
    if work <= BIG_GRAPH {
        (SWEEP_BUDGET / work.max(1)).clamp(2, MOST_SWEEPS)
    } else {
        (BIG_SWEEP_BUDGET / work).clamp(1, MOST_SWEEPS)
    }
}

const SWEEP_BUDGET: usize = 1_500_000;
const MOST_SWEEPS: usize = 24;
/// Nodes and edges of the layered graph above which the smaller budget holds. A diagram of
/// under 2,000 elements and flows stays below it whatever its shape (its dummies and fillers are
/// capped at 40,000 each, see `proper`), so its picture does not depend on the budget.
const BIG_GRAPH: usize = 125_000;
const BIG_SWEEP_BUDGET: usize = 400_000;

/// Transposition is quadratic in degree; only small graphs get it, and only for pairs of nodes
/// with few flows (a hub with hundreds of flows would cost that squared for every neighbour).
const TRANSPOSE_LIMIT: usize = 60_000;
const TRANSPOSE_DEGREES: usize = 400;

/// Graphs up to this size (nodes and edges) are ordered three times, from a breadth-first order
/// begun at the top ranks, from one begun at the bottom ranks and from the first one reversed,
/// and keep the best: sweeps settle in a local best, and which one depends on where they start
/// (as Graphviz's further passes).
const SECOND_START_LIMIT: usize = 5_000;

/// Reorders `layers` in place to reduce edge crossings.
pub(crate) fn reduce_crossings(layers: &mut [Vec<usize>], levels: &Levels<'_>) {
    let nodes = levels.up.len();
    let edges: usize = levels.down.link_count();
    let mut pos = vec![0.0f64; nodes];
    let mut sorter = Sorter {
        keys: vec![0.0; nodes],
        cluster_keys: vec![0.0; levels.cluster_count],
        flat: Vec::new(),
        spans: Vec::new(),
        positions: Vec::new(),
    };
    // Big graphs get one start: their given order is kept only when there are more to try.
    let given = (nodes + edges <= SECOND_START_LIMIT).then(|| layers.to_vec());
    let mut best_count = sweep_from(Start::Top, layers, levels, &mut sorter, &mut pos);
    for start in [Start::Bottom, Start::TopReversed] {
        let Some(given) = given.as_ref().filter(|_| best_count > 0) else { break };
        let mut other = given.clone();
        let count = sweep_from(start, &mut other, levels, &mut sorter, &mut pos);
        if count < best_count {
            best_count = count;
            layers.clone_from_slice(&other);
        }
    }
    if levels.cluster_count * (nodes + edges) <= CLUSTER_MOVE_BUDGET {
        set_positions(layers, &mut pos);
        move_clusters(layers, levels, &mut sorter, &mut pos, best_count);
    }
}

/// Where the first, breadth-first order begins (and, reversed, which way each rank reads).
#[derive(Clone, Copy)]
enum Start {
    Top,
    Bottom,
    TopReversed,
}

/// Barycenter sweeps from one start; leaves the best order seen in `layers` and returns its
/// crossings.
fn sweep_from(
    start: Start,
    layers: &mut [Vec<usize>],
    levels: &Levels<'_>,
    sorter: &mut Sorter,
    pos: &mut [f64],
) -> usize {
    let nodes = levels.up.len();
    let edges: usize = levels.down.link_count();
    initial_order(layers, levels, start);
    set_positions(layers, pos);
    // Start from a grouping that already keeps clusters together.
    sorter.cluster_keys_from(layers, levels, pos, None);
    for layer in layers.iter_mut() {
        for &v in layer.iter() {
            sorter.keys[v] = pos[v];
        }
        sorter.sort(layer, levels);
    }
    set_positions(layers, pos);
    let mut best = layers.to_vec();
    let mut best_count = total_crossings(layers, levels, pos);
    let transpose = nodes + edges <= TRANSPOSE_LIMIT;
    let sweeps = sweeps_for(nodes + edges);
    for sweep in 0..sweeps {
        if best_count == 0 {
            break;
        }
        let downwards = sweep % 2 == 0;
        let (fixed, ranks): (&Adjacency, Vec<usize>) = if downwards {
            (levels.up, (0..layers.len()).collect())
        } else {
            (levels.down, (0..layers.len()).rev().collect())
        };
        // Every rank is sorted with the same cluster keys (the first by its own order), so sibling
        // clusters are in the same order in all ranks.
        sorter.cluster_keys_from(layers, levels, pos, Some(fixed));
        for r in ranks {
            let layer = &mut layers[r];
            for &v in layer.iter() {
                sorter.keys[v] = barycenter(&fixed[v], pos).unwrap_or(pos[v]);
            }
            sorter.sort(layer, levels);
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = normalised(i, layer.len());
            }
        }
        if transpose {
            transpose_all(layers, levels, pos);
        }
        let count = total_crossings(layers, levels, pos);
        if count < best_count {
            best_count = count;
            best.clone_from_slice(layers);
        } else if sweep % 4 == 3 {
            // No gain for a while: continue from the best order rather than wander.
            layers.clone_from_slice(&best);
            set_positions(layers, pos);
        }
    }
    layers.clone_from_slice(&best);
    best_count
}

/// Work allowed for trying cluster moves, as clusters times graph size. Each try re-sorts every
/// rank and recounts the crossings, up to six tries per cluster: a diagram of a thousand
/// elements in 32 boundaries would spend seconds here, a hand-drawn one a few milliseconds.
const CLUSTER_MOVE_BUDGET: usize = 1_000_000;

/// Sweeps move nodes, and a cluster only as far as its members pull it; a flow that passes a
/// whole cluster to reach another is better served by the two clusters trading places. So each
/// cluster is tried just before and just after each of its sibling neighbours (in every rank at
/// once), and kept there when that removes crossings.
fn move_clusters(
    layers: &mut [Vec<usize>],
    levels: &Levels<'_>,
    sorter: &mut Sorter,
    pos: &mut [f64],
    mut best_count: usize,
) {
    let mut parent: Vec<Option<Option<usize>>> = vec![None; levels.cluster_count];
    for chain in levels.chains.distinct() {
        for (i, &c) in chain.iter().enumerate() {
            parent[c] = Some(if i == 0 { None } else { Some(chain[i - 1]) });
        }
    }
    for _ in 0..3 {
        let mut improved = false;
        for c in 0..levels.cluster_count {
            let Some(own_parent) = parent[c] else { continue };
            sorter.cluster_keys_from(layers, levels, pos, None);
            let siblings: Vec<usize> = (0..levels.cluster_count)
                .filter(|&d| d != c && parent[d] == Some(own_parent))
                .collect();
            let key = sorter.cluster_keys[c];
            let before = siblings
                .iter()
                .map(|&d| sorter.cluster_keys[d])
                .filter(|&k| k < key)
                .fold(f64::NEG_INFINITY, f64::max);
            let after = siblings
                .iter()
                .map(|&d| sorter.cluster_keys[d])
                .filter(|&k| k > key)
                .fold(f64::INFINITY, f64::min);
            for target in [before - 1e-6, after + 1e-6] {
                if !target.is_finite() {
                    continue;
                }
                let saved = layers.to_vec();
                sorter.cluster_keys[c] = target;
                for layer in layers.iter_mut() {
                    for &v in layer.iter() {
                        sorter.keys[v] = pos[v];
                    }
                    sorter.sort(layer, levels);
                }
                sorter.cluster_keys[c] = key;
                set_positions(layers, pos);
                let count = total_crossings(layers, levels, pos);
                if count < best_count {
                    best_count = count;
                    improved = true;
                    break;
                }
                layers.clone_from_slice(&saved);
                set_positions(layers, pos);
            }
        }
        if !improved {
            break;
        }
    }
}

/// A first order, as Graphviz starts: nodes in the order a breadth-first search from the top
/// (or bottom) ranks reaches them, so connected nodes start near each other.
fn initial_order(layers: &mut [Vec<usize>], levels: &Levels<'_>, start: Start) {
    let n = levels.up.len();
    let mut seen = vec![false; n];
    let mut sequence = vec![0usize; n];
    let mut next = 0;
    let mut queue = std::collections::VecDeque::new();
    let roots: Vec<&Vec<usize>> = match start {
        Start::Top | Start::TopReversed => layers.iter().collect(),
        Start::Bottom => layers.iter().rev().collect(),
    };
    for layer in roots {
        for &root in layer {
            if seen[root] {
                continue;
            }
            seen[root] = true;
            queue.push_back(root);
            while let Some(v) = queue.pop_front() {
                sequence[v] = next;
                next += 1;
                for &w in levels.down[v].iter().chain(&levels.up[v]) {
                    if !seen[w] {
                        seen[w] = true;
                        queue.push_back(w);
                    }
                }
            }
        }
    }
    let reversed = matches!(start, Start::TopReversed);
    for layer in layers.iter_mut() {
        layer.sort_by_key(|&v| if reversed { n - sequence[v] } else { sequence[v] });
    }
}

/// A node's position as a fraction of its rank, so ranks of different lengths compare.
fn normalised(i: usize, len: usize) -> f64 {
    (i as f64 + 0.5) / len.max(1) as f64
}

fn set_positions(layers: &[Vec<usize>], pos: &mut [f64]) {
    for layer in layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = normalised(i, layer.len());
        }
    }
}

fn barycenter(neighbours: &[usize], pos: &[f64]) -> Option<f64> {
    if neighbours.is_empty() {
        return None;
    }
    Some(neighbours.iter().map(|&u| pos[u]).sum::<f64>() / neighbours.len() as f64)
}

struct Sorter {
    keys: Vec<f64>,
    cluster_keys: Vec<f64>,
    /// Scratch for [`Sorter::sort`], kept between calls: each node's sort key, flattened, with
    /// the range of it that belongs to each position of the rank.
    flat: Vec<u128>,
    spans: Vec<(usize, usize)>,
    positions: Vec<usize>,
}

/// One step of a node's sort key, as one integer that orders like `(key, kind, id)`, so that
/// a whole key compares as a slice of integers.
fn key_entry(key: f64, kind: u8, id: usize) -> u128 {
    (u128::from(ordered_bits(key)) << 64)
        | (u128::from(kind) << 63)
        | (id as u128 & (u64::MAX >> 1) as u128)
}

/// The bits of a float, changed so that unsigned order is `f64::total_cmp`'s order.
fn ordered_bits(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

impl Sorter {
    /// One key per cluster for all its ranks: the mean position of the far ends of its members'
    /// flows towards `fixed`, each flow counted once, so a gateway with twenty flows outweighs a
    /// member with one and members with no flow that way do not anchor the box where it is. A
    /// cluster with no such flow (or with `fixed` `None`) keeps the mean position of its members.
    fn cluster_keys_from(
        &mut self,
        layers: &[Vec<usize>],
        levels: &Levels<'_>,
        pos: &[f64],
        fixed: Option<&Adjacency>,
    ) {
        let mut pulls = vec![(0.0f64, 0usize); levels.cluster_count];
        let mut own = vec![(0.0f64, 0usize); levels.cluster_count];
        for layer in layers {
            for &v in layer {
                let ends = fixed.map_or(&[][..], |f| &f[v][..]);
                let pull: f64 = ends.iter().map(|&u| pos[u]).sum();
                for &c in &levels.chains[v] {
                    pulls[c].0 += pull;
                    pulls[c].1 += ends.len();
                    own[c].0 += pos[v];
                    own[c].1 += 1;
                }
            }
        }
        for (c, key) in self.cluster_keys.iter_mut().enumerate() {
            let (sum, count) = if pulls[c].1 > 0 { pulls[c] } else { own[c] };
            if count > 0 {
                *key = sum / count as f64;
            }
        }
    }

    /// Sorts one rank by the chain of (key, kind, id) of each node: cluster entries are shared
    /// by all members, so each cluster stays contiguous; no two nodes have the same key, so the
    /// order is deterministic. The keys are built once per sort, not once per comparison.
    fn sort(&mut self, layer: &mut [usize], levels: &Levels<'_>) {
        self.flat.clear();
        self.spans.clear();
        for &v in layer.iter() {
            let start = self.flat.len();
            for &c in &levels.chains[v] {
                self.flat.push(key_entry(self.cluster_keys[c], 0, c));
            }
            self.flat.push(key_entry(self.keys[v], 1, v));
            self.spans.push((start, self.flat.len()));
        }
        let mut positions = std::mem::take(&mut self.positions);
        positions.clear();
        positions.extend(0..layer.len());
        let (flat, spans) = (&self.flat, &self.spans);
        let key = |i: usize| &flat[spans[i].0..spans[i].1];
        positions.sort_unstable_by(|&a, &b| key(a).cmp(key(b)));
        let nodes: Vec<usize> = positions.iter().map(|&i| layer[i]).collect();
        layer.copy_from_slice(&nodes);
        self.positions = positions;
    }
}

/// Swaps neighbours of one cluster while that removes crossings, a few passes at most.
fn transpose_all(layers: &mut [Vec<usize>], levels: &Levels<'_>, pos: &mut [f64]) {
    for _ in 0..4 {
        let mut improved = false;
        for layer in layers.iter_mut() {
            for i in 0..layer.len().saturating_sub(1) {
                let (u, v) = (layer[i], layer[i + 1]);
                let degrees = (levels.up[u].len() + levels.down[u].len())
                    * (levels.up[v].len() + levels.down[v].len());
                if levels.chains.id(u) != levels.chains.id(v) || degrees > TRANSPOSE_DEGREES {
                    continue;
                }
                let now = pair_crossings(u, v, levels, pos);
                let swapped = pair_crossings(v, u, levels, pos);
                if swapped < now {
                    layer.swap(i, i + 1);
                    let (pu, pv) = (pos[u], pos[v]);
                    pos[u] = pv;
                    pos[v] = pu;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Crossings between the edges of `u` and of `v` when `u` is left of `v`.
fn pair_crossings(u: usize, v: usize, levels: &Levels<'_>, pos: &[f64]) -> usize {
    let mut count = 0;
    for side in [levels.up, levels.down] {
        for &a in &side[u] {
            count += side[v].iter().filter(|&&b| pos[a] > pos[b]).count();
        }
    }
    count
}

/// All crossings between neighbouring ranks (inversion counting with a Fenwick tree).
pub(crate) fn total_crossings(layers: &[Vec<usize>], levels: &Levels<'_>, pos: &[f64]) -> usize {
    let mut total = 0;
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut index = vec![0usize; pos.len()];
    for layer in layers {
        for (i, &v) in layer.iter().enumerate() {
            index[v] = i;
        }
    }
    for w in layers.windows(2) {
        pairs.clear();
        for &a in &w[0] {
            for &b in &levels.down[a] {
                pairs.push((index[a], index[b]));
            }
        }
        pairs.sort_unstable();
        let mut tree = vec![0usize; w[1].len() + 1];
        for (seen, &(_, b)) in pairs.iter().enumerate() {
            // Edges already seen that end right of b cross this one.
            let mut at_most = 0;
            let mut i = b + 1;
            while i > 0 {
                at_most += tree[i];
                i -= i & i.wrapping_neg();
            }
            total += seen - at_most;
            let mut i = b + 1;
            while i < tree.len() {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Up and down neighbours of a small test graph, with its nodes' boundary chains.
    fn levels_of(
        edges: &[(usize, usize)],
        n: usize,
        chains: Vec<Vec<usize>>,
        clusters: usize,
    ) -> (Adjacency, Adjacency, Chains) {
        let mut up = vec![Vec::new(); n];
        let mut down = vec![Vec::new(); n];
        for &(a, b) in edges {
            down[a].push(b);
            up[b].push(a);
        }
        let _ = clusters;
        (Adjacency::from_lists(&up), Adjacency::from_lists(&down), Chains::from_lists(&chains))
    }

    #[test]
    fn a_twisted_pair_is_untwisted() {
        // 0 1 over 2 3, edges 0-3 and 1-2 cross.
        let (up, down, chains) = levels_of(&[(0, 3), (1, 2)], 4, vec![Vec::new(); 4], 0);
        let levels = Levels { up: &up, down: &down, chains: &chains, cluster_count: 0 };
        let mut layers = vec![vec![0, 1], vec![2, 3]];
        reduce_crossings(&mut layers, &levels);
        let mut pos = vec![0.0; 4];
        set_positions(&layers, &mut pos);
        assert_eq!(total_crossings(&layers, &levels, &pos), 0);
    }

    #[test]
    fn cluster_members_stay_together() {
        // Nodes 1 and 3 in cluster 0; 0, 2 outside. Edges pull 2 between 1 and 3.
        let edges = [(4, 1), (4, 3), (5, 2), (5, 0)];
        let chains = vec![vec![], vec![0], vec![], vec![0], vec![], vec![]];
        let (up, down, chains) = levels_of(&edges, 6, chains, 1);
        let levels = Levels { up: &up, down: &down, chains: &chains, cluster_count: 1 };
        let mut layers = vec![vec![4, 5], vec![1, 2, 3, 0]];
        reduce_crossings(&mut layers, &levels);
        let at = |v: usize| layers[1].iter().position(|&x| x == v).unwrap_or(0);
        assert_eq!(at(1).abs_diff(at(3)), 1, "{layers:?}");
    }
}
