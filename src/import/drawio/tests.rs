//! End-to-end tests of the draw.io reader on small hand-built files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::container::tests::{compress_page, png_chunk, png_with};
use super::import;
use crate::diagnostic::Location;
use crate::import::{ImportOptions, Limits};
use crate::model::{Diagram, Drawn, ElementKind, Shape, TrustDeclaration};

fn model(cells: &str) -> String {
    format!(
        r#"<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>{cells}</root></mxGraphModel>"#
    )
}

fn vertex(id: &str, value: &str, style: &str, x: f64, y: f64, w: f64, h: f64) -> String {
    format!(
        r#"<mxCell id="{id}" value="{value}" style="{style}" vertex="1" parent="1"><mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry"/></mxCell>"#
    )
}

fn edge(id: &str, source: &str, target: &str, style: &str) -> String {
    format!(
        r#"<mxCell id="{id}" style="{style}" edge="1" parent="1" source="{source}" target="{target}"><mxGeometry relative="1" as="geometry"/></mxCell>"#
    )
}

fn read(xml: &str) -> (Diagram, Vec<crate::diagnostic::Diagnostic>) {
    let (mut diagrams, warnings) =
        import(xml.as_bytes(), &ImportOptions::default()).expect("test input is valid");
    assert_eq!(diagrams.len(), 1);
    (diagrams.remove(0), warnings)
}

fn element<'a>(d: &'a Diagram, id: &str) -> &'a crate::model::Element {
    d.element(d.element_index(id).unwrap_or_else(|| panic!("no element {id}")))
}

fn dfd() -> String {
    model(&[
        vertex("internet", "Internet", "html=1;fillColor=none;dashed=1;strokeColor=#FF3333", 0.0, 0.0, 400.0, 400.0),
        vertex("lan", "Users' LAN", "html=1;fillColor=none;dashed=1", 20.0, 20.0, 300.0, 300.0),
        vertex("machine", "User's Machine", "html=1;fillColor=none;dashed=1", 40.0, 40.0, 200.0, 200.0),
        vertex("user", "User", "rounded=0;whiteSpace=wrap;html=1;", 60.0, 60.0, 120.0, 60.0),
        vertex("dc", "Data Center", "fillColor=none;dashed=1", 500.0, 0.0, 400.0, 400.0),
        vertex("web", "&lt;b&gt;Web&lt;/b&gt;&lt;br&gt;App", "ellipse;whiteSpace=wrap;html=1;fillColor=#DAE8FC;strokeColor=#6c8ebf", 520.0, 20.0, 80.0, 80.0),
        vertex("db", "Orders", "shape=partialRectangle;whiteSpace=wrap;html=1;left=0;right=0;fillColor=none;", 520.0, 200.0, 120.0, 60.0),
        edge("e1", "user", "web", "endArrow=classic;startArrow=classic;html=1;"),
        r#"<mxCell id="l1" value="HTTPS" style="edgeLabel;html=1;" vertex="1" connectable="0" parent="e1"><mxGeometry x="-0.1" relative="1" as="geometry"><mxPoint as="offset"/></mxGeometry></mxCell>"#.to_string(),
        edge("e2", "web", "db", "endArrow=none;startArrow=block;"),
        edge("e3", "db", "web", "html=1"),
    ]
    .concat())
}

#[test]
fn michenriksen_style_dfd() {
    let (d, warnings) = read(&dfd());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(d.name, "Page-1");
    let user = element(&d, "user");
    assert_eq!(user.kind, ElementKind::ExternalEntity);
    let web = element(&d, "web");
    assert_eq!((web.kind, web.label.as_str()), (ElementKind::Process, "Web\nApp"));
    assert_eq!(web.inferred_from, "style ellipse");
    assert_eq!(web.visual.shape, Shape::Ellipse);
    assert_eq!(web.visual.fill.as_deref(), Some("#dae8fc"));
    assert_eq!(
        web.origin,
        Some(Location::Cell { page: "Page-1".into(), cell: Some("web".into()), line: Some(1) })
    );
    let db = element(&d, "db");
    assert_eq!((db.kind, db.visual.shape), (ElementKind::DataStore, Shape::OpenRectangle));
    // Boundaries: parents first, nested by coordinates.
    let labels: Vec<_> = d.boundaries.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["Internet", "Data Center", "Users' LAN", "User's Machine"]);
    let path: Vec<_> =
        d.boundary_path(user.boundary).into_iter().map(|b| d.boundaries[b].id.as_str()).collect();
    assert_eq!(path, ["internet", "lan", "machine"]);
    assert!(matches!(d.boundaries[0].trust, TrustDeclaration::Untrusted { .. }));
    assert_eq!(d.boundaries[web.boundary.expect("test input is valid")].id, "dc");
    // Flows: a bidirectional edge gives two flows; endArrow=none with a startArrow is reversed.
    let flows: Vec<_> = d.flows().map(|f| (f.flow.id.clone(), f.flow.label.clone())).collect();
    assert_eq!(
        flows,
        [
            ("user->web".to_string(), "HTTPS".to_string()),
            ("web->user".into(), "HTTPS".into()),
            ("db->web[e2]".into(), String::new()),
            ("db->web[e3]".into(), String::new()),
        ]
    );
    assert!(d.flows().next().expect("test input is valid").flow.label_position.is_some());
    let bounds = d.bounds.expect("test input is valid");
    assert_eq!((bounds.x, bounds.y, bounds.width, bounds.height), (0.0, 0.0, 900.0, 400.0));
}

#[test]
fn a_box_around_a_captioned_picture_a_flow_touches_is_its_region() {
    // "Corporate Network" drawn around a router picture (an inline SVG image) that a flow leaves.
    let picture =
        "shape=image;verticalLabelPosition=bottom;image=data:image/svg+xml,PHN2Zz48L3N2Zz4=;";
    let (d, _) = read(&model(
        &[
            vertex(
                "corpnet",
                "Corporate Network",
                "rounded=1;whiteSpace=wrap;html=1;",
                0.0,
                0.0,
                400.0,
                80.0,
            ),
            vertex("router", "Core Router", picture, 160.0, 10.0, 80.0, 60.0),
            vertex(
                "link",
                "ExpressRoute",
                "shape=parallelogram;whiteSpace=wrap;html=1;",
                150.0,
                300.0,
                150.0,
                50.0,
            ),
            edge("e1", "router", "link", "html=1"),
        ]
        .concat(),
    ));
    assert!(d.element_index("corpnet").is_none(), "the box is a region, not an element");
    let router = element(&d, "router");
    let region = router.boundary.map(|b| d.boundaries[b].id.as_str());
    assert_eq!(region, Some("corpnet"));
}

#[test]
fn a_threat_written_beside_the_zone_is_a_note() {
    // STRIDE-annotated diagrams list threats in boxes no flow touches.
    let (d, _) = read(&model(
        &[
            vertex("waf", "WAF", "rounded=1;whiteSpace=wrap;html=1;", 0.0, 0.0, 120.0, 60.0),
            vertex(
                "api",
                "Auth service",
                "rounded=1;whiteSpace=wrap;html=1;",
                200.0,
                0.0,
                120.0,
                60.0,
            ),
            edge("e1", "waf", "api", "html=1"),
            vertex(
                "t1",
                "[S] Spoofing&lt;br&gt;- Credential theft",
                "rounded=1;whiteSpace=wrap;html=1;",
                0.0,
                100.0,
                240.0,
                60.0,
            ),
            vertex(
                "t2",
                "[T] SQL Injection&lt;br&gt;[T] XSS / CSRF",
                "rounded=1;whiteSpace=wrap;html=1;",
                0.0,
                200.0,
                130.0,
                50.0,
            ),
            vertex(
                "lonely",
                "Reports service",
                "rounded=1;whiteSpace=wrap;html=1;",
                300.0,
                200.0,
                130.0,
                50.0,
            ),
        ]
        .concat(),
    ));
    let ids: Vec<_> = d.elements().map(|(_, e)| e.id.clone()).collect();
    assert_eq!(ids, ["waf", "api", "lonely"]);
}

#[test]
fn compressed_multi_page_and_page_selection() {
    let file = format!(
        r#"<mxfile><diagram name="One">{}</diagram><diagram name="Two">{}</diagram></mxfile>"#,
        compress_page(&dfd()),
        dfd()
    );
    let (diagrams, _) =
        import(file.as_bytes(), &ImportOptions::default()).expect("test input is valid");
    assert_eq!(diagrams.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["One", "Two"]);
    assert_eq!(diagrams[0].element_count(), 3);
    let options = ImportOptions { page: Some("Two".into()), ..ImportOptions::default() };
    let (diagrams, _) = import(file.as_bytes(), &options).expect("test input is valid");
    assert_eq!(diagrams.len(), 1);
    let options = ImportOptions { page: Some("Three".into()), ..ImportOptions::default() };
    let err = import(file.as_bytes(), &options).unwrap_err();
    assert!(err.help.expect("test input is valid").contains("\"One\", \"Two\""));
}

#[test]
fn svg_and_png_wrappers_give_the_same_diagram() {
    let mxfile =
        format!(r#"<mxfile><diagram name="P">{}</diagram></mxfile>"#, compress_page(&dfd()));
    let escaped = mxfile.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    let svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" content="{escaped}"/>"#);
    let (d, _) = read(&svg);
    assert_eq!((d.element_count(), d.flow_count(), d.boundaries.len()), (3, 4, 4));
    let mut data = b"mxfile\0".to_vec();
    data.extend(
        percent_encoding::utf8_percent_encode(&mxfile, percent_encoding::NON_ALPHANUMERIC)
            .to_string()
            .bytes(),
    );
    let (diagrams, _) = import(&png_with(png_chunk(b"tEXt", &data)), &ImportOptions::default())
        .expect("test input is valid");
    assert_eq!(diagrams[0].element_count(), 3);
}

#[test]
fn object_wrappers_attributes_and_placeholders() {
    let xml = model(
        r#"<object id="api" label="%name% (%tier%)" placeholders="1" name="Orders" tier="gold" type="process" technology="aws-lambda"><mxCell style="rounded=0" vertex="1" parent="1"><mxGeometry width="100" height="50" as="geometry"/></mxCell></object>
        <UserObject id="store" label="Orders table" kind="store"><mxCell style="rounded=0" vertex="1" parent="1"><mxGeometry x="300" width="100" height="50" as="geometry"/></mxCell></UserObject>
        <object id="f" label="orders" protocol="https" encrypted="true"><mxCell style="endArrow=classic" edge="1" parent="1" source="api" target="store"><mxGeometry relative="1" as="geometry"/></mxCell></object>"#,
    );
    let (d, _) = read(&xml);
    let api = element(&d, "api");
    assert_eq!(api.label, "Orders (gold)");
    assert_eq!(api.kind, ElementKind::Process);
    assert_eq!(api.inferred_from, "object attribute type=process");
    assert_eq!(api.technology.as_deref(), Some("aws-lambda"));
    assert_eq!(api.attributes.get("tier").map(String::as_str), Some("gold"));
    assert_eq!(element(&d, "store").kind, ElementKind::DataStore);
    let flow = d.flows().next().expect("test input is valid").flow;
    assert_eq!(flow.label, "orders");
    assert_eq!(flow.attributes.get("protocol").map(String::as_str), Some("https"));
    assert!(!flow.attributes.contains_key("style"));
}

#[test]
fn icons_map_to_kinds_and_technologies() {
    let xml = model(&[
        vertex("fn", "Resize", "sketch=0;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda;verticalLabelPosition=bottom", 0.0, 0.0, 78.0, 78.0),
        vertex("bucket", "", "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3", 200.0, 0.0, 78.0, 78.0),
        vertex("t", "Uploads", "text;html=1;", 200.0, 80.0, 78.0, 20.0),
        vertex("cosmos", "Cosmos", "image;html=1;image=img/lib/azure2/databases/Azure_Cosmos_DB.svg", 400.0, 0.0, 64.0, 64.0),
        vertex("bq", "BQ", "shape=mxgraph.gcp2.hexIcon;prIcon=bigquery", 600.0, 0.0, 64.0, 64.0),
        vertex("pod", "Pod", "shape=mxgraph.kubernetes.icon;prIcon=pod", 800.0, 0.0, 64.0, 64.0),
        vertex("people", "People", "shape=mxgraph.aws4.users", 1000.0, 0.0, 64.0, 64.0),
    ]
    .concat());
    let (d, _) = read(&xml);
    let f = element(&d, "fn");
    assert_eq!(
        (f.kind, f.technology.as_deref(), f.visual.shape),
        (ElementKind::Process, Some("aws-lambda"), Shape::Icon)
    );
    assert_eq!(f.inferred_from, "AWS icon resIcon=mxgraph.aws4.lambda");
    let b = element(&d, "bucket");
    assert_eq!((b.kind, b.label.as_str()), (ElementKind::DataStore, "Uploads"));
    assert_eq!(element(&d, "cosmos").technology.as_deref(), Some("azure-cosmos-db"));
    assert_eq!(element(&d, "bq").technology.as_deref(), Some("gcp-bigquery"));
    assert_eq!(element(&d, "pod").technology.as_deref(), Some("kubernetes"));
    assert_eq!(element(&d, "people").kind, ElementKind::ExternalEntity);
    assert!(d.element_index("t").is_none(), "text cells are not elements");
}

#[test]
fn rounded_square_convention() {
    let both = model(
        &[
            vertex("p", "Billing", "rounded=1;whiteSpace=wrap", 0.0, 0.0, 100.0, 50.0),
            vertex("e", "Customer", "rounded=0;whiteSpace=wrap", 200.0, 0.0, 100.0, 50.0),
        ]
        .concat(),
    );
    let (d, _) = read(&both);
    assert_eq!(element(&d, "p").kind, ElementKind::Process);
    assert_eq!(element(&d, "p").inferred_from, "rounded/square convention");
    assert_eq!(element(&d, "e").kind, ElementKind::ExternalEntity);
    let with_ellipse = model(
        &[
            vertex("p", "Billing", "rounded=1;whiteSpace=wrap", 0.0, 0.0, 100.0, 50.0),
            vertex("q", "Pay", "ellipse", 200.0, 0.0, 80.0, 80.0),
        ]
        .concat(),
    );
    let (d, _) = read(&with_ellipse);
    assert_eq!(element(&d, "p").kind, ElementKind::ExternalEntity);
    // A label hint beats the style.
    let hinted = model(&vertex("x", "Payments (Data Store)", "rounded=0", 0.0, 0.0, 10.0, 10.0));
    assert_eq!(element(&read(&hinted).0, "x").kind, ElementKind::DataStore);
}

#[test]
fn cloud_groups_swimlanes_overlaps_and_decoration() {
    // (Elements have names: an unconnected one-letter circle is a numbered-step marker.)
    let xml = model(&[
        vertex("vpc", "VPC", "points=[];shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_vpc;fillColor=none;", 0.0, 0.0, 500.0, 300.0),
        vertex("empty", "Region", "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_region", 2000.0, 0.0, 100.0, 100.0),
        vertex("deco", "", "fillColor=none;dashed=1", 1000.0, 0.0, 100.0, 100.0),
        vertex("a", "Orders API", "ellipse", 50.0, 50.0, 50.0, 50.0),
        vertex("b", "Billing", "ellipse", 420.0, 200.0, 50.0, 50.0),
        vertex("overlap", "Zone 2", "fillColor=none;dashed=1", 400.0, 150.0, 300.0, 300.0),
        vertex("note", "Remember", "shape=note", 600.0, 0.0, 50.0, 50.0),
        vertex("dashedtext", "not a boundary", "text;dashed=1;", 0.0, 500.0, 300.0, 300.0),
        r#"<mxCell id="lane" value="Backend" style="swimlane;startSize=20" vertex="1" parent="1"><mxGeometry x="0" y="1000" width="300" height="200" as="geometry"/></mxCell>
           <mxCell id="inlane" value="Worker" style="ellipse" vertex="1" parent="lane"><mxGeometry x="20" y="40" width="50" height="50" as="geometry"/></mxCell>"#.to_string(),
    ]
    .concat());
    let (d, _) = read(&xml);
    let ids: Vec<_> = d.boundaries.iter().map(|b| b.id.as_str()).collect();
    assert!(
        ids.contains(&"vpc")
            && ids.contains(&"empty")
            && ids.contains(&"overlap")
            && ids.contains(&"lane"),
        "{ids:?}"
    );
    assert!(!ids.contains(&"deco") && !ids.contains(&"dashedtext"));
    assert_eq!(d.boundaries[element(&d, "a").boundary.expect("test input is valid")].id, "vpc");
    // B is inside both the VPC and the overlapping box: the VPC says how far it is trusted, the
    // other box says nothing, so the VPC wins over the smaller box.
    assert_eq!(d.boundaries[element(&d, "b").boundary.expect("test input is valid")].id, "vpc");
    assert_eq!(
        d.boundaries[element(&d, "inlane").boundary.expect("test input is valid")].id,
        "lane"
    );
    assert_eq!(element(&d, "inlane").visual.bounds.expect("test input is valid").x, 20.0);
    assert!(d.element_index("note").is_none() && d.element_index("deco").is_none());
    for (i, b) in d.boundaries.iter().enumerate() {
        assert!(b.parent.is_none_or(|p| p < i));
    }
}

#[test]
fn boundary_lines() {
    let xml = model(&[
        vertex("a", "A", "ellipse", 0.0, 0.0, 50.0, 50.0).as_str(),
        r#"<mxCell id="line" value="Trust boundary" style="endArrow=none;dashed=1;html=1;strokeColor=#FF3333" edge="1" parent="1"><mxGeometry relative="1" as="geometry"><mxPoint x="100" y="0" as="sourcePoint"/><mxPoint x="100" y="300" as="targetPoint"/></mxGeometry></mxCell>"#,
        &vertex("arc", "", "shape=requiredInterface;html=1;dashed=1;fillColor=none", 200.0, 0.0, 20.0, 100.0),
        r#"<mxCell id="arrow" style="endArrow=classic" edge="1" parent="1" source="a"><mxGeometry relative="1" as="geometry"><mxPoint x="400" y="0" as="targetPoint"/></mxGeometry></mxCell>"#,
    ]
    .concat());
    let (d, warnings) = read(&xml);
    let line = d.boundaries.iter().find(|b| b.id == "line").expect("test input is valid");
    assert_eq!(
        line.line.as_ref().expect("test input is valid"),
        &vec![crate::model::Point { x: 100.0, y: 0.0 }, crate::model::Point { x: 100.0, y: 300.0 }]
    );
    assert_eq!(line.label, "Trust boundary");
    let arc = d.boundaries.iter().find(|b| b.id == "arc").expect("test input is valid");
    assert!(arc.line.as_ref().expect("test input is valid").len() > 2);
    assert_eq!(d.flow_count(), 0);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].location,
        Some(Location::Cell { page: "Page-1".into(), cell: Some("arrow".into()), line: None })
    );
}

