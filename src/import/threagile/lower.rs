//! From a Threagile model to a [`Diagram`].
//!
//! - **Technical assets** become elements: `type` `external-entity`, `process` or `datastore`
//!   gives the kind; `technology` is kept and names our technology when it matches one;
//!   `out_of_scope`, `internet`, `used_as_client_by_human` become `true` attributes and
//!   `encryption` (at rest, unless `none`) is kept as `encryption`.
//! - **Trust boundaries** become boundaries, nested by `trust_boundaries_nested`, holding the
//!   assets of `technical_assets_inside` (an asset listed by several: the innermost). Their trust
//!   comes from their title or `type` words (`Web DMZ` is exposed).
//! - **Communication links** become flows from the asset to `target`, with `protocol`,
//!   `encrypted=true` for TLS protocols (`https`, `wss`, `ldaps`, `*-encrypted`...),
//!   `authentication` and `authenticated=true` unless `none` (`mfa=true` for `two-factor`),
//!   `authorization` unless `none`, `vpn`, `ip_filtered`, `readonly`, and `usage=devops`. Their id
//!   in recorded threats is Threagile's own: `<source id>><link title slug>`.
//! - **Data assets** give `data` (names: stored for a data store, else processed; sent on a flow,
//!   with `data_received` for the answer) and `classification` from the highest confidentiality
//!   of the asset and its data: `public`, `internal`, `restricted` and `confidential` as they
//!   are, `strictly-confidential` as `secret`. The risk model counts `restricted`, `confidential`
//!   and `secret` as sensitive (`knowledge/sensitive-data.toml`).
//! - **Individual risks** (`individual_risk_categories`) and **risk tracking** entries become
//!   recorded threats; a tracking entry's id may hold wildcards, so it names no target.

use std::collections::HashMap;

use petgraph::graph::NodeIndex;
use serde_json::Value;

use super::{DataAsset, Link, Model, TechnicalAsset};
use crate::diagnostic::Diagnostic;
use crate::import::builder::{flag, shape_of, text, Builder};
use crate::import::hints::{boundary_trust, kind_from_label_noun, technology_from};
use crate::import::html_text::html_to_text;
use crate::import::structured::{self, string};
use crate::import::Limits;
use crate::model::{
    Attributes, Boundary, Diagram, Element, ElementKind, RecordedThreat, TrustDeclaration,
};

/// Threagile's confidentiality scale, lowest first, with the word our risk model reads.
const CONFIDENTIALITY: &[(&str, &str)] = &[
    ("public", "public"),
    ("internal", "internal"),
    ("restricted", "restricted"),
    ("confidential", "confidential"),
    ("strictly-confidential", "secret"),
];

/// Protocols that encrypt the link, besides those ending in `-encrypted`.
const ENCRYPTED_PROTOCOLS: &[&str] =
    &["https", "wss", "ftps", "sftp", "scp", "ssh", "ssh-tunnel", "ldaps", "mqtts"];

/// Data assets by id: name and confidentiality rank.
type DataAssets<'m> = HashMap<String, (&'m str, Option<usize>)>;

fn id_or(value: &Value, title: &str) -> String {
    string(value).filter(|s| !s.trim().is_empty()).unwrap_or_else(|| title.to_string())
}

fn rank(value: &Value) -> Option<usize> {
    let word = string(value)?.trim().to_lowercase();
    CONFIDENTIALITY.iter().position(|(w, _)| *w == word)
}

