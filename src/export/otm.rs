//! Open Threat Model (OTM 0.2.0) writer: the inventory, the findings and the mitigations as the
//! JSON that IriusRisk, StartLeft and Threat Dragon exchange.
//!
//! - Every **trust boundary** is a trust zone, nested by `parent.trustZone`, with a
//!   `risk.trustRating` (0–100): the `trust_rating` the input gave, else one from the boundary's
//!   trust (untrusted 10, exposed 50, trusted 90, `trust=N` 60 + 10·N, capped at 100; a grouping
//!   rates as what surrounds it, 90 at the top).
//! - Every **element** is a component whose `type` is the input's OTM type, else its technology
//!   id, else `external-entity`, `process` or `data-store`, in its innermost zone. OTM needs a
//!   parent for every component: elements outside every boundary go into one extra zone,
//!   [`OUTSIDE_ID`], rated as untrusted.
//! - Every **flow** is a data flow; its id is the input's own flow id (an OTM data flow id, a
//!   draw.io edge id) when it has one, else ours (`from->to`).
//! - Every **finding** is a threat (`F-` id; categories, CWEs, impact and likelihood on the
//!   0–100 scale) with one threat instance on each target component or data flow, whose state
//!   is `exposed`, `mitigated` or `accepted`; each instance lists the rule's mitigations as
//!   `implemented` (declared in the diagram) or `required`.
//! - Every **mitigation** of a rule that found something is a mitigation (`RULE/M1`...).
//! - Positions come from the layout (the user's drawing or a computed one), each relative to its
//!   parent as OTM says, in one `diagram` representation per diagram.
//!
//! Ids are the input's ids (an OTM file read and written keeps its zones, components and flows);
//! with several diagrams in one document, each diagram's ids are prefixed with `N:` (its
//! position), since OTM has one id space.

use std::collections::{BTreeMap, HashSet};

use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::registry::{WriterOptions, Written};
use super::Report;
use crate::analysis::DiagramAnalysis;
use crate::diagnostic::Location;
use crate::layout::{layout, Layout};
use crate::model::{Attributes, Diagram, ElementKind, Rect, TrustDeclaration};
use crate::threats::rule::MitigatedWhen;
use crate::threats::{Level, Status};

/// The zone of elements drawn outside every trust boundary.
pub const OUTSIDE_ID: &str = "outside-trust-boundaries";
const OUTSIDE_NAME: &str = "Outside every trust boundary";

/// Attributes written as OTM fields of their own, not repeated under `attributes`.
const OWN_FIELDS: &[&str] = &["description", "otm_type", "tags", "trust_rating"];

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Otm<'a> {
    otm_version: &'static str,
    project: Project,
    representations: Vec<Representation>,
    trust_zones: Vec<TrustZone<'a>>,
    components: Vec<Component<'a>>,
    dataflows: Vec<Dataflow<'a>>,
    threats: Vec<Threat<'a>>,
    mitigations: Vec<Mitigation<'a>>,
}

