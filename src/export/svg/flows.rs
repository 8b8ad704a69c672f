//! Flows in two passes: lines first (under the elements), labels and badges last (over
//! everything), so no line or box ever hides a label.

use super::canvas::{draw_lines_said, Anchor, Canvas, Said, TextStyle, LINE_HEIGHT};
use super::marks;
use super::occupancy::Occupancy;
use super::palette;
use super::text_fit::{fit_lines, width};
use super::writer::Tag;
use crate::export::annotation::{flow_tooltip, Details, Mark, TargetThreats};
use crate::layout::{point_along, LABEL_FONT_PX, LABEL_WRAP};
use crate::model::{Flow, Point, Rect};

const LABEL_MAX_LINES: usize = 4;
const LABEL_PADDING: f64 = 3.0;

/// Everything drawn for one flow.
pub struct FlowView<'a> {
    pub flow: &'a Flow,
    pub id: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub path: &'a [Point],
    pub label_at: Option<Point>,
    /// Names of the boundaries crossed and the direction, when it crosses any.
    pub crossing: Option<String>,
    /// Where the path passes a crossed boundary's edge.
    pub markers: Vec<Point>,
    pub threats: &'a TargetThreats<'a>,
    pub details: Details,
}

/// Opens the group every flow line is drawn in: what all lines share is said once, not 3,000
/// times on a big diagram. Close it with `canvas.out.close()`.
pub fn open_lines_group(canvas: &mut Canvas) {
    canvas
        .out
        .tag("g")
        .attr("fill", "none")
        .attr("stroke", palette::FLOW)
        .num("stroke-width", marks::FLOW_WIDTH)
        .attr("stroke-linejoin", "round")
        .attr("stroke-linecap", "round")
        .attr("marker-end", &marks::arrowhead_url(false))
        .open();
}

/// Opens the group, inside [`open_lines_group`]'s, of the lines that cross a boundary: their
/// colour, width and arrowhead said once. Close it with `canvas.out.close()`.
pub fn open_crossing_lines_group(canvas: &mut Canvas) {
    canvas
        .out
        .tag("g")
        .attr("stroke", palette::CROSSING_FLOW)
        .num("stroke-width", marks::CROSSING_WIDTH)
        .attr("marker-end", &marks::arrowhead_url(true))
        .open();
}

/// The flow's line, arrowhead and crossing marks, in a group with its id (and tooltip), or the
/// line alone with the id when there is nothing else. Its look,
/// arrowhead included, comes from [`open_lines_group`], and for a flow that crosses a boundary
/// from [`open_crossing_lines_group`] (its own group says it again only when drawn alone, as
/// `writer::INHERITED` leaves out what an enclosing group says).
pub fn draw_flow_line(canvas: &mut Canvas, view: &FlowView<'_>) {
    // A summary is said once: on the label when there is one (where people hover), else here.
    // Tooltips are made only when they are written (not said on the label, not measuring); the
    // measuring pass may then draw a lone path where the written one has a group: same bounds.
    let said_on_label = view.details == Details::Summary && has_label_group(view);
    let title = (!said_on_label && !canvas.out.discards()).then(|| tooltip(view)).flatten();
    let drawn = view.path.len() >= 2;
    for p in view.path.iter().filter(|_| drawn) {
        canvas.include_point(*p);
    }
    // A line with nothing to go with it carries the id itself: no group around one path.
    if title.is_none() && view.markers.is_empty() && drawn {
        let line = canvas.out.tag("path").attr("id", view.id);
        crossing_look(line, view).line_path(view.path).leaf();
        return;
    }
    crossing_look(canvas.out.tag("g").attr("id", view.id), view).open();
    if let Some(text) = title {
        canvas.out.tag("title").text(&text);
    }
    if drawn {
        canvas.out.tag("path").line_path(view.path).leaf();
    }
    if !view.markers.is_empty() {
        marks::open_markers_group(canvas);
        for at in &view.markers {
            marks::crossing_marker(canvas, *at);
        }
        canvas.out.close();
    }
    canvas.out.close();
}

/// The colour, width and arrowhead of a line that crosses a boundary, on its group or path.
fn crossing_look<'w, 'a>(tag: Tag<'w, 'a>, view: &FlowView<'_>) -> Tag<'w, 'a> {
    if view.crossing.is_none() {
        return tag;
    }
    tag.attr("stroke", palette::CROSSING_FLOW)
        .num("stroke-width", marks::CROSSING_WIDTH)
        .attr("marker-end", &marks::arrowhead_url(true))
}

