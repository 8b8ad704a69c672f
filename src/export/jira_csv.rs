//! Jira's CSV import: one ticket per open threat.
//!
//! Only open threats become tickets: a mitigated threat needs no work, and an accepted one is a
//! decision already taken (its record is the suppressions file). Every row is a `Task`, the one
//! issue type every Jira project template has; threats are risks to treat, not defects.
//! `Priority` follows the threat's severity. The repeated `Labels` columns are how Jira's
//! importer takes several labels; `Threat ID` is the stable id, to map to a custom field and
//! find the ticket again on the next import.
//!
//! The file is RFC 4180 (every cell quoted, quotes doubled, CRLF between records) and safe to
//! open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
//! gets a leading `'`, so diagram labels cannot run as formulas.

use super::markdown::{one_line, target_kind, target_label, threats_with_diagrams};
use super::Report;
use crate::model::Diagram;
use crate::threats::{Level, Status, Threat};
use crate::user_text::{capped, without_controls, MAX_SHOWN_CHARS};

/// The issue type of every row.
pub const ISSUE_TYPE: &str = "Task";

/// Jira rejects summaries over 255 characters.
const SUMMARY_LIMIT: usize = 255;

/// Renders the open threats as a Jira CSV import file.
pub fn render(report: &Report<'_>) -> String {
    let tickets: Vec<(Option<&Diagram>, &Threat)> = threats_with_diagrams(report)
        .into_iter()
        .filter(|(_, t)| t.status == Status::Open)
        .collect();
    let labels: Vec<Vec<String>> = tickets.iter().map(|(_, t)| labels(t)).collect();
    let label_columns = labels.iter().map(Vec::len).max().unwrap_or(0).max(1);

    let mut out = String::new();
    let mut header = vec!["Summary", "Description", "Issue Type", "Priority"];
    header.extend(std::iter::repeat_n("Labels", label_columns));
    header.push("Threat ID");
    record(&mut out, header.iter().map(|h| h.to_string()));

    for ((diagram, t), mut labels) in tickets.into_iter().zip(labels) {
        labels.resize(label_columns, String::new());
        let mut row = vec![
            summary(&t.title),
            description(diagram, t),
            ISSUE_TYPE.to_string(),
            priority(t.severity).to_string(),
        ];
        row.extend(labels);
        row.push(t.id.clone());
        record(&mut out, row.into_iter());
    }
    out
}

/// Jira's default priority scheme.
pub fn priority(severity: Level) -> &'static str {
    match severity {
        Level::Critical => "Highest",
        Level::High => "High",
        Level::Medium => "Medium",
        Level::Low => "Low",
        Level::None => "Lowest",
    }
}

fn summary(title: &str) -> String {
    let title = one_line(title);
    match title.char_indices().nth(SUMMARY_LIMIT) {
        Some((cut, _)) => title[..cut].to_string(),
        None => title,
    }
}

/// Jira labels cannot hold spaces; whitespace runs become `-`.
fn label(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("-")
}

fn labels(t: &Threat) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    let candidates = ["dfd-threats".to_string(), t.rule.category.name().to_string()]
        .into_iter()
        .chain(t.rule.tags.iter().map(|tag| label(tag)))
        .chain([label(&format!("rule-{}", t.rule.id))]);
    for candidate in candidates {
        if !candidate.is_empty() && !labels.contains(&candidate) {
            labels.push(candidate);
        }
    }
    labels
}

/// The ticket body in plain text: enough to act on without opening the threat model.
fn description(diagram: Option<&Diagram>, t: &Threat) -> String {
    let mut lines = Vec::new();
    lines.push(format!("Threat: {}", one_line(&t.title)));
    if !t.rule.description.is_empty() {
        lines.push(one_line(&t.rule.description));
    }
    lines.push(String::new());
    let label = target_label(diagram, t).map_or_else(String::new, |l| format!(" ({l})"));
    lines.push(format!(
        "Target: {} {}{} in diagram {}",
        target_kind(t),
        capped(&t.target_id, MAX_SHOWN_CHARS),
        label,
        capped(&t.diagram, MAX_SHOWN_CHARS)
    ));
    lines.push(format!("Rule: {} ({})", t.rule.id, t.rule.category.name()));
    let why = if t.severity_reasons.is_empty() {
        String::new()
    } else {
        format!(" ({})", t.severity_reasons.join(", "))
    };
    lines.push(format!("Severity: {}{why}", t.severity));
    lines.push(format!("Residual risk: {} ({})", t.residual_risk, t.residual_reason));
    lines.push(String::new());
    if t.rule.mitigations.is_empty() {
        lines.push("Mitigations: the rule lists none the diagram can declare.".to_string());
    } else {
        lines.push("Mitigations:".to_string());
        for (m, state) in t.rule.mitigations.iter().zip(&t.mitigations) {
            let (advice, _) = t.advice(diagram, m);
            let detail = if state.present {
                format!("[declared] {advice}: {}", state.found.join(", "))
            } else {
                let how: Vec<&str> = m.declared_by.iter().map(|d| d.text.as_str()).collect();
                format!("[missing] {advice}: declare with {}", how.join(" or "))
            };
            lines.push(format!("* {detail}"));
        }
    }
    if !t.rule.references.is_empty() {
        lines.push(String::new());
        lines.push("References:".to_string());
        lines.extend(t.rule.references.iter().map(|r| format!("* {r}")));
    }
    lines.push(String::new());
    lines.push(format!("Threat ID: {} (dfd-threats)", t.id));
    lines.join("\n")
}

