//! From an OTM model to a [`Diagram`].
//!
//! - **Trust zones** become boundaries, nested by `parent.trustZone`. Their trust comes from their
//!   name or `type` words first (`Internet` is untrusted, `Private Secured Cloud` trusted), then
//!   from `risk.trustRating` (0–100): below 30 untrusted, 30–69 exposed, 70 and above trusted.
//!   Tools write a default rating (StartLeft writes 10 for every zone), which is why words win.
//! - **Components** that hold other components (`parent.component`) and that no data flow
//!   touches are groupings (a VPC, a subnet): boundaries too. Every other component is an element
//!   in its nearest boundary. Its kind comes from its `type` and name: a technology they name
//!   ([`technology_in_label`]), a word such as `client` or `database`, the name's own noun, else
//!   a process.
//! - **Data flows** become flows (two when `bidirectional`).
//! - **Assets** a component processes or stores, or a flow carries, give `data` (their names)
//!   and `classification` from their highest `risk.confidentiality` (0–100): 50 and above
//!   `confidential` (a word the risk model counts as sensitive), 1–49 `internal`, 0 `public`.
//! - **Threat instances** on components and flows become recorded threats, named from the
//!   top-level `threats` and `mitigations`.

use std::collections::HashMap;

use petgraph::graph::NodeIndex;
use serde_json::Value;

use super::{Asset, Model, Node, ThreatInstance};
use crate::diagnostic::Diagnostic;
use crate::import::builder::{rect, shape_of, text, Builder};
use crate::import::hints::{boundary_trust, kind_from_label_noun};
use crate::import::structured::{flag, number, string};
use crate::import::Limits;
use crate::model::{
    technology_in_label, Attributes, Boundary, Diagram, Drawn, Element, ElementKind,
    RecordedThreat, Rect, TrustDeclaration,
};

/// How deep parents may nest before a cycle is assumed.
const MAX_PARENTS: usize = 64;

/// A trust zone or component by id.
struct Index<'m> {
    zones: HashMap<String, &'m Node>,
    components: HashMap<String, &'m Node>,
    /// The first diagram representation's id, whose positions are used.
    diagram: Option<String>,
}

fn id_of(value: &Value) -> String {
    string(value).unwrap_or_default()
}

