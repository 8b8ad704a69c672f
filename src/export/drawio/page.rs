//! One page's `<mxGraphModel>` as text: where its cells are, so the old annotation layer can be
//! cut out and the new one put in without touching a byte of anything else.
//!
//! draw.io keeps every cell as a direct child of `<root>` (an `<mxCell>`, or an `<object>` or
//! `<UserObject>` wrapping one), with `parent` attributes for the tree; so the cells of a layer are
//! found by following `parent` from the layer's cell.

use std::collections::HashSet;
use std::ops::Range;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::import::drawio::{attribute_pairs, ANNOTATION_LAYER};

/// A cell as written: what the annotations need to know of the user's edges.
#[derive(Debug, Clone, Default)]
pub struct RawCell {
    pub id: String,
    pub parent: Option<String>,
    pub edge: bool,
    pub vertex: bool,
    pub source: Option<String>,
    pub target: Option<String>,
    pub style: String,
    /// It has a label (`value`, or an object's `label`).
    pub labelled: bool,
    /// Where its label sits: for an edge, `x` of its geometry (-1 at the source to 1 at the
    /// target, 0 the middle); for a label on an edge, its own position along that edge.
    pub along: f64,
    /// The label's offset from that point (`<mxPoint as="offset">`), x and y.
    pub offset: (f64, f64),
    /// The cell's text in the page, from its start tag to its end tag.
    pub span: Range<usize>,
    /// Where the whitespace before it starts (its start when there is none).
    pub lead: usize,
}

/// The cells of a page's `<root>`.
#[derive(Debug, Default)]
pub struct Model {
    pub cells: Vec<RawCell>,
    /// Just after `<root>`.
    pub root_start: usize,
}

impl Model {
    /// Reads the cells of `xml`; `None` when it has no `<root>` element with content to add to.
    pub fn read(xml: &str) -> Option<Model> {
        let mut reader = Reader::from_str(xml);
        let mut depth = 0usize;
        let mut root_depth = None;
        let mut model = Model::default();
        let mut last_end = 0usize;
        let mut geometry_depth = None;
        loop {
            let before = position(&reader);
            let event = reader.read_event().ok()?;
            let after = position(&reader);
            let (e, empty) = match event {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => {
                    match root_depth {
                        Some(r) if depth == r + 1 => {
                            if let Some(c) = model.cells.last_mut() {
                                c.span.end = after;
                            }
                            last_end = after;
                        }
                        Some(r) if depth == r => return Some(model),
                        _ => {}
                    }
                    if geometry_depth == Some(depth) {
                        geometry_depth = None;
                    }
                    depth = depth.saturating_sub(1);
                    continue;
                }
                Event::Eof => return None,
                _ => continue,
            };
            let here = depth + 1;
            match root_depth {
                None if !empty && e.local_name().as_ref() == "root" => {
                    root_depth = Some(here);
                    model.root_start = after;
                    last_end = after;
                }
                Some(r) if here == r + 1 => {
                    let lead = lead_of(xml, last_end, before);
                    let end = if empty { after } else { before };
                    model.cells.push(RawCell { span: before..end, lead, ..cell_from(&e) });
                    if empty {
                        last_end = after;
                    }
                }
                Some(r) if here > r + 1 => {
                    if let Some(c) = model.cells.last_mut() {
                        c.read_inner(&e, (here, empty), &mut geometry_depth);
                    }
                }
                _ => {}
            }
            if !empty {
                depth = here;
            }
        }
    }

    /// The ids of our annotation layer's cells: the layer's own cell and every cell whose parent
    /// is one of them, in file order, exactly as the importer skips them (a parent comes before
    /// its children in what draw.io and we write; a cell out of that order is the user's).
    pub fn annotation_ids(&self) -> HashSet<&str> {
        let mut found: HashSet<&str> = HashSet::new();
        for c in &self.cells {
            if c.id == ANNOTATION_LAYER || c.parent.as_deref().is_some_and(|p| found.contains(p)) {
                found.insert(c.id.as_str());
            }
        }
        found
    }

    /// `xml` without the cells of `remove` (each with the whitespace before it), and with
    /// `added` after the last cell that stays, each preceded by the whitespace that precedes that
    /// cell in the file (so the page keeps its indentation and a rerun restores it exactly).
    pub fn rewrite(&self, xml: &str, remove: &HashSet<&str>, added: &[String]) -> String {
        let mut kept = self.cells.iter().filter(|c| !remove.contains(c.id.as_str()));
        let (insert_at, separator) = match kept.next_back() {
            Some(c) => (c.span.end, &xml[c.lead..c.span.start]),
            None => (self.root_start, ""),
        };
        let mut out =
            String::with_capacity(xml.len() + added.iter().map(String::len).sum::<usize>());
        let mut at = 0;
        let mut cut = self.cells.iter().filter(|c| remove.contains(c.id.as_str())).peekable();
        let mut inserted = false;
        loop {
            let next_cut = cut.peek().map(|c| c.lead);
            if !inserted && next_cut.is_none_or(|start| insert_at <= start) {
                out.push_str(&xml[at..insert_at]);
                for cell in added {
                    out.push_str(separator);
                    out.push_str(cell);
                }
                at = insert_at;
                inserted = true;
                continue;
            }
            let Some(c) = cut.next() else { break };
            out.push_str(&xml[at..c.lead]);
            at = c.span.end;
        }
        out.push_str(&xml[at..]);
        out
    }
}

