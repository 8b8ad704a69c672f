//! The whole pipeline in one call: import → analysis → threats (and, when asked, layouts).

use crate::analysis::{analyze, DiagramAnalysis};
use crate::diagnostic::Diagnostic;
use crate::export::Report;
use crate::import::{import, ImportOptions};
use crate::layout::{layout, Layout};
use crate::model::Document;
use crate::threats::{evaluate_on, Catalog, Threads, Threat};

/// A document with its analysis and threats.
pub struct Analysed {
    pub document: Document,
    /// Parallel to `document.diagrams`.
    pub analyses: Vec<DiagramAnalysis>,
    /// Diagram by diagram, in diagram order.
    pub threats: Vec<Threat>,
    /// Parallel to `document.diagrams` when computed here ([`analyse_laid_out`]), else empty.
    pub layouts: Vec<Layout>,
}

impl Analysed {
    /// The report of the threats as they are now: apply suppressions and the baseline first.
    pub fn report<'a>(&'a self, catalog: &'a Catalog) -> Report<'a> {
        let mut report =
            Report::with_findings(&self.document, &self.analyses, &self.threats, catalog);
        report.layouts = &self.layouts;
        report
    }
}

/// Analyses an imported document and applies the catalog.
pub fn analyse(document: Document, catalog: &Catalog) -> Analysed {
    analyse_with(document, catalog, false)
}

/// [`analyse`], and lays every diagram out meanwhile, for a writer that draws them (the SVG):
/// the layout needs only the diagram, so it is made beside the analysis and the threat
/// evaluation (which get a thread of their own) instead of after them.
pub fn analyse_laid_out(document: Document, catalog: &Catalog) -> Analysed {
    analyse_with(document, catalog, true)
}

fn analyse_with(mut document: Document, catalog: &Catalog, lay_out: bool) -> Analysed {
    // Kinds first: the layout sizes a box by its element's kind.
    document.diagrams.iter_mut().for_each(crate::analysis::settle_kinds);
    let (analyses, threats, layouts) = if lay_out {
        // The threats on a second thread, evaluated there on that one thread: with the layout
        // on this one, two busy threads fill two cores, where a third would only take turns.
        // The layout stays on this thread so that the memory it frees is reused by the drawing
        // that follows (each thread allocates from an arena of its own).
        std::thread::scope(|scope| {
            let found = scope.spawn(|| threats_of(&document, catalog, Threads::One));
            let layouts: Vec<Layout> = document.diagrams.iter().map(layout).collect();
            // A panic while evaluating is passed on as it would be on one thread.
            let (analyses, threats) = found.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            (analyses, threats, layouts)
        })
    } else {
        let (analyses, threats) = threats_of(&document, catalog, Threads::Two);
        (analyses, threats, Vec::new())
    };
    let assumed = document.diagrams.iter().zip(&analyses);
    let warnings: Vec<Diagnostic> =
        assumed.filter_map(|(d, a)| crate::analysis::reach::assumption_warning(d, a)).collect();
    document.warnings.extend(warnings);
    Analysed { document, analyses, threats, layouts }
}

/// Every diagram's analysis, and the threats the catalog finds in them.
fn threats_of(
    document: &Document,
    catalog: &Catalog,
    threads: Threads,
) -> (Vec<DiagramAnalysis>, Vec<Threat>) {
    let analyses: Vec<DiagramAnalysis> = document.diagrams.iter().map(analyze).collect();
    // Appended a diagram's list at a time, the first one taken as it is: collecting threat by
    // threat grew the list by doubling, copying tens of megabytes on a big diagram.
    let mut threats: Vec<Threat> = Vec::new();
    for (d, a) in document.diagrams.iter().zip(&analyses) {
        let found = evaluate_on(d, a, catalog, threads);
        if threats.is_empty() {
            threats = found;
        } else {
            threats.extend(found);
        }
    }
    (analyses, threats)
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

/// [`run`], laid out as [`analyse_laid_out`] does.
pub fn run_laid_out(
    path: &str,
    bytes: &[u8],
    options: &ImportOptions,
    catalog: &Catalog,
) -> Result<Analysed, Diagnostic> {
    Ok(analyse_laid_out(import(path, bytes, options)?, catalog))
}
