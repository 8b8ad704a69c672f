//! Flows crossing boundaries drawn as lines (draw.io): a segment-intersection test between the
//! flow's drawn path and each boundary line.

use crate::model::{Diagram, FlowRef, Point};

/// The line boundaries of a diagram that hold nothing, with their points. A line with members
/// (the side behind it, see `import::line_sides`) is a zone like a box: flows cross it by
/// entering or leaving it, not by where they are drawn.
pub fn boundary_lines(diagram: &Diagram) -> Vec<(usize, &[Point])> {
    let mut holds = vec![false; diagram.boundaries.len()];
    let parents = diagram.boundaries.iter().filter_map(|b| b.parent);
    for b in diagram.elements().filter_map(|(_, e)| e.boundary).chain(parents) {
        if let Some(h) = holds.get_mut(b) {
            *h = true;
        }
    }
    diagram
        .boundaries
        .iter()
        .enumerate()
        .filter(|(i, _)| !holds[*i])
        .filter_map(|(i, b)| b.line.as_deref().filter(|l| l.len() >= 2).map(|l| (i, l)))
        .collect()
}

/// Line boundaries whose line the flow's path crosses, in boundary order.
pub fn lines_crossed(
    diagram: &Diagram,
    lines: &[(usize, &[Point])],
    flow: FlowRef<'_>,
) -> Vec<usize> {
    if lines.is_empty() {
        return Vec::new();
    }
    let (Some(from), Some(to)) =
        (diagram.element(flow.from).visual.bounds, diagram.element(flow.to).visual.bounds)
    else {
        return Vec::new();
    };
    let mut path = Vec::with_capacity(flow.flow.waypoints.len() + 2);
    path.push(from.center());
    path.extend(&flow.flow.waypoints);
    path.push(to.center());
    lines
        .iter()
        .filter(|(_, line)| {
            path.windows(2)
                .any(|s| line.windows(2).any(|l| segments_intersect(s[0], s[1], l[0], l[1])))
        })
        .map(|&(i, _)| i)
        .collect()
}

fn orientation(a: Point, b: Point, c: Point) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

/// Proper or touching intersection of segments `p1p2` and `q1q2`.
pub fn segments_intersect(p1: Point, p2: Point, q1: Point, q2: Point) -> bool {
    let d1 = orientation(q1, q2, p1);
    let d2 = orientation(q1, q2, p2);
    let d3 = orientation(p1, p2, q1);
    let d4 = orientation(p1, p2, q2);
    ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_segments() {
        let p = |x, y| Point { x, y };
        assert!(segments_intersect(p(0.0, 0.0), p(10.0, 10.0), p(0.0, 10.0), p(10.0, 0.0)));
        assert!(!segments_intersect(p(0.0, 0.0), p(10.0, 0.0), p(0.0, 5.0), p(10.0, 5.0)));
        assert!(!segments_intersect(p(0.0, 0.0), p(1.0, 1.0), p(5.0, 0.0), p(5.0, 10.0)));
    }
}
