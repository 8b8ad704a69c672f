//! The page as its author drew it ([`Drawing`]): each shape, line and text in its own colours,
//! in the page's order, each in a group carrying the source's id as `data-cell`.
//!
//! Colours reach the output only as `#rrggbb` (checked again here, whatever the reader did),
//! numbers through the writer's fixed precision, text through its escaping.

use super::canvas::Canvas;
use super::figures::{self, arrowhead};
use super::palette;
use super::text_fit::fit_lines;
use super::writer::{number, Tag};
use crate::layout::text_size;
use crate::model::drawing::{Align, Figure, Head, Item, Line, LineStyle, Outline, Paint, Text};
use crate::model::{Point, Rect};

/// Lines of text drawn for one label at most: a label is already cut to the length limit, and
/// this keeps a narrow wrapped box from turning it into a tall column.
pub(super) const MAX_LINES: usize = 40;
pub(super) const LINE_HEIGHT: f64 = 1.2;
pub(super) const BASELINE: f64 = 0.85;

/// What the analysis adds to an item's group: an `id` docs link to, and a tooltip.
#[derive(Default)]
pub struct Wrapper<'a> {
    pub id: Option<&'a str>,
    pub title: Option<String>,
}

/// Draws one item in its group; returns the box of its text, if any.
pub fn draw_item(canvas: &mut Canvas, item: &Item, wrapper: Wrapper<'_>) -> Option<Rect> {
    let mut group = canvas.out.tag("g");
    if let Some(id) = wrapper.id {
        group = group.attr("id", id);
    }
    group = group.attr("data-cell", &item.id);
    if item.paint.opacity < 1.0 {
        group = group.num_fine("opacity", item.paint.opacity);
    }
    group.open();
    if let Some(title) = &wrapper.title {
        canvas.out.tag("title").text(title);
    }
    let text = if item.rotation == 0.0 {
        draw_figure_and_text(canvas, item)
    } else {
        draw_turned(canvas, item)
    };
    canvas.out.close();
    text
}

fn draw_figure_and_text(canvas: &mut Canvas, item: &Item) -> Option<Rect> {
    match &item.figure {
        Figure::Shape { bounds, outline } => {
            canvas.include(*bounds);
            draw_outline(canvas, *bounds, outline, &item.paint);
        }
        Figure::Line(line) => draw_line(canvas, line, &item.paint),
    }
    item.text.as_ref().map(|t| draw_text(canvas, t))
}

/// An item turned by its `rotation` about its shape's centre, as draw.io turns a rotated cell
/// with its label. The page's extent and the text's box are the turned boxes' bounds.
fn draw_turned(canvas: &mut Canvas, item: &Item) -> Option<Rect> {
    let centre = match &item.figure {
        Figure::Shape { bounds, .. } => bounds.center(),
        Figure::Line(line) => bounds_of(&line.points)?.center(),
    };
    let turn =
        format!("rotate({} {} {})", number(item.rotation), number(centre.x), number(centre.y));
    canvas.out.tag("g").attr("transform", &turn).open();
    let before = canvas.extent();
    canvas.set_extent(None);
    let text = draw_figure_and_text(canvas, item);
    let drawn = canvas.extent();
    canvas.set_extent(before);
    canvas.out.close();
    if let Some(drawn) = drawn {
        canvas.include(turned_bounds(drawn, centre, item.rotation));
    }
    text.map(|t| turned_bounds(t, centre, item.rotation))
}

/// The smallest upright box holding `r` turned `degrees` clockwise about `centre`.
fn turned_bounds(r: Rect, centre: Point, degrees: f64) -> Rect {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (right, bottom) = (r.x + r.width, r.y + r.height);
    let corners = [(r.x, r.y), (right, r.y), (r.x, bottom), (right, bottom)];
    let turned: Vec<Point> = corners
        .iter()
        .map(|&(x, y)| {
            let (dx, dy) = (x - centre.x, y - centre.y);
            Point { x: centre.x + dx * cos - dy * sin, y: centre.y + dx * sin + dy * cos }
        })
        .collect();
    bounds_of(&turned).unwrap_or(r)
}

