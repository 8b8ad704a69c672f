//! Readers: each input format becomes one [`Document`].
//!
//! An importer knows its format and nothing of threats. It reports fatal problems as a
//! [`Diagnostic`] (the CLI exits 2) and tolerable ones as warnings on the document.

pub mod dot;
pub mod drawio;
pub(crate) mod flow_facts;
pub mod hints;
pub mod html_text;
pub mod text;

use crate::diagnostic::Diagnostic;
use crate::model::{Document, Format};

/// Bounds on what an input may make us do. Past one: a clear error, never a crash or a hang.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes read from the input file.
    pub max_input_bytes: usize,
    /// Bytes produced by inflating compressed draw.io content, in total.
    pub max_inflated_bytes: usize,
    /// Nesting of braces, subgraphs, XML elements or containers.
    pub max_depth: usize,
    /// Elements (nodes, cells) in one diagram.
    pub max_elements: usize,
    /// Flows (edges) in one diagram.
    pub max_flows: usize,
    /// Characters kept of one label, and of a name or id shown in outputs (graph, page, node,
    /// cluster); longer ones are cut with a warning.
    pub max_label_chars: usize,
    /// Flows one DOT edge statement may expand to (`{a b} -> {c d}` is four).
    pub max_flows_per_statement: usize,
    /// Flows a DOT file may expand to per byte of input, so that output stays proportional to
    /// input; a file may always have [`FLOWS_ALWAYS_ALLOWED`] (and never more than `max_flows`).
    pub max_flows_per_input_byte: usize,
    /// Rectangles, containers and groups on one draw.io page that may be trust boundaries. Deciding
    /// which are goes through a containment index and is near linear, so the default matches
    /// `max_elements`: the limit is a backstop on memory, not on time.
    pub max_boundary_candidates: usize,
}

/// Flows any DOT file may expand to, however short: the floor under
/// [`Limits::max_flows_per_input_byte`].
pub const FLOWS_ALWAYS_ALLOWED: usize = 10_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 << 20,
            max_inflated_bytes: 64 << 20,
            max_depth: 256,
            max_elements: 200_000,
            max_flows: 600_000,
            max_label_chars: 4096,
            max_flows_per_statement: 10_000,
            max_flows_per_input_byte: 4,
            max_boundary_candidates: 200_000,
        }
    }
}

impl Limits {
    /// The most flows a DOT file of `input_bytes` bytes may expand to.
    pub fn flows_for_input(&self, input_bytes: usize) -> usize {
        self.max_flows_per_input_byte
            .saturating_mul(input_bytes)
            .max(FLOWS_ALWAYS_ALLOWED)
            .min(self.max_flows)
    }
}

/// What the caller asks of an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Only this page (draw.io) or graph (DOT) by name.
    pub page: Option<String>,
    pub limits: Limits,
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
}

/// Decides the format from the content first, then the file extension.
pub fn detect_format(path: &str, bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with(b"\x89PNG\r\n\x1a\n")
        || trimmed.starts_with("<mxfile")
        || trimmed.starts_with("<mxGraphModel")
        || (trimmed.starts_with('<')
            && (text.contains("<mxfile")
                || text.contains("mxGraphModel")
                || text.contains("content=\"")))
    {
        return Format::Drawio;
    }
    let lower = path.to_ascii_lowercase();
    if trimmed.starts_with('<')
        && [".drawio", ".xml", ".svg", ".png"].iter().any(|e| lower.ends_with(e))
    {
        return Format::Drawio;
    }
    Format::Dot
}

/// Reads `bytes` (named `path` in messages) into a document.
pub fn import(path: &str, bytes: &[u8], options: &ImportOptions) -> Result<Document, Diagnostic> {
    if bytes.len() > options.limits.max_input_bytes {
        return Err(Diagnostic::new(format!(
            "the file is {} bytes, more than the limit of {} bytes",
            bytes.len(),
            options.limits.max_input_bytes
        ))
        .with_help("raise the limit with --max-input-bytes if the file is genuine"));
    }
    let format = options.format.unwrap_or_else(|| detect_format(path, bytes));
    let (mut diagrams, warnings) = match format {
        Format::Dot => dot::import(bytes, options)?,
        Format::Drawio => drawio::import(bytes, options)?,
    };
    diagrams.iter_mut().for_each(flow_facts::infer);
    Ok(Document { path: path.to_string(), format, diagrams, warnings })
}
