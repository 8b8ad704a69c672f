//! Long flows drawn straight, as Graphviz draws them: the nodes a flow has in the ranks between
//! its two elements are lined up on one vertical wherever the rest of the placement leaves room,
//! so a long flow runs down in one straight piece (or a few) instead of bending in every rank.
//!
//! Each flow's line is cut into as few pieces as the room allows: going down its ranks, a piece
//! grows while the intervals its nodes may move in (between their neighbours in their rank, as
//! placed now) still have a point in common, and the whole piece is then moved onto that common
//! line. A node never leaves its interval, so the placement stays feasible whatever was moved
//! before it. Longer flows are straightened first: they gain the most, and their nodes are the
//! ones other flows should bend around (the priority Graphviz gives to inner segments).

/// A long flow's way through the ranks between its two elements.
pub(crate) struct Run {
    /// Its nodes between its ends, top to bottom, each with the distance from the node's centre
    /// to where the line passes it (a label node's line runs along its left side).
    pub inner: Vec<(usize, f64)>,
    /// Its upper and lower element.
    pub ends: (usize, usize),
}

/// Passes over all runs: a run moved aside by a later one may find room again in the next.
const PASSES: usize = 3;

impl Run {
    /// Where the flow's line should be: the median of where it passes now, kept between its two
    /// ends (a straight line anywhere there is as short as a straight line can be).
    fn target(&self, x: &[f64], piece: &[(usize, f64)], scratch: &mut Vec<f64>) -> f64 {
        scratch.clear();
        scratch.extend(piece.iter().map(|&(v, off)| x[v] + off));
        scratch.sort_by(f64::total_cmp);
        let m = scratch.len() / 2;
        let median = if scratch.len() % 2 == 1 {
            scratch[m]
        } else {
            (scratch[m.saturating_sub(1)] + scratch[m]) / 2.0
        };
        let (a, b) = (x[self.ends.0], x[self.ends.1]);
        median.max(a.min(b)).min(a.max(b))
    }
}

/// Lines up each run's nodes in as few straight pieces as `bounds` allow; `bounds(v, x)` is the
/// interval node `v`'s centre may move in, given the others' positions `x`.
pub(crate) fn straighten(
    x: &mut [f64],
    runs: &[Run],
    bounds: impl Fn(usize, &[f64]) -> (f64, f64),
) {
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by_key(|&r| std::cmp::Reverse(runs[r].inner.len()));
    let mut scratch = Vec::new();
    for _ in 0..PASSES {
        for &r in &order {
            let run = &runs[r];
            let mut start = 0;
            while start < run.inner.len() {
                let (end, low, high) = piece(x, &run.inner[start..], &bounds);
                let piece = &run.inner[start..start + end];
                if low <= high {
                    let t = run.target(x, piece, &mut scratch).max(low).min(high);
                    for &(v, off) in piece {
                        x[v] = t - off;
                    }
                }
                start += end.max(1);
            }
        }
    }
}

/// How many of `nodes` (from the first) one straight line can pass, and the interval that line
/// may take; an empty interval when even the first node has none (never for a feasible `x`).
fn piece(
    x: &[f64],
    nodes: &[(usize, f64)],
    bounds: &impl Fn(usize, &[f64]) -> (f64, f64),
) -> (usize, f64, f64) {
    let (mut low, mut high) = (f64::NEG_INFINITY, f64::INFINITY);
    for (i, &(v, off)) in nodes.iter().enumerate() {
        let (a, b) = bounds(v, x);
        let (a, b) = (a + off, b + off);
        if i > 0 && low.max(a) > high.min(b) {
            return (i, low, high);
        }
        low = low.max(a);
        high = high.min(b);
    }
    (nodes.len(), low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three ranks, one node each, free to move: the run becomes one vertical line between its
    /// ends.
    #[test]
    fn a_free_run_becomes_one_straight_line_between_its_ends() {
        let mut x = vec![0.0, 100.0, 10.0, 90.0, 30.0];
        let runs = [Run { inner: vec![(2, 0.0), (3, 0.0), (4, 0.0)], ends: (0, 1) }];
        straighten(&mut x, &runs, |_, _| (f64::NEG_INFINITY, f64::INFINITY));
        assert_eq!(x[2], 30.0);
        assert_eq!((x[3], x[4]), (30.0, 30.0));
    }

    /// The middle node is held in 50..60: the line is cut where the intervals stop meeting, and
    /// no node leaves its interval.
    #[test]
    fn a_run_is_cut_where_the_room_runs_out() {
        let mut x = vec![0.0, 100.0, 10.0, 55.0, 30.0];
        let runs = [Run { inner: vec![(2, 0.0), (3, 0.0), (4, 0.0)], ends: (0, 1) }];
        let bounds = |v: usize, _: &[f64]| match v {
            2 => (0.0, 20.0),
            3 => (50.0, 60.0),
            _ => (f64::NEG_INFINITY, f64::INFINITY),
        };
        straighten(&mut x, &runs, bounds);
        assert_eq!(x[2], 10.0);
        assert_eq!(x[3], x[4]);
        assert!((50.0..=60.0).contains(&x[3]));
    }

    /// A label node's line runs along its left side: the line, not the centre, is lined up.
    #[test]
    fn offsets_line_up_the_lines_not_the_centres() {
        let mut x = vec![0.0, 100.0, 40.0, 70.0];
        let runs = [Run { inner: vec![(2, 0.0), (3, -20.0)], ends: (0, 1) }];
        straighten(&mut x, &runs, |_, _| (f64::NEG_INFINITY, f64::INFINITY));
        assert_eq!(x[2], x[3] - 20.0);
    }
}
