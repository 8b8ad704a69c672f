//! Edge routes as draw.io draws them, approximately: straight segments through the waypoints, or
//! for `edgeStyle=orthogonalEdgeStyle` (and the elbow styles) right-angled ones, leaving and
//! entering the shapes where `exitX/exitY/entryX/entryY` say or on the side that faces the other
//! end; ends not pinned by a constraint stop at the shape's border.
//!
//! draw.io's own router also steers around obstacles and adds stubs; this one does not, so a
//! route may differ from draw.io's where the user left the routing to it around other shapes.

use super::super::style::Style;
use super::perimeter::Perimeter;
use crate::model::drawing::clamp;
use crate::model::{Point, Rect};

/// Which way a segment runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Axis {
    Horizontal,
    Vertical,
}

/// One end of an edge: the shape it is attached to (if any) and where it starts.
#[derive(Debug, Clone, Copy)]
pub struct End {
    pub shape: Option<Rect>,
    /// The shape's centre, or the loose end's point.
    pub point: Point,
    /// The outline the edge stops at.
    pub perimeter: Perimeter,
}

/// The points of an edge from `source` to `target` through `waypoints`.
pub fn route(style: &Style, source: End, target: End, waypoints: &[Point]) -> Vec<Point> {
    let (start, start_axis) = pinned(style, "exit", source);
    let (end, end_axis) = pinned(style, "entry", target);
    let from = start.unwrap_or(source.point);
    let to = end.unwrap_or(target.point);
    if let (Some(shape), true) = (source.shape, waypoints.is_empty()) {
        if source.shape == target.shape {
            return self_loop(shape, (start, start_axis), (end, end_axis));
        }
    }
    let mut points = match edge_style(style) {
        Some(preferred) => {
            let from =
                if start.is_none() { toward_waypoint(source, waypoints.first()) } else { from };
            let to = if end.is_none() { toward_waypoint(target, waypoints.last()) } else { to };
            // Pinned at one end only (with a side to leave by), straight to the other shape.
            let one_pinned = match (start, end, waypoints.is_empty()) {
                (Some(_), None, true) => start_axis.map(|a| (Some(a), None)),
                (None, Some(_), true) => end_axis.map(|a| (None, Some(a))),
                _ => None,
            };
            one_pinned
                .and_then(|axes| one_end_pinned(from, to, axes, (source, target)))
                .unwrap_or_else(|| {
                    let axes = (start_axis, end_axis);
                    orthogonal(from, to, waypoints, axes, preferred, (source, target))
                })
        }
        None => {
            let mut p = Vec::with_capacity(waypoints.len() + 2);
            p.push(from);
            p.extend_from_slice(waypoints);
            p.push(to);
            p
        }
    };
    if start.is_none() {
        if let Some(shape) = source.shape {
            clip_start(&mut points, &shape, source.perimeter);
        }
    }
    if end.is_none() {
        if let Some(shape) = target.shape {
            points.reverse();
            clip_start(&mut points, &shape, target.perimeter);
            points.reverse();
        }
    }
    tidy(points)
}

/// Where a right-angled route leaves (or enters) a shape for its nearest waypoint: in line with
/// the waypoint when the waypoint is straight above, below or beside the shape, so the first
/// segment runs straight to it (as draw.io draws it); else from the shape's centre.
fn toward_waypoint(end: End, waypoint: Option<&Point>) -> Point {
    let (Some(shape), Some(w)) = (end.shape, waypoint) else { return end.point };
    let within_x = (shape.x..=shape.x + shape.width).contains(&w.x);
    let within_y = (shape.y..=shape.y + shape.height).contains(&w.y);
    match (within_x, within_y) {
        (true, false) => Point { x: w.x, y: end.point.y },
        (false, true) => Point { x: end.point.x, y: w.y },
        _ => end.point,
    }
}

/// How far a loop from a shape back to itself stands out of it.
const LOOP: f64 = 20.0;

