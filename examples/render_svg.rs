//! Renders the annotated SVG of a diagram through the library, until `--format svg` is wired into
//! the CLI: `cargo run --release --example render_svg -- diagrams/serverless-orders.dot build/look`
//! writes one `<stem>[.<page>].svg` per diagram into the directory and prints their paths.

use std::process::ExitCode;

use dfd_threats::export::markdown::{document_stem, svg_file_name};
use dfd_threats::export::svg::render;
use dfd_threats::import::ImportOptions;
use dfd_threats::pipeline::run;
use dfd_threats::threats::Catalog;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir] = args.as_slice() else {
        eprintln!("usage: render_svg DIAGRAM OUT_DIR");
        return ExitCode::from(2);
    };
    match render_to(input, out_dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("render_svg: {message}");
            ExitCode::FAILURE
        }
    }
}

fn render_to(input: &str, out_dir: &str) -> Result<(), String> {
    let bytes = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    let catalog = Catalog::builtin().map_err(|e| format!("catalog: {e:?}"))?;
    let analysed =
        run(input, &bytes, &ImportOptions::default(), &catalog).map_err(|d| format!("{d:?}"))?;
    let report = analysed.report(&catalog);
    let pages = render(&report);
    let stem = document_stem(input);
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{out_dir}: {e}"))?;
    for (name, svg) in &pages {
        let path = format!("{out_dir}/{}", svg_file_name(&stem, name, pages.len()));
        std::fs::write(&path, svg).map_err(|e| format!("{path}: {e}"))?;
        println!("{path}");
    }
    Ok(())
}
