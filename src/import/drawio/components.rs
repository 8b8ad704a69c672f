//! Which cells a page joins together: union-find over cell positions, for the page-wide
//! conventions that should hold per drawing rather than per page (several views drawn on one
//! page follow their own conventions).

use std::collections::HashMap;

use super::cells::Cell;

/// Cells joined by connectors: each edge joins its source and target.
pub fn joined_by_edges(cells: &[Cell], index: &HashMap<&str, usize>) -> DisjointSets {
    let mut sets = DisjointSets::new(cells.len());
    for cell in cells.iter().filter(|c| c.edge) {
        let end = |id: &Option<String>| id.as_deref().and_then(|id| index.get(id).copied());
        if let (Some(a), Some(b)) = (end(&cell.source), end(&cell.target)) {
            sets.join(a, b);
        }
    }
    sets
}

/// Union-find over cell positions, with path halving.
pub struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    pub fn new(n: usize) -> Self {
        DisjointSets { parent: (0..n).collect() }
    }

    pub fn root(&mut self, mut i: usize) -> usize {
        while let Some(&p) = self.parent.get(i) {
            if p == i {
                break;
            }
            let grand = self.parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(i) {
                *slot = grand;
            }
            i = grand;
        }
        i
    }

    pub fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            if let Some(slot) = self.parent.get_mut(ra) {
                *slot = rb;
            }
        }
    }
}
