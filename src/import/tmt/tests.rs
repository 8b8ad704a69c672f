//! The reader on small made-up models: a stencil per element, a connector per flow.

#![allow(clippy::expect_used)]

use super::import;
use crate::import::ImportOptions;
use crate::model::{Diagram, ElementKind};

const ABSTRACTS: &str =
    r#"xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts""#;

/// The properties of a stencil: its type name (the header) and its name.
fn properties(type_name: &str, name: &str) -> String {
    let kb = r#"xmlns:b="http://schemas.datacontract.org/2004/07/ThreatModeling.KnowledgeBase""#;
    format!(
        r#"<Properties {ABSTRACTS}><a:anyType i:type="b:HeaderDisplayAttribute" {kb}><b:DisplayName>{type_name}</b:DisplayName><b:Value i:nil="true"/></a:anyType><a:anyType i:type="b:StringDisplayAttribute" {kb}><b:DisplayName>Name</b:DisplayName><b:Value>{name}</b:Value></a:anyType></Properties>"#
    )
}

/// An element stencil with generic type `generic` (`GE.P`, `GE.EI`, `GE.DS`).
fn shape(guid: &str, generic: &str, type_name: &str, name: &str) -> String {
    let props = properties(type_name, name);
    format!(
        r#"<a:KeyValueOfguidanyType><a:Key>{guid}</a:Key><a:Value i:type="StencilEllipse"><GenericTypeId {ABSTRACTS}>{generic}</GenericTypeId><Guid {ABSTRACTS}>{guid}</Guid>{props}<Height>50</Height><Left>10</Left><Top>10</Top><Width>50</Width></a:Value></a:KeyValueOfguidanyType>"#
    )
}

fn connector(guid: &str, from: &str, to: &str) -> String {
    let props = properties("HTTPS", "request");
    format!(
        r#"<a:KeyValueOfguidanyType><a:Key>{guid}</a:Key><a:Value i:type="Connector"><GenericTypeId {ABSTRACTS}>GE.DF</GenericTypeId><Guid {ABSTRACTS}>{guid}</Guid>{props}<SourceGuid>{from}</SourceGuid><TargetGuid>{to}</TargetGuid></a:Value></a:KeyValueOfguidanyType>"#
    )
}

fn model(shapes: &[String], lines: &[String]) -> Diagram {
    let xml = format!(
        r#"<ThreatModel xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><DrawingSurfaceList><DrawingSurfaceModel><Guid {ABSTRACTS}>s1</Guid>{}<Borders>{}</Borders><Lines>{}</Lines></DrawingSurfaceModel></DrawingSurfaceList></ThreatModel>"#,
        properties("Diagram", "Made up"),
        shapes.concat(),
        lines.concat()
    );
    let (mut diagrams, _) = import(xml.as_bytes(), &ImportOptions::default()).expect("reads");
    diagrams.remove(0)
}

fn kind_of(d: &Diagram, label: &str) -> (ElementKind, String) {
    let e = d.graph.node_weights().find(|e| e.label == label).expect(label);
    (e.kind, e.inferred_from.clone())
}

#[test]
fn the_generic_type_gives_the_kind() {
    let d = model(
        &[
            shape("e1", "GE.EI", "Human User", "Clerk"),
            shape("p1", "GE.P", "Web Application", "Orders"),
            shape("s1", "GE.DS", "SQL Database", "Ledger"),
        ],
        &[connector("f1", "e1", "p1"), connector("f2", "p1", "s1")],
    );
    assert_eq!(kind_of(&d, "Clerk").0, ElementKind::ExternalEntity);
    assert_eq!(kind_of(&d, "Orders"), (ElementKind::Process, "TMT generic type GE.P".into()));
    assert_eq!(kind_of(&d, "Ledger").0, ElementKind::DataStore);
    assert_eq!(d.graph.edge_count(), 2);
}

#[test]
fn a_browser_client_process_is_its_users_device() {
    let d = model(
        &[
            shape("b1", "GE.P", "Browser Client", "Browser Client"),
            shape("p1", "GE.P", "Generic Process", "Reverse proxy"),
            shape("p2", "GE.P", "Generic Process", "Browser automation worker"),
        ],
        &[connector("f1", "b1", "p1"), connector("f2", "p1", "p2")],
    );
    let (kind, why) = kind_of(&d, "Browser Client");
    assert_eq!(kind, ElementKind::ExternalEntity);
    assert!(why.contains("over TMT generic type GE.P"), "{why}");
    // Only a client: a proxy stays the process it was drawn as.
    assert_eq!(kind_of(&d, "Reverse proxy").0, ElementKind::Process);
    assert_eq!(kind_of(&d, "Browser automation worker").0, ElementKind::Process);
}
