//! A layout for diagrams without geometry, drawn the way Graphviz's `dot` draws: ranks in the
//! diagram's direction (DOT `rankdir`, top to bottom by default), every flow its own path
//! through the ranks it spans, trust boundaries as rectangles that hold their members and that
//! other flows go around, and flow labels given a place of their own in the layout.
//!
//! The steps: ranks ([`ranks`](super::ranks)); a proper layered graph where a flow spanning
//! several ranks has a node in each, its label one of them ([`proper`](super::proper));
//! crossing reduction that keeps boundaries in one piece ([`order`](super::order)); positions
//! along each rank ([`place`](super::place)) and across ranks ([`bands`](super::bands)); paths
//! with a port per flow ([`route`](super::route)). All of it in top-to-bottom coordinates,
//! turned to the diagram's direction at the end ([`direction`](super::direction)).

use petgraph::visit::EdgeRef;

use crate::model::{Diagram, ElementKind, Point, RankDir, Rect, Shape};

use super::adjacency::Adjacency;
use super::bands::{bands, BandInput};
use super::direction::Turn;
use super::flows::{loop_room, self_loop, LoopSide, Taken};
use super::geometry::polyline_midpoint;
use super::labels::label_box;
use super::nesting::has_area;
use super::order::{reduce_crossings, Levels};
use super::place::{place, Room};
use super::proper::{build, Kind, Proper, LABEL_SIDE_GAP};
use super::route::{paths, Placed};
use super::straighten::Run;
use super::text::text_size;
use super::{finish, Layout, LayoutOrigin, ELEMENT_FONT_PX, LABEL_FONT_PX};

const MIN_WIDTH: f64 = 100.0;
const MIN_STORE_WIDTH: f64 = 120.0;
const MIN_HEIGHT: f64 = 50.0;
/// Past this width a label wraps instead of widening its box: in a left-to-right diagram every
/// rank is as wide as its widest box, and the page is scaled down to fit a column.
const MAX_WIDTH: f64 = 220.0;
/// Room around an element's label inside a box (each side, then above and below): the SVG
/// keeps 6 px of a box's side clear, and the text estimate is a little generous already.
const LABEL_PADDING: (f64, f64) = (11.0, 16.0);
/// The share of an ellipse's width the SVG writes its label in (it insets 12 % each side).
const ELLIPSE_TEXT_SHARE: f64 = 0.76;
/// The same for a double ellipse (15 % each side).
const DOUBLE_ELLIPSE_TEXT_SHARE: f64 = 0.7;
/// Room beside an ellipse's label, within that share, for where the text estimate falls short.
const ELLIPSE_SLACK: f64 = 4.0;
/// Room between a boundary's border and its members.
const BLOCK_PADDING: f64 = 12.0;
/// Gap between a boundary's side and whatever is next to it.
const BOUNDARY_GAP: f64 = 16.0;
/// Gap between two ranks.
const RANK_GAP: f64 = 48.0;
/// Gap on either side of a rank of labels, when labels have ranks of their own between the
/// elements' (as Graphviz does, which keeps its `ranksep` between the label and the elements).
const LABELLED_RANK_GAP: f64 = 12.0;
/// Room a boundary's title needs beyond its text: the trust level after it and the margins.
const TITLE_EXTRA: f64 = 72.0;

