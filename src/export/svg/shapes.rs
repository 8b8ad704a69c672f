//! Element outlines, drawn so each draw.io or DOT shape stays recognisable, and where each shape
//! wants its label, badge and tag.

use super::canvas::Canvas;
use super::palette;
use super::writer::number;
use crate::model::{Point, Rect, Shape};

pub const STROKE_WIDTH: f64 = 1.5;

/// Colours of one element.
#[derive(Debug, Clone)]
pub struct Look {
    pub fill: String,
    pub stroke: String,
    /// The band of an icon tile.
    pub accent: String,
}

/// Where an element's label goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LabelPlace {
    /// Centred in this area.
    Inside(Rect),
    /// Under the shape, as draw.io puts the labels of icons and actors.
    Below { centre_x: f64, top: f64, max_width: f64 },
}

pub fn outline(canvas: &mut Canvas, shape: Shape, r: Rect, look: &Look) {
    canvas.include(r);
    match shape {
        Shape::Rectangle => rect(canvas, r, 0.0, look),
        Shape::Rounded => rect(canvas, r, (r.height / 4.0).min(10.0), look),
        Shape::Ellipse => ellipse(canvas, r, look),
        Shape::DoubleEllipse => {
            ellipse(canvas, r, look);
            let inset = 4.0_f64.min(r.width / 4.0).min(r.height / 4.0);
            let inner = Rect {
                x: r.x + inset,
                y: r.y + inset,
                width: r.width - 2.0 * inset,
                height: r.height - 2.0 * inset,
            };
            ellipse(canvas, Rect { ..inner }, &Look { fill: "none".into(), ..look.clone() });
        }
        Shape::Cylinder => cylinder(canvas, r, look),
        Shape::OpenRectangle => open_rectangle(canvas, r, look),
        Shape::Actor => actor(canvas, r, look),
        Shape::Icon => icon_tile(canvas, r, look),
        Shape::Document => document(canvas, r, look),
    }
}

fn rect(canvas: &mut Canvas, r: Rect, radius: f64, look: &Look) {
    let mut tag = canvas.out.tag("rect").bounds(r);
    if radius > 0.0 {
        tag = tag.num("rx", radius);
    }
    tag.attr("fill", &look.fill)
        .attr("stroke", &look.stroke)
        .num("stroke-width", STROKE_WIDTH)
        .leaf();
}

fn ellipse(canvas: &mut Canvas, r: Rect, look: &Look) {
    let c = r.center();
    canvas
        .out
        .tag("ellipse")
        .num("cx", c.x)
        .num("cy", c.y)
        .num("rx", r.width / 2.0)
        .num("ry", r.height / 2.0)
        .attr("fill", &look.fill)
        .attr("stroke", &look.stroke)
        .num("stroke-width", STROKE_WIDTH)
        .leaf();
}

/// Half-height of a cylinder's top and bottom ellipses.
fn cylinder_cap(r: Rect) -> f64 {
    (r.height * 0.12).min(9.0).min(r.width / 4.0)
}

fn cylinder(canvas: &mut Canvas, r: Rect, look: &Look) {
    let cap = cylinder_cap(r);
    let half = r.width / 2.0;
    let (x, y, w, h) = (r.x, r.y, r.width, r.height);
    let body = format!(
        "M{} {}V{}A{} {} 0 0 0 {} {}V{}Z",
        number(x),
        number(y + cap),
        number(y + h - cap),
        number(half),
        number(cap),
        number(x + w),
        number(y + h - cap),
        number(y + cap),
    );
    path(canvas, &body, &look.fill, &look.stroke);
    let top = Rect { x, y, width: w, height: 2.0 * cap };
    ellipse(canvas, top, look);
}

fn open_rectangle(canvas: &mut Canvas, r: Rect, look: &Look) {
    canvas.out.tag("rect").bounds(r).attr("fill", &look.fill).leaf();
    // Open on the right: the Gane–Sarson data store.
    let d = format!(
        "M{} {}H{}V{}H{}",
        number(r.x + r.width),
        number(r.y),
        number(r.x),
        number(r.y + r.height),
        number(r.x + r.width)
    );
    path(canvas, &d, "none", &look.stroke);
}

fn document(canvas: &mut Canvas, r: Rect, look: &Look) {
    let wave = (r.height * 0.12).min(10.0);
    let (x, y, w, h) = (r.x, r.y, r.width, r.height);
    let d = format!(
        "M{} {}H{}V{}C{} {} {} {} {} {}S{} {} {} {}Z",
        number(x),
        number(y),
        number(x + w),
        number(y + h - wave),
        number(x + w * 0.75),
        number(y + h - 2.0 * wave),
        number(x + w * 0.75),
        number(y + h + wave),
        number(x + w / 2.0),
        number(y + h - wave),
        number(x + w * 0.25),
        number(y + h - 2.0 * wave),
        number(x),
        number(y + h - wave),
    );
    path(canvas, &d, &look.fill, &look.stroke);
}

