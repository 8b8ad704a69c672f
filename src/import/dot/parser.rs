//! Recursive descent over the token list, following the Graphviz grammar.
//!
//! Recursion happens only at subgraphs, and each level is checked against `max_depth`, so hostile
//! nesting fails fast with a positioned error instead of overflowing the stack.

use super::ast::{
    Attr, AttrTarget, EdgeOperand, Graph, Id, IdKind, NodeId, Pos, Stmt, StmtKind, Subgraph,
};
use super::lexer::{Tok, Token};
use crate::diagnostic::Diagnostic;

pub struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    max_depth: usize,
    directed: bool,
}

/// What one statement of the file reads as: a statement, or a node list that stands for one
/// node statement per node.
enum Statement {
    One(Stmt),
    NodeList(Vec<NodeId>, Vec<Attr>),
}

const EOF: Token = Token { tok: Tok::Eof, pos: Pos { line: 1, column: 1 } };

fn keyword(tok: &Tok, word: &str) -> bool {
    matches!(tok, Tok::Id(Id { text, kind: IdKind::Plain }) if text.eq_ignore_ascii_case(word))
}

impl<'a> Parser<'a> {
    pub fn new(tokens: &'a [Token], max_depth: usize) -> Self {
        Parser { tokens, at: 0, max_depth, directed: true }
    }

    fn peek(&self) -> &Token {
        self.tokens.get(self.at).or(self.tokens.last()).unwrap_or(&EOF)
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        self.tokens.get(self.at + ahead).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if self.at < self.tokens.len() {
            self.at += 1;
        }
        token
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if &self.peek().tok == tok {
            self.bump();
            true
        } else {
            false
        }
    }

    fn unexpected(&self, expected: &str) -> Diagnostic {
        let token = self.peek();
        Diagnostic::at(
            token.pos.line,
            token.pos.column,
            format!("expected {expected}, found {}", token.tok.describe()),
        )
    }

    fn expect(&mut self, tok: &Tok, expected: &str, help: &str) -> Result<Token, Diagnostic> {
        if &self.peek().tok == tok {
            Ok(self.bump())
        } else {
            Err(self.unexpected(expected).with_help(help))
        }
    }

    /// Every graph in the file.
    pub fn graphs(&mut self) -> Result<Vec<Graph>, Diagnostic> {
        let first = self.peek().clone();
        match &first.tok {
            Tok::Eof => {
                return Err(Diagnostic::at(
                    first.pos.line,
                    first.pos.column,
                    "no graph in the file",
                )
                .with_help("a DOT file starts with `digraph name {` or `graph name {`"))
            }
            Tok::LBrace | Tok::LBracket => {
                return Err(Diagnostic::at(
                    first.pos.line,
                    first.pos.column,
                    "this looks like JSON, not a DOT graph",
                )
                .with_help("give the DOT reader a Graphviz file (`digraph name { a -> b }`)"))
            }
            Tok::Id(Id { kind: IdKind::Html, .. }) => {
                return Err(Diagnostic::at(
                    first.pos.line,
                    first.pos.column,
                    "this looks like XML, not a DOT graph",
                )
                .with_help("draw.io files are read with `--format drawio`"))
            }
            _ => {}
        }
        let mut graphs = Vec::new();
        while self.peek().tok != Tok::Eof {
            if !graphs.is_empty()
                && !["strict", "graph", "digraph"].iter().any(|k| keyword(&self.peek().tok, k))
            {
                return Err(self.unexpected("another graph or the end of the file").with_help(
                    "remove what follows the graph's closing `}`, or check the braces balance",
                ));
            }
            graphs.push(self.graph()?);
        }
        Ok(graphs)
    }

    fn graph(&mut self) -> Result<Graph, Diagnostic> {
        let pos = self.peek().pos;
        let strict = keyword(&self.peek().tok, "strict");
        if strict {
            self.bump();
        }
        self.directed = if keyword(&self.peek().tok, "digraph") {
            true
        } else if keyword(&self.peek().tok, "graph") {
            false
        } else {
            return Err(self.unexpected("`digraph` or `graph`").with_help(
                "a DOT file starts with `digraph name {` or `graph name {`; is this file DOT?",
            ));
        };
        self.bump();
        let id = match &self.peek().tok {
            Tok::Id(id) => {
                let id = id.clone();
                self.bump();
                Some(id)
            }
            _ => None,
        };
        let open = self.expect(&Tok::LBrace, "`{`", "the graph's statements go inside `{ }`")?;
        let stmts = self.stmt_list(open.pos, 1)?;
        Ok(Graph { strict, directed: self.directed, id, pos, stmts })
    }

