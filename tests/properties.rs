//! Property tests over the whole pipeline: random and mutated diagrams never panic, and what comes
//! out keeps its invariants (flow endpoints exist, the boundary tree is acyclic, ids are unique,
//! reruns are identical). Bounded to a few seconds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::OnceLock;

use dfd_threats::import::ImportOptions;
use dfd_threats::pipeline::{self, Analysed};
use dfd_threats::threats::Catalog;
use proptest::prelude::*;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().unwrap())
}

fn check_invariants(analysed: &Analysed) {
    for (diagram, analysis) in analysed.document.diagrams.iter().zip(&analysed.analyses) {
        let ids: HashSet<&str> = diagram.elements().map(|(_, e)| e.id.as_str()).collect();
        assert_eq!(ids.len(), diagram.element_count(), "element ids unique");
        let flow_ids: HashSet<&str> = diagram.flows().map(|f| f.flow.id.as_str()).collect();
        assert_eq!(flow_ids.len(), diagram.flow_count(), "flow ids unique");
        for f in diagram.flows() {
            assert!(
                f.from.index() < diagram.element_count() && f.to.index() < diagram.element_count()
            );
        }
        for (i, b) in diagram.boundaries.iter().enumerate() {
            assert!(b.parent.is_none_or(|p| p < i), "parents come before children: acyclic");
        }
        for (_, e) in diagram.elements() {
            assert!(e.boundary.is_none_or(|b| b < diagram.boundaries.len()));
        }
        assert_eq!(analysis.crossings.len(), diagram.flow_count());
        assert_eq!(analysis.zones.len(), diagram.boundaries.len());
    }
    let threat_ids: HashSet<&str> = analysed.threats.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(threat_ids.len(), analysed.threats.len(), "threat ids unique");
}

fn run_twice(bytes: &[u8]) {
    let options = ImportOptions::default();
    let first = pipeline::run("p.dot", bytes, &options, catalog());
    let second = pipeline::run("p.dot", bytes, &options, catalog());
    match (first, second) {
        (Ok(a), Ok(b)) => {
            check_invariants(&a);
            let ja = dfd_threats::export::json::render(&a.report(catalog()));
            let jb = dfd_threats::export::json::render(&b.report(catalog()));
            assert_eq!(ja, jb, "reruns identical");
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "errors identical"),
        _ => panic!("one run failed and the other did not"),
    }
}

/// A random but valid DOT diagram: nested clusters, kinds, attributes, edges (self-loops and
/// parallel edges included).
fn dot_diagram() -> impl Strategy<Value = String> {
    let node = (
        0..12u8,
        prop::sample::select(vec![
            "",
            "shape=cylinder",
            "kind=external",
            "shape=box",
            "technology=\"aws-lambda\"",
            "encrypted=true",
        ]),
    );
    let cluster = (
        0..4u8,
        prop::collection::vec(node, 0..6),
        prop::sample::select(vec!["Internet", "AWS", "DMZ", "", "trust=2"]),
    );
    (
        prop::collection::vec(cluster, 0..5),
        prop::collection::vec((0..12u8, 0..12u8, any::<bool>()), 0..30),
    )
        .prop_map(|(clusters, edges)| {
            let mut s = String::from("digraph p {\n");
            let mut depth = 0;
            for (i, (nest, nodes, label)) in clusters.iter().enumerate() {
                // Close or open clusters so that nesting varies.
                while depth > 0 && (*nest as usize).is_multiple_of(3) {
                    s.push_str("}\n");
                    depth -= 1;
                }
                if label.contains('=') {
                    s.push_str(&format!("subgraph cluster_{i} {{ {label};\n"));
                } else {
                    s.push_str(&format!("subgraph cluster_{i} {{ label=\"{label}\";\n"));
                }
                depth += 1;
                for (n, attrs) in nodes {
                    s.push_str(&format!("n{n} [{attrs}];\n"));
                }
            }
            s.push_str(&"}\n".repeat(depth));
            for (a, b, https) in edges {
                let attrs = if https { " [protocol=https, label=\"x\"]" } else { "" };
                s.push_str(&format!("n{a} -> n{b}{attrs};\n"));
            }
            s.push_str("}\n");
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 200, .. ProptestConfig::default() })]

    #[test]
    fn random_diagrams_keep_the_invariants(text in dot_diagram()) {
        let options = ImportOptions::default();
        let analysed = pipeline::run("p.dot", text.as_bytes(), &options, catalog());
        prop_assert!(analysed.is_ok(), "valid DOT must import: {:?}\n{}", analysed.err(), text);
        run_twice(text.as_bytes());
    }

    #[test]
    fn mutated_examples_never_panic(
        which in 0..4usize,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let files = [
            "diagrams/serverless-orders.dot",
            "diagrams/three-tier-web.dot",
            "diagrams/three-tier-web.drawio",
            "diagrams/serverless-orders.drawio",
        ];
        let mut bytes = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(files[which])).unwrap();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        run_twice(&bytes);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        run_twice(&bytes);
    }
}
