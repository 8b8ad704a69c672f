//! The page as its author drew it: every shape, line and piece of text with its look, in drawing
//! order, so a writer can reproduce the picture and put the analysis on top.
//!
//! Format-neutral on purpose: a reader (draw.io) fills it with what its own drawing rules work
//! out (absolute boxes, routed edge points, where a label sits), and a writer (SVG) only strokes
//! and fills. Nothing here is trusted: colours are kept only when [`colour`] accepts them, and
//! numbers are clamped by [`clamp`] before they are stored.

use super::{Point, Rect};

/// A diagram's picture; `items` are in drawing order (later items are drawn on top).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawing {
    pub items: Vec<Item>,
}

/// One thing on the page: a shape or a line, with its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The source's own id for it (a draw.io cell id), as the model's ids are.
    pub id: String,
    pub figure: Figure,
    pub paint: Paint,
    pub text: Option<Text>,
    /// Degrees clockwise the shape and its text are turned about the shape's centre
    /// (draw.io's `rotation`); 0 for edges.
    pub rotation: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    Shape { bounds: Rect, outline: Outline },
    Line(Line),
}

/// The outline of a shape drawn in its box.
#[derive(Debug, Clone, PartialEq)]
pub enum Outline {
    /// Corners rounded with this radius (0 for square).
    Rectangle {
        radius: f64,
    },
    Ellipse,
    DoubleEllipse,
    /// `cap` is the height of the top ellipse.
    Cylinder {
        cap: f64,
    },
    Document,
    /// A sheet with its top-right corner folded by `fold`.
    Note {
        fold: f64,
    },
    Cloud,
    /// Head and shoulders.
    Bust,
    StickFigure,
    Hexagon,
    Rhombus,
    /// A rectangle with a vertical line near each side (a predefined process).
    Process,
    /// A box seen from a corner (draw.io's `cube`, a UML node): a face `depth` pixels deep
    /// along two sides; facing east the depth runs along the top and left.
    Cube {
        depth: f64,
        towards: Direction,
    },
    /// An envelope: a rectangle with its flap drawn to the middle (draw.io's `message`).
    Envelope,
    /// A BPMN event (a circle, `double` for intermediate ones) or gateway (a rhombus), with
    /// the mark drawn inside it (draw.io's `mxgraph.bpmn.shape`).
    Bpmn {
        gateway: bool,
        double: bool,
        mark: BpmnMark,
    },
    /// A rectangle with a plus inside (draw.io's `plus`, BPMN's collapsed sub-process marker).
    Plus,
    /// A UML component: a box with two small tabs across its left side, `tab` wide and
    /// `tab_height` high (draw.io's `component`, `jettyWidth`/`jettyHeight`).
    Component {
        tab: f64,
        tab_height: f64,
    },
    /// A triangle pointing `towards` (draw.io's `triangle`, east unless `direction` says).
    Triangle {
        towards: Direction,
    },
    /// A logic gate of an attack tree: `or` a rounded arch, `xor` with a curved back line.
    Gate {
        xor: bool,
        towards: Direction,
    },
    /// A UML lifeline: a box `header` pixels high on top, a dashed line down from its middle.
    Lifeline {
        header: f64,
    },
    /// A titled frame: a header of `header` pixels (on the left when not `horizontal`), filled
    /// with the item's fill, over a body filled with `body_fill`.
    Swimlane {
        header: f64,
        horizontal: bool,
        body_fill: Option<String>,
    },
    /// Only some sides of the box (an open data store is top and bottom).
    Sides {
        top: bool,
        right: bool,
        bottom: bool,
        left: bool,
    },
    /// A cloud vendor's group frame (AWS account, VPC, subnet): a rectangle with the group's
    /// icon in its top-left corner, shown as a square of `icon` pixels in `icon_colour` (the
    /// artwork is not drawn).
    Framed {
        icon: f64,
        icon_colour: Option<String>,
    },
    /// A raster picture embedded in the file (`image=data:image/png,…`): its media type
    /// (`image/png`, `image/jpeg`, `image/gif`) and its data as checked base64.
    Picture {
        mime: &'static str,
        base64: String,
    },
    /// A vendor icon shown as a tile in its colour with a short name, not its artwork.
    Tile {
        name: String,
    },
    /// Nothing: text or an invisible group.
    Nothing,
}

/// The mark inside a BPMN event or gateway (its `symbol`); other symbols are not drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BpmnMark {
    Nothing,
    /// A parallel gateway's plus.
    Plus,
    /// An exclusive gateway's cross.
    Cross,
    /// A message event's envelope.
    Envelope,
}

/// Which way a shape with a point or an arch faces (draw.io's `direction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    East,
    South,
    West,
    North,
}

