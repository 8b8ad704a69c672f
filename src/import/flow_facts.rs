//! Security facts stated in a flow's label ("HTTPS request", "JWT", "signed webhook") become the
//! attributes the catalog reads, so that a flow labelled HTTPS is not reported as unencrypted.
//!
//! The vocabulary is data (`knowledge/flow-facts.toml`). What the diagram declares itself always
//! wins; each inferred attribute records the word it came from.

use serde::Deserialize;

use crate::model::vocabulary::{occurs_unnegated, words};
use crate::model::{Attributes, Diagram};

/// Placeholder in an attribute value for the matched word (`protocol = "$word"`).
const MATCHED_WORD: &str = "$word";

/// One `[[fact]]` of `knowledge/flow-facts.toml` (or of a user's `--knowledge` file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactEntry {
    pub words: Vec<String>,
    pub attributes: Attributes,
}

/// One fact: its phrases (as written, and as normalised words) and the attributes it declares.
#[derive(Debug)]
pub struct Fact {
    phrases: Vec<(String, Vec<String>)>,
    attributes: Attributes,
}

impl Fact {
    pub fn new(entry: &FactEntry) -> Self {
        Fact {
            phrases: entry.words.iter().map(|w| (w.clone(), words(w))).collect(),
            attributes: entry.attributes.clone(),
        }
    }
}

/// The facts in force (see [`crate::knowledge`]).
fn facts() -> &'static [Fact] {
    &crate::knowledge::current().facts
}

/// An attribute a label states: its name, its value, and the phrase that says so.
type Stated = (String, String, String);

/// Adds the attributes each flow's label states, and the controls each element's label names
/// (`element_fact` rows: "API Gateway (Rate Limiting)"), and records why in `inferred`.
pub fn infer(diagram: &mut Diagram) {
    for flow in diagram.graph.edge_weights_mut() {
        add(&mut flow.attributes, &mut flow.inferred, facts_in(&flow.label, facts()), LABEL_WORD);
    }
    let element_facts = &crate::knowledge::current().element_facts;
    for element in diagram.graph.node_weights_mut() {
        if element.unlabelled {
            continue;
        }
        let found = facts_in(&element.label, element_facts);
        add(&mut element.attributes, &mut element.inferred, found, LABEL_WORD);
    }
    add_sender_facts(diagram);
}

/// Adds to each element what the labels of the flows it sends say it does for its callers
/// (`sender_fact` rows: a gateway sending "Validate JWT" authenticates the requests it receives).
fn add_sender_facts(diagram: &mut Diagram) {
    let sender_facts = &crate::knowledge::current().sender_facts;
    let stated: Vec<(petgraph::graph::NodeIndex, Vec<Stated>)> = diagram
        .flows()
        .map(|f| (f.from, facts_in(&f.flow.label, sender_facts)))
        .filter(|(_, found)| !found.is_empty())
        .collect();
    for (sender, found) in stated {
        let element = &mut diagram.graph[sender];
        add(&mut element.attributes, &mut element.inferred, found, "sends a flow labelled");
    }
}

/// How an attribute inferred from a label's own words says why.
const LABEL_WORD: &str = "label word";

/// Adds what a label states to `attributes` where the diagram declares nothing of that name,
/// and why in `inferred`: `source` and the phrase ("label word \"https\"").
fn add(attributes: &mut Attributes, inferred: &mut Attributes, found: Vec<Stated>, source: &str) {
    for (name, value, word) in found {
        if attributes.contains_key(&name) {
            continue;
        }
        attributes.insert(name.clone(), value);
        inferred.insert(name, format!("{source} \"{word}\""));
    }
}

