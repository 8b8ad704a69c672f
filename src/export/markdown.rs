//! The Markdown report, for docs sites and pull requests: per diagram, the four steps of a threat
//! model (what is there, what can go wrong, what is done about it, what is left). What can go
//! wrong is told per finding ([`crate::threats::findings`]), each with the targets it affects.
//!
//! Diagram labels and attribute values are written by whoever drew the diagram, and the report may
//! be published, so every piece of user text goes through [`escape_markdown`]: no HTML from a
//! label reaches the page and no label can open a link, an image or a table cell.
//! The helpers shared with the other ticket-like exporters (GitHub issues, SARIF help) live here.

use crate::export::annotation::counted;
use std::collections::BTreeMap;
use std::fmt::Write;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::{FixedThreat, Report};
use crate::analysis::DiagramAnalysis;
use crate::model::Diagram;
use crate::threats::{recorded, Finding, Level, Mitigation, Novelty, Status, TargetIndex, Threat};
use crate::user_text::{capped, capped_list, without_controls, MAX_SHOWN_CHARS};

/// Characters a Markdown renderer would treat as syntax anywhere in a line.
const MARKDOWN_PUNCTUATION: &[char] = &['\\', '`', '*', '_', '[', ']', '|', '#', '!', '~'];

/// Makes `text` inert inline Markdown: HTML becomes entities, syntax characters are
/// backslash-escaped and whitespace runs (newlines included) become one space, so the result can
/// go into a paragraph, a list item, a heading or a table cell without changing its structure.
/// A leading `-`, `+`, `=`, `>` or `1.` is escaped too, so text placed at the start of a line
/// cannot become a list, a quote or a heading underline.
///
/// Control characters are removed first ([`without_controls`]): a terminal-style filter that
/// later took `ESC \` for an escape sequence would otherwise eat the backslash added here.
pub fn escape_markdown(text: &str) -> String {
    let one_line = without_controls(text).split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(one_line.len() + 8);
    let digits = one_line.chars().take_while(char::is_ascii_digit).count();
    let ordered_list_marker =
        digits > 0 && matches!(one_line[digits..].chars().next(), Some('.') | Some(')'));
    let chars: Vec<char> = one_line.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let at_start = i == 0;
        let next = chars.get(i + 1).copied();
        match c {
            // GitHub turns `@name` into a mention (a notification) and `#12` into an issue link
            // after Markdown is rendered, so a backslash does not stop it; an empty HTML comment
            // between the two does, and renders as nothing.
            '@' if next.is_some_and(|n| n.is_alphanumeric()) => out.push_str("@<!-- -->"),
            '#' if next.is_some_and(|n| n.is_ascii_digit()) => out.push_str("\\#<!-- -->"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if MARKDOWN_PUNCTUATION.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' | '=' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if ordered_list_marker && i == digits => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The input's file name without directories and without the extensions its readers claim
/// (`crate::import::registry`: `.dot`, `.drawio.svg`..., case-insensitive, repeatedly, so
/// `orders.drawio.xml` gives `orders`). Standard input (`-`) is `stdin`. Never empty, `.` or `..`
/// (those give `diagram`), so it can name an output file next to others.
pub fn document_stem(path: &str) -> String {
    if path == "-" {
        return "stdin".to_string();
    }
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match crate::import::registry::strip_extensions(name) {
        "" | "." | ".." => "diagram".to_string(),
        stem => stem.to_string(),
    }
}

/// The annotated SVG's file name for one diagram of a document: `<stem>.svg` when the document
/// has one diagram, `<stem>.<diagram>.svg` when it has several (draw.io pages), so batch output
/// never overwrites one page with another.
///
/// The diagram name keeps ASCII letters, digits, `-` and `_`; anything else becomes `-`, and an
/// empty name becomes `diagram`, so the name cannot reach another folder or hide as a dot file.
/// Two pages whose names differ only in replaced characters get the same name; callers that
/// write files should check for that.
pub fn svg_file_name(document_stem: &str, diagram: &str, diagrams_in_document: usize) -> String {
    if diagrams_in_document <= 1 {
        return format!("{document_stem}.svg");
    }
    let mut name: String = diagram
        .chars()
        .take(MAX_PAGE_NAME_CHARS + 1)
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    if name.is_empty() {
        name = "diagram".to_string();
    }
    if name.len() > MAX_PAGE_NAME_CHARS {
        // Too long for some file systems once the stem is added: cut, and keep apart the pages
        // that share the cut part by a hash of the whole name.
        name.truncate(MAX_PAGE_NAME_CHARS - 9);
        name = format!("{name}-{}", short_hash(diagram));
    }
    format!("{document_stem}.{name}.svg")
}

/// Longest page part of an SVG file name: with the stem the name stays well under the 255
/// bytes most file systems allow.
const MAX_PAGE_NAME_CHARS: usize = 60;

/// The SVG file names of all diagrams of a document, as [`svg_file_name`] gives them, except
/// that names equal but for letter case (`Prod` and `prod`), which collide on case-insensitive
/// file systems, each get `-` and a hash of the exact diagram name: deterministic, and the same
/// in the Markdown links as on disk.
pub fn svg_file_names(document_stem: &str, diagrams: &[&str]) -> Vec<String> {
    let names: Vec<String> =
        diagrams.iter().map(|d| svg_file_name(document_stem, d, diagrams.len())).collect();
    let mut count: std::collections::HashMap<String, usize> = Default::default();
    for name in &names {
        *count.entry(name.to_lowercase()).or_default() += 1;
    }
    names
        .into_iter()
        .zip(diagrams)
        .map(|(name, diagram)| match name.strip_suffix(".svg") {
            Some(base) if count[&name.to_lowercase()] > 1 => {
                format!("{base}-{}.svg", short_hash(diagram))
            }
            _ => name,
        })
        .collect()
}

/// Eight hex digits of SHA-256: enough to tell pages of one document apart.
fn short_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// Everything but unreserved URL characters, so a file name with spaces or parentheses stays a
/// single link destination.
const LINK_DESTINATION: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// A catalog reference as Markdown: CWE and CAPEC ids link to MITRE, plain `https://` URLs link
/// to themselves, anything else is escaped text.
pub(crate) fn reference_markdown(reference: &str) -> String {
    let r = reference.trim();
    let numbered = |prefix: &str| {
        let number = r.get(prefix.len()..)?;
        (r.get(..prefix.len())?.eq_ignore_ascii_case(prefix)
            && !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit()))
        .then_some(number)
    };
    if let Some(n) = numbered("CWE-") {
        return format!("[CWE-{n}](https://cwe.mitre.org/data/definitions/{n}.html)");
    }
    if let Some(n) = numbered("CAPEC-") {
        return format!("[CAPEC-{n}](https://capec.mitre.org/data/definitions/{n}.html)");
    }
    let safe_url = r.starts_with("https://")
        && !r.chars().any(|c| c.is_whitespace() || "<>()\"'`\\[]".contains(c));
    if safe_url {
        return format!("[{}]({r})", escape_markdown(r));
    }
    escape_markdown(r)
}

/// Each threat with the diagram it belongs to. Follows [`Report::diagrams`] (which copes with
/// two diagrams of the same name); threats it does not cover fall back to a lookup by name, and
/// to no diagram at all rather than a panic.
pub(crate) fn threats_with_diagrams<'a>(
    report: &Report<'a>,
) -> Vec<(Option<&'a Diagram>, &'a Threat)> {
    let mut out: Vec<(Option<&'a Diagram>, &'a Threat)> = Vec::with_capacity(report.threats.len());
    for (diagram, _, threats) in report.diagrams() {
        out.extend(threats.iter().map(|t| (Some(diagram), t)));
    }
    if out.len() < report.threats.len() {
        let covered: std::collections::HashSet<*const Threat> =
            out.iter().map(|(_, t)| *t as *const Threat).collect();
        for t in report.threats {
            if !covered.contains(&(t as *const Threat)) {
                let diagram = report.document.diagrams.iter().find(|d| d.name == t.diagram);
                out.push((diagram, t));
            }
        }
    }
    out
}

/// `element` or `flow`, as in the JSON contract.
pub(crate) fn target_kind(t: &Threat) -> &'static str {
    match t.target {
        TargetIndex::Element(_) => "element",
        TargetIndex::Flow(_) => "flow",
    }
}

