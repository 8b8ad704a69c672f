//! The `when` language of catalog rules: `all`/`any`/`not` over field tests. Declarative on
//! purpose: a rule is data that can be read, tested and extended, never code that runs.

use std::borrow::Cow;

use petgraph::graph::NodeIndex;

use crate::analysis::DiagramAnalysis;
use crate::model::is_truthy;
use crate::model::vocabulary::WordList;
use crate::model::{Diagram, ElementKind, FlowRef, TransportSecurity};

/// Whose property a test reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The element a rule is evaluated on.
    Element,
    /// The flow a rule is evaluated on.
    Flow,
    /// The flow's source element.
    Source,
    /// The flow's target element.
    Target,
}

impl Subject {
    pub fn name(self) -> &'static str {
        match self {
            Subject::Element => "element",
            Subject::Flow => "flow",
            Subject::Source => "source",
            Subject::Target => "target",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "element" => Subject::Element,
            "flow" => Subject::Flow,
            "source" => Subject::Source,
            "target" => Subject::Target,
            _ => return None,
        })
    }
}

/// A property of an element or a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Property {
    Attr(String),
    Label,
    /// An element label's first line: the name it goes by, without the lines under it.
    Headline,
    // Elements
    Kind,
    Technology,
    TechnologyClass,
    ExternalActor,
    EntryPoint,
    DataAsset,
    Infrastructure,
    Reachable,
    InBoundary,
    UntrustedZone,
    ExposedZone,
    Trust,
    ReceivesFromExternal,
    NamesAProgram,
    SendsToExternal,
    InboundFlows,
    OutboundFlows,
    InboundRequests,
    CallsExternal,
    UsesIdentityProvider,
    SignedInCallers,
    ReceivesFromClass,
    ReceivesFromTechnology,
    SendsToTechnology,
    SendsToClass,
    SensitiveData,
    ReadsStore,
    TlsOnly,
    TlsByDefault,
    ProviderAuthenticates,
    // Flows
    Direction,
    Crossing,
    Crosses,
    Data,
    FromExternalActor,
    ToExternalActor,
    SharedZone,
    Webhook,
    Reply,
}

/// Element properties by name, for parsing and for `catalog` documentation.
pub const ELEMENT_PROPERTIES: &[(&str, Property)] = &[
    ("kind", Property::Kind),
    ("technology", Property::Technology),
    ("technology_class", Property::TechnologyClass),
    ("label", Property::Label),
    ("headline", Property::Headline),
    ("external_actor", Property::ExternalActor),
    ("entry_point", Property::EntryPoint),
    ("data_asset", Property::DataAsset),
    ("infrastructure", Property::Infrastructure),
    ("reachable", Property::Reachable),
    ("in_boundary", Property::InBoundary),
    ("untrusted_zone", Property::UntrustedZone),
    ("exposed_zone", Property::ExposedZone),
    ("trust", Property::Trust),
    ("receives_from_external", Property::ReceivesFromExternal),
    ("names_a_program", Property::NamesAProgram),
    ("sends_to_external", Property::SendsToExternal),
    ("inbound_flows", Property::InboundFlows),
    ("outbound_flows", Property::OutboundFlows),
    ("inbound_requests", Property::InboundRequests),
    ("calls_external", Property::CallsExternal),
    ("uses_identity_provider", Property::UsesIdentityProvider),
    ("signed_in_callers", Property::SignedInCallers),
    ("receives_from_class", Property::ReceivesFromClass),
    ("sends_to_class", Property::SendsToClass),
    ("receives_from_technology", Property::ReceivesFromTechnology),
    ("sends_to_technology", Property::SendsToTechnology),
    ("sensitive_data", Property::SensitiveData),
    ("reads_store", Property::ReadsStore),
    ("tls_only", Property::TlsOnly),
    ("tls_by_default", Property::TlsByDefault),
    ("provider_authenticates", Property::ProviderAuthenticates),
];

