//! The draw.io reader (plain and compressed pages, .drawio.svg, .drawio.png) on arbitrary bytes.
#![no_main]

use dfd_threats::import::{drawio, ImportOptions, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A smaller inflation budget keeps each run fast; the limit logic is the same.
    let limits = Limits { max_inflated_bytes: 4 << 20, ..Limits::default() };
    let _ = drawio::import(data, &ImportOptions { limits, ..ImportOptions::default() });
});
