//! Benchmarks on synthetic diagrams (`just bench`, or `cargo bench --bench pipeline`); the figures
//! and the commands that produced them are in BENCHMARKS.md.
//!
//! - DOT parse + analyse + threats + JSON, 100 / 1,000 / 10,000 elements (about 3 flows each);
//! - draw.io import of a 10,000-cell page, plain and compressed;
//! - layout + SVG, 1,000 / 10,000 elements.

use dfd_threats::import::{import, ImportOptions};
use dfd_threats::pipeline::{analyse, run};
use dfd_threats::synthetic::{synthetic_dot, synthetic_drawio};
use dfd_threats::threats::Catalog;

fn main() {
    divan::main();
}

fn catalog() -> Catalog {
    Catalog::builtin().unwrap_or_default()
}

#[divan::bench(args = [100, 1_000, 10_000], sample_count = 10)]
fn dot_parse_analyse_json(bencher: divan::Bencher, elements: usize) {
    let text = synthetic_dot(elements, 42);
    let catalog = catalog();
    bencher.bench(|| {
        let doc = import("synthetic.dot", text.as_bytes(), &ImportOptions::default()).ok();
        doc.map(|d| {
            let analysed = analyse(d, &catalog);
            let mut sink = std::io::sink();
            dfd_threats::export::json::write(&analysed.report(&catalog), &mut sink).is_ok()
        })
    });
}

#[divan::bench(args = [100, 1_000, 10_000], sample_count = 10)]
fn dot_import_only(bencher: divan::Bencher, elements: usize) {
    let text = synthetic_dot(elements, 42);
    bencher.bench(|| {
        import("synthetic.dot", text.as_bytes(), &ImportOptions::default())
            .ok()
            .map(|d| d.diagrams.len())
    });
}

#[divan::bench(args = [false, true], sample_count = 10)]
fn drawio_import_10000_cells(bencher: divan::Bencher, compressed: bool) {
    let text = synthetic_drawio(10_000, 42, compressed);
    bencher.bench(|| {
        import("synthetic.drawio", text.as_bytes(), &ImportOptions::default())
            .ok()
            .map(|d| d.diagrams.len())
    });
}

#[divan::bench(args = [1_000, 10_000], sample_count = 5)]
fn layout_and_svg(bencher: divan::Bencher, elements: usize) {
    let text = synthetic_dot(elements, 42);
    let catalog = catalog();
    let Ok(analysed) = run("synthetic.dot", text.as_bytes(), &ImportOptions::default(), &catalog)
    else {
        return;
    };
    bencher.bench(|| dfd_threats::export::svg::render(&analysed.report(&catalog)).len());
}
