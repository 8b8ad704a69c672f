//! Flow shapes shared by both layout paths: self-loops, the spreading of parallel flows, and
//! the return flows drawn back along their line.

use petgraph::graph::EdgeIndex;
use petgraph::visit::EdgeRef;

use crate::index_hash::IndexMap;
use crate::model::{Diagram, Drawn, Point, Rect};

use super::geometry::{bottom, right};

/// Distance between neighbouring parallel flows.
const PARALLEL_GAP: f64 = 10.0;

/// A small loop off the top-right corner of `r`; the `nth` loop of the same element is drawn
/// around the previous ones.
pub(crate) fn self_loop(r: &Rect, nth: usize) -> Vec<Point> {
    let step = nth.min(20) as f64;
    let reach = 14.0 + 8.0 * step;
    let inset = (12.0 + 6.0 * step).min(r.width / 2.0).min(r.height / 2.0);
    let top_x = right(r) - inset;
    let side_y = (r.y + inset).min(bottom(r));
    vec![
        Point { x: top_x, y: r.y },
        Point { x: top_x, y: r.y - reach },
        Point { x: right(r) + reach, y: r.y - reach },
        Point { x: right(r) + reach, y: side_y },
        Point { x: right(r), y: side_y },
    ]
}

/// For every flow: how many self-loops of the same element come before it.
pub(crate) fn self_loop_ranks(diagram: &Diagram) -> Vec<usize> {
    let mut seen = vec![0usize; diagram.graph.node_count()];
    let mut ranks = vec![0usize; diagram.graph.edge_count()];
    for edge in diagram.graph.edge_references() {
        if edge.source() == edge.target() {
            let count = &mut seen[edge.source().index()];
            ranks[edge.id().index()] = *count;
            *count += 1;
        }
    }
    ranks
}

/// For every flow: a signed sideways offset so that flows between the same two elements (either
/// direction) are drawn apart, centred on the straight line between them.
///
/// The offset is capped by `room` (half the smaller endpoint's size) so the flows still start
/// on their elements.
pub(crate) fn parallel_offsets(diagram: &Diagram, room: impl Fn(usize, usize) -> f64) -> Vec<f64> {
    let mut pairs: Vec<((usize, usize), usize)> = diagram
        .graph
        .edge_references()
        .filter(|e| e.source() != e.target())
        .map(|e| {
            let (a, b) = (e.source().index(), e.target().index());
            ((a.min(b), a.max(b)), e.id().index())
        })
        .collect();
    pairs.sort_unstable();
    let mut offsets = vec![0.0; diagram.graph.edge_count()];
    let mut start = 0;
    while start < pairs.len() {
        let key = pairs[start].0;
        let end = start + pairs[start..].iter().take_while(|p| p.0 == key).count();
        let count = end - start;
        if count > 1 {
            let gap = PARALLEL_GAP.min(2.0 * room(key.0, key.1) / count as f64);
            for (k, &(_, e)) in pairs[start..end].iter().enumerate() {
                offsets[e] = (k as f64 - (count - 1) as f64 / 2.0) * gap;
            }
        }
        start = end;
    }
    offsets
}

/// For every flow: the flow whose line it is drawn back along, when it is the return flow of one
/// line the reader split into a flow each way (DOT `dir=both` or an undirected graph's edge, a
/// bidirectional flow): the same ends swapped, the same label and the same place in the file.
/// Graphviz draws such a line once; drawn as a second line beside the first, every crossing of
/// it would be two, and the two flows would be ranked, ordered and routed apart.
pub(crate) fn return_flows(diagram: &Diagram) -> Vec<Option<usize>> {
    let mut forward: IndexMap<(usize, usize), Vec<usize>> = IndexMap::default();
    for edge in diagram.graph.edge_references() {
        if edge.weight().drawn == Drawn::Forward && edge.source() != edge.target() {
            let key = (edge.source().index(), edge.target().index());
            forward.entry(key).or_default().push(edge.id().index());
        }
    }
    let mut result = vec![None; diagram.graph.edge_count()];
    for edge in diagram.graph.edge_references() {
        let back = edge.weight();
        if back.drawn != Drawn::Backward || back.origin.is_none() {
            continue;
        }
        let Some(candidates) = forward.get_mut(&(edge.target().index(), edge.source().index()))
        else {
            continue;
        };
        let same_line = candidates.iter().position(|&f| {
            let w = diagram.graph.edge_weight(EdgeIndex::new(f));
            w.is_some_and(|w| w.origin == back.origin && w.label == back.label)
        });
        if let Some(i) = same_line {
            result[edge.id().index()] = Some(candidates.swap_remove(i));
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attributes, Element, ElementKind};

    #[test]
    fn parallel_flows_spread_symmetrically() {
        let mut d = Diagram::new("g");
        let a = d.add_element(Element::new("a", ElementKind::Process, "t"));
        let b = d.add_element(Element::new("b", ElementKind::Process, "t"));
        d.add_flow(a, b, String::new(), Attributes::new(), None);
        d.add_flow(b, a, String::new(), Attributes::new(), None);
        d.add_flow(a, a, String::new(), Attributes::new(), None);
        let offsets = parallel_offsets(&d, |_, _| 25.0);
        assert_eq!(offsets, vec![-5.0, 5.0, 0.0]);
        assert_eq!(self_loop_ranks(&d), vec![0, 0, 0]);
    }
}
