//! Reachability from external actors.
//!
//! An attacker who controls an external actor can push requests along any flow touching what they
//! reach, and data moves along flows both ways (requests and responses), so flows are followed in
//! both directions. Paths do not pass through other external actors. The cost of a path is the
//! number of boundaries it crosses; the nearest actor (fewest crossings, then fewest hops, then
//! lowest index) is recorded.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::{Crossing, ElementFacts, Reach};
use crate::model::Diagram;

/// Whether `a` is a nearer reach than `b`.
pub fn closer(a: &Reach, b: &Reach) -> bool {
    (a.boundaries_crossed, a.hops, a.actor.index())
        < (b.boundaries_crossed, b.hops, b.actor.index())
}

pub fn annotate(diagram: &Diagram, crossings: &[Crossing], facts: &mut [ElementFacts]) {
    let n = diagram.graph.node_count();
    let mut best: Vec<Option<(usize, usize, usize)>> = vec![None; n];
    let mut heap = BinaryHeap::new();
    for i in diagram.graph.node_indices() {
        if facts[i.index()].external_actor.is_some() {
            let key = (0, 0, i.index());
            best[i.index()] = Some(key);
            heap.push(Reverse((key, i.index())));
        }
    }
    while let Some(Reverse(((cost, hops, actor), node))) = heap.pop() {
        if best[node] != Some((cost, hops, actor)) {
            continue;
        }
        let here = NodeIndex::new(node);
        // An actor is a source of attack, not a relay for another actor.
        if facts[node].external_actor.is_some() && actor != node {
            continue;
        }
        let edges = diagram
            .graph
            .edges_directed(here, petgraph::Direction::Outgoing)
            .map(|e| (e.id(), e.target()))
            .chain(
                diagram
                    .graph
                    .edges_directed(here, petgraph::Direction::Incoming)
                    .map(|e| (e.id(), e.source())),
            );
        for (edge, next) in edges {
            let step = crossings.get(edge.index()).map_or(0, |c| c.crosses.len());
            let key = (cost + step, hops + 1, actor);
            if best[next.index()].is_none_or(|old| key < old) {
                best[next.index()] = Some(key);
                heap.push(Reverse((key, next.index())));
            }
        }
    }
    for (i, b) in best.into_iter().enumerate() {
        if facts[i].external_actor.is_some() {
            continue;
        }
        facts[i].reached_by = b.map(|(cost, hops, actor)| Reach {
            actor: NodeIndex::new(actor),
            boundaries_crossed: cost,
            hops,
        });
    }
}