impl Direction {
    /// `(u, v)`, fractions of a box drawn facing east, moved to where they are in `r` when the
    /// shape faces this way (draw.io turns the shape inside its box).
    pub fn place(self, r: Rect, (u, v): (f64, f64)) -> Point {
        let (fx, fy) = match self {
            Direction::East => (u, v),
            Direction::South => (1.0 - v, u),
            Direction::West => (1.0 - u, 1.0 - v),
            Direction::North => (v, 1.0 - u),
        };
        Point { x: r.x + fx * r.width, y: r.y + fy * r.height }
    }
}

/// A line through `points` (already routed, from its source end to its target end).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub points: Vec<Point>,
    /// A smooth curve guided by the points instead of straight segments.
    pub curved: bool,
    /// Corners rounded off.
    pub rounded: bool,
    pub start: Arrow,
    pub end: Arrow,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrow {
    pub head: Head,
    pub filled: bool,
    pub size: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Head {
    None,
    /// A notched arrowhead.
    Classic,
    /// A triangle.
    Block,
    /// Two strokes.
    Open,
    Oval,
    Diamond,
}

/// Colours and strokes. `None` colours are not painted.
#[derive(Debug, Clone, PartialEq)]
pub struct Paint {
    pub fill: Option<String>,
    /// A second fill colour the author blended towards (a gradient); writers may ignore it.
    pub gradient: Option<String>,
    pub stroke: Option<String>,
    pub stroke_width: f64,
    /// Dash and gap lengths in units of the stroke width; empty for a solid line.
    pub dashes: Vec<f64>,
    /// 0 (invisible) to 1, for the whole item, its fill and its stroke.
    pub opacity: f64,
    pub fill_opacity: f64,
    pub stroke_opacity: f64,
}

impl Default for Paint {
    fn default() -> Self {
        Paint {
            fill: None,
            gradient: None,
            stroke: None,
            stroke_width: 1.0,
            dashes: Vec::new(),
            opacity: 1.0,
            fill_opacity: 1.0,
            stroke_opacity: 1.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Start,
    Middle,
    End,
}

/// Text placed in `area`, aligned as `align` (across) and `valign` (down) say.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Plain text; `\n` separates lines.
    pub content: String,
    pub area: Rect,
    pub align: Align,
    pub valign: Align,
    pub font_px: f64,
    pub colour: String,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    /// Wrapped to the width of `area`; otherwise lines break only where the text says.
    pub wrap: bool,
    /// Turned a quarter anticlockwise about the centre of `area`, reading upwards (the title
    /// of a swimlane drawn with `horizontal=0`); `area` is then the box the text is laid out in
    /// before it is turned.
    pub upright: bool,
    /// A box behind the text (edge labels sit on the page's white).
    pub background: Option<String>,
    /// How each line of `content` departs from the font above (a draw.io label's `<b>` title
    /// line, a `<font color>` line); empty when every line is in that font.
    pub line_styles: Vec<LineStyle>,
    /// The label as its HTML lays it out (runs of emphasis within a line, blank lines, rules,
    /// tables), when plain lines would misdraw it; empty otherwise, and `content` is drawn.
    pub rich: Vec<Block>,
}

/// A piece of an HTML label, top to bottom. Only plain values: text is escaped when written.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// One line of runs (none for a blank line, a `<br>` of its own), aligned as its paragraph
    /// says (`<p style="text-align: center">`) or, when it says nothing, as the label is.
    Line {
        runs: Vec<Run>,
        align: Option<Align>,
    },
    /// A horizontal rule (`<hr>`) across the label.
    Rule,
    Table(Table),
}

/// Text set in one emphasis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Run {
    pub text: String,
    pub style: LineStyle,
}

/// An HTML table in a label (draw.io's table shape is a text cell holding one).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub rows: Vec<TableRow>,
    /// The colour of the cell borders, when it has them (`border="1"`).
    pub border: Option<String>,
    /// Stretched over the label's box (`width: 100%`, `height: 100%`).
    pub fill_width: bool,
    pub fill_height: bool,
    /// Space between a cell's border and its text (`cellpadding`).
    pub padding: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableRow {
    pub cells: Vec<TableCell>,
    pub background: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableCell {
    /// The cell's lines, each a list of runs.
    pub lines: Vec<Vec<Run>>,
    /// Columns it spans (`colspan`), at least 1.
    pub span: usize,
    /// `align`/`text-align`; left otherwise (draw.io's labels set header cells left too).
    pub align: Option<Align>,
    pub background: Option<String>,
    /// A `<th>`.
    pub header: bool,
}

/// One line's emphasis where it differs from its text's font; `None` keeps the text's own.
/// Colours pass [`colour`] and sizes are clamped before they are stored here.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineStyle {
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    pub underline: Option<bool>,
    pub colour: Option<String>,
    pub font_px: Option<f64>,
    /// A heading's size as a multiple of its text's (`<h1>` twice it, as browsers and so
    /// draw.io set it); an explicit `font_px` wins.
    pub scale: Option<f64>,
}

