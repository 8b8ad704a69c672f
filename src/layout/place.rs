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
//! room the rest still needs allow, so the result is always feasible.

/// Sizes and gaps along the order axis.
pub(crate) struct Room<'a> {
    /// Each node's extent along the order axis.
    pub size: &'a [f64],
    /// Half the gap each node wants to its neighbours (dummies need less than boxes).
    pub half_gap: &'a [f64],
    /// The clusters holding each node, outermost first.
    pub chains: &'a [Vec<usize>],
    /// Padding inside each cluster before its first and after its last member.
    pub pad: &'a [(f64, f64)],
    /// Smallest width of each cluster (its title must fit).
    pub min_width: &'a [f64],
    /// Gap between a cluster's side and a token outside it.
    pub cluster_gap: f64,
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

pub(crate) fn place(
    layers: &[Vec<usize>],
    neighbours: &[Vec<usize>],
    room: &Room<'_>,
) -> Placement {
    let n = room.size.len();
    let clusters = room.pad.len();
    let vars = n + 2 * clusters;
    let left = |c: usize| n + 2 * c;
    let right = |c: usize| n + 2 * c + 1;
    let extent = |v: usize| if v < n { room.size[v] / 2.0 } else { 0.0 };

    // Constraints from each rank's token sequence.
    let gap = |a: usize, b: usize| -> f64 {
        let node = |v: usize| v < n;
        if !node(a) && (a - n).is_multiple_of(2) {
            room.pad[(a - n) / 2].0
        } else if !node(b) && (b - n) % 2 == 1 {
            room.pad[(b - n) / 2].1
        } else {
            let half = |v: usize| if node(v) { room.half_gap[v] } else { room.cluster_gap / 2.0 };
            half(a) + half(b)
        }
    };
    let mut constraints: Vec<(usize, usize, f64)> = Vec::new();
    let mut tokens: Vec<usize> = Vec::new();
    for layer in layers {
        tokens.clear();
        let mut open: Vec<usize> = Vec::new();
        for &v in layer {
            let chain = &room.chains[v];
            let common = open.iter().zip(chain).take_while(|(a, b)| a == b).count();
            while open.len() > common {
                if let Some(c) = open.pop() {
                    tokens.push(right(c));
                }
            }
            for &c in &chain[common..] {
                tokens.push(left(c));
                open.push(c);
            }
            tokens.push(v);
        }
        while let Some(c) = open.pop() {
            tokens.push(right(c));
        }
        for w in tokens.windows(2) {
            constraints.push((w[0], w[1], extent(w[0]) + gap(w[0], w[1]) + extent(w[1])));
        }
    }
    for c in 0..clusters {
        constraints.push((left(c), right(c), room.min_width[c]));
    }
    constraints.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.total_cmp(&a.2)));
    constraints.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);

    let outgoing = Adjacency::new(vars, constraints.iter().map(|&(a, b, gap)| (a, (b, gap))));
    let incoming = Adjacency::new(vars, constraints.iter().map(|&(a, b, gap)| (b, (a, gap))));
    let topo = topological(&incoming, &outgoing);

    // Tightest packing from the left, and the latest each token may sit at in the same width.
    let mut lo = vec![0.0f64; vars];
    for &v in &topo {
        lo[v] = incoming.of(v).iter().map(|&(a, gap)| lo[a] + gap).fold(0.0, f64::max);
    }
    let width = lo.iter().copied().fold(0.0, f64::max);
    let mut hi = vec![width; vars];
    for &v in topo.iter().rev() {
        hi[v] = outgoing.of(v).iter().map(|&(b, gap)| hi[b] - gap).fold(width, f64::min).max(lo[v]);
    }

    let mut x = lo.clone();
    let mut scratch: Vec<f64> = Vec::new();
    let sweeps = sweeps_for(vars + constraints.len());
    for sweep in 0..sweeps {
        let forward = sweep % 2 == 0;
        let wanted: Vec<f64> = (0..vars)
            .map(|v| {
                if v < n {
                    median(&neighbours[v], &x, &mut scratch).unwrap_or(x[v])
                } else if forward {
                    // A cluster's first side opens as wide as the tokens before it allow, so its
                    // members move freely, and its other side follows them tightly.
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }
            })
            .collect();
        if forward {
            for &v in &topo {
                let low = incoming.of(v).iter().map(|&(a, gap)| x[a] + gap).fold(lo[v], f64::max);
                x[v] = wanted[v].clamp(low, hi[v].max(low));
            }
        } else {
            for &v in topo.iter().rev() {
                let high = outgoing.of(v).iter().map(|&(b, gap)| x[b] - gap).fold(hi[v], f64::min);
                x[v] = wanted[v].clamp(lo[v].min(high), high);
            }
        }
    }
    // Clusters hug their members: right sides innermost first, then left sides.
    for &v in &topo {
        if v >= n && (v - n) % 2 == 1 {
            x[v] =
                incoming.of(v).iter().map(|&(a, gap)| x[a] + gap).fold(f64::NEG_INFINITY, f64::max);
        }
    }
    for &v in topo.iter().rev() {
        if v >= n && (v - n).is_multiple_of(2) {
            x[v] = outgoing.of(v).iter().map(|&(b, gap)| x[b] - gap).fold(f64::INFINITY, f64::min);
        }
    }
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    Placement {
        centre: x[..n].to_vec(),
        clusters: (0..clusters).map(|c| (finite(x[left(c)]), finite(x[right(c)]))).collect(),
    }
}

