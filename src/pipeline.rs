//! The whole pipeline in one call: import → analysis → threats.

use crate::analysis::{analyze, DiagramAnalysis};
use crate::diagnostic::Diagnostic;
use crate::export::Report;
use crate::import::{import, ImportOptions};
use crate::model::Document;
use crate::threats::{evaluate, Catalog, Threat};

/// A document with its analysis and threats.
pub struct Analysed {
    pub document: Document,
    /// Parallel to `document.diagrams`.
    pub analyses: Vec<DiagramAnalysis>,
    /// Diagram by diagram, in diagram order.
    pub threats: Vec<Threat>,
}

impl Analysed {
    /// The report of the threats as they are now: apply suppressions and the baseline first.
    pub fn report<'a>(&'a self, catalog: &'a Catalog) -> Report<'a> {
        Report::with_findings(&self.document, &self.analyses, &self.threats, catalog)
    }
}

/// Analyses an imported document and applies the catalog.
pub fn analyse(mut document: Document, catalog: &Catalog) -> Analysed {
    document.diagrams.iter_mut().for_each(crate::analysis::settle_kinds);
    let analyses: Vec<DiagramAnalysis> = document.diagrams.iter().map(analyze).collect();
    let threats = document
        .diagrams
        .iter()
        .zip(&analyses)
        .flat_map(|(d, a)| evaluate(d, a, catalog))
        .collect();
    Analysed { document, analyses, threats }
}

/// Imports `bytes` (named `path` in messages) and analyses them.
pub fn run(
    path: &str,
    bytes: &[u8],
    options: &ImportOptions,
    catalog: &Catalog,
) -> Result<Analysed, Diagnostic> {
    Ok(analyse(import(path, bytes, options)?, catalog))
}
