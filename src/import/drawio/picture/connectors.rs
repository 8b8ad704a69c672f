//! draw.io's right-angled routers for edges the user shaped: the *segment* router
//! (`orthogonalEdgeStyle` with waypoints, `segmentEdgeStyle`), the *elbow* router
//! (`elbowEdgeStyle`, horizontal or `elbow=vertical`) and the *entity-relation* router
//! (`entityRelationEdgeStyle`). Each returns the bends between the two ends; the ends themselves
//! are placed afterwards on the shapes' perimeters ([`super::route`]).
//!
//! The rules are draw.io's (its `mxEdgeStyle`), restated: a segment route treats each waypoint
//! as the position of one segment, alternating horizontal and vertical, not as a point the line
//! must pass through at any angle; an elbow route uses only the first waypoint, as the position
//! of its middle segment; an entity-relation route ignores waypoints and leaves each shape
//! sideways by a fixed stub (`segment`, 30 by default).

use crate::model::{Point, Rect};

/// One end as the routers see it: a pinned point (a constraint, or a loose end) or a floating
/// shape whose centre is used.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub pinned: Option<Point>,
    pub shape: Option<Rect>,
    /// The shape's centre, or the loose end's point.
    pub center: Point,
}

impl Terminal {
    /// The box the routers measure against: the shape, or a point when pinned.
    fn bounds(&self) -> Rect {
        self.floating().unwrap_or_else(|| {
            let p = self.pinned.unwrap_or(self.center);
            Rect { x: p.x, y: p.y, width: 0.0, height: 0.0 }
        })
    }

    /// The floating shape, when the end is not pinned.
    fn floating(&self) -> Option<Rect> {
        self.shape.filter(|_| self.pinned.is_none())
    }
}

/// Inside or on `r` (draw.io's `mxUtils.contains`).
fn contains(r: &Rect, x: f64, y: f64) -> bool {
    x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height
}

fn within(v: f64, low: f64, size: f64) -> bool {
    v >= low && v <= low + size
}

/// Points closer than this are one point (draw.io's tolerance).
const TOLERANCE: f64 = 1.0;

/// The segment router's bends from `source` to `target` with `hints` (the waypoints).
pub fn segments(source: Terminal, target: Terminal, hints: &[Point]) -> Vec<Point> {
    let mut pt = source.pinned.unwrap_or(source.center);
    let mut bends = Vec::new();
    let mut horizontal = true;
    let mut hint = pt;
    let mut hints = hints.to_vec();
    if let Some(first) = hints.first_mut() {
        snap(first, pt);
    }
    if let (Some(last), Some(end)) = (hints.last_mut(), target.pinned) {
        snap(last, end);
    }
    if let Some(&first) = hints.first() {
        horizontal = first_segment_horizontal(source, target, &mut hints, first);
        if horizontal && off_line(source, first, true) {
            bends.push(Point { x: pt.x, y: first.y });
        } else if !horizontal && off_line(source, first, false) {
            bends.push(Point { x: first.x, y: pt.y });
        }
        if horizontal {
            pt.y = first.y;
        } else {
            pt.x = first.x;
        }
        hint = first;
        for h in &hints {
            horizontal = !horizontal;
            hint = *h;
            if horizontal {
                pt.y = h.y;
            } else {
                pt.x = h.x;
            }
            bends.push(pt);
        }
    }
    let end = target.pinned.unwrap_or(target.center);
    if horizontal && off_line(target, hint, true) {
        bends.push(Point { x: end.x, y: hint.y });
    } else if !horizontal && off_line(target, hint, false) {
        bends.push(Point { x: hint.x, y: end.y });
    }
    trim_inside(&mut bends, source.floating(), target.floating());
    merge_close(bends, target.pinned)
}

/// Whether a segment through `hint` (across at its y when `along_y`, else upright at its x)
/// misses `end`, so the route needs a bend to reach it: a pinned end not on that line, a
/// floating shape that the line does not cross.
fn off_line(end: Terminal, hint: Point, along_y: bool) -> bool {
    let of = |p: Point| if along_y { p.y } else { p.x };
    let at = of(hint);
    match (end.pinned, end.shape) {
        (Some(p), _) => of(p) != at,
        (None, Some(b)) if along_y => !within(at, b.y, b.height),
        (None, Some(b)) => !within(at, b.x, b.width),
        (None, None) => false,
    }
}

/// A hint within a pixel of a pinned point lines up with it.
fn snap(hint: &mut Point, to: Point) {
    if (hint.x - to.x).abs() < TOLERANCE {
        hint.x = to.x;
    }
    if (hint.y - to.y).abs() < TOLERANCE {
        hint.y = to.y;
    }
}