pub(crate) fn computed(diagram: &Diagram) -> Layout {
    let dir = diagram.rank_dir;
    let sizes: Vec<(f64, f64)> = diagram
        .graph
        .node_weights()
        .map(|e| element_size(&e.label, e.kind, e.visual.shape))
        .collect();
    let mut graph = build(diagram, &sizes, dir);
    let count = diagram.boundaries.len();
    reduce_crossings(
        &mut graph.layers,
        &Levels { up: &graph.up, down: &graph.down, chains: &graph.chains, cluster_count: count },
    );

    let headers: Vec<f64> = diagram.boundaries.iter().map(|b| header(&b.label)).collect();
    let titles: Vec<f64> = diagram.boundaries.iter().map(|b| title_room(&b.label)).collect();
    let vertical = Turn::vertical(dir);
    let pad_along: Vec<(f64, f64)> = headers
        .iter()
        .map(|&h| if vertical { (BLOCK_PADDING, BLOCK_PADDING) } else { (h, BLOCK_PADDING) })
        .collect();
    let min_along: Vec<f64> = titles.iter().map(|&t| if vertical { t } else { 0.0 }).collect();
    let neighbours = Adjacency::joined(&graph.up, &graph.down);
    let side = if vertical { LoopSide::Right } else { LoopSide::Bottom };
    let mut widths: Vec<f64> = graph.size.iter().map(|s| s.0).collect();
    // An element's self-loops stand out of its side along the rank: its neighbours keep clear.
    for (v, labels) in loop_labels(diagram).iter().enumerate() {
        if !labels.is_empty() {
            widths[v] += 2.0 * loop_room(side, labels);
        }
    }
    let runs = long_runs(&graph);
    let placement = place(
        &graph.layers,
        &neighbours,
        &Room {
            size: &widths,
            half_gap: &graph.half_gap,
            chains: &graph.chains,
            pad: &pad_along,
            min_width: &min_along,
            cluster_gap: BOUNDARY_GAP,
            runs: &runs,
        },
    );

    let pad_across: Vec<(f64, f64)> = headers
        .iter()
        .map(|&h| match dir {
            RankDir::TopToBottom => (h, BLOCK_PADDING),
            RankDir::BottomToTop => (BLOCK_PADDING, h),
            _ => (BLOCK_PADDING, BLOCK_PADDING),
        })
        .collect();
    let min_across: Vec<f64> = titles.iter().map(|&t| if vertical { 0.0 } else { t }).collect();
    let parents: Vec<Option<usize>> = graph
        .boundary_chains
        .iter()
        .map(|c| if c.len() >= 2 { c.get(c.len() - 2).copied() } else { None })
        .collect();
    let thickness: Vec<f64> = graph.size.iter().map(|s| s.1).collect();
    let labelled = graph.kind.contains(&Kind::Label);
    let laid = bands(&BandInput {
        rank: &graph.rank,
        thickness: &thickness,
        chains: &graph.chains,
        parent: &parents,
        pad: &pad_across,
        min_extent: &min_across,
        gap: if labelled { LABELLED_RANK_GAP } else { RANK_GAP },
    });
    let turn = Turn { dir, depth: laid.depth };
    let placed = Placed {
        graph: &graph,
        centre: &placement.centre,
        band_top: &laid.top,
        band_thick: &laid.thick,
    };

    let elements: Vec<Rect> = (0..diagram.element_count())
        .map(|v| {
            let (su, sv) = graph.size[v];
            let r = graph.rank[v];
            let v0 = laid.top[r] + (laid.thick[r] - sv) / 2.0;
            turn.rect(placement.centre[v] - su / 2.0, v0, su, sv)
        })
        .collect();
    let boundaries: Vec<Option<Rect>> = (0..count)
        .map(|b| {
            if !has_area(diagram, b) {
                return None;
            }
            let (l, r) = placement.clusters.get(b).copied()?;
            let (top, bottom) = laid.boundaries.get(b).copied().flatten()?;
            Some(turn.rect(l, top, r - l, bottom - top))
        })
        .collect();
    let (flows, labels) = flow_paths(diagram, &placed, &turn, (&elements, side));
    finish(elements, boundaries, flows, labels, None, LayoutOrigin::Computed)
}

/// Per element: the label sizes of its self-loops, in the order they are drawn.
fn loop_labels(diagram: &Diagram) -> Vec<Vec<(f64, f64)>> {
    let mut labels = vec![Vec::new(); diagram.element_count()];
    for edge in diagram.graph.edge_references().filter(|e| e.source() == e.target()) {
        if let Some(list) = labels.get_mut(edge.source().index()) {
            list.push(label_box(&edge.weight().label));
        }
    }
    labels
}

/// The flows that pass two ranks or more between their elements, to be drawn straight there.
fn long_runs(graph: &Proper) -> Vec<Run> {
    graph
        .flows
        .iter()
        .flatten()
        .filter_map(|chain| {
            let (&first, &last) = (chain.nodes.first()?, chain.nodes.last()?);
            let inner = chain.nodes.get(1..chain.nodes.len().saturating_sub(1))?;
            (inner.len() >= 2).then(|| Run {
                inner: inner
                    .iter()
                    .map(|&v| match graph.kind[v] {
                        Kind::Label => (v, -graph.size[v].0 / 2.0),
                        _ => (v, 0.0),
                    })
                    .collect(),
                ends: (first, last),
            })
        })
        .collect()
}

