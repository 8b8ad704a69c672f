//! Writers: one module per output format. Each reads a [`Report`] and knows nothing of input
//! formats.

pub mod annotation;
pub mod drawio;
pub mod github_issues;
pub mod jira_csv;
pub mod json;
pub mod markdown;
pub mod palette;
pub mod sarif;
pub mod svg;
pub mod text;

use crate::analysis::DiagramAnalysis;
use crate::model::{Diagram, Document};
use crate::threats::{Catalog, Threat};

/// Everything an exporter may show: the document, its analysis and its threats.
pub struct Report<'a> {
    pub document: &'a Document,
    /// By diagram, parallel to `document.diagrams`.
    pub analyses: &'a [DiagramAnalysis],
    /// All threats, diagram by diagram.
    pub threats: &'a [Threat],
    pub catalog: &'a Catalog,
    /// The comparison with `--baseline`, when given.
    pub baseline: Option<&'a Baseline>,
    /// The base name of the files written beside each other for this document (batch mode),
    /// when it differs from the input's stem; exporters that link siblings (Markdown → SVG) use it.
    pub output_stem: Option<&'a str>,
}

/// What changed since a previous run's JSON.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// The baseline file as given.
    pub path: String,
    /// Threats in the baseline that are gone now (fixed, or their target removed).
    pub fixed: Vec<FixedThreat>,
}

/// A threat of the baseline that no longer appears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedThreat {
    pub id: String,
    pub rule: String,
    pub title: String,
    pub diagram: String,
    pub target: String,
}

impl<'a> Report<'a> {
    /// Each diagram with its analysis and its threats.
    pub fn diagrams(
        &self,
    ) -> impl Iterator<Item = (&'a Diagram, &'a DiagramAnalysis, &'a [Threat])> {
        let threats = self.threats;
        let mut start = 0;
        self.document.diagrams.iter().zip(self.analyses).map(move |(d, a)| {
            let len = threats[start..].iter().take_while(|t| t.diagram == d.name).count();
            let slice = &threats[start..start + len];
            start += len;
            (d, a, slice)
        })
    }
}
