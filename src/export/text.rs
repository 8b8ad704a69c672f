//! The readable report for a terminal: the inventory (what the tool found and why), then the
//! findings, worst first, each with the elements and flows it affects. Colour is added as ANSI styles; the caller strips them
//! when the output is not a terminal or `NO_COLOR` is set.
//!
//! The report is read in terminals and CI logs, so user text is shown on one line with control
//! characters made visible ([`visible`]) before any style is added around it, and cut where it is
//! repeated ([`shown`], [`capped_list`]): no label can send an escape sequence, start a line of
//! its own (a `::error` workflow command) or multiply the report's size.

use crate::export::annotation::counted;
use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::markdown::target_kind;
use super::Report;
use crate::analysis::{DiagramAnalysis, Direction};
use crate::model::Diagram;
use crate::threats::{recorded, Finding, Level, Status, TargetIndex, Threat};
use crate::user_text::{capped, capped_list, visible, MAX_SHOWN_CHARS};

const HEADING: Style = Style::new().bold().underline();
const SECTION: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const ID: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));

fn level_style(level: Level) -> Style {
    let color = |c| Some(anstyle::Color::Ansi(c));
    match level {
        Level::Critical => Style::new().bold().fg_color(color(AnsiColor::Red)),
        Level::High => Style::new().fg_color(color(AnsiColor::Red)),
        Level::Medium => Style::new().fg_color(color(AnsiColor::Yellow)),
        Level::Low => Style::new().fg_color(color(AnsiColor::Blue)),
        Level::None => Style::new().fg_color(color(AnsiColor::Green)),
    }
}

/// `text` in `style`; whatever `text` holds is made [`visible`] first, so the only escape
/// sequences in the report are our own.
fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{}{style:#}", visible(&text.to_string()))
}

/// User text as the report shows it: one line, cut at [`MAX_SHOWN_CHARS`], controls visible.
fn shown(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    visible(&capped(&one_line, MAX_SHOWN_CHARS)).into_owned()
}

/// Deepest nesting shown by indentation; deeper boundaries are indented as much.
const MAX_INDENT_LEVELS: usize = 16;

/// Renders the report with ANSI styles.
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for (diagram, analysis, threats, findings) in report.diagrams_with_findings() {
        inventory(&mut out, report, diagram, analysis, findings);
        finding_list(&mut out, diagram, threats, findings);
        recorded_threats(&mut out, diagram, threats);
    }
    out
}

/// How many findings the report leads with.
pub const TOP_RISKS: usize = 10;

