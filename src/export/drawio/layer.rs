//! What the annotation layer of one page holds, drawn on the user's own geometry: a badge per
//! element and flow (open threats and their worst residual risk, or a check mark), ACTOR and
//! ENTRY tags, a translucent band over each flow that crosses a boundary with a diamond where it
//! crosses ([`super::flows`]), and a legend under the drawing ([`super::legend`]). The marks are
//! those of the SVG ([`crate::export::svg`]), at the same sizes and in the same colours.

use std::collections::HashSet;

use super::cells::{Cells, Vertex};
use super::page::Model;
use crate::analysis::DiagramAnalysis;
use crate::export::annotation::{self, by_target, element_tooltip, Details, Mark, TargetThreats};
use crate::export::palette;
use crate::export::svg::{marks, shapes};
use crate::layout::{layout, Layout, LayoutOrigin};
use crate::model::{Diagram, Point, Rect};
use crate::threats::{Level, Threat};

/// One page's diagram, its analysis and threats, and its cells as written.
pub struct PageView<'a> {
    pub diagram: &'a Diagram,
    pub analysis: &'a DiagramAnalysis,
    pub threats: &'a [Threat],
    pub details: Details,
    pub model: &'a Model,
    /// The ids of the old annotation layer's cells, which are being replaced.
    pub old: &'a HashSet<&'a str>,
}

const BADGE_FONT: &str = "fontSize=10;fontStyle=1;fontFamily=Helvetica;html=0;spacing=0;";

/// The layer's cells, the layer's own cell first.
pub fn layer_cells(view: &PageView<'_>) -> Vec<String> {
    let diagram = view.diagram;
    let mut cells = Cells::new(
        view.model.cells.iter().map(|c| c.id.as_str()).filter(|id| !view.old.contains(id)),
    );
    let layout = layout(diagram);
    let (by_element, by_flow) =
        by_target(view.threats, diagram.graph.node_count(), diagram.graph.edge_count());
    let empty = TargetThreats::default();
    let from_file = layout.origin == LayoutOrigin::FromFile;
    // Bands under everything else of ours, flow badges over everything.
    if from_file {
        super::flows::bands(&mut cells, view, &layout, &by_flow);
    }
    for (node, e) in diagram.elements() {
        let i = node.index();
        let Some(r) = element_box(&layout, i, e.visual.bounds) else { continue };
        let threats = by_element.get(i).unwrap_or(&empty);
        let facts = view.analysis.elements.get(i);
        let tip = element_tooltip(e, facts, threats, view.details);
        // Marks go on the top edge, unless draw.io writes the label there (an icon with its
        // label above): then on the bottom edge.
        let flip = label_on_top(view, &e.id);
        let mirror = |y: f64, h: f64| if flip { 2.0 * r.y + r.height - y - h } else { y };
        let mut centre = shapes::badge_anchor(e.visual.shape, r);
        centre.y = mirror(centre.y, 0.0);
        badge(&mut cells, &e.id, threats.mark(), &Anchor::Page(centre), tip.as_deref());
        let Some((text, colour)) = facts.and_then(annotation::tag_of) else { continue };
        let mut place = marks::tag_place(e.visual.shape, r, text, threats.mark());
        place.y = mirror(place.y, place.height);
        let why = facts.and_then(|f| f.external_actor.as_ref().or(f.entry_point.as_ref()));
        let tip = why.filter(|_| view.details != Details::None).map(|w| format!("{text}: {w}"));
        let id = cells.id("tag", &e.id);
        let look = Vertex { label: text, style: &tag_style(colour), tooltip: tip.as_deref() };
        cells.vertex(&id, &look, place);
    }
    if from_file {
        super::flows::badges(&mut cells, view, &layout, &by_flow);
    }
    super::legend::legend(&mut cells, view, &layout);
    cells.out
}

/// Whether draw.io draws the element's label above its shape.
fn label_on_top(view: &PageView<'_>, id: &str) -> bool {
    view.model
        .cells
        .iter()
        .find(|c| c.vertex && c.id == id)
        .is_some_and(|c| c.style.split(';').any(|p| p.trim() == "verticalLabelPosition=top"))
}

