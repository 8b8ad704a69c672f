//! What every reader of another tool's model (Threat Dragon, OTM, Microsoft TMT, Threagile) does
//! on its way to a [`Diagram`]: ids and labels as shown (one line, within `--max-label-chars`,
//! with a warning when cut), the element and flow limits, boxes nested by geometry, elements
//! placed in the smallest box around their centre, flow ids that never move, and recorded
//! threats pointed at our ids.
//!
//! Locations are `Location::Cell { page: <diagram>, cell: <the file's own id> }`: these models
//! are JSON, YAML or XML trees whose objects have ids, which say more than a line number would.

use std::collections::HashMap;

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::diagnostic::{Diagnostic, Location};
use crate::import::drawio::boundaries::{innermost, nest, Regions};
use crate::import::text::{clean_label, cut_chars, shown_name};
use crate::import::Limits;
use crate::model::{
    Attributes, Boundary, BoundaryId, Diagram, Element, ElementKind, RecordedThreat, Rect, Shape,
};

/// A diagram under construction, with the warnings met so far.
pub struct Builder<'l> {
    pub diagram: Diagram,
    limits: &'l Limits,
    /// The first of our flows made from each of the file's flow ids.
    flows_by_file_id: HashMap<String, EdgeIndex>,
    /// Recorded threats with the file's id of their target, resolved in [`Builder::finish`].
    threats: Vec<(RecordedThreat, Option<String>)>,
}

impl<'l> Builder<'l> {
    pub fn new(name: &str, limits: &'l Limits, warnings: &mut Vec<Diagnostic>) -> Self {
        let (shown, shortened) = shown_name(name, limits.max_label_chars);
        if shortened {
            warnings.push(
                Diagnostic::new(format!(
                    "diagram name longer than {} characters was shortened to {shown:?}",
                    limits.max_label_chars
                ))
                .with_help("use a shorter title, or raise --max-label-chars"),
            );
        }
        Builder {
            diagram: Diagram::new(shown),
            limits,
            flows_by_file_id: HashMap::new(),
            threats: Vec::new(),
        }
    }

    /// Where the object with the file's id `id` is, for diagnostics and origins.
    pub fn at(&self, id: &str) -> Location {
        Location::Cell { page: self.diagram.name.clone(), cell: Some(id.to_string()), line: None }
    }

    /// An id from the file as shown (see [`shown_name`]), with a warning when shortened. The same
    /// file id always gives the same result, so references still meet.
    pub fn id(&self, raw: &str, warnings: &mut Vec<Diagnostic>) -> String {
        let (id, shortened) = shown_name(raw, self.limits.max_label_chars);
        if shortened {
            warnings.push(
                Diagnostic::new(format!(
                    "id longer than {} characters was shortened to {id:?}",
                    self.limits.max_label_chars
                ))
                .with_location(self.at(&id))
                .with_help("use shorter ids, or raise --max-label-chars"),
            );
        }
        id
    }

    /// A name or text as shown: control characters removed, cut at `--max-label-chars` with a
    /// warning naming `owner` (the object's id).
    pub fn label(&self, raw: &str, owner: &str, warnings: &mut Vec<Diagnostic>) -> String {
        let text = clean_label(raw.trim());
        match cut_chars(&text, self.limits.max_label_chars) {
            Some(kept) => {
                warnings.push(
                    Diagnostic::new(format!(
                        "text longer than {} characters was cut",
                        self.limits.max_label_chars
                    ))
                    .with_location(self.at(owner))
                    .with_help("shorten the name, or raise --max-label-chars"),
                );
                kept.to_string()
            }
            None => text.into_owned(),
        }
    }

