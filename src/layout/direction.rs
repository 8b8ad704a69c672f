//! The layout is computed top to bottom (ranks are rows, the order axis runs left to right) and
//! turned into the direction the diagram asks for (DOT's `rankdir`) at the end.

use crate::model::{Point, RankDir, Rect};

/// Turns internal coordinates (`u` along a rank, `v` across ranks) into page coordinates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Turn {
    pub dir: RankDir,
    /// The drawing's extent across ranks, for the mirrored directions.
    pub depth: f64,
}

impl Turn {
    /// Whether ranks are rows on the page (so a box's width lies along a rank).
    pub fn vertical(dir: RankDir) -> bool {
        matches!(dir, RankDir::TopToBottom | RankDir::BottomToTop)
    }

    /// A page-size (width, height) as (along a rank, across ranks).
    pub fn internal_size(dir: RankDir, (w, h): (f64, f64)) -> (f64, f64) {
        if Turn::vertical(dir) {
            (w, h)
        } else {
            (h, w)
        }
    }

    pub fn point(&self, u: f64, v: f64) -> Point {
        match self.dir {
            RankDir::TopToBottom => Point { x: u, y: v },
            RankDir::BottomToTop => Point { x: u, y: self.depth - v },
            RankDir::LeftToRight => Point { x: v, y: u },
            RankDir::RightToLeft => Point { x: self.depth - v, y: u },
        }
    }

    /// The page rectangle of the internal box `u0..u0+su` by `v0..v0+sv`.
    pub fn rect(&self, u0: f64, v0: f64, su: f64, sv: f64) -> Rect {
        match self.dir {
            RankDir::TopToBottom => Rect { x: u0, y: v0, width: su, height: sv },
            RankDir::BottomToTop => Rect { x: u0, y: self.depth - v0 - sv, width: su, height: sv },
            RankDir::LeftToRight => Rect { x: v0, y: u0, width: sv, height: su },
            RankDir::RightToLeft => Rect { x: self.depth - v0 - sv, y: u0, width: sv, height: su },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_direction_keeps_boxes_the_same_size() {
        for dir in
            [RankDir::TopToBottom, RankDir::BottomToTop, RankDir::LeftToRight, RankDir::RightToLeft]
        {
            let turn = Turn { dir, depth: 100.0 };
            let r = turn.rect(10.0, 20.0, 30.0, 40.0);
            let (su, sv) = Turn::internal_size(dir, (r.width, r.height));
            assert_eq!((su, sv), (30.0, 40.0));
            // The box's centre is where the centre point goes.
            let c = turn.point(25.0, 40.0);
            assert_eq!(c, r.center());
        }
    }
}