/// The box around `points`, `None` for none.
fn bounds_of(points: &[Point]) -> Option<Rect> {
    let first = points.first()?;
    let (mut lo, mut hi) = (*first, *first);
    for p in points {
        lo = Point { x: lo.x.min(p.x), y: lo.y.min(p.y) };
        hi = Point { x: hi.x.max(p.x), y: hi.y.max(p.y) };
    }
    Some(Rect { x: lo.x, y: lo.y, width: hi.x - lo.x, height: hi.y - lo.y })
}

fn colour(value: Option<&String>) -> String {
    palette::user_colour(value.map(String::as_str)).unwrap_or_else(|| "none".to_string())
}

/// Fill, stroke, width, dashes and opacities of `paint`.
fn painted<'w, 'a>(tag: Tag<'w, 'a>, paint: &Paint, fill: Option<&String>) -> Tag<'w, 'a> {
    let mut tag = tag.attr("fill", &colour(fill)).attr("stroke", &colour(paint.stroke.as_ref()));
    if paint.stroke.is_some() && paint.stroke_width != 1.0 {
        tag = tag.num("stroke-width", paint.stroke_width);
    }
    if paint.stroke.is_some() && !paint.dashes.is_empty() {
        let w = paint.stroke_width.max(1.0);
        let dashes: Vec<String> = paint.dashes.iter().map(|d| number(d * w)).collect();
        tag = tag.attr("stroke-dasharray", &dashes.join(" "));
    }
    if fill.is_some() && paint.fill_opacity < 1.0 {
        tag = tag.num_fine("fill-opacity", paint.fill_opacity);
    }
    if paint.stroke.is_some() && paint.stroke_opacity < 1.0 {
        tag = tag.num_fine("stroke-opacity", paint.stroke_opacity);
    }
    tag
}

fn path(canvas: &mut Canvas, d: &str, paint: &Paint, fill: Option<&String>) {
    if d.is_empty() {
        return;
    }
    painted(canvas.out.tag("path").attr("d", d), paint, fill).leaf();
}

fn rect(canvas: &mut Canvas, r: Rect, radius: f64, paint: &Paint, fill: Option<&String>) {
    let mut tag = canvas.out.tag("rect").bounds(r);
    if radius > 0.0 {
        tag = tag.num("rx", radius);
    }
    painted(tag, paint, fill).leaf();
}

fn ellipse(canvas: &mut Canvas, r: Rect, paint: &Paint, fill: Option<&String>) {
    let c = r.center();
    let tag = canvas.out.tag("ellipse").num("cx", c.x).num("cy", c.y);
    painted(tag.num("rx", r.width / 2.0).num("ry", r.height / 2.0), paint, fill).leaf();
}