/// Every flow's polyline and label point, on the page.
fn flow_paths(
    diagram: &Diagram,
    placed: &Placed<'_>,
    turn: &Turn,
    (elements, side): (&[Rect], LoopSide),
) -> (Vec<Vec<Point>>, Vec<Option<Point>>) {
    let graph: &Proper = placed.graph;
    let routed = paths(placed);
    // Per element: its self-loops so far and the room they take.
    let mut loops = vec![Taken::default(); elements.len()];
    let mut flows = vec![Vec::new(); diagram.flow_count()];
    let mut labels = vec![None; diagram.flow_count()];
    for edge in diagram.graph.edge_references() {
        let e = edge.id().index();
        if graph.line_of[e].is_some() {
            continue;
        }
        let Some(chain) = graph.flows.get(e).and_then(Option::as_ref) else {
            let v = edge.source().index();
            let (Some(r), Some(taken)) = (elements.get(v), loops.get_mut(v)) else { continue };
            let round = matches!(
                diagram.graph[edge.source()].visual.shape,
                Shape::Ellipse | Shape::DoubleEllipse
            );
            let drawn = self_loop(r, *taken, side, round, label_box(&edge.weight().label));
            *taken = drawn.taken;
            labels[e] = Some(drawn.label);
            flows[e] = drawn.points;
            continue;
        };
        let mut points: Vec<Point> = routed[e].iter().map(|p| turn.point(p.x, p.y)).collect();
        if chain.reversed {
            points.reverse();
        }
        labels[e] = match chain.label {
            Some(v) => {
                let (su, _) = graph.size[v];
                let r = graph.rank[v];
                let u = placed.centre[v] - su / 2.0 + (su + LABEL_SIDE_GAP) / 2.0;
                Some(turn.point(u, placed.band_top[r] + placed.band_thick[r] / 2.0))
            }
            None => polyline_midpoint(&points),
        };
        flows[e] = points;
    }
    // A return flow goes back along its line.
    for (e, line) in graph.line_of.iter().enumerate() {
        if let Some(&f) = line.as_ref() {
            flows[e] = flows[f].iter().rev().copied().collect();
            labels[e] = labels[f];
        }
    }
    (flows, labels)
}

/// Height of a boundary's title strip, above its members.
fn header(label: &str) -> f64 {
    text_size(label, LABEL_FONT_PX).1 + 12.0
}

/// Length a boundary needs along its title: the bold title, its trust level and the margins.
fn title_room(label: &str) -> f64 {
    text_size(label, LABEL_FONT_PX).0 * 1.08 + TITLE_EXTRA
}

/// A box that fits the label, never smaller than a readable minimum; stores are drawn a little
/// wider, as their symbol has open ends, and ellipses wider still, as their text is written in
/// the middle of their width only. Long labels do not stretch the box without limit: past
/// [`MAX_WIDTH`] the box grows in height (the SVG wraps the label, and every line is given room,
/// with one to spare for where the wrapping falls).
fn element_size(label: &str, kind: ElementKind, shape: Shape) -> (f64, f64) {
    let (w, h) = text_size(label, ELEMENT_FONT_PX);
    let min_width = if kind == ElementKind::DataStore { MIN_STORE_WIDTH } else { MIN_WIDTH };
    let share = match shape {
        Shape::Ellipse => ELLIPSE_TEXT_SHARE,
        Shape::DoubleEllipse => DOUBLE_ELLIPSE_TEXT_SHARE,
        _ => 1.0,
    };
    // An ellipse's inset is its padding already; a few pixels more for the estimate.
    let pad = if share < 1.0 { ELLIPSE_SLACK } else { 2.0 * LABEL_PADDING.0 };
    let box_for = |text_w: f64| (text_w + pad) / share;
    let inner = MAX_WIDTH * share - pad;
    let line = ELEMENT_FONT_PX * 1.2;
    let wrapped_h = if w > inner { h * (w / inner).ceil() + line } else { h };
    (
        box_for(w.min(inner)).clamp(min_width, MAX_WIDTH).ceil(),
        (wrapped_h + 2.0 * LABEL_PADDING.1).max(MIN_HEIGHT).ceil(),
    )
}