#[derive(Serialize)]
struct Project {
    name: String,
    id: String,
    description: String,
    attributes: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct Representation {
    name: String,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    size: Size,
}

#[derive(Serialize, Clone, Copy)]
struct Size {
    width: f64,
    height: f64,
}

#[derive(Serialize)]
struct Position {
    x: f64,
    y: f64,
}

#[derive(Serialize)]
struct Placement {
    representation: String,
    id: String,
    position: Position,
    size: Size,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Parent {
    trust_zone: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrustRisk {
    trust_rating: f64,
}

#[derive(Serialize)]
struct TrustZone<'a> {
    id: String,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    risk: TrustRisk,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<Parent>,
    representations: Vec<Placement>,
    attributes: BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct Component<'a> {
    id: String,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    parent: Parent,
    representations: Vec<Placement>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    threats: Vec<Instance>,
    attributes: BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct Dataflow<'a> {
    id: String,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    source: String,
    destination: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    threats: Vec<Instance>,
    attributes: BTreeMap<&'a str, &'a str>,
}

/// A threat instance: a finding on one target.
#[derive(Serialize, Clone)]
struct Instance {
    threat: String,
    state: &'static str,
    mitigations: Vec<MitigationInstance>,
}

#[derive(Serialize, Clone)]
struct MitigationInstance {
    mitigation: String,
    state: &'static str,
}

#[derive(Serialize)]
struct Threat<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    categories: Vec<&'static str>,
    cwes: Vec<&'a str>,
    risk: ThreatRisk,
    attributes: BTreeMap<&'static str, &'a str>,
}

#[derive(Serialize)]
struct ThreatRisk {
    likelihood: f64,
    impact: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Mitigation<'a> {
    id: String,
    name: &'a str,
    description: &'a str,
    risk_reduction: f64,
    attributes: BTreeMap<&'static str, &'a str>,
}

/// The report as OTM JSON, indented, with a final newline.
pub fn write(report: &Report<'_>, _: &WriterOptions<'_>) -> Result<Written, String> {
    let otm = document(report);
    let mut text = serde_json::to_string_pretty(&otm).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(Written { parts: vec![(String::new(), text)], warnings: Vec::new() })
}

/// Whether a file's start shows it is OTM this writer wrote.
pub fn ours(head: &str) -> bool {
    head.contains("\"otmVersion\"") && head.contains("\"generator\": \"dfd-threats\"")
}

fn document<'a>(report: &'a Report<'a>) -> Otm<'a> {
    let several = report.document.diagrams.len() > 1;
    let mut otm = Otm {
        otm_version: "0.2.0",
        project: project(report),
        representations: Vec::new(),
        trust_zones: Vec::new(),
        components: Vec::new(),
        dataflows: Vec::new(),
        threats: Vec::new(),
        mitigations: Vec::new(),
    };
    let mut instances: BTreeMap<(usize, String), Vec<Instance>> = BTreeMap::new();
    let mut mitigations_seen = HashSet::new();
    for (n, (_, _, _, findings)) in report.diagrams_with_findings().enumerate() {
        for finding in findings {
            for t in &finding.targets {
                let instance = Instance {
                    threat: finding.id.clone(),
                    state: state(t.status),
                    mitigations: (t.rule.mitigations.iter().enumerate())
                        .zip(&t.mitigations)
                        .map(|((k, _), s)| MitigationInstance {
                            mitigation: mitigation_id(&t.rule.id, k),
                            state: if s.present { "implemented" } else { "required" },
                        })
                        .collect(),
                };
                instances.entry((n, t.target_id.clone())).or_default().push(instance);
            }
            otm.threats.push(threat(finding));
            if mitigations_seen.insert(finding.rule.id.as_str()) {
                otm.mitigations.extend(rule_mitigations(finding.rule));
            }
        }
    }
    for (n, (diagram, analysis, _)) in report.diagrams().enumerate() {
        let prefix = if several { format!("{}:", n + 1) } else { String::new() };
        let mut take = |id: &str| instances.remove(&(n, id.to_string())).unwrap_or_default();
        let scene = Scene::new(diagram, analysis, prefix, n, several);
        otm.representations.push(scene.representation());
        scene.write(&mut otm, &mut take);
    }
    otm
}

fn project(report: &Report<'_>) -> Project {
    let document = report.document;
    let name = match document.diagrams.as_slice() {
        [only] => only.name.clone(),
        _ => super::markdown::document_stem(&document.path),
    };
    let id: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let id = id.trim_matches('-').to_string();
    Project {
        id: if id.len() < 2 { "threat-model".into() } else { id },
        description: format!(
            "Threat model of {} ({}), by dfd-threats {}",
            document.path,
            document.format.name(),
            env!("CARGO_PKG_VERSION")
        ),
        attributes: BTreeMap::from([("generator", "dfd-threats".to_string())]),
        name,
    }
}

/// One diagram with its layout and the ids it is written with.
struct Scene<'a> {
    diagram: &'a Diagram,
    analysis: &'a DiagramAnalysis,
    layout: Layout,
    prefix: String,
    representation: String,
}

impl<'a> Scene<'a> {
    fn new(
        diagram: &'a Diagram,
        analysis: &'a DiagramAnalysis,
        prefix: String,
        n: usize,
        several: bool,
    ) -> Self {
        let representation =
            if several { format!("diagram-{}", n + 1) } else { "diagram".to_string() };
        Scene { diagram, analysis, layout: layout(diagram), prefix, representation }
    }

