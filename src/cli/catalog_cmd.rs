//! `dfd-threats catalog list` and `catalog show`: the rule registry, explained.

use std::io::Write;

use serde_json::json;

use super::{load_catalog, CatalogArgs, Failure, ListFormat};
use crate::export::markdown::escape_markdown;
use crate::threats::{MitigatedWhen, Rule};

fn print(text: &str) -> Result<u8, Failure> {
    let mut out = anstream::stdout();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Plain(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(0),
    }
}

pub fn list(args: &CatalogArgs, format: ListFormat) -> Result<u8, Failure> {
    let catalog = load_catalog(args)?;
    if format == ListFormat::Markdown {
        let mut text = format!(
            "# Rule reference\n\nThe {} rules of the catalog, one section per rule id (SARIF \
             results link here). Written by `dfd-threats catalog list --format markdown`; do not \
             edit by hand.\n",
            catalog.len()
        );
        for rule in catalog.rules() {
            text.push_str(&rule_markdown(rule));
        }
        return print(&text);
    }
    if format == ListFormat::Json {
        let rules: Vec<serde_json::Value> = catalog.rules().map(|r| rule_json(r)).collect();
        let mut text = serde_json::to_string_pretty(&rules).unwrap_or_else(|_| "[]".into());
        text.push('\n');
        return print(&text);
    }
    let mut text = String::new();
    for r in catalog.rules() {
        text.push_str(&format!(
            "{:<11} {:<22} {:<8} {}  [{}]\n",
            r.id,
            r.category.name(),
            r.severity.name(),
            r.title,
            r.tags.join(", ")
        ));
    }
    text.push_str(&format!(
        "{} rules; `dfd-threats catalog show ID` explains one\n",
        catalog.len()
    ));
    print(&text)
}

/// The labels of `--format github-issues` as JSON lines, for a `gh label create` loop.
pub fn labels(args: &CatalogArgs) -> Result<u8, Failure> {
    let catalog = load_catalog(args)?;
    let mut text = String::new();
    for label in crate::export::github_issues::all_labels(&catalog) {
        if let Ok(line) = serde_json::to_string(&label) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    print(&text)
}

pub fn show(args: &CatalogArgs, id: &str) -> Result<u8, Failure> {
    let catalog = load_catalog(args)?;
    let Some(rule) = catalog.get(id) else {
        let close: Vec<&str> = catalog
            .rules()
            .map(|r| r.id.as_str())
            .filter(|r| {
                r.to_ascii_uppercase()
                    .starts_with(&id.to_ascii_uppercase().chars().take(5).collect::<String>())
            })
            .take(8)
            .collect();
        let hint = if close.is_empty() {
            String::new()
        } else {
            format!(" (similar: {})", close.join(", "))
        };
        return Err(Failure::Plain(format!(
            "no rule has the id `{id}`{hint}; `dfd-threats catalog list` shows them all"
        )));
    };
    print(&explain(rule))
}

/// The whole rule for people, the way `ruff rule` explains a lint.
pub fn explain(r: &Rule) -> String {
    let mut s = format!("{}: {}\n\n", r.id, r.title);
    s.push_str(&format!("Category:    {}\n", r.category.name()));
    s.push_str(&format!(
        "Applies to:  {}\n",
        r.applies_to.iter().map(|a| a.name()).collect::<Vec<_>>().join(", ")
    ));
    s.push_str(&format!("Severity:    {} (likelihood {})\n", r.severity, r.likelihood));
    s.push_str(&format!("Tags:        {}\n", r.tags.join(", ")));
    s.push_str(&format!("Defined in:  {}:{}\n\n", r.file, r.line));
    s.push_str("Why it matters\n");
    s.push_str(&indent(&r.description));
    s.push_str("\nWhen it fires\n");
    match &r.when {
        Some(c) => {
            let mut lines = Vec::new();
            c.describe(1, &mut lines);
            for l in lines {
                s.push_str(&l);
                s.push('\n');
            }
        }
        None => s.push_str("  on every target it applies to\n"),
    }
    let combine = match r.mitigated_when {
        MitigatedWhen::Any => "any one covers the threat",
        MitigatedWhen::All => "all are needed",
    };
    s.push_str(&format!("\nMitigations ({combine})\n"));
    for m in &r.mitigations {
        s.push_str(&format!("  - {}\n", m.text));
        s.push_str(&format!(
            "    declared by {} on the {}\n",
            m.declared_by.iter().map(|d| d.text.as_str()).collect::<Vec<_>>().join(" or "),
            m.on.iter().map(|o| o.name()).collect::<Vec<_>>().join(" or ")
        ));
        for (technology, advice) in &m.by_technology {
            s.push_str(&format!("    on {technology}: {advice}\n"));
        }
    }
    if !r.example.is_empty() {
        s.push_str("\nExample\n");
        s.push_str(&indent(&r.example));
    }
    if !r.references.is_empty() {
        s.push_str(&format!("\nReferences: {}\n", r.references.join(", ")));
    }
    s
}

/// One rule as a section of the rule reference; the heading is the id alone, so its anchor
/// (`#dfd-s-001`) never changes when a title is reworded.
fn rule_markdown(r: &Rule) -> String {
    let mut s = format!("\n### {}\n\n**{}**\n\n", r.id, escape_markdown(&r.title));
    s.push_str(&format!(
        "{}, severity {} (likelihood {}), applies to {}; tags: {}.\n\n",
        r.category.name(),
        r.severity,
        r.likelihood,
        r.applies_to.iter().map(|a| a.name()).collect::<Vec<_>>().join(", "),
        escape_markdown(&r.tags.join(", "))
    ));
    if !r.description.trim().is_empty() {
        s.push_str(&format!("{}\n\n", escape_markdown(&r.description)));
    }
    let combine = match r.mitigated_when {
        MitigatedWhen::Any => "any one covers the threat",
        MitigatedWhen::All => "all are needed",
    };
    s.push_str(&format!("Mitigations ({combine}):\n\n"));
    for m in &r.mitigations {
        let declared: Vec<String> =
            m.declared_by.iter().map(|d| format!("`{}`", d.text.replace('`', "'"))).collect();
        s.push_str(&format!(
            "- {}: {} on the {}\n",
            escape_markdown(m.text.trim_end_matches('.')),
            declared.join(" or "),
            m.on.iter().map(|o| o.name()).collect::<Vec<_>>().join(" or ")
        ));
    }
    if !r.references.is_empty() {
        s.push_str(&format!("\nReferences: {}\n", escape_markdown(&r.references.join(", "))));
    }
    s
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

fn rule_json(r: &Rule) -> serde_json::Value {
    json!({
        "id": r.id,
        "title": r.title,
        "category": r.category.name(),
        "applies_to": r.applies_to.iter().map(|a| a.name()).collect::<Vec<_>>(),
        "tags": r.tags,
        "severity": r.severity.name(),
        "likelihood": r.likelihood.name(),
        "description": r.description,
        "example": r.example,
        "references": r.references,
        "mitigated_when": match r.mitigated_when { MitigatedWhen::Any => "any", MitigatedWhen::All => "all" },
        "when": r.when.as_ref().map(|c| c.to_json()),
        "mitigations": r.mitigations.iter().map(|m| json!({
            "text": m.text,
            "declared_by": m.declared_by.iter().map(|d| d.text.as_str()).collect::<Vec<_>>(),
            "on": m.on.iter().map(|o| o.name()).collect::<Vec<_>>(),
            "by_technology": m.by_technology,
        })).collect::<Vec<_>>(),
        "file": r.file,
        "line": r.line,
    })
}
