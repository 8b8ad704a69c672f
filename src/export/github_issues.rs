//! GitHub issues as JSON lines, one object per open finding: `{"id", "title", "body", "labels"}`,
//! ready for `gh issue create` or the REST API in a loop.
//!
//! Only open findings become issues (mitigated ones need no work, accepted ones are decided); a
//! finding is one issue however many elements and flows it affects, since one fix closes them
//! all, and its body lists them (the open ones first, at most [`MAX_LISTED_TARGETS`]).
//! The body is Markdown built from escaped user text, so a label in the diagram cannot inject
//! HTML, links or Markdown structure into the issue. Its last line is a hidden marker,
//! `<!-- dfd-threats-id: F-... -->` with the finding id, so a re-run can search for the issue it
//! already filed instead of filing it twice. The title is plain text (GitHub does not render
//! Markdown in titles), so it is not escaped.

use std::fmt::Write;

use serde::Serialize;

use super::markdown::{
    declare_with, escape_markdown, one_line, reference_markdown, severity_why, shown_id,
    target_kind, target_label, ticket_targets,
};
use super::Report;
use crate::threats::{Finding, Novelty, Status, Threat};
use crate::user_text::{capped_list, without_controls};

pub use super::markdown::MAX_LISTED_TARGETS;

/// GitHub rejects label names over 50 characters.
const LABEL_LIMIT: usize = 50;

#[derive(Serialize)]
struct Issue {
    id: String,
    /// `open`: file the issue if none carries the marker. `closed`: close it if one is open.
    state: &'static str,
    title: String,
    body: String,
    labels: Vec<String>,
}

/// A finding of this run that is no longer open: its issue, if one was filed, can be closed.
#[derive(Serialize)]
struct Closed<'a> {
    id: &'a str,
    state: &'static str,
    /// `mitigated` (the diagram declares the controls) or `accepted` (a suppression).
    reason: &'static str,
}

/// The marker a re-run searches issue bodies for.
pub fn marker(finding_id: &str) -> String {
    // Finding ids are `F-` and hex digits; filtering keeps a hand-edited id from closing the
    // comment early.
    let id: String = finding_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!("<!-- dfd-threats-id: {id} -->")
}

/// Renders one JSON object per finding, one per line: each open finding as an issue to file
/// (`"state": "open"`), then each finding that is mitigated or accepted as `"state": "closed"`.
/// A sync loop files the first kind, closes the second, and closes any open issue whose marker
/// names a finding that is not in the output at all (fixed, or its controls changed so it has a
/// new id): it converges on the diagram whatever was filed before (README).
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for f in report.findings.iter().filter(|f| f.status == Status::Open) {
        let issue = Issue {
            id: f.id.clone(),
            state: "open",
            title: format!(
                "[dfd-threats] {}: {}",
                f.severity,
                one_line(&without_controls(&f.title()))
            ),
            body: body(f),
            labels: labels(f),
        };
        if let Ok(line) = serde_json::to_string(&issue) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    for f in report.findings.iter().filter(|f| f.status != Status::Open) {
        let reason = if f.status == Status::Accepted { "accepted" } else { "mitigated" };
        if let Ok(line) = serde_json::to_string(&Closed { id: &f.id, state: "closed", reason }) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn labels(f: &Finding<'_>) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    let candidates = [
        "threat-model".to_string(),
        format!("severity:{}", f.severity),
        format!("stride:{}", f.rule.category.name()),
    ]
    .into_iter()
    .chain(f.rule.tags.iter().map(|tag| one_line(tag)));
    for candidate in candidates {
        let candidate = label_name(&candidate);
        if !candidate.is_empty() && !labels.contains(&candidate) {
            labels.push(candidate);
        }
    }
    labels
}

fn label_name(candidate: &str) -> String {
    candidate.chars().take(LABEL_LIMIT).collect()
}

/// A label the issues can carry, for `gh label create`.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct LabelSpec {
    pub name: String,
    /// Six hex digits, no `#`, as `gh label create --color` takes it.
    pub color: &'static str,
    pub description: String,
}

/// Every label an issue of this catalog's rules can carry: `threat-model`, one per severity,
/// one per STRIDE category, and every rule tag, in that order.
pub fn all_labels(catalog: &crate::threats::Catalog) -> Vec<LabelSpec> {
    use crate::threats::Level;
    let mut out = vec![LabelSpec {
        name: "threat-model".into(),
        color: "1d76db",
        description: "Filed by dfd-threats from a data flow diagram".into(),
    }];
    for (level, color) in [
        (Level::Critical, "b60205"),
        (Level::High, "d93f0b"),
        (Level::Medium, "fbca04"),
        (Level::Low, "0e8a16"),
    ] {
        let name = label_name(&format!("severity:{level}"));
        out.push(LabelSpec { name, color, description: format!("Threat severity {level}") });
    }
    let mut categories: Vec<&str> = catalog.rules().map(|r| r.category.name()).collect();
    let mut tags: Vec<String> =
        catalog.rules().flat_map(|r| r.tags.iter().map(|t| label_name(&one_line(t)))).collect();
    categories.sort_unstable();
    categories.dedup();
    tags.sort();
    tags.dedup();
    for category in categories {
        let name = label_name(&format!("stride:{category}"));
        let description = format!("STRIDE category {category}");
        out.push(LabelSpec { name, color: "5319e7", description });
    }
    for tag in tags.into_iter().filter(|t| !t.is_empty()) {
        if !out.iter().any(|l| l.name == tag) {
            let description = format!("Threat rules tagged {tag}");
            out.push(LabelSpec { name: tag, color: "c5def5", description });
        }
    }
    out
}

