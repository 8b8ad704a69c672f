//! Made-up diagrams of any size, for benchmarks and property checks.
//!
//! Shaped like real DFDs rather than random graphs: about √N trust boundaries nested up to three
//! deep, elements grouped by boundary, about three flows per element mostly to nearby elements
//! (so most flows stay inside a boundary), a few long-range ones, self-loops and parallel flows.
//! Deterministic from the seed, with a small hand-written generator so no dependency is needed.

use crate::model::{Attributes, Boundary, Diagram, Element, ElementKind};

/// SplitMix64: tiny, fast, and good enough to make test data.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`0` when `bound` is 0).
    fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            0
        } else {
            (self.next() % bound as u64) as usize
        }
    }

    /// True with the given chance in percent.
    fn percent(&mut self, chance: usize) -> bool {
        self.below(100) < chance
    }
}

const ZONES: [&str; 8] = [
    "Internet",
    "DMZ",
    "Corporate network",
    "Kubernetes cluster",
    "VPC",
    "Payments zone",
    "Admin",
    "Partner",
];
const SERVICES: [&str; 8] = [
    "API gateway",
    "Order service",
    "Auth service",
    "Billing worker",
    "Search",
    "Notification\n(email, SMS)",
    "Web frontend",
    "Reporting",
];
const STORES: [&str; 6] =
    ["Orders DB", "Session cache", "Audit log", "S3 bucket", "Message queue", "Users table"];
const ACTORS: [&str; 5] = ["Customer", "Administrator", "Payment provider", "Mobile app", "利用者"];
const PROTOCOLS: [&str; 8] =
    ["HTTPS", "SQL", "gRPC", "AMQP", "reads", "writes", "", "TLS 1.3 / mTLS"];

/// A diagram with `n_elements` elements, about `3 * n_elements` flows and about √N nested
/// boundaries; the same seed always gives the same diagram.
pub fn synthetic(n_elements: usize, seed: u64) -> Diagram {
    let mut rng = SplitMix64(seed);
    let mut diagram = Diagram::new(format!("synthetic-{n_elements}-{seed}"));
    let boundary_count = (n_elements as f64).sqrt().round() as usize;
    let mut depths: Vec<usize> = Vec::with_capacity(boundary_count);
    for b in 0..boundary_count {
        let label = format!("{} {b}", ZONES[rng.below(ZONES.len())]);
        let mut boundary = Boundary::new(format!("cluster_{b}"), label, "synthetic");
        if b > 0 && rng.percent(60) {
            let candidate = rng.below(b);
            if depths[candidate] < 3 {
                boundary.parent = Some(candidate);
            }
        }
        depths.push(boundary.parent.map_or(1, |p| depths[p] + 1));
        diagram.add_boundary(boundary);
    }
    for i in 0..n_elements {
        let roll = rng.below(100);
        let (kind, label) = if roll < 15 {
            (ElementKind::ExternalEntity, format!("{} {i}", ACTORS[rng.below(ACTORS.len())]))
        } else if roll < 75 {
            (ElementKind::Process, format!("{} {i}", SERVICES[rng.below(SERVICES.len())]))
        } else {
            (ElementKind::DataStore, format!("{} {i}", STORES[rng.below(STORES.len())]))
        };
        let mut element = Element::new(format!("n{i}"), kind, "synthetic");
        element.label = label;
        // Elements come in runs per boundary, as people draw them; actors mostly stay outside.
        let outside =
            if kind == ElementKind::ExternalEntity { rng.percent(80) } else { rng.percent(5) };
        if boundary_count > 0 && !outside {
            element.boundary = Some(if rng.percent(85) {
                i * boundary_count / n_elements
            } else {
                rng.below(boundary_count)
            });
        }
        diagram.add_element(element);
    }
    if n_elements == 0 {
        return diagram;
    }
    let nodes: Vec<_> = diagram.graph.node_indices().collect();
    for i in 0..n_elements {
        for _ in 0..3 {
            let j = match rng.below(100) {
                0 => i,
                1..=74 => (i + 1 + rng.below(12)) % n_elements,
                _ => rng.below(n_elements),
            };
            let label = PROTOCOLS[rng.below(PROTOCOLS.len())].to_string();
            diagram.add_flow(nodes[i], nodes[j], label, Attributes::new(), None);
        }
    }
    diagram
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_diagram() {
        let a = synthetic(200, 7);
        let b = synthetic(200, 7);
        let ids = |d: &Diagram| d.flows().map(|f| f.flow.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert_eq!(a.element_count(), 200);
        assert_eq!(a.flow_count(), 600);
        assert_eq!(a.boundaries.len(), 14);
        assert!(a.boundaries.iter().enumerate().all(|(i, b)| b.parent.is_none_or(|p| p < i)));
    }

    #[test]
    fn tiny_sizes_work() {
        assert_eq!(synthetic(0, 1).element_count(), 0);
        assert_eq!(synthetic(1, 1).flow_count(), 3);
    }
}
