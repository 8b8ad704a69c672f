//! A layout for diagrams without geometry: trust boundaries as nested blocks, each block laid out
//! left to right by [`layered`](super::layered).
//!
//! Blocks are laid out innermost first; a child boundary is one sized box in its parent's
//! layering, and a flow between members of different blocks becomes an edge between the two
//! members of their lowest common block that contain its endpoints. Flows are then drawn from
//! element to element: out of the source's block horizontally, through the column gaps (and the
//! slots long edges reserve), and into the target's block.

use petgraph::visit::EdgeRef;

use crate::model::{Diagram, ElementKind, Point, Rect};

use super::flows::{parallel_offsets, self_loop, self_loop_ranks};
use super::geometry::{bottom, clip_to_borders, polyline_midpoint, right};
use super::layered::{layered, LayeredLayout, Spacing};
use super::nesting::{area_boundary, area_parent, has_area};
use super::text::text_size;
use super::{finish, Layout, LayoutOrigin, ELEMENT_FONT_PX, LABEL_FONT_PX};

const MIN_WIDTH: f64 = 120.0;
const MIN_STORE_WIDTH: f64 = 140.0;
const MIN_HEIGHT: f64 = 50.0;
/// Room around an element's label inside its box.
const LABEL_PADDING: (f64, f64) = (24.0, 16.0);
/// Room between a boundary's border and its members.
const BLOCK_PADDING: f64 = 20.0;
/// Size of a boundary with no members.
const EMPTY_CONTENT: (f64, f64) = (100.0, 30.0);
const NODE_GAP: f64 = 30.0;
const MIN_RANK_GAP: f64 = 60.0;
/// Flow labels wider than this are expected to wrap rather than widen every gap.
const MAX_LABEL_ROOM: f64 = 160.0;

/// One member of a block: an element or a child boundary's block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    Element(usize),
    Boundary(usize),
}

/// The block tree: block 0 is the whole diagram, block `b + 1` is boundary `b`.
struct Blocks {
    parent: Vec<usize>,
    depth: Vec<usize>,
    members: Vec<Vec<Member>>,
    element_block: Vec<usize>,
    element_slot: Vec<usize>,
    /// Index of each block among its parent's members.
    block_slot: Vec<usize>,
}

impl Blocks {
    fn new(diagram: &Diagram) -> Blocks {
        let count = diagram.boundaries.len() + 1;
        let mut blocks = Blocks {
            parent: vec![0; count],
            depth: vec![0; count],
            members: vec![Vec::new(); count],
            element_block: Vec::with_capacity(diagram.element_count()),
            element_slot: Vec::with_capacity(diagram.element_count()),
            block_slot: vec![0; count],
        };
        for b in 0..diagram.boundaries.len() {
            if !has_area(diagram, b) {
                continue;
            }
            let parent = area_parent(diagram, b).map_or(0, |p| p + 1);
            blocks.parent[b + 1] = parent;
            blocks.depth[b + 1] = blocks.depth[parent] + 1;
            blocks.block_slot[b + 1] = blocks.members[parent].len();
            blocks.members[parent].push(Member::Boundary(b));
        }
        for element in diagram.graph.node_weights() {
            let block = area_boundary(diagram, element.boundary).map_or(0, |b| b + 1);
            let index = blocks.element_block.len();
            blocks.element_block.push(block);
            blocks.element_slot.push(blocks.members[block].len());
            blocks.members[block].push(Member::Element(index));
        }
        blocks
    }

    /// The lowest common block of two elements, and the slots of the members holding each.
    fn meeting(&self, u: usize, v: usize) -> (usize, usize, usize) {
        let (mut bu, mut su) = (self.element_block[u], self.element_slot[u]);
        let (mut bv, mut sv) = (self.element_block[v], self.element_slot[v]);
        while self.depth[bu] > self.depth[bv] {
            su = self.block_slot[bu];
            bu = self.parent[bu];
        }
        while self.depth[bv] > self.depth[bu] {
            sv = self.block_slot[bv];
            bv = self.parent[bv];
        }
        while bu != bv {
            su = self.block_slot[bu];
            bu = self.parent[bu];
            sv = self.block_slot[bv];
            bv = self.parent[bv];
        }
        (bu, su, sv)
    }
}

