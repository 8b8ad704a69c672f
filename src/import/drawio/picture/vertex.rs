//! A vertex as draw.io draws it: which outline its style names, and where its label goes
//! (`labelPosition`/`verticalLabelPosition` move the label box beside the shape, `align`/
//! `verticalAlign` place the text in it, `spacing*` pad it).

use super::super::kinds::{look, Look};
use super::super::style::Style;
use super::embedded::{embedded, svg_colour};
use super::paint::{align, font, label_background, paint, Defaults};
use super::tiles::{icon_name, tile};
use crate::model::drawing::{
    clamp, Align, Arrow, BpmnMark, Direction, Figure, Head, Item, Line, Outline, Text,
};
use crate::model::{Point, Rect};

/// draw.io's default swimlane title height.
const SWIMLANE_HEADER: f64 = 23.0;
/// draw.io's default padding between a shape and its text.
const SPACING: f64 = 2.0;
/// draw.io adds this above a top-aligned label (its `mxText.baseSpacingTop`, kept from mxGraph
/// 1.x): a zone's caption sits 5 px under the zone's top line, not on it.
const BASE_SPACING_TOP: f64 = 5.0;
const SHAPE_FONT_PX: f64 = 12.0;
/// The tile of an icon or image whose colour nothing says.
const GREY: &str = "#64748b";

/// The item for a vertex drawn in `bounds` with `label`.
pub fn vertex(id: &str, style: &Style, bounds: Rect, label: &str) -> Item {
    let shape = style.shape().unwrap_or_default().to_ascii_lowercase();
    let bare = style.has_token("text")
        || style.has_token("edgeLabel")
        || shape == "group"
        || shape == "text";
    let mut paint = paint(style, if bare { Defaults::Bare } else { Defaults::Shape });
    // Text given a fill or an outline (a tag, a sticker) is drawn in its box.
    let boxed = bare && shape != "group" && (paint.fill.is_some() || paint.stroke.is_some());
    let outline = outline(style, &shape, bounds, bare && !boxed);
    let mut figure = Figure::Shape { bounds, outline };
    let mut label_below = false;
    if let Figure::Shape { outline: Outline::Tile { .. }, .. } = &figure {
        // A vendor icon's colour; else the stencil's own ink (a white fill is the page).
        let own_ink = [paint.fill.clone(), paint.stroke.clone()]
            .into_iter()
            .flatten()
            .find(|c| c != "#ffffff");
        paint.fill = tile(style)
            .map(|(colour, _)| colour)
            .or_else(|| svg_colour(style))
            .or(own_ink)
            .or(Some(GREY.into()));
        paint.stroke = None;
        label_below = true;
    }
    if let Figure::Shape { outline: Outline::Picture { .. }, .. } = &figure {
        // The picture is the shape: no box around it unless the style draws one.
        paint.fill = None;
        if style.get("imageBorder").is_none() {
            paint.stroke = None;
        }
        label_below = true;
    }
    if matches!(figure, Figure::Shape { outline: Outline::Framed { .. }, .. })
        && style.get("grStroke") == Some("0")
    {
        paint.stroke = None;
    }
    // A BPMN end event's ring is thick.
    if shape == "mxgraph.bpmn.shape" && style.get("outline") == Some("end") {
        paint.stroke_width *= 3.0;
    }
    if shape == "line" {
        figure = Figure::Line(horizontal_line(style, bounds));
        paint.stroke = paint.stroke.or(paint.fill.take());
    }
    // draw.io's `image` style puts the caption under the picture; a stick figure has no such
    // default (its palette entry says `verticalLabelPosition=bottom` itself): without it, draw.io
    // writes the label across the figure, and so do we.
    if shape == "image" || style.has_token("image") {
        label_below = true;
    }
    let text = text(style, &figure, bounds, label, label_below);
    Item { id: id.to_string(), figure, paint, text, rotation: rotation(style) }
}

