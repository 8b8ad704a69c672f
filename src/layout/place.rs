//! Positions along each rank (the order axis), keeping the order, the gaps and every cluster a
//! rectangle.
//!
//! Each rank is read as a sequence of tokens: nodes, and the left (`L`) and right (`R`) side of
//! every cluster it enters and leaves. Neighbouring tokens give separation constraints
//! (`x[b] - x[a] >= gap`); a cluster's sides are the same variables in every rank, so nothing
//! outside a cluster can sit between its sides in any rank it spans. The constraints form a DAG
//! (the ordering keeps sibling clusters in the same order in every rank), solved by longest paths
//! for the tightest packing and then relaxed in alternating sweeps: each node moves towards the
//! median of its neighbours in the ranks next to it, as far as the already placed tokens and the
//! room the rest still needs allow, so the result is always feasible. A long flow's nodes move
//! as one piece meanwhile, and are lined up at the end ([`straighten`](super::straighten)).

use super::adjacency::Adjacency;
use super::align::Blocks;
use super::chains::Chains;
use super::straighten::{straighten, Run};

/// Sizes and gaps along the order axis.
pub(crate) struct Room<'a> {
    /// Each node's extent along the order axis.
    pub size: &'a [f64],
    /// Half the gap each node wants to its neighbours (dummies need less than boxes).
    pub half_gap: &'a [f64],
    /// The clusters holding each node, outermost first.
    pub chains: &'a Chains,
    /// Padding inside each cluster before its first and after its last member.
    pub pad: &'a [(f64, f64)],
    /// Smallest width of each cluster (its title must fit).
    pub min_width: &'a [f64],
    /// Gap between a cluster's side and a token outside it.
    pub cluster_gap: f64,
    /// The long flows to draw straight.
    pub runs: &'a [Run],
}

/// Centres of the nodes and the (left, right) sides of the clusters.
pub(crate) struct Placement {
    pub centre: Vec<f64>,
    pub clusters: Vec<(f64, f64)>,
}

/// Relaxation sweeps for a graph of this size (each one linear in it).
fn sweeps_for(work: usize) -> usize {
    (2_000_000 / work.max(1)).clamp(2, 16)
}

pub(crate) fn place(layers: &[Vec<usize>], neighbours: &Adjacency, room: &Room<'_>) -> Placement {
    let n = room.size.len();
    let clusters = room.pad.len();
    let tokens: Vec<Vec<usize>> = layers.iter().map(|layer| rank_tokens(layer, room)).collect();
    let constraints = constraints(&tokens, room);
    let vars = n + 2 * clusters;
    // Long flows lined up as blocks first; should that ever leave the constraints with a cycle,
    // every node is placed on its own instead.
    let blocks = Blocks::aligned(&tokens, n, vars, room.runs);
    let mut x = solve(&constraints, &blocks, neighbours, room)
        .or_else(|| solve(&constraints, &Blocks::none(vars), neighbours, room))
        .unwrap_or_else(|| vec![0.0; vars]);

    let outgoing =
        Adjacency::from_links(vars, constraints.iter().map(|&(a, b, gap)| (a, (b, gap))));
    let incoming =
        Adjacency::from_links(vars, constraints.iter().map(|&(a, b, gap)| (b, (a, gap))));
    let (topo, _) = topological(&incoming, &outgoing);
    straighten(&mut x, room.runs, |v, x| {
        let low = incoming[v].iter().map(|&(a, gap)| x[a] + gap).fold(f64::NEG_INFINITY, f64::max);
        let high = outgoing[v].iter().map(|&(b, gap)| x[b] - gap).fold(f64::INFINITY, f64::min);
        (low, high)
    });
    // Clusters hug their members: right sides innermost first, then left sides.
    for &v in &topo {
        if v >= n && (v - n) % 2 == 1 {
            x[v] = incoming[v].iter().map(|&(a, gap)| x[a] + gap).fold(f64::NEG_INFINITY, f64::max);
        }
    }
    for &v in topo.iter().rev() {
        if v >= n && (v - n).is_multiple_of(2) {
            x[v] = outgoing[v].iter().map(|&(b, gap)| x[b] - gap).fold(f64::INFINITY, f64::min);
        }
    }
    snap(&mut x, room.runs);
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    Placement {
        centre: x[..n].to_vec(),
        clusters: (0..clusters).map(|c| (finite(x[n + 2 * c]), finite(x[n + 2 * c + 1]))).collect(),
    }
}

