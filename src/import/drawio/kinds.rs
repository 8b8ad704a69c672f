//! What a vertex's style says it is: a DFD element (and which kind), a candidate boundary, text,
//! a boundary line, or decoration.
//!
//! Conventions conflict between authors, so each answer carries its reason, and the weakest
//! answers (a plain rectangle, a shape we do not know) are left for the page-wide conventions and
//! for geometry to settle.

use super::icons::icon_of;
use super::style::Style;
use crate::model::{ElementKind, Shape};

/// What a style alone says about a vertex.
#[derive(Debug, Clone, PartialEq)]
pub enum Look {
    /// A shape with a DFD meaning.
    Element(StyledKind),
    /// A plain rectangle: an external entity, a process in the rounded/square convention, or a
    /// boundary when drawn around other shapes.
    Rectangle { rounded: bool },
    /// A swimlane or `container=1`: a boundary when it holds something.
    Container,
    /// A cloud vendor's group shape (VPC, region, account, subnet): always a boundary.
    CloudGroup { named_by: String },
    /// An invisible `group`: only gathers its children.
    Group,
    /// A boundary drawn as an arc (`shape=requiredInterface`).
    BoundaryArc,
    /// A shape we do not know: an element only when it has a label or carries a flow.
    Unknown { shape: String },
    /// Text, an edge label, a note.
    Text,
    /// Lines, arrows, tables, furniture: nothing for the model.
    Decoration,
    /// A badge icon (a padlock, an "encrypted data" sign): nothing for the model when drawn at
    /// badge size, on a flow or beside an element; drawn as large as an icon, read like one.
    Marker(StyledKind),
}

/// A kind read from the style, with the drawn shape, the reason and maybe a technology.
#[derive(Debug, Clone, PartialEq)]
pub struct StyledKind {
    pub kind: ElementKind,
    pub shape: Shape,
    pub why: String,
    pub technology: Option<&'static str>,
}

fn styled(kind: ElementKind, shape: Shape, why: impl Into<String>) -> Look {
    Look::Element(StyledKind { kind, shape, why: why.into(), technology: None })
}

/// Shapes that are drawing furniture whatever their label.
const DECORATION_SHAPES: &[&str] = &[
    "line",
    "arrow",
    "flexArrow",
    "singleArrow",
    "doubleArrow",
    "curlyBracket",
    "waypoint",
    "table",
    "tableRow",
    "image_placeholder",
    "mxgraph.arrows",
    "mxgraph.arrows2",
    "mxgraph.floorplan",
    "mxgraph.mockup",
    "mxgraph.ios",
    "mxgraph.ios7",
    "mxgraph.ios7ui",
    "mxgraph.android",
    "mxgraph.aws3d.arrow",
    "mxgraph.aws3d.dashed",
    "mxgraph.aws3d.flat",
    "mxgraph.aws3d.secureconnection",
    "crossbar",
    "mxgraph.lean_mapping",
];

/// Shapes of behaviour diagrams drawn on the same page as a DFD (process models, sequence
/// diagrams): furniture themselves, and what they connect is left out too (see
/// [`super::behaviour`]).
const BEHAVIOUR_SHAPES: &[&str] =
    &["mxgraph.bpmn", "umlLifeline", "umlFrame", "umlDestroy", "mxgraph.sysml"];

/// Whether a shape name belongs to a behaviour notation (BPMN, SysML, UML sequence).
pub fn is_behaviour_shape(shape: &str) -> bool {
    shape_family_matches(shape, BEHAVIOUR_SHAPES)
}

/// Cloud group shapes, by shape name (lower case).
fn cloud_group(style: &Style) -> Option<String> {
    let shape = style.get("shape").unwrap_or_default();
    let lower = shape.to_ascii_lowercase();
    if let Some(icon) = style.get("grIcon") {
        return Some(format!("grIcon={icon}"));
    }
    let is_group = (lower.starts_with("mxgraph.aws")
        || lower.starts_with("mxgraph.azure")
        || lower.starts_with("mxgraph.gcp")
        || lower.starts_with("mxgraph.mscae"))
        && (lower.ends_with(".group")
            || lower.ends_with(".groupcenter")
            || lower.contains(".group_"));
    is_group.then(|| format!("shape={shape}"))
}

fn shape_family_matches(shape: &str, names: &[&str]) -> bool {
    names.iter().any(|n| {
        shape.eq_ignore_ascii_case(n)
            || (shape.len() > n.len()
                && shape.get(..n.len()).is_some_and(|p| p.eq_ignore_ascii_case(n))
                && shape.as_bytes().get(n.len()) == Some(&b'.'))
            || (n.starts_with("mxgraph.")
                && shape.to_ascii_lowercase().starts_with(&n.to_ascii_lowercase()))
    })
}

