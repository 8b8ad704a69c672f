//! Catalog rules applied to an analysed diagram: one [`Threat`] per rule and matching target,
//! with its severity, the mitigations the diagram declares and the residual risk. [`findings`]
//! groups them into the findings the reports show: the threats one fix closes.

pub mod catalog;
pub mod condition;
mod declared;
pub mod findings;
pub mod recorded;
pub mod risk;
pub mod rule;

use std::sync::Arc;

use petgraph::graph::{EdgeIndex, NodeIndex};
use sha2::{Digest, Sha256};

use crate::analysis::DiagramAnalysis;
use crate::model::{declares, Diagram, FlowRef};
use crate::user_text::{capped, MAX_SHOWN_CHARS};
pub use catalog::Catalog;
use condition::Context;
pub use findings::Finding;
pub use rule::{Category, Level, MitigatedWhen, Mitigation, Place, Rule};

/// What a threat is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetIndex {
    Element(NodeIndex),
    Flow(EdgeIndex),
}

/// Where a threat stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Open,
    Mitigated,
    Accepted,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Mitigated => "mitigated",
            Status::Accepted => "accepted",
        }
    }
}

/// A mitigation of one threat, and whether the diagram declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MitigationState {
    pub present: bool,
    /// The declarations found, e.g. `protocol=HTTPS on flow`.
    pub found: Vec<String>,
}

/// One threat to one element or flow.
#[derive(Debug, Clone)]
pub struct Threat {
    /// Stable id, see [`threat_id`].
    pub id: String,
    pub diagram: String,
    pub rule: Arc<Rule>,
    pub title: String,
    pub target: TargetIndex,
    /// The element id or flow id.
    pub target_id: String,
    /// The risk before declared mitigations: [`risk::matrix`] of `impact` and `likelihood`.
    pub severity: Level,
    /// How bad it is when it happens, for this target ([`risk`]).
    pub impact: Level,
    /// How likely it is, given this target's exposure ([`risk`]).
    pub likelihood: Level,
    /// Why impact and likelihood are what they are (one line each, [`risk::assess`]).
    pub severity_reasons: Vec<String>,
    /// By position in `rule.mitigations`.
    pub mitigations: Vec<MitigationState>,
    pub status: Status,
    pub residual_risk: Level,
    pub residual_reason: String,
    /// A person's decision from a suppressions file, when one matches.
    pub suppression: Option<Suppression>,
    /// Compared with `--baseline`, when given.
    pub novelty: Option<Novelty>,
}

impl Threat {
    /// The technology ids a mitigation's advice is chosen by, most specific first: the element's,
    /// or a flow's target's then its source's (the receiver is usually the one that enforces).
    pub fn technologies<'d>(&self, diagram: &'d Diagram) -> Vec<&'d str> {
        let nodes = match self.target {
            TargetIndex::Element(n) => vec![n],
            TargetIndex::Flow(e) => {
                diagram.graph.edge_endpoints(e).map_or_else(Vec::new, |(from, to)| vec![to, from])
            }
        };
        nodes
            .into_iter()
            .filter_map(|n| diagram.graph.node_weight(n)?.technology.as_deref())
            .collect()
    }

    /// What to do about mitigation `m` of this threat: its advice for the target's technology when
    /// the rule has one (with that technology's id), else its generic text.
    pub fn advice<'r>(
        &self,
        diagram: Option<&Diagram>,
        m: &'r Mitigation,
    ) -> (&'r str, Option<&'r str>) {
        m.advice(diagram.map(|d| self.technologies(d)).unwrap_or_default())
    }
}

/// What a suppression entry says about a threat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionStatus {
    /// The risk is known and accepted.
    Accepted,
    /// The threat does not apply.
    FalsePositive,
    /// Mitigated by something the diagram does not show.
    Mitigated,
}

