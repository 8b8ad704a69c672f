//! Other tools' models through the binary: Threat Dragon (v1, v2), OTM (JSON, YAML), Microsoft
//! TMT (.tm7) and Threagile, from the fixtures in `tests/fixtures/models/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::common;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/models").join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dfd-threats")).args(args).output().unwrap()
}

/// The JSON report of one fixture, after checking the run succeeded.
fn report(name: &str) -> Value {
    let path = fixture(name);
    let o = run(&["analyze", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|x| x["id"] == id).unwrap_or_else(|| panic!("no {id}"))
}

fn kinds(diagram: &Value) -> Vec<(String, String)> {
    let elements = diagram["elements"].as_array().unwrap();
    elements
        .iter()
        .map(|e| {
            (e["label"].as_str().unwrap().to_string(), e["kind"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn threat_dragon_v2_elements_boundaries_flows_and_threats() {
    let doc = report("threat-dragon-v2.json");
    assert_eq!(doc["source"]["format"], "threat-dragon");
    let d = &doc["diagrams"][0];
    assert_eq!(d["name"], "Checkout");
    assert_eq!(
        kinds(d),
        [("Customer", "external_entity"), ("Web shop", "process"), ("Orders", "data_store")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // The box holds what is drawn inside it; the curve is a line boundary the first flow crosses.
    // What lies behind the line, away from the customer, is its zone: the box nests in it.
    assert_eq!(by_id(&d["elements"], "web")["boundary"], "zone");
    assert_eq!(by_id(&d["elements"], "customer")["boundary"], Value::Null);
    assert_eq!(by_id(&d["boundaries"], "line")["untrusted"], false);
    assert_eq!(by_id(&d["boundaries"], "zone")["parent"], "line");
    let order = by_id(&d["flows"], "customer->web");
    assert_eq!(order["attributes"]["protocol"], "https");
    assert_eq!(order["attributes"]["encrypted"], "true");
    assert_eq!(order["crosses"], serde_json::json!(["line", "zone"]));
    // Bidirectional: both ways. The half-loose flow f3 has one end on nothing: not read.
    let ids: Vec<&str> =
        d["flows"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["customer->web", "web->orders", "orders->web"]);
    assert_eq!(by_id(&d["elements"], "web")["attributes"]["classification"], "pci");
    let threats = d["recorded_threats"].as_array().unwrap();
    assert_eq!(threats.len(), 2);
    assert_eq!(threats[0]["title"], "Card data stolen");
    assert_eq!(threats[0]["target"], "web");
    assert_eq!(threats[1]["target"], "customer->web");
    assert_eq!(threats[1]["status"], "Mitigated");
    // Held against ours: the flow's tampering is one of ours (same flow, same STRIDE category).
    let ours = threats[1]["also_found_by"].as_array().unwrap();
    assert!(!ours.is_empty(), "{}", threats[1]);
    let target_ids: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["targets"].as_array().unwrap())
        .map(|t| &t["id"])
        .collect();
    assert!(ours.iter().all(|id| target_ids.contains(&id)), "ids of our threats");
    let comparison = &d["recorded_comparison"];
    assert_eq!(comparison["recorded"], 2);
    let counted = comparison["also_found"].as_u64().unwrap()
        + comparison["no_rule_of_ours"].as_u64().unwrap();
    assert_eq!(counted, 2);
    assert!(comparison["added_by_us"].as_u64().unwrap() > 0);
    // The text and Markdown reports say the same.
    let path = fixture("threat-dragon-v2.json");
    for format in ["text", "markdown"] {
        let o = run(&["analyze", path.to_str().unwrap(), "--format", format]);
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(out.contains("Order tampered"), "{format}: {out}");
        let heading =
            if format == "text" { "Recorded in the model (2)" } else { "recorded in the model" };
        assert!(out.contains(heading), "{format}: {out}");
    }
}

#[test]
fn threat_dragon_v1_reads_jointjs_cells() {
    let doc = report("threat-dragon-v1.json");
    let d = &doc["diagrams"][0];
    assert_eq!(d["name"], "Main");
    assert_eq!(kinds(d).len(), 3);
    assert_eq!(by_id(&d["elements"], "s")["attributes"]["classification"], "credentials");
    assert_eq!(by_id(&d["flows"], "a->p")["crosses"], serde_json::json!(["b"]));
    assert_eq!(d["recorded_threats"][0]["category"], "Denial of service");
}

#[test]
fn otm_json_nests_zones_and_groups_and_places_by_parent() {
    let doc = report("shop.otm");
    assert_eq!(doc["source"]["format"], "otm");
    let d = &doc["diagrams"][0];
    assert_eq!(by_id(&d["boundaries"], "internet")["untrusted"], true);
    let vpc = by_id(&d["boundaries"], "vpc");
    assert_eq!(vpc["parent"], "cloud");
    assert_eq!(by_id(&d["boundaries"], "cloud")["trust_reason"], "OTM trustRating 90");
    let api = by_id(&d["elements"], "api");
    assert_eq!(api["boundary"], "vpc");
    assert_eq!(api["attributes"]["classification"], "confidential");
    assert_eq!(by_id(&d["elements"], "db")["kind"], "data_store");
    assert_eq!(by_id(&d["elements"], "client")["kind"], "external_entity");
    assert_eq!(d["flows"].as_array().unwrap().len(), 3, "bidirectional df2 both ways, df3 dropped");
    let t = &d["recorded_threats"][0];
    assert_eq!(
        (t["title"].as_str(), t["target"].as_str()),
        (Some("Card data exposure"), Some("api"))
    );
    assert_eq!(t["mitigation"], "Tokenise cards (required)");
}

#[test]
fn otm_yaml_with_empty_lists_reads() {
    let d = &report("shop-otm.yaml")["diagrams"][0];
    assert_eq!(d["name"], "Shop OTM in YAML");
    assert_eq!(by_id(&d["elements"], "user")["kind"], "external_entity");
    assert_eq!(by_id(&d["flows"], "user->app")["crosses"], serde_json::json!(["internet", "back"]));
}

#[test]
fn tmt_stencils_connectors_boundaries_and_threat_instances() {
    let doc = report("shop.tm7");
    assert_eq!(doc["source"]["format"], "tmt");
    let d = &doc["diagrams"][0];
    assert_eq!(d["name"], "Shop diagram");
    assert_eq!(
        kinds(d),
        [("Customer & staff", "external_entity"), ("Shop", "process"), ("Orders DB", "data_store")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let border = "44444444-4444-4444-4444-444444444444";
    assert_eq!(by_id(&d["elements"], "22222222-2222-2222-2222-222222222222")["boundary"], border);
    let order = &d["flows"][0];
    assert_eq!(order["attributes"]["protocol"], "https");
    assert_eq!(order["attributes"]["encrypted"], "true");
    assert_eq!(order["crosses"].as_array().unwrap().len(), 2, "the border and the Internet line");
    let t = &d["recorded_threats"][0];
    assert_eq!(t["status"], "Mitigated");
    assert_eq!(t["target"], d["flows"][1]["id"]);
}

#[test]
fn threagile_assets_links_boundaries_and_risks() {
    let doc = report("threagile.yaml");
    assert_eq!(doc["source"]["format"], "threagile");
    let d = &doc["diagrams"][0];
    assert_eq!(by_id(&d["boundaries"], "db-net")["parent"], "cloud");
    let db = by_id(&d["elements"], "shop-db");
    assert_eq!(
        (db["kind"].as_str(), db["boundary"].as_str()),
        (Some("data_store"), Some("db-net"))
    );
    assert_eq!(db["attributes"]["classification"], "secret", "strictly-confidential data");
    assert_eq!(db["attributes"]["encryption"], "transparent");
    let link = by_id(&d["flows"], "webshop->shop-db");
    assert_eq!(link["attributes"]["encrypted"], "true", "jdbc-encrypted");
    assert_eq!(link["attributes"]["authenticated"], "true");
    assert_eq!(by_id(&d["elements"], "browser")["attributes"]["out_of_scope"], "true");
    let risks = d["recorded_threats"].as_array().unwrap();
    assert_eq!(risks[0]["title"], "Weak Passwords at Web Shop");
    assert_eq!(risks[0]["target"], "webshop");
    assert_eq!(risks[1]["status"], "mitigated");
    // Sensitive data raises impact: the risk model reads the mapped classification.
    let text = String::from_utf8(
        run(&["analyze", fixture("threagile.yaml").to_str().unwrap(), "--format", "json"]).stdout,
    )
    .unwrap();
    assert!(text.contains("sensitive data (secret)"), "impact raised for secret data");
}

/// Threagile's `internet: true` makes a process an entry point (not the client a person uses),
/// and nothing is raised on what `out_of_scope: true` takes out of the model.
#[test]
fn threagile_internet_assets_are_entry_points_and_out_of_scope_ones_get_no_threats() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("threagile.yaml");
    let model = "threagile_version: 1.0.0
title: Kiosk
technical_assets:
  Phone App:
    id: app
    type: process
    technology: mobile-app
    internet: true
    used_as_client_by_human: true
    communication_links:
      Calls:
        target: edge
        protocol: https
  Edge API:
    id: edge
    type: process
    technology: web-service-rest
    internet: true
    communication_links:
      Reads:
        target: legacy
        protocol: http
  Legacy Service:
    id: legacy
    type: process
    technology: web-service-rest
    out_of_scope: true
    justification_out_of_scope: Replaced next quarter
";
    std::fs::write(&path, model).unwrap();
    let out = run(&["analyze", path.to_str().unwrap(), "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["diagrams"][0];
    assert_eq!(d["entry_points"], serde_json::json!(["edge"]), "{}", d["entry_points"]);
    assert_eq!(
        by_id(&d["elements"], "edge")["entry_point"],
        "declared reachable from the Internet (internet=true)"
    );
    let on_target = |id: &str| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["targets"].as_array().unwrap().iter().any(|t| t["target"]["id"] == id))
    };
    assert!(on_target("edge"), "the entry point has threats");
    assert!(!on_target("legacy"), "none on what is out of scope");
    assert_eq!(d["flows"].as_array().unwrap().len(), 2, "it stays in the diagram");
}

#[test]
fn broken_models_exit_2_with_a_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str, &str); 5] = [
        (
            "td.json",
            "{\"summary\": {}, \"detail\": {\"diagrams\": [ {\"cells\": 3} ]}}",
            "td.json:1:",
        ),
        ("bad.otm", "{\n  \"otmVersion\": \"0.2.0\",\n  \"components\": {}\n}", "bad.otm:3:"),
        ("otm.yaml", "otmVersion: 0.2.0\ncomponents:\n  - id: a\n   name: b\n", "otm.yaml:4:"),
        (
            "threagile.yaml",
            "threagile_version: 1.0.0\ntechnical_assets: [1, 2]\n",
            "threagile.yaml:2:",
        ),
        ("m.tm7", "<ThreatModel>\n<DrawingSurfaceList>\n</Wrong>", "m.tm7:3:"),
    ];
    for (name, content, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let o = run(&["analyze", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(stderr.contains("help:"), "{name}: {stderr}");
    }
}

#[test]
fn folders_pick_up_models_by_content_and_skip_other_json_and_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for name in ["threat-dragon-v2.json", "shop.otm", "shop.tm7", "threagile.yaml"] {
        std::fs::copy(fixture(name), docs.join(name)).unwrap();
    }
    std::fs::write(docs.join("package.json"), "{\"name\": \"x\", \"detail\": \"diagrams\"}")
        .unwrap();
    std::fs::write(docs.join("mkdocs.yml"), "site_name: Docs\nnav:\n  - index.md\n").unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "analyze",
        docs.to_str().unwrap(),
        "--format",
        "json",
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let written = common::file_names(&out);
    assert_eq!(
        written,
        ["shop.otm.json", "shop.tm7.json", "threagile.yaml.json", "threat-dragon-v2.json.json"]
    );
    // A second run over a folder holding those reports does not take them for models.
    let again = run(&[
        "analyze",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));

    // A `.tm7` is TMT's own file name: a broken one is not skipped in silence but reported,
    // and the other inputs are still written.
    std::fs::write(docs.join("broken.tm7"), "not xml at all").unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    let broken = run(&[
        "analyze",
        docs.to_str().unwrap(),
        "--format",
        "json",
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert_eq!(broken.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("broken.tm7"), "{stderr}");
    assert!(out.join("shop.otm.json").exists(), "the other inputs are written");
}

#[test]
fn page_selects_a_diagram_of_a_model() {
    let path = fixture("threat-dragon-v2.json");
    let o = run(&["analyze", path.to_str().unwrap(), "--page", "Nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the diagrams are \"Checkout\""));
    let o = run(&["analyze", path.to_str().unwrap(), "--page", "Checkout", "--format", "svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = String::from_utf8(o.stdout).unwrap();
    assert!(svg.contains("Web shop") && svg.contains("Private cloud"));
}

#[test]
fn hostile_models_end_in_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut laughs = String::from(
        "otmVersion: 0.2.0\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 0..9 {
        let prev = if i == 0 { "a".to_string() } else { format!("b{}", i - 1) };
        let refs = vec![format!("*{prev}"); 10].join(", ");
        laughs.push_str(&format!("b{i}: &b{i} [{refs}]\n"));
    }
    let deep_json =
        format!("{{\"detail\": {{\"diagrams\": {}{}}}}}", "[".repeat(100_000), "]".repeat(100_000));
    let entity_bomb = concat!(
        "<?xml version=\"1.0\"?><!DOCTYPE ThreatModel [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>",
        "<ThreatModel><DrawingSurfaceList><DrawingSurfaceModel><Borders></Borders><Lines></Lines>",
        "<Header>&b;&b;&b;</Header></DrawingSurfaceModel></DrawingSurfaceList></ThreatModel>"
    );
    let many: String =
        (0..50).map(|i| format!("  A{i}:\n    id: a{i}\n    type: process\n")).collect::<String>();
    let many = format!("threagile_version: 1.0.0\ntechnical_assets:\n{many}");
    let cases: [(&str, String, &[&str], &str); 4] = [
        ("laughs.otm", laughs, &[], "aliases are expanded"),
        ("deep.json", deep_json, &[], "deep.json:1:"),
        ("many.yaml", many, &["--max-elements", "10"], "more than 10 elements"),
        ("bomb.tm7", entity_bomb.to_string(), &[], ""),
    ];
    for (name, content, flags, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let mut args = vec!["analyze", path.to_str().unwrap(), "--format", "json"];
        args.extend_from_slice(flags);
        let started = std::time::Instant::now();
        let o = run(&args);
        // A hang guard, not a performance figure: far above any finite run on a loaded machine.
        assert!(started.elapsed().as_secs() < 120, "{name} took {:?}", started.elapsed());
        let stderr = String::from_utf8_lossy(&o.stderr);
        if name == "bomb.tm7" {
            // The entity is never expanded: the header keeps the reference as text.
            assert_eq!(o.status.code(), Some(0), "{stderr}");
            let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(doc["diagrams"][0]["name"], "&b;&b;&b;");
            continue;
        }
        assert_eq!(o.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
}

/// A zone or element a model leaves unnamed gets a made-up name with its id in every report,
/// whatever the reader: a crossing never lists an empty zone.
#[test]
fn unnamed_zones_and_elements_of_any_reader_get_names() {
    let text = std::fs::read_to_string(fixture("threat-dragon-v2.json"))
        .unwrap()
        .replace("Private cloud", "")
        .replace("Internet boundary", "");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unnamed.json");
    std::fs::write(&path, text).unwrap();
    let o = run(&["analyze", path.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(report.contains("Zone (id zone)"), "{report}");
    assert!(!report.lines().any(|l| l.trim_end().ends_with("crosses")), "{report}");
}
