//! parse + analyse + JSON on synthetic diagrams of 100, 1,000 and 10,000 elements.
//! `just bench` (or `cargo bench --bench pipeline`); figures go in BENCHMARKS.md.

use dfd_threats::import::{import, ImportOptions};
use dfd_threats::pipeline::analyse;
use dfd_threats::synthetic::synthetic_dot;
use dfd_threats::threats::Catalog;

fn main() {
    divan::main();
}

#[divan::bench(args = [100, 1_000, 10_000], sample_count = 10)]
fn dot_parse_analyse_json(bencher: divan::Bencher, elements: usize) {
    let text = synthetic_dot(elements, 42);
    let catalog = Catalog::builtin().unwrap_or_default();
    bencher.bench(|| {
        let doc = import("synthetic.dot", text.as_bytes(), &ImportOptions::default()).ok();
        doc.map(|d| {
            let analysed = analyse(d, &catalog);
            dfd_threats::export::json::render(&analysed.report(&catalog)).len()
        })
    });
}

#[divan::bench(args = [100, 1_000, 10_000], sample_count = 10)]
fn dot_parse_only(bencher: divan::Bencher, elements: usize) {
    let text = synthetic_dot(elements, 42);
    bencher.bench(|| {
        import("synthetic.dot", text.as_bytes(), &ImportOptions::default())
            .ok()
            .map(|d| d.diagrams.len())
    });
}