/// An edge from a shape back to itself: out of the pinned points (or the right side) and back,
/// standing [`LOOP`] out of the shape.
fn self_loop(
    shape: Rect,
    (start, start_axis): (Option<Point>, Option<Axis>),
    (end, end_axis): (Option<Point>, Option<Axis>),
) -> Vec<Point> {
    let c = shape.center();
    let right = shape.x + shape.width;
    let from = start.unwrap_or(Point { x: right, y: c.y - shape.height / 4.0 });
    let to = end.unwrap_or(Point { x: right, y: c.y + shape.height / 4.0 });
    // Outwards from the side each end is on.
    let out = |p: Point, axis: Option<Axis>| match axis.unwrap_or(Axis::Horizontal) {
        Axis::Horizontal => Point { x: p.x + if p.x < c.x { -LOOP } else { LOOP }, y: p.y },
        Axis::Vertical => Point { x: p.x, y: p.y + if p.y < c.y { -LOOP } else { LOOP } },
    };
    let (a, b) = (out(from, start_axis), out(to, end_axis));
    // Join the two stubs at a right angle, further out of the two.
    let corner = match start_axis.unwrap_or(Axis::Horizontal) {
        Axis::Horizontal => Point { x: a.x, y: b.y },
        Axis::Vertical => Point { x: b.x, y: a.y },
    };
    tidy(vec![from, a, corner, b, to])
}

/// `None` for straight edges; for right-angled ones, the axis to start along when nothing else
/// decides (`None` inside: by where the other end is).
fn edge_style(style: &Style) -> Option<Option<Axis>> {
    match style.get("edgeStyle") {
        Some("orthogonalEdgeStyle" | "segmentEdgeStyle") => Some(None),
        Some("elbowEdgeStyle") => Some(Some(if style.get("elbow") == Some("vertical") {
            Axis::Vertical
        } else {
            Axis::Horizontal
        })),
        Some("entityRelationEdgeStyle") => Some(Some(Axis::Horizontal)),
        _ => None,
    }
}

/// The point `exitX/exitY` (or `entryX/entryY`) pins on the shape, moved onto its perimeter
/// unless `exitPerimeter=0`, and the axis the edge leaves it along (horizontal from a left or
/// right side, vertical from the top or bottom; for a point on a round rim, none: the route's
/// own direction decides, as in draw.io).
fn pinned(style: &Style, prefix: &str, end: End) -> (Option<Point>, Option<Axis>) {
    let Some(shape) = end.shape else { return (None, None) };
    let number = |key: &str| style.number(&format!("{prefix}{key}"));
    let (Some(x), Some(y)) = (number("X"), number("Y")) else { return (None, None) };
    let (x, y) = (clamp(x, -10.0, 10.0, 0.5), clamp(y, -10.0, 10.0, 0.5));
    let (dx, dy) = (number("Dx").unwrap_or(0.0), number("Dy").unwrap_or(0.0));
    let point = Point {
        x: shape.x + x * shape.width + clamp(dx, -1e4, 1e4, 0.0),
        y: shape.y + y * shape.height + clamp(dy, -1e4, 1e4, 0.0),
    };
    let on_perimeter = style.get(&format!("{prefix}Perimeter")) != Some("0");
    if on_perimeter && end.perimeter != Perimeter::Rectangle {
        let rim = end.perimeter.project(&shape, point);
        return (Some(rim), side_axis(&shape, rim));
    }
    // The side nearest the pinned point says which way the edge leaves.
    let to_side = (x.min(1.0 - x).abs(), y.min(1.0 - y).abs());
    let axis = if to_side.0 <= to_side.1 { Axis::Horizontal } else { Axis::Vertical };
    (Some(point), Some(axis))
}

/// The axis out of the side of `r` that `p` lies on (within a pixel, as draw.io tests it).
fn side_axis(r: &Rect, p: Point) -> Option<Axis> {
    let near = |a: f64, b: f64| (a - b).abs() <= 1.0;
    if near(p.y, r.y) || near(p.y, r.y + r.height) {
        Some(Axis::Vertical)
    } else if near(p.x, r.x) || near(p.x, r.x + r.width) {
        Some(Axis::Horizontal)
    } else {
        None
    }
}