/// Flow properties by name.
pub const FLOW_PROPERTIES: &[(&str, Property)] = &[
    ("direction", Property::Direction),
    ("crossing", Property::Crossing),
    ("crosses", Property::Crosses),
    ("label", Property::Label),
    ("data", Property::Data),
    ("from_external_actor", Property::FromExternalActor),
    ("to_external_actor", Property::ToExternalActor),
    ("shared_zone", Property::SharedZone),
    ("webhook", Property::Webhook),
    ("reply", Property::Reply),
];

/// A field path such as `element.technology_class` or `flow.attr.protocol`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub subject: Subject,
    pub property: Property,
}

impl Field {
    /// Parses a path; the error says what paths exist.
    pub fn parse(path: &str) -> Result<Field, String> {
        let (subject, rest) = path.split_once('.').ok_or_else(|| {
            format!("field `{path}` needs a subject: element.X, flow.X, source.X or target.X")
        })?;
        let subject = Subject::from_name(subject).ok_or_else(|| {
            format!("unknown subject `{subject}` in `{path}`: use element, flow, source or target")
        })?;
        if let Some(attr) = rest.strip_prefix("attr.") {
            if attr.is_empty() {
                return Err(format!("`{path}` names no attribute"));
            }
            return Ok(Field { subject, property: Property::Attr(attr.to_string()) });
        }
        let table = if subject == Subject::Flow { FLOW_PROPERTIES } else { ELEMENT_PROPERTIES };
        table
            .iter()
            .find(|(name, _)| *name == rest)
            .map(|(_, p)| Field { subject, property: p.clone() })
            .ok_or_else(|| {
                let known: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
                format!(
                    "unknown field `{path}`: {} has {}, and attr.<name>",
                    subject.name(),
                    known.join(", ")
                )
            })
    }

    pub fn path(&self) -> String {
        let prop = match &self.property {
            Property::Attr(a) => return format!("{}.attr.{a}", self.subject.name()),
            p => ELEMENT_PROPERTIES
                .iter()
                .chain(FLOW_PROPERTIES)
                .find(|(_, q)| q == p)
                .map_or("?", |(n, _)| *n),
        };
        format!("{}.{prop}", self.subject.name())
    }
}

/// A comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Eq(String),
    Ne(String),
    In(Vec<String>),
    Contains(String),
    /// Any of the words or phrases occurs as whole words (case, punctuation ignored): the one
    /// matcher of `knowledge/`, so `order` does not match "border".
    Words(WordList),
    Is(bool),
    Exists(bool),
    Gte(f64),
    Lte(f64),
}

/// A compiled `when` condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Test { field: Field, op: Op },
}