pub fn lower(
    model: &Model,
    limits: &Limits,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Diagram, Diagnostic> {
    let title = string(&model.title).filter(|t| !t.trim().is_empty());
    let mut b = Builder::new(title.as_deref().unwrap_or("Threagile model"), limits, warnings);
    let data: DataAssets<'_> = model
        .data_assets
        .0
        .iter()
        .map(|(name, d): &(String, DataAsset)| {
            (id_or(&d.id, name), (name.as_str(), rank(&d.confidentiality)))
        })
        .collect();
    let boundary_of = boundaries(&mut b, model, warnings);
    let mut nodes: HashMap<String, NodeIndex> = HashMap::new();
    for (title, asset) in &model.technical_assets.0 {
        let raw_id = id_or(&asset.id, title);
        let mut e = element(&b, title, asset, &data, warnings);
        e.boundary = boundary_of.get(&raw_id).copied();
        nodes.insert(raw_id, b.element(e)?);
    }
    for (title, asset) in &model.technical_assets.0 {
        let source = id_or(&asset.id, title);
        for (link_title, link) in &asset.communication_links.0 {
            flow(&mut b, (&source, link_title, link), &nodes, &data, warnings)?;
        }
    }
    risks(&mut b, model, warnings);
    Ok(b.finish())
}

/// Trust boundaries, parents first; returns the innermost boundary of each asset id.
fn boundaries(
    b: &mut Builder<'_>,
    model: &Model,
    w: &mut Vec<Diagnostic>,
) -> HashMap<String, usize> {
    let list = &model.trust_boundaries.0;
    let ids: Vec<String> = list.iter().map(|(t, tb)| id_or(&tb.id, t)).collect();
    let mut parent: HashMap<&str, usize> = HashMap::new();
    for (i, (_, tb)) in list.iter().enumerate() {
        for nested in tb.trust_boundaries_nested.iter().filter_map(string) {
            let Some(child) = ids.iter().position(|id| *id == nested).filter(|&c| c != i) else {
                continue;
            };
            if parent.contains_key(ids[child].as_str()) {
                w.push(
                    Diagnostic::new(format!(
                        "trust boundary {nested:?} is nested in several boundaries; the first holds it"
                    ))
                    .with_location(b.at(&ids[i]))
                    .with_help("nest each trust boundary in one boundary only"),
                );
            } else {
                parent.insert(&ids[child], i);
            }
        }
    }
    // Depth by walking up; a cycle stops at the length of the list.
    let depth = |i: usize| {
        let (mut d, mut at) = (0, i);
        while let Some(&p) = parent.get(ids[at].as_str()).filter(|_| d < list.len()) {
            d += 1;
            at = p;
        }
        d
    };
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&i| (depth(i), i));
    let mut added: HashMap<usize, usize> = HashMap::new();
    let mut inside: HashMap<String, (usize, usize)> = HashMap::new();
    for i in order {
        let (title, tb) = &list[i];
        let id = b.id(&ids[i], w);
        let mut boundary =
            Boundary::new(id.clone(), b.label(title, &id, w), "Threagile trust boundary");
        text(&mut boundary.attributes, "description", &string(&tb.description).unwrap_or_default());
        let kind = string(&tb.kind).unwrap_or_default();
        text(&mut boundary.attributes, "type", &kind);
        boundary.trust = match boundary_trust(&Attributes::new(), &boundary.label) {
            TrustDeclaration::Unspecified => {
                boundary_trust(&Attributes::new(), &kind.replace('-', " "))
            }
            said => said,
        };
        boundary.origin = Some(b.at(&id));
        boundary.parent = parent.get(ids[i].as_str()).and_then(|p| added.get(p).copied());
        let index = b.diagram.add_boundary(boundary);
        added.insert(i, index);
        for asset in tb.technical_assets_inside.iter().filter_map(string) {
            let d = depth(i);
            if inside.get(&asset).is_none_or(|&(_, other)| d > other) {
                inside.insert(asset, (index, d));
            }
        }
    }
    inside.into_iter().map(|(asset, (index, _))| (asset, index)).collect()
}

fn element(
    b: &Builder<'_>,
    title: &str,
    asset: &TechnicalAsset,
    data: &DataAssets<'_>,
    w: &mut Vec<Diagnostic>,
) -> Element {
    let id = b.id(&id_or(&asset.id, title), w);
    let label = b.label(title, &id, w);
    let kind_word = string(&asset.kind).unwrap_or_default();
    let (kind, why) = match kind_word.trim() {
        "external-entity" => {
            (ElementKind::ExternalEntity, "Threagile type external-entity".to_string())
        }
        "process" => (ElementKind::Process, "Threagile type process".to_string()),
        "datastore" => (ElementKind::DataStore, "Threagile type datastore".to_string()),
        _ => kind_from_label_noun(&label).unwrap_or((
            ElementKind::Process,
            format!("Threagile type {kind_word:?} (default process)"),
        )),
    };
    let mut e = Element::new(id, kind, why);
    e.label = label;
    let a = &mut e.attributes;
    let get = |v: &Value| string(v).unwrap_or_default();
    text(a, "description", &get(&asset.description));
    text(a, "technology", &get(&asset.technology));
    flag(a, "out_of_scope", structured::flag(&asset.out_of_scope));
    if structured::flag(&asset.out_of_scope) {
        text(a, "out_of_scope_reason", &get(&asset.justification_out_of_scope));
    }
    flag(a, "internet", structured::flag(&asset.internet));
    flag(a, "used_as_client_by_human", structured::flag(&asset.used_as_client_by_human));
    let encryption = get(&asset.encryption);
    if !encryption.trim().is_empty() && encryption.trim() != "none" {
        text(a, "encryption", &encryption);
    }
    let named = if kind == ElementKind::DataStore {
        &asset.data_assets_stored
    } else {
        &asset.data_assets_processed
    };
    let all: Vec<&Value> =
        asset.data_assets_processed.iter().chain(&asset.data_assets_stored).collect();
    data_attributes(a, (named.iter().collect(), "data"), &all, rank(&asset.confidentiality), data);
    let spaced = get(&asset.technology).replace('-', " ");
    e.technology = technology_from(&e.attributes, &e.label)
        .or_else(|| technology_from(&Attributes::new(), &spaced))
        .map(|(t, _)| t.id.to_string());
    e.visual.shape = shape_of(kind);
    e
}

