//! The JSON report: the tool's API (schema_version 2, `schemas/dfd-threats-report-v2.schema.json`).
//!
//! The inventory of each diagram (`diagrams`), the texts of every rule that found something,
//! once (`rules`), and the findings ([`crate::threats::findings`]): per finding its rule by id, its
//! status and figures, and its targets, each a (finding, target) pair with the threat id of
//! schema_version 1 and everything that differs from target to target.
//!
//! Field order is fixed by the structs below and attributes are sorted, so the same input gives
//! the same bytes. New fields may be added; existing ones keep their meaning.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::markdown::{target_kind, target_label};
use super::Report;
use crate::analysis::DiagramAnalysis;
use crate::model::{Diagram, RecordedThreat};
use crate::threats::{recorded, Finding, MitigatedWhen, Novelty, Rule, Status, Threat};
use crate::user_text::{capped, MAX_SHOWN_CHARS, MAX_SHOWN_ITEMS};

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub const SCHEMA_VERSION: u32 = 2;

/// How the JSON is laid out: indented for people and diffs, compact (one line) for machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    #[default]
    Indented,
    Compact,
}

#[derive(Serialize)]
struct Root<'a, 'r> {
    schema_version: u32,
    tool: Tool,
    source: Source<'a>,
    diagrams: Vec<DiagramOut<'a>>,
    rules: Vec<RuleOut<'a>>,
    findings: Findings<'r, 'a>,
    summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineOut<'a>>,
    warnings: Vec<String>,
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
    /// Threats the input model already recorded (Threat Dragon, OTM, TMT, Threagile), as the
    /// tool wrote them; left out when there are none.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    recorded_threats: Vec<RecordedOut<'a>>,
    /// The recorded threats against ours ([`recorded::compare`]); left out with them.
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_comparison: Option<ComparisonOut>,
}

#[derive(Serialize)]
struct RecordedOut<'a> {
    #[serde(flatten)]
    recorded: &'a RecordedThreat,
    /// Ids of our threats that are this one (same place, same kind), best first; empty when no
    /// rule of ours finds it.
    also_found_by: Vec<&'a str>,
}

#[derive(Serialize)]
struct ComparisonOut {
    recorded: usize,
    also_found: usize,
    no_rule_of_ours: usize,
    /// Our threats on this diagram that the model does not record.
    added_by_us: usize,
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
    /// Attributes a control named in the label declares ("API Gateway (Rate Limiting)"), and
    /// the word they came from.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attributes_from_label: &'a BTreeMap<String, String>,
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
    /// The actor, or with `reach_assumed` the process where an undrawn user is assumed.
    reached_from: Option<&'a str>,
    boundaries_crossed: Option<usize>,
    /// Written only when true: the diagram draws no external actor, so the reach is assumed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reach_assumed: bool,
}

/// A rule's texts, given once however many findings refer to it.
#[derive(Serialize)]
struct RuleOut<'a> {
    id: &'a str,
    /// The title template: `{element}`, `{flow}`, `{source}`, `{target}`, `{technology}`.
    title: &'a str,
    category: &'static str,
    /// The rule's own impact and likelihood, before a target's sensitive data and exposure move
    /// them (a target's `impact`, `likelihood` and `severity` are the judged values).
    severity: &'static str,
    likelihood: &'static str,
    description: &'a str,
    tags: &'a [String],
    /// The `CWE-n` entries of `references`.
    cwe: Vec<&'a str>,
    /// The `CAPEC-n` entries of `references`.
    capec: Vec<&'a str>,
    /// `any`: one declared mitigation covers the threat; `all`: every one is needed.
    mitigated_when: &'static str,
    mitigations: Vec<RuleMitigationOut<'a>>,
    references: &'a [String],
}

#[derive(Serialize)]
struct RuleMitigationOut<'a> {
    text: &'a str,
    declared_by: Vec<&'a str>,
    /// The same advice in a technology's own terms, by technology id; a target's mitigation
    /// names the entry that applies to it (`technology`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    by_technology: &'a BTreeMap<String, String>,
}

/// The findings, converted one by one while they are written (no list of them all in memory).
struct Findings<'r, 'a>(&'r [Finding<'a>]);

impl Serialize for Findings<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(finding_out))
    }
}

#[derive(Serialize)]
struct FindingOut<'a> {
    id: &'a str,
    /// Repeated per finding: cut at [`MAX_SHOWN_CHARS`] (the full name is in `diagrams`).
    diagram: Cow<'a, str>,
    /// The id of an entry of `rules`.
    rule: &'a str,
    title: String,
    status: &'static str,
    severity: &'static str,
    residual_risk: &'static str,
    targets: Targets<'a>,
}

