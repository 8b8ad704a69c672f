//! Where everything goes on the page, so the SVG exporter can draw any diagram with nothing else
//! installed.
//!
//! A diagram that comes with geometry (draw.io, or DOT rendered with `pos`) keeps the user's
//! drawing ([`from_file`]); any other diagram gets a layered layout in the diagram's direction
//! (DOT's `rankdir`, top to bottom by default) with trust boundaries as nested rectangles
//! ([`computed`]). Either way the result is deterministic to the
//! tenth of a pixel and y-down.

mod adjacency;
mod align;
mod bands;
mod chains;
mod computed;
mod direction;
mod flows;
mod from_file;
mod geometry;
mod labels;
mod nesting;
mod order;
mod place;
mod proper;
mod ranks;
mod route;
mod straighten;
mod text;

#[cfg(test)]
mod tests;

pub use geometry::point_along;
pub use labels::LABEL_WRAP;
pub use text::text_size;

use crate::model::{Diagram, Point, Rect};

/// Positions for everything in one diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The whole drawing, with margins.
    pub bounds: Rect,
    /// Element boxes, indexed by `NodeIndex::index()`.
    pub elements: Vec<Rect>,
    /// Boundary boxes, indexed by `BoundaryId`; `None` for line boundaries.
    pub boundaries: Vec<Option<Rect>>,
    /// Each flow's polyline from the source's border to the target's border, indexed by
    /// `EdgeIndex::index()`.
    pub flows: Vec<Vec<Point>>,
    /// Where to centre each flow's label; `None` only for a flow with no points.
    pub flow_labels: Vec<Option<Point>>,
    pub origin: LayoutOrigin,
}

impl Layout {
    /// The drawing without the margin laid around it: a picture that keeps its own margin shows
    /// this much, so its text is not scaled down for twice the white space.
    pub fn drawn_bounds(&self) -> Rect {
        let by = MARGIN.min(self.bounds.width / 2.0).min(self.bounds.height / 2.0).max(0.0);
        geometry::inflate(self.bounds, -by)
    }
}

/// Whose geometry a layout is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutOrigin {
    /// The user's own drawing, as read from the file.
    FromFile,
    /// Computed here, because the file had no (or incomplete) geometry.
    Computed,
}

/// Font size the element labels are measured (and should be drawn) at.
pub const ELEMENT_FONT_PX: f64 = 12.0;
/// Font size of boundary and flow labels.
pub const LABEL_FONT_PX: f64 = 11.0;

/// Lays out a diagram: the user's geometry when every element has a box, computed otherwise.
pub fn layout(diagram: &Diagram) -> Layout {
    // A page with no DFD element (a process model or sequence diagram only) still has the
    // author's drawing to show.
    let has_geometry = if diagram.element_count() == 0 {
        diagram.drawing.is_some()
    } else {
        diagram.graph.node_weights().all(|e| e.visual.bounds.is_some())
    };
    if has_geometry {
        from_file::from_file(diagram)
    } else {
        computed::computed(diagram)
    }
}

/// The margin around the drawing.
const MARGIN: f64 = 20.0;

/// Rounds everything and derives the page bounds, so both paths finish the same way.
fn finish(
    mut elements: Vec<Rect>,
    mut boundaries: Vec<Option<Rect>>,
    mut flows: Vec<Vec<Point>>,
    mut flow_labels: Vec<Option<Point>>,
    extent: Option<Rect>,
    origin: LayoutOrigin,
) -> Layout {
    use geometry::{inflate, round_point, round_rect, union, without_straight_points};
    let mut all: Option<Rect> = extent;
    let mut grow = |r: Rect| all = Some(all.map_or(r, |a| union(a, r)));
    for r in elements.iter_mut() {
        *r = round_rect(*r);
        grow(*r);
    }
    for r in boundaries.iter_mut().flatten() {
        *r = round_rect(*r);
        grow(*r);
    }
    for points in flows.iter_mut() {
        for p in points.iter_mut() {
            *p = round_point(*p);
            grow(Rect { x: p.x, y: p.y, width: 0.0, height: 0.0 });
        }
        *points = without_straight_points(points);
    }
    for p in flow_labels.iter_mut().flatten() {
        *p = round_point(*p);
    }
    let bounds = round_rect(inflate(
        all.unwrap_or(Rect { x: 0.0, y: 0.0, width: 0.0, height: 0.0 }),
        MARGIN,
    ));
    Layout { bounds, elements, boundaries, flows, flow_labels, origin }
}