/// The target's label on one line, when the diagram has it and it says more than the id.
pub(crate) fn target_label(diagram: Option<&Diagram>, t: &Threat) -> Option<String> {
    let label = match t.target {
        TargetIndex::Element(n) => &diagram?.graph.node_weight(n)?.label,
        TargetIndex::Flow(e) => &diagram?.graph.edge_weight(e)?.label,
    };
    let label = one_line(&capped(label, 4 * MAX_SHOWN_CHARS));
    let label = capped(&label, MAX_SHOWN_CHARS).into_owned();
    (!label.is_empty() && label != t.target_id).then_some(label)
}

/// An element, flow or diagram id or name as repeated per threat: escaped and cut at
/// [`MAX_SHOWN_CHARS`] characters.
pub(crate) fn shown_id(id: &str) -> String {
    escape_markdown(&capped(id, MAX_SHOWN_CHARS))
}

pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Most targets a ticket (GitHub issue, Jira row) lists in its body: GitHub bodies hold 65,536
/// characters and Jira descriptions 32,767, and a finding of a big diagram can have thousands.
pub const MAX_LISTED_TARGETS: usize = 50;

/// The targets a ticket lists, open ones first (in target order), at most
/// [`MAX_LISTED_TARGETS`], and how many more there are.
pub(crate) fn ticket_targets<'a>(f: &Finding<'a>) -> (Vec<&'a Threat>, usize) {
    let mut listed: Vec<&'a Threat> = f.targets.clone();
    listed.sort_by_key(|t| t.status != Status::Open);
    let more = listed.len().saturating_sub(MAX_LISTED_TARGETS);
    listed.truncate(MAX_LISTED_TARGETS);
    (listed, more)
}

