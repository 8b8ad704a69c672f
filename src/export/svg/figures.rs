//! Path data for the outlines of a [`Drawing`](crate::model::drawing::Drawing), in the
//! proportions draw.io's own shapes use, and for lines: straight, rounded or curved, with their
//! arrowheads.

use super::writer::number;
use crate::model::drawing::{Arrow, BpmnMark, Direction, Head};
use crate::model::{Point, Rect};

/// Builds SVG path data with coordinates at the writer's fixed precision.
#[derive(Default)]
pub struct PathData(String);

impl PathData {
    fn cmd(&mut self, c: char, points: &[Point]) -> &mut Self {
        self.0.push(c);
        for (k, p) in points.iter().enumerate() {
            if k > 0 {
                self.0.push(' ');
            }
            self.0.push_str(&number(p.x));
            self.0.push(' ');
            self.0.push_str(&number(p.y));
        }
        self
    }
    pub fn m(&mut self, p: Point) -> &mut Self {
        self.cmd('M', &[p])
    }
    pub fn l(&mut self, p: Point) -> &mut Self {
        self.cmd('L', &[p])
    }
    pub fn q(&mut self, c: Point, p: Point) -> &mut Self {
        self.cmd('Q', &[c, p])
    }
    pub fn c(&mut self, c1: Point, c2: Point, p: Point) -> &mut Self {
        self.cmd('C', &[c1, c2, p])
    }
    pub fn z(&mut self) -> &mut Self {
        self.0.push('Z');
        self
    }
    pub fn polygon(&mut self, points: &[Point]) -> &mut Self {
        for (k, p) in points.iter().enumerate() {
            if k == 0 {
                self.m(*p);
            } else {
                self.l(*p);
            }
        }
        self.z()
    }
    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.0)
    }
}

/// A point at fractions `(fx, fy)` of `r`.
fn at(r: Rect, fx: f64, fy: f64) -> Point {
    Point { x: r.x + fx * r.width, y: r.y + fy * r.height }
}

/// A cubic through fractions of `r`.
fn curve(d: &mut PathData, r: Rect, c: [(f64, f64); 3]) {
    d.c(at(r, c[0].0, c[0].1), at(r, c[1].0, c[1].1), at(r, c[2].0, c[2].1));
}

/// draw.io's cloud.
pub fn cloud(r: Rect) -> String {
    let mut d = PathData::default();
    d.m(at(r, 0.25, 0.25));
    curve(&mut d, r, [(0.05, 0.25), (0.0, 0.5), (0.16, 0.55)]);
    curve(&mut d, r, [(0.0, 0.66), (0.18, 0.9), (0.31, 0.8)]);
    curve(&mut d, r, [(0.4, 1.0), (0.7, 1.0), (0.8, 0.8)]);
    curve(&mut d, r, [(1.0, 0.8), (1.0, 0.6), (0.875, 0.5)]);
    curve(&mut d, r, [(1.0, 0.3), (0.8, 0.1), (0.625, 0.2)]);
    curve(&mut d, r, [(0.5, 0.05), (0.3, 0.05), (0.25, 0.25)]);
    d.z().finish()
}

/// draw.io's `actor`: head and shoulders in one outline.
pub fn bust(r: Rect) -> String {
    let mut d = PathData::default();
    let third = 1.0 / 3.0;
    d.m(at(r, 0.0, 1.0));
    curve(&mut d, r, [(0.0, 0.6), (0.0, 0.4), (0.5, 0.4)]);
    curve(&mut d, r, [(0.5 - third, 0.4), (0.5 - third, 0.0), (0.5, 0.0)]);
    curve(&mut d, r, [(0.5 + third, 0.0), (0.5 + third, 0.4), (0.5, 0.4)]);
    curve(&mut d, r, [(1.0, 0.4), (1.0, 0.6), (1.0, 1.0)]);
    d.z().finish()
}