/// The open findings to fix first, one line each, before the inventory: what a reader who stops
/// after one screen needs.
fn top_risks(out: &mut String, findings: &[Finding<'_>]) {
    let open = findings.iter().filter(|f| f.status == Status::Open).count();
    let top = crate::threats::findings::top_risks(findings, TOP_RISKS);
    if top.is_empty() {
        let _ = writeln!(out, "{}\n", paint(SECTION, "Top risks: no open finding"));
        return;
    }
    let _ = writeln!(
        out,
        "{}",
        paint(SECTION, format!("Top risks ({} of {open} open findings)", top.len()))
    );
    for (i, f) in top.iter().enumerate() {
        let risk = f.open_residual_risk().unwrap_or(f.residual_risk);
        let (rule, title) = (paint(DIM, shown(&f.rule.id)), shown(&f.title()));
        let _ = writeln!(
            out,
            "  {:>2}. {}  {rule}  {title}  {}",
            i + 1,
            paint(level_style(risk), format!("{:<8}", risk.name())),
            paint(ID, &f.id)
        );
    }
    out.push('\n');
}

fn inventory(
    out: &mut String,
    report: &Report<'_>,
    d: &Diagram,
    a: &DiagramAnalysis,
    findings: &[Finding<'_>],
) {
    let _ = writeln!(
        out,
        "{}  {}",
        paint(HEADING, format!("Diagram {}", shown(&d.name))),
        paint(DIM, format!("{} ({})", shown(&report.document.path), report.document.format.name()))
    );
    let _ = writeln!(
        out,
        "{}, {}, {}, {} a boundary\n",
        counted(d.element_count(), "element", "elements"),
        counted(d.flow_count(), "flow", "flows"),
        counted(d.boundaries.len(), "boundary", "boundaries"),
        counted(a.crossing_count(), "flow crosses", "flows cross")
    );
    top_risks(out, findings);
    let label = |n: petgraph::graph::NodeIndex| shown(&d.element(n).label);
    let id = |n: petgraph::graph::NodeIndex| paint(ID, shown(&d.element(n).id));

    let _ = writeln!(
        out,
        "{}",
        paint(SECTION, format!("External actors ({})", a.external_actors.len()))
    );
    for &n in &a.external_actors {
        let why = a.facts(n).external_actor.as_deref().unwrap_or("");
        let _ = writeln!(out, "  {}  {}  {}", id(n), label(n), paint(DIM, shown(why)));
    }
    let _ = writeln!(out, "{}", paint(SECTION, format!("Entry points ({})", a.entry_points.len())));
    for &n in &a.entry_points {
        let why = a.facts(n).entry_point.as_deref().unwrap_or("");
        let _ = writeln!(out, "  {}  {}  {}", id(n), label(n), paint(DIM, shown(why)));
    }
    let _ = writeln!(out, "{}", paint(SECTION, format!("Data assets ({})", a.data_assets.len())));
    for asset in &a.data_assets {
        let what = match asset.store {
            Some(_) => "data store".to_string(),
            None => format!("carried by {}", capped_list(asset.carried_by.iter())),
        };
        let reach = match &asset.reached_by {
            Some(r) if r.origin.is_assumed() => format!(
                "reachable from {}, where an undrawn user is assumed",
                shown(&d.element(r.origin.node()).label)
            ),
            Some(r) => format!(
                "reachable from {} across {} boundar{}",
                shown(&d.element(r.origin.node()).label),
                r.boundaries_crossed,
                if r.boundaries_crossed == 1 { "y" } else { "ies" }
            ),
            None => "not reachable from an external actor".to_string(),
        };
        let _ = writeln!(
            out,
            "  {}  {}  {}",
            paint(ID, shown(&asset.id)),
            shown(&asset.name),
            paint(DIM, format!("{what}; {reach}"))
        );
    }
    let _ =
        writeln!(out, "{}", paint(SECTION, format!("Infrastructure ({})", a.infrastructure.len())));
    for &n in &a.infrastructure {
        let tech = d.element(n).tech().map_or("", |t| t.name.as_str());
        let _ = writeln!(out, "  {}  {}  {}", id(n), label(n), paint(DIM, tech));
    }
    let _ =
        writeln!(out, "{}", paint(SECTION, format!("Trust boundaries ({})", d.boundaries.len())));
    for (i, b) in d.boundaries.iter().enumerate() {
        let depth = d.boundary_path(Some(i)).len();
        let zone = &a.zones[i];
        let trust = zone.describe();
        let _ = writeln!(
            out,
            "  {}{}  {}  {}",
            "  ".repeat(depth.saturating_sub(1).min(MAX_INDENT_LEVELS)),
            paint(ID, shown(&b.id)),
            shown(&b.label),
            paint(DIM, format!("{trust} ({}); {}", shown(&zone.reason), shown(&b.inferred_from)))
        );
    }
    let crossing: Vec<_> =
        d.flows().zip(&a.crossings).filter(|(_, c)| !c.crosses.is_empty()).collect();
    let _ = writeln!(
        out,
        "{}",
        paint(SECTION, format!("Flows crossing boundaries ({})", crossing.len()))
    );
    for (f, c) in crossing {
        let names = crossed_labels(d, &c.crosses);
        let dir = match c.direction {
            Direction::Inbound => paint(level_style(Level::High), "inbound"),
            Direction::Outbound => paint(level_style(Level::Medium), "outbound"),
            other => other.name().to_string(),
        };
        let _ = writeln!(
            out,
            "  {}  {}  {}  {}",
            paint(ID, shown(&f.flow.id)),
            dir,
            shown(&f.flow.label),
            paint(DIM, format!("crosses {names}"))
        );
    }
    let _ = writeln!(
        out,
        "{}",
        paint(SECTION, format!("Elements and how their kind was inferred ({})", d.element_count()))
    );
    for (n, e) in d.elements() {
        let _ = writeln!(
            out,
            "  {}  {}  {}  {}",
            id(n),
            label(n),
            e.kind.name(),
            paint(DIM, format!("from {}", shown(&e.inferred_from)))
        );
    }
    out.push('\n');
}

/// The labels of the boundaries a flow crosses, at most [`crate::user_text::MAX_SHOWN_ITEMS`]
/// of them, each cut: a flow into the 250th nested zone must not print 250 labels.
fn crossed_labels(d: &Diagram, crosses: &[usize]) -> String {
    capped_list(
        crosses.iter().map(|&b| d.boundaries.get(b).map_or(String::new(), |b| shown(&b.label))),
    )
}

/// The findings, worst first, each with its targets under it.
fn finding_list(out: &mut String, d: &Diagram, threats: &[Threat], findings: &[Finding<'_>]) {
    let open = threats.iter().filter(|t| t.status == Status::Open).count();
    let mitigated = threats.iter().filter(|t| t.status == Status::Mitigated).count();
    let accepted = threats.len() - open - mitigated;
    let _ = writeln!(
        out,
        "{}  {} threats: {} open, {} mitigated, {} accepted\n",
        paint(HEADING, format!("Findings ({})", findings.len())),
        threats.len(),
        open,
        mitigated,
        accepted
    );
    for f in findings {
        let shown_figures = figures(f.severity, f.status, f.residual_risk);
        let (rule, title) = (paint(DIM, shown(&f.rule.id)), shown(&f.title()));
        let _ = writeln!(out, "{}  {shown_figures}  {rule}  {title}", paint(ID, &f.id));
        for t in &f.targets {
            let shown_figures = figures(t.severity, t.status, t.residual_risk);
            let (id, heading) = (paint(DIM, &t.id), target_heading(d, t));
            let _ = writeln!(out, "  {id}  {shown_figures}  {heading}");
            let _ = writeln!(
                out,
                "      {}",
                paint(
                    DIM,
                    format!("residual risk {}: {}", t.residual_risk, shown(&t.residual_reason))
                )
            );
        }
    }
    out.push('\n');
}

/// The threats the input model records, each with ours that are the same one, or none.
fn recorded_threats(out: &mut String, d: &Diagram, threats: &[Threat]) {
    let comparison = recorded::compare(d, threats);
    if d.recorded_threats.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{}  we also find {}, no rule of ours for {}, we add {}",
        paint(HEADING, format!("Recorded in the model ({})", d.recorded_threats.len())),
        comparison.also_found(),
        comparison.theirs_only(),
        comparison.ours_only.len()
    );
    for (recorded, ours) in d.recorded_threats.iter().zip(&comparison.matches) {
        let on =
            recorded.target.as_deref().map_or_else(String::new, |t| format!("on {}", shown(t)));
        let ids: Vec<&str> = ours.iter().map(|t| t.id.as_str()).collect();
        let verdict =
            if ids.is_empty() { paint(DIM, "no rule of ours") } else { paint(ID, ids.join(" ")) };
        let _ = writeln!(out, "  {}  {}  {verdict}", shown(&recorded.title), paint(DIM, on));
    }
    out.push('\n');
}

/// Severity and status, each padded to one width; open in the colour of the residual risk.
fn figures(severity: Level, status: Status, residual_risk: Level) -> String {
    let status = match status {
        Status::Open => paint(level_style(residual_risk), "open     "),
        Status::Mitigated => paint(level_style(Level::None), "mitigated"),
        Status::Accepted => paint(DIM, "accepted "),
    };
    format!("{} {status}", paint(level_style(severity), format!("{:<8}", severity.name())))
}

/// The target's id, label and kind (`process`, `flow`...).
fn target_heading(d: &Diagram, t: &Threat) -> String {
    let (id, label, kind) = match t.target {
        TargetIndex::Element(n) => {
            d.graph.node_weight(n).map(|e| (e.id.as_str(), e.label.as_str(), e.kind.name()))
        }
        TargetIndex::Flow(e) => {
            d.graph.edge_weight(e).map(|f| (f.id.as_str(), f.label.as_str(), "flow"))
        }
    }
    .unwrap_or((t.target_id.as_str(), "", target_kind(t)));
    format!("{} {} ({kind})", paint(ID, shown(id)), shown(label))
}
