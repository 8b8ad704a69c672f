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
    for (d, a) in document.diagrams.iter().zip(&analyses) {
        document.warnings.extend(crate::analysis::reach::assumption_warning(d, a));
    }
    // Appended a diagram's list at a time, the first one taken as it is: collecting threat by
    // threat grew the list by doubling, copying tens of megabytes on a big diagram.
    let mut threats: Vec<Threat> = Vec::new();
    for (d, a) in document.diagrams.iter().zip(&analyses) {
        let found = evaluate(d, a, catalog);
        if threats.is_empty() {
            threats = found;
        } else {
            threats.extend(found);
        }
    }
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