fn body(f: &Finding<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "**{}**\n", escape_markdown(&f.title()));
    if !f.rule.description.is_empty() {
        let _ = writeln!(out, "{}\n", escape_markdown(&f.rule.description));
    }
    match f.novelty() {
        Some(Novelty::New) => out.push_str("New since the baseline.\n\n"),
        Some(Novelty::Reopened) => out.push_str(
            "Open again since the baseline, where it was mitigated or accepted: a declared control \
             or a suppression is gone.\n\n",
        ),
        _ => {}
    }
    let _ = writeln!(out, "- Diagram: {}", shown_id(f.diagram_name));
    let _ = writeln!(
        out,
        "- Rule: {} ({})",
        escape_markdown(&f.rule.id),
        escape_markdown(f.rule.category.name())
    );
    let _ = writeln!(
        out,
        "- Severity {}, residual risk {}: the highest over its open targets\n",
        f.severity, f.residual_risk
    );
    targets(&mut out, f);
    mitigations(&mut out, f);
    if !f.rule.references.is_empty() {
        out.push_str("### References\n\n");
        for r in &f.rule.references {
            let _ = writeln!(out, "- {}", reference_markdown(r));
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Finding id {}, found by dfd-threats {}.",
        escape_markdown(&f.id),
        env!("CARGO_PKG_VERSION")
    );
    out.push_str(&marker(&f.id));
    out
}

/// The elements and flows the finding affects, open ones first, each with its own figures.
fn targets(out: &mut String, f: &Finding<'_>) {
    let _ = writeln!(out, "### Targets ({}, {} open)\n", f.targets.len(), f.open_targets().count());
    let (listed, more) = ticket_targets(f);
    for t in listed {
        let _ = writeln!(out, "- {}", target_line(f, t));
    }
    if more > 0 {
        let _ = writeln!(out, "- … and {more} more: see the JSON report");
    }
    out.push('\n');
}

fn target_line(f: &Finding<'_>, t: &Threat) -> String {
    let kind = if target_kind(t) == "flow" { "Flow" } else { "Element" };
    let label = target_label(f.diagram, t)
        .map_or_else(String::new, |l| format!(" ({})", escape_markdown(&l)));
    let novelty = match t.novelty.filter(|_| t.status == Status::Open) {
        Some(Novelty::New) => " New since the baseline.",
        Some(Novelty::Reopened) => " Open again since the baseline.",
        _ => "",
    };
    format!(
        "{kind} {}{label}: **{}**, severity {} ({}); residual risk {}: {}. Threat {}.{novelty}",
        shown_id(&t.target_id),
        t.status.name(),
        t.severity,
        escape_markdown(&severity_why(t)),
        t.residual_risk,
        escape_markdown(t.residual_reason.trim_end_matches('.')),
        escape_markdown(&t.id)
    )
}

