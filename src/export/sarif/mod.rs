//! SARIF 2.1.0, for CI: GitHub code scanning and other SARIF viewers show threats next to the
//! diagram file like findings of a linter.
//!
//! One run per diagram file; one result per threat. Choices a reader of the output needs to know
//! (README, "GitHub code scanning", says the same for users):
//! - only open threats are results, unless [`SarifOptions::include_closed`]: GitHub ignores a
//!   result's `suppressions`, so a mitigated or accepted threat would be an open alert there.
//!   Included, they keep their severity's level (never `none`, which would hide the severity) and
//!   carry a suppression: `inSource` for a mitigation the diagram declares, `external` for a
//!   decision in a suppressions file, both `accepted`;
//! - GitHub reads a result's security severity from its rule only, and a threat's severity can
//!   be raised above its rule's base: so there is one rule descriptor per rule and severity
//!   reached, `RULE-ID/severity`, whose `security-severity` and level are that severity;
//! - `partialFingerprints`: `primaryLocationLineHash` (the only one GitHub uses) and
//!   `dfdThreatId/v1` both come from the threat id, stable across relabelling and moving, so
//!   one alert follows one threat across runs even when many share a line;
//! - every result has a region: DOT results the line of the node or edge statement, draw.io
//!   results the line of the cell in a plain XML file, else line 1 with the page and cell in
//!   the message;
//! - a result is one (finding, target) pair; `properties.finding_id` names its finding;
//! - at most [`MAX_RESULTS`] results (GitHub rejects more), the most severe first.

use std::collections::BTreeMap;

pub mod objects;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::Value;
use sha2::{Digest, Sha256};

use objects::{
    ArtifactLocation, Location, LogicalLocation, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    ResultLevel, Run, RunAutomationDetails, SarifResult, Suppression, Tool, ToolComponent,
};

use super::markdown::{
    escape_markdown, reference_markdown, target_kind, target_label, threats_with_diagrams,
};
use super::Report;
use crate::diagnostic::Location as Origin;
use crate::model::Diagram;
use crate::threats::{Catalog, Level, Rule, Status, TargetIndex, Threat};
use crate::user_text::{capped, without_controls, MAX_SHOWN_CHARS};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The partial fingerprint other SARIF consumers can match threats by across runs.
pub const FINGERPRINT: &str = "dfdThreatId/v1";

/// The partial fingerprint GitHub code scanning matches alerts by.
pub const LINE_HASH: &str = "primaryLocationLineHash";

/// GitHub code scanning rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;

/// The base the artifact URIs are relative to.
pub const SOURCE_ROOT: &str = "%SRCROOT%";

/// The project's published home (Cargo.toml `repository`), when the build sets one: the tool's
/// `informationUri`, and the rules' `helpUri` point into it. An unpublished build has none, and
/// then writes neither link rather than one that leads nowhere.
pub fn project_url() -> Option<&'static str> {
    Some(env!("CARGO_PKG_REPOSITORY")).filter(|url| !url.is_empty())
}

/// Where a built-in rule is documented, one heading per rule id (`docs/rules.md`, written by
/// `dfd-threats catalog list --format markdown`), in the published repository.
pub fn rule_help_uri(rule_id: &str) -> Option<String> {
    project_url()
        .map(|home| format!("{home}/blob/main/docs/rules.md#{}", rule_id.to_ascii_lowercase()))
}

/// What the writer needs to know beyond the report.
#[derive(Debug, Clone)]
pub struct SarifOptions<'a> {
    /// The diagram's path relative to the source root, with `/` (`docs/model.dot`); `None` for
    /// standard input.
    pub artifact: Option<String>,
    /// The diagram's text, so a region can end where its line ends.
    pub source: Option<&'a str>,
    /// Mitigated and accepted threats too, as suppressed results.
    pub include_closed: bool,
    /// Most results written, the most severe kept.
    pub max_results: usize,
}

impl SarifOptions<'_> {
    /// The document path taken as relative to the source root, no source text, open threats.
    pub fn for_document(path: &str) -> SarifOptions<'static> {
        SarifOptions {
            artifact: (path != "-").then(|| path.replace('\\', "/")),
            source: None,
            include_closed: false,
            max_results: MAX_RESULTS,
        }
    }
}

/// The SARIF text and what the user should be told about it.
pub struct Rendered {
    pub text: String,
    pub warnings: Vec<String>,
}

