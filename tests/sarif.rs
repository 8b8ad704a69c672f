//! SARIF for GitHub code scanning, through the binary: GitHub's documented requirements checked
//! on every example, paths relative to the source root, closed threats, the result cap.
//!
//! The requirements come from GitHub's "SARIF support for code scanning" page (supported
//! properties, "required" marks, limits) and the upload action's fingerprinting; each assertion
//! names the one it checks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::common;
use crate::common::schema::Schema;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dfd-threats"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env("DFD_THREATS_TODAY", "2026-11-26");
    c
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_out(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("diagrams"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
    files.sort();
    files
}

/// The band GitHub shows for a `security-severity` score.
fn github_band(score: f64) -> &'static str {
    match score {
        s if s > 9.0 => "critical",
        s if (7.0..=8.9).contains(&s) => "high",
        s if (4.0..=6.9).contains(&s) => "medium",
        s if (0.1..=3.9).contains(&s) => "low",
        _ => "none",
    }
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("")
}

/// GitHub's requirements for one SARIF log; each violation says which requirement it breaks.
fn github_violations(log: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let mut need = |ok: bool, what: String| {
        if !ok {
            bad.push(what);
        }
    };
    need(!text(&log["$schema"]).is_empty(), "sarifLog.$schema is required".into());
    need(log["version"] == "2.1.0", "code scanning only supports SARIF 2.1.0".into());
    let runs = log["runs"].as_array().cloned().unwrap_or_default();
    need(!runs.is_empty(), "runs[] is required".into());
    need(runs.len() <= 20, "at most 20 runs per file".into());
    for run in &runs {
        let driver = &run["tool"]["driver"];
        need(!text(&driver["name"]).is_empty(), "tool.driver.name is required".into());
        let rules = driver["rules"].as_array().cloned().unwrap_or_default();
        need(driver["rules"].is_array(), "tool.driver.rules[] is required".into());
        need(rules.len() <= 25_000, "at most 25,000 rules per run".into());
        let category = text(&run["automationDetails"]["id"]);
        need(
            category.contains('/') && !category.starts_with('/'),
            format!("runAutomationDetails.id has a category before its last '/': {category:?}"),
        );
        let mut ids = BTreeSet::new();
        for rule in &rules {
            let id = text(&rule["id"]);
            need(!id.is_empty(), "reportingDescriptor.id is required".into());
            need(ids.insert(id.to_string()), format!("rule id {id} is unique"));
            need(
                rule["name"].as_str().is_none_or(|n| n.chars().count() <= 255),
                format!("{id}: name at most 255 characters"),
            );
            for field in ["shortDescription", "fullDescription"] {
                let t = text(&rule[field]["text"]);
                need(!t.is_empty(), format!("{id}: {field}.text is required"));
                need(
                    t.chars().count() <= 1024,
                    format!("{id}: {field}.text at most 1024 characters"),
                );
            }
            need(!text(&rule["help"]["text"]).is_empty(), format!("{id}: help.text is required"));
            let level = text(&rule["defaultConfiguration"]["level"]);
            need(
                ["note", "warning", "error"].contains(&level),
                format!(
                    "{id}: defaultConfiguration.level is note, warning or error, not {level:?}"
                ),
            );
            let tags = rule["properties"]["tags"].as_array().cloned().unwrap_or_default();
            need(tags.len() <= 20, format!("{id}: at most 20 tags"));
            need(
                tags.iter().any(|t| t == "security"),
                format!("{id}: security-severity needs the security tag"),
            );
            let score: f64 = text(&rule["properties"]["security-severity"]).parse().unwrap_or(-1.0);
            need(score > 0.0 && score <= 10.0, format!("{id}: security-severity in (0.0, 10.0]"));
            let precision = text(&rule["properties"]["precision"]);
            need(
                ["very-high", "high", "medium", "low"].contains(&precision),
                format!("{id}: precision is very-high, high, medium or low"),
            );
        }
        let results = run["results"].as_array().cloned().unwrap_or_default();
        need(run["results"].is_array(), "results[] is required".into());
        need(results.len() <= 25_000, "at most 25,000 results per run".into());
        let mut hashes = BTreeSet::new();
        for (i, r) in results.iter().enumerate() {
            let rule_id = text(&r["ruleId"]);
            need(ids.contains(rule_id), format!("result {i}: ruleId names a rule of the run"));
            need(
                !text(&r["message"]["text"]).is_empty(),
                format!("result {i}: message.text is required"),
            );
            need(r["level"] != "none", format!("result {i}: level none hides the severity"));
            let locations = r["locations"].as_array().cloned().unwrap_or_default();
            need(
                (1..=10).contains(&locations.len()),
                format!("result {i}: between 1 and 10 locations (at least one to be shown)"),
            );
            let physical = &locations.first().unwrap_or(&Value::Null)["physicalLocation"];
            let uri = text(&physical["artifactLocation"]["uri"]);
            need(
                !uri.is_empty()
                    && !uri.contains("://")
                    && !uri.starts_with('/')
                    && !uri.starts_with("./"),
                format!(
                    "result {i}: artifactLocation.uri is a path from the repository root: {uri:?}"
                ),
            );
            let region = &physical["region"];
            let n = |k: &str| region[k].as_u64().unwrap_or(0);
            need(n("startLine") >= 1, format!("result {i}: region.startLine is required"));
            need(n("startColumn") >= 1, format!("result {i}: region.startColumn is required"));
            need(n("endLine") >= n("startLine"), format!("result {i}: region.endLine is required"));
            need(n("endColumn") >= 1, format!("result {i}: region.endColumn is required"));
            let hash = text(&r["partialFingerprints"]["primaryLocationLineHash"]);
            need(
                !hash.is_empty(),
                format!("result {i}: partialFingerprints.primaryLocationLineHash"),
            );
            need(
                hashes.insert((rule_id.to_string(), hash.to_string())),
                format!("result {i}: rule and line hash identify one alert"),
            );
        }
    }
    bad
}

