//! Flow shapes shared by both layout paths: self-loops, the spreading of parallel flows, and
//! the return flows drawn back along their line.

use petgraph::graph::EdgeIndex;
use petgraph::visit::EdgeRef;

use crate::index_hash::IndexMap;
use crate::model::{Diagram, Drawn, Point, Rect};

use super::geometry::{bottom, right};

/// Distance between neighbouring parallel flows.
const PARALLEL_GAP: f64 = 10.0;

/// How far a self-loop stands out of its element, or out of the loops drawn before it.
const LOOP_REACH: f64 = 16.0;

/// Gap between a self-loop and its label.
const LOOP_LABEL_GAP: f64 = 4.0;

/// The side of its element a self-loop stands out of: across the ranks (Graphviz's right side
/// when ranks run top to bottom, the bottom when they run left to right), where no flow between
/// ranks enters, so the loop crosses none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoopSide {
    Right,
    Bottom,
}

/// What an element's self-loops drawn so far take: how many, how far they and their labels
/// stand out of it (the next loop goes around), and how far either side of the side's middle
/// their labels reach (the next loop's ends stay further apart, so it runs past them).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Taken {
    pub count: usize,
    pub extent: f64,
    pub clear: f64,
}

/// A self-loop, the point its label is centred on, and what the element's loops take with it.
pub(crate) struct SelfLoop {
    pub points: Vec<Point>,
    pub label: Point,
    pub taken: Taken,
}

/// A loop out of `side` of `r` and back, its ends either side of the side's middle (on the rim
/// when the element is `round`), around what the element's earlier loops take; its label
/// (`label`: width and height, badge included) beside its far side.
pub(crate) fn self_loop(
    r: &Rect,
    taken: Taken,
    side: LoopSide,
    round: bool,
    label: (f64, f64),
) -> SelfLoop {
    let c = r.center();
    let reach = taken.extent + LOOP_REACH;
    let step = taken.count.min(20) as f64;
    // The rim's distance out from the centre at `off` from the middle, along a half-axis
    // `half` whose perpendicular half-axis is `other`.
    let rim = |half: f64, other: f64, off: f64| {
        if round && other > 0.0 {
            half * (1.0 - (off / other).powi(2)).max(0.0).sqrt()
        } else {
            half
        }
    };
    match side {
        LoopSide::Right => {
            let (hw, hh) = (r.width / 2.0, r.height / 2.0);
            let d = (r.height / 6.0 + 3.0 * step).max(taken.clear).min(hh * 0.9);
            let far = right(r) + reach;
            let (y0, y1) = (c.y - d, c.y + d);
            SelfLoop {
                points: vec![
                    Point { x: c.x + rim(hw, hh, d), y: y0 },
                    Point { x: far, y: y0 },
                    Point { x: far, y: y1 },
                    Point { x: c.x + rim(hw, hh, d), y: y1 },
                ],
                label: Point { x: far + LOOP_LABEL_GAP + label.0 / 2.0, y: c.y },
                taken: Taken {
                    count: taken.count + 1,
                    extent: reach + LOOP_LABEL_GAP + label.0,
                    clear: taken.clear.max(d).max(label.1 / 2.0 + LOOP_LABEL_GAP),
                },
            }
        }
        LoopSide::Bottom => {
            let (hw, hh) = (r.width / 2.0, r.height / 2.0);
            let d = (r.width.min(r.height) / 6.0 + 3.0 * step).max(taken.clear).min(hw * 0.9);
            let far = bottom(r) + reach;
            let (x0, x1) = (c.x + d, c.x - d);
            SelfLoop {
                points: vec![
                    Point { x: x0, y: c.y + rim(hh, hw, d) },
                    Point { x: x0, y: far },
                    Point { x: x1, y: far },
                    Point { x: x1, y: c.y + rim(hh, hw, d) },
                ],
                label: Point { x: c.x, y: far + LOOP_LABEL_GAP + label.1 / 2.0 },
                taken: Taken {
                    count: taken.count + 1,
                    extent: reach + LOOP_LABEL_GAP + label.1,
                    clear: taken.clear.max(d).max(label.0 / 2.0 + LOOP_LABEL_GAP),
                },
            }
        }
    }
}

/// How much room beside its element (on its loop side) the element's self-loops and their
/// labels take: `labels` are the loops' label sizes, in the order they are drawn.
pub(crate) fn loop_room(side: LoopSide, labels: &[(f64, f64)]) -> f64 {
    let label = |&(w, h): &(f64, f64)| if side == LoopSide::Right { w } else { h };
    labels.iter().map(|l| LOOP_REACH + LOOP_LABEL_GAP + label(l)).sum()
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
    }
}