    /// Statements up to and including the `}` that closes the brace opened at `open`.
    fn stmt_list(&mut self, open: Pos, depth: usize) -> Result<Vec<Stmt>, Diagnostic> {
        if depth > self.max_depth {
            return Err(Diagnostic::at(
                open.line,
                open.column,
                format!("subgraphs nest deeper than {} levels", self.max_depth),
            )
            .with_help("flatten the nesting, or raise the limit with --max-depth"));
        }
        let mut stmts = Vec::new();
        loop {
            match &self.peek().tok {
                Tok::RBrace => {
                    self.bump();
                    return Ok(stmts);
                }
                Tok::Eof => {
                    return Err(Diagnostic::at(open.line, open.column, "this `{` is never closed")
                        .with_help("add the missing `}`"))
                }
                Tok::Semi => {
                    self.bump();
                }
                _ => self.stmt(depth, &mut stmts)?,
            }
        }
    }

    /// Parses one statement into `stmts`; a node list (`a, b, c [attrs]`) becomes one node
    /// statement per node, each with the attributes, as Graphviz applies them.
    fn stmt(&mut self, depth: usize, stmts: &mut Vec<Stmt>) -> Result<(), Diagnostic> {
        let stmt = match self.simple_or_compound(depth)? {
            Statement::One(stmt) => stmt,
            Statement::NodeList(nodes, attrs) => {
                for node in nodes {
                    stmts.push(Stmt { pos: node.pos, kind: StmtKind::Node(node, attrs.clone()) });
                }
                return Ok(());
            }
        };
        stmts.push(stmt);
        Ok(())
    }

    fn simple_or_compound(&mut self, depth: usize) -> Result<Statement, Diagnostic> {
        let token = self.peek().clone();
        let pos = token.pos;
        let targets =
            [("graph", AttrTarget::Graph), ("node", AttrTarget::Node), ("edge", AttrTarget::Edge)];
        if let Some(&(_, target)) = targets.iter().find(|(k, _)| keyword(&token.tok, k)) {
            self.bump();
            if self.peek().tok != Tok::LBracket {
                return Err(self
                    .unexpected("`[` after a `graph`, `node` or `edge` keyword")
                    .with_help("quote the id if you meant a node: \"node\""));
            }
            let attrs = self.attr_lists()?;
            return Ok(Statement::One(Stmt { pos, kind: StmtKind::Defaults(target, attrs) }));
        }
        let first = match &token.tok {
            Tok::LBrace => EdgeOperand::Subgraph(self.subgraph(depth)?),
            _ if keyword(&token.tok, "subgraph") => EdgeOperand::Subgraph(self.subgraph(depth)?),
            Tok::Id(id) => {
                if self.peek_at(1) == &Tok::Equals {
                    self.bump();
                    self.bump();
                    let value = self.id("a value after `=`")?;
                    let attr = Attr { key: id.clone(), value, pos };
                    return Ok(Statement::One(Stmt { pos, kind: StmtKind::Assign(attr) }));
                }
                self.node_list()?
            }
            _ => {
                return Err(self
                    .unexpected("a statement (a node, an edge, a subgraph or an attribute)")
                    .with_help("check for a stray character or a missing id"))
            }
        };
        if matches!(self.peek().tok, Tok::EdgeOp(_)) {
            let mut operands = vec![first];
            while let Tok::EdgeOp(directed) = self.peek().tok {
                let op = self.bump();
                if directed != self.directed {
                    let (used, want) = if directed { ("->", "--") } else { ("--", "->") };
                    return Err(Diagnostic::at(
                        op.pos.line,
                        op.pos.column,
                        format!(
                            "`{used}` in a {}",
                            if self.directed { "digraph" } else { "graph" }
                        ),
                    )
                    .with_help(format!("use `{want}` here, or change the graph type")));
                }
                let next = &self.peek().tok;
                let operand = if next == &Tok::LBrace || keyword(next, "subgraph") {
                    EdgeOperand::Subgraph(self.subgraph(depth)?)
                } else if matches!(next, Tok::Id(_)) {
                    self.node_list()?
                } else {
                    return Err(self
                        .unexpected("a node or a subgraph after the edge operator")
                        .with_help("every edge needs a target"));
                };
                operands.push(operand);
            }
            let attrs = self.attr_lists()?;
            return Ok(Statement::One(Stmt { pos, kind: StmtKind::Edge(operands, attrs) }));
        }
        match first {
            EdgeOperand::Subgraph(sub) => {
                Ok(Statement::One(Stmt { pos, kind: StmtKind::Subgraph(sub) }))
            }
            EdgeOperand::Node(node) => {
                let attrs = self.attr_lists()?;
                Ok(Statement::One(Stmt { pos, kind: StmtKind::Node(node, attrs) }))
            }
            EdgeOperand::Nodes(nodes) => Ok(Statement::NodeList(nodes, self.attr_lists()?)),
        }
    }

