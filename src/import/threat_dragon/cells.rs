//! Threat Dragon cells of both versions read into one shape.
//!
//! | | version 1 (JointJS) | version 2 (antv/X6) |
//! |---|---|---|
//! | what it is | `type`: `tm.Actor`, `tm.Process`, `tm.Store`, `tm.Flow`, `tm.Boundary` | `shape`: `actor`, `process`, `store`, `flow`, `trust-boundary-box`, `trust-boundary-curve` (early files: `trust-broundary-curve`); `data.type` as in v1 plus `tm.BoundaryBox` |
//! | name | `attrs.text.text`, a flow's `labels[0].attrs.text.text` | `data.name`, else `attrs.text.text`, `attrs.label.text` or the first label |
//! | properties, threats | on the cell | under `data` |
//! | flow ends | `source.id` / `target.id`, or a loose point `{x, y}` | `source.cell` / `target.cell`, or `{x, y}` |

use serde_json::{Map, Value};

use crate::import::builder::rect;
use crate::import::structured::{number, string};
use crate::model::{ElementKind, Point, Rect};

/// What a cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Element(ElementKind),
    BoundaryBox,
    BoundaryCurve,
    Flow,
    /// Text blocks and shapes this reader does not know.
    Other,
}

/// Where a flow or curve ends: on a cell, or at a loose point.
#[derive(Debug, Clone, PartialEq)]
pub enum End {
    Cell(String),
    Point(Point),
    Missing,
}

/// One cell, whatever the version.
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub id: String,
    pub role: Role,
    /// What the file calls it (`tm.Process`, `trust-boundary-box`...), for messages.
    pub kind_word: String,
    pub name: String,
    /// Version 2's `data`, or the version 1 cell itself.
    pub properties: &'a Map<String, Value>,
    pub bounds: Option<Rect>,
    pub source: End,
    pub target: End,
    pub vertices: Vec<Point>,
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

/// Reads one cell; `index` names cells without an id.
pub fn read(value: &Value, index: usize) -> Cell<'_> {
    let object = value.as_object();
    let get = |key: &str| object.and_then(|o| o.get(key));
    let data = get("data").and_then(Value::as_object);
    let properties = data.or(object).unwrap_or_else(|| EMPTY.get_or_init(Map::new));
    let kind_word = get("shape")
        .and_then(Value::as_str)
        .or_else(|| get("type").and_then(Value::as_str))
        .or_else(|| data.and_then(|d| d.get("type")).and_then(Value::as_str))
        .unwrap_or_default()
        .to_string();
    let id = get("id").and_then(string).unwrap_or_else(|| format!("cell-{index}"));
    Cell {
        role: role(&kind_word),
        name: name(value, data),
        properties,
        bounds: bounds(value),
        source: end(get("source")),
        target: end(get("target")),
        vertices: get("vertices").map(points).unwrap_or_default(),
        id,
        kind_word,
    }
}

fn role(word: &str) -> Role {
    match word {
        "actor" | "tm.Actor" => Role::Element(ElementKind::ExternalEntity),
        "process" | "tm.Process" => Role::Element(ElementKind::Process),
        "store" | "tm.Store" => Role::Element(ElementKind::DataStore),
        "flow" | "tm.Flow" => Role::Flow,
        "trust-boundary-box" | "tm.BoundaryBox" => Role::BoundaryBox,
        "trust-boundary-curve" | "trust-broundary-curve" | "tm.Boundary" => Role::BoundaryCurve,
        _ => Role::Other,
    }
}

/// The name: `data.name`, the shape's text, a boundary box's label, or a flow's first label.
fn name(cell: &Value, data: Option<&Map<String, Value>>) -> String {
    let candidates = [
        data.and_then(|d| d.get("name")),
        cell.pointer("/attrs/text/text"),
        cell.pointer("/attrs/label/text"),
        cell.pointer("/labels/0/attrs/labelText/text"),
        cell.pointer("/labels/0/attrs/text/text"),
        cell.pointer("/labels/0"),
    ];
    candidates
        .into_iter()
        .flatten()
        .filter_map(string)
        .find(|s| !s.trim().is_empty())
        .unwrap_or_default()
}

fn bounds(cell: &Value) -> Option<Rect> {
    let x = number(cell.pointer("/position/x")?)?;
    let y = number(cell.pointer("/position/y")?)?;
    let width = number(cell.pointer("/size/width")?)?;
    let height = number(cell.pointer("/size/height")?)?;
    rect(x, y, width, height)
}

fn end(value: Option<&Value>) -> End {
    let Some(value) = value else { return End::Missing };
    if let Some(id) = value.get("cell").or_else(|| value.get("id")).and_then(string) {
        return End::Cell(id);
    }
    point(value).map_or(End::Missing, End::Point)
}

fn point(value: &Value) -> Option<Point> {
    Some(Point { x: number(value.get("x")?)?, y: number(value.get("y")?)? })
}

fn points(value: &Value) -> Vec<Point> {
    value.as_array().map(|a| a.iter().filter_map(point).collect()).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn version_1_and_2_cells_read_alike() {
        let v1 = json!({"type": "tm.Flow", "id": "f", "source": {"id": "a"}, "target": {"x": 3, "y": 4},
            "labels": [{"attrs": {"text": {"text": "Web Request"}}}], "protocol": "HTTP/S"});
        let c = read(&v1, 0);
        assert_eq!((c.role, c.name.as_str()), (Role::Flow, "Web Request"));
        assert_eq!(c.source, End::Cell("a".into()));
        assert_eq!(c.target, End::Point(Point { x: 3.0, y: 4.0 }));
        assert_eq!(c.properties.get("protocol"), Some(&json!("HTTP/S")));
        let v2 = json!({"shape": "store", "id": "s", "position": {"x": 1, "y": 2},
            "size": {"width": 10, "height": 20}, "data": {"name": "Orders", "isEncrypted": true}});
        let c = read(&v2, 0);
        assert_eq!(c.role, Role::Element(ElementKind::DataStore));
        assert_eq!(c.bounds, Some(Rect { x: 1.0, y: 2.0, width: 10.0, height: 20.0 }));
        assert_eq!(c.properties.get("isEncrypted"), Some(&json!(true)));
        assert_eq!(read(&json!("junk"), 7).id, "cell-7");
        assert_eq!(read(&json!({"shape": "trust-broundary-curve"}), 0).role, Role::BoundaryCurve);
    }
}
