//! Open Threat Model reader (OTM 0.1 and 0.2, JSON or YAML), as IriusRisk and StartLeft write it.
//!
//! The model is one diagram: trust zones and components that hold other components become
//! boundaries, the other components elements, data flows flows. Positions come from the first
//! `diagram` representation, each relative to its parent as OTM says. See [`lower`] for the
//! mapping of kinds, trust and data assets.

mod lower;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::import::builder::only_page;
use crate::import::structured::{from_json, from_yaml, has_top_level_key, head, nullable};
use crate::import::ImportOptions;
use crate::model::Diagram;

const WHAT: &str = "an Open Threat Model (OTM) file";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Model {
    #[serde(deserialize_with = "nullable")]
    project: Project,
    #[serde(deserialize_with = "nullable")]
    representations: Vec<Representation>,
    #[serde(rename = "trustZones", deserialize_with = "nullable")]
    trust_zones: Vec<Node>,
    #[serde(deserialize_with = "nullable")]
    components: Vec<Node>,
    #[serde(deserialize_with = "nullable")]
    dataflows: Vec<Dataflow>,
    #[serde(deserialize_with = "nullable")]
    assets: Vec<Asset>,
    #[serde(deserialize_with = "nullable")]
    threats: Vec<Threat>,
    #[serde(deserialize_with = "nullable")]
    mitigations: Vec<Named>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Project {
    name: Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Representation {
    id: Value,
    #[serde(rename = "type")]
    kind: Value,
}

/// A trust zone or a component: both have a parent, a type and where they are drawn.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Node {
    id: Value,
    name: Value,
    #[serde(rename = "type")]
    kind: Value,
    description: Value,
    #[serde(deserialize_with = "nullable")]
    parent: Parent,
    #[serde(deserialize_with = "nullable")]
    risk: Risk,
    #[serde(deserialize_with = "nullable")]
    representations: Vec<Placement>,
    #[serde(deserialize_with = "nullable")]
    assets: UsedAssets,
    #[serde(deserialize_with = "nullable")]
    threats: Vec<ThreatInstance>,
    #[serde(deserialize_with = "nullable")]
    tags: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Parent {
    #[serde(rename = "trustZone")]
    trust_zone: Value,
    component: Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Risk {
    #[serde(rename = "trustRating")]
    trust_rating: Value,
    confidentiality: Value,
    impact: Value,
    likelihood: Value,
}

/// Where a trust zone or component is drawn in one representation.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Placement {
    representation: Value,
    position: Value,
    size: Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UsedAssets {
    #[serde(deserialize_with = "nullable")]
    processed: Vec<Value>,
    #[serde(deserialize_with = "nullable")]
    stored: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ThreatInstance {
    threat: Value,
    state: Value,
    #[serde(deserialize_with = "nullable")]
    mitigations: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Dataflow {
    id: Value,
    name: Value,
    description: Value,
    source: Value,
    destination: Value,
    bidirectional: Value,
    #[serde(deserialize_with = "nullable")]
    assets: Vec<Value>,
    #[serde(deserialize_with = "nullable")]
    threats: Vec<ThreatInstance>,
    #[serde(deserialize_with = "nullable")]
    tags: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Asset {
    id: Value,
    name: Value,
    #[serde(deserialize_with = "nullable")]
    risk: Risk,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Threat {
    id: Value,
    name: Value,
    #[serde(deserialize_with = "nullable")]
    categories: Vec<Value>,
    #[serde(deserialize_with = "nullable")]
    risk: Risk,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Named {
    id: Value,
    name: Value,
}

/// Whether the bytes look like an OTM file: an `otmVersion` key, in JSON or YAML.
pub fn sniff(_name: &str, bytes: &[u8]) -> bool {
    has_top_level_key(&head(bytes), "otmVersion")
}

/// Reads an OTM file (JSON when it starts with `{`, YAML otherwise) into one diagram.
pub fn import(
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<(Vec<Diagram>, Vec<Diagnostic>), Diagnostic> {
    let model: Model = if head(bytes).starts_with('{') {
        from_json(bytes, WHAT)?
    } else {
        from_yaml(bytes, WHAT, &options.limits)?
    };
    let mut warnings = Vec::new();
    let diagram = lower::lower(&model, &options.limits, &mut warnings)?;
    Ok((only_page(vec![diagram], options.page.as_deref())?, warnings))
}

#[cfg(test)]
mod tests;
