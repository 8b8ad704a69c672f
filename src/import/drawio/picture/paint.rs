//! Colours, strokes and fonts from a style, with draw.io's defaults (its `default` theme: black
//! on white, 12 px for shapes and 11 px for edges) and every value checked or clamped.

use super::super::style::Style;
use crate::model::drawing::{clamp, colour, Align, Paint};

/// Whose defaults apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defaults {
    /// A shape: white fill, black outline.
    Shape,
    /// Text, groups, edge labels: neither.
    Bare,
    /// A connector: black line, no fill.
    Edge,
}

const BLACK: &str = "#000000";
const WHITE: &str = "#ffffff";

/// The colour `key` asks for: `None` for `none` (not painted), the default when absent, `default`
/// or not a colour we accept.
fn colour_or(style: &Style, key: &str, default: Option<&str>) -> Option<String> {
    match style.get(key) {
        Some(v) if v.eq_ignore_ascii_case("none") || v.is_empty() => None,
        Some(v) => colour(v).or_else(|| default.map(str::to_string)),
        None => default.map(str::to_string),
    }
}

/// A percentage key (`opacity=50`) as 0..1.
fn fraction(style: &Style, key: &str) -> f64 {
    style.number(key).map_or(1.0, |v| clamp(v / 100.0, 0.0, 1.0, 1.0))
}

pub fn paint(style: &Style, defaults: Defaults) -> Paint {
    let (fill, stroke) = match defaults {
        Defaults::Shape => (Some(WHITE), Some(BLACK)),
        Defaults::Bare => (None, None),
        Defaults::Edge => (None, Some(BLACK)),
    };
    let fill = if defaults == Defaults::Edge { None } else { colour_or(style, "fillColor", fill) };
    let gradient = style.get("gradientColor").and_then(colour);
    let stroke_width = style.number("strokeWidth").map_or(1.0, |w| clamp(w, 0.0, 50.0, 1.0));
    Paint {
        fill,
        gradient,
        stroke: colour_or(style, "strokeColor", stroke),
        stroke_width,
        dashes: dashes(style),
        opacity: fraction(style, "opacity"),
        fill_opacity: fraction(style, "fillOpacity"),
        stroke_opacity: fraction(style, "strokeOpacity"),
    }
}

/// `dashed=1` with `dashPattern` (or draw.io's `3 3`), in units of the stroke width.
fn dashes(style: &Style) -> Vec<f64> {
    if !style.dashed() {
        return Vec::new();
    }
    let pattern: Vec<f64> = style
        .get("dashPattern")
        .unwrap_or_default()
        .split_whitespace()
        .take(8)
        .filter_map(|v| v.parse::<f64>().ok())
        .map(|v| clamp(v, 0.0, 100.0, 1.0))
        .collect();
    if pattern.is_empty() || pattern.iter().all(|v| *v <= 0.0) {
        vec![3.0, 3.0]
    } else {
        pattern
    }
}

/// How a cell's text looks.
#[derive(Debug, Clone, PartialEq)]
pub struct Font {
    pub px: f64,
    pub colour: String,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

pub fn font(style: &Style, default_px: f64, default_bold: bool) -> Font {
    let bits = style.number("fontStyle").map(|v| clamp(v, 0.0, 255.0, 0.0) as u32);
    let bit = |b: u32| bits.map_or(b == 1 && default_bold, |v| v & b != 0);
    Font {
        px: style.number("fontSize").map_or(default_px, |v| clamp(v, 1.0, 200.0, default_px)),
        colour: style.get("fontColor").and_then(colour).unwrap_or_else(|| BLACK.to_string()),
        bold: bit(1),
        italic: bit(2),
        underline: bit(4),
    }
}

/// `align` / `verticalAlign` values.
pub fn align(value: Option<&str>, default: Align) -> Align {
    match value {
        Some("left" | "top") => Align::Start,
        Some("right" | "bottom") => Align::End,
        Some("center" | "middle") => Align::Middle,
        _ => default,
    }
}

/// `labelBackgroundColor`: edges sit their labels on white unless told otherwise.
pub fn label_background(style: &Style, edge_default: bool) -> Option<String> {
    colour_or(style, "labelBackgroundColor", edge_default.then_some(WHITE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_none_and_hostile_values() {
        let p = paint(
            &Style::parse("fillColor=none;strokeColor=url(#x);strokeWidth=1e308;opacity=NaN"),
            Defaults::Shape,
        );
        assert_eq!(p.fill, None);
        assert_eq!(p.stroke.as_deref(), Some(BLACK));
        assert_eq!(p.stroke_width, 50.0);
        assert_eq!(p.opacity, 1.0);
        let p = paint(&Style::parse("dashed=1;dashPattern=8 4;fillOpacity=50"), Defaults::Shape);
        assert_eq!(p.dashes, vec![8.0, 4.0]);
        assert_eq!(p.fill_opacity, 0.5);
        let f = font(&Style::parse("fontStyle=3;fontSize=-4;fontColor=#F00"), 12.0, false);
        assert!(f.bold && f.italic && !f.underline);
        assert_eq!((f.px, f.colour.as_str()), (1.0, "#ff0000"));
    }
}
