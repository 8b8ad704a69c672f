//! What CI jobs, ticket systems and docs builds rely on, through the binary: stable ids, every
//! export format, baselines, the gate, suppressions and batch mode.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::common;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dfd-threats"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env("DFD_THREATS_TODAY", "2026-11-26");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json_of(path: &Path) -> Value {
    let o = run(&["analyze", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The threat ids of the (finding, target) pairs.
fn ids(doc: &Value) -> BTreeSet<String> {
    common::pair_ids(doc).into_iter().collect()
}

/// The finding ids.
fn finding_ids(doc: &Value) -> BTreeSet<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

const SERVERLESS: &str = "diagrams/serverless-orders.dot";

// --- Stable ids -------------------------------------------------------------------------------

#[test]
fn ids_survive_reordering_relabelling_moving_and_unrelated_additions() {
    let original = std::fs::read_to_string(root().join(SERVERLESS)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let base_doc = json_of(&root().join(SERVERLESS));
    let base = ids(&base_doc);
    let base_findings = finding_ids(&base_doc);

    // Reorder the flow statements (reverse their order).
    let (head, flows): (Vec<&str>, Vec<&str>) = {
        let lines: Vec<&str> = original.lines().collect();
        let is_flow = |l: &&str| l.contains(" -> ");
        (
            lines.iter().copied().filter(|l| !is_flow(l)).collect(),
            lines.iter().copied().filter(is_flow).collect(),
        )
    };
    let close = head.iter().rposition(|l| l.trim() == "}").unwrap();
    let mut reordered: Vec<&str> = head[..close].to_vec();
    reordered.extend(flows.iter().rev());
    reordered.extend(&head[close..]);
    // Relabel and "move" (layout attributes) elements.
    let relabelled = original
        .replace("label = \"Customer\\n(browser)\"", "label = \"Shopper\", pos = \"10,20!\"")
        .replace("label = \"Orders table\\n(DynamoDB)\"", "label = \"Orders (DynamoDB)\"");
    // Add an unrelated external actor and flow.
    let added = original.replacen(
        "    customer -> api_gateway",
        "    partner [label = \"Partner\", kind = external];\n    partner -> api_gateway [label = \"bulk import\"];\n    customer -> api_gateway",
        1,
    );
    for (name, text) in
        [("reordered", reordered.join("\n")), ("relabelled", relabelled), ("added", added)]
    {
        let path = dir.path().join(format!("{name}.dot"));
        std::fs::write(&path, &text).unwrap();
        let doc = json_of(&path);
        let now = ids(&doc);
        let lost: Vec<_> = base.difference(&now).collect();
        assert!(lost.is_empty(), "{name}: ids changed: {lost:?}");
        // Finding ids do not depend on the targets: a new target joins a finding, or makes one.
        let findings_now = finding_ids(&doc);
        let lost: Vec<_> = base_findings.difference(&findings_now).collect();
        assert!(lost.is_empty(), "{name}: finding ids changed: {lost:?}");
        if name == "added" {
            assert!(now.len() > base.len(), "the new actor and flow add threats");
            let grown = doc["findings"].as_array().unwrap().iter().any(|f| {
                base_findings.contains(f["id"].as_str().unwrap())
                    && f["targets"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|t| !base.contains(t["id"].as_str().unwrap()))
            });
            assert!(grown, "a new target joins an existing finding, whose id stays");
        } else {
            assert_eq!((now, findings_now), (base.clone(), base_findings.clone()), "{name}");
        }
    }
}

#[test]
fn ids_are_the_same_for_plain_and_compressed_drawio() {
    // The compressed example, and a plain copy made by decompressing its page.
    let compressed = root().join("diagrams/serverless-orders.drawio");
    let text = std::fs::read_to_string(&compressed).unwrap();
    let start = text.find("<diagram").unwrap();
    let body_start = start + text[start..].find('>').unwrap() + 1;
    let body_end = text.find("</diagram>").unwrap();
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(text[body_start..body_end].trim())
        .unwrap();
    let mut inflated = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::DeflateDecoder::new(raw.as_slice()),
        &mut inflated,
    )
    .unwrap();
    let xml = percent_encoding::percent_decode_str(&inflated).decode_utf8().unwrap();
    let plain = format!("{}{}{}", &text[..body_start], xml, &text[body_end..]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.drawio");
    std::fs::write(&path, plain).unwrap();
    assert_eq!(ids(&json_of(&path)), ids(&json_of(&compressed)));
}

// --- Formats ----------------------------------------------------------------------------------

#[test]
fn sarif_output_has_rules_results_and_fingerprints() {
    let o = run(&["analyze", SERVERLESS, "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sarif: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    // One rule descriptor per rule and severity that a result reaches.
    assert!(run["tool"]["driver"]["rules"].as_array().unwrap().len() >= 20);
    let result = &run["results"][0];
    assert!(result["partialFingerprints"]["dfdThreatId/v1"].as_str().unwrap().starts_with("T-"));
    assert!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap() > 1
    );
}

#[test]
fn jira_csv_has_the_import_columns_and_neutralises_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evil.dot");
    std::fs::write(&path, "digraph evil { u [label=\"=HYPERLINK(1)\", kind=external]; api [label=\"@SUM(A1)\"]; u -> api [label=\"+x\"] }").unwrap();
    let o = run(&["analyze", path.to_str().unwrap(), "--format", "jira-csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = String::from_utf8(o.stdout).unwrap();
    let header = csv.lines().next().unwrap();
    for column in ["Summary", "Description", "Priority", "Labels", "Finding ID"] {
        assert!(header.contains(column), "{header}");
    }
    for line in csv.lines().skip(1) {
        for cell in line.split("\",\"") {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '-', '@']), "formula cell: {cell}");
        }
    }
}

#[test]
fn github_issues_are_json_lines_with_a_hidden_marker() {
    let o = run(&["analyze", SERVERLESS, "--format", "github-issues"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let (to_file, to_close): (Vec<&Value>, Vec<&Value>) =
        lines.iter().partition(|l| l["state"] == "open");
    for issue in &to_file {
        let id = issue["id"].as_str().unwrap();
        assert!(issue["body"]
            .as_str()
            .unwrap()
            .contains(&format!("<!-- dfd-threats-id: {id} -->")));
        assert!(issue["labels"].as_array().unwrap().iter().any(|l| l == "threat-model"));
    }
    let doc = json_of(&root().join(SERVERLESS));
    let with_status = |open: bool| -> Vec<String> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| (f["status"] == "open") == open)
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    let ids = |v: &[&Value]| -> Vec<String> {
        v.iter().map(|l| l["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(&to_file), with_status(true), "one issue per open finding, in rank order");
    assert_eq!(ids(&to_close), with_status(false), "every other finding is a line to close");
    assert!(to_close.iter().all(|l| l["reason"] == "mitigated" || l["reason"] == "accepted"));

    // Declaring the controls of an open finding moves it: its old id is no longer in the
    // output (the sync loop closes that issue), and no new issue is filed for it.
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.dot");
    let fixed = std::fs::read_to_string(root().join(SERVERLESS))
        .unwrap()
        .replace("payment_provider -> payment_webhook [label = \"payment callback\", protocol = HTTPS]",
                 "payment_provider -> payment_webhook [label = \"payment callback\", protocol = HTTPS, signed = true]");
    std::fs::write(&model, fixed).unwrap();
    let o = run(&["analyze", model.to_str().unwrap(), "--format", "github-issues"]);
    let after: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let webhook =
        to_file.iter().find(|l| l["title"].as_str().unwrap().contains("signature")).unwrap();
    assert!(after.iter().all(|l| l["id"] != webhook["id"]), "the old finding id is gone");
    assert!(after.iter().any(|l| l["state"] == "closed"
        && l["reason"] == "mitigated"
        && !with_status(false).contains(&l["id"].as_str().unwrap().to_string())));
}

#[test]
fn catalog_labels_lists_every_label_an_issue_carries() {
    let o = run(&["catalog", "labels"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut known = BTreeSet::new();
    for line in String::from_utf8(o.stdout).unwrap().lines() {
        let label: Value = serde_json::from_str(line).unwrap();
        let color = label["color"].as_str().unwrap();
        assert!(color.len() == 6 && color.chars().all(|c| c.is_ascii_hexdigit()), "{line}");
        assert!(!label["description"].as_str().unwrap().is_empty());
        assert!(known.insert(label["name"].as_str().unwrap().to_string()), "once: {line}");
    }
    for example in ["diagrams/serverless-orders.dot", "diagrams/three-tier-web.drawio"] {
        let o = run(&["analyze", example, "--format", "github-issues"]);
        for line in String::from_utf8(o.stdout).unwrap().lines() {
            let issue: Value = serde_json::from_str(line).unwrap();
            for label in issue["labels"].as_array().into_iter().flatten() {
                assert!(known.contains(label.as_str().unwrap()), "{label} has no gh label");
            }
        }
    }
}

#[test]
fn markdown_report_has_the_four_steps_and_no_raw_html() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.dot");
    std::fs::write(&path, "digraph x { u [label=\"<img src=x onerror=alert(1)>\", kind=external]; a [label=\"App\"]; u -> a }").unwrap();
    let o = run(&["analyze", path.to_str().unwrap(), "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(!md.contains("<img"), "{md}");
    let o = run(&["analyze", SERVERLESS, "--format", "markdown"]);
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(md.contains("serverless-orders.svg"), "links the SVG");
    assert!(md.to_lowercase().contains("residual risk"));
}

// --- Baseline and gate ------------------------------------------------------------------------

#[test]
fn a_diagram_against_its_own_baseline_has_nothing_new_and_passes_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let o = run(&["analyze", SERVERLESS, "--format", "json", "-o", baseline.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let o = run(&[
        "analyze",
        SERVERLESS,
        "--format",
        "json",
        "--baseline",
        baseline.to_str().unwrap(),
        "--fail-on",
        "low",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(common::pairs(&doc).iter().all(|t| t["baseline"] == "unchanged"));
    assert_eq!(doc["baseline"]["fixed"].as_array().unwrap().len(), 0);
}

#[test]
fn a_baseline_of_schema_version_1_is_compared_pair_by_pair() {
    // A version 1 report: one `threats` entry per pair, with the rule and diagram on each.
    let doc = json_of(&root().join(SERVERLESS));
    let mut threats = common::pairs(&doc);
    let reopened = threats.iter().position(|t| t["status"] == "open").unwrap();
    threats[reopened]["status"] = "mitigated".into();
    let gone = threats.remove(reopened + 1);
    threats.push(serde_json::json!({"id": "T-0000000000", "rule": "R", "diagram": "d",
                                    "title": "gone", "target": {"id": "x"}, "status": "open"}));
    let v1 = serde_json::json!({"schema_version": 1, "threats": threats});
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("v1.json");
    std::fs::write(&baseline, v1.to_string()).unwrap();
    let o = run(&["analyze", SERVERLESS, "-f", "json", "--baseline", baseline.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let now: Value = serde_json::from_slice(&o.stdout).unwrap();
    let novelty = |id: &Value| common::pair(&now, id.as_str().unwrap())["baseline"].clone();
    assert_eq!(novelty(&threats[reopened]["id"]), "reopened");
    assert_eq!(novelty(&gone["id"]), "new");
    assert_eq!(now["baseline"]["unchanged"].as_u64().unwrap() as usize, threats.len() - 2);
    assert_eq!(now["baseline"]["fixed"][0]["id"], "T-0000000000");
}

#[test]
fn adding_an_actor_yields_new_threats_only_for_what_was_added() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    run(&["analyze", SERVERLESS, "--format", "json", "-o", baseline.to_str().unwrap()]);
    let text = std::fs::read_to_string(root().join(SERVERLESS)).unwrap().replacen(
        "    customer -> api_gateway",
        "    auditor [label = \"External auditor\", kind = external];\n    auditor -> orders_table [label = \"export\"];\n    customer -> api_gateway",
        1,
    );
    let changed = dir.path().join("changed.dot");
    std::fs::write(&changed, text).unwrap();
    let o = run(&[
        "analyze",
        changed.to_str().unwrap(),
        "--format",
        "json",
        "--baseline",
        baseline.to_str().unwrap(),
        "--fail-on",
        "high",
    ]);
    assert_eq!(o.status.code(), Some(1), "new high threats fail the gate: {}", stderr(&o));
    assert!(stderr(&o).contains("gate failed"));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    for t in &common::pairs(&doc) {
        let target = t["target"]["id"].as_str().unwrap();
        let about_new = target == "auditor" || target.starts_with("auditor->");
        // Adding a flow into a store can also change what fires on the store itself.
        let on_touched_store = target == "orders_table";
        if t["baseline"] == "new" {
            assert!(about_new || on_touched_store, "unexpected new threat on {target}");
        } else {
            assert!(!about_new);
        }
    }
    assert!(common::pairs(&doc).iter().any(|t| t["baseline"] == "new"));
}

#[test]
fn gate_counts_open_threats_at_or_above_the_level() {
    let o = run(&["analyze", SERVERLESS, "--format", "json", "--fail-on", "critical"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run(&[
        "analyze",
        SERVERLESS,
        "--format",
        "json",
        "--fail-on",
        "low",
        "--rules",
        "supply-chain",
        "--exclude-rules",
        "supply-chain",
    ]);
    assert_eq!(o.status.code(), Some(0), "no rules, no threats: {}", stderr(&o));
    let o = run(&["analyze", SERVERLESS, "--fail-on", "severe"]);
    assert_eq!(o.status.code(), Some(2), "bad level is a usage error");
}

// --- Suppressions -----------------------------------------------------------------------------

#[test]
fn suppressions_accept_expire_and_warn_when_stale() {
    let doc = json_of(&root().join(SERVERLESS));
    let threat = common::pairs(&doc).into_iter().find(|t| t["status"] == "open").unwrap();
    let id = threat["id"].as_str().unwrap();
    let (rule, target) =
        (threat["rule"].as_str().unwrap(), threat["target"]["id"].as_str().unwrap());
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(SERVERLESS), dir.path().join("orders.dot")).unwrap();
    std::fs::write(
        dir.path().join("dfd-threats.toml"),
        format!(
            r#"
[[suppression]]
id = "{id}"
status = "accepted"
justification = "Known and accepted for the pilot"
expires = 2027-06-30
ticket = "SEC-1"

[[suppression]]
rule = "{rule}"
target = "{target}"
status = "false_positive"
justification = "shadowed by the entry above"

[[suppression]]
id = "T-0000000000"
status = "mitigated"
justification = "old"
"#
        ),
    )
    .unwrap();
    let path = dir.path().join("orders.dot");
    let o = run(&["analyze", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let t = common::pair(&doc, id);
    assert_eq!(t["status"], "accepted");
    assert_eq!(t["suppression"]["ticket"], "SEC-1");
    assert!(stderr(&o).contains("T-0000000000"), "stale entry warned: {}", stderr(&o));

    // After the expiry date the threat is open again, with a warning.
    let o = bin()
        .args(["analyze", path.to_str().unwrap(), "--format", "json"])
        .env("DFD_THREATS_TODAY", "2027-07-01")
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let t = common::pair(&doc, id);
    assert_eq!(t["status"], "open");
    assert!(stderr(&o).contains("expired"), "{}", stderr(&o));

    std::fs::write(
        dir.path().join("bad.toml"),
        "[[suppression]]\nid = \"x\"\nstatus = \"maybe\"\njustification = \"j\"\n",
    )
    .unwrap();
    let o = run(&[
        "analyze",
        path.to_str().unwrap(),
        "--suppressions",
        dir.path().join("bad.toml").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.toml:1:"), "{}", stderr(&o));
}

#[test]
fn a_suppression_naming_a_finding_accepts_all_its_targets() {
    let doc = json_of(&root().join(SERVERLESS));
    let finding = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["status"] == "open" && f["targets"].as_array().unwrap().len() > 1)
        .unwrap();
    let id = finding["id"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(SERVERLESS), dir.path().join("orders.dot")).unwrap();
    std::fs::write(
        dir.path().join("dfd-threats.toml"),
        format!("[[suppression]]\nid = \"{id}\"\nstatus = \"accepted\"\njustification = \"one role, reviewed\"\n"),
    )
    .unwrap();
    let path = dir.path().join("orders.dot");
    let now = json_of(&path);
    let after = now["findings"].as_array().unwrap().iter().find(|f| f["id"] == id).unwrap();
    assert_eq!(after["status"], "accepted");
    assert_eq!(
        after["targets"].as_array().unwrap().len(),
        finding["targets"].as_array().unwrap().len()
    );
    for t in after["targets"].as_array().unwrap() {
        assert_eq!(t["status"], "accepted");
        assert_eq!(t["suppression"]["justification"], "one role, reviewed");
    }
    let accepted = common::pairs(&now).iter().filter(|p| p["status"] == "accepted").count();
    assert_eq!(accepted, after["targets"].as_array().unwrap().len(), "no other threat");
}

// --- Batch and docs mode ----------------------------------------------------------------------

/// Every file under `dir`, by path relative to it, with its bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn docs_builds_do_not_depend_on_how_the_folder_is_spelled() {
    let out = tempfile::tempdir().unwrap();
    let absolute = root().join("diagrams");
    let mut trees = Vec::new();
    for (i, spelled) in ["diagrams/", "./diagrams", absolute.to_str().unwrap()].iter().enumerate() {
        let dir = out.path().join(i.to_string());
        let o = run(&[
            "analyze",
            spelled,
            "--out-dir",
            dir.to_str().unwrap(),
            "-f",
            "json,markdown,sarif,svg",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stderr(&o).trim(), "wrote 16 files for 4 diagrams, 0 unchanged");
        trees.push(tree(&dir));
    }
    assert!(trees.windows(2).all(|w| w[0] == w[1]), "the same files, byte for byte");
    let names: Vec<&String> = trees[0].keys().collect();
    for name in [
        "serverless-orders.dot.json",
        "serverless-orders.drawio.md",
        "three-tier-web.dot.sarif",
        "three-tier-web.drawio.svg",
    ] {
        assert!(names.iter().any(|n| *n == name), "{name} missing: {names:?}");
    }
    let json: Value = serde_json::from_slice(&trees[0]["three-tier-web.dot.json"]).unwrap();
    assert_eq!(json["source"]["path"], "diagrams/three-tier-web.dot");
}

#[test]
fn a_second_input_with_the_same_stem_renames_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(root().join(SERVERLESS), input.join("orders.dot")).unwrap();
    let out = dir.path().join("out");
    let args =
        ["analyze", input.to_str().unwrap(), "--out-dir", out.to_str().unwrap(), "-f", "json"];
    assert_eq!(run(&args).status.code(), Some(0));
    let before = std::fs::read(out.join("orders.dot.json")).unwrap();
    std::fs::copy(root().join("diagrams/serverless-orders.drawio"), input.join("orders.drawio"))
        .unwrap();
    let o = run(&args);
    assert_eq!(stderr(&o).trim(), "wrote 1 file for 2 diagrams, 1 unchanged");
    assert_eq!(std::fs::read(out.join("orders.dot.json")).unwrap(), before);
    assert!(out.join("orders.drawio.json").is_file());
}

#[test]
fn check_lists_stale_missing_and_orphaned_files_and_prune_removes_orphans() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    let args = ["analyze", "diagrams", "--out-dir", out_dir, "--format", "json,markdown,sarif"];
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let check = [&args[..], &["--check"]].concat();
    let o = run(&check);
    assert_eq!(o.status.code(), Some(0), "fresh outputs pass --check: {}", stderr(&o));

    let path = |name: &str| out.path().join(name);
    std::fs::write(path("three-tier-web.dot.json"), "{}").unwrap();
    std::fs::remove_file(path("serverless-orders.dot.md")).unwrap();
    // An input since removed left its outputs; a file of ours by name but not by content, and
    // a file of another format, are not ours to judge.
    std::fs::copy(path("serverless-orders.drawio.json"), path("gone.dot.json")).unwrap();
    std::fs::write(path("notes.md"), "# Our notes\n").unwrap();
    std::fs::write(path("picture.svg"), "<svg/>").unwrap();
    let before = tree(out.path());
    let o = run(&check);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("stale: ") && err.contains("three-tier-web.dot.json"), "{err}");
    assert!(err.contains("missing: ") && err.contains("serverless-orders.dot.md"), "{err}");
    assert!(err.contains("orphaned: ") && err.contains("gone.dot.json"), "{err}");
    assert!(!err.contains("notes.md") && !err.contains("picture.svg"), "{err}");
    assert_eq!(tree(out.path()), before, "--check writes nothing");

    let o = run(&[&args[..], &["--prune"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o).trim(), "wrote 2 files for 4 diagrams, 10 unchanged, 1 orphan removed");
    assert!(!path("gone.dot.json").exists());
    assert!(path("notes.md").exists() && path("picture.svg").exists());
    assert_eq!(run(&check).status.code(), Some(0));
    let o = run(&[&args[..], &["--check", "--prune"]].concat());
    assert_eq!(o.status.code(), Some(2), "--prune writes, --check does not: {}", stderr(&o));
}

#[test]
fn several_inputs_without_out_dir_is_a_usage_error() {
    let o = run(&["analyze", SERVERLESS, "diagrams/three-tier-web.dot", "-f", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out-dir"));
}

#[test]
fn page_names_cannot_write_outside_the_out_dir() {
    let dir = tempfile::tempdir().unwrap();
    let page = |name: &str| {
        format!(
            "<diagram name=\"{name}\"><mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>\
             <mxCell id=\"a\" value=\"App\" style=\"ellipse\" vertex=\"1\" parent=\"1\"><mxGeometry x=\"0\" y=\"0\" width=\"80\" height=\"40\" as=\"geometry\"/></mxCell>\
             </root></mxGraphModel></diagram>"
        )
    };
    let file =
        format!("<mxfile>{}{}{}</mxfile>", page("../../escape"), page("/etc/passwd"), page("ok"));
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("pages.drawio"), file).unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "analyze",
        input.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--format",
        "svg,json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = common::file_names(&out);
    assert_eq!(
        written,
        [
            "pages.drawio.------escape.svg",
            "pages.drawio.-etc-passwd.svg",
            "pages.drawio.json",
            "pages.drawio.ok.svg"
        ]
    );
    let beside: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(beside.len(), 2, "nothing written beside in/ and out/: {beside:?}");
}

#[test]
fn svg_through_the_binary_is_well_formed() {
    let o = run(&["analyze", SERVERLESS, "--format", "svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = String::from_utf8(o.stdout).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Orders table"));
    let mut reader = quick_xml::Reader::from_str(&svg);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}"),
        }
    }
}

#[test]
fn removing_a_control_fails_the_gate_although_no_threat_id_is_new() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(root().join("diagrams/three-tier-web.dot")).unwrap();
    let before = dir.path().join("before.dot");
    std::fs::write(&before, &original).unwrap();
    let base = dir.path().join("base.json");
    let o = run(&["analyze", before.to_str().unwrap(), "-f", "json", "-o", base.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let weakened = original.replace(", authenticated = true, authentication = mtls", "");
    assert_ne!(weakened, original, "the example declares mTLS on the partner API");
    let after = dir.path().join("after.dot");
    std::fs::write(&after, weakened).unwrap();
    let args = ["analyze", after.to_str().unwrap(), "--baseline", base.to_str().unwrap()];
    let o = run(&[&args[..], &["--fail-on", "medium"]].concat());
    assert_eq!(o.status.code(), Some(1), "a reopened threat is a new risk: {}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_slice(&run(&[&args[..], &["-f", "json"]].concat()).stdout).unwrap();
    assert!(json["baseline"]["reopened"].as_u64().unwrap() >= 1, "{}", json["baseline"]);
    assert_eq!(json["baseline"]["new"], 0);
}