    fn id(&mut self, expected: &str) -> Result<Id, Diagnostic> {
        match &self.peek().tok {
            Tok::Id(id) => {
                let id = id.clone();
                self.bump();
                Ok(id)
            }
            _ => Err(self.unexpected(expected).with_help("ids are words, numbers or \"quoted\"")),
        }
    }

    /// One node, or a comma-separated list of them (`cb1, cb2:port, cb3`): Graphviz's grammar
    /// takes a node list wherever a node statement or an edge operand may stand.
    fn node_list(&mut self) -> Result<EdgeOperand, Diagnostic> {
        let first = self.node_id()?;
        let mut nodes = Vec::new();
        while self.peek().tok == Tok::Comma
            && matches!(self.peek_at(1), Tok::Id(_))
            && self.peek_at(2) != &Tok::Equals
        {
            self.bump();
            nodes.push(self.node_id()?);
        }
        if nodes.is_empty() {
            return Ok(EdgeOperand::Node(first));
        }
        nodes.insert(0, first);
        Ok(EdgeOperand::Nodes(nodes))
    }

    fn node_id(&mut self) -> Result<NodeId, Diagnostic> {
        let pos = self.peek().pos;
        let id = self.id("a node id")?;
        let mut port: Option<String> = None;
        for _ in 0..2 {
            if !self.eat(&Tok::Colon) {
                break;
            }
            let part = self.id("a port name after `:`")?;
            port = Some(match port {
                Some(p) => format!("{p}:{}", part.text),
                None => part.text,
            });
        }
        Ok(NodeId { id, port, pos })
    }

    fn subgraph(&mut self, depth: usize) -> Result<Subgraph, Diagnostic> {
        let pos = self.peek().pos;
        let mut id = None;
        if keyword(&self.peek().tok, "subgraph") {
            self.bump();
            if let Tok::Id(name) = &self.peek().tok {
                id = Some(name.clone());
                self.bump();
            }
            if self.peek().tok != Tok::LBrace {
                if id.is_some() {
                    // `subgraph name` alone refers to a subgraph declared elsewhere.
                    return Ok(Subgraph { id, pos, stmts: Vec::new() });
                }
                return Err(self
                    .unexpected("`{` or a name after `subgraph`")
                    .with_help("a subgraph is written `subgraph name { ... }` or `{ ... }`"));
            }
        }
        let open = self.expect(&Tok::LBrace, "`{`", "a subgraph's statements go inside `{ }`")?;
        let stmts = self.stmt_list(open.pos, depth + 1)?;
        Ok(Subgraph { id, pos, stmts })
    }

