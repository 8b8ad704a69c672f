//! What a diagram means for security: trust zones, the flows that cross them, who the external
//! actors are, where the system can be entered, which data is worth protecting and who can reach it.
//!
//! Analysis reads the model only; it knows nothing of input formats or threats.

mod calls;
mod geometry;
pub mod reach;
mod zones;

use std::collections::BTreeMap;

use petgraph::graph::NodeIndex;
use serde::Serialize;

use crate::model::kind_reason::{deciding_signal, KindSignal};
use crate::model::{declares, Diagram, Drawn, ElementKind, TechClass};

pub use calls::{is_reply, is_webhook};
pub use zones::TrustZone;

/// Which way a flow goes relative to trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From a less trusted zone into a more trusted one.
    Inbound,
    /// From a more trusted zone out to a less trusted one.
    Outbound,
    /// Across boundaries between zones of equal trust.
    Lateral,
    /// Inside one zone.
    Internal,
}

impl Direction {
    /// The direction of the same crossing walked the other way.
    pub fn reversed(self) -> Direction {
        match self {
            Direction::Inbound => Direction::Outbound,
            Direction::Outbound => Direction::Inbound,
            other => other,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
            Direction::Lateral => "lateral",
            Direction::Internal => "internal",
        }
    }
}

/// A flow's relation to the boundaries it passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crossing {
    /// Boundaries left then entered, in that order (indices into `Diagram::boundaries`).
    pub crosses: Vec<usize>,
    pub direction: Direction,
    /// Both ends stand inside one zone said to be trusted (ranked, above the system's own level,
    /// neither untrusted nor exposed: e.g. both in the same "AWS account" box), so any boundary
    /// the flow crosses is a sub-zone of it (a VPC, a subnet), not a step between separately
    /// administered zones.
    pub shared_zone: bool,
}

/// Facts about one element that rules and exporters use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ElementFacts {
    pub external_actor: Option<String>,
    pub entry_point: Option<String>,
    pub data_asset: bool,
    pub infrastructure: bool,
    /// Effective trust level of the element's zone (0 = untrusted).
    pub trust: i64,
    pub untrusted_zone: bool,
    /// In the system's exposed side (a DMZ, a public subnet).
    pub exposed_zone: bool,
    pub receives_from_external: bool,
    pub sends_to_external: bool,
    pub inbound_flows: usize,
    pub outbound_flows: usize,
    /// Inbound flows that can carry a request or a call: from an external actor or a process,
    /// but not events read from stores and event services (technology classes queue, stream,
    /// notification, object storage, database, file share), deployments from a CI pipeline, or
    /// packages pulled from a registry. Zero with inbound flows means the element is only
    /// triggered by events (a queue-triggered function).
    pub inbound_requests: usize,
    /// Sends a flow to an external actor whose requests do not reach it (directly or through
    /// the processes in front of it): a call out to another system, not a reply to a caller
    /// (a response to a user).
    pub calls_external: bool,
    /// Exchanges a flow with an identity provider (technology class `identity`): it signs users
    /// in there or validates the tokens that provider issues, so the requests it receives carry
    /// tokens to verify.
    pub uses_identity_provider: bool,
    /// The nearest external actor that reaches this element through flows, and the fewest
    /// boundaries crossed on the way.
    pub reached_by: Option<Reach>,
}

/// How an external actor reaches an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    pub origin: ReachOrigin,
    /// The origin is an actor that only receives (an archive or SIEM the logs are shipped to):
    /// it reaches along replies alone, so any actor that sends into the system is named first.
    pub origin_only_receives: bool,
    pub boundaries_crossed: usize,
    pub hops: usize,
}

/// Where the nearest path to an element starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReachOrigin {
    /// An external actor drawn on the diagram.
    Actor(NodeIndex),
    /// The diagram draws no external actor: an undrawn user is assumed at this process, one
    /// where work starts (see [`reach`]).
    AssumedUserAt(NodeIndex),
}

impl ReachOrigin {
    /// The actor, or the process where the assumed user starts.
    pub fn node(self) -> NodeIndex {
        match self {
            ReachOrigin::Actor(n) | ReachOrigin::AssumedUserAt(n) => n,
        }
    }

    pub fn is_assumed(self) -> bool {
        matches!(self, ReachOrigin::AssumedUserAt(_))
    }
}