pub fn lower(
    model: &Model,
    limits: &Limits,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Diagram, Diagnostic> {
    let name = string(&model.project.name).filter(|n| !n.trim().is_empty());
    let mut b = Builder::new(name.as_deref().unwrap_or("OTM model"), limits, warnings);
    let index = Index {
        zones: model.trust_zones.iter().map(|z| (id_of(&z.id), z)).collect(),
        components: model.components.iter().map(|c| (id_of(&c.id), c)).collect(),
        diagram: model
            .representations
            .iter()
            .find(|r| string(&r.kind).as_deref() == Some("diagram"))
            .and_then(|r| string(&r.id)),
    };
    let flow_ends: std::collections::HashSet<String> =
        model.dataflows.iter().flat_map(|f| [id_of(&f.source), id_of(&f.destination)]).collect();
    let groups: std::collections::HashSet<String> = model
        .components
        .iter()
        .filter_map(|c| string(&c.parent.component))
        .filter(|p| index.components.contains_key(p) && !flow_ends.contains(p))
        .collect();
    let boundary_of = boundaries(&mut b, model, &index, &groups, warnings);
    let assets: HashMap<String, &Asset> = model.assets.iter().map(|a| (id_of(&a.id), a)).collect();
    let mut nodes: HashMap<String, NodeIndex> = HashMap::new();
    for c in model.components.iter().filter(|c| !groups.contains(&id_of(&c.id))) {
        let mut e = element(&b, c, &index, warnings);
        e.boundary = nearest_boundary(c, &index, &boundary_of);
        let used: Vec<&Value> = c.assets.processed.iter().chain(&c.assets.stored).collect();
        data_attributes(&mut e.attributes, &used, &assets);
        nodes.insert(id_of(&c.id), b.element(e)?);
    }
    flows(&mut b, model, &nodes, &assets, warnings)?;
    threats(&mut b, model, warnings);
    Ok(b.finish())
}

/// Trust zones and grouping components, parents first; returns the boundary of each id.
fn boundaries(
    b: &mut Builder<'_>,
    model: &Model,
    index: &Index<'_>,
    groups: &std::collections::HashSet<String>,
    w: &mut Vec<Diagnostic>,
) -> HashMap<String, usize> {
    let mut regions: Vec<(&Node, bool)> = model.trust_zones.iter().map(|z| (z, true)).collect();
    regions.extend(
        model.components.iter().filter(|c| groups.contains(&id_of(&c.id))).map(|c| (c, false)),
    );
    let depth = |n: &Node| parents(n, index).len();
    regions.sort_by_key(|(n, _)| depth(n));
    let mut boundary_of: HashMap<String, usize> = HashMap::new();
    for (node, is_zone) in regions {
        let id = b.id(&id_of(&node.id), w);
        let label = b.label(&string(&node.name).unwrap_or_else(|| id.clone()), &id, w);
        let why = if is_zone { "OTM trust zone" } else { "OTM component holding other components" };
        let mut boundary = Boundary::new(id.clone(), label, why);
        boundary.attributes = node_attributes(node);
        if let Some(r) = string(&node.risk.trust_rating) {
            boundary.attributes.insert("trust_rating".into(), r);
        }
        boundary.trust = zone_trust(node, &boundary.label);
        boundary.visual.bounds = bounds(node, index);
        boundary.origin = Some(b.at(&id));
        boundary.parent =
            parents(node, index).first().and_then(|p| boundary_of.get(&id_of(&p.id)).copied());
        boundary_of.insert(id_of(&node.id), b.diagram.add_boundary(boundary));
    }
    boundary_of
}

/// Words in the name or type, then the trust rating.
fn zone_trust(node: &Node, label: &str) -> TrustDeclaration {
    let from_words = boundary_trust(&Attributes::new(), label);
    if from_words != TrustDeclaration::Unspecified {
        return from_words;
    }
    let kind = string(&node.kind).unwrap_or_default().replace(['-', '_'], " ");
    let from_type = boundary_trust(&Attributes::new(), &kind);
    if from_type != TrustDeclaration::Unspecified {
        return from_type;
    }
    match number(&node.risk.trust_rating) {
        Some(r) if r < 30.0 => {
            TrustDeclaration::Untrusted { because: format!("OTM trustRating {r}") }
        }
        Some(r) if r < 70.0 => {
            TrustDeclaration::Exposed { because: format!("OTM trustRating {r}") }
        }
        Some(r) => TrustDeclaration::Trusted { because: format!("OTM trustRating {r}") },
        None => TrustDeclaration::Unspecified,
    }
}

/// The chain of parents (nearest first), trust zones and components alike; cut at a cycle.
fn parents<'m>(node: &'m Node, index: &Index<'m>) -> Vec<&'m Node> {
    let mut chain: Vec<&Node> = Vec::new();
    let mut at = node;
    while chain.len() < MAX_PARENTS {
        let next = string(&at.parent.component)
            .and_then(|p| index.components.get(&p))
            .or_else(|| string(&at.parent.trust_zone).and_then(|p| index.zones.get(&p)));
        match next {
            Some(&n) if !std::ptr::eq(n, node) && !chain.iter().any(|c| std::ptr::eq(*c, n)) => {
                chain.push(n);
                at = n;
            }
            _ => break,
        }
    }
    chain
}

fn nearest_boundary(
    node: &Node,
    index: &Index<'_>,
    boundary_of: &HashMap<String, usize>,
) -> Option<usize> {
    parents(node, index).into_iter().find_map(|p| boundary_of.get(&id_of(&p.id)).copied())
}

/// The box drawn in the diagram representation, made absolute through the parents' positions.
fn bounds(node: &Node, index: &Index<'_>) -> Option<Rect> {
    let own = placement(node, index)?;
    let (mut x, mut y) = point(&own.position)?;
    for p in parents(node, index) {
        if let Some((px, py)) = placement(p, index).and_then(|pl| point(&pl.position)) {
            x += px;
            y += py;
        }
    }
    let (width, height) = (number(own.size.get("width")?)?, number(own.size.get("height")?)?);
    rect(x, y, width, height)
}

/// Where the node is drawn in the diagram representation (any placement with a position when
/// the file names no diagram representation).
fn placement<'m>(node: &'m Node, index: &Index<'_>) -> Option<&'m super::Placement> {
    node.representations.iter().find(|p| match &index.diagram {
        Some(d) => string(&p.representation).as_deref() == Some(d.as_str()),
        None => p.position.is_object(),
    })
}

fn point(value: &Value) -> Option<(f64, f64)> {
    Some((number(value.get("x")?)?, number(value.get("y")?)?))
}

fn node_attributes(node: &Node) -> Attributes {
    let mut a = Attributes::new();
    text(&mut a, "description", &string(&node.description).unwrap_or_default());
    text(&mut a, "otm_type", &string(&node.kind).unwrap_or_default());
    let tags: Vec<String> = node.tags.iter().filter_map(string).collect();
    text(&mut a, "tags", &tags.join(", "));
    a
}

fn element(b: &Builder<'_>, c: &Node, index: &Index<'_>, w: &mut Vec<Diagnostic>) -> Element {
    let id = b.id(&id_of(&c.id), w);
    let label = b.label(&string(&c.name).unwrap_or_else(|| id.clone()), &id, w);
    let kind_word = string(&c.kind).unwrap_or_default();
    let (kind, why, technology) = kind_of(&kind_word, &label);
    let mut e = Element::new(id, kind, why);
    e.label = label;
    e.technology = technology;
    e.attributes = node_attributes(c);
    e.visual.bounds = bounds(c, index);
    e.visual.shape = shape_of(kind);
    e
}

/// Words of OTM component types that name an outside party.
const EXTERNAL_WORDS: &[&str] = &[
    "client", "browser", "user", "users", "device", "mobile", "android", "ios", "actor", "external",
];
/// Words of OTM component types that name a store.
const STORE_WORDS: &[&str] = &[
    "database",
    "db",
    "storage",
    "store",
    "bucket",
    "sql",
    "nosql",
    "postgresql",
    "mysql",
    "mongodb",
    "redis",
    "cache",
    "queue",
    "table",
    "file",
    "blob",
];

/// The kind, why, and technology of a component from its `type` and name.
fn kind_of(kind_word: &str, label: &str) -> (ElementKind, String, Option<String>) {
    let spaced = kind_word.replace(['-', '_'], " ");
    let technology = technology_in_label(&spaced).or_else(|| technology_in_label(label));
    if let Some((t, word)) = technology {
        return (t.kind, format!("technology word \"{word}\""), Some(t.id.to_string()));
    }
    let words: Vec<String> = spaced.split_whitespace().map(str::to_lowercase).collect();
    let has = |list: &[&str]| words.iter().find(|w| list.contains(&w.as_str())).cloned();
    if let Some(w) = has(EXTERNAL_WORDS) {
        return (ElementKind::ExternalEntity, format!("OTM type {kind_word:?} (\"{w}\")"), None);
    }
    if let Some(w) = has(STORE_WORDS) {
        return (ElementKind::DataStore, format!("OTM type {kind_word:?} (\"{w}\")"), None);
    }
    if let Some((kind, why)) = kind_from_label_noun(label) {
        return (kind, why, None);
    }
    (ElementKind::Process, "OTM component (default process)".into(), None)
}

/// `data` (the assets' names) and `classification` (their highest confidentiality).
fn data_attributes(a: &mut Attributes, used: &[&Value], assets: &HashMap<String, &Asset>) {
    let found: Vec<&Asset> = used.iter().filter_map(|v| assets.get(&id_of(v)).copied()).collect();
    let mut names: Vec<String> = found.iter().filter_map(|x| string(&x.name)).collect();
    names.dedup();
    text(a, "data", &names.join(", "));
    let highest = found.iter().filter_map(|x| number(&x.risk.confidentiality)).reduce(f64::max);
    let class = match highest {
        Some(c) if c >= 50.0 => "confidential",
        Some(c) if c > 0.0 => "internal",
        Some(_) => "public",
        None => return,
    };
    a.insert("classification".into(), class.into());
}

fn flows(
    b: &mut Builder<'_>,
    model: &Model,
    nodes: &HashMap<String, NodeIndex>,
    assets: &HashMap<String, &Asset>,
    w: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    for f in &model.dataflows {
        let id = b.id(&id_of(&f.id), w);
        let ends = [("starts at", &f.source), ("ends at", &f.destination)].map(|(how, end)| {
            let node = nodes.get(&id_of(end)).copied();
            if node.is_none() {
                w.push(
                    Diagnostic::new(format!(
                        "data flow {how} {:?}, which is not a component, so it is not read",
                        id_of(end)
                    ))
                    .with_location(b.at(&id))
                    .with_help("make the flow's source and destination component ids"),
                );
            }
            node
        });
        let [Some(from), Some(to)] = ends else { continue };
        let label = b.label(&string(&f.name).unwrap_or_default(), &id, w);
        let mut a = Attributes::new();
        text(&mut a, "description", &string(&f.description).unwrap_or_default());
        let tags: Vec<String> = f.tags.iter().filter_map(string).collect();
        text(&mut a, "tags", &tags.join(", "));
        data_attributes(&mut a, &f.assets.iter().collect::<Vec<_>>(), assets);
        b.flow(&id, (from, to), label.clone(), a.clone())?;
        if flag(&f.bidirectional) {
            let back = b.flow(&id, (to, from), label, a)?;
            b.diagram.graph[back].drawn = Drawn::Backward;
        }
    }
    Ok(())
}

/// Threat instances of components and flows, named from the top-level lists.
fn threats(b: &mut Builder<'_>, model: &Model, w: &mut Vec<Diagnostic>) {
    let threats: HashMap<String, &super::Threat> =
        model.threats.iter().map(|t| (id_of(&t.id), t)).collect();
    let mitigations: HashMap<String, String> = model
        .mitigations
        .iter()
        .map(|m| (id_of(&m.id), string(&m.name).unwrap_or_else(|| id_of(&m.id))))
        .collect();
    let on = model.components.iter().map(|c| (&c.id, &c.threats));
    let on = on.chain(model.dataflows.iter().map(|f| (&f.id, &f.threats)));
    let mut dangling = 0;
    for (target, instances) in on {
        let target = b.id(&id_of(target), w);
        for instance in instances {
            let threat = recorded(b, instance, (&threats, &mitigations), &target, &mut dangling);
            b.threat(threat, Some(target.clone()));
        }
    }
    if dangling > 0 {
        w.push(Diagnostic::new(format!("{dangling} threat or mitigation references name nothing in the model's `threats` or `mitigations`; they are kept by id"))
            .with_help("export the model again with its threats and mitigations"));
    }
}

fn recorded(
    b: &Builder<'_>,
    instance: &ThreatInstance,
    (threats, mitigations): (&HashMap<String, &super::Threat>, &HashMap<String, String>),
    target: &str,
    dangling: &mut usize,
) -> RecordedThreat {
    let id = id_of(&instance.threat);
    let found = threats.get(&id);
    *dangling += usize::from(found.is_none());
    let name = found.and_then(|t| string(&t.name)).unwrap_or_else(|| id.clone());
    let categories: Vec<String> =
        found.map(|t| t.categories.iter().filter_map(string).collect()).unwrap_or_default();
    let named: Vec<String> = instance
        .mitigations
        .iter()
        .map(|m| {
            let mid = m.get("mitigation").and_then(string).unwrap_or_default();
            let name = mitigations.get(&mid).cloned().unwrap_or_else(|| {
                *dangling += 1;
                mid
            });
            match m.get("state").and_then(string) {
                Some(state) => format!("{name} ({state})"),
                None => name,
            }
        })
        .collect();
    // Cut to the label limit; the warnings would only repeat the model's own texts.
    let label = |s: String| b.label(&s, target, &mut Vec::new());
    RecordedThreat {
        id: Some(label(id)),
        title: label(name),
        target: None,
        status: string(&instance.state).map(label),
        severity: found.and_then(|t| number(&t.risk.impact)).map(|i| format!("impact {i}")),
        category: (!categories.is_empty()).then(|| label(categories.join(", "))),
        mitigation: (!named.is_empty()).then(|| label(named.join("; "))),
    }
}