fn outline(style: &Style, shape: &str, r: Rect, bare: bool) -> Outline {
    if bare {
        return Outline::Nothing;
    }
    let size = |default: f64| style.number("size").map_or(default, |v| clamp(v, 0.0, 1e4, default));
    match shape {
        "ellipse" | "startstate" => return Outline::Ellipse,
        "doubleellipse" | "endstate" => return Outline::DoubleEllipse,
        "cylinder" | "cylinder3" | "datastore" | "mxgraph.flowchart.database" => {
            let cap = if shape == "cylinder3" { size(15.0) * 2.0 } else { r.height * 0.2 };
            return Outline::Cylinder { cap: cap.min(r.height / 2.0) };
        }
        "document" | "mxgraph.flowchart.document" | "mxgraph.flowchart.multi-document" => {
            return Outline::Document
        }
        "note" => return Outline::Note { fold: size(30.0).min(r.width).min(r.height) },
        "cloud" | "mxgraph.basic.cloud_callout" => return Outline::Cloud,
        "actor" | "mxgraph.basic.person" => return Outline::Bust,
        "umlactor" => return Outline::StickFigure,
        "hexagon" => return Outline::Hexagon,
        "rhombus" | "mxgraph.flowchart.decision" => return Outline::Rhombus,
        "process" | "mxgraph.flowchart.predefined_process" => return Outline::Process,
        "triangle" => return Outline::Triangle { towards: direction(style) },
        "cube" => {
            let depth = size(CUBE_DEPTH).min(r.width).min(r.height);
            return Outline::Cube { depth, towards: direction(style) };
        }
        "message" => return Outline::Envelope,
        "mxgraph.bpmn.shape" => return bpmn(style),
        // A timer event: its double ring (the clock face inside is not drawn).
        "mxgraph.bpmn.timer_start" => {
            return Outline::Bpmn { gateway: false, double: true, mark: BpmnMark::Nothing }
        }
        "plus" => return Outline::Plus,
        "component" => return component(style, r),
        "or" | "xor" => return Outline::Gate { xor: shape == "xor", towards: direction(style) },
        "umllifeline" => {
            let header = size(LIFELINE_HEADER).min(r.height);
            return Outline::Lifeline { header };
        }
        "partialrectangle" => {
            let side = |k: &str| style.get(k) != Some("0");
            return Outline::Sides {
                top: side("top"),
                right: side("right"),
                bottom: side("bottom"),
                left: side("left"),
            };
        }
        "swimlane" => return swimlane(style, r),
        _ => {}
    }
    if style.has_token("swimlane") {
        return swimlane(style, r);
    }
    if let Look::CloudGroup { .. } = look(style) {
        return cloud_group(style, r);
    }
    if let Some((mime, base64)) = embedded(style) {
        return Outline::Picture { mime, base64 };
    }
    if let Some((_, name)) = tile(style) {
        return Outline::Tile { name };
    }
    if shape == "image" || style.has_token("image") || small_stencil(shape, r) {
        // A picture carried in the file has no name to show (its caption is under it).
        let carried = style.get("image").is_some_and(|i| i.trim_start().starts_with("data:"));
        let name = icon_name(style).unwrap_or_else(|| {
            if carried {
                String::new()
            } else {
                "image".to_string()
            }
        });
        return Outline::Tile { name };
    }
    rectangle(style, r)
}

/// draw.io's default height of a lifeline's box.
const LIFELINE_HEADER: f64 = 40.0;

/// `rotation` in degrees, within one turn (0 when not a number).
pub(super) fn rotation(style: &Style) -> f64 {
    style.number("rotation").filter(|v| v.is_finite()).map_or(0.0, |v| v % 360.0)
}

/// A BPMN event or gateway: a gateway has a rhombus perimeter (its `background=gateway`), an
/// intermediate event (`outline=catching|throwing`) a double ring.
fn bpmn(style: &Style) -> Outline {
    let gateway = style.get("background") == Some("gateway")
        || style.get("perimeter") == Some("rhombusPerimeter");
    let double = matches!(style.get("outline"), Some("catching" | "throwing"));
    let mark = match style.get("symbol") {
        Some("parallelGw") => BpmnMark::Plus,
        Some("exclusiveGw") => BpmnMark::Cross,
        Some("message") => BpmnMark::Envelope,
        _ => BpmnMark::Nothing,
    };
    Outline::Bpmn { gateway, double, mark }
}

/// draw.io's default depth of a `cube`.
const CUBE_DEPTH: f64 = 20.0;

/// A UML component, its tabs as draw.io sizes them (32 by 12 unless the style says).
fn component(style: &Style, r: Rect) -> Outline {
    let number = |key: &str, default: f64| {
        style.number(key).map_or(default, |v| clamp(v, 0.0, 1e4, default))
    };
    Outline::Component {
        tab: number("jettyWidth", 32.0).min(r.width),
        tab_height: number("jettyHeight", 12.0).min(r.height / 2.0),
    }
}

/// The way a shape faces: `direction=south|west|north`, east when not said.
pub(super) fn direction(style: &Style) -> Direction {
    match style.get("direction") {
        Some("south") => Direction::South,
        Some("west") => Direction::West,
        Some("north") => Direction::North,
        _ => Direction::East,
    }
}

/// A logo or symbol from a stencil library we do not draw (`mxgraph.weblogos.github`): small
/// enough to be an icon, so shown as a named tile rather than as an empty box.
fn small_stencil(shape: &str, r: Rect) -> bool {
    const DRAWN_AS_BOXES: &[&str] = &["mxgraph.flowchart.", "mxgraph.basic.", "mxgraph.dfd."];
    const ICON_SIZE: f64 = 150.0;
    shape.starts_with("mxgraph.")
        && !DRAWN_AS_BOXES.iter().any(|p| shape.starts_with(p))
        && r.width <= ICON_SIZE
        && r.height <= ICON_SIZE
}

