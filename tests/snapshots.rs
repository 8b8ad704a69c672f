//! A reviewed golden output for every diagram in `diagrams/` (under `snapshots/`; review changes
//! with `cargo insta review`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use crate::common;

fn analyze(file: &str, format: &str) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["analyze", file, "--format", format])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{file}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn every_example_has_a_reviewed_json_snapshot() {
    let files = common::examples();
    assert!(files.len() >= 2);
    for file in files {
        let name = file.trim_start_matches("diagrams/").to_string();
        let json = analyze(&file, "json");
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("dfd-threats analyze {file} --format json"),
        }, {
            insta::assert_snapshot!(format!("{name}.json"), json);
        });
    }
}

/// One example per model writer (OTM, Threat Dragon): what another tool is given.
#[test]
fn the_model_writers_have_reviewed_snapshots() {
    let file = "diagrams/three-tier-web.dot";
    for format in ["otm", "threat-dragon"] {
        let text = analyze(file, format);
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("dfd-threats analyze {file} --format {format}"),
        }, {
            insta::assert_snapshot!(format!("three-tier-web.dot.{format}.json"), text);
        });
    }
}
