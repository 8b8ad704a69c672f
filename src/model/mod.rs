//! One document model for every input format.
//!
//! Importers build a [`Document`]; analysis, threats and exporters only read it. A diagram is a
//! petgraph graph whose nodes are [`Element`]s and whose edges are [`Flow`]s, plus a tree of trust
//! [`Boundary`]s. Ids are the diagram's own (a DOT node id, a draw.io cell id) so that every finding
//! maps back to the user's file.

pub mod drawing;
pub mod kind_reason;
mod technology;
pub mod vocabulary;

pub use technology::{
    technologies, technology, technology_in_label, TechClass, Technologies, Technology,
    TransportSecurity,
};

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location};
use crate::index_hash::IndexMap;

/// Free-form `name=value` attributes, ordered so output is deterministic.
pub type Attributes = BTreeMap<String, String>;

/// Whether a value reads as "yes" (`true`, `yes`, `1`, `on`).
pub fn is_truthy(value: &str) -> bool {
    let v = value.trim();
    ["true", "yes", "1", "on", "y"].iter().any(|t| v.eq_ignore_ascii_case(t))
}

/// Whether `attributes` set `name` to a yes (`out_of_scope=true`).
pub fn declares(attributes: &Attributes, name: &str) -> bool {
    attributes.get(name).is_some_and(|v| is_truthy(v))
}

/// The format a document was read from: the name of its reader in
/// [`crate::import::registry::READERS`] (`dot`, `drawio`...). A name, not an enum, so that a new
/// reader is one module and one table row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Format(pub &'static str);

impl Format {
    pub const DOT: Format = Format("dot");
    pub const DRAWIO: Format = Format("drawio");

    pub fn name(self) -> &'static str {
        self.0
    }
}

/// Everything read from one input file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the user gave it (`-` for standard input).
    pub path: String,
    pub format: Format,
    pub diagrams: Vec<Diagram>,
    /// Tolerable problems met while importing.
    pub warnings: Vec<Diagnostic>,
}

/// The three kinds of DFD element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    ExternalEntity,
    Process,
    DataStore,
}

impl ElementKind {
    pub fn name(self) -> &'static str {
        match self {
            ElementKind::ExternalEntity => "external_entity",
            ElementKind::Process => "process",
            ElementKind::DataStore => "data_store",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "external_entity" => Some(ElementKind::ExternalEntity),
            "process" => Some(ElementKind::Process),
            "data_store" => Some(ElementKind::DataStore),
            _ => None,
        }
    }

    /// Reads the words people use for a kind in `kind=`/`type=` attributes and label hints.
    pub fn from_word(word: &str) -> Option<Self> {
        let w: String = word
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        match w.as_str() {
            "external" | "externalentity" | "externalactor" | "actor" | "entity" | "ee"
            | "user" | "interactor" | "external_entity" => Some(ElementKind::ExternalEntity),
            "process" | "proc" | "service" | "function" | "server" | "multiprocess"
            | "complexprocess" | "lambda" => Some(ElementKind::Process),
            "store" | "datastore" | "database" | "db" | "storage" | "data" | "file" | "bucket"
            | "table" | "queue" | "cache" => Some(ElementKind::DataStore),
            _ => None,
        }
    }
}

/// A point in diagram coordinates (draw.io pixels, or DOT points when the file has a layout).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    /// The distance from this point to the segment from `a` to `b`.
    pub fn distance_to_segment(self, a: Point, b: Point) -> f64 {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let length = dx * dx + dy * dy;
        let t = if length > 0.0 {
            (((self.x - a.x) * dx + (self.y - a.y) * dy) / length).clamp(0.0, 1.0)
        } else {
            0.0
        };
        (self.x - (a.x + t * dx)).hypot(self.y - (a.y + t * dy))
    }
}

/// An axis-aligned box in diagram coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn center(&self) -> Point {
        Point { x: self.x + self.width / 2.0, y: self.y + self.height / 2.0 }
    }

    pub fn contains_point(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.x + self.width && p.y >= self.y && p.y <= self.y + self.height
    }

    pub fn contains_rect(&self, r: &Rect) -> bool {
        r.x >= self.x
            && r.y >= self.y
            && r.x + r.width <= self.x + self.width
            && r.y + r.height <= self.y + self.height
    }

    pub fn area(&self) -> f64 {
        self.width * self.height
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        let right = (self.x + self.width).max(other.x + other.width);
        let bottom = (self.y + self.height).max(other.y + other.height);
        Rect { x, y, width: right - x, height: bottom - y }
    }
}