/// A rectangle, its corners rounded as draw.io rounds them: `arcSize` percent of the shorter
/// side (15 when not given), or half of `arcSize` pixels with `absoluteArcSize=1`.
fn rectangle(style: &Style, r: Rect) -> Outline {
    if !style.flag("rounded") {
        return Outline::Rectangle { radius: 0.0 };
    }
    let short = r.width.min(r.height);
    let radius = if style.flag("absoluteArcSize") {
        style.number("arcSize").map_or(10.0, |a| clamp(a, 0.0, 1e4, 20.0) / 2.0)
    } else {
        short * style.number("arcSize").map_or(0.15, |a| clamp(a, 0.0, 50.0, 15.0) / 100.0)
    };
    Outline::Rectangle { radius: radius.min(short / 2.0) }
}

/// The side of an AWS group's corner icon (`shape=mxgraph.aws4.group`), as draw.io draws it.
const GROUP_ICON: f64 = 25.0;

/// A cloud group: an AWS group with a `grIcon` gets its corner icon in the stroke colour (the
/// frame itself may be unstroked, `grStroke=0`); other vendors' groups are plain frames.
fn cloud_group(style: &Style, r: Rect) -> Outline {
    let aws = style.shape().is_some_and(|s| s.eq_ignore_ascii_case("mxgraph.aws4.group"));
    if !aws || style.get("grIcon").is_none_or(str::is_empty) {
        return rectangle(style, r);
    }
    let icon_colour = ["strokeColor", "fontColor"]
        .iter()
        .find_map(|k| style.get(k).and_then(crate::model::drawing::colour));
    let icon = GROUP_ICON.min(r.width).min(r.height);
    Outline::Framed { icon, icon_colour }
}

fn swimlane(style: &Style, r: Rect) -> Outline {
    let horizontal = style.get("horizontal") != Some("0");
    let room = if horizontal { r.height } else { r.width };
    let header =
        style.number("startSize").map_or(SWIMLANE_HEADER, |v| clamp(v, 0.0, room, SWIMLANE_HEADER));
    let body_fill = style.get("swimlaneFillColor").and_then(crate::model::drawing::colour);
    Outline::Swimlane { header: header.min(room), horizontal, body_fill }
}

/// `shape=line`: a stroke across the middle of the box (down it for `direction=south/north`).
fn horizontal_line(style: &Style, r: Rect) -> Line {
    let c = r.center();
    let vertical = matches!(style.get("direction"), Some("south" | "north"));
    let points = if vertical {
        vec![Point { x: c.x, y: r.y }, Point { x: c.x, y: r.y + r.height }]
    } else {
        vec![Point { x: r.x, y: c.y }, Point { x: r.x + r.width, y: c.y }]
    };
    let none = Arrow { head: Head::None, filled: false, size: 0.0 };
    Line { points, curved: false, rounded: false, start: none, end: none }
}

