//! The body of a diagram that comes with its author's drawing (draw.io): the page drawn as it
//! was ([`drawing`]), every cell of it, then what the analysis found on top — trust outlines on
//! the zones, a translucent band and diamonds on flows that cross a boundary, tags and threat
//! badges — the same marks, with the same meaning, as on a computed layout.

use std::collections::HashMap;

use super::canvas::Canvas;
use super::drawing::{draw_item, Wrapper};
use super::elements::{draw_badge, draw_element, ElementView};
use super::marks;
use super::occupancy::intersection_area;
use super::palette;
use super::spots::{centred, Spots};
use super::text_fit::fit_lines;
use super::zones::ZoneView;
use crate::analysis::DiagramAnalysis;
use crate::diagnostic::Location;
use crate::export::annotation::{element_tooltip, flow_tooltip, tag_of, Details, TargetThreats};
use crate::layout::{point_along, Layout};
use crate::model::drawing::{Drawing, Figure};
use crate::model::{Diagram, Point, Rect};

/// Ids given to the diagram's things, by index.
pub struct Ids<'a> {
    pub elements: &'a [String],
    pub flows: &'a [String],
}

/// What the analysis says about each thing, by index.
pub struct Found<'a> {
    pub analysis: &'a DiagramAnalysis,
    pub by_element: &'a [TargetThreats<'a>],
    pub by_flow: &'a [TargetThreats<'a>],
    pub zones: &'a [ZoneView<'a>],
    pub details: Details,
}

/// The cell a flow was drawn as.
fn cell_of(origin: Option<&Location>) -> Option<&str> {
    match origin {
        Some(Location::Cell { cell: Some(cell), .. }) => Some(cell.as_str()),
        _ => None,
    }
}

