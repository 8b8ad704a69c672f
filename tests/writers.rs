//! The model writers (`--format otm`, `--format threat-dragon`) through the binary: their output
//! against the published schemas in `../shared/schemas` (skipped when that folder is absent),
//! OTM read and written again keeps its ids, zones and flows, and a Threat Dragon model written
//! here and read back gives the same analysis.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::schema::Schema;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn analyze(args: &[&str]) -> Vec<u8> {
    let o = Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .current_dir(root())
        .arg("analyze")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

fn json(args: &[&str]) -> Value {
    serde_json::from_slice(&analyze(args)).unwrap()
}

/// A schema from `../shared/schemas`, as draft-07 (what both declare or assume), when present.
fn schema(name: &str) -> Option<Schema> {
    let path = root().join("../shared/schemas").join(name);
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("note: {} is absent; schema validation skipped", path.display());
        return None;
    };
    let schema: Value = serde_json::from_str(&text).unwrap();
    Some(Schema::new(schema).unwrap())
}

/// Every example diagram and every model fixture: inputs of every reader.
fn inputs() -> Vec<String> {
    let mut all = common::examples();
    let dir = root().join("tests/fixtures/models");
    let mut models: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| format!("tests/fixtures/models/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    models.sort();
    all.extend(models);
    all
}

#[test]
fn otm_output_validates_against_the_otm_schema() {
    let Some(validator) = schema("otm_schema.json") else { return };
    for input in inputs() {
        let doc = json(&[&input, "--format", "otm"]);
        let errors = validator.errors(&doc);
        assert!(errors.is_empty(), "{input}: {errors:#?}");
        assert!(!doc["components"].as_array().unwrap().is_empty(), "{input}");
    }
}

#[test]
fn threat_dragon_output_validates_against_the_v2_schema() {
    let Some(validator) = schema("threat-dragon-v2.schema.json") else { return };
    for input in inputs() {
        let doc = json(&[&input, "--format", "threat-dragon"]);
        let errors = validator.errors(&doc);
        assert!(errors.is_empty(), "{input}: {errors:#?}");
    }
}

fn ids(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .map(|a| a.iter().filter_map(|x| x["id"].as_str().map(String::from)).collect())
        .unwrap_or_default()
}

/// OTM read and written again: every trust zone, component and data flow keeps its id, a
/// component its zone, a flow its ends.
fn assert_otm_keeps_ids(input: &Path) {
    let original: Value = serde_json::from_slice(&std::fs::read(input).unwrap()).unwrap();
    let out = json(&[input.to_str().unwrap(), "--format", "otm"]);
    let name = input.display();
    let zones = ids(&out["trustZones"]);
    assert!(ids(&original["trustZones"]).is_subset(&zones), "{name}: zones {zones:?}");
    let written: BTreeSet<String> = zones.union(&ids(&out["components"])).cloned().collect();
    assert!(ids(&original["components"]).is_subset(&written), "{name}: components");
    let find = |list: &str, id: &str| -> Value {
        out[list].as_array().unwrap().iter().find(|x| x["id"] == id).cloned().unwrap()
    };
    for c in original["components"].as_array().unwrap() {
        if let Some(zone) = c["parent"]["trustZone"].as_str() {
            let id = c["id"].as_str().unwrap();
            if ids(&out["components"]).contains(id) {
                assert_eq!(find("components", id)["parent"]["trustZone"], zone, "{name}: {id}");
            }
        }
    }
    let flow_ends: BTreeSet<String> = ids(&out["components"]);
    for f in original["dataflows"].as_array().unwrap() {
        let both_read = [&f["source"], &f["destination"]]
            .iter()
            .all(|e| e.as_str().is_some_and(|e| flow_ends.contains(e)));
        if !both_read {
            continue;
        }
        let id = f["id"].as_str().unwrap();
        let written = find("dataflows", id);
        assert_eq!(written["source"], f["source"], "{name}: {id}");
        assert_eq!(written["destination"], f["destination"], "{name}: {id}");
    }
    // And read again, the model is the same.
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("again.otm.json");
    std::fs::write(&again, serde_json::to_vec_pretty(&out).unwrap()).unwrap();
    let first = json(&[input.to_str().unwrap(), "--format", "json"]);
    let second = json(&[again.to_str().unwrap(), "--format", "json"]);
    let elements = |doc: &Value| -> BTreeSet<String> {
        doc["diagrams"][0]["elements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| format!("{} {} {} in {}", e["id"], e["kind"], e["label"], e["boundary"]))
            .collect()
    };
    assert_eq!(elements(&first), elements(&second), "{name}");
    let flows = |doc: &Value| -> BTreeSet<String> {
        doc["diagrams"][0]["flows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {} {} {}", f["id"], f["from"], f["to"], f["label"]))
            .collect()
    };
    assert_eq!(flows(&first), flows(&second), "{name}");
}

#[test]
fn otm_in_otm_out_keeps_ids_zones_and_flows() {
    assert_otm_keeps_ids(&root().join("tests/fixtures/models/shop.otm"));
    let corpus = root().join("../shared/corpus/iriusrisk__OpenThreatModel/EXAMPLE.json");
    if corpus.exists() {
        assert_otm_keeps_ids(&corpus);
    } else {
        println!("note: {} is absent; skipped", corpus.display());
    }
}

/// What the analysis of each diagram says, in a form that does not depend on the order the
/// reader met things in: boundaries, elements, flows and findings with their targets.
fn analysis(doc: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for d in doc["diagrams"].as_array().unwrap() {
        let name = &d["name"];
        for b in d["boundaries"].as_array().unwrap() {
            out.insert(format!(
                "{name} boundary {} {} parent {} trust {} untrusted {} grouping {}",
                b["id"], b["label"], b["parent"], b["trust"], b["untrusted"], b["grouping"]
            ));
        }
        for e in d["elements"].as_array().unwrap() {
            out.insert(format!(
                "{name} element {} {} {} in {} tech {} {}",
                e["id"], e["kind"], e["label"], e["boundary"], e["technology"], e["attributes"]
            ));
        }
        for f in d["flows"].as_array().unwrap() {
            let crosses: BTreeSet<String> =
                f["crosses"].as_array().unwrap().iter().map(|c| c.to_string()).collect();
            out.insert(format!(
                "{name} flow {} {}->{} {} crosses {crosses:?} {} {}",
                f["id"], f["from"], f["to"], f["label"], f["direction"], f["attributes"]
            ));
        }
    }
    for f in doc["findings"].as_array().unwrap() {
        for t in f["targets"].as_array().unwrap() {
            out.insert(format!(
                "finding {} {} target {} {} {} {}",
                f["rule"],
                f["diagram"],
                t["target"]["id"],
                t["status"],
                t["severity"],
                t["residual_risk"]
            ));
        }
    }
    // Threat Dragon's schema wants ids of two characters or more: the writer makes `a` `cell-a`.
    out.into_iter().map(|line| line.replace("cell-", "")).collect()
}

/// The finding and threat ids of a report (hashes of the rule, diagram and target ids).
fn threat_ids(doc: &Value) -> BTreeSet<String> {
    common::pair_ids(doc).into_iter().chain(ids(&doc["findings"])).collect()
}

#[test]
fn a_threat_dragon_model_written_here_reads_back_as_the_same_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let mut compared = 0;
    for input in inputs() {
        let model = dir.path().join(format!("model-{compared}.json"));
        let o = analyze(&[&input, "--format", "threat-dragon", "-o", model.to_str().unwrap()]);
        assert!(o.is_empty());
        let (before, after) = (
            json(&[&input, "--format", "json"]),
            json(&[model.to_str().unwrap(), "--format", "json"]),
        );
        if input.starts_with("diagrams/") {
            assert_eq!(threat_ids(&before), threat_ids(&after), "{input}: the same threat ids");
        }
        let (first, second) = (analysis(&before), analysis(&after));
        let lost: Vec<&String> = first.difference(&second).collect();
        let gained: Vec<&String> = second.difference(&first).collect();
        assert!(
            lost.is_empty() && gained.is_empty(),
            "{input}: lost {lost:#?}\ngained {gained:#?}"
        );
        compared += 1;
    }
    assert!(compared >= 8, "{compared}");
}

