//! Who opens a connection: a provider's webhook pushes into the system, while the answer to a
//! call the system made (or a feed it subscribed to) was asked for. Rules and the analysis's
//! request counts read the same two facts, so they agree on what a request is.

use crate::model::vocabulary::{names_a_caller, names_a_system, names_an_interface};
use crate::model::{Diagram, Drawn, ElementKind, FlowRef, TechClass};

/// Whether a flow is a provider's webhook: it comes from a payment, email or notification
/// provider, or its data (the `data` attribute, else the label) says webhook or callback. One
/// fact, so the rules that leave webhooks to IDN-004's signature check agree on what one is.
pub fn is_webhook(diagram: &Diagram, f: FlowRef<'_>) -> bool {
    let provider = diagram.element(f.from).tech().is_some_and(|t| {
        matches!(t.class, TechClass::PaymentProvider | TechClass::Notification | TechClass::Email)
    });
    let data = f.flow.attributes.get("data").map_or(f.flow.label.as_str(), String::as_str);
    let data = data.to_lowercase();
    provider || data.contains("webhook") || data.contains("callback")
}

/// Whether a flow is the answer to a call the system made: it comes from an outside service to
/// an element that called it, and is no webhook. An outside service is an external entity with
/// a technology (a model API, an analytics or search service) or one whose label names an
/// interface (`REST`, `WebSocket`, `API`: `interfaces` in `knowledge/labels.toml`), or one
/// whose label names a system (`service_nouns`: "Partner / Vendor Systems") on the return half of a
/// line with arrowheads at both ends drawn from the element it answers. The element
/// called it when it sends the service a flow, or when it is a program that calls out and
/// listens to no one (a worker, a CLI, a trading engine: `callers`), the arrow drawn the way the
/// data goes. The caller opened the connection, so the answer does not need the sender
/// authenticated on arrival, and its transport is the call's (BND-002); what the caller does
/// with the answer is the rules' concern (LLM-002). People, clients and identity providers start
/// exchanges of their own, so their flows are never answers; nor are those of a firewall, CDN,
/// load balancer, gateway or proxy drawn outside, which passes other parties' requests on.
pub fn is_reply(diagram: &Diagram, f: FlowRef<'_>) -> bool {
    let source = diagram.element(f.from);
    if source.kind != ElementKind::ExternalEntity || is_webhook(diagram, f) {
        return false;
    }
    let service = match source.tech() {
        Some(t) => {
            !(t.class.forwards_traffic()
                || matches!(
                    t.class,
                    TechClass::Client
                        | TechClass::Identity
                        | TechClass::ApiGateway
                        | TechClass::WebServer
                ))
        }
        None => {
            !source.unlabelled
                && (names_an_interface(&source.label)
                    || (is_return_half(diagram, f) && names_a_system(&source.label)))
        }
    };
    if !service {
        return false;
    }
    let receiver = diagram.element(f.to);
    diagram.graph.find_edge(f.to, f.from).is_some()
        || (receiver.kind == ElementKind::Process
            && !receiver.unlabelled
            && names_a_caller(&receiver.label))
}

/// Whether a flow is the return half of one line with arrowheads at both ends, drawn from the
/// flow's target: the author dragged the line from the element that opens the exchange, and the
/// reader split it into a flow each way (the same cell or DOT edge for both).
fn is_return_half(diagram: &Diagram, f: FlowRef<'_>) -> bool {
    f.flow.drawn == Drawn::Backward
        && f.flow.origin.is_some()
        && diagram
            .graph
            .edges_connecting(f.to, f.from)
            .any(|g| g.weight().drawn == Drawn::Forward && g.weight().origin == f.flow.origin)
}
