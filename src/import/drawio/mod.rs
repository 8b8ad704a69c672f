//! draw.io reader: `.drawio`/`.xml` files (plain or compressed pages), bare `<mxGraphModel>`,
//! `.drawio.svg` and `.drawio.png`, recognised by content.
//!
//! The work is split by job: [`container`] finds each page's XML inside whatever wraps it,
//! [`cells`] reads the cells as written, [`geometry`] makes positions absolute, [`kinds`] and
//! [`icons`] read what a style means, [`boundaries`] works out regions from geometry (through the
//! [`containment`] index), and
//! [`lower`] puts it together into one [`Diagram`] per page.

pub(crate) mod boundaries;
mod cells;
mod container;
mod containment;
mod geometry;
mod icons;
mod kinds;
mod lower;
mod style;
pub(crate) mod xml;

use crate::diagnostic::{Diagnostic, Location};
use crate::import::text::shown_name;
use crate::import::ImportOptions;
use crate::model::Diagram;

pub use icons::{IconRow, Icons};

/// Reads a draw.io file: one diagram per page (or only `options.page`) and the warnings met.
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

pub fn import(
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<(Vec<Diagram>, Vec<Diagnostic>), Diagnostic> {
    let limits = &options.limits;
    let mut budget = container::InflateBudget::new(limits.max_inflated_bytes);
    let mut pages = container::read_pages(bytes, &mut budget)?;
    let mut warnings = Vec::new();
    for page in &mut pages {
        page.name = shown_page_name(&page.name, limits.max_label_chars, &mut warnings);
    }
    if let Some(wanted) = &options.page {
        let names: Vec<String> = pages.iter().map(|p| format!("{:?}", p.name)).collect();
        pages.retain(|p| &p.name == wanted);
        if pages.is_empty() {
            return Err(Diagnostic::new(format!("there is no page named {wanted:?}"))
                .with_help(format!("the pages are {}", names.join(", "))));
        }
    }
    let mut diagrams = Vec::with_capacity(pages.len());
    for page in pages {
        let mut cells = cells::read_cells(&page.xml, &page.name, limits)?;
        for cell in &mut cells {
            // A line of the file only when the page is written in it as plain XML.
            cell.line = page.first_line.zip(cell.line).map(|(first, line)| first + line - 1);
        }
        diagrams.push(lower::lower_page(&page.name, cells, limits, &mut warnings)?);
    }
    Ok((diagrams, warnings))
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
