//! SARIF 2.1.0, for CI: GitHub code scanning and other SARIF viewers show threats next to the
//! diagram file like findings of a linter.
//!
//! One run; one rule per catalog rule, so a viewer can explain a rule that found nothing this
//! time; one result per threat. Choices a reader of the output needs to know:
//! - a mitigated threat is a result of kind `pass` with level `none`, so the run shows what the
//!   diagram already covers without failing a gate;
//! - a threat with a suppression carries an external, accepted suppression with the
//!   justification, which code scanning shows as dismissed;
//! - `partialFingerprints["dfdThreatId/v1"]` is the threat id, stable across relabelling and
//!   moving, so code scanning tracks one alert per threat across runs; a result is one
//!   (finding, target) pair, and `properties.finding_id` names its finding;
//! - DOT results point at the line and column of the element or flow; draw.io results point at
//!   the file and name the page and cell as a logical location.

use std::collections::BTreeMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactLocation, Location, LogicalLocation, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultKind, ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
};

use super::markdown::{
    escape_markdown, reference_markdown, target_kind, target_label, threats_with_diagrams,
};
use super::Report;
use crate::diagnostic::Location as Origin;
use crate::model::Diagram;
use crate::threats::{Level, Rule, Status, TargetIndex, Threat};
use crate::user_text::{capped, without_controls, MAX_SHOWN_CHARS};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The partial fingerprint code scanning matches alerts by across runs.
pub const FINGERPRINT: &str = "dfdThreatId/v1";

/// Renders the report as pretty-printed SARIF with a final newline.
pub fn render(report: &Report<'_>) -> String {
    let mut out = serde_json::to_string_pretty(&sarif(report)).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

/// The SARIF log itself, for callers that want to add to it before writing.
pub fn sarif(report: &Report<'_>) -> Sarif {
    let rules = rules_in_force(report);
    let rule_index: BTreeMap<&str, usize> =
        rules.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let uri = artifact_uri(&report.document.path);
    let results: Vec<SarifResult> = threats_with_diagrams(report)
        .into_iter()
        .map(|(diagram, t)| result(t, diagram, &uri, rule_index.get(t.rule.id.as_str()).copied()))
        .collect();
    let driver = ToolComponent::builder()
        .name("dfd-threats")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules.iter().map(|r| descriptor(r)).collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    Sarif::builder().schema(SCHEMA).version(json!("2.1.0")).runs(vec![run]).build()
}

/// The catalog's rules, plus any rule a threat names that the catalog no longer holds, by id.
fn rules_in_force<'a>(report: &Report<'a>) -> Vec<&'a Rule> {
    let mut rules: BTreeMap<&'a str, &'a Rule> =
        report.catalog.rules().map(|r| (r.id.as_str(), r.as_ref())).collect();
    for t in report.threats {
        rules.entry(t.rule.id.as_str()).or_insert(t.rule.as_ref());
    }
    rules.into_values().collect()
}

/// The document path as a relative URI reference: forward slashes, reserved characters
/// percent-encoded, `stdin` for standard input.
fn artifact_uri(path: &str) -> String {
    const NOT_IN_URI_PATH: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'[')
        .add(b']')
        .add(b'^')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}');
    if path == "-" {
        return "stdin".to_string();
    }
    let path = path.replace('\\', "/");
    utf8_percent_encode(&path, NOT_IN_URI_PATH).to_string()
}

/// The placeholders of title templates, with the word a rule's own name and description use
/// for them.
const PLACEHOLDERS: [(&str, &str, &str); 6] = [
    ("{element}", "Element", "an element"),
    ("{flow}", "Flow", "a data flow"),
    ("{source}", "Source", "its source"),
    ("{target}", "Target", "its target"),
    ("{technology}", "Technology", "its platform"),
    ("{data}", "Data", "its data"),
];

/// The title template with generic words, e.g. `Tampering with a data flow from its source to
/// its target`.
fn generic_title(template: &str) -> String {
    PLACEHOLDERS.iter().fold(template.to_string(), |t, (p, _, words)| t.replace(p, words))
}

/// A PascalCase name from the title (`TamperingWithFlowFromSourceToTarget`), or from the id when
/// the title has no letters.
fn rule_name(rule: &Rule) -> String {
    let title = PLACEHOLDERS.iter().fold(rule.title.clone(), |t, (p, word, _)| t.replace(p, word));
    let pascal = |text: &str| -> String {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut chars = w.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().chain(chars).collect::<String>()
                })
            })
            .collect()
    };
    let name = pascal(&title);
    if name.is_empty() {
        pascal(&rule.id)
    } else {
        name
    }
}

