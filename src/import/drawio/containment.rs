//! A static index of boxes for the two containment questions the draw.io importer asks many
//! times per page: the smallest box around a box or point, and the smallest box inside one.
//!
//! Asked by scanning every box, the questions cost `boxes × queries`: minutes on a page of tens of
//! thousands of rectangles. The index is a bounding-volume tree built by median splits (a k-d
//! tree over the boxes' corners); each node keeps the range of every corner coordinate and the
//! smallest key below it, so a query skips subtrees that cannot hold an answer or cannot beat the
//! best found so far, and takes a whole subtree at once when every box in it qualifies.
//!
//! Answers are exactly those of the scan: containment uses the same IEEE comparisons as
//! [`Rect::contains_rect`] and [`Rect::contains_point`] (so NaN never contains and is never
//! contained, and infinities compare as they do there), and the winner is the smallest by
//! `(area.total_cmp, id)`. Only the tree's shape depends on how the splits fall.

use std::cmp::Ordering;

use crate::model::{Point, Rect};

/// A box as the containment tests see it: its corners computed as `Rect` computes them.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Span {
    pub fn of_rect(r: &Rect) -> Span {
        Span { x0: r.x, y0: r.y, x1: r.x + r.width, y1: r.y + r.height }
    }

    /// A point as a box of no size: `contains_rect` of it is `contains_point`.
    pub fn of_point(p: Point) -> Span {
        Span { x0: p.x, y0: p.y, x1: p.x, y1: p.y }
    }

    /// Whether `inner` lies within `self`, borders included (as [`Rect::contains_rect`]).
    fn holds(&self, inner: &Span) -> bool {
        inner.x0 >= self.x0 && inner.y0 >= self.y0 && inner.x1 <= self.x1 && inner.y1 <= self.y1
    }

    /// A corner that is NaN makes every comparison false: such a box holds nothing and is held
    /// by nothing, so the index leaves it out.
    fn comparable(&self) -> bool {
        !(self.x0.is_nan() || self.y0.is_nan() || self.x1.is_nan() || self.y1.is_nan())
    }
}

/// What queries rank by: area (NaN areas included, ordered as `total_cmp` orders them), then id.
#[derive(Debug, Clone, Copy)]
struct Key {
    area: f64,
    id: usize,
}

impl Key {
    fn cmp(&self, other: &Key) -> Ordering {
        self.area.total_cmp(&other.area).then(self.id.cmp(&other.id))
    }

    fn better(candidate: Key, best: Option<Key>) -> bool {
        best.is_none_or(|b| candidate.cmp(&b) == Ordering::Less)
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    span: Span,
    key: Key,
}

/// The range each corner coordinate takes over the boxes of a subtree.
#[derive(Debug, Clone, Copy)]
struct Extent {
    low: Span,
    high: Span,
}

impl Extent {
    fn of(entries: &[Entry]) -> Extent {
        let inf = f64::INFINITY;
        let mut low = Span { x0: inf, y0: inf, x1: inf, y1: inf };
        let mut high = Span { x0: -inf, y0: -inf, x1: -inf, y1: -inf };
        for e in entries {
            let s = e.span;
            (low.x0, high.x0) = (low.x0.min(s.x0), high.x0.max(s.x0));
            (low.y0, high.y0) = (low.y0.min(s.y0), high.y0.max(s.y0));
            (low.x1, high.x1) = (low.x1.min(s.x1), high.x1.max(s.x1));
            (low.y1, high.y1) = (low.y1.min(s.y1), high.y1.max(s.y1));
        }
        Extent { low, high }
    }

    /// Some box below may hold `q`: the loosest corners do.
    fn may_hold(&self, q: &Span) -> bool {
        Span { x0: self.low.x0, y0: self.low.y0, x1: self.high.x1, y1: self.high.y1 }.holds(q)
    }

    /// Every box below holds `q`: the tightest corners do.
    fn all_hold(&self, q: &Span) -> bool {
        Span { x0: self.high.x0, y0: self.high.y0, x1: self.low.x1, y1: self.low.y1 }.holds(q)
    }

    /// Some box below may lie within `q`: the tightest corners do.
    fn may_lie_within(&self, q: &Span) -> bool {
        q.holds(&Span { x0: self.high.x0, y0: self.high.y0, x1: self.low.x1, y1: self.low.y1 })
    }

