//! Two fixtures and one reviewed snapshot per rule family (`catalog/<family>.toml`):
//! - `tests/fixtures/rules/<family>.dot`: every rule of the family fires, is mitigated where the
//!   fixture declares its mitigation, and is left open elsewhere;
//! - `tests/fixtures/rules/<family>.not.dot`: the near misses where the family's rules must not
//!   fire. No rule of the family may raise a threat there, open or mitigated, except the pairs a
//!   `// allowed: RULE on TARGET` line names (context every such diagram needs, e.g. IDN-007 on the
//!   identity provider whose sign-in is the case); each allowed pair must fire, so the list cannot
//!   go stale.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use dfd_threats::import::ImportOptions;
use dfd_threats::pipeline;
use dfd_threats::threats::{Catalog, Status};

fn families(root: &Path) -> Vec<String> {
    let mut families: Vec<String> = std::fs::read_dir(root.join("catalog"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
        .collect();
    families.sort();
    assert!(!families.is_empty());
    families
}

#[test]
fn no_rule_fires_in_its_family_must_not_fire_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::builtin().unwrap();
    let mut problems = Vec::new();
    for family in families(root) {
        let fixture = format!("tests/fixtures/rules/{family}.not.dot");
        let text = std::fs::read_to_string(root.join(&fixture))
            .unwrap_or_else(|_| panic!("{fixture} is missing"));
        let allowed: Vec<(String, String)> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("// allowed:"))
            .map(|rest| {
                let (rule, target) = rest
                    .split_once(" on ")
                    .unwrap_or_else(|| panic!("{fixture}: `// allowed: RULE on TARGET`"));
                (rule.trim().to_string(), target.trim().to_string())
            })
            .collect();
        let analysed =
            pipeline::run(&fixture, text.as_bytes(), &ImportOptions::default(), &catalog).unwrap();
        assert!(
            analysed.document.diagrams.iter().map(|d| d.flow_count()).sum::<usize>() > 0,
            "{fixture} has no flows: it would test nothing"
        );
        let file = format!("catalog/{family}.toml");
        let mut seen_allowed = vec![false; allowed.len()];
        for t in analysed.threats.iter().filter(|t| t.rule.file == file) {
            match allowed.iter().position(|(r, g)| *r == t.rule.id && *g == t.target_id) {
                Some(i) => seen_allowed[i] = true,
                None => {
                    problems.push(format!("{} fires on {} in {fixture}", t.rule.id, t.target_id))
                }
            }
        }
        for ((rule, target), seen) in allowed.iter().zip(seen_allowed) {
            if !seen {
                problems
                    .push(format!("{rule} on {target} is allowed but does not fire in {fixture}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_family_has_a_fixture_where_each_rule_fires_and_is_mitigated() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::builtin().unwrap();
    let mut problems = Vec::new();
    for family in families(root) {
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