/// An element's box on the page, when the file gives it one.
fn element_box(layout: &Layout, i: usize, drawn: Option<Rect>) -> Option<Rect> {
    drawn?;
    match layout.origin {
        LayoutOrigin::FromFile => layout.elements.get(i).copied(),
        LayoutOrigin::Computed => drawn,
    }
}

/// An ACTOR or ENTRY tag: white capitals on `colour`.
pub fn tag_style(colour: &str) -> String {
    format!(
        "rounded=1;arcSize=20;fillColor={colour};strokeColor={};fontColor={};fontSize=8;fontStyle=1;fontFamily=Helvetica;html=0;spacing=0;",
        palette::BACKGROUND,
        palette::TAG_TEXT
    )
}

/// The white diamond where a flow crosses a boundary's edge.
pub fn diamond_style() -> String {
    format!(
        "rhombus;fillColor={};strokeColor={};strokeWidth=2;html=0;",
        palette::CROSSING_MARKER_FILL,
        palette::CROSSING_FLOW
    )
}

/// Where a mark is centred: a point of the page, or a point riding on one of the layer's edges
/// (`along` its path, -1 to 1, then moved by `shift`), which draw.io keeps on the edge as it
/// routes it.
pub enum Anchor<'a> {
    Page(Point),
    Edge { parent: &'a str, along: f64, shift: (f64, f64) },
}

impl Anchor<'_> {
    /// A cell whose box, relative to the anchor's centre, is `at`.
    pub fn put(&self, cells: &mut Cells, id: &str, look: &Vertex<'_>, at: Rect) {
        match self {
            Anchor::Page(c) => cells.vertex(id, look, Rect { x: c.x + at.x, y: c.y + at.y, ..at }),
            Anchor::Edge { parent, along, shift } => {
                let at = Rect { x: shift.0 + at.x, y: shift.1 + at.y, ..at };
                cells.on_edge(id, parent, look, *along, at);
            }
        }
    }
}

/// A badge centred on `anchor`: [`pill`] for open threats, a check mark when every threat is
/// settled, nothing without threats.
pub fn badge(cells: &mut Cells, key: &str, mark: Mark, anchor: &Anchor<'_>, tip: Option<&str>) {
    match mark {
        Mark::Nothing => {}
        Mark::Settled => {
            let size = marks::badge_width(mark);
            let style = format!(
                "ellipse;fillColor={};strokeColor=none;fontColor={};{BADGE_FONT}",
                palette::SETTLED,
                palette::TAG_TEXT
            );
            let id = cells.id("ok", key);
            let at = Rect { x: -size / 2.0, y: -size / 2.0, width: size, height: size };
            anchor.put(cells, &id, &Vertex { label: "\u{2713}", style: &style, tooltip: tip }, at);
        }
        Mark::Open { count, worst } => pill(cells, key, worst, &count.to_string(), anchor, tip),
    }
}

/// The badge of open threats: a white pill outlined in the risk colour holding the count, and
/// over its left end a disc in that colour with the risk letter. Both cells carry the tooltip.
pub fn pill(
    cells: &mut Cells,
    key: &str,
    level: Level,
    count: &str,
    anchor: &Anchor<'_>,
    tip: Option<&str>,
) {
    let r = marks::BADGE_RADIUS;
    let colour = palette::risk_colour(level);
    let w = 2.0 * r + marks::count_width(count);
    let style = format!(
        "rounded=1;arcSize=50;fillColor={};strokeColor={colour};strokeWidth=1.5;fontColor={colour};align=center;spacingLeft={};{BADGE_FONT}",
        palette::BACKGROUND,
        2.0 * r
    );
    let id = cells.id("badge", key);
    let at = Rect { x: -w / 2.0, y: -r, width: w, height: 2.0 * r };
    anchor.put(cells, &id, &Vertex { label: count, style: &style, tooltip: tip }, at);
    let style = format!(
        "ellipse;fillColor={colour};strokeColor=none;fontColor={};{BADGE_FONT}",
        palette::TAG_TEXT
    );
    let id = cells.id("risk", key);
    let disc = Rect { width: 2.0 * r, ..at };
    let letter = annotation::letter(level);
    anchor.put(cells, &id, &Vertex { label: letter, style: &style, tooltip: tip }, disc);
}
