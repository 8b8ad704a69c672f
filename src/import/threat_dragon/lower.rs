//! From Threat Dragon cells to a [`Diagram`].
//!
//! Properties become the attributes the catalog reads (see the README's mapping table):
//!
//! | Threat Dragon | attribute |
//! |---|---|
//! | flow `protocol` | `protocol` (lower case; `HTTP/S` is `https`) |
//! | flow `isEncrypted` | `encrypted=true` |
//! | flow `isPublicNetwork` | `public_network=true` |
//! | flow `isBidirectional` | a second flow the other way |
//! | store `isEncrypted` | `encrypted_at_rest=true` |
//! | store `isSigned` | `signed=true` |
//! | store `isALog` | `audit_log=true` |
//! | store `storesCredentials` | `classification=credentials` |
//! | process `handlesCardPayment` | `classification=pci` |
//! | process `handlesGoodsOrServices` | `transaction=true` |
//! | process `isWebApplication` | `web_application=true` |
//! | process `privilegeLevel` | `privilege_level` |
//! | actor `providesAuthentication` | `provides_authentication=true` |
//! | `outOfScope`, `reasonOutOfScope` | `out_of_scope=true`, `out_of_scope_reason` |
//! | `description` | `description` |
//!
//! Unticked boxes declare nothing. A flow end left loose on the canvas (`{x, y}` instead of a
//! cell) is attached to the element drawn under it, with a warning; with none there, the flow is
//! left out with a warning.

use std::collections::HashMap;

use petgraph::graph::NodeIndex;
use serde_json::{Map, Value};

use super::cells::{read, Cell, End, Role};
use crate::diagnostic::Diagnostic;
use crate::import::builder::{flag, shape_of, text, Builder};
use crate::import::hints::{boundary_trust, technology_from};
use crate::import::structured::{self, string};
use crate::import::Limits;
use crate::model::{
    Attributes, Boundary, Diagram, Drawn, Element, ElementKind, Point, RecordedThreat, Shape,
};

/// How far (in pixels) from an element a loose flow end may lie and still be read as on it.
const LOOSE_END_REACH: f64 = 10.0;