#[test]
fn every_example_meets_githubs_requirements_and_shows_the_reports_severity() {
    for file in examples() {
        let path = file.to_str().unwrap();
        for extra in [&[][..], &["--sarif-include-closed"][..]] {
            let log = json_out(&run(&[&["analyze", path, "-f", "sarif"][..], extra].concat()));
            let bad = github_violations(&log);
            assert!(bad.is_empty(), "{path} {extra:?}: {bad:#?}");
            let report = json_out(&run(&["analyze", path, "-f", "json"]));
            let pairs = common::pairs(&report);
            let severity: BTreeMap<&str, &str> =
                pairs.iter().map(|t| (text(&t["id"]), text(&t["severity"]))).collect();
            let run = &log["runs"][0];
            let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
            let results = run["results"].as_array().unwrap();
            let open = severity.len() - count_closed(&report);
            let expected = if extra.is_empty() { open } else { severity.len() };
            assert_eq!(results.len(), expected, "{path} {extra:?}");
            for r in results {
                let id = text(&r["partialFingerprints"]["dfdThreatId/v1"]);
                let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
                assert_eq!(rule["id"], r["ruleId"]);
                let score: f64 = text(&rule["properties"]["security-severity"]).parse().unwrap();
                assert_eq!(
                    github_band(score),
                    severity[id],
                    "{path}: {id} shows the report's severity"
                );
            }
        }
    }
}

fn count_closed(report: &Value) -> usize {
    common::pairs(report).iter().filter(|t| t["status"] != "open").count()
}

/// The OASIS SARIF 2.1.0 schema from `../shared/schemas`, when it is there.
fn sarif_schema() -> Option<Schema> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/sarif-2.1.0.schema.json");
    let Ok(schema) = std::fs::read_to_string(&path) else {
        println!("note: {} is absent; SARIF schema validation skipped", path.display());
        return None;
    };
    Some(Schema::new(serde_json::from_str(&schema).unwrap()).unwrap())
}

#[test]
fn examples_validate_against_the_sarif_schema() {
    let Some(validator) = sarif_schema() else { return };
    for file in examples() {
        let args = ["analyze", file.to_str().unwrap(), "-f", "sarif", "--sarif-include-closed"];
        let log = json_out(&run(&args));
        let errors = validator.errors(&log);
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
        let mut broken = log.clone();
        broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
        assert!(!validator.is_valid(&broken), "the validator must reject a bad level");
    }
}