    /// Adds an element; past `--max-elements`, the error.
    pub fn element(&mut self, mut element: Element) -> Result<NodeIndex, Diagnostic> {
        if self.diagram.element_count() >= self.limits.max_elements {
            return Err(Diagnostic::new(format!(
                "the model has more than {} elements",
                self.limits.max_elements
            ))
            .with_location(self.at(&element.id))
            .with_help("split the model, or raise --max-elements"));
        }
        if element.origin.is_none() {
            element.origin = Some(self.at(&element.id));
        }
        Ok(self.diagram.add_element(element))
    }

    /// Adds a flow made from the file's flow `file_id`; past `--max-flows`, the error.
    pub fn flow(
        &mut self,
        file_id: &str,
        (from, to): (NodeIndex, NodeIndex),
        label: String,
        attributes: Attributes,
    ) -> Result<EdgeIndex, Diagnostic> {
        if self.diagram.flow_count() >= self.limits.max_flows {
            return Err(Diagnostic::new(format!(
                "the model has more than {} flows",
                self.limits.max_flows
            ))
            .with_location(self.at(file_id))
            .with_help("split the model, or raise --max-flows"));
        }
        let origin = Some(self.at(file_id));
        let edge = self.diagram.add_flow(from, to, label, attributes, origin);
        self.flows_by_file_id.entry(file_id.to_string()).or_insert(edge);
        Ok(edge)
    }

    /// Adds boundaries drawn as boxes, parents first: a box's parent is the smallest larger box
    /// around it (the file order breaks ties). Boxes without bounds keep the parent they were
    /// given and come after.
    pub fn boxes(&mut self, mut boxes: Vec<Boundary>) -> Vec<BoundaryId> {
        let area = |b: &Boundary| b.visual.bounds.map_or(f64::NEG_INFINITY, |r| r.area());
        let mut order: Vec<usize> = (0..boxes.len()).collect();
        order.sort_by(|&a, &b| area(&boxes[b]).total_cmp(&area(&boxes[a])).then(a.cmp(&b)));
        let drawn: Vec<usize> =
            order.iter().copied().filter(|&i| boxes[i].visual.bounds.is_some()).collect();
        let rects: Vec<Rect> = drawn.iter().filter_map(|&i| boxes[i].visual.bounds).collect();
        let undrawn: Vec<usize> =
            (0..boxes.len()).filter(|&i| boxes[i].visual.bounds.is_none()).collect();
        let parents = nest(&rects);
        let mut ids = vec![0; boxes.len()];
        for (k, &i) in drawn.iter().enumerate() {
            let mut boundary = std::mem::replace(&mut boxes[i], Boundary::new("", "", ""));
            boundary.parent = parents[k].map(|p| ids[drawn[p]]);
            ids[i] = self.diagram.add_boundary(boundary);
        }
        for i in undrawn {
            let boundary = std::mem::replace(&mut boxes[i], Boundary::new("", "", ""));
            ids[i] = self.diagram.add_boundary(boundary);
        }
        ids
    }

    /// Puts every element that has bounds and no boundary yet in the smallest box around its
    /// centre.
    pub fn place_by_geometry(&mut self) {
        let boxes: Vec<(usize, Rect)> = (self.diagram.boundaries.iter().enumerate())
            .filter(|(_, b)| b.line.is_none())
            .filter_map(|(i, b)| b.visual.bounds.map(|r| (i, r)))
            .collect();
        if boxes.is_empty() {
            return;
        }
        let regions = Regions::new(&boxes);
        for element in self.diagram.graph.node_weights_mut() {
            if element.boundary.is_none() {
                element.boundary =
                    element.visual.bounds.and_then(|b| innermost(&regions, b.center()));
            }
        }
    }

    /// Records a threat the model holds, on the object with the file's id `target`.
    pub fn threat(&mut self, threat: RecordedThreat, target: Option<String>) {
        self.threats.push((threat, target));
    }

