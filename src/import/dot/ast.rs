//! The DOT syntax tree: what the file says, before Graphviz semantics are applied.
//!
//! Every statement and endpoint keeps its position so that lowering can point back into the file.

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// How an id was written; it matters for keywords (only bare words are keywords) and labels
/// (HTML strings are markup).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Plain,
    Numeral,
    Quoted,
    Html,
}

/// An id with escapes resolved as Graphviz's scanner does (`\"` and line continuations); other
/// backslash escapes are kept for the label step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id {
    pub text: String,
    pub kind: IdKind,
}

impl Id {
    pub fn is_html(&self) -> bool {
        self.kind == IdKind::Html
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    pub strict: bool,
    pub directed: bool,
    pub id: Option<Id>,
    pub pos: Pos,
    pub stmts: Vec<Stmt>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub pos: Pos,
    pub kind: StmtKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrTarget {
    Graph,
    Node,
    Edge,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    Node(NodeId, Vec<Attr>),
    /// Two or more operands: `a -> b -> {c d}`.
    Edge(Vec<EdgeOperand>, Vec<Attr>),
    /// `node [..]`, `edge [..]`, `graph [..]`.
    Defaults(AttrTarget, Vec<Attr>),
    /// `ID = ID` at statement level: a graph attribute.
    Assign(Attr),
    Subgraph(Subgraph),
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodeId {
    pub id: Id,
    /// `port` or `port:compass` as written after the first colon.
    pub port: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EdgeOperand {
    Node(NodeId),
    /// A comma-separated node list, `a -> b, c`: an edge to each, like `a -> {b c}`.
    Nodes(Vec<NodeId>),
    Subgraph(Subgraph),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Subgraph {
    pub id: Option<Id>,
    pub pos: Pos,
    pub stmts: Vec<Stmt>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub key: Id,
    pub value: Id,
    pub pos: Pos,
}