fn draw_outline(canvas: &mut Canvas, r: Rect, outline: &Outline, paint: &Paint) {
    let fill = paint.fill.as_ref();
    match outline {
        Outline::Nothing => {}
        Outline::Rectangle { radius } => rect(canvas, r, *radius, paint, fill),
        Outline::Ellipse => ellipse(canvas, r, paint, fill),
        Outline::DoubleEllipse => {
            ellipse(canvas, r, paint, fill);
            inner_ring(canvas, r, 4.0 + paint.stroke_width, paint);
        }
        Outline::Bpmn { gateway, double, mark } => {
            if *gateway {
                path(canvas, &figures::rhombus(r), paint, fill);
            } else {
                ellipse(canvas, r, paint, fill);
            }
            if *double {
                inner_ring(canvas, r, 3.0, paint);
            }
            let (d, width) = figures::bpmn_mark(r, *mark);
            let pen = Paint { stroke_width: width, dashes: Vec::new(), ..paint.clone() };
            path(canvas, &d, &pen, None);
        }
        Outline::Cylinder { cap } => {
            path(canvas, &figures::cylinder(r, *cap), paint, fill);
            ellipse(canvas, Rect { height: *cap, ..r }, paint, fill);
        }
        Outline::Document => path(canvas, &figures::document(r), paint, fill),
        Outline::Note { fold } => {
            let (sheet, crease) = figures::note(r, *fold);
            path(canvas, &sheet, paint, fill);
            path(canvas, &crease, paint, None);
        }
        Outline::Cloud => path(canvas, &figures::cloud(r), paint, fill),
        Outline::Bust => path(canvas, &figures::bust(r), paint, fill),
        Outline::StickFigure => {
            let head = Rect {
                x: r.x + r.width / 4.0,
                y: r.y,
                width: r.width / 2.0,
                height: r.height / 4.0,
            };
            ellipse(canvas, head, paint, fill);
            path(canvas, &figures::stick_limbs(r), paint, None);
        }
        Outline::Hexagon => path(canvas, &figures::hexagon(r), paint, fill),
        Outline::Rhombus => path(canvas, &figures::rhombus(r), paint, fill),
        Outline::Process => {
            rect(canvas, r, 0.0, paint, fill);
            path(canvas, &figures::process_bars(r), paint, None);
        }
        Outline::Cube { depth, towards } => {
            let (body, edges) = figures::cube(r, *depth, *towards);
            path(canvas, &body, paint, fill);
            path(canvas, &edges, paint, None);
        }
        Outline::Envelope => {
            rect(canvas, r, 0.0, paint, fill);
            path(canvas, &figures::envelope_flap(r), paint, None);
        }
        Outline::Plus => {
            rect(canvas, r, 0.0, paint, fill);
            path(canvas, &figures::plus(r), paint, None);
        }
        Outline::Component { tab, tab_height } => {
            let (body, tabs) = figures::component(r, *tab, *tab_height);
            rect(canvas, body, 0.0, paint, fill);
            for t in tabs {
                rect(canvas, t, 0.0, paint, fill);
            }
        }
        Outline::Swimlane { header, horizontal, body_fill } => {
            rect(canvas, r, 0.0, paint, body_fill.as_ref());
            let head = if *horizontal {
                Rect { height: *header, ..r }
            } else {
                Rect { width: *header, ..r }
            };
            rect(canvas, head, 0.0, paint, fill);
        }
        Outline::Triangle { towards } => path(canvas, &figures::triangle(r, *towards), paint, fill),
        Outline::Gate { xor, towards } => {
            path(canvas, &figures::gate(r, *xor, *towards), paint, fill);
        }
        Outline::Lifeline { header } => {
            rect(canvas, Rect { height: *header, ..r }, 0.0, paint, fill);
            let dashed = Paint { dashes: vec![3.0, 3.0], ..paint.clone() };
            path(canvas, &figures::lifeline(r, *header), &dashed, None);
        }
        Outline::Sides { top, right, bottom, left } => {
            let unstroked = Paint { stroke: None, ..paint.clone() };
            rect(canvas, r, 0.0, &unstroked, fill);
            path(canvas, &figures::sides(r, [*top, *right, *bottom, *left]), paint, None);
        }
        Outline::Tile { name } => tile(canvas, r, name, paint),
        Outline::Picture { mime, base64 } => {
            let href = format!("data:{mime};base64,{base64}");
            canvas.out.tag("image").bounds(r).attr("href", &href).leaf();
            if paint.stroke.is_some() {
                rect(canvas, r, 0.0, paint, None);
            }
        }
        Outline::Framed { icon, icon_colour } => {
            rect(canvas, r, 0.0, paint, fill);
            if icon_colour.is_some() {
                let square = Rect { width: *icon, height: *icon, ..r };
                let solid = Paint { stroke: None, ..Paint::default() };
                rect(canvas, square, 0.0, &solid, icon_colour.as_ref());
            }
        }
    }
}

/// A second ring `inset` inside an ellipse drawn in `r` (a double ellipse, an intermediate
/// BPMN event).
fn inner_ring(canvas: &mut Canvas, r: Rect, inset: f64, paint: &Paint) {
    let inset = inset.min(r.width / 4.0).min(r.height / 4.0);
    let inner = Rect {
        x: r.x + inset,
        y: r.y + inset,
        width: r.width - 2.0 * inset,
        height: r.height - 2.0 * inset,
    };
    ellipse(canvas, inner, paint, None);
}

