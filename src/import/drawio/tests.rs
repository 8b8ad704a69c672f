//! End-to-end tests of the draw.io reader on small hand-built files.
#![allow(clippy::unwrap_used, clippy::expect_used)]
