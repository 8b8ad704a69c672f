//! OWASP Threat Dragon (version 2) writer: a model Threat Dragon opens, one Threat Dragon
//! diagram per diagram, with our findings as the threats of its cells.
//!
//! - Elements are `actor`, `process` and `store` cells, trust boundaries `trust-boundary-box`
//!   cells (or `trust-boundary-curve` for a boundary drawn as a line), flows `flow` cells, all
//!   where the layout puts them (the user's drawing, or a computed one). Cell ids are our ids.
//! - Each threat (a rule's finding on one element or flow) is a threat of that cell: title,
//!   status (`Open`, `Mitigated`; accepted risks are `NotApplicable`, the closest Threat Dragon
//!   has), severity (`Low` to `Critical`), STRIDE type, the rule's description, and the
//!   mitigations with what the diagram declares for each.
//! - Attributes Threat Dragon has a property for (`protocol`, `isEncrypted`, `isALog`...) are
//!   written as those properties; the others go under `data.dfdThreatsAttributes`, which the
//!   Threat Dragon reader reads back (Threat Dragon keeps unknown `data` keys), as it does an
//!   element's technology id (`data.dfdThreatsTechnology`), so a model written here and read
//!   again gives the same findings.

use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::graph::NodeIndex;

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::registry::{WriterOptions, Written};
use super::Report;
// Where attributes without a Threat Dragon property of their own are kept in `data`: the key the
// Threat Dragon reader reads them back from.
use crate::import::threat_dragon::{EXTRA_ATTRIBUTES, TECHNOLOGY};
use crate::layout::layout;
use crate::model::{Attributes, Boundary, Diagram, ElementKind, Point, Rect, TrustDeclaration};
use crate::threats::rule::Category;
use crate::threats::{Level, Status, Threat};

/// The Threat Dragon version whose model shape this writes.
const VERSION: &str = "2.3.0";

/// Which kind of cell a native property belongs to: an element kind, or a flow.
#[derive(Clone, Copy, PartialEq)]
enum On {
    Any,
    Flow,
    Kind(ElementKind),
}

