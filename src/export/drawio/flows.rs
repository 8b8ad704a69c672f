//! The flows' marks in the layer. Each drawn edge with something to show gets edges of ours over
//! it, between the same two cells and routed alike, so draw.io draws them on the user's line
//! wherever it routes it: first a translucent blue band when its flow crosses a trust boundary,
//! with a white diamond riding on it where it crosses; later, over everything else, an invisible
//! carrier whose children are the flow's badges, beside the user's label.

use std::collections::{HashMap, HashSet};

use super::cells::{Cells, Vertex};
use super::layer::{badge, diamond_style, Anchor, PageView};
use super::page::RawCell;
use crate::analysis::Crossing;
use crate::diagnostic::Location;
use crate::export::annotation::{describe_crossing, flow_tooltip, Mark, TargetThreats};
use crate::export::palette;
use crate::export::svg::crossing_points::fraction_along;
use crate::export::svg::{crossing_markers, marks};
use crate::layout::{text_size, Layout, LABEL_FONT_PX};
use crate::model::{FlowRef, Point, Rect};

const DIAMOND: f64 = 9.0;

/// What one flow shows, and the user's edge it was read from.
struct FlowView<'a> {
    f: FlowRef<'a>,
    raw: Option<&'a RawCell>,
    /// The flow runs against its drawn edge (an arrow only at the edge's start).
    reversed: bool,
    crossing: Option<&'a Crossing>,
    mark: Mark,
    tip: Option<String>,
}

