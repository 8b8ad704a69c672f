//! The JSON threat list: the tool's API (schema_version 1).
//!
//! Field order is fixed by the structs below and attributes are sorted, so the same input gives
//! the same bytes. New fields may be added; existing ones keep their meaning.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::Report;
use crate::analysis::DiagramAnalysis;
use crate::model::Diagram;
use crate::threats::{Novelty, TargetIndex, Threat};
use crate::user_text::{capped, MAX_SHOWN_CHARS, MAX_SHOWN_ITEMS};

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Root<'a> {
    schema_version: u32,
    tool: Tool,
    source: Source<'a>,
    diagrams: Vec<DiagramOut<'a>>,
    threats: Threats<'a>,
    summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineOut<'a>>,
    warnings: Vec<String>,
}

/// The threats, converted one by one while they are written (no list of them all in memory).
/// Each threat is paired with its diagram, which says what technology its target has.
struct Threats<'a>(Vec<(Option<&'a Diagram>, &'a Threat)>);

impl Serialize for Threats<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|&(d, t)| threat_out(d, t)))
    }
}

#[derive(Serialize)]
struct BaselineOut<'a> {
    path: &'a str,
    new: usize,
    /// Open now, mitigated or accepted in the baseline.
    reopened: usize,
    unchanged: usize,
    fixed: Vec<FixedOut<'a>>,
}

#[derive(Serialize)]
struct FixedOut<'a> {
    id: &'a str,
    diagram: &'a str,
    rule: &'a str,
    title: &'a str,
    target: &'a str,
}

#[derive(Serialize)]
struct SuppressionOut<'a> {
    status: &'static str,
    justification: &'a str,
    expires: Option<&'a str>,
    ticket: Option<&'a str>,
    source: &'a str,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Source<'a> {
    path: &'a str,
    format: &'static str,
}

#[derive(Serialize)]
struct DiagramOut<'a> {
    name: &'a str,
    boundaries: Vec<BoundaryOut<'a>>,
    elements: Vec<ElementOut<'a>>,
    flows: Vec<FlowOut<'a>>,
    external_actors: Vec<&'a str>,
    entry_points: Vec<&'a str>,
    data_assets: Vec<&'a str>,
    infrastructure: Vec<&'a str>,
    assets: Vec<AssetOut<'a>>,
}

#[derive(Serialize)]
struct BoundaryOut<'a> {
    id: &'a str,
    label: &'a str,
    parent: Option<&'a str>,
    /// Effective trust level: 0 untrusted, higher more trusted.
    trust: i64,
    untrusted: bool,
    /// True for a box that says nothing about trust (a code layer, a region): not a trust step.
    grouping: bool,
    trust_reason: &'a str,
    inferred_from: &'a str,
}

#[derive(Serialize)]
struct ElementOut<'a> {
    id: &'a str,
    label: &'a str,
    kind: &'static str,
    boundary: Option<&'a str>,
    technology: Option<&'a str>,
    inferred_from: &'a str,
    external_actor: Option<&'a str>,
    entry_point: Option<&'a str>,
    attributes: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct FlowOut<'a> {
    id: &'a str,
    from: &'a str,
    to: &'a str,
    label: &'a str,
    /// The first [`MAX_SHOWN_ITEMS`] boundaries crossed, outermost first; the full path follows
    /// from the ends' `boundary` and the boundaries' `parent`.
    crosses: Vec<Cow<'a, str>>,
    /// How many more boundaries the flow crosses than `crosses` lists.
    #[serde(skip_serializing_if = "is_zero")]
    crosses_more: usize,
    direction: &'static str,
    attributes: &'a BTreeMap<String, String>,
    /// Attributes inferred from the label rather than declared, and the word they came from.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    inferred_from: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct AssetOut<'a> {
    id: &'a str,
    name: &'a str,
    /// `store` for a data store, `flow_data` for data named on flows.
    kind: &'static str,
    carried_by: &'a [String],
    reachable: bool,
    reached_from: Option<&'a str>,
    boundaries_crossed: Option<usize>,
}

