//! Threagile reader: a `threagile.yaml` model as one diagram, with no positions (Threagile draws
//! its own layout). See [`lower`] for the mapping.

mod lower;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::import::builder::only_page;
use crate::import::structured::{from_yaml, has_top_level_key, head, nullable, Ordered};
use crate::import::ImportOptions;
use crate::model::Diagram;

const WHAT: &str = "a Threagile model";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Model {
    title: Value,
    #[serde(deserialize_with = "nullable")]
    data_assets: Ordered<DataAsset>,
    #[serde(deserialize_with = "nullable")]
    technical_assets: Ordered<TechnicalAsset>,
    #[serde(deserialize_with = "nullable")]
    trust_boundaries: Ordered<TrustBoundary>,
    #[serde(deserialize_with = "nullable")]
    individual_risk_categories: Ordered<RiskCategory>,
    #[serde(deserialize_with = "nullable")]
    risk_tracking: Ordered<Tracking>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DataAsset {
    id: Value,
    confidentiality: Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TechnicalAsset {
    id: Value,
    description: Value,
    #[serde(rename = "type")]
    kind: Value,
    technology: Value,
    out_of_scope: Value,
    justification_out_of_scope: Value,
    internet: Value,
    encryption: Value,
    confidentiality: Value,
    used_as_client_by_human: Value,
    #[serde(deserialize_with = "nullable")]
    data_assets_processed: Vec<Value>,
    #[serde(deserialize_with = "nullable")]
    data_assets_stored: Vec<Value>,
    #[serde(deserialize_with = "nullable")]
    communication_links: Ordered<Link>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Link {
    target: Value,
    description: Value,
    protocol: Value,
    authentication: Value,
    authorization: Value,
    vpn: Value,
    ip_filtered: Value,
    readonly: Value,
    usage: Value,
    #[serde(deserialize_with = "nullable")]
    data_assets_sent: Vec<Value>,
    #[serde(deserialize_with = "nullable")]
    data_assets_received: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TrustBoundary {
    id: Value,
    description: Value,
    #[serde(rename = "type")]
    kind: Value,
    #[serde(deserialize_with = "nullable")]
    technical_assets_inside: Vec<Value>,
    #[serde(deserialize_with = "nullable")]
    trust_boundaries_nested: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RiskCategory {
    id: Value,
    stride: Value,
    mitigation: Value,
    #[serde(deserialize_with = "nullable")]
    risks_identified: Ordered<IdentifiedRisk>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IdentifiedRisk {
    severity: Value,
    most_relevant_technical_asset: Value,
    most_relevant_communication_link: Value,
    most_relevant_trust_boundary: Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Tracking {
    status: Value,
    justification: Value,
    ticket: Value,
}

/// Whether the bytes look like a Threagile model: `threagile_version:`, or `technical_assets:`
/// beside `data_assets:` or `trust_boundaries:`, at the start of a line.
pub fn sniff(_name: &str, bytes: &[u8]) -> bool {
    let text = head(bytes);
    has_top_level_key(&text, "threagile_version")
        || (has_top_level_key(&text, "technical_assets")
            && (has_top_level_key(&text, "data_assets")
                || has_top_level_key(&text, "trust_boundaries")))
}

/// Reads a Threagile model into one diagram.
pub fn import(
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<(Vec<Diagram>, Vec<Diagnostic>), Diagnostic> {
    let model: Model = from_yaml(bytes, WHAT, &options.limits)?;
    let mut warnings = Vec::new();
    let diagram = lower::lower(&model, &options.limits, &mut warnings)?;
    Ok((only_page(vec![diagram], options.page.as_deref())?, warnings))
}

#[cfg(test)]
mod tests;
