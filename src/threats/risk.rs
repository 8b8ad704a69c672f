//! The risk model: risk = impact × likelihood, each judged for one threat on one target.
//!
//! - **Impact** starts at the rule's `severity` (how bad the threat is when it happens, to a
//!   typical target). For threats to data (tampering, information disclosure) it rises one step
//!   when the target holds or carries sensitive data: a `classification`/`data` attribute on it,
//!   or data named on the flows it sends or receives (`knowledge/sensitive-data.toml`). A flood
//!   or a missing log line is not worse because card numbers pass by.
//! - **Likelihood** starts at the rule's `likelihood`: how easy the attack is for an outsider who
//!   reaches the target directly (an actor sends to it, a flow comes in from an actor, a store
//!   exchanges data with an actor). It drops one step when actors reach the target only through
//!   other elements (the attack must first pass or abuse them), and two steps when no external
//!   actor reaches it at all (an insider or a prior compromise is needed).
//!   A spoofing threat on a flow (someone posing as its sender) is direct when the receiver also
//!   takes requests from an actor: the outsider sends the forged flow through that way in.
//! - **Risk** is read from the matrix below (the OWASP risk-rating shape): *critical* needs both a
//!   high impact and a high likelihood, so it stays rare and means "fix before release".
//!
//! | impact \ likelihood | low    | medium | high     |
//! |---------------------|--------|--------|----------|
//! | high                | medium | high   | critical |
//! | medium              | low    | medium | high     |
//! | low                 | low    | low    | medium   |
//!
//! Each factor that moved a level is written into `severity_reasons`, so a reader can check the
//! call.

use super::condition::Context;
use super::rule::{Category, Level, Rule};
use crate::analysis::{Direction, ElementFacts, Reach, ReachOrigin};
use crate::model::FlowRef;

/// How one threat was rated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub impact: Level,
    pub likelihood: Level,
    /// The matrix cell of `impact` and `likelihood`.
    pub risk: Level,
    /// Why impact and likelihood are what they are: one line for each.
    pub reasons: Vec<String>,
}

/// How directly an external actor reaches a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exposure {
    Direct,
    Indirect,
    Unreached,
}

/// Rates one threat of `rule` on the target in `ctx`.
pub fn assess(rule: &Rule, ctx: &Context<'_>) -> Assessment {
    let base_impact = on_matrix(rule.severity);
    let at_stake = rule.category.harms_data().then(|| sensitive_data(ctx)).flatten();
    let (impact, impact_why) = match at_stake {
        Some(word) if base_impact < Level::High => (
            base_impact.raised(1),
            format!("sensitive data ({word}); the rule's base is {base_impact}"),
        ),
        Some(word) => (base_impact, format!("the rule's base; sensitive data ({word})")),
        None => (base_impact, "the rule's base".to_string()),
    };
    let base = on_matrix(rule.likelihood);
    let (exposure, why) = exposure(ctx, rule.category == Category::Spoofing);
    let likelihood = match exposure {
        Exposure::Direct => base,
        Exposure::Indirect => base.lowered(1).max(Level::Low),
        Exposure::Unreached => base.lowered(2).max(Level::Low),
    };
    let likelihood_why = if likelihood == base {
        format!("{why}; the rule's base")
    } else {
        format!("{why}; the rule's base is {base}")
    };
    Assessment {
        impact,
        likelihood,
        risk: matrix(impact, likelihood),
        reasons: vec![
            format!("impact {impact}: {impact_why}"),
            format!("likelihood {likelihood}: {likelihood_why}"),
        ],
    }
}

/// Impact and likelihood have three steps; a rule's `critical` counts as high.
fn on_matrix(level: Level) -> Level {
    level.clamp(Level::Low, Level::High)
}

/// The risk for an impact and a likelihood, both in low..=high.
pub fn matrix(impact: Level, likelihood: Level) -> Level {
    use Level::{Critical, High, Low, Medium};
    match (on_matrix(impact), on_matrix(likelihood)) {
        (High, High) => Critical,
        (High, Medium) | (Medium, High) => High,
        (High, Low) | (Medium, Medium) | (Low, High) => Medium,
        _ => Low,
    }
}

/// How directly an outsider reaches the target. `spoofed`: the threat is someone posing as a
/// flow's sender (STRIDE S), so what counts is whether an outsider can reach the receiver.
fn exposure(ctx: &Context<'_>, spoofed: bool) -> (Exposure, String) {
    let a = ctx.analysis;
    let label = |n| ctx.diagram.element(n).label.split_whitespace().collect::<Vec<_>>().join(" ");
    match (ctx.element, ctx.flow) {
        (Some(node), _) => element_exposure(a.facts(node), label),
        (None, Some(flow)) => flow_exposure(ctx, flow, spoofed, label),
        _ => (Exposure::Indirect, "no target".to_string()),
    }
}

