//! The user's own drawing, kept as it is.
//!
//! Only what the file lacks is derived: boxes for boundaries drawn without one, flows trimmed to
//! the element borders, label positions. DOT splines arrive already followed at a few points per
//! Bézier piece (the reader does it); draw.io's waypoints are straight segments and kept as
//! they are.

use petgraph::visit::EdgeRef;

use crate::model::{Diagram, Point, Rect, Shape};

use super::flows::{parallel_offsets, self_loop, LoopSide, Taken};
use super::geometry::{
    bottom, clip_to_borders, inflate, polyline_midpoint, right, sane_point, sane_rect, union,
};
use super::labels::label_box;
use super::nesting::{area_boundary, area_parent, has_area};
use super::text::text_size;
use super::{finish, Layout, LayoutOrigin, LABEL_FONT_PX};

/// Room around members when a boundary box has to be derived from them.
const PADDING: f64 = 20.0;
/// Size of the box given to a boundary with neither a box nor members.
const EMPTY_BOX: (f64, f64) = (120.0, 50.0);

pub(crate) fn from_file(diagram: &Diagram) -> Layout {
    let elements: Vec<Rect> = diagram
        .graph
        .node_weights()
        .map(|e| {
            sane_rect(e.visual.bounds.unwrap_or(Rect { x: 0.0, y: 0.0, width: 0.0, height: 0.0 }))
        })
        .collect();
    let boundaries = boundary_boxes(diagram, &elements);

    // Per element: its self-loops so far and the room they take.
    let mut loops = vec![Taken::default(); elements.len()];
    let offsets = parallel_offsets(diagram, |a, b| {
        let (ra, rb) = (&elements[a], &elements[b]);
        ra.width.min(ra.height).min(rb.width).min(rb.height) / 2.0
    });
    let mut flows = vec![Vec::new(); diagram.flow_count()];
    let mut labels = vec![None; diagram.flow_count()];
    for edge in diagram.graph.edge_references() {
        let e = edge.id().index();
        let flow = edge.weight();
        let source = &elements[edge.source().index()];
        let target = &elements[edge.target().index()];
        let waypoints: Vec<Point> = flow.waypoints.iter().copied().map(sane_point).collect();
        let mut loop_label = None;
        let points = if edge.source() == edge.target() && waypoints.is_empty() {
            let taken = loops.get(edge.source().index()).copied().unwrap_or_default();
            let round = matches!(
                diagram.graph[edge.source()].visual.shape,
                Shape::Ellipse | Shape::DoubleEllipse
            );
            let drawn = self_loop(source, taken, LoopSide::Right, round, label_box(&flow.label));
            if let Some(t) = loops.get_mut(edge.source().index()) {
                *t = drawn.taken;
            }
            loop_label = Some(drawn.label);
            drawn.points
        } else {
            let mut path = Vec::with_capacity(waypoints.len() + 2);
            path.push(source.center());
            path.extend_from_slice(&waypoints);
            path.push(target.center());
            if waypoints.is_empty() {
                shift_sideways(&mut path, offsets[e]);
            }
            clip_to_borders(&path, source, target)
        };
        labels[e] = flow
            .label_position
            .map(sane_point)
            .or(loop_label)
            .or_else(|| polyline_midpoint(&points));
        flows[e] = points;
    }
    let extent = diagram.bounds.map(sane_rect);
    finish(elements, boundaries, flows, labels, extent, LayoutOrigin::FromFile)
}

/// Moves a straight two-point path sideways by `offset`, perpendicular to its direction.
fn shift_sideways(path: &mut [Point], offset: f64) {
    let (Some(first), Some(last)) = (path.first().copied(), path.last().copied()) else { return };
    let (dx, dy) = (last.x - first.x, last.y - first.y);
    let length = dx.hypot(dy);
    if offset == 0.0 || length <= 0.0 {
        return;
    }
    for p in path.iter_mut() {
        p.x += -dy / length * offset;
        p.y += dx / length * offset;
    }
}

/// The user's boundary boxes; missing ones are the padded union of their members (children
/// first, as ids only ever point to lower ids), and empty ones get a small box in their parent's
/// corner or, at the top level, in a row under the drawing.
fn boundary_boxes(diagram: &Diagram, elements: &[Rect]) -> Vec<Option<Rect>> {
    let count = diagram.boundaries.len();
    let mut members: Vec<Option<Rect>> = vec![None; count];
    for (i, element) in diagram.graph.node_weights().enumerate() {
        if let Some(b) = area_boundary(diagram, element.boundary) {
            members[b] = Some(members[b].map_or(elements[i], |m| union(m, elements[i])));
        }
    }
    let mut boxes: Vec<Option<Rect>> = vec![None; count];
    for b in (0..count).rev() {
        if !has_area(diagram, b) {
            continue;
        }
        let boundary = &diagram.boundaries[b];
        let own = boundary.visual.bounds.map(sane_rect).or_else(|| {
            members[b].map(|m| {
                let header = text_size(&boundary.label, LABEL_FONT_PX).1 + 8.0;
                let padded = inflate(m, PADDING);
                Rect { y: padded.y - header, height: padded.height + header, ..padded }
            })
        });
        boxes[b] = own;
        if let (Some(r), Some(parent)) = (own, area_parent(diagram, b)) {
            members[parent] = Some(members[parent].map_or(r, |m| union(m, r)));
        }
    }
    // Boundaries with nothing to go by.
    let drawing = elements.iter().copied().chain(boxes.iter().flatten().copied()).reduce(union);
    let mut next_x = drawing.map_or(0.0, |d| d.x);
    let row_y = drawing.map_or(0.0, |d| bottom(&d) + PADDING);
    for b in 0..count {
        if !has_area(diagram, b) || boxes[b].is_some() {
            continue;
        }
        let parent = area_parent(diagram, b).and_then(|p| boxes[p]);
        boxes[b] = Some(match parent {
            Some(p) => Rect {
                x: p.x + PADDING / 2.0,
                y: p.y + PADDING / 2.0,
                width: EMPTY_BOX.0,
                height: EMPTY_BOX.1,
            },
            None => {
                let r = Rect { x: next_x, y: row_y, width: EMPTY_BOX.0, height: EMPTY_BOX.1 };
                next_x = right(&r) + PADDING;
                r
            }
        });
    }
    boxes
}
