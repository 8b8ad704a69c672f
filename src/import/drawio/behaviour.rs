//! Behaviour diagrams drawn on a DFD page: BPMN process models and UML sequence diagrams.
//!
//! Authors often keep a process model or a sequence diagram on the same page as the data flow
//! diagram. Their notation shapes (BPMN events and gateways, lifelines) are furniture already
//! (see [`super::kinds`]), but the plain boxes they connect are not: a BPMN task drawn as a
//! rounded box, a lifeline's activation bar, the lanes of a pool would each become a process or
//! a boundary. A threat modeler leaves the whole behaviour diagram out of the model, so this
//! module finds it: every cell joined to a notation shape by a connector, by nesting (a lifeline's
//! activation bars) or by sharing a lane or pool with one.

use std::collections::HashMap;

use super::cells::Cell;
use super::components::{joined_by_edges, DisjointSets};
use super::kinds::{is_behaviour_shape, Look};
use super::style::Style;

/// Which cells belong to a behaviour diagram, by cell position: its shapes, and the connectors
/// between them (sequence flows and messages are no data flows).
pub fn behaviour_cells(
    cells: &[Cell],
    index: &HashMap<&str, usize>,
    styles: &[Style],
    looks: &[Option<Look>],
) -> Vec<bool> {
    let n = cells.len();
    let seeds: Vec<bool> = (0..n).map(|i| cells[i].vertex && is_notation(&styles[i])).collect();
    if !seeds.contains(&true) {
        return vec![false; n];
    }
    let mut sets = joined_by_edges(cells, index);
    let parent_of = |i: usize| cells[i].parent.as_deref().and_then(|p| index.get(p).copied());
    for i in (0..n).filter(|&i| !cells[i].edge) {
        // A cell inside a lifeline (an activation bar) or inside a lane or pool shares its
        // diagram with what else is drawn there.
        if let Some(p) = parent_of(i) {
            let holds = seeds[p] || matches!(looks[p], Some(Look::Container));
            if holds && cells[p].vertex {
                sets.join(i, p);
            }
        }
    }
    let tainted: Vec<bool> = {
        let mut roots = vec![false; n];
        for i in (0..n).filter(|&i| seeds[i]) {
            let r = sets.root(i);
            roots[r] = true;
        }
        roots
    };
    let in_behaviour = |sets: &mut DisjointSets, id: &Option<String>| {
        id.as_deref().and_then(|id| index.get(id).copied()).is_some_and(|c| tainted[sets.root(c)])
    };
    (0..n)
        .map(|i| {
            let cell = &cells[i];
            if cell.edge {
                in_behaviour(&mut sets, &cell.source) || in_behaviour(&mut sets, &cell.target)
            } else {
                cell.vertex && tainted[sets.root(i)]
            }
        })
        .collect()
}

/// A shape of a behaviour notation: BPMN, SysML and UML sequence shapes, and a sequence
/// diagram's activation bar (drawn as a plain box that only a lifeline's perimeter tells apart).
fn is_notation(style: &Style) -> bool {
    style.shape().is_some_and(is_behaviour_shape)
        || style.get("perimeter") == Some("orthogonalPerimeter")
        || style.get("targetShapes").is_some_and(|t| t.eq_ignore_ascii_case("umlLifeline"))
}
