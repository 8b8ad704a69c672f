//! The page as draw.io draws it, for [`crate::model::drawing`]: every vertex with its outline,
//! colours and label, every edge along its route with its arrowheads and labels, in the page's
//! order. The analysis does not use most of this (free text, legends, tables, loose arrows); the
//! picture of the page needs all of it.

mod connectors;
mod embedded;
mod paint;
mod perimeter;
mod route;
mod tiles;
mod vertex;

use std::collections::HashMap;

use super::cells::Cell;
use super::geometry::{along, Layout};
use super::style::Style;
use crate::import::html_blocks::{html_to_blocks, needs_blocks};
use crate::import::html_text::{html_to_styled_text, html_to_text};
use crate::import::text::clean_label;
use crate::model::drawing::{
    clamp, Align, Arrow, Block, Drawing, Figure, Head, Item, Line, LineStyle, Text,
};
use crate::model::{Point, Rect};
use paint::{font, label_background, Defaults};
use perimeter::Perimeter;
use route::{route, End};

/// draw.io's default font size for edge labels.
const EDGE_FONT_PX: f64 = 11.0;
/// draw.io's default spacing between a label and the point it is placed at.
const LABEL_SPACING: f64 = 2.0;
/// Coordinates beyond this are not a drawing anyone made; they are clamped.
const FAR: f64 = 1e7;

/// Everything the lowering already worked out about the page's cells.
pub struct Page<'a> {
    pub cells: &'a [Cell],
    pub index: &'a HashMap<&'a str, usize>,
    pub layout: &'a Layout,
    pub styles: &'a [Style],
    /// Plain-text labels, as the model has them.
    pub labels: &'a [String],
}

/// The drawing of a page: one item per vertex with a box and per edge with a route.
pub fn drawing(page: &Page<'_>) -> Drawing {
    let placed = |_: usize| None;
    let first: Vec<Option<Vec<Point>>> =
        (0..page.cells.len()).map(|i| edge_route(page, i, &placed)).collect();
    // An edge from or to an edge's label starts where that label is drawn, on its edge's route.
    let on_route = |e: usize| label_centre(page, e, &first);
    let routes: Vec<Option<Vec<Point>>> = (0..page.cells.len())
        .map(|i| {
            let cell = &page.cells[i];
            let ends = [&cell.source, &cell.target];
            let at_label = ends.iter().any(|id| terminal(page, id).and_then(on_route).is_some());
            if at_label {
                edge_route(page, i, &on_route)
            } else {
                first[i].clone()
            }
        })
        .collect();
    let mut items = Vec::new();
    for (i, cell) in page.cells.iter().enumerate() {
        let item = if cell.edge {
            routes[i].as_ref().map(|points| edge(page, i, points))
        } else if cell.vertex {
            let parent = cell.parent.as_deref().and_then(|p| page.index.get(p).copied());
            match parent.and_then(|p| routes.get(p)).and_then(Option::as_ref) {
                Some(parent_route) => edge_label(page, i, parent_route),
                None => page.layout.boxes[i].map(|b| {
                    vertex::vertex(&cell.id, &page.styles[i], sane_rect(b), &page.labels[i])
                }),
            }
        } else {
            None
        };
        items.extend(item.map(|mut item| {
            if let Some(text) = item.text.as_mut() {
                text.line_styles = line_styles(page, i);
                text.rich = blocks(page, i);
            }
            item
        }));
    }
    Drawing { items }
}

/// How each line of cell `i`'s label is set in its HTML (`<b>`, `<font color>`), when the
/// label the model has is exactly that HTML's text (no placeholders filled in, nothing cut).
fn line_styles(page: &Page<'_>, i: usize) -> Vec<LineStyle> {
    let cell = &page.cells[i];
    let html = page.styles[i].flag("html") || cell.value.contains('<');
    if !html || cell.placeholders {
        return Vec::new();
    }
    let (text, styles) = html_to_styled_text(&cell.value);
    if styles.is_empty() || clean_label(&text) != page.labels[i] {
        return Vec::new();
    }
    styles
}