/// Renders the report as pretty-printed SARIF with a final newline, with the document path as
/// the artifact.
pub fn render(report: &Report<'_>) -> String {
    render_with(report, &SarifOptions::for_document(&report.document.path)).text
}

/// Renders the report as pretty-printed SARIF with a final newline.
pub fn render_with(report: &Report<'_>, options: &SarifOptions<'_>) -> Rendered {
    let (log, warnings) = sarif(report, options);
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    Rendered { text, warnings }
}

/// The SARIF log itself, for callers that want to read or change it before writing, and the
/// warnings.
pub fn sarif(report: &Report<'_>, options: &SarifOptions<'_>) -> (objects::Log, Vec<String>) {
    let (chosen, warnings) = chosen_threats(report, options);
    let descriptors = descriptors(&chosen, report.catalog);
    let index: BTreeMap<String, usize> =
        descriptors.iter().enumerate().map(|(i, d)| (d.id.clone(), i)).collect();
    let lines = options.source.map(LineLengths::new);
    let at = Artifact::new(options);
    let results: Vec<SarifResult> = chosen
        .iter()
        .map(|(diagram, t)| {
            let rule_index = index.get(&descriptor_id(&t.rule, t.severity)).copied();
            result(t, *diagram, &at, lines.as_ref(), rule_index)
        })
        .collect();
    let driver = ToolComponent {
        information_uri: project_url().map(str::to_string),
        name: "dfd-threats".into(),
        rules: descriptors,
        semantic_version: env!("CARGO_PKG_VERSION").into(),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    let source_root = ArtifactLocation {
        description: Some(Message::new(SOURCE_ROOT_MEANING)),
        ..ArtifactLocation::default()
    };
    let run = Run {
        automation_details: RunAutomationDetails { id: at.category() },
        column_kind: "unicodeCodePoints".into(),
        original_uri_base_ids: BTreeMap::from([(SOURCE_ROOT.to_string(), source_root)]),
        results,
        tool: Tool { driver },
    };
    let log = objects::Log { schema: SCHEMA.into(), runs: vec![run], version: "2.1.0".into() };
    (log, warnings)
}

/// Why `%SRCROOT%` carries no absolute URI: the output must not depend on where the work tree
/// is checked out (a docs build's `--check` compares files written on another machine).
const SOURCE_ROOT_MEANING: &str = "The root of the source tree: the git work tree holding the \
     diagram, or --source-root. GitHub code scanning reads relative URIs against the repository \
     root.";

/// The threats written as results, in report order: open ones (all with `include_closed`), at
/// most `max_results`, keeping the most severe.
fn chosen_threats<'a>(
    report: &Report<'a>,
    options: &SarifOptions<'_>,
) -> (Vec<(Option<&'a Diagram>, &'a Threat)>, Vec<String>) {
    let mut chosen: Vec<(Option<&'a Diagram>, &'a Threat)> = threats_with_diagrams(report)
        .into_iter()
        .filter(|(_, t)| options.include_closed || t.status == Status::Open)
        .collect();
    let mut warnings = Vec::new();
    if chosen.len() > options.max_results {
        let mut ranked: Vec<usize> = (0..chosen.len()).collect();
        ranked.sort_by_key(|&i| {
            let t = chosen[i].1;
            (std::cmp::Reverse((t.severity, t.residual_risk)), i)
        });
        let mut keep = vec![false; chosen.len()];
        for &i in ranked.iter().take(options.max_results) {
            keep[i] = true;
        }
        warnings.push(format!(
            "SARIF: {} results are more than the {} GitHub code scanning accepts in one run; the {} \
             most severe are written (the JSON report has them all)",
            chosen.len(),
            options.max_results,
            options.max_results
        ));
        let mut flags = keep.into_iter();
        chosen.retain(|_| flags.next().unwrap_or(false));
    }
    (chosen, warnings)
}

/// `RULE-ID/severity`: the descriptor of a rule at one severity.
fn descriptor_id(rule: &Rule, severity: Level) -> String {
    format!("{}/{}", rule.id, severity.name())
}

/// One descriptor per rule and severity the results reach, sorted by id.
fn descriptors(
    chosen: &[(Option<&Diagram>, &Threat)],
    catalog: &Catalog,
) -> Vec<ReportingDescriptor> {
    let mut reached: BTreeMap<String, (&Rule, Level)> = BTreeMap::new();
    for (_, t) in chosen {
        reached.entry(descriptor_id(&t.rule, t.severity)).or_insert((&t.rule, t.severity));
    }
    reached
        .into_iter()
        .map(|(id, (rule, severity))| {
            let built_in = !catalog.is_user_rule(&rule.id) && catalog.get(&rule.id).is_some();
            descriptor(rule, id, severity, built_in)
        })
        .collect()
}