/// A right-angled route from `from` to `to` through `waypoints`.
fn orthogonal(
    from: Point,
    to: Point,
    waypoints: &[Point],
    (start_axis, end_axis): (Option<Axis>, Option<Axis>),
    preferred: Option<Axis>,
    (source, target): (End, End),
) -> Vec<Point> {
    let dominant = |a: Point, b: Point| {
        if (b.x - a.x).abs() >= (b.y - a.y).abs() {
            Axis::Horizontal
        } else {
            Axis::Vertical
        }
    };
    if waypoints.is_empty() {
        if start_axis.is_none() && end_axis.is_none() && preferred.is_none() {
            if let Some(route) = between_shapes(from, to, source, target) {
                return route;
            }
        }
        let loose = source.shape.is_none() || target.shape.is_none();
        let first = start_axis.or(preferred).unwrap_or_else(|| dominant(from, to));
        // A loose end is a point with no side to enter by: draw.io runs along the first axis
        // to its coordinate and turns once, instead of bending twice halfway.
        let turned = match first {
            Axis::Horizontal => Axis::Vertical,
            Axis::Vertical => Axis::Horizontal,
        };
        let last = end_axis.or(preferred).unwrap_or(if loose { turned } else { first });
        let box_of = |e: End| {
            e.shape.unwrap_or(Rect { x: e.point.x, y: e.point.y, width: 0.0, height: 0.0 })
        };
        let (a, b) = (box_of(source), box_of(target));
        return match (first, last) {
            (Axis::Horizontal, Axis::Horizontal) => {
                let x = between(a.x, a.x + a.width, b.x, b.x + b.width, from.x, to.x);
                vec![from, Point { x, y: from.y }, Point { x, y: to.y }, to]
            }
            (Axis::Vertical, Axis::Vertical) => {
                let y = between(a.y, a.y + a.height, b.y, b.y + b.height, from.y, to.y);
                vec![from, Point { x: from.x, y }, Point { x: to.x, y }, to]
            }
            (Axis::Horizontal, Axis::Vertical) => vec![from, Point { x: to.x, y: from.y }, to],
            (Axis::Vertical, Axis::Horizontal) => vec![from, Point { x: from.x, y: to.y }, to],
        };
    }
    let mut points = vec![from];
    let mut axis = start_axis.or(preferred).unwrap_or_else(|| dominant(from, waypoints[0]));
    let targets = waypoints.iter().copied().chain(std::iter::once(to));
    let count = waypoints.len() + 1;
    for (k, b) in targets.enumerate() {
        let a = points[points.len() - 1];
        let aligned_x = (a.x - b.x).abs() < 0.5;
        let aligned_y = (a.y - b.y).abs() < 0.5;
        if aligned_x || aligned_y {
            axis = if aligned_y { Axis::Horizontal } else { Axis::Vertical };
            points.push(b);
            continue;
        }
        // Into the target along its side's axis, when it has one.
        let last_axis = if k + 1 == count { end_axis } else { None };
        let go = match last_axis {
            Some(Axis::Horizontal) => Axis::Vertical,
            Some(Axis::Vertical) => Axis::Horizontal,
            None => axis,
        };
        let corner = match go {
            Axis::Horizontal => Point { x: b.x, y: a.y },
            Axis::Vertical => Point { x: a.x, y: b.y },
        };
        points.push(corner);
        points.push(b);
        axis = if go == Axis::Horizontal { Axis::Vertical } else { Axis::Horizontal };
    }
    points
}

/// How far draw.io steps out of a pinned side before turning back past the shape.
const JETTY: f64 = 20.0;

/// An edge pinned at one end only, between two shapes. draw.io leaves the pinned side along
/// its axis and turns once, into the free shape level with its centre; when the free shape lies
/// behind the pinned side, it first steps [`JETTY`] out of the side and turns there (instead of
/// running back through its own shape).
fn one_end_pinned(
    from: Point,
    to: Point,
    axes: (Option<Axis>, Option<Axis>),
    (source, target): (End, End),
) -> Option<Vec<Point>> {
    let (a, b) = (source.shape?, target.shape?);
    match axes {
        (Some(axis), None) => Some(leave(from, axis, &a, to)),
        (None, Some(axis)) => {
            let mut route = leave(to, axis, &b, from);
            route.reverse();
            Some(route)
        }
        _ => None,
    }
}