impl Condition {
    /// Compiles a TOML value into a condition.
    pub fn from_toml(value: &toml::Value) -> Result<Condition, String> {
        let table = value
            .as_table()
            .ok_or_else(|| format!("a condition is a table, found {}", value.type_str()))?;
        let list = |v: &toml::Value, key: &str| -> Result<Vec<Condition>, String> {
            v.as_array()
                .ok_or_else(|| format!("`{key}` takes a list of conditions"))?
                .iter()
                .map(Condition::from_toml)
                .collect()
        };
        if let Some(v) = table.get("all") {
            only_key(table, "all")?;
            return Ok(Condition::All(list(v, "all")?));
        }
        if let Some(v) = table.get("any") {
            only_key(table, "any")?;
            return Ok(Condition::Any(list(v, "any")?));
        }
        if let Some(v) = table.get("not") {
            only_key(table, "not")?;
            return Ok(Condition::Not(Box::new(Condition::from_toml(v)?)));
        }
        let path = table
            .get("field")
            .and_then(toml::Value::as_str)
            .ok_or("a condition is `all`, `any`, `not`, or a test with `field = \"...\"`")?;
        let field = Field::parse(path)?;
        let ops: Vec<(&String, &toml::Value)> =
            table.iter().filter(|(k, _)| *k != "field").collect();
        let [(name, v)] = ops.as_slice() else {
            return Err(format!(
                "the test on `{path}` needs exactly one operator (eq, ne, in, contains, is, exists, gte, lte), found {}",
                ops.len()
            ));
        };
        let text = |v: &toml::Value| -> Result<String, String> {
            match v {
                toml::Value::String(s) => Ok(s.clone()),
                toml::Value::Integer(i) => Ok(i.to_string()),
                toml::Value::Float(f) => Ok(f.to_string()),
                toml::Value::Boolean(b) => Ok(b.to_string()),
                other => {
                    Err(format!("`{name}` on `{path}` takes a string, found {}", other.type_str()))
                }
            }
        };
        let number = |v: &toml::Value| -> Result<f64, String> {
            v.as_float()
                .or_else(|| v.as_integer().map(|i| i as f64))
                .ok_or_else(|| format!("`{name}` on `{path}` takes a number"))
        };
        let boolean = |v: &toml::Value| -> Result<bool, String> {
            v.as_bool().ok_or_else(|| format!("`{name}` on `{path}` takes true or false"))
        };
        let op = match name.as_str() {
            "eq" => Op::Eq(text(v)?),
            "ne" => Op::Ne(text(v)?),
            "in" => Op::In(
                v.as_array()
                    .ok_or_else(|| format!("`in` on `{path}` takes a list"))?
                    .iter()
                    .map(text)
                    .collect::<Result<_, _>>()?,
            ),
            "contains" => Op::Contains(text(v)?.to_lowercase()),
            "words" => Op::Words(WordList::new(
                &v.as_array()
                    .ok_or_else(|| format!("`words` on `{path}` takes a list"))?
                    .iter()
                    .map(text)
                    .collect::<Result<Vec<_>, _>>()?,
            )),
            "is" => Op::Is(boolean(v)?),
            "exists" => Op::Exists(boolean(v)?),
            "gte" => Op::Gte(number(v)?),
            "lte" => Op::Lte(number(v)?),
            other => {
                return Err(format!(
                    "unknown operator `{other}` on `{path}`: use eq, ne, in, contains, words, is, exists, gte or lte"
                ))
            }
        };
        Ok(Condition::Test { field, op })
    }

    /// Every field the condition reads, in order.
    pub fn fields(&self) -> Vec<&Field> {
        match self {
            Condition::All(cs) | Condition::Any(cs) => cs.iter().flat_map(|c| c.fields()).collect(),
            Condition::Not(c) => c.fields(),
            Condition::Test { field, .. } => vec![field],
        }
    }

