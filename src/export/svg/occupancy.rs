//! What is already on the page, so flow labels can be slid along their flow to a free spot.
//!
//! A uniform grid keeps the lookups local: labelling a 10,000-element diagram checks a few
//! neighbours per candidate instead of every box on the page.

use std::cell::Cell;

use crate::index_hash::IndexMap;
use crate::model::Rect;

const CELL: f64 = 120.0;
/// Boxes spanning more cells than this are kept in a list checked every time, so one huge box
/// cannot fill the grid.
const MAX_CELLS: i64 = 256;

#[derive(Default)]
pub struct Occupancy {
    rects: Vec<Rect>,
    grid: IndexMap<(i64, i64), Vec<usize>>,
    oversize: Vec<usize>,
    /// The boxes near the one being measured, kept between calls: a big picture measures
    /// hundreds of thousands of candidate spots, and a new list for each was most of the time.
    nearby: Cell<Vec<usize>>,
}

impl Occupancy {
    pub fn add(&mut self, r: Rect) {
        if !(r.width > 0.0 && r.height > 0.0) {
            return;
        }
        let index = self.rects.len();
        self.rects.push(r);
        let (x0, y0, x1, y1) = cells(&r);
        if (x1 - x0 + 1).saturating_mul(y1 - y0 + 1) > MAX_CELLS {
            self.oversize.push(index);
            return;
        }
        for cx in x0..=x1 {
            for cy in y0..=y1 {
                self.grid.entry((cx, cy)).or_default().push(index);
            }
        }
    }

    /// Total area of `r` covered by what is already placed (overlaps counted per box).
    pub fn overlap(&self, r: &Rect) -> f64 {
        let (x0, y0, x1, y1) = cells(r);
        let mut seen = self.nearby.take();
        seen.clear();
        seen.extend_from_slice(&self.oversize);
        if (x1 - x0 + 1).saturating_mul(y1 - y0 + 1) <= MAX_CELLS {
            for cx in x0..=x1 {
                for cy in y0..=y1 {
                    if let Some(list) = self.grid.get(&(cx, cy)) {
                        seen.extend(list);
                    }
                }
            }
        } else {
            seen.clear();
            seen.extend(0..self.rects.len());
        }
        seen.sort_unstable();
        seen.dedup();
        let covered = seen.iter().map(|&i| intersection_area(r, &self.rects[i])).sum();
        self.nearby.set(seen);
        covered
    }
}

fn cells(r: &Rect) -> (i64, i64, i64, i64) {
    let cell = |v: f64| (v / CELL).floor().clamp(-1e9, 1e9) as i64;
    (cell(r.x), cell(r.y), cell(r.x + r.width), cell(r.y + r.height))
}

pub(super) fn intersection_area(a: &Rect, b: &Rect) -> f64 {
    let w = (a.x + a.width).min(b.x + b.width) - a.x.max(b.x);
    let h = (a.y + a.height).min(b.y + b.height) - a.y.max(b.y);
    if w > 0.0 && h > 0.0 {
        w * h
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect { x, y, width, height }
    }

    #[test]
    fn overlap_is_measured_against_placed_boxes() {
        let mut o = Occupancy::default();
        o.add(rect(0.0, 0.0, 10.0, 10.0));
        o.add(rect(1000.0, 1000.0, 10.0, 10.0));
        assert_eq!(o.overlap(&rect(5.0, 5.0, 10.0, 10.0)), 25.0);
        assert_eq!(o.overlap(&rect(20.0, 20.0, 10.0, 10.0)), 0.0);
    }

    #[test]
    fn huge_boxes_still_count() {
        let mut o = Occupancy::default();
        o.add(rect(-1e7, -1e7, 2e7, 2e7));
        assert_eq!(o.overlap(&rect(5.0, 5.0, 10.0, 10.0)), 100.0);
        o.add(rect(f64::NAN, 0.0, 1.0, 1.0));
    }
}