/// Reads a vertex style.
pub fn look(style: &Style) -> Look {
    if style.has_token("text") || style.has_token("edgeLabel") {
        return Look::Text;
    }
    if let Some(named_by) = cloud_group(style) {
        return Look::CloudGroup { named_by };
    }
    let shape = style.shape().unwrap_or_default().to_string();
    let lower = shape.to_ascii_lowercase();
    match lower.as_str() {
        "note" | "callout" => return Look::Text,
        "requiredinterface" | "providedrequiredinterface" | "arc" | "mxgraph.basic.arc" => {
            return Look::BoundaryArc
        }
        "group" => return Look::Group,
        "swimlane" => return Look::Container,
        "ellipse" => return styled(ElementKind::Process, Shape::Ellipse, "style ellipse"),
        "doubleellipse" => {
            return styled(
                ElementKind::Process,
                Shape::DoubleEllipse,
                format!("style shape={shape}"),
            )
        }
        "cylinder"
        | "cylinder3"
        | "datastore"
        | "mxgraph.flowchart.database"
        | "mxgraph.flowchart.stored_data"
        | "mxgraph.flowchart.direct_data" => {
            return styled(ElementKind::DataStore, Shape::Cylinder, format!("style shape={shape}"))
        }
        "partialrectangle" => {
            let open_sides = style.get("left") == Some("0") && style.get("right") == Some("0");
            let open_ends = style.get("top") == Some("0") && style.get("bottom") == Some("0");
            return if open_sides != open_ends {
                styled(
                    ElementKind::DataStore,
                    Shape::OpenRectangle,
                    "style shape=partialRectangle (open-ended store)",
                )
            } else {
                Look::Decoration
            };
        }
        // draw.io's C4 library draws every person, inside or outside, as `mxgraph.c4.person2`.
        "umlactor"
        | "actor"
        | "mxgraph.basic.person"
        | "mxgraph.c4.person"
        | "mxgraph.c4.person2" => {
            return styled(
                ElementKind::ExternalEntity,
                Shape::Actor,
                format!("style shape={shape}"),
            )
        }
        "document" | "mxgraph.flowchart.document" | "mxgraph.flowchart.multi-document" => {
            return styled(ElementKind::DataStore, Shape::Document, format!("style shape={shape}"))
        }
        "cloud" => {
            return styled(
                ElementKind::ExternalEntity,
                Shape::Ellipse,
                format!("style shape={shape}"),
            )
        }
        _ => {}
    }
    if let Some(name) = lower.strip_prefix("mxgraph.dfd.") {
        return dfd_library(name, &shape);
    }
    // A vendor library's arrows and connectors (the AWS 3D set draws its flows as arrow-shaped
    // vertices: `arrowSE`, `arrowhead`, `dashedEdgeDouble`) are furniture before they are icons:
    // read as icons, each arrow was an unrecognised service, a process.
    if lower.starts_with("mxgraph.") && shape_family_matches(&shape, DECORATION_SHAPES) {
        return Look::Decoration;
    }
    if let Some(icon) = icon_of(style) {
        let (kind, technology) = match (icon.technology, icon.kind) {
            (Some(id), _) => {
                (crate::model::technology(id).map_or(ElementKind::Process, |t| t.kind), Some(id))
            }
            (None, Some(kind)) => (kind, None),
            (None, None) => (ElementKind::Process, None),
        };
        let why = match (icon.technology, icon.kind) {
            (None, None) => {
                format!("{} icon {} (unrecognised service: process)", icon.vendor, icon.named_by)
            }
            _ => format!("{} icon {}", icon.vendor, icon.named_by),
        };
        let styled = StyledKind { kind, shape: Shape::Icon, why, technology };
        return if icon.marker { Look::Marker(styled) } else { Look::Element(styled) };
    }
    if shape_family_matches(&shape, DECORATION_SHAPES)
        || is_behaviour_shape(&shape)
        || style.has_token("line")
    {
        return Look::Decoration;
    }
    if style.has_token("image") || lower == "image" {
        return Look::Decoration;
    }
    if style.has_token("swimlane") || style.flag("container") {
        return Look::Container;
    }
    match lower.as_str() {
        "" | "rect" | "rectangle" | "label" | "process" => {
            Look::Rectangle { rounded: style.flag("rounded") }
        }
        _ => Look::Unknown { shape },
    }
}

