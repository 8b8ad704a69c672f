//! The JSON report against its published schema (`schemas/dfd-threats-report-v2.schema.json`),
//! through the binary: every example diagram, indented and compact, with a suppression and a
//! baseline so the optional fields appear too. The schema forbids fields it does not list, so a
//! field added to the writer without the schema fails here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::schema::Schema;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> Schema {
    let text =
        std::fs::read_to_string(root().join("schemas/dfd-threats-report-v2.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    Schema::new(schema).unwrap()
}

fn analyze(args: &[&str]) -> Vec<u8> {
    let o = Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .current_dir(root())
        .env("DFD_THREATS_TODAY", "2026-11-26")
        .arg("analyze")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

/// Reports of other tools' models carry their formats and `recorded_threats`.
#[test]
fn every_model_fixture_validates() {
    let validator = validator();
    let dir = root().join("tests/fixtures/models");
    let mut recorded = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let doc: Value =
            serde_json::from_slice(&analyze(&[path.to_str().unwrap(), "--format", "json"]))
                .unwrap();
        recorded += doc["diagrams"][0]["recorded_threats"].as_array().map_or(0, Vec::len);
        let errors = validator.errors(&doc);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
    assert!(recorded >= 6, "the fixtures record threats");
}

#[test]
fn every_example_validates_indented_and_compact() {
    let validator = validator();
    let files = common::examples();
    assert!(files.len() >= 4, "{files:?}");
    for file in files {
        let indented = analyze(&[&file, "--format", "json"]);
        let compact = analyze(&[&file, "--format", "json", "--compact"]);
        let doc: Value = serde_json::from_slice(&indented).unwrap();
        assert_eq!(doc, serde_json::from_slice::<Value>(&compact).unwrap(), "{file}");
        assert_eq!(compact.iter().filter(|&&b| b == b'\n').count(), 1, "{file}: one line");
        assert!(compact.len() * 4 < indented.len() * 3, "{file}: compact saves a quarter");
        assert!(!doc["findings"].as_array().unwrap().is_empty(), "{file} has findings");
        let errors = validator.errors(&doc);
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
}

/// `reach_assumed` (a diagram with no external actor drawn) is in the contract.
#[test]
fn a_report_with_assumed_reach_validates() {
    let dir = tempfile::tempdir().unwrap();
    let diagram = dir.path().join("inside.dot");
    let dot = "digraph inside { form -> save; save -> db; db -> find; db [shape=cylinder]; }";
    std::fs::write(&diagram, dot).unwrap();
    let doc: Value =
        serde_json::from_slice(&analyze(&[diagram.to_str().unwrap(), "--format", "json"])).unwrap();
    assert_eq!(doc["diagrams"][0]["assets"][0]["reach_assumed"], true, "{doc}");
    let errors = validator().errors(&doc);
    assert!(errors.is_empty(), "{errors:#?}");
}

/// A control an element's label names ("API Gateway (Rate Limiting)") is declared from the label:
/// the attribute and where it came from, which the schema allows; the flood threat it covers is
/// mitigated, not gone.
#[test]
fn a_control_named_in_an_element_label_is_declared_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let diagram = dir.path().join("gw.dot");
    let dot = "digraph gw { user [kind=external]; gw [label=\"API Gateway (Rate Limiting)\"]; \
               svc [label=\"Orders service\"]; user -> gw; gw -> svc; }";
    std::fs::write(&diagram, dot).unwrap();
    let doc: Value =
        serde_json::from_slice(&analyze(&[diagram.to_str().unwrap(), "--format", "json"])).unwrap();
    let gw = &doc["diagrams"][0]["elements"][1];
    assert_eq!(gw["attributes"]["rate_limited"], "true", "{gw}");
    assert_eq!(gw["attributes_from_label"]["rate_limited"], "label word \"rate limiting\"");
    assert!(doc["diagrams"][0]["elements"][2].get("attributes_from_label").is_none());
    let flood = doc["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "DFD-D-010");
    assert_eq!(flood.map(|f| &f["status"]), Some(&Value::from("mitigated")), "{doc}");
    let errors = validator().errors(&doc);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn a_report_with_suppressions_and_a_baseline_validates() {
    let dir = tempfile::tempdir().unwrap();
    let diagram = dir.path().join("orders.dot");
    std::fs::copy(root().join("diagrams/serverless-orders.dot"), &diagram).unwrap();
    let diagram = diagram.to_str().unwrap();
    let first: Value = serde_json::from_slice(&analyze(&[diagram, "--format", "json"])).unwrap();
    let open = common::pairs(&first).into_iter().find(|p| p["status"] == "open").unwrap();
    std::fs::write(
        dir.path().join("dfd-threats.toml"),
        format!(
            "[[suppression]]\nid = \"{}\"\nstatus = \"false_positive\"\njustification = \"j\"\nexpires = 2027-01-31\nticket = \"SEC-9\"\n",
            open["id"].as_str().unwrap()
        ),
    )
    .unwrap();
    // The baseline lacks one pair, so the report has new, unchanged and fixed entries.
    let mut baseline = first.clone();
    baseline["findings"][0]["targets"].as_array_mut().unwrap().remove(0);
    baseline["findings"][1]["targets"][0]["id"] = json!("T-0000000000");
    let path = dir.path().join("baseline.json");
    std::fs::write(&path, serde_json::to_string(&baseline).unwrap()).unwrap();
    let doc: Value = serde_json::from_slice(&analyze(&[
        diagram,
        "--format",
        "json",
        "--baseline",
        path.to_str().unwrap(),
    ]))
    .unwrap();
    let pairs = common::pairs(&doc);
    assert!(pairs.iter().any(|p| p["suppression"]["ticket"] == "SEC-9"));
    assert!(pairs.iter().any(|p| p["baseline"] == "new"));
    assert_eq!(doc["baseline"]["fixed"][0]["id"], "T-0000000000");
    let errors = validator().errors(&doc);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_schema_rejects_what_the_contract_forbids() {
    let validator = validator();
    let doc: Value =
        serde_json::from_slice(&analyze(&["diagrams/three-tier-web.dot", "--format", "json"]))
            .unwrap();
    assert!(validator.is_valid(&doc));
    let broken = |path: &str, value: Value| {
        let mut bad = doc.clone();
        *bad.pointer_mut(path).unwrap() = value;
        assert!(!validator.is_valid(&bad), "{path} = {:?} must be rejected", bad.pointer(path));
    };
    broken("/schema_version", json!(1));
    broken("/findings/0/id", json!("T-0123456789"));
    broken("/findings/0/targets/0/id", json!("F-0123456789"));
    broken("/findings/0/targets", json!([]));
    broken("/findings/0/status", json!("ignored"));
    broken("/findings/0/targets/0/residual_risk", json!("severe"));
    broken("/rules/0/category", json!("sneaky"));
    let mut extra = doc.clone();
    extra["findings"][0]["surprise"] = json!(true);
    assert!(!validator.is_valid(&extra), "a field the schema does not list");
}

#[test]
fn the_schema_file_is_valid_json_schema() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/dfd-threats-report-v2.schema.json"),
    )
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    // Every keyword is one the tests check, every reference resolves, every pattern reads.
    Schema::new(schema.clone()).unwrap_or_else(|problem| panic!("{problem}"));
    assert_eq!(schema["properties"]["schema_version"]["const"], 2);
}