/// A finding's targets, converted one by one while they are written: a finding of a big
/// diagram has thousands.
struct Targets<'a>(Option<&'a Diagram>, &'a [&'a Threat]);

impl Serialize for Targets<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.1.iter().map(|t| target_out(self.0, t)))
    }
}

/// One (finding, target) pair: the threat to one element or flow.
#[derive(Serialize)]
struct TargetOut<'a> {
    /// The threat id (`T-…`), as in schema_version 1.
    id: &'a str,
    target: TargetRefOut<'a>,
    title: &'a str,
    status: &'static str,
    severity: &'static str,
    severity_reasons: &'a [String],
    /// The two halves of `severity` for this target (README, "Threats, severity and residual
    /// risk").
    impact: &'static str,
    likelihood: &'static str,
    residual_risk: &'static str,
    residual_reason: &'a str,
    /// By position in the rule's `mitigations`.
    mitigations: Vec<MitigationOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<SuppressionOut<'a>>,
    /// `new`, `reopened` or `unchanged` when compared with a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
}

#[derive(Serialize)]
struct TargetRefOut<'a> {
    kind: &'static str,
    /// Cut at [`MAX_SHOWN_CHARS`], like `diagram`.
    id: Cow<'a, str>,
    /// The target's label on one line, cut; null when it says no more than the id.
    label: Option<String>,
}

#[derive(Serialize)]
struct MitigationOut<'a> {
    present: bool,
    found: &'a [String],
    /// The technology whose advice (the rule mitigation's `by_technology` entry) applies to
    /// this target; absent when the generic text does.
    #[serde(skip_serializing_if = "Option::is_none")]
    technology: Option<&'a str>,
}

/// Counts of (finding, target) pairs, as in schema_version 1, and of findings.
#[derive(Serialize)]
struct Summary {
    threats: usize,
    open: usize,
    mitigated: usize,
    accepted: usize,
    by_severity: BTreeMap<&'static str, usize>,
    by_residual_risk: BTreeMap<&'static str, usize>,
    findings: usize,
    open_findings: usize,
}

/// Renders the report as indented JSON with a final newline.
pub fn render(report: &Report<'_>) -> String {
    render_as(report, Layout::Indented)
}

/// Renders the report as JSON laid out as asked, with a final newline.
pub fn render_as(report: &Report<'_>, layout: Layout) -> String {
    let mut out = Vec::new();
    // Serialising these plain structs into memory cannot fail; an empty object is a safe
    // fallback anyway.
    match write_as(report, &mut out, layout) {
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| "{}\n".into()),
        Err(_) => "{}\n".into(),
    }
}

/// Writes the report as indented JSON with a final newline, as [`render`] would, but
/// streaming to `out` (buffered here) instead of building the whole text in memory.
pub fn write(report: &Report<'_>, out: impl io::Write) -> io::Result<()> {
    write_as(report, out, Layout::Indented)
}

/// [`write`], laid out as asked.
pub fn write_as(report: &Report<'_>, out: impl io::Write, layout: Layout) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let root = root(report);
    match layout {
        Layout::Indented => serde_json::to_writer_pretty(&mut out, &root)?,
        Layout::Compact => serde_json::to_writer(&mut out, &root)?,
    }
    out.write_all(b"\n")?;
    out.flush()
}

