//! The DOT reader on arbitrary bytes: never a panic, a hang or unbounded memory.
#![no_main]

use dfd_threats::import::{dot, ImportOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dot::import(data, &ImportOptions::default());
});
