//! The integration tests, as one test binary.
//!
//! Each module below was its own binary, and each binary linked the whole crate and its
//! dependencies again: on two cores the links alone took minutes of CI, and the binaries ran one
//! after another. One binary links once and runs every test on every core. Run one part with a
//! filter: `cargo test --test integration accuracy:: -- --nocapture`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod accuracy;
mod cli;
mod corpus;
mod drawio_examples;
mod hardening;
mod hostile;
mod json_schema;
mod models;
mod picture;
mod pipelines;
mod properties;
mod rules;
mod sarif;
mod snapshots;
mod svg;
mod ways_in;
mod writers;

/// With `autotests = false` Cargo no longer finds test files by itself: a file of `tests/` left
/// out of the list above would be neither built nor run, silently.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let listed = std::fs::read_to_string(root.join("main.rs")).unwrap();
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(module) = name.strip_suffix(".rs").filter(|m| *m != "main") {
            assert!(
                listed.contains(&format!("\nmod {module};\n")),
                "tests/{name} is not in tests/main.rs"
            );
        }
    }
}
