//! One stencil of a drawing surface: what it is, its name, properties and geometry.
//!
//! What a stencil is comes from its generic type (`GenericTypeId`): `GE.P` a process, `GE.EI` an
//! external interactor, `GE.DS` a data store, `GE.TB.B` a trust boundary border (a box),
//! `GE.TB.L` a trust boundary line, `GE.DF` a data flow, `GE.A` an annotation. Templates of
//! their own use GUIDs instead; then the shape it is drawn as decides (`i:type`:
//! `StencilEllipse`, `StencilRectangle`, `StencilParallelLines`, `BorderBoundary`,
//! `LineBoundary`, `Connector`, or the template's `Representation`), and the kind it gives is a
//! guess that the generic type's name ("Database"), a technology or the label can overrule.

use std::collections::HashMap;

use super::tree::Node;
use crate::import::builder::rect;
use crate::model::{ElementKind, Point, Rect};

/// What a stencil is. `strong` is false for a kind guessed from a custom template's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Element { kind: ElementKind, strong: bool },
    Border,
    Line,
    Flow,
    Annotation,
    Unknown,
}

/// A template's generic type: its name and how it is drawn.
#[derive(Debug, Clone, Default)]
pub struct GenericType {
    pub name: String,
    pub representation: String,
}

/// The template's generic types by id (`KnowledgeBase/GenericElements`).
pub fn generic_types(root: &Node) -> HashMap<String, GenericType> {
    let Some(list) = root.child("KnowledgeBase").and_then(|kb| kb.child("GenericElements")) else {
        return HashMap::new();
    };
    list.children
        .iter()
        .filter_map(|e| {
            let id = e.text_of("Id")?.to_string();
            let name = e.text_of("Name").unwrap_or_default().to_string();
            let representation = e.text_of("Representation").unwrap_or_default().to_string();
            Some((id, GenericType { name, representation }))
        })
        .collect()
}

/// One shape or line, read.
#[derive(Debug, Clone, Default)]
pub struct Stencil {
    pub guid: String,
    /// `i:type`: `StencilEllipse`, `Connector`...
    pub drawn_as: String,
    pub generic: String,
    /// The stencil type's name: the first header property (`Web Application`, `HTTPS`).
    pub type_name: String,
    pub name: String,
    /// Properties by display name, with their selected value.
    pub properties: Vec<(String, String)>,
    pub bounds: Option<Rect>,
    pub source_guid: Option<String>,
    pub target_guid: Option<String>,
    pub source: Option<Point>,
    pub target: Option<Point>,
    pub handle: Option<Point>,
}

/// Reads the `<Value>` of a `Borders` or `Lines` entry.
pub fn read(value: &Node) -> Stencil {
    let number = |name: &str| {
        value.text_of(name).and_then(|t| t.parse::<f64>().ok()).filter(|n| n.is_finite())
    };
    let point = |x: &str, y: &str| Some(Point { x: number(x)?, y: number(y)? });
    let guid_of = |name: &str| {
        value
            .text_of(name)
            .filter(|g| g.chars().any(|c| c.is_ascii_hexdigit() && c != '0'))
            .map(str::to_string)
    };
    let mut stencil = Stencil {
        guid: value.text_of("Guid").unwrap_or_default().to_string(),
        drawn_as: value.attribute("type").unwrap_or_default().to_string(),
        generic: value.text_of("GenericTypeId").unwrap_or_default().to_string(),
        bounds: (|| rect(number("Left")?, number("Top")?, number("Width")?, number("Height")?))(),
        source_guid: guid_of("SourceGuid"),
        target_guid: guid_of("TargetGuid"),
        source: point("SourceX", "SourceY"),
        target: point("TargetX", "TargetY"),
        handle: point("HandleX", "HandleY"),
        ..Stencil::default()
    };
    for property in value.child("Properties").map(|p| p.children.as_slice()).unwrap_or_default() {
        let display = property.text_of("DisplayName").unwrap_or_default().to_string();
        if property.attribute("type").is_some_and(|t| t.ends_with("HeaderDisplayAttribute")) {
            if stencil.type_name.is_empty() {
                stencil.type_name = display;
            }
            continue;
        }
        let selected = selected_value(property);
        if display == "Name" && stencil.name.is_empty() {
            stencil.name = property.child("Value").map(|v| v.text.clone()).unwrap_or_default();
        } else if !display.is_empty() {
            stencil.properties.push((display, selected));
        }
    }
    stencil
}

