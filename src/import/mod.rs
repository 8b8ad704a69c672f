//! Readers: each input format becomes one [`Document`].
//!
//! An importer knows its format and nothing of threats. It reports fatal problems as a
//! [`Diagnostic`] (the CLI exits 2) and tolerable ones as warnings on the document.

pub(crate) mod builder;
mod cloud_products;
pub mod dot;
pub mod drawio;
pub(crate) mod flow_facts;
pub mod hints;
pub(crate) mod html_blocks;
pub mod html_text;
mod line_sides;
pub mod otm;
pub mod registry;
pub(crate) mod structured;
pub mod text;
pub mod threagile;
pub mod threat_dragon;
pub mod tmt;
mod unlabelled;

use crate::diagnostic::Diagnostic;
use crate::model::{Diagram, Document, Format};

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

/// The error for a file no reader recognises, naming what it looks like.
fn not_a_diagram(bytes: &[u8]) -> Diagnostic {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.trim().is_empty() {
        return Diagnostic::new("the file is empty: there is no diagram to read")
            .with_help("give a Graphviz DOT or draw.io file");
    }
    let looks_like = if head.starts_with('{') || head.starts_with('[') {
        "JSON, but neither a Threat Dragon model (`detail.diagrams`) nor an OTM file (`otmVersion`)"
    } else if head.contains("<KnowledgeBase") {
        "a Microsoft Threat Modeling Tool template (.tb7), not a model (.tm7)"
    } else if head.starts_with('<') {
        "XML or HTML, but not a draw.io diagram"
    } else if looks_like_yaml(head) {
        "YAML, but neither an OTM file (`otmVersion`) nor a Threagile model (`threagile_version`)"
    } else if bytes.iter().take(4096).any(|&b| b == 0) {
        "a binary file"
    } else {
        "text that does not start with `graph` or `digraph`"
    };
    Diagnostic::new(format!("this is not a diagram dfd-threats reads: it looks like {looks_like}"))
        .with_help(format!(
            "dfd-threats reads {}; `dfd-threats formats` lists them",
            registry::described()
        ))
}

/// Whether the first line that is not a comment is a YAML `key:` line.
fn looks_like_yaml(head: &str) -> bool {
    let line = head.lines().map(str::trim_end).find(|l| !l.is_empty() && !l.starts_with('#'));
    line.and_then(|l| l.split_once(':')).is_some_and(|(key, rest)| {
        !key.is_empty()
            && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            && (rest.is_empty() || rest.starts_with(' '))
    })
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
    let reader = match options.format {
        Some(format) => registry::by_name(format.name()),
        None => registry::detect(path, bytes),
    };
    let Some(reader) = reader else { return Err(not_a_diagram(bytes)) };
    let (mut diagrams, mut warnings) = (reader.read)(bytes, options)?;
    warnings.extend(diagrams.iter().filter(|d| d.graph.node_count() == 0).map(nothing_read));
    diagrams.iter_mut().for_each(cloud_products::resolve);
    diagrams.iter_mut().for_each(line_sides::assign);
    diagrams.iter_mut().for_each(flow_facts::infer);
    diagrams.iter_mut().for_each(unlabelled::name);
    Ok(Document { path: path.to_string(), format: reader.format, diagrams, warnings })
}

/// An empty diagram reads as "no threats", which a pipeline's gate would pass: say that nothing
/// was read, so an empty page or a file that only looks like a diagram is not taken for a clean
/// system.
fn nothing_read(diagram: &Diagram) -> Diagnostic {
    Diagnostic::new(format!("diagram {:?} has no elements, so it has no threats", diagram.name))
    .with_help("check that this is the diagram you meant: its shapes or nodes were not read as parts of a system")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn other_files_get_an_error_that_says_what_they_look_like() {
        let err = |bytes: &[u8]| import("x", bytes, &ImportOptions::default()).unwrap_err().message;
        assert!(err(b"{\"version\": \"2.0\"}").contains("neither a Threat Dragon"));
        assert!(err(b"<KnowledgeBase/>").contains("template"));
        assert!(err(b"# mapping\ntrustzones:\n  - id: x\n").contains("YAML, but neither"));
        assert!(err(b"root:x:0:0:root:/root:/bin/bash\n").contains("does not start with"));
    }

    #[test]
    fn an_empty_diagram_is_reported_not_taken_for_a_clean_one() {
        let read = |bytes: &[u8]| import("x.dot", bytes, &ImportOptions::default()).unwrap();
        let empty = read(b"digraph Empty {}");
        assert_eq!(empty.warnings.len(), 1);
        assert!(empty.warnings[0].message.contains("\"Empty\" has no elements"));
        assert!(read(b"digraph G { a -> b }").warnings.is_empty());
    }
}