fn position(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// Where the whitespace before `start` begins, back to `after_previous`.
fn lead_of(xml: &str, after_previous: usize, start: usize) -> usize {
    let between = xml.get(after_previous..start).unwrap_or("");
    if between.chars().all(char::is_whitespace) {
        after_previous
    } else {
        start
    }
}

fn cell_from(e: &BytesStart<'_>) -> RawCell {
    let mut cell = RawCell::default();
    for (key, value) in attribute_pairs(e) {
        match key.as_str() {
            "id" => cell.id = value,
            _ => cell.take(&key, value),
        }
    }
    cell
}

impl RawCell {
    fn take(&mut self, key: &str, value: String) {
        match key {
            "parent" => self.parent = Some(value),
            "edge" => self.edge = value == "1",
            "vertex" => self.vertex = value == "1",
            "value" | "label" => self.labelled |= !value.trim().is_empty(),
            "source" => self.source = Some(value),
            "target" => self.target = Some(value),
            "style" => self.style = value,
            _ => {}
        }
    }

    /// An element inside the cell at `depth`: the `<mxCell>` an `<object>` wraps (its id is the
    /// wrapper's), the cell's geometry, or the label offset in it.
    fn read_inner(
        &mut self,
        e: &BytesStart<'_>,
        (depth, empty): (usize, bool),
        geometry: &mut Option<usize>,
    ) {
        let attributes = attribute_pairs(e);
        let get = |k: &str| attributes.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        let number =
            |k: &str| get(k).and_then(|v| v.trim().parse::<f64>().ok()).filter(|v| v.is_finite());
        match e.local_name().as_ref() {
            "mxCell" => {
                for (key, value) in attribute_pairs(e) {
                    self.take(&key, value);
                }
            }
            "mxGeometry" if get("as") == Some("geometry") => {
                self.along = number("x").unwrap_or(0.0);
                if !empty {
                    *geometry = Some(depth);
                }
            }
            "mxPoint" if *geometry == Some(depth - 1) && get("as") == Some("offset") => {
                self.offset = (number("x").unwrap_or(0.0), number("y").unwrap_or(0.0));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const PAGE: &str = "<mxGraphModel><root>\n  <mxCell id=\"0\"/>\n  <mxCell id=\"1\" parent=\"0\"/>\n  <object id=\"a\" label=\"A\"><mxCell style=\"x\" vertex=\"1\" parent=\"1\"><mxGeometry as=\"geometry\"/></mxCell></object>\n  <mxCell id=\"e\" edge=\"1\" source=\"a\" target=\"a\" parent=\"1\" style=\"edgeStyle=orthogonalEdgeStyle;\"><mxGeometry relative=\"1\" as=\"geometry\"/></mxCell>\n</root></mxGraphModel>";

    #[test]
    fn reads_every_cell_of_the_root_with_its_wrapped_attributes() {
        let model = Model::read(PAGE).unwrap();
        let ids: Vec<&str> = model.cells.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["0", "1", "a", "e"]);
        assert_eq!(model.cells[2].parent.as_deref(), Some("1"));
        assert_eq!(model.cells[2].style, "x");
        assert!(model.cells[3].edge);
        assert_eq!(model.cells[3].source.as_deref(), Some("a"));
        assert!(PAGE[model.cells[2].span.clone()].starts_with("<object"));
        assert!(PAGE[model.cells[2].span.clone()].ends_with("</object>"));
        assert_eq!(&PAGE[model.cells[1].lead..model.cells[1].span.start], "\n  ");
    }

    #[test]
    fn adding_then_removing_a_layer_gives_the_page_back() {
        let model = Model::read(PAGE).unwrap();
        let layer = [
            format!("<mxCell id=\"{ANNOTATION_LAYER}\" parent=\"0\"/>"),
            format!("<mxCell id=\"b\" parent=\"{ANNOTATION_LAYER}\" vertex=\"1\"/>"),
            "<mxCell id=\"c\" parent=\"b\" vertex=\"1\"/>".to_string(),
        ];
        let with = model.rewrite(PAGE, &HashSet::new(), &layer);
        assert!(with.contains("\n  <mxCell id=\"c\" parent=\"b\" vertex=\"1\"/>\n</root>"));
        let again = Model::read(&with).unwrap();
        let ours = again.annotation_ids();
        assert_eq!(ours.len(), 3);
        assert_eq!(again.rewrite(&with, &ours, &[]), PAGE);
        // Replacing: the same layer written again over the old one.
        assert_eq!(again.rewrite(&with, &ours, &layer), with);
    }

    #[test]
    fn a_page_without_root_content_is_left_alone() {
        assert!(Model::read("<mxGraphModel><root/></mxGraphModel>").is_none());
        assert!(Model::read("<mxGraphModel/>").is_none());
        assert!(Model::read("<mxGraphModel><root>").is_none());
    }
}
