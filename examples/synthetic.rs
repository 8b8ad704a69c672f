//! Prints a synthetic diagram for benchmarks:
//! `cargo run --release --example synthetic -- 10000 > big.dot` (N elements, DOT), or
//! `cargo run --release --example synthetic -- 10000 drawio|drawio-compressed > big.drawio`
//! (about N cells).

fn main() {
    let n = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let text = match std::env::args().nth(2).as_deref() {
        Some("drawio") => dfd_threats::synthetic::synthetic_drawio(n, 42, false),
        Some("drawio-compressed") => dfd_threats::synthetic::synthetic_drawio(n, 42, true),
        _ => dfd_threats::synthetic::synthetic_dot(n, 42),
    };
    print!("{text}");
}