#[test]
fn paths_are_relative_to_the_source_root_however_the_input_is_spelled() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let absolute = root.join("diagrams/three-tier-web.dot");
    let spellings = [
        "diagrams/three-tier-web.dot",
        "./diagrams/three-tier-web.dot",
        "diagrams/../diagrams/three-tier-web.dot",
        absolute.to_str().unwrap(),
    ];
    let outputs: Vec<Vec<u8>> =
        spellings.iter().map(|p| run(&["analyze", p, "-f", "sarif"]).stdout).collect();
    assert!(outputs.windows(2).all(|w| w[0] == w[1]), "the same bytes for every spelling");
    let log: Value = serde_json::from_slice(&outputs[0]).unwrap();
    let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "diagrams/three-tier-web.dot");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert!(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"].is_object());
    assert_eq!(
        log["runs"][0]["automationDetails"]["id"],
        "dfd-threats/diagrams/three-tier-web.dot/"
    );

    // A git work tree elsewhere (a `.git` folder is enough), analysed from outside it.
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("docs/models")).unwrap();
    std::fs::copy(&absolute, repo.join("docs/models/web.dot")).unwrap();
    let input = repo.join("docs/models/web.dot");
    let with_root = |root: Option<&Path>| {
        let mut args = vec!["analyze", input.to_str().unwrap(), "-f", "sarif"];
        if let Some(root) = root {
            args.extend(["--source-root", root.to_str().unwrap()]);
        }
        run_in(dir.path(), &args)
    };
    let uri = |o: &Output| {
        let log = json_out(o);
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .clone()
    };
    assert_eq!(uri(&with_root(None)), "docs/models/web.dot");
    assert_eq!(uri(&with_root(Some(&repo.join("docs")))), "models/web.dot");
    let outside = with_root(Some(&dir.path().join("elsewhere")));
    assert_eq!(outside.status.code(), Some(2));
    assert!(stderr(&outside).contains("--source-root"), "{}", stderr(&outside));
}

#[test]
fn drawio_results_point_at_the_line_of_their_cell() {
    let file = "diagrams/three-tier-web.drawio";
    let lines: Vec<String> =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
    let log = json_out(&run(&["analyze", file, "-f", "sarif"]));
    for r in log["runs"][0]["results"].as_array().unwrap() {
        let location = &r["locations"][0];
        let line = location["physicalLocation"]["region"]["startLine"].as_u64().unwrap() as usize;
        let cell = text(&location["logicalLocations"][0]["name"]);
        assert!(
            lines[line - 1].contains(&format!("id=\"{cell}\"")),
            "line {line} holds cell {cell}"
        );
    }
}

#[test]
fn closed_threats_are_suppressed_results_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.dot");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("diagrams/serverless-orders.dot"),
        &model,
    )
    .unwrap();
    let report = json_out(&run(&["analyze", model.to_str().unwrap(), "-f", "json"]));
    let pairs = common::pairs(&report);
    let open = pairs.iter().find(|t| t["status"] == "open").unwrap();
    std::fs::write(
        dir.path().join("dfd-threats.toml"),
        format!("[[suppression]]\nid = \"{}\"\nstatus = \"accepted\"\njustification = \"Owner signed off\"\n", text(&open["id"])),
    )
    .unwrap();
    let log = json_out(&run(&["analyze", model.to_str().unwrap(), "-f", "sarif"]));
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .all(|r| r["properties"]["status"] == "open" && r["suppressions"].is_null()));
    let log = json_out(&run(&[
        "analyze",
        model.to_str().unwrap(),
        "-f",
        "sarif",
        "--sarif-include-closed",
    ]));
    let results = log["runs"][0]["results"].as_array().unwrap();
    let kinds: BTreeMap<&str, (&str, &str)> = results
        .iter()
        .filter(|r| r["properties"]["status"] != "open")
        .map(|r| {
            let s = &r["suppressions"][0];
            (text(&r["properties"]["status"]), (text(&s["kind"]), text(&s["status"])))
        })
        .collect();
    if let Some(validator) = sarif_schema() {
        let errors = validator.errors(&log);
        assert!(errors.is_empty(), "suppressed results: {errors:#?}");
    }
    assert_eq!(kinds["accepted"], ("external", "accepted"));
    assert_eq!(kinds["mitigated"], ("inSource", "accepted"));
    assert!(results.iter().all(|r| r["level"] != "none"));
}