impl LineStyle {
    /// The size this line is set in, in a text of `base` pixels.
    pub fn px(&self, base: f64) -> f64 {
        self.font_px.unwrap_or(base * self.scale.unwrap_or(1.0))
    }

    /// Whether the line has a size of its own.
    pub fn sized(&self) -> bool {
        self.font_px.is_some() || self.scale.is_some()
    }
}

/// Colour names accepted besides `#rgb` and `#rrggbb`: the CSS basics authors type.
const NAMED: &[(&str, &str)] = &[
    ("black", "#000000"),
    ("white", "#ffffff"),
    ("red", "#ff0000"),
    ("green", "#008000"),
    ("blue", "#0000ff"),
    ("yellow", "#ffff00"),
    ("orange", "#ffa500"),
    ("purple", "#800080"),
    ("gray", "#808080"),
    ("grey", "#808080"),
    ("lightgray", "#d3d3d3"),
    ("lightgrey", "#d3d3d3"),
    ("darkgray", "#a9a9a9"),
    ("darkgrey", "#a9a9a9"),
    ("silver", "#c0c0c0"),
    ("navy", "#000080"),
    ("teal", "#008080"),
    ("maroon", "#800000"),
    ("olive", "#808000"),
    ("lime", "#00ff00"),
    ("aqua", "#00ffff"),
    ("cyan", "#00ffff"),
    ("fuchsia", "#ff00ff"),
    ("magenta", "#ff00ff"),
    ("pink", "#ffc0cb"),
    ("brown", "#a52a2a"),
];

/// A colour as `#rrggbb` (lower case) when `value` is `#rgb`, `#rrggbb` or a basic colour name;
/// `None` for anything else, so no value can carry markup, CSS or a `url(`.
pub fn colour(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(hex) = value.strip_prefix('#') {
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let hex = hex.to_ascii_lowercase();
        return match hex.len() {
            6 => Some(format!("#{hex}")),
            3 => Some(hex.chars().fold(String::from("#"), |mut s, c| {
                s.push(c);
                s.push(c);
                s
            })),
            _ => None,
        };
    }
    let lower = value.to_ascii_lowercase();
    NAMED.iter().find(|(name, _)| *name == lower).map(|(_, hex)| (*hex).to_string())
}

/// `value` within `low..=high`, and `fallback` when it is not a number (NaN).
pub fn clamp(value: f64, low: f64, high: f64, fallback: f64) -> f64 {
    if value.is_nan() {
        fallback
    } else {
        value.clamp(low, high)
    }
}

impl Drawing {
    /// The area every item covers, text included.
    pub fn extent(&self) -> Option<Rect> {
        let mut all: Option<(f64, f64, f64, f64)> = None;
        let mut grow = |r: Rect| {
            let (x0, y0, x1, y1) = (r.x, r.y, r.x + r.width, r.y + r.height);
            all = Some(match all {
                None => (x0, y0, x1, y1),
                Some((a, b, c, d)) => (a.min(x0), b.min(y0), c.max(x1), d.max(y1)),
            });
        };
        for item in &self.items {
            match &item.figure {
                Figure::Shape { bounds, .. } => grow(*bounds),
                Figure::Line(line) => {
                    for p in &line.points {
                        grow(Rect { x: p.x, y: p.y, width: 0.0, height: 0.0 });
                    }
                }
            }
            if let Some(text) = &item.text {
                grow(text.area);
            }
        }
        all.map(|(x0, y0, x1, y1)| Rect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_colours_pass() {
        assert_eq!(colour("#DAE8FC").as_deref(), Some("#dae8fc"));
        assert_eq!(colour("#abc").as_deref(), Some("#aabbcc"));
        assert_eq!(colour("Red").as_deref(), Some("#ff0000"));
        for bad in ["none", "url(#x)", "#12345g", "#1234", "red;stroke:x", "", "default"] {
            assert_eq!(colour(bad), None, "{bad}");
        }
    }

    #[test]
    fn clamping_tames_nan_and_infinity() {
        assert_eq!(clamp(f64::NAN, 0.0, 1.0, 0.5), 0.5);
        assert_eq!(clamp(f64::INFINITY, 0.0, 10.0, 1.0), 10.0);
        assert_eq!(clamp(-3.0, 0.0, 10.0, 1.0), 0.0);
    }
}
