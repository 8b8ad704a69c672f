//! One element: its shape, label, actor/entry tag, threat badge and tooltip, in one `<g>` whose
//! `id` docs can link to.

use super::canvas::{draw_fitted, draw_lines, Anchor, Canvas, TextStyle, LINE_HEIGHT};
use super::marks;
use super::palette;
use super::shapes::{self, LabelPlace, Look};
use super::text_fit::fit_lines;
use crate::analysis::ElementFacts;
use crate::export::annotation::{self, element_tooltip, Details, Mark, TargetThreats};
use crate::layout::ELEMENT_FONT_PX;
use crate::model::{Element, Point, Rect, Shape};

const SERVICE_FONT_PX: f64 = 10.0;
const MAX_LINES_BELOW: usize = 3;

/// Everything drawn for one element.
pub struct ElementView<'a> {
    pub element: &'a Element,
    pub id: &'a str,
    pub bounds: Rect,
    pub facts: Option<&'a ElementFacts>,
    pub threats: &'a TargetThreats<'a>,
    pub details: Details,
}

/// Opens the group every element of a computed layout is drawn in, which says once what their
/// labels and outlines share: the ink, size and centring of a label and the width of an outline
/// (`writer::INHERITED` leaves them out of each element). Close it with `canvas.out.close()`.
pub fn open_elements_group(canvas: &mut Canvas) {
    canvas
        .out
        .tag("g")
        .attr("fill", palette::INK)
        .num("font-size", ELEMENT_FONT_PX)
        .attr("text-anchor", "middle")
        .num("stroke-width", shapes::STROKE_WIDTH)
        .open();
}

/// Draws the element; returns the boxes it covers (shape, label, tag, badge).
pub fn draw_element(canvas: &mut Canvas, view: &ElementView<'_>) -> Vec<Rect> {
    let e = view.element;
    let r = view.bounds;
    let shape = e.visual.shape;
    canvas.out.tag("g").attr("id", view.id).open();
    let tooltip = (!canvas.out.discards())
        .then(|| element_tooltip(e, view.facts, view.threats, view.details))
        .flatten();
    if let Some(text) = tooltip {
        // The badge is inside this group, so hovering it shows this text too.
        canvas.out.tag("title").text(&text);
    }
    let look = look(e);
    shapes::outline(canvas, shape, r, &look);
    let mut covered = vec![r];
    if shape == Shape::Icon {
        draw_service_in_tile(canvas, e, r);
    }
    covered.extend(draw_label(canvas, e, shape, r, &look));
    covered.extend(draw_tags(canvas, view, shape, r));
    let badge = shapes::badge_anchor(shape, r);
    covered.extend(draw_badge(canvas, view.threats.mark(), badge));
    canvas.out.close();
    covered
}

fn look(e: &Element) -> Look {
    let (fill, stroke) = palette::element_colours(e.kind);
    let user_fill = palette::user_colour(e.visual.fill.as_deref());
    // A white or near-white outline (draw.io icons use one) would vanish on the white page.
    let user_stroke = palette::user_colour(e.visual.stroke.as_deref())
        .filter(|c| palette::luminance(c).is_some_and(|l| l < 0.8));
    let accent = user_fill.clone().unwrap_or_else(|| palette::ICON_BAND.to_string());
    Look {
        fill: user_fill.unwrap_or_else(|| fill.to_string()),
        stroke: user_stroke.unwrap_or_else(|| stroke.to_string()),
        accent,
    }
}

/// Draws the label; returns the box of text drawn outside the shape, if any.
fn draw_label(
    canvas: &mut Canvas,
    e: &Element,
    shape: Shape,
    r: Rect,
    look: &Look,
) -> Option<Rect> {
    let on_dark = palette::luminance(&look.fill).is_some_and(|l| l < 0.25);
    let ink = if on_dark && !matches!(shape, Shape::Icon | Shape::Actor) {
        "#ffffff"
    } else {
        palette::INK
    };
    let style =
        TextStyle { font_px: ELEMENT_FONT_PX, bold: false, fill: ink, anchor: Anchor::Middle };
    let line_px = ELEMENT_FONT_PX * LINE_HEIGHT;
    match shapes::label_place(shape, r) {
        LabelPlace::Inside(area) => {
            let max_lines = ((area.height / line_px).floor() as usize).max(1);
            let lines = fit_lines(&e.label, ELEMENT_FONT_PX, area.width, max_lines);
            let block = line_px * lines.len() as f64;
            let top = area.y + (area.height - block) / 2.0;
            draw_lines(canvas, &lines, area.x + area.width / 2.0, top, style);
            None
        }
        LabelPlace::Below { centre_x, top, max_width } => {
            let label =
                draw_fitted(canvas, &e.label, centre_x, top, max_width, MAX_LINES_BELOW, style);
            let mut covered = label;
            if let Some(tech) = e.tech().filter(|_| shape == Shape::Icon) {
                let below = label.y + label.height;
                let service = TextStyle {
                    font_px: SERVICE_FONT_PX,
                    bold: false,
                    fill: palette::FAINT_INK,
                    anchor: Anchor::Middle,
                };
                let line = draw_fitted(canvas, &tech.name, centre_x, below, max_width, 1, service);
                covered.width = covered.width.max(line.width);
                covered.x = covered.x.min(line.x);
                covered.height += line.height;
            }
            Some(covered)
        }
    }
}

/// The service's short name inside an icon tile, under the band ("Lambda", "DynamoDB").
fn draw_service_in_tile(canvas: &mut Canvas, e: &Element, r: Rect) {
    let Some(tech) = e.tech() else { return };
    let short = short_service_name(&tech.name);
    let band = shapes::icon_band(r);
    let area_h = r.height - band;
    let font = (r.width / 7.0).clamp(8.0, 11.0);
    let line_px = font * LINE_HEIGHT;
    let max_lines = ((area_h / line_px).floor() as usize).clamp(1, 3);
    let lines = fit_lines(short, font, r.width - 8.0, max_lines);
    let top = r.y + band + (area_h - line_px * lines.len() as f64) / 2.0;
    let style =
        TextStyle { font_px: font, bold: true, fill: palette::MUTED_INK, anchor: Anchor::Middle };
    draw_lines(canvas, &lines, r.x + r.width / 2.0, top, style);
}

/// A service name without its vendor, to fit a small tile.
fn short_service_name(name: &str) -> &str {
    for vendor in ["Amazon ", "AWS ", "Azure ", "Microsoft ", "Google "] {
        if let Some(rest) = name.strip_prefix(vendor) {
            return rest;
        }
    }
    name
}

fn draw_tags(canvas: &mut Canvas, view: &ElementView<'_>, shape: Shape, r: Rect) -> Option<Rect> {
    let (text, colour) = annotation::tag_of(view.facts?)?;
    let place = marks::tag_place(shape, r, text, view.threats.mark());
    marks::tag(canvas, Point { x: place.x, y: place.y }, text, colour);
    Some(place)
}

/// The badge of [`marks::badge`]; returns its box, `None` when there is no badge.
pub fn draw_badge(canvas: &mut Canvas, mark: Mark, centre: Point) -> Option<Rect> {
    if mark == Mark::Nothing {
        return None;
    }
    marks::badge(canvas, centre, mark);
    let w = marks::badge_width(mark);
    Some(Rect {
        x: centre.x - w / 2.0,
        y: centre.y - marks::BADGE_RADIUS,
        width: w,
        height: 2.0 * marks::BADGE_RADIUS,
    })
}