#[test]
fn an_unlabelled_boundary_line_is_named_by_the_boundary_text_at_its_foot() {
    let line = |id: &str, x: f64| {
        format!(
            r#"<mxCell id="{id}" value="" style="endArrow=none;dashed=1;strokeColor=#ff0000" edge="1" parent="1"><mxGeometry relative="1" as="geometry"><mxPoint x="{x}" y="0" as="sourcePoint"/><mxPoint x="{x}" y="300" as="targetPoint"/></mxGeometry></mxCell>"#
        )
    };
    let xml = model(
        &[
            line("b1", 100.0),
            vertex(
                "t1",
                "Trust Boundary 1<br>(Authentication)",
                "text;html=1",
                20.0,
                290.0,
                160.0,
                30.0,
            ),
            line("b2", 400.0),
            // A note beside the second line names no boundary; a boundary text far away is no
            // caption of it.
            vertex("note", "Rate limited", "text;html=1", 410.0, 100.0, 80.0, 20.0),
            vertex("far", "Trust boundary 3", "text;html=1", 700.0, 100.0, 120.0, 20.0),
            // A text written in the line's own colour names it, whatever its words.
            line("b3", 1000.0),
            vertex(
                "red",
                "&lt;font color=&quot;#FF0000&quot;&gt;Gateway / Backend&lt;/font&gt;",
                "text;html=1",
                1010.0,
                140.0,
                120.0,
                20.0,
            ),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let label = |id: &str| d.boundaries.iter().find(|b| b.id == id).unwrap().label.clone();
    assert_eq!(label("b1"), "Trust Boundary 1\n(Authentication)");
    assert_eq!(label("b2"), "Zone (cell b2)");
    assert_eq!(label("b3"), "Gateway / Backend");
}

#[test]
fn edges_to_boundaries_missing_cells_and_duplicates() {
    let xml = model(
        &[
            vertex("zone", "Zone", "fillColor=none;dashed=1", 0.0, 0.0, 300.0, 300.0),
            vertex("inside", "Inside", "ellipse", 10.0, 10.0, 50.0, 50.0),
            vertex("out", "Out", "rounded=0", 500.0, 0.0, 50.0, 50.0),
            vertex("out", "Dup", "rounded=0", 700.0, 0.0, 50.0, 50.0),
            edge("e1", "out", "zone", ""),
            edge("e2", "out", "ghost", ""),
        ]
        .concat(),
    );
    let (d, warnings) = read(&xml);
    let flows: Vec<_> = d.flows().map(|f| f.flow.id.clone()).collect();
    assert_eq!(flows, ["out->inside"]);
    assert!(d.element_index("out~2").is_some());
    let messages: Vec<_> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("duplicate cell id")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("the only element inside")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("does not exist")), "{messages:?}");
}

#[test]
fn waypoints_are_absolute_and_reversed_with_the_flow() {
    let xml = model(&[
        r#"<mxCell id="g" style="group" vertex="1" parent="1"><mxGeometry x="100" y="100" width="400" height="200" as="geometry"/></mxCell>"#.to_string(),
        r#"<mxCell id="a" value="A" style="ellipse" vertex="1" parent="g"><mxGeometry x="0" y="0" width="50" height="50" as="geometry"/></mxCell>"#.to_string(),
        r#"<mxCell id="b" value="B" style="ellipse" vertex="1" parent="g"><mxGeometry x="300" y="0" width="50" height="50" as="geometry"/></mxCell>"#.to_string(),
        r#"<mxCell id="e" style="endArrow=none;startArrow=classic" edge="1" parent="g" source="a" target="b"><mxGeometry relative="1" as="geometry"><Array as="points"><mxPoint x="100" y="150"/><mxPoint x="200" y="150"/></Array></mxGeometry></mxCell>"#.to_string(),
    ]
    .concat());
    let (d, _) = read(&xml);
    let flow = d.flows().next().expect("test input is valid");
    assert_eq!(flow.flow.id, "b->a");
    let xs: Vec<_> = flow.flow.waypoints.iter().map(|p| (p.x, p.y)).collect();
    assert_eq!(xs, [(300.0, 250.0), (200.0, 250.0)]);
}

#[test]
fn bad_inputs_are_clear_errors() {
    let bad: &[&[u8]] = &[
        b"",
        b"not xml",
        b"<svg/>",
        b"<mxfile><diagram name=\"x\">!!!notbase64</diagram></mxfile>",
        b"\x89PNG\r\n\x1a\n",
    ];
    for input in bad {
        let err = import(input, &ImportOptions::default()).unwrap_err();
        assert!(err.help.is_some(), "{err}");
    }
}

#[test]
fn entity_bomb_in_doctype_is_not_expanded() {
    let xml = format!(
        r#"<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>{}"#,
        model(&vertex("x", "&c;", "ellipse", 0.0, 0.0, 10.0, 10.0))
    );
    let (d, _) = read(&xml);
    assert_eq!(element(&d, "x").label, "&c;");
}