/// `name` (e.g. `data`) lists the named assets; `classification` is the highest confidentiality
/// of `own` and every asset of `all`.
fn data_attributes(
    a: &mut Attributes,
    (named, name): (Vec<&Value>, &str),
    all: &[&Value],
    own: Option<usize>,
    data: &DataAssets<'_>,
) {
    let names: Vec<&str> =
        named.iter().filter_map(|v| data.get(&string(v)?)).map(|(n, _)| *n).collect();
    text(a, name, &names.join(", "));
    let highest = all.iter().filter_map(|v| data.get(&string(v)?)?.1).chain(own).max();
    if let Some(r) = highest {
        let word = CONFIDENTIALITY[r].1;
        let keep =
            a.get("classification").and_then(|c| CONFIDENTIALITY.iter().position(|(_, w)| w == c));
        if keep.is_none_or(|k| r > k) {
            a.insert("classification".into(), word.into());
        }
    }
}

/// Threagile's id of a link: the source id, `>`, the title in lower case with `-` between words.
fn link_id(source: &str, title: &str) -> String {
    let slug: String =
        title.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
    format!("{source}>{slug}")
}

fn flow(
    b: &mut Builder<'_>,
    (source, title, link): (&str, &str, &Link),
    nodes: &HashMap<String, NodeIndex>,
    data: &DataAssets<'_>,
    w: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    let id = b.id(&link_id(source, title), w);
    let target = string(&link.target).unwrap_or_default();
    let (Some(&from), Some(&to)) = (nodes.get(source), nodes.get(&target)) else {
        w.push(Diagnostic::new(format!("communication link {title:?} goes to {target:?}, which is not a technical asset, so it is not read"))
            .with_location(b.at(&id))
            .with_help("set `target` to the id of a technical asset"));
        return Ok(());
    };
    let get = |v: &Value| string(v).unwrap_or_default().trim().to_lowercase();
    let mut a = Attributes::new();
    text(&mut a, "description", &string(&link.description).unwrap_or_default());
    let protocol = get(&link.protocol);
    text(&mut a, "protocol", &protocol);
    flag(
        &mut a,
        "encrypted",
        protocol.ends_with("-encrypted") || ENCRYPTED_PROTOCOLS.contains(&protocol.as_str()),
    );
    let authentication = get(&link.authentication);
    if !authentication.is_empty() && authentication != "none" {
        text(&mut a, "authentication", &authentication);
        flag(&mut a, "authenticated", true);
        flag(&mut a, "mfa", authentication == "two-factor");
    }
    let authorization = get(&link.authorization);
    if !authorization.is_empty() && authorization != "none" {
        text(&mut a, "authorization", &authorization);
    }
    flag(&mut a, "vpn", structured::flag(&link.vpn));
    flag(&mut a, "ip_filtered", structured::flag(&link.ip_filtered));
    flag(&mut a, "readonly", structured::flag(&link.readonly));
    if get(&link.usage) == "devops" {
        a.insert("usage".into(), "devops".into());
    }
    let all: Vec<&Value> = link.data_assets_sent.iter().chain(&link.data_assets_received).collect();
    data_attributes(&mut a, (link.data_assets_sent.iter().collect(), "data"), &all, None, data);
    data_attributes(
        &mut a,
        (link.data_assets_received.iter().collect(), "data_received"),
        &[],
        None,
        data,
    );
    let label = b.label(title, &id, w);
    b.flow(&id, (from, to), label, a)?;
    Ok(())
}

/// Individual risks and risk tracking entries as recorded threats.
fn risks(b: &mut Builder<'_>, model: &Model, w: &mut Vec<Diagnostic>) {
    for (category_title, category) in &model.individual_risk_categories.0 {
        for (title, risk) in &category.risks_identified.0 {
            let target = [
                &risk.most_relevant_technical_asset,
                &risk.most_relevant_communication_link,
                &risk.most_relevant_trust_boundary,
            ]
            .into_iter()
            .find_map(|v| string(v).filter(|s| !s.trim().is_empty()))
            .map(|t| b.id(&t, w));
            let shown = |v: &Value| {
                string(v)
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| b.label(&s, category_title, &mut Vec::new()))
            };
            let threat = RecordedThreat {
                id: shown(&category.id),
                title: b.label(&html_to_text(title), category_title, w),
                target: None,
                status: None,
                severity: shown(&risk.severity),
                category: shown(&category.stride),
                mitigation: shown(&category.mitigation),
            };
            b.threat(threat, target);
        }
    }
    for (risk_id, tracking) in &model.risk_tracking.0 {
        let shown = |v: &Value| {
            string(v)
                .filter(|s| !s.trim().is_empty())
                .map(|s| b.label(&s, risk_id, &mut Vec::new()))
        };
        let threat = RecordedThreat {
            id: Some(b.label(risk_id, risk_id, w)),
            title: b.label(risk_id, risk_id, w),
            target: None,
            status: shown(&tracking.status),
            severity: None,
            category: None,
            mitigation: shown(&tracking.justification).map(|j| match shown(&tracking.ticket) {
                Some(t) => format!("{j} ({t})"),
                None => j,
            }),
        };
        b.threat(threat, None);
    }
}