    /// Every box below lies within `q`: the loosest corners do.
    fn all_lie_within(&self, q: &Span) -> bool {
        q.holds(&Span { x0: self.low.x0, y0: self.low.y0, x1: self.high.x1, y1: self.high.y1 })
    }
}

/// A subtree: `entries[start..end]`, two children or none (a leaf, scanned).
#[derive(Debug, Clone, Copy)]
struct Node {
    extent: Extent,
    least: Key,
    start: usize,
    end: usize,
    children: Option<(usize, usize)>,
}

/// Boxes a leaf holds; small enough that scanning one costs about as much as descending.
const LEAF: usize = 8;

/// The index; build once per page, ask many times.
#[derive(Debug, Default)]
pub struct BoxIndex {
    entries: Vec<Entry>,
    nodes: Vec<Node>,
}

impl BoxIndex {
    /// Indexes `(id, span, area)` triples; boxes with a NaN corner are left out (see
    /// [`Span::comparable`]).
    pub fn new(boxes: impl IntoIterator<Item = (usize, Span, f64)>) -> BoxIndex {
        let entries: Vec<Entry> = boxes
            .into_iter()
            .filter(|(_, span, _)| span.comparable())
            .map(|(id, span, area)| Entry { span, key: Key { area, id } })
            .collect();
        let mut index = BoxIndex { entries, nodes: Vec::new() };
        if !index.entries.is_empty() {
            index.build(0, index.entries.len(), 0);
        }
        index
    }

    /// Builds the subtree of `entries[start..end]`, splitting at the median of one corner
    /// coordinate in turn; returns its node. Recursion depth is log2 of the box count.
    fn build(&mut self, start: usize, end: usize, depth: usize) -> usize {
        let slice = &mut self.entries[start..end];
        let extent = Extent::of(slice);
        let least =
            slice.iter().map(|e| e.key).min_by(Key::cmp).unwrap_or(Key { area: 0.0, id: 0 });
        let at = self.nodes.len();
        self.nodes.push(Node { extent, least, start, end, children: None });
        if end - start <= LEAF {
            return at;
        }
        let corner = |s: &Span| match depth % 4 {
            0 => s.x0,
            1 => s.y0,
            2 => s.x1,
            _ => s.y1,
        };
        let mid = slice.len() / 2;
        slice.select_nth_unstable_by(mid, |a, b| corner(&a.span).total_cmp(&corner(&b.span)));
        let left = self.build(start, start + mid, depth + 1);
        let right = self.build(start + mid, end, depth + 1);
        self.nodes[at].children = Some((left, right));
        at
    }

    /// The smallest box holding `q` among those with an id below `before` (ties: the lower id).
    pub fn smallest_around(&self, q: &Span, before: usize) -> Option<usize> {
        let mut best = None;
        if !self.nodes.is_empty() {
            self.around(0, q, before, &mut best);
        }
        best.map(|k| k.id)
    }

    fn around(&self, at: usize, q: &Span, before: usize, best: &mut Option<Key>) {
        let node = &self.nodes[at];
        if !node.extent.may_hold(q) || !Key::better(node.least, *best) {
            return;
        }
        if node.least.id < before && node.extent.all_hold(q) {
            // The least key here qualifies, and nothing here ranks below it.
            *best = Some(node.least);
            return;
        }
        match node.children {
            Some((left, right)) => {
                let (first, second) = self.nearer_first(left, right);
                self.around(first, q, before, best);
                self.around(second, q, before, best);
            }
            None => {
                for e in &self.entries[node.start..node.end] {
                    if e.key.id < before && e.span.holds(q) && Key::better(e.key, *best) {
                        *best = Some(e.key);
                    }
                }
            }
        }
    }

    /// The smallest box lying within `q` (ties: the lower id).
    pub fn smallest_within(&self, q: &Span) -> Option<(usize, f64)> {
        let mut best = None;
        if !self.nodes.is_empty() {
            self.within(0, q, &mut best);
        }
        best.map(|k| (k.id, k.area))
    }

    fn within(&self, at: usize, q: &Span, best: &mut Option<Key>) {
        let node = &self.nodes[at];
        if !node.extent.may_lie_within(q) || !Key::better(node.least, *best) {
            return;
        }
        if node.extent.all_lie_within(q) {
            *best = Some(node.least);
            return;
        }
        match node.children {
            Some((left, right)) => {
                let (first, second) = self.nearer_first(left, right);
                self.within(first, q, best);
                self.within(second, q, best);
            }
            None => {
                for e in &self.entries[node.start..node.end] {
                    if q.holds(&e.span) && Key::better(e.key, *best) {
                        *best = Some(e.key);
                    }
                }
            }
        }
    }

    /// The child with the smaller least key first: a good answer early prunes the other.
    fn nearer_first(&self, left: usize, right: usize) -> (usize, usize) {
        if self.nodes[right].least.cmp(&self.nodes[left].least) == Ordering::Less {
            (right, left)
        } else {
            (left, right)
        }
    }
}
