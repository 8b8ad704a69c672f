//! Prints a synthetic diagram for benchmarks:
//! `cargo run --release --example synthetic -- 10000 > big.dot` (N elements, DOT),
//! `cargo run --release --example synthetic -- 10000 drawio|drawio-compressed > big.drawio`
//! (about N cells), or
//! `cargo run --release --example synthetic -- 50000 drawio-regions 5000 > regions.drawio`
//! (about N cells, of which R dashed boundary rectangles, nested and overlapping; R defaults to
//! N / 10).

fn main() {
    let n = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let text = match std::env::args().nth(2).as_deref() {
        Some("drawio") => dfd_threats::synthetic::synthetic_drawio(n, 42, false),
        Some("drawio-compressed") => dfd_threats::synthetic::synthetic_drawio(n, 42, true),
        Some("drawio-regions") => {
            let regions = std::env::args().nth(3).and_then(|a| a.parse().ok()).unwrap_or(n / 10);
            dfd_threats::synthetic::synthetic_drawio_regions(n, regions, 42)
        }
        _ => dfd_threats::synthetic::synthetic_dot(n, 42),
    };
    print!("{text}");
}
