//! Small plane-geometry helpers shared by both layout paths.

use crate::model::{Point, Rect};

/// Output precision: one decimal keeps SVG small and makes equality across runs trivial.
pub(crate) fn round(value: f64) -> f64 {
    if value.is_finite() {
        (value * 10.0).round() / 10.0
    } else {
        0.0
    }
}

pub(crate) fn round_point(p: Point) -> Point {
    Point { x: round(p.x), y: round(p.y) }
}

pub(crate) fn round_rect(r: Rect) -> Rect {
    Rect { x: round(r.x), y: round(r.y), width: round(r.width), height: round(r.height) }
}

/// A rectangle with NaN or negative sizes replaced, so later arithmetic stays finite.
pub(crate) fn sane_rect(r: Rect) -> Rect {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    Rect {
        x: finite(r.x),
        y: finite(r.y),
        width: finite(r.width).max(0.0),
        height: finite(r.height).max(0.0),
    }
}

pub(crate) fn sane_point(p: Point) -> Point {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    Point { x: finite(p.x), y: finite(p.y) }
}

pub(crate) fn right(r: &Rect) -> f64 {
    r.x + r.width
}

pub(crate) fn bottom(r: &Rect) -> f64 {
    r.y + r.height
}

pub(crate) fn union(a: Rect, b: Rect) -> Rect {
    a.union(&b)
}

pub(crate) fn inflate(r: Rect, by: f64) -> Rect {
    Rect { x: r.x - by, y: r.y - by, width: r.width + 2.0 * by, height: r.height + 2.0 * by }
}

fn strictly_inside(r: &Rect, p: Point) -> bool {
    p.x > r.x && p.x < right(r) && p.y > r.y && p.y < bottom(r)
}

/// Where the segment from `inside` towards `outside` leaves `r`.
///
/// When `inside` is not in fact inside (an offset parallel flow on a tiny box), the nearest point
/// of the border to `outside` is used instead, so a flow always touches its endpoint.
fn exit_point(r: &Rect, inside: Point, outside: Point) -> Point {
    if r.contains_point(inside) {
        let dx = outside.x - inside.x;
        let dy = outside.y - inside.y;
        let mut t = f64::INFINITY;
        if dx > 0.0 {
            t = t.min((right(r) - inside.x) / dx);
        } else if dx < 0.0 {
            t = t.min((r.x - inside.x) / dx);
        }
        if dy > 0.0 {
            t = t.min((bottom(r) - inside.y) / dy);
        } else if dy < 0.0 {
            t = t.min((r.y - inside.y) / dy);
        }
        if t.is_finite() {
            let t = t.clamp(0.0, 1.0);
            return Point { x: inside.x + t * dx, y: inside.y + t * dy };
        }
    }
    nearest_border_point(r, outside)
}

/// The point of the border of `r` nearest to `p`.
pub(crate) fn nearest_border_point(r: &Rect, p: Point) -> Point {
    let x = p.x.clamp(r.x, right(r));
    let y = p.y.clamp(r.y, bottom(r));
    if strictly_inside(r, Point { x, y }) {
        // Inside: push to the closest side.
        let distances = [x - r.x, right(r) - x, y - r.y, bottom(r) - y];
        let mut side = 0;
        for (i, d) in distances.iter().enumerate() {
            if *d < distances[side] {
                side = i;
            }
        }
        return match side {
            0 => Point { x: r.x, y },
            1 => Point { x: right(r), y },
            2 => Point { x, y: r.y },
            _ => Point { x, y: bottom(r) },
        };
    }
    Point { x, y }
}

/// Trims a path that runs from inside `source` to inside `target` so that it starts on the
/// border of `source` and ends on the border of `target`.
///
/// The path is expected to start at (or near) the source and end at (or near) the target; bends
/// that lie inside either box are dropped.
pub(crate) fn clip_to_borders(path: &[Point], source: &Rect, target: &Rect) -> Vec<Point> {
    if path.len() < 2 {
        let p = path.first().copied().unwrap_or(source.center());
        return vec![nearest_border_point(source, p), nearest_border_point(target, p)];
    }
    let last = path.len() - 1;
    // First vertex after which the path is outside the source for good.
    let start = (1..=last).find(|&i| !strictly_inside(source, path[i])).unwrap_or(last);
    // Last vertex before which the path is outside the target.
    let end = (0..last).rev().find(|&i| !strictly_inside(target, path[i])).unwrap_or(0);
    if start > end + 1 {
        // The boxes overlap or the bends double back: join the borders directly.
        let from = source.center();
        let to = target.center();
        return vec![exit_point(source, from, to), exit_point(target, to, from)];
    }
    let mut out = Vec::with_capacity(end + 3 - start);
    out.push(exit_point(source, path[start - 1], path[start]));
    out.extend_from_slice(&path[start..=end]);
    out.push(exit_point(target, path[end + 1], path[end]));
    out.dedup();
    if out.len() == 1 {
        out.push(out[0]);
    }
    out
}

