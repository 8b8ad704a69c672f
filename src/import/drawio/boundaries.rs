//! Trust boundaries from geometry: which drawn regions nest in which, which region holds each
//! element, and the polyline of a boundary drawn as an arc.
//!
//! Real diagrams rarely use containers for boundaries: they draw rectangles around their members,
//! nest them only by coordinates, and sometimes let them overlap. So nesting is box containment
//! and membership is containment of an element's centre; when several regions qualify, the
//! smallest wins, and among equals the earlier in the file (the order is the caller's).

use super::style::Style;
use crate::model::{Point, Rect};

/// Words that make a rectangle a boundary even when nothing is drawn inside it.
pub fn says_boundary(label: &str) -> bool {
    let lower = label.to_lowercase();
    lower.contains("boundary") || lower.contains("trust zone") || lower.contains("trust border")
}

/// Words that describe a region; used to explain why a rectangle was taken for a boundary.
const REGION_WORDS: &[&str] = &[
    "boundary",
    "zone",
    "network",
    "internet",
    "dmz",
    "vpc",
    "subnet",
    "account",
    "cluster",
    "trust",
    "cloud",
    "region",
    "lan",
    "data center",
    "datacenter",
    "on-prem",
    "premises",
];

pub fn region_word(label: &str) -> Option<&'static str> {
    let lower = label.to_lowercase();
    REGION_WORDS.iter().copied().find(|w| lower.contains(w))
}

/// For boxes already ordered parents-first (area descending, then file order): each box's parent,
/// the smallest earlier box that contains it.
pub fn nest(boxes: &[Rect]) -> Vec<Option<usize>> {
    (0..boxes.len())
        .map(|i| {
            let inner = boxes[i];
            (0..i)
                .filter(|&j| boxes[j].contains_rect(&inner))
                .min_by(|&a, &b| boxes[a].area().total_cmp(&boxes[b].area()).then(a.cmp(&b)))
        })
        .collect()
}

/// The smallest box holding `point` (ties: the earliest).
pub fn innermost(boxes: &[(usize, Rect)], point: Point) -> Option<usize> {
    boxes
        .iter()
        .filter(|(_, b)| b.contains_point(point))
        .min_by(|(a, ab), (b, bb)| ab.area().total_cmp(&bb.area()).then(a.cmp(b)))
        .map(|(id, _)| *id)
}

/// The line an arc-shaped boundary draws (`shape=requiredInterface`): a half ellipse bulging to
/// the east of its box, turned by `direction` and `rotation` like draw.io does.
pub fn arc_line(bounds: Rect, style: &Style) -> Vec<Point> {
    const STEPS: usize = 12;
    let centre = bounds.center();
    let (rx, ry) = (bounds.width / 2.0, bounds.height / 2.0);
    let mut angle = match style.get("direction") {
        Some("south") => 90.0,
        Some("west") => 180.0,
        Some("north") => 270.0,
        _ => 0.0,
    };
    angle += style.number("rotation").unwrap_or(0.0);
    let (sin, cos) = angle.to_radians().sin_cos();
    (0..=STEPS)
        .map(|k| {
            // From the top-left corner, through the middle of the east side, to the bottom-left.
            let t = std::f64::consts::PI * (k as f64 / STEPS as f64 - 0.5);
            let (x, y) = (-rx + 2.0 * rx * t.cos(), ry * t.sin());
            Point { x: centre.x + x * cos - y * sin, y: centre.y + x * sin + y * cos }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn r(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, width: w, height: h }
    }

    #[test]
    fn nesting_by_containment() {
        // Ordered by area: internet, lan, machine; plus an overlapping box.
        let boxes = [
            r(0.0, 0.0, 400.0, 400.0),
            r(300.0, 300.0, 200.0, 200.0),
            r(10.0, 10.0, 200.0, 200.0),
            r(20.0, 20.0, 100.0, 100.0),
        ];
        assert_eq!(nest(&boxes), vec![None, None, Some(0), Some(2)]);
    }

    #[test]
    fn overlaps_go_to_the_smallest() {
        let boxes = [
            (0, r(0.0, 0.0, 100.0, 100.0)),
            (1, r(50.0, 50.0, 100.0, 100.0)),
            (2, r(60.0, 60.0, 20.0, 20.0)),
        ];
        assert_eq!(innermost(&boxes, Point { x: 70.0, y: 70.0 }), Some(2));
        assert_eq!(innermost(&boxes, Point { x: 90.0, y: 90.0 }), Some(0));
        assert_eq!(innermost(&boxes, Point { x: 140.0, y: 140.0 }), Some(1));
        assert_eq!(innermost(&boxes, Point { x: 500.0, y: 0.0 }), None);
    }

    #[test]
    fn arcs_run_corner_to_corner() {
        let line = arc_line(r(0.0, 0.0, 20.0, 100.0), &Style::parse("shape=requiredInterface"));
        let (first, last) = (line[0], line[line.len() - 1]);
        assert!((first.x - 0.0).abs() < 1e-9 && (first.y - 0.0).abs() < 1e-9, "{first:?}");
        assert!((last.x - 0.0).abs() < 1e-9 && (last.y - 100.0).abs() < 1e-9, "{last:?}");
        let middle = line[line.len() / 2];
        assert!((middle.x - 20.0).abs() < 1e-9 && (middle.y - 50.0).abs() < 1e-9, "{middle:?}");
    }

    #[test]
    fn boundary_words() {
        assert!(says_boundary("Trust Boundary 1"));
        assert!(!says_boundary("Internet"));
        assert_eq!(region_word("Users' LAN"), Some("lan"));
    }
}
