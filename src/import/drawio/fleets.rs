//! A fleet drawn as a packed grid of icons: eight device icons of one colour and size with one
//! caption, one of them carrying the flow that stands for all. A threat modeler lists the fleet
//! once; the copies no flow touches are the same element drawn again, not elements of their own.

use super::components::DisjointSets;
use crate::model::Rect;

/// One candidate icon: its cell position, its fill colour, its box, and whether it is labelled
/// or touched by a flow.
pub struct FleetIcon {
    pub cell: usize,
    pub fill: Option<String>,
    pub bounds: Rect,
    pub labelled: bool,
    pub connected: bool,
}

/// The cells of unlabelled icons with no flow packed in a grid of three or more with an icon a
/// flow touches: one fill colour and size, each within half an icon's size of the next.
pub fn fleet_copies(icons: &[FleetIcon]) -> Vec<usize> {
    let mut sets = DisjointSets::new(icons.len());
    // A sweep from left to right: only icons starting within reach of one another are compared.
    let mut order: Vec<usize> = (0..icons.len()).collect();
    order.sort_by(|&a, &b| icons[a].bounds.x.total_cmp(&icons[b].bounds.x));
    let reach = icons.iter().map(|i| i.bounds.width.max(i.bounds.height)).fold(0.0, f64::max) * 1.5;
    for (k, &a) in order.iter().enumerate() {
        let first = &icons[a];
        for &b in order.iter().skip(k + 1) {
            let second = &icons[b];
            if second.bounds.x > first.bounds.x + reach {
                break;
            }
            if first.fill.is_some()
                && first.fill == second.fill
                && packed(first.bounds, second.bounds)
            {
                sets.join(a, b);
            }
        }
    }
    let mut carried = vec![false; icons.len()];
    let mut sizes = vec![0usize; icons.len()];
    for (k, icon) in icons.iter().enumerate() {
        let root = sets.root(k);
        sizes[root] += 1;
        carried[root] |= icon.connected;
    }
    icons
        .iter()
        .enumerate()
        .filter(|(k, icon)| {
            let root = sets.root(*k);
            !icon.connected && !icon.labelled && carried[root] && sizes[root] >= 3
        })
        .map(|(_, icon)| icon.cell)
        .collect()
}

/// Two boxes of about one size whose gap is at most half of it, horizontally or vertically.
fn packed(a: Rect, b: Rect) -> bool {
    let side = a.width.max(a.height).max(b.width).max(b.height);
    let same_size =
        (a.width - b.width).abs() <= side * 0.25 && (a.height - b.height).abs() <= side * 0.25;
    let gap_x = (b.x - (a.x + a.width)).max(a.x - (b.x + b.width)).max(0.0);
    let gap_y = (b.y - (a.y + a.height)).max(a.y - (b.y + b.height)).max(0.0);
    same_size && gap_x <= side * 0.5 && gap_y <= side * 0.5
}