/// A property's value: the text, or for a list the entry at `SelectedIndex`.
fn selected_value(property: &Node) -> String {
    let Some(value) = property.child("Value") else { return String::new() };
    if value.children.is_empty() {
        return value.text.trim().to_string();
    }
    let index =
        property.text_of("SelectedIndex").and_then(|i| i.parse::<usize>().ok()).unwrap_or(0);
    value.children.get(index).map(|c| c.text.trim().to_string()).unwrap_or_default()
}

/// What the stencil is (see the module documentation).
pub fn role(stencil: &Stencil, generic: &HashMap<String, GenericType>) -> Role {
    let strong = |kind| Role::Element { kind, strong: true };
    match stencil.generic.as_str() {
        "GE.P" => return strong(ElementKind::Process),
        "GE.EI" => return strong(ElementKind::ExternalEntity),
        "GE.DS" => return strong(ElementKind::DataStore),
        "GE.TB.B" => return Role::Border,
        "GE.TB.L" => return Role::Line,
        "GE.DF" => return Role::Flow,
        "GE.A" => return Role::Annotation,
        _ => {}
    }
    let representation = generic.get(&stencil.generic).map(|g| g.representation.as_str());
    let weak = |kind| Role::Element { kind, strong: false };
    match (stencil.drawn_as.as_str(), representation.unwrap_or_default()) {
        ("StencilEllipse", _) | (_, "Ellipse") => weak(ElementKind::Process),
        ("StencilRectangle", _) | (_, "Rectangle") => weak(ElementKind::ExternalEntity),
        ("StencilParallelLines", _) | (_, "ParallelLines") => weak(ElementKind::DataStore),
        ("BorderBoundary", _) | (_, "BorderBoundary") => Role::Border,
        ("LineBoundary", _) | (_, "LineBoundary") => Role::Line,
        ("Connector", _) | (_, "Line") => Role::Flow,
        (_, "Annotation") => Role::Annotation,
        _ => Role::Unknown,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::tree::parse;
    use super::*;
    use crate::import::Limits;

    #[test]
    fn reads_a_connector_with_list_properties() {
        let xml = r#"<Value xmlns:i="x" i:type="Connector"><GenericTypeId>GE.DF</GenericTypeId><Guid>g1</Guid>
            <Properties><a i:type="b:HeaderDisplayAttribute"><DisplayName>HTTPS</DisplayName></a>
            <a i:type="b:StringDisplayAttribute"><DisplayName>Name</DisplayName><Value>Login</Value></a>
            <a i:type="b:ListDisplayAttribute"><DisplayName>Provides Confidentiality</DisplayName><Value><s>No</s><s>Yes</s></Value><SelectedIndex>1</SelectedIndex></a>
            </Properties><SourceGuid>abc</SourceGuid><TargetGuid>00000000-0000-0000-0000-000000000000</TargetGuid>
            <HandleX>5</HandleX><HandleY>6</HandleY></Value>"#;
        let node = parse(xml, &Limits::default()).unwrap();
        let s = read(&node);
        assert_eq!((s.type_name.as_str(), s.name.as_str()), ("HTTPS", "Login"));
        assert_eq!(s.properties, vec![("Provides Confidentiality".to_string(), "Yes".to_string())]);
        assert_eq!((s.source_guid.as_deref(), s.target_guid.as_deref()), (Some("abc"), None));
        assert_eq!(s.handle, Some(Point { x: 5.0, y: 6.0 }));
        assert_eq!(role(&s, &HashMap::new()), Role::Flow);
        let custom = Stencil {
            generic: "1234".into(),
            drawn_as: "StencilRectangle".into(),
            ..Stencil::default()
        };
        assert_eq!(
            role(&custom, &HashMap::new()),
            Role::Element { kind: ElementKind::ExternalEntity, strong: false }
        );
    }
}