/// Why the threat has its severity: the raised-by reasons, or the rule's base severity.
pub(crate) fn severity_why(t: &Threat) -> String {
    if t.severity_reasons.is_empty() {
        format!("the base severity of rule {}", t.rule.id)
    } else {
        format!("raised from {} for {}", t.rule.severity, t.severity_reasons.join(", "))
    }
}

/// Renders the whole document as one Markdown page.
pub fn render(report: &Report<'_>) -> String {
    let document = report.document;
    let stem = report.output_stem.map_or_else(|| document_stem(&document.path), str::to_string);
    let mut out = String::new();
    let _ = writeln!(out, "# Threat model: {}\n", escape_markdown(&document.path));
    let _ = writeln!(
        out,
        "Generated by dfd-threats {} from a {} file: {} diagram(s), {} finding(s) over {} threat(s).\n",
        env!("CARGO_PKG_VERSION"),
        document.format.name(),
        document.diagrams.len(),
        report.findings.len(),
        report.threats.len()
    );
    if let Some(baseline) = report.baseline {
        let count = |n: Novelty| report.threats.iter().filter(|t| t.novelty == Some(n)).count();
        let _ = writeln!(
            out,
            "Compared with the baseline {}: {} new threat(s), {} reopened, {} fixed.\n",
            escape_markdown(&baseline.path),
            count(Novelty::New),
            count(Novelty::Reopened),
            baseline.fixed.len()
        );
    }
    if !document.warnings.is_empty() {
        out.push_str("Warnings (reading the diagram, and what the analysis had to assume):\n\n");
        for w in &document.warnings {
            let _ = writeln!(out, "- {}", escape_markdown(&w.to_string()));
        }
        out.push('\n');
    }
    let names: Vec<&str> = document.diagrams.iter().map(|d| d.name.as_str()).collect();
    let svg_names = svg_file_names(&stem, &names);
    for (i, (diagram, analysis, threats, findings)) in report.diagrams_with_findings().enumerate() {
        let svg = svg_names.get(i).map_or("", String::as_str);
        let _ = writeln!(out, "## Diagram {}\n", escape_markdown(&diagram.name));
        let _ = writeln!(
            out,
            "![{} annotated]({})\n",
            escape_markdown(&diagram.name),
            utf8_percent_encode(svg, LINK_DESTINATION)
        );
        top_risks(&mut out, findings);
        elements(&mut out, diagram, analysis);
        finding_tables(&mut out, report, diagram, findings);
        mitigations(&mut out, findings);
        residual_risk(&mut out, report, diagram, threats, findings);
        recorded_threats(&mut out, diagram, threats);
    }
    if let Some(baseline) = report.baseline {
        let orphans: Vec<&FixedThreat> = baseline
            .fixed
            .iter()
            .filter(|f| !document.diagrams.iter().any(|d| d.name == f.diagram))
            .collect();
        if !orphans.is_empty() {
            out.push_str("## Fixed threats of diagrams no longer present\n\n");
            fixed_table(&mut out, &orphans);
        }
    }
    trim_end_to_one_newline(&mut out);
    out
}

fn trim_end_to_one_newline(out: &mut String) {
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
}

fn cell(text: &str) -> String {
    let escaped = escape_markdown(text);
    if escaped.is_empty() {
        "–".to_string()
    } else {
        escaped
    }
}

fn table(out: &mut String, headers: &[&str], rows: &[Vec<String>]) {
    if rows.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(headers.len()));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

/// The threats the input model records, each with ours that are the same one.
fn recorded_threats(out: &mut String, d: &Diagram, threats: &[Threat]) {
    if d.recorded_threats.is_empty() {
        return;
    }
    let comparison = recorded::compare(d, threats);
    let _ = writeln!(
        out,
        "### Threats recorded in the model\n\nThe model records {} threat(s): we also find {}, \
         no rule of ours finds {}, and we add {} it does not record.\n",
        d.recorded_threats.len(),
        comparison.also_found(),
        comparison.theirs_only(),
        comparison.ours_only.len()
    );
    let short = |text: Option<&str>| cell(&capped(text.unwrap_or(""), MAX_SHOWN_CHARS));
    let rows: Vec<Vec<String>> = d
        .recorded_threats
        .iter()
        .zip(&comparison.matches)
        .map(|(r, ours)| {
            let ids: Vec<String> = ours.iter().map(|t| format!("`{}`", t.id)).collect();
            vec![
                short(Some(r.title.as_str())),
                short(r.target.as_deref()),
                short(r.category.as_deref()),
                short(r.status.as_deref()),
                if ids.is_empty() { "no rule of ours".to_string() } else { ids.join(", ") },
            ]
        })
        .collect();
    table(out, &["Recorded threat", "On", "Category", "Status", "Our threats"], &rows);
}

