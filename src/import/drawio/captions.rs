//! Boxes named by a text cell: an author who leaves a box's value empty often types its name in a
//! separate text cell along the inside of its top edge ("chatops-vnet (10.0.0.0/16)" in the
//! corner of a VNet drawn as a plain dashed rectangle). Without it the box is an unnamed grouping
//! and the services in it have no zone.
//!
//! Such texts also name what is drawn below them (a card's product, a lane's first service), so a
//! caption is taken only when its words rank trust (a network, a subnet, a zone, a private address
//! block: what names a box rather than a thing in it), it is the innermost box's, and it sits in
//! the band along the box's top edge.

use std::collections::HashMap;

use crate::import::hints::{boundary_trust, PRIVATE_BLOCK_REASON};
use crate::model::{vocabulary, Attributes, Rect, TrustDeclaration};

/// How far below a box's top edge its caption may start, in page units: about two lines of text.
const TOP_BAND: f64 = 40.0;

/// The text cell naming each unnamed box, by cell index. `regions` are the boxes' cell indexes,
/// largest first (so the last one holding a point is the innermost); `texts` the text cells with
/// their bounds.
pub fn box_captions(
    regions: &[(usize, Rect)],
    unnamed: impl Fn(usize) -> bool,
    texts: &[(usize, Rect, &str)],
) -> HashMap<usize, usize> {
    let mut captions: HashMap<usize, (usize, f64)> = HashMap::new();
    for &(text, bounds, words) in texts {
        let Some(&(region, outer)) =
            regions.iter().rev().find(|(_, r)| r.contains_point(bounds.center()))
        else {
            continue;
        };
        let depth = bounds.y - outer.y;
        if !unnamed(region)
            || !(0.0..=TOP_BAND).contains(&depth)
            || !outer.contains_rect(&bounds)
            || !names_a_network(words)
        {
            continue;
        }
        // The topmost such text names the box.
        if captions.get(&region).is_none_or(|&(_, y)| bounds.y < y) {
            captions.insert(region, (text, bounds.y));
        }
    }
    captions.into_iter().map(|(region, (text, _))| (region, text)).collect()
}

/// Whether a box's name or caption says it is a legend ("Legend", "Key", "Légende"): what it
/// holds shows the notation, it is no part of the system.
pub fn names_a_legend(text: &str) -> bool {
    let t = text.trim().trim_end_matches(':').trim().to_lowercase();
    ["legend", "légende", "legende", "leyenda", "legenda", "легенда", "凡例", "图例"]
        .iter()
        .any(|w| t.starts_with(w))
        || t == "key"
}

/// The boxes that are legends: named so, or captioned so by a text cell in their top band.
/// `boxes` are the candidate boxes with their names, `texts` the text cells.
pub fn legend_boxes(boxes: &[(Rect, &str)], texts: &[(Rect, &str)]) -> Vec<Rect> {
    let captions: Vec<Rect> =
        texts.iter().filter(|(_, t)| names_a_legend(t)).map(|&(r, _)| r).collect();
    boxes
        .iter()
        .filter(|(outer, name)| {
            names_a_legend(name)
                || captions
                    .iter()
                    .any(|c| outer.contains_rect(c) && (0.0..=TOP_BAND).contains(&(c.y - outer.y)))
        })
        .map(|&(r, _)| r)
        .collect()
}

/// Whether a caption names one of the organisation's own networks: a VPC, a VNet, a subnet, an
/// account (`infrastructure` in `knowledge/zones.toml`) or a private address block, with no word
/// that ranks it otherwise.
fn names_a_network(caption: &str) -> bool {
    let TrustDeclaration::Trusted { because } = boundary_trust(&Attributes::new(), caption) else {
        return false;
    };
    let words = vocabulary::words(caption);
    because.starts_with(PRIVATE_BLOCK_REASON)
        || vocabulary::zone_words().infrastructure.longest_in(&words).is_some_and(|(_, n)| {
            vocabulary::zone_words().trusted.longest_in(&words).is_none_or(|(_, t)| n >= t)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect { x, y, width, height }
    }

    #[test]
    fn a_box_named_or_captioned_legend_is_a_legend() {
        let boxes = [(rect(0.0, 0.0, 200.0, 100.0), ""), (rect(300.0, 0.0, 200.0, 100.0), "Key")];
        let texts = [(rect(10.0, 5.0, 60.0, 20.0), "Legend"), (rect(310.0, 60.0, 60.0, 20.0), "x")];
        assert_eq!(legend_boxes(&boxes, &texts).len(), 2);
        assert!(legend_boxes(&boxes[..1], &[(rect(10.0, 70.0, 60.0, 20.0), "Legend")]).is_empty());
        assert!(!names_a_legend("Keycloak"));
    }

    #[test]
    fn a_network_word_in_the_top_band_names_the_innermost_box() {
        // VNet { caption, Subnet { caption, service } } and a card whose text names a product.
        let regions = [(0, rect(0.0, 0.0, 500.0, 400.0)), (1, rect(50.0, 100.0, 200.0, 150.0))];
        let texts = [
            (10, rect(10.0, 8.0, 200.0, 20.0), "app-vnet (10.0.0.0/16)"),
            (11, rect(60.0, 105.0, 150.0, 20.0), "app-subnet"),
            (12, rect(60.0, 200.0, 150.0, 20.0), "private subnet"),
            (13, rect(300.0, 10.0, 150.0, 20.0), "Azure Firewall"),
        ];
        let captions = box_captions(&regions, |_| true, &texts);
        assert_eq!(captions.get(&0), Some(&10));
        assert_eq!(captions.get(&1), Some(&11), "the subnet's own caption, not one lower down");
        assert_eq!(captions.len(), 2, "a product's name ranks nothing: {captions:?}");
        assert!(box_captions(&regions, |_| false, &texts).is_empty(), "named boxes keep theirs");
    }
}