/// GitHub code scanning ranks security alerts by this score (CVSS-like, 0.0–10.0).
fn security_severity(level: Level) -> &'static str {
    match level {
        Level::Critical => "9.5",
        Level::High => "8.0",
        Level::Medium => "5.5",
        Level::Low => "3.0",
        Level::None => "0.0",
    }
}

fn level(severity: Level) -> ResultLevel {
    match severity {
        Level::Critical | Level::High => ResultLevel::Error,
        Level::Medium => ResultLevel::Warning,
        Level::Low | Level::None => ResultLevel::Note,
    }
}

fn level_name(severity: Level) -> &'static str {
    match level(severity) {
        ResultLevel::Error => "error",
        ResultLevel::Warning => "warning",
        ResultLevel::Note => "note",
        ResultLevel::None => "none",
    }
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let (text, markdown) = help(rule);
    let mut tags = vec!["security".to_string(), rule.category.name().to_string()];
    for tag in &rule.tags {
        if !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    let mut properties = BTreeMap::new();
    properties
        .insert("security-severity".to_string(), Value::from(security_severity(rule.severity)));
    // Rules fire on what a diagram declares, not on proof of a weakness.
    properties.insert("precision".to_string(), Value::from("medium"));
    properties.insert("likelihood".to_string(), Value::from(rule.likelihood.name()));
    let description = if rule.description.is_empty() {
        generic_title(&rule.title)
    } else {
        rule.description.clone()
    };
    ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(rule_name(rule))
        .short_description(
            MultiformatMessageString::builder().text(generic_title(&rule.title)).build(),
        )
        .full_description(MultiformatMessageString::builder().text(description).build())
        .help(MultiformatMessageString::builder().text(text).markdown(markdown).build())
        .default_configuration(
            ReportingConfiguration::builder().level(json!(level_name(rule.severity))).build(),
        )
        .properties(PropertyBag::builder().tags(tags).additional_properties(properties).build())
        .build()
}

/// The rule's help as plain text and as Markdown: what the threat is, the mitigations with the
/// attributes that declare them, and the references.
fn help(rule: &Rule) -> (String, String) {
    let mut text = rule.description.clone();
    let mut markdown = escape_markdown(&rule.description);
    if !rule.mitigations.is_empty() {
        text.push_str("\n\nMitigations (declare one with an attribute on the diagram):");
        markdown.push_str("\n\n**Mitigations** (declare one with an attribute on the diagram):\n");
        for m in &rule.mitigations {
            let declared_by: Vec<&str> = m.declared_by.iter().map(|d| d.text.as_str()).collect();
            let declared_by = declared_by.join(" or ");
            text.push_str(&format!("\n- {}: {declared_by}", m.text));
            markdown.push_str(&format!(
                "\n- {}: {}",
                escape_markdown(&m.text),
                escape_markdown(&declared_by)
            ));
            for (technology, advice) in &m.by_technology {
                text.push_str(&format!("\n  - on {technology}: {advice}"));
                markdown.push_str(&format!("\n  - on `{technology}`: {}", escape_markdown(advice)));
            }
        }
    }
    if !rule.references.is_empty() {
        text.push_str("\n\nReferences:");
        markdown.push_str("\n\n**References:**\n");
        for r in &rule.references {
            text.push_str(&format!("\n- {r}"));
            markdown.push_str(&format!("\n- {}", reference_markdown(r)));
        }
    }
    (text, markdown)
}

fn origin<'a>(diagram: Option<&'a Diagram>, t: &Threat) -> Option<&'a Origin> {
    let diagram = diagram?;
    match t.target {
        TargetIndex::Element(n) => diagram.graph.node_weight(n)?.origin.as_ref(),
        TargetIndex::Flow(e) => diagram.graph.edge_weight(e)?.origin.as_ref(),
    }
}

fn location(diagram: Option<&Diagram>, t: &Threat, uri: &str) -> Location {
    let artifact = ArtifactLocation::builder().uri(uri).build();
    let mut physical = PhysicalLocation::builder().artifact_location(artifact).build();
    let mut logical = None;
    match origin(diagram, t) {
        Some(Origin::Text { line, column }) if *line >= 1 => {
            let mut region = Region::builder().start_line(*line as i64).build();
            if *column >= 1 {
                region.start_column = Some(*column as i64);
            }
            physical.region = Some(region);
        }
        Some(Origin::Cell { page, cell }) => {
            let cell = capped(cell.as_deref().unwrap_or(&t.target_id), MAX_SHOWN_CHARS);
            let page = capped(page, MAX_SHOWN_CHARS);
            logical = Some(vec![LogicalLocation::builder()
                .name(cell.as_ref())
                .fully_qualified_name(format!("{page}/{cell}"))
                .kind("element")
                .build()]);
        }
        _ => {}
    }
    let mut location = Location::builder().physical_location(physical).build();
    location.logical_locations = logical;
    if let Some(label) = target_label(diagram, t) {
        location.message = Some(Message::builder().text(label).build());
    }
    location
}