/// How an element was drawn, so the SVG can draw it recognisably.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    #[default]
    Rectangle,
    Rounded,
    Ellipse,
    DoubleEllipse,
    Cylinder,
    /// The open-ended DFD store symbol (lines above and below).
    OpenRectangle,
    Actor,
    /// A vendor icon (AWS, Azure, GCP, Kubernetes...), drawn as a tile with the service name.
    Icon,
    Document,
}

/// Where and how an element or boundary was drawn, when the input says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Visual {
    pub bounds: Option<Rect>,
    pub shape: Shape,
    /// The user's colours, when they are plain `#rrggbb` values.
    pub fill: Option<String>,
    pub stroke: Option<String>,
}

/// A DFD element: an external entity, a process or a data store.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// The diagram's own id (DOT node id, draw.io cell id).
    pub id: String,
    /// Display text, plain (HTML labels are reduced to text by the importers). An element drawn
    /// without a label gets a name from its icon or shape and its id (`AWS Lambda (cell 7)`),
    /// so that every report and title can name it; see [`Element::unlabelled`].
    pub label: String,
    /// The diagram gives no label: `label` was made up by the importer. Rules that read words in
    /// a label read none here.
    pub unlabelled: bool,
    pub kind: ElementKind,
    /// The innermost trust boundary holding the element.
    pub boundary: Option<BoundaryId>,
    /// A technology id from [`technologies`] (e.g. `aws-lambda`), when recognised.
    pub technology: Option<String>,
    /// Why the kind was chosen, e.g. `shape=cylinder` or `label "(External Entity)"`.
    pub inferred_from: String,
    pub attributes: Attributes,
    pub origin: Option<Location>,
    pub visual: Visual,
    /// Attributes inferred rather than declared (a control the label names: "API Gateway (Rate
    /// Limiting)"), and why.
    pub inferred: Attributes,
}

impl Element {
    pub fn new(id: impl Into<String>, kind: ElementKind, inferred_from: impl Into<String>) -> Self {
        let id = id.into();
        Element {
            label: id.clone(),
            unlabelled: false,
            id,
            kind,
            boundary: None,
            technology: None,
            inferred_from: inferred_from.into(),
            attributes: Attributes::new(),
            origin: None,
            visual: Visual::default(),
            inferred: Attributes::new(),
        }
    }

    pub fn tech(&self) -> Option<&'static Technology> {
        self.technology.as_deref().and_then(technology)
    }
}

/// A data flow between two elements.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// `from->to` when it is the only flow from `from` to `to`. Parallel flows are told apart by
    /// what they are, not where they are in the file (see [`Diagram::identify_parallel_flows`]):
    /// `from->to[key]`, with `#2`, `#3`... only among flows whose keys are the same.
    pub id: String,
    pub label: String,
    pub attributes: Attributes,
    pub origin: Option<Location>,
    /// Bends of the drawn edge, in order from source to target.
    pub waypoints: Vec<Point>,
    /// Where the user put the flow's label, when the input says.
    pub label_position: Option<Point>,
    /// Attributes inferred rather than declared (from words in the label), and why.
    pub inferred: Attributes,
    /// How the author drew the line (see [`Drawn`]).
    pub drawn: Drawn,
}

/// How the author drew a flow's line, which is not always the way the data goes. One fact with
/// two readers: analysis reads an [`Drawn::Undirected`] line both ways when it looks for entry
/// points, and a layout ranks by the line as drawn, as Graphviz does (ranking a `dir=back` edge
/// or the return flow of a two-way edge by the data's direction would turn a tidy drawing's
/// lines into loops).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Drawn {
    /// From `from` to `to`: the arrowhead, if any, at `to`.
    #[default]
    Forward,
    /// From `to` to `from`: DOT `dir=back`, a draw.io arrowhead at the start only, or the
    /// return flow of a line the reader split into a flow each way (DOT `dir=both`, `dir=none`
    /// or an undirected graph; arrowheads at both ends; a bidirectional flow).
    Backward,
    /// From `from` to `to` with no arrowhead at either end, kept as one flow: the two ends
    /// exchange data, not which way, so analysis reads it both ways for entry points. Readers
    /// that can split such a line into a flow each way (DOT `dir=none`) do so instead.
    Undirected,
}