fn element_name(d: &Diagram, n: petgraph::graph::NodeIndex) -> String {
    d.graph.node_weight(n).map_or_else(|| "?".to_string(), |e| cell(&e.id))
}

fn element_label(d: &Diagram, n: petgraph::graph::NodeIndex) -> String {
    d.graph.node_weight(n).map_or_else(|| "?".to_string(), |e| cell(&e.label))
}

fn boundary_raw_label(d: &Diagram, b: usize) -> &str {
    d.boundaries.get(b).map_or("?", |b| b.label.as_str())
}

fn boundary_label(d: &Diagram, b: usize) -> String {
    d.boundaries.get(b).map_or_else(|| "?".to_string(), |b| cell(&b.label))
}

/// Step 1: what the diagram holds, and why the tool reads it that way.
fn elements(out: &mut String, d: &Diagram, a: &DiagramAnalysis) {
    out.push_str("### 1. Elements\n\n");
    let _ = writeln!(
        out,
        "{}, {}, {}; {} a boundary.\n",
        counted(d.element_count(), "element", "elements"),
        counted(d.flow_count(), "flow", "flows"),
        counted(d.boundaries.len(), "trust boundary", "trust boundaries"),
        counted(a.crossing_count(), "flow crosses", "flows cross")
    );

    out.push_str("#### Data assets\n\n");
    let rows: Vec<Vec<String>> = a
        .data_assets
        .iter()
        .map(|x| {
            let kind = match x.store {
                Some(_) => "data store".to_string(),
                None => {
                    format!("carried by {}", escape_markdown(&capped_list(x.carried_by.iter())))
                }
            };
            let reach = match &x.reached_by {
                Some(r) if r.origin.is_assumed() => format!(
                    "{}, where an undrawn user is assumed",
                    element_label(d, r.origin.node())
                ),
                Some(r) => format!(
                    "{} across {} boundar{}",
                    element_label(d, r.origin.node()),
                    r.boundaries_crossed,
                    if r.boundaries_crossed == 1 { "y" } else { "ies" }
                ),
                None => "not reachable from an external actor".to_string(),
            };
            vec![cell(&x.id), cell(&x.name), kind, reach]
        })
        .collect();
    table(out, &["Id", "Name", "Kind", "Reachable from"], &rows);

    let facts_table = |out: &mut String,
                       title: &str,
                       nodes: &[petgraph::graph::NodeIndex],
                       why: &dyn Fn(petgraph::graph::NodeIndex) -> String| {
        let _ = writeln!(out, "#### {title}\n");
        let rows: Vec<Vec<String>> =
            nodes.iter().map(|&n| vec![element_name(d, n), element_label(d, n), why(n)]).collect();
        table(out, &["Id", "Label", "Why"], &rows);
    };
    facts_table(out, "External actors", &a.external_actors, &|n| {
        cell(a.elements.get(n.index()).and_then(|f| f.external_actor.as_deref()).unwrap_or(""))
    });
    facts_table(out, "Entry points", &a.entry_points, &|n| {
        cell(a.elements.get(n.index()).and_then(|f| f.entry_point.as_deref()).unwrap_or(""))
    });
    facts_table(out, "Infrastructure", &a.infrastructure, &|n| {
        cell(d.graph.node_weight(n).and_then(|e| e.tech()).map_or("", |t| t.name.as_str()))
    });

    out.push_str("#### Trust boundaries\n\n");
    let rows: Vec<Vec<String>> = d
        .boundaries
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let trust = match a.zones.get(i) {
                Some(z) => format!("{} ({})", z.describe(), escape_markdown(&z.reason)),
                None => "–".to_string(),
            };
            let parent = b.parent.map_or_else(|| "–".to_string(), |p| boundary_label(d, p));
            vec![cell(&b.id), cell(&b.label), parent, trust, cell(&b.inferred_from)]
        })
        .collect();
    table(out, &["Id", "Label", "Inside", "Trust", "Inferred from"], &rows);

    out.push_str("#### Flows crossing boundaries\n\n");
    let rows: Vec<Vec<String>> = d
        .flows()
        .zip(&a.crossings)
        .filter(|(_, c)| !c.crosses.is_empty())
        .map(|(f, c)| {
            // At most a few zones of a deep path, each cut: see [`capped_list`].
            let crosses =
                escape_markdown(&capped_list(c.crosses.iter().map(|&b| boundary_raw_label(d, b))));
            vec![
                cell(&f.flow.id),
                element_name(d, f.from),
                element_name(d, f.to),
                cell(&f.flow.label),
                c.direction.name().to_string(),
                crosses,
            ]
        })
        .collect();
    table(out, &["Id", "From", "To", "Label", "Direction", "Crosses"], &rows);
}