fn result(
    t: &Threat,
    diagram: Option<&Diagram>,
    uri: &str,
    rule_index: Option<usize>,
) -> SarifResult {
    let message = format!(
        "{}. Residual risk {}: {}.",
        without_controls(&t.title).trim_end_matches('.'),
        t.residual_risk,
        t.residual_reason.trim_end_matches('.')
    );
    let mut properties = BTreeMap::new();
    let mut put = |key: &str, value: &str| {
        properties.insert(key.to_string(), Value::from(value));
    };
    // Repeated in every result: long names and ids are cut (the fingerprint is the threat id).
    put("diagram", &capped(&without_controls(&t.diagram), MAX_SHOWN_CHARS));
    put("target_kind", target_kind(t));
    put("target_id", &capped(&without_controls(&t.target_id), MAX_SHOWN_CHARS));
    put("category", t.rule.category.name());
    put("severity", t.severity.name());
    put("residual_risk", t.residual_risk.name());
    put("status", t.status.name());
    put("finding_id", &crate::threats::findings::finding_id_of(t));
    if let Some(novelty) = t.novelty {
        put("novelty", novelty.name());
    }
    let mut result = SarifResult::builder()
        .rule_id(t.rule.id.clone())
        .message(Message::builder().text(message).build())
        .locations(vec![location(diagram, t, uri)])
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT.to_string(), t.id.clone())]))
        .properties(PropertyBag::builder().additional_properties(properties).build())
        .build();
    result.rule_index = rule_index.map(|i| i as i64);
    if t.status == Status::Mitigated {
        result.kind = Some(ResultKind::Pass);
        result.level = Some(ResultLevel::None);
    } else {
        result.level = Some(level(t.severity));
    }
    if let Some(novelty) = t.novelty {
        // SARIF knows new, unchanged, updated and absent: a reopened threat is an updated one.
        let state = match novelty {
            crate::threats::Novelty::Reopened => "updated",
            other => other.name(),
        };
        result.baseline_state = Some(json!(state));
    }
    if let Some(s) = &t.suppression {
        let mut properties = BTreeMap::new();
        properties.insert("decision".to_string(), Value::from(s.status.name()));
        properties.insert("source".to_string(), Value::from(s.source.as_str()));
        if let Some(expires) = &s.expires {
            properties.insert("expires".to_string(), Value::from(expires.as_str()));
        }
        if let Some(ticket) = &s.ticket {
            properties.insert("ticket".to_string(), Value::from(ticket.as_str()));
        }
        result.suppressions = Some(vec![Suppression::builder()
            .kind(json!("external"))
            .status(json!("accepted"))
            .justification(s.justification.clone())
            .properties(PropertyBag::builder().additional_properties(properties).build())
            .build()]);
    }
    result
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::markdown::fixture::*;
    use super::*;
    use crate::model::{Document, Element, ElementKind, Format};

    fn rendered() -> (crate::pipeline::Analysed, Value) {
        let catalog = catalog();
        let analysed = with_decisions(&catalog);
        let text = render(&analysed.report(&catalog));
        let value: Value = serde_json::from_str(&text).unwrap();
        (analysed, value)
    }

    #[test]
    fn validates_against_the_sarif_schema() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/schemas/sarif-2.1.0.schema.json");
        let Ok(schema) = std::fs::read_to_string(&path) else {
            println!("note: {} is absent; SARIF schema validation skipped", path.display());
            return;
        };
        // The official schema's `run.language` pattern has a stray `]` that is not a valid ECMA
        // regex, and jsonschema checks a schema's patterns before using it: mend that one
        // pattern (it only concerns `run.language`, which this exporter does not write).
        let schema = schema.replace(
            r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
            r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
        );
        let schema: Value = serde_json::from_str(&schema).unwrap();
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        let (_, value) = rendered();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let mut broken = value.clone();
        broken["runs"][0]["results"][0]["level"] = json!("fatal");
        assert!(!validator.is_valid(&broken), "the validator must reject a bad level");
    }

    #[test]
    fn rules_come_from_the_catalog_sorted_with_github_severity() {
        let (_, value) = rendered();
        let driver = &value["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "dfd-threats");
        let ids: Vec<&str> =
            driver["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["E-UNUSED", "I-STORE", "S-ACTOR", "T-FLOW"]);
        let flow = &driver["rules"][3];
        assert_eq!(flow["name"], "TamperingWithFlowFromSourceToTarget");
        assert_eq!(
            flow["shortDescription"]["text"],
            "Tampering with a data flow from its source to its target"
        );
        assert_eq!(flow["defaultConfiguration"]["level"], "warning");
        assert_eq!(flow["properties"]["security-severity"], "5.5");
        assert_eq!(flow["properties"]["tags"], json!(["security", "tampering"]));
        let help = flow["help"]["markdown"].as_str().unwrap();
        assert!(help.contains("protocol=https\\|tls"), "{help}");
        assert!(help.contains("[CWE-319](https://cwe.mitre.org/data/definitions/319.html)"));
        assert_eq!(driver["rules"][1]["properties"]["security-severity"], "8.0");
    }

    #[test]
    fn results_carry_fingerprints_regions_and_states() {
        let (analysed, value) = rendered();
        let results = value["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), analysed.threats.len());
        for (r, t) in results.iter().zip(&analysed.threats) {
            assert_eq!(r["partialFingerprints"][FINGERPRINT], t.id.as_str());
            assert_eq!(r["ruleId"], t.rule.id.as_str());
            let rules = &value["runs"][0]["tool"]["driver"]["rules"];
            assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], t.rule.id.as_str());
            let physical = &r["locations"][0]["physicalLocation"];
            assert_eq!(physical["artifactLocation"]["uri"], "diagrams/serverless-orders.dot");
            assert!(physical["region"]["startLine"].as_u64().unwrap() > 1);
            assert!(physical["region"]["startColumn"].as_u64().unwrap() >= 1);
            assert_eq!(r["properties"]["status"], t.status.name());
            match t.status {
                Status::Mitigated => {
                    assert_eq!(r["kind"], "pass");
                    assert_eq!(r["level"], "none");
                }
                _ => assert_eq!(r["level"], level_name(t.severity)),
            }
            assert_eq!(r["suppressions"].is_array(), t.suppression.is_some());
        }
        let accepted = results.iter().find(|r| r["suppressions"].is_array()).unwrap();
        assert_eq!(accepted["suppressions"][0]["kind"], "external");
        assert_eq!(accepted["suppressions"][0]["status"], "accepted");
        assert_eq!(accepted["suppressions"][0]["justification"], "Risk owner <b>signed off</b>");
        assert_eq!(accepted["properties"]["novelty"], "new");
        assert_eq!(accepted["baselineState"], "new");
        let receipts =
            results.iter().find(|r| r["properties"]["target_id"] == "receipts_bucket").unwrap();
        assert_eq!(receipts["level"], "error");
        assert_eq!(receipts["properties"]["category"], "information_disclosure");
        assert!(receipts["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Disclosure of data in Receipts bucket (S3). Residual risk high"));
        let dot = include_str!("../../diagrams/serverless-orders.dot");
        let line = receipts["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap() as usize;
        assert!(dot.lines().nth(line - 1).unwrap().contains("receipts_bucket"));
    }

    #[test]
    fn is_deterministic() {
        let catalog = catalog();
        let analysed = with_decisions(&catalog);
        assert_eq!(render(&analysed.report(&catalog)), render(&analysed.report(&catalog)));
    }

    #[test]
    fn drawio_cells_are_logical_locations_and_stdin_is_named() {
        let mut diagram = Diagram::new("Page 1");
        let mut store = Element::new("cell-7", ElementKind::DataStore, "test");
        store.origin = Some(Origin::Cell { page: "Page 1".into(), cell: Some("cell-7".into()) });
        diagram.add_element(store);
        let document = Document {
            path: "-".into(),
            format: Format::Drawio,
            diagrams: vec![diagram],
            warnings: vec![],
        };
        let catalog = catalog();
        let analysed = crate::pipeline::analyse(document, &catalog);
        let value: Value = serde_json::from_str(&render(&analysed.report(&catalog))).unwrap();
        let location = &value["runs"][0]["results"][0]["locations"][0];
        assert_eq!(location["physicalLocation"]["artifactLocation"]["uri"], "stdin");
        assert!(location["physicalLocation"]["region"].is_null());
        assert_eq!(
            location["logicalLocations"],
            json!([{ "name": "cell-7", "fullyQualifiedName": "Page 1/cell-7", "kind": "element" }])
        );
    }

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(artifact_uri("models\\my diagram#1.dot"), "models/my%20diagram%231.dot");
        assert_eq!(artifact_uri("-"), "stdin");
    }
}
