//! The boundaries holding each node of the layered graph, outermost first, with each distinct
//! list held once.
//!
//! A flow's dummies all sit in the innermost boundary holding both its ends, so a graph of
//! hundreds of thousands of nodes has only as many distinct lists as it has boundaries. Holding a
//! `Vec` per node made building the graph and dropping it a fifth of a big layout's time.

use std::collections::HashMap;
use std::ops::Index;

/// Each node's list of boundaries, indexed like the nodes: `chains[v]` is node `v`'s list.
#[derive(Debug, Clone, Default)]
pub(crate) struct Chains {
    /// The distinct lists, in the order they were first met.
    lists: Vec<Vec<usize>>,
    /// Where each list is in `lists`.
    ids: HashMap<Vec<usize>, usize>,
    /// Each node's list, as its place in `lists`.
    of_node: Vec<usize>,
}

impl Chains {
    /// One list per node, as given (tests build small graphs this way).
    #[cfg(test)]
    pub fn from_lists(lists: &[Vec<usize>]) -> Self {
        let mut chains = Chains::default();
        lists.iter().for_each(|list| chains.push(list));
        chains
    }

    /// The id of `list`, added if it is new.
    pub fn id_of(&mut self, list: &[usize]) -> usize {
        if let Some(&id) = self.ids.get(list) {
            return id;
        }
        self.lists.push(list.to_vec());
        self.ids.insert(list.to_vec(), self.lists.len() - 1);
        self.lists.len() - 1
    }

    /// Adds a node whose list is `list`.
    #[cfg(test)]
    pub fn push(&mut self, list: &[usize]) {
        let id = self.id_of(list);
        self.push_id(id);
    }

    /// Adds a node whose list has id `id` (from [`Chains::id_of`] or [`Chains::id`]).
    pub fn push_id(&mut self, id: usize) {
        self.of_node.push(id);
    }

    /// The id of node `v`'s list: two nodes are in the same boundaries exactly when their ids
    /// are equal.
    pub fn id(&self, v: usize) -> usize {
        self.of_node[v]
    }

    /// How many nodes.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.of_node.len()
    }

    /// Every distinct list, each once.
    pub fn distinct(&self) -> &[Vec<usize>] {
        &self.lists
    }
}

impl Index<usize> for Chains {
    type Output = [usize];

    fn index(&self, v: usize) -> &[usize] {
        &self.lists[self.of_node[v]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_lists_share_an_id_and_read_back_per_node() {
        let chains = Chains::from_lists(&[vec![0, 2], vec![], vec![0, 2], vec![0]]);
        assert_eq!(chains.len(), 4);
        assert_eq!(chains.distinct().len(), 3);
        assert_eq!(chains.id(0), chains.id(2));
        assert_ne!(chains.id(0), chains.id(3));
        assert_eq!(&chains[2], &[0, 2]);
        assert!(chains[1].is_empty());
    }
}
