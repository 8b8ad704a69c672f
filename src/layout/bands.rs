//! Positions across ranks: each rank is a band as thick as its thickest node, and the gap
//! between two bands leaves room for the sides of the boundaries that end above it and start
//! below it (nested ones inside each other), so boundary boxes never touch.

use super::chains::Chains;

/// What the bands are computed from.
pub(crate) struct BandInput<'a> {
    pub rank: &'a [usize],
    /// Extent of each node across ranks.
    pub thickness: &'a [f64],
    pub chains: &'a Chains,
    /// The boundary directly holding each boundary.
    pub parent: &'a [Option<usize>],
    /// Padding of each boundary before its first and after its last rank.
    pub pad: &'a [(f64, f64)],
    /// Smallest extent of each boundary across ranks (its title, when titles run that way).
    pub min_extent: &'a [f64],
    /// Gap between two bands when no boundary side is in it.
    pub gap: f64,
}

pub(crate) struct Bands {
    /// Where each rank's band starts, and how thick it is.
    pub top: Vec<f64>,
    pub thick: Vec<f64>,
    /// Start and end of each boundary across ranks (`None` for those with no node).
    pub boundaries: Vec<Option<(f64, f64)>>,
    /// The whole drawing's extent across ranks.
    pub depth: f64,
}

/// Room between the boundary sides of two neighbouring bands.
const SIDE_GAP: f64 = 12.0;

pub(crate) fn bands(input: &BandInput<'_>) -> Bands {
    let count = input.pad.len();
    let ranks = input.rank.iter().copied().max().map_or(0, |r| r + 1);
    let mut thick = vec![0.0f64; ranks];
    let mut span: Vec<Option<(usize, usize)>> = vec![None; count];
    for (v, &r) in input.rank.iter().enumerate() {
        thick[r] = thick[r].max(input.thickness[v]);
        for &c in &input.chains[v] {
            span[c] = Some(span[c].map_or((r, r), |(a, b)| (a.min(r), b.max(r))));
        }
    }
    // How far each boundary's sides stand off its first and last band, nested ones included.
    // Children have higher ids than their parents: innermost first.
    let mut off = input.pad.to_vec();
    for d in (0..count).rev() {
        let (Some(c), Some((df, dl))) = (input.parent.get(d).copied().flatten(), span[d]) else {
            continue;
        };
        let Some((first, last)) = span.get(c).copied().flatten() else { continue };
        if df == first {
            off[c].0 = off[c].0.max(input.pad[c].0 + off[d].0);
        }
        if dl == last {
            off[c].1 = off[c].1.max(input.pad[c].1 + off[d].1);
        }
    }
    let mut above = vec![0.0f64; ranks];
    let mut below = vec![0.0f64; ranks];
    for c in 0..count {
        if let Some((first, last)) = span[c] {
            above[first] = above[first].max(off[c].0);
            below[last] = below[last].max(off[c].1);
        }
    }
    let lay = |thick: &[f64]| {
        let mut top = vec![0.0f64; ranks];
        let mut at = above.first().copied().unwrap_or(0.0);
        for r in 0..ranks {
            top[r] = at;
            let next_above = above.get(r + 1).copied().unwrap_or(0.0);
            at += thick[r] + input.gap.max(below[r] + next_above + SIDE_GAP);
        }
        top
    };
    let mut top = lay(&thick);
    // Boundaries too short for their title lengthen their last band.
    let mut grown = false;
    for c in 0..count {
        let Some((first, last)) = span[c] else { continue };
        let extent = top[last] + thick[last] + off[c].1 - (top[first] - off[c].0);
        if extent < input.min_extent[c] {
            thick[last] += input.min_extent[c] - extent;
            grown = true;
        }
    }
    if grown {
        top = lay(&thick);
    }
    let boundaries = span
        .iter()
        .enumerate()
        .map(|(c, s)| {
            s.map(|(first, last)| (top[first] - off[c].0, top[last] + thick[last] + off[c].1))
        })
        .collect();
    let depth = match (top.last(), thick.last(), below.last()) {
        (Some(t), Some(h), Some(b)) => t + h + b,
        _ => 0.0,
    };
    Bands { top, thick, boundaries, depth }
}