/// The rule's mitigations as a checklist: the finding's targets declare the same ones.
fn mitigations(out: &mut String, f: &Finding<'_>) {
    out.push_str("### Mitigations\n\n");
    if f.rule.mitigations.is_empty() {
        out.push_str("The rule lists no mitigation the diagram can declare.\n");
    }
    for (i, m) in f.rule.mitigations.iter().enumerate() {
        if f.declares(i) {
            let _ = writeln!(
                out,
                "- [x] {}: declared by {}",
                escape_markdown(f.advice(m)),
                escape_markdown(&capped_list(f.evidence(i).into_iter()))
            );
        } else {
            let _ = writeln!(
                out,
                "- [ ] {}: declare with {}",
                escape_markdown(f.advice(m)),
                escape_markdown(&declare_with(m))
            );
        }
    }
    out.push('\n');
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::markdown::fixture::*;
    use super::*;
    use serde_json::Value;

    fn rendered() -> (crate::pipeline::Analysed, String, Vec<Value>) {
        let catalog = catalog();
        let analysed = with_decisions(&catalog);
        let lines = render(&analysed.report(&catalog));
        let issues = lines
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|issue| issue["state"] == "open")
            .collect();
        (analysed, lines, issues)
    }

    #[test]
    fn findings_no_longer_open_are_lines_to_close_after_the_issues_to_file() {
        let catalog = catalog();
        let analysed = with_decisions(&catalog);
        let report = analysed.report(&catalog);
        let lines: Vec<Value> =
            render(&report).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let states: Vec<&str> = lines.iter().map(|l| l["state"].as_str().unwrap()).collect();
        let first_closed = states.iter().position(|s| *s == "closed").unwrap();
        assert!(states[first_closed..].iter().all(|s| *s == "closed"), "{states:?}");
        let closed: Vec<&Value> = lines[first_closed..].iter().collect();
        let not_open: Vec<_> =
            report.findings.iter().filter(|f| f.status != Status::Open).collect();
        assert_eq!(closed.len(), not_open.len());
        for (line, f) in closed.iter().zip(&not_open) {
            assert_eq!(line["id"], f.id.as_str());
            let reason = if f.status == Status::Accepted { "accepted" } else { "mitigated" };
            assert_eq!(line["reason"], reason);
            assert_eq!(line.as_object().unwrap().len(), 3, "no title or body to post: {line}");
        }
    }

    #[test]
    fn one_issue_per_open_finding_listing_its_targets() {
        let (analysed, _, issues) = rendered();
        let catalog = catalog();
        let report = analysed.report(&catalog);
        let open: Vec<_> = report.findings.iter().filter(|f| f.status == Status::Open).collect();
        assert_eq!(issues.len(), open.len());
        assert!(open.len() < open_count(&analysed), "the fixture has findings of several targets");
        for (issue, f) in issues.iter().zip(&open) {
            let keys: Vec<&String> = issue.as_object().unwrap().keys().collect();
            assert_eq!(keys.len(), 5);
            assert_eq!(issue["state"], "open");
            assert_eq!(issue["id"], f.id.as_str());
            assert_eq!(
                issue["title"].as_str().unwrap(),
                format!("[dfd-threats] {}: {}", f.severity, f.title())
            );
            let labels = issue["labels"].as_array().unwrap();
            assert_eq!(labels[0], "threat-model");
            assert_eq!(labels[1], format!("severity:{}", f.severity).as_str());
            assert_eq!(labels[2], format!("stride:{}", f.rule.category.name()).as_str());
            let body = issue["body"].as_str().unwrap();
            assert_eq!(body.lines().last().unwrap(), format!("<!-- dfd-threats-id: {} -->", f.id));
            assert!(body.contains("### Mitigations"));
            for t in &f.targets {
                assert!(body.contains(&format!("Threat {}.", t.id)), "{} not in {body}", t.id);
            }
        }
        let (listed, more) = ticket_targets(open.iter().max_by_key(|f| f.targets.len()).unwrap());
        assert_eq!(more, 0);
        assert!(listed.len() > 1);
        assert!(listed
            .windows(2)
            .all(|w| w[0].status == Status::Open || w[1].status != Status::Open));
    }

    #[test]
    fn bodies_have_checklists_and_reference_links() {
        let (_, _, issues) = rendered();
        let body_of = |needle: &str| {
            issues.iter().find(|i| i["body"].as_str().unwrap().contains(needle)).unwrap()
        };
        let actor = body_of("Rule: S-ACTOR");
        let body = actor["body"].as_str().unwrap();
        assert!(
            body.contains(
                "- [ ] Authenticate the actor: declare with authenticated or authentication=\\*"
            ),
            "{body}"
        );
        assert!(body.contains("[CWE-287](https://cwe.mitre.org/data/definitions/287.html)"));
        assert!(body.contains("[CAPEC-151](https://capec.mitre.org/data/definitions/151.html)"));
        assert!(body.contains("- NIST SP 800-63"));
        assert!(actor["labels"].as_array().unwrap().contains(&Value::from("web app")));
        let partly =
            body_of("- [x] Use TLS: declared by protocol=HTTPS on flow")["body"].as_str().unwrap();
        assert!(partly.contains("- [ ] Sign messages: declare with signed"), "{partly}");
        assert!(partly.contains("1 of 2 mitigations declared"));
    }

    #[test]
    fn user_text_is_harmless() {
        let (_, lines, issues) = rendered();
        for issue in &issues {
            let body = issue["body"].as_str().unwrap();
            let without_marker = body.rsplit_once('\n').unwrap().0;
            assert!(!without_marker.contains('<'), "raw HTML in {body}");
        }
        let html = issues
            .iter()
            .map(|i| i["body"].as_str().unwrap())
            .find(|b| b.contains("onerror"))
            .unwrap();
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        let formula = issues
            .iter()
            .map(|i| i["body"].as_str().unwrap())
            .find(|b| b.contains("can be impersonated"))
            .unwrap();
        assert!(formula.contains("\\=cmd\\|' /C calc'\\!A0"), "{formula}");
        assert!(issues.iter().all(|i| !i["body"].as_str().unwrap().contains("=cmd|")));
        assert_eq!(marker("T-1 --><script>"), "<!-- dfd-threats-id: T-1--script -->");
        assert!(lines.ends_with('\n'));
    }

    #[test]
    fn is_deterministic() {
        let (analysed, lines, _) = rendered();
        let catalog = catalog();
        assert_eq!(lines, render(&analysed.report(&catalog)));
    }
}