fn status_cell(t: &Threat) -> String {
    match (&t.suppression, t.status) {
        (Some(s), status) if s.status.name() == status.name() => {
            format!("{} (suppressed)", status.name())
        }
        (Some(s), status) => {
            format!("{} (suppressed as {})", status.name(), s.status.name().replace('_', " "))
        }
        (None, status) => status.name().to_string(),
    }
}

fn novelty_cell(novelty: Option<Novelty>) -> &'static str {
    match novelty {
        Some(Novelty::New) => "**new**",
        Some(Novelty::Reopened) => "**reopened**",
        Some(Novelty::Unchanged) => "unchanged",
        None => "–",
    }
}

/// Step 2: the findings, worst first, each with the elements and flows it affects.
fn finding_tables(out: &mut String, report: &Report<'_>, d: &Diagram, findings: &[Finding<'_>]) {
    out.push_str("### 2. Findings\n\n");
    if findings.is_empty() {
        out.push_str("No threats.\n\n");
        return;
    }
    for f in findings {
        let _ = writeln!(out, "#### {}: {}\n", escape_markdown(&f.id), escape_markdown(&f.title()));
        let _ = writeln!(
            out,
            "Rule {} ({}); {} {}; {} target(s).\n",
            escape_markdown(&f.rule.id),
            escape_markdown(f.rule.category.name()),
            f.severity,
            f.status.name(),
            f.targets.len()
        );
        let mut headers = vec!["Threat", "Target", "Severity", "Status", "Residual risk"];
        if report.baseline.is_some() {
            headers.push("Baseline");
        }
        let rows: Vec<Vec<String>> = f
            .targets
            .iter()
            .map(|t| {
                let mut row = vec![
                    cell(&t.id),
                    target_cell(d, t),
                    t.severity.name().to_string(),
                    status_cell(t),
                    t.residual_risk.name().to_string(),
                ];
                if report.baseline.is_some() {
                    row.push(novelty_cell(t.novelty).to_string());
                }
                row
            })
            .collect();
        table(out, &headers, &rows);
    }
}