/// Cell `i`'s HTML label as blocks, when plain lines would misdraw it (a table, a rule, a line
/// mixing emphasis, blank lines) and the label the model has is exactly that HTML's text.
fn blocks(page: &Page<'_>, i: usize) -> Vec<Block> {
    let cell = &page.cells[i];
    let html = page.styles[i].flag("html") || cell.value.contains('<');
    if !html || cell.placeholders || clean_label(&html_to_text(&cell.value)) != page.labels[i] {
        return Vec::new();
    }
    let blocks = html_to_blocks(&cell.value);
    if needs_blocks(&blocks) {
        blocks
    } else {
        Vec::new()
    }
}

fn sane(v: f64) -> f64 {
    clamp(v, -FAR, FAR, 0.0)
}

fn sane_point(p: Point) -> Point {
    Point { x: sane(p.x), y: sane(p.y) }
}

fn sane_rect(r: Rect) -> Rect {
    Rect {
        x: sane(r.x),
        y: sane(r.y),
        width: clamp(r.width, 0.0, FAR, 0.0),
        height: clamp(r.height, 0.0, FAR, 0.0),
    }
}

/// The index of the cell an edge's end names.
fn terminal(page: &Page<'_>, id: &Option<String>) -> Option<usize> {
    id.as_deref().and_then(|id| page.index.get(id)).copied()
}

/// Where label cell `e` is drawn on its parent edge's route, when its parent is a routed edge.
fn label_centre(page: &Page<'_>, e: usize, routes: &[Option<Vec<Point>>]) -> Option<Point> {
    let cell = page.cells.get(e)?;
    let parent = terminal(page, &cell.parent)?;
    let route = routes.get(parent)?.as_ref()?;
    let g = cell.geometry.as_ref()?;
    let offset = g.offset.unwrap_or(Point { x: 0.0, y: 0.0 });
    let (x, y) = if g.relative { (g.x, g.y) } else { (0.0, 0.0) };
    Some(sane_point(along(route, x, y, offset)))
}

/// The route of edge `i`, when it has two ends to draw between; `placed` says where a label
/// cell it is attached to is drawn, when the layout's place for it is not where it is drawn.
fn edge_route(
    page: &Page<'_>,
    i: usize,
    placed: &dyn Fn(usize) -> Option<Point>,
) -> Option<Vec<Point>> {
    let cell = page.cells.get(i).filter(|c| c.edge)?;
    let path = page.layout.paths.get(i)?;
    let (first, last) = (*path.first()?, *path.last()?);
    if path.len() < 2 {
        return None;
    }
    let end = |id: &Option<String>, point: Point| {
        let at = terminal(page, id);
        if let Some(centre) = at.and_then(placed) {
            // A label drawn at a point: the edge meets that point.
            let (perimeter, facing) = (Perimeter::Rectangle, Default::default());
            return End { shape: None, point: centre, perimeter, facing };
        }
        let shape = at.and_then(|e| page.layout.boxes.get(e).copied().flatten()).map(sane_rect);
        let style = at.and_then(|e| page.styles.get(e));
        let perimeter = style.map(Perimeter::of).unwrap_or_default();
        let facing = style.map(vertex::direction).unwrap_or_default();
        End { shape, point: sane_point(point), perimeter, facing }
    };
    let (source, target) = (end(&cell.source, first), end(&cell.target, last));
    let waypoints: Vec<Point> = page
        .layout
        .waypoints
        .get(i)
        .map_or_else(Vec::new, |w| w.iter().copied().map(sane_point).collect());
    // A zero-length edge keeps its one point: it draws nothing, but it is on the page.
    let points = route(&page.styles[i], source, target, &waypoints);
    (!points.is_empty()).then_some(points)
}

