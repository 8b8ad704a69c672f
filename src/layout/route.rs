//! Each flow's path through the placed layered graph, in top-to-bottom coordinates: out of its
//! upper element's bottom side at a port of its own (straight down to the edge of the element's
//! band), straight through the slot its dummy holds
//! in every rank it crosses (beside its label on the middle one), and into its lower element's
//! top side at a port of its own.
//!
//! Ports are spread along the side in the order of where the flows go next, so the flows of one
//! element fan out without crossing each other and never share a line.

use crate::model::Point;

use super::proper::{Kind, Proper};

/// Distance between neighbouring ports on one side.
const PORT_STEP: f64 = 14.0;
/// Share of a side's length the ports may use (corners stay free, and ellipses stay close).
const PORT_SPREAD: f64 = 0.7;

/// Where things ended up, in top-to-bottom coordinates.
pub(crate) struct Placed<'a> {
    pub graph: &'a Proper,
    /// Centre of each node along its rank.
    pub centre: &'a [f64],
    pub band_top: &'a [f64],
    pub band_thick: &'a [f64],
}

impl Placed<'_> {
    fn top(&self, v: usize) -> f64 {
        let r = self.graph.rank[v];
        self.band_top[r] + (self.band_thick[r] - self.graph.size[v].1) / 2.0
    }

    fn bottom(&self, v: usize) -> f64 {
        self.top(v) + self.graph.size[v].1
    }

    /// Where a flow crosses node `v`'s rank along it: a dummy's slot, a label node's left edge.
    fn lane(&self, v: usize) -> f64 {
        match self.graph.kind[v] {
            Kind::Label => self.centre[v] - self.graph.size[v].0 / 2.0,
            _ => self.centre[v],
        }
    }
}

/// Paths of every flow with a chain (top to bottom, not yet reversed), indexed like
/// `graph.flows`; empty for self-loops.
pub(crate) fn paths(placed: &Placed<'_>) -> Vec<Vec<Point>> {
    let g = placed.graph;
    let ports = ports(placed);
    g.flows
        .iter()
        .enumerate()
        .map(|(e, chain)| {
            let Some(chain) = chain else { return Vec::new() };
            let Some(&last) = chain.nodes.last() else {
                return Vec::new();
            };
            let mut path = Vec::with_capacity(2 * chain.nodes.len());
            let (out_port, in_port) = ports[e];
            // Straight down to the band's edge first, so that between two ranks every flow
            // runs from one common line to another and two flows cross only where the order
            // says they must.
            for (i, &v) in chain.nodes.iter().enumerate() {
                let r = g.rank[v];
                let (band_top, band_bottom) =
                    (placed.band_top[r], placed.band_top[r] + placed.band_thick[r]);
                if i == 0 {
                    path.push(Point { x: out_port, y: placed.bottom(v) });
                    path.push(Point { x: out_port, y: band_bottom });
                } else if v == last {
                    path.push(Point { x: in_port, y: band_top });
                    path.push(Point { x: in_port, y: placed.top(v) });
                } else {
                    let u = placed.lane(v);
                    path.push(Point { x: u, y: band_top });
                    path.push(Point { x: u, y: band_bottom });
                }
            }
            path.dedup();
            path
        })
        .collect()
}

/// For each flow, the positions of its ports on its upper element's bottom and its lower
/// element's top.
fn ports(placed: &Placed<'_>) -> Vec<(f64, f64)> {
    let g = placed.graph;
    let mut out: Vec<Vec<(f64, usize)>> = vec![Vec::new(); g.rank.len()];
    let mut into: Vec<Vec<(f64, usize)>> = vec![Vec::new(); g.rank.len()];
    for (e, chain) in g.flows.iter().enumerate() {
        let Some(chain) = chain else { continue };
        let nodes = &chain.nodes;
        if nodes.len() < 2 {
            continue;
        }
        let (first, second) = (nodes[0], nodes[1]);
        let (before_last, last) = (nodes[nodes.len() - 2], nodes[nodes.len() - 1]);
        out[first].push((placed.lane(second), e));
        into[last].push((placed.lane(before_last), e));
    }
    let mut result: Vec<(f64, f64)> = (0..g.flows.len()).map(|_| (0.0, 0.0)).collect();
    for (v, list) in out.iter_mut().enumerate() {
        for (port, e) in spread(list, placed.centre[v], g.size[v].0) {
            result[e].0 = port;
        }
    }
    for (v, list) in into.iter_mut().enumerate() {
        for (port, e) in spread(list, placed.centre[v], g.size[v].0) {
            result[e].1 = port;
        }
    }
    result
}

/// Ports for the flows in `list` (each with where it heads), centred on `centre` along a side
/// `length` long, in the order of their headings.
fn spread(list: &mut [(f64, usize)], centre: f64, length: f64) -> Vec<(f64, usize)> {
    list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let k = list.len();
    if k == 0 {
        return Vec::new();
    }
    let step = if k > 1 { PORT_STEP.min(length * PORT_SPREAD / (k - 1) as f64) } else { 0.0 };
    list.iter()
        .enumerate()
        .map(|(i, &(_, e))| (centre + (i as f64 - (k - 1) as f64 / 2.0) * step, e))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_spread_in_order_of_heading_and_stay_on_the_side() {
        let mut list = vec![(100.0, 0), (-50.0, 1), (10.0, 2)];
        let ports = spread(&mut list, 0.0, 40.0);
        let order: Vec<usize> = ports.iter().map(|p| p.1).collect();
        assert_eq!(order, vec![1, 2, 0]);
        assert!(ports.iter().all(|p| p.0.abs() <= 40.0 * PORT_SPREAD / 2.0 + 1e-9));
        assert!(ports[0].0 < ports[1].0 && ports[1].0 < ports[2].0);
    }
}