/// How an attribute is a Threat Dragon property: a text, a text the reader lower-cases (so only
/// a lower-case value reads back as it is), or a box ticked when the attribute has this exact
/// value (the value the Threat Dragon reader gives it).
enum Native {
    Text,
    Lower,
    Ticked(&'static str),
}

/// Our attributes that are Threat Dragon properties: the Threat Dragon reader's mapping, read
/// backwards.
const NATIVE: &[(On, &str, &str, Native)] = &[
    (On::Any, "description", "description", Native::Text),
    (On::Any, "out_of_scope", "outOfScope", Native::Ticked("true")),
    (On::Any, "out_of_scope_reason", "reasonOutOfScope", Native::Text),
    (On::Flow, "protocol", "protocol", Native::Lower),
    (On::Flow, "encrypted", "isEncrypted", Native::Ticked("true")),
    (On::Flow, "public_network", "isPublicNetwork", Native::Ticked("true")),
    (On::Kind(ElementKind::DataStore), "encrypted_at_rest", "isEncrypted", Native::Ticked("true")),
    (On::Kind(ElementKind::DataStore), "signed", "isSigned", Native::Ticked("true")),
    (On::Kind(ElementKind::DataStore), "audit_log", "isALog", Native::Ticked("true")),
    (
        On::Kind(ElementKind::DataStore),
        "classification",
        "storesCredentials",
        Native::Ticked("credentials"),
    ),
    (On::Kind(ElementKind::Process), "classification", "handlesCardPayment", Native::Ticked("pci")),
    (
        On::Kind(ElementKind::Process),
        "transaction",
        "handlesGoodsOrServices",
        Native::Ticked("true"),
    ),
    (On::Kind(ElementKind::Process), "web_application", "isWebApplication", Native::Ticked("true")),
    (On::Kind(ElementKind::Process), "privilege_level", "privilegeLevel", Native::Text),
    (
        On::Kind(ElementKind::ExternalEntity),
        "provides_authentication",
        "providesAuthentication",
        Native::Ticked("true"),
    ),
];

#[derive(Serialize)]
struct Model {
    version: &'static str,
    summary: Value,
    detail: Detail,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Detail {
    contributors: Vec<Value>,
    diagrams: Vec<Value>,
    diagram_top: usize,
    reviewer: &'static str,
    threat_top: usize,
}

/// The report as a Threat Dragon v2 model, indented, with a final newline.
pub fn write(report: &Report<'_>, _: &WriterOptions<'_>) -> Result<Written, String> {
    let mut number = 0;
    let diagrams: Vec<Value> = report
        .diagrams()
        .enumerate()
        .map(|(i, (diagram, _, threats))| self::diagram(i, diagram, threats, &mut number))
        .collect();
    let document = report.document;
    let title = match document.diagrams.as_slice() {
        [only] => only.name.clone(),
        _ => super::markdown::document_stem(&document.path),
    };
    let model = Model {
        version: VERSION,
        summary: json!({
            "title": title,
            "owner": "",
            "description": format!(
                "Threat model of {} ({}), by dfd-threats {}",
                document.path,
                document.format.name(),
                env!("CARGO_PKG_VERSION")
            ),
            "id": 0,
        }),
        detail: Detail {
            contributors: Vec::new(),
            diagram_top: diagrams.len(),
            diagrams,
            reviewer: "",
            threat_top: number,
        },
    };
    let mut text = serde_json::to_string_pretty(&model).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(Written { parts: vec![(String::new(), text)], warnings: Vec::new() })
}

/// Whether a file's start shows it is a Threat Dragon model this writer wrote.
pub fn ours(head: &str) -> bool {
    head.contains("\"summary\"") && head.contains(", by dfd-threats ")
}

fn diagram(index: usize, diagram: &Diagram, threats: &[Threat], number: &mut usize) -> Value {
    let layout = layout(diagram);
    let mut ids = CellIds::default();
    let mut element_cells: HashMap<NodeIndex, String> = HashMap::new();
    let mut cells = Vec::new();
    let mut z = 0;
    for (i, b) in diagram.boundaries.iter().enumerate() {
        z += 1;
        let data = data("tm.BoundaryBox", &b.label, &with_trust(b), On::Any, true, Vec::new());
        let id = ids.take(&b.id);
        let cell = match (&b.line, layout.boundaries.get(i).copied().flatten()) {
            (Some(line), _) => curve(&id, line, z, data),
            (None, Some(rect)) => {
                let mut cell = boxed(&id, "trust-boundary-box", rect, z - 1000, data);
                cell["attrs"] = json!({"label": {"text": b.label}});
                cell
            }
            (None, None) => continue,
        };
        cells.push(cell);
    }
    for (node, e) in diagram.elements() {
        let Some(&rect) = layout.elements.get(node.index()) else { continue };
        z += 1;
        let on_it: Vec<&Threat> = threats.iter().filter(|t| t.target_id == e.id).collect();
        let list = on_it.iter().map(|t| threat(t, diagram, number)).collect();
        let (shape, kind) = match e.kind {
            ElementKind::ExternalEntity => ("actor", "tm.Actor"),
            ElementKind::Process => ("process", "tm.Process"),
            ElementKind::DataStore => ("store", "tm.Store"),
        };
        let mut data = data(kind, &e.label, &e.attributes, On::Kind(e.kind), false, list);
        data["hasOpenThreats"] = json!(on_it.iter().any(|t| t.status == Status::Open));
        if let Some(technology) = &e.technology {
            data[TECHNOLOGY] = json!(technology);
        }
        let id = ids.take(&e.id);
        element_cells.insert(node, id.clone());
        let mut cell = boxed(&id, shape, rect, z, data);
        cell["attrs"] = element_attrs(e.kind, &e.label);
        cells.push(cell);
    }
    for f in diagram.flows() {
        z += 1;
        let on_it: Vec<&Threat> = threats.iter().filter(|t| t.target_id == f.flow.id).collect();
        let list = on_it.iter().map(|t| threat(t, diagram, number)).collect();
        let mut data = data("tm.Flow", &f.flow.label, &f.flow.attributes, On::Flow, false, list);
        data["hasOpenThreats"] = json!(on_it.iter().any(|t| t.status == Status::Open));
        data["isBidirectional"] = json!(false);
        let points = layout.flows.get(f.index.index()).map_or(&[][..], Vec::as_slice);
        let vertices: Vec<Value> = match points {
            [_, inner @ .., _] => inner.iter().map(|p| point(*p)).collect(),
            _ => Vec::new(),
        };
        cells.push(json!({
            "id": ids.take(&f.flow.id),
            "shape": "flow",
            "zIndex": z,
            "attrs": {"line": {"stroke": "#333333", "targetMarker": {"name": "block"},
                               "sourceMarker": {"name": ""}, "strokeDasharray": ""}},
            "labels": [flow_label(&f.flow.label)],
            "connector": "smooth",
            "source": {"cell": element_cells.get(&f.from)},
            "target": {"cell": element_cells.get(&f.to)},
            "vertices": vertices,
            "data": data,
        }));
    }
    json!({
        "version": VERSION,
        "title": diagram.name,
        "description": "",
        "thumbnail": "./public/content/images/thumbnail.stride.jpg",
        "diagramType": "STRIDE",
        "id": index,
        "cells": cells,
    })
}

/// A boundary's attributes with its trust as a `trust` attribute when none says it (a Threagile
/// trust boundary's type, say, decided it): Threat Dragon has no trust property, and the reader
/// reads `trust=` as any reader does.
fn with_trust(b: &Boundary) -> Attributes {
    let mut attributes = b.attributes.clone();
    let said =
        ["trust", "trust_level", "trusted", "zone"].iter().any(|k| attributes.contains_key(*k));
    let trust = match &b.trust {
        TrustDeclaration::Unspecified => None,
        TrustDeclaration::Untrusted { .. } => Some("untrusted".to_string()),
        TrustDeclaration::Trusted { .. } => Some("trusted".to_string()),
        TrustDeclaration::Exposed { .. } => Some("exposed".to_string()),
        TrustDeclaration::Level(n) => Some(n.to_string()),
    };
    if let (false, Some(trust)) = (said, trust) {
        attributes.insert("trust".into(), trust);
    }
    attributes
}

/// Cell ids: our ids, made unique and at least two characters long (Threat Dragon's schema).
#[derive(Default)]
struct CellIds(HashSet<String>);

impl CellIds {
    fn take(&mut self, id: &str) -> String {
        let base = if id.chars().count() < 2 { format!("cell-{id}") } else { id.to_string() };
        let mut candidate = base.clone();
        let mut n = 1;
        while !self.0.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{base}#{n}");
        }
        candidate
    }
}

/// A cell's `data`: its type, name, properties and threats.
fn data(
    kind: &str,
    name: &str,
    attributes: &Attributes,
    on: On,
    boundary: bool,
    threats: Vec<Value>,
) -> Value {
    let mut data = Map::new();
    data.insert("type".into(), json!(kind));
    data.insert("name".into(), json!(name));
    data.insert("isTrustBoundary".into(), json!(boundary));
    data.insert("hasOpenThreats".into(), json!(false));
    let mut extra = BTreeMap::new();
    for (key, value) in attributes {
        let native = NATIVE.iter().find(|(o, k, _, n)| {
            (*o == On::Any || *o == on)
                && *k == key.as_str()
                && match n {
                    Native::Text => true,
                    Native::Lower => *value == value.trim().to_lowercase() && value != "http/s",
                    Native::Ticked(v) => *v == value.as_str(),
                }
        });
        match native {
            Some((_, _, property, Native::Text | Native::Lower)) => {
                data.insert(property.to_string(), json!(value));
            }
            Some((_, _, property, Native::Ticked(_))) => {
                data.insert(property.to_string(), json!(true));
            }
            None => {
                extra.insert(key.as_str(), value.as_str());
            }
        }
    }
    if !extra.is_empty() {
        data.insert(EXTRA_ATTRIBUTES.into(), json!(extra));
    }
    if !boundary {
        data.insert("threats".into(), Value::Array(threats));
    }
    Value::Object(data)
}

fn boxed(id: &str, shape: &str, rect: Rect, z: i64, data: Value) -> Value {
    json!({
        "id": id,
        "shape": shape,
        "zIndex": z,
        "position": {"x": round(rect.x), "y": round(rect.y)},
        "size": {"width": round(rect.width.max(10.0)), "height": round(rect.height.max(10.0))},
        "visible": true,
        "data": data,
    })
}

fn element_attrs(kind: ElementKind, label: &str) -> Value {
    let line = json!({"stroke": "#333333", "strokeWidth": 1.5, "strokeDasharray": ""});
    match kind {
        ElementKind::DataStore => {
            json!({"text": {"text": label}, "topLine": line, "bottomLine": line})
        }
        _ => json!({"text": {"text": label}, "body": line}),
    }
}

/// A boundary drawn as a line: a curve through its points (whole pixels, as the schema says).
fn curve(id: &str, line: &[Point], z: i64, data: Value) -> Value {
    let whole = |p: &Point| json!({"x": p.x.round() as i64, "y": p.y.round() as i64});
    let inner: Vec<Value> = match line {
        [_, inner @ .., _] => inner.iter().map(|p| point(*p)).collect(),
        _ => Vec::new(),
    };
    json!({
        "id": id,
        "shape": "trust-boundary-curve",
        "zIndex": z,
        "attrs": {"line": {"targetMarker": "", "sourceMarker": ""}},
        "connector": "smooth",
        "source": line.first().map(whole),
        "target": line.last().map(whole),
        "vertices": inner,
        "data": data,
    })
}

/// A flow's label as Threat Dragon draws one: text on a white ellipse, half-way along.
fn flow_label(text: &str) -> Value {
    json!({
        "markup": [{"tagName": "ellipse", "selector": "labelBody"},
                   {"tagName": "text", "selector": "labelText"}],
        "attrs": {
            "labelText": {"text": text, "textAnchor": "middle", "textVerticalAnchor": "middle"},
            "labelBody": {"ref": "labelText", "refRx": "50%", "refRy": "60%", "fill": "#fff",
                          "strokeWidth": 0},
        },
        "position": 0.5,
    })
}

fn point(p: Point) -> Value {
    json!({"x": round(p.x), "y": round(p.y)})
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// One threat of a cell, numbered across the model as Threat Dragon numbers them.
fn threat(t: &Threat, diagram: &Diagram, number: &mut usize) -> Value {
    *number += 1;
    let mitigation: Vec<String> = t
        .rule
        .mitigations
        .iter()
        .zip(&t.mitigations)
        .map(|(m, state)| {
            let (advice, _) = t.advice(Some(diagram), m);
            if state.present {
                format!("{advice} (declared: {})", state.found.join("; "))
            } else {
                advice.to_string()
            }
        })
        .collect();
    json!({
        "id": t.id,
        "threatId": t.id,
        "number": *number,
        "title": t.title,
        "status": status(t.status),
        "severity": severity(t.severity),
        "type": stride(t.rule.category),
        "modelType": "STRIDE",
        "description": t.rule.description,
        "mitigation": mitigation.join("\n\n"),
        "score": t.residual_risk.name(),
    })
}

fn status(status: Status) -> &'static str {
    match status {
        Status::Open => "Open",
        Status::Mitigated => "Mitigated",
        Status::Accepted => "NotApplicable",
    }
}

fn severity(level: Level) -> &'static str {
    match level {
        Level::None | Level::Low => "Low",
        Level::Medium => "Medium",
        Level::High => "High",
        Level::Critical => "Critical",
    }
}

/// The STRIDE category as Threat Dragon spells it.
fn stride(category: Category) -> &'static str {
    match category {
        Category::Spoofing => "Spoofing",
        Category::Tampering => "Tampering",
        Category::Repudiation => "Repudiation",
        Category::InformationDisclosure => "Information disclosure",
        Category::DenialOfService => "Denial of service",
        Category::ElevationOfPrivilege => "Elevation of privilege",
    }
}