/// The limbs of draw.io's `umlActor` (the head is an ellipse in the top quarter).
pub fn stick_limbs(r: Rect) -> String {
    let mut d = PathData::default();
    d.m(at(r, 0.5, 0.25)).l(at(r, 0.5, 2.0 / 3.0));
    d.m(at(r, 0.0, 1.0 / 3.0)).l(at(r, 1.0, 1.0 / 3.0));
    d.m(at(r, 0.0, 1.0)).l(at(r, 0.5, 2.0 / 3.0)).l(at(r, 1.0, 1.0));
    d.finish()
}

/// draw.io's `document`: a sheet with a wavy bottom.
pub fn document(r: Rect) -> String {
    let dy = r.height * 0.3;
    let mut d = PathData::default();
    d.m(at(r, 0.0, 0.0)).l(at(r, 1.0, 0.0));
    let y = |f: f64| r.y + r.height - dy * f;
    d.l(Point { x: r.x + r.width, y: y(0.5) });
    d.q(Point { x: r.x + r.width * 0.75, y: y(1.4) }, Point { x: r.x + r.width / 2.0, y: y(0.5) });
    d.q(Point { x: r.x + r.width * 0.25, y: y(-0.4) }, Point { x: r.x, y: y(0.5) });
    d.z().finish()
}

/// A sheet with the top-right corner folded, and the fold.
pub fn note(r: Rect, fold: f64) -> (String, String) {
    let (x, y, w, h) = (r.x, r.y, r.width, r.height);
    let p = |px: f64, py: f64| Point { x: px, y: py };
    let sheet = PathData::default()
        .polygon(&[p(x, y), p(x + w - fold, y), p(x + w, y + fold), p(x + w, y + h), p(x, y + h)])
        .finish();
    let crease = PathData::default()
        .m(p(x + w - fold, y))
        .l(p(x + w - fold, y + fold))
        .l(p(x + w, y + fold))
        .finish();
    (sheet, crease)
}

/// A cylinder's body (with its front bottom rim) and its top ellipse `cap` high.
pub fn cylinder(r: Rect, cap: f64) -> String {
    let (x, y, w, h) = (r.x, r.y, r.width, r.height);
    let half = cap / 2.0;
    let mut d = PathData::default();
    d.m(Point { x, y: y + half }).l(Point { x, y: y + h - half });
    d.0.push_str(&format!(
        "A{} {} 0 0 0 {} {}",
        number(w / 2.0),
        number(half),
        number(x + w),
        number(y + h - half)
    ));
    d.l(Point { x: x + w, y: y + half });
    d.z().finish()
}

pub fn hexagon(r: Rect) -> String {
    PathData::default()
        .polygon(&[
            at(r, 0.25, 0.0),
            at(r, 0.75, 0.0),
            at(r, 1.0, 0.5),
            at(r, 0.75, 1.0),
            at(r, 0.25, 1.0),
            at(r, 0.0, 0.5),
        ])
        .finish()
}

pub fn rhombus(r: Rect) -> String {
    PathData::default()
        .polygon(&[at(r, 0.5, 0.0), at(r, 1.0, 0.5), at(r, 0.5, 1.0), at(r, 0.0, 0.5)])
        .finish()
}

/// draw.io's `triangle`: a point on the side it faces, the opposite side flat.
pub fn triangle(r: Rect, towards: Direction) -> String {
    let at = |u, v| towards.place(r, (u, v));
    PathData::default().polygon(&[at(0.0, 0.0), at(1.0, 0.5), at(0.0, 1.0)]).finish()
}

/// draw.io's `or` and `xor` gates: an arch facing `towards`; the `xor`'s back curves in.
pub fn gate(r: Rect, xor: bool, towards: Direction) -> String {
    let at = |u, v| towards.place(r, (u, v));
    let mut d = PathData::default();
    d.m(at(0.0, 0.0)).q(at(1.0, 0.0), at(1.0, 0.5)).q(at(1.0, 1.0), at(0.0, 1.0));
    if xor {
        d.q(at(0.5, 0.5), at(0.0, 0.0));
    }
    d.z().finish()
}