/// A spreadsheet runs a cell starting with one of these as a formula.
fn neutralise_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Writes one record. Control characters are removed from each cell (the description's line
/// breaks kept) before the formula check and the quoting, so nothing that strips escape
/// sequences later can uncover a formula.
fn record(out: &mut String, cells: impl Iterator<Item = String>) {
    let quoted: Vec<String> = cells
        .map(|c| {
            let clean: Vec<_> = c.split('\n').map(without_controls).collect();
            format!("\"{}\"", neutralise_formula(&clean.join("\n")).replace('"', "\"\""))
        })
        .collect();
    out.push_str(&quoted.join(","));
    out.push_str("\r\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::markdown::fixture::*;
    use super::*;

    /// A small RFC 4180 reader, so tests check cells rather than bytes.
    fn parse(csv: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut cell = String::new();
        let mut chars = csv.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cell.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut cell)),
                (false, '\r') => {
                    assert_eq!(chars.next(), Some('\n'), "records end in CRLF");
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => panic!("unquoted {c:?}"),
            }
        }
        assert!(row.is_empty() && cell.is_empty(), "the file ends with CRLF");
        rows
    }

    fn rendered() -> (crate::pipeline::Analysed, String) {
        let catalog = catalog();
        let analysed = with_decisions(&catalog);
        let csv = render(&analysed.report(&catalog));
        (analysed, csv)
    }

    #[test]
    fn one_row_per_open_threat_with_jira_columns() {
        let (analysed, csv) = rendered();
        let rows = parse(&csv);
        let header = &rows[0];
        assert_eq!(header[..4], ["Summary", "Description", "Issue Type", "Priority"]);
        assert_eq!(header.last().unwrap(), "Threat ID");
        let label_columns = header.iter().filter(|h| *h == "Labels").count();
        assert!(label_columns >= 4, "{header:?}");
        assert_eq!(header.len(), 5 + label_columns);

        let open: Vec<&Threat> =
            analysed.threats.iter().filter(|t| t.status == Status::Open).collect();
        assert!(open.len() < analysed.threats.len(), "the fixture has closed threats too");
        assert_eq!(rows.len() - 1, open.len());
        for (row, t) in rows[1..].iter().zip(&open) {
            assert_eq!(row.len(), header.len());
            assert_eq!(row.last().unwrap(), &t.id);
            assert_eq!(row[2], "Task");
            assert_eq!(row[3], priority(t.severity));
            assert!(row[1].contains(&t.id) && row[1].contains("Residual risk"));
            let labels: Vec<&String> =
                row[4..4 + label_columns].iter().filter(|l| !l.is_empty()).collect();
            assert!(labels.iter().all(|l| !l.contains(' ')), "{labels:?}");
            assert_eq!(labels[0], "dfd-threats");
            assert!(labels.contains(&&format!("rule-{}", t.rule.id)));
            assert!(labels.contains(&&t.rule.category.name().to_string()));
        }
        let actor = rows.iter().find(|r| r[1].contains("S-ACTOR")).unwrap();
        assert!(actor.contains(&"web-app".to_string()));
        assert!(actor[1].contains(
            "[missing] Authenticate the actor: declare with authenticated or authentication=*"
        ));
        let receipts = rows.iter().find(|r| r[1].contains("receipts_bucket")).unwrap();
        assert_eq!(receipts[3], "High");
    }

    #[test]
    fn formulas_are_neutralised_and_quotes_doubled() {
        let (_, csv) = rendered();
        let rows = parse(&csv);
        let formula = rows.iter().find(|r| r[0].contains("=cmd")).unwrap();
        assert_eq!(formula[0], format!("'{HOSTILE_FORMULA} can be impersonated"));
        assert!(csv.contains("\"'=cmd|' /C calc'!A0 can be impersonated\""));
        for cell in rows.iter().flatten() {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?}");
        }
        assert_eq!(neutralise_formula("-1"), "'-1");
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("\tx"), "'\tx");
        assert_eq!(neutralise_formula("a=b"), "a=b");
        let mut out = String::new();
        record(&mut out, ["say \"hi\"".to_string(), "+1".to_string()].into_iter());
        assert_eq!(out, "\"say \"\"hi\"\"\",\"'+1\"\r\n");
    }

    #[test]
    fn is_deterministic_and_summaries_fit() {
        let (analysed, csv) = rendered();
        let catalog = catalog();
        assert_eq!(csv, render(&analysed.report(&catalog)));
        assert_eq!(summary(&"x".repeat(300)).chars().count(), 255);
        assert_eq!(summary("a\nb"), "a b");
    }

    #[test]
    fn no_open_threats_gives_a_header_only() {
        let catalog = crate::threats::Catalog::default();
        let analysed = analysed_without_threats(&catalog);
        let csv = render(&analysed.report(&catalog));
        assert_eq!(
            csv,
            "\"Summary\",\"Description\",\"Issue Type\",\"Priority\",\"Labels\",\"Threat ID\"\r\n"
        );
    }

    fn analysed_without_threats(catalog: &crate::threats::Catalog) -> crate::pipeline::Analysed {
        let document = crate::model::Document {
            path: "x.dot".into(),
            format: crate::model::Format::Dot,
            diagrams: vec![Diagram::new("g")],
            warnings: vec![],
        };
        crate::pipeline::analyse(document, catalog)
    }
}
