//! Finding a mitigation's declarations where the control acts: on the target, on the request
//! flows into it, or on the elements in front of it ([`Place`]).

use petgraph::visit::EdgeRef;
use petgraph::Direction::Incoming;

use super::condition::{Context, Subject};
use super::rule::{Mitigation, Place};
use super::MitigationState;
use crate::analysis::carries_requests;
use crate::model::{Attributes, Diagram};
use petgraph::graph::NodeIndex;

/// Which of `mitigation`'s declarations the diagram makes, and where.
pub(super) fn state(mitigation: &Mitigation, ctx: &Context<'_>) -> MitigationState {
    let mut found = Vec::new();
    for &place in &mitigation.on {
        match place {
            Place::On(subject) => {
                if let Some(attributes) = attributes_of(ctx, subject) {
                    for hit in hits(mitigation, attributes) {
                        found.push(format!("{hit} on {}", subject.name()));
                    }
                }
            }
            Place::Inbound | Place::Upstream => {
                if let Some(node) = ctx.element.or(ctx.flow.map(|f| f.to)) {
                    found.extend(on_every_request(mitigation, ctx.diagram, node, place));
                }
            }
        }
    }
    MitigationState { present: !found.is_empty(), found }
}

fn hits<'m>(
    mitigation: &'m Mitigation,
    attributes: &'m Attributes,
) -> impl Iterator<Item = String> + 'm {
    mitigation.declared_by.iter().filter_map(move |d| d.matches(attributes))
}

/// The declaration found on every request flow into `node` (`Inbound`) or on every element
/// sending one (`Upstream`), described once; nothing when a single request path lacks it, since
/// an attacker takes that path.
fn on_every_request(
    mitigation: &Mitigation,
    diagram: &Diagram,
    node: NodeIndex,
    place: Place,
) -> Option<String> {
    let mut evidence: Option<String> = None;
    let mut senders = Vec::new();
    for edge in diagram.graph.edges_directed(node, Incoming) {
        if !carries_requests(diagram, edge.source()) {
            continue;
        }
        let attributes = match place {
            Place::Inbound => &edge.weight().attributes,
            _ => &diagram.element(edge.source()).attributes,
        };
        let hit = hits(mitigation, attributes).next()?;
        evidence.get_or_insert(hit);
        senders.push(diagram.element(edge.source()).id.as_str());
    }
    let hit = evidence?;
    senders.sort_unstable();
    senders.dedup();
    let from = crate::user_text::capped_list(senders.iter());
    Some(match place {
        Place::Inbound => format!("{hit} on every request flow in (from {from})"),
        _ => format!("{hit} on {from} in front of it"),
    })
}

fn attributes_of<'a>(ctx: &Context<'a>, subject: Subject) -> Option<&'a Attributes> {
    let node = match subject {
        Subject::Element => ctx.element,
        Subject::Source => ctx.flow.map(|f| f.from),
        Subject::Target => ctx.flow.map(|f| f.to),
        Subject::Flow => return ctx.flow.map(|f| &f.flow.attributes),
    };
    node.map(|n| &ctx.diagram.element(n).attributes)
}
