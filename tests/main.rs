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
