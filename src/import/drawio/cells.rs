//! The cells of one page, as written: ids, parents, values, styles and raw geometry.
//!
//! `<object>`/`<UserObject>` wrappers are folded into the cell they wrap: their `id` and `label`
//! replace the cell's, and their other attributes are the user's metadata. Nothing is interpreted
//! here beyond that; coordinates stay relative to the parent.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use std::collections::HashSet;

use super::xml::{attributes, name_of, syntax_error};
use super::ANNOTATION_LAYER;
use crate::diagnostic::{Diagnostic, Location};
use crate::import::Limits;
use crate::model::{Attributes, Point};

/// A cell's geometry as written: relative to its parent, or along its parent edge.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawGeometry {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// For a label on an edge: `x` runs from -1 (source) to 1 (target), `y` is a perpendicular
    /// offset. For a vertex: `x`/`y` are fractions of the parent's size.
    pub relative: bool,
    pub points: Vec<Point>,
    pub offset: Option<Point>,
    pub source_point: Option<Point>,
    pub target_point: Option<Point>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub id: String,
    pub parent: Option<String>,
    /// The label as stored (may be HTML when the style says `html=1`).
    pub value: String,
    pub style: String,
    pub vertex: bool,
    pub edge: bool,
    pub source: Option<String>,
    pub target: Option<String>,
    pub geometry: Option<RawGeometry>,
    /// The wrapper's custom attributes (not `id`, `label`, `placeholders`).
    pub attributes: Attributes,
    /// `placeholders="1"`: `%name%` in the label stands for the attribute `name`.
    pub placeholders: bool,
    /// The line of the page XML on which the cell (or its `<object>` wrapper) starts; the file's
    /// line once [`super::import`] has added where the page starts.
    pub line: Option<usize>,
}

/// The wrapper being read, until its `<mxCell>` appears.
#[derive(Default)]
struct Wrapper {
    id: Option<String>,
    label: Option<String>,
    attributes: Attributes,
    placeholders: bool,
    line: usize,
}

/// Cells read so far, by what they count against: vertices are elements (`--max-elements`),
/// edges are flows (`--max-flows`), and the rest (root, layers) may be no more than both.
#[derive(Default)]
struct CellCounts {
    vertices: usize,
    edges: usize,
    others: usize,
}

impl CellCounts {
    fn add(&mut self, cell: &Cell, limits: &Limits) -> Result<(), Diagnostic> {
        let (count, limit, what, flag) = if cell.vertex {
            (&mut self.vertices, limits.max_elements, "shapes", "--max-elements")
        } else if cell.edge {
            (&mut self.edges, limits.max_flows, "connectors", "--max-flows")
        } else {
            let limit = limits.max_elements.saturating_add(limits.max_flows);
            (&mut self.others, limit, "other cells", "--max-elements")
        };
        *count += 1;
        if *count > limit {
            return Err(Diagnostic::new(format!("the page has more than {limit} {what}"))
                .with_help(format!("split the diagram into pages, or raise {flag}")));
        }
        Ok(())
    }
}