#[test]
fn the_threats_of_a_cell_are_its_findings() {
    let doc = json(&["diagrams/three-tier-web.dot", "--format", "threat-dragon"]);
    let report = json(&["diagrams/three-tier-web.dot", "--format", "json"]);
    let cells = doc["detail"]["diagrams"][0]["cells"].as_array().unwrap();
    let threats: Vec<&Value> =
        cells.iter().flat_map(|c| c["data"]["threats"].as_array().into_iter().flatten()).collect();
    assert_eq!(threats.len(), common::pairs(&report).len());
    assert_eq!(doc["detail"]["threatTop"], threats.len());
    let statuses: BTreeSet<&str> = threats.iter().map(|t| t["status"].as_str().unwrap()).collect();
    assert!(statuses.contains("Open") && statuses.contains("Mitigated"), "{statuses:?}");
    let db = cells.iter().find(|c| c["id"] == "D1").unwrap();
    assert_eq!(db["shape"], "store");
    assert!(db["position"]["x"].is_number() && db["size"]["width"].as_f64().unwrap() >= 10.0);
    assert_eq!(db["data"]["dfdThreatsAttributes"]["classification"], "pii");
    let flow = cells.iter().find(|c| c["id"] == "E1->P1").unwrap();
    assert_eq!(
        (&flow["source"]["cell"], &flow["data"]["protocol"]),
        (&"E1".into(), &"https".into())
    );
}

