//! The readable report for a terminal: the inventory (what the tool found and why), then the
//! threats grouped by element and flow. Colour is added as ANSI styles; the caller strips them
//! when the output is not a terminal or `NO_COLOR` is set.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::Report;
use crate::analysis::{DiagramAnalysis, Direction};
use crate::model::Diagram;
use crate::threats::{Level, Status, TargetIndex, Threat};

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

fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renders the report with ANSI styles.
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for (diagram, analysis, threats) in report.diagrams() {
        inventory(&mut out, report, diagram, analysis);
        threat_list(&mut out, diagram, threats);
    }
    out
}

fn inventory(out: &mut String, report: &Report<'_>, d: &Diagram, a: &DiagramAnalysis) {
    let _ = writeln!(
        out,
        "{}  {}",
        paint(HEADING, format!("Diagram {}", d.name)),
        paint(DIM, format!("{} ({})", report.document.path, report.document.format.name()))
    );
    let _ = writeln!(
        out,
        "{} elements, {} flows, {} boundaries, {} flows cross a boundary\n",
        d.element_count(),
        d.flow_count(),
        d.boundaries.len(),
        a.crossing_count()
    );
    let label = |n: petgraph::graph::NodeIndex| one_line(&d.element(n).label);
    let id = |n: petgraph::graph::NodeIndex| paint(ID, &d.element(n).id);

    let _ = writeln!(
        out,
        "{}",
        paint(SECTION, format!("External actors ({})", a.external_actors.len()))
    );
    for &n in &a.external_actors {
        let why = a.facts(n).external_actor.as_deref().unwrap_or("");
        let _ = writeln!(out, "  {}  {}  {}", id(n), label(n), paint(DIM, why));
    }
    let _ = writeln!(out, "{}", paint(SECTION, format!("Entry points ({})", a.entry_points.len())));
    for &n in &a.entry_points {
        let why = a.facts(n).entry_point.as_deref().unwrap_or("");
        let _ = writeln!(out, "  {}  {}  {}", id(n), label(n), paint(DIM, why));
    }
    let _ = writeln!(out, "{}", paint(SECTION, format!("Data assets ({})", a.data_assets.len())));
    for asset in &a.data_assets {
        let what = match asset.store {
            Some(_) => "data store".to_string(),
            None => format!("carried by {}", asset.carried_by.join(", ")),
        };
        let reach = match &asset.reached_by {
            Some(r) => format!(
                "reachable from {} across {} boundar{}",
                d.element(r.actor).id,
                r.boundaries_crossed,
                if r.boundaries_crossed == 1 { "y" } else { "ies" }
            ),
            None => "not reachable from an external actor".to_string(),
        };
        let _ = writeln!(
            out,
            "  {}  {}  {}",
            paint(ID, &asset.id),
            one_line(&asset.name),
            paint(DIM, format!("{what}; {reach}"))
        );
    }
    let _ =
        writeln!(out, "{}", paint(SECTION, format!("Infrastructure ({})", a.infrastructure.len())));
    for &n in &a.infrastructure {
        let tech = d.element(n).tech().map_or("", |t| t.name);
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
            "  ".repeat(depth.saturating_sub(1)),
            paint(ID, &b.id),
            one_line(&b.label),
            paint(DIM, format!("{trust} ({}); {}", zone.reason, b.inferred_from))
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
        let names: Vec<String> =
            c.crosses.iter().map(|&b| one_line(&d.boundaries[b].label)).collect();
        let dir = match c.direction {
            Direction::Inbound => paint(level_style(Level::High), "inbound"),
            Direction::Outbound => paint(level_style(Level::Medium), "outbound"),
            other => other.name().to_string(),
        };
        let _ = writeln!(
            out,
            "  {}  {}  {}  {}",
            paint(ID, &f.flow.id),
            dir,
            one_line(&f.flow.label),
            paint(DIM, format!("crosses {}", names.join(", ")))
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
            paint(DIM, format!("from {}", e.inferred_from))
        );
    }
    out.push('\n');
}

fn threat_list(out: &mut String, d: &Diagram, threats: &[Threat]) {
    let open = threats.iter().filter(|t| t.status == Status::Open).count();
    let mitigated = threats.iter().filter(|t| t.status == Status::Mitigated).count();
    let accepted = threats.len() - open - mitigated;
    let _ = writeln!(
        out,
        "{}  {} open, {} mitigated, {} accepted\n",
        paint(HEADING, format!("Threats ({})", threats.len())),
        open,
        mitigated,
        accepted
    );
    let mut current: Option<TargetIndex> = None;
    for t in threats {
        if current != Some(t.target) {
            current = Some(t.target);
            let heading = match t.target {
                TargetIndex::Element(n) => {
                    let e = d.element(n);
                    format!("{} {} ({})", paint(ID, &e.id), one_line(&e.label), e.kind.name())
                }
                TargetIndex::Flow(e) => {
                    let f = &d.graph[e];
                    format!("{} {} (flow)", paint(ID, &f.id), one_line(&f.label))
                }
            };
            let _ = writeln!(out, "{heading}");
        }
        let status = match t.status {
            Status::Open => paint(level_style(t.residual_risk), "open     "),
            Status::Mitigated => paint(level_style(Level::None), "mitigated"),
            Status::Accepted => paint(DIM, "accepted "),
        };
        let _ = writeln!(
            out,
            "  {}  {} {}  {}  {}",
            paint(DIM, &t.id),
            paint(level_style(t.severity), format!("{:<8}", t.severity.name())),
            status,
            paint(DIM, &t.rule.id),
            t.title
        );
        let _ = writeln!(
            out,
            "      {}",
            paint(DIM, format!("residual risk {}: {}", t.residual_risk, t.residual_reason))
        );
    }
    out.push('\n');
}
