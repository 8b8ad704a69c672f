//! Where the analysis marks go on an author's drawing: the first of a few candidate spots that
//! covers none of the page's text and no mark already placed.
//!
//! A draw.io page was laid out by its author, with captions wherever they fit; a tag or badge
//! at a fixed corner lands on a caption on many real pages (an ENTRY tag over an open store's
//! name, a zone's trust over the label of the flow beside its line). Each mark offers its usual
//! spot first, so a page with room keeps the familiar picture.

use super::occupancy::Occupancy;
use crate::model::{Point, Rect};

/// The page's text and the marks placed so far.
#[derive(Default)]
pub struct Spots {
    occupied: Occupancy,
}

/// Overlap (in square pixels) too small to see: antialiasing and rounding.
const UNSEEN: f64 = 1.0;

impl Spots {
    /// The page's text boxes, in a fixed order so ties between spots always fall the same way.
    pub fn new(mut texts: Vec<Rect>) -> Self {
        texts.sort_by(|a, b| {
            (a.x, a.y, a.width, a.height)
                .partial_cmp(&(b.x, b.y, b.width, b.height))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut occupied = Occupancy::default();
        for r in texts {
            occupied.add(r);
        }
        Spots { occupied }
    }

    /// The first candidate that covers nothing, else the one that covers least (the earliest of
    /// equals), now taken; `None` when there are no candidates.
    pub fn take(&mut self, candidates: &[Rect]) -> Option<Rect> {
        let mut best: Option<(f64, Rect)> = None;
        for &r in candidates {
            let covered = self.occupied.overlap(&r);
            if covered < UNSEEN {
                best = Some((covered, r));
                break;
            }
            if best.is_none_or(|(least, _)| covered < least) {
                best = Some((covered, r));
            }
        }
        let (_, chosen) = best?;
        self.occupied.add(chosen);
        Some(chosen)
    }

    /// Marks a box as taken (a mark whose place is fixed).
    pub fn add(&mut self, r: Rect) {
        self.occupied.add(r);
    }
}

/// A box of `width` by `height` centred on `centre`.
pub fn centred(centre: Point, width: f64, height: f64) -> Rect {
    Rect { x: centre.x - width / 2.0, y: centre.y - height / 2.0, width, height }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f64, y: f64) -> Rect {
        Rect { x, y, width: 10.0, height: 10.0 }
    }

    #[test]
    fn the_first_free_candidate_is_taken_and_then_occupied() {
        let mut spots = Spots::new(vec![rect(0.0, 0.0)]);
        assert_eq!(spots.take(&[rect(5.0, 5.0), rect(20.0, 0.0)]), Some(rect(20.0, 0.0)));
        // The spot just taken is not free any more.
        assert_eq!(spots.take(&[rect(20.0, 0.0), rect(40.0, 0.0)]), Some(rect(40.0, 0.0)));
        assert_eq!(spots.take(&[rect(-1.0, 0.0)]), Some(rect(-1.0, 0.0)), "least covered");
        assert_eq!(spots.take(&[]), None);
    }

    #[test]
    fn when_nothing_is_free_the_least_covered_wins() {
        let mut spots = Spots::new(vec![rect(0.0, 0.0)]);
        assert_eq!(spots.take(&[rect(2.0, 2.0), rect(8.0, 8.0)]), Some(rect(8.0, 8.0)));
    }
}