/// A piece of data worth protecting: a data store, or data named on flows (`data=` attribute).
#[derive(Debug, Clone, PartialEq)]
pub struct DataAsset {
    /// The store's element id, or `data:<name>` for data named on flows.
    pub id: String,
    pub name: String,
    pub store: Option<NodeIndex>,
    /// Flows that carry it (for named data), in flow order.
    pub carried_by: Vec<String>,
    pub reached_by: Option<Reach>,
}

/// Everything analysis found in one diagram.
#[derive(Debug, Clone)]
pub struct DiagramAnalysis {
    /// By boundary index.
    pub zones: Vec<TrustZone>,
    /// By node index.
    pub elements: Vec<ElementFacts>,
    /// By edge index.
    pub crossings: Vec<Crossing>,
    pub external_actors: Vec<NodeIndex>,
    pub entry_points: Vec<NodeIndex>,
    pub data_assets: Vec<DataAsset>,
    pub infrastructure: Vec<NodeIndex>,
    /// The processes where an undrawn user is assumed, when the diagram draws no external actor
    /// (see [`reach`]); empty otherwise.
    pub assumed_user_starts: Vec<NodeIndex>,
}

impl DiagramAnalysis {
    pub fn facts(&self, node: NodeIndex) -> &ElementFacts {
        &self.elements[node.index()]
    }

    /// Number of flows that cross at least one boundary.
    pub fn crossing_count(&self) -> usize {
        self.crossings.iter().filter(|c| !c.crosses.is_empty()).count()
    }
}

/// Settles kinds the readers could only guess, where the zones say more: an element whose kind
/// is a guess (a notation default, an unrecognised shape), standing in an untrusted zone that no
/// trusted zone encloses (the Internet, a partner's network, a user's LAN) and exchanging data
/// with the system, is an external entity: the team does not run it. Stores stay stores (a store
/// out there is exposed, not an actor). Runs once, before [`analyze`], so that the JSON, the
/// picture and the rules all see the same kind.
pub fn settle_kinds(diagram: &mut Diagram) {
    let zones = zones::trust_zones(diagram);
    let zone_of: Vec<Option<usize>> =
        diagram.elements().map(|(_, e)| zones::ranked_zone(diagram, &zones, e.boundary)).collect();
    let outside: Vec<Option<usize>> =
        zone_of.iter().map(|z| z.filter(|&b| zones::is_outside(diagram, &zones, b))).collect();
    let mut settled: Vec<(NodeIndex, String)> = Vec::new();
    for f in diagram.flows() {
        for (me, other) in [(f.from, f.to), (f.to, f.from)] {
            let Some(zone) = outside[me.index()] else { continue };
            let element = diagram.element(me);
            if element.kind == ElementKind::Process
                && kind_is_a_guess(&element.inferred_from)
                && !zone_of[other.index()].is_some_and(|b| zones[b].untrusted)
                && !settled.iter().any(|(n, _)| *n == me)
            {
                let why = format!(
                    "in untrusted zone \"{}\" and exchanges data with the system (over {})",
                    diagram.boundaries[zone].label, element.inferred_from
                );
                settled.push((me, why));
            }
        }
    }
    // A guessed process drawn outside every box, whose every flow goes to or comes from the
    // inside of a box drawn around the system (a trust boundary, the perimeter the actors send
    // into), stands where a DFD puts its outside parties. Groupings and named networks say
    // nothing of the kind: beside a VPC box the unboxed nodes are often the system itself.
    for (node, element) in diagram.elements() {
        if element.boundary.is_none()
            && element.kind == ElementKind::Process
            && kind_is_a_guess(&element.inferred_from)
            && !settled.iter().any(|(n, _)| *n == node)
        {
            let mut partners = diagram.graph.neighbors_undirected(node).peekable();
            let around_system = |p: NodeIndex| {
                zone_of[p.index()].is_some_and(|b| zones[b].drawn_around_the_system())
            };
            if partners.peek().is_some() && partners.all(around_system) {
                let why = format!(
                    "outside the trust boundary it exchanges data with (over {})",
                    element.inferred_from
                );
                settled.push((node, why));
            }
        }
    }
    // A process drawn in someone else's zone (a third party's, a vendor's) is that party's
    // system, whatever technology or noun named it and whomever it talks to: only its author's
    // own declaration keeps it one of the system's processes.
    for (node, element) in diagram.elements() {
        let Some(zone) = outside[node.index()] else { continue };
        let label = &diagram.boundaries[zone].label;
        if element.kind == ElementKind::Process
            && !kind_is_declared(&element.inferred_from)
            && zones::names_third_party(label)
            && !settled.iter().any(|(n, _)| *n == node)
        {
            let why =
                format!("in \"{label}\", a third party's zone (over {})", element.inferred_from);
            settled.push((node, why));
        }
    }
    for (node, why) in settled {
        let element = diagram.element_mut(node);
        element.kind = ElementKind::ExternalEntity;
        element.inferred_from = why;
    }
}