/// Draws the label (and badge) where the user or the layout put it when nothing is there, else at
/// the freest of a few points along the flow (a label hidden under another is no use to anyone);
/// records what it covers in `occupied`.
pub fn draw_flow_label(canvas: &mut Canvas, view: &FlowView<'_>, occupied: &mut Occupancy) {
    let Some(preferred) = view.label_at else { return };
    let lines = label_lines(view);
    let has_text = lines.iter().any(|l| !l.is_empty());
    let line_px = LABEL_FONT_PX * LINE_HEIGHT;
    let widest = lines.iter().map(|l| width(l, LABEL_FONT_PX)).fold(0.0, f64::max);
    let mark = view.threats.mark();
    let badge_w = marks::badge_width(mark);
    if !has_label_group(view) {
        return;
    }
    // One box holds the label and the badge after it, centred on the label point.
    let text_w = if has_text { widest + 2.0 * LABEL_PADDING } else { 0.0 };
    let badge_room = if badge_w > 0.0 { badge_w + LABEL_PADDING } else { 0.0 };
    let text_h = if has_text { line_px * lines.len() as f64 + LABEL_PADDING } else { 0.0 };
    let (box_w, box_h) = (text_w + badge_room, text_h.max(2.0 * marks::BADGE_RADIUS + 2.0));
    let footprint = |at: Point| Rect {
        x: at.x - box_w / 2.0,
        y: at.y - box_h / 2.0,
        width: box_w,
        height: box_h,
    };
    let at = choose_spot(view.path, preferred, |p| occupied.overlap(&footprint(p)));
    let block = footprint(at);
    occupied.add(block);
    canvas.include(block);
    // Label and badge in one group with one tooltip.
    canvas.out.tag("g").open();
    if let Some(text) = (!canvas.out.discards()).then(|| tooltip(view)).flatten() {
        canvas.out.tag("title").text(&text);
    }
    // Its white fill comes from the group of [`open_labels_group`].
    canvas.out.tag("rect").bounds(block).num("rx", 3.0).leaf();
    if has_text {
        // Font and anchor come from the group too; the colour is the text's own.
        let top = at.y - text_h / 2.0 + LABEL_PADDING / 2.0;
        let x = block.x + text_w / 2.0;
        draw_lines_said(canvas, &lines, x, top, LABEL_STYLE, Said::ByGroup);
    }
    let badge_left = Point { x: block.x + text_w + LABEL_PADDING / 2.0, y: at.y };
    marks::inline_badge(canvas, badge_left, mark);
    canvas.out.close();
}

const LABEL_STYLE: TextStyle<'static> = TextStyle {
    font_px: LABEL_FONT_PX,
    bold: false,
    fill: palette::MUTED_INK,
    anchor: Anchor::Middle,
};

/// Opens the group flow labels are drawn in, which says the white of their boxes and their font
/// size and anchor once; close it with `canvas.out.close()`.
pub fn open_labels_group(canvas: &mut Canvas) {
    canvas
        .out
        .tag("g")
        .attr("fill", palette::BACKGROUND)
        .num("font-size", LABEL_STYLE.font_px)
        .attr("text-anchor", "middle")
        .open();
}

fn label_lines(view: &FlowView<'_>) -> Vec<String> {
    fit_lines(&view.flow.label, LABEL_FONT_PX, LABEL_WRAP, LABEL_MAX_LINES)
}

/// Whether [`draw_flow_label`] draws anything for this flow: a label or a badge.
fn has_label_group(view: &FlowView<'_>) -> bool {
    view.label_at.is_some()
        && (view.threats.mark() != Mark::Nothing || label_lines(view).iter().any(|l| !l.is_empty()))
}

/// Fractions of the flow's length tried, nearest the middle first.
const SPOTS: [f64; 9] = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85];

/// The layout's point if nothing is there, else the spot along the path with the least overlap
/// (ties go to the earlier, more central spot, so the choice is deterministic).
fn choose_spot(path: &[Point], preferred: Point, overlap: impl Fn(Point) -> f64) -> Point {
    let mut best = (overlap(preferred), preferred);
    if best.0 <= 0.0 {
        return preferred;
    }
    for fraction in SPOTS {
        let Some(p) = point_along(path, fraction) else { break };
        let cost = overlap(p);
        if cost < best.0 {
            best = (cost, p);
            if cost <= 0.0 {
                break;
            }
        }
    }
    best.1
}

fn tooltip(view: &FlowView<'_>) -> Option<String> {
    flow_tooltip(
        view.flow,
        view.from,
        view.to,
        view.crossing.as_deref(),
        view.threats,
        view.details,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn points_along_a_path_are_by_length() {
        let path = [p(0.0, 0.0), p(10.0, 0.0), p(10.0, 10.0)];
        assert_eq!(point_along(&path, 0.5), Some(p(10.0, 0.0)));
        assert_eq!(point_along(&path, 0.75), Some(p(10.0, 5.0)));
        assert_eq!(point_along(&[p(1.0, 1.0)], 0.5), None);
    }

    #[test]
    fn a_free_preferred_spot_is_kept_and_a_busy_one_moves() {
        let path = [p(0.0, 0.0), p(100.0, 0.0)];
        assert_eq!(choose_spot(&path, p(50.0, 0.0), |_| 0.0), p(50.0, 0.0));
        let moved = choose_spot(&path, p(50.0, 0.0), |q| if q.x == 50.0 { 1.0 } else { 0.0 });
        assert_eq!(moved, p(40.0, 0.0));
    }
}
