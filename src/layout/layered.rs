//! A layered (Sugiyama-style) layout of one block: boxes of known size and the edges between
//! them, drawn left to right so that data flows read like a sentence (actor → entry → services →
//! stores).
//!
//! The steps are the classic ones, each kept linear or near-linear so that a block with thousands
//! of members stays fast: cycles broken by a depth-first search in index order, ranks by longest
//! path, long edges split by dummy nodes (up to a budget), order inside each rank by barycenter
//! sweeps, and vertical positions by isotonic regression towards the neighbours' centres.

use std::collections::VecDeque;

use crate::model::Point;

/// How far apart things are.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spacing {
    /// Horizontal gap between two ranks (columns): where edges bend and labels sit.
    pub rank_gap: f64,
    /// Vertical gap between two boxes of one rank.
    pub node_gap: f64,
}

/// Where one block's members go, in the block's own coordinates (top-left at 0,0).
#[derive(Debug, Clone, Default)]
pub(crate) struct LayeredLayout {
    /// Top-left corner of every member.
    pub positions: Vec<Point>,
    /// The x-range of the column (rank) each member sits in: edges leave a member horizontally
    /// until the column's edge so that they never cut through a wider neighbour.
    pub columns: Vec<(f64, f64)>,
    pub width: f64,
    pub height: f64,
    /// For each edge, bends through the ranks it spans, ordered from the edge's source to its
    /// target; empty for edges between neighbouring ranks.
    pub bends: Vec<Vec<Point>>,
}

/// Height of the slot a long edge reserves in each rank it crosses.
const DUMMY_HEIGHT: f64 = 6.0;
/// Barycenter sweeps (each one down and up); more rarely pays off.
const ORDER_SWEEPS: usize = 4;
/// Alignment passes (each one down and up).
const ALIGN_SWEEPS: usize = 3;

/// Lays out `sizes` (width, height) with `edges` (source, target); edges must not be self-loops
/// and must refer to existing members (others are ignored).
pub(crate) fn layered(
    sizes: &[(f64, f64)],
    edges: &[(usize, usize)],
    spacing: Spacing,
) -> LayeredLayout {
    let n = sizes.len();
    let edges: Vec<(usize, usize)> = edges
        .iter()
        .map(|&(a, b)| if a < n && b < n && a != b { (a, b) } else { (0, 0) })
        .collect();
    let valid = |e: &(usize, usize)| e.0 != e.1;
    if n == 0 {
        return LayeredLayout { bends: vec![Vec::new(); edges.len()], ..LayeredLayout::default() };
    }

    let reversed = break_cycles(n, &edges);
    let dag: Vec<(usize, usize)> = edges
        .iter()
        .zip(&reversed)
        .map(|(&(a, b), &rev)| if rev { (b, a) } else { (a, b) })
        .collect();
    let mut dag_out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, &(a, _)) in dag.iter().enumerate() {
        if valid(&dag[e]) {
            dag_out[a].push(e);
        }
    }
    let (mut rank, topo) = longest_path_ranks(n, &dag, &dag_out);
    pull_sources_forward(&mut rank, &dag, &dag_out);

    // Split long edges into chains of dummies, shortest spans first, within a budget that keeps
    // pathological graphs linear.
    let budget = 8 * (n + edges.len()) + 64;
    let mut by_span: Vec<usize> = (0..dag.len()).filter(|&e| valid(&dag[e])).collect();
    by_span.sort_by_key(|&e| (rank[dag[e].1] - rank[dag[e].0], e));
    let mut chained = vec![false; dag.len()];
    let mut used = 0;
    for &e in &by_span {
        let extra = rank[dag[e].1] - rank[dag[e].0] - 1;
        if extra > 0 && used + extra <= budget {
            used += extra;
            chained[e] = true;
        }
    }

    let rank_count = rank.iter().copied().max().unwrap_or(0) + 1;
    let mut node_rank = rank.clone();
    let mut heights: Vec<f64> = sizes.iter().map(|s| sane(s.1)).collect();
    let mut chains: Vec<Vec<usize>> = vec![Vec::new(); dag.len()];
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); rank_count];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &v in &topo {
        layers[rank[v]].push(v);
        for &e in &dag_out[v] {
            let (a, b) = dag[e];
            let mut previous = a;
            if chained[e] {
                for (r, layer) in layers.iter_mut().enumerate().take(rank[b]).skip(rank[a] + 1) {
                    let dummy = node_rank.len();
                    node_rank.push(r);
                    heights.push(DUMMY_HEIGHT);
                    preds.push(Vec::new());
                    succs.push(Vec::new());
                    layer.push(dummy);
                    chains[e].push(dummy);
                    preds[dummy].push(previous);
                    succs[previous].push(dummy);
                    previous = dummy;
                }
            }
            if chained[e] || rank[b] == rank[a] + 1 {
                preds[b].push(previous);
                succs[previous].push(b);
            }
        }
    }

    order_layers(&mut layers, &preds, &succs);
    let tops = align_vertically(&layers, &heights, &preds, &succs, spacing.node_gap);

    let mut column_width = vec![0.0f64; rank_count];
    for v in 0..n {
        column_width[rank[v]] = column_width[rank[v]].max(sane(sizes[v].0));
    }
    let mut column_left = vec![0.0f64; rank_count];
    for r in 1..rank_count {
        column_left[r] = column_left[r - 1] + column_width[r - 1] + spacing.rank_gap;
    }
    let width = column_left[rank_count - 1] + column_width[rank_count - 1];
    let height = (0..node_rank.len()).map(|v| tops[v] + heights[v]).fold(0.0, f64::max);

    let positions = (0..n)
        .map(|v| Point {
            x: column_left[rank[v]] + (column_width[rank[v]] - sane(sizes[v].0)) / 2.0,
            y: tops[v],
        })
        .collect();
    let columns = (0..n)
        .map(|v| (column_left[rank[v]], column_left[rank[v]] + column_width[rank[v]]))
        .collect();
    let bends = chains
        .iter()
        .zip(&reversed)
        .map(|(chain, &rev)| {
            let mut points = Vec::with_capacity(chain.len() * 2);
            for &d in chain {
                let r = node_rank[d];
                let y = tops[d] + DUMMY_HEIGHT / 2.0;
                points.push(Point { x: column_left[r], y });
                if column_width[r] > 0.0 {
                    points.push(Point { x: column_left[r] + column_width[r], y });
                }
            }
            if rev {
                points.reverse();
            }
            points
        })
        .collect();
    LayeredLayout { positions, columns, width, height, bends }
}