#[test]
fn otm_carries_findings_as_threats_with_instances_and_mitigations() {
    let doc = json(&["diagrams/three-tier-web.dot", "--format", "otm"]);
    let report = json(&["diagrams/three-tier-web.dot", "--format", "json"]);
    assert_eq!(ids(&doc["threats"]), ids(&report["findings"]));
    let instances: usize = ["components", "dataflows"]
        .iter()
        .flat_map(|list| doc[*list].as_array().unwrap())
        .map(|x| x["threats"].as_array().unwrap().len())
        .sum();
    assert_eq!(instances, common::pairs(&report).len());
    let states: BTreeSet<&str> = ["components", "dataflows"]
        .iter()
        .flat_map(|list| doc[*list].as_array().unwrap())
        .flat_map(|x| x["threats"].as_array().unwrap())
        .map(|i| i["state"].as_str().unwrap())
        .collect();
    assert!(states.contains("exposed") && states.contains("mitigated"), "{states:?}");
    let mitigations = ids(&doc["mitigations"]);
    let implemented = ["components", "dataflows"]
        .iter()
        .flat_map(|list| doc[*list].as_array().unwrap())
        .flat_map(|x| x["threats"].as_array().unwrap())
        .flat_map(|i| i["mitigations"].as_array().unwrap())
        .inspect(|m| assert!(mitigations.contains(m["mitigation"].as_str().unwrap())))
        .filter(|m| m["state"] == "implemented")
        .count();
    assert!(implemented > 0);
    // The zones keep the input's trust: the internal network is trusted more than the DMZ.
    let rating = |id: &str| {
        doc["trustZones"].as_array().unwrap().iter().find(|z| z["id"] == id).unwrap()["risk"]
            ["trustRating"]
            .as_f64()
            .unwrap()
    };
    assert!(rating("cluster_internet") < rating("cluster_dmz"));
    assert!(rating("cluster_dmz") < rating("cluster_internal"));
    let web = doc["components"].as_array().unwrap().iter().find(|c| c["id"] == "P2").unwrap();
    assert_eq!(web["parent"]["trustZone"], "cluster_dmz");
    assert_eq!(web["representations"][0]["representation"], "diagram");
}
