//! Flow names drawn as loose text in the middle of an arrow: `store → "MaKH, HoTen" → process`.
//!
//! DFDs name the data a flow carries. Some authors write that name as a free text cell and draw
//! one arrow into it and another out of it, so the text sits on the flow like a label. Read
//! cell by cell, the text is no element (a flow name is not a thing data rests in) and each
//! arrow ends on text, so the store would lose every flow and look unreachable. The text is the
//! flow's name and the two arrows are one flow, from the first arrow's source to the second's
//! target. A text where several arrows meet stays text: which source feeds which target is not
//! drawn, and guessing would invent flows.

use std::collections::{HashMap, HashSet};

use super::cells::Cell;

/// One text relaying an arrow into another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relay {
    /// The text cell: the flow's name.
    pub text: usize,
    /// The arrow leaving the text; its target is the flow's target.
    pub onward: usize,
}

/// The relays of one page, by the arrow entering each text.
#[derive(Debug, Default)]
pub struct Relays {
    by_first: HashMap<usize, Relay>,
    onward: HashSet<usize>,
}

impl Relays {
    /// Finds the texts that exactly one arrow enters and exactly one other arrow leaves, coming
    /// from and going to cells that are not texts themselves (a chain of texts is not a name).
    pub fn find(
        cells: &[Cell],
        index: &HashMap<&str, usize>,
        is_text: impl Fn(usize) -> bool,
        is_edge: impl Fn(usize) -> bool,
    ) -> Relays {
        let end = |id: Option<&str>| id.and_then(|id| index.get(id).copied());
        let mut entering: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut leaving: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, cell) in cells.iter().enumerate().filter(|&(i, _)| is_edge(i)) {
            if let Some(t) = end(cell.target.as_deref()).filter(|&t| is_text(t)) {
                entering.entry(t).or_default().push(i);
            }
            if let Some(s) = end(cell.source.as_deref()).filter(|&s| is_text(s)) {
                leaving.entry(s).or_default().push(i);
            }
        }
        let mut relays = Relays::default();
        let mut texts: Vec<_> = entering.into_iter().collect();
        texts.sort_unstable();
        for (text, into) in texts {
            let ([first], Some([onward])) =
                (into.as_slice(), leaving.get(&text).map(Vec::as_slice))
            else {
                continue;
            };
            let from = end(cells[*first].source.as_deref());
            let to = end(cells[*onward].target.as_deref());
            let (Some(from), Some(to)) = (from, to) else { continue };
            if first == onward || is_text(from) || is_text(to) {
                continue;
            }
            relays.by_first.insert(*first, Relay { text, onward: *onward });
            relays.onward.insert(*onward);
        }
        relays
    }

    /// The relay the arrow `edge` enters, if it is the first half of a named flow.
    pub fn entered_by(&self, edge: usize) -> Option<Relay> {
        self.by_first.get(&edge).copied()
    }

    /// Whether `edge` is the second half of a named flow, read with its first half.
    pub fn is_onward(&self, edge: usize) -> bool {
        self.onward.contains(&edge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(id: &str, edge: Option<(&str, &str)>) -> Cell {
        Cell {
            id: id.into(),
            parent: Some("1".into()),
            value: String::new(),
            style: String::new(),
            vertex: edge.is_none(),
            edge: edge.is_some(),
            source: edge.map(|(s, _)| s.into()),
            target: edge.map(|(_, t)| t.into()),
            geometry: None,
            attributes: Default::default(),
            placeholders: false,
            line: None,
        }
    }

    fn relays(cells: &[Cell], texts: &[&str]) -> Relays {
        let index: HashMap<&str, usize> =
            cells.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        Relays::find(cells, &index, |i| texts.contains(&cells[i].id.as_str()), |i| cells[i].edge)
    }

    #[test]
    fn a_text_between_two_arrows_names_one_flow() {
        let cells = [
            cell("store", None),
            cell("name", None),
            cell("process", None),
            cell("in", Some(("store", "name"))),
            cell("out", Some(("name", "process"))),
        ];
        let r = relays(&cells, &["name"]);
        assert_eq!(r.entered_by(3), Some(Relay { text: 1, onward: 4 }));
        assert!(r.is_onward(4));
        assert_eq!(r.entered_by(4), None);
    }

    #[test]
    fn a_junction_of_several_arrows_stays_text() {
        let cells = [
            cell("a", None),
            cell("b", None),
            cell("hub", None),
            cell("c", None),
            cell("a-hub", Some(("a", "hub"))),
            cell("b-hub", Some(("b", "hub"))),
            cell("hub-c", Some(("hub", "c"))),
        ];
        let r = relays(&cells, &["hub"]);
        assert_eq!(r.entered_by(4), None);
        assert_eq!(r.entered_by(5), None);
        assert!(!r.is_onward(6));
    }

    #[test]
    fn a_chain_of_texts_is_no_name() {
        let cells = [
            cell("a", None),
            cell("t1", None),
            cell("t2", None),
            cell("b", None),
            cell("a-t1", Some(("a", "t1"))),
            cell("t1-t2", Some(("t1", "t2"))),
            cell("t2-b", Some(("t2", "b"))),
        ];
        let r = relays(&cells, &["t1", "t2"]);
        assert_eq!((r.entered_by(4), r.entered_by(5)), (None, None));
    }
}
