//! dfd-threats: a data flow diagram in, a threat model out.
//!
//! One pipeline, data flowing one way: [`import`] (DOT, draw.io) → [`model`] →
//! [`analysis`] (trust zones, crossings, actors, entry points, assets) → [`threats`] (catalog rules
//! → findings) → [`export`] (JSON, SVG, ...).

#![forbid(unsafe_code)]

pub mod analysis;
pub mod cli;
pub mod diagnostic;
pub mod export;
pub mod import;
pub(crate) mod index_hash;
pub mod knowledge;
pub mod layout;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod synthetic;
pub mod threats;
pub mod triage;
pub mod user_text;
