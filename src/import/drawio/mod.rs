//! draw.io reader: `.drawio`/`.xml` files (plain or compressed pages), bare `<mxGraphModel>`,
//! `.drawio.svg` and `.drawio.png`, recognised by content.
//!
//! The work is split by job: [`container`] finds each page's XML inside whatever wraps it,
//! [`cells`] reads the cells as written, [`geometry`] makes positions absolute, [`kinds`] and
//! [`icons`] read what a style means, [`boundaries`] works out regions from geometry, and
//! [`lower`] puts it together into one [`Diagram`] per page.

mod boundaries;
mod cells;
mod container;
mod geometry;
mod icons;
mod kinds;
mod lower;
mod style;
mod xml;

use crate::diagnostic::Diagnostic;
use crate::import::ImportOptions;
use crate::model::Diagram;

pub use icons::{ICON_KINDS, ICON_TECHNOLOGIES};

/// Reads a draw.io file: one diagram per page (or only `options.page`) and the warnings met.
pub fn import(
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<(Vec<Diagram>, Vec<Diagnostic>), Diagnostic> {
    let limits = &options.limits;
    let mut budget = container::InflateBudget::new(limits.max_inflated_bytes);
    let mut pages = container::read_pages(bytes, &mut budget)?;
    if let Some(wanted) = &options.page {
        let names: Vec<String> = pages.iter().map(|p| format!("{:?}", p.name)).collect();
        pages.retain(|p| &p.name == wanted);
        if pages.is_empty() {
            return Err(Diagnostic::new(format!("there is no page named {wanted:?}"))
                .with_help(format!("the pages are {}", names.join(", "))));
        }
    }
    let mut warnings = Vec::new();
    let mut diagrams = Vec::with_capacity(pages.len());
    for page in pages {
        let cells = cells::read_cells(&page.xml, &page.name, limits)?;
        diagrams.push(lower::lower_page(&page.name, cells, limits, &mut warnings)?);
    }
    Ok((diagrams, warnings))
}

#[cfg(test)]
mod tests;