    /// The condition as JSON, in the shape of the TOML it came from.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Condition::All(cs) => {
                json!({ "all": cs.iter().map(Condition::to_json).collect::<Vec<_>>() })
            }
            Condition::Any(cs) => {
                json!({ "any": cs.iter().map(Condition::to_json).collect::<Vec<_>>() })
            }
            Condition::Not(c) => json!({ "not": c.to_json() }),
            Condition::Test { field, op } => {
                let (name, value) = match op {
                    Op::Eq(v) => ("eq", json!(v)),
                    Op::Ne(v) => ("ne", json!(v)),
                    Op::In(v) => ("in", json!(v)),
                    Op::Contains(v) => ("contains", json!(v)),
                    Op::Words(v) => ("words", json!(v.written().collect::<Vec<_>>())),
                    Op::Is(v) => ("is", json!(v)),
                    Op::Exists(v) => ("exists", json!(v)),
                    Op::Gte(v) => ("gte", json!(v)),
                    Op::Lte(v) => ("lte", json!(v)),
                };
                json!({ "field": field.path(), name: value })
            }
        }
    }

    /// The condition for people, one line per test, indented by nesting.
    pub fn describe(&self, indent: usize, out: &mut Vec<String>) {
        let pad = "  ".repeat(indent);
        match self {
            Condition::All(cs) | Condition::Any(cs) => {
                let word = if matches!(self, Condition::All(_)) { "all of" } else { "any of" };
                out.push(format!("{pad}{word}:"));
                for c in cs {
                    c.describe(indent + 1, out);
                }
            }
            Condition::Not(c) => {
                out.push(format!("{pad}not:"));
                c.describe(indent + 1, out);
            }
            Condition::Test { field, op } => {
                let test = match op {
                    Op::Eq(v) => format!("= {v}"),
                    Op::Ne(v) => format!("≠ {v}"),
                    Op::In(v) => format!("in [{}]", v.join(", ")),
                    Op::Contains(v) => format!("contains \"{v}\""),
                    Op::Words(v) => {
                        format!("has a word of [{}]", v.written().collect::<Vec<_>>().join(", "))
                    }
                    Op::Is(v) => format!("is {v}"),
                    Op::Exists(true) => "is declared".to_string(),
                    Op::Exists(false) => "is not declared".to_string(),
                    Op::Gte(v) => format!("≥ {v}"),
                    Op::Lte(v) => format!("≤ {v}"),
                };
                out.push(format!("{pad}{} {test}", field.path()));
            }
        }
    }

    pub fn eval(&self, ctx: &Context<'_>) -> bool {
        match self {
            Condition::All(cs) => cs.iter().all(|c| c.eval(ctx)),
            Condition::Any(cs) => cs.iter().any(|c| c.eval(ctx)),
            Condition::Not(c) => !c.eval(ctx),
            Condition::Test { field, op } => test(&ctx.value(field), op),
        }
    }
}

fn only_key(table: &toml::value::Table, key: &str) -> Result<(), String> {
    match table.keys().find(|k| *k != key) {
        Some(other) => {
            Err(format!("`{key}` cannot be combined with `{other}` in one table: nest them"))
        }
        None => Ok(()),
    }
}

/// What a field reads on a target.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(Cow<'a, str>),
    Bool(bool),
    Number(f64),
    Missing,
}

/// Case-insensitive equality of trimmed text, without allocating.
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

fn test(value: &Value<'_>, op: &Op) -> bool {
    let with_text = |f: &dyn Fn(&str) -> bool| -> bool {
        match value {
            Value::Text(s) => f(s),
            Value::Bool(b) => f(if *b { "true" } else { "false" }),
            Value::Number(n) => f(&n.to_string()),
            Value::Missing => false,
        }
    };
    let as_number = |v: &Value<'_>| -> Option<f64> {
        match v {
            Value::Number(n) => Some(*n),
            Value::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    match op {
        Op::Eq(want) => with_text(&|s| same_text(s, want)),
        Op::Ne(want) => !with_text(&|s| same_text(s, want)),
        Op::In(list) => with_text(&|s| list.iter().any(|w| same_text(s, w))),
        Op::Contains(part) => with_text(&|s| {
            if s.is_ascii() {
                s.as_bytes()
                    .windows(part.len().max(1))
                    .any(|w| w.eq_ignore_ascii_case(part.as_bytes()))
                    || part.is_empty()
            } else {
                s.to_lowercase().contains(part.as_str())
            }
        }),
        Op::Words(list) => with_text(&|s| list.find_in(s).is_some()),
        Op::Is(want) => {
            let actual = match value {
                Value::Bool(b) => *b,
                Value::Text(s) => is_truthy(s),
                Value::Number(n) => *n != 0.0,
                Value::Missing => false,
            };
            actual == *want
        }
        Op::Exists(want) => (*value != Value::Missing) == *want,
        Op::Gte(n) => as_number(value).is_some_and(|v| v >= *n),
        Op::Lte(n) => as_number(value).is_some_and(|v| v <= *n),
    }
}

/// The target a rule is evaluated on, with what analysis knows about it.
pub struct Context<'a> {
    pub diagram: &'a Diagram,
    pub analysis: &'a DiagramAnalysis,
    pub element: Option<NodeIndex>,
    pub flow: Option<FlowRef<'a>>,
}

