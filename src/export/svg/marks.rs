//! The small annotation marks, drawn the same way on the diagram and in the legend.

use super::canvas::Canvas;
use super::palette;
use super::shapes;
use super::text_fit::width;
use crate::export::annotation::{self, Mark};
use crate::model::{Point, Rect, Shape};
use crate::threats::Level;

pub const BADGE_RADIUS: f64 = 8.5;
const BADGE_FONT_PX: f64 = 10.0;
pub const TAG_HEIGHT: f64 = 14.0;
const TAG_FONT_PX: f64 = 8.5;
pub const MARKER_RADIUS: f64 = 4.5;
const CHECK_RADIUS: f64 = 7.0;

/// The width a badge takes (0 when there is none).
pub fn badge_width(mark: Mark) -> f64 {
    match mark {
        Mark::Nothing => 0.0,
        Mark::Settled => 2.0 * CHECK_RADIUS,
        Mark::Open { count, .. } => 2.0 * BADGE_RADIUS + count_width(&count.to_string()),
    }
}

/// The white part of a badge, holding the count.
pub fn count_width(count: &str) -> f64 {
    (width(count, BADGE_FONT_PX) + 7.0).max(BADGE_RADIUS + 3.0)
}

/// A target's badge centred on `centre`: for open threats a white pill outlined in the risk
/// colour holding [`disc_and_count`]; a check mark when every threat is settled; nothing when
/// there are no threats.
pub fn badge(canvas: &mut Canvas, centre: Point, mark: Mark) {
    match mark {
        Mark::Nothing => {}
        Mark::Settled => check_mark(canvas, centre),
        Mark::Open { count, worst } => risk_pill(canvas, centre, worst, &count.to_string()),
    }
}

/// The badge drawn inline, its left end at `left_mid` (a flow's label box is its background).
pub fn inline_badge(canvas: &mut Canvas, left_mid: Point, mark: Mark) {
    match mark {
        Mark::Nothing => {}
        Mark::Settled => {
            check_mark(canvas, Point { x: left_mid.x + CHECK_RADIUS, y: left_mid.y });
        }
        Mark::Open { count, worst } => disc_and_count(canvas, left_mid, worst, &count.to_string()),
    }
}

/// The pill of [`badge`], also drawn in the legend (with `n` for the count).
pub fn risk_pill(canvas: &mut Canvas, centre: Point, level: Level, count: &str) {
    let w = 2.0 * BADGE_RADIUS + count_width(count);
    let r = Rect {
        x: centre.x - w / 2.0,
        y: centre.y - BADGE_RADIUS,
        width: w,
        height: 2.0 * BADGE_RADIUS,
    };
    canvas.include(Rect {
        x: r.x - 1.0,
        y: r.y - 1.0,
        width: r.width + 2.0,
        height: r.height + 2.0,
    });
    canvas
        .out
        .tag("rect")
        .bounds(r)
        .num("rx", BADGE_RADIUS)
        .attr("fill", palette::BACKGROUND)
        .attr("stroke", palette::risk_colour(level))
        .num("stroke-width", 1.5)
        .leaf();
    disc_and_count(canvas, Point { x: r.x, y: centre.y }, level, count);
}

/// A disc in the risk colour holding the risk letter, and the count after it in that colour:
/// colour and letter both say the level, so it reads without telling colours apart.
fn disc_and_count(canvas: &mut Canvas, left_mid: Point, level: Level, count: &str) {
    let colour = palette::risk_colour(level);
    // Disc and count share their colour and the texts their font: said once on the group (and
    // not even there when an enclosing group says it, see `writer::INHERITED`).
    canvas
        .out
        .tag("g")
        .attr("fill", colour)
        .num("font-size", BADGE_FONT_PX)
        .attr("font-weight", "bold")
        .attr("text-anchor", "middle")
        .open();
    let disc = Point { x: left_mid.x + BADGE_RADIUS, y: left_mid.y };
    canvas.include(Rect {
        x: left_mid.x,
        y: left_mid.y - BADGE_RADIUS,
        width: 2.0 * BADGE_RADIUS + count_width(count),
        height: 2.0 * BADGE_RADIUS,
    });
    circle(canvas, disc, BADGE_RADIUS, colour);
    let baseline = left_mid.y + BADGE_FONT_PX * 0.36;
    let letter = annotation::letter(level);
    canvas
        .out
        .tag("text")
        .num("x", disc.x)
        .num("y", baseline)
        .attr("fill", palette::TAG_TEXT)
        .text(letter);
    let count_x = left_mid.x + 2.0 * BADGE_RADIUS + count_width(count) / 2.0 - 0.5;
    canvas.out.tag("text").num("x", count_x).num("y", baseline).attr("fill", colour).text(count);
    canvas.out.close();
}

fn circle(canvas: &mut Canvas, centre: Point, r: f64, fill: &str) {
    canvas
        .out
        .tag("circle")
        .num("cx", centre.x)
        .num("cy", centre.y)
        .num("r", r)
        .attr("fill", fill)
        .leaf();
}

