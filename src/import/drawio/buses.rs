//! Network buses: a backbone drawn as a bar (`mxgraph.networks.bus`) that the lines of several
//! devices end on. No data stops at the bar: it is the shared segment the devices talk over, so
//! each device on it is linked with each other one, and the bar itself is no element.

use std::collections::{BTreeMap, HashMap};

use super::cells::Cell;
use super::style::Style;

/// Shapes that draw a shared network segment.
const BUS_SHAPES: &[&str] = &["mxgraph.networks.bus"];

/// Most devices one bus is read for: their pairwise links grow with the square of their number,
/// so a larger bus stays an element (a hub the devices send through) and the output stays bounded.
pub const MAX_BUS_MEMBERS: usize = 12;

/// The buses read as shared segments, by cell: those with two to [`MAX_BUS_MEMBERS`] other
/// cells attached to them by edges. Each maps to those cells, in the order the edges come.
pub fn shared_buses(
    cells: &[Cell],
    styles: &[Style],
    index: &HashMap<&str, usize>,
) -> BTreeMap<usize, Vec<usize>> {
    let is_bus = |i: usize| {
        styles[i].shape().is_some_and(|s| BUS_SHAPES.iter().any(|b| s.eq_ignore_ascii_case(b)))
    };
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for cell in cells.iter().filter(|c| c.edge) {
        let ends = [cell.source.as_deref(), cell.target.as_deref()]
            .map(|e| e.and_then(|id| index.get(id).copied()));
        if let [Some(a), Some(b)] = ends {
            for (bus, other) in [(a, b), (b, a)] {
                if is_bus(bus) && !is_bus(other) {
                    let list = members.entry(bus).or_default();
                    if !list.contains(&other) && list.len() <= MAX_BUS_MEMBERS {
                        list.push(other);
                    }
                }
            }
        }
    }
    members.retain(|_, m| (2..=MAX_BUS_MEMBERS).contains(&m.len()));
    members
}

/// The pairs of members a bus links, each once, in the members' order (a member listed twice,
/// an icon and its caption on one bus, counts once).
pub fn member_pairs<T: Copy + PartialEq>(members: &[T]) -> Vec<(T, T)> {
    let mut distinct: Vec<T> = Vec::with_capacity(members.len());
    for &m in members {
        if !distinct.contains(&m) {
            distinct.push(m);
        }
    }
    let mut pairs = Vec::new();
    for (k, &a) in distinct.iter().enumerate() {
        pairs.extend(distinct[k + 1..].iter().map(|&b| (a, b)));
    }
    pairs
}