impl SuppressionStatus {
    pub fn name(self) -> &'static str {
        match self {
            SuppressionStatus::Accepted => "accepted",
            SuppressionStatus::FalsePositive => "false_positive",
            SuppressionStatus::Mitigated => "mitigated",
        }
    }
}

/// A suppression applied to a threat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub status: SuppressionStatus,
    pub justification: String,
    /// `YYYY-MM-DD`.
    pub expires: Option<String>,
    pub ticket: Option<String>,
    /// `file:line` of the entry.
    pub source: String,
}

/// Whether a threat was in the baseline, and open there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Novelty {
    New,
    /// Open now, mitigated or accepted in the baseline: a control was removed or a suppression
    /// lapsed. As much a new risk as a new threat.
    Reopened,
    Unchanged,
}

impl Novelty {
    pub fn name(self) -> &'static str {
        match self {
            Novelty::New => "new",
            Novelty::Reopened => "reopened",
            Novelty::Unchanged => "unchanged",
        }
    }

    /// Whether the threat is a risk the baseline did not carry: the CI gate counts these.
    pub fn is_new_risk(self) -> bool {
        matches!(self, Novelty::New | Novelty::Reopened)
    }
}

/// A threat id: `T-` and the first 10 hex digits of SHA-256 over the rule id, the diagram name,
/// the target kind and the target's own id. Labels, positions and file order play no part, so ids
/// survive moving, relabelling and reordering, and editing unrelated parts of the diagram.
pub fn threat_id(rule: &str, diagram: &str, target_kind: &str, target_id: &str) -> String {
    hashed_id("T-", &[rule, diagram, target_kind, target_id])
}

/// `prefix` and the first 10 hex digits of SHA-256 over `parts`, each followed by a unit
/// separator (0x1f) so that no two lists of parts hash the same text.
pub(crate) fn hashed_id(prefix: &str, parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]);
    }
    let digest = hasher.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(prefix.len() + 10);
    id.push_str(prefix);
    // Two digits per byte without a `format!` each: every threat of a big diagram has an id.
    for byte in &digest[..5] {
        id.push(char::from(HEX[usize::from(byte >> 4)]));
        id.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    id
}

/// The sensitive-data word (`knowledge/sensitive-data.toml`) a `classification` or `data`
/// attribute names, matched as whole words.
fn sensitive_in(value: &str) -> Option<String> {
    crate::model::vocabulary::sensitive_data_words().find_in(value).map(str::to_string)
}

/// The sensitive-data word that `classification`, `data` or `data_classification` names in
/// these attributes.
fn sensitive_in_attributes(attributes: &crate::model::Attributes) -> Option<String> {
    ["classification", "data", "data_classification"]
        .iter()
        .filter_map(|k| attributes.get(*k))
        .find_map(|v| sensitive_in(v))
}

/// The sensitive data an element holds or handles: named on the element itself, else on a flow
/// it sends or receives. The risk model raises impact with it; the `sensitive_data` condition
/// field tests it.
fn sensitive_data_of_element(diagram: &Diagram, node: NodeIndex) -> Option<String> {
    let graph = &diagram.graph;
    sensitive_in_attributes(&diagram.element(node).attributes).or_else(|| {
        graph
            .edges_directed(node, petgraph::Direction::Outgoing)
            .chain(graph.edges_directed(node, petgraph::Direction::Incoming))
            .find_map(|e| sensitive_in_attributes(&e.weight().attributes))
    })
}

/// Applies every rule of `catalog` to one analysed diagram. Threats come out in target order
/// (elements in file order, then flows in file order), then rule id.
///
/// Big diagrams are evaluated on two threads, each taking half of the elements and half of the
/// flows; the halves are joined in order, so the result is the same as on one thread.
pub fn evaluate(diagram: &Diagram, analysis: &DiagramAnalysis, catalog: &Catalog) -> Vec<Threat> {
    evaluate_on(diagram, analysis, catalog, Threads::Two)
}

