//! draw.io reader (placeholder until the reader lands).

use crate::diagnostic::Diagnostic;
use crate::import::ImportOptions;
use crate::model::Diagram;

pub fn import(
    _bytes: &[u8],
    _options: &ImportOptions,
) -> Result<(Vec<Diagram>, Vec<Diagnostic>), Diagnostic> {
    Err(Diagnostic::new("draw.io import is not built yet"))
}