fn edge(page: &Page<'_>, i: usize, points: &[Point]) -> Item {
    let style = &page.styles[i];
    let cell = &page.cells[i];
    let line = Line {
        points: points.to_vec(),
        curved: style.flag("curved"),
        // draw.io's default edge style rounds its corners: a style without `rounded` is rounded.
        rounded: style.get("rounded").is_none() || style.flag("rounded"),
        start: arrow(style, "start", Head::None),
        end: arrow(style, "end", Head::Classic),
    };
    let text = cell.geometry.as_ref().and_then(|g| {
        let offset = g.offset.unwrap_or(Point { x: 0.0, y: 0.0 });
        let at = along(points, g.x, g.y, offset);
        label_at(style, &page.labels[i], sane_point(at))
    });
    Item {
        id: cell.id.clone(),
        figure: Figure::Line(line),
        paint: paint::paint(style, Defaults::Edge),
        text,
        rotation: 0.0,
    }
}

/// A label cell on an edge, placed along the edge's route as draw.io places it.
fn edge_label(page: &Page<'_>, i: usize, parent_route: &[Point]) -> Option<Item> {
    let cell = &page.cells[i];
    let g = cell.geometry.as_ref()?;
    let offset = g.offset.unwrap_or(Point { x: 0.0, y: 0.0 });
    let (x, y) = if g.relative { (g.x, g.y) } else { (0.0, 0.0) };
    let at = sane_point(along(parent_route, x, y, offset));
    let style = &page.styles[i];
    let area = Rect { x: at.x, y: at.y, width: 0.0, height: 0.0 };
    Some(Item {
        id: cell.id.clone(),
        figure: Figure::Shape { bounds: area, outline: crate::model::drawing::Outline::Nothing },
        paint: paint::paint(style, Defaults::Bare),
        text: label_at(style, &page.labels[i], at),
        rotation: vertex::rotation(style),
    })
}

/// An edge's text at `at`, on the label background (white unless the style says): centred
/// there unless `align`/`verticalAlign` say otherwise, as draw.io sets them: `bottom` puts the
/// text above the point (a sequence diagram's message over its arrow), `left` starts it there.
fn label_at(style: &Style, label: &str, at: Point) -> Option<Text> {
    if label.trim().is_empty() {
        return None;
    }
    let f = font(style, EDGE_FONT_PX, false);
    let align = paint::align(style.get("align"), Align::Middle);
    let valign = paint::align(style.get("verticalAlign"), Align::Middle);
    // draw.io keeps its label spacing between the point and text set off to one side.
    let spacing = style.number("spacing").map_or(LABEL_SPACING, |v| clamp(v, -FAR, FAR, 0.0));
    let off = |a: Align| match a {
        Align::Start => spacing,
        Align::Middle => 0.0,
        Align::End => -spacing,
    };
    Some(Text {
        content: label.to_string(),
        area: Rect { x: at.x + off(align), y: at.y + off(valign), width: 0.0, height: 0.0 },
        align,
        valign,
        font_px: f.px,
        colour: f.colour,
        bold: f.bold,
        italic: f.italic,
        underline: f.underline,
        wrap: false,
        upright: false,
        background: label_background(style, true),
        line_styles: Vec::new(),
        rich: Vec::new(),
    })
}

/// `startArrow`/`endArrow` with their `*Fill` and `*Size`.
fn arrow(style: &Style, end: &str, default: Head) -> Arrow {
    let head = match style.get(&format!("{end}Arrow")) {
        None => default,
        Some(v) => match v {
            "" | "none" | "0" => Head::None,
            "classic" | "classicThin" => Head::Classic,
            "block" | "blockThin" => Head::Block,
            "oval" | "circle" | "circlePlus" | "halfCircle" => Head::Oval,
            "diamond" | "diamondThin" => Head::Diamond,
            _ => Head::Open,
        },
    };
    let filled = style.get(&format!("{end}Fill")) != Some("0");
    let size = style.number(&format!("{end}Size")).map_or(6.0, |s| clamp(s, 0.0, 50.0, 6.0));
    Arrow { head, filled, size }
}