#[test]
fn many_nested_containers_are_an_error_not_a_crash() {
    let mut cells = String::new();
    let mut parent = "1".to_string();
    for i in 0..50_000 {
        cells.push_str(&format!(r#"<mxCell id="c{i}" style="swimlane" vertex="1" parent="{parent}"><mxGeometry x="1" y="1" width="10" height="10" as="geometry"/></mxCell>"#));
        parent = format!("c{i}");
    }
    let err = import(model(&cells).as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(err.message.contains("nested"), "{err}");
    assert!(matches!(err.location, Some(Location::Cell { .. })));
}

#[test]
fn element_limit() {
    let options = ImportOptions {
        limits: Limits { max_elements: 2, ..Limits::default() },
        ..ImportOptions::default()
    };
    let xml = model(&vertex("a", "A", "ellipse", 0.0, 0.0, 1.0, 1.0));
    assert!(import(xml.as_bytes(), &options).is_ok(), "root and layer cells are not elements");
    let three: String =
        ["a", "b", "c"].iter().map(|id| vertex(id, id, "ellipse", 0.0, 0.0, 1.0, 1.0)).collect();
    let err = import(model(&three).as_bytes(), &options).unwrap_err();
    assert!(err.help.unwrap_or_default().contains("--max-elements"));
}

#[test]
fn case_changing_unicode_in_labels_does_not_panic() {
    for label in ["İİ(process)é", "ẞẞ [datastore]", "ΣΣ «actor»", "ﬁﬁ(store)", "e\u{301}(process)"]
    {
        let xml = model(&vertex("a", label, "rounded=0", 0.0, 0.0, 10.0, 10.0));
        let (d, _) = read(&xml);
        assert_eq!(element(&d, "a").label, label);
    }
    let (d, _) = read(&model(&vertex("a", "İİ(process)é", "rounded=0", 0.0, 0.0, 10.0, 10.0)));
    assert_eq!(element(&d, "a").kind, ElementKind::Process);
    assert_eq!(element(&d, "a").inferred_from, "label \"(process)\"");
}

#[test]
fn control_characters_leave_ids_labels_and_page_names() {
    let cells = [
        vertex("a&#10;::error::x", "Web&#27;[2J&#10;app", "ellipse", 0.0, 0.0, 10.0, 10.0),
        vertex("b", "DB", "shape=cylinder", 50.0, 0.0, 10.0, 10.0),
        edge("e", "a&#10;::error::x", "b", ""),
    ]
    .concat();
    let file = format!(
        r#"<mxfile><diagram name="Prod&#10;::warning::y">{}</diagram></mxfile>"#,
        model(&cells)
    );
    let (d, _) = read(&file);
    assert_eq!(d.name, "Prod␊::warning::y");
    assert_eq!(element(&d, "a␊::error::x").label, "Web[2J\napp");
    assert_eq!(d.flow_count(), 1, "the edge still finds its renamed source");
}

#[test]
fn long_page_names_and_cell_ids_are_shortened() {
    let options = ImportOptions {
        limits: Limits { max_label_chars: 16, ..Limits::default() },
        ..ImportOptions::default()
    };
    let long = "İ".repeat(40);
    let cells = [
        vertex(&long, "A", "ellipse", 0.0, 0.0, 10.0, 10.0),
        vertex("b", "B", "ellipse", 50.0, 0.0, 10.0, 10.0),
        edge("e", &long, "b", ""),
    ]
    .concat();
    let file = format!(r#"<mxfile><diagram name="{long}">{}</diagram></mxfile>"#, model(&cells));
    let (diagrams, warnings) = import(file.as_bytes(), &options).expect("valid");
    let d = &diagrams[0];
    assert_eq!(d.name.chars().count(), 16);
    assert_eq!(d.elements().next().expect("one element").1.id.chars().count(), 16);
    assert_eq!(d.flow_count(), 1);
    assert!(warnings.iter().any(|w| w.message.contains("page name")));
}

/// A generated page: `n` cells, half processes, half flows between neighbours.
pub fn generated(n: usize) -> String {
    let mut cells = String::new();
    for i in 0..n / 2 {
        cells.push_str(&vertex(
            &format!("v{i}"),
            &format!("Service {i}"),
            "ellipse;html=1",
            (i % 100) as f64 * 100.0,
            (i / 100) as f64 * 100.0,
            60.0,
            60.0,
        ));
    }
    for i in 0..n / 2 {
        let j = (i + 1) % (n / 2);
        cells.push_str(&format!(r#"<mxCell id="e{i}" value="data {i}" style="endArrow=classic;html=1" edge="1" parent="1" source="v{i}" target="v{j}"><mxGeometry relative="1" as="geometry"/></mxCell>"#));
    }
    model(&cells)
}

#[test]
fn ten_thousand_cells() {
    let xml = generated(10_000);
    let (d, _) = read(&xml);
    assert_eq!((d.element_count(), d.flow_count()), (5_000, 5_000));
    let compressed =
        format!(r#"<mxfile><diagram name="big">{}</diagram></mxfile>"#, compress_page(&xml));
    let (diagrams, _) =
        import(compressed.as_bytes(), &ImportOptions::default()).expect("test input is valid");
    assert_eq!(diagrams[0].element_count(), 5_000);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = import(&bytes, &ImportOptions::default());
        }

        #[test]
        fn mutated_files(cut in 0usize..4000, flips in proptest::collection::vec((0usize..4000, any::<u8>()), 0..8), compressed in any::<bool>()) {
            let base = if compressed {
                format!(r#"<mxfile><diagram name="x">{}</diagram></mxfile>"#, compress_page(&dfd()))
            } else {
                dfd()
            };
            let mut bytes = base.into_bytes();
            for (at, value) in flips {
                let len = bytes.len();
                if len > 0 {
                    bytes[at % len] = value;
                }
            }
            bytes.truncate(cut.max(1).min(bytes.len()));
            let _ = import(&bytes, &ImportOptions::default());
        }
    }
}

#[test]
fn on_a_page_of_plain_rectangles_the_rectangles_are_processes() {
    let xml = model(
        &[
            vertex("a", "Billing", "rounded=0;whiteSpace=wrap;", 0.0, 0.0, 120.0, 60.0),
            vertex("b", "Reports", "rounded=0;whiteSpace=wrap;", 300.0, 0.0, 120.0, 60.0),
            edge("e", "a", "b", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert_eq!(element(&d, "a").kind, ElementKind::Process, "{}", element(&d, "a").inferred_from);
}

#[test]
fn a_label_noun_beats_the_rectangle_convention() {
    // Ellipses are the processes, so rectangles are external entities, except a table.
    let xml = model(
        &[
            vertex("p", "Book a room", "ellipse;", 0.0, 0.0, 80.0, 80.0),
            vertex("u", "Guest", "rounded=0;", 200.0, 0.0, 120.0, 60.0),
            vertex("t", "Booking Table", "rounded=0;", 200.0, 200.0, 120.0, 60.0),
            edge("e1", "u", "p", ""),
            edge("e2", "p", "t", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert_eq!(element(&d, "u").kind, ElementKind::ExternalEntity);
    let table = element(&d, "t");
    assert_eq!(table.kind, ElementKind::DataStore);
    assert!(
        table.inferred_from.starts_with("label noun \"table\" (over"),
        "{}",
        table.inferred_from
    );
}

#[test]
fn context_diagram_people_read_by_their_nouns() {
    // Every box is a plain rectangle, so the page guesses processes; the people's nouns say
    // otherwise.
    let xml = model(
        &[
            vertex("p", "1.0 Count Votes", "rounded=0;", 0.0, 0.0, 120.0, 60.0),
            vertex("v", "Voter", "rounded=0;", 200.0, 0.0, 120.0, 60.0),
            vertex("o", "Property Owners", "rounded=0;", 200.0, 200.0, 120.0, 60.0),
            edge("e1", "v", "p", ""),
            edge("e2", "o", "p", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert_eq!(
        element(&d, "v").kind,
        ElementKind::ExternalEntity,
        "{}",
        element(&d, "v").inferred_from
    );
    assert_eq!(
        element(&d, "o").kind,
        ElementKind::ExternalEntity,
        "{}",
        element(&d, "o").inferred_from
    );
}

#[test]
fn dfd_numbers_and_verbs_name_the_processes() {
    // Ellipses are the stores here (a habit of some authors), so the page's rounded-box guess
    // is no help: the Gane-Sarson id on its own line, the process number and the verb decide.
    let xml = model(
        &[
            vertex("u", "Customers", "rounded=1;", 0.0, 0.0, 120.0, 60.0),
            vertex("a", "1. Sign In", "rounded=1;", 200.0, 0.0, 120.0, 60.0),
            vertex("b", "2. Booking a Seat", "rounded=1;", 200.0, 100.0, 120.0, 60.0),
            vertex("c", "3. Managing Vehicles", "rounded=1;", 200.0, 200.0, 120.0, 60.0),
            vertex("s", "D1&#xa;Seats", "shape=parallelogram;", 400.0, 100.0, 120.0, 60.0),
            vertex("i", "Search Index", "rounded=1;", 400.0, 200.0, 120.0, 60.0),
            vertex("d", "Seats Database", "ellipse;", 400.0, 0.0, 120.0, 60.0),
            edge("e1", "u", "a", ""),
            edge("e2", "b", "s", ""),
            edge("e3", "c", "d", ""),
            edge("e4", "c", "i", ""),
            edge("e5", "a", "d", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    for id in ["b", "c"] {
        let e = element(&d, id);
        assert_eq!(e.kind, ElementKind::Process, "{id}: {}", e.inferred_from);
    }
    let store = element(&d, "s");
    assert_eq!(store.kind, ElementKind::DataStore, "{}", store.inferred_from);
    assert!(store.inferred_from.contains("\"D1:\""), "{}", store.inferred_from);
    let index = element(&d, "i");
    assert_eq!(index.kind, ElementKind::DataStore, "{}", index.inferred_from);
    assert_eq!(element(&d, "u").kind, ElementKind::ExternalEntity);
}

#[test]
fn notes_and_behaviour_diagrams_are_not_elements() {
    let note = "Threats and mitigations: unauthenticated access is blocked by the gateway, \
                tokens expire after one hour, every request is logged";
    let xml = model(
        &[
            vertex("p", "API", "ellipse;", 0.0, 0.0, 80.0, 80.0),
            vertex("u", "User", "shape=umlActor;", 200.0, 0.0, 40.0, 80.0),
            vertex("n", note, "rounded=1;whiteSpace=wrap;", 0.0, 300.0, 300.0, 100.0),
            vertex("t", "Approve", "shape=mxgraph.bpmn.task;", 400.0, 300.0, 120.0, 60.0),
            vertex("l", "", "shape=umlLifeline;", 600.0, 300.0, 100.0, 300.0),
            edge("e", "u", "p", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let ids: Vec<_> = d.elements().map(|(_, e)| e.id.clone()).collect();
    assert_eq!(ids, ["p", "u"]);
}

#[test]
fn any_shape_a_flow_touches_is_an_element() {
    // An arrow-shaped cell and a photo no table knows, both with a flow: elements all the same.
    let xml = model(
        &[
            vertex("p", "API", "ellipse;", 0.0, 0.0, 80.0, 80.0),
            vertex(
                "i",
                "Reporting user",
                "image;image=https://example.com/me.png;",
                200.0,
                0.0,
                60.0,
                60.0,
            ),
            vertex("a", "Batch feed", "shape=flexArrow;", 0.0, 200.0, 120.0, 40.0),
            edge("e1", "i", "p", ""),
            edge("e2", "a", "p", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert_eq!(
        element(&d, "i").kind,
        ElementKind::ExternalEntity,
        "{}",
        element(&d, "i").inferred_from
    );
    assert_eq!(element(&d, "a").kind, ElementKind::Process);
}

#[test]
fn cells_know_their_line_in_plain_pages_only() {
    let plain = format!(
        "<mxfile>\n<diagram name=\"one\">\n{}\n</diagram>\n<diagram name=\"two\">{}</diagram>\n</mxfile>",
        model(&format!(
            "\n{}\n<object label=\"Store\" kind=\"store\" id=\"s\">\n<mxCell style=\"\" vertex=\"1\" parent=\"1\"><mxGeometry x=\"200\" y=\"0\" width=\"80\" height=\"40\" as=\"geometry\"/></mxCell>\n</object>\n{}",
            vertex("a", "App", "ellipse", 0.0, 0.0, 80.0, 40.0),
            edge("e", "a", "s", "endArrow=classic;"),
        )),
        compress_page(&model(&vertex("b", "Other", "ellipse", 0.0, 0.0, 80.0, 40.0))),
    );
    let (diagrams, _) = import(plain.as_bytes(), &ImportOptions::default()).unwrap();
    let line_of = |d: &Diagram, id: &str| match &d.element(d.element_index(id).unwrap()).origin {
        Some(Location::Cell { line, .. }) => *line,
        other => panic!("{other:?}"),
    };
    let lines: Vec<&str> = plain.lines().collect();
    let a = line_of(&diagrams[0], "a").unwrap();
    assert!(lines[a - 1].contains("id=\"a\""), "line {a}: {}", lines[a - 1]);
    let s = line_of(&diagrams[0], "s").unwrap();
    assert!(lines[s - 1].starts_with("<object"), "a wrapped cell is where its object is");
    let flow = diagrams[0].flows().next().unwrap();
    let Some(Location::Cell { line: Some(e), .. }) = &flow.flow.origin else { panic!() };
    assert!(lines[e - 1].contains("id=\"e\""));
    assert_eq!(line_of(&diagrams[1], "b"), None, "a compressed page has no file lines");
}

#[test]
fn the_annotation_layer_is_never_read_as_the_diagram() {
    let plain = model(
        &[
            vertex("a", "Customer", "shape=umlActor;", 0.0, 0.0, 30.0, 60.0),
            vertex("b", "Orders API", "ellipse;", 200.0, 0.0, 120.0, 60.0),
            edge("e", "a", "b", "endArrow=classic;"),
        ]
        .concat(),
    );
    // A layer of ours holding what would otherwise be read as shapes, an edge and a boundary,
    // with a cell nested under one of its cells.
    let layer = [
        format!(r#"<mxCell id="{}" value="x" parent="0"/>"#, super::ANNOTATION_LAYER),
        format!(
            r#"<UserObject label="3" tooltip="t" id="badge"><mxCell style="ellipse;" vertex="1" parent="{}"><mxGeometry x="0" y="0" width="500" height="500" as="geometry"/></mxCell></UserObject>"#,
            super::ANNOTATION_LAYER
        ),
        format!(
            r#"<mxCell id="band" style="endArrow=classic;" edge="1" parent="{}" source="a" target="badge"><mxGeometry relative="1" as="geometry"/></mxCell>"#,
            super::ANNOTATION_LAYER
        ),
        r#"<mxCell id="on-band" value="Internet" style="rounded=0;dashed=1;fillColor=none;" vertex="1" parent="band"><mxGeometry x="-10" y="-10" width="900" height="900" as="geometry"/></mxCell>"#.to_string(),
    ]
    .concat();
    let annotated = plain.replace("</root>", &format!("{layer}</root>"));
    let (before, _) = read(&plain);
    let (after, warnings) = read(&annotated);
    let ids = |d: &Diagram| -> Vec<String> {
        d.elements()
            .map(|(_, e)| e.id.clone())
            .chain(d.flows().map(|f| f.flow.id.clone()))
            .collect()
    };
    assert_eq!(ids(&after), ids(&before));
    assert_eq!(after.boundaries.len(), before.boundaries.len());
    assert!(warnings.is_empty(), "{warnings:?}");
}

/// A child cell of `parent`, with absolute-looking geometry relative to it.
#[allow(clippy::too_many_arguments)]
fn child(
    id: &str,
    parent: &str,
    value: &str,
    style: &str,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
) -> String {
    vertex(id, value, style, x, y, w, h).replace(r#"parent="1""#, &format!(r#"parent="{parent}""#))
}

#[test]
fn numbered_step_markers_are_not_elements_and_numbered_processes_are_processes() {
    let xml = model(
        &[
            vertex("api", "Orders API", "rounded=1", 0.0, 0.0, 120.0, 60.0),
            vertex("step", "3", "rounded=1;fillColor=#000000", 200.0, 0.0, 20.0, 20.0),
            vertex("dot", "(4)", "ellipse", 260.0, 0.0, 20.0, 20.0),
            // A step's branches numbered 3a and 3b.
            vertex("sub", "3b", "ellipse", 300.0, 0.0, 20.0, 20.0),
            // A page of DFD notation: ellipse processes, square external entities, and a numbered
            // process drawn as a square box all the same.
            vertex("p", "Check stock", "ellipse", 0.0, 200.0, 80.0, 80.0),
            vertex("ext", "Supplier", "rounded=0", 200.0, 200.0, 120.0, 60.0),
            vertex("n", "1.2", "rounded=0", 400.0, 200.0, 120.0, 60.0),
            edge("e1", "ext", "p", "endArrow=classic"),
            edge("e2", "p", "n", "endArrow=classic"),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert!(d.element_index("step").is_none() && d.element_index("dot").is_none());
    assert!(d.element_index("sub").is_none());
    assert_eq!(element(&d, "n").kind, ElementKind::Process);
    assert_eq!(element(&d, "ext").kind, ElementKind::ExternalEntity);
}

#[test]
fn an_icon_in_a_small_labelled_card_is_one_element_named_by_the_card() {
    let xml = model(
        &[
            vertex("card", "iOS", "rounded=1;strokeColor=#dddddd", 0.0, 0.0, 70.0, 85.0),
            child("icon", "card", "", "shape=mxgraph.gcp2.phone", 19.0, 5.0, 32.0, 50.0),
            vertex("vpc", "VPC", "fillColor=none;strokeColor=#8C4FFF", 200.0, 0.0, 300.0, 300.0),
            child(
                "ec2",
                "vpc",
                "",
                "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.ec2",
                20.0,
                20.0,
                48.0,
                48.0,
            ),
            vertex("api", "Orders API", "rounded=1", 600.0, 0.0, 120.0, 60.0),
            edge("e1", "icon", "api", "endArrow=classic"),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert!(d.element_index("icon").is_none());
    let card = element(&d, "card");
    assert_eq!((card.label.as_str(), card.kind), ("iOS", ElementKind::ExternalEntity));
    assert_eq!(d.flows().map(|f| d.element(f.from).id.clone()).collect::<Vec<_>>(), ["card"]);
    // A zone around one icon stays a zone.
    assert!(d.boundaries.iter().any(|b| b.id == "vpc"));
    assert!(d.element_index("ec2").is_some());
}

#[test]
fn a_person_icon_drawn_at_the_end_of_a_labelled_pill_is_one_element_named_by_the_pill() {
    let xml = model(
        &[
            vertex("pill", "Customers", "rounded=1;arcSize=50", 0.0, 0.0, 200.0, 40.0),
            vertex("icon", "", "shape=mxgraph.azure.user;fillColor=#00BEF2", 5.0, 8.0, 30.0, 25.0),
            vertex("api", "Orders API", "rounded=1", 400.0, 0.0, 120.0, 60.0),
            edge("e1", "pill", "api", "endArrow=classic"),
            vertex("zone", "Kubernetes", "fillColor=none", 0.0, 200.0, 300.0, 300.0),
            vertex("pod", "", "shape=mxgraph.azure.user", 20.0, 220.0, 30.0, 25.0),
            // A square outline drawn tightly around a sibling icon is a zone, not a card.
            vertex(
                "sg",
                "Security group",
                "fillColor=none;strokeColor=#DD3522",
                600.0,
                0.0,
                120.0,
                120.0,
            ),
            vertex(
                "lb",
                "",
                "shape=mxgraph.aws4.application_load_balancer",
                620.0,
                20.0,
                80.0,
                80.0,
            ),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert!(d.element_index("icon").is_none(), "the icon is the pill's");
    let pill = element(&d, "pill");
    assert_eq!((pill.label.as_str(), pill.kind), ("Customers", ElementKind::ExternalEntity));
    assert!(!d.boundaries.iter().any(|b| b.id == "pill"));
    // A tall box around one icon drawn inside it is no chip: it stays a box.
    assert!(d.boundaries.iter().any(|b| b.id == "zone"));
    assert!(d.element_index("pod").is_some());
    assert!(d.element_index("lb").is_some() && d.boundaries.iter().any(|b| b.id == "sg"));
}

#[test]
fn an_arrow_end_dropped_on_a_shape_without_attaching_it_is_read_as_attached() {
    let loose = r#"<mxCell id="e1" style="endArrow=classic" edge="1" parent="1" target="api"><mxGeometry relative="1" as="geometry"><mxPoint x="62" y="30" as="sourcePoint"/></mxGeometry></mxCell>"#;
    let nowhere = r#"<mxCell id="e2" style="endArrow=classic" edge="1" parent="1" target="api"><mxGeometry relative="1" as="geometry"><mxPoint x="900" y="900" as="sourcePoint"/></mxGeometry></mxCell>"#;
    let xml = model(
        &[
            vertex("user", "Customer", "shape=umlActor", 0.0, 0.0, 60.0, 60.0),
            vertex("api", "Orders API", "rounded=1", 300.0, 0.0, 120.0, 60.0),
            loose.to_string(),
            nowhere.to_string(),
        ]
        .concat(),
    );
    let (d, warnings) = read(&xml);
    let flows: Vec<_> =
        d.flows().map(|f| (d.element(f.from).id.clone(), d.element(f.to).id.clone())).collect();
    assert_eq!(flows, [("user".to_string(), "api".to_string())]);
    let messages: Vec<_> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("loose ends are drawn on")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("not connected at both ends")), "{messages:?}");
}

/// An arrow drawn from a box of outside parties (attached to the box, or starting loose at its
/// edge: a lane of users' channels) stands for an arrow from each of them; a box that holds
/// as many of the system's own elements as outside parties is too vague to read as a sender.
#[test]
fn an_arrow_from_a_box_of_outside_parties_is_a_flow_from_each_of_them() {
    let loose = r#"<mxCell id="e1" style="endArrow=classic" edge="1" parent="1" target="api"><mxGeometry relative="1" as="geometry"><mxPoint x="200" y="130" as="sourcePoint"/></mxGeometry></mxCell>"#;
    let xml = model(
        &[
            vertex("lane", "Channels", "fillColor=none;dashed=1", 0.0, 0.0, 200.0, 300.0),
            vertex("u1", "Customer", "shape=umlActor", 50.0, 30.0, 60.0, 60.0),
            vertex("u2", "Partner", "shape=umlActor", 50.0, 180.0, 60.0, 60.0),
            vertex("api", "Orders API", "rounded=1", 400.0, 100.0, 120.0, 60.0),
            vertex("billing", "Billing API", "rounded=1", 400.0, 250.0, 120.0, 60.0),
            vertex("back", "Back end", "fillColor=none;dashed=1", 600.0, 0.0, 400.0, 300.0),
            vertex("w1", "Worker", "rounded=1", 650.0, 30.0, 120.0, 60.0),
            vertex("w2", "Scheduler", "rounded=1", 650.0, 180.0, 120.0, 60.0),
            loose.to_string(),
            edge("e2", "lane", "billing", "endArrow=classic"),
            edge("e3", "back", "billing", "endArrow=classic"),
        ]
        .concat(),
    );
    let (d, warnings) = read(&xml);
    let mut flows: Vec<_> =
        d.flows().map(|f| (d.element(f.from).id.clone(), d.element(f.to).id.clone())).collect();
    flows.sort();
    let want = [("u1", "api"), ("u1", "billing"), ("u2", "api"), ("u2", "billing")];
    assert_eq!(flows, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let messages: Vec<_> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("holds only outside parties")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("which holds 2 elements")), "{messages:?}");
}

/// An arrow drawn to the border of a box whose members pass data on from one to the next (a
/// CDN and its bucket) reaches the one no other member sends to; a box of members none of
/// which feeds another (two functions side by side) is still too vague to read.
#[test]
fn an_arrow_to_a_box_reaches_its_front() {
    let xml = model(
        &[
            vertex("user", "Customer", "shape=umlActor", 0.0, 100.0, 40.0, 60.0),
            vertex("cdn", "Delivery", "swimlane", 100.0, 0.0, 300.0, 150.0),
            vertex("edge", "Edge cache", "rounded=1", 120.0, 40.0, 100.0, 60.0),
            vertex("bucket", "Site files", "shape=cylinder3", 280.0, 40.0, 100.0, 60.0),
            vertex("fns", "Functions", "swimlane", 100.0, 200.0, 300.0, 150.0),
            vertex("f1", "Orders", "rounded=1", 120.0, 240.0, 100.0, 60.0),
            vertex("f2", "Invoices", "rounded=1", 280.0, 240.0, 100.0, 60.0),
            edge("e1", "user", "cdn", "endArrow=classic"),
            edge("e2", "edge", "bucket", "endArrow=none;startArrow=none"),
            edge("e3", "user", "fns", "endArrow=classic"),
        ]
        .concat(),
    );
    let (d, warnings) = read(&xml);
    let mut flows: Vec<_> =
        d.flows().map(|f| (d.element(f.from).id.clone(), d.element(f.to).id.clone())).collect();
    flows.sort();
    let want = [("edge", "bucket"), ("user", "edge")];
    assert_eq!(flows, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let messages: Vec<_> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("none of the others sends to")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("which holds 2 elements")), "{messages:?}");
}

/// An arrow drawn to a box of numbered copies of one component (a pool of API workers) reaches
/// each copy, and one drawn from the box leaves from each: the proxy spreads requests over the
/// replicas and every replica writes to the database.
#[test]
fn an_arrow_to_a_box_of_replicas_reaches_each_copy() {
    let xml = model(
        &[
            vertex("user", "Customer", "shape=umlActor", 0.0, 100.0, 40.0, 60.0),
            vertex("proxy", "Reverse proxy", "rounded=1", 100.0, 100.0, 100.0, 60.0),
            vertex("pool", "", "rounded=1;dashed=1;fillColor=none", 300.0, 0.0, 200.0, 400.0),
            vertex("w1", "API worker\nInstance 1", "rounded=1", 320.0, 20.0, 150.0, 60.0),
            vertex("w2", "API worker\nInstance 2", "rounded=1", 320.0, 150.0, 150.0, 60.0),
            vertex("wn", "API worker\nInstance n", "rounded=1", 320.0, 280.0, 150.0, 60.0),
            vertex("db", "Orders", "shape=cylinder3", 600.0, 100.0, 100.0, 60.0),
            edge("e1", "user", "proxy", "endArrow=classic"),
            edge("e2", "proxy", "pool", "endArrow=classic"),
            edge("e3", "pool", "db", "endArrow=classic"),
        ]
        .concat(),
    );
    let (d, warnings) = read(&xml);
    let mut flows: Vec<_> =
        d.flows().map(|f| (d.element(f.from).id.clone(), d.element(f.to).id.clone())).collect();
    flows.sort();
    let want = [
        ("proxy", "w1"),
        ("proxy", "w2"),
        ("proxy", "wn"),
        ("user", "proxy"),
        ("w1", "db"),
        ("w2", "db"),
        ("wn", "db"),
    ];
    assert_eq!(flows, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let messages: Vec<_> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("its 3 members are copies of one component")),
        "{messages:?}"
    );
}

/// A text cell given a stroke colour is drawn with a border: drawn around other shapes it is a
/// box around them (a region), while a text with no border over the same shapes stays a
/// caption.
#[test]
fn a_bordered_text_drawn_around_shapes_is_a_region() {
    let xml = model(
        &[
            vertex(
                "stack",
                "Stack",
                "text;html=1;align=left;verticalAlign=top;strokeColor=#007FFF;fillColor=#EBF5FF",
                100.0,
                0.0,
                400.0,
                200.0,
            ),
            vertex("note", "Read me", "text;html=1;fillColor=none", 100.0, 300.0, 400.0, 200.0),
            vertex("web", "Web", "rounded=1", 150.0, 50.0, 100.0, 60.0),
            vertex("db", "Orders", "shape=cylinder3", 350.0, 50.0, 100.0, 60.0),
            vertex("job", "Job", "rounded=1", 150.0, 350.0, 100.0, 60.0),
            edge("e1", "web", "db", "endArrow=classic"),
            edge("e2", "job", "db", "endArrow=classic"),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let labels: Vec<_> = d.boundaries.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["Stack"]);
    assert_eq!(element(&d, "web").boundary, Some(0));
    assert_eq!(element(&d, "db").boundary, Some(0));
    assert_eq!(element(&d, "job").boundary, None);
}

/// A lane of channels where one channel's icon is not recognised (read as a process) still
/// stands for its outside parties: the arrow is read from each of them, not from the stray one.
#[test]
fn an_arrow_from_a_box_of_mostly_outside_parties_is_a_flow_from_each_party() {
    let xml = model(
        &[
            vertex("lane", "Channels", "fillColor=none;dashed=1", 0.0, 0.0, 200.0, 400.0),
            vertex("u1", "Customer", "shape=umlActor", 50.0, 30.0, 60.0, 60.0),
            vertex("u2", "Partner", "shape=umlActor", 50.0, 150.0, 60.0, 60.0),
            vertex("gadget", "Gadget", "rounded=1", 50.0, 280.0, 100.0, 60.0),
            vertex("api", "Orders API", "rounded=1", 400.0, 100.0, 120.0, 60.0),
            edge("e1", "lane", "api", "endArrow=classic"),
        ]
        .concat(),
    );
    let (d, warnings) = read(&xml);
    let mut flows: Vec<_> =
        d.flows().map(|f| (d.element(f.from).id.clone(), d.element(f.to).id.clone())).collect();
    flows.sort();
    let want = [("u1", "api"), ("u2", "api")];
    assert_eq!(flows, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let messages: Vec<_> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("2 of its 3 members are outside parties")),
        "{messages:?}"
    );
}

#[test]
fn where_boxes_overlap_the_box_that_ranks_trust_wins_over_a_grouping() {
    let xml = model(
        &[
            vertex("vpc", "VPC", "fillColor=none", 0.0, 0.0, 1000.0, 1000.0),
            vertex("sub1", "Private subnet", "fillColor=none", 50.0, 50.0, 400.0, 900.0),
            vertex("sub2", "Private subnet 2", "fillColor=none", 550.0, 50.0, 400.0, 900.0),
            // An auto scaling group drawn across both subnets.
            vertex(
                "asg",
                "Auto Scaling group",
                "fillColor=none;dashed=1",
                100.0,
                400.0,
                800.0,
                200.0,
            ),
            vertex("a", "App (AZ 1)", "rounded=1", 150.0, 450.0, 100.0, 60.0),
            vertex("b", "App (AZ 2)", "rounded=1", 700.0, 450.0, 100.0, 60.0),
            vertex("c", "Worker", "rounded=1", 150.0, 100.0, 100.0, 60.0),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let zone = |id: &str| element(&d, id).boundary.map(|b| d.boundaries[b].id.clone());
    assert_eq!(zone("a").as_deref(), Some("sub1"));
    assert_eq!(zone("b").as_deref(), Some("sub2"));
    assert_eq!(zone("c").as_deref(), Some("sub1"));
}

#[test]
fn a_colour_pasted_as_a_bare_token_names_no_shape() {
    let xml = model(
        &[
            vertex(
                "gcp",
                "Google Cloud Platform",
                "fillColor=#F6F6F6;strokeColor=none;9E9E9E;verticalAlign=top",
                0.0,
                0.0,
                400.0,
                400.0,
            ),
            vertex("app", "App Engine", "rounded=1", 50.0, 50.0, 100.0, 60.0),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert!(d.element_index("gcp").is_none());
    assert_eq!(element(&d, "app").boundary.map(|b| d.boundaries[b].id.as_str()), Some("gcp"));
}

#[test]
fn a_process_model_and_a_sequence_diagram_beside_the_dfd_are_left_out() {
    let lane = "swimlane;html=1;horizontal=0;swimlaneFillColor=white;";
    let task = "shape=ext;rounded=1;html=1;whiteSpace=wrap;";
    let activation = "html=1;points=[];perimeter=orthogonalPerimeter;";
    let lifeline = "shape=umlLifeline;perimeter=lifelinePerimeter;container=1;";
    let xml = model(
        &[
            // The DFD.
            vertex("user", "Customer", "shape=umlActor", 0.0, 0.0, 30.0, 60.0),
            vertex("app", "Web App", "ellipse", 200.0, 0.0, 80.0, 80.0),
            vertex("db", "Orders", "shape=cylinder3", 400.0, 0.0, 60.0, 80.0),
            edge("f1", "user", "app", "endArrow=classic"),
            edge("f2", "app", "db", "endArrow=classic"),
            // A BPMN pool below it: a lane with a start event and two tasks.
            vertex("pool", "Checkout", "swimlane;html=1;horizontal=0;", 0.0, 300.0, 800.0, 200.0),
            child("lane", "pool", "Shop", lane, 20.0, 0.0, 780.0, 200.0),
            child(
                "start",
                "lane",
                "",
                "shape=mxgraph.bpmn.shape;symbol=general;",
                40.0,
                60.0,
                40.0,
                40.0,
            ),
            child("t1", "lane", "Check stock", task, 150.0, 50.0, 120.0, 80.0),
            child("t2", "lane", "Take payment", task, 350.0, 50.0, 120.0, 80.0),
            edge("s1", "start", "t1", "endArrow=block"),
            edge("s2", "t1", "t2", "endArrow=block"),
            // A sequence diagram: two lifelines whose activation bars exchange a message.
            vertex("l1", ":Web App", lifeline, 0.0, 600.0, 100.0, 300.0),
            child("a1", "l1", "", activation, 45.0, 60.0, 10.0, 100.0),
            vertex("l2", ":Orders", lifeline, 300.0, 600.0, 100.0, 300.0),
            child("a2", "l2", "", activation, 45.0, 80.0, 10.0, 60.0),
            edge("m1", "a1", "a2", "endArrow=block"),
        ]
        .concat(),
    );
    let (d, warnings) = read(&xml);
    let mut ids: Vec<_> = d.elements().map(|(_, e)| e.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["app", "db", "user"]);
    assert!(d.boundaries.is_empty(), "{:?}", d.boundaries);
    assert_eq!(d.flow_count(), 2);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn padlocks_and_encryption_signs_on_the_flows_are_not_elements() {
    let xml = model(
        &[
            vertex("app", "Web App", "ellipse", 0.0, 0.0, 80.0, 80.0),
            vertex("db", "Orders", "shape=cylinder3", 300.0, 0.0, 60.0, 80.0),
            edge("f", "app", "db", "endArrow=classic"),
            // Badges drawn on the flow and beside it.
            vertex(
                "lock",
                "",
                "shape=mxgraph.office.security.lock_protected;",
                180.0,
                30.0,
                10.0,
                12.0,
            ),
            vertex("sign", "", "shape=mxgraph.aws4.encrypted_data;", 150.0, 100.0, 21.0, 26.0),
            // A padlock drawn where flows pass through it is still a badge.
            vertex(
                "pass",
                "",
                "shape=mxgraph.office.security.lock_protected;",
                100.0,
                200.0,
                10.0,
                12.0,
            ),
            edge("g", "app", "pass", "endArrow=none"),
            // A padlock icon drawn as large as an element is one.
            vertex(
                "vault",
                "",
                "image;image=img/lib/clip_art/general/Lock_128x128.png",
                0.0,
                300.0,
                64.0,
                64.0,
            ),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let mut ids: Vec<_> = d.elements().map(|(_, e)| e.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["app", "db", "vault"]);
}

#[test]
fn each_drawing_on_a_page_follows_its_own_rectangle_convention() {
    let xml = model(
        &[
            // View A, DFD notation: an ellipse process, so its square box is an external entity.
            vertex("user", "Customer", "rounded=0;", 0.0, 0.0, 120.0, 60.0),
            vertex("app", "Shop", "ellipse;", 200.0, 0.0, 80.0, 80.0),
            vertex("db", "Orders", "shape=cylinder3;", 400.0, 0.0, 60.0, 80.0),
            edge("a1", "user", "app", ""),
            edge("a2", "app", "db", ""),
            // View B, plain boxes only: its boxes are the processes.
            vertex("front", "Front end", "rounded=0;", 0.0, 300.0, 120.0, 60.0),
            vertex("back", "Back end", "rounded=0;", 200.0, 300.0, 120.0, 60.0),
            vertex("worker", "Worker", "rounded=0;", 400.0, 300.0, 120.0, 60.0),
            edge("b1", "front", "back", ""),
            edge("b2", "back", "worker", ""),
            // Two boxes joined by one flow are too little to go by: the page's convention holds.
            vertex("partner", "Partner", "rounded=0;", 0.0, 600.0, 120.0, 60.0),
            vertex("feed", "Feed", "rounded=0;", 200.0, 600.0, 120.0, 60.0),
            edge("c1", "partner", "feed", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let kind = |id: &str| element(&d, id).kind;
    assert_eq!(kind("user"), ElementKind::ExternalEntity);
    for id in ["front", "back", "worker"] {
        assert_eq!(kind(id), ElementKind::Process, "{}", element(&d, id).inferred_from);
    }
    assert_eq!(kind("partner"), ElementKind::ExternalEntity);
}

#[test]
fn a_fleet_drawn_as_a_grid_of_icons_is_the_one_icon_its_flow_touches() {
    let device =
        |shape: &str| format!("fillColor=#277116;strokeColor=none;shape=mxgraph.aws4.{shape};");
    let xml = model(
        &[
            vertex("car", "", &device("car"), 0.0, 0.0, 78.0, 78.0),
            vertex("camera", "", &device("camera"), 100.0, 0.0, 78.0, 78.0),
            vertex("house", "", &device("house"), 0.0, 100.0, 78.0, 78.0),
            vertex("meter", "", &device("utility"), 100.0, 100.0, 78.0, 78.0),
            vertex("iot", "IoT Core", "shape=mxgraph.aws4.iot_core;", 400.0, 50.0, 78.0, 78.0),
            edge("f", "car", "iot", "endArrow=classic"),
            // An icon of the same colour standing apart is drawn on its own.
            vertex("lone", "", &device("thermostat"), 800.0, 600.0, 78.0, 78.0),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let mut ids: Vec<_> = d.elements().map(|(_, e)| e.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["car", "iot", "lone"]);
}

#[test]
fn a_line_without_arrowheads_is_marked_undirected() {
    // A network link (endArrow=none, no startArrow) says the ends talk, not which way; an arrow
    // drawn backwards (endArrow=none with a startArrow) has a direction.
    let (d, warnings) = read(&model(
        &[
            vertex("switch", "Switch", "rounded=0;whiteSpace=wrap;html=1;", 0.0, 0.0, 80.0, 40.0),
            vertex("pc", "PC", "rounded=0;whiteSpace=wrap;html=1;", 200.0, 0.0, 80.0, 40.0),
            vertex("nas", "NAS", "rounded=0;whiteSpace=wrap;html=1;", 400.0, 0.0, 80.0, 40.0),
            edge("link", "switch", "pc", "endArrow=none;html=1;"),
            edge("back", "nas", "switch", "endArrow=none;startArrow=block;"),
        ]
        .concat(),
    ));
    let drawn: Vec<_> = d.flows().map(|f| (f.flow.id.clone(), f.flow.drawn)).collect();
    assert_eq!(
        drawn,
        [("switch->pc".to_string(), Drawn::Undirected), ("switch->nas".into(), Drawn::Backward)]
    );
    assert!(warnings.iter().any(|w| w.message.contains("both ways")), "{warnings:?}");
}

#[test]
fn user_devices_of_network_libraries_are_external_and_aws_3d_stores_are_stores() {
    // A Cisco laptop, a Citrix desktop and a clip-art iPad on a switch are people's own devices;
    // the isometric AWS library's DynamoDB and snapshot icons hold data.
    let icon = |id: &str, style: &str, x: f64| vertex(id, "", style, x, 0.0, 60.0, 60.0);
    let (d, _) = read(&model(
        &[
            vertex("switch", "Switch", "rounded=0;whiteSpace=wrap;html=1;", 0.0, 200.0, 80.0, 40.0),
            icon("laptop", "shape=mxgraph.cisco.computers_and_peripherals.laptop;html=1;", 0.0),
            icon("desktop", "shape=mxgraph.citrix.desktop;html=1;", 100.0),
            icon("ipad", "image;html=1;image=img/lib/clip_art/computers/iPad_128x128.png", 200.0),
            icon("dynamo", "shape=mxgraph.aws3d.dynamoDb;html=1;", 300.0),
            icon("snap", "shape=mxgraph.aws3d.snapshot;html=1;", 400.0),
            edge("e1", "switch", "laptop", "endArrow=none;"),
            edge("e2", "switch", "desktop", "endArrow=none;"),
            edge("e3", "switch", "ipad", "endArrow=none;"),
            edge("e4", "switch", "dynamo", "endArrow=classic;"),
            edge("e5", "switch", "snap", "endArrow=classic;"),
        ]
        .concat(),
    ));
    for id in ["laptop", "desktop", "ipad"] {
        assert_eq!(element(&d, id).kind, ElementKind::ExternalEntity, "{id}");
    }
    for id in ["dynamo", "snap"] {
        assert_eq!(element(&d, id).kind, ElementKind::DataStore, "{id}");
    }
}

#[test]
fn a_generic_device_icon_captioned_with_an_outside_party_is_external() {
    // The server icon says what the thing is, the caption whose it is: the ISP's and the
    // carrier's router are run by someone else. An admin server is the system's own, a Lambda
    // icon captioned "Partner" is still the team's function, and an icon we do not know may be
    // anything (the words decide nothing there).
    let icon =
        |id: &str, value: &str, style: &str, x: f64| vertex(id, value, style, x, 0.0, 60.0, 60.0);
    let server = "shape=mxgraph.networks.server;html=1;";
    let (d, _) = read(&model(
        &[
            icon("isp", "ISP", server, 0.0),
            icon("carrier", "Carrier", "shape=mxgraph.cisco.routers.router;html=1;", 100.0),
            icon("logo", "Carrier", "shape=mxgraph.cisco.misc.unknown_thing;html=1;", 400.0),
            icon("admin", "Admin", server, 200.0),
            icon("lambda", "Partner", "shape=mxgraph.aws4.lambda_function;html=1;", 300.0),
            icon("fw", "firewall", "shape=mxgraph.networks.firewall;html=1;", 0.0),
            edge("e1", "fw", "isp", "endArrow=none;"),
            edge("e2", "fw", "carrier", "endArrow=none;"),
            edge("e5", "fw", "logo", "endArrow=none;"),
            edge("e3", "fw", "admin", "endArrow=none;"),
            edge("e4", "fw", "lambda", "endArrow=none;"),
        ]
        .concat(),
    ));
    for id in ["isp", "carrier"] {
        let e = element(&d, id);
        assert_eq!(e.kind, ElementKind::ExternalEntity, "{id}");
        assert!(e.inferred_from.contains("names an outside party (over"), "{}", e.inferred_from);
    }
    assert_eq!(element(&d, "admin").kind, ElementKind::Process);
    assert_eq!(element(&d, "lambda").kind, ElementKind::Process);
    assert_eq!(element(&d, "logo").kind, ElementKind::Process);
}

#[test]
fn a_kubernetes_icon_yields_to_what_its_caption_names() {
    // Kubernetes' object icons say where a thing runs, not what it is: a sign-in service or
    // someone's SMS gateway captioned under the API or ConfigMap icon is what the caption says.
    // A caption naming nothing keeps the icon's reading, and a cloud service's icon keeps its own.
    let icon =
        |id: &str, value: &str, style: &str, x: f64| vertex(id, value, style, x, 0.0, 60.0, 60.0);
    let k8s = |name: &str| format!("shape=mxgraph.kubernetes.icon;prIcon={name};html=1;");
    let (d, _) = read(&model(
        &[
            icon("auth", "Firebase Authentication", &k8s("api"), 0.0),
            icon("sms", "Acme SMS Gateway", &k8s("c_m"), 100.0),
            icon("pod", "Orders", &k8s("pod"), 200.0),
            icon("fn", "SMS gateway", "shape=mxgraph.aws4.lambda_function;html=1;", 300.0),
            edge("e1", "pod", "auth", ""),
            edge("e2", "pod", "sms", ""),
            edge("e3", "pod", "fn", ""),
        ]
        .concat(),
    ));
    let auth = element(&d, "auth");
    assert_eq!(auth.technology.as_deref(), Some("gcp-firebase-authentication"));
    assert!(auth.inferred_from.contains("technology kubernetes"), "{}", auth.inferred_from);
    assert_eq!(element(&d, "sms").kind, ElementKind::ExternalEntity);
    assert_eq!(element(&d, "pod").technology.as_deref(), Some("kubernetes"));
    let function = element(&d, "fn");
    assert_eq!(
        (function.kind, function.technology.as_deref()),
        (ElementKind::Process, Some("aws-lambda"))
    );
}

#[test]
fn a_flow_name_written_as_text_between_two_arrows_is_one_named_flow() {
    let xml = model(
        &[
            vertex(
                "accounts",
                "Accounts",
                "shape=partialRectangle;left=0;right=0;fillColor=none;",
                0.0,
                0.0,
                120.0,
                40.0,
            ),
            vertex("name", "Name, phone", "text;html=1;", 200.0, 0.0, 80.0, 30.0),
            vertex("lookup", "Find account", "ellipse;whiteSpace=wrap;", 360.0, 0.0, 80.0, 80.0),
            // The arrowhead is drawn on the second arrow only.
            edge("into", "accounts", "name", "endArrow=none;"),
            edge("out", "name", "lookup", "endArrow=classic;"),
        ]
        .concat(),
    );
    let (d, warnings) = read(&xml);
    assert!(warnings.is_empty(), "{warnings:?}");
    let flows: Vec<_> = d
        .flows()
        .map(|f| {
            (d.element(f.from).id.as_str(), d.element(f.to).id.as_str(), f.flow.label.as_str())
        })
        .collect();
    assert_eq!(flows, [("accounts", "lookup", "Name, phone")]);
    assert!(d.element_index("name").is_none(), "a flow's name is no element");
}

/// A browser named in the small print under a program's name is where the program runs: the
/// card's headline decides, as on a C4 card (the same rule as DOT's, shared in `hints`).
#[test]
fn a_browser_under_a_programs_headline_does_not_make_it_an_actor() {
    let xml = model(
        &[
            vertex(
                "agent",
                "&lt;b&gt;Desktop Agent&lt;/b&gt;&lt;br&gt;(OS + browser telemetry collector)",
                "rounded=1;whiteSpace=wrap;html=1;",
                0.0,
                0.0,
                160.0,
                60.0,
            ),
            vertex(
                "browser",
                "Web browser",
                "rounded=1;whiteSpace=wrap;html=1;",
                300.0,
                0.0,
                160.0,
                60.0,
            ),
            edge("e1", "browser", "agent", "html=1"),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let agent = element(&d, "agent");
    assert_eq!(agent.kind, ElementKind::Process, "{}", agent.inferred_from);
    // A generic technology named under the headline is not the element's technology at all.
    assert!(agent.inferred_from.starts_with("label noun"), "{}", agent.inferred_from);
    assert_eq!(agent.technology, None);
    assert_eq!(element(&d, "browser").kind, ElementKind::ExternalEntity);
}

#[test]
fn a_legend_box_and_the_samples_drawn_inside_it_are_no_part_of_the_system() {
    // The samples are drawn over the legend box, children of the page, not of the box.
    let xml = model(
        &[
            vertex("user", "Customer", "shape=mxgraph.aws4.user;", 0.0, 0.0, 40.0, 40.0),
            vertex("shop", "Shop", "rounded=1;whiteSpace=wrap;", 200.0, 0.0, 120.0, 60.0),
            vertex("svc", "Service: shop", "ellipse;whiteSpace=wrap;", 400.0, 0.0, 100.0, 40.0),
            edge("f1", "user", "shop", "endArrow=classic;"),
            edge("f2", "shop", "svc", "endArrow=classic;"),
            vertex("key", "Legend", "swimlane;startSize=25;", 0.0, 200.0, 240.0, 120.0),
            vertex("sample", "Pod", "rounded=1;fillColor=#fff2cc;", 10.0, 235.0, 60.0, 25.0),
            vertex("meaning", "= Presentation tier", "text;html=1;", 80.0, 235.0, 150.0, 25.0),
            vertex("sample2", "Pod", "rounded=1;fillColor=#d5e8d4;", 10.0, 270.0, 60.0, 25.0),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    for sample in ["sample", "sample2", "meaning"] {
        assert!(d.element_index(sample).is_none(), "{sample} is a legend sample");
    }
    assert!(d.boundaries.iter().all(|b| b.id != "key"), "a legend is no boundary");
    assert!(d.element_index("shop").is_some());

    // A box named otherwise keeps what is drawn inside it.
    let (d, _) = read(&xml.replace("value=\"Legend\"", "value=\"Workers\""));
    assert!(d.element_index("sample").is_some());
}

#[test]
fn a_note_an_arrow_reads_from_is_a_document_a_pinned_note_is_a_remark() {
    let xml = model(
        &[
            vertex("pod", "vote pod", "rounded=1;whiteSpace=wrap;", 0.0, 0.0, 120.0, 60.0),
            vertex(
                "cm",
                "ConfigMap: app-config",
                "shape=note;whiteSpace=wrap;",
                0.0,
                200.0,
                160.0,
                60.0,
            ),
            vertex(
                "remark",
                "Scaled by HPA",
                "shape=note;whiteSpace=wrap;",
                300.0,
                0.0,
                120.0,
                60.0,
            ),
            edge("ref", "cm", "pod", "dashed=1;"),
            edge("pin", "remark", "pod", "endArrow=none;dashed=1;"),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert_eq!(element(&d, "cm").kind, ElementKind::DataStore);
    assert!(d.element_index("remark").is_none(), "a note pinned by a plain line is a remark");
}

#[test]
fn rounded_boxes_that_name_programs_are_processes_beside_ellipse_services() {
    // A cluster page: services drawn as ellipses, pods as rounded boxes. Most pods name their
    // program, so the ellipse convention (rounded = outside party) does not hold here, and the
    // pod that names none is a process too. On a DFD whose rounded boxes name people and
    // partners, they stay external entities.
    let page = |names: [&str; 4]| {
        model(
            &[
                vertex("svc", "Service: web", "ellipse;whiteSpace=wrap;", 0.0, 0.0, 100.0, 40.0),
                vertex("a", names[0], "rounded=1;whiteSpace=wrap;", 200.0, 0.0, 120.0, 60.0),
                vertex("b", names[1], "rounded=1;whiteSpace=wrap;", 200.0, 100.0, 120.0, 60.0),
                vertex("c", names[2], "rounded=1;whiteSpace=wrap;", 200.0, 200.0, 120.0, 60.0),
                vertex("d", names[3], "rounded=1;whiteSpace=wrap;", 200.0, 300.0, 120.0, 60.0),
                edge("f1", "svc", "a", ""),
                edge("f2", "b", "svc", ""),
                edge("f3", "svc", "c", ""),
                edge("f4", "d", "svc", ""),
            ]
            .concat(),
        )
    };
    let (d, _) =
        read(&page(["web pod (nginx)", "cache pod (redis)", "db pod (PostgreSQL)", "result pod"]));
    assert_eq!(element(&d, "d").kind, ElementKind::Process, "{}", element(&d, "d").inferred_from);
    let (d, _) = read(&page(["Customer", "Bank", "Courier", "Auditor"]));
    assert_eq!(element(&d, "d").kind, ElementKind::ExternalEntity);
}

#[test]
fn a_square_box_among_the_rounded_processes_of_its_box_is_a_process() {
    // Rounded processes in the project's box, the users outside it: the square "URL Map" under
    // the load balancer is one of the system's parts, not an outside party. A square with a
    // store noun keeps its noun; a square outside the box stays an external entity.
    let xml = model(
        &[
            vertex("project", "", "rounded=1;fillColor=#f5f5f5;", 0.0, 100.0, 800.0, 500.0),
            vertex("lb", "Load Balancer", "rounded=1;whiteSpace=wrap;", 100.0, 150.0, 200.0, 60.0),
            vertex("map", "URL Map", "rounded=0;whiteSpace=wrap;", 100.0, 250.0, 200.0, 40.0),
            vertex("api", "API", "rounded=1;whiteSpace=wrap;", 100.0, 350.0, 120.0, 60.0),
            vertex("orders", "Orders DB", "rounded=0;whiteSpace=wrap;", 400.0, 350.0, 120.0, 60.0),
            vertex("partner", "Acme", "rounded=0;whiteSpace=wrap;", 900.0, 350.0, 120.0, 60.0),
            edge("f1", "map", "api", ""),
            edge("f2", "api", "orders", ""),
            edge("f3", "partner", "api", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert_eq!(
        element(&d, "map").kind,
        ElementKind::Process,
        "{}",
        element(&d, "map").inferred_from
    );
    assert_eq!(element(&d, "orders").kind, ElementKind::DataStore);
    assert_eq!(element(&d, "partner").kind, ElementKind::ExternalEntity);
}

#[test]
fn an_unnamed_box_captioned_in_its_corner_by_infrastructure_is_that_infrastructure() {
    // An empty dashed box whose name is a text cell typed in its top corner. A caption naming
    // infrastructure (a cloud, a VPC) names the box; one naming anything else (a code section)
    // does not, nor does a text further down the box.
    let xml = model(
        &[
            vertex("cloud", "", "rounded=1;fillColor=none;dashed=1;", 200.0, 80.0, 600.0, 400.0),
            vertex("cloud-label", "Microsoft Azure", "text;html=1;", 210.0, 85.0, 120.0, 20.0),
            vertex(
                "section",
                "",
                "rounded=1;dashed=1;fillColor=#E8F5E9;",
                240.0,
                150.0,
                300.0,
                250.0,
            ),
            vertex(
                "section-label",
                "Backend (Serverless Containers)",
                "text;html=1;",
                250.0,
                155.0,
                200.0,
                20.0,
            ),
            vertex("net-label", "Private network", "text;html=1;", 250.0, 300.0, 200.0, 20.0),
            vertex("api", "Backend API", "ellipse;", 300.0, 200.0, 80.0, 80.0),
            vertex("user", "User", "shape=umlActor;", 0.0, 200.0, 40.0, 80.0),
            edge("f", "user", "api", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let boundary = |id: &str| d.boundaries.iter().find(|b| b.id == id).expect("a boundary");
    assert_eq!(boundary("cloud").label, "Microsoft Azure");
    assert!(matches!(boundary("cloud").trust, TrustDeclaration::Trusted { .. }));
    assert_eq!(boundary("section").trust, TrustDeclaration::Unspecified);
    assert!(boundary("section").label.starts_with("Zone (cell"), "{}", boundary("section").label);
}

#[test]
fn an_icon_pinned_on_a_box_corner_is_its_emblem_even_across_the_border_or_on_a_named_box() {
    // A made-up page: a "Build" box with an unlabelled service logo in its corner; an unnamed
    // dashed box whose caption icon straddles its top edge, its own words to the right; an
    // unnamed box whose corner icon is named by a text box drawn a few pixels over the icon.
    // The icons are emblems, not elements; the unnamed boxes take their names.
    let icon = |name: &str| {
        format!("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.{name};aspect=fixed;")
    };
    let xml = model(
        &[
            vertex("build", "Build", "fillColor=none;strokeColor=#3334B9;", 0.0, 0.0, 400.0, 200.0),
            vertex("build-logo", "", &icon("codepipeline"), 0.0, 0.0, 24.0, 24.0),
            vertex("job", "compile", &icon("codebuild"), 100.0, 60.0, 60.0, 60.0),
            vertex("net", "", "fillColor=none;dashed=1;", 0.0, 300.0, 300.0, 200.0),
            vertex(
                "net-icon",
                "Virtual network",
                "image;html=1;labelPosition=right;align=left;\
                 image=img/lib/azure2/networking/Virtual_Networks.svg;",
                0.0,
                290.0,
                34.0,
                20.0,
            ),
            vertex("db", "orders", "shape=cylinder;", 100.0, 380.0, 60.0, 60.0),
            vertex("svc", "", "fillColor=none;strokeColor=#FF8000;", 500.0, 0.0, 300.0, 200.0),
            vertex("svc-icon", "", &icon("fargate"), 500.0, 0.0, 30.0, 30.0),
            vertex("svc-name", "ECS (Fargate)", "text;html=1;", 527.0, -7.0, 90.0, 30.0),
            vertex("app", "Rails app", "rounded=0;", 560.0, 80.0, 120.0, 60.0),
            edge("f1", "job", "db", ""),
            edge("f2", "app", "db", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let boundary = |id: &str| d.boundaries.iter().find(|b| b.id == id).expect("a boundary");
    assert_eq!(boundary("build").label, "Build");
    assert_eq!(boundary("net").label, "Virtual network");
    assert!(matches!(boundary("net").trust, TrustDeclaration::Trusted { .. }));
    assert_eq!(boundary("svc").label, "ECS (Fargate)");
    let ids: Vec<&str> = d.elements().map(|(_, e)| e.id.as_str()).collect();
    for emblem in ["build-logo", "net-icon", "svc-icon"] {
        assert!(!ids.contains(&emblem), "{emblem} is an emblem: {ids:?}");
    }
    for thing in ["job", "db", "app"] {
        assert!(ids.contains(&thing), "{thing} is an element: {ids:?}");
    }
}

#[test]
fn a_small_icon_in_the_corner_of_an_unnamed_box_is_its_caption() {
    // A made-up deployment page in the Azure templates' manner: a resource-group box and a plan
    // box, each captioned by a small icon in its top-left corner with the name beside it, the
    // plan holding two app icons; a host box captioned by an unlabelled icon and the text beside
    // it. The corner icons name their boxes and are no elements; the apps stay elements.
    let img = |name: &str| {
        format!(
            "image;aspect=fixed;html=1;labelPosition=right;align=left;\
             image=img/lib/azure2/{name}.svg;"
        )
    };
    let xml = model(
        &[
            vertex("rg", "", "rounded=1;dashed=1;fillColor=none;", 40.0, 60.0, 700.0, 500.0),
            vertex("rg-icon", "rg-shop", &img("general/Resource_Groups"), 58.0, 72.0, 26.0, 21.0),
            vertex("plan", "", "rounded=1;fillColor=#F4F9FE;", 70.0, 120.0, 300.0, 200.0),
            vertex(
                "plan-icon",
                "plan-1",
                &img("app_services/App_Service_Plans"),
                86.0,
                134.0,
                26.0,
                26.0,
            ),
            vertex("web", "web-app", &img("app_services/App_Services"), 100.0, 180.0, 34.0, 34.0),
            vertex(
                "api",
                "orders-api",
                &img("app_services/App_Services"),
                100.0,
                230.0,
                34.0,
                34.0,
            ),
            vertex("host", "", "rounded=1;fillColor=#F5F5F5;", 400.0, 120.0, 300.0, 300.0),
            vertex(
                "host-icon",
                "",
                "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.ec2;aspect=fixed;",
                410.0,
                125.0,
                40.0,
                40.0,
            ),
            vertex("host-label", "EC2 Instance shop-1", "text;html=1;", 455.0, 125.0, 150.0, 30.0),
            vertex("db", "orders", "shape=cylinder;", 480.0, 250.0, 80.0, 80.0),
            edge("f", "api", "db", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let boundary = |id: &str| d.boundaries.iter().find(|b| b.id == id).expect("a boundary");
    assert_eq!(boundary("rg").label, "rg-shop");
    assert_eq!(boundary("plan").label, "plan-1");
    assert_eq!(boundary("host").label, "EC2 Instance shop-1");
    let ids: Vec<&str> = d.elements().map(|(_, e)| e.id.as_str()).collect();
    for caption in ["rg-icon", "plan-icon", "host-icon"] {
        assert!(!ids.contains(&caption), "{caption} is a caption: {ids:?}");
    }
    for app in ["web", "api", "db"] {
        assert!(ids.contains(&app), "{app} is an element: {ids:?}");
    }
}

#[test]
fn an_arrow_drawn_from_a_pictures_caption_is_drawn_from_the_picture() {
    // A person picture no library names, its caption "Users" under it, the arrow drawn from the
    // caption: one element, named by the caption, sending the flow. A title as near as the
    // caption does not name it; a picture whose caption no arrow touches is no element.
    let xml = model(
        &[
            vertex("title", "Project: shop-485915", "text;html=1;", 380.0, 25.0, 350.0, 30.0),
            vertex(
                "pic",
                "",
                "shape=image;image=https://example.com/icons/user.svg;",
                510.0,
                20.0,
                50.0,
                50.0,
            ),
            vertex("cap", "Users", "text;html=1;", 495.0, 70.0, 80.0, 20.0),
            vertex("lb", "Load Balancer", "rounded=1;whiteSpace=wrap;", 410.0, 140.0, 250.0, 80.0),
            vertex(
                "logo",
                "",
                "shape=image;image=https://example.com/logo.png;",
                900.0,
                20.0,
                50.0,
                50.0,
            ),
            vertex("logo-cap", "Acme Corp", "text;html=1;", 885.0, 70.0, 80.0, 20.0),
            edge("f", "cap", "lb", ""),
        ]
        .concat(),
    );
    let (d, warnings) = read(&xml);
    let users = element(&d, "pic");
    assert_eq!(users.label, "Users");
    assert_eq!(users.kind, ElementKind::ExternalEntity, "{}", users.inferred_from);
    assert_eq!(d.flows().count(), 1, "{warnings:?}");
    assert!(d.element_index("logo").is_none());
}

#[test]
fn a_picture_a_flow_touches_is_an_element_named_by_its_caption() {
    // A browser drawn as its logo from a URL, no value of its own, "Web browser" typed under it,
    // inside a dashed box labelled by a corner text; the arrow is drawn from the picture to the
    // app. The picture is the element (its file name says browser: an outside party), named by
    // its caption, and the box around it is its region. A picture of no telling name a flow
    // touches is a process; one no flow touches, one an arrow leaves unattached and one pointing
    // only at a remark are no elements.
    let xml = model(
        &[
            vertex("box", "", "rounded=1;dashed=1;fillColor=#dae8fc;", 40.0, 100.0, 160.0, 200.0),
            vertex("box-cap", "Visitors", "text;html=1;", 80.0, 110.0, 80.0, 20.0),
            vertex(
                "pic",
                "",
                "shape=image;html=1;image=https://example.com/img/chrome_48dp.png",
                80.0,
                150.0,
                80.0,
                80.0,
            ),
            vertex("pic-cap", "Web browser", "text;html=1;", 60.0, 240.0, 120.0, 40.0),
            vertex("app", "Shop app", "rounded=1;whiteSpace=wrap;", 320.0, 160.0, 160.0, 60.0),
            vertex(
                "logo",
                "",
                "shape=image;image=https://example.com/logo-128.png",
                600.0,
                160.0,
                50.0,
                50.0,
            ),
            vertex("tile", "", "shape=image;image=https://example.com/gear.png", 900.0, 20.0, 50.0, 50.0),
            vertex("lock", "", "shape=image;image=https://example.com/lock.png", 900.0, 200.0, 40.0, 40.0),
            vertex("coin", "", "shape=image;image=https://example.com/Dollar-128.png", 700.0, 400.0, 40.0, 40.0),
            vertex("remark", "assets to protect", "text;html=1;", 800.0, 400.0, 120.0, 30.0),
            edge("f", "pic", "app", ""),
            edge("g", "app", "logo", ""),
            edge("h", "coin", "remark", ""),
            r#"<mxCell id="half" edge="1" parent="1" source="lock"><mxGeometry relative="1" as="geometry"><mxPoint x="980" y="300" as="targetPoint"/></mxGeometry></mxCell>"#.to_string(),
        ]
        .concat(),
    );
    let (d, warnings) = read(&xml);
    let browser = element(&d, "pic");
    assert_eq!(browser.label, "Web browser");
    assert_eq!(browser.kind, ElementKind::ExternalEntity, "{}", browser.inferred_from);
    let region = browser.boundary.map(|b| d.boundaries[b].id.as_str());
    assert_eq!(region, Some("box"), "{warnings:?}");
    assert_eq!(element(&d, "logo").kind, ElementKind::Process);
    assert_eq!(d.flows().count(), 2, "{warnings:?}");
    assert!(d.element_index("tile").is_none());
    assert!(d.element_index("lock").is_none());
    assert!(d.element_index("coin").is_none());
}

#[test]
fn an_unlabelled_card_is_named_by_the_uppermost_text_inside_it() {
    // Two cards drawn as rounded boxes with no value: a title typed inside at the top and a
    // description under it. The title names the card ("GitHub" is someone else's service, so
    // the registry it deploys into receives from outside). Two texts side by side at the same
    // height name nothing.
    let xml = model(
        &[
            vertex("gh", "", "rounded=1;whiteSpace=wrap;html=1;", 600.0, 450.0, 160.0, 140.0),
            vertex("gh-title", "GitHub", "text;html=1;", 650.0, 460.0, 60.0, 20.0),
            vertex(
                "gh-desc",
                "Source control and CI/CD",
                "text;html=1;",
                610.0,
                530.0,
                140.0,
                50.0,
            ),
            vertex("reg", "", "rounded=1;whiteSpace=wrap;html=1;", 600.0, 290.0, 160.0, 100.0),
            vertex("reg-title", "Container Registry", "text;html=1;", 620.0, 300.0, 120.0, 20.0),
            vertex("reg-desc", "Docker images", "text;html=1;", 610.0, 330.0, 140.0, 50.0),
            vertex("odd", "", "rounded=1;whiteSpace=wrap;html=1;", 900.0, 290.0, 200.0, 100.0),
            vertex("odd-a", "Left", "text;html=1;", 910.0, 300.0, 80.0, 20.0),
            vertex("odd-b", "Right", "text;html=1;", 1000.0, 300.0, 80.0, 20.0),
            edge("f", "gh", "reg", ""),
            edge("g", "reg", "odd", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let github = element(&d, "gh");
    assert_eq!(github.label, "GitHub");
    assert_eq!(github.kind, ElementKind::ExternalEntity, "{}", github.inferred_from);
    assert_eq!(element(&d, "reg").label, "Container Registry");
    assert!(element(&d, "odd").label.contains("cell odd"), "{}", element(&d, "odd").label);
}

/// A VNet and a subnet drawn as plain boxes with no value, each named by a text cell typed along
/// the inside of its top edge: the boxes take their captions' names, so the app service is in the
/// trusted subnet. A card's caption naming a product ("Azure Firewall") names no box, and a
/// caption is not lent to an unlabelled element beside it.
#[test]
fn a_box_is_named_by_the_network_caption_along_its_top_edge() {
    let text = "text;html=1;align=left;verticalAlign=top;";
    let xml = model(
        &[
            vertex("vnet", "", "rounded=1;dashed=1;fillColor=#e1d5e7;", 100.0, 100.0, 600.0, 400.0),
            vertex("vnet-label", "app-vnet (10.0.0.0/16)", text, 110.0, 110.0, 200.0, 30.0),
            vertex("sub", "", "rounded=1;fillColor=#dae8fc;", 150.0, 200.0, 250.0, 200.0),
            vertex("sub-label", "app-subnet", text, 160.0, 205.0, 150.0, 30.0),
            vertex("app", "App Service", "rounded=1;", 200.0, 300.0, 120.0, 60.0),
            vertex("card", "", "rounded=1;fillColor=#f5f5f5;", 450.0, 200.0, 200.0, 200.0),
            vertex("card-label", "Azure Firewall", text, 460.0, 205.0, 150.0, 30.0),
            vertex("fw", "Firewall", "rounded=1;", 480.0, 300.0, 120.0, 60.0),
            vertex("user", "User", "shape=umlActor;", 10.0, 10.0, 30.0, 60.0),
            edge("e1", "user", "fw", ""),
            edge("e2", "fw", "app", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let named = |label: &str| d.boundaries.iter().find(|b| b.label == label);
    let subnet = named("app-subnet").expect("the subnet takes its caption");
    assert!(matches!(subnet.trust, TrustDeclaration::Trusted { .. }));
    assert!(named("app-vnet (10.0.0.0/16)").is_some());
    assert!(named("Azure Firewall").is_none(), "a product names no box");
    let app = element(&d, "app");
    assert_eq!(app.boundary.map(|b| d.boundaries[b].label.as_str()), Some("app-subnet"));
}

/// A cloud shape stands for the Internet or an outside party by habit: captioned with a known
/// product it is that product (an S3 bucket drawn as a cloud is a store); a bare "Internet" cloud
/// stays external.
#[test]
fn a_cloud_captioned_with_a_product_is_that_product() {
    let cloud = "ellipse;shape=cloud;whiteSpace=wrap;html=1;";
    let xml = model(
        &[
            vertex("bucket", "S3 Bucket", cloud, 10.0, 200.0, 120.0, 80.0),
            vertex("net", "Internet", cloud, 10.0, 10.0, 120.0, 80.0),
            vertex("app", "Archive job", "rounded=1;", 200.0, 100.0, 120.0, 60.0),
            edge("e1", "app", "bucket", ""),
            edge("e2", "net", "app", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert_eq!(element(&d, "bucket").kind, ElementKind::DataStore);
    assert_eq!(element(&d, "net").kind, ElementKind::ExternalEntity);
}

/// A legend drawn as an empty box captioned "Legend" by a text cell: its sample boxes, which no
/// flow touches, show the notation and are no elements; a box a flow touches stays one.
#[test]
fn the_samples_in_a_box_captioned_legend_are_no_elements() {
    let text = "text;html=1;align=left;verticalAlign=top;";
    let xml = model(
        &[
            vertex("legend", "", "rounded=1;fillColor=#ffffff;", 500.0, 300.0, 220.0, 120.0),
            vertex("legend-title", "Legend", text, 510.0, 305.0, 60.0, 20.0),
            vertex("sample", "Deployed", "rounded=1;fillColor=#d5e8d4;", 510.0, 330.0, 80.0, 25.0),
            vertex("api", "Orders API", "rounded=1;", 10.0, 10.0, 120.0, 60.0),
            vertex("db", "Orders DB", "shape=cylinder3;", 200.0, 10.0, 60.0, 80.0),
            edge("e1", "api", "db", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert!(d.element_index("sample").is_none(), "a legend sample");
    assert!(d.element_index("api").is_some());
}

/// A legend drawn without a box: the shapes laid out under a text that says only "Legend" are its
/// samples, not elements, unless a flow touches them; a shape no flow touches elsewhere on the
/// page stays an element.
#[test]
fn samples_under_a_legend_title_without_a_box_are_no_elements() {
    let xml = model(
        &[
            vertex("title", "Legend", "text;html=1", 800.0, 600.0, 100.0, 30.0),
            vertex("s1", "Client Layer", "rounded=0", 800.0, 640.0, 120.0, 30.0),
            vertex("s2", "Data Layer", "rounded=0", 960.0, 640.0, 120.0, 30.0),
            vertex("s3", "Proxy Layer", "rounded=0", 800.0, 680.0, 120.0, 30.0),
            vertex("api", "Orders API", "rounded=1", 800.0, 720.0, 120.0, 60.0),
            vertex("user", "Customer", "shape=umlActor", 500.0, 720.0, 40.0, 60.0),
            vertex("batch", "Nightly batch", "rounded=1", 100.0, 100.0, 120.0, 60.0),
            edge("e1", "user", "api", "endArrow=classic"),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let mut ids: Vec<String> = d.elements().map(|(_, e)| e.id.clone()).collect();
    ids.sort();
    assert_eq!(ids, ["api", "batch", "user"]);
}

/// A legend laid out as one row to the right of its title: the samples are taller than the
/// title and start a little above it, but their middles are level with it; a shape wholly above
/// the title stays an element.
#[test]
fn samples_in_a_row_beside_a_legend_title_are_no_elements() {
    let xml = model(
        &[
            vertex("title", "LEGEND", "text;html=1", 30.0, 600.0, 100.0, 30.0),
            vertex("s1", "Blue line: readings", "rounded=1", 140.0, 590.0, 300.0, 48.0),
            vertex("s2", "Red line: alerts", "rounded=1", 460.0, 590.0, 300.0, 48.0),
            vertex("api", "Telemetry API", "rounded=1", 140.0, 480.0, 120.0, 60.0),
            vertex("jobs", "Report builder", "rounded=1", 300.0, 500.0, 120.0, 60.0),
            vertex("user", "Operator", "shape=umlActor", 0.0, 400.0, 40.0, 60.0),
            edge("e1", "user", "api", "endArrow=classic"),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let mut ids: Vec<String> = d.elements().map(|(_, e)| e.id.clone()).collect();
    ids.sort();
    assert_eq!(ids, ["api", "jobs", "user"]);
}

/// An ellipse is a process in DFD notation, but a page's only ellipse captioned with people or
/// the outside world ("Users / Internet" beside boxes) is the outside parties drawn round; where
/// the page draws several ellipses, an ellipse named "Client" stays a process.
#[test]
fn a_lone_ellipse_named_after_people_is_an_outside_party() {
    let lone = model(
        &[
            vertex(
                "users",
                "Users / Internet&#xa;HTTPS (TLS 1.3)",
                "ellipse;whiteSpace=wrap;html=1;",
                0.0,
                0.0,
                160.0,
                90.0,
            ),
            vertex("gw", "Gateway", "rounded=1;whiteSpace=wrap;html=1;", 300.0, 0.0, 120.0, 60.0),
            vertex(
                "app",
                "Order Service",
                "rounded=1;whiteSpace=wrap;html=1;",
                500.0,
                0.0,
                120.0,
                60.0,
            ),
            edge("e1", "users", "gw", "endArrow=classic;html=1;"),
            edge("e2", "gw", "app", "endArrow=classic;html=1;"),
        ]
        .concat(),
    );
    let (d, _) = read(&lone);
    let users = element(&d, "users");
    assert_eq!(users.kind, ElementKind::ExternalEntity, "{}", users.inferred_from);
    assert!(users.inferred_from.contains("over style ellipse"), "{}", users.inferred_from);
    assert_eq!(element(&d, "gw").kind, ElementKind::Process);
    let dfd = model(
        &[
            vertex("client", "Client", "ellipse;whiteSpace=wrap;html=1;", 0.0, 0.0, 100.0, 80.0),
            vertex(
                "orders",
                "Order Service",
                "ellipse;whiteSpace=wrap;html=1;",
                300.0,
                0.0,
                120.0,
                80.0,
            ),
            edge("e1", "client", "orders", "endArrow=classic;html=1;"),
        ]
        .concat(),
    );
    let (d, _) = read(&dfd);
    assert_eq!(element(&d, "client").kind, ElementKind::Process);
}

/// An arrow drawn from a box named as someone else's ("External Systems") holding the other
/// systems as plain boxes is read from each of them: the analysis makes them that party's.
#[test]
fn an_arrow_from_a_box_of_someone_elses_systems_is_a_flow_from_each() {
    let xml = model(
        &[
            vertex(
                "ext",
                "External Systems",
                "rounded=1;whiteSpace=wrap;html=1;verticalAlign=top;",
                0.0,
                0.0,
                500.0,
                150.0,
            ),
            vertex(
                "pay",
                "Payments Service",
                "rounded=1;whiteSpace=wrap;html=1;",
                20.0,
                40.0,
                200.0,
                60.0,
            ),
            vertex(
                "auth",
                "Auth Service",
                "rounded=1;whiteSpace=wrap;html=1;",
                260.0,
                40.0,
                200.0,
                60.0,
            ),
            vertex(
                "bus",
                "Event bus",
                "rounded=0;whiteSpace=wrap;html=1;",
                0.0,
                250.0,
                500.0,
                60.0,
            ),
            vertex("mon", "Monitor", "rounded=1;whiteSpace=wrap;html=1;", 0.0, 400.0, 200.0, 60.0),
            edge("e1", "ext", "bus", "endArrow=classic;html=1;"),
            edge("e2", "bus", "mon", "endArrow=classic;html=1;"),
        ]
        .concat(),
    );
    let (d, warnings) = read(&xml);
    let from: Vec<&str> = d
        .flows()
        .filter(|f| d.element(f.to).id == "bus")
        .map(|f| d.element(f.from).id.as_str())
        .collect();
    assert_eq!(from.len(), 2, "{from:?} {warnings:?}");
    assert!(from.contains(&"pay") && from.contains(&"auth"), "{from:?}");
}

/// A network bus the devices' lines end on is the segment they share: no element, and each
/// device on it is linked with each other one both ways, so a server sharing a bus with a
/// user's workstation receives from it. A bus with more devices than can be paired stays one.
#[test]
fn a_network_bus_links_the_devices_on_it() {
    let bus = "shape=mxgraph.networks.bus;backboneSize=20;";
    let mut cells = vec![
        vertex("bus", "", bus, 0.0, 100.0, 600.0, 20.0),
        vertex("pc", "Workstation", "shape=mxgraph.networks.pc;", 0.0, 0.0, 60.0, 60.0),
        vertex("srv", "File server", "shape=mxgraph.networks.server;", 200.0, 0.0, 60.0, 60.0),
        vertex("prn", "Printer", "shape=mxgraph.networks.printer;", 400.0, 0.0, 60.0, 60.0),
        edge("l1", "pc", "bus", "endArrow=none;"),
        edge("l2", "bus", "srv", "endArrow=none;"),
        edge("l3", "prn", "bus", "endArrow=none;"),
    ];
    let (d, _) = read(&model(&cells.concat()));
    let ids: Vec<_> = d.elements().map(|(_, e)| e.id.as_str()).collect();
    assert_eq!(ids, ["pc", "srv", "prn"], "the bus is no element");
    let flows: Vec<_> = d
        .flows()
        .map(|f| (d.element(f.from).id.as_str(), d.element(f.to).id.as_str(), f.flow.drawn))
        .collect();
    assert_eq!(
        flows,
        [
            ("pc", "srv", Drawn::Undirected),
            ("pc", "prn", Drawn::Undirected),
            ("srv", "prn", Drawn::Undirected)
        ]
    );

    // Thirteen devices on one bus: read as a hub they send through.
    cells.truncate(1);
    for k in 0..13 {
        let x = f64::from(k) * 50.0;
        cells.push(vertex(&format!("d{k}"), "", "shape=mxgraph.networks.pc;", x, 0.0, 40.0, 40.0));
        cells.push(edge(&format!("e{k}"), &format!("d{k}"), "bus", "endArrow=none;"));
    }
    let (d, _) = read(&model(&cells.concat()));
    assert_eq!(d.elements().count(), 14, "a bus too large to pair stays an element");
    assert_eq!(d.flow_count(), 13);
}

#[test]
fn a_circle_captioned_with_an_outside_product_is_that_outside_party() {
    // A made-up page drawing everything in circles: the team's web server, a double circle
    // captioned "Google Auth" and one captioned "Stripe" that the server calls, and a circle
    // "Checkout service (Stripe)" naming the product only in an aside. The products are outside parties;
    // the aside is what the team's step calls.
    let xml = model(
        &[
            vertex("user", "User", "rounded=0;whiteSpace=wrap;html=1;", 0.0, 0.0, 120.0, 60.0),
            vertex("web", "Web server", "ellipse;", 200.0, 0.0, 80.0, 80.0),
            vertex(
                "google",
                "Google Auth",
                "ellipse;shape=doubleEllipse;",
                200.0,
                200.0,
                80.0,
                80.0,
            ),
            vertex("stripe", "Stripe", "ellipse;", 400.0, 0.0, 80.0, 80.0),
            vertex("pay", "Checkout service (Stripe)", "ellipse;", 400.0, 200.0, 80.0, 80.0),
            edge("f1", "user", "web", ""),
            edge("f2", "web", "google", ""),
            edge("f3", "web", "stripe", ""),
            edge("f4", "web", "pay", ""),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert_eq!(element(&d, "google").kind, ElementKind::ExternalEntity);
    assert_eq!(element(&d, "stripe").kind, ElementKind::ExternalEntity);
    assert_eq!(element(&d, "web").kind, ElementKind::Process);
    assert_eq!(element(&d, "pay").kind, ElementKind::Process);
}

#[test]
fn a_typed_backslash_n_in_a_label_is_a_line_break() {
    // Generated and hand-written XML often types `\n` for a line break; draw.io shows the two
    // characters, a reader reads two lines: the aside on the second line qualifies the name.
    let xml = model(
        &[
            vertex("lb", "Load balancer", "rounded=1;html=1", 0.0, 0.0, 120.0, 60.0),
            vertex(
                "cp",
                r"Amazon EKS Control Plane\n(API Server, etcd)",
                "rounded=1;whiteSpace=wrap;html=1",
                200.0,
                0.0,
                120.0,
                60.0,
            ),
            vertex(
                "plain",
                r"Orders service\nqueue consumer",
                "rounded=1",
                400.0,
                0.0,
                120.0,
                60.0,
            ),
            edge("e1", "lb", "cp", "endArrow=classic"),
            edge("e2", "cp", "plain", "endArrow=classic"),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let cp = element(&d, "cp");
    assert_eq!(cp.label, "Amazon EKS Control Plane\n(API Server, etcd)");
    assert_eq!(cp.kind, ElementKind::Process);
    assert_eq!(element(&d, "plain").label, "Orders service\nqueue consumer");
}

/// An icon's caption drawn under it (`verticalLabelPosition=bottom`) is part of what a reader
/// sees: an arrow starting on the caption, just under the icon, starts at the icon. An end on the
/// caption of a plain box's outside label, or farther away, stays loose.
#[test]
fn an_arrow_end_on_the_caption_under_an_icon_is_read_as_attached_to_the_icon() {
    let from_caption = r#"<mxCell id="e1" style="endArrow=classic" edge="1" parent="1" target="cdn"><mxGeometry relative="1" as="geometry"><mxPoint x="30" y="86" as="sourcePoint"/></mxGeometry></mxCell>"#;
    let far = r#"<mxCell id="e2" style="endArrow=classic" edge="1" parent="1" target="cdn"><mxGeometry relative="1" as="geometry"><mxPoint x="530" y="80" as="sourcePoint"/></mxGeometry></mxCell>"#;
    let xml = model(
        &[
            vertex(
                "laptop",
                "Client laptop",
                "shape=mxgraph.office.devices.laptop;verticalLabelPosition=bottom;verticalAlign=top",
                0.0,
                0.0,
                60.0,
                60.0,
            ),
            vertex(
                "box",
                "Orders API",
                "rounded=1;verticalLabelPosition=bottom;verticalAlign=top",
                500.0,
                0.0,
                60.0,
                60.0,
            ),
            vertex("cdn", "CDN", "rounded=1", 300.0, 0.0, 120.0, 60.0),
            from_caption.to_string(),
            far.to_string(),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let flows: Vec<_> =
        d.flows().map(|f| (d.element(f.from).id.clone(), d.element(f.to).id.clone())).collect();
    assert_eq!(flows, [("laptop".to_string(), "cdn".to_string())]);
}

#[test]
fn an_emblem_with_no_words_and_no_flow_is_no_element() {
    // A made-up cloud page: a policy sign and a virtual-network emblem drawn with no label, no
    // caption and no arrow; a policy sign with an arrow, and a service icon with no words.
    let icon = |shape: &str| format!("outlineConnect=0;html=1;shape=mxgraph.aws3.{shape};");
    let vnet = "image;html=1;image=img/lib/azure2/networking/Virtual_Networks.svg;";
    let xml = model(
        &[
            vertex("fn", "Orders function", &icon("lambda_function"), 0.0, 0.0, 60.0, 60.0),
            vertex("db", "Orders table", &icon("dynamo_db"), 200.0, 0.0, 60.0, 60.0),
            edge("e1", "fn", "db", "endArrow=classic;"),
            vertex("pol", "", &icon("policy"), 0.0, 200.0, 40.0, 60.0),
            vertex("net", "", vnet, 200.0, 200.0, 67.0, 40.0),
            vertex("pol2", "", &icon("policy"), 400.0, 0.0, 40.0, 60.0),
            edge("e2", "fn", "pol2", "endArrow=classic;"),
            vertex("ec2", "", &icon("ec2"), 400.0, 200.0, 60.0, 60.0),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    assert!(d.element_index("pol").is_none(), "a bare policy sign is decoration");
    assert!(d.element_index("net").is_none(), "a bare VNet emblem is decoration");
    assert!(d.element_index("pol2").is_some(), "a flow makes the emblem an element");
    assert!(d.element_index("ec2").is_some(), "a service icon with no words stays an element");
}

#[test]
fn an_unnamed_box_is_named_by_infrastructure_text_set_against_its_edge() {
    // A made-up VPC: two red dashed boxes with no value, one with "web-security-group" typed
    // just over its top edge, one with "db-security-group" just under its bottom edge; a third
    // unnamed box with "Notes" over it stays unnamed (no infrastructure word).
    let zone = "fillColor=none;dashed=1;strokeColor=#ff0000;";
    let text = "text;html=1;strokeColor=none;fillColor=none;";
    let icon = |shape: &str| format!("outlineConnect=0;html=1;shape=mxgraph.aws3.{shape};");
    let xml = model(
        &[
            vertex(
                "vpc",
                "VPC",
                "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_vpc;fillColor=none;",
                0.0,
                0.0,
                900.0,
                600.0,
            ),
            vertex("t1", "web-security-group", text, 60.0, 40.0, 150.0, 30.0),
            vertex("sg1", "", zone, 20.0, 70.0, 250.0, 200.0),
            vertex("web", "web server", &icon("ec2"), 100.0, 120.0, 60.0, 60.0),
            vertex("sg2", "", zone, 400.0, 70.0, 250.0, 200.0),
            vertex("db", "orders db", &icon("rds"), 480.0, 120.0, 60.0, 60.0),
            vertex("t2", "db-security-group", text, 420.0, 275.0, 150.0, 30.0),
            edge("e1", "web", "db", "endArrow=classic;"),
            vertex("t3", "Notes", text, 60.0, 330.0, 100.0, 30.0),
            vertex("box", "", zone, 20.0, 360.0, 250.0, 200.0),
            vertex("job", "nightly job", &icon("lambda_function"), 100.0, 400.0, 60.0, 60.0),
            edge("e2", "job", "db", "endArrow=classic;"),
        ]
        .concat(),
    );
    let (d, _) = read(&xml);
    let zone_of = |id: &str| {
        let b = element(&d, id).boundary.expect("in a box");
        (d.boundaries[b].label.clone(), d.boundaries[b].trust.clone())
    };
    let (web_zone, web_trust) = zone_of("web");
    assert_eq!(web_zone, "web-security-group");
    assert!(matches!(web_trust, TrustDeclaration::Trusted { .. }), "{web_trust:?}");
    assert_eq!(zone_of("db").0, "db-security-group");
    assert!(zone_of("job").0.starts_with("Zone (cell"), "{:?}", zone_of("job"));
}
