//! Prints a synthetic DOT diagram: `cargo run --release --example synthetic -- 10000 > big.dot`.

fn main() {
    let n = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(42);
    print!("{}", dfd_threats::synthetic::synthetic_dot(n, seed));
}