/// From `from`, pinned on a side of `own` that `axis` leaves, to the free shape centred on `to`.
fn leave(from: Point, axis: Axis, own: &Rect, to: Point) -> Vec<Point> {
    let c = own.center();
    let (along, toward) = match axis {
        Axis::Horizontal => (from.x - c.x, to.x - from.x),
        Axis::Vertical => (from.y - c.y, to.y - from.y),
    };
    // Outwards from the side; a point pinned at the centre leaves towards the other shape.
    let out = if along.abs() > 0.01 { along.signum() } else { toward.signum() };
    if toward * out > 0.0 {
        let corner = match axis {
            Axis::Horizontal => Point { x: to.x, y: from.y },
            Axis::Vertical => Point { x: from.x, y: to.y },
        };
        return vec![from, corner, to];
    }
    let (stub, corner) = match axis {
        Axis::Horizontal => {
            let x = from.x + out * JETTY;
            (Point { x, y: from.y }, Point { x, y: to.y })
        }
        Axis::Vertical => {
            let y = from.y + out * JETTY;
            (Point { x: from.x, y }, Point { x: to.x, y })
        }
    };
    vec![from, stub, corner, to]
}

/// The coordinate halfway across the gap between two boxes along one axis (`a0..a1` and
/// `b0..b1`), or between the two ends when the boxes overlap on it.
fn between(a0: f64, a1: f64, b0: f64, b1: f64, from: f64, to: f64) -> f64 {
    if a1 <= b0 {
        (a1 + b0) / 2.0
    } else if b1 <= a0 {
        (b1 + a0) / 2.0
    } else {
        (from + to) / 2.0
    }
}

/// draw.io's route between two shapes when nothing is pinned (held against its own rendering):
/// side by side, out of the facing sides level with each centre, with a step halfway across the
/// gap; one above the other, the same upright; apart on both axes, out of the side that faces
/// the target and into its top or bottom, turning once. `None` when the shapes overlap.
fn between_shapes(from: Point, to: Point, source: End, target: End) -> Option<Vec<Point>> {
    let (a, b) = (source.shape?, target.shape?);
    let overlap_x = a.x < b.x + b.width && b.x < a.x + a.width;
    let overlap_y = a.y < b.y + b.height && b.y < a.y + a.height;
    match (overlap_x, overlap_y) {
        (false, true) => {
            let x = between(a.x, a.x + a.width, b.x, b.x + b.width, from.x, to.x);
            Some(vec![from, Point { x, y: from.y }, Point { x, y: to.y }, to])
        }
        (true, false) => {
            let y = between(a.y, a.y + a.height, b.y, b.y + b.height, from.y, to.y);
            Some(vec![from, Point { x: from.x, y }, Point { x: to.x, y }, to])
        }
        (false, false) => Some(vec![from, Point { x: to.x, y: from.y }, to]),
        (true, true) => None,
    }
}

/// Cuts the start of the route off where it leaves `shape`'s perimeter.
fn clip_start(points: &mut Vec<Point>, shape: &Rect, perimeter: Perimeter) {
    let inside = |p: Point| perimeter.contains(shape, p);
    for k in 0..points.len().saturating_sub(1) {
        let (a, b) = (points[k], points[k + 1]);
        if inside(a) && !inside(b) {
            let exit = match perimeter {
                Perimeter::Rectangle => border_crossing(a, b, shape),
                _ => perimeter.crossing(shape, a, b),
            };
            points.drain(..=k);
            points.insert(0, exit);
            return;
        }
        if !inside(a) {
            return;
        }
    }
}