impl<'a> Context<'a> {
    fn node(&self, subject: Subject) -> Option<NodeIndex> {
        match subject {
            Subject::Element => self.element,
            Subject::Source => self.flow.map(|f| f.from),
            Subject::Target => self.flow.map(|f| f.to),
            Subject::Flow => None,
        }
    }

    /// The value of `field` on this target ([`Value::Missing`] when it does not apply).
    pub fn value(&self, field: &Field) -> Value<'a> {
        if field.subject == Subject::Flow {
            return self.flow.map_or(Value::Missing, |f| self.flow_value(f, &field.property));
        }
        let Some(node) = self.node(field.subject) else { return Value::Missing };
        let e = self.diagram.element(node);
        let facts = self.analysis.facts(node);
        let text = |s: &'a str| Value::Text(Cow::Borrowed(s));
        match &field.property {
            Property::Attr(name) => e.attributes.get(name).map_or(Value::Missing, |v| text(v)),
            Property::Label if e.unlabelled => text(""),
            Property::Label => text(&e.label),
            Property::Headline if e.unlabelled => text(""),
            Property::Headline => {
                text(e.label.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default())
            }
            Property::Kind => text(e.kind.name()),
            Property::Technology => e.technology.as_deref().map_or(Value::Missing, text),
            Property::TechnologyClass => e.tech().map_or(Value::Missing, |t| text(t.class.name())),
            Property::TlsOnly => {
                Value::Bool(e.tech().is_some_and(|t| t.tls == TransportSecurity::Only))
            }
            Property::ProviderAuthenticates => {
                Value::Bool(e.tech().is_some_and(|t| t.provider_authenticates))
            }
            Property::TlsByDefault => {
                Value::Bool(e.tech().is_some_and(|t| t.tls != TransportSecurity::Unknown))
            }
            Property::ExternalActor => Value::Bool(facts.external_actor.is_some()),
            Property::EntryPoint => Value::Bool(facts.entry_point.is_some()),
            Property::DataAsset => Value::Bool(facts.data_asset),
            Property::Infrastructure => Value::Bool(facts.infrastructure),
            Property::Reachable => Value::Bool(facts.reached_by.is_some()),
            Property::InBoundary => Value::Bool(e.boundary.is_some()),
            Property::UntrustedZone => Value::Bool(facts.untrusted_zone),
            Property::ExposedZone => Value::Bool(facts.exposed_zone),
            Property::Trust => Value::Number(facts.trust as f64),
            Property::ReceivesFromExternal => Value::Bool(facts.receives_from_external),
            Property::NamesAProgram => {
                Value::Bool(!e.unlabelled && crate::model::vocabulary::names_a_program(&e.label))
            }
            Property::SendsToExternal => Value::Bool(facts.sends_to_external),
            Property::InboundFlows => Value::Number(facts.inbound_flows as f64),
            Property::OutboundFlows => Value::Number(facts.outbound_flows as f64),
            Property::InboundRequests => Value::Number(facts.inbound_requests as f64),
            Property::CallsExternal => Value::Bool(facts.calls_external),
            Property::UsesIdentityProvider => Value::Bool(facts.uses_identity_provider),
            Property::SignedInCallers => Value::Bool(self.has_signed_in_callers(node)),
            Property::ReceivesFromClass => self.neighbour_classes(node, petgraph::Incoming),
            Property::SendsToClass => self.neighbour_classes(node, petgraph::Outgoing),
            Property::ReceivesFromTechnology => {
                self.neighbour_technologies(node, petgraph::Incoming)
            }
            Property::SendsToTechnology => self.neighbour_technologies(node, petgraph::Outgoing),
            Property::SensitiveData => Value::Bool(self.handles_sensitive_data(node)),
            Property::ReadsStore => Value::Bool(self.reads_store(node)),
            _ => Value::Missing,
        }
    }

    /// The technology classes of the elements sending flows to `node` (or receiving them from it),
    /// sorted, without repeats, joined by commas: "payment_provider" for a webhook receiver.
    /// Rules test it with `contains`; no class name is part of another.
    fn neighbour_classes(&self, node: NodeIndex, direction: petgraph::Direction) -> Value<'a> {
        self.neighbour_names(node, direction, |e| e.tech().map(|t| t.class.name()))
    }

    /// The technology ids of the same elements: "auth-service" for the table a home-made sign-in
    /// reads.
    fn neighbour_technologies(&self, node: NodeIndex, direction: petgraph::Direction) -> Value<'a> {
        self.neighbour_names(node, direction, |e| e.technology.as_deref())
    }

    /// `name` of each neighbour of `node` in `direction` that has one, sorted, without repeats,
    /// joined by commas.
    fn neighbour_names(
        &self,
        node: NodeIndex,
        direction: petgraph::Direction,
        name: impl Fn(&'a crate::model::Element) -> Option<&'a str>,
    ) -> Value<'a> {
        let mut names: Vec<&str> = self
            .diagram
            .graph
            .neighbors_directed(node, direction)
            .filter_map(|n| name(self.diagram.element(n)))
            .collect();
        names.sort_unstable();
        names.dedup();
        Value::Text(Cow::Owned(names.join(",")))
    }

    /// Whether the element, or a flow into or out of it, names sensitive data in its `data`,
    /// `classification` or `data_classification` attribute (the words of
    /// `knowledge/sensitive-data.toml`): what a process handles is what its logs can leak.
    fn handles_sensitive_data(&self, node: NodeIndex) -> bool {
        super::sensitive_data_of_element(self.diagram, node).is_some()
    }

    /// Whether a data store sends `node` a flow: what `node` passes on can carry stored records
    /// (a retrieval step that puts documents or customer rows into a prompt).
    fn reads_store(&self, node: NodeIndex) -> bool {
        self.diagram
            .graph
            .neighbors_directed(node, petgraph::Incoming)
            .any(|n| self.diagram.element(n).kind == ElementKind::DataStore)
    }

    /// Whether an outside actor who signs in at an identity provider sends `node` requests,
    /// directly or through elements that only pass them on (a CDN, a load balancer, a network
    /// gateway, a firewall): the tokens that actor was given arrive at `node` to be checked.
    /// The walk looks at a bounded number of senders, so a hub costs no more than a leaf.
    fn has_signed_in_callers(&self, node: NodeIndex) -> bool {
        const MAX_LOOKS: usize = 256;
        let passes_on = |n: NodeIndex| {
            self.diagram.element(n).tech().is_some_and(|t| t.class.forwards_traffic())
        };
        let mut seen = std::collections::BTreeSet::from([node]);
        let mut queue = vec![node];
        let mut looks = 0;
        while let Some(n) = queue.pop() {
            for sender in self.diagram.graph.neighbors_directed(n, petgraph::Incoming) {
                looks += 1;
                if looks > MAX_LOOKS {
                    return false;
                }
                if !seen.insert(sender) {
                    continue;
                }
                let facts = self.analysis.facts(sender);
                if facts.external_actor.is_some() {
                    if facts.uses_identity_provider {
                        return true;
                    }
                } else if passes_on(sender) {
                    queue.push(sender);
                }
            }
        }
        false
    }

    fn flow_value(&self, f: FlowRef<'a>, property: &Property) -> Value<'a> {
        let crossing = &self.analysis.crossings[f.index.index()];
        let text = |s: &'a str| Value::Text(Cow::Borrowed(s));
        match property {
            Property::Attr(name) => f.flow.attributes.get(name).map_or(Value::Missing, |v| text(v)),
            Property::Label => text(&f.flow.label),
            Property::Direction => text(crossing.direction.name()),
            Property::Crossing => Value::Bool(!crossing.crosses.is_empty()),
            Property::Crosses => Value::Number(crossing.crosses.len() as f64),
            Property::Data => {
                f.flow.attributes.get("data").map_or(text(&f.flow.label), |v| text(v))
            }
            Property::FromExternalActor => {
                Value::Bool(self.analysis.facts(f.from).external_actor.is_some())
            }
            Property::ToExternalActor => {
                Value::Bool(self.analysis.facts(f.to).external_actor.is_some())
            }
            Property::SharedZone => Value::Bool(crossing.shared_zone),
            Property::Webhook => Value::Bool(crate::analysis::is_webhook(self.diagram, f)),
            Property::Reply => Value::Bool(crate::analysis::is_reply(self.diagram, f)),
            _ => Value::Missing,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Condition, String> {
        let v: toml::Value =
            toml::from_str(&format!("c = {{ {} }}", src.replace('\n', " "))).unwrap();
        Condition::from_toml(&v["c"])
    }

    #[test]
    fn parses_nested_conditions() {
        let c = parse(
            r#"all = [ { field = "element.kind", eq = "data_store" },
                       { not = { field = "element.attr.encrypted", is = true } },
                       { any = [ { field = "element.trust", gte = 1 } ] } ]"#,
        )
        .unwrap();
        let Condition::All(parts) = c else { panic!("not all") };
        assert_eq!(parts.len(), 3);
    }

    #[test]
    fn explains_mistakes() {
        assert!(parse(r#"field = "element.colour", eq = "red""#)
            .unwrap_err()
            .contains("unknown field"));
        assert!(parse(r#"field = "elem.kind", eq = "x""#).unwrap_err().contains("unknown subject"));
        assert!(parse(r#"field = "element.kind", like = "x""#)
            .unwrap_err()
            .contains("unknown operator"));
        assert!(parse(r#"field = "element.kind", eq = "x", ne = "y""#)
            .unwrap_err()
            .contains("exactly one"));
        assert!(parse(r#"all = [], any = []"#).unwrap_err().contains("cannot be combined"));
        assert!(parse(r#"field = "flow.kind", eq = "x""#)
            .unwrap_err()
            .contains("flow has direction"));
    }

    #[test]
    fn operators() {
        let t = |v: Value<'_>, op: Op| test(&v, &op);
        let s = |x: &'static str| Value::Text(Cow::Borrowed(x));
        assert!(t(s("HTTPS"), Op::Eq("https".into())));
        assert!(t(s("HTTPS"), Op::In(vec!["tls".into(), "https".into()])));
        assert!(t(Value::Missing, Op::Ne("x".into())));
        assert!(!t(Value::Missing, Op::Eq("x".into())));
        assert!(t(s("yes"), Op::Is(true)));
        assert!(t(Value::Missing, Op::Is(false)));
        assert!(t(s("Customer PII"), Op::Contains("pii".into())));
        let reviews = || Op::Words(WordList::new(&["review", "product review"]));
        assert!(t(s("Post a Review!"), reviews()));
        assert!(t(s("product-review text"), reviews()));
        assert!(!t(s("reviewer queue"), reviews()), "whole words only");
        assert!(!t(Value::Missing, reviews()));
        assert!(t(s("10"), Op::Gte(5.0)));
        assert!(!t(Value::Missing, Op::Lte(5.0)));
        assert!(t(Value::Missing, Op::Exists(false)));
    }

    #[test]
    fn field_paths_round_trip() {
        for p in [
            "element.kind",
            "flow.direction",
            "source.attr.protocol",
            "target.technology_class",
            "element.inbound_requests",
            "element.calls_external",
            "flow.shared_zone",
            "flow.webhook",
            "source.receives_from_class",
            "target.sends_to_class",
            "element.sensitive_data",
        ] {
            assert_eq!(Field::parse(p).unwrap().path(), p);
        }
    }
}