    fn id(&self, id: &str) -> String {
        format!("{}{id}", self.prefix)
    }

    fn representation(&self) -> Representation {
        let b = self.layout.bounds;
        Representation {
            name: self.diagram.name.clone(),
            id: self.representation.clone(),
            kind: "diagram",
            size: Size { width: b.x + b.width, height: b.y + b.height },
        }
    }

    /// Where `rect` is drawn, relative to `parent`'s box as OTM wants it.
    fn placement(&self, id: &str, rect: Rect, parent: Option<Rect>) -> Placement {
        let (px, py) = parent.map_or((0.0, 0.0), |p| (p.x, p.y));
        Placement {
            representation: self.representation.clone(),
            id: format!("{}-representation", self.id(id)),
            position: Position { x: round(rect.x - px), y: round(rect.y - py) },
            size: Size { width: rect.width, height: rect.height },
        }
    }

    fn boundary_rect(&self, b: usize) -> Option<Rect> {
        self.layout.boundaries.get(b).copied().flatten()
    }

    fn write(&self, otm: &mut Otm<'a>, take: &mut dyn FnMut(&str) -> Vec<Instance>) {
        let d = self.diagram;
        let mut ratings: Vec<f64> = Vec::with_capacity(d.boundaries.len());
        for (i, b) in d.boundaries.iter().enumerate() {
            let around = b.parent.and_then(|p| ratings.get(p).copied());
            let rating = trust_rating(&b.attributes, &b.trust, self.analysis, i, around);
            ratings.push(rating);
            let parent_rect = b.parent.and_then(|p| self.boundary_rect(p));
            otm.trust_zones.push(TrustZone {
                id: self.id(&b.id),
                name: &b.label,
                kind: b.attributes.get("otm_type").map_or("trust-zone", String::as_str),
                description: b.attributes.get("description").map(String::as_str),
                risk: TrustRisk { trust_rating: rating },
                parent: b
                    .parent
                    .and_then(|p| d.boundaries.get(p))
                    .map(|p| Parent { trust_zone: self.id(&p.id) }),
                representations: (self.boundary_rect(i).into_iter())
                    .map(|r| self.placement(&b.id, r, parent_rect))
                    .collect(),
                attributes: extra(&b.attributes),
            });
        }
        let outside = d.graph.node_weights().any(|e| e.boundary.is_none());
        if outside {
            otm.trust_zones.push(TrustZone {
                id: self.id(OUTSIDE_ID),
                name: OUTSIDE_NAME,
                kind: "trust-zone",
                description: None,
                risk: TrustRisk { trust_rating: 10.0 },
                parent: None,
                representations: Vec::new(),
                attributes: BTreeMap::new(),
            });
        }
        for (node, e) in d.elements() {
            otm.components.push(self.component(node, take(&e.id)));
        }
        let mut used: HashSet<String> = d.graph.node_weights().map(|e| e.id.clone()).collect();
        used.extend(d.boundaries.iter().map(|b| b.id.clone()));
        for f in d.flows() {
            let own = match &f.flow.origin {
                Some(Location::Cell { cell: Some(cell), .. }) if !used.contains(cell) => cell,
                _ => &f.flow.id,
            };
            used.insert(own.clone());
            let attributes = &f.flow.attributes;
            otm.dataflows.push(Dataflow {
                id: self.id(own),
                name: &f.flow.label,
                description: attributes.get("description").map(String::as_str),
                source: self.id(&d.element(f.from).id),
                destination: self.id(&d.element(f.to).id),
                tags: tags(attributes),
                threats: take(&f.flow.id),
                attributes: extra(attributes),
            });
        }
    }

