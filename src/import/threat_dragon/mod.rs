//! OWASP Threat Dragon reader: JSON models of version 1 (JointJS cells under
//! `detail.diagrams[].diagramJson.cells`, properties on the cell) and version 2 (antv/X6 cells
//! under `detail.diagrams[].cells`, properties under `data`), one diagram per Threat Dragon
//! diagram.
//!
//! [`cells`] reads both versions' cells into one shape; [`lower`] turns them into a
//! [`Diagram`]: actors, processes and stores become elements where they were drawn,
//! boundary boxes hold the elements whose centre they contain, boundary curves become boundary
//! lines, flows keep their bends, and the threats recorded on cells are kept as recorded threats.

mod cells;
mod lower;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::import::builder::only_page;
use crate::import::structured::{from_json, has_top_level_key, head, string};
use crate::import::ImportOptions;
use crate::model::Diagram;

const WHAT: &str = "a Threat Dragon model";

/// The key of `data` under which dfd-threats' Threat Dragon writer keeps the attributes Threat
/// Dragon has no property for (Threat Dragon keeps unknown `data` keys), read back here.
pub const EXTRA_ATTRIBUTES: &str = "dfdThreatsAttributes";

/// The key of `data` under which that writer keeps an element's technology id (`postgresql`),
/// which it may have from a source other than its label (an OTM type, a draw.io icon).
pub const TECHNOLOGY: &str = "dfdThreatsTechnology";

#[derive(Debug, Deserialize)]
struct Model {
    #[serde(default)]
    summary: Option<Summary>,
    detail: Detail,
}

#[derive(Debug, Deserialize)]
struct Summary {
    #[serde(default)]
    title: Value,
}

#[derive(Debug, Deserialize)]
struct Detail {
    #[serde(default)]
    diagrams: Vec<TdDiagram>,
}

#[derive(Debug, Deserialize)]
struct TdDiagram {
    #[serde(default)]
    title: Value,
    /// Version 2.
    #[serde(default)]
    cells: Option<Vec<Value>>,
    /// Version 1.
    #[serde(default, rename = "diagramJson")]
    diagram_json: Option<DiagramJson>,
}

#[derive(Debug, Deserialize)]
struct DiagramJson {
    #[serde(default)]
    cells: Vec<Value>,
}

/// Whether the bytes look like a Threat Dragon model: a JSON object with a `detail` object and a
/// `diagrams` array (and no `otmVersion`). The keys must open what they hold, so a label saying
/// "detail" in another JSON file (this tool's own report, say) does not count.
pub fn sniff(_name: &str, bytes: &[u8]) -> bool {
    let text = head(bytes);
    text.starts_with('{')
        && opens(&text, "detail", '{')
        && opens(&text, "diagrams", '[')
        && !has_top_level_key(&text, "otmVersion")
}

/// Whether `"key"` appears followed by a colon and `open`.
fn opens(text: &str, key: &str, open: char) -> bool {
    let quoted = format!("\"{key}\"");
    text.match_indices(&quoted).any(|(at, _)| {
        let rest = text[at + quoted.len()..].trim_start();
        rest.strip_prefix(':').is_some_and(|r| r.trim_start().starts_with(open))
    })
}

/// Reads a Threat Dragon model: one diagram per Threat Dragon diagram (or only `options.page`).
pub fn import(
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<(Vec<Diagram>, Vec<Diagnostic>), Diagnostic> {
    let model: Model = from_json(bytes, WHAT)?;
    let model_title = model.summary.as_ref().and_then(|s| string(&s.title)).unwrap_or_default();
    let mut warnings = Vec::new();
    let mut diagrams = Vec::with_capacity(model.detail.diagrams.len());
    for (index, d) in model.detail.diagrams.iter().enumerate() {
        let title = string(&d.title).filter(|t| !t.trim().is_empty());
        let name = title.unwrap_or_else(|| match model.detail.diagrams.len() {
            1 if !model_title.trim().is_empty() => model_title.clone(),
            _ => format!("Diagram {}", index + 1),
        });
        let raw = match (&d.cells, &d.diagram_json) {
            (Some(cells), _) => cells.as_slice(),
            (None, Some(json)) => json.cells.as_slice(),
            (None, None) => &[],
        };
        diagrams.push(lower::lower(&name, raw, &options.limits, &mut warnings)?);
    }
    if diagrams.is_empty() {
        return Err(Diagnostic::new("the Threat Dragon model has no diagrams")
            .with_help("add a diagram in Threat Dragon, or check that this is the model file"));
    }
    Ok((only_page(diagrams, options.page.as_deref())?, warnings))
}

#[cfg(test)]
mod tests;
