//! Edge routes as draw.io draws them: straight segments through the waypoints; for
//! `orthogonalEdgeStyle` without waypoints, right-angled ones leaving and entering the shapes
//! where `exitX/exitY/entryX/entryY` say or on the side that faces the other end; for the
//! styles the user shaped (waypoints on an orthogonal edge, elbow edges with or without their
//! one waypoint, entity-relation edges), draw.io's own routers ([`super::connectors`]). Ends not pinned by a constraint stop at the
//! shape's border.
//!
//! draw.io's own router also steers around obstacles when the user gave no waypoints; this one
//! does not, so such a route may differ from draw.io's around other shapes.

use super::super::style::Style;
use super::connectors::{elbow, entity_relation, segments, Terminal};
use super::perimeter::Perimeter;
use crate::model::drawing::{clamp, Direction};
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
    /// The way the shape is turned: draw.io turns its connection points with it.
    pub facing: Direction,
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
    let terminal = |e: End, pin: Option<Point>| Terminal {
        pinned: pin.or_else(|| e.shape.is_none().then_some(e.point)),
        shape: e.shape,
        center: e.point,
    };
    let (s, t) = (terminal(source, start), terminal(target, end));
    let mut points = match router(style) {
        Router::Straight => {
            let (from, to) = square_ends((source, start), (target, end), waypoints);
            let mut p = Vec::with_capacity(waypoints.len() + 2);
            p.push(from);
            p.extend_from_slice(waypoints);
            p.push(to);
            p
        }
        Router::Orthogonal if waypoints.is_empty() => {
            // Pinned at one end only (with a side to leave by), straight to the other shape.
            let one_pinned = match (start, end) {
                (Some(_), None) => start_axis.map(|a| (Some(a), None)),
                (None, Some(_)) => end_axis.map(|a| (None, Some(a))),
                _ => None,
            };
            one_pinned
                .and_then(|axes| one_end_pinned(from, to, axes, (source, target)))
                .unwrap_or_else(|| orthogonal(from, to, (start_axis, end_axis), (source, target)))
        }
        Router::Orthogonal | Router::Segment => {
            return ends_on_perimeters(segments(s, t, waypoints), (source, start), (target, end))
        }
        Router::Elbow { vertical } => {
            // draw.io's elbow router reads only the first waypoint, as its elbow's position.
            let bends = elbow(s, t, waypoints.first().copied(), vertical);
            return ends_on_perimeters(bends, (source, start), (target, end));
        }
        Router::EntityRelation => {
            let stub = style.number("segment").map_or(ER_STUB, |v| clamp(v, 0.0, 1e4, ER_STUB));
            let bends = entity_relation(s, t, stub);
            return ends_on_perimeters(bends, (source, start), (target, end));
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

/// The ends of a straight edge: a floating end on an orthogonal perimeter meets its box square
/// to the next point (the target's first, as draw.io places them); any other end is left at
/// its pinned point or the shape's centre, for [`clip_start`] to cut at the outline.
fn square_ends(
    (source, start): (End, Option<Point>),
    (target, end): (End, Option<Point>),
    waypoints: &[Point],
) -> (Point, Point) {
    let square = |e: End, pin: Option<Point>, next: Point| match (pin, e.shape) {
        (None, Some(shape)) if e.perimeter == Perimeter::Orthogonal => {
            facing(Perimeter::Orthogonal, &shape, next)
        }
        _ => pin.unwrap_or(e.point),
    };
    let from = start.unwrap_or(source.point);
    let to = square(target, end, waypoints.last().copied().unwrap_or(from));
    let from = square(source, start, waypoints.first().copied().unwrap_or(to));
    (from, to)
}

/// draw.io's stub out of each side for `entityRelationEdgeStyle` (its `ENTITY_SEGMENT`).
const ER_STUB: f64 = 30.0;

/// A right-angled route's bends with its ends added: pinned ends where they are pinned, floating
/// ones on the shape's perimeter facing the next point, square to it where the shape spans it
/// (draw.io's orthogonal perimeter point); the target end first, as draw.io places them.
fn ends_on_perimeters(
    bends: Vec<Point>,
    (source, start): (End, Option<Point>),
    (target, end): (End, Option<Point>),
) -> Vec<Point> {
    let start_or_centre = start.unwrap_or(source.point);
    let to = match (end, target.shape) {
        (Some(_), _) | (None, None) => end.unwrap_or(target.point),
        (None, Some(shape)) => {
            let next = bends.last().copied().unwrap_or(start_or_centre);
            facing(target.perimeter, &shape, next)
        }
    };
    let from = match (start, source.shape) {
        (Some(p), _) => p,
        (None, None) => source.point,
        (None, Some(shape)) => {
            facing(source.perimeter, &shape, bends.first().copied().unwrap_or(to))
        }
    };
    let mut points = Vec::with_capacity(bends.len() + 2);
    points.push(from);
    points.extend(bends);
    points.push(to);
    tidy(points)
}

/// The point of `perimeter` drawn in `r` that an orthogonal edge towards `next` leaves from:
/// straight above, below or beside `next` when the shape spans it on that axis, else where the
/// ray from the centre to `next` crosses the perimeter.
fn facing(perimeter: Perimeter, r: &Rect, next: Point) -> Point {
    let c = r.center();
    let in_x = (r.x..=r.x + r.width).contains(&next.x);
    let in_y = (r.y..=r.y + r.height).contains(&next.y);
    let reach = r.width + r.height + 1.0;
    let (inner, outer) = match (in_x, in_y) {
        (true, false) => {
            let dir = if next.y < c.y { -1.0 } else { 1.0 };
            (Point { x: next.x, y: c.y }, Point { x: next.x, y: c.y + dir * reach })
        }
        (false, true) => {
            let dir = if next.x < c.x { -1.0 } else { 1.0 };
            (Point { x: c.x, y: next.y }, Point { x: c.x + dir * reach, y: next.y })
        }
        _ => {
            let (dx, dy) = (next.x - c.x, next.y - c.y);
            let length = dx.hypot(dy);
            if length <= 0.0 {
                return c;
            }
            (c, Point { x: c.x + dx / length * reach, y: c.y + dy / length * reach })
        }
    };
    match perimeter {
        Perimeter::Rectangle | Perimeter::Orthogonal => border_crossing(inner, outer, r),
        _ if perimeter.contains(r, inner) => perimeter.crossing(r, inner, outer),
        _ => perimeter.crossing(r, c, outer),
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

/// Which of draw.io's routers draws an edge (its `edgeStyle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Router {
    Straight,
    /// `orthogonalEdgeStyle`: its own route without waypoints, the segment router with them.
    Orthogonal,
    Segment,
    Elbow {
        vertical: bool,
    },
    EntityRelation,
}

fn router(style: &Style) -> Router {
    match style.get("edgeStyle") {
        Some("orthogonalEdgeStyle") => Router::Orthogonal,
        Some("segmentEdgeStyle") => Router::Segment,
        Some("elbowEdgeStyle") => {
            Router::Elbow { vertical: style.get("elbow") == Some("vertical") }
        }
        Some("entityRelationEdgeStyle") => Router::EntityRelation,
        _ => Router::Straight,
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
    // A point given on the shape drawn facing east, turned with the shape.
    let turned = end.facing.place(Rect { x: 0.0, y: 0.0, width: 1.0, height: 1.0 }, (x, y));
    let (x, y) = (turned.x, turned.y);
    let point = Point {
        x: shape.x + x * shape.width + clamp(dx, -1e4, 1e4, 0.0),
        y: shape.y + y * shape.height + clamp(dy, -1e4, 1e4, 0.0),
    };
    let on_perimeter = style.get(&format!("{prefix}Perimeter")) != Some("0");
    if on_perimeter && !end.perimeter.is_box() {
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

/// `orthogonalEdgeStyle`'s own route from `from` to `to` when the user gave no waypoints.
fn orthogonal(
    from: Point,
    to: Point,
    (start_axis, end_axis): (Option<Axis>, Option<Axis>),
    (source, target): (End, End),
) -> Vec<Point> {
    if start_axis.is_none() && end_axis.is_none() {
        if let Some(route) = between_shapes(from, to, source, target) {
            return route;
        }
    }
    let loose = source.shape.is_none() || target.shape.is_none();
    let dominant = if (to.x - from.x).abs() >= (to.y - from.y).abs() {
        Axis::Horizontal
    } else {
        Axis::Vertical
    };
    let first = start_axis.unwrap_or(dominant);
    // A loose end is a point with no side to enter by: draw.io runs along the first axis
    // to its coordinate and turns once, instead of bending twice halfway.
    let turned = match first {
        Axis::Horizontal => Axis::Vertical,
        Axis::Vertical => Axis::Horizontal,
    };
    let last = end_axis.unwrap_or(if loose { turned } else { first });
    let box_of =
        |e: End| e.shape.unwrap_or(Rect { x: e.point.x, y: e.point.y, width: 0.0, height: 0.0 });
    let (a, b) = (box_of(source), box_of(target));
    match (first, last) {
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
    }
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
        (Some(axis), None) => Some(leave(from, axis, (&a, &b), to)),
        (None, Some(axis)) => {
            let mut route = leave(to, axis, (&b, &a), from);
            route.reverse();
            Some(route)
        }
        _ => None,
    }
}

/// From `from`, pinned on a side of `own` that `axis` leaves, to the free shape `other` centred
/// on `to`: one turn into it when it lies off to the side as well, else (the two overlap across
/// the way out) a step across halfway over the gap and straight into its facing side.
fn leave(from: Point, axis: Axis, (own, other): (&Rect, &Rect), to: Point) -> Vec<Point> {
    let c = own.center();
    let (along, toward) = match axis {
        Axis::Horizontal => (from.x - c.x, to.x - from.x),
        Axis::Vertical => (from.y - c.y, to.y - from.y),
    };
    // Outwards from the side; a point pinned at the centre leaves towards the other shape.
    let out = if along.abs() > 0.01 { along.signum() } else { toward.signum() };
    if toward * out > 0.0 {
        let overlap_x = own.x < other.x + other.width && other.x < own.x + own.width;
        let overlap_y = own.y < other.y + other.height && other.y < own.y + own.height;
        match axis {
            Axis::Vertical if overlap_x && !overlap_y => {
                let y = between(
                    own.y,
                    own.y + own.height,
                    other.y,
                    other.y + other.height,
                    from.y,
                    to.y,
                );
                return vec![from, Point { x: from.x, y }, Point { x: to.x, y }, to];
            }
            Axis::Horizontal if overlap_y && !overlap_x => {
                let x =
                    between(own.x, own.x + own.width, other.x, other.x + other.width, from.x, to.x);
                return vec![from, Point { x, y: from.y }, Point { x, y: to.y }, to];
            }
            _ => {}
        }
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
                Perimeter::Rectangle | Perimeter::Orthogonal => border_crossing(a, b, shape),
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
        End {
            shape: Some(shape),
            point: shape.center(),
            perimeter: Perimeter::Rectangle,
            facing: Direction::East,
        }
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
        let loose = End {
            shape: None,
            point: p(-100.0, -50.0),
            perimeter: Perimeter::Rectangle,
            facing: Direction::East,
        };
        let r = route(&s, boxed(0.0, 0.0), loose, &[]);
        assert_eq!(r, vec![p(0.0, 10.0), p(-100.0, 10.0), p(-100.0, -50.0)]);
        // With nothing pinned, it leaves along the longer way to the point.
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle");
        let r = route(
            &s,
            boxed(0.0, 0.0),
            End {
                shape: None,
                point: p(200.0, -50.0),
                perimeter: Perimeter::Rectangle,
                facing: Direction::East,
            },
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
        End {
            shape: Some(shape),
            point: shape.center(),
            perimeter: Perimeter::Ellipse,
            facing: Direction::East,
        }
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
    fn waypoints_place_segments_at_right_angles() {
        // draw.io's segment router: the waypoint beside neither shape places the first segment
        // across at its height and the next upright at its x; the ends leave and enter square.
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle");
        let r = route(&s, boxed(0.0, 0.0), boxed(200.0, 100.0), &[p(150.0, 50.0)]);
        assert_eq!(
            r,
            vec![p(20.0, 20.0), p(20.0, 50.0), p(150.0, 50.0), p(150.0, 110.0), p(200.0, 110.0)]
        );
        // Level with the source: straight out of its side at that height.
        let r = route(&s, boxed(0.0, 0.0), boxed(200.0, 100.0), &[p(150.0, 15.0)]);
        assert_eq!(r, vec![p(40.0, 15.0), p(150.0, 15.0), p(150.0, 110.0), p(200.0, 110.0)]);
    }

    #[test]
    fn elbow_and_entity_relation_edges_route_as_drawio_routes_them() {
        let s = Style::parse("edgeStyle=elbowEdgeStyle");
        let r = route(&s, boxed(0.0, 0.0), boxed(200.0, 100.0), &[]);
        assert_eq!(r, vec![p(40.0, 10.0), p(120.0, 10.0), p(120.0, 110.0), p(200.0, 110.0)]);
        let s = Style::parse("edgeStyle=elbowEdgeStyle;elbow=vertical");
        let r = route(&s, boxed(0.0, 0.0), boxed(200.0, 100.0), &[]);
        assert_eq!(r, vec![p(20.0, 20.0), p(20.0, 60.0), p(220.0, 60.0), p(220.0, 100.0)]);
        let s = Style::parse("edgeStyle=entityRelationEdgeStyle");
        let r = route(&s, boxed(0.0, 0.0), boxed(200.0, 100.0), &[]);
        assert_eq!(r, vec![p(40.0, 10.0), p(70.0, 10.0), p(170.0, 110.0), p(200.0, 110.0)]);
    }

    #[test]
    fn an_elbow_edge_bends_where_its_waypoint_says() {
        // draw.io's elbow router reads the first waypoint as the elbow's position: above both
        // shapes side by side, it turns the elbow upright (top to bottom) at the waypoint's height.
        let s = Style::parse("edgeStyle=elbowEdgeStyle");
        let r = route(&s, boxed(0.0, 0.0), boxed(200.0, 0.0), &[p(150.0, -40.0), p(0.0, 500.0)]);
        assert_eq!(r, vec![p(20.0, 0.0), p(20.0, -40.0), p(220.0, -40.0), p(220.0, 0.0)]);
        // Pinned out of the bottom: across to the waypoint's x at once, then to the target's
        // middle (the pinned point is the source's whole extent).
        let s = Style::parse("edgeStyle=elbowEdgeStyle;exitX=0.5;exitY=1");
        let r = route(&s, boxed(0.0, 0.0), boxed(200.0, 100.0), &[p(100.0, 80.0)]);
        assert_eq!(r, vec![p(20.0, 20.0), p(100.0, 20.0), p(100.0, 110.0), p(200.0, 110.0)]);
        // Both bends would fall inside the shapes (one above the other): the waypoint itself
        // is the bend, so the line runs straight up at its x.
        let s = Style::parse("edgeStyle=elbowEdgeStyle");
        let r = route(&s, boxed(0.0, 100.0), boxed(10.0, 0.0), &[p(30.0, 60.0)]);
        assert_eq!(r, vec![p(30.0, 100.0), p(30.0, 20.0)]);
    }

    #[test]
    fn connection_points_turn_with_the_shape() {
        // `exitX=0.25;exitY=0.5` on a shape facing north is the middle of its lower half.
        let s = Style::parse("edgeStyle=orthogonalEdgeStyle;exitX=0.25;exitY=0.5");
        let mut gate = boxed(0.0, 0.0);
        gate.facing = Direction::North;
        let r = route(&s, gate, boxed(0.0, 100.0), &[]);
        assert_eq!(r[0], p(20.0, 15.0));
        // Straight down into the top of the shape below, centred under it.
        assert_eq!(r, vec![p(20.0, 15.0), p(20.0, 100.0)]);
    }
}
