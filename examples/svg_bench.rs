//! Times layout + SVG on synthetic DOT diagrams:
//! `cargo run --release --example svg_bench -- 1000 10000`.

use std::time::Instant;

use dfd_threats::export::svg::render;
use dfd_threats::import::ImportOptions;
use dfd_threats::pipeline::run;
use dfd_threats::threats::Catalog;

fn main() {
    let Ok(catalog) = Catalog::builtin() else {
        eprintln!("svg_bench: the built-in catalog does not load");
        return;
    };
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    for n in if sizes.is_empty() { vec![1000, 10_000] } else { sizes } {
        let dot = dfd_threats::synthetic::synthetic_dot(n, 42);
        let analysed =
            match run("synthetic.dot", dot.as_bytes(), &ImportOptions::default(), &catalog) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("svg_bench: {e:?}");
                    return;
                }
            };
        let report = analysed.report(&catalog);
        let start = Instant::now();
        for d in &analysed.document.diagrams {
            std::hint::black_box(dfd_threats::layout::layout(d));
        }
        let layout_only = start.elapsed();
        let start = Instant::now();
        let pages = render(&report);
        let elapsed = start.elapsed();
        let bytes: usize = pages.iter().map(|(_, svg)| svg.len()).sum();
        println!(
            "{n} elements: layout + SVG {:.3} s (layout alone {:.3} s), {} KiB",
            elapsed.as_secs_f64(),
            layout_only.as_secs_f64(),
            bytes / 1024
        );
    }
}