/// Where the label goes, `None` for an empty one. `below` shapes (icons, images) put it under
/// themselves unless the style says otherwise.
fn text(style: &Style, figure: &Figure, r: Rect, label: &str, below: bool) -> Option<Text> {
    if label.trim().is_empty() {
        return None;
    }
    let swimlane_header = match figure {
        Figure::Shape { outline: Outline::Swimlane { header, horizontal, .. }, .. } => {
            Some(if *horizontal {
                Rect { height: *header, ..r }
            } else {
                Rect { width: *header, ..r }
            })
        }
        _ => None,
    };
    // A lifeline's name sits in its box, not down the whole line.
    let lifeline_header = match figure {
        Figure::Shape { outline: Outline::Lifeline { header }, .. } => {
            Some(Rect { height: *header, ..r })
        }
        _ => None,
    };
    let mut area = swimlane_header.or(lifeline_header).unwrap_or(r);
    // draw.io's stylesheet sets its named style `text` left and top (the palette's "Text"
    // entry says centre and middle itself; its "Textbox" relies on the stylesheet).
    let text_style = style.has_token("text");
    let default_align = if text_style { Align::Start } else { Align::Middle };
    let (default_v, default_valign) = if below {
        ("bottom", Align::Start)
    } else {
        ("middle", if text_style { Align::Start } else { Align::Middle })
    };
    match style.get("labelPosition") {
        Some("left") => area.x -= r.width,
        Some("right") => area.x += r.width,
        _ => {}
    }
    match style.get("verticalLabelPosition").unwrap_or(default_v) {
        "top" => area.y -= r.height,
        "bottom" => area.y += r.height,
        _ => {}
    }
    let pad = |key: &str| style.number(key).map_or(0.0, |v| clamp(v, -1e4, 1e4, 0.0));
    let spacing = style.number("spacing").map_or(SPACING, |v| clamp(v, -1e4, 1e4, SPACING));
    let (left, right) = (spacing + pad("spacingLeft"), spacing + pad("spacingRight"));
    let valign = align(style.get("verticalAlign"), default_valign);
    let base_top = if valign == Align::Start { BASE_SPACING_TOP } else { 0.0 };
    let (top, bottom) = (spacing + pad("spacingTop") + base_top, spacing + pad("spacingBottom"));
    area = Rect {
        x: area.x + left,
        y: area.y + top,
        width: (area.width - left - right).max(0.0),
        height: (area.height - top - bottom).max(0.0),
    };
    let swimlane = swimlane_header.is_some();
    // A swimlane with its title bar on the left reads upwards: laid out across the bar's height.
    // So does any label whose style says `horizontal=0`.
    let upright = matches!(
        figure,
        Figure::Shape { outline: Outline::Swimlane { horizontal: false, .. }, .. }
    ) || style.get("horizontal") == Some("0");
    if upright {
        let c = area.center();
        area = Rect {
            x: c.x - area.height / 2.0,
            y: c.y - area.width / 2.0,
            width: area.height,
            height: area.width,
        };
    }
    let f = font(style, SHAPE_FONT_PX, swimlane);
    Some(Text {
        content: label.to_string(),
        area,
        align: align(style.get("align"), default_align),
        valign,
        font_px: f.px,
        colour: f.colour,
        bold: f.bold,
        italic: f.italic,
        underline: f.underline,
        // `overflow=fill` gives the label the shape's whole width, as wrapping does.
        wrap: style.get("whiteSpace") == Some("wrap") || style.get("overflow") == Some("fill"),
        upright,
        background: label_background(style, false),
        line_styles: Vec::new(),
        rich: Vec::new(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn label_area(style: &str) -> Rect {
        let bounds = Rect { x: 0.0, y: 0.0, width: 30.0, height: 60.0 };
        vertex("a", &Style::parse(style), bounds, "Customer").text.unwrap().area
    }

    #[test]
    fn an_aws_group_has_its_corner_icon_in_its_stroke_colour() {
        let bounds = Rect { x: 0.0, y: 0.0, width: 300.0, height: 200.0 };
        let group = "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_vpc;strokeColor=#248814;";
        let item = vertex("g", &Style::parse(group), bounds, "VPC");
        let Figure::Shape { outline: Outline::Framed { icon, icon_colour }, .. } = item.figure
        else {
            panic!("{:?}", item.figure)
        };
        assert_eq!((icon, icon_colour.as_deref()), (25.0, Some("#248814")));
        assert_eq!(item.paint.stroke.as_deref(), Some("#248814"));
        // A subnet drawn without its frame keeps the icon.
        let item = vertex("s", &Style::parse(&format!("{group}grStroke=0")), bounds, "Subnet");
        assert!(matches!(item.figure, Figure::Shape { outline: Outline::Framed { .. }, .. }));
        assert_eq!(item.paint.stroke, None);
        // Without an icon: a plain frame.
        let plain = vertex("p", &Style::parse("shape=mxgraph.aws4.group;"), bounds, "Group");
        assert!(matches!(plain.figure, Figure::Shape { outline: Outline::Rectangle { .. }, .. }));
    }

    #[test]
    fn text_cells_default_to_left_and_top_and_lifelines_are_named_in_their_box() {
        let bounds = Rect { x: 0.0, y: 0.0, width: 300.0, height: 120.0 };
        let text = vertex("t", &Style::parse("text;html=1;whiteSpace=wrap;"), bounds, "Title");
        let text = text.text.unwrap();
        assert_eq!((text.align, text.valign), (Align::Start, Align::Start));
        let said =
            vertex("t", &Style::parse("text;align=center;verticalAlign=middle;"), bounds, "T");
        let said = said.text.unwrap();
        assert_eq!((said.align, said.valign), (Align::Middle, Align::Middle));
        let lifeline = vertex("l", &Style::parse("shape=umlLifeline;"), bounds, ":Object");
        assert!(lifeline.text.unwrap().area.height <= 40.0);
        let lane = vertex("s", &Style::parse("swimlane;horizontal=0;"), bounds, "Lane");
        assert!(lane.text.unwrap().upright);
    }

    #[test]
    fn a_stick_figure_is_labelled_where_its_style_says() {
        // No position in the style: across the figure, as draw.io draws it.
        assert!(label_area("shape=umlActor;").y < 60.0);
        // The palette's own style: under it.
        assert!(
            label_area("shape=umlActor;verticalLabelPosition=bottom;verticalAlign=top;").y >= 60.0
        );
        // An image's caption is under it by default.
        assert!(label_area("image;image=img/x.svg;").y >= 60.0);
    }
}
