//! Times each stage of `analyze --format svg` on its own, one after the other on one thread, for
//! a synthetic DOT diagram of N elements (BENCHMARKS.md):
//! `cargo run --release --example phases -- 10000`.
//!
//! The binary runs the threats beside the layout; here every stage is timed alone so that the
//! layout and the SVG (issue 12's "layout + SVG") can be read apart from import and threats.
//! Each stage prints its wall time and, on Linux, the CPU time of the process on all its threads
//! (from `/proc/self/stat`, in hundredths of a second), which a busy machine inflates much less.

use std::time::{Duration, Instant};

use dfd_threats::export::annotation::Details;
use dfd_threats::export::svg::write_diagram;
use dfd_threats::import::{import, ImportOptions};
use dfd_threats::pipeline::analyse;
use dfd_threats::threats::Catalog;

fn main() {
    let n = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let text = dfd_threats::synthetic::synthetic_dot(n, 42);
    let catalog = Catalog::builtin().unwrap_or_default();

    let (document, imported) =
        timed(|| import("synthetic.dot", text.as_bytes(), &ImportOptions::default()));
    let Ok(document) = document else {
        eprintln!("the synthetic diagram did not import");
        return;
    };
    let (mut analysed, threats) = timed(|| analyse(document, &catalog));
    let (layouts, laid_out) =
        timed(|| analysed.document.diagrams.iter().map(dfd_threats::layout::layout).collect());
    analysed.layouts = layouts;
    let mut svg = std::io::BufWriter::new(std::io::sink());
    let (written, drawn) =
        timed(|| write_diagram(&analysed.report(&catalog), 0, Details::Summary, &mut svg));
    if let Err(e) = written {
        eprintln!("writing the SVG failed: {e}");
    }

    let both = (laid_out.0 + drawn.0, laid_out.1 + drawn.1);
    println!("{n} elements, wall / CPU time:");
    for (stage, (wall, cpu)) in [
        ("import", imported),
        ("analysis + threats", threats),
        ("layout", laid_out),
        ("SVG", drawn),
        ("layout + SVG", both),
    ] {
        println!("  {stage:<20} {:>7.0} ms {:>7.0} ms", ms(wall), ms(cpu));
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Wall and CPU time of `stage`, and what it returned.
fn timed<T>(stage: impl FnOnce() -> T) -> (T, (Duration, Duration)) {
    let (wall, cpu) = (Instant::now(), process_cpu());
    let value = stage();
    (value, (wall.elapsed(), process_cpu().saturating_sub(cpu)))
}

/// User and system time of this process so far, all threads; zero where the kernel does not
/// say. The fields after the command name (which may hold spaces, so it is skipped by its closing
/// parenthesis) are counted from the state, field 3: utime is field 14, stime 15, in clock ticks
/// of 1/100 s.
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 =
        after_name.split_whitespace().skip(11).take(2).filter_map(|t| t.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}
