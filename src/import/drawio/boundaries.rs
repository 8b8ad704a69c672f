//! Trust boundaries from geometry: which drawn regions nest in which, which region holds each
//! element, and the polyline of a boundary drawn as an arc.
//!
//! Real diagrams rarely use containers for boundaries: they draw rectangles around their members,
//! nest them only by coordinates, and sometimes let them overlap. So nesting is box containment
//! and membership is containment of an element's centre; when several regions qualify, the
//! smallest wins, and among equals the earlier in the file (the order is the caller's). Pages
//! can have tens of thousands of rectangles, so every question goes through an index
//! ([`super::containment`]) rather than a scan of all boxes.

use super::containment::{BoxIndex, Span};
use super::style::Style;
use crate::model::{Point, Rect};

/// Words that make a rectangle a boundary even when nothing is drawn inside it.
pub fn says_boundary(label: &str) -> bool {
    let lower = label.to_lowercase();
    lower.contains("boundary") || lower.contains("trust zone") || lower.contains("trust border")
}

/// Words that describe a region; used to explain why a rectangle was taken for a boundary.
const REGION_WORDS: &[&str] = &[
    "boundary",
    "zone",
    "network",
    "internet",
    "dmz",
    "vpc",
    "subnet",
    "account",
    "cluster",
    "trust",
    "cloud",
    "region",
    "lan",
    "data center",
    "datacenter",
    "on-prem",
    "premises",
];

pub fn region_word(label: &str) -> Option<&'static str> {
    let lower = label.to_lowercase();
    REGION_WORDS.iter().copied().find(|w| lower.contains(w))
}

/// For boxes already ordered parents-first (area descending, then file order): each box's parent,
/// the smallest earlier box that contains it (ties: the earlier).
pub fn nest(boxes: &[Rect]) -> Vec<Option<usize>> {
    let index =
        BoxIndex::new(boxes.iter().enumerate().map(|(i, b)| (i, Span::of_rect(b), b.area())));
    boxes.iter().enumerate().map(|(i, b)| index.smallest_around(&Span::of_rect(b), i)).collect()
}

/// Drawn regions by boundary id, indexed for [`innermost`]: a page asks once per element.
#[derive(Debug, Default)]
pub struct Regions(BoxIndex);

impl Regions {
    pub fn new(boxes: &[(usize, Rect)]) -> Regions {
        Regions(BoxIndex::new(boxes.iter().map(|(id, b)| (*id, Span::of_rect(b), b.area()))))
    }
}

/// The smallest region holding `point` (ties: the lowest id).
pub fn innermost(regions: &Regions, point: Point) -> Option<usize> {
    regions.0.smallest_around(&Span::of_point(point), usize::MAX)
}

/// The centres of the cells that could be drawn inside a region, indexed for
/// [`Contents::smaller_inside`], which decides whether a rectangle is a region at all.
#[derive(Debug, Default)]
pub struct Contents(BoxIndex);

impl Contents {
    /// Cells with a NaN area are left out: "smaller than" is false for them whatever the region.
    pub fn new(boxes: impl IntoIterator<Item = Rect>) -> Contents {
        let centres = boxes
            .into_iter()
            .filter(|b| !b.area().is_nan())
            .enumerate()
            .map(|(k, b)| (k, Span::of_point(b.center()), b.area()));
        Contents(BoxIndex::new(centres))
    }

    /// Whether the centre of a cell of smaller area lies within `outer` (borders included). The
    /// cell `outer` came from, if indexed, is never smaller than itself.
    pub fn smaller_inside(&self, outer: &Rect) -> bool {
        let area = outer.area();
        self.0.smallest_within(&Span::of_rect(outer)).is_some_and(|(_, smallest)| smallest < area)
    }
}