/// A UML lifeline's dashed line, down the middle from under its `header`.
pub fn lifeline(r: Rect, header: f64) -> String {
    let x = r.x + r.width / 2.0;
    let mut d = PathData::default();
    d.m(Point { x, y: r.y + header }).l(Point { x, y: r.y + r.height });
    d.finish()
}

/// The inner lines of a predefined process.
pub fn process_bars(r: Rect) -> String {
    PathData::default()
        .m(at(r, 0.1, 0.0))
        .l(at(r, 0.1, 1.0))
        .m(at(r, 0.9, 0.0))
        .l(at(r, 0.9, 1.0))
        .finish()
}

/// draw.io's `cube`: the outline, and the edges of the front face `depth` in from the back
/// corner. Facing east the back corner is the top-left; `direction` turns it with the shape.
pub fn cube(r: Rect, depth: f64, towards: Direction) -> (String, String) {
    // The shape is drawn facing east in a box with the sides swapped when it faces south or
    // north, then turned into `r`: depths are fractions of that box.
    let (w, h) = match towards {
        Direction::East | Direction::West => (r.width, r.height),
        Direction::South | Direction::North => (r.height, r.width),
    };
    let (du, dv) = (fraction(depth, w), fraction(depth, h));
    let at = |u, v| towards.place(r, (u, v));
    let body = PathData::default()
        .polygon(&[
            at(0.0, 0.0),
            at(1.0 - du, 0.0),
            at(1.0, dv),
            at(1.0, 1.0),
            at(du, 1.0),
            at(0.0, 1.0 - dv),
        ])
        .finish();
    let edges = PathData::default()
        .m(at(du, 1.0))
        .l(at(du, dv))
        .l(at(0.0, 0.0))
        .m(at(du, dv))
        .l(at(1.0, dv))
        .finish();
    (body, edges)
}