/// Puts every token on a whole pixel (for a long flow's node, its line), so the picture's
/// coordinates need no tenths where nothing else adds them; a straight piece stays straight,
/// and no gap shrinks by more than a pixel (the smallest is 12).
fn snap(x: &mut [f64], runs: &[Run]) {
    let mut line = vec![0.0f64; x.len()];
    for &(v, off) in runs.iter().flat_map(|run| &run.inner) {
        line[v] = off;
    }
    for (x, off) in x.iter_mut().zip(line) {
        *x = (*x + off).round() - off;
    }
}

/// A rank read as tokens: its nodes, and the left side of every cluster before its first member
/// there and its right side after its last (cluster `c`'s sides are tokens `n + 2c`, `n + 2c + 1`).
fn rank_tokens(layer: &[usize], room: &Room<'_>) -> Vec<usize> {
    let n = room.size.len();
    let mut tokens = Vec::with_capacity(layer.len());
    let mut open: Vec<usize> = Vec::new();
    for &v in layer {
        let chain = &room.chains[v];
        let common = open.iter().zip(chain).take_while(|(a, b)| a == b).count();
        while open.len() > common {
            if let Some(c) = open.pop() {
                tokens.push(n + 2 * c + 1);
            }
        }
        for &c in &chain[common..] {
            tokens.push(n + 2 * c);
            open.push(c);
        }
        tokens.push(v);
    }
    while let Some(c) = open.pop() {
        tokens.push(n + 2 * c + 1);
    }
    tokens
}

/// Separation constraints `(a, b, gap)`, `x[b] - x[a] >= gap`, between neighbouring tokens of
/// every rank and between each cluster's sides; one per pair, the widest.
fn constraints(tokens: &[Vec<usize>], room: &Room<'_>) -> Vec<(usize, usize, f64)> {
    let n = room.size.len();
    let node = |v: usize| v < n;
    let extent = |v: usize| if node(v) { room.size[v] / 2.0 } else { 0.0 };
    let gap = |a: usize, b: usize| -> f64 {
        if !node(a) && (a - n).is_multiple_of(2) {
            room.pad[(a - n) / 2].0
        } else if !node(b) && (b - n) % 2 == 1 {
            room.pad[(b - n) / 2].1
        } else {
            let half = |v: usize| if node(v) { room.half_gap[v] } else { room.cluster_gap / 2.0 };
            half(a) + half(b)
        }
    };
    let mut constraints: Vec<(usize, usize, f64)> = tokens
        .iter()
        .flat_map(|rank| rank.windows(2))
        .map(|w| (w[0], w[1], extent(w[0]) + gap(w[0], w[1]) + extent(w[1])))
        .collect();
    for (c, &width) in room.min_width.iter().enumerate() {
        constraints.push((n + 2 * c, n + 2 * c + 1, width));
    }
    constraints.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.total_cmp(&a.2)));
    constraints.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    constraints
}

