//! The proper layered graph the ordering and placement work on: every element in its rank, every
//! flow a chain of nodes through the ranks it spans (a dummy in each, its label a node of its own
//! on the middle one), so that long flows take part in crossing reduction and get a slot of their
//! own in each rank, and no two flows share a line.
//!
//! A dummy belongs to the innermost boundary that holds both ends of its flow, so it is placed
//! outside every boundary the flow does not belong to: flows go around boundaries, not through.
//! A boundary with no node in a rank it spans gets an empty filler there, so that it stays one
//! rectangle that nothing else can cut through.

use petgraph::visit::EdgeRef;

use crate::model::{Diagram, RankDir};

use super::adjacency::Adjacency;
use super::chains::Chains;
use super::direction::Turn;
use super::flows::return_flows;
use super::labels::label_box;
use super::nesting::{area_boundary, area_parent, has_area};
use super::ranks::{break_cycles_by_box, ranks};

/// Half the gap a box wants to its neighbours in a rank.
const BOX_HALF_GAP: f64 = 16.0;
/// Half the gap a flow's slot wants to its neighbours.
const LANE_HALF_GAP: f64 = 6.0;
/// Room between a flow's line and its label.
pub(crate) const LABEL_SIDE_GAP: f64 = 4.0;
/// Dummies (and, separately, fillers) every diagram may use, however few its elements: enough
/// for a few hundred elements with long flows; only the largest graphs fall back to straight
/// lines.
const MIN_NODE_BUDGET: usize = 40_000;
/// Dummies (and fillers) per element and flow above that floor: the ordering and placement do a
/// few passes over every node, so this keeps a huge diagram's layout linear in its size.
const NODES_PER_ITEM: usize = 2;

/// How many dummies, and how many fillers, a diagram of `elements` and `flows` may use.
fn node_budget(elements: usize, flows: usize) -> usize {
    (NODES_PER_ITEM * (elements + flows)).max(MIN_NODE_BUDGET)
}
/// Size (page width, height) of a boundary with nothing in it.
const EMPTY_BOUNDARY: (f64, f64) = (100.0, 30.0);

/// What a node of the layered graph stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Element,
    /// A flow passing through a rank.
    Dummy,
    /// A flow passing through its middle rank, with its label beside it.
    Label,
    /// Holds an otherwise empty rank of a boundary.
    Filler,
}

/// One flow's way through the ranks.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    /// From the upper end to the lower: the flow's source unless `reversed`.
    pub nodes: Vec<usize>,
    /// Drawn against the ranks (it closes a cycle).
    pub reversed: bool,
    /// The node that carries its label, if any.
    pub label: Option<usize>,
}

pub(crate) struct Proper {
    pub rank: Vec<usize>,
    /// Extent (along a rank, across ranks) of each node.
    pub size: Vec<(f64, f64)>,
    pub half_gap: Vec<f64>,
    /// The boundaries holding each node, outermost first.
    pub chains: Chains,
    pub kind: Vec<Kind>,
    /// Each node's neighbours in the rank above (towards rank 0), and in the rank below.
    pub up: Adjacency,
    pub down: Adjacency,
    pub layers: Vec<Vec<usize>>,
    /// Each flow's chain, indexed by flow; `None` for self-loops.
    pub flows: Vec<Option<Chain>>,
    /// The boundaries holding each boundary (itself last), for those with an area.
    pub boundary_chains: Vec<Vec<usize>>,
    /// For each flow drawn back along another's line, that flow (see [`return_flows`]); such a
    /// flow has no chain of its own.
    pub line_of: Vec<Option<usize>>,
}