/// `part` of `whole` as a fraction, 0 for an empty whole.
fn fraction(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        (part / whole).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The mark inside a BPMN event or gateway and the width it is stroked with: a gateway's plus
/// or cross in thick strokes across half the shape, a message event's envelope in the middle.
pub fn bpmn_mark(r: Rect, mark: BpmnMark) -> (String, f64) {
    let bold = (r.width.min(r.height) * 0.08).max(1.0);
    let mut d = PathData::default();
    match mark {
        BpmnMark::Nothing => return (String::new(), 1.0),
        BpmnMark::Plus => {
            d.m(at(r, 0.5, 0.25)).l(at(r, 0.5, 0.75)).m(at(r, 0.25, 0.5)).l(at(r, 0.75, 0.5));
        }
        BpmnMark::Cross => {
            d.m(at(r, 0.32, 0.32)).l(at(r, 0.68, 0.68)).m(at(r, 0.68, 0.32)).l(at(r, 0.32, 0.68));
        }
        BpmnMark::Envelope => {
            let (left, right, top, bottom) = (0.27, 0.73, 0.34, 0.66);
            d.polygon(&[
                at(r, left, top),
                at(r, right, top),
                at(r, right, bottom),
                at(r, left, bottom),
            ]);
            d.m(at(r, left, top)).l(at(r, 0.5, 0.5)).l(at(r, right, top));
            return (d.finish(), 1.0);
        }
    }
    (d.finish(), bold)
}

/// An envelope's flap: from the top corners down to the middle.
pub fn envelope_flap(r: Rect) -> String {
    PathData::default().m(at(r, 0.0, 0.0)).l(at(r, 0.5, 0.5)).l(at(r, 1.0, 0.0)).finish()
}

/// draw.io's `plus`: a cross inset by a fifth of the shorter side and a pixel.
pub fn plus(r: Rect) -> String {
    let inset = (r.width / 5.0).min(r.height / 5.0) + 1.0;
    let c = r.center();
    PathData::default()
        .m(Point { x: c.x, y: r.y + inset })
        .l(Point { x: c.x, y: r.y + r.height - inset })
        .m(Point { x: r.x + inset, y: c.y })
        .l(Point { x: r.x + r.width - inset, y: c.y })
        .finish()
}

/// A UML component: its body (from the middle of the tabs to the right side) and the two tabs
/// across its left side, centred at three and seven tenths of its height.
pub fn component(r: Rect, tab: f64, tab_height: f64) -> (Rect, [Rect; 2]) {
    let half = tab / 2.0;
    let body = Rect { x: r.x + half, width: (r.width - half).max(0.0), ..r };
    let tab_at = |f: f64| Rect {
        x: r.x,
        y: r.y + f * r.height - tab_height / 2.0,
        width: tab,
        height: tab_height,
    };
    (body, [tab_at(0.3), tab_at(0.7)])
}

/// The sides of `r` that are drawn.
pub fn sides(r: Rect, [top, right, bottom, left]: [bool; 4]) -> String {
    let corners = [at(r, 0.0, 0.0), at(r, 1.0, 0.0), at(r, 1.0, 1.0), at(r, 0.0, 1.0)];
    let mut d = PathData::default();
    for (k, on) in [top, right, bottom, left].into_iter().enumerate() {
        if on {
            d.m(corners[k]).l(corners[(k + 1) % 4]);
        }
    }
    d.finish()
}

/// A line through `points`: straight segments, corners rounded, or a smooth curve that runs
/// through the middles of the segments (as draw.io's curved edges do).
pub fn line(points: &[Point], curved: bool, rounded: bool) -> String {
    let mut d = PathData::default();
    let Some(&first) = points.first() else { return String::new() };
    d.m(first);
    let n = points.len();
    if curved && n > 2 {
        for k in 1..n - 2 {
            d.q(points[k], mid(points[k], points[k + 1]));
        }
        d.q(points[n - 2], points[n - 1]);
        return d.finish();
    }
    for k in 1..n {
        let p = points[k];
        if rounded && k + 1 < n {
            let (before, after) = (points[k - 1], points[k + 1]);
            let r = 10.0_f64.min(distance(before, p) / 2.0).min(distance(p, after) / 2.0);
            d.l(toward(p, before, r)).q(p, toward(p, after, r));
        } else {
            d.l(p);
        }
    }
    d.finish()
}

/// How many points stand for each curved piece of a line in [`traced`].
const CURVE_STEPS: usize = 8;

/// The points along [`line`] closely enough to draw over it or measure along it: each piece of
/// a curved line sampled, any other line as given (its rounded corners are within a few pixels
/// of the corner). A crossing band or marker placed on the corner points of a curved line would
/// stand away from the line the author sees.
pub fn traced(points: &[Point], curved: bool) -> Vec<Point> {
    let n = points.len();
    if !curved || n <= 2 {
        return points.to_vec();
    }
    let mut out = vec![points[0]];
    let mut from = points[0];
    // The same pieces as `line`: through the middles of the segments, the last to the end.
    for k in 1..n - 1 {
        let control = points[k];
        let to = if k + 2 < n { mid(points[k], points[k + 1]) } else { points[n - 1] };
        for step in 1..=CURVE_STEPS {
            out.push(quadratic(from, control, to, step as f64 / CURVE_STEPS as f64));
        }
        from = to;
    }
    out
}

/// The point at `t` (0 to 1) of the quadratic curve from `a` to `b` pulled towards `control`.
fn quadratic(a: Point, control: Point, b: Point, t: f64) -> Point {
    let (u, v, w) = ((1.0 - t) * (1.0 - t), 2.0 * (1.0 - t) * t, t * t);
    Point { x: u * a.x + v * control.x + w * b.x, y: u * a.y + v * control.y + w * b.y }
}

fn mid(a: Point, b: Point) -> Point {
    Point { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 }
}

fn distance(a: Point, b: Point) -> f64 {
    (b.x - a.x).hypot(b.y - a.y)
}

/// The point `r` away from `from` towards `to`.
fn toward(from: Point, to: Point, r: f64) -> Point {
    let d = distance(from, to);
    if d <= 0.0 {
        return from;
    }
    Point { x: from.x + (to.x - from.x) / d * r, y: from.y + (to.y - from.y) / d * r }
}

/// The head at `tip` for a line arriving from `from`, as path data, and how far back from the
/// tip the line should stop so it does not poke through; `None` when there is no head.
pub fn arrowhead(
    arrow: &Arrow,
    from: Point,
    tip: Point,
    stroke_width: f64,
) -> Option<(String, f64)> {
    let length = arrow.size + stroke_width;
    let d = distance(from, tip);
    if arrow.head == Head::None || d <= 0.0 || length <= 0.0 {
        return None;
    }
    let (ux, uy) = ((tip.x - from.x) / d, (tip.y - from.y) / d);
    // Back along the line by `b`, across it by `s`.
    let p = |b: f64, s: f64| Point { x: tip.x - ux * b - uy * s, y: tip.y - uy * b + ux * s };
    let half = length / 2.0;
    let mut path = PathData::default();
    let inset = match arrow.head {
        Head::None => return None,
        Head::Classic => {
            path.polygon(&[tip, p(length, half), p(length * 0.75, 0.0), p(length, -half)]);
            length * 0.75
        }
        Head::Block => {
            path.polygon(&[tip, p(length, half), p(length, -half)]);
            length
        }
        Head::Open => {
            path.m(p(length, half)).l(tip).l(p(length, -half));
            0.0
        }
        Head::Diamond => {
            path.polygon(&[tip, p(length / 2.0, half), p(length, 0.0), p(length / 2.0, -half)]);
            length
        }
        Head::Oval => {
            let c = p(half, 0.0);
            path.m(Point { x: c.x - half, y: c.y });
            path.0.push_str(&format!(
                "A{r} {r} 0 1 0 {x} {y}A{r} {r} 0 1 0 {x0} {y}",
                r = number(half),
                x = number(c.x + half),
                y = number(c.y),
                x0 = number(c.x - half),
            ));
            path.z();
            length
        }
    };
    let inset = if arrow.filled { inset * 0.5 } else { inset };
    Some((path.finish(), inset.min(d)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn a_curved_line_is_traced_along_its_curve() {
        let p = |x, y| Point { x, y };
        let corners = [p(0.0, 0.0), p(100.0, 0.0), p(100.0, 100.0)];
        let traced = traced(&corners, true);
        assert_eq!(traced.first(), Some(&corners[0]));
        assert_eq!(traced.last(), Some(&corners[2]));
        // Halfway, the curve is a quarter of the way in from the corner on each axis.
        assert!(traced.contains(&p(75.0, 25.0)), "{traced:?}");
        assert!(!traced.contains(&corners[1]), "the curve does not touch the corner");
        assert_eq!(super::traced(&corners, false), corners.to_vec());
    }

    #[test]
    fn lines_straight_rounded_and_curved() {
        let pts = [p(0.0, 0.0), p(100.0, 0.0), p(100.0, 100.0)];
        assert_eq!(line(&pts, false, false), "M0 0L100 0L100 100");
        assert_eq!(line(&pts, false, true), "M0 0L90 0Q100 0 100 10L100 100");
        assert_eq!(line(&pts, true, false), "M0 0Q100 0 100 100");
    }

    #[test]
    fn arrowheads_point_along_the_last_segment() {
        let arrow = Arrow { head: Head::Block, filled: true, size: 6.0 };
        let (d, inset) = arrowhead(&arrow, p(0.0, 0.0), p(100.0, 0.0), 1.0).unwrap();
        assert_eq!(d, "M100 0L93 3.5L93 -3.5Z");
        assert_eq!(inset, 3.5);
        let none = Arrow { head: Head::None, filled: true, size: 6.0 };
        assert!(arrowhead(&none, p(0.0, 0.0), p(1.0, 0.0), 1.0).is_none());
    }
}