/// Whether the segment through the first hint runs horizontally: decided by the source end
/// when the hint is level with (or beside) it, else by the target end counting back, else
/// horizontal. A first hint on a pinned source point is dropped.
fn first_segment_horizontal(
    source: Terminal,
    target: Terminal,
    hints: &mut Vec<Point>,
    first: Point,
) -> bool {
    let mut end = source;
    let mut hint = first;
    for i in 0..2 {
        let fixed_vertical = end.pinned.is_some_and(|p| p.x == hint.x);
        let fixed_horizontal = end.pinned.is_some_and(|p| p.y == hint.y);
        let floating = end.floating();
        let in_row = floating.is_some_and(|b| within(hint.y, b.y, b.height));
        let in_column = floating.is_some_and(|b| within(hint.x, b.x, b.width));
        let row = fixed_horizontal || in_row;
        let column = fixed_vertical || in_column;
        let undecided = i == 0 && ((row && column) || (fixed_vertical && fixed_horizontal));
        if !undecided && (row || column) {
            return if i == 1 && hints.len() % 2 == 1 { column } else { row };
        }
        end = target;
        if let Some(&last) = hints.last() {
            hint = last;
        }
        if fixed_vertical && fixed_horizontal && hints.len() > 1 {
            hints.remove(0);
        }
    }
    true
}

/// Drops bends inside a floating end's shape (the line starts at its border anyway).
fn trim_inside(bends: &mut Vec<Point>, source: Option<Rect>, target: Option<Rect>) {
    if let Some(s) = source {
        let inside = bends.iter().take_while(|p| contains(&s, p.x, p.y)).count();
        bends.drain(..inside);
    }
    if let Some(t) = target {
        while bends.last().is_some_and(|p| contains(&t, p.x, p.y)) {
            bends.pop();
        }
    }
}

/// Without bends within a pixel of the one before, or of a pinned end.
fn merge_close(bends: Vec<Point>, end: Option<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(bends.len());
    for p in bends {
        let close = out.last().is_some_and(|q: &Point| {
            (q.x - p.x).abs() < TOLERANCE && (q.y - p.y).abs() < TOLERANCE
        });
        if !close {
            out.push(p);
        }
    }
    if let (Some(e), Some(last)) = (end, out.last()) {
        if (e.x - last.x).abs() <= TOLERANCE && (e.y - last.y).abs() <= TOLERANCE {
            out.pop();
            if let Some(q) = out.last_mut() {
                snap(q, e);
            }
        }
    }
    out
}

/// The elbow router: one middle segment placed by the first waypoint (or halfway between the
/// shapes), running across (`vertical`: a top-to-bottom elbow) or upright (side to side).
/// draw.io switches to side-to-side when the waypoint is beside both shapes, and to
/// top-to-bottom when it is above or below both.
pub fn elbow(
    source: Terminal,
    target: Terminal,
    hint: Option<Point>,
    vertical: bool,
) -> Vec<Point> {
    let (mut above_or_below, mut beside) = (false, false);
    if let (Some(a), Some(b)) = (source.shape, target.shape) {
        match hint {
            Some(h) => {
                let left = a.x.min(b.x);
                let right = (a.x + a.width).max(b.x + b.width);
                let top = a.y.min(b.y);
                let bottom = (a.y + a.height).max(b.y + b.height);
                above_or_below = h.y < top || h.y > bottom;
                beside = h.x < left || h.x > right;
            }
            None => {
                above_or_below = a.x.max(b.x) == (a.x + a.width).min(b.x + b.width);
                if !above_or_below {
                    beside = a.y.max(b.y) == (a.y + a.height).min(b.y + b.height);
                }
            }
        }
    }
    let (s, t) = (source.bounds(), target.bounds());
    if beside || (!above_or_below && !vertical) {
        side_to_side(s, t, hint)
    } else {
        flip(side_to_side(flip_rect(s), flip_rect(t), hint.map(flip_point)))
    }
}

/// An elbow with an upright middle segment at the hint's x (or halfway across the gap).
fn side_to_side(s: Rect, t: Rect, hint: Option<Point>) -> Vec<Point> {
    let left = s.x.max(t.x);
    let right = (s.x + s.width).min(t.x + t.width);
    let x = hint.map_or_else(|| (right + (left - right) / 2.0).round(), |h| h.x);
    let mut y1 = s.y + s.height / 2.0;
    let mut y2 = t.y + t.height / 2.0;
    if let Some(h) = hint {
        if within(h.y, s.y, s.height) {
            y1 = h.y;
        }
        if within(h.y, t.y, t.height) {
            y2 = h.y;
        }
    }
    let free = |y: f64| !contains(&t, x, y) && !contains(&s, x, y);
    let mut bends = Vec::new();
    for y in [y1, y2] {
        if free(y) {
            bends.push(Point { x, y });
        }
    }
    // draw.io tests for "one point in the result", which holds the route's start already: so
    // when neither bend was placed (both fall inside a shape), not when one was.
    if bends.is_empty() {
        match hint {
            Some(h) if free(h.y) => bends.push(Point { x, y: h.y }),
            Some(_) => {}
            None => {
                let top = s.y.max(t.y);
                let bottom = (s.y + s.height).min(t.y + t.height);
                bends.push(Point { x, y: top + (bottom - top) / 2.0 });
            }
        }
    }
    bends
}