/// A green disc with a white tick: every threat of the target is mitigated or accepted.
pub fn check_mark(canvas: &mut Canvas, centre: Point) {
    let r = CHECK_RADIUS;
    canvas.include(Rect { x: centre.x - r, y: centre.y - r, width: 2.0 * r, height: 2.0 * r });
    circle(canvas, centre, r, palette::SETTLED);
    let tick = [
        Point { x: centre.x - 3.3, y: centre.y + 0.2 },
        Point { x: centre.x - 0.9, y: centre.y + 2.6 },
        Point { x: centre.x + 3.4, y: centre.y - 2.4 },
    ];
    canvas
        .out
        .tag("polyline")
        .points("points", &tick)
        .attr("fill", "none")
        .attr("stroke", palette::TAG_TEXT)
        .num("stroke-width", 1.8)
        .attr("stroke-linecap", "round")
        .attr("stroke-linejoin", "round")
        .leaf();
}

/// Where the tag `text` of an element drawn as `shape` in `r` goes: on the top edge like a tab
/// when it fits beside the badge, else beside the top-left corner (actors, small icons).
pub fn tag_place(shape: Shape, r: Rect, text: &str, badge: Mark) -> Rect {
    let w = tag_width(text);
    let anchor = shapes::tag_anchor(shape, r);
    let badge_room = badge_width(badge) / 2.0 + 10.0;
    let (x, y) = if anchor.x + w + badge_room <= r.x + r.width {
        (anchor.x, anchor.y - TAG_HEIGHT / 2.0)
    } else {
        (r.x - w - 4.0, r.y)
    };
    Rect { x, y, width: w, height: TAG_HEIGHT }
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

/// Width of a line crossing a boundary.
pub const CROSSING_WIDTH: f64 = 2.0;

/// Opens a group whose stroke is that of a crossing flow, for its line and its
/// [`crossing_marker`]s; close it with `canvas.out.close()`.
pub fn open_crossing_group(canvas: &mut Canvas) {
    canvas
        .out
        .tag("g")
        .attr("stroke", palette::CROSSING_FLOW)
        .num("stroke-width", CROSSING_WIDTH)
        .attr("fill", palette::CROSSING_MARKER_FILL)
        .attr("marker-end", "none")
        .open();
}

/// Opens a group for [`crossing_marker`]s inside a flow's group, whose stroke they take: their
/// fill, and no arrowhead (a diamond in a flow's group would otherwise get one), said once for
/// all of them. Close it with `canvas.out.close()`.
pub fn open_markers_group(canvas: &mut Canvas) {
    canvas
        .out
        .tag("g")
        .attr("fill", palette::CROSSING_MARKER_FILL)
        .attr("marker-end", "none")
        .open();
}

/// The mark where a flow passes a boundary: a small white diamond, outlined by the stroke of the
/// group it is drawn in, with fill and arrowhead from [`open_crossing_group`] or
/// [`open_markers_group`].
pub fn crossing_marker(canvas: &mut Canvas, at: Point) {
    let r = MARKER_RADIUS;
    let points = [
        Point { x: at.x, y: at.y - r },
        Point { x: at.x + r, y: at.y },
        Point { x: at.x, y: at.y + r },
        Point { x: at.x - r, y: at.y },
    ];
    canvas.include(crossing_marker_box(at));
    canvas.out.tag("path").closed_path(&points).leaf();
}

/// The box a crossing diamond at `at` covers.
pub fn crossing_marker_box(at: Point) -> Rect {
    let r = MARKER_RADIUS;
    Rect { x: at.x - r, y: at.y - r, width: 2.0 * r, height: 2.0 * r }
}

/// The arrowheads flows end in, defined once per picture and used with
/// `marker-end="url(#id)"`: `(id, colour, line width)`. The ids are fixed, never from the
/// diagram, and the same in every picture, so pictures pasted into one page agree.
pub const ARROWHEADS: [(&str, &str, f64); 2] = [
    ("dfd-threats-arrow", palette::FLOW, FLOW_WIDTH),
    ("dfd-threats-arrow-crossing", palette::CROSSING_FLOW, CROSSING_WIDTH),
];

/// `url(#id)` of the arrowhead of a flow that crosses a boundary or not.
pub fn arrowhead_url(crossing: bool) -> String {
    format!("url(#{})", ARROWHEADS[usize::from(crossing)].0)
}

/// Width of a flow's line when it crosses no boundary.
pub const FLOW_WIDTH: f64 = 1.25;

/// The `<defs>` of the arrowheads of [`ARROWHEADS`]: a triangle whose tip is the line's end,
/// longer and wider for thicker lines.
pub fn arrowhead_defs(out: &mut super::writer::SvgWriter) {
    out.tag("defs").open();
    for (id, colour, line) in ARROWHEADS {
        let (length, half) = (5.0 + 2.0 * line, 2.0 + 1.2 * line);
        out.tag("marker")
            .attr("id", id)
            .attr("markerUnits", "userSpaceOnUse")
            .num("markerWidth", length)
            .num("markerHeight", 2.0 * half)
            .num("refX", length)
            .num("refY", half)
            .attr("orient", "auto")
            .open();
        let triangle = [
            Point { x: 0.0, y: 0.0 },
            Point { x: length, y: half },
            Point { x: 0.0, y: 2.0 * half },
        ];
        out.tag("polygon")
            .points("points", &triangle)
            .attr("fill", colour)
            .attr("stroke", "none")
            .leaf();
        out.close();
    }
    out.close();
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
