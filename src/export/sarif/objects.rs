//! The objects of SARIF 2.1.0 that dfd-threats writes, as plain serde types.
//!
//! Why our own: the SARIF crate generates its types from the OASIS schema in a build script,
//! which brought a regex engine, a code generator and its formatter and three derive-macro
//! crates into every build, for a writer that needs eighteen small types and never reads
//! SARIF. The schema test (`tests/sarif.rs`) holds the output against the OASIS schema.
//!
//! Fields are declared in alphabetical order, as written: SARIF files committed by users (a
//! docs build's `--check`) must not change when only the code that writes them does. Absent
//! optional members are left out, never written as `null`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// The SARIF log: the file's root object.
#[derive(Debug, Clone, Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: String,
    pub runs: Vec<Run>,
    pub version: String,
}

/// One run of the tool over one diagram file.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub automation_details: RunAutomationDetails,
    /// How columns are counted: `unicodeCodePoints`, as DOT positions are.
    pub column_kind: String,
    /// What each `uriBaseId` stands for (`%SRCROOT%`).
    pub original_uri_base_ids: BTreeMap<String, ArtifactLocation>,
    pub results: Vec<SarifResult>,
    pub tool: Tool,
}

/// The run's identity; GitHub reads up to its last `/` as the analysis category.
#[derive(Debug, Clone, Serialize)]
pub struct RunAutomationDetails {
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub driver: ToolComponent,
}

/// The tool itself and its rules.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolComponent {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub information_uri: Option<String>,
    pub name: String,
    pub rules: Vec<ReportingDescriptor>,
    pub semantic_version: String,
    pub version: String,
}

/// A rule at one severity (`RULE-ID/severity`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    pub default_configuration: ReportingConfiguration,
    pub full_description: MultiformatMessageString,
    pub help: MultiformatMessageString,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    pub id: String,
    pub name: String,
    pub properties: PropertyBag,
    pub short_description: MultiformatMessageString,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportingConfiguration {
    pub level: ResultLevel,
}

/// A text with an optional Markdown rendering of it.
#[derive(Debug, Clone, Serialize)]
pub struct MultiformatMessageString {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    pub text: String,
}

/// A plain-text message.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub text: String,
}

impl Message {
    pub fn new(text: impl Into<String>) -> Self {
        Message { text: text.into() }
    }
}

/// Tags and named values; GitHub reads `tags` and `security-severity` from a rule's bag.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PropertyBag {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(flatten)]
    pub values: BTreeMap<String, Value>,
}

/// How serious a result is in SARIF's own scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultLevel {
    Error,
    Warning,
    Note,
}

impl ResultLevel {
    /// The name SARIF writes.
    pub fn name(self) -> &'static str {
        match self {
            ResultLevel::Error => "error",
            ResultLevel::Warning => "warning",
            ResultLevel::Note => "note",
        }
    }
}

/// One threat on one target.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    /// `new`, `unchanged`, `updated` or `absent` against a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_state: Option<String>,
    pub level: ResultLevel,
    pub locations: Vec<Location>,
    pub message: Message,
    pub partial_fingerprints: BTreeMap<String, String>,
    pub properties: PropertyBag,
    pub rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressions: Option<Vec<Suppression>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logical_locations: Option<Vec<LogicalLocation>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    pub physical_location: PhysicalLocation,
}

/// Where a target is when no line says it: the page and cell of a compressed draw.io page.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogicalLocation {
    pub fully_qualified_name: String,
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

/// A file, by URI relative to a base (`uriBaseId`), or a base's own description.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<String>,
}

/// Lines and columns from 1; the end column is one past the last character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub end_column: usize,
    pub end_line: usize,
    pub start_column: usize,
    pub start_line: usize,
}

/// Why a closed threat is not an open alert.
#[derive(Debug, Clone, Serialize)]
pub struct Suppression {
    pub justification: String,
    /// `inSource` (declared in the diagram) or `external` (a suppressions file).
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<PropertyBag>,
    /// Always `accepted`: a closed threat is one someone accepted.
    pub status: String,
}
