//! Reachability from external actors.
//!
//! An attacker who controls an external actor can push requests along any flow touching what they
//! reach, and data moves along flows both ways (requests and responses), so flows are followed in
//! both directions. Paths do not pass through other external actors. The cost of a path is the
//! number of boundaries it crosses; the nearest actor (fewest crossings, then fewest hops, then
//! lowest index) is recorded.
//!
//! A diagram that draws no external actor at all (a detailed DFD of the system's inside, its users
//! left off the page) still has callers: a threat modeler assumes one at the processes where work
//! starts, those no flow comes into (the forms a user opens). Reach is then seeded there and marked
//! as assumed, so the rules that need a reachable target still speak, at a likelihood one step
//! lower, and every output says the reach was assumed.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::{Crossing, DiagramAnalysis, ElementFacts, Reach, ReachOrigin};
use crate::diagnostic::Diagnostic;
use crate::import::text::{cut_chars, one_line};
use crate::model::{Diagram, ElementKind};

/// Whether `a` is a nearer reach than `b`: from an actor that sends into the system before one
/// that only receives, then by fewest boundaries crossed, fewest hops, lowest index.
pub fn closer(a: &Reach, b: &Reach) -> bool {
    let key =
        |r: &Reach| (r.origin_only_receives, r.boundaries_crossed, r.hops, r.origin.node().index());
    key(a) < key(b)
}

/// The processes where an undrawn user is assumed: none when the diagram draws an external
/// actor, or when it has no store (a graph with nothing to protect is no DFD of a system: a
/// call graph, a family tree). Otherwise the processes no flow comes into, or every process
/// when each has one (work that only loops).
pub fn assumed_user_starts(diagram: &Diagram, facts: &[ElementFacts]) -> Vec<NodeIndex> {
    let kind = |i: NodeIndex| diagram.element(i).kind;
    let no_actor = facts.iter().all(|f| f.external_actor.is_none());
    let has_store = diagram.graph.node_indices().any(|i| kind(i) == ElementKind::DataStore);
    if !no_actor || !has_store || diagram.graph.edge_count() == 0 {
        return Vec::new();
    }
    let processes =
        || diagram.graph.node_indices().filter(move |&i| kind(i) == ElementKind::Process);
    let starts: Vec<NodeIndex> = processes()
        .filter(|&i| facts[i.index()].inbound_flows == 0 && facts[i.index()].outbound_flows > 0)
        .collect();
    if starts.is_empty() {
        processes().filter(|&i| facts[i.index()].inbound_flows > 0).collect()
    } else {
        starts
    }
}

/// The warning that tells the user the reach was assumed, and how to draw it instead.
pub fn assumption_warning(diagram: &Diagram, analysis: &DiagramAnalysis) -> Option<Diagnostic> {
    let first = *analysis.assumed_user_starts.first()?;
    let count = analysis.assumed_user_starts.len();
    let which = if count == 1 { "the process" } else { "the processes" };
    let words: Vec<&str> = diagram.element(first).label.split_whitespace().collect();
    let joined = one_line(&words.join(" ")).into_owned();
    let example = cut_chars(&joined, 60).map_or(joined.clone(), |cut| format!("{cut}…"));
    let mut warning = Diagnostic::new(format!(
        "no external actor is drawn, so threats assume an undrawn user at {which} no flow \
             comes into ({count}, first {example:?})"
    ))
    .with_help(
        "draw the people and outside systems that use the system (or mark them kind=external) \
         and its trust boundaries, so reach and entry points come from the diagram",
    );
    // Where the first assumed start is drawn: the page and cell, or the DOT line.
    warning.location = diagram.element(first).origin.clone();
    Some(warning)
}

pub fn annotate(
    diagram: &Diagram,
    crossings: &[Crossing],
    facts: &mut [ElementFacts],
    assumed_starts: &[NodeIndex],
) {
    let n = diagram.graph.node_count();
    // (origin only receives, boundaries crossed, hops, origin): the order of [`closer`].
    let mut best: Vec<Option<(bool, usize, usize, usize)>> = vec![None; n];
    let mut heap = BinaryHeap::new();
    let seeds = diagram.graph.node_indices().filter(|i| facts[i.index()].external_actor.is_some());
    for i in seeds.chain(assumed_starts.iter().copied()) {
        let only_receives = facts[i.index()].external_actor.is_some()
            && facts[i.index()].outbound_flows == 0
            && facts[i.index()].inbound_flows > 0;
        let key = (only_receives, 0, 0, i.index());
        best[i.index()] = Some(key);
        heap.push(Reverse((key, i.index())));
    }
    while let Some(Reverse(((only_receives, cost, hops, actor), node))) = heap.pop() {
        if best[node] != Some((only_receives, cost, hops, actor)) {
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
            let key = (only_receives, cost + step, hops + 1, actor);
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
        // Users are assumed only where no actor is drawn, so every seed is of one sort.
        let origin = |start: usize| {
            let node = NodeIndex::new(start);
            if assumed_starts.is_empty() {
                ReachOrigin::Actor(node)
            } else {
                ReachOrigin::AssumedUserAt(node)
            }
        };
        facts[i].reached_by = b.map(|(only_receives, cost, hops, start)| Reach {
            origin: origin(start),
            origin_only_receives: only_receives,
            boundaries_crossed: cost,
            hops,
        });
    }
}