/// The attributes `label` states: (name, value, the phrase that says so), first fact first.
fn facts_in(label: &str, facts: &[Fact]) -> Vec<(String, String, String)> {
    let text = words(label);
    if text.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<(String, String, String)> = Vec::new();
    for fact in facts {
        let Some(word) = fact
            .phrases
            .iter()
            .find_map(|(written, phrase)| occurs_unnegated(&text, phrase).then_some(written))
        else {
            continue;
        };
        for (name, value) in &fact.attributes {
            if out.iter().any(|(n, _, _)| n == name) {
                continue;
            }
            let value = if value == MATCHED_WORD { word.to_lowercase() } else { value.clone() };
            out.push((name.clone(), value, word.clone()));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn stated(label: &str) -> Vec<(String, String)> {
        let mut v: Vec<_> = facts_in(label, facts()).into_iter().map(|(n, v, _)| (n, v)).collect();
        v.sort();
        v
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn protocols_and_authentication_from_labels() {
        assert_eq!(stated("HTTPS request"), pairs(&[("protocol", "https")]));
        assert_eq!(stated("GET /orders (HTTP)"), pairs(&[("protocol", "http")]));
        assert_eq!(
            stated("partner API over mTLS"),
            pairs(&[("authenticated", "true"), ("authentication", "mtls"), ("protocol", "mtls")])
        );
        assert_eq!(
            stated("REST/HTTPS + JWT"),
            pairs(&[("authenticated", "true"), ("authentication", "jwt"), ("protocol", "https")])
        );
        assert_eq!(stated("signed webhook"), pairs(&[("signed", "true")]));
        assert_eq!(stated("place order"), pairs(&[]));
    }

    #[test]
    fn whole_words_and_negations() {
        assert_eq!(stated("unencrypted export"), pairs(&[]));
        assert_eq!(stated("backup, not encrypted"), pairs(&[]));
        assert_eq!(stated("httpserver logs"), pairs(&[]));
        assert_eq!(stated("İİ HTTPS é"), pairs(&[("protocol", "https")]));
    }

    /// A gateway that sends "Validate JWT" to a token store checks the tokens of the requests it
    /// receives; the store it asks does not, and neither does a sender of "no token validation".
    #[test]
    fn a_sender_that_validates_tokens_authenticates_its_callers() {
        use crate::model::{Element, ElementKind};
        let mut d = Diagram::new("g");
        let mut add = |id: &str, kind| d.add_element(Element::new(id, kind, "t"));
        let gateway = add("gateway", ElementKind::Process);
        let redis = add("redis", ElementKind::DataStore);
        let legacy = add("legacy", ElementKind::Process);
        d.add_flow(gateway, redis, "Validate JWT".into(), Attributes::new(), None);
        d.add_flow(
            legacy,
            redis,
            "read session, no token validation".into(),
            Attributes::new(),
            None,
        );
        infer(&mut d);
        let authenticated =
            |n: petgraph::graph::NodeIndex| d.graph[n].attributes.get("authenticated").cloned();
        assert_eq!(authenticated(gateway).as_deref(), Some("true"));
        assert_eq!(
            d.graph[gateway].inferred.get("authenticated").map(String::as_str),
            Some("sends a flow labelled \"validate jwt\"")
        );
        assert_eq!(authenticated(redis), None);
        assert_eq!(authenticated(legacy), None);
    }

    /// A control an element's label names is declared; a flow word is not an element's.
    #[test]
    fn controls_named_in_element_labels() {
        let element_facts = &crate::knowledge::current().element_facts;
        let named = |label: &str| -> Vec<(String, String)> {
            facts_in(label, element_facts).into_iter().map(|(n, v, _)| (n, v)).collect()
        };
        assert_eq!(named("API Gateway (Rate Limiting)"), pairs(&[("rate_limited", "true")]));
        assert_eq!(named("Admin portal (MFA)"), pairs(&[("mfa", "true")]));
        assert_eq!(named("Orders DB\nnot encrypted"), pairs(&[]));
        assert_eq!(named("Orders API (HTTPS)"), pairs(&[]), "a protocol is a flow's");
        assert_eq!(
            named("Flask /chat\nResource / request limits"),
            pairs(&[("rate_limited", "true")])
        );
        assert_eq!(named("Input Validation"), pairs(&[("input_validation", "true")]));
        assert_eq!(named("Output Scanner"), pairs(&[("output_validation", "true")]));
        assert_eq!(named("Orders API (no input validation)"), pairs(&[]));
        assert_eq!(named("Token validation"), pairs(&[]), "checking a token screens no input");
    }

    #[test]
    fn declared_attributes_win_and_inferred_ones_say_why() {
        let mut d = Diagram::new("g");
        let a =
            d.add_element(crate::model::Element::new("a", crate::model::ElementKind::Process, "t"));
        let b =
            d.add_element(crate::model::Element::new("b", crate::model::ElementKind::Process, "t"));
        let mut declared = Attributes::new();
        declared.insert("protocol".into(), "http".into());
        d.add_flow(a, b, "HTTPS with JWT".into(), declared, None);
        infer(&mut d);
        let flow = d.flows().next().unwrap().flow;
        assert_eq!(flow.attributes["protocol"], "http");
        assert_eq!(flow.attributes["authentication"], "jwt");
        assert_eq!(flow.inferred["authentication"], "label word \"jwt\"");
        assert!(!flow.inferred.contains_key("protocol"));
    }
}