pub fn lower(
    name: &str,
    raw: &[Value],
    limits: &Limits,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Diagram, Diagnostic> {
    let mut b = Builder::new(name, limits, warnings);
    let mut cells: Vec<Cell<'_>> = raw.iter().enumerate().map(|(i, v)| read(v, i)).collect();
    for cell in &mut cells {
        cell.id = b.id(&cell.id, warnings);
    }
    let mut nodes: HashMap<&str, NodeIndex> = HashMap::new();
    for cell in &cells {
        if let Role::Element(kind) = cell.role {
            let element = element(&b, cell, kind, warnings);
            nodes.insert(&cell.id, b.element(element)?);
        }
    }
    boundaries(&mut b, &cells, &nodes, warnings);
    b.place_by_geometry();
    for cell in cells.iter().filter(|c| c.role == Role::Flow) {
        flow(&mut b, cell, &nodes, warnings)?;
    }
    for cell in &cells {
        if cell.role == Role::Other && !cell.kind_word.starts_with("td-text") {
            warnings.push(
                Diagnostic::new(format!(
                    "cell of type {:?} is not a Threat Dragon element, flow or boundary; it is left out",
                    cell.kind_word
                ))
                .with_location(b.at(&cell.id))
                .with_help("only actors, processes, stores, flows and trust boundaries are read"),
            );
        }
        threats(&mut b, cell, warnings);
    }
    Ok(b.finish())
}

fn element(
    b: &Builder<'_>,
    cell: &Cell<'_>,
    kind: ElementKind,
    w: &mut Vec<Diagnostic>,
) -> Element {
    let mut e = Element::new(cell.id.clone(), kind, format!("Threat Dragon {}", cell.kind_word));
    e.label = b.label(&cell.name, &cell.id, w);
    e.attributes = attributes(cell.properties, Some(kind));
    let written = cell.properties.get(super::TECHNOLOGY).and_then(string);
    e.technology = written
        .and_then(|id| crate::model::technology(id.trim()))
        .or_else(|| technology_from(&e.attributes, &e.label).map(|(t, _)| t))
        .map(|t| t.id.to_string());
    e.visual.bounds = cell.bounds;
    e.visual.shape = shape_of(kind);
    e
}

/// What every cell may say: a description, and whether it is out of scope.
fn common(p: &Map<String, Value>) -> Attributes {
    let mut a = extra_attributes(p);
    let get = |key: &str| p.get(key).and_then(string).unwrap_or_default();
    text(&mut a, "description", &get("description"));
    if p.get("outOfScope").is_some_and(structured::flag) {
        flag(&mut a, "out_of_scope", true);
        text(&mut a, "out_of_scope_reason", &get("reasonOutOfScope"));
    }
    a
}

/// Longest attribute name read from `dfdThreatsAttributes`.
const MAX_ATTRIBUTE_NAME: usize = 64;

/// The attributes dfd-threats wrote under `data.dfdThreatsAttributes` (those Threat Dragon has
/// no property for; see the Threat Dragon writer): read first, so the cell's own properties,
/// which a person may have changed in Threat Dragon since, win. Names that are not plain
/// attribute names are left out.
fn extra_attributes(p: &Map<String, Value>) -> Attributes {
    let mut a = Attributes::new();
    let Some(map) = p.get(super::EXTRA_ATTRIBUTES).and_then(Value::as_object) else {
        return a;
    };
    let plain = |k: &str| {
        !k.is_empty()
            && k.len() <= MAX_ATTRIBUTE_NAME
            && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    for (key, value) in map.iter().filter(|(k, _)| plain(k)) {
        if let Some(value) = string(value) {
            text(&mut a, key, &value);
        }
    }
    a
}

/// The attributes of an element (`kind`) or a flow (`None`).
fn attributes(p: &Map<String, Value>, kind: Option<ElementKind>) -> Attributes {
    let mut a = common(p);
    let yes = |key: &str| p.get(key).is_some_and(structured::flag);
    let get = |key: &str| p.get(key).and_then(string).unwrap_or_default();
    match kind {
        None => {
            let protocol = get("protocol").trim().to_lowercase();
            text(&mut a, "protocol", if protocol == "http/s" { "https" } else { &protocol });
            flag(&mut a, "encrypted", yes("isEncrypted"));
            flag(&mut a, "public_network", yes("isPublicNetwork"));
        }
        Some(ElementKind::DataStore) => {
            flag(&mut a, "encrypted_at_rest", yes("isEncrypted"));
            flag(&mut a, "signed", yes("isSigned"));
            flag(&mut a, "audit_log", yes("isALog"));
            if yes("storesCredentials") {
                a.insert("classification".into(), "credentials".into());
            }
        }
        Some(ElementKind::Process) => {
            if yes("handlesCardPayment") {
                a.insert("classification".into(), "pci".into());
            }
            flag(&mut a, "transaction", yes("handlesGoodsOrServices"));
            flag(&mut a, "web_application", yes("isWebApplication"));
            text(&mut a, "privilege_level", &get("privilegeLevel"));
        }
        Some(ElementKind::ExternalEntity) => {
            flag(&mut a, "provides_authentication", yes("providesAuthentication"));
        }
    }
    a
}

/// Boundary boxes (nested by geometry) and boundary curves (lines through their points).
fn boundaries(
    b: &mut Builder<'_>,
    cells: &[Cell<'_>],
    nodes: &HashMap<&str, NodeIndex>,
    w: &mut Vec<Diagnostic>,
) {
    let mut boxes = Vec::new();
    for cell in cells {
        if !matches!(cell.role, Role::BoundaryBox | Role::BoundaryCurve) {
            continue;
        }
        let label = b.label(&cell.name, &cell.id, w);
        let why = format!("Threat Dragon {}", cell.kind_word);
        let mut boundary = Boundary::new(cell.id.clone(), label, why);
        boundary.attributes = common(cell.properties);
        boundary.trust = boundary_trust(&boundary.attributes, &boundary.label);
        boundary.origin = Some(b.at(&cell.id));
        if cell.role == Role::BoundaryBox {
            boundary.visual.bounds = cell.bounds;
            boundary.visual.shape = Shape::Rectangle;
            boxes.push(boundary);
            continue;
        }
        let at = |end: &End| match end {
            End::Point(p) => Some(*p),
            End::Cell(id) => nodes
                .get(id.as_str())
                .and_then(|&n| b.diagram.element(n).visual.bounds.map(|r| r.center())),
            End::Missing => None,
        };
        let mut line: Vec<Point> = at(&cell.source).into_iter().collect();
        line.extend(&cell.vertices);
        line.extend(at(&cell.target));
        if line.len() >= 2 {
            boundary.line = Some(line);
            b.diagram.add_boundary(boundary);
        }
    }
    b.boxes(boxes);
}

fn flow(
    b: &mut Builder<'_>,
    cell: &Cell<'_>,
    nodes: &HashMap<&str, NodeIndex>,
    w: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    let ends = [&cell.source, &cell.target].map(|end| resolve(b, cell, end, nodes, w));
    let [Some(from), Some(to)] = ends else { return Ok(()) };
    let label = b.label(&cell.name, &cell.id, w);
    let attributes = attributes(cell.properties, None);
    let bidirectional = cell.properties.get("isBidirectional").is_some_and(structured::flag);
    let edge = b.flow(&cell.id, (from, to), label.clone(), attributes.clone())?;
    b.diagram.graph[edge].waypoints = cell.vertices.clone();
    if bidirectional {
        let back = b.flow(&cell.id, (to, from), label, attributes)?;
        b.diagram.graph[back].waypoints = cell.vertices.iter().rev().copied().collect();
        b.diagram.graph[back].drawn = Drawn::Backward;
    }
    Ok(())
}

/// The element a flow end is on: the cell it names, or the element drawn under a loose point.
fn resolve(
    b: &Builder<'_>,
    cell: &Cell<'_>,
    end: &End,
    nodes: &HashMap<&str, NodeIndex>,
    w: &mut Vec<Diagnostic>,
) -> Option<NodeIndex> {
    let warn = |message: String, help: &str| {
        Diagnostic::new(message).with_location(b.at(&cell.id)).with_help(help.to_string())
    };
    match end {
        End::Cell(id) => {
            let node = nodes.get(b.id(id, &mut Vec::new()).as_str()).copied();
            if node.is_none() {
                w.push(warn(
                    format!("flow ends on {id:?}, which is not an actor, process or store, so it is not a data flow"),
                    "connect the flow to an element in Threat Dragon",
                ));
            }
            node
        }
        End::Point(p) => {
            let under = b.diagram.elements().find(|(_, e)| {
                e.visual.bounds.is_some_and(|r| {
                    let grown = crate::import::builder::rect(
                        r.x - LOOSE_END_REACH,
                        r.y - LOOSE_END_REACH,
                        r.width + 2.0 * LOOSE_END_REACH,
                        r.height + 2.0 * LOOSE_END_REACH,
                    );
                    grown.is_some_and(|g| g.contains_point(*p))
                })
            });
            match under {
                Some((node, e)) => {
                    w.push(warn(
                        format!(
                            "flow end is not attached to an element; it is read as ending on {:?} (cell {:?}), drawn under it",
                            crate::import::text::one_line(&e.label),
                            e.id
                        ),
                        "drag the flow's end onto the element in Threat Dragon so that it sticks",
                    ));
                    Some(node)
                }
                None => {
                    w.push(warn(
                        "flow end is not attached to any element, so it is not a data flow".into(),
                        "connect both ends of the flow to elements in Threat Dragon",
                    ));
                    None
                }
            }
        }
        End::Missing => {
            w.push(warn(
                "flow has no source or target, so it is not a data flow".into(),
                "connect both ends of the flow to elements in Threat Dragon",
            ));
            None
        }
    }
}

/// The threats recorded on a cell (`threats` in version 1, `data.threats` in version 2).
fn threats(b: &mut Builder<'_>, cell: &Cell<'_>, w: &mut Vec<Diagnostic>) {
    let Some(list) = cell.properties.get("threats").and_then(Value::as_array) else { return };
    for t in list {
        let mut get = |key: &str| {
            t.get(key)
                .and_then(string)
                .filter(|s| !s.trim().is_empty())
                .map(|s| b.label(&s, &cell.id, w))
        };
        let threat = RecordedThreat {
            id: get("threatId").or_else(|| get("id")).or_else(|| get("number")),
            title: get("title").unwrap_or_else(|| "(untitled threat)".into()),
            target: None,
            status: get("status"),
            severity: get("severity").or_else(|| get("score")),
            category: get("type"),
            mitigation: get("mitigation"),
        };
        b.threat(threat, Some(cell.id.clone()));
    }
}