/// The attribute that declares an element reachable from the Internet (Threagile's `internet`).
pub const INTERNET: &str = "internet";

/// The attribute that declares an element the client a person uses (Threagile's
/// `used_as_client_by_human`).
pub const USED_BY_A_PERSON: &str = "used_as_client_by_human";

/// Analyses one diagram.
pub fn analyze(diagram: &Diagram) -> DiagramAnalysis {
    let zones = zones::trust_zones(diagram);
    // Each element's ranked zone: groupings around it say nothing about trust.
    let element_zone: Vec<Option<usize>> =
        diagram.elements().map(|(_, e)| zones::ranked_zone(diagram, &zones, e.boundary)).collect();
    let zone_of = |node: NodeIndex| -> (i64, bool) {
        match element_zone[node.index()] {
            Some(b) => (zones[b].level, zones[b].untrusted),
            None => (zones::SYSTEM_LEVEL, false),
        }
    };
    let exposed = |node: NodeIndex| element_zone[node.index()].is_some_and(|b| zones[b].exposed);
    // The level a flow's direction is told by (see [`TrustZone::step_level`]).
    let step_level = |node: NodeIndex| {
        element_zone[node.index()].map_or(zones::SYSTEM_LEVEL, |b| zones[b].step_level)
    };

    let lines = geometry::boundary_lines(diagram);
    let crossings: Vec<Crossing> = diagram
        .flows()
        .map(|f| {
            let from_path = diagram.boundary_path(diagram.element(f.from).boundary);
            let to_path = diagram.boundary_path(diagram.element(f.to).boundary);
            let common = from_path.iter().zip(&to_path).take_while(|(a, b)| a == b).count();
            // A shared zone said to be trusted (an AWS account, a corporate network), not the
            // exposed side or the system's bare ground: the boundaries inside it are sub-zones.
            let shared_zone = from_path[..common].iter().any(|&b| {
                let z = &zones[b];
                z.ranked && !z.untrusted && !z.exposed && z.level > zones::SYSTEM_LEVEL
            });
            // Only ranked zones are trust boundaries; crossing a grouping is not a trust step.
            let mut crosses: Vec<usize> =
                from_path[common..].iter().rev().copied().filter(|&b| zones[b].ranked).collect();
            crosses.extend(to_path[common..].iter().copied().filter(|&b| zones[b].ranked));
            let line_crossings = geometry::lines_crossed(diagram, &lines, f);
            let only_lines = crosses.is_empty() && !line_crossings.is_empty();
            crosses.extend(line_crossings);
            // Between a process on the system's ground (outside every ranked zone) and one of
            // its processes in an infrastructure zone there is no step (the load balancer drawn
            // beside the VPC box sends into it). An external actor drawn unboxed still stands
            // below the zone, and so does an unboxed data source, as often an outside feed
            // whose kind was guessed as one of the system's stores; between two drawn zones
            // the levels decide as ever.
            let own_processes =
                [f.from, f.to].iter().all(|&n| diagram.element(n).kind == ElementKind::Process);
            let on_ground = [f.from, f.to].iter().any(|&n| element_zone[n.index()].is_none());
            let level = |n| if own_processes && on_ground { step_level(n) } else { zone_of(n).0 };
            let (from_trust, to_trust) = (level(f.from), level(f.to));
            let direction = if crosses.is_empty() {
                Direction::Internal
            } else if only_lines {
                // A line says nothing about which side is trusted: use who is on either side.
                match (diagram.element(f.from).kind, diagram.element(f.to).kind) {
                    (ElementKind::ExternalEntity, k) if k != ElementKind::ExternalEntity => {
                        Direction::Inbound
                    }
                    (k, ElementKind::ExternalEntity) if k != ElementKind::ExternalEntity => {
                        Direction::Outbound
                    }
                    _ => Direction::Lateral,
                }
            } else if from_trust < to_trust {
                Direction::Inbound
            } else if from_trust > to_trust {
                Direction::Outbound
            } else {
                Direction::Lateral
            };
            Crossing { crosses, direction, shared_zone }
        })
        .collect();

    let mut elements: Vec<ElementFacts> = diagram
        .elements()
        .map(|(i, e)| {
            let (trust, untrusted_zone) = zone_of(i);
            ElementFacts {
                trust,
                untrusted_zone,
                exposed_zone: exposed(i),
                data_asset: e.kind == ElementKind::DataStore,
                infrastructure: e.technology.is_some() && e.kind != ElementKind::ExternalEntity,
                ..ElementFacts::default()
            }
        })
        .collect();

    // External actors: external entities (by declaration, label, icon, technology or notation,
    // or placed in the outside world by [`settle_kinds`]). Standing outside every box is no
    // reason: in many diagrams the unboxed elements are the system itself.
    for (i, e) in diagram.elements() {
        if e.kind == ElementKind::ExternalEntity {
            elements[i.index()].external_actor = Some(format!("kind {}", e.kind.name()));
        }
    }
    // Flow counts, contact with external actors, entry points.
    let mut steps_up: Vec<StepUp> = Vec::new();
    for (f, crossing) in diagram.flows().zip(&crossings) {
        elements[f.from.index()].outbound_flows += 1;
        elements[f.to.index()].inbound_flows += 1;
        let from_actor = elements[f.from.index()].external_actor.is_some();
        let to_actor = elements[f.to.index()].external_actor.is_some();
        if from_actor {
            elements[f.to.index()].receives_from_external = true;
        }
        if to_actor {
            elements[f.from.index()].sends_to_external = true;
        }
        if from_actor {
            mark_entry(&mut elements[f.to.index()], || describe_flow(f.flow), "external actor");
        } else if crossing.direction == Direction::Inbound {
            steps_up.push(StepUp { from: f.from, to: f.to, flow: f.flow, both_ways: false });
        }
        // A line with no arrowhead says data goes either way: its source receives too.
        if f.flow.drawn == Drawn::Undirected {
            if to_actor {
                elements[f.from.index()].receives_from_external = true;
            }
            if to_actor {
                mark_entry(&mut elements[f.from.index()], || both_ways(f.flow), "external actor");
            } else if crossing.direction.reversed() == Direction::Inbound {
                steps_up.push(StepUp { from: f.to, to: f.from, flow: f.flow, both_ways: true });
            }
        }
    }
    // A process the model declares reachable from the Internet (Threagile's `internet: true`)
    // takes outside requests whether or not the diagram draws who sends them; not the client a
    // person uses (`used_as_client_by_human`: a browser, an app on the phone), which sends them.
    for (i, e) in diagram.elements() {
        let facts = &mut elements[i.index()];
        if e.kind == ElementKind::Process
            && declares(&e.attributes, INTERNET)
            && !declares(&e.attributes, USED_BY_A_PERSON)
        {
            facts.receives_from_external = true;
            if facts.entry_point.is_none() {
                facts.entry_point =
                    Some(format!("declared reachable from the Internet ({INTERNET}=true)"));
            }
        }
    }
    mark_steps_up_from_outside(&mut elements, &steps_up);

    // Requests versus events, deployments and the answers to the system's own calls.
    for f in diagram.flows() {
        if carries_requests(diagram, f.from) && !is_reply(diagram, f) {
            elements[f.to.index()].inbound_requests += 1;
        }
    }
    for f in diagram.flows() {
        let is_idp = |n| diagram.element(n).tech().is_some_and(|t| t.class == TechClass::Identity);
        if is_idp(f.to) {
            elements[f.from.index()].uses_identity_provider = true;
        }
        if is_idp(f.from) {
            elements[f.to.index()].uses_identity_provider = true;
        }
    }
    let mut requests_of: BTreeMap<NodeIndex, Vec<bool>> = BTreeMap::new();
    for f in diagram.flows() {
        if elements[f.to.index()].external_actor.is_none()
            || elements[f.from.index()].external_actor.is_some()
        {
            continue;
        }
        let reached =
            requests_of.entry(f.to).or_insert_with(|| requests_reach(diagram, &elements, f.to));
        if !reached[f.from.index()] {
            elements[f.from.index()].calls_external = true;
        }
    }

    let assumed_user_starts = reach::assumed_user_starts(diagram, &elements);
    reach::annotate(diagram, &crossings, &mut elements, &assumed_user_starts);

    let collect = |pred: &dyn Fn(&ElementFacts) -> bool| -> Vec<NodeIndex> {
        diagram.graph.node_indices().filter(|i| pred(&elements[i.index()])).collect()
    };
    let external_actors = collect(&|f| f.external_actor.is_some());
    let entry_points = collect(&|f| f.entry_point.is_some());
    let infrastructure = collect(&|f| f.infrastructure);
    let data_assets = data_assets(diagram, &elements);

    DiagramAnalysis {
        zones,
        elements,
        crossings,
        external_actors,
        entry_points,
        data_assets,
        infrastructure,
        assumed_user_starts,
    }
}

