//! `--format drawio`: the user's own draw.io file with what the analysis found added as one layer
//! per page (`dfd-threats annotations`), which draw.io can hide, lock or delete.
//!
//! Everything else stays as it was, byte for byte: each page's text is edited in place (the old
//! annotation layer cut out, the new one inserted after the page's last cell) rather than the
//! document being read and written again. A compressed page is written back as plain XML (draw.io
//! reads both); a draw.io document carried in an SVG or PNG is written out as a `.drawio` file.
//! The importer ignores the layer ([`ANNOTATION_LAYER`]), so running on its own output gives the
//! same analysis and replaces the layer.
//!
//! [`ANNOTATION_LAYER`]: crate::import::drawio::ANNOTATION_LAYER

mod cells;
mod flows;
mod layer;
mod legend;
mod page;

use std::collections::HashSet;

use super::annotation::Details;
use super::Report;
use crate::import::drawio::Source;
use crate::model::Format;
use layer::{layer_cells, PageView};
use page::Model;

/// The annotated file, or why there is none.
pub fn render(report: &Report<'_>, source: &Source, details: Details) -> Result<String, String> {
    if report.document.format != Format::DRAWIO {
        return Err("--format drawio adds a layer to a draw.io file, and this is Graphviz DOT: \
                    use --format svg for an annotated picture"
            .to_string());
    }
    let mut diagrams = report.diagrams();
    // (span in the text, its new content), in text order.
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for page in source.pages.iter().filter(|p| p.selected) {
        let Some((diagram, analysis, threats)) = diagrams.next() else {
            return Err("internal error: fewer diagrams than pages".into());
        };
        let Some(span) = page.span.clone() else { continue };
        let Some(model) = Model::read(&page.xml) else { continue };
        let old: HashSet<&str> = model.annotation_ids();
        let view = PageView { diagram, analysis, threats, details, model: &model, old: &old };
        let added = layer_cells(&view);
        let xml = model.rewrite(&page.xml, &old, &added);
        // A plain page replaces its <mxGraphModel>; a compressed one, its text: plain XML now.
        if page.compressed || xml != page.xml {
            edits.push((span, xml));
        }
    }
    let mut out =
        String::with_capacity(source.text.len() + edits.iter().map(|e| e.1.len()).sum::<usize>());
    if source.byte_order_mark {
        out.push('\u{feff}');
    }
    let mut at = 0;
    for (span, xml) in edits {
        out.push_str(source.text.get(at..span.start).unwrap_or(""));
        out.push_str(&xml);
        at = span.end;
    }
    out.push_str(source.text.get(at..).unwrap_or(""));
    Ok(out)
}