/// Reads the cells of a page's `<mxGraphModel>` XML.
pub fn read_cells(xml: &str, page: &str, limits: &Limits) -> Result<Vec<Cell>, Diagnostic> {
    let mut cells: Vec<Cell> = Vec::new();
    let mut counts = CellCounts::default();
    if xml.trim().is_empty() {
        return Ok(cells);
    }
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    let mut wrapper: Option<(usize, Wrapper)> = None; // depth of the wrapper element
    let mut cell_depth: Option<usize> = None;
    let mut geometry_depth: Option<usize> = None;
    let mut points_depth: Option<usize> = None;
    let page_location = || Location::Cell { page: page.to_string(), cell: None, line: None };
    let mut annotations = AnnotationLayer::default();
    let (mut counted_to, mut line) = (0usize, 1usize);
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                return Err(syntax_error(&e, reader.error_position()).with_location(page_location()))
            }
        };
        let (element, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                if wrapper.as_ref().is_some_and(|(d, _)| *d == depth) {
                    wrapper = None;
                }
                if cell_depth == Some(depth) {
                    cell_depth = None;
                }
                if geometry_depth == Some(depth) {
                    geometry_depth = None;
                }
                if points_depth == Some(depth) {
                    points_depth = None;
                }
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let this_depth = depth + 1;
        if !empty {
            depth = this_depth;
            if depth > limits.max_depth {
                return Err(Diagnostic::new(format!(
                    "XML elements are nested more than {} deep",
                    limits.max_depth
                ))
                .with_location(page_location())
                .with_help(
                    "this is not what draw.io writes; raise --max-depth if the file is genuine",
                ));
            }
        }
        let name = name_of(&element);
        let mut line_here = || {
            // Counted once per byte: the reader only moves forward.
            let end = before.min(xml.len()).max(counted_to);
            line += xml.as_bytes()[counted_to..end].iter().filter(|&&b| b == b'\n').count();
            counted_to = end;
            line
        };
        match name.as_str() {
            "object" | "UserObject" if !empty => {
                let mut outer = wrapper_from(&element);
                outer.line = line_here();
                wrapper = Some((this_depth, outer));
            }
            "mxCell" => {
                let outer = wrapper.as_ref().filter(|(d, _)| *d + 1 == this_depth).map(|(_, w)| w);
                let mut cell = cell_from(&element, outer);
                cell.line = Some(outer.map_or_else(line_here, |w| w.line));
                // A cell of our annotation layer is read too, so that its geometry is not taken
                // for the previous cell's, but not counted, and dropped at the end.
                if !annotations.holds(&cell) {
                    counts.add(&cell, limits).map_err(|e| e.with_location(page_location()))?;
                }
                cells.push(cell);
                cell_depth = (!empty).then_some(this_depth);
            }
            "mxGeometry" if cell_depth.is_some_and(|d| d + 1 == this_depth) => {
                if let Some(cell) = cells.last_mut() {
                    cell.geometry = Some(geometry_from(&element));
                }
                geometry_depth = (!empty).then_some(this_depth);
            }
            "Array" if geometry_depth.is_some_and(|d| d + 1 == this_depth) => {
                let is_points =
                    attributes(&element).iter().any(|(k, v)| k == "as" && v == "points");
                if is_points && !empty {
                    points_depth = Some(this_depth);
                }
            }
            "mxPoint" => {
                let Some(geometry) = cells.last_mut().and_then(|c| c.geometry.as_mut()) else {
                    continue;
                };
                let (point, role) = point_from(&element);
                if points_depth.is_some_and(|d| d + 1 == this_depth) {
                    geometry.points.push(point);
                } else if geometry_depth.is_some_and(|d| d + 1 == this_depth) {
                    match role.as_deref() {
                        Some("offset") => geometry.offset = Some(point),
                        Some("sourcePoint") => geometry.source_point = Some(point),
                        Some("targetPoint") => geometry.target_point = Some(point),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    if !annotations.ids.is_empty() {
        cells.retain(|c| !annotations.ids.contains(&c.id));
    }
    Ok(cells)
}

/// The cells of the layer `--format drawio` adds ([`ANNOTATION_LAYER`]): its own cell and every
/// cell whose parent is one of them. draw.io writes a parent before its children, and so does
/// our writer, so one pass in file order finds them all.
#[derive(Default)]
struct AnnotationLayer {
    ids: HashSet<String>,
}

impl AnnotationLayer {
    /// Whether `cell` is part of the layer (and remembers it when it is).
    fn holds(&mut self, cell: &Cell) -> bool {
        let inside = cell.id == ANNOTATION_LAYER
            || cell.parent.as_ref().is_some_and(|p| self.ids.contains(p));
        if inside {
            self.ids.insert(cell.id.clone());
        }
        inside
    }
}

fn wrapper_from(element: &BytesStart<'_>) -> Wrapper {
    let mut wrapper = Wrapper::default();
    for (key, value) in attributes(element) {
        match key.as_str() {
            "id" => wrapper.id = Some(value),
            "label" => wrapper.label = Some(value),
            "placeholders" => wrapper.placeholders = value == "1",
            _ => {
                wrapper.attributes.insert(key, value);
            }
        }
    }
    wrapper
}

fn cell_from(element: &BytesStart<'_>, wrapper: Option<&Wrapper>) -> Cell {
    let mut cell = Cell::default();
    for (key, value) in attributes(element) {
        match key.as_str() {
            "id" => cell.id = value,
            "parent" => cell.parent = Some(value),
            "value" => cell.value = value,
            "style" => cell.style = value,
            "vertex" => cell.vertex = value == "1",
            "edge" => cell.edge = value == "1",
            "source" => cell.source = Some(value),
            "target" => cell.target = Some(value),
            _ => {}
        }
    }
    if let Some(wrapper) = wrapper {
        if let Some(id) = &wrapper.id {
            cell.id = id.clone();
        }
        if let Some(label) = &wrapper.label {
            cell.value = label.clone();
        }
        cell.attributes = wrapper.attributes.clone();
        cell.placeholders = wrapper.placeholders;
    }
    cell
}

fn number(value: &str) -> f64 {
    value.trim().parse::<f64>().ok().filter(|v| v.is_finite()).unwrap_or(0.0)
}

fn geometry_from(element: &BytesStart<'_>) -> RawGeometry {
    let mut geometry = RawGeometry::default();
    for (key, value) in attributes(element) {
        match key.as_str() {
            "x" => geometry.x = number(&value),
            "y" => geometry.y = number(&value),
            "width" => geometry.width = number(&value).max(0.0),
            "height" => geometry.height = number(&value).max(0.0),
            "relative" => geometry.relative = value == "1",
            _ => {}
        }
    }
    geometry
}

fn point_from(element: &BytesStart<'_>) -> (Point, Option<String>) {
    let mut point = Point { x: 0.0, y: 0.0 };
    let mut role = None;
    for (key, value) in attributes(element) {
        match key.as_str() {
            "x" => point.x = number(&value),
            "y" => point.y = number(&value),
            "as" => role = Some(value),
            _ => {}
        }
    }
    (point, role)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Vec<Cell> {
        read_cells(xml, "P", &Limits::default()).expect("test input is valid")
    }

    #[test]
    fn plain_cells_and_geometry() {
        let cells = read(
            r#"<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>
            <mxCell id="a" value="A &amp; B&#10;x" style="ellipse;" vertex="1" parent="1"><mxGeometry x="10" y="20.5" width="80" height="40" as="geometry"/></mxCell>
            <mxCell id="e" edge="1" parent="1" source="a" target="b"><mxGeometry relative="1" as="geometry"><mxPoint x="1" y="2" as="sourcePoint"/><Array as="points"><mxPoint x="5" y="6"/><mxPoint x="7"/></Array><mxPoint x="-3" y="4" as="offset"/></mxGeometry></mxCell>
            </root></mxGraphModel>"#,
        );
        assert_eq!(cells.len(), 4);
        let a = &cells[2];
        assert_eq!(a.value, "A & B\nx");
        assert!(a.vertex);
        let g = a.geometry.as_ref().expect("test input is valid");
        assert_eq!((g.x, g.y, g.width, g.height), (10.0, 20.5, 80.0, 40.0));
        let e = cells[3].geometry.as_ref().expect("test input is valid");
        assert_eq!(e.points, vec![Point { x: 5.0, y: 6.0 }, Point { x: 7.0, y: 0.0 }]);
        assert_eq!(e.source_point, Some(Point { x: 1.0, y: 2.0 }));
        assert_eq!(e.offset, Some(Point { x: -3.0, y: 4.0 }));
        assert!(e.relative);
    }

    #[test]
    fn object_wrappers_give_id_label_and_attributes() {
        let cells = read(
            r#"<root><object id="w" label="%name% API" placeholders="1" name="Orders" protocol="https"><mxCell style="rounded=1" vertex="1" parent="1"><mxGeometry width="1" height="1" as="geometry"/></mxCell></object>
            <UserObject label="U" id="u"><mxCell vertex="1" parent="1"/></UserObject><mxCell id="after" parent="1"/></root>"#,
        );
        assert_eq!(cells[0].id, "w");
        assert_eq!(cells[0].value, "%name% API");
        assert!(cells[0].placeholders);
        assert_eq!(cells[0].attributes.get("protocol").map(String::as_str), Some("https"));
        assert!(!cells[0].attributes.contains_key("label"));
        assert_eq!(cells[1].id, "u");
        assert_eq!(cells[2].id, "after");
        assert!(cells[2].attributes.is_empty());
    }

    #[test]
    fn entity_bomb_is_not_expanded() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><mxGraphModel><root><mxCell id="a" value="&lol3;" vertex="1"/></root></mxGraphModel>"#;
        let cells = read(xml);
        assert_eq!(cells[0].value, "&lol3;");
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let xml = format!("{}{}", "<a>".repeat(5000), "</a>".repeat(5000));
        let e = read_cells(&xml, "P", &Limits::default()).unwrap_err();
        assert!(e.message.contains("nested"), "{e}");
    }

    #[test]
    fn vertices_count_as_elements_and_edges_as_flows() {
        let limits = Limits { max_elements: 2, max_flows: 3, ..Limits::default() };
        let vertex = |i: usize| format!(r#"<mxCell id="v{i}" vertex="1"/>"#);
        let edge = |i: usize| format!(r#"<mxCell id="e{i}" edge="1"/>"#);
        let page = |vertices: usize, edges: usize| {
            let cells: String = (0..vertices).map(vertex).chain((0..edges).map(edge)).collect();
            format!(r#"<root><mxCell id="0"/><mxCell id="1" parent="0"/>{cells}</root>"#)
        };
        assert_eq!(read_cells(&page(2, 3), "P", &limits).expect("within both limits").len(), 7);
        let e = read_cells(&page(3, 0), "P", &limits).unwrap_err();
        assert!(e.message.contains("more than 2 shapes"), "{e}");
        assert!(e.help.unwrap_or_default().contains("--max-elements"));
        let e = read_cells(&page(0, 4), "P", &limits).unwrap_err();
        assert!(e.message.contains("more than 3 connectors"), "{e}");
        assert!(e.help.unwrap_or_default().contains("--max-flows"));
    }
}
