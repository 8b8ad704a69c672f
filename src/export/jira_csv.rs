//! Jira's CSV import: one ticket per open finding.
//!
//! Only open findings become tickets: a mitigated finding needs no work, and an accepted one is a
//! decision already taken (its record is the suppressions file). A finding is one ticket however
//! many elements and flows it affects, since one fix closes them all; the description lists them,
//! open ones first, at most [`super::markdown::MAX_LISTED_TARGETS`]. Every row is a `Task`, the one issue type
//! every Jira project template has; threats are risks to treat, not defects. `Priority` follows
//! the finding's severity. The repeated `Labels` columns are how Jira's importer takes several
//! labels; `Finding ID` is the stable finding id, to map to a custom field and find the ticket
//! again on the next import.
//!
//! The file is RFC 4180 (every cell quoted, quotes doubled, CRLF between records) and safe to
//! open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
//! gets a leading `'`, so diagram labels cannot run as formulas.

use super::markdown::{declare_with, one_line, target_kind, target_label, ticket_targets};
use super::Report;
use crate::threats::{Finding, Level, Status, Threat};
use crate::user_text::{capped, capped_list, without_controls, MAX_SHOWN_CHARS};

/// The issue type of every row.
pub const ISSUE_TYPE: &str = "Task";

/// Jira rejects summaries over 255 characters.
const SUMMARY_LIMIT: usize = 255;

