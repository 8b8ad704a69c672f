//! Flows in two passes: lines first (under the elements), labels and badges last (over
//! everything), so no line or box ever hides a label.

use super::canvas::{draw_lines, Anchor, Canvas, TextStyle, LINE_HEIGHT};
use super::crossing_points::arrowhead;
use super::elements::{draw_badge, one_line};
use super::marks;
use super::occupancy::Occupancy;
use super::palette;
use super::text_fit::{fit_lines, width};
use super::threat_summary::TargetThreats;
use crate::layout::{point_along, LABEL_FONT_PX};
use crate::model::{Flow, Point, Rect};

const LABEL_MAX_WIDTH: f64 = 150.0;
const LABEL_MAX_LINES: usize = 3;
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
}

pub fn draw_flow_line(canvas: &mut Canvas, view: &FlowView<'_>) {
    canvas.out.tag("g").attr("id", view.id).open();
    canvas.out.tag("title").text(&tooltip(view));
    let (colour, width) =
        if view.crossing.is_some() { (palette::CROSSING_FLOW, 2.0) } else { (palette::FLOW, 1.25) };
    if view.path.len() >= 2 {
        for p in view.path {
            canvas.include_point(*p);
        }
        canvas
            .out
            .tag("polyline")
            .points("points", view.path)
            .attr("fill", "none")
            .attr("stroke", colour)
            .num("stroke-width", width)
            .attr("stroke-linejoin", "round")
            .attr("stroke-linecap", "round")
            .leaf();
        if let Some(head) = arrowhead(view.path, 5.0 + 2.0 * width, 2.0 + 1.2 * width) {
            canvas.out.tag("polygon").points("points", &head).attr("fill", colour).leaf();
        }
    }
    for at in &view.markers {
        marks::crossing_marker(canvas, *at);
    }
    canvas.out.close();
}

/// Draws the label (and badge) where the user or the layout put it when nothing is there, else at
/// the freest of a few points along the flow (a label hidden under another is no use to anyone);
/// records what it covers in `occupied`.
pub fn draw_flow_label(canvas: &mut Canvas, view: &FlowView<'_>, occupied: &mut Occupancy) {
    let Some(preferred) = view.label_at else { return };
    let lines = fit_lines(&view.flow.label, LABEL_FONT_PX, LABEL_MAX_WIDTH, LABEL_MAX_LINES);
    let has_text = lines.iter().any(|l| !l.is_empty());
    let line_px = LABEL_FONT_PX * LINE_HEIGHT;
    let widest = lines.iter().map(|l| width(l, LABEL_FONT_PX)).fold(0.0, f64::max);
    let badge_w = marks::badge_width(view.threats.threats.len());
    let (block_w, block_h) = if has_text {
        (widest + 2.0 * LABEL_PADDING, line_px * lines.len() as f64 + LABEL_PADDING)
    } else {
        (0.0, 0.0)
    };
    // The label box and the badge after it, centred on the label point.
    let footprint = |at: Point| {
        let half_h = (block_h / 2.0).max(marks::BADGE_RADIUS);
        Rect {
            x: at.x - block_w / 2.0,
            y: at.y - half_h,
            width: block_w + badge_w + 1.0,
            height: 2.0 * half_h,
        }
    };
    let at = choose_spot(view.path, preferred, |p| occupied.overlap(&footprint(p)));
    occupied.add(footprint(at));
    let badge_centre = if has_text {
        let block = Rect {
            x: at.x - block_w / 2.0,
            y: at.y - block_h / 2.0,
            width: block_w,
            height: block_h,
        };
        canvas.out.tag("g").open();
        canvas.out.tag("title").text(&tooltip(view));
        canvas.include(block);
        canvas
            .out
            .tag("rect")
            .bounds(block)
            .num("rx", 3.0)
            .attr("fill", palette::BACKGROUND)
            .num("fill-opacity", 0.9)
            .leaf();
        let style = TextStyle {
            font_px: LABEL_FONT_PX,
            bold: false,
            fill: palette::MUTED_INK,
            anchor: Anchor::Middle,
        };
        draw_lines(canvas, &lines, at.x, block.y + LABEL_PADDING / 2.0, style);
        canvas.out.close();
        Point { x: block.x + block.width + badge_w / 2.0 + 1.0, y: at.y }
    } else {
        at
    };
    draw_badge(canvas, view.threats, badge_centre);
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

fn tooltip(view: &FlowView<'_>) -> String {
    let label = one_line(&view.flow.label);
    let mut text = if label.is_empty() {
        format!("Flow {}", view.flow.id)
    } else {
        format!("{label}\nflow {}", view.flow.id)
    };
    text.push_str(&format!("\nfrom {} to {}", one_line(view.from), one_line(view.to)));
    if let Some(crossing) = &view.crossing {
        text.push_str(&format!("\nCrosses {crossing}"));
    }
    text.push('\n');
    text.push_str(&view.threats.describe());
    text
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
