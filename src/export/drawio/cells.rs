//! Writing the cells of the annotation layer: every value escaped by the XML writer, tooltips
//! escaped for HTML first (draw.io shows a tooltip as HTML), styles built only from our own keys
//! and values, ids unique on the page.

use crate::export::svg::ids::IdAllocator;
use crate::export::svg::writer::{markup_entity, SvgWriter};
use crate::import::drawio::ANNOTATION_LAYER;
use crate::model::{Point, Rect};
use crate::user_text::without_controls;

/// The cells written so far, each a top-level child of the page's `<root>`.
pub struct Cells {
    pub out: Vec<String>,
    ids: IdAllocator,
}

/// What a vertex shows.
pub struct Vertex<'a> {
    pub label: &'a str,
    pub style: &'a str,
    pub tooltip: Option<&'a str>,
}

impl Cells {
    /// Starts the layer with its own cell; `taken` are the ids the page's other cells use.
    pub fn new<'a>(taken: impl Iterator<Item = &'a str>) -> Self {
        let mut ids = IdAllocator::default();
        for id in taken {
            ids.reserve(id);
        }
        ids.reserve(ANNOTATION_LAYER);
        let mut w = SvgWriter::new();
        w.tag("mxCell")
            .attr("id", ANNOTATION_LAYER)
            .attr("value", "dfd-threats annotations")
            .attr("style", "locked=1;")
            .attr("parent", "0")
            .leaf();
        Cells { out: vec![finish(w)], ids }
    }

    /// A fresh id `dfd-threats-` + `kind` + the sanitised `key`.
    pub fn id(&mut self, kind: &str, key: &str) -> String {
        self.ids.allocate(&format!("dfd-threats-{kind}-"), key)
    }

    /// A vertex in the layer at `r` (page coordinates).
    pub fn vertex(&mut self, id: &str, v: &Vertex<'_>, r: Rect) {
        let mut w = SvgWriter::new();
        start(&mut w, &Start { id, v, kind: "vertex", parent: ANNOTATION_LAYER, ends: None });
        w.tag("mxGeometry").bounds(r).attr("as", "geometry").leaf();
        self.out.push(finish(w));
    }

    /// A vertex riding on edge `parent`: its top-left corner `offset` from the point `along` the
    /// edge's drawn path (-1 at its source, 1 at its target, 0 the middle). draw.io places it on
    /// the line as draw.io routes it.
    pub fn on_edge(&mut self, id: &str, parent: &str, v: &Vertex<'_>, along: f64, at: Rect) {
        let mut w = SvgWriter::new();
        start(&mut w, &Start { id, v, kind: "vertex", parent, ends: None });
        w.tag("mxGeometry")
            .attr("x", &fraction(along))
            .num("width", at.width)
            .num("height", at.height)
            .attr("relative", "1")
            .attr("as", "geometry")
            .open();
        w.tag("mxPoint").num("x", at.x).num("y", at.y).attr("as", "offset").leaf();
        self.out.push(finish(w));
    }

    /// An edge in the layer between two of the page's cells (`source`, `target`), through
    /// `points`.
    pub fn edge(&mut self, id: &str, v: &Vertex<'_>, ends: (&str, &str), points: &[Point]) {
        let mut w = SvgWriter::new();
        let parent = ANNOTATION_LAYER;
        start(&mut w, &Start { id, v, kind: "edge", parent, ends: Some(ends) });
        geometry_with_points(&mut w, points, None);
        self.out.push(finish(w));
    }

    /// A free edge in the layer from `from` to `to` (the legend's sample line).
    pub fn free_edge(&mut self, id: &str, v: &Vertex<'_>, from: Point, to: Point) {
        let mut w = SvgWriter::new();
        start(&mut w, &Start { id, v, kind: "edge", parent: ANNOTATION_LAYER, ends: None });
        geometry_with_points(&mut w, &[], Some((from, to)));
        self.out.push(finish(w));
    }
}

/// The start of a cell.
struct Start<'a> {
    id: &'a str,
    v: &'a Vertex<'a>,
    kind: &'static str,
    parent: &'a str,
    ends: Option<(&'a str, &'a str)>,
}

/// Opens the cell: `<UserObject label tooltip id><mxCell style kind parent>` when it has a
/// tooltip (draw.io reads tooltips from an object's attributes), else `<mxCell id value style kind
/// parent>`; the `<mxCell>` is left open for its geometry.
fn start(w: &mut SvgWriter, c: &Start<'_>) {
    let cell = match c.v.tooltip {
        Some(text) => {
            w.tag("UserObject")
                .attr("label", c.v.label)
                .attr("tooltip", &tooltip_html(text))
                .attr("id", c.id)
                .open();
            w.tag("mxCell")
        }
        None => w.tag("mxCell").attr("id", c.id).attr("value", c.v.label),
    };
    let mut cell = cell.attr("style", c.v.style).attr(c.kind, "1").attr("parent", c.parent);
    if let Some((source, target)) = c.ends {
        cell = cell.attr("source", source).attr("target", target);
    }
    cell.open();
}

fn geometry_with_points(w: &mut SvgWriter, points: &[Point], ends: Option<(Point, Point)>) {
    w.tag("mxGeometry").attr("relative", "1").attr("as", "geometry").open();
    if let Some((from, to)) = ends {
        w.tag("mxPoint").num("x", from.x).num("y", from.y).attr("as", "sourcePoint").leaf();
        w.tag("mxPoint").num("x", to.x).num("y", to.y).attr("as", "targetPoint").leaf();
    }
    if !points.is_empty() {
        w.tag("Array").attr("as", "points").open();
        for p in points {
            w.tag("mxPoint").num("x", p.x).num("y", p.y).leaf();
        }
        w.close();
    }
}

/// A position along an edge (-1 to 1) to four decimals (a tenth would be 5 % of a long edge),
/// without trailing zeros or `-0`.
fn fraction(value: f64) -> String {
    let v = if value.is_finite() { value.clamp(-1.0, 1.0) } else { 0.0 };
    let text = format!("{v:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" | "" => "0".to_string(),
        t => t.to_string(),
    }
}

/// The writer's text without its last newline: the page's own whitespace goes between cells.
fn finish(w: SvgWriter) -> String {
    let mut text = w.finish();
    if text.ends_with('\n') {
        text.pop();
    }
    text
}

/// `text` as draw.io's tooltip HTML: markup characters as entities (so a label shows as text),
/// control characters gone; draw.io turns the newlines into line breaks.
pub fn tooltip_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for c in without_controls(line).chars() {
            if !markup_entity(&mut out, c) {
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_have_four_decimals_and_no_negative_zero() {
        assert_eq!(fraction(-0.00001), "0");
        assert_eq!(fraction(0.25), "0.25");
        assert_eq!(fraction(-0.123456), "-0.1235");
        assert_eq!(fraction(2.0), "1");
        assert_eq!(fraction(f64::NAN), "0");
    }

    #[test]
    fn tooltips_are_html_text() {
        assert_eq!(
            tooltip_html("<img src=x onerror=alert(1)>\n'a' & \"b\"\u{1b}[31m"),
            "&lt;img src=x onerror=alert(1)&gt;\n&#39;a&#39; &amp; &quot;b&quot;[31m"
        );
    }
}