/// A flow's place in the block tree.
#[derive(Clone, Copy)]
enum Route {
    SelfLoop,
    /// Between members `from` and `to` of `block`; `edge` indexes the block's deduplicated edges.
    Between {
        block: usize,
        from: usize,
        to: usize,
        edge: usize,
    },
}

pub(crate) fn computed(diagram: &Diagram) -> Layout {
    let blocks = Blocks::new(diagram);
    let block_count = blocks.members.len();
    let element_sizes: Vec<(f64, f64)> =
        diagram.graph.node_weights().map(|e| element_size(&e.label, e.kind)).collect();

    // Edges of each block, aggregated, and the widest flow label each block has to fit.
    let mut routes = vec![Route::SelfLoop; diagram.flow_count()];
    let mut block_edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); block_count];
    let mut label_room = vec![0.0f64; block_count];
    for edge in diagram.graph.edge_references() {
        let (u, v) = (edge.source().index(), edge.target().index());
        if u == v {
            continue;
        }
        let (block, from, to) = blocks.meeting(u, v);
        block_edges[block].push((from, to));
        routes[edge.id().index()] = Route::Between { block, from, to, edge: 0 };
        if !edge.weight().label.is_empty() {
            let width = text_size(&edge.weight().label, LABEL_FONT_PX).0;
            label_room[block] = label_room[block].max(width.min(MAX_LABEL_ROOM));
        }
    }
    for edges in &mut block_edges {
        edges.sort_unstable();
        edges.dedup();
    }
    for route in &mut routes {
        if let Route::Between { block, from, to, edge } = route {
            *edge = block_edges[*block].binary_search(&(*from, *to)).unwrap_or(0);
        }
    }

    // Innermost blocks first: a block's size is known before its parent is laid out.
    let mut block_sizes = vec![(0.0, 0.0); block_count];
    let mut layouts: Vec<LayeredLayout> = vec![LayeredLayout::default(); block_count];
    for k in (0..block_count).rev() {
        if k > 0 && !has_area(diagram, k - 1) {
            continue;
        }
        let sizes: Vec<(f64, f64)> = blocks.members[k]
            .iter()
            .map(|m| match *m {
                Member::Element(i) => element_sizes[i],
                Member::Boundary(b) => block_sizes[b + 1],
            })
            .collect();
        let spacing = Spacing { rank_gap: MIN_RANK_GAP + label_room[k], node_gap: NODE_GAP };
        let laid = layered(&sizes, &block_edges[k], spacing);
        block_sizes[k] = if k == 0 {
            (laid.width, laid.height)
        } else {
            let (label_width, _) = text_size(&diagram.boundaries[k - 1].label, LABEL_FONT_PX);
            let (content_w, content_h) =
                if sizes.is_empty() { EMPTY_CONTENT } else { (laid.width, laid.height) };
            let width = (content_w + 2.0 * BLOCK_PADDING).max(label_width + 2.0 * BLOCK_PADDING);
            (width, header(diagram, k) + content_h + BLOCK_PADDING)
        };
        layouts[k] = laid;
    }

    // Outermost first: place each block's members at its content origin.
    let mut elements =
        vec![Rect { x: 0.0, y: 0.0, width: 0.0, height: 0.0 }; diagram.element_count()];
    let mut boxes: Vec<Option<Rect>> = vec![None; diagram.boundaries.len()];
    let mut member_boxes: Vec<Vec<Rect>> = vec![Vec::new(); block_count];
    let mut member_columns: Vec<Vec<(f64, f64)>> = vec![Vec::new(); block_count];
    let mut content_origin = vec![Point { x: 0.0, y: 0.0 }; block_count];
    for k in 0..block_count {
        if k > 0 {
            let Some(own) = boxes[k - 1] else { continue };
            content_origin[k] = Point { x: own.x + BLOCK_PADDING, y: own.y + header(diagram, k) };
        }
        let origin = content_origin[k];
        let laid = &layouts[k];
        for (slot, member) in blocks.members[k].iter().enumerate() {
            let (Some(p), Some(&(left, right))) =
                (laid.positions.get(slot), laid.columns.get(slot))
            else {
                continue;
            };
            let (width, height) = match *member {
                Member::Element(i) => element_sizes[i],
                Member::Boundary(b) => block_sizes[b + 1],
            };
            let r = Rect { x: origin.x + p.x, y: origin.y + p.y, width, height };
            match *member {
                Member::Element(i) => elements[i] = r,
                Member::Boundary(b) => boxes[b] = Some(r),
            }
            member_boxes[k].push(r);
            member_columns[k].push((origin.x + left, origin.x + right));
        }
    }

    let loop_ranks = self_loop_ranks(diagram);
    let offsets =
        parallel_offsets(diagram, |a, b| elements[a].height.min(elements[b].height) / 2.0);
    let mut flows = vec![Vec::new(); diagram.flow_count()];
    let mut labels = vec![None; diagram.flow_count()];
    for edge in diagram.graph.edge_references() {
        let e = edge.id().index();
        let (u, v) = (edge.source().index(), edge.target().index());
        let points = match routes[e] {
            Route::SelfLoop => self_loop(&elements[u], loop_ranks[e]),
            Route::Between { block, from, to, edge: block_edge } => {
                let (Some(from_box), Some(to_box)) =
                    (member_boxes[block].get(from), member_boxes[block].get(to))
                else {
                    continue;
                };
                let origin = content_origin[block];
                let bends: Vec<Point> = layouts[block]
                    .bends
                    .get(block_edge)
                    .map(|b| {
                        b.iter().map(|p| Point { x: p.x + origin.x, y: p.y + origin.y }).collect()
                    })
                    .unwrap_or_default();
                let ends = Ends {
                    source: elements[u],
                    target: elements[v],
                    from_box: *from_box,
                    to_box: *to_box,
                    from_column: member_columns[block][from],
                    to_column: member_columns[block][to],
                };
                let mut path = ends.path(&bends);
                for p in &mut path {
                    p.y += offsets[e];
                }
                clip_to_borders(&path, &elements[u], &elements[v])
            }
        };
        labels[e] = polyline_midpoint(&points);
        flows[e] = points;
    }
    finish(elements, boxes, flows, labels, None, LayoutOrigin::Computed)
}

