//! The draw.io versions of the example diagrams read as the same model as their DOT twins: the
//! same elements, boundaries, flows, inventories and threats. They are drawn the way people draw
//! in draw.io (AWS icons and group shapes, boundaries as dashed rectangles over the nodes, a
//! compressed page), so this is an end-to-end check of the draw.io importer against the DOT one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::io::Read;
use std::process::Command;

use base64::Engine;
use serde_json::Value;

use crate::common;

const PAIRS: &[(&str, &str)] = &[
    ("diagrams/serverless-orders.dot", "diagrams/serverless-orders.drawio"),
    ("diagrams/three-tier-web.dot", "diagrams/three-tier-web.drawio"),
];

fn analyze(path: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["analyze", path, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{path}: exit {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => "-".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One line per item of `diagram[list]`, made of the named fields.
fn rows(diagram: &Value, list: &str, fields: &[&str]) -> BTreeSet<String> {
    diagram[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list}"))
        .iter()
        .map(|item| fields.iter().map(|f| text(&item[*f])).collect::<Vec<_>>().join(" | "))
        .collect()
}

fn ids(value: &Value) -> BTreeSet<String> {
    value.as_array().unwrap().iter().map(text).collect()
}

/// What must be equal between the twins, by name.
fn inventory(report: &Value) -> Vec<(&'static str, BTreeSet<String>)> {
    let diagrams = report["diagrams"].as_array().unwrap();
    assert_eq!(diagrams.len(), 1, "one diagram (page) per file");
    let d = &diagrams[0];
    let mut inv = vec![
        ("name", BTreeSet::from([text(&d["name"])])),
        (
            "elements",
            rows(d, "elements", &["id", "kind", "boundary", "technology", "label", "attributes"]),
        ),
        ("boundaries", rows(d, "boundaries", &["id", "parent", "trust", "untrusted", "label"])),
        (
            "flows",
            rows(d, "flows", &["id", "from", "to", "crosses", "direction", "label", "attributes"]),
        ),
    ];
    for list in ["external_actors", "entry_points", "data_assets", "infrastructure"] {
        inv.push((list, ids(&d[list])));
    }
    inv.push(("threats", common::pair_ids(report).into_iter().collect()));
    let findings = report["findings"].as_array().unwrap();
    inv.push(("findings", findings.iter().map(|f| text(&f["id"])).collect()));
    inv.push(("warnings", ids(&report["warnings"])));
    inv
}

#[test]
fn drawio_examples_match_their_dot_twins() {
    for (dot, drawio) in PAIRS {
        let (want, got) = (inventory(&analyze(dot)), inventory(&analyze(drawio)));
        for ((name, want), (_, got)) in want.iter().zip(&got) {
            let missing: Vec<_> = want.difference(got).collect();
            let extra: Vec<_> = got.difference(want).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{drawio} vs {dot}: {name} differ\n  only in DOT: {missing:#?}\n  only in draw.io: {extra:#?}"
            );
        }
        // Not vacuous: the examples have content.
        let count = |n: &str| want.iter().find(|(k, _)| *k == n).map_or(0, |(_, s)| s.len());
        assert!(count("elements") >= 10 && count("flows") >= 10 && count("threats") > 0);
        assert!(count("boundaries") >= 3);
    }
}

#[test]
fn serverless_drawio_page_is_compressed() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/diagrams/serverless-orders.drawio");
    let file = std::fs::read_to_string(path).unwrap();
    let start = file.find("<diagram ").expect("a <diagram> element");
    let open_end = start + file[start..].find('>').unwrap() + 1;
    let close = open_end + file[open_end..].find("</diagram>").expect("</diagram>");
    assert!(file[start..open_end].contains(r#"name="serverless-orders""#));
    let body = file[open_end..close].trim();
    assert!(!body.contains('<'), "the page must be saved compressed, not as <mxGraphModel>");

    // draw.io's encoding: base64 of raw deflate of the URI-encoded model.
    let deflated = base64::engine::general_purpose::STANDARD.decode(body).unwrap();
    let mut encoded = Vec::new();
    flate2::read::DeflateDecoder::new(deflated.as_slice()).read_to_end(&mut encoded).unwrap();
    let xml = percent_encoding::percent_decode(&encoded).decode_utf8().unwrap();
    assert!(xml.starts_with("<mxGraphModel"), "{}", &xml[..xml.len().min(80)]);
    assert!(xml.contains("resIcon=mxgraph.aws4.lambda"));
}

#[test]
fn three_tier_drawio_page_is_plain_xml() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/diagrams/three-tier-web.drawio");
    let file = std::fs::read_to_string(path).unwrap();
    assert!(file.contains(r#"name="three_tier_web""#));
    assert!(file.contains("<mxGraphModel"));
}

/// Shapes and arrows drawn without labels (an AWS icon, a UML actor, a cylinder, an office icon,
/// a dashed zone): every report and title names them, and rules that read words in labels read
/// none in the made-up names.
#[test]
fn unlabelled_shapes_get_names_every_writer_shows() {
    let doc = analyze("tests/fixtures/unlabelled.drawio");
    let diagram = &doc["diagrams"][0];
    let label = |id: &str| {
        diagram["elements"].as_array().unwrap().iter().find(|e| e["id"] == id).unwrap()["label"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(label("7"), "AWS Lambda (cell 7)");
    assert_eq!(label("u1"), "External entity (cell u1)");
    assert_eq!(label("db"), "Data store (cell db)");
    assert_eq!(label("console"), "Admin console (cell console)");
    assert_eq!(diagram["boundaries"][0]["label"], "Zone (cell zone)");
    let threats = common::pairs(&doc);
    for t in &threats {
        let title = t["title"].as_str().unwrap();
        assert!(!title.contains("  ") && title.trim() == title, "a title with a gap: {title:?}");
        if t["target"]["kind"] == "flow" {
            let (from, to) = t["target"]["id"].as_str().unwrap().split_once("->").unwrap();
            assert!(
                title.contains(&label(from)) && title.contains(&label(to)),
                "a flow's title names both its ends: {title:?}"
            );
        }
    }
    // "Admin console" is the icon's name, not the author's: the rule for admin interfaces (which
    // reads the word in labels) stays silent.
    assert!(threats.iter().all(|t| t["rule"] != "IDN-003"));
    let text = Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["analyze", "tests/fixtures/unlabelled.drawio"])
        .output()
        .unwrap();
    let report = String::from_utf8(text.stdout).unwrap();
    assert!(report.contains("crosses Zone (cell zone)"), "{report}");
    assert!(!report.lines().any(|l| l.trim_end().ends_with("crosses")), "{report}");
}