/// Builds the layered graph for `diagram`, whose elements have the page sizes `sizes`.
pub(crate) fn build(diagram: &Diagram, sizes: &[(f64, f64)], dir: RankDir) -> Proper {
    let n = diagram.element_count();
    let boundary_chains = boundary_chains(diagram);
    let mut g = Proper {
        rank: Vec::new(),
        size: Vec::new(),
        half_gap: Vec::new(),
        chains: Chains::default(),
        kind: Vec::new(),
        up: Adjacency::default(),
        down: Adjacency::default(),
        layers: Vec::new(),
        flows: vec![None; diagram.flow_count()],
        boundary_chains,
        line_of: return_flows(diagram),
    };
    let mut flows: Vec<(usize, usize, usize)> = Vec::new();
    for edge in diagram.graph.edge_references() {
        let (s, t) = (edge.source().index(), edge.target().index());
        if s != t && g.line_of[edge.id().index()].is_none() {
            flows.push((s, t, edge.id().index()));
        }
    }
    // Ranked by the line as the author drew it (see `Drawn`).
    let against: Vec<bool> = diagram.graph.edge_weights().map(|f| f.drawn.against_flow()).collect();
    let drawn_back = |e: usize| against.get(e) == Some(&true);
    let pairs: Vec<(usize, usize)> =
        flows.iter().map(|&(s, t, e)| if drawn_back(e) { (t, s) } else { (s, t) }).collect();
    let node_chains: Vec<Vec<usize>> = diagram
        .graph
        .node_weights()
        .map(|e| {
            area_boundary(diagram, e.boundary)
                .and_then(|b| g.boundary_chains.get(b).cloned())
                .unwrap_or_default()
        })
        .collect();
    let reversed = break_cycles_by_box(&pairs, &node_chains);
    let dag: Vec<(usize, usize)> =
        pairs.iter().zip(&reversed).map(|(&(s, t), &r)| if r { (t, s) } else { (s, t) }).collect();
    let holders: Vec<Option<usize>> =
        diagram.graph.node_weights().map(|e| area_boundary(diagram, e.boundary)).collect();
    let mut rank = ranks(n, &dag, &holders);
    // Labels get a rank of their own between the elements' ranks, as in Graphviz.
    let labelled = diagram.graph.edge_references().any(|e| !e.weight().label.trim().is_empty());
    if labelled {
        rank.iter_mut().for_each(|r| *r *= 2);
    }
    for (i, chain) in node_chains.iter().enumerate() {
        let size = Turn::internal_size(dir, sizes.get(i).copied().unwrap_or((0.0, 0.0)));
        let chain = g.chains.id_of(chain);
        g.push(rank[i], size, BOX_HALF_GAP, chain, Kind::Element);
    }

    // Long flows, shortest first, get dummies within a budget that keeps huge graphs linear;
    // below the floor every flow gets its chain (a flow without one is drawn straight, across
    // whatever lies between its ends).
    let budget = node_budget(n, flows.len());
    let mut by_span: Vec<usize> = (0..flows.len()).collect();
    by_span.sort_by_key(|&f| (rank[dag[f].1].saturating_sub(rank[dag[f].0]), f));
    let mut chained = vec![false; flows.len()];
    let mut used = 0;
    for &f in &by_span {
        let extra = rank[dag[f].1].saturating_sub(rank[dag[f].0] + 1);
        if used + extra <= budget {
            used += extra;
            chained[f] = true;
        }
    }
    let mut scratch = Vec::new();
    // Each link (upper node, lower node) between neighbouring ranks, in the order they are met.
    let mut links: Vec<(usize, usize)> = Vec::new();
    for (f, &(_, _, e)) in flows.iter().enumerate() {
        let (a, b) = dag[f];
        let mut nodes = vec![a];
        let mut label = None;
        if chained[f] {
            let common = common_chain(&mut g.chains, a, b, &mut scratch);
            let middle = rank[a] + (rank[b] - rank[a]) / 2;
            for r in rank[a] + 1..rank[b] {
                let node = if labelled && r == middle {
                    let text = diagram
                        .graph
                        .edge_weight(petgraph::graph::EdgeIndex::new(e))
                        .map_or("", |w| w.label.as_str());
                    let (bu, bv) = Turn::internal_size(dir, label_box(text));
                    let id =
                        g.push(r, (LABEL_SIDE_GAP + bu, bv), LANE_HALF_GAP, common, Kind::Label);
                    label = Some(id);
                    id
                } else {
                    g.push(r, (0.0, 0.0), LANE_HALF_GAP, common, Kind::Dummy)
                };
                nodes.push(node);
            }
        }
        nodes.push(b);
        for w in nodes.windows(2) {
            if g.rank[w[1]] == g.rank[w[0]] + 1 {
                links.push((w[0], w[1]));
            }
        }
        // The chain runs against the flow when exactly one of the two turns applies.
        g.flows[e] = Some(Chain { nodes, reversed: reversed[f] != drawn_back(e), label });
    }
    g.fill_boundaries(diagram, dir, node_budget(n, flows.len()));
    let nodes = g.rank.len();
    g.down = Adjacency::from_links(nodes, links.iter().copied());
    g.up = Adjacency::from_links(nodes, links.iter().map(|&(upper, lower)| (lower, upper)));
    let rank_count = g.rank.iter().copied().max().map_or(0, |r| r + 1);
    g.layers = vec![Vec::new(); rank_count];
    for v in 0..g.rank.len() {
        g.layers[g.rank[v]].push(v);
    }
    g
}

