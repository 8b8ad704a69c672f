//! The small annotation marks, drawn the same way on the diagram and in the legend.

use super::canvas::Canvas;
use super::palette;
use super::text_fit::width;
use crate::model::{Point, Rect};

pub const BADGE_RADIUS: f64 = 8.5;
const BADGE_FONT_PX: f64 = 10.0;
pub const TAG_HEIGHT: f64 = 14.0;
const TAG_FONT_PX: f64 = 8.5;
pub const MARKER_RADIUS: f64 = 4.5;

/// A threat-count badge centred on `centre`; wider than a circle for counts of two digits or more.
/// The caller wraps it in a group with its tooltip.
pub fn badge(canvas: &mut Canvas, centre: Point, count: usize, colour: &str) {
    let label = count.to_string();
    let text_width = width(&label, BADGE_FONT_PX);
    let w = (text_width + 8.0).max(2.0 * BADGE_RADIUS);
    let r = Rect {
        x: centre.x - w / 2.0,
        y: centre.y - BADGE_RADIUS,
        width: w,
        height: 2.0 * BADGE_RADIUS,
    };
    canvas.include(r);
    canvas
        .out
        .tag("rect")
        .bounds(r)
        .num("rx", BADGE_RADIUS)
        .attr("fill", colour)
        .attr("stroke", palette::BACKGROUND)
        .num("stroke-width", 1.5)
        .leaf();
    canvas
        .out
        .tag("text")
        .num("x", centre.x)
        .num("y", centre.y + BADGE_FONT_PX * 0.36)
        .num("font-size", BADGE_FONT_PX)
        .attr("font-weight", "bold")
        .attr("fill", "#ffffff")
        .attr("text-anchor", "middle")
        .text(&label);
}

/// The width a badge for `count` takes.
pub fn badge_width(count: usize) -> f64 {
    (width(&count.to_string(), BADGE_FONT_PX) + 8.0).max(2.0 * BADGE_RADIUS)
}

/// The width of a tag such as `ACTOR`.
pub fn tag_width(text: &str) -> f64 {
    width(text, TAG_FONT_PX) * 1.08 + 10.0
}

/// A small filled tag with white capitals, its top-left corner at `at`.
pub fn tag(canvas: &mut Canvas, at: Point, text: &str, colour: &str) {
    let w = tag_width(text);
    let r = Rect { x: at.x, y: at.y, width: w, height: TAG_HEIGHT };
    canvas.include(r);
    canvas
        .out
        .tag("rect")
        .bounds(r)
        .num("rx", 3.0)
        .attr("fill", colour)
        .attr("stroke", palette::BACKGROUND)
        .num("stroke-width", 1.0)
        .leaf();
    canvas
        .out
        .tag("text")
        .num("x", r.x + w / 2.0)
        .num("y", r.y + TAG_HEIGHT / 2.0 + TAG_FONT_PX * 0.36)
        .num("font-size", TAG_FONT_PX)
        .attr("font-weight", "bold")
        .attr("letter-spacing", "0.6")
        .attr("fill", palette::TAG_TEXT)
        .attr("text-anchor", "middle")
        .text(text);
}

/// The mark where a flow passes a boundary: a small diamond.
pub fn crossing_marker(canvas: &mut Canvas, at: Point) {
    let r = MARKER_RADIUS;
    let points = [
        Point { x: at.x, y: at.y - r },
        Point { x: at.x + r, y: at.y },
        Point { x: at.x, y: at.y + r },
        Point { x: at.x - r, y: at.y },
    ];
    canvas.include(Rect { x: at.x - r, y: at.y - r, width: 2.0 * r, height: 2.0 * r });
    canvas
        .out
        .tag("polygon")
        .points("points", &points)
        .attr("fill", palette::CROSSING_MARKER_FILL)
        .attr("stroke", palette::CROSSING_FLOW)
        .num("stroke-width", 1.75)
        .leaf();
}

/// A zone's box: dashed, tinted by trust.
pub fn zone_box(canvas: &mut Canvas, r: Rect, untrusted: bool) {
    let (fill, opacity, stroke) = if untrusted {
        (palette::UNTRUSTED_ZONE_FILL, 0.85, palette::UNTRUSTED_ZONE_STROKE)
    } else {
        (palette::TRUSTED_ZONE_FILL, 0.6, palette::TRUSTED_ZONE_STROKE)
    };
    canvas.include(r);
    canvas
        .out
        .tag("rect")
        .bounds(r)
        .num("rx", 6.0)
        .attr("fill", fill)
        .num("fill-opacity", opacity)
        .attr("stroke", stroke)
        .num("stroke-width", 1.5)
        .attr("stroke-dasharray", "6 4")
        .leaf();
}