fn sane(v: f64) -> f64 {
    if v.is_finite() {
        v.max(0.0)
    } else {
        0.0
    }
}

/// Marks the edges to reverse: back edges of a depth-first search run in index order, so the
/// choice is deterministic and follows the file's order.
fn break_cycles(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (e, &(a, b)) in edges.iter().enumerate() {
        if a != b {
            out[a].push((b, e));
        }
    }
    const WHITE: u8 = 0;
    const GREY: u8 = 1;
    const BLACK: u8 = 2;
    let mut state = vec![WHITE; n];
    let mut reversed = vec![false; edges.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != WHITE {
            continue;
        }
        state[root] = GREY;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&(w, e)) = out[v].get(next) {
                top.1 += 1;
                match state[w] {
                    WHITE => {
                        state[w] = GREY;
                        stack.push((w, 0));
                    }
                    GREY => reversed[e] = true,
                    _ => {}
                }
            } else {
                state[v] = BLACK;
                stack.pop();
            }
        }
    }
    reversed
}

/// Ranks by longest path from the sources (Kahn's algorithm); also returns the topological order.
fn longest_path_ranks(
    n: usize,
    dag: &[(usize, usize)],
    dag_out: &[Vec<usize>],
) -> (Vec<usize>, Vec<usize>) {
    let mut in_degree = vec![0usize; n];
    for out in dag_out {
        for &e in out {
            in_degree[dag[e].1] += 1;
        }
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|&v| in_degree[v] == 0).collect();
    let mut rank = vec![0usize; n];
    let mut topo = Vec::with_capacity(n);
    while let Some(v) = queue.pop_front() {
        topo.push(v);
        for &e in &dag_out[v] {
            let w = dag[e].1;
            rank[w] = rank[w].max(rank[v] + 1);
            in_degree[w] -= 1;
            if in_degree[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    // Unreachable when cycles were broken, but never lose a node.
    if topo.len() < n {
        let mut seen = vec![false; n];
        for &v in &topo {
            seen[v] = true;
        }
        topo.extend((0..n).filter(|&v| !seen[v]));
    }
    (rank, topo)
}

/// Moves each source next to its nearest successor, so an actor that only talks to a deep
/// service is not stranded in the first column with a long edge.
fn pull_sources_forward(rank: &mut [usize], dag: &[(usize, usize)], dag_out: &[Vec<usize>]) {
    let mut has_pred = vec![false; rank.len()];
    for out in dag_out {
        for &e in out {
            has_pred[dag[e].1] = true;
        }
    }
    for v in 0..rank.len() {
        if has_pred[v] {
            continue;
        }
        if let Some(nearest) = dag_out[v].iter().map(|&e| rank[dag[e].1]).min() {
            if nearest > 0 {
                rank[v] = nearest - 1;
            }
        }
    }
}

/// Reduces crossings with barycenter sweeps; ties keep the current order, so the result is
/// deterministic.
fn order_layers(layers: &mut [Vec<usize>], preds: &[Vec<usize>], succs: &[Vec<usize>]) {
    let mut pos = vec![0.0f64; preds.len()];
    for layer in layers.iter() {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i as f64;
        }
    }
    let mut keyed: Vec<(f64, f64, usize)> = Vec::new();
    let mut sweep = |layer: &mut Vec<usize>, neighbours: &[Vec<usize>], pos: &mut [f64]| {
        keyed.clear();
        for &v in layer.iter() {
            let ns = &neighbours[v];
            let key = if ns.is_empty() {
                pos[v]
            } else {
                ns.iter().map(|&u| pos[u]).sum::<f64>() / ns.len() as f64
            };
            keyed.push((key, pos[v], v));
        }
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        for (i, &(_, _, v)) in keyed.iter().enumerate() {
            layer[i] = v;
            pos[v] = i as f64;
        }
    };
    for _ in 0..ORDER_SWEEPS {
        for layer in layers.iter_mut().skip(1) {
            sweep(layer, preds, &mut pos);
        }
        let last = layers.len().saturating_sub(1);
        for layer in layers[..last].iter_mut().rev() {
            sweep(layer, succs, &mut pos);
        }
    }
}

/// Vertical positions (tops): each rank packed in order, then pulled towards the centres of its
/// neighbours in the previous (or next) rank as far as the order and gaps allow.
fn align_vertically(
    layers: &[Vec<usize>],
    heights: &[f64],
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
    gap: f64,
) -> Vec<f64> {
    let mut tops = vec![0.0f64; heights.len()];
    for layer in layers {
        let mut y = 0.0;
        for &v in layer {
            tops[v] = y;
            y += heights[v] + gap;
        }
    }
    let mut targets = Vec::new();
    let mut pool = Vec::new();
    for _ in 0..ALIGN_SWEEPS {
        for layer in layers.iter().skip(1) {
            align_layer(layer, heights, preds, gap, &mut tops, &mut targets, &mut pool);
        }
        let last = layers.len().saturating_sub(1);
        for layer in layers[..last].iter().rev() {
            align_layer(layer, heights, succs, gap, &mut tops, &mut targets, &mut pool);
        }
    }
    let min = tops.iter().copied().fold(f64::INFINITY, f64::min);
    if min.is_finite() {
        for t in &mut tops {
            *t -= min;
        }
    }
    tops
}

/// Least-squares placement of one rank towards its neighbours' centres, keeping order and gaps:
/// subtracting each box's packed offset turns the gap constraints into "non-decreasing", which
/// pool-adjacent-violators solves exactly in linear time.
fn align_layer(
    layer: &[usize],
    heights: &[f64],
    neighbours: &[Vec<usize>],
    gap: f64,
    tops: &mut [f64],
    targets: &mut Vec<f64>,
    pool: &mut Vec<(f64, f64, usize)>,
) {
    targets.clear();
    let mut offset = 0.0;
    for &v in layer {
        let ns = &neighbours[v];
        let centre = if ns.is_empty() {
            tops[v] + heights[v] / 2.0
        } else {
            ns.iter().map(|&u| tops[u] + heights[u] / 2.0).sum::<f64>() / ns.len() as f64
        };
        targets.push(centre - heights[v] / 2.0 - offset);
        offset += heights[v] + gap;
    }
    // Pools of (sum, weight, count).
    pool.clear();
    for &t in targets.iter() {
        pool.push((t, 1.0, 1));
        while pool.len() >= 2 {
            let (s2, w2, c2) = pool[pool.len() - 1];
            let (s1, w1, c1) = pool[pool.len() - 2];
            if s1 / w1 <= s2 / w2 {
                break;
            }
            pool.pop();
            let last = pool.len() - 1;
            pool[last] = (s1 + s2, w1 + w2, c1 + c2);
        }
    }
    let mut i = 0;
    let mut offset = 0.0;
    for &(sum, weight, count) in pool.iter() {
        let value = sum / weight;
        for &v in &layer[i..i + count] {
            tops[v] = value + offset;
            offset += heights[v] + gap;
        }
        i += count;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPACING: Spacing = Spacing { rank_gap: 40.0, node_gap: 20.0 };

    #[test]
    fn a_chain_runs_left_to_right_on_one_line() {
        let out = layered(&[(10.0, 10.0); 3], &[(0, 1), (1, 2)], SPACING);
        assert!(out.positions[0].x < out.positions[1].x && out.positions[1].x < out.positions[2].x);
        assert_eq!(out.positions[0].y, out.positions[2].y);
    }

    #[test]
    fn cycles_and_bad_edges_do_not_hang_or_panic() {
        let out = layered(&[(10.0, 10.0); 3], &[(0, 1), (1, 2), (2, 0), (1, 1), (7, 0)], SPACING);
        assert_eq!(out.positions.len(), 3);
        assert_eq!(out.bends.len(), 5);
    }

    #[test]
    fn long_edges_bend_through_the_ranks_between() {
        let out = layered(&[(10.0, 10.0); 3], &[(0, 1), (1, 2), (0, 2)], SPACING);
        assert_eq!(out.bends[2].len(), 2);
        assert!(out.bends[2][0].x >= out.positions[0].x + 10.0);
    }

    #[test]
    fn boxes_of_one_rank_do_not_overlap() {
        let edges: Vec<(usize, usize)> = (1..6).map(|i| (0, i)).collect();
        let out = layered(&[(10.0, 30.0); 6], &edges, SPACING);
        let mut ys: Vec<f64> = (1..6).map(|i| out.positions[i].y).collect();
        ys.sort_by(f64::total_cmp);
        assert!(ys.windows(2).all(|w| w[1] - w[0] >= 30.0 + 20.0 - 1e-9));
    }
}