/// Makes `target` an entry point when it is part of the system, saying where `flow` came from;
/// the first reason found is kept.
fn mark_entry(target: &mut ElementFacts, flow: impl Fn() -> String, from: &str) {
    if target.external_actor.is_none() && target.entry_point.is_none() {
        target.entry_point = Some(format!("receives {} from {from}", flow()));
    }
}

/// A flow from a less trusted zone into a more trusted one, between the system's own elements
/// (`both_ways`: a line without arrowheads, read against its drawing here).
struct StepUp<'a> {
    from: NodeIndex,
    to: NodeIndex,
    flow: &'a crate::model::Flow,
    both_ways: bool,
}

impl StepUp<'_> {
    fn describe(&self) -> String {
        if self.both_ways {
            both_ways(self.flow)
        } else {
            describe_flow(self.flow)
        }
    }
}

/// How an entry point's reason names a line drawn without arrowheads.
fn both_ways(flow: &crate::model::Flow) -> String {
    format!("{} (drawn without arrowheads, read both ways)", describe_flow(flow))
}

/// Makes the receiver of a step up an entry point when what is sent across can come from outside:
/// the sender stands in an untrusted zone, or is itself an entry point or receives from an
/// external actor (the web tier in a DMZ passing requests on to the back end). A step between two
/// of the system's own trusted zones that nothing outside reaches (an office network's printer
/// server feeding the server room) is a grouping's edge to a threat modeler, not an entry.
/// Repeated until nothing changes, so a chain of zones is followed inward. A diagram where no
/// entry point is found that way draws none of its outside (a model of the back end's zones
/// alone, the callers of its gateway left off): there every step up is where requests come in.
fn mark_steps_up_from_outside(elements: &mut [ElementFacts], steps_up: &[StepUp]) {
    mark_steps_up(elements, steps_up, false);
    if elements.iter().all(|e| e.entry_point.is_none()) {
        mark_steps_up(elements, steps_up, true);
    }
}

