//! A reviewed golden output for every diagram in `diagrams/` (under `snapshots/`; review changes
//! with `cargo insta review`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

/// Every example diagram, sorted, as paths relative to the crate root.
fn examples() -> Vec<String> {
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
    let files = examples();
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