impl Drawn {
    /// The line runs from the flow's target to its source.
    pub fn against_flow(self) -> bool {
        self == Drawn::Backward
    }

    /// `Backward` when `back`, else `Forward`: for readers that add the flows of one line.
    pub fn backward_if(back: bool) -> Drawn {
        if back {
            Drawn::Backward
        } else {
            Drawn::Forward
        }
    }
}

/// Index of a boundary in [`Diagram::boundaries`].
pub type BoundaryId = usize;

/// What a boundary's author said about its trust.
#[derive(Debug, Clone, PartialEq)]
pub enum TrustDeclaration {
    /// Nothing: the boundary groups its members without saying anything about trust.
    Unspecified,
    /// `trust=untrusted`, or a label such as Internet or public.
    Untrusted { because: String },
    /// `trust=trusted`, or a label such as private, internal or VPC.
    Trusted { because: String },
    /// The system's own but exposed side: `trust=exposed`, or a label such as DMZ or public subnet.
    Exposed { because: String },
    /// `trust=N`: higher is more trusted.
    Level(i64),
}

/// A trust boundary: a region whose members share a level of trust.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    /// The diagram's own id (DOT subgraph id, draw.io cell id).
    pub id: String,
    pub label: String,
    pub parent: Option<BoundaryId>,
    pub trust: TrustDeclaration,
    /// Why this was taken for a boundary, e.g. `subgraph cluster_*` or `dashed unfilled rectangle`.
    pub inferred_from: String,
    pub attributes: Attributes,
    pub origin: Option<Location>,
    pub visual: Visual,
    /// A boundary drawn as a line (draw.io): flows whose path crosses it cross the boundary.
    pub line: Option<Vec<Point>>,
}

impl Boundary {
    pub fn new(
        id: impl Into<String>,
        label: impl Into<String>,
        inferred_from: impl Into<String>,
    ) -> Self {
        Boundary {
            id: id.into(),
            label: label.into(),
            parent: None,
            trust: TrustDeclaration::Unspecified,
            inferred_from: inferred_from.into(),
            attributes: Attributes::new(),
            origin: None,
            visual: Visual::default(),
            line: None,
        }
    }
}

/// A threat the input model already records (Threat Dragon threats on cells, OTM threat
/// instances, TMT threat instances, Threagile risk tracking): kept so that the report shows what
/// the team found and decided; [`crate::threats::recorded`] holds them against ours.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RecordedThreat {
    /// The tool's own id for the threat, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    /// The id (ours) of the element, flow or boundary it is recorded on; none for threats on the
    /// whole model or on something that is not in the diagram.
    pub target: Option<String>,
    /// As the tool writes it: `Open`, `Mitigated`, `NotApplicable`, `accepted`...
    pub status: Option<String>,
    /// As the tool writes it: `High`, `critical`, `impact 100`...
    pub severity: Option<String>,
    /// The STRIDE (or other methodology's) category, as written.
    pub category: Option<String>,
    /// The mitigation or justification text the tool records.
    pub mitigation: Option<String>,
}

/// The direction a computed layout runs in, from the first rank to the last (DOT's `rankdir`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RankDir {
    /// Graphviz's default: sources at the top.
    #[default]
    TopToBottom,
    LeftToRight,
    BottomToTop,
    RightToLeft,
}

impl RankDir {
    /// DOT's `rankdir` value (`TB`, `LR`, `BT`, `RL`, any case); `None` for anything else.
    pub fn from_dot(value: &str) -> Option<RankDir> {
        match value.trim().to_ascii_uppercase().as_str() {
            "TB" => Some(RankDir::TopToBottom),
            "LR" => Some(RankDir::LeftToRight),
            "BT" => Some(RankDir::BottomToTop),
            "RL" => Some(RankDir::RightToLeft),
            _ => None,
        }
    }
}