/// One pass in flow order, then along the steps out of each element that became an entry point
/// (a work list, so a long chain of zones costs one visit per step, never a pass per link).
fn mark_steps_up(elements: &mut [ElementFacts], steps_up: &[StepUp], every_step: bool) {
    let mut steps_from: BTreeMap<NodeIndex, Vec<&StepUp>> = BTreeMap::new();
    for step in steps_up {
        steps_from.entry(step.from).or_default().push(step);
    }
    let mut work: Vec<&StepUp> = steps_up
        .iter()
        .rev()
        .filter(|step| {
            let source = &elements[step.from.index()];
            every_step
                || source.untrusted_zone
                || source.entry_point.is_some()
                || source.receives_from_external
        })
        .collect();
    while let Some(step) = work.pop() {
        let target = &mut elements[step.to.index()];
        if target.entry_point.is_some() || target.external_actor.is_some() {
            continue;
        }
        mark_entry(target, || step.describe(), "a less trusted zone");
        if let Some(next) = steps_from.get(&step.to) {
            work.extend(next.iter().rev());
        }
    }
}

/// The elements an actor's requests reach: along flows in their direction, through processes
/// (a gateway, a WAF, the tiers in front of a service) but not through stores or other actors.
/// A flow from one of them back to the actor is a reply, not a call out.
fn requests_reach(diagram: &Diagram, facts: &[ElementFacts], actor: NodeIndex) -> Vec<bool> {
    let mut reached = vec![false; diagram.graph.node_count()];
    let mut stack = vec![actor];
    while let Some(node) = stack.pop() {
        for next in diagram.graph.neighbors_directed(node, petgraph::Direction::Outgoing) {
            let e = diagram.element(next);
            if reached[next.index()]
                || facts[next.index()].external_actor.is_some()
                || e.kind == ElementKind::DataStore
            {
                continue;
            }
            reached[next.index()] = true;
            stack.push(next);
        }
    }
    reached
}

