//! What the tool says about a diagram, read from its JSON export (schema_version 2; only the inventory) rather than
//! from the Rust model: the JSON is the contract users see, and reading it keeps the scorer
//! unchanged while the model's internals move. Only the fields the scorer needs are declared;
//! new JSON fields are ignored.

use serde::Deserialize;

use dfd_threats::export::json;
use dfd_threats::import::ImportOptions;
use dfd_threats::pipeline;
use dfd_threats::threats::Catalog;

#[derive(Debug, Deserialize)]
pub struct ToolDocument {
    pub diagrams: Vec<ToolDiagram>,
}

#[derive(Debug, Deserialize)]
pub struct ToolDiagram {
    pub name: String,
    pub boundaries: Vec<ToolBoundary>,
    pub elements: Vec<ToolElement>,
}

#[derive(Debug, Deserialize)]
pub struct ToolBoundary {
    pub id: String,
    pub parent: Option<String>,
    /// Today always a number; `null` would mark a boundary the tool ranks as no trust step.
    pub trust: Option<i64>,
    /// Not in the JSON yet: the marker of a mere grouping, should the tool add one under this name.
    #[serde(default)]
    pub grouping: bool,
}

#[derive(Debug, Deserialize)]
pub struct ToolElement {
    pub id: String,
    pub kind: String,
    pub boundary: Option<String>,
    pub external_actor: Option<String>,
    pub entry_point: Option<String>,
}

impl ToolBoundary {
    /// Whether the tool treats this boundary as a trust zone rather than a mere grouping, the
    /// distinction the labels' `zone` makes. Today every boundary is a zone (`trust` is always a
    /// number and there is no `grouping` field). When the JSON gains a grouping marker under
    /// another name, declare it on [`ToolBoundary`] and test it here: that is the one change.
    pub fn is_trust_zone(&self) -> bool {
        self.trust.is_some() && !self.grouping
    }
}

impl ToolDiagram {
    /// The element's zone as the tool sees it: its innermost enclosing boundary that is a trust
    /// zone, walking up past groupings; `""` when there is none.
    pub fn zone_of(&self, element: &ToolElement) -> &str {
        let mut current = element.boundary.as_deref();
        // Bounded by the number of boundaries, so a parent cycle cannot hang the scorer.
        for _ in 0..=self.boundaries.len() {
            let Some(boundary) = current.and_then(|id| self.boundaries.iter().find(|b| b.id == id))
            else {
                return "";
            };
            if boundary.is_trust_zone() {
                return &boundary.id;
            }
            current = boundary.parent.as_deref();
        }
        ""
    }
}

/// Imports and analyses `bytes` (named `path`) with no threat rules, since only the inventory is
/// scored, and reads the JSON export back. An import error is returned as its message.
pub fn inventory(path: &str, bytes: &[u8]) -> Result<ToolDocument, String> {
    let catalog = Catalog::default();
    let analysed = pipeline::run(path, bytes, &ImportOptions::default(), &catalog)
        .map_err(|e| e.to_string())?;
    let text = json::render(&analysed.report(&catalog));
    serde_json::from_str(&text).map_err(|e| format!("the JSON export does not parse: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boundary(id: &str, parent: Option<&str>, grouping: bool) -> ToolBoundary {
        ToolBoundary { id: id.into(), parent: parent.map(Into::into), trust: Some(1), grouping }
    }

    #[test]
    fn the_zone_walks_up_past_groupings() {
        let diagram = ToolDiagram {
            name: "G".into(),
            boundaries: vec![boundary("vpc", None, false), boundary("layer", Some("vpc"), true)],
            elements: Vec::new(),
        };
        let inside = |b: Option<&str>| ToolElement {
            id: "e".into(),
            kind: "process".into(),
            boundary: b.map(Into::into),
            external_actor: None,
            entry_point: None,
        };
        assert_eq!(diagram.zone_of(&inside(Some("layer"))), "vpc");
        assert_eq!(diagram.zone_of(&inside(Some("vpc"))), "vpc");
        assert_eq!(diagram.zone_of(&inside(None)), "");
    }
}