/// One diagram: a DOT graph or a draw.io page.
#[derive(Debug, Clone)]
pub struct Diagram {
    pub name: String,
    pub graph: DiGraph<Element, Flow>,
    /// Parents always come before their children.
    pub boundaries: Vec<Boundary>,
    /// The diagram's own attributes (DOT graph attributes), e.g. a label.
    pub attributes: Attributes,
    /// The drawing's extent, when the input has a layout.
    pub bounds: Option<Rect>,
    /// Which way a computed layout runs (DOT's `rankdir`).
    pub rank_dir: RankDir,
    /// Threats another tool's model already records (see [`RecordedThreat`]).
    pub recorded_threats: Vec<RecordedThreat>,
    /// The page as drawn, every shape and line included, when the reader can say (draw.io).
    pub drawing: Option<drawing::Drawing>,
    by_id: HashMap<String, NodeIndex>,
    /// Flows so far between each ordered pair of elements (a node index pair: no user text).
    parallel: IndexMap<(NodeIndex, NodeIndex), usize>,
}

impl Diagram {
    pub fn new(name: impl Into<String>) -> Self {
        Diagram {
            name: name.into(),
            graph: DiGraph::new(),
            boundaries: Vec::new(),
            attributes: Attributes::new(),
            bounds: None,
            rank_dir: RankDir::default(),
            recorded_threats: Vec::new(),
            drawing: None,
            by_id: HashMap::new(),
            parallel: IndexMap::default(),
        }
    }

    /// Adds a boundary. Its parent, if any, must already be in the diagram.
    pub fn add_boundary(&mut self, boundary: Boundary) -> BoundaryId {
        debug_assert!(boundary.parent.is_none_or(|p| p < self.boundaries.len()));
        self.boundaries.push(boundary);
        self.boundaries.len() - 1
    }

    /// Adds an element, or returns the existing one with the same id.
    pub fn add_element(&mut self, element: Element) -> NodeIndex {
        if let Some(&index) = self.by_id.get(&element.id) {
            return index;
        }
        let id = element.id.clone();
        let index = self.graph.add_node(element);
        self.by_id.insert(id, index);
        index
    }

    pub fn element_index(&self, id: &str) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }

    pub fn element(&self, index: NodeIndex) -> &Element {
        &self.graph[index]
    }

    pub fn element_mut(&mut self, index: NodeIndex) -> &mut Element {
        &mut self.graph[index]
    }

    /// Adds a flow and gives it its id: `from->to`, then `from->to#2`, `#3`... for parallel flows.
    pub fn add_flow(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        label: String,
        attributes: Attributes,
        origin: Option<Location>,
    ) -> EdgeIndex {
        let count = self.parallel.entry((from, to)).or_insert(0);
        *count += 1;
        let (a, b) = (&self.graph[from].id, &self.graph[to].id);
        // Pushed, not formatted: a big diagram adds tens of thousands of flows.
        let mut id = String::with_capacity(a.len() + b.len() + 2);
        id.push_str(a);
        id.push_str("->");
        id.push_str(b);
        if *count > 1 {
            id.push('#');
            id.push_str(&count.to_string());
        }
        let flow = Flow {
            id,
            label,
            attributes,
            origin,
            waypoints: Vec::new(),
            label_position: None,
            inferred: Attributes::new(),
            drawn: Drawn::Forward,
        };
        self.graph.add_edge(from, to, flow)
    }

    /// Gives parallel flows (more than one from the same element to the same element) ids from
    /// what they are, so inserting or reordering flows never moves an id to another flow:
    /// `from->to[key]` with `key_of`'s key (a draw.io cell id, a DOT `id` attribute or label),
    /// and file order only as the last tie-break among flows with the same key (`[key]#2`). A
    /// flow alone between its two elements keeps `from->to`.
    pub fn identify_parallel_flows(&mut self, key_of: impl Fn(EdgeIndex, &Flow) -> String) {
        let mut groups: HashMap<(NodeIndex, NodeIndex), Vec<EdgeIndex>> = HashMap::new();
        for flow in self.flows() {
            groups.entry((flow.from, flow.to)).or_default().push(flow.index);
        }
        for ((from, to), edges) in groups {
            if edges.len() < 2 {
                continue;
            }
            let base = format!("{}->{}", self.graph[from].id, self.graph[to].id);
            let mut seen: HashMap<String, usize> = HashMap::new();
            for edge in edges {
                let key = key_of(edge, &self.graph[edge]);
                let count = seen.entry(key.clone()).or_insert(0);
                *count += 1;
                let id = match *count {
                    1 => format!("{base}[{key}]"),
                    n => format!("{base}[{key}]#{n}"),
                };
                self.graph[edge].id = id;
            }
        }
    }

    /// Elements in insertion (file) order.
    pub fn elements(&self) -> impl Iterator<Item = (NodeIndex, &Element)> {
        self.graph.node_indices().map(move |i| (i, &self.graph[i]))
    }

    /// Flows in insertion (file) order, with their endpoints.
    pub fn flows(&self) -> impl Iterator<Item = FlowRef<'_>> {
        self.graph.edge_indices().filter_map(move |e| {
            let (from, to) = self.graph.edge_endpoints(e)?;
            Some(FlowRef { index: e, from, to, flow: &self.graph[e] })
        })
    }

    pub fn flow_count(&self) -> usize {
        self.graph.edge_count()
    }

    pub fn element_count(&self) -> usize {
        self.graph.node_count()
    }

    /// The boundaries holding `innermost`, outermost first.
    pub fn boundary_path(&self, innermost: Option<BoundaryId>) -> Vec<BoundaryId> {
        let mut path = Vec::new();
        let mut cursor = innermost;
        while let Some(b) = cursor {
            // A parent always precedes its child, so this terminates; the guard is for safety.
            if path.len() > self.boundaries.len() {
                break;
            }
            path.push(b);
            cursor = self.boundaries.get(b).and_then(|x| x.parent);
        }
        path.reverse();
        path
    }
}