/// Each token's constraints towards others, in the order they were given: one list for all
/// tokens (a big graph has hundreds of thousands of tokens, and a list each cost about as much
/// to allocate and free as the sweeps over them).
struct Adjacency {
    /// Where each token's constraints start in `items`; one more entry than tokens.
    start: Vec<usize>,
    items: Vec<(usize, f64)>,
}

impl Adjacency {
    /// Groups `(token, (other, gap))` pairs by token, keeping their order within a token.
    fn new(tokens: usize, pairs: impl Iterator<Item = (usize, (usize, f64))> + Clone) -> Self {
        let mut start = vec![0usize; tokens + 1];
        for (v, _) in pairs.clone() {
            start[v + 1] += 1;
        }
        for v in 0..tokens {
            start[v + 1] += start[v];
        }
        let mut next = start.clone();
        let mut items = vec![(0usize, 0.0f64); start[tokens]];
        for (v, item) in pairs {
            items[next[v]] = item;
            next[v] += 1;
        }
        Adjacency { start, items }
    }

    fn of(&self, v: usize) -> &[(usize, f64)] {
        &self.items[self.start[v]..self.start[v + 1]]
    }

    fn len(&self) -> usize {
        self.start.len() - 1
    }
}

/// Kahn's algorithm in index order; should a cycle slip through, its tokens follow in index
/// order (their constraints are then only partly kept, never a hang).
fn topological(incoming: &Adjacency, outgoing: &Adjacency) -> Vec<usize> {
    let mut degree: Vec<usize> = (0..incoming.len()).map(|v| incoming.of(v).len()).collect();
    let mut ready: Vec<usize> = (0..degree.len()).rev().filter(|&v| degree[v] == 0).collect();
    let mut order = Vec::with_capacity(degree.len());
    let mut done = vec![false; degree.len()];
    while let Some(v) = ready.pop() {
        order.push(v);
        done[v] = true;
        for &(b, _) in outgoing.of(v).iter().rev() {
            degree[b] -= 1;
            if degree[b] == 0 {
                ready.push(b);
            }
        }
    }
    if order.len() < degree.len() {
        order.extend((0..degree.len()).filter(|&v| !done[v]));
    }
    order
}

fn median(neighbours: &[usize], x: &[f64], scratch: &mut Vec<f64>) -> Option<f64> {
    if neighbours.is_empty() {
        return None;
    }
    scratch.clear();
    scratch.extend(neighbours.iter().map(|&u| x[u]));
    scratch.sort_by(f64::total_cmp);
    let m = scratch.len() / 2;
    Some(if scratch.len() % 2 == 1 { scratch[m] } else { (scratch[m - 1] + scratch[m]) / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outsiders_stay_out_of_a_cluster_in_every_rank() {
        // Rank 0: a (in cluster 0), b outside. Rank 1: c (in cluster 0), d outside.
        let layers = vec![vec![0, 1], vec![2, 3]];
        let chains = vec![vec![0], vec![], vec![0], vec![]];
        let size = [100.0, 20.0, 20.0, 20.0];
        let half_gap = [10.0; 4];
        let room = Room {
            size: &size,
            half_gap: &half_gap,
            chains: &chains,
            pad: &[(20.0, 20.0)],
            min_width: &[0.0],
            cluster_gap: 10.0,
        };
        let neighbours = vec![vec![2], vec![3], vec![0], vec![1]];
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