fn root<'a, 'r>(report: &'r Report<'a>) -> Root<'a, 'r> {
    Root {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "dfd-threats", version: env!("CARGO_PKG_VERSION") },
        source: Source { path: &report.document.path, format: report.document.format.name() },
        diagrams: report.diagrams().map(|(d, a, t)| diagram_out(d, a, t)).collect(),
        rules: rules_out(&report.findings),
        findings: Findings(&report.findings),
        summary: summary(report),
        baseline: report.baseline.map(|b| BaselineOut {
            path: &b.path,
            new: novelty_count(report.threats, Novelty::New),
            reopened: novelty_count(report.threats, Novelty::Reopened),
            unchanged: novelty_count(report.threats, Novelty::Unchanged),
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

fn novelty_count(threats: &[Threat], novelty: Novelty) -> usize {
    threats.iter().filter(|t| t.novelty == Some(novelty)).count()
}

fn summary(report: &Report<'_>) -> Summary {
    let mut by_severity = BTreeMap::new();
    let mut by_residual_risk = BTreeMap::new();
    for t in report.threats {
        *by_severity.entry(t.severity.name()).or_insert(0) += 1;
        *by_residual_risk.entry(t.residual_risk.name()).or_insert(0) += 1;
    }
    let count = |s: Status| report.threats.iter().filter(|t| t.status == s).count();
    Summary {
        threats: report.threats.len(),
        open: count(Status::Open),
        mitigated: count(Status::Mitigated),
        accepted: count(Status::Accepted),
        by_severity,
        by_residual_risk,
        findings: report.findings.len(),
        open_findings: report.findings.iter().filter(|f| f.status == Status::Open).count(),
    }
}

fn diagram_out<'a>(
    d: &'a Diagram,
    a: &'a DiagramAnalysis,
    threats: &'a [Threat],
) -> DiagramOut<'a> {
    let comparison = recorded::compare(d, threats);
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
                    attributes_from_label: &e.inferred,
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
                reached_from: x.reached_by.as_ref().map(|r| element_id(r.origin.node())),
                boundaries_crossed: x.reached_by.as_ref().map(|r| r.boundaries_crossed),
                reach_assumed: x.reached_by.as_ref().is_some_and(|r| r.origin.is_assumed()),
            })
            .collect(),
        recorded_threats: d
            .recorded_threats
            .iter()
            .zip(&comparison.matches)
            .map(|(recorded, ours)| RecordedOut {
                recorded,
                also_found_by: ours.iter().map(|t| t.id.as_str()).collect(),
            })
            .collect(),
        recorded_comparison: (!d.recorded_threats.is_empty()).then(|| ComparisonOut {
            recorded: d.recorded_threats.len(),
            also_found: comparison.also_found(),
            no_rule_of_ours: comparison.theirs_only(),
            added_by_us: comparison.ours_only.len(),
        }),
    }
}

/// The rules the findings refer to, by id.
fn rules_out<'a>(findings: &[Finding<'a>]) -> Vec<RuleOut<'a>> {
    let rules: BTreeMap<&'a str, &'a Rule> =
        findings.iter().map(|f| (f.rule.id.as_str(), f.rule.as_ref())).collect();
    rules.into_values().map(rule_out).collect()
}

fn rule_out(r: &Rule) -> RuleOut<'_> {
    let numbered = |prefix: &str| -> Vec<&str> {
        r.references
            .iter()
            .map(|x| x.trim())
            .filter(|x| x.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix)))
            .collect()
    };
    RuleOut {
        id: &r.id,
        title: &r.title,
        category: r.category.name(),
        severity: r.severity.name(),
        likelihood: r.likelihood.name(),
        description: &r.description,
        tags: &r.tags,
        cwe: numbered("CWE-"),
        capec: numbered("CAPEC-"),
        mitigated_when: match r.mitigated_when {
            MitigatedWhen::Any => "any",
            MitigatedWhen::All => "all",
        },
        mitigations: r
            .mitigations
            .iter()
            .map(|m| RuleMitigationOut {
                text: &m.text,
                declared_by: m.declared_by.iter().map(|d| d.text.as_str()).collect(),
                by_technology: &m.by_technology,
            })
            .collect(),
        references: &r.references,
    }
}

fn finding_out<'r>(f: &'r Finding<'_>) -> FindingOut<'r> {
    FindingOut {
        id: f.id.as_str(),
        diagram: capped(f.diagram_name, MAX_SHOWN_CHARS),
        rule: &f.rule.id,
        title: f.title(),
        status: f.status.name(),
        severity: f.severity.name(),
        residual_risk: f.residual_risk.name(),
        targets: Targets(f.diagram, &f.targets),
    }
}

fn target_out<'a>(diagram: Option<&Diagram>, t: &'a Threat) -> TargetOut<'a> {
    TargetOut {
        id: &t.id,
        target: TargetRefOut {
            kind: target_kind(t),
            id: capped(&t.target_id, MAX_SHOWN_CHARS),
            label: target_label(diagram, t),
        },
        title: &t.title,
        status: t.status.name(),
        severity: t.severity.name(),
        severity_reasons: &t.severity_reasons,
        impact: t.impact.name(),
        likelihood: t.likelihood.name(),
        residual_risk: t.residual_risk.name(),
        residual_reason: &t.residual_reason,
        mitigations: t
            .rule
            .mitigations
            .iter()
            .zip(&t.mitigations)
            .map(|(m, s)| MitigationOut {
                present: s.present,
                found: &s.found,
                technology: t.advice(diagram, m).1,
            })
            .collect(),
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
