//! One drawing surface to a [`Diagram`].
//!
//! Shapes (`Borders`) become elements and boundary boxes, lines (`Lines`) flows and boundary
//! lines, each where it was drawn; a flow bends through its handle. Properties become the
//! attributes the catalog reads:
//!
//! | TMT property (value) | attribute |
//! |---|---|
//! | flow stencil `HTTPS`, `HTTP`, `IPsec`, `SMB`, `RPC`, `ALPC`, `UDP`, `Named Pipe` | `protocol` |
//! | Provides Confidentiality (Yes) | `encrypted=true` |
//! | Provides Integrity (Yes) | `integrity=true` |
//! | Source Authenticated (Yes) | `authenticated=true` |
//! | Sanitizes Input (Yes) | `validated=true` |
//! | Sanitizes Output (Yes) | `output_encoding=true` |
//! | Encrypted (Yes) | `encrypted_at_rest=true` |
//! | Signed (Yes) | `signed=true` |
//! | Stores Credentials (Yes) | `classification=credentials` |
//! | Stores Log Data (Yes) | `audit_log=true` |
//! | Backup (Yes) | `backup=true` |
//! | Out Of Scope (true), Reason For Out Of Scope | `out_of_scope=true`, `out_of_scope_reason` |
//!
//! and `tmt_type`, the stencil's type name (`Web Application`, `SQL Database`). Threat instances
//! become recorded threats on the flow they were generated for.
//!
//! A stencil's generic type gives its kind, with one exception: a process that names a client
//! (`Browser Client`, a mobile app) is its user's device, an external entity.

use std::collections::HashMap;

use petgraph::graph::NodeIndex;

use super::stencils::{read, role, GenericType, Role, Stencil};
use super::tree::Node;
use crate::diagnostic::Diagnostic;
use crate::import::builder::{flag, shape_of, text, Builder};
use crate::import::hints::{boundary_trust, kind_from_technology, technology_from};
use crate::import::Limits;
use crate::model::{
    technology_in_label, Attributes, Boundary, Diagram, Element, ElementKind, Point,
    RecordedThreat, Shape, TechClass, TrustDeclaration,
};

/// Properties that declare a control or a fact when set to `Yes` (or `true`).
const YES_PROPERTIES: &[(&str, &str, &str)] = &[
    ("Provides Confidentiality", "encrypted", "true"),
    ("Provides Integrity", "integrity", "true"),
    ("Source Authenticated", "authenticated", "true"),
    ("Sanitizes Input", "validated", "true"),
    ("Sanitizes Output", "output_encoding", "true"),
    ("Encrypted", "encrypted_at_rest", "true"),
    ("Signed", "signed", "true"),
    ("Stores Credentials", "classification", "credentials"),
    ("Stores Log Data", "audit_log", "true"),
    ("Backup", "backup", "true"),
    ("Out Of Scope", "out_of_scope", "true"),
];

/// Flow stencil names that are protocols.
const PROTOCOLS: &[(&str, &str)] = &[
    ("https", "https"),
    ("http", "http"),
    ("ipsec", "ipsec"),
    ("smb", "smb"),
    ("rpc", "rpc"),
    ("rpc or dcom", "rpc"),
    ("alpc", "alpc"),
    ("udp", "udp"),
    ("named pipe", "named-pipe"),
];

/// A drawing surface and what it needs from the rest of the file.
pub struct Surface<'a> {
    pub node: &'a Node,
    pub index: usize,
    pub generic: &'a HashMap<String, GenericType>,
    /// The `ThreatInstances` entries generated on this surface.
    pub threats: &'a [&'a Node],
}