/// A vendor icon: a rounded tile in the icon's colour with the service's name on it.
fn tile(canvas: &mut Canvas, r: Rect, name: &str, paint: &Paint) {
    let radius = (r.width.min(r.height) * 0.1).min(6.0);
    rect(canvas, r, radius, &Paint { stroke: None, ..paint.clone() }, paint.fill.as_ref());
    let fill = colour(paint.fill.as_ref());
    let dark = palette::luminance(&fill).is_none_or(|l| l < 0.45);
    // Smaller type before a name is broken inside a word (draw.io never breaks inside one).
    let inner = (r.width - 4.0).max(0.0);
    let widest_word_per_px =
        name.split_whitespace().map(|w| text_size(w, 1.0).0).fold(0.0, f64::max);
    let mut font = (r.width.min(r.height) / 5.0).clamp(6.0, 12.0);
    if widest_word_per_px > 0.0 {
        font = font.min(inner / widest_word_per_px).max(6.0);
    }
    let lines = ((r.height - 4.0) / (font * LINE_HEIGHT)).floor().clamp(1.0, 3.0) as usize;
    let text = Text {
        content: name.to_string(),
        area: Rect {
            x: r.x + 2.0,
            y: r.y + 2.0,
            width: (r.width - 4.0).max(0.0),
            height: (r.height - 4.0).max(0.0),
        },
        align: Align::Middle,
        valign: Align::Middle,
        font_px: font,
        colour: if dark { "#ffffff" } else { palette::INK }.to_string(),
        bold: true,
        italic: false,
        underline: false,
        wrap: true,
        upright: false,
        background: None,
        line_styles: Vec::new(),
        rich: Vec::new(),
    };
    draw_text_lines(canvas, &text, fit_lines(name, font, text.area.width, lines));
}

fn draw_line(canvas: &mut Canvas, line: &Line, paint: &Paint) {
    let mut points = line.points.clone();
    for p in &points {
        canvas.include_point(*p);
    }
    let n = points.len();
    if n < 2 {
        return;
    }
    let mut heads = Vec::new();
    for (arrow, tip_at, from_at) in [(&line.end, n - 1, n - 2), (&line.start, 0, 1)] {
        if let Some((d, inset)) =
            arrowhead(arrow, points[from_at], points[tip_at], paint.stroke_width)
        {
            let (tip, from) = (points[tip_at], points[from_at]);
            let length = (from.x - tip.x).hypot(from.y - tip.y);
            if length > 0.0 {
                let t = inset / length;
                points[tip_at] =
                    Point { x: tip.x + (from.x - tip.x) * t, y: tip.y + (from.y - tip.y) * t };
            }
            // An open head is two strokes, never a filled or whitened triangle.
            let fill = match (arrow.head, arrow.filled) {
                (Head::Open, _) => HeadFill::Nothing,
                (_, true) => HeadFill::Stroke,
                (_, false) => HeadFill::White,
            };
            heads.push((d, fill));
        }
    }
    let d = figures::line(&points, line.curved, line.rounded);
    path(canvas, &d, paint, None);
    // Heads are solid, in the line's colour (or hollow on white).
    let solid = Paint { dashes: Vec::new(), ..paint.clone() };
    let white = palette::BACKGROUND.to_string();
    for (d, how) in heads {
        let fill = match how {
            HeadFill::Stroke => paint.stroke.as_ref(),
            HeadFill::White => Some(&white),
            HeadFill::Nothing => None,
        };
        path(canvas, &d, &solid, fill);
    }
}

/// What an arrowhead is filled with.
enum HeadFill {
    Stroke,
    White,
    Nothing,
}

/// Draws a label; returns the box its lines cover. An upright label is laid out in its area
/// and turned a quarter anticlockwise about the area's centre.
fn draw_text(canvas: &mut Canvas, text: &Text) -> Rect {
    if !text.upright {
        return draw_level_text(canvas, text);
    }
    let c = text.area.center();
    let turn = format!("rotate(-90 {} {})", number(c.x), number(c.y));
    canvas.out.tag("g").attr("transform", &turn).open();
    let before = canvas.extent();
    let laid = draw_level_text(canvas, text);
    canvas.set_extent(before);
    canvas.out.close();
    // The turned box: its width runs down the page.
    let (dx, dy) = (laid.x + laid.width / 2.0 - c.x, laid.y + laid.height / 2.0 - c.y);
    let turned_center = Point { x: c.x + dy, y: c.y - dx };
    let covered = Rect {
        x: turned_center.x - laid.height / 2.0,
        y: turned_center.y - laid.width / 2.0,
        width: laid.height,
        height: laid.width,
    };
    canvas.include(covered);
    covered
}

