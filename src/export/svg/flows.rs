//! Flows in two passes: lines first (under the elements), labels and badges last (over
//! everything), so no line or box ever hides a label.

use super::canvas::{draw_lines, Anchor, Canvas, TextStyle, LINE_HEIGHT};
use super::crossing_points::arrowhead;
use super::elements::{draw_badge, one_line};
use super::marks;
use super::palette;
use super::text_fit::fit_lines;
use super::threat_summary::TargetThreats;
use crate::layout::LABEL_FONT_PX;
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
    let (colour, width) = if view.crossing.is_some() {
        (palette::CROSSING_FLOW, 2.0)
    } else {
        (palette::FLOW, 1.25)
    };
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

pub fn draw_flow_label(canvas: &mut Canvas, view: &FlowView<'_>) {
    let Some(at) = view.label_at else { return };
    canvas.out.tag("g").open();
    canvas.out.tag("title").text(&tooltip(view));
    let lines = fit_lines(&view.flow.label, LABEL_FONT_PX, LABEL_MAX_WIDTH, LABEL_MAX_LINES);
    let has_text = lines.iter().any(|l| !l.is_empty());
    let badge_w = marks::badge_width(view.threats.threats.len());
    let badge_centre = if has_text {
        let line_px = LABEL_FONT_PX * LINE_HEIGHT;
        let widest = lines.iter().map(|l| super::text_fit::width(l, LABEL_FONT_PX)).fold(0.0, f64::max);
        let block = Rect {
            x: at.x - widest / 2.0 - LABEL_PADDING,
            y: at.y - line_px * lines.len() as f64 / 2.0 - LABEL_PADDING / 2.0,
            width: widest + 2.0 * LABEL_PADDING,
            height: line_px * lines.len() as f64 + LABEL_PADDING,
        };
        canvas.include(block);
        canvas
            .out
            .tag("rect")
            .num("x", block.x)
            .num("y", block.y)
            .num("width", block.width)
            .num("height", block.height)
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
        Point { x: block.x + block.width + badge_w / 2.0 + 1.0, y: at.y }
    } else {
        at
    };
    canvas.out.close();
    draw_badge(canvas, view.threats, badge_centre);
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
