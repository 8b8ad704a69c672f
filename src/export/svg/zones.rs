//! Trust boundaries: dashed boxes (or dashed lines, for boundaries drawn as lines), tinted by
//! trust, labelled top-left with their trust level.

use super::canvas::{draw_fitted, Anchor, Canvas, TextStyle};
use super::palette;
use super::text_fit::width;
use crate::export::annotation::{one_line, Details};
use crate::layout::LABEL_FONT_PX;
use crate::model::{Boundary, Point, Rect};

/// Everything drawn for one boundary.
pub struct ZoneView<'a> {
    pub boundary: &'a Boundary,
    pub id: &'a str,
    pub area: Option<Rect>,
    pub untrusted: bool,
    /// `untrusted`, `trust 2`...
    pub trust: String,
    /// Why it has that trust, for the tooltip.
    pub reason: &'a str,
    pub details: Details,
}

impl ZoneView<'_> {
    /// The zone's tooltip: its name and trust and why; `full` adds its id and what it was
    /// inferred from. `None` with [`Details::None`].
    pub fn tooltip(&self) -> Option<String> {
        let b = self.boundary;
        let name = one_line(&b.label);
        match self.details {
            Details::None => None,
            Details::Summary => {
                Some(format!("{name}\ntrust boundary, {}: {}", self.trust, self.reason))
            }
            Details::Full => Some(format!(
                "{name}\ntrust boundary ({}), {}: {}\ninferred from {}",
                b.id, self.trust, self.reason, b.inferred_from
            )),
        }
    }
}

/// Draws the zone; returns the box of its label, which flow labels should avoid.
pub fn draw_zone(canvas: &mut Canvas, view: &ZoneView<'_>) -> Option<Rect> {
    let b = view.boundary;
    let line = b.line.as_deref().filter(|l| l.len() >= 2);
    if view.area.is_none() && line.is_none() {
        return None;
    }
    canvas.out.tag("g").attr("id", view.id).open();
    if let Some(text) = view.tooltip() {
        canvas.out.tag("title").text(&text);
    }
    let label_colour = if view.untrusted { palette::UNTRUSTED_LABEL } else { palette::MUTED_INK };
    if let Some(area) = view.area {
        super::marks::zone_box(canvas, area, view.untrusted);
        let max_width = (area.width - 16.0).max(40.0);
        let label = draw_label(
            canvas,
            view,
            Point { x: area.x + 8.0, y: area.y + 5.0 },
            max_width,
            label_colour,
        );
        canvas.out.close();
        return Some(label);
    }
    let mut label = None;
    if let Some(line) = line {
        for p in line {
            canvas.include_point(*p);
        }
        let stroke = if view.untrusted {
            palette::UNTRUSTED_ZONE_STROKE
        } else {
            palette::TRUSTED_ZONE_STROKE
        };
        canvas
            .out
            .tag("polyline")
            .points("points", line)
            .attr("fill", "none")
            .attr("stroke", stroke)
            .num("stroke-width", 2.0)
            .attr("stroke-dasharray", "8 5")
            .leaf();
        let start = line[0];
        label = Some(draw_label(
            canvas,
            view,
            Point { x: start.x + 4.0, y: start.y + 4.0 },
            200.0,
            label_colour,
        ));
    }
    canvas.out.close();
    label
}

const TRUST_GAP: f64 = 6.0;

/// `Label  trust`, on one line, the trust in lighter type.
fn draw_label(
    canvas: &mut Canvas,
    view: &ZoneView<'_>,
    at: Point,
    max_width: f64,
    colour: &str,
) -> Rect {
    let trust = view.trust.as_str();
    let trust_width = width(trust, LABEL_FONT_PX - 1.0) + TRUST_GAP;
    let name_width = (max_width - trust_width).max(30.0);
    let style =
        TextStyle { font_px: LABEL_FONT_PX, bold: true, fill: colour, anchor: Anchor::Start };
    let name = draw_fitted(canvas, &view.boundary.label, at.x, at.y, name_width, 1, style);
    let trust_style = TextStyle {
        font_px: LABEL_FONT_PX - 1.0,
        bold: false,
        fill: if view.untrusted { palette::UNTRUSTED_LABEL } else { palette::FAINT_INK },
        anchor: Anchor::Start,
    };
    // Bold text runs wider than the width table: leave it some room.
    let name_right = name.x + name.width * 1.08;
    let trust =
        draw_fitted(canvas, trust, name_right + TRUST_GAP, at.y + 1.0, trust_width, 1, trust_style);
    Rect { width: trust.x + trust.width - name.x, ..name }
}