/// How many threads [`evaluate_on`] may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threads {
    /// One: another thread is already busy beside it (the layout, see
    /// `pipeline::analyse_laid_out`), and on two cores a third thread only takes turns with it.
    One,
    /// Two for a big diagram, one for a small one.
    Two,
}

/// [`evaluate`] on as many threads as `threads` allows; the same threats either way.
pub fn evaluate_on(
    diagram: &Diagram,
    analysis: &DiagramAnalysis,
    catalog: &Catalog,
    threads: Threads,
) -> Vec<Threat> {
    /// Below this many elements and flows a second thread costs more than it saves.
    const PARALLEL_FROM: usize = 2_000;
    let rules: Vec<&Arc<Rule>> = catalog.rules().collect();
    let element_rules: Vec<&Arc<Rule>> =
        rules.iter().copied().filter(|r| !r.applies_to_flows()).collect();
    let flow_rules: Vec<&Arc<Rule>> =
        rules.iter().copied().filter(|r| r.applies_to_flows()).collect();
    let nodes: Vec<NodeIndex> = diagram.graph.node_indices().collect();
    let flows: Vec<FlowRef<'_>> = diagram.flows().collect();
    let run = |nodes: &[NodeIndex], flows: &[FlowRef<'_>]| {
        let mut out = Vec::new();
        evaluate_elements(diagram, analysis, &element_rules, nodes, &mut out);
        let split = out.len();
        evaluate_flows(diagram, analysis, &flow_rules, flows, &mut out);
        (out, split)
    };
    if threads == Threads::One || nodes.len() + flows.len() < PARALLEL_FROM {
        return run(&nodes, &flows).0;
    }
    let (nodes_a, nodes_b) = nodes.split_at(nodes.len() / 2);
    let (flows_a, flows_b) = flows.split_at(flows.len() / 2);
    let (a, b) = std::thread::scope(|scope| {
        let second = scope.spawn(|| run(nodes_b, flows_b));
        let first = run(nodes_a, flows_a);
        // A panic on the second thread is passed on as it would be on one thread.
        (first, second.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    let ((mut a, a_split), (mut b, b_split)) = (a, b);
    let mut threats = Vec::with_capacity(a.len() + b.len());
    let a_flows = a.split_off(a_split);
    let b_flows = b.split_off(b_split);
    threats.extend(a);
    threats.extend(b);
    threats.extend(a_flows);
    threats.extend(b_flows);
    threats
}

/// The attribute with which a model takes an element or flow out of the analysis' scope
/// (Threat Dragon's `outOfScope`, the Threat Modeling Tool's "Out Of Scope", Threagile's
/// `out_of_scope`, or written by hand). Those tools raise no threat on such a target, and
/// neither do we: it still takes part in the diagram (an out-of-scope client's requests still
/// reach the system, and threats on the flows it sends are raised on those flows).
pub const OUT_OF_SCOPE: &str = "out_of_scope";

fn evaluate_elements(
    diagram: &Diagram,
    analysis: &DiagramAnalysis,
    rules: &[&Arc<Rule>],
    nodes: &[NodeIndex],
    threats: &mut Vec<Threat>,
) {
    for &node in nodes {
        let element = diagram.element(node);
        if declares(&element.attributes, OUT_OF_SCOPE) {
            continue;
        }
        let ctx = Context { diagram, analysis, element: Some(node), flow: None };
        for rule in rules.iter().filter(|r| r.applies_to_kind(element.kind)) {
            if rule.when.as_ref().is_none_or(|c| c.eval(&ctx)) {
                threats.push(make_threat(rule, &ctx, TargetIndex::Element(node), &element.id));
            }
        }
    }
}

fn evaluate_flows(
    diagram: &Diagram,
    analysis: &DiagramAnalysis,
    rules: &[&Arc<Rule>],
    flows: &[FlowRef<'_>],
    threats: &mut Vec<Threat>,
) {
    for &flow in flows {
        if declares(&flow.flow.attributes, OUT_OF_SCOPE) {
            continue;
        }
        let ctx = Context { diagram, analysis, element: None, flow: Some(flow) };
        for rule in rules {
            if rule.when.as_ref().is_none_or(|c| c.eval(&ctx)) {
                threats.push(make_threat(rule, &ctx, TargetIndex::Flow(flow.index), &flow.flow.id));
            }
        }
    }
}

fn make_threat(
    rule: &Arc<Rule>,
    ctx: &Context<'_>,
    target: TargetIndex,
    target_id: &str,
) -> Threat {
    let kind = match target {
        TargetIndex::Element(_) => "element",
        TargetIndex::Flow(_) => "flow",
    };
    let assessment = risk::assess(rule, ctx);
    let severity = assessment.risk;
    let mitigations: Vec<MitigationState> =
        rule.mitigations.iter().map(|m| declared::state(m, ctx)).collect();
    let present = mitigations.iter().filter(|m| m.present).count();
    let covered = match rule.mitigated_when {
        MitigatedWhen::Any => present > 0,
        MitigatedWhen::All => present > 0 && present == mitigations.len(),
    };
    let (status, residual_risk, residual_reason) = if covered {
        let residual = if severity >= Level::High { Level::Low } else { Level::None };
        let reason = if residual == Level::None {
            "declared mitigations cover the threat".to_string()
        } else {
            format!("declared mitigations cover the threat; a {severity} threat keeps low residual risk until the controls are verified")
        };
        (Status::Mitigated, residual, reason)
    } else if present > 0 {
        (
            Status::Open,
            severity.lowered(1).max(Level::Low),
            format!("{present} of {} mitigations declared; all are needed", mitigations.len()),
        )
    } else if mitigations.is_empty() {
        (Status::Open, severity, "the rule lists no mitigation the diagram can declare".to_string())
    } else {
        (Status::Open, severity, "no mitigation declared".to_string())
    };
    Threat {
        id: threat_id(&rule.id, &ctx.diagram.name, kind, target_id),
        diagram: ctx.diagram.name.clone(),
        title: render_title(&rule.title, ctx),
        rule: Arc::clone(rule),
        target,
        target_id: target_id.to_string(),
        severity,
        impact: assessment.impact,
        likelihood: assessment.likelihood,
        severity_reasons: assessment.reasons,
        mitigations,
        status,
        residual_risk,
        residual_reason,
        suppression: None,
        novelty: None,
    }
}

/// Fills `{element}`, `{flow}`, `{source}`, `{target}`, `{technology}` and `{data}` with labels.
fn render_title(template: &str, ctx: &Context<'_>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let names_ends = template.contains("{source}") && template.contains("{target}");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        if !fill_placeholder(&after[..close], names_ends, ctx, &mut out) {
            out.push_str(&rest[open..open + close + 2]);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    sentence_case(out)
}

/// A title opening with a label reads as a sentence: "download receipt from ..." becomes
/// "Download receipt from ...". A word whose second letter is a capital ("iOS app", "eBay")
/// is a name spelled that way and is kept.
fn sentence_case(title: String) -> String {
    let mut chars = title.chars();
    match (chars.next(), chars.next()) {
        (Some(first), second)
            if first.is_lowercase() && !second.is_some_and(char::is_uppercase) =>
        {
            first.to_uppercase().chain(title.chars().skip(1)).collect()
        }
        _ => title,
    }
}

/// Appends the value of one `{name}` placeholder; false when the name is unknown or does not
/// apply to this target (the placeholder is then kept as written).
fn fill_placeholder(name: &str, names_ends: bool, ctx: &Context<'_>, out: &mut String) -> bool {
    let label = |n: NodeIndex, out: &mut String| push_name(&ctx.diagram.element(n).label, out);
    match (name, ctx.element, ctx.flow) {
        ("element", Some(node), _) => label(node, out),
        // An unlabelled flow in a title that names its ends is just "the flow": naming it by its
        // ends too would say them twice ("Outbound A → B from A to B ...").
        ("flow", _, Some(f)) if f.flow.label.trim().is_empty() && names_ends => {
            out.push_str(unnamed_flow(out));
        }
        // Otherwise it is named by its ends, so a title always says which flow it is.
        ("flow", _, Some(f)) if f.flow.label.trim().is_empty() => {
            label(f.from, out);
            out.push_str(" → ");
            label(f.to, out);
        }
        ("flow", _, Some(f)) => push_one_line(&f.flow.label, out),
        ("source", _, Some(f)) => label(f.from, out),
        ("target", _, Some(f)) => label(f.to, out),
        ("technology", element, flow) => {
            let node = element.or(flow.map(|f| f.to));
            let tech = node.and_then(|n| ctx.diagram.element(n).tech());
            out.push_str(tech.map_or("its platform", |t| t.name.as_str()));
        }
        ("data", element, flow) => {
            let attributes = match (element, flow) {
                (Some(node), _) => &ctx.diagram.element(node).attributes,
                (None, Some(f)) => &f.flow.attributes,
                _ => return false,
            };
            push_data(attributes, out);
        }
        _ => return false,
    }
    true
}

/// How a title refers to a flow without a label: "The flow" opening the title, else "the flow".
fn unnamed_flow(before: &str) -> &'static str {
    if before.is_empty() {
        "The flow"
    } else {
        "the flow"
    }
}

/// The data a target names: its `data` attribute, else its `classification` ("pii data"), else
/// "its data", so a title reads the same whether or not the diagram names the data.
fn push_data(attributes: &crate::model::Attributes, out: &mut String) {
    let named = |key: &str| attributes.get(key).filter(|v| !v.trim().is_empty());
    if let Some(data) = named("data") {
        push_one_line(data, out);
    } else if let Some(class) = named("classification").or_else(|| named("data_classification")) {
        push_one_line(class, out);
        out.push_str(" data");
    } else {
        out.push_str("its data");
    }
}

/// How long an element's name in a title may grow by taking the label's next lines.
const TITLE_NAME_CHARS: usize = 40;

/// Appends the name an element goes by in a title: its label's first line, and the next lines
/// while the name stays short ("P1: Load balancer (HAProxy)"). Authors write what an element
/// does under its name ("JWT Authentication" over "Mitigates unauthenticated access", a
/// service's latency budget); in every title of every threat that description buries the name.
fn push_name(label: &str, out: &mut String) {
    let mut lines = label.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else { return };
    let mut name = first.to_string();
    for line in lines {
        if name.chars().count() + 1 + line.chars().count() > TITLE_NAME_CHARS {
            break;
        }
        name.push(' ');
        name.push_str(line);
    }
    push_one_line(without_open_bracket(&name), out);
}

/// `name` without a bracket that a later line would have closed ("Nginx Static (GeoJSON files"
/// is "Nginx Static"); the name itself when the bracket opens it.
fn without_open_bracket(name: &str) -> &str {
    let mut open: Vec<usize> = Vec::new();
    for (at, c) in name.char_indices() {
        match c {
            '(' => open.push(at),
            ')' => {
                open.pop();
            }
            _ => {}
        }
    }
    match open.first() {
        Some(&at) if !name[..at].trim().is_empty() => name[..at].trim_end(),
        _ => name,
    }
}

/// Appends `text` with every run of whitespace (newlines too) as one space, cut at
/// [`MAX_SHOWN_CHARS`] characters: the title is repeated in every output of every threat, so a
/// long label must not be copied whole into each of them.
fn push_one_line(text: &str, out: &mut String) {
    let mut one_line = String::with_capacity(text.len().min(4 * MAX_SHOWN_CHARS));
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            one_line.push(' ');
        }
        one_line.push_str(word);
        if one_line.len() > 4 * MAX_SHOWN_CHARS {
            break;
        }
    }
    out.push_str(&capped(&one_line, MAX_SHOWN_CHARS));
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