/// Where a flow starts and ends, and the members of the meeting block that hold its endpoints.
struct Ends {
    source: Rect,
    target: Rect,
    from_box: Rect,
    to_box: Rect,
    from_column: (f64, f64),
    to_column: (f64, f64),
}

impl Ends {
    /// Source centre, out of its member and column horizontally, the bends, then into the
    /// target's column and member horizontally, and the target centre.
    fn path(&self, bends: &[Point]) -> Vec<Point> {
        let start = self.source.center();
        let end = self.target.center();
        let mut path = Vec::with_capacity(bends.len() + 6);
        path.push(start);
        let next_x = bends.first().map_or(self.to_box.center().x, |p| p.x);
        let y = start.y.clamp(self.from_box.y, bottom(&self.from_box));
        let towards_right = next_x >= self.from_box.center().x;
        let (member_side, column_side) = if towards_right {
            (right(&self.from_box), self.from_column.1)
        } else {
            (self.from_box.x, self.from_column.0)
        };
        path.push(Point { x: member_side, y });
        path.push(Point { x: column_side, y });
        path.extend_from_slice(bends);
        let previous_x = bends.last().map_or(self.from_box.center().x, |p| p.x);
        let y = end.y.clamp(self.to_box.y, bottom(&self.to_box));
        let from_left = previous_x <= self.to_box.center().x;
        let (column_side, member_side) = if from_left {
            (self.to_column.0, self.to_box.x)
        } else {
            (self.to_column.1, right(&self.to_box))
        };
        path.push(Point { x: column_side, y });
        path.push(Point { x: member_side, y });
        path.push(end);
        path.dedup();
        path
    }
}

/// Height of a boundary's title strip, above its members.
fn header(diagram: &Diagram, block: usize) -> f64 {
    let label = diagram.boundaries.get(block.wrapping_sub(1)).map_or("", |b| b.label.as_str());
    text_size(label, LABEL_FONT_PX).1 + 14.0
}

/// A box that fits the label, never smaller than a readable minimum; stores are drawn a little
/// wider, as their symbol has open ends.
fn element_size(label: &str, kind: ElementKind) -> (f64, f64) {
    let (w, h) = text_size(label, ELEMENT_FONT_PX);
    let min_width = if kind == ElementKind::DataStore { MIN_STORE_WIDTH } else { MIN_WIDTH };
    (
        (w + 2.0 * LABEL_PADDING.0).max(min_width).ceil(),
        (h + 2.0 * LABEL_PADDING.1).max(MIN_HEIGHT).ceil(),
    )
}