pub fn draw(
    diagram: &Diagram,
    drawing: &Drawing,
    layout: &Layout,
    ids: &Ids<'_>,
    found: &Found<'_>,
    canvas: &mut Canvas<'_>,
) {
    let empty = TargetThreats::default();
    let element_of: HashMap<&str, usize> =
        diagram.elements().map(|(n, e)| (e.id.as_str(), n.index())).collect();

    // The page, element shapes carrying their id and tooltip.
    let mut drawn = vec![false; diagram.element_count()];
    let mut texts: HashMap<&str, Rect> = HashMap::new();
    // Each drawn line as the analysis marks follow it (along its curve when curved).
    let mut lines: HashMap<&str, Vec<Point>> = HashMap::new();
    for item in &drawing.items {
        let mut wrapper = Wrapper::default();
        if let Some(&i) = element_of.get(item.id.as_str()).filter(|&&i| !drawn[i]) {
            drawn[i] = true;
            let e = diagram.graph.node_weight(petgraph::graph::NodeIndex::new(i));
            wrapper.id = ids.elements.get(i).map(String::as_str);
            wrapper.title = e.and_then(|e| {
                let threats = found.by_element.get(i).unwrap_or(&empty);
                element_tooltip(e, found.analysis.elements.get(i), threats, found.details)
            });
        }
        if let Figure::Line(line) = &item.figure {
            lines.insert(item.id.as_str(), super::figures::traced(&line.points, line.curved));
        }
        if let Some(text) = draw_item(canvas, item, wrapper) {
            texts.insert(item.id.as_str(), text);
        }
    }
    // Elements the drawing lacks (none from draw.io; kept so no element can go missing).
    for (node, element) in diagram.elements() {
        let i = node.index();
        let Some(bounds) = layout.elements.get(i).copied().filter(|_| !drawn[i]) else { continue };
        let view = ElementView {
            element,
            id: &ids.elements[i],
            bounds,
            facts: found.analysis.elements.get(i),
            threats: found.by_element.get(i).unwrap_or(&empty),
            details: found.details,
        };
        draw_element(canvas, &view);
    }

    let mut spots = Spots::new(texts.values().copied().collect());
    // Element badges keep their corner: flow marks and tags find room around them.
    // A badge on the corner where the author's caption runs past the shape ("Cognito user pool"
    // above a narrow icon) moves down the shape's side until it clears the caption's last line.
    let badge_at = |i: usize, shape, r: Rect, caption: Option<&Rect>| {
        let mark = found.by_element.get(i).unwrap_or(&empty).mark();
        let (width, height) = (marks::badge_width(mark), 2.0 * marks::BADGE_RADIUS);
        let mut centre = super::shapes::badge_anchor(shape, r);
        if let Some(c) =
            caption.filter(|c| intersection_area(c, &centred(centre, width, height)) > 0.0)
        {
            let below = c.y + c.height + marks::BADGE_RADIUS + 1.0;
            if below < r.y + r.height {
                centre.y = centre.y.max(below);
            }
        }
        (centre, centred(centre, width, height))
    };
    for (node, element) in diagram.elements() {
        if let Some(r) = layout.elements.get(node.index()).copied() {
            let caption = texts.get(element.id.as_str());
            spots.add(badge_at(node.index(), element.visual.shape, r, caption).1);
        }
    }
    for view in found.zones {
        zone_outline(canvas, view, &mut spots);
    }
    // Every crossing diamond is placed before any flow badge, so no badge covers one.
    let path_of = |f: &crate::model::FlowRef<'_>| -> &[Point] {
        cell_of(f.flow.origin.as_ref())
            .and_then(|c| lines.get(c).map(Vec::as_slice))
            .unwrap_or_else(|| layout.flows.get(f.index.index()).map_or(&[][..], Vec::as_slice))
    };
    // A diamond that would sit on the page's own text (a flow's label drawn where it crosses a
    // boundary, "sign in" on the Internet's edge) is left out: the words stay readable, and the
    // flow's band still says that it crosses.
    // Texts as measured, widened by the label background draw.io paints around them.
    let text_boxes: Vec<Rect> = texts
        .values()
        .map(|t| Rect { x: t.x - 2.0, y: t.y - 2.0, width: t.width + 4.0, height: t.height + 4.0 })
        .collect();
    let on_text = |at: &Point| {
        let mark = marks::crossing_marker_box(*at);
        text_boxes.iter().any(|t| super::occupancy::intersection_area(&mark, t) > 0.0)
    };
    let markers: Vec<Vec<Point>> = diagram
        .flows()
        .map(|f| match found.analysis.crossings.get(f.index.index()) {
            Some(c) if !c.crosses.is_empty() => {
                let mut at = super::crossing_markers(diagram, layout, path_of(&f), &c.crosses);
                at.retain(|p| !on_text(p));
                at
            }
            _ => Vec::new(),
        })
        .collect();
    for &at in markers.iter().flatten() {
        spots.add(marks::crossing_marker_box(at));
    }

    let mut per_cell: HashMap<&str, usize> = HashMap::new();
    for (f, markers) in diagram.flows().zip(&markers) {
        let e = f.index.index();
        let cell = cell_of(f.flow.origin.as_ref());
        let path = path_of(&f);
        let nth = cell.map_or(0, |c| {
            let n = per_cell.entry(c).or_insert(0);
            *n += 1;
            *n - 1
        });
        let crossing = found.analysis.crossings.get(e).filter(|c| !c.crosses.is_empty());
        let threats = found.by_flow.get(e).unwrap_or(&empty);
        let described = crossing.map(|c| {
            crate::export::annotation::describe_crossing(diagram, &c.crosses, c.direction)
        });
        canvas.out.tag("g").attr("id", &ids.flows[e]).open();
        let (from, to) = (&diagram.element(f.from).label, &diagram.element(f.to).label);
        if let Some(text) =
            flow_tooltip(f.flow, from, to, described.as_deref(), threats, found.details)
        {
            canvas.out.tag("title").text(&text);
        }
        if crossing.is_some() {
            band(canvas, path);
            marks::open_crossing_group(canvas);
            for &at in markers {
                marks::crossing_marker(canvas, at);
            }
            canvas.out.close();
        }
        let label = cell.and_then(|c| texts.get(c)).filter(|_| nth == 0);
        let width = marks::badge_width(threats.mark());
        let candidates: Vec<Rect> = flow_badge_spots(label, path, nth, width)
            .into_iter()
            .map(|at| centred(at, width, 2.0 * marks::BADGE_RADIUS))
            .collect();
        if let Some(spot) = spots.take(&candidates).filter(|_| width > 0.0) {
            draw_badge(canvas, threats.mark(), spot.center());
        }
        canvas.out.close();
    }

    for (node, element) in diagram.elements() {
        let i = node.index();
        let Some(r) = layout.elements.get(i).copied() else { continue };
        let threats = found.by_element.get(i).unwrap_or(&empty);
        let shape = element.visual.shape;
        if let Some((text, colour)) = found.analysis.elements.get(i).and_then(tag_of) {
            let usual = marks::tag_place(shape, r, text, threats.mark());
            let caption = texts.get(element.id.as_str());
            if let Some(place) = spots.take(&tag_spots(usual, r, caption)) {
                marks::tag(canvas, Point { x: place.x, y: place.y }, text, colour);
            }
        }
        let caption = texts.get(element.id.as_str());
        draw_badge(canvas, threats.mark(), badge_at(i, shape, r, caption).0);
    }
}

/// Where a flow's badge may go, best first: after its label, then along its line from the
/// middle outwards (the second flow of a two-way arrow starting a little further on, so the
/// two badges do not cover each other).
fn flow_badge_spots(label: Option<&Rect>, path: &[Point], nth: usize, width: f64) -> Vec<Point> {
    let mut spots = Vec::new();
    if let Some(r) = label {
        spots.push(Point { x: r.x + r.width + 3.0 + width / 2.0, y: r.y + r.height / 2.0 });
    }
    let fractions: &[f64] =
        if nth == 0 { &[0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8] } else { &[0.7, 0.8, 0.6, 0.3, 0.2] };
    let along: Vec<Point> = fractions.iter().filter_map(|&f| point_along(path, f)).collect();
    // Then beside the line, above or below it, where two lines run together.
    let aside = 2.0 * marks::BADGE_RADIUS + 2.0;
    let beside = along
        .iter()
        .flat_map(|p| [Point { x: p.x, y: p.y - aside }, Point { x: p.x, y: p.y + aside }]);
    spots.extend(along.iter().copied().chain(beside.collect::<Vec<_>>()));
    spots
}