/// `points` without the interior points that lie on the straight line between their neighbours
/// (within 0.05 px) or repeat one: routed long flows pass many ranks in a straight line, and each
/// such point cost SVG bytes without changing the drawing.
pub(crate) fn without_straight_points(points: &[Point]) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for (i, &p) in points.iter().enumerate() {
        let next = points.get(i + 1).copied();
        let (Some(&a), Some(c)) = (out.last(), next) else {
            out.push(p);
            continue;
        };
        let (abx, aby) = (p.x - a.x, p.y - a.y);
        let (bcx, bcy) = (c.x - p.x, c.y - p.y);
        let (acx, acy) = (c.x - a.x, c.y - a.y);
        let span = acx.hypot(acy);
        let cross = abx * acy - aby * acx;
        let on_line = if span > 0.0 { cross.abs() / span <= 0.05 } else { abx.hypot(aby) <= 0.05 };
        let between = abx * bcx + aby * bcy >= 0.0;
        if !(on_line && between) {
            out.push(p);
        }
    }
    out
}

/// The point halfway along a polyline, measured by length (its first point when it has no
/// length).
pub(crate) fn polyline_midpoint(points: &[Point]) -> Option<Point> {
    let first = *points.first()?;
    Some(point_along(points, 0.5).unwrap_or(first))
}

/// The point at `fraction` (0 to 1) of a polyline's length; `None` when it has no length.
pub fn point_along(path: &[Point], fraction: f64) -> Option<Point> {
    let lengths: Vec<f64> =
        path.windows(2).map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y)).collect();
    let total: f64 = lengths.iter().sum();
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    let mut remaining = total * fraction;
    for (w, len) in path.windows(2).zip(&lengths) {
        if remaining <= *len && *len > 0.0 {
            let t = remaining / len;
            return Some(Point {
                x: w[0].x + t * (w[1].x - w[0].x),
                y: w[0].y + t * (w[1].y - w[0].y),
            });
        }
        remaining -= len;
    }
    path.last().copied()
}

/// Whether `p` lies on the border of `r`, within `tolerance`.
#[cfg(test)]
pub(crate) fn on_border(r: &Rect, p: Point, tolerance: f64) -> bool {
    let within_x = p.x >= r.x - tolerance && p.x <= right(r) + tolerance;
    let within_y = p.y >= r.y - tolerance && p.y <= bottom(r) + tolerance;
    let on_vertical =
        within_y && ((p.x - r.x).abs() <= tolerance || (p.x - right(r)).abs() <= tolerance);
    let on_horizontal =
        within_x && ((p.y - r.y).abs() <= tolerance || (p.y - bottom(r)).abs() <= tolerance);
    on_vertical || on_horizontal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect { x, y, width, height }
    }

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn clips_a_straight_line_between_two_boxes() {
        let a = rect(0.0, 0.0, 10.0, 10.0);
        let b = rect(30.0, 0.0, 10.0, 10.0);
        let out = clip_to_borders(&[a.center(), b.center()], &a, &b);
        assert_eq!(out, vec![p(10.0, 5.0), p(30.0, 5.0)]);
    }

    #[test]
    fn keeps_bends_outside_the_boxes() {
        let a = rect(0.0, 0.0, 10.0, 10.0);
        let b = rect(30.0, 30.0, 10.0, 10.0);
        let out = clip_to_borders(&[a.center(), p(5.0, 2.0), p(20.0, 5.0), b.center()], &a, &b);
        assert_eq!(out[1], p(20.0, 5.0));
        assert!(on_border(&a, out[0], 1e-9));
        assert!(on_border(&b, out[out.len() - 1], 1e-9));
    }

    #[test]
    fn overlapping_boxes_still_touch_both_borders() {
        let a = rect(0.0, 0.0, 10.0, 10.0);
        let b = rect(5.0, 5.0, 10.0, 10.0);
        let out = clip_to_borders(&[a.center(), b.center()], &a, &b);
        assert!(on_border(&a, out[0], 1e-9));
        assert!(on_border(&b, out[out.len() - 1], 1e-9));
    }

    #[test]
    fn straight_runs_keep_only_their_ends() {
        let path = [p(0.0, 0.0), p(10.0, 0.0), p(10.0, 0.0), p(20.0, 0.0), p(20.0, 10.0)];
        assert_eq!(without_straight_points(&path), vec![p(0.0, 0.0), p(20.0, 0.0), p(20.0, 10.0)]);
        // A path that turns back keeps the turning point; a two-point path is kept whole.
        let back = [p(0.0, 0.0), p(10.0, 0.0), p(5.0, 0.0)];
        assert_eq!(without_straight_points(&back), back.to_vec());
        assert_eq!(without_straight_points(&[p(1.0, 1.0), p(1.0, 1.0)]).len(), 2);
        assert!(without_straight_points(&[]).is_empty());
    }

    #[test]
    fn midpoint_is_by_length() {
        let m = polyline_midpoint(&[p(0.0, 0.0), p(10.0, 0.0), p(10.0, 30.0)]);
        assert_eq!(m, Some(p(10.0, 10.0)));
        assert_eq!(polyline_midpoint(&[]), None);
    }
}