/// Whether an element's kind came from a default or a page-wide shape guess rather than from
/// what the author declared, named or drew: only then does standing in the outside world make an
/// element an actor (a process the author drew on the user's machine is part of the system).
fn kind_is_a_guess(inferred_from: &str) -> bool {
    matches!(deciding_signal(inferred_from), KindSignal::Default | KindSignal::Guess)
}

/// Whether an element's kind is its author's own declaration: an attribute (`kind=process`), a
/// label that says so (`(process)`, `P1:`), or the element type of a threat-modeling tool's file.
pub(crate) fn kind_is_declared(inferred_from: &str) -> bool {
    deciding_signal(inferred_from) == KindSignal::Declared
}

fn describe_flow(flow: &crate::model::Flow) -> String {
    if flow.label.is_empty() {
        format!("flow {}", flow.id)
    } else {
        format!("\"{}\" ({})", flow.label.replace('\n', " "), flow.id)
    }
}

/// Data stores, then data named on flows (`data=a, b`), each name once, in first-seen order.
fn data_assets(diagram: &Diagram, facts: &[ElementFacts]) -> Vec<DataAsset> {
    let mut assets: Vec<DataAsset> = diagram
        .elements()
        .filter(|(_, e)| e.kind == ElementKind::DataStore)
        .map(|(i, e)| DataAsset {
            id: e.id.clone(),
            name: e.label.clone(),
            store: Some(i),
            carried_by: Vec::new(),
            reached_by: facts[i.index()].reached_by.clone(),
        })
        .collect();
    let mut named: BTreeMap<String, usize> = BTreeMap::new();
    for f in diagram.flows() {
        let Some(data) = f.flow.attributes.get("data") else { continue };
        for name in data.split([',', ';']).map(str::trim).filter(|n| !n.is_empty()) {
            let key = name.to_lowercase();
            let index = *named.entry(key).or_insert_with(|| {
                assets.push(DataAsset {
                    id: format!("data:{name}"),
                    name: name.to_string(),
                    store: None,
                    carried_by: Vec::new(),
                    reached_by: None,
                });
                assets.len() - 1
            });
            let asset = &mut assets[index];
            asset.carried_by.push(f.flow.id.clone());
            // Named data is as reachable as the nearer end of any flow carrying it.
            for end in [f.from, f.to] {
                if let Some(r) = &facts[end.index()].reached_by {
                    if asset.reached_by.as_ref().is_none_or(|old| reach::closer(r, old)) {
                        asset.reached_by = Some(r.clone());
                    }
                }
            }
        }
    }
    assets
}

/// Whether flows from `source` can carry a request or a call: not when the source is a store or
/// an event service the receiver reads events from (queue, stream, notification, object
/// storage, database, file share), a CI pipeline deploying to it, or a registry it pulls
/// packages from. Such flows trigger the receiver; nobody sends it a request through them.
pub fn carries_requests(diagram: &Diagram, source: NodeIndex) -> bool {
    let source = diagram.element(source);
    let event_source = source.kind == ElementKind::DataStore
        || source.tech().is_some_and(|t| {
            matches!(
                t.class,
                TechClass::Queue
                    | TechClass::Stream
                    | TechClass::Notification
                    | TechClass::ObjectStorage
                    | TechClass::Database
                    | TechClass::FileShare
                    | TechClass::CiPipeline
                    | TechClass::PackageRegistry
            )
        });
    !event_source
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
