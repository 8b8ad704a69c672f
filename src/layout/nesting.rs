//! Which boundary really holds what, tolerating malformed input.
//!
//! The model promises parents before children, but a layout must not panic or loop on a diagram
//! that breaks the promise, and line boundaries (draw.io) have no area to hold anything. So every
//! lookup here skips line boundaries, ids out of range, and parents that do not precede their
//! child.

use crate::model::{BoundaryId, Diagram};

/// The innermost boundary with an area that holds something whose innermost boundary is `start`.
pub(crate) fn area_boundary(diagram: &Diagram, start: Option<BoundaryId>) -> Option<BoundaryId> {
    let mut cursor = start;
    while let Some(b) = cursor {
        let boundary = diagram.boundaries.get(b)?;
        if boundary.line.is_none() {
            return Some(b);
        }
        // Only ever walk to lower ids, so malformed trees still terminate.
        cursor = boundary.parent.filter(|&p| p < b);
    }
    None
}

/// The boundary with an area that holds boundary `b`.
pub(crate) fn area_parent(diagram: &Diagram, b: BoundaryId) -> Option<BoundaryId> {
    let parent = diagram.boundaries.get(b)?.parent.filter(|&p| p < b);
    area_boundary(diagram, parent)
}

/// Whether boundary `b` is drawn as a region (not a line).
pub(crate) fn has_area(diagram: &Diagram, b: BoundaryId) -> bool {
    diagram.boundaries.get(b).is_some_and(|x| x.line.is_none())
}
