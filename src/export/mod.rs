//! Writers: one module per output format. Each reads a [`Report`] and knows nothing of input
//! formats.

pub mod annotation;
pub mod drawio;
pub mod github_issues;
pub mod jira_csv;
pub mod json;
pub mod markdown;
pub mod otm;
pub mod palette;
pub mod registry;
pub mod sarif;
pub mod svg;
pub mod text;
pub mod threat_dragon;

use crate::analysis::DiagramAnalysis;
use crate::layout::Layout;
use crate::model::{Diagram, Document};
use crate::threats::findings::{self, Finding};
use crate::threats::{Catalog, Threat};

/// Everything an exporter may show: the document, its analysis, its threats and their findings.
pub struct Report<'a> {
    pub document: &'a Document,
    /// By diagram, parallel to `document.diagrams`.
    pub analyses: &'a [DiagramAnalysis],
    /// All threats (one per rule and target), diagram by diagram.
    pub threats: &'a [Threat],
    /// The threats grouped into findings ([`findings::group`]), diagram by diagram, each
    /// diagram's ranked; see [`Report::with_findings`].
    pub findings: Vec<Finding<'a>>,
    /// How many of `findings` belong to each diagram of [`Report::diagrams`], in order; findings
    /// of threats no diagram covers come after them.
    findings_per_diagram: Vec<usize>,
    pub catalog: &'a Catalog,
    /// The comparison with `--baseline`, when given.
    pub baseline: Option<&'a Baseline>,
    /// The base name of the files written beside each other for this document (batch mode),
    /// when it differs from the input's stem; exporters that link siblings (Markdown → SVG) use it.
    pub output_stem: Option<&'a str>,
    /// Layouts already computed, parallel to `document.diagrams` (see
    /// [`crate::pipeline::analyse_laid_out`]); empty when they were not: the SVG writer lays a
    /// diagram out itself when its layout is not here.
    pub layouts: &'a [Layout],
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
    /// A report of `threats`, which must be final (suppressions and the baseline applied): their
    /// findings are grouped here, once, for every writer.
    pub fn with_findings(
        document: &'a Document,
        analyses: &'a [DiagramAnalysis],
        threats: &'a [Threat],
        catalog: &'a Catalog,
    ) -> Report<'a> {
        let mut report = Report {
            document,
            analyses,
            threats,
            findings: Vec::new(),
            findings_per_diagram: Vec::new(),
            catalog,
            baseline: None,
            output_stem: None,
            layouts: &[],
        };
        let mut covered = 0;
        let grouped: Vec<Vec<Finding<'a>>> = report
            .diagrams()
            .map(|(d, _, slice)| {
                covered += slice.len();
                findings::group(Some(d), slice)
            })
            .collect();
        report.findings_per_diagram = grouped.iter().map(Vec::len).collect();
        report.findings = grouped.into_iter().flatten().collect();
        // Threats that no diagram's run covers (never in a report the pipeline builds) are kept,
        // not dropped: they are grouped on their own.
        report.findings.extend(findings::group(None, &threats[covered.min(threats.len())..]));
        report
    }

    /// Each diagram with its analysis, its threats and its findings.
    pub fn diagrams_with_findings(
        &self,
    ) -> impl Iterator<Item = (&'a Diagram, &'a DiagramAnalysis, &'a [Threat], &[Finding<'a>])>
    {
        let mut start = 0;
        self.diagrams().zip(&self.findings_per_diagram).map(move |((d, a, t), &n)| {
            let slice = &self.findings[start..start + n];
            start += n;
            (d, a, t, slice)
        })
    }

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