fn draw_level_text(canvas: &mut Canvas, text: &Text) -> Rect {
    if !text.rich.is_empty() {
        return super::rich::draw_rich(canvas, text);
    }
    // draw.io never breaks inside a word: a word wider than the box runs past it.
    let widest_word = text
        .content
        .split_whitespace()
        .take(200)
        .map(|w| text_size(w, text.font_px).0)
        .fold(text.font_px, f64::max);
    // draw.io wraps a label at its box (inside the spacing) plus 2 px: a line that just fits the
    // box by draw.io's measure must not break here.
    let width = if text.wrap { (text.area.width + 2.0).max(widest_word) } else { f64::MAX };
    if text.line_styles.is_empty() {
        let lines = fit_lines(&text.content, text.font_px, width, MAX_LINES);
        return draw_text_lines(canvas, text, lines);
    }
    // Each line of the label is fitted in its own size and keeps its emphasis when wrapped.
    let mut lines = Vec::new();
    for (i, paragraph) in text.content.split('\n').enumerate() {
        let style = text.line_styles.get(i).cloned().unwrap_or_default();
        let px = style.px(text.font_px);
        let room = MAX_LINES.saturating_sub(lines.len());
        if room == 0 {
            break;
        }
        lines.extend(fit_lines(paragraph, px, width, room).into_iter().map(|l| (l, style.clone())));
    }
    draw_styled_lines(canvas, text, lines)
}

fn draw_text_lines(canvas: &mut Canvas, text: &Text, lines: Vec<String>) -> Rect {
    draw_styled_lines(canvas, text, lines.into_iter().map(|l| (l, LineStyle::default())).collect())
}

fn draw_styled_lines(canvas: &mut Canvas, text: &Text, lines: Vec<(String, LineStyle)>) -> Rect {
    let px = text.font_px;
    let line_px = px * LINE_HEIGHT;
    let px_of = |style: &LineStyle| style.px(px);
    let sized = lines.iter().any(|(_, style)| style.sized());
    let widest = lines.iter().map(|(l, style)| text_size(l, px_of(style)).0).fold(0.0, f64::max);
    let block = if sized {
        lines.iter().map(|(_, style)| px_of(style) * LINE_HEIGHT).sum()
    } else {
        line_px * lines.len() as f64
    };
    let a = text.area;
    let (x, anchor, left) = match text.align {
        Align::Start => (a.x, "start", a.x),
        Align::Middle => (a.x + a.width / 2.0, "middle", a.x + a.width / 2.0 - widest / 2.0),
        Align::End => (a.x + a.width, "end", a.x + a.width - widest),
    };
    let top = match text.valign {
        Align::Start => a.y,
        Align::Middle => a.y + (a.height - block) / 2.0,
        Align::End => a.y + a.height - block,
    };
    let covered = Rect { x: left, y: top, width: widest, height: block };
    if lines.iter().all(|(l, _)| l.is_empty()) {
        return covered;
    }
    canvas.include(covered);
    if let Some(background) = palette::user_colour(text.background.as_deref()) {
        let r = Rect { x: left - 2.0, y: top, width: widest + 4.0, height: block };
        canvas.out.tag("rect").bounds(r).attr("fill", &background).leaf();
    }
    // Emphasis every line shares is the text's own; a line's tspan carries only its difference.
    let shared =
        lines.first().map(|(_, s)| s.clone()).filter(|first| lines.iter().all(|(_, s)| s == first));
    let base = Emphasis::of(text).with(shared.as_ref());
    let tag = base.attributes(canvas.out.tag("text"), None, Some(anchor));
    if let [(line, style)] = lines.as_slice() {
        tag.num("x", x).num("y", top + px_of(style) * BASELINE).text(line);
        return covered;
    }
    tag.open();
    let mut offset = 0.0;
    for (i, (line, style)) in lines.iter().enumerate() {
        let line_offset = if sized { offset } else { line_px * i as f64 };
        let y = top + px_of(style) * BASELINE + line_offset;
        offset += px_of(style) * LINE_HEIGHT;
        let own = base.with(Some(style));
        own.attributes(canvas.out.tag("tspan"), Some(&base), None)
            .num("x", x)
            .num("y", y)
            .text(line);
    }
    canvas.out.close();
    covered
}