/// Where results point: the artifact URI relative to the source root, and the run's category.
struct Artifact {
    uri: String,
    relative: bool,
    path: String,
}

impl Artifact {
    fn new(options: &SarifOptions<'_>) -> Self {
        match &options.artifact {
            Some(path) => Artifact { uri: artifact_uri(path), relative: true, path: path.clone() },
            None => Artifact { uri: "stdin".into(), relative: false, path: "stdin".into() },
        }
    }

    /// `dfd-threats/<path>/`: GitHub reads up to the last `/` as the analysis category, so each
    /// diagram's alerts are kept apart and a folder of SARIF files can be uploaded at once.
    fn category(&self) -> String {
        format!("dfd-threats/{}/", without_controls(&self.path))
    }

    fn location(&self) -> ArtifactLocation {
        ArtifactLocation {
            description: None,
            uri: Some(self.uri.clone()),
            uri_base_id: self.relative.then(|| SOURCE_ROOT.to_string()),
        }
    }
}

/// The path as a relative URI reference: forward slashes, reserved characters percent-encoded.
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
/// the title has no letters; at most the 255 characters GitHub keeps.
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
    let name = if name.is_empty() { pascal(&rule.id) } else { name };
    name.chars().take(MAX_NAME_CHARS).collect()
}

/// GitHub keeps a rule name of at most this many characters.
const MAX_NAME_CHARS: usize = 255;

/// GitHub keeps a rule's short and full description of at most this many characters.
const MAX_DESCRIPTION_CHARS: usize = 1024;

/// GitHub rejects a rule with more than 20 tags and shows 10.
const MAX_TAGS: usize = 10;

/// GitHub code scanning ranks security alerts by this score and names its band: over 9.0
/// critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low.
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

/// The descriptor of `rule` at `severity`. Built-in rules link to their section of the rule
/// reference; a user's rule has no page there.
fn descriptor(rule: &Rule, id: String, severity: Level, built_in: bool) -> ReportingDescriptor {
    let (text, markdown) = help(rule);
    let mut tags = vec!["security".to_string(), rule.category.name().to_string()];
    for tag in &rule.tags {
        if !tags.contains(tag) && tags.len() < MAX_TAGS {
            tags.push(tag.clone());
        }
    }
    let mut properties = BTreeMap::new();
    properties.insert("security-severity".to_string(), Value::from(security_severity(severity)));
    // Rules fire on what a diagram declares, not on proof of a weakness.
    properties.insert("precision".to_string(), Value::from("medium"));
    properties.insert("likelihood".to_string(), Value::from(rule.likelihood.name()));
    properties.insert("rule".to_string(), Value::from(rule.id.as_str()));
    properties.insert("severity".to_string(), Value::from(severity.name()));
    let description = if rule.description.trim().is_empty() {
        generic_title(&rule.title)
    } else {
        one_paragraph(&rule.description)
    };
    let short = capped(&generic_title(&rule.title), MAX_DESCRIPTION_CHARS).into_owned();
    let plain = |text: String| MultiformatMessageString { markdown: None, text };
    ReportingDescriptor {
        default_configuration: ReportingConfiguration { level: level(severity) },
        full_description: plain(capped(&description, MAX_DESCRIPTION_CHARS).into_owned()),
        help: MultiformatMessageString { markdown: Some(markdown), text },
        help_uri: if built_in { rule_help_uri(&rule.id) } else { None },
        id,
        name: rule_name(rule),
        properties: PropertyBag { tags, values: properties },
        short_description: plain(short),
    }
}