fn actor(canvas: &mut Canvas, r: Rect, look: &Look) {
    let cx = r.x + r.width / 2.0;
    let head = (r.width * 0.28).min(r.height * 0.14);
    let neck = r.y + 2.0 * head;
    let hip = r.y + r.height * 0.62;
    let shoulder = neck + r.height * 0.1;
    canvas
        .out
        .tag("circle")
        .num("cx", cx)
        .num("cy", r.y + head)
        .num("r", head)
        .attr("fill", &look.fill)
        .attr("stroke", &look.stroke)
        .num("stroke-width", STROKE_WIDTH)
        .leaf();
    let d = format!(
        "M{cx} {neck}V{hip}M{l} {s}H{rt}M{l} {b}L{cx} {hip}L{rt} {b}",
        cx = number(cx),
        neck = number(neck),
        hip = number(hip),
        l = number(r.x),
        rt = number(r.x + r.width),
        s = number(shoulder),
        b = number(r.y + r.height),
    );
    path(canvas, &d, "none", &look.stroke);
}

fn icon_tile(canvas: &mut Canvas, r: Rect, look: &Look) {
    let radius = (r.width.min(r.height) * 0.12).min(8.0);
    canvas
        .out
        .tag("rect")
        .bounds(r)
        .num("rx", radius)
        .attr("fill", palette::ICON_TILE_FILL)
        .attr("stroke", palette::ICON_TILE_STROKE)
        .num("stroke-width", STROKE_WIDTH)
        .leaf();
    let band = icon_band(r);
    let d = format!(
        "M{x} {yb}V{yr}A{rad} {rad} 0 0 1 {xr} {y}H{xw}A{rad} {rad} 0 0 1 {xe} {yr}V{yb}Z",
        x = number(r.x),
        y = number(r.y),
        yb = number(r.y + band),
        yr = number(r.y + radius),
        rad = number(radius),
        xr = number(r.x + radius),
        xw = number(r.x + r.width - radius),
        xe = number(r.x + r.width),
    );
    canvas.out.tag("path").attr("d", &d).attr("fill", &look.accent).leaf();
}

/// Height of the coloured band at the top of an icon tile.
pub fn icon_band(r: Rect) -> f64 {
    (r.height * 0.16).clamp(4.0, 12.0)
}

fn path(canvas: &mut Canvas, d: &str, fill: &str, stroke: &str) {
    canvas
        .out
        .tag("path")
        .attr("d", d)
        .attr("fill", fill)
        .attr("stroke", stroke)
        .num("stroke-width", STROKE_WIDTH)
        .attr("stroke-linejoin", "round")
        .leaf();
}

/// Where the label of a `shape` drawn in `r` goes.
pub fn label_place(shape: Shape, r: Rect) -> LabelPlace {
    let inset = |dx: f64, top: f64, bottom: f64| Rect {
        x: r.x + dx,
        y: r.y + top,
        width: (r.width - 2.0 * dx).max(0.0),
        height: (r.height - top - bottom).max(0.0),
    };
    match shape {
        Shape::Actor | Shape::Icon => LabelPlace::Below {
            centre_x: r.x + r.width / 2.0,
            top: r.y + r.height + 4.0,
            max_width: (r.width + 70.0).max(120.0),
        },
        Shape::Ellipse => inset(r.width * 0.12, 3.0, 3.0).into(),
        Shape::DoubleEllipse => inset(r.width * 0.15, 5.0, 5.0).into(),
        Shape::Cylinder => {
            let cap = cylinder_cap(r);
            inset(6.0, 2.0 * cap, cap).into()
        }
        Shape::Document => inset(6.0, 2.0, (r.height * 0.12).min(10.0)).into(),
        Shape::Rectangle | Shape::Rounded | Shape::OpenRectangle => inset(6.0, 2.0, 2.0).into(),
    }
}

impl From<Rect> for LabelPlace {
    fn from(r: Rect) -> Self {
        LabelPlace::Inside(r)
    }
}

/// The centre of an element's badge: its top-right corner, or the top-right of an ellipse's rim.
pub fn badge_anchor(shape: Shape, r: Rect) -> Point {
    match shape {
        Shape::Ellipse | Shape::DoubleEllipse => {
            let c = r.center();
            Point { x: c.x + r.width / 2.0 * 0.78, y: c.y - r.height / 2.0 * 0.62 }
        }
        _ => Point { x: r.x + r.width, y: r.y },
    }
}

/// Where a tag's left end sits on the top edge (the tag is centred on it vertically).
pub fn tag_anchor(shape: Shape, r: Rect) -> Point {
    match shape {
        Shape::Ellipse | Shape::DoubleEllipse => {
            let c = r.center();
            Point { x: c.x - r.width / 2.0 * 0.62, y: c.y - r.height / 2.0 * 0.78 }
        }
        _ => Point { x: r.x + 6.0, y: r.y },
    }
}