fn element_exposure(
    facts: &ElementFacts,
    label: impl Fn(petgraph::graph::NodeIndex) -> String,
) -> (Exposure, String) {
    if facts.external_actor.is_some() {
        return (Exposure::Direct, "an external actor, outside the system's control".into());
    }
    // A process that only calls out to an actor is not reached by it; a store an actor reads
    // from is.
    if facts.receives_from_external || (facts.data_asset && facts.sends_to_external) {
        let who = facts
            .reached_by
            .as_ref()
            .map_or("an external actor".into(), |r| label(r.origin.node()));
        return (Exposure::Direct, format!("exchanges data directly with {who}"));
    }
    match &facts.reached_by {
        Some(r) => (Exposure::Indirect, reached(r, label)),
        None => (Exposure::Unreached, "no external actor reaches it".into()),
    }
}

/// How a reach reads in a likelihood reason; an assumed one says so, and why.
fn reached(r: &Reach, label: impl Fn(petgraph::graph::NodeIndex) -> String) -> String {
    match r.origin {
        ReachOrigin::Actor(actor) => {
            format!("reached from {} through {} hops", label(actor), r.hops)
        }
        ReachOrigin::AssumedUserAt(_) if r.hops == 0 => {
            "assumed to take a user's input: no flow comes into it and the diagram draws no \
             external actor"
                .to_string()
        }
        ReachOrigin::AssumedUserAt(start) => format!(
            "reached through {} hops from {}, where an undrawn user is assumed (the diagram draws \
             no external actor)",
            r.hops,
            label(start)
        ),
    }
}

fn flow_exposure(
    ctx: &Context<'_>,
    flow: FlowRef<'_>,
    spoofed: bool,
    label: impl Fn(petgraph::graph::NodeIndex) -> String,
) -> (Exposure, String) {
    let a = ctx.analysis;
    let from = a.facts(flow.from);
    let to = a.facts(flow.to);
    if from.external_actor.is_some()
        && a.crossings[flow.index.index()].direction == Direction::Inbound
    {
        return (Exposure::Direct, format!("sent in by external actor {}", label(flow.from)));
    }
    if from.external_actor.is_some() || to.external_actor.is_some() {
        return (Exposure::Direct, "one end is an external actor".into());
    }
    // Posing as an inside sender takes only a way to the receiver: one that also takes requests
    // from outside gets the forged flow straight from the outsider, unless that route is kept
    // apart (a listener of its own, a network rule), which the diagram does not say.
    if spoofed && to.receives_from_external {
        let who =
            to.reached_by.as_ref().map_or("an external actor".into(), |r| label(r.origin.node()));
        let why = format!(
            "the receiver also takes requests from {who}: whoever comes in that way can send it \
             this flow"
        );
        return (Exposure::Direct, why);
    }
    if let Some(r) = from.reached_by.as_ref().or(to.reached_by.as_ref()) {
        (Exposure::Indirect, reached(r, label))
    } else {
        (Exposure::Unreached, "no external actor reaches either end".into())
    }
}

/// The sensitive-data word the target's own attributes name, else one named on a flow it sends
/// or receives (elements) — the data a threat to it puts at stake.
fn sensitive_data(ctx: &Context<'_>) -> Option<String> {
    match (ctx.element, ctx.flow) {
        (Some(node), _) => super::sensitive_data_of_element(ctx.diagram, node),
        (None, Some(FlowRef { flow, .. })) => super::sensitive_in_attributes(&flow.attributes),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn critical_needs_high_impact_and_high_likelihood() {
        use Level::{Critical, High, Low, Medium};
        let levels = [Low, Medium, High];
        let criticals: Vec<_> = levels
            .iter()
            .flat_map(|i| levels.iter().map(move |l| (*i, *l)))
            .filter(|(i, l)| matrix(*i, *l) == Critical)
            .collect();
        assert_eq!(criticals, [(High, High)]);
        assert_eq!(matrix(High, Low), Medium);
        assert_eq!(matrix(Low, Low), Low);
        assert_eq!(matrix(Medium, High), High);
    }

    #[test]
    fn a_rule_rated_critical_counts_as_high_on_the_matrix() {
        assert_eq!(matrix(Level::Critical, Level::Medium), Level::High);
    }
}