/// A flow with its endpoints.
#[derive(Debug, Clone, Copy)]
pub struct FlowRef<'a> {
    pub index: EdgeIndex,
    pub from: NodeIndex,
    pub to: NodeIndex,
    pub flow: &'a Flow,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_flows_are_numbered_in_order() {
        let mut d = Diagram::new("g");
        let a = d.add_element(Element::new("a", ElementKind::Process, "default"));
        let b = d.add_element(Element::new("b", ElementKind::Process, "default"));
        d.add_flow(a, b, String::new(), Attributes::new(), None);
        d.add_flow(b, a, String::new(), Attributes::new(), None);
        d.add_flow(a, b, String::new(), Attributes::new(), None);
        let ids: Vec<_> = d.flows().map(|f| f.flow.id.clone()).collect();
        assert_eq!(ids, ["a->b", "b->a", "a->b#2"]);
    }

    #[test]
    fn parallel_flows_are_named_by_key_not_order() {
        let mut d = Diagram::new("g");
        let u = d.add_element(Element::new("u", ElementKind::Process, "default"));
        let p = d.add_element(Element::new("p", ElementKind::Process, "default"));
        for label in ["health", "card", "health", "other"] {
            d.add_flow(u, p, label.into(), Attributes::new(), None);
        }
        d.add_flow(p, u, "back".into(), Attributes::new(), None);
        d.identify_parallel_flows(|_, f| f.label.clone());
        let ids: Vec<_> = d.flows().map(|f| f.flow.id.clone()).collect();
        assert_eq!(ids, ["u->p[health]", "u->p[card]", "u->p[health]#2", "u->p[other]", "p->u"]);
    }

    #[test]
    fn repeated_elements_merge_into_one() {
        let mut d = Diagram::new("g");
        let a = d.add_element(Element::new("a", ElementKind::Process, "default"));
        let again = d.add_element(Element::new("a", ElementKind::DataStore, "x"));
        assert_eq!(a, again);
        assert_eq!(d.element_count(), 1);
    }

    #[test]
    fn boundary_path_runs_outermost_first() {
        let mut d = Diagram::new("g");
        let outer = d.add_boundary(Boundary::new("o", "Outer", "test"));
        let mut inner = Boundary::new("i", "Inner", "test");
        inner.parent = Some(outer);
        let inner = d.add_boundary(inner);
        assert_eq!(d.boundary_path(Some(inner)), vec![outer, inner]);
        assert!(d.boundary_path(None).is_empty());
    }

    #[test]
    fn kind_words() {
        assert_eq!(ElementKind::from_word("External Entity"), Some(ElementKind::ExternalEntity));
        assert_eq!(ElementKind::from_word("datastore"), Some(ElementKind::DataStore));
        assert_eq!(ElementKind::from_word("Process"), Some(ElementKind::Process));
        assert_eq!(ElementKind::from_word("banana"), None);
    }
}
