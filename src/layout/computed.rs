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
const MAX_WIDTH: f64 = 260.0;
const MAX_HEIGHT: f64 = 130.0;
/// Room around an element's label inside its box.
const LABEL_PADDING: (f64, f64) = (24.0, 16.0);
/// Room between a boundary's border and its members.
const BLOCK_PADDING: f64 = 20.0;
/// Size of a boundary with no members.
const EMPTY_CONTENT: (f64, f64) = (100.0, 30.0);
/// Free strip between a boundary's title and its members, where flows leaving the block may run.
const HEADER_STRIP: f64 = 14.0;
/// How far parallel flows may spread where they share a strip or a long edge's slot.
const MAX_LANE_OFFSET: f64 = 4.0;
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
    let mut rank_gaps = vec![MIN_RANK_GAP; block_count];
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
        rank_gaps[k] = MIN_RANK_GAP + label_room[k];
        let spacing = Spacing { rank_gap: rank_gaps[k], node_gap: NODE_GAP };
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
            member_columns[k].push((origin.x + left, origin.x + right));
        }
    }

    let placed = Placed {
        blocks: &blocks,
        elements: &elements,
        boxes: &boxes,
        member_columns: &member_columns,
        content_origin: &content_origin,
        layouts: &layouts,
        rank_gaps: &rank_gaps,
    };
    let loop_ranks = self_loop_ranks(diagram);
    let offsets =
        parallel_offsets(diagram, |a, b| elements[a].height.min(elements[b].height) / 2.0);
    let mut flows = vec![Vec::new(); diagram.flow_count()];
    let mut labels = vec![None; diagram.flow_count()];
    for edge in diagram.graph.edge_references() {
        let e = edge.id().index();
        let (u, v) = (edge.source().index(), edge.target().index());
        let (points, label) = match routes[e] {
            Route::SelfLoop => {
                let points = self_loop(&elements[u], loop_ranks[e]);
                let label = polyline_midpoint(&points);
                (points, label)
            }
            Route::Between { block, from, to, edge: block_edge } => {
                let (path, label) = placed.path(u, v, block, (from, to), block_edge, offsets[e]);
                (clip_to_borders(&path, &elements[u], &elements[v]), Some(label))
            }
        };
        labels[e] = label;
        flows[e] = points;
    }
    finish(elements, boxes, flows, labels, None, LayoutOrigin::Computed)
}

/// Everything placed, in page coordinates, as flows need it.
struct Placed<'a> {
    blocks: &'a Blocks,
    elements: &'a [Rect],
    boxes: &'a [Option<Rect>],
    member_columns: &'a [Vec<(f64, f64)>],
    content_origin: &'a [Point],
    layouts: &'a [LayeredLayout],
    rank_gaps: &'a [f64],
}