    /// Zero or more `[ ... ]` lists, concatenated.
    fn attr_lists(&mut self) -> Result<Vec<Attr>, Diagnostic> {
        let mut attrs = Vec::new();
        while self.peek().tok == Tok::LBracket {
            let open = self.bump();
            loop {
                match &self.peek().tok {
                    Tok::RBracket => {
                        self.bump();
                        break;
                    }
                    Tok::Comma | Tok::Semi => {
                        self.bump();
                    }
                    Tok::Id(key) => {
                        let key = key.clone();
                        let pos = self.bump().pos;
                        let value = if self.eat(&Tok::Equals) {
                            self.id("a value after `=`")?
                        } else {
                            // Graphviz reads a bare name as `name=true`.
                            Id { text: "true".into(), kind: IdKind::Plain }
                        };
                        attrs.push(Attr { key, value, pos });
                    }
                    Tok::Eof => {
                        return Err(Diagnostic::at(
                            open.pos.line,
                            open.pos.column,
                            "this `[` is never closed",
                        )
                        .with_help("add the missing `]`"))
                    }
                    _ => {
                        return Err(self
                            .unexpected("an attribute `name=value` or `]`")
                            .with_help("attributes are written [name=value, other=value]"))
                    }
                }
            }
        }
        Ok(attrs)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;
    use crate::import::dot::parse;
    use crate::import::Limits;

    fn graphs(src: &str) -> Vec<Graph> {
        parse(src, &Limits::default()).expect("test input is valid")
    }

    fn one(src: &str) -> Vec<Stmt> {
        graphs(src).remove(0).stmts
    }

    fn error(src: &str) -> Diagnostic {
        parse(src, &Limits::default()).unwrap_err()
    }

    fn at(d: &Diagnostic) -> (usize, usize) {
        match d.location {
            Some(Location::Text { line, column }) => (line, column),
            _ => (0, 0),
        }
    }

    #[test]
    fn header_forms_and_keywords_are_case_insensitive() {
        let g = graphs("STRICT DiGraph G { a }\ngraph { b -- c }");
        assert_eq!(g.len(), 2);
        assert!(g[0].strict && g[0].directed);
        assert_eq!(g[0].id.as_ref().expect("test input is valid").text, "G");
        assert!(!g[1].directed && g[1].id.is_none());
        let s = one("digraph { NODE [shape=box] Edge [color=red] GRAPH [rankdir=LR] }");
        assert!(matches!(s[0].kind, StmtKind::Defaults(AttrTarget::Node, _)));
        assert!(matches!(s[1].kind, StmtKind::Defaults(AttrTarget::Edge, _)));
        assert!(matches!(s[2].kind, StmtKind::Defaults(AttrTarget::Graph, _)));
    }

    #[test]
    fn attribute_lists() {
        let s = one("digraph { a [x=1; y=2, z=3 w=4][v=5] [ ] b [ ] }");
        let StmtKind::Node(_, attrs) = &s[0].kind else { panic!() };
        let keys: Vec<_> = attrs.iter().map(|a| a.key.text.as_str()).collect();
        assert_eq!(keys, ["x", "y", "z", "w", "v"]);
        assert!(matches!(&s[1].kind, StmtKind::Node(n, a) if n.id.text == "b" && a.is_empty()));
    }

    #[test]
    fn assignments_and_edge_chains() {
        let s = one("digraph { rankdir = LR; a -> b -> c [label=x] }");
        assert!(matches!(&s[0].kind, StmtKind::Assign(a) if a.key.text == "rankdir"));
        let StmtKind::Edge(ops, attrs) = &s[1].kind else { panic!() };
        assert_eq!(ops.len(), 3);
        assert_eq!(attrs[0].value.text, "x");
    }

    #[test]
    fn ports_and_compass_points() {
        let s = one("digraph { a:p1:ne -> b:sw; c:ne -> d }");
        let StmtKind::Edge(ops, _) = &s[0].kind else { panic!() };
        let EdgeOperand::Node(a) = &ops[0] else { panic!() };
        assert_eq!((a.id.text.as_str(), a.port.as_deref()), ("a", Some("p1:ne")));
        let StmtKind::Edge(ops, _) = &s[1].kind else { panic!() };
        let EdgeOperand::Node(c) = &ops[0] else { panic!() };
        assert_eq!((c.id.text.as_str(), c.port.as_deref()), ("c", Some("ne")));
        let EdgeOperand::Node(d) = &ops[1] else { panic!() };
        assert_eq!(d.id.text, "d");
    }

    #[test]
    fn subgraphs_as_edge_operands() {
        let s = one("digraph { a -> {b c}; subgraph s {x y} -> z; {p} }");
        let StmtKind::Edge(ops, _) = &s[0].kind else { panic!() };
        assert!(
            matches!(&ops[1], EdgeOperand::Subgraph(sub) if sub.id.is_none() && sub.stmts.len() == 2)
        );
        let StmtKind::Edge(ops, _) = &s[1].kind else { panic!() };
        assert!(
            matches!(&ops[0], EdgeOperand::Subgraph(sub) if sub.id.as_ref().expect("test input is valid").text == "s")
        );
        assert!(matches!(&s[2].kind, StmtKind::Subgraph(sub) if sub.id.is_none()));
    }

    #[test]
    fn comma_separated_node_lists() {
        let s = one(
            "digraph { ct -> cb1,cb2, cb3; Browser -> { rank=same; bank:site, lds_web:confirm } }",
        );
        let StmtKind::Edge(ops, _) = &s[0].kind else { panic!() };
        let EdgeOperand::Nodes(nodes) = &ops[1] else { panic!("{:?}", ops[1]) };
        let ids: Vec<_> = nodes.iter().map(|n| n.id.text.as_str()).collect();
        assert_eq!(ids, ["cb1", "cb2", "cb3"]);
        let StmtKind::Edge(ops, _) = &s[1].kind else { panic!() };
        let EdgeOperand::Subgraph(sub) = &ops[1] else { panic!() };
        assert_eq!(sub.stmts.len(), 3);
        assert!(
            matches!(&sub.stmts[2].kind, StmtKind::Node(n, _) if n.port.as_deref() == Some("confirm"))
        );
        let s = one("digraph { d, e [shape=box]; f }");
        assert_eq!(s.len(), 3);
        assert!(matches!(&s[1].kind, StmtKind::Node(n, a) if n.id.text == "e" && a.len() == 1));
        assert!(error("digraph { a -> b, }").message.contains("expected"));
    }

    #[test]
    fn quoted_keywords_are_ids_and_html_labels_parse() {
        let s = one("digraph { \"node\" [label=<<b>x</b>>] \"a\" -> a }");
        assert!(
            matches!(&s[0].kind, StmtKind::Node(n, a) if n.id.text == "node" && a[0].value.is_html())
        );
    }

    #[test]
    fn positions_on_statements_and_endpoints() {
        let s = one("digraph {\n  a\n    -> b\n}");
        assert_eq!(s[0].pos, Pos { line: 2, column: 3 });
        let StmtKind::Edge(ops, _) = &s[0].kind else { panic!() };
        let EdgeOperand::Node(b) = &ops[1] else { panic!() };
        assert_eq!(b.pos, Pos { line: 3, column: 8 });
    }

    #[test]
    fn errors_are_positioned() {
        assert_eq!(at(&error("digraph {\n a -> }")), (2, 7));
        assert_eq!(at(&error("digraph {\n  a [x=1\n")), (2, 5));
        assert_eq!(at(&error("digraph {\n  a\n")), (1, 9));
        let trailing = error("digraph { a }\n}");
        assert_eq!(at(&trailing), (2, 1));
        assert!(trailing.message.contains("another graph"), "{trailing}");
        assert!(error("graph { a -> b }").message.contains("`->` in a graph"));
        assert!(error("digraph { node }").message.contains("`[`"));
    }

    #[test]
    fn not_dot_is_explained() {
        assert!(error("").message.contains("empty"));
        assert!(error("  \n// only a comment\n").message.contains("no graph"));
        assert!(error("{\"a\": 1}").message.contains("JSON"));
        assert!(error("<?xml version=\"1.0\"?><mxfile/>").message.contains("XML"));
        assert!(error("hello world").message.contains("`digraph` or `graph`"));
    }

    #[test]
    fn deep_nesting_fails_fast() {
        let deep = format!("digraph {{ {} }}", "{".repeat(50_000));
        let e = error(&deep);
        assert!(e.message.contains("nest deeper"), "{e}");
        let ok = format!("digraph {{ {}a{} }}", "{".repeat(255), "}".repeat(255));
        assert_eq!(graphs(&ok).len(), 1);
    }

    #[test]
    fn caret_rendering() {
        let src = "digraph {\n  a [label=\"open\n}\n";
        let e = error(src);
        let out = e.render("error", "x.dot", Some(src));
        assert!(out.contains("x.dot:2:12: unterminated string"), "{out}");
        assert!(out.contains("2 |   a [label=\"open\n  |            ^"), "{out}");
    }
}
