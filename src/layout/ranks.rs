//! Which rank (row, in top-to-bottom terms) each element goes in.
//!
//! Cycles are broken by a depth-first search in index order (so the file's order decides which
//! flow of a loop points backwards), ranks start as longest paths to the sinks, and then each
//! element moves to the rank that makes its flows shortest overall (towards the side with more
//! flows), as Graphviz's network simplex would, in a few cheap linear passes.

use std::collections::VecDeque;

/// Balancing passes; each one is linear.
const BALANCE_PASSES: usize = 4;

/// Marks the edges to reverse: back edges of a depth-first search run in index order.
pub(crate) fn break_cycles(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (e, &(a, b)) in edges.iter().enumerate() {
        if a != b && a < n && b < n {
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

/// Marks the edges to reverse as Graphviz does with clusters: the flows between two boxes (or a
/// box and an element outside it) are turned as one, on the graph where each box is collapsed to
/// one node, so a box's elements share ranks instead of being pulled apart by a flow that loops
/// back into it ("queue → fulfil" after "place → queue" puts both functions in one rank). Then
/// the same inside each box, level by level. `chains[v]` lists the boxes around node `v`, outermost
/// first. The result is acyclic: a cycle would project onto one level's collapsed graph as a
/// cycle, which that level's search has broken.
pub(crate) fn break_cycles_by_box(edges: &[(usize, usize)], chains: &[Vec<usize>]) -> Vec<bool> {
    use std::collections::BTreeMap;
    /// A node of one level's collapsed graph: a box, or an element directly in the common box.
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Part {
        Box(usize),
        Node(usize),
    }
    let empty = Vec::new();
    let chain = |v: usize| chains.get(v).unwrap_or(&empty);
    // The earliest element in each box orders the boxes, so the file's order still decides.
    let mut first_in_box: BTreeMap<usize, usize> = BTreeMap::new();
    for v in 0..chains.len() {
        for &b in chain(v) {
            first_in_box.entry(b).or_insert(v);
        }
    }
    let order = |p: Part| match p {
        Part::Box(b) => (first_in_box.get(&b).copied().unwrap_or(usize::MAX), 0, b),
        Part::Node(v) => (v, 1, v),
    };
    // Each edge belongs to the level of the innermost box around both ends.
    let mut levels: BTreeMap<Option<usize>, Vec<(usize, Part, Part)>> = BTreeMap::new();
    for (e, &(a, b)) in edges.iter().enumerate() {
        let (ca, cb) = (chain(a), chain(b));
        let common = ca.iter().zip(cb).take_while(|(x, y)| x == y).count();
        let part = |c: &[usize], v: usize| c.get(common).map_or(Part::Node(v), |&x| Part::Box(x));
        let level = common.checked_sub(1).and_then(|i| ca.get(i).copied());
        levels.entry(level).or_default().push((e, part(ca, a), part(cb, b)));
    }
    let mut reversed = vec![false; edges.len()];
    for level_edges in levels.values() {
        let mut parts: Vec<Part> = level_edges.iter().flat_map(|&(_, p, q)| [p, q]).collect();
        parts.sort_by_key(|&p| order(p));
        parts.dedup();
        let index = |p: Part| parts.binary_search_by_key(&order(p), |&q| order(q)).unwrap_or(0);
        let collapsed: Vec<(usize, usize)> =
            level_edges.iter().map(|&(_, p, q)| (index(p), index(q))).collect();
        let turned = break_cycles(parts.len(), &collapsed);
        for (&(e, _, _), turn) in level_edges.iter().zip(turned) {
            reversed[e] = turn;
        }
    }
    reversed
}

/// Ranks of `n` nodes joined by the acyclic `dag` edges (self-loops ignored): every edge goes at
/// least one rank down. `holders` gives the boundary drawn around each node, if any.
pub(crate) fn ranks(n: usize, dag: &[(usize, usize)], holders: &[Option<usize>]) -> Vec<usize> {
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        if a != b && a < n && b < n {
            succs[a].push(b);
            preds[b].push(a);
        }
    }
    let mut in_degree: Vec<usize> = preds.iter().map(Vec::len).collect();
    let mut queue: VecDeque<usize> = (0..n).filter(|&v| in_degree[v] == 0).collect();
    let mut rank = vec![0usize; n];
    let mut topo = Vec::with_capacity(n);
    while let Some(v) = queue.pop_front() {
        topo.push(v);
        for &w in &succs[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            in_degree[w] -= 1;
            if in_degree[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    if topo.len() < n {
        // Only reachable with a cycle left in: keep every node, ranks stay as far as computed.
        let mut seen = vec![false; n];
        for &v in &topo {
            seen[v] = true;
        }
        topo.extend((0..n).filter(|&v| !seen[v]));
    }
    // As late as possible: a source that only feeds a deep element (and what hangs off it) moves
    // down next to it, as network simplex would; sinks come back up in the balancing below.
    let last = rank.iter().copied().max().unwrap_or(0);
    for &v in topo.iter().rev() {
        let isolated = succs[v].is_empty() && preds[v].is_empty();
        let latest = succs[v].iter().map(|&w| rank[w].saturating_sub(1)).min().unwrap_or(last);
        rank[v] = if isolated { 0 } else { latest };
    }
    for _ in 0..BALANCE_PASSES {
        let mut moved = false;
        for &v in topo.iter().rev() {
            moved |= balance(v, &mut rank, &preds[v], &succs[v]);
        }
        if !moved {
            break;
        }
    }
    sources_of_a_boundary_together(&mut rank, &preds, &succs, holders);
    entered_from_outside_at_the_top(&mut rank, &preds, &succs, holders, &topo);
    let lowest = rank.iter().copied().min().unwrap_or(0);
    rank.iter_mut().for_each(|r| *r -= lowest);
    rank
}

/// The sources drawn in one boundary (the users in "Internet", say) share the rank of the
/// earliest of them, as Graphviz keeps a cluster compact: moved next to its own target, each
/// would stretch the boundary over ranks it has nothing else in. Moving a source up never breaks
/// an edge's direction.
fn sources_of_a_boundary_together(
    rank: &mut [usize],
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
    holders: &[Option<usize>],
) {
    let is_source = |v: usize| preds[v].is_empty() && !succs[v].is_empty();
    let mut earliest: std::collections::BTreeMap<usize, usize> = Default::default();
    for v in (0..rank.len()).filter(|&v| is_source(v)) {
        if let Some(Some(b)) = holders.get(v) {
            let r = earliest.entry(*b).or_insert(rank[v]);
            *r = (*r).min(rank[v]);
        }
    }
    for v in (0..rank.len()).filter(|&v| is_source(v)) {
        if let Some(&r) = holders.get(v).copied().flatten().and_then(|b| earliest.get(&b)) {
            rank[v] = r;
        }
    }
}

/// An element with no flow inside its boundary, reached only from outside (a gateway every
/// service calls), goes in the boundary's top rank, as Graphviz ranks a cluster as one unit in
/// which nothing pulls such a member down (one with a flow inside stays by it). Ranked as late
/// as possible instead, it sinks to the boundary's bottom, beside what the boundary's own flows
/// feed: the boundary then spans an extra rank for one lone member, and the crossing count
/// pushes it to the side of every sibling there, so all the flows into it run across the
/// picture. What feeds a lifted element
/// moves up with it (an edge always goes down), and the ranks start at 0 again.
fn entered_from_outside_at_the_top(
    rank: &mut [usize],
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
    holders: &[Option<usize>],
    topo: &[usize],
) {
    let holder = |v: usize| holders.get(v).copied().flatten();
    let mut top: std::collections::BTreeMap<usize, usize> = Default::default();
    for (v, &r) in rank.iter().enumerate() {
        if let Some(b) = holder(v) {
            let t = top.entry(b).or_insert(r);
            *t = (*t).min(r);
        }
    }
    let mut lifted: Vec<i64> = rank.iter().map(|&r| r as i64).collect();
    for (v, from) in preds.iter().enumerate() {
        let Some(b) = holder(v) else { continue };
        let outside = |u: &usize| holder(*u) != Some(b);
        if !from.is_empty() && from.iter().all(outside) && succs[v].iter().all(outside) {
            lifted[v] = top.get(&b).map_or(lifted[v], |&t| t as i64);
        }
    }
    // Sinks first, so each element is final before its predecessors are pushed above it.
    for &v in topo.iter().rev() {
        for &u in &preds[v] {
            lifted[u] = lifted[u].min(lifted[v] - 1);
        }
    }
    let lowest = lifted.iter().copied().min().unwrap_or(0);
    for (r, l) in rank.iter_mut().zip(lifted) {
        *r = usize::try_from(l - lowest).unwrap_or(0);
    }
}

/// Moves `v` within the ranks its neighbours allow, towards the side with more flows; returns
/// whether it moved.
fn balance(v: usize, rank: &mut [usize], preds: &[usize], succs: &[usize]) -> bool {
    let low = preds.iter().map(|&u| rank[u] + 1).max();
    let high = succs.iter().filter_map(|&w| rank[w].checked_sub(1)).min();
    let target = match (low, high) {
        (None, None) => return false,
        (Some(low), None) => low,
        (None, Some(high)) => high,
        (Some(low), Some(high)) if low > high => return false,
        (Some(low), Some(high)) => match succs.len().cmp(&preds.len()) {
            std::cmp::Ordering::Greater => high,
            std::cmp::Ordering::Less => low,
            std::cmp::Ordering::Equal => rank[v].clamp(low, high),
        },
    };
    let moved = target != rank[v];
    rank[v] = target;
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_edge_goes_down_and_sources_sit_next_to_their_targets() {
        // 0 -> 1 -> 2 -> 3, and 4 -> 3 only.
        let r = ranks(5, &[(0, 1), (1, 2), (2, 3), (4, 3)], &[None; 5]);
        assert_eq!(&r[..4], &[0, 1, 2, 3]);
        assert_eq!(r[4], 2);
    }

    #[test]
    fn a_source_and_its_own_sink_move_down_next_to_what_it_feeds() {
        // 0 -> 1 -> 2, and 3 feeds 2 and 4 (a reporting job beside the database it reads).
        let r = ranks(6, &[(0, 1), (1, 2), (3, 2), (3, 4)], &[None; 6]);
        assert_eq!(r, vec![0, 1, 2, 1, 2, 0]);
    }

    #[test]
    fn sources_in_one_boundary_share_the_earliest_rank() {
        // 0 -> 1 -> 2 -> 3; 4 feeds 3 only. Alone, 4 sits just above 3; in a boundary with 0
        // (both users on the Internet) it stays up with 0, and 5, outside, still moves down.
        let edges = [(0, 1), (1, 2), (2, 3), (4, 3), (5, 3)];
        let holders = [Some(0), None, None, None, Some(0), None];
        let r = ranks(6, &edges, &holders);
        assert_eq!(r, vec![0, 1, 2, 3, 0, 2]);
    }

    #[test]
    fn an_element_only_reached_from_outside_its_box_starts_at_the_top() {
        // Box 0 holds 0 -> 1 and 2; box 1 holds 4 -> 3, and 3 feeds 2. As late as possible, 2
        // sank beside 1; at its box's top, with 0, it lifts 3 and 4 with it.
        let edges = [(0, 1), (4, 3), (3, 2)];
        let holders = [Some(0), Some(0), Some(0), Some(1), Some(1)];
        let r = ranks(5, &edges, &holders);
        assert_eq!(r[2], r[0], "{r:?}");
        assert!(r[4] < r[3] && r[3] < r[2] && r[0] < r[1], "{r:?}");
    }

    #[test]
    fn flows_between_two_boxes_are_turned_together() {
        // Box 0 holds 0 and 1 (two functions), box 1 holds 2 (a queue): 0 -> 2 -> 1. Element by
        // element nothing loops; box by box it does, and the flow back into box 0 is turned, so
        // both functions can share a rank as Graphviz draws them.
        let chains = vec![vec![0], vec![0], vec![1]];
        let reversed = break_cycles_by_box(&[(0, 2), (2, 1)], &chains);
        assert_eq!(reversed, vec![false, true]);
        // Inside one box the elements' own order decides, as without boxes.
        let inner = break_cycles_by_box(&[(0, 1), (1, 0)], &chains);
        assert_eq!(inner, vec![false, true]);
    }

    #[test]
    fn turning_by_box_leaves_no_cycle() {
        // Nested boxes and elements outside them, with loops at every level.
        let chains = vec![vec![0], vec![0, 1], vec![0, 1], vec![], vec![2], vec![0]];
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 1), (4, 0), (3, 2)];
        let reversed = break_cycles_by_box(&edges, &chains);
        let dag: Vec<(usize, usize)> = edges
            .iter()
            .zip(&reversed)
            .map(|(&(a, b), &r)| if r { (b, a) } else { (a, b) })
            .collect();
        assert!(break_cycles(6, &dag).iter().all(|r| !r), "a cycle is left: {dag:?}");
    }

    #[test]
    fn cycles_are_broken_in_file_order() {
        let reversed = break_cycles(3, &[(0, 1), (1, 2), (2, 0)]);
        assert_eq!(reversed, vec![false, false, true]);
    }
}