impl Placed<'_> {
    fn member_box(&self, block: usize, slot: usize) -> Option<Rect> {
        match self.blocks.members.get(block)?.get(slot)? {
            Member::Element(i) => self.elements.get(*i).copied(),
            Member::Boundary(b) => self.boxes.get(*b).copied().flatten(),
        }
    }

    /// A flow from element `u` to element `v` whose endpoints meet in `block`, held by its
    /// members `slots`: out of `u`'s nested blocks, out of its member's column, through the
    /// bends of the meeting block, and into `v` the same way mirrored. Horizontal runs stay in
    /// the slot their box (or dummy) occupies and turns happen in gaps, so the path does not
    /// cross unrelated boxes.
    fn path(
        &self,
        u: usize,
        v: usize,
        block: usize,
        slots: (usize, usize),
        block_edge: usize,
        offset: f64,
    ) -> (Vec<Point>, Point) {
        let (Some(from_box), Some(to_box)) =
            (self.member_box(block, slots.0), self.member_box(block, slots.1))
        else {
            let (a, b) = (self.elements[u].center(), self.elements[v].center());
            return (vec![a, b], Point { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 });
        };
        let origin = self.content_origin[block];
        let lane = offset.clamp(-MAX_LANE_OFFSET, MAX_LANE_OFFSET);
        let bends: Vec<Point> = self.layouts[block]
            .bends
            .get(block_edge)
            .map(|b| {
                b.iter().map(|p| Point { x: p.x + origin.x, y: p.y + origin.y + lane }).collect()
            })
            .unwrap_or_default();
        let columns = &self.member_columns[block];
        let (from_column, to_column) = (columns[slots.0], columns[slots.1]);

        let next_x = bends.first().map_or(to_box.center().x, |p| p.x);
        let rightwards = next_x >= from_box.center().x;
        let mut path = Vec::with_capacity(bends.len() + 12);
        let y = self.climb_out(u, block, rightwards, (offset, lane), &mut path);
        let column_side = if rightwards { from_column.1 } else { from_column.0 };
        path.push(Point { x: column_side, y });
        let gap_start = path.len() - 1;
        path.extend_from_slice(&bends);

        let previous_x = bends.last().map_or(from_box.center().x, |p| p.x);
        let from_left = previous_x <= to_box.center().x;
        let mut tail = Vec::with_capacity(8);
        let y = self.climb_out(v, block, !from_left, (offset, lane), &mut tail);
        let column_side = if from_left { to_column.0 } else { to_column.1 };
        tail.push(Point { x: column_side, y });
        path.extend(tail.into_iter().rev());
        // The label sits in the first gap of the meeting block: that segment belongs to this
        // flow alone, unlike the strips and fans that flows leaving a block share.
        let (a, b) = (path[gap_start], path.get(gap_start + 1).copied().unwrap_or(path[gap_start]));
        let label = Point { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 };
        path.dedup();
        (path, label)
    }

    /// Leaves element `u` sideways and climbs out of each block holding it until `meeting`,
    /// appending the turns to `path`; returns the height at which the path leaves the member
    /// of `meeting`. Inside a block the path runs horizontally only if nothing stands between
    /// it and the block's side (the member is in the last column); otherwise it turns into the
    /// next column gap and runs along the block's bottom padding.
    ///
    /// `offsets` spread parallel flows: the first applies along the element's own row, the
    /// second (smaller, as strips and dummy slots are narrow) everywhere else.
    fn climb_out(
        &self,
        u: usize,
        meeting: usize,
        rightwards: bool,
        (offset, lane): (f64, f64),
        path: &mut Vec<Point>,
    ) -> f64 {
        let start = self.elements[u];
        let mut y = start.center().y + offset;
        path.push(Point { x: start.center().x, y });
        let mut block = self.blocks.element_block[u];
        let mut slot = self.blocks.element_slot[u];
        let side = |r: &Rect| if rightwards { right(r) } else { r.x };
        path.push(Point { x: side(&start), y });
        while block != meeting && block > 0 {
            let Some(outer) = self.boxes[block - 1] else { break };
            let (left, right_edge) = self.member_columns[block][slot];
            let content_left = self.content_origin[block].x;
            let content_right = content_left + self.layouts[block].width;
            let last_column = if rightwards {
                right_edge >= content_right - 0.5
            } else {
                left <= content_left + 0.5
            };
            if !last_column {
                let half_gap = self.rank_gaps[block] / 2.0;
                let x = if rightwards { right_edge + half_gap } else { left - half_gap };
                // Along the nearer of the bottom padding and the strip under the title.
                let content_top = self.content_origin[block].y;
                let content_bottom = content_top + self.layouts[block].height;
                let strip = if y - content_top < content_bottom - y {
                    content_top - HEADER_STRIP / 2.0
                } else {
                    bottom(&outer) - BLOCK_PADDING / 2.0
                };
                path.push(Point { x, y });
                path.push(Point { x, y: strip + lane });
                y = strip + lane;
            }
            path.push(Point { x: side(&outer), y });
            slot = self.blocks.block_slot[block];
            block = self.blocks.parent[block];
        }
        y
    }
}

/// Height of a boundary's title strip, above its members.
fn header(diagram: &Diagram, block: usize) -> f64 {
    let label = diagram.boundaries.get(block.wrapping_sub(1)).map_or("", |b| b.label.as_str());
    text_size(label, LABEL_FONT_PX).1 + 8.0 + HEADER_STRIP
}

/// A box that fits the label, never smaller than a readable minimum; stores are drawn a little
/// wider, as their symbol has open ends. Long labels do not stretch the box without limit: past
/// [`MAX_WIDTH`] the box grows in height (the SVG wraps the label), up to [`MAX_HEIGHT`] (the SVG
/// cuts the rest with "…"), so one pasted paragraph cannot make the drawing kilometres wide.
fn element_size(label: &str, kind: ElementKind) -> (f64, f64) {
    let (w, h) = text_size(label, ELEMENT_FONT_PX);
    let min_width = if kind == ElementKind::DataStore { MIN_STORE_WIDTH } else { MIN_WIDTH };
    let inner = MAX_WIDTH - 2.0 * LABEL_PADDING.0;
    let wrapped_h = if w > inner { h * (w / inner).ceil() } else { h };
    (
        (w + 2.0 * LABEL_PADDING.0).clamp(min_width, MAX_WIDTH).ceil(),
        (wrapped_h + 2.0 * LABEL_PADDING.1).clamp(MIN_HEIGHT, MAX_HEIGHT).ceil(),
    )
}
