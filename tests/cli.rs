//! End-to-end tests through the binary: what a user or a CI job sees.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::common;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dfd-threats"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(args: &[&str]) -> Value {
    let o = run(args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

const SERVERLESS: &str = "diagrams/serverless-orders.dot";

fn threats_on(doc: &Value, target: &str, category: &str) -> Vec<Value> {
    common::pairs(doc)
        .into_iter()
        .filter(|t| t["target"]["id"] == target && t["category"] == category)
        .collect()
}

#[test]
fn readable_report_shows_inventory_and_threats_without_colour_when_piped() {
    let o = run(&["analyze", SERVERLESS]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for heading in [
        "External actors",
        "Entry points",
        "Data assets",
        "Infrastructure",
        "Trust boundaries",
        "Flows crossing boundaries",
        "how their kind was inferred",
        "Findings (",
    ] {
        assert!(text.contains(heading), "missing {heading}:\n{text}");
    }
    // A data asset names the actor that reaches it by its label, as flows are named.
    assert!(text.contains("reachable from Customer (browser) across 2 boundaries"), "{text}");
    // One entry per finding, its targets indented under it.
    let lines: Vec<&str> = text.lines().collect();
    let sls = lines.iter().position(|l| l.starts_with("F-") && l.contains("SLS-001")).unwrap();
    assert!(lines[sls + 1].starts_with("  T-"), "{}", lines[sls + 1]);
    assert!(!text.contains('\u{1b}'), "piped output must have no ANSI escapes");
}

#[test]
fn colour_can_be_forced_and_no_color_wins() {
    let o = bin().args(["analyze", SERVERLESS]).env("CLICOLOR_FORCE", "1").output().unwrap();
    assert!(stdout(&o).contains('\u{1b}'));
    let o = bin()
        .args(["analyze", SERVERLESS])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\u{1b}'));
}

#[test]
fn json_contract_fields() {
    let doc = json(&["analyze", SERVERLESS, "--format", "json"]);
    assert_eq!(doc["schema_version"], 2);
    assert_eq!(doc["tool"]["name"], "dfd-threats");
    assert_eq!(doc["source"]["format"], "dot");
    let d = &doc["diagrams"][0];
    assert_eq!(d["name"], "serverless-orders");
    for key in [
        "boundaries",
        "elements",
        "flows",
        "external_actors",
        "entry_points",
        "data_assets",
        "infrastructure",
    ] {
        assert!(d[key].is_array(), "{key}");
    }
    let flow =
        d["flows"].as_array().unwrap().iter().find(|f| f["id"] == "customer->api_gateway").unwrap();
    assert_eq!(flow["direction"], "inbound");
    assert_eq!(flow["crosses"], serde_json::json!(["cluster_internet", "cluster_aws"]));
    let rule = &doc["rules"][0];
    for key in [
        "id",
        "title",
        "category",
        "severity",
        "likelihood",
        "description",
        "tags",
        "cwe",
        "capec",
        "mitigated_when",
        "mitigations",
        "references",
    ] {
        assert!(!rule[key].is_null(), "rule lacks {key}");
    }
    let f = &doc["findings"][0];
    for key in ["id", "diagram", "rule", "title", "status", "severity", "residual_risk", "targets"]
    {
        assert!(!f[key].is_null(), "finding lacks {key}");
    }
    assert!(f["id"].as_str().unwrap().starts_with("F-"));
    let t = &f["targets"][0];
    for key in [
        "id",
        "target",
        "title",
        "status",
        "severity",
        "severity_reasons",
        "residual_risk",
        "residual_reason",
        "mitigations",
    ] {
        assert!(!t[key].is_null(), "target lacks {key}");
    }
    assert!(t["id"].as_str().unwrap().starts_with("T-"));
    // Every rule a finding names is in the table, once, and no other.
    let rules: Vec<&str> =
        doc["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    let named: std::collections::BTreeSet<&str> =
        doc["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, named.into_iter().collect::<Vec<_>>());
}

#[test]
fn findings_group_the_targets_one_fix_closes() {
    let doc = json(&["analyze", SERVERLESS, "--format", "json"]);
    let findings = doc["findings"].as_array().unwrap();
    let pairs = common::pairs(&doc);
    assert!(findings.len() < pairs.len(), "{} findings, {} pairs", findings.len(), pairs.len());
    // The two Lambdas without least_privilege share one finding; place_order declares it.
    let sls = findings.iter().filter(|f| f["rule"] == "SLS-001").collect::<Vec<_>>();
    let targets = |f: &Value| -> Vec<String> {
        f["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["target"]["id"].as_str().unwrap().into())
            .collect()
    };
    let open = sls.iter().find(|f| f["status"] == "open").unwrap();
    assert_eq!(targets(open), ["payment_webhook", "fulfil_order"]);
    assert!(sls.iter().all(|f| f["targets"].as_array().unwrap().len() < 3));
    // Ranked by open residual risk, then severity.
    let rank = |l: &Value| {
        ["none", "low", "medium", "high", "critical"].iter().position(|x| l == x).unwrap()
    };
    let open_residual: Vec<usize> = findings
        .iter()
        .map(|f| if f["status"] == "open" { 1 + rank(&f["residual_risk"]) } else { 0 })
        .collect();
    assert!(open_residual.windows(2).all(|w| w[0] >= w[1]), "{open_residual:?}");
}

#[test]
fn compact_json_is_one_line_and_only_for_json() {
    let o = run(&["analyze", SERVERLESS, "--format", "json", "--compact"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc, json(&["analyze", SERVERLESS, "--format", "json"]));
    let o = run(&["analyze", SERVERLESS, "--format", "sarif", "--compact"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--compact"), "{}", stderr(&o));
}

#[test]
fn inventory_of_the_serverless_example() {
    let doc = json(&["analyze", SERVERLESS, "--format", "json"]);
    let d = &doc["diagrams"][0];
    let ids = |key: &str| -> Vec<String> {
        d[key].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids("external_actors"), ["customer", "admin", "payment_provider", "npm_registry"]);
    let entries = ids("entry_points");
    for e in ["api_gateway", "cognito", "receipts_bucket", "payment_webhook", "deploy_pipeline"] {
        assert!(entries.contains(&e.to_string()), "{e} not an entry point: {entries:?}");
    }
    let assets = ids("data_assets");
    for a in ["orders_table", "order_queue", "receipts_bucket", "data:card token"] {
        assert!(assets.contains(&a.to_string()), "{a} not an asset: {assets:?}");
    }
    let tech = |id: &str| {
        d["elements"].as_array().unwrap().iter().find(|e| e["id"] == id).unwrap()["technology"]
            .clone()
    };
    assert_eq!(tech("place_order"), "aws-lambda");
    assert_eq!(tech("orders_table"), "aws-dynamodb");
    assert_eq!(tech("receipts_bucket"), "aws-s3");
    assert_eq!(tech("api_gateway"), "aws-api-gateway");
}

#[test]
fn declared_mitigations_change_status_and_residual_risk() {
    let doc = json(&["analyze", SERVERLESS, "--format", "json"]);
    let table = threats_on(&doc, "orders_table", "information_disclosure");
    let bucket = threats_on(&doc, "receipts_bucket", "information_disclosure");
    assert!(table.iter().any(|t| t["status"] == "mitigated"), "encrypted table: {table:#?}");
    assert!(bucket.iter().all(|t| t["status"] == "open"), "undeclared bucket: {bucket:#?}");
    let worst = |ts: &[Value]| {
        ts.iter().map(|t| t["residual_risk"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_ne!(worst(&table), worst(&bucket));

    // The same spoofing rules fire on an authenticated flow and on a bare one from the Internet:
    // mitigated on the first (authentication is declared), open on the second.
    let fixture = json(&["analyze", "tests/fixtures/rules/boundary.dot", "--format", "json"]);
    for category in ["spoofing"] {
        let secure = threats_on(&fixture, "visitor->core_api[partner-call]", category);
        let bare = threats_on(&fixture, "visitor->core_api[direct-call]", category);
        let both: Vec<(&Value, &Value)> = secure
            .iter()
            .filter_map(|s| bare.iter().find(|b| b["rule"] == s["rule"]).map(|b| (s, b)))
            .collect();
        assert!(!both.is_empty(), "{category}: no rule fires on both flows");
        for (s, b) in both {
            assert_eq!(s["status"], "mitigated", "{s:#}");
            assert_eq!(b["status"], "open", "{b:#}");
            assert_ne!(s["residual_risk"], b["residual_risk"]);
        }
    }
    // Reading or altering in transit cannot happen over HTTPS, so it is not raised there at all;
    // the bare flow has it open, once (one rule for both, since one fix closes both).
    let in_transit = |flow: &str| -> Vec<String> {
        threats_on(&doc, flow, "information_disclosure")
            .iter()
            .filter(|t| t["rule"] == "BND-001")
            .map(|t| t["status"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(in_transit("customer->api_gateway"), Vec::<String>::new());
    assert_eq!(in_transit("customer->receipts_bucket"), ["open"]);
}

#[test]
fn reruns_are_byte_identical_and_output_file_matches_stdout() {
    let a = run(&["analyze", SERVERLESS, "--format", "json"]);
    let b = run(&["analyze", SERVERLESS, "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let o = run(&["analyze", SERVERLESS, "--format", "json", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    assert_eq!(std::fs::read(&out).unwrap(), a.stdout);
    // -o names a folder the user chose: it is not created.
    let nested = dir.path().join("no/such/out.json");
    let o = run(&["analyze", SERVERLESS, "--format", "json", "-o", nested.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    assert!(!dir.path().join("no").exists());
}

#[test]
fn standard_input() {
    let input = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(SERVERLESS)).unwrap();
    let o = run_stdin(&["analyze", "-", "--format", "json"], &input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["source"]["path"], "-");
    assert_eq!(doc["diagrams"][0]["name"], "serverless-orders");
}

/// A gateway drawn asking a token store to "Validate JWT" checks each request it receives: the
/// spoofing threat on the customer's requests is listed as mitigated, with the flow that says so.
#[test]
fn a_gateway_that_validates_tokens_mitigates_spoofed_requests() {
    let graph = b"digraph g {\n  customer [kind=external, label=\"Customer\"];\n  \
                  gateway [kind=process, label=\"Gateway\"];\n  \
                  tokens [kind=store, label=\"Token cache\"];\n  \
                  customer -> gateway [label=\"orders\", protocol=https];\n  \
                  gateway -> tokens [label=\"Validate JWT\"];\n}\n";
    let o = run_stdin(&["analyze", "-", "--format", "json"], graph);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let spoofing: Vec<Value> = common::pairs(&doc)
        .into_iter()
        .filter(|t| t["rule"] == "BND-008" && t["target"]["id"] == "customer->gateway")
        .collect();
    assert_eq!(spoofing.len(), 1, "{spoofing:?}");
    assert_eq!(spoofing[0]["status"], "mitigated", "{spoofing:?}");
    let gateway = doc["diagrams"][0]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "gateway")
        .unwrap()
        .clone();
    assert!(gateway.to_string().contains("sends a flow labelled"), "{gateway}");
}

#[test]
fn a_role_word_names_a_clouds_product_only_on_that_clouds_diagram() {
    let gateway = |graph: &str| {
        let o = run_stdin(&["analyze", "-", "--from", "dot", "--format", "json"], graph.as_bytes());
        let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
        let elements = doc["diagrams"][0]["elements"].as_array().unwrap().clone();
        elements.into_iter().find(|e| e["id"] == "gw").unwrap()
    };
    let aws = gateway(
        "digraph { u [kind=external]; gw [label=\"API Gateway\"]; f [label=\"Orders Lambda\"]; \
         t [label=\"Orders DynamoDB\"]; u -> gw -> f -> t }",
    );
    assert_eq!(aws["technology"], "aws-api-gateway");
    assert!(aws["inferred_from"].as_str().unwrap().contains("mostly AWS's"), "{aws}");
    let own = gateway(
        "digraph { u [kind=external]; gw [label=\"API Gateway\"]; a [label=\"Express app\"]; \
         u -> gw -> a }",
    );
    assert_eq!(own["technology"], "api-gateway");
}

#[test]
fn bad_inputs_exit_2_with_a_located_message_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never.json");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.dot", Vec::new(), "empty.dot"),
        (
            "json.dot",
            b"{\"not\": \"dot\"}".to_vec(),
            "json.dot: this is not a diagram dfd-threats reads",
        ),
        ("unterminated.dot", b"digraph {\n  a [label=\"oops]\n}\n".to_vec(), "unterminated.dot:2:"),
        ("brace.dot", b"digraph {\n  a -> b\n".to_vec(), "brace.dot:"),
        ("utf8.dot", b"digraph { a [label=\"\xff\xfe\"] }".to_vec(), "utf8.dot:1:"),
        (
            "deep.dot",
            [b"digraph ".as_slice(), &b"{".repeat(50_000), &b"}".repeat(50_000)].concat(),
            "deep.dot:1:",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let o = run(&[
            "analyze",
            path.to_str().unwrap(),
            "--format",
            "json",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(expected), "{name}: expected {expected:?} in\n{err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(!out.exists(), "{name} wrote output");
    }
    let o = run(&["analyze", dir.path().join("missing.dot").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.dot"));
}

#[test]
fn parse_errors_show_the_line_with_a_caret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.dot");
    std::fs::write(&path, "digraph g {\n  a -> ;\n}\n").unwrap();
    let o = run(&["analyze", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.dot:2:"), "{err}");
    assert!(err.contains("2 |   a -> ;"), "{err}");
    assert!(err.contains('^'), "{err}");
}

#[test]
fn oversized_input_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.dot");
    std::fs::write(&path, "digraph { a -> b }\n".repeat(1000)).unwrap();
    let o = run(&["analyze", path.to_str().unwrap(), "--max-input-bytes", "1000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--max-input-bytes"), "{}", stderr(&o));
}

#[test]
fn catalog_list_and_show() {
    let o = run(&["catalog", "list"]);
    assert_eq!(o.status.code(), Some(0));
    let rules: Value =
        serde_json::from_slice(&run(&["catalog", "list", "--format", "json"]).stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert!(rules.len() >= 60, "only {} rules", rules.len());
    for category in [
        "spoofing",
        "tampering",
        "repudiation",
        "information_disclosure",
        "denial_of_service",
        "elevation_of_privilege",
    ] {
        assert!(rules.iter().any(|r| r["category"] == category), "{category}");
    }
    let mut with_capec = 0;
    for r in rules {
        let refs: Vec<&str> =
            r["references"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert!(refs.iter().any(|x| x.starts_with("CWE-")), "{} has no CWE", r["id"]);
        with_capec += usize::from(refs.iter().any(|x| x.starts_with("CAPEC-")));
    }
    assert!(with_capec >= 60, "only {with_capec} rules cite a CAPEC pattern");
    let id = rules[0]["id"].as_str().unwrap();
    let show = run(&["catalog", "show", id]);
    assert_eq!(show.status.code(), Some(0));
    let text = stdout(&show);
    assert!(
        text.starts_with(id) && text.contains("Why it matters") && text.contains("Mitigations"),
        "{text}"
    );
    let missing = run(&["catalog", "show", "NOPE-999"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("catalog list"));
}

#[test]
fn user_catalogs_add_rules_and_bad_ones_are_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.toml"),
        r#"
[[rule]]
id = "TEAM-001"
title = "{element} stores data outside the EU"
category = "information_disclosure"
applies_to = ["data_store"]
severity = "medium"
description = "Our policy keeps customer data in the EU."
[rule.when]
not = { field = "element.attr.region", eq = "eu-west-1" }
[[rule.mitigations]]
text = "Move it to eu-west-1"
declared_by = ["region=eu-west-1"]
"#,
    )
    .unwrap();
    let catalog = dir.path().to_str().unwrap();
    let o = run(&[
        "analyze",
        SERVERLESS,
        "--format",
        "json",
        "--catalog",
        catalog,
        "--rules",
        "TEAM-001",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let threats = common::pairs(&doc);
    assert_eq!(threats.len(), 3, "one per data store");
    assert!(threats.iter().all(|t| t["rule"] == "TEAM-001"));
    assert!(stderr(&o).contains("element.attr.region"), "unused attribute warning: {}", stderr(&o));

    std::fs::write(
        dir.path().join("team.toml"),
        "[[rule]]\nid = \"X\"\ntitle = \"t\"\ncategory = \"sneaky\"\n",
    )
    .unwrap();
    let o = run(&["analyze", SERVERLESS, "--catalog", catalog]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("team.toml:4:"), "{err}");
}

#[test]
fn user_knowledge_adds_technologies_and_words_and_bad_files_are_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.toml"),
        r#"
actor = ["courier"]

[[technology]]
id = "acme-ledger"
name = "Acme Ledger"
class = "database"
kind = "data_store"
keywords = ["acme ledger"]
"#,
    )
    .unwrap();
    let diagram = dir.path().join("a.dot");
    std::fs::write(
        &diagram,
        "digraph { c [label=\"Courier\"]; l [label=\"Acme Ledger\"]; c -> l }",
    )
    .unwrap();
    let (diagram, knowledge) = (diagram.to_str().unwrap(), dir.path().to_str().unwrap());
    let element = |doc: &Value, id: &str| {
        let elements = doc["diagrams"][0]["elements"].as_array().unwrap();
        elements.iter().find(|e| e["id"] == id).unwrap().clone()
    };
    let plain = json(&["analyze", diagram, "--format", "json"]);
    assert_eq!(element(&plain, "l")["technology"], Value::Null);
    let doc = json(&["analyze", diagram, "--format", "json", "--knowledge", knowledge]);
    let ledger = element(&doc, "l");
    assert_eq!(
        (&ledger["technology"], &ledger["kind"]),
        (&"acme-ledger".into(), &"data_store".into())
    );
    assert_eq!(element(&doc, "c")["inferred_from"], "label noun \"courier\"");

    std::fs::write(dir.path().join("team.toml"), "[[icon]]\npattern = \"aws4.widget\"\n").unwrap();
    let o = run(&["analyze", diagram, "--knowledge", knowledge]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("team.toml:1:") && err.contains("one of `technology"), "{err}");
}

/// A word in brackets after a network device names where it sits; a team adds its own devices.
#[test]
fn a_network_devices_bracketed_place_is_no_declared_kind() {
    let dir = tempfile::tempdir().unwrap();
    let diagram = dir.path().join("net.dot");
    std::fs::write(
        &diagram,
        "digraph { i [label=\"Internet\"]; f [label=\"Firewall\\n(External)\"]; \
         g [label=\"Edge gateway (External)\"]; i -> f -> g }",
    )
    .unwrap();
    let diagram = diagram.to_str().unwrap();
    let kinds = |extra: &[&str]| {
        let mut args = vec!["analyze", diagram, "--format", "json"];
        args.extend_from_slice(extra);
        let doc = json(&args);
        let elements = doc["diagrams"][0]["elements"].as_array().unwrap().clone();
        let kind = |id: &str| elements.iter().find(|e| e["id"] == id).unwrap()["kind"].clone();
        (kind("f"), kind("g"))
    };
    assert_eq!(kinds(&[]), ("process".into(), "external_entity".into()));
    std::fs::write(dir.path().join("team.toml"), "placed_devices = [\"edge gateway\"]\n").unwrap();
    let knowledge = dir.path().to_str().unwrap();
    assert_eq!(kinds(&["--knowledge", knowledge]), ("process".into(), "process".into()));
}

#[test]
fn rule_selection_by_tag_and_exclusion() {
    let doc = json(&["analyze", SERVERLESS, "--format", "json", "--rules", "supply-chain"]);
    let threats = common::pairs(&doc);
    assert!(!threats.is_empty());
    assert!(threats.iter().all(|t| t["tags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x == "supply-chain")));
    let o = run(&["analyze", SERVERLESS, "--exclude-rules", "no-such-tag"]);
    assert_eq!(o.status.code(), Some(2), "a selector that matches nothing is a mistake");
    assert!(stderr(&o).contains("no-such-tag"));
}

#[test]
fn serverless_and_supply_chain_threats_are_found() {
    let doc = json(&["analyze", SERVERLESS, "--format", "json"]);
    let threats = common::pairs(&doc);
    let tagged = |tag: &str, target: &str| {
        threats.iter().any(|t| {
            t["target"]["id"] == target && t["tags"].as_array().unwrap().iter().any(|x| x == tag)
        })
    };
    assert!(tagged("serverless", "place_order"));
    assert!(tagged("supply-chain", "deploy_pipeline"));
    assert!(tagged("supply-chain", "fulfil_order"), "functions ship third-party dependencies");
}

#[test]
fn files_that_are_not_diagrams_get_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docker-compose.yaml");
    std::fs::write(&path, "services:\n  web:\n    image: nginx\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .args(["analyze", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a diagram dfd-threats reads"), "{stderr}");
    assert!(stderr.contains("Graphviz DOT (.dot, .gv)"), "the help names what is read: {stderr}");
    assert!(stderr.contains("YAML, but neither an OTM file"), "{stderr}");
    assert!(!stderr.contains("digit"), "{stderr}");
}

#[test]
fn a_mistyped_rule_selector_is_an_error_not_an_empty_run() {
    let out = Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .args(["analyze", "diagrams/three-tier-web.dot", "--rules", "IDN-01", "--fail-on", "low"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`IDN-01`") && stderr.contains("catalog list"), "{stderr}");
}

#[test]
fn output_dash_is_standard_output_and_the_extension_picks_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let diagram = std::fs::canonicalize("diagrams/three-tier-web.dot").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .current_dir(dir.path())
        .args(["analyze", diagram.to_str().unwrap(), "-f", "json", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(serde_json::from_slice::<Value>(&o.stdout).is_ok());
    assert!(!dir.path().join("-").exists(), "a file named - was written");
    let sarif = dir.path().join("x.sarif");
    let o = Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .args(["analyze", diagram.to_str().unwrap(), "-o", sarif.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(doc["version"], "2.1.0");
}

#[test]
fn min_severity_and_status_filter_every_format_but_not_the_gate() {
    let all = json(&["analyze", "diagrams/serverless-orders.dot", "--format", "json"]);
    let shown = json(&[
        "analyze",
        "diagrams/serverless-orders.dot",
        "--format",
        "json",
        "--min-severity",
        "high",
        "--status",
        "open",
    ]);
    let rank = |s: &str| ["low", "medium", "high", "critical"].iter().position(|l| *l == s);
    let pairs = common::pairs;
    let all = pairs(&all);
    let ids = |v: Vec<&Value>| -> Vec<String> {
        let mut ids: Vec<String> =
            v.iter().map(|t| t["id"].as_str().unwrap().to_string()).collect();
        ids.sort();
        ids
    };
    let expected = ids(all
        .iter()
        .filter(|t| t["status"] == "open" && rank(t["severity"].as_str().unwrap()) >= Some(2))
        .collect());
    assert!(!expected.is_empty() && expected.len() < all.len());
    assert_eq!(ids(pairs(&shown).iter().collect()), expected);

    // The text report's header counts what it lists.
    let text =
        stdout(&run(&["analyze", "diagrams/serverless-orders.dot", "--status", "mitigated"]));
    let mitigated = all.iter().filter(|t| t["status"] == "mitigated").count();
    assert!(
        text.contains(&format!("{mitigated} threats: 0 open, {mitigated} mitigated")),
        "{text}"
    );

    // Hiding open threats from the report does not pass the gate.
    let gated = run(&[
        "analyze",
        "diagrams/serverless-orders.dot",
        "--status",
        "mitigated",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(gated.status.code(), Some(1), "{}", stderr(&gated));

    let bad = run(&["analyze", "diagrams/serverless-orders.dot", "--status", "closed"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// A mitigation is shown in the target technology's own terms where the rule has advice for it:
/// in every report format, in `catalog show`, and for a user's own rules.
#[test]
fn mitigations_are_advice_for_the_target_technology() {
    let show = stdout(&run(&["catalog", "show", "DFD-E-011"]));
    assert!(
        show.contains("    on aws-lambda: ") && show.contains("no instance metadata"),
        "{show}"
    );
    assert!(!show.contains("IMDSv2)"), "the generic SSRF advice must not name IMDSv2: {show}");

    let md = stdout(&run(&["analyze", "diagrams/serverless-orders.dot", "--format", "markdown"]));
    assert!(md.contains("Lambda code-signing configuration"), "{md}");
    assert!(md.contains("aws:SecureTransport"), "{md}");
    let csv = stdout(&run(&["analyze", "diagrams/serverless-orders.dot", "--format", "jira-csv"]));
    assert!(csv.contains("npm ci --ignore-scripts"), "{csv}");

    let dir = tempfile::tempdir().unwrap();
    let rule = r#"
[[rule]]
id = "TEAM-LOG"
title = "{element} keeps logs"
applies_to = ["process", "data_store"]
category = "repudiation"
severity = "low"
description = "Logs must go to the central store."
references = ["CWE-778"]
[[rule.mitigations]]
text = "Ship logs to the central store."
declared_by = ["central_logs=true"]
[rule.mitigations.by_technology]
aws-cognito = "Export Cognito user activity logs to the central store."
"#;
    std::fs::write(dir.path().join("team.toml"), rule).unwrap();
    let catalog = dir.path().to_str().unwrap();
    let o = run(&[
        "analyze",
        "diagrams/serverless-orders.dot",
        "--catalog",
        catalog,
        "--rules",
        "TEAM-LOG",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    // Schema v2: the rule's texts once in `rules` (with its advice by technology); each target
    // names the technology whose advice applies to it.
    let rule = &report["rules"][0];
    assert_eq!(rule["mitigations"][0]["text"], "Ship logs to the central store.");
    assert_eq!(
        rule["mitigations"][0]["by_technology"]["aws-cognito"],
        "Export Cognito user activity logs to the central store."
    );
    let pairs = common::pairs(&report);
    let technology_of = |id: &str| {
        let pair = pairs.iter().find(|p| p["target"]["id"] == id).unwrap();
        pair["mitigations"][0].get("technology").cloned()
    };
    assert_eq!(technology_of("cognito"), Some(Value::from("aws-cognito")));
    assert_eq!(technology_of("api_gateway"), None);
    let technologies: Vec<Value> =
        pairs.iter().filter_map(|t| t["mitigations"][0].get("technology").cloned()).collect();
    assert_eq!(technologies, [Value::from("aws-cognito")]);
}

/// Text and Markdown lead with the ten open findings a team fixes first, in the JSON's order.
#[test]
fn reports_lead_with_the_top_risks_in_ranked_order() {
    let doc = json(&["analyze", SERVERLESS, "--format", "json"]);
    let open: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "open")
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(open.len() > 10);
    let text = stdout(&run(&["analyze", SERVERLESS]));
    let top = text.find("Top risks (10 of").expect("a top-risks section");
    assert!(top < text.find("External actors").unwrap(), "it comes before the inventory");
    let listed: Vec<&str> = text[top..]
        .lines()
        .skip(1)
        .take(10)
        .map(|l| l.split_whitespace().last().unwrap())
        .collect();
    assert_eq!(listed, open[..10]);
    let md = stdout(&run(&["analyze", SERVERLESS, "--format", "markdown"]));
    let section = md.find("### Top risks (10 of").unwrap();
    assert!(section < md.find("### 1. Elements").unwrap());
    for (i, id) in open[..10].iter().enumerate() {
        let line = md[section..].lines().find(|l| l.starts_with(&format!("{}. ", i + 1))).unwrap();
        assert!(line.ends_with(&format!("{id})")), "{line}");
    }
    // The first is critical and open: a fix before release.
    assert!(text[top..].lines().nth(1).unwrap().contains("critical"));
}

/// The readers' table drives `formats`, `--from` and the folder walk.
#[test]
fn formats_from_and_the_folder_walk_follow_the_reader_table() {
    let listed = stdout(&run(&["formats"]));
    for needle in ["dot ", "drawio ", ".drawio.svg", "sarif ", "github-issues "] {
        assert!(listed.contains(needle), "{needle} in {listed}");
    }
    let dir = tempfile::tempdir().unwrap();
    // Content decides: DOT in a .txt is read as DOT; --from forces a reader.
    let txt = dir.path().join("model.txt");
    std::fs::write(&txt, "digraph g { u [kind=external]; a; u -> a }").unwrap();
    let o = run(&["analyze", txt.to_str().unwrap(), "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["source"]["format"], "dot");
    let forced = run(&["analyze", txt.to_str().unwrap(), "--from", "drawio"]);
    assert_eq!(forced.status.code(), Some(2), "read as draw.io, it is not one");
    // A folder: a stray XML file that is not a draw.io diagram is left alone.
    let folder = dir.path().join("docs");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.dot"), "digraph a { x -> y }").unwrap();
    std::fs::write(folder.join("notes.xml"), "<notes>not a diagram</notes>").unwrap();
    std::fs::write(
        folder.join("page.xml"),
        std::fs::read("diagrams/three-tier-web.drawio").unwrap(),
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "analyze",
        folder.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = common::file_names(&out);
    assert_eq!(written, ["a.dot.json", "page.xml.json"]);
}

/// Width and height from an SVG's `viewBox`.
fn view_box(svg: &str) -> (f64, f64) {
    let rest = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let mut numbers = rest.split(['"', ' ']).map(|n| n.parse::<f64>().unwrap_or(0.0));
    (numbers.next().unwrap(), numbers.next().unwrap())
}

#[test]
fn dot_rankdir_sets_the_direction_of_the_computed_layout() {
    let chain = "a -> b; b -> c; c -> d; d -> e; e -> f; f -> g; g -> h;";
    let down = run_stdin(
        &["analyze", "-", "--format", "svg"],
        format!("digraph {{ {chain} }}").as_bytes(),
    );
    let across = run_stdin(
        &["analyze", "-", "--format", "svg"],
        format!("digraph {{ rankdir = LR; {chain} }}").as_bytes(),
    );
    assert!(down.status.success() && across.status.success(), "{}", stderr(&down));
    let (w, h) = view_box(&stdout(&down));
    assert!(h > w, "top to bottom by default, like Graphviz: {w} x {h}");
    let (w, h) = view_box(&stdout(&across));
    assert!(w > h, "rankdir = LR runs left to right: {w} x {h}");
}

#[test]
fn a_diagram_with_nothing_read_says_so_instead_of_passing_as_clean() {
    // A hand-edited page whose cells are misspelt: draw.io would show nothing either, and a gate
    // must not take "0 threats" for a clean system without a word.
    let misspelt = br#"<mxfile><diagram name="Page-1"><mxGraphModel><root><mxCel id="0"/><mxCel id="1" parent="0"/><mxCel id="a" value="API" vertex="1" parent="1"/></root></mxGraphModel></diagram></mxfile>"#;
    let o = run_stdin(&["analyze", "-", "--from", "drawio"], misspelt);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("no <mxCell> element"), "{err}");
    assert!(err.contains("\"Page-1\" has no elements, so it has no threats"), "{err}");

    let o = run_stdin(&["analyze", "-", "--from", "dot"], b"digraph Empty {}");
    assert!(stderr(&o).contains("\"Empty\" has no elements"), "{}", stderr(&o));
    let o = run_stdin(&["analyze", "-", "--from", "dot"], b"digraph G { a -> b }");
    assert!(!stderr(&o).contains("has no elements"), "{}", stderr(&o));
}

/// A detailed DFD with no external actor, its data names written as text on the arrows: the
/// text joins its two arrows into one named flow, and an undrawn user is assumed where work
/// starts, so the store's threats are reported and the assumption is said.
#[test]
fn a_dfd_with_no_actor_drawn_assumes_a_user_where_work_starts() {
    let page = r#"<mxfile><diagram name="Inside"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>
<mxCell id="form" value="Open account form" style="ellipse;whiteSpace=wrap;" vertex="1" parent="1"><mxGeometry x="0" y="0" width="80" height="80" as="geometry"/></mxCell>
<mxCell id="save" value="Save record" style="ellipse;whiteSpace=wrap;" vertex="1" parent="1"><mxGeometry x="200" y="0" width="80" height="80" as="geometry"/></mxCell>
<mxCell id="find" value="Find record" style="ellipse;whiteSpace=wrap;" vertex="1" parent="1"><mxGeometry x="400" y="200" width="80" height="80" as="geometry"/></mxCell>
<mxCell id="accounts" value="D1 Accounts" style="shape=partialRectangle;left=0;right=0;fillColor=none;" vertex="1" parent="1"><mxGeometry x="200" y="200" width="120" height="40" as="geometry"/></mxCell>
<mxCell id="fields" value="Name, phone" style="text;html=1;" vertex="1" parent="1"><mxGeometry x="330" y="205" width="60" height="30" as="geometry"/></mxCell>
<mxCell id="e1" style="endArrow=classic;" edge="1" parent="1" source="form" target="save"><mxGeometry relative="1" as="geometry"/></mxCell>
<mxCell id="e2" style="endArrow=classic;" edge="1" parent="1" source="save" target="accounts"><mxGeometry relative="1" as="geometry"/></mxCell>
<mxCell id="e3" style="endArrow=none;" edge="1" parent="1" source="accounts" target="fields"><mxGeometry relative="1" as="geometry"/></mxCell>
<mxCell id="e4" style="endArrow=classic;" edge="1" parent="1" source="fields" target="find"><mxGeometry relative="1" as="geometry"/></mxCell>
</root></mxGraphModel></diagram></mxfile>"#;
    let o = run_stdin(&["analyze", "-", "--from", "drawio", "--format", "json"], page.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let diagram = &report["diagrams"][0];
    let flows: Vec<(&str, &str, &str)> = diagram["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (f["from"].as_str().unwrap(), f["to"].as_str().unwrap(), f["label"].as_str().unwrap())
        })
        .collect();
    assert!(flows.contains(&("accounts", "find", "Name, phone")), "{flows:?}");
    let asset = &diagram["assets"][0];
    assert_eq!(asset["reachable"], true);
    assert_eq!(asset["reached_from"], "form");
    assert_eq!(asset["reach_assumed"], true);
    assert!(diagram["external_actors"].as_array().unwrap().is_empty(), "the inventory is as drawn");
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"DFD-I-022") && rules.contains(&"DFD-T-020"), "{rules:?}");
    let warned = report["warnings"].as_array().unwrap().iter().any(|w| {
        w.as_str().is_some_and(|w| {
            w.contains("no external actor is drawn") && w.contains("\"Open account form\"")
        })
    });
    assert!(warned, "{}", report["warnings"]);
}

/// An AI application as people draw it: a sign-in step, a chat API calling a model API and a
/// local model server, labels only. The model rules fire where a reviewer puts them; the model
/// API's answer is a reply, not an unauthenticated request; the sign-in step is the identity
/// provider, not a service that cannot tell who is calling.
#[test]
fn a_language_model_application_gets_the_model_threats_and_not_the_reply_noise() {
    let dot = r#"digraph ai {
  subgraph cluster_net { label="Internet"; user [label="Customer"]; }
  subgraph cluster_app { label="Application";
    auth [label="JWT Authentication"]; chat [label="Chat API"]; llm [label="Ollama"];
    secrets [label="Secrets\nJWT secret, Ollama URL"];
  }
  gpt [label="OpenAI API"];
  user -> auth [label="sign in"]; auth -> chat [label="question"]; secrets -> auth;
  chat -> gpt [label="prompt"]; gpt -> chat [label="completion"];
  chat -> llm [label="prompt"]; llm -> chat [label="completion"];
}"#;
    let o = run_stdin(&["analyze", "-", "--from", "dot", "--format", "json"], dot.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let fired = |rule: &str, target: &str| {
        report["findings"].as_array().unwrap().iter().any(|f| {
            f["rule"] == rule
                && f["targets"].as_array().unwrap().iter().any(|t| t["target"]["id"] == target)
        })
    };
    for (rule, target) in [
        ("LLM-001", "chat->gpt"),
        ("LLM-002", "gpt->chat"),
        ("LLM-003", "chat->llm"),
        ("LLM-004", "llm"),
        ("DFD-T-015", "llm"),
        ("IDN-006", "auth"),
    ] {
        assert!(fired(rule, target), "{rule} on {target}");
    }
    for (rule, target) in
        [("BND-008", "gpt->chat"), ("BND-001", "gpt->chat"), ("BND-008", "user->auth")]
    {
        assert!(!fired(rule, target), "{rule} must not fire on {target}");
    }
    let kind_of = |id: &str| {
        report["diagrams"][0]["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()["kind"]
            .clone()
    };
    assert_eq!(kind_of("secrets"), "data_store", "the model server is only named under it");
}

/// Chinese and Japanese labels have no spaces between words: the zone and label words written in
/// them are found character by character, so the user is an actor, the outside services in the
/// "external integration services" box are theirs, and the web app the user calls is an entry.
#[test]
fn japanese_and_chinese_labels_name_actors_and_outside_zones() {
    let src = "digraph Shop { user [label=\"利用者\"]; web [label=\"Webアプリ\"]; db [label=\"注文データベース\"]; \
                 subgraph cluster_ext { label=\"外部連携サービス\"; pay [label=\"決済代行サービス\"]; } \
                 subgraph cluster_cn { label=\"外部服务\"; llm [label=\"大模型服务\"]; } \
                 user -> web; web -> db; web -> pay; web -> llm; }";
    let o = run_stdin(&["analyze", "-", "--from", "dot", "--format", "json"], src.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let elements = doc["diagrams"][0]["elements"].as_array().unwrap();
    let kind = |id: &str| {
        let e = elements.iter().find(|e| e["id"] == id).unwrap();
        (e["kind"].as_str().unwrap().to_string(), e["entry_point"].is_string())
    };
    assert_eq!(kind("user"), ("external_entity".into(), false));
    assert_eq!(kind("web"), ("process".into(), true));
    assert_eq!(kind("db"), ("data_store".into(), false));
    assert_eq!(kind("pay"), ("external_entity".into(), false));
    assert_eq!(kind("llm"), ("external_entity".into(), false));
}

#[test]
fn threat_titles_name_elements_by_their_first_lines_not_their_descriptions() {
    let dot = b"digraph g {\n  subgraph cluster_i { label=\"Internet\"; trust=untrusted; u [kind=external, label=\"User\"]; }\n  api [kind=process, label=\"Orders API\\nTakes orders from the shop and stores them for 30 days\"];\n  u -> api [label=\"order\", protocol=https];\n}\n";
    let out = run_stdin(&["analyze", "-", "--format", "json"], dot);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let titles: Vec<&str> =
        doc["findings"].as_array().unwrap().iter().filter_map(|t| t["title"].as_str()).collect();
    assert!(titles.iter().any(|t| t.contains("Orders API")), "{titles:?}");
    assert!(titles.iter().all(|t| !t.contains("30 days")), "{titles:?}");
}