pub fn lower(
    surface: &Surface<'_>,
    limits: &Limits,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Diagram, Diagnostic> {
    let name =
        surface_name(surface.node).unwrap_or_else(|| format!("Diagram {}", surface.index + 1));
    let mut b = Builder::new(&name, limits, warnings);
    let stencils = |part: &str| -> Vec<Stencil> {
        let entries = surface.node.child(part).map(|p| p.children.as_slice()).unwrap_or_default();
        entries.iter().filter_map(|kv| kv.child("Value")).map(read).collect()
    };
    let (shapes, lines) = (stencils("Borders"), stencils("Lines"));
    let mut nodes: HashMap<String, NodeIndex> = HashMap::new();
    let mut borders = Vec::new();
    for s in &shapes {
        match role(s, surface.generic) {
            Role::Element { kind, strong } => {
                let e = element(&b, s, (kind, strong), surface.generic, warnings);
                nodes.insert(s.guid.clone(), b.element(e)?);
            }
            Role::Border => borders.push(boundary(&b, s, warnings)),
            Role::Annotation => {}
            other => unread(&b, s, other, warnings),
        }
    }
    b.boxes(borders);
    for s in &lines {
        match role(s, surface.generic) {
            Role::Line => {
                let mut boundary = boundary(&b, s, warnings);
                let line: Vec<Point> =
                    [s.source, s.handle, s.target].into_iter().flatten().collect();
                if line.len() >= 2 {
                    boundary.line = Some(line);
                    boundary.visual.shape = Shape::Rectangle;
                    b.diagram.add_boundary(boundary);
                }
            }
            Role::Flow => flow(&mut b, s, &nodes, warnings)?,
            Role::Annotation => {}
            other => unread(&b, s, other, warnings),
        }
    }
    b.place_by_geometry();
    for t in surface.threats {
        threat(&mut b, t, warnings);
    }
    Ok(b.finish())
}

fn surface_name(node: &Node) -> Option<String> {
    let from_properties = node.child("Properties").and_then(|p| {
        p.children
            .iter()
            .find(|a| a.text_of("DisplayName") == Some("Name"))
            .and_then(|a| a.text_of("Value"))
    });
    from_properties.or_else(|| node.text_of("Header")).map(str::to_string)
}

fn unread(b: &Builder<'_>, s: &Stencil, role: Role, w: &mut Vec<Diagnostic>) {
    let what = if role == Role::Unknown { "a stencil of an unknown type" } else { "misplaced" };
    w.push(
        Diagnostic::new(format!("{:?} ({}) is {what}; it is left out", s.name, s.drawn_as))
            .with_location(b.at(&s.guid))
            .with_help("only processes, external interactors, data stores, data flows and trust boundaries are read"),
    );
}

fn attributes(s: &Stencil) -> Attributes {
    let mut a = Attributes::new();
    text(&mut a, "tmt_type", &s.type_name);
    for (display, value) in &s.properties {
        let yes = value.eq_ignore_ascii_case("yes") || value.eq_ignore_ascii_case("true");
        if let Some((_, name, set)) = YES_PROPERTIES.iter().find(|(d, _, _)| d == display) {
            if yes {
                a.insert((*name).to_string(), (*set).to_string());
            }
        } else if display == "Reason For Out Of Scope" {
            text(&mut a, "out_of_scope_reason", value);
        }
    }
    if !a.contains_key("out_of_scope") {
        a.remove("out_of_scope_reason");
    }
    a
}

fn element(
    b: &Builder<'_>,
    s: &Stencil,
    (kind, strong): (ElementKind, bool),
    generic: &HashMap<String, GenericType>,
    w: &mut Vec<Diagnostic>,
) -> Element {
    let id = b.id(&s.guid, w);
    let label = b.label(if s.name.trim().is_empty() { &s.type_name } else { &s.name }, &id, w);
    let attributes = attributes(s);
    let technology = technology_from(&attributes, &label)
        .map(|(t, _)| t)
        .or_else(|| technology_in_label(&s.type_name).map(|(t, _)| t));
    let generic_name = generic.get(&s.generic).map(|g| g.name.as_str()).unwrap_or_default();
    // TMT's templates offer a "Browser Client" process: the web app's code on its user's
    // machine. Whatever it sends, its user controls, so it is read as that user's client (unless
    // the label's own noun says it is a program: "Browser automation worker").
    let client_device =
        technology.filter(|_| strong && kind == ElementKind::Process).and_then(|t| {
            let why = format!(
                "technology {} over TMT generic type {}: a client runs on its user's device",
                t.id, s.generic
            );
            let (kind, why) = kind_from_technology(&label, t, why);
            (t.class == TechClass::Client && kind == ElementKind::ExternalEntity).then_some(why)
        });
    let (kind, why) = if let Some(why) = client_device {
        (ElementKind::ExternalEntity, why)
    } else if strong {
        (kind, format!("TMT generic type {}", s.generic))
    } else if let Some(t) = technology {
        (t.kind, format!("technology {} (TMT stencil {:?})", t.id, s.type_name))
    } else if let Some(k) = ElementKind::from_word(generic_name) {
        (k, format!("TMT element type {generic_name:?}"))
    } else {
        (kind, format!("TMT stencil drawn as {}", s.drawn_as))
    };
    let mut e = Element::new(id, kind, why);
    e.label = label;
    e.attributes = attributes;
    e.technology = technology.map(|t| t.id.to_string());
    e.visual.bounds = s.bounds;
    e.visual.shape = shape_of(kind);
    e
}

fn boundary(b: &Builder<'_>, s: &Stencil, w: &mut Vec<Diagnostic>) -> Boundary {
    let id = b.id(&s.guid, w);
    let label = b.label(if s.name.trim().is_empty() { &s.type_name } else { &s.name }, &id, w);
    let mut boundary =
        Boundary::new(id.clone(), label, format!("TMT {} {:?}", s.drawn_as, s.type_name));
    boundary.attributes = attributes(s);
    boundary.trust = match boundary_trust(&boundary.attributes, &boundary.label) {
        TrustDeclaration::Unspecified => boundary_trust(&Attributes::new(), &s.type_name),
        said => said,
    };
    boundary.visual.bounds = s.bounds;
    boundary.origin = Some(b.at(&id));
    boundary
}

fn flow(
    b: &mut Builder<'_>,
    s: &Stencil,
    nodes: &HashMap<String, NodeIndex>,
    w: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    let id = b.id(&s.guid, w);
    let end = |guid: &Option<String>| guid.as_ref().and_then(|g| nodes.get(g)).copied();
    let (Some(from), Some(to)) = (end(&s.source_guid), end(&s.target_guid)) else {
        w.push(
            Diagnostic::new(format!(
                "data flow {:?} is not connected to an element at both ends, so it is not read",
                s.name
            ))
            .with_location(b.at(&id))
            .with_help("connect both ends of the flow to elements in the Threat Modeling Tool"),
        );
        return Ok(());
    };
    let mut a = attributes(s);
    let stencil = s.type_name.trim().to_lowercase();
    if let Some((_, protocol)) = PROTOCOLS.iter().find(|(name, _)| *name == stencil) {
        a.insert("protocol".into(), (*protocol).to_string());
    }
    flag(&mut a, "encrypted", stencil == "https" || stencil == "ipsec");
    let label = b.label(&s.name, &id, w);
    let edge = b.flow(&id, (from, to), label, a)?;
    b.diagram.graph[edge].waypoints = s.handle.into_iter().collect();
    Ok(())
}

/// A `ThreatInstances` entry: title and category from its properties, on its flow.
fn threat(b: &mut Builder<'_>, entry: &Node, w: &mut Vec<Diagnostic>) {
    let Some(value) = entry.child("Value") else { return };
    let property = |key: &str| {
        value
            .child("Properties")?
            .children
            .iter()
            .find(|p| p.text_of("Key") == Some(key))?
            .text_of("Value")
    };
    let flow = value.text_of("FlowGuid").map(|g| b.id(g, w));
    let owner = flow.clone().unwrap_or_default();
    let mut shown = |t: Option<&str>| t.map(|t| b.label(t, &owner, w));
    let threat = RecordedThreat {
        id: shown(value.text_of("Id")),
        title: shown(property("Title").or_else(|| value.text_of("TypeId")))
            .unwrap_or_else(|| "(untitled threat)".into()),
        target: None,
        status: shown(value.text_of("State")),
        severity: shown(value.text_of("Priority").or_else(|| property("Priority"))),
        category: shown(property("UserThreatCategory")),
        mitigation: shown(value.text_of("StateInformation")),
    };
    b.threat(threat, flow);
}
