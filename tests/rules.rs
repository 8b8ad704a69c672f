//! One fixture and one reviewed snapshot per rule family (`catalog/<family>.toml` ↔
//! `tests/fixtures/rules/<family>.dot`): every rule of the family fires in its fixture, and is
//! mitigated where the fixture declares its mitigation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use dfd_threats::import::ImportOptions;
use dfd_threats::pipeline;
use dfd_threats::threats::{Catalog, Status};

#[test]
fn every_rule_family_has_a_fixture_where_each_rule_fires_and_is_mitigated() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::builtin().unwrap();
    let mut families: Vec<String> = std::fs::read_dir(root.join("catalog"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
        .collect();
    families.sort();
    assert!(!families.is_empty());
    let mut problems = Vec::new();
    for family in families {
        let fixture = format!("tests/fixtures/rules/{family}.dot");
        let bytes =
            std::fs::read(root.join(&fixture)).unwrap_or_else(|_| panic!("{fixture} is missing"));
        let analysed =
            pipeline::run(&fixture, &bytes, &ImportOptions::default(), &catalog).unwrap();
        let rules: Vec<_> =
            catalog.rules().filter(|r| r.file == format!("catalog/{family}.toml")).collect();
        let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut listing = String::new();
        for t in &analysed.threats {
            if !rules.iter().any(|r| r.id == t.rule.id) {
                continue;
            }
            let entry = seen.entry(t.rule.id.as_str()).or_default();
            entry.0 += 1;
            if t.status == Status::Mitigated {
                entry.1 += 1;
            }
            let _ = writeln!(
                listing,
                "{:<10} {:<40} {:<9} {:<8} residual {}",
                t.rule.id,
                t.target_id,
                t.status.name(),
                t.severity.name(),
                t.residual_risk.name()
            );
        }
        for r in &rules {
            let (fired, mitigated) = seen.get(r.id.as_str()).copied().unwrap_or_default();
            if fired == 0 {
                problems.push(format!("{} never fires in {fixture}", r.id));
            } else if !r.mitigations.is_empty() && mitigated == 0 {
                problems.push(format!("{} is never mitigated in {fixture}", r.id));
            } else if !r.mitigations.is_empty() && mitigated == fired {
                problems.push(format!("{} is never left open in {fixture}", r.id));
            }
        }
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("threats of the {family} rules on {fixture}"),
        }, {
            insta::assert_snapshot!(format!("rules-{family}"), listing);
        });
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