/// A description's lines joined into one paragraph.
fn one_paragraph(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rule's help as plain text and as Markdown: what the threat is, the mitigations with the
/// attributes that declare them, and the references. Never empty (GitHub requires `help.text`).
fn help(rule: &Rule) -> (String, String) {
    let about = if rule.description.trim().is_empty() {
        generic_title(&rule.title)
    } else {
        rule.description.clone()
    };
    let mut text = about.clone();
    let mut markdown = escape_markdown(&about);
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

/// The length in characters of each line of the input, for regions that end with their line.
struct LineLengths(Vec<usize>);

impl LineLengths {
    fn new(source: &str) -> Self {
        LineLengths(source.split('\n').map(|l| l.trim_end_matches('\r').chars().count()).collect())
    }

    /// Characters on the 1-based line, when the input has it.
    fn of(&self, line: usize) -> Option<usize> {
        line.checked_sub(1).and_then(|i| self.0.get(i)).copied()
    }
}

/// The region of a result: the line of the element or flow (from its column in DOT) to the end
/// of that line; line 1 when the input does not say where the target is written.
fn region(origin: Option<&Origin>, lines: Option<&LineLengths>) -> Region {
    let (line, column) = match origin {
        Some(Origin::Text { line, column }) if *line >= 1 => (*line, (*column).max(1)),
        Some(Origin::Cell { line: Some(line), .. }) if *line >= 1 => (*line, 1),
        _ => (1, 1),
    };
    let end =
        lines.and_then(|l| l.of(line)).map_or(column + 1, |chars| (chars + 1).max(column + 1));
    Region { end_column: end, end_line: line, start_column: column, start_line: line }
}

fn location(
    diagram: Option<&Diagram>,
    t: &Threat,
    artifact: &Artifact,
    lines: Option<&LineLengths>,
) -> Location {
    let origin = origin(diagram, t);
    let physical =
        PhysicalLocation { artifact_location: artifact.location(), region: region(origin, lines) };
    let mut location =
        Location { logical_locations: None, message: None, physical_location: physical };
    let mut message = target_label(diagram, t);
    if let Some(Origin::Cell { page, cell, line }) = origin {
        let cell = capped(cell.as_deref().unwrap_or(&t.target_id), MAX_SHOWN_CHARS);
        let page = capped(page, MAX_SHOWN_CHARS);
        location.logical_locations = Some(vec![LogicalLocation {
            fully_qualified_name: format!("{page}/{cell}"),
            kind: "element".into(),
            name: cell.to_string(),
        }]);
        if line.is_none() {
            // No line to point at (a compressed page): say where it is in words.
            let place = format!("page {page}, cell {cell}");
            message = Some(match message {
                Some(label) => format!("{label} ({place})"),
                None => place,
            });
        }
    }
    if let Some(text) = message {
        location.message = Some(Message::new(without_controls(&text)));
    }
    location
}

/// `partialFingerprints`: the threat id, and a line hash made from it (GitHub matches alerts by
/// rule, file and `primaryLocationLineHash`; a hash of the line's text would merge threats that
/// share a line and split one whose line was edited).
fn fingerprints(t: &Threat) -> BTreeMap<String, String> {
    let digest = Sha256::digest(format!("dfd-threats\0{}", t.id).as_bytes());
    let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    BTreeMap::from([
        (FINGERPRINT.to_string(), t.id.clone()),
        (LINE_HASH.to_string(), format!("{hash}:1")),
    ])
}

fn result(
    t: &Threat,
    diagram: Option<&Diagram>,
    artifact: &Artifact,
    lines: Option<&LineLengths>,
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
    put("threat_id", &t.id);
    put("finding_id", &crate::threats::findings::finding_id_of(t));
    if let Some(novelty) = t.novelty {
        put("novelty", novelty.name());
    }
    // SARIF knows new, unchanged, updated and absent: a reopened threat is an updated one.
    let baseline_state = t.novelty.map(|novelty| match novelty {
        crate::threats::Novelty::Reopened => "updated".to_string(),
        other => other.name().to_string(),
    });
    SarifResult {
        baseline_state,
        level: level(t.severity),
        locations: vec![location(diagram, t, artifact, lines)],
        message: Message::new(message),
        partial_fingerprints: fingerprints(t),
        properties: PropertyBag { tags: Vec::new(), values: properties },
        rule_id: descriptor_id(&t.rule, t.severity),
        rule_index,
        suppressions: suppression(t).map(|s| vec![s]),
    }
}

/// Why a closed threat is closed, as SARIF says it: a mitigation declared in the diagram is a
/// suppression in the source (`inSource`); a person's decision in a suppressions file is
/// `external`. Both are `accepted`. An open threat has none.
fn suppression(t: &Threat) -> Option<Suppression> {
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
        return Some(Suppression {
            justification: s.justification.clone(),
            kind: "external".into(),
            properties: Some(PropertyBag { tags: Vec::new(), values: properties }),
            status: "accepted".into(),
        });
    }
    if t.status != Status::Mitigated {
        return None;
    }
    let found: Vec<&str> =
        t.mitigations.iter().flat_map(|m| m.found.iter().map(String::as_str)).collect();
    let justification = format!(
        "Mitigated in the diagram: {}",
        capped(&without_controls(&found.join(", ")), MAX_SHOWN_CHARS)
    );
    Some(Suppression {
        justification,
        kind: "inSource".into(),
        properties: None,
        status: "accepted".into(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::markdown::fixture::*;
    use super::*;
    use crate::model::{Document, Element, ElementKind, Format};
    use serde_json::json;

    /// The fixture with every threat written (closed ones as suppressed results).
    fn rendered() -> (crate::pipeline::Analysed, Value) {
        let catalog = catalog();
        let analysed = with_decisions(&catalog);
        let mut options = SarifOptions::for_document(&analysed.document.path);
        options.include_closed = true;
        let text = render_with(&analysed.report(&catalog), &options).text;
        let value: Value = serde_json::from_str(&text).unwrap();
        (analysed, value)
    }

    #[test]
    fn one_descriptor_per_rule_and_severity_reached() {
        let (analysed, value) = rendered();
        let driver = &value["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "dfd-threats");
        assert_eq!(driver.get("informationUri").and_then(Value::as_str), project_url());
        let ids: Vec<&str> =
            driver["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        let mut expected: Vec<String> = analysed
            .threats
            .iter()
            .map(|t| format!("{}/{}", t.rule.id, t.severity.name()))
            .collect();
        expected.sort();
        expected.dedup();
        assert_eq!(ids, expected, "rules no threat reaches are left out");
        let flow = driver["rules"].as_array().unwrap().iter().find(|r| r["id"] == "T-FLOW/medium");
        let flow = flow.expect("the fixture's flow rule fires at its base severity");
        assert_eq!(flow["name"], "TamperingWithFlowFromSourceToTarget");
        assert_eq!(
            flow["shortDescription"]["text"],
            "Tampering with a data flow from its source to its target"
        );
        assert_eq!(flow["defaultConfiguration"]["level"], "warning");
        assert_eq!(flow["properties"]["security-severity"], "5.5");
        assert_eq!(flow["properties"]["rule"], "T-FLOW");
        assert_eq!(flow["properties"]["tags"], json!(["security", "tampering"]));
        let help = flow["help"]["markdown"].as_str().unwrap();
        assert!(help.contains("protocol=https\\|tls"), "{help}");
        assert!(help.contains("[CWE-319](https://cwe.mitre.org/data/definitions/319.html)"));
        assert_eq!(flow.get("helpUri").and_then(Value::as_str), rule_help_uri("T-FLOW").as_deref());
    }

    #[test]
    fn results_carry_fingerprints_regions_and_states() {
        let (analysed, value) = rendered();
        let results = value["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), analysed.threats.len());
        let rules = &value["runs"][0]["tool"]["driver"]["rules"];
        for (r, t) in results.iter().zip(&analysed.threats) {
            assert_eq!(r["partialFingerprints"][FINGERPRINT], t.id.as_str());
            assert!(r["partialFingerprints"][LINE_HASH].as_str().unwrap().ends_with(":1"));
            assert_eq!(r["ruleId"], format!("{}/{}", t.rule.id, t.severity.name()));
            assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], r["ruleId"]);
            let physical = &r["locations"][0]["physicalLocation"];
            assert_eq!(physical["artifactLocation"]["uri"], "diagrams/serverless-orders.dot");
            assert_eq!(physical["artifactLocation"]["uriBaseId"], SOURCE_ROOT);
            assert!(physical["region"]["startLine"].as_u64().unwrap() > 1);
            assert!(physical["region"]["startColumn"].as_u64().unwrap() >= 1);
            assert_eq!(r["properties"]["status"], t.status.name());
            assert_eq!(r["level"], level(t.severity).name(), "closed or not, the severity shows");
            assert_eq!(r["suppressions"].is_array(), t.status != Status::Open);
        }
        let accepted = results.iter().find(|r| r["properties"]["status"] == "accepted").unwrap();
        assert_eq!(accepted["suppressions"][0]["kind"], "external");
        assert_eq!(accepted["suppressions"][0]["status"], "accepted");
        assert_eq!(accepted["suppressions"][0]["justification"], "Risk owner <b>signed off</b>");
        assert_eq!(accepted["properties"]["novelty"], "new");
        assert_eq!(accepted["baselineState"], "new");
        let mitigated = results.iter().find(|r| r["properties"]["status"] == "mitigated").unwrap();
        assert_eq!(mitigated["suppressions"][0]["kind"], "inSource");
        assert!(mitigated["suppressions"][0]["justification"]
            .as_str()
            .unwrap()
            .starts_with("Mitigated in the diagram: "));
        let receipts =
            results.iter().find(|r| r["properties"]["target_id"] == "receipts_bucket").unwrap();
        assert_eq!(receipts["level"], "error");
        assert_eq!(receipts["properties"]["category"], "information_disclosure");
        assert!(receipts["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Disclosure of data in Receipts bucket (S3). Residual risk high"));
        let dot = include_str!("../../../diagrams/serverless-orders.dot");
        let line = receipts["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap() as usize;
        assert!(dot.lines().nth(line - 1).unwrap().contains("receipts_bucket"));
    }

    #[test]
    fn only_open_threats_unless_asked() {
        let catalog = catalog();
        let analysed = with_decisions(&catalog);
        let value: Value = serde_json::from_str(&render(&analysed.report(&catalog))).unwrap();
        let results = value["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), open_count(&analysed));
        assert!(results.iter().all(|r| r["suppressions"].is_null()));
    }

    #[test]
    fn over_the_cap_the_most_severe_are_kept_with_a_warning() {
        let catalog = catalog();
        let analysed = with_decisions(&catalog);
        let mut options = SarifOptions::for_document(&analysed.document.path);
        options.max_results = 3;
        let rendered = render_with(&analysed.report(&catalog), &options);
        let value: Value = serde_json::from_str(&rendered.text).unwrap();
        let kept: Vec<&str> = value["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["properties"]["severity"].as_str().unwrap())
            .collect();
        assert_eq!(kept.len(), 3);
        let worst = analysed
            .threats
            .iter()
            .filter(|t| t.status == Status::Open)
            .map(|t| t.severity)
            .max()
            .unwrap();
        assert!(kept.contains(&worst.name()), "{kept:?}");
        assert_eq!(rendered.warnings.len(), 1);
        assert!(rendered.warnings[0].contains("25,000") || rendered.warnings[0].contains(" 3 "));
    }

    #[test]
    fn is_deterministic() {
        let catalog = catalog();
        let analysed = with_decisions(&catalog);
        assert_eq!(render(&analysed.report(&catalog)), render(&analysed.report(&catalog)));
    }

    #[test]
    fn drawio_cells_without_a_line_are_named_and_stdin_has_no_base() {
        let mut diagram = Diagram::new("Page 1");
        let mut store = Element::new("cell-7", ElementKind::DataStore, "test");
        store.origin =
            Some(Origin::Cell { page: "Page 1".into(), cell: Some("cell-7".into()), line: None });
        diagram.add_element(store);
        let document = Document {
            path: "-".into(),
            format: Format::DRAWIO,
            diagrams: vec![diagram],
            warnings: vec![],
        };
        let catalog = catalog();
        let analysed = crate::pipeline::analyse(document, &catalog);
        let value: Value = serde_json::from_str(&render(&analysed.report(&catalog))).unwrap();
        let location = &value["runs"][0]["results"][0]["locations"][0];
        assert_eq!(location["physicalLocation"]["artifactLocation"]["uri"], "stdin");
        assert!(location["physicalLocation"]["artifactLocation"]["uriBaseId"].is_null());
        assert_eq!(location["physicalLocation"]["region"]["startLine"], 1);
        assert_eq!(location["message"]["text"], "page Page 1, cell cell-7");
        assert_eq!(
            location["logicalLocations"],
            json!([{ "name": "cell-7", "fullyQualifiedName": "Page 1/cell-7", "kind": "element" }])
        );
        assert_eq!(value["runs"][0]["automationDetails"]["id"], "dfd-threats/stdin/");
    }

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(artifact_uri("models\\my diagram#1.dot"), "models/my%20diagram%231.dot");
    }

    #[test]
    fn regions_end_where_their_line_ends() {
        let lines = LineLengths::new("a\r\n  node [x]\nlast");
        let text = Origin::Text { line: 2, column: 3 };
        let r = region(Some(&text), Some(&lines));
        assert_eq!((r.start_line, r.start_column, r.end_line, r.end_column), (2, 3, 2, 11));
        let cell = Origin::Cell { page: "p".into(), cell: None, line: Some(3) };
        let r = region(Some(&cell), Some(&lines));
        assert_eq!((r.start_line, r.start_column, r.end_column), (3, 1, 5));
        let r = region(None, None);
        assert_eq!((r.start_line, r.start_column, r.end_column), (1, 1, 2));
    }
}