fn flows<'a>(view: &'a PageView<'a>, by_flow: &'a [TargetThreats<'a>]) -> Vec<FlowView<'a>> {
    let diagram = view.diagram;
    let empty = TargetThreats::default();
    diagram
        .flows()
        .map(|f| {
            let e = f.index.index();
            let threats = by_flow.get(e).unwrap_or(&empty);
            let crossing = view.analysis.crossings.get(e).filter(|c| !c.crosses.is_empty());
            let described = crossing.map(|c| describe_crossing(diagram, &c.crosses, c.direction));
            let (from, to) = (&diagram.element(f.from).label, &diagram.element(f.to).label);
            let tip = flow_tooltip(f.flow, from, to, described.as_deref(), threats, view.details);
            let raw = edge_cell(view, f);
            let reversed = raw.is_some_and(|r| reversed(view, f, r));
            FlowView { f, raw, reversed, crossing, mark: threats.mark(), tip }
        })
        .collect()
}

/// The bands over crossing flows, with their diamonds (once per drawn edge: a two-way arrow is
/// two flows); diamonds on the page for an edge not found as written.
pub fn bands(
    cells: &mut Cells,
    view: &PageView<'_>,
    layout: &Layout,
    by_flow: &[TargetThreats<'_>],
) {
    let mut done: HashSet<&str> = HashSet::new();
    for flow in flows(view, by_flow) {
        let Some(crossing) = flow.crossing else { continue };
        let Some(raw) = flow.raw else {
            let path = layout.flows.get(flow.f.index.index()).map_or(&[][..], Vec::as_slice);
            loose_diamonds(
                cells,
                &flow,
                &crossing_markers(view.diagram, layout, path, &crossing.crosses),
            );
            continue;
        };
        if !done.insert(raw.id.as_str()) {
            continue;
        }
        let band_look = format!("strokeColor={};strokeWidth=6;opacity=30;", palette::CROSSING_FLOW);
        let band = over_edge(cells, &flow, raw, "band", &band_look);
        let path = drawn_path(layout, &flow, raw);
        let diamond_style = diamond_style();
        let look = Vertex { label: "", style: &diamond_style, tooltip: None };
        for (k, p) in
            crossing_markers(view.diagram, layout, &path, &crossing.crosses).iter().enumerate()
        {
            let along = 2.0 * fraction_along(&path, *p) - 1.0;
            let id = cells.id("cross", &format!("{}-{k}", raw.id));
            let at = Rect { x: -DIAMOND / 2.0, y: -DIAMOND / 2.0, width: DIAMOND, height: DIAMOND };
            cells.on_edge(&id, &band, &look, along, at);
        }
    }
}

/// The flows' badges, each beside its label on an invisible carrier over its edge (the two flows
/// of a two-way arrow share one carrier, their badges one under the other).
pub fn badges(
    cells: &mut Cells,
    view: &PageView<'_>,
    layout: &Layout,
    by_flow: &[TargetThreats<'_>],
) {
    let mut carriers: HashMap<&str, (String, usize)> = HashMap::new();
    for flow in flows(view, by_flow) {
        if flow.mark == Mark::Nothing {
            continue;
        }
        let beside = beside_label(&flow.f.flow.label, flow.mark);
        let Some(raw) = flow.raw else {
            let Some(at) = layout.flow_labels.get(flow.f.index.index()).copied().flatten() else {
                continue;
            };
            let centre = Point { x: at.x + beside, y: at.y };
            badge(cells, &flow.f.flow.id, flow.mark, &Anchor::Page(centre), flow.tip.as_deref());
            continue;
        };
        let (carrier, riding) = match carriers.get(raw.id.as_str()) {
            Some(known) => known.clone(),
            None => (over_edge(cells, &flow, raw, "carrier", "strokeColor=none;"), 0),
        };
        let (along, offset) = label_anchor(view, raw);
        let below = riding as f64 * (2.0 * marks::BADGE_RADIUS + 2.0);
        let anchor =
            Anchor::Edge { parent: &carrier, along, shift: (offset.0 + beside, offset.1 + below) };
        badge(cells, &flow.f.flow.id, flow.mark, &anchor, flow.tip.as_deref());
        carriers.insert(raw.id.as_str(), (carrier, riding + 1));
    }
}

/// The user's edge a flow was read from, as written in the page.
fn edge_cell<'m>(view: &PageView<'m>, f: FlowRef<'_>) -> Option<&'m RawCell> {
    let Some(Location::Cell { cell: Some(id), .. }) = &f.flow.origin else { return None };
    view.model
        .cells
        .iter()
        .find(|c| c.edge && &c.id == id && c.source.is_some() && c.target.is_some())
}

fn reversed(view: &PageView<'_>, f: FlowRef<'_>, raw: &RawCell) -> bool {
    let (from, to) = (&view.diagram.element(f.from).id, &view.diagram.element(f.to).id);
    from != to
        && raw.source.as_deref() == Some(to.as_str())
        && raw.target.as_deref() == Some(from.as_str())
}

/// Routing keys copied from the user's edge to ours, so draw.io routes both alike.
const ROUTING: [&str; 22] = [
    "edgeStyle",
    "elbow",
    "curved",
    "rounded",
    "orthogonalLoop",
    "jettySize",
    "exitX",
    "exitY",
    "exitDx",
    "exitDy",
    "exitPerimeter",
    "entryX",
    "entryY",
    "entryDx",
    "entryDy",
    "entryPerimeter",
    "sourcePortConstraint",
    "targetPortConstraint",
    "portConstraint",
    "noEdgeStyle",
    "sourcePerimeterSpacing",
    "targetPerimeterSpacing",
];

/// The routing part of a user's edge style, `key=value` pairs: only [`ROUTING`] keys, only plain
/// values, so nothing else of a hostile style reaches ours.
fn routing(style: &str) -> Vec<(&str, &str)> {
    style
        .split(';')
        .filter_map(|part| part.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .filter(|(k, v)| {
            ROUTING.contains(k)
                && !v.is_empty()
                && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
        .collect()
}

/// An edge of ours over the user's `raw` edge, between the same cells and with the same routing
/// and bends (the flow's, on the page: a user's edge inside a group has them relative to it).
fn over_edge(
    cells: &mut Cells,
    flow: &FlowView<'_>,
    raw: &RawCell,
    kind: &str,
    look: &str,
) -> String {
    let route: String = routing(&raw.style).iter().map(|(k, v)| format!("{k}={v};")).collect();
    let style = format!("{route}endArrow=none;startArrow=none;html=0;{look}");
    let mut bends = flow.f.flow.waypoints.clone();
    if flow.reversed {
        bends.reverse();
    }
    let id = cells.id(kind, &raw.id);
    let ends = (raw.source.as_deref().unwrap_or(""), raw.target.as_deref().unwrap_or(""));
    let tip = flow.tip.as_deref().filter(|_| kind == "band");
    cells.edge(&id, &Vertex { label: "", style: &style, tooltip: tip }, ends, &bends);
    id
}

/// The path draw.io draws for `raw`, as near as we can tell: from its exit point (the style's
/// `exitX`/`exitY` on the source, else where our straight line leaves it) through its bends to
/// its entry point, and for orthogonal edges with the elbows draw.io adds between points that
/// are not in line. Diamonds are placed by their fraction along it.
fn drawn_path(layout: &Layout, flow: &FlowView<'_>, raw: &RawCell) -> Vec<Point> {
    let (mut a, mut b) = (flow.f.from.index(), flow.f.to.index());
    let mut ours = layout.flows.get(flow.f.index.index()).cloned().unwrap_or_default();
    let mut bends = flow.f.flow.waypoints.clone();
    if flow.reversed {
        std::mem::swap(&mut a, &mut b);
        ours.reverse();
        bends.reverse();
    }
    let route = routing(&raw.style);
    let get =
        |key: &str| route.iter().find(|(k, _)| *k == key).and_then(|(_, v)| v.parse::<f64>().ok());
    let end = |side: &str, element: usize, fallback: Option<Point>| {
        let r = layout.elements.get(element)?;
        match (get(&format!("{side}X")), get(&format!("{side}Y"))) {
            (Some(x), Some(y)) => Some(Point {
                x: r.x + x * r.width + get(&format!("{side}Dx")).unwrap_or(0.0),
                y: r.y + y * r.height + get(&format!("{side}Dy")).unwrap_or(0.0),
            }),
            _ => fallback,
        }
    };
    let mut points = Vec::with_capacity(bends.len() + 2);
    points.extend(end("exit", a, ours.first().copied()));
    points.extend(bends);
    points.extend(end("entry", b, ours.last().copied()));
    let orthogonal = route
        .iter()
        .any(|(k, v)| *k == "edgeStyle" && (v.contains("rthogonal") || v.contains("lbow")));
    if orthogonal {
        with_elbows(&points)
    } else {
        points
    }
}

/// Elbows between points not in line: a Z with its middle leg halfway between two terminals, an
/// L (across first) where a bend is involved.
fn with_elbows(points: &[Point]) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len() * 2);
    for (i, &q) in points.iter().enumerate() {
        let Some(&p) = out.last() else {
            out.push(q);
            continue;
        };
        let aligned = (p.x - q.x).abs() < 0.5 || (p.y - q.y).abs() < 0.5;
        if !aligned {
            let across = (q.x - p.x).abs() >= (q.y - p.y).abs();
            if points.len() == 2 {
                let mid = Point { x: (p.x + q.x) / 2.0, y: (p.y + q.y) / 2.0 };
                if across {
                    out.extend([Point { x: mid.x, y: p.y }, Point { x: mid.x, y: q.y }]);
                } else {
                    out.extend([Point { x: p.x, y: mid.y }, Point { x: q.x, y: mid.y }]);
                }
            } else if across || i + 1 == points.len() {
                out.push(Point { x: q.x, y: p.y });
            } else {
                out.push(Point { x: p.x, y: q.y });
            }
        }
        out.push(q);
    }
    out
}

/// Where the user's label of edge `raw` is: its own (along, offset), or that of the first label
/// drawn on it (a text cell whose parent is the edge).
fn label_anchor(view: &PageView<'_>, raw: &RawCell) -> (f64, (f64, f64)) {
    if raw.labelled {
        return (raw.along, raw.offset);
    }
    view.model
        .cells
        .iter()
        .find(|c| c.vertex && c.labelled && c.parent.as_deref() == Some(raw.id.as_str()))
        .map_or((0.0, (0.0, 0.0)), |c| (c.along, c.offset))
}

/// How far right of the label's centre a badge's centre goes: past the label's half width (as
/// draw.io draws it, 11 px), or 0 for a flow without a label.
fn beside_label(label: &str, mark: Mark) -> f64 {
    let widest = label.lines().map(|l| text_size(l, LABEL_FONT_PX).0).fold(0.0, f64::max);
    if widest <= 0.0 {
        return 0.0;
    }
    // Our widths run a little narrower than the browser's Helvetica: leave room.
    widest * 1.05 / 2.0 + 6.0 + marks::badge_width(mark) / 2.0
}

/// A flow's diamonds on the page, for an edge not found as written.
fn loose_diamonds(cells: &mut Cells, flow: &FlowView<'_>, points: &[Point]) {
    let style = diamond_style();
    for (k, p) in points.iter().enumerate() {
        let id = cells.id("cross", &format!("{}-{k}", flow.f.flow.id));
        let half = DIAMOND / 2.0;
        let at = Rect { x: p.x - half, y: p.y - half, width: DIAMOND, height: DIAMOND };
        cells.vertex(&id, &Vertex { label: "", style: &style, tooltip: None }, at);
    }
}