#[derive(Serialize)]
struct ThreatOut<'a> {
    id: &'a str,
    /// Repeated per threat: cut at [`MAX_SHOWN_CHARS`] (the full name is in `diagrams`).
    diagram: Cow<'a, str>,
    rule: &'a str,
    category: &'static str,
    title: &'a str,
    description: &'a str,
    tags: &'a [String],
    target: TargetOut<'a>,
    severity: &'static str,
    severity_reasons: &'a [String],
    impact: &'static str,
    likelihood: &'static str,
    mitigations: Vec<MitigationOut<'a>>,
    status: &'static str,
    residual_risk: &'static str,
    residual_reason: &'a str,
    references: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<SuppressionOut<'a>>,
    /// `new` or `unchanged` when compared with a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
}

#[derive(Serialize)]
struct TargetOut<'a> {
    kind: &'static str,
    /// Cut at [`MAX_SHOWN_CHARS`], like `diagram`.
    id: Cow<'a, str>,
}

#[derive(Serialize)]
struct MitigationOut<'a> {
    /// The rule's advice for the target's technology when it has some, else its generic text.
    text: &'a str,
    /// The technology id whose advice `text` is.
    #[serde(skip_serializing_if = "Option::is_none")]
    technology: Option<&'a str>,
    declared_by: Vec<&'a str>,
    present: bool,
    found: &'a [String],
}

#[derive(Serialize)]
struct Summary {
    threats: usize,
    open: usize,
    mitigated: usize,
    accepted: usize,
    by_severity: BTreeMap<&'static str, usize>,
    by_residual_risk: BTreeMap<&'static str, usize>,
}

/// Renders the report as pretty-printed JSON with a final newline.
pub fn render(report: &Report<'_>) -> String {
    let mut out = Vec::new();
    // Serialising these plain structs into memory cannot fail; an empty object is a safe
    // fallback anyway.
    match write(report, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| "{}\n".into()),
        Err(_) => "{}\n".into(),
    }
}

/// Writes the report as pretty-printed JSON with a final newline, as [`render`] would, but
/// streaming to `out` (buffered here) instead of building the whole text in memory.
pub fn write(report: &Report<'_>, out: impl io::Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, &root(report))?;
    out.write_all(b"\n")?;
    out.flush()
}

fn root<'a>(report: &Report<'a>) -> Root<'a> {
    let diagrams = report.diagrams().map(|(d, a, _)| diagram_out(d, a)).collect();
    let threats = Threats(super::markdown::threats_with_diagrams(report));
    let mut by_severity = BTreeMap::new();
    let mut by_residual_risk = BTreeMap::new();
    for t in report.threats {
        *by_severity.entry(t.severity.name()).or_insert(0) += 1;
        *by_residual_risk.entry(t.residual_risk.name()).or_insert(0) += 1;
    }
    let count = |s: crate::threats::Status| report.threats.iter().filter(|t| t.status == s).count();
    Root {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "dfd-threats", version: env!("CARGO_PKG_VERSION") },
        source: Source { path: &report.document.path, format: report.document.format.name() },
        diagrams,
        threats,
        summary: Summary {
            threats: report.threats.len(),
            open: count(crate::threats::Status::Open),
            mitigated: count(crate::threats::Status::Mitigated),
            accepted: count(crate::threats::Status::Accepted),
            by_severity,
            by_residual_risk,
        },
        baseline: report.baseline.map(|b| BaselineOut {
            path: &b.path,
            new: report.threats.iter().filter(|t| t.novelty == Some(Novelty::New)).count(),
            reopened: report
                .threats
                .iter()
                .filter(|t| t.novelty == Some(Novelty::Reopened))
                .count(),
            unchanged: report
                .threats
                .iter()
                .filter(|t| t.novelty == Some(Novelty::Unchanged))
                .count(),
            fixed: b
                .fixed
                .iter()
                .map(|f| FixedOut {
                    id: &f.id,
                    diagram: &f.diagram,
                    rule: &f.rule,
                    title: &f.title,
                    target: &f.target,
                })
                .collect(),
        }),
        warnings: report.document.warnings.iter().map(|w| w.to_string()).collect(),
    }
}