/// The line an arc-shaped boundary draws (`shape=requiredInterface`): a half ellipse bulging to
/// the east of its box, turned by `direction` and `rotation` like draw.io does.
pub fn arc_line(bounds: Rect, style: &Style) -> Vec<Point> {
    const STEPS: usize = 12;
    let centre = bounds.center();
    let (rx, ry) = (bounds.width / 2.0, bounds.height / 2.0);
    let mut angle = match style.get("direction") {
        Some("south") => 90.0,
        Some("west") => 180.0,
        Some("north") => 270.0,
        _ => 0.0,
    };
    angle += style.number("rotation").unwrap_or(0.0);
    let (sin, cos) = angle.to_radians().sin_cos();
    (0..=STEPS)
        .map(|k| {
            // From the top-left corner, through the middle of the east side, to the bottom-left.
            let t = std::f64::consts::PI * (k as f64 / STEPS as f64 - 0.5);
            let (x, y) = (-rx + 2.0 * rx * t.cos(), ry * t.sin());
            Point { x: centre.x + x * cos - y * sin, y: centre.y + x * sin + y * cos }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, width: w, height: h }
    }

    #[test]
    fn nesting_by_containment() {
        // Ordered by area: internet, lan, machine; plus an overlapping box.
        let boxes = [
            r(0.0, 0.0, 400.0, 400.0),
            r(300.0, 300.0, 200.0, 200.0),
            r(10.0, 10.0, 200.0, 200.0),
            r(20.0, 20.0, 100.0, 100.0),
        ];
        assert_eq!(nest(&boxes), vec![None, None, Some(0), Some(2)]);
    }

    #[test]
    fn overlaps_go_to_the_smallest() {
        let boxes = Regions::new(&[
            (0, r(0.0, 0.0, 100.0, 100.0)),
            (1, r(50.0, 50.0, 100.0, 100.0)),
            (2, r(60.0, 60.0, 20.0, 20.0)),
        ]);
        assert_eq!(innermost(&boxes, Point { x: 70.0, y: 70.0 }), Some(2));
        assert_eq!(innermost(&boxes, Point { x: 90.0, y: 90.0 }), Some(0));
        assert_eq!(innermost(&boxes, Point { x: 140.0, y: 140.0 }), Some(1));
        assert_eq!(innermost(&boxes, Point { x: 500.0, y: 0.0 }), None);
    }

    #[test]
    fn contents_need_a_smaller_centre_inside() {
        let boxes = [r(0.0, 0.0, 100.0, 100.0), r(40.0, 40.0, 10.0, 10.0), r(500.0, 0.0, 5.0, 5.0)];
        let contents = Contents::new(boxes);
        assert!(contents.smaller_inside(&boxes[0]));
        assert!(!contents.smaller_inside(&boxes[1]), "a box does not hold itself");
        assert!(!contents.smaller_inside(&boxes[2]));
        assert!(!contents.smaller_inside(&r(f64::NAN, 0.0, 1000.0, 1000.0)));
    }

    #[test]
    fn arcs_run_corner_to_corner() {
        let line = arc_line(r(0.0, 0.0, 20.0, 100.0), &Style::parse("shape=requiredInterface"));
        let (first, last) = (line[0], line[line.len() - 1]);
        assert!((first.x - 0.0).abs() < 1e-9 && (first.y - 0.0).abs() < 1e-9, "{first:?}");
        assert!((last.x - 0.0).abs() < 1e-9 && (last.y - 100.0).abs() < 1e-9, "{last:?}");
        let middle = line[line.len() / 2];
        assert!((middle.x - 20.0).abs() < 1e-9 && (middle.y - 50.0).abs() < 1e-9, "{middle:?}");
    }

    #[test]
    fn boundary_words() {
        assert!(says_boundary("Trust Boundary 1"));
        assert!(!says_boundary("Internet"));
        assert_eq!(region_word("Users' LAN"), Some("lan"));
    }

    /// The scans the index replaced, kept as the specification it must match.
    mod by_scan {
        use super::*;

        pub fn nest(boxes: &[Rect]) -> Vec<Option<usize>> {
            (0..boxes.len())
                .map(|i| {
                    (0..i).filter(|&j| boxes[j].contains_rect(&boxes[i])).min_by(|&a, &b| {
                        boxes[a].area().total_cmp(&boxes[b].area()).then(a.cmp(&b))
                    })
                })
                .collect()
        }

        pub fn innermost(boxes: &[(usize, Rect)], point: Point) -> Option<usize> {
            boxes
                .iter()
                .filter(|(_, b)| b.contains_point(point))
                .min_by(|(a, ab), (b, bb)| ab.area().total_cmp(&bb.area()).then(a.cmp(b)))
                .map(|(id, _)| *id)
        }

        pub fn holds_something(boxes: &[Rect], i: usize) -> bool {
            let outer = boxes[i];
            (0..boxes.len()).any(|j| {
                j != i && boxes[j].area() < outer.area() && outer.contains_point(boxes[j].center())
            })
        }
    }

    /// Coordinates and sizes as hostile files have them: mostly small integers (so edges touch
    /// and boxes repeat), and now and then a signed zero, an infinity, NaN or a value whose sum
    /// overflows.
    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![
            12 => (-4i32..12).prop_map(f64::from),
            1 => Just(-0.0),
            1 => Just(f64::INFINITY),
            1 => Just(f64::NEG_INFINITY),
            1 => Just(f64::NAN),
            1 => Just(f64::MAX),
            1 => Just(-f64::MAX),
            1 => (-4i32..12).prop_map(|v| f64::from(v) / 3.0),
        ]
    }

    fn rects() -> impl Strategy<Value = Vec<Rect>> {
        prop::collection::vec(
            (number(), number(), number(), number()).prop_map(|(x, y, w, h)| Rect {
                x,
                y,
                width: w.abs() % 9.0,
                height: h,
            }),
            0..80,
        )
    }

    fn points() -> impl Strategy<Value = Vec<Point>> {
        prop::collection::vec((number(), number()).prop_map(|(x, y)| Point { x, y }), 0..40)
    }

    /// As the importer orders regions: area descending, then file order.
    fn parents_first(mut boxes: Vec<Rect>) -> Vec<Rect> {
        let mut order: Vec<usize> = (0..boxes.len()).collect();
        order.sort_by(|&a, &b| boxes[b].area().total_cmp(&boxes[a].area()).then(a.cmp(&b)));
        let sorted = order.iter().map(|&i| boxes[i]).collect();
        boxes.clear();
        sorted
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn nest_matches_the_scan(boxes in rects()) {
            prop_assert_eq!(nest(&boxes), by_scan::nest(&boxes));
            let ordered = parents_first(boxes);
            prop_assert_eq!(nest(&ordered), by_scan::nest(&ordered));
        }

        #[test]
        fn innermost_matches_the_scan(boxes in rects(), points in points(), ids in any::<u64>()) {
            // Ids as the importer gives them (increasing), or shuffled and repeated.
            let regions: Vec<(usize, Rect)> = boxes
                .iter()
                .enumerate()
                .map(|(k, b)| (if ids % 2 == 0 { k } else { (k * 7 + ids as usize) % 13 }, *b))
                .collect();
            let index = Regions::new(&regions);
            let centres = boxes.iter().map(|b| b.center());
            for p in points.into_iter().chain(centres) {
                prop_assert_eq!(innermost(&index, p), by_scan::innermost(&regions, p), "{:?}", p);
            }
        }

        #[test]
        fn contents_match_the_scan(boxes in rects()) {
            let contents = Contents::new(boxes.iter().copied());
            for (i, b) in boxes.iter().enumerate() {
                prop_assert_eq!(
                    contents.smaller_inside(b),
                    by_scan::holds_something(&boxes, i),
                    "{:?}",
                    b
                );
            }
        }
    }
}