#[test]
fn built_in_rules_link_to_their_section_of_the_rule_reference_and_user_rules_do_not() {
    let reference =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"))
            .unwrap();
    let o = run(&["catalog", "list", "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        reference,
        "docs/rules.md is what `catalog list --format markdown` writes: regenerate it"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.toml"),
        "[[rule]]\nid = \"TEAM-001\"\ntitle = \"{element} is ours\"\ncategory = \"tampering\"\napplies_to = [\"process\"]\nseverity = \"low\"\nlikelihood = \"low\"\ndescription = \"Team rule.\"\nreferences = [\"CWE-1\"]\n",
    )
    .unwrap();
    let log = json_out(&run(&[
        "analyze",
        "diagrams/serverless-orders.dot",
        "-f",
        "sarif",
        "--catalog",
        dir.path().to_str().unwrap(),
    ]));
    let driver = &log["runs"][0]["tool"]["driver"];
    // The links exist only in a build that knows its published home (Cargo.toml `repository`);
    // an unpublished build writes none rather than links that lead nowhere.
    let published = !env!("CARGO_PKG_REPOSITORY").is_empty();
    assert_eq!(driver["informationUri"].is_string(), published);
    for rule in driver["rules"].as_array().unwrap() {
        let id = text(&rule["properties"]["rule"]);
        if id == "TEAM-001" || !published {
            assert!(rule["helpUri"].is_null(), "no page for {id} in a reference we can link");
            continue;
        }
        let uri = text(&rule["helpUri"]);
        let anchor = uri.rsplit_once('#').unwrap().1;
        assert!(uri.contains("/docs/rules.md#"), "{uri}");
        assert!(
            reference.contains(&format!("\n### {}\n", id)) && anchor == id.to_ascii_lowercase(),
            "{uri}"
        );
    }
    // Whatever the build, every built-in rule has its section in the reference.
    for rule in driver["rules"].as_array().unwrap() {
        let id = text(&rule["properties"]["rule"]);
        assert!(id == "TEAM-001" || reference.contains(&format!("\n### {id}\n")), "{id}");
    }
    assert!(driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["properties"]["rule"] == "TEAM-001"));
}

#[test]
fn more_results_than_github_accepts_are_cut_to_the_most_severe_with_a_warning() {
    // 7,000 entry points with four open threats each: 28,001 results.
    let mut dot = String::from("digraph big {\n  u [label=\"User\", kind=external];\n");
    for i in 0..7_000 {
        dot.push_str(&format!("  p{i} [label=\"Service {i}\"];\n  u -> p{i};\n"));
    }
    dot.push_str("}\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.dot");
    std::fs::write(&path, dot).unwrap();
    // One run writes both, so the analysis is paid once.
    let out = dir.path().join("out");
    let o = run(&[
        "analyze",
        path.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "-f",
        "sarif,json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let read = |name: &str| -> Value {
        serde_json::from_slice(&std::fs::read(out.join(name)).unwrap()).unwrap()
    };
    let log = read("big.dot.sarif");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 25_000, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("25000 GitHub code scanning accepts")
            || stderr(&o).contains("the 25000 most severe"),
        "{}",
        stderr(&o)
    );
    let report = read("big.dot.json");
    let pairs = common::pairs(&report);
    let mut open: Vec<&str> =
        pairs.iter().filter(|t| t["status"] == "open").map(|t| text(&t["severity"])).collect();
    assert!(open.len() > 25_000, "the fixture must exceed the cap: {}", open.len());
    let rank =
        |s: &str| ["low", "medium", "high", "critical"].iter().position(|x| *x == s).unwrap();
    open.sort_by_key(|s| std::cmp::Reverse(rank(s)));
    let floor = rank(open[24_999]);
    assert!(
        results.iter().all(|r| rank(text(&r["properties"]["severity"])) >= floor),
        "only the most severe are kept"
    );
}