fn diagram_out<'a>(d: &'a Diagram, a: &'a DiagramAnalysis) -> DiagramOut<'a> {
    let boundary_id = |b: Option<usize>| b.and_then(|b| d.boundaries.get(b)).map(|b| b.id.as_str());
    let element_id = |n: petgraph::graph::NodeIndex| d.element(n).id.as_str();
    DiagramOut {
        name: &d.name,
        boundaries: d
            .boundaries
            .iter()
            .zip(&a.zones)
            .map(|(b, z)| BoundaryOut {
                id: &b.id,
                label: &b.label,
                parent: boundary_id(b.parent),
                trust: z.level,
                untrusted: z.untrusted,
                grouping: !z.ranked,
                trust_reason: &z.reason,
                inferred_from: &b.inferred_from,
            })
            .collect(),
        elements: d
            .elements()
            .map(|(i, e)| {
                let f = a.facts(i);
                ElementOut {
                    id: &e.id,
                    label: &e.label,
                    kind: e.kind.name(),
                    boundary: boundary_id(e.boundary),
                    technology: e.technology.as_deref(),
                    inferred_from: &e.inferred_from,
                    external_actor: f.external_actor.as_deref(),
                    entry_point: f.entry_point.as_deref(),
                    attributes: &e.attributes,
                }
            })
            .collect(),
        flows: d
            .flows()
            .zip(&a.crossings)
            .map(|(f, c)| FlowOut {
                id: &f.flow.id,
                from: element_id(f.from),
                to: element_id(f.to),
                label: &f.flow.label,
                crosses: c
                    .crosses
                    .iter()
                    .take(MAX_SHOWN_ITEMS)
                    .filter_map(|&b| boundary_id(Some(b)))
                    .map(|id| capped(id, MAX_SHOWN_CHARS))
                    .collect(),
                crosses_more: c.crosses.len().saturating_sub(MAX_SHOWN_ITEMS),
                direction: c.direction.name(),
                attributes: &f.flow.attributes,
                inferred_from: &f.flow.inferred,
            })
            .collect(),
        external_actors: a.external_actors.iter().map(|&n| element_id(n)).collect(),
        entry_points: a.entry_points.iter().map(|&n| element_id(n)).collect(),
        data_assets: a.data_assets.iter().map(|x| x.id.as_str()).collect(),
        infrastructure: a.infrastructure.iter().map(|&n| element_id(n)).collect(),
        assets: a
            .data_assets
            .iter()
            .map(|x| AssetOut {
                id: &x.id,
                name: &x.name,
                kind: if x.store.is_some() { "store" } else { "flow_data" },
                carried_by: &x.carried_by,
                reachable: x.reached_by.is_some(),
                reached_from: x.reached_by.as_ref().map(|r| element_id(r.actor)),
                boundaries_crossed: x.reached_by.as_ref().map(|r| r.boundaries_crossed),
            })
            .collect(),
    }
}

fn threat_out<'a>(diagram: Option<&Diagram>, t: &'a Threat) -> ThreatOut<'a> {
    ThreatOut {
        id: &t.id,
        diagram: capped(&t.diagram, MAX_SHOWN_CHARS),
        rule: &t.rule.id,
        category: t.rule.category.name(),
        title: &t.title,
        description: &t.rule.description,
        tags: &t.rule.tags,
        target: TargetOut {
            kind: match t.target {
                TargetIndex::Element(_) => "element",
                TargetIndex::Flow(_) => "flow",
            },
            id: capped(&t.target_id, MAX_SHOWN_CHARS),
        },
        severity: t.severity.name(),
        severity_reasons: &t.severity_reasons,
        impact: t.impact.name(),
        likelihood: t.likelihood.name(),
        mitigations: t
            .rule
            .mitigations
            .iter()
            .zip(&t.mitigations)
            .map(|(m, s)| {
                let (text, technology) = t.advice(diagram, m);
                MitigationOut {
                    text,
                    technology,
                    declared_by: m.declared_by.iter().map(|d| d.text.as_str()).collect(),
                    present: s.present,
                    found: &s.found,
                }
            })
            .collect(),
        status: t.status.name(),
        residual_risk: t.residual_risk.name(),
        residual_reason: &t.residual_reason,
        references: &t.rule.references,
        suppression: t.suppression.as_ref().map(|s| SuppressionOut {
            status: s.status.name(),
            justification: &s.justification,
            expires: s.expires.as_deref(),
            ticket: s.ticket.as_deref(),
            source: &s.source,
        }),
        baseline: t.novelty.map(|n| n.name()),
    }
}