    fn component(&self, node: NodeIndex, threats: Vec<Instance>) -> Component<'a> {
        let e = self.diagram.element(node);
        let kind = e.attributes.get("otm_type").map(String::as_str).unwrap_or_else(|| {
            e.technology.as_deref().unwrap_or(match e.kind {
                ElementKind::ExternalEntity => "external-entity",
                ElementKind::Process => "process",
                ElementKind::DataStore => "data-store",
            })
        });
        let zone = e.boundary.and_then(|b| self.diagram.boundaries.get(b));
        let parent_rect = e.boundary.and_then(|b| self.boundary_rect(b));
        Component {
            id: self.id(&e.id),
            name: &e.label,
            kind,
            description: e.attributes.get("description").map(String::as_str),
            parent: Parent { trust_zone: self.id(zone.map_or(OUTSIDE_ID, |z| z.id.as_str())) },
            representations: (self.layout.elements.get(node.index()).into_iter())
                .map(|r| self.placement(&e.id, *r, parent_rect))
                .collect(),
            tags: tags(&e.attributes),
            threats,
            attributes: extra(&e.attributes),
        }
    }
}

/// The attributes OTM has no field of its own for.
fn extra(attributes: &Attributes) -> BTreeMap<&str, &str> {
    attributes
        .iter()
        .filter(|(k, _)| !OWN_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn tags(attributes: &Attributes) -> Vec<&str> {
    attributes
        .get("tags")
        .map_or_else(Vec::new, |t| t.split(',').map(str::trim).filter(|t| !t.is_empty()).collect())
}

/// A zone's trust rating: the input's own, else one from its trust (see the module doc).
fn trust_rating(
    attributes: &Attributes,
    trust: &TrustDeclaration,
    analysis: &DiagramAnalysis,
    index: usize,
    around: Option<f64>,
) -> f64 {
    if let Some(r) = attributes.get("trust_rating").and_then(|r| r.trim().parse::<f64>().ok()) {
        if r.is_finite() {
            return r;
        }
    }
    match trust {
        TrustDeclaration::Untrusted { .. } => 10.0,
        TrustDeclaration::Exposed { .. } => 50.0,
        TrustDeclaration::Trusted { .. } => 90.0,
        TrustDeclaration::Level(n) => (60 + 10 * (*n).clamp(0, 4)) as f64,
        TrustDeclaration::Unspecified => match analysis.zones.get(index) {
            Some(z) if z.ranked && z.untrusted => 10.0,
            Some(z) if z.ranked && z.exposed => 50.0,
            _ => around.unwrap_or(90.0),
        },
    }
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn state(status: Status) -> &'static str {
    match status {
        Status::Open => "exposed",
        Status::Mitigated => "mitigated",
        Status::Accepted => "accepted",
    }
}

/// A level on OTM's 0–100 scale.
fn percent(level: Level) -> f64 {
    match level {
        Level::None => 0.0,
        Level::Low => 25.0,
        Level::Medium => 50.0,
        Level::High => 75.0,
        Level::Critical => 100.0,
    }
}

fn threat<'a>(finding: &'a crate::threats::findings::Finding<'a>) -> Threat<'a> {
    let rule = finding.rule;
    Threat {
        id: &finding.id,
        name: &rule.title,
        description: &rule.description,
        categories: vec![rule.category.name()],
        cwes: rule
            .references
            .iter()
            .map(String::as_str)
            .filter(|r| r.starts_with("CWE-"))
            .collect(),
        risk: ThreatRisk {
            likelihood: percent(finding.exposure()),
            impact: percent(finding.impact()),
        },
        attributes: BTreeMap::from([
            ("rule", rule.id.as_str()),
            ("diagram", finding.diagram_name),
            ("status", finding.status.name()),
            ("severity", finding.severity.name()),
            ("residual_risk", finding.residual_risk.name()),
        ]),
    }
}

fn mitigation_id(rule: &str, k: usize) -> String {
    format!("{rule}/M{}", k + 1)
}

fn rule_mitigations(rule: &crate::threats::rule::Rule) -> Vec<Mitigation<'_>> {
    let n = rule.mitigations.len().max(1) as f64;
    rule.mitigations
        .iter()
        .enumerate()
        .map(|(k, m)| Mitigation {
            id: mitigation_id(&rule.id, k),
            name: m.text.lines().next().unwrap_or(""),
            description: &m.text,
            risk_reduction: match rule.mitigated_when {
                MitigatedWhen::Any => 100.0,
                MitigatedWhen::All => (100.0 / n).round(),
            },
            attributes: BTreeMap::from([("rule", rule.id.as_str())]),
        })
        .collect()
}
