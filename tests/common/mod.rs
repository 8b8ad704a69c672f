//! Helpers shared by the integration tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod pattern;
pub mod schema;

use std::path::Path;

use serde_json::Value;

/// The names of the files in `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every example diagram, sorted, as paths relative to the crate root.
pub fn examples() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(root.join("diagrams"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".md"))
        .map(|n| format!("diagrams/{n}"))
        .collect();
    files.sort();
    files
}

/// Each (finding, target) pair of a JSON report (schema_version 2) as one object, the way
/// schema_version 1 listed threats: the target's own fields, plus its finding's `rule`,
/// `diagram` and `finding` id, and its rule's `category` and `tags` from the `rules` table.
pub fn pairs(doc: &Value) -> Vec<Value> {
    assert_eq!(doc["schema_version"], 2, "a JSON report of schema_version 2");
    let rules = doc["rules"].as_array().unwrap();
    let mut out = Vec::new();
    for finding in doc["findings"].as_array().unwrap() {
        let rule = rules.iter().find(|r| r["id"] == finding["rule"]).unwrap();
        for target in finding["targets"].as_array().unwrap() {
            let mut pair = target.clone();
            let fields = pair.as_object_mut().unwrap();
            fields.insert("finding".into(), finding["id"].clone());
            fields.insert("rule".into(), finding["rule"].clone());
            fields.insert("diagram".into(), finding["diagram"].clone());
            fields.insert("category".into(), rule["category"].clone());
            fields.insert("tags".into(), rule["tags"].clone());
            out.push(pair);
        }
    }
    out
}

/// The threat ids of every pair, in report order.
pub fn pair_ids(doc: &Value) -> Vec<String> {
    pairs(doc).iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
}

/// The pair with threat id `id`.
pub fn pair(doc: &Value, id: &str) -> Value {
    pairs(doc).into_iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("no pair {id}"))
}