    /// Gives parallel flows ids from the file's flow ids, points recorded threats at our ids and
    /// works out the drawing's extent.
    pub fn finish(mut self) -> Diagram {
        self.diagram.identify_parallel_flows(|_, flow| match &flow.origin {
            Some(Location::Cell { cell: Some(cell), .. }) => cell.clone(),
            _ => String::new(),
        });
        let d = &mut self.diagram;
        for (mut threat, target) in self.threats {
            threat.target = target.and_then(|t| {
                if let Some(node) = d.element_index(&t) {
                    return Some(d.element(node).id.clone());
                }
                if let Some(&edge) = self.flows_by_file_id.get(&t) {
                    return Some(d.graph[edge].id.clone());
                }
                d.boundaries.iter().find(|b| b.id == t).map(|b| b.id.clone())
            });
            d.recorded_threats.push(threat);
        }
        d.bounds = extent(d);
        self.diagram
    }
}

/// The shape a DFD notation draws for a kind: a box for an external entity, a circle for a
/// process, the open-ended box for a store.
pub fn shape_of(kind: ElementKind) -> Shape {
    match kind {
        ElementKind::ExternalEntity => Shape::Rectangle,
        ElementKind::Process => Shape::Ellipse,
        ElementKind::DataStore => Shape::OpenRectangle,
    }
}

/// A box from a position and a size, when both are finite and the size is not negative.
pub fn rect(x: f64, y: f64, width: f64, height: f64) -> Option<Rect> {
    let finite = [x, y, width, height].iter().all(|v| v.is_finite());
    (finite && width >= 0.0 && height >= 0.0).then_some(Rect { x, y, width, height })
}

/// The extent of everything drawn: element and boundary boxes, boundary lines, flow bends.
pub fn extent(diagram: &Diagram) -> Option<Rect> {
    let mut acc: Option<(f64, f64, f64, f64)> = None;
    let mut add = |x0: f64, y0: f64, x1: f64, y1: f64| {
        acc = Some(match acc {
            None => (x0, y0, x1, y1),
            Some((a, b, c, d)) => (a.min(x0), b.min(y0), c.max(x1), d.max(y1)),
        });
    };
    for (_, e) in diagram.elements() {
        if let Some(b) = e.visual.bounds {
            add(b.x, b.y, b.x + b.width, b.y + b.height);
        }
    }
    for b in &diagram.boundaries {
        if let Some(r) = b.visual.bounds {
            add(r.x, r.y, r.x + r.width, r.y + r.height);
        }
        for p in b.line.iter().flatten() {
            add(p.x, p.y, p.x, p.y);
        }
    }
    for f in diagram.flows() {
        for p in &f.flow.waypoints {
            add(p.x, p.y, p.x, p.y);
        }
    }
    acc.map(|(x0, y0, x1, y1)| Rect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 })
}

/// Sets `name=true` when `flag` is set: a tool's unticked box says nothing, so it declares
/// nothing (`encrypted=false` would claim a fact the author never stated).
pub fn flag(attributes: &mut Attributes, name: &str, flag: bool) {
    if flag {
        attributes.insert(name.to_string(), "true".to_string());
    }
}

/// Sets `name=value` when the value, trimmed and without control characters, is not empty.
pub fn text(attributes: &mut Attributes, name: &str, value: &str) {
    let value = clean_label(value.trim()).into_owned();
    if !value.is_empty() {
        attributes.insert(name.to_string(), value);
    }
}

/// The diagram named `wanted` when one is asked for (`--page`), else all of them.
pub fn only_page(
    mut diagrams: Vec<Diagram>,
    wanted: Option<&str>,
) -> Result<Vec<Diagram>, Diagnostic> {
    let Some(wanted) = wanted else { return Ok(diagrams) };
    let names: Vec<String> = diagrams.iter().map(|d| format!("{:?}", d.name)).collect();
    diagrams.retain(|d| d.name == wanted);
    if diagrams.is_empty() {
        return Err(Diagnostic::new(format!("there is no diagram named {wanted:?}"))
            .with_help(format!("the diagrams are {}", names.join(", "))));
    }
    Ok(diagrams)
}