/// The font a piece of text is set in, for its SVG attributes.
#[derive(Clone, PartialEq)]
pub(super) struct Emphasis {
    px: f64,
    colour: String,
    bold: bool,
    italic: bool,
    underline: bool,
}

impl Emphasis {
    pub(super) fn of(text: &Text) -> Emphasis {
        Emphasis {
            px: text.font_px,
            colour: palette::user_colour(Some(&text.colour)).unwrap_or_else(|| palette::INK.into()),
            bold: text.bold,
            italic: text.italic,
            underline: text.underline,
        }
    }

    /// This font with a line's departures from it.
    pub(super) fn with(&self, line: Option<&LineStyle>) -> Emphasis {
        let Some(line) = line else { return self.clone() };
        Emphasis {
            px: line.px(self.px),
            colour: line
                .colour
                .as_deref()
                .and_then(|c| palette::user_colour(Some(c)))
                .unwrap_or_else(|| self.colour.clone()),
            bold: line.bold.unwrap_or(self.bold),
            italic: line.italic.unwrap_or(self.italic),
            underline: line.underline.unwrap_or(self.underline),
        }
    }

    /// Writes what differs from `inherited` (everything when there is none), and the anchor.
    pub(super) fn attributes<'t, 'a>(
        &self,
        mut tag: Tag<'t, 'a>,
        inherited: Option<&Emphasis>,
        anchor: Option<&str>,
    ) -> Tag<'t, 'a> {
        let differs =
            |same: fn(&Emphasis, &Emphasis) -> bool| inherited.is_none_or(|i| !same(self, i));
        if differs(|a, b| a.px == b.px) {
            tag = tag.num("font-size", self.px);
        }
        if differs(|a, b| a.colour == b.colour) {
            tag = tag.attr("fill", &self.colour);
        }
        if let Some(anchor) = anchor {
            tag = tag.attr("text-anchor", anchor);
        }
        match (self.bold, inherited.map(|i| i.bold)) {
            (true, None | Some(false)) => tag = tag.attr("font-weight", "bold"),
            (false, Some(true)) => tag = tag.attr("font-weight", "normal"),
            _ => {}
        }
        match (self.italic, inherited.map(|i| i.italic)) {
            (true, None | Some(false)) => tag = tag.attr("font-style", "italic"),
            (false, Some(true)) => tag = tag.attr("font-style", "normal"),
            _ => {}
        }
        match (self.underline, inherited.map(|i| i.underline)) {
            (true, None | Some(false)) => tag = tag.attr("text-decoration", "underline"),
            (false, Some(true)) => tag = tag.attr("text-decoration", "none"),
            _ => {}
        }
        tag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_drawn(content: &str, width: f64) -> usize {
        let text = Text {
            content: content.to_string(),
            area: Rect { x: 0.0, y: 0.0, width, height: 30.0 },
            align: Align::Middle,
            valign: Align::Middle,
            font_px: 12.0,
            colour: "#000000".to_string(),
            bold: false,
            italic: false,
            underline: false,
            wrap: true,
            upright: false,
            background: None,
            line_styles: Vec::new(),
            rich: Vec::new(),
        };
        let mut canvas = Canvas::new();
        draw_text(&mut canvas, &text);
        canvas.out.finish().matches("<tspan").count().max(1)
    }

    #[test]
    fn a_wrapped_label_breaks_where_drawio_breaks_it() {
        // 116.7 px by Helvetica's metrics: one line in a 116 px box, as draw.io wraps at + 2 px.
        assert_eq!(lines_drawn("Informasi Pemesanan", 116.0), 1);
        assert_eq!(lines_drawn("Informasi Pemesanan", 110.0), 2);
    }
}