/// Where an element's tag may go, best first: its usual corner; just above the author's
/// caption when the caption sits above the shape; above the shape; left of it; below it.
fn tag_spots(usual: Rect, shape: Rect, caption: Option<&Rect>) -> Vec<Rect> {
    let at = |x: f64, y: f64| Rect { x, y, ..usual };
    let mut spots = vec![usual];
    if let Some(c) = caption.filter(|c| c.y < shape.y && intersection_area(c, &usual) > 0.0) {
        spots.push(at(usual.x, c.y - marks::TAG_HEIGHT - 2.0));
    }
    spots.push(at(shape.x, shape.y - marks::TAG_HEIGHT - 2.0));
    spots.push(at(shape.x - usual.width - 4.0, shape.y));
    spots.push(at(shape.x, shape.y + shape.height + 2.0));
    spots
}

/// The translucent band over a crossing flow's line, as in the draw.io annotation layer.
fn band(canvas: &mut Canvas, path: &[Point]) {
    if path.len() < 2 {
        return;
    }
    canvas
        .out
        .tag("polyline")
        .points("points", path)
        .attr("fill", "none")
        .attr("stroke", palette::CROSSING_FLOW)
        .num("stroke-width", 6.0)
        .num_fine("stroke-opacity", 0.35)
        .attr("stroke-linejoin", "round")
        .attr("stroke-linecap", "round")
        .leaf();
}

/// How [`crate::analysis`] describes a zone without a trust of its own.
const GROUPING: &str = "grouping";

/// A zone in the author's drawing: a dashed outline in its trust colour just outside the
/// author's own frame (or along the boundary line), and its trust written in the top-right
/// corner.
fn zone_outline(canvas: &mut Canvas, view: &ZoneView<'_>, spots: &mut Spots) {
    let b = view.boundary;
    let line = b.line.as_deref().filter(|l| l.len() >= 2);
    if view.area.is_none() && line.is_none() {
        return;
    }
    let stroke =
        if view.untrusted { palette::UNTRUSTED_ZONE_STROKE } else { palette::TRUSTED_ZONE_STROKE };
    let ink = if view.untrusted { palette::UNTRUSTED_LABEL } else { palette::MUTED_INK };
    canvas.out.tag("g").attr("id", view.id).open();
    if let Some(text) = view.tooltip() {
        canvas.out.tag("title").text(&text);
    }
    // A zone that says nothing about trust is the author's grouping, already drawn as they drew
    // it: its tooltip is enough.
    if view.trust == GROUPING {
        canvas.out.close();
        return;
    }
    let corners = if let Some(area) = view.area {
        // Outside the frame: inside it, the outline ran through the author's caption, which
        // draw.io sets 5 px under the frame's top line.
        let outset = 3.0;
        let r = Rect {
            x: area.x - outset,
            y: area.y - outset,
            width: area.width + 2.0 * outset,
            height: area.height + 2.0 * outset,
        };
        canvas
            .out
            .tag("rect")
            .bounds(r)
            .num("rx", 4.0)
            .attr("fill", "none")
            .attr("stroke", stroke)
            .num("stroke-width", 1.5)
            .attr("stroke-dasharray", "6 4")
            .leaf();
        vec![
            Point { x: r.x + r.width - 7.0, y: r.y + 6.0 },
            Point { x: r.x + r.width - 7.0, y: r.y + r.height - 18.0 },
        ]
    } else {
        // Beside either end of the line, then beside its middle.
        let line = line.unwrap_or(&[]);
        let ends = [line.first(), line.last()].into_iter().flatten().copied();
        let mut near: Vec<Point> = Vec::new();
        for p in ends.chain(point_along(line, 0.5)) {
            near.push(Point { x: p.x + 4.0, y: p.y + 4.0 });
            near.push(Point { x: p.x - 4.0, y: p.y - 16.0 });
        }
        near
    };
    let trust = fit_lines(&view.trust, 9.0, 200.0, 1);
    let text = trust.first().map_or("", String::as_str);
    let width = crate::layout::text_size(text, 9.0).0;
    let candidates: Vec<Rect> = corners
        .iter()
        .map(|c| Rect { x: c.x - width - 2.0, y: c.y, width: width + 4.0, height: 12.0 })
        .collect();
    let Some(area) = spots.take(&candidates) else {
        canvas.out.close();
        return;
    };
    let corner = Point { x: area.x + width + 2.0, y: area.y };
    canvas.include(area);
    canvas
        .out
        .tag("rect")
        .bounds(area)
        .num("rx", 2.0)
        .attr("fill", palette::BACKGROUND)
        .num_fine("fill-opacity", 0.85)
        .leaf();
    canvas
        .out
        .tag("text")
        .num("font-size", 9.0)
        .attr("fill", ink)
        .attr("text-anchor", "end")
        .num("x", corner.x)
        .num("y", corner.y + 9.0)
        .text(text);
    canvas.out.close();
}