/// draw.io's own DFD library (`mxgraph.dfd.*`).
fn dfd_library(name: &str, shape: &str) -> Look {
    let why = format!("style shape={shape}");
    if name.starts_with("start") || name.contains("external") {
        styled(ElementKind::ExternalEntity, Shape::Rounded, why)
    } else if name.contains("store") || name.contains("archiv") {
        styled(ElementKind::DataStore, Shape::OpenRectangle, why)
    } else {
        styled(ElementKind::Process, Shape::Ellipse, why)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn kind(style: &str) -> Option<(ElementKind, Shape)> {
        match look(&Style::parse(style)) {
            Look::Element(k) => Some((k.kind, k.shape)),
            _ => None,
        }
    }

    #[test]
    fn dfd_conventions() {
        use ElementKind::*;
        assert_eq!(
            kind("ellipse;whiteSpace=wrap;html=1;aspect=fixed;"),
            Some((Process, Shape::Ellipse))
        );
        assert_eq!(
            kind("ellipse;shape=doubleEllipse;whiteSpace=wrap"),
            Some((Process, Shape::DoubleEllipse))
        );
        assert_eq!(
            kind("shape=partialRectangle;whiteSpace=wrap;html=1;left=0;right=0;fillColor=none;"),
            Some((DataStore, Shape::OpenRectangle))
        );
        assert_eq!(kind("shape=cylinder3;whiteSpace=wrap"), Some((DataStore, Shape::Cylinder)));
        assert_eq!(kind("shape=datastore"), Some((DataStore, Shape::Cylinder)));
        assert_eq!(
            kind("shape=umlActor;verticalLabelPosition=bottom"),
            Some((ExternalEntity, Shape::Actor))
        );
        assert_eq!(
            kind("html=1;fillColor=#083F75;shape=mxgraph.c4.person2;metaEdit=1;"),
            Some((ExternalEntity, Shape::Actor))
        );
        assert_eq!(kind("shape=mxgraph.dfd.start"), Some((ExternalEntity, Shape::Rounded)));
        assert_eq!(kind("shape=mxgraph.dfd.dataStoreID"), Some((DataStore, Shape::OpenRectangle)));
        assert_eq!(
            kind("ellipse;shape=cloud;whiteSpace=wrap"),
            Some((ExternalEntity, Shape::Ellipse))
        );
        assert_eq!(
            kind("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3"),
            Some((DataStore, Shape::Icon))
        );
    }

    #[test]
    fn a_vendor_librarys_arrows_are_furniture_not_icons() {
        let l = |s: &str| look(&Style::parse(s));
        assert_eq!(
            l("shape=mxgraph.aws3d.arrowSE;fillColor=#000000;aspect=fixed"),
            Look::Decoration
        );
        assert_eq!(l("shape=mxgraph.aws3d.arrowhead;html=1"), Look::Decoration);
        assert_eq!(l("shape=mxgraph.aws3d.dashedEdgeDouble;html=1"), Look::Decoration);
        assert_eq!(l("shape=mxgraph.aws3d.secureConnection;html=1"), Look::Decoration);
        assert_eq!(kind("shape=mxgraph.aws3d.dynamoDb;html=1").map(|k| k.1), Some(Shape::Icon));
    }

    #[test]
    fn other_looks() {
        let l = |s: &str| look(&Style::parse(s));
        assert_eq!(l("rounded=0;whiteSpace=wrap;html=1;"), Look::Rectangle { rounded: false });
        assert_eq!(l("rounded=1;whiteSpace=wrap;html=1;"), Look::Rectangle { rounded: true });
        assert_eq!(
            l("html=1;fillColor=none;dashed=1;strokeColor=#FF3333"),
            Look::Rectangle { rounded: false }
        );
        assert_eq!(l("text;html=1;dashed=1"), Look::Text);
        assert_eq!(l("shape=note;whiteSpace=wrap"), Look::Text);
        assert_eq!(l("shape=requiredInterface;html=1;dashed=1"), Look::BoundaryArc);
        assert_eq!(l("group"), Look::Group);
        assert_eq!(l("swimlane;startSize=20"), Look::Container);
        assert!(matches!(
            l("points=[];shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_vpc;dashed=0"),
            Look::CloudGroup { .. }
        ));
        assert_eq!(l("shape=mxgraph.floorplan.wall"), Look::Decoration);
        assert!(matches!(l("shape=mxgraph.office.security.lock_protected;"), Look::Marker(_)));
        assert!(matches!(l("shape=hexagon"), Look::Unknown { .. }));
        assert_eq!(l("shape=partialRectangle;top=0;left=0;bottom=0;right=0"), Look::Decoration);
    }
}
