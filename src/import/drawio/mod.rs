//! draw.io reader: `.drawio`/`.xml` files (plain or compressed pages), bare `<mxGraphModel>`,
//! `.drawio.svg` and `.drawio.png`, recognised by content.
//!
//! The work is split by job: [`container`] finds each page's XML inside whatever wraps it,
//! [`cells`] reads the cells as written, [`geometry`] makes positions absolute, [`kinds`] and
//! [`icons`] read what a style means, [`boundaries`] works out regions from geometry (through the
//! [`containment`] index), and
//! [`lower`] puts it together into one [`Diagram`] per page.

mod behaviour;
pub(crate) mod boundaries;
mod buses;
mod cells;
mod components;
mod container;
mod containment;
mod fleets;
mod geometry;
mod icons;
mod kinds;
mod lower;
mod picture;
mod relays;
mod style;
pub(crate) mod xml;

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Location};
use crate::import::text::shown_name;
use crate::import::ImportOptions;
use crate::model::Diagram;

pub use icons::{IconRow, Icons};
/// An element's attributes, decoded as the importer decodes them (for the draw.io writer).
pub(crate) use xml::attributes as attribute_pairs;

/// The id of the layer `--format drawio` adds to each page. The importer ignores that cell and
/// every cell under it, so annotations are never read as the diagram, and a second run on its
/// own output sees the same diagram (and replaces the layer).
pub const ANNOTATION_LAYER: &str = "dfd-threats-annotations";

/// Whether the content is a draw.io diagram: a PNG (draw.io embeds the diagram in it), an
/// `<mxfile>` or `<mxGraphModel>` document, an SVG carrying one in its `content` attribute, or
/// other XML named `.drawio`, `.xml`, `.svg` or `.png` (the importer then says what is missing).
pub fn sniff(name: &str, head: &[u8]) -> bool {
    let head = &head[..head.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    head.starts_with(b"\x89PNG\r\n\x1a\n")
        || trimmed.starts_with("<mxfile")
        || trimmed.starts_with("<mxGraphModel")
        || (trimmed.starts_with('<')
            && (text.contains("<mxfile")
                || text.contains("mxGraphModel")
                || text.contains("content=\"")
                || [".drawio", ".xml", ".svg", ".png"].iter().any(|e| name.ends_with(e))))
}

/// Reads a draw.io file: one diagram per page (or only `options.page`) and the warnings met.
pub fn import(
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<(Vec<Diagram>, Vec<Diagnostic>), Diagnostic> {
    let mut warnings = Vec::new();
    let (pages, selected) = selected_pages(bytes, options, &mut warnings)?;
    // Cells can be pointed at by a line of the file only when their page is written in it as
    // plain XML (not compressed, not inside an SVG or PNG).
    let file = pages.embedded.is_none().then(|| container::file_text(bytes));
    let mut diagrams = Vec::with_capacity(pages.pages.len());
    for (page, _) in pages.pages.into_iter().zip(selected).filter(|(_, s)| *s) {
        let mut cells = cells::read_cells(&page.xml, &page.name, &options.limits)?;
        if cells.is_empty() && page.span.is_some() {
            warnings.push(no_cells(&page.name));
        }
        let first_line = match (&file, &page.span) {
            (Some(text), Some(span)) if !page.compressed => {
                text.get(..span.start).map(|before| 1 + before.matches('\n').count())
            }
            _ => None,
        };
        for cell in &mut cells {
            cell.line = first_line.zip(cell.line).map(|(first, line)| first + line - 1);
        }
        diagrams.push(lower::lower_page(&page.name, cells, &options.limits, &mut warnings)?);
    }
    Ok((diagrams, warnings))
}

/// A page with content but not one `<mxCell>`: draw.io writes every shape and arrow as one, so the
/// page was written by something else or edited by hand (`<mxCel>`), and nothing on it was read.
fn no_cells(page: &str) -> Diagnostic {
    Diagnostic::new("the page has no <mxCell> element, so none of its content was read")
        .with_location(Location::Cell { page: page.to_string(), cell: None, line: None })
        .with_help("draw.io writes every shape and arrow as an <mxCell>; open the file in draw.io and save it again, or fix the element names")
}

/// Every page, named as shown, and whether `options.page` selects it (all are selected without
/// it). The importer and [`source`] both read pages through this, so the diagrams of a report
/// are the selected pages, in order.
fn selected_pages(
    bytes: &[u8],
    options: &ImportOptions,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(container::Pages, Vec<bool>), Diagnostic> {
    let limits = &options.limits;
    let mut budget = container::InflateBudget::new(limits.max_inflated_bytes);
    let mut pages = container::read_pages(bytes, &mut budget)?;
    for page in &mut pages.pages {
        page.name = shown_page_name(&page.name, limits.max_label_chars, warnings);
    }
    let selected: Vec<bool> =
        pages.pages.iter().map(|p| options.page.as_ref().is_none_or(|w| &p.name == w)).collect();
    if let Some(wanted) = &options.page {
        if !selected.contains(&true) {
            let names: Vec<String> = pages.pages.iter().map(|p| format!("{:?}", p.name)).collect();
            return Err(Diagnostic::new(format!("there is no page named {wanted:?}"))
                .with_help(format!("the pages are {}", names.join(", "))));
        }
    }
    Ok((pages, selected))
}

/// A draw.io file as text, with where each page's content lies in it: what `--format drawio`
/// needs to write the file back with one layer added to each page and nothing else changed.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The draw.io document: the file's text, or the document an SVG or PNG carries.
    pub text: String,
    /// The file is the document itself (not an SVG or PNG carrying it) and starts with a byte
    /// order mark, which `text` does not hold.
    pub byte_order_mark: bool,
    pub pages: Vec<SourcePage>,
}

/// One page of a [`Source`].
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// As the diagram of this page is named.
    pub name: String,
    /// The page's `<mxGraphModel>`, inflated when it was compressed.
    pub xml: String,
    /// Where the content is in [`Source::text`]; `None` for an empty page.
    pub span: Option<Range<usize>>,
    pub compressed: bool,
    /// Imported (every page, or the one `--page` names): the report has a diagram for it.
    pub selected: bool,
}

/// Reads a draw.io file as [`Source`], selecting pages as [`import`] does.
pub fn source(bytes: &[u8], options: &ImportOptions) -> Result<Source, Diagnostic> {
    let (pages, selected) = selected_pages(bytes, options, &mut Vec::new())?;
    let byte_order_mark = pages.embedded.is_none() && bytes.starts_with("\u{feff}".as_bytes());
    let text = pages.embedded.unwrap_or_else(|| container::file_text(bytes));
    let pages = pages
        .pages
        .into_iter()
        .zip(selected)
        .map(|(p, selected)| SourcePage {
            name: p.name,
            xml: p.xml,
            span: p.span,
            compressed: p.compressed,
            selected,
        })
        .collect();
    Ok(Source { text, byte_order_mark, pages })
}

/// A page name as shown (see [`shown_name`]), with a warning when it was shortened.
fn shown_page_name(name: &str, max_chars: usize, warnings: &mut Vec<Diagnostic>) -> String {
    let (shown, shortened) = shown_name(name, max_chars);
    if shortened {
        warnings.push(
            Diagnostic::new(format!(
                "page name longer than {max_chars} characters was shortened to {shown:?}"
            ))
            .with_location(Location::Cell { page: shown.clone(), cell: None, line: None })
            .with_help("rename the page, or raise --max-label-chars"),
        );
    }
    shown
}

#[cfg(test)]
mod tests;