fn flip_point(p: Point) -> Point {
    Point { x: p.y, y: p.x }
}

fn flip_rect(r: Rect) -> Rect {
    Rect { x: r.y, y: r.x, width: r.height, height: r.width }
}

fn flip(points: Vec<Point>) -> Vec<Point> {
    points.into_iter().map(flip_point).collect()
}

/// The entity-relation router: out of the left or right side of each shape (whichever faces
/// the other), a stub of `stub` pixels, and a step between the stubs.
pub fn entity_relation(source: Terminal, target: Terminal, stub: f64) -> Vec<Point> {
    let (s, t) = (source.bounds(), target.bounds());
    let source_left = match (source.pinned, source.shape, target.shape) {
        (Some(p), _, _) => target.pinned.map_or(t.x + t.width, |e| e.x) < p.x,
        (None, Some(a), _) => target.pinned.map_or(t.x + t.width, |e| e.x) < a.x,
        _ => false,
    };
    let target_left = s.x + s.width < target.pinned.map_or(t.x, |e| e.x);
    let x0 = if source_left { s.x } else { s.x + s.width };
    let xe = if target_left { t.x } else { t.x + t.width };
    let (y0, ye) = (s.y + s.height / 2.0, t.y + t.height / 2.0);
    let departure = Point { x: x0 + if source_left { -stub } else { stub }, y: y0 };
    let arrival = Point { x: xe + if target_left { -stub } else { stub }, y: ye };
    if source_left == target_left {
        let x = if source_left { x0.min(xe) - stub } else { x0.max(xe) + stub };
        return vec![Point { x, y: y0 }, Point { x, y: ye }];
    }
    if (departure.x < arrival.x) == source_left {
        let mid = y0 + (ye - y0) / 2.0;
        return vec![
            departure,
            Point { x: departure.x, y: mid },
            Point { x: arrival.x, y: mid },
            arrival,
        ];
    }
    vec![departure, arrival]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    fn floating(x: f64, y: f64) -> Terminal {
        let shape = Rect { x, y, width: 40.0, height: 20.0 };
        Terminal { pinned: None, shape: Some(shape), center: shape.center() }
    }

    #[test]
    fn a_segment_route_places_segments_at_its_waypoints() {
        // One waypoint above both shapes: up out of the source to its height, across to its x,
        // down to the target's middle and into its side (the waypoint places two segments).
        let r = segments(floating(0.0, 100.0), floating(200.0, 100.0), &[p(100.0, 0.0)]);
        assert_eq!(r, vec![p(20.0, 0.0), p(100.0, 0.0), p(100.0, 110.0)]);
        // A waypoint level with the source: leave sideways at that height, then down at its x.
        let r = segments(floating(0.0, 0.0), floating(200.0, 200.0), &[p(100.0, 5.0)]);
        assert_eq!(r, vec![p(100.0, 5.0), p(100.0, 210.0)]);
        // Waypoints that are not corners still give right angles.
        let r =
            segments(floating(0.0, 0.0), floating(300.0, 0.0), &[p(100.0, 80.0), p(200.0, 60.0)]);
        assert!(r.windows(2).all(|w| w[0].x == w[1].x || w[0].y == w[1].y), "{r:?}");
    }

    #[test]
    fn an_elbow_bends_at_its_waypoint_or_halfway() {
        let r = elbow(floating(0.0, 0.0), floating(200.0, 100.0), None, false);
        assert_eq!(r, vec![p(120.0, 10.0), p(120.0, 110.0)]);
        let r = elbow(floating(0.0, 0.0), floating(200.0, 100.0), Some(p(60.0, 50.0)), false);
        assert_eq!(r, vec![p(60.0, 10.0), p(60.0, 110.0)]);
        let r = elbow(floating(0.0, 0.0), floating(200.0, 100.0), None, true);
        assert_eq!(r, vec![p(20.0, 60.0), p(220.0, 60.0)]);
    }

    #[test]
    fn an_entity_relation_leaves_sideways_by_its_stub() {
        let r = entity_relation(floating(0.0, 0.0), floating(200.0, 100.0), 30.0);
        assert_eq!(r, vec![p(70.0, 10.0), p(170.0, 110.0)]);
        // The target to the left: out of the source's left side, into the target's right.
        let r = entity_relation(floating(200.0, 0.0), floating(0.0, 100.0), 30.0);
        assert_eq!(r, vec![p(170.0, 10.0), p(70.0, 110.0)]);
    }
}