/// The open findings to fix first, one line each, before the four steps.
fn top_risks(out: &mut String, findings: &[Finding<'_>]) {
    use crate::export::text::TOP_RISKS;
    let open = findings.iter().filter(|f| f.status == Status::Open).count();
    let top = crate::threats::findings::top_risks(findings, TOP_RISKS);
    if top.is_empty() {
        out.push_str("### Top risks\n\nNo open finding.\n\n");
        return;
    }
    let _ = writeln!(out, "### Top risks ({} of {open} open findings)\n", top.len());
    for (i, f) in top.iter().enumerate() {
        let risk = f.open_residual_risk().unwrap_or(f.residual_risk);
        let _ = writeln!(
            out,
            "{}. **{risk}**: {} ({}, {})",
            i + 1,
            escape_markdown(&f.title()),
            escape_markdown(&f.rule.id),
            escape_markdown(&f.id)
        );
    }
    out.push('\n');
}

/// A target as a table cell: its id, label and kind.
fn target_cell(d: &Diagram, t: &Threat) -> String {
    let label =
        target_label(Some(d), t).map_or_else(String::new, |l| format!(" {}", escape_markdown(&l)));
    let kind = match t.target {
        TargetIndex::Element(n) => d.graph.node_weight(n).map_or("element", |e| e.kind.name()),
        TargetIndex::Flow(_) => "flow",
    };
    format!("{}{label} ({kind})", shown_id(&t.target_id))
}

/// Step 3: per finding, which mitigations its targets declare and which are missing.
fn mitigations(out: &mut String, findings: &[Finding<'_>]) {
    out.push_str("### 3. Mitigations\n\n");
    if findings.is_empty() {
        out.push_str("No threats.\n\n");
        return;
    }
    let mut rows = Vec::new();
    for f in findings {
        if f.rule.mitigations.is_empty() {
            rows.push(vec![
                cell(&f.id),
                "–".to_string(),
                "–".to_string(),
                "the rule lists no mitigation the diagram can declare".to_string(),
            ]);
        }
        for (i, m) in f.rule.mitigations.iter().enumerate() {
            let (declared, evidence) = if f.declares(i) {
                ("declared", escape_markdown(&capped_list(f.evidence(i).into_iter())))
            } else {
                ("missing", format!("declare with {}", escape_markdown(&declare_with(m))))
            };
            rows.push(vec![cell(&f.id), cell(f.advice(m)), declared.to_string(), evidence]);
        }
    }
    table(out, &["Finding", "Mitigation", "State", "Evidence, or how to declare it"], &rows);
}

/// How a mitigation is declared: its attributes, `a or b`.
pub(crate) fn declare_with(m: &Mitigation) -> String {
    let how: Vec<&str> = m.declared_by.iter().map(|d| d.text.as_str()).collect();
    how.join(" or ")
}

/// Step 4: what is left: counts of threats by residual risk and status, the open findings worst
/// first, and what the baseline had that is gone.
fn residual_risk(
    out: &mut String,
    report: &Report<'_>,
    d: &Diagram,
    threats: &[Threat],
    findings: &[Finding<'_>],
) {
    out.push_str("### 4. Residual risk\n\n");
    let mut counts: BTreeMap<(Level, Status), usize> = BTreeMap::new();
    for t in threats {
        *counts.entry((t.residual_risk, t.status)).or_insert(0) += 1;
    }
    let levels = [Level::Critical, Level::High, Level::Medium, Level::Low, Level::None];
    let statuses = [Status::Open, Status::Mitigated, Status::Accepted];
    let rows: Vec<Vec<String>> = levels
        .iter()
        .map(|&level| {
            let mut row = vec![level.name().to_string()];
            let mut total = 0;
            for &status in &statuses {
                let n = counts.get(&(level, status)).copied().unwrap_or(0);
                total += n;
                row.push(n.to_string());
            }
            row.push(total.to_string());
            row
        })
        .collect();
    table(out, &["Residual risk", "Open", "Mitigated", "Accepted", "Total"], &rows);

    out.push_str("#### Open findings by residual risk\n\n");
    let rows: Vec<Vec<String>> = findings
        .iter()
        .filter(|f| f.status == Status::Open)
        .map(|f| {
            let mut title = cell(&f.title());
            match f.novelty() {
                Some(Novelty::New) => title.push_str(" **(new)**"),
                Some(Novelty::Reopened) => title.push_str(" **(reopened)**"),
                _ => {}
            }
            let why =
                f.worst_target().map_or_else(|| "–".to_string(), |t| cell(&t.residual_reason));
            vec![
                cell(&f.id),
                f.residual_risk.name().to_string(),
                f.severity.name().to_string(),
                title,
                format!("{} of {}", f.open_targets().count(), f.targets.len()),
                why,
            ]
        })
        .collect();
    table(out, &["Finding", "Residual risk", "Severity", "Title", "Open targets", "Why"], &rows);

    if let Some(baseline) = report.baseline {
        let fixed: Vec<&FixedThreat> =
            baseline.fixed.iter().filter(|f| f.diagram == d.name).collect();
        out.push_str("#### Fixed since the baseline\n\n");
        fixed_table(out, &fixed);
    }
}

fn fixed_table(out: &mut String, fixed: &[&FixedThreat]) {
    let rows: Vec<Vec<String>> = fixed
        .iter()
        .map(|f| {
            vec![cell(&f.id), cell(&f.diagram), cell(&f.target), cell(&f.rule), cell(&f.title)]
        })
        .collect();
    table(out, &["Id", "Diagram", "Target", "Rule", "Title"], &rows);
}

/// The threat list as written on one document, for tests of every exporter.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(crate) mod fixture {
    use crate::import::ImportOptions;
    use crate::pipeline::{self, Analysed};
    use crate::threats::{Catalog, Novelty, Suppression, SuppressionStatus};

    pub const HOSTILE_HTML: &str = "<img src=x onerror=alert(1)>";
    pub const HOSTILE_FORMULA: &str = "=cmd|' /C calc'!A0";

    pub const RULES: &str = r#"
[[rule]]
id = "S-ACTOR"
title = "{element} can be impersonated"
category = "spoofing"
applies_to = ["external_entity"]
tags = ["authentication", "web app"]
severity = "medium"
description = "An attacker pretends to be {element}."
references = ["CWE-287", "CAPEC-151", "https://owasp.org/Top10/A07_2021/", "NIST SP 800-63"]
[[rule.mitigations]]
text = "Authenticate the actor"
declared_by = ["authenticated", "authentication=*"]

[[rule]]
id = "T-FLOW"
title = "Tampering with {flow} from {source} to {target}"
category = "tampering"
applies_to = ["flow"]
severity = "medium"
description = "Data on a crossing flow can be changed in transit."
references = ["CWE-319"]
mitigated_when = "all"
[rule.when]
field = "flow.crossing"
is = true
[[rule.mitigations]]
text = "Use TLS"
declared_by = ["protocol=https|tls"]
[[rule.mitigations]]
text = "Sign messages"
declared_by = ["signed"]

[[rule]]
id = "I-STORE"
title = "Disclosure of data in {element}"
category = "information_disclosure"
applies_to = ["data_store"]
tags = ["data"]
severity = "high"
description = "Stored data leaks."
[[rule.mitigations]]
text = "Encrypt at rest"
declared_by = ["encrypted=true"]

[[rule]]
id = "E-UNUSED"
title = "Never fires"
category = "elevation_of_privilege"
applies_to = ["process"]
severity = "low"
description = "A rule that matches nothing, still listed in SARIF."
[rule.when]
field = "element.attr.never_set"
is = true
"#;

    pub fn catalog() -> Catalog {
        Catalog::from_files(&[("test.toml", RULES)]).unwrap()
    }

    /// `diagrams/serverless-orders.dot` with two hostile labels; the formula is the first
    /// actor's, so it starts the title of the findings about the actors.
    pub fn analysed(catalog: &Catalog) -> Analysed {
        let dot = include_str!("../../diagrams/serverless-orders.dot")
            .replace("\"Customer\\n(browser)\"", &format!("\"{HOSTILE_FORMULA}\""))
            .replace("\"Store admin\"", &format!("\"{HOSTILE_HTML}\""));
        let analysed = pipeline::run(
            "diagrams/serverless-orders.dot",
            dot.as_bytes(),
            &ImportOptions::default(),
            catalog,
        )
        .unwrap();
        assert!(analysed.threats.len() > 5, "the fixture catalog must fire");
        analysed
    }

    /// As [`analysed`], with one accepted threat and baseline novelty set.
    pub fn with_decisions(catalog: &Catalog) -> Analysed {
        let mut analysed = analysed(catalog);
        let accepted =
            analysed.threats.iter_mut().find(|t| t.status == crate::threats::Status::Open).unwrap();
        accepted.status = crate::threats::Status::Accepted;
        accepted.suppression = Some(Suppression {
            status: SuppressionStatus::Accepted,
            justification: "Risk owner <b>signed off</b>".into(),
            expires: Some("2030-01-01".into()),
            ticket: Some("SEC-1".into()),
            source: "dfd-threats.toml:3".into(),
        });
        for (i, t) in analysed.threats.iter_mut().enumerate() {
            t.novelty = Some(if i % 2 == 0 { Novelty::New } else { Novelty::Unchanged });
        }
        analysed
    }

    pub fn open_count(analysed: &Analysed) -> usize {
        analysed.threats.iter().filter(|t| t.status == crate::threats::Status::Open).count()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::fixture::*;
    use super::*;
    use crate::export::Baseline;

    #[test]
    fn mentions_and_issue_references_stay_text_on_github() {
        let out = escape_markdown("ask @octocat or @org/team about #12, mail a@b.io; C# 3");
        assert!(!out.contains("@octocat") && !out.contains("@org"), "{out}");
        assert!(out.contains("@<!-- -->octocat") && out.contains("\\#<!-- -->12"), "{out}");
        assert!(out.contains("C\\# 3"), "a # before a non-digit is only escaped: {out}");
    }

    #[test]
    fn escaping_leaves_no_html_and_no_syntax() {
        assert_eq!(escape_markdown(HOSTILE_HTML), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(escape_markdown(HOSTILE_FORMULA), "\\=cmd\\|' /C calc'\\!A0");
        assert_eq!(
            escape_markdown("a_b *c* [d](e) `f` #g \\h ~i"),
            "a\\_b \\*c\\* \\[d\\](e) \\`f\\` \\#g \\\\h \\~i"
        );
        assert_eq!(escape_markdown("- item\n\n# head"), "\\- item \\# head");
        assert_eq!(escape_markdown("1. first"), "1\\. first");
        assert_eq!(escape_markdown("AT&T"), "AT&amp;T");
        assert_eq!(escape_markdown("x-y 2.5"), "x-y 2.5");
    }

    #[test]
    fn stems_and_svg_names() {
        assert_eq!(document_stem("diagrams/serverless-orders.dot"), "serverless-orders");
        assert_eq!(document_stem("C:\\models\\a.GV"), "a");
        assert_eq!(document_stem("x/orders.drawio.svg"), "orders");
        assert_eq!(document_stem("orders.drawio.xml"), "orders");
        assert_eq!(document_stem("orders.drawio.png"), "orders");
        assert_eq!(document_stem("notes.txt"), "notes.txt");
        assert_eq!(document_stem("-"), "stdin");
        assert_eq!(document_stem(".dot"), ".dot");
        assert_eq!(document_stem("a/.."), "diagram");
        assert_eq!(document_stem(""), "diagram");
        assert_eq!(svg_file_name("orders", "Page 1", 1), "orders.svg");
        assert_eq!(svg_file_name("orders", "Page 1", 2), "orders.Page-1.svg");
        assert_eq!(svg_file_name("orders", "../..", 2), "orders.-----.svg");
        assert_eq!(svg_file_name("orders", "", 3), "orders.diagram.svg");
        assert_eq!(svg_file_name("o", "Übersicht/α", 2), "o.-bersicht--.svg");
        let long = svg_file_name("orders", &"x".repeat(5_000), 2);
        assert!(long.len() < 100, "{long}");
        assert_ne!(long, svg_file_name("orders", &"x".repeat(5_001), 2));
    }

    #[test]
    fn page_names_equal_but_for_case_get_apart() {
        let names = svg_file_names("o", &["Prod", "prod", "Test"]);
        assert_eq!(names[2], "o.Test.svg");
        assert_ne!(names[0].to_lowercase(), names[1].to_lowercase());
        assert_eq!(names, svg_file_names("o", &["Prod", "prod", "Test"]));
    }

    #[test]
    fn references_link_to_mitre() {
        assert_eq!(
            reference_markdown("CWE-79"),
            "[CWE-79](https://cwe.mitre.org/data/definitions/79.html)"
        );
        assert_eq!(
            reference_markdown("CAPEC-151"),
            "[CAPEC-151](https://capec.mitre.org/data/definitions/151.html)"
        );
        assert_eq!(reference_markdown("CWE-x"), "CWE-x");
        assert_eq!(
            reference_markdown("https://a.example/x_y"),
            "[https://a.example/x\\_y](https://a.example/x_y)"
        );
        assert_eq!(reference_markdown("https://a.example/<x>"), "https://a.example/&lt;x&gt;");
        assert_eq!(reference_markdown("javascript:alert(1)"), "javascript:alert(1)");
    }

    #[test]
    fn report_has_the_four_steps_and_the_svg() {
        let catalog = catalog();
        let analysed = analysed(&catalog);
        let md = render(&analysed.report(&catalog));
        for heading in
            ["### 1. Elements", "### 2. Findings", "### 3. Mitigations", "### 4. Residual risk"]
        {
            assert!(md.contains(heading), "{heading} missing:\n{md}");
        }
        assert!(md.contains("![serverless-orders annotated](serverless-orders.svg)"), "{md}");
        assert!(md.contains("#### Trust boundaries"));
        assert!(md.contains("| T-"));
        assert!(md.contains("#### F-"));
        assert!(md.contains("#### Open findings by residual risk"));
        assert!(md.contains("declared"));
        assert!(md.contains("missing"));
        assert!(!md.contains("Baseline"));
        assert_eq!(md, render(&analysed.report(&catalog)));
    }

    #[test]
    fn report_is_harmless_with_hostile_labels() {
        let catalog = catalog();
        let analysed = analysed(&catalog);
        let md = render(&analysed.report(&catalog));
        assert!(!md.contains("<img"), "raw HTML survived:\n{md}");
        assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!md.contains("=cmd|"), "an unescaped pipe breaks tables");
        assert!(!md.contains('<'), "no HTML at all:\n{md}");
    }

    #[test]
    fn baseline_marks_new_and_lists_fixed() {
        let catalog = catalog();
        let analysed = with_decisions(&catalog);
        let fixed = |diagram: &str| FixedThreat {
            id: "T-0000000000".into(),
            rule: "T-FLOW".into(),
            title: "Old <b>threat</b>".into(),
            diagram: diagram.into(),
            target: "a->b".into(),
        };
        let baseline = Baseline {
            path: "baseline.json".into(),
            fixed: vec![fixed("serverless-orders"), fixed("gone")],
        };
        let mut report = analysed.report(&catalog);
        report.baseline = Some(&baseline);
        let md = render(&report);
        assert!(md.contains("Compared with the baseline baseline.json"), "{md}");
        assert!(md.contains("**new**"));
        assert!(md.contains("#### Fixed since the baseline"));
        assert!(md.contains("## Fixed threats of diagrams no longer present"));
        assert_eq!(md.matches("T-0000000000").count(), 2);
        assert!(md.contains("accepted (suppressed)"));
        assert!(!md.contains("<b>"));
    }

    #[test]
    fn empty_document_renders() {
        let catalog = Catalog::default();
        let document = Document {
            path: "-".into(),
            format: crate::model::Format::DOT,
            diagrams: vec![Diagram::new("empty")],
            warnings: Vec::new(),
        };
        let analysed = crate::pipeline::analyse(document, &catalog);
        let md = render(&analysed.report(&catalog));
        assert!(md.contains("![empty annotated](stdin.svg)"));
        assert!(md.contains("No threats."));
    }

    use crate::model::Document;
    use crate::threats::Catalog;
}
