//! Microsoft Threat Modeling Tool reader: `.tm7` models (XML), one diagram per drawing surface.
//!
//! [`tree`] reads the XML, [`stencils`] reads each stencil (shape or line) and what it is, and
//! [`lower`] puts one drawing surface together, with the threat instances recorded on it.

mod lower;
mod stencils;
mod tree;

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::import::builder::only_page;
use crate::import::structured::head;
use crate::import::ImportOptions;
use crate::model::Diagram;

/// Whether the bytes look like a `.tm7` model: a `<ThreatModel>` root element, after any XML
/// declaration, comments and document type declaration.
pub fn sniff(_name: &str, bytes: &[u8]) -> bool {
    let text = head(bytes);
    let mut body = text.as_str();
    loop {
        body = body.trim_start();
        let skipped = if body.starts_with("<?") {
            body.split_once("?>").map(|(_, r)| r)
        } else if body.starts_with("<!--") {
            body.split_once("-->").map(|(_, r)| r)
        } else if body.starts_with("<!DOCTYPE") {
            let internal = body.find('[').is_some_and(|b| body.find('>').is_none_or(|g| b < g));
            body.split_once(if internal { "]>" } else { ">" }).map(|(_, r)| r)
        } else {
            break;
        };
        match skipped {
            Some(rest) => body = rest,
            None => return false,
        }
    }
    body.starts_with("<ThreatModel")
}

/// Reads a `.tm7` model: one diagram per drawing surface (or only `options.page`).
pub fn import(
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<(Vec<Diagram>, Vec<Diagnostic>), Diagnostic> {
    let source = std::str::from_utf8(bytes).map_err(|e| {
        let lossy = String::from_utf8_lossy(bytes);
        Diagnostic::at_offset(&lossy, e.valid_up_to(), "the file is not UTF-8 text")
            .with_help("save the model again in the Threat Modeling Tool, which writes UTF-8")
    })?;
    let source = source.trim_start_matches('\u{feff}');
    let root = tree::parse(source, &options.limits)?;
    if root.name != "ThreatModel" {
        return Err(Diagnostic::new(format!(
            "the root element is <{}>, not the <ThreatModel> of a Threat Modeling Tool model",
            root.name
        ))
        .with_help("give a model (.tm7) saved by the Microsoft Threat Modeling Tool"));
    }
    let generic = stencils::generic_types(&root);
    let threats: Vec<&tree::Node> =
        root.child("ThreatInstances").map(|t| t.children.iter().collect()).unwrap_or_default();
    let surfaces: Vec<&tree::Node> = root
        .child("DrawingSurfaceList")
        .map(|l| l.children.iter().filter(|s| s.name == "DrawingSurfaceModel").collect())
        .unwrap_or_default();
    let mut by_surface: HashMap<&str, Vec<&tree::Node>> = HashMap::new();
    for t in &threats {
        let surface = t.child("Value").and_then(|v| v.text_of("DrawingSurfaceGuid"));
        by_surface.entry(surface.unwrap_or_default()).or_default().push(t);
    }
    let mut warnings = Vec::new();
    let mut diagrams = Vec::with_capacity(surfaces.len());
    for (index, surface) in surfaces.iter().enumerate() {
        let guid = surface.text_of("Guid").unwrap_or_default();
        let mut mine = by_surface.remove(guid).unwrap_or_default();
        if surfaces.len() == 1 {
            mine.extend(by_surface.drain().flat_map(|(_, v)| v));
        }
        let input = lower::Surface { node: surface, index, generic: &generic, threats: &mine };
        diagrams.push(lower::lower(&input, &options.limits, &mut warnings)?);
    }
    if diagrams.is_empty() {
        return Err(Diagnostic::new("the model has no diagram (no DrawingSurfaceModel)")
            .with_help(
                "add a diagram in the Threat Modeling Tool, or check that this is the model file",
            ));
    }
    Ok((only_page(diagrams, options.page.as_deref())?, warnings))
}

#[cfg(test)]
mod tests;