/// Where the segment from `a` (inside) to `b` (outside) crosses the border of `r`.
fn border_crossing(a: Point, b: Point, r: &Rect) -> Point {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let mut t: f64 = 1.0;
    if dx > 0.0 {
        t = t.min((r.x + r.width - a.x) / dx);
    } else if dx < 0.0 {
        t = t.min((r.x - a.x) / dx);
    }
    if dy > 0.0 {
        t = t.min((r.y + r.height - a.y) / dy);
    } else if dy < 0.0 {
        t = t.min((r.y - a.y) / dy);
    }
    let t = t.clamp(0.0, 1.0);
    Point { x: a.x + dx * t, y: a.y + dy * t }
}

/// Without repeated points and without corners that do not turn.
fn tidy(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out.last().is_some_and(|q| (q.x - p.x).abs() < 0.05 && (q.y - p.y).abs() < 0.05) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let cross = (b.x - a.x) * (p.y - b.y) - (b.y - a.y) * (p.x - b.x);
            let forward = (b.x - a.x) * (p.x - b.x) + (b.y - a.y) * (p.y - b.y);
            if cross.abs() < 0.01 && forward >= 0.0 {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    fn boxed(x: f64, y: f64) -> End {
        let shape = Rect { x, y, width: 40.0, height: 20.0 };
        End { shape: Some(shape), point: shape.center(), perimeter: Perimeter::Rectangle }
    }

    #[test]
    fn straight_edges_stop_at_borders() {
        let r = route(&Style::parse(""), boxed(0.0, 0.0), boxed(100.0, 0.0), &[]);
        assert_eq!(r, vec![p(40.0, 10.0), p(100.0, 10.0)]);
    }

    #[test]
    fn orthogonal_edges_between_shapes_apart_turn_once() {
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle");
        // Apart on both axes: out of the side, into the top, one bend.
        let r = route(&s, boxed(0.0, 0.0), boxed(100.0, 100.0), &[]);
        assert_eq!(r, vec![p(40.0, 10.0), p(120.0, 10.0), p(120.0, 100.0)]);
        let r = route(&s, boxed(200.0, 200.0), boxed(0.0, 0.0), &[]);
        assert_eq!(r, vec![p(200.0, 210.0), p(20.0, 210.0), p(20.0, 20.0)]);
        // Side by side, overlapping in height: level with each centre, a step halfway.
        let r = route(&s, boxed(0.0, 0.0), boxed(100.0, 10.0), &[]);
        assert_eq!(r, vec![p(40.0, 10.0), p(70.0, 10.0), p(70.0, 20.0), p(100.0, 20.0)]);
        // Level centres: one straight segment.
        let r = route(&s, boxed(0.0, 0.0), boxed(100.0, 0.0), &[]);
        assert_eq!(r, vec![p(40.0, 10.0), p(100.0, 10.0)]);
    }

    #[test]
    fn an_orthogonal_edge_to_a_loose_point_turns_once() {
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle;exitX=0;exitY=0.5");
        let loose = End { shape: None, point: p(-100.0, -50.0), perimeter: Perimeter::Rectangle };
        let r = route(&s, boxed(0.0, 0.0), loose, &[]);
        assert_eq!(r, vec![p(0.0, 10.0), p(-100.0, 10.0), p(-100.0, -50.0)]);
        // With nothing pinned, it leaves along the longer way to the point.
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle");
        let r = route(
            &s,
            boxed(0.0, 0.0),
            End { shape: None, point: p(200.0, -50.0), perimeter: Perimeter::Rectangle },
            &[],
        );
        assert_eq!(r, vec![p(40.0, 10.0), p(200.0, 10.0), p(200.0, -50.0)]);
    }

    #[test]
    fn a_waypoint_beside_a_shape_is_reached_in_a_straight_line() {
        // The waypoint is above the source's right part and level with the target's middle:
        // out of the source's top right under it, into the target's side level with it.
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle");
        let r = route(&s, boxed(0.0, 100.0), boxed(-100.0, 0.0), &[p(35.0, 10.0)]);
        assert_eq!(r, vec![p(35.0, 100.0), p(35.0, 10.0), p(-60.0, 10.0)]);
    }

    #[test]
    fn constraints_pin_the_ends() {
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle;exitX=0.5;exitY=1;entryX=0;entryY=0.5");
        let r = route(&s, boxed(0.0, 0.0), boxed(100.0, 100.0), &[]);
        assert_eq!(r, vec![p(20.0, 20.0), p(20.0, 110.0), p(100.0, 110.0)]);
    }

    #[test]
    fn a_shape_connected_to_itself_gets_a_loop() {
        let r = route(&Style::parse(""), boxed(0.0, 0.0), boxed(0.0, 0.0), &[]);
        assert_eq!(r, vec![p(40.0, 5.0), p(60.0, 5.0), p(60.0, 15.0), p(40.0, 15.0)]);
        let s = Style::parse("exitX=0.75;exitY=0;entryX=0.25;entryY=0");
        let r = route(&s, boxed(0.0, 0.0), boxed(0.0, 0.0), &[]);
        assert_eq!(r, vec![p(30.0, 0.0), p(30.0, -20.0), p(10.0, -20.0), p(10.0, 0.0)]);
    }

    fn circle(x: f64, y: f64) -> End {
        let shape = Rect { x, y, width: 80.0, height: 80.0 };
        End { shape: Some(shape), point: shape.center(), perimeter: Perimeter::Ellipse }
    }

    #[test]
    fn edges_meet_a_circle_on_its_rim() {
        // A straight edge into a circle stops on the circle, not at its bounding box's corner.
        let r = route(&Style::parse(""), boxed(-200.0, -200.0), circle(0.0, 0.0), &[]);
        let tip = r[r.len() - 1];
        assert!(((tip.x - 40.0).hypot(tip.y - 40.0) - 40.0).abs() < 0.01, "{r:?}");
        // A "corner" constraint leaves from the rim, and the route's direction decides the way
        // out (draw.io: down to the target below, not right).
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle;exitX=1;exitY=1");
        let r = route(&s, circle(0.0, 0.0), boxed(0.0, 200.0), &[]);
        let d = 40.0 / 2f64.sqrt();
        assert!((r[0].x - (40.0 + d)).abs() < 0.01 && (r[0].y - (40.0 + d)).abs() < 0.01, "{r:?}");
        assert!((r[1].x - r[0].x).abs() < 0.01, "leaves downwards: {r:?}");
        // exitPerimeter=0 keeps the point where the constraint puts it.
        let s = Style::parse("exitX=1;exitY=1;exitPerimeter=0");
        let r = route(&s, circle(0.0, 0.0), boxed(0.0, 200.0), &[]);
        assert_eq!(r[0], p(80.0, 80.0));
    }

    #[test]
    fn an_edge_pinned_at_one_end_turns_once_into_the_free_shape() {
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle;exitX=1;exitY=0.5");
        // Right out of the source, down into the top of the shape below and to the right.
        let r = route(&s, boxed(0.0, 0.0), boxed(100.0, 100.0), &[]);
        assert_eq!(r, vec![p(40.0, 10.0), p(120.0, 10.0), p(120.0, 100.0)]);
        // Out of the bottom towards a shape above: a step down first, not back through itself.
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle;exitX=0.5;exitY=1");
        let r = route(&s, boxed(100.0, 100.0), boxed(0.0, 0.0), &[]);
        assert_eq!(r, vec![p(120.0, 120.0), p(120.0, 140.0), p(20.0, 140.0), p(20.0, 20.0)]);
        // Pinned at the target instead: the same, backwards.
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle;entryX=0.5;entryY=1");
        let r = route(&s, boxed(0.0, 0.0), boxed(100.0, 100.0), &[]);
        assert_eq!(r, vec![p(20.0, 20.0), p(20.0, 140.0), p(120.0, 140.0), p(120.0, 120.0)]);
    }

    #[test]
    fn waypoints_are_passed_at_right_angles() {
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle");
        let r = route(&s, boxed(0.0, 0.0), boxed(200.0, 100.0), &[p(150.0, 50.0)]);
        assert_eq!(r, vec![p(40.0, 10.0), p(150.0, 10.0), p(150.0, 110.0), p(200.0, 110.0)]);
    }
}