/// Renders the open findings as a Jira CSV import file.
pub fn render(report: &Report<'_>) -> String {
    let tickets: Vec<&Finding<'_>> =
        report.findings.iter().filter(|f| f.status == Status::Open).collect();
    let labels: Vec<Vec<String>> = tickets.iter().map(|f| labels(f)).collect();
    let label_columns = labels.iter().map(Vec::len).max().unwrap_or(0).max(1);

    let mut out = String::new();
    let mut header = vec!["Summary", "Description", "Issue Type", "Priority"];
    header.extend(std::iter::repeat_n("Labels", label_columns));
    header.push("Finding ID");
    record(&mut out, header.iter().map(|h| h.to_string()));

    for (f, mut labels) in tickets.into_iter().zip(labels) {
        labels.resize(label_columns, String::new());
        let mut row = vec![
            summary(&f.title()),
            description(f),
            ISSUE_TYPE.to_string(),
            priority(f.severity).to_string(),
        ];
        row.extend(labels);
        row.push(f.id.clone());
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

fn labels(f: &Finding<'_>) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    let candidates = ["dfd-threats".to_string(), f.rule.category.name().to_string()]
        .into_iter()
        .chain(f.rule.tags.iter().map(|tag| label(tag)))
        .chain([label(&format!("rule-{}", f.rule.id))]);
    for candidate in candidates {
        if !candidate.is_empty() && !labels.contains(&candidate) {
            labels.push(candidate);
        }
    }
    labels
}

/// The ticket body in plain text: enough to act on without opening the threat model.
fn description(f: &Finding<'_>) -> String {
    let mut lines = Vec::new();
    lines.push(format!("Finding: {}", one_line(&f.title())));
    if !f.rule.description.is_empty() {
        lines.push(one_line(&f.rule.description));
    }
    lines.push(String::new());
    lines.push(format!("Diagram: {}", capped(f.diagram_name, MAX_SHOWN_CHARS)));
    lines.push(format!("Rule: {} ({})", f.rule.id, f.rule.category.name()));
    lines.push(format!(
        "Severity: {}; residual risk: {} (the highest over its open targets)",
        f.severity, f.residual_risk
    ));
    lines.push(String::new());
    lines.push(format!("Targets ({}, {} open):", f.targets.len(), f.open_targets().count()));
    let (listed, more) = ticket_targets(f);
    lines.extend(listed.into_iter().map(|t| format!("* {}", target_line(f, t))));
    if more > 0 {
        lines.push(format!("* ... and {more} more: see the JSON report"));
    }
    lines.push(String::new());
    mitigation_lines(f, &mut lines);
    if !f.rule.references.is_empty() {
        lines.push(String::new());
        lines.push("References:".to_string());
        lines.extend(f.rule.references.iter().map(|r| format!("* {r}")));
    }
    lines.push(String::new());
    lines.push(format!("Finding ID: {} (dfd-threats)", f.id));
    lines.join("\n")
}

fn target_line(f: &Finding<'_>, t: &Threat) -> String {
    let label = target_label(f.diagram, t).map_or_else(String::new, |l| format!(" ({l})"));
    let why = if t.severity_reasons.is_empty() {
        String::new()
    } else {
        format!(" ({})", t.severity_reasons.join(", "))
    };
    format!(
        "{} {}{label}: {}, severity {}{why}, residual risk {} ({}); threat {}",
        target_kind(t),
        capped(&t.target_id, MAX_SHOWN_CHARS),
        t.status.name(),
        t.severity,
        t.residual_risk,
        t.residual_reason,
        t.id
    )
}

fn mitigation_lines(f: &Finding<'_>, lines: &mut Vec<String>) {
    if f.rule.mitigations.is_empty() {
        lines.push("Mitigations: the rule lists none the diagram can declare.".to_string());
        return;
    }
    lines.push("Mitigations:".to_string());
    for (i, m) in f.rule.mitigations.iter().enumerate() {
        let detail = if f.declares(i) {
            format!("[declared] {}: {}", f.advice(m), capped_list(f.evidence(i).into_iter()))
        } else {
            format!("[missing] {}: declare with {}", f.advice(m), declare_with(m))
        };
        lines.push(format!("* {detail}"));
    }
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
    use crate::model::Diagram;

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
    fn one_row_per_open_finding_with_jira_columns() {
        let (analysed, csv) = rendered();
        let rows = parse(&csv);
        let header = &rows[0];
        assert_eq!(header[..4], ["Summary", "Description", "Issue Type", "Priority"]);
        assert_eq!(header.last().unwrap(), "Finding ID");
        let label_columns = header.iter().filter(|h| *h == "Labels").count();
        assert!(label_columns >= 4, "{header:?}");
        assert_eq!(header.len(), 5 + label_columns);

        let catalog = catalog();
        let report = analysed.report(&catalog);
        let open: Vec<&Finding<'_>> =
            report.findings.iter().filter(|f| f.status == Status::Open).collect();
        assert!(open.len() < report.findings.len(), "the fixture has closed findings too");
        assert!(open.len() < open_count(&analysed), "and findings of several targets");
        assert_eq!(rows.len() - 1, open.len());
        for (row, f) in rows[1..].iter().zip(&open) {
            assert_eq!(row.len(), header.len());
            assert_eq!(row.last().unwrap(), &f.id);
            assert_eq!(row[2], "Task");
            assert_eq!(row[3], priority(f.severity));
            assert!(row[1].contains(&f.id) && row[1].contains("residual risk"));
            for t in &f.targets {
                assert!(row[1].contains(&format!("threat {}", t.id)), "{}", row[1]);
            }
            let labels: Vec<&String> =
                row[4..4 + label_columns].iter().filter(|l| !l.is_empty()).collect();
            assert!(labels.iter().all(|l| !l.contains(' ')), "{labels:?}");
            assert_eq!(labels[0], "dfd-threats");
            assert!(labels.contains(&&format!("rule-{}", f.rule.id)));
            assert!(labels.contains(&&f.rule.category.name().to_string()));
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
        let formula = rows.iter().find(|r| r[0].starts_with("'=cmd")).unwrap();
        assert_eq!(formula[0], format!("'{HOSTILE_FORMULA} can be impersonated (+3 more)"));
        assert!(csv.contains("\"'=cmd|' /C calc'!A0 can be impersonated (+3 more)\""));
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
            "\"Summary\",\"Description\",\"Issue Type\",\"Priority\",\"Labels\",\"Finding ID\"\r\n"
        );
    }

    fn analysed_without_threats(catalog: &crate::threats::Catalog) -> crate::pipeline::Analysed {
        let document = crate::model::Document {
            path: "x.dot".into(),
            format: crate::model::Format::DOT,
            diagrams: vec![Diagram::new("g")],
            warnings: vec![],
        };
        crate::pipeline::analyse(document, catalog)
    }
}
