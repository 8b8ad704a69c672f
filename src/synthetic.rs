//! Synthetic data flow diagrams for benchmarks and property tests: N elements, about three flows
//! each, nested boundaries, a mix of kinds and technologies, deterministic from a seed.

use std::fmt::Write;

/// A tiny deterministic generator (SplitMix64): no dependency, same sequence everywhere.
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

const LABELS: &[&str] = &[
    "Orders Lambda",
    "API Gateway",
    "Customer",
    "Orders table DynamoDB",
    "Receipts S3 bucket",
    "Queue SQS",
    "Web server nginx",
    "Postgres DB",
    "Partner",
    "Auth service",
    "Redis cache",
    "Deploy pipeline",
];

/// DOT text for a diagram of `elements` elements and `3 × elements` flows, in about √elements
/// boundaries nested up to three deep; four in five flows stay inside their zone.
pub fn synthetic_dot(elements: usize, seed: u64) -> String {
    let mut rng = SplitMix::new(seed);
    let boundaries = ((elements as f64).sqrt() as usize).max(1);
    // Boundary b's parent: none for the first third, else an earlier boundary, at most 3 deep.
    let mut depth = vec![0usize; boundaries];
    let mut parent = vec![None; boundaries];
    for b in 1..boundaries {
        if b * 3 >= boundaries {
            let p = rng.below(b);
            if depth[p] < 2 {
                parent[b] = Some(p);
                depth[b] = depth[p] + 1;
            }
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); boundaries];
    let mut outside = Vec::new();
    for e in 0..elements {
        match rng.below(boundaries + 2) {
            b if b < boundaries => members[b].push(e),
            _ => outside.push(e),
        }
    }
    let mut out = String::with_capacity(elements * 120);
    let _ = writeln!(out, "digraph synthetic_{elements} {{");
    let node = |out: &mut String, e: usize, rng: &mut SplitMix, indent: usize| {
        let pad = "  ".repeat(indent);
        let label = LABELS[rng.below(LABELS.len())];
        let attrs = match rng.below(6) {
            0 => ", shape=cylinder, encrypted=true",
            1 => ", shape=box, kind=external",
            2 => ", protocol=https",
            _ => "",
        };
        let _ = writeln!(out, "{pad}n{e} [label=\"{label} {e}\"{attrs}];");
    };
    fn emit(
        out: &mut String,
        b: usize,
        indent: usize,
        parent: &[Option<usize>],
        members: &[Vec<usize>],
        rng: &mut SplitMix,
        node: &dyn Fn(&mut String, usize, &mut SplitMix, usize),
    ) {
        let pad = "  ".repeat(indent);
        let trust = if b % 7 == 0 { "; trust=untrusted" } else { "" };
        let _ = writeln!(out, "{pad}subgraph cluster_{b} {{ label=\"Zone {b}\"{trust};");
        for &e in &members[b] {
            node(out, e, rng, indent + 1);
        }
        for child in (0..parent.len()).filter(|&c| parent[c] == Some(b)) {
            emit(out, child, indent + 1, parent, members, rng, node);
        }
        let _ = writeln!(out, "{pad}}}");
    }
    for b in (0..boundaries).filter(|&b| parent[b].is_none()) {
        emit(&mut out, b, 1, &parent, &members, &mut rng, &node);
    }
    for &e in &outside {
        node(&mut out, e, &mut rng, 1);
    }
    // Most flows stay inside their zone, as in real systems; one in five goes anywhere.
    let mut zone_of = vec![usize::MAX; elements];
    for (b, list) in members.iter().enumerate() {
        for &e in list {
            zone_of[e] = b;
        }
    }
    for (e, &zone) in zone_of.iter().enumerate() {
        for _ in 0..3 {
            let zone = members.get(zone).filter(|m| m.len() > 1);
            let to = match zone {
                Some(m) if rng.below(5) != 0 => m[rng.below(m.len())],
                _ => rng.below(elements),
            };
            let attrs = if rng.below(3) == 0 { " [label=\"data\", protocol=https]" } else { "" };
            let _ = writeln!(out, "  n{e} -> n{to}{attrs};");
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_sized() {
        let a = synthetic_dot(100, 7);
        assert_eq!(a, synthetic_dot(100, 7));
        assert_ne!(a, synthetic_dot(100, 8));
        assert_eq!(a.matches(" -> ").count(), 300);
        assert_eq!(a.matches("subgraph cluster_").count(), 10);
    }
}
