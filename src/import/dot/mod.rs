//! Graphviz DOT reader (placeholder until the parser lands).

use crate::diagnostic::Diagnostic;
use crate::import::ImportOptions;
use crate::model::Diagram;

pub fn import(
    _bytes: &[u8],
    _options: &ImportOptions,
) -> Result<(Vec<Diagram>, Vec<Diagnostic>), Diagnostic> {
    Err(Diagnostic::new("DOT import is not built yet"))
}
