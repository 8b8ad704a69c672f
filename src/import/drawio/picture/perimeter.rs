//! Where an edge meets a shape: draw.io stops an edge at the shape's *perimeter*, which for an
//! ellipse (a DFD process, a cloud) or a rhombus is not its bounding box, and moves a pinned
//! connection point (`exitX=1;exitY=1`) onto that perimeter along the ray from the centre, so
//! an arrow into a circle touches the circle and one out of its "corner" leaves from its rim.

use super::super::style::Style;
use crate::model::{Point, Rect};

/// The outline edges stop at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Perimeter {
    #[default]
    Rectangle,
    /// The box, met square where it spans the other end (draw.io's `orthogonalPerimeter`, a
    /// sequence diagram's activation bar: a message leaves it level, not from its centre).
    Orthogonal,
    Ellipse,
    Rhombus,
}

/// Bisection steps: far below a hundredth of a pixel on any page we draw.
const STEPS: usize = 48;

impl Perimeter {
    /// The perimeter a vertex's style gives it: its `perimeter` key, else the one draw.io's
    /// stylesheet gives the named styles `ellipse` (also under `shape=cloud`, `doubleEllipse`)
    /// and `rhombus`.
    pub fn of(style: &Style) -> Perimeter {
        match style.get("perimeter") {
            Some("ellipsePerimeter") => Perimeter::Ellipse,
            Some("rhombusPerimeter") => Perimeter::Rhombus,
            Some("orthogonalPerimeter") => Perimeter::Orthogonal,
            Some(_) => Perimeter::Rectangle,
            None if style.has_token("ellipse") => Perimeter::Ellipse,
            None if style.has_token("rhombus") => Perimeter::Rhombus,
            None => Perimeter::Rectangle,
        }
    }

    /// Whether the outline is the shape's box (edges stop at its border).
    pub fn is_box(self) -> bool {
        matches!(self, Perimeter::Rectangle | Perimeter::Orthogonal)
    }

    /// Whether `p` is inside (or on) this perimeter drawn in `r`.
    pub fn contains(self, r: &Rect, p: Point) -> bool {
        let c = r.center();
        let (rx, ry) = (r.width / 2.0, r.height / 2.0);
        if rx <= 0.0 || ry <= 0.0 {
            return r.contains_point(p);
        }
        let (u, v) = ((p.x - c.x) / rx, (p.y - c.y) / ry);
        match self {
            Perimeter::Rectangle | Perimeter::Orthogonal => r.contains_point(p),
            Perimeter::Ellipse => u * u + v * v <= 1.0,
            Perimeter::Rhombus => u.abs() + v.abs() <= 1.0,
        }
    }

    /// Where the segment from `a` (inside) to `b` (outside) crosses the perimeter.
    pub fn crossing(self, r: &Rect, a: Point, b: Point) -> Point {
        let (mut inside, mut outside) = (0.0_f64, 1.0_f64);
        let at = |t: f64| Point { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
        for _ in 0..STEPS {
            let mid = (inside + outside) / 2.0;
            if self.contains(r, at(mid)) {
                inside = mid;
            } else {
                outside = mid;
            }
        }
        at(inside)
    }

    /// `p` moved onto the perimeter along the ray from the centre through it (draw.io's
    /// `getPerimeterPoint` for a connection constraint). A rectangle's pinned points stay where
    /// the constraint puts them, on or off the box.
    pub fn project(self, r: &Rect, p: Point) -> Point {
        let c = r.center();
        let (dx, dy) = (p.x - c.x, p.y - c.y);
        if self.is_box() || (dx == 0.0 && dy == 0.0) {
            return p;
        }
        // A point far enough out along the ray to be outside any perimeter inside `r`.
        let reach = (r.width + r.height + 1.0) / dx.hypot(dy);
        let far = Point { x: c.x + dx * reach, y: c.y + dy * reach };
        self.crossing(r, c, far)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: Point, b: Point) -> bool {
        (a.x - b.x).abs() < 0.01 && (a.y - b.y).abs() < 0.01
    }

    #[test]
    fn named_styles_and_keys_choose_the_perimeter() {
        assert_eq!(Perimeter::of(&Style::parse("ellipse;whiteSpace=wrap")), Perimeter::Ellipse);
        assert_eq!(Perimeter::of(&Style::parse("ellipse;shape=cloud")), Perimeter::Ellipse);
        assert_eq!(Perimeter::of(&Style::parse("rhombus")), Perimeter::Rhombus);
        assert_eq!(
            Perimeter::of(&Style::parse("shape=x;perimeter=ellipsePerimeter")),
            Perimeter::Ellipse
        );
        assert_eq!(Perimeter::of(&Style::parse("ellipse;perimeter=none")), Perimeter::Rectangle);
        assert_eq!(Perimeter::of(&Style::parse("rounded=1")), Perimeter::Rectangle);
        let bar = Style::parse("html=1;points=[];perimeter=orthogonalPerimeter;");
        assert_eq!(Perimeter::of(&bar), Perimeter::Orthogonal);
    }

    #[test]
    fn a_corner_constraint_lands_on_the_rim() {
        let r = Rect { x: 0.0, y: 0.0, width: 80.0, height: 80.0 };
        let rim = Perimeter::Ellipse.project(&r, Point { x: 80.0, y: 80.0 });
        let d = 40.0 / 2f64.sqrt();
        assert!(near(rim, Point { x: 40.0 + d, y: 40.0 + d }), "{rim:?}");
        let tip = Perimeter::Rhombus.project(&r, Point { x: 80.0, y: 80.0 });
        assert!(near(tip, Point { x: 60.0, y: 60.0 }), "{tip:?}");
        // A rectangle keeps its pinned point, even off the box.
        let off = Point { x: 84.0, y: 50.0 };
        assert_eq!(Perimeter::Rectangle.project(&r, off), off);
    }

    #[test]
    fn an_edge_stops_at_the_circle() {
        let r = Rect { x: 0.0, y: 0.0, width: 80.0, height: 80.0 };
        let end = Perimeter::Ellipse.crossing(&r, r.center(), Point { x: 140.0, y: 140.0 });
        let d = 40.0 / 2f64.sqrt();
        assert!(near(end, Point { x: 40.0 + d, y: 40.0 + d }), "{end:?}");
    }
}
