//! GitHub issues as JSON lines, one object per open threat: `{"id", "title", "body", "labels"}`,
//! ready for `gh issue create` or the REST API in a loop.
//!
//! Only open threats become issues (mitigated ones need no work, accepted ones are decided).
//! The body is Markdown built from escaped user text, so a label in the diagram cannot inject
//! HTML, links or Markdown structure into the issue. Its last line is a hidden marker,
//! `<!-- dfd-threats-id: T-... -->`, so a re-run can search for the issue it already filed
//! instead of filing it twice. The title is plain text (GitHub does not render Markdown in
//! titles), so it is not escaped.

use std::fmt::Write;

use serde::Serialize;

use super::markdown::{
    escape_markdown, one_line, reference_markdown, severity_why, shown_id, target_kind,
    target_label, threats_with_diagrams,
};
use super::Report;
use crate::model::Diagram;
use crate::threats::{Novelty, Status, Threat};
use crate::user_text::without_controls;

/// GitHub rejects label names over 50 characters.
const LABEL_LIMIT: usize = 50;

#[derive(Serialize)]
struct Issue {
    id: String,
    title: String,
    body: String,
    labels: Vec<String>,
}

/// The marker a re-run searches issue bodies for.
pub fn marker(threat_id: &str) -> String {
    // Threat ids are `T-` and hex digits; filtering keeps a hand-edited id from closing the
    // comment early.
    let id: String =
        threat_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    format!("<!-- dfd-threats-id: {id} -->")
}

/// Renders one JSON object per open threat, one per line.
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for (diagram, t) in threats_with_diagrams(report) {
        if t.status != Status::Open {
            continue;
        }
        let issue = Issue {
            id: t.id.clone(),
            title: format!(
                "[dfd-threats] {}: {}",
                t.severity,
                one_line(&without_controls(&t.title))
            ),
            body: body(diagram, t),
            labels: labels(t),
        };
        if let Ok(line) = serde_json::to_string(&issue) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn labels(t: &Threat) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    let candidates = [
        "threat-model".to_string(),
        format!("severity:{}", t.severity),
        format!("stride:{}", t.rule.category.name()),
    ]
    .into_iter()
    .chain(t.rule.tags.iter().map(|tag| one_line(tag)));
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

fn body(diagram: Option<&Diagram>, t: &Threat) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "**{}**\n", escape_markdown(&t.title));
    if !t.rule.description.is_empty() {
        let _ = writeln!(out, "{}\n", escape_markdown(&t.rule.description));
    }
    match t.novelty {
        Some(Novelty::New) => out.push_str("New since the baseline.\n\n"),
        Some(Novelty::Reopened) => out.push_str(
            "Open again since the baseline, where it was mitigated or accepted: a declared control \
             or a suppression is gone.\n\n",
        ),
        _ => {}
    }

    out.push_str("### Target\n\n");
    let _ = writeln!(out, "- Diagram: {}", shown_id(&t.diagram));
    let label = target_label(diagram, t)
        .map_or_else(String::new, |l| format!(" ({})", escape_markdown(&l)));
    let kind = if target_kind(t) == "flow" { "Flow" } else { "Element" };
    let _ = writeln!(out, "- {kind}: {}{label}", shown_id(&t.target_id));
    let _ = writeln!(
        out,
        "- Rule: {} ({})\n",
        escape_markdown(&t.rule.id),
        escape_markdown(t.rule.category.name())
    );

    let _ = writeln!(out, "### Severity: {}\n", t.severity);
    let _ = writeln!(out, "{}\n", escape_markdown(&severity_why(t)));
    let _ = writeln!(out, "### Residual risk: {}\n", t.residual_risk);
    let _ = writeln!(out, "{}\n", escape_markdown(&t.residual_reason));

    out.push_str("### Mitigations\n\n");
    if t.rule.mitigations.is_empty() {
        out.push_str("The rule lists no mitigation the diagram can declare.\n");
    }
    for (m, state) in t.rule.mitigations.iter().zip(&t.mitigations) {
        if state.present {
            let _ = writeln!(
                out,
                "- [x] {}: declared by {}",
                escape_markdown(&m.text),
                escape_markdown(&state.found.join(", "))
            );
        } else {
            let how: Vec<&str> = m.declared_by.iter().map(|d| d.text.as_str()).collect();
            let _ = writeln!(
                out,
                "- [ ] {}: declare with {}",
                escape_markdown(&m.text),
                escape_markdown(&how.join(" or "))
            );
        }
    }
    out.push('\n');

    if !t.rule.references.is_empty() {
        out.push_str("### References\n\n");
        for r in &t.rule.references {
            let _ = writeln!(out, "- {}", reference_markdown(r));
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Threat id {}, found by dfd-threats {}.",
        escape_markdown(&t.id),
        env!("CARGO_PKG_VERSION")
    );
    out.push_str(&marker(&t.id));
    out
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
        let issues = lines.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        (analysed, lines, issues)
    }

    #[test]
    fn one_issue_per_open_threat() {
        let (analysed, _, issues) = rendered();
        assert_eq!(issues.len(), open_count(&analysed));
        let open = analysed.threats.iter().filter(|t| t.status == Status::Open);
        for (issue, t) in issues.iter().zip(open) {
            let keys: Vec<&String> = issue.as_object().unwrap().keys().collect();
            assert_eq!(keys.len(), 4);
            assert_eq!(issue["id"], t.id.as_str());
            assert_eq!(
                issue["title"].as_str().unwrap(),
                format!("[dfd-threats] {}: {}", t.severity, t.title)
            );
            let labels = issue["labels"].as_array().unwrap();
            assert_eq!(labels[0], "threat-model");
            assert_eq!(labels[1], format!("severity:{}", t.severity).as_str());
            assert_eq!(labels[2], format!("stride:{}", t.rule.category.name()).as_str());
            let body = issue["body"].as_str().unwrap();
            assert_eq!(body.lines().last().unwrap(), format!("<!-- dfd-threats-id: {} -->", t.id));
            assert!(body.contains("### Mitigations"));
        }
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
            .find(|b| b.contains("calc"))
            .unwrap();
        assert!(formula.contains("\\=cmd\\|' /C calc'\\!A0"), "{formula}");
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
