//! Where a flow's drawn path passes a boundary, so the crossing can be marked on the page.

use crate::model::{Point, Rect};

/// Points where `path` passes the border of `r`, in path order.
pub fn polyline_rect_crossings(path: &[Point], r: &Rect) -> Vec<Point> {
    let corners = [
        Point { x: r.x, y: r.y },
        Point { x: r.x + r.width, y: r.y },
        Point { x: r.x + r.width, y: r.y + r.height },
        Point { x: r.x, y: r.y + r.height },
        Point { x: r.x, y: r.y },
    ];
    polyline_crossings(path, &corners)
}

/// Points where `path` crosses the polyline `line`, in path order, duplicates (a path through a
/// corner meets two sides there) removed.
pub fn polyline_crossings(path: &[Point], line: &[Point]) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::new();
    for segment in path.windows(2) {
        let mut here: Vec<(f64, Point)> = line
            .windows(2)
            .filter_map(|side| segment_intersection(segment[0], segment[1], side[0], side[1]))
            .collect();
        here.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (_, p) in here {
            let duplicate = out.last().is_some_and(|q| (q.x - p.x).hypot(q.y - p.y) < 0.5);
            if !duplicate {
                out.push(p);
            }
        }
    }
    out
}

/// The intersection of segments `a`–`b` and `c`–`d`, with its position along `a`–`b` (0..=1).
/// Parallel segments are taken not to intersect: a flow running along a border crosses nothing.
fn segment_intersection(a: Point, b: Point, c: Point, d: Point) -> Option<(f64, Point)> {
    let r = (b.x - a.x, b.y - a.y);
    let s = (d.x - c.x, d.y - c.y);
    let denominator = r.0 * s.1 - r.1 * s.0;
    if denominator.abs() < 1e-9 {
        return None;
    }
    let q = (c.x - a.x, c.y - a.y);
    let t = (q.0 * s.1 - q.1 * s.0) / denominator;
    let u = (q.0 * r.1 - q.1 * r.0) / denominator;
    let inside = |v: f64| (-1e-9..=1.0 + 1e-9).contains(&v);
    (inside(t) && inside(u)).then_some((t, Point { x: a.x + t * r.0, y: a.y + t * r.1 }))
}

/// How far along `path` (0 at its start, 1 at its end, by length) the point of it nearest `p`
/// lies; 0.5 for a path with no length.
pub fn fraction_along(path: &[Point], p: Point) -> f64 {
    let lengths: Vec<f64> =
        path.windows(2).map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y)).collect();
    let total: f64 = lengths.iter().sum();
    if total <= 0.0 || !total.is_finite() {
        return 0.5;
    }
    let mut best = (f64::INFINITY, 0.0);
    let mut walked = 0.0;
    for (w, len) in path.windows(2).zip(&lengths) {
        let t = if *len > 0.0 {
            (((p.x - w[0].x) * (w[1].x - w[0].x) + (p.y - w[0].y) * (w[1].y - w[0].y))
                / (len * len))
                .clamp(0.0, 1.0)
        } else {
            0.0
        };
        let on = Point { x: w[0].x + t * (w[1].x - w[0].x), y: w[0].y + t * (w[1].y - w[0].y) };
        let distance = (on.x - p.x).hypot(on.y - p.y);
        if distance < best.0 {
            best = (distance, walked + t * len);
        }
        walked += len;
    }
    best.1 / total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn a_line_through_a_box_crosses_twice_in_order() {
        let r = Rect { x: 10.0, y: 0.0, width: 10.0, height: 10.0 };
        let hits = polyline_rect_crossings(&[p(0.0, 5.0), p(30.0, 5.0)], &r);
        assert_eq!(hits, vec![p(10.0, 5.0), p(20.0, 5.0)]);
    }

    #[test]
    fn a_path_from_inside_crosses_once() {
        let r = Rect { x: 0.0, y: 0.0, width: 10.0, height: 10.0 };
        let hits = polyline_rect_crossings(&[p(5.0, 5.0), p(5.0, 20.0), p(30.0, 20.0)], &r);
        assert_eq!(hits, vec![p(5.0, 10.0)]);
    }

    #[test]
    fn through_a_corner_counts_once() {
        let r = Rect { x: 0.0, y: 0.0, width: 10.0, height: 10.0 };
        assert_eq!(polyline_rect_crossings(&[p(-5.0, -5.0), p(5.0, 5.0)], &r), vec![p(0.0, 0.0)]);
    }

    #[test]
    fn fractions_are_by_length_to_the_nearest_point() {
        let path = [p(0.0, 0.0), p(10.0, 0.0), p(10.0, 30.0)];
        assert_eq!(fraction_along(&path, p(10.0, 0.0)), 0.25);
        assert_eq!(fraction_along(&path, p(11.0, 20.0)), 0.75);
        assert_eq!(fraction_along(&[p(1.0, 1.0)], p(0.0, 0.0)), 0.5);
    }

    #[test]
    fn degenerate_paths_cross_nothing() {
        let r = Rect { x: 0.0, y: 0.0, width: 10.0, height: 10.0 };
        assert!(polyline_rect_crossings(&[], &r).is_empty());
        assert!(polyline_rect_crossings(&[p(20.0, 20.0)], &r).is_empty());
        assert!(polyline_rect_crossings(&[p(20.0, 20.0), p(20.0, 20.0)], &r).is_empty());
    }
}