/// Tightest packing, then relaxation sweeps, with each block one variable; the tokens'
/// positions, or `None` when the blocks leave the constraints with a cycle.
fn solve(
    token_constraints: &[(usize, usize, f64)],
    blocks: &Blocks,
    neighbours: &Adjacency,
    room: &Room<'_>,
) -> Option<Vec<f64>> {
    let n = room.size.len();
    let vars = blocks.of.len();
    let mut constraints: Vec<(usize, usize, f64)> = token_constraints
        .iter()
        .map(|&(a, b, gap)| (blocks.of[a], blocks.of[b], gap + blocks.shift[b] - blocks.shift[a]))
        .collect();
    constraints.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.total_cmp(&a.2)));
    constraints.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    if constraints.iter().any(|&(a, b, _)| a == b) {
        return None;
    }
    let outgoing =
        Adjacency::from_links(vars, constraints.iter().map(|&(a, b, gap)| (a, (b, gap))));
    let incoming =
        Adjacency::from_links(vars, constraints.iter().map(|&(a, b, gap)| (b, (a, gap))));
    let (topo, acyclic) = topological(&incoming, &outgoing);
    if !acyclic {
        return None;
    }

    // Tightest packing from the left, and the latest each variable may sit at in the same width.
    let mut lo = vec![0.0f64; vars];
    for &v in &topo {
        lo[v] = incoming[v].iter().map(|&(a, gap)| lo[a] + gap).fold(0.0, f64::max);
    }
    let width = lo.iter().copied().fold(0.0, f64::max);
    let mut hi = vec![width; vars];
    for &v in topo.iter().rev() {
        hi[v] = outgoing[v].iter().map(|&(b, gap)| hi[b] - gap).fold(width, f64::min).max(lo[v]);
    }

    let mut x = lo.clone();
    let mut scratch: Vec<f64> = Vec::new();
    let mut wanted = vec![0.0f64; vars];
    let sweeps = sweeps_for(vars + constraints.len());
    for sweep in 0..sweeps {
        let forward = sweep % 2 == 0;
        for (v, w) in wanted.iter_mut().enumerate() {
            *w = if v < n {
                blocks.wanted(v, neighbours, &x, &mut scratch).unwrap_or(x[v])
            } else if forward {
                // A cluster's first side opens as wide as the tokens before it allow, so its
                // members move freely, and its other side follows them tightly.
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
        }
        if forward {
            for &v in &topo {
                let low = incoming[v].iter().map(|&(a, gap)| x[a] + gap).fold(lo[v], f64::max);
                x[v] = wanted[v].clamp(low, hi[v].max(low));
            }
        } else {
            for &v in topo.iter().rev() {
                let high = outgoing[v].iter().map(|&(b, gap)| x[b] - gap).fold(hi[v], f64::min);
                x[v] = wanted[v].clamp(lo[v].min(high), high);
            }
        }
    }
    Some((0..vars).map(|v| blocks.centre(v, &x)).collect())
}

/// Kahn's algorithm in index order; should a cycle slip through, its tokens follow in index
/// order (their constraints are then only partly kept, never a hang), and the flag is false.
fn topological(
    incoming: &Adjacency<(usize, f64)>,
    outgoing: &Adjacency<(usize, f64)>,
) -> (Vec<usize>, bool) {
    let mut degree: Vec<usize> = (0..incoming.len()).map(|v| incoming[v].len()).collect();
    let mut ready: Vec<usize> = (0..degree.len()).rev().filter(|&v| degree[v] == 0).collect();
    let mut order = Vec::with_capacity(degree.len());
    let mut done = vec![false; degree.len()];
    while let Some(v) = ready.pop() {
        order.push(v);
        done[v] = true;
        for &(b, _) in outgoing[v].iter().rev() {
            degree[b] -= 1;
            if degree[b] == 0 {
                ready.push(b);
            }
        }
    }
    let acyclic = order.len() == degree.len();
    if !acyclic {
        order.extend((0..degree.len()).filter(|&v| !done[v]));
    }
    (order, acyclic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outsiders_stay_out_of_a_cluster_in_every_rank() {
        // Rank 0: a (in cluster 0), b outside. Rank 1: c (in cluster 0), d outside.
        let layers = vec![vec![0, 1], vec![2, 3]];
        let chains = Chains::from_lists(&[vec![0], vec![], vec![0], vec![]]);
        let size = [100.0, 20.0, 20.0, 20.0];
        let half_gap = [10.0; 4];
        let room = Room {
            size: &size,
            half_gap: &half_gap,
            chains: &chains,
            pad: &[(20.0, 20.0)],
            min_width: &[0.0],
            cluster_gap: 10.0,
            runs: &[],
        };
        let neighbours = Adjacency::from_lists(&[vec![2], vec![3], vec![0], vec![1]]);
        let out = place(&layers, &neighbours, &room);
        let (l, r) = out.clusters[0];
        for v in 0..4 {
            let (a, b) = (out.centre[v] - size[v] / 2.0, out.centre[v] + size[v] / 2.0);
            if chains[v].is_empty() {
                assert!(a >= r || b <= l, "{v} at {a}..{b} inside {l}..{r}");
            } else {
                assert!(a >= l + 20.0 - 1e-9 && b <= r - 20.0 + 1e-9);
            }
        }
    }
}