/// The id of the boundaries holding both node `a` and node `b` (their lists' common start).
fn common_chain(chains: &mut Chains, a: usize, b: usize, scratch: &mut Vec<usize>) -> usize {
    if chains.id(a) == chains.id(b) {
        return chains.id(a);
    }
    scratch.clear();
    scratch.extend(chains[a].iter().zip(&chains[b]).take_while(|(x, y)| x == y).map(|(x, _)| *x));
    chains.id_of(scratch)
}

impl Proper {
    /// Adds a node in `rank` held by the boundaries of list `chain` (an id of `self.chains`).
    fn push(
        &mut self,
        rank: usize,
        size: (f64, f64),
        half_gap: f64,
        chain: usize,
        kind: Kind,
    ) -> usize {
        self.rank.push(rank);
        self.size.push(size);
        self.half_gap.push(half_gap);
        self.chains.push_id(chain);
        self.kind.push(kind);
        self.rank.len() - 1
    }

    /// Fillers: a box for each boundary with nothing in it, and an empty slot in each rank a
    /// boundary spans but has nothing in, at most `budget` of the latter: on a huge, deep graph
    /// the outer boundaries would need one in every rank, and past the budget a boundary may
    /// have outsiders drawn inside its rectangle in the ranks it was given no slot in.
    fn fill_boundaries(&mut self, diagram: &Diagram, dir: RankDir, budget: usize) {
        let count = diagram.boundaries.len();
        // The ranks each boundary has a node in; unsorted until the boundary's turn comes.
        let mut present: Vec<Vec<usize>> = vec![Vec::new(); count];
        for v in 0..self.rank.len() {
            for &c in &self.chains[v] {
                present[c].push(self.rank[v]);
            }
        }
        // Innermost first (children have higher ids than their parents), so an empty parent of
        // an empty child is not given a second box.
        for b in (0..count).rev() {
            if !has_area(diagram, b) || !present[b].is_empty() {
                continue;
            }
            let rank =
                area_parent(diagram, b).and_then(|p| present[p].iter().copied().min()).unwrap_or(0);
            for &c in &self.boundary_chains[b] {
                present[c].push(rank);
            }
            let chain = self.chains.id_of(&self.boundary_chains[b]);
            let size = Turn::internal_size(dir, EMPTY_BOUNDARY);
            self.push(rank, size, BOX_HALF_GAP, chain, Kind::Filler);
        }
        let mut left = budget;
        for b in (0..count).rev() {
            let mut ranks = std::mem::take(&mut present[b]);
            ranks.sort_unstable();
            ranks.dedup();
            let (Some(&first), Some(&last)) = (ranks.first(), ranks.last()) else { continue };
            let missing = (last - first + 1) - ranks.len();
            if missing > left {
                continue;
            }
            left -= missing;
            let chain = self.chains.id_of(&self.boundary_chains[b]);
            for r in first..=last {
                if ranks.binary_search(&r).is_ok() {
                    continue;
                }
                // The boundaries holding this one have a node in this rank now too.
                for &c in self.boundary_chains[b].iter().filter(|&&c| c != b) {
                    present[c].push(r);
                }
                self.push(r, (0.0, 0.0), LANE_HALF_GAP, chain, Kind::Filler);
            }
        }
    }
}

/// For each boundary with an area, the boundaries holding it, outermost first, itself last.
fn boundary_chains(diagram: &Diagram) -> Vec<Vec<usize>> {
    let mut chains: Vec<Vec<usize>> = vec![Vec::new(); diagram.boundaries.len()];
    for b in 0..diagram.boundaries.len() {
        if !has_area(diagram, b) {
            continue;
        }
        let mut chain = area_parent(diagram, b).map(|p| chains[p].clone()).unwrap_or_default();
        chain.push(b);
        chains[b] = chain;
    }
    chains
}
