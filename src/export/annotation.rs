//! What the annotated pictures (the SVG, the layer added to a draw.io file) say about each
//! element and flow: how many threats are open, how bad the worst of them is, and the tooltip
//! text. Kept in one place so the two pictures agree, and so the threats of each target are
//! counted by one function ([`by_target`]).

use std::fmt::Write;

use super::palette;
use crate::analysis::{Direction, ElementFacts};
use crate::model::{Diagram, Element, ElementKind, Flow};
use crate::threats::{Level, Status, TargetIndex, Threat};
use crate::user_text::{capped, capped_list, MAX_SHOWN_CHARS};

/// How much threat text the pictures' tooltips carry (`--svg-details`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Details {
    /// No tooltips: the smallest file.
    None,
    /// Per element and flow: what it is, its counts by status and risk, and its worst open
    /// threat. A 1,000-element picture stays small enough for a docs page.
    #[default]
    Summary,
    /// Every threat's id, status and title.
    Full,
}

/// What a target's badge shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// No threat is shown for it: no badge at all.
    Nothing,
    /// It has threats and every one is mitigated or accepted: a check mark, no number.
    Settled,
    /// Open threats: how many, and the highest residual risk among them.
    Open { count: usize, worst: Level },
}

/// The letter a badge carries beside its colour, so the level reads without telling colours
/// apart.
pub fn letter(level: Level) -> &'static str {
    match level {
        Level::Critical => "C",
        Level::High => "H",
        Level::Medium => "M",
        Level::Low => "L",
        Level::None => "",
    }
}

/// The threats of one element or flow.
#[derive(Debug, Default)]
pub struct TargetThreats<'a> {
    pub threats: Vec<&'a Threat>,
}

impl<'a> TargetThreats<'a> {
    pub fn count(&self, status: Status) -> usize {
        self.threats.iter().filter(|t| t.status == status).count()
    }

    pub fn mark(&self) -> Mark {
        let open = self.threats.iter().filter(|t| t.status == Status::Open);
        let (count, worst) =
            open.fold((0, Level::None), |(n, w), t| (n + 1, w.max(t.residual_risk)));
        match (self.threats.is_empty(), count) {
            (true, _) => Mark::Nothing,
            (false, 0) => Mark::Settled,
            _ => Mark::Open { count, worst },
        }
    }

    /// One line: `5 open threats (1 high, 4 medium), 3 mitigated`; counts of zero left out.
    /// Written straight into one string: a big diagram's picture has one per element and flow.
    pub fn counts(&self) -> String {
        if self.threats.is_empty() {
            return "No threats".to_string();
        }
        let open = self.count(Status::Open);
        let mut text = String::new();
        if open == 0 {
            text.push_str("No open threats: ");
        } else {
            let _ = write!(text, "{open} open {} (", plural(open));
            let mut separator = "";
            for level in [Level::Critical, Level::High, Level::Medium, Level::Low] {
                let at_level = |t: &&&Threat| t.status == Status::Open && t.residual_risk == level;
                let n = self.threats.iter().filter(at_level).count();
                if n > 0 {
                    let _ = write!(text, "{separator}{n} {}", level.name());
                    separator = ", ";
                }
            }
            text.push(')');
        }
        let mut separator = if open == 0 { "" } else { ", " };
        for status in [Status::Mitigated, Status::Accepted] {
            let n = self.count(status);
            if n > 0 {
                let _ = write!(text, "{separator}{n} {}", status.name());
                separator = ", ";
            }
        }
        text
    }

    /// The open threat of the highest residual risk, the first of them in report order.
    fn worst_open(&self) -> Option<&'a Threat> {
        let open = self.threats.iter().copied().filter(|t| t.status == Status::Open);
        open.fold(None, |best: Option<&Threat>, t| match best {
            Some(b) if b.residual_risk >= t.residual_risk => Some(b),
            _ => Some(t),
        })
    }

    /// The threat lines of a tooltip, as much as `details` asks for (empty for `None`).
    pub fn describe(&self, details: Details) -> String {
        match details {
            Details::None => String::new(),
            Details::Summary => self.summary(),
            Details::Full => {
                let mut text = self.counts();
                for t in &self.threats {
                    let risk = match t.status {
                        Status::Open => format!("open, residual {}", t.residual_risk.name()),
                        status => status.name().to_string(),
                    };
                    let _ = write!(text, "\n{} [{}] {}", t.id, risk, t.title);
                }
                text
            }
        }
    }

    /// The summary's threat lines: the counts, and the rule of the worst open threat (the counts
    /// name its level first). Its title, which repeats the target's name the tooltip has just
    /// given, is for `full`: on a 1,000-element picture the titles were 11 % of the file, and the
    /// rule id finds the threat in the report and in `dfd-threats catalog show`. Empty when there
    /// are no threats at all: the missing badge says so.
    fn summary(&self) -> String {
        if self.threats.is_empty() {
            return String::new();
        }
        let mut text = self.counts();
        if let Some(worst) = self.worst_open() {
            let _ = write!(text, "\nWorst: {}", capped(&worst.rule.id, MAX_SHOWN_CHARS));
        }
        text
    }
}

/// `n` and the word for one or for many: `1 boundary`, `5 boundaries`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "threat"
    } else {
        "threats"
    }
}

/// Threats grouped by target: `(by node index, by edge index)`. The one place where the pictures
/// count threats per target. Targets out of range (which a consistent report never has) are
/// ignored rather than trusted.
pub fn by_target<'a>(
    threats: &'a [Threat],
    elements: usize,
    flows: usize,
) -> (Vec<TargetThreats<'a>>, Vec<TargetThreats<'a>>) {
    let mut by_element: Vec<TargetThreats<'a>> =
        (0..elements).map(|_| TargetThreats::default()).collect();
    let mut by_flow: Vec<TargetThreats<'a>> =
        (0..flows).map(|_| TargetThreats::default()).collect();
    for threat in threats {
        let slot = match threat.target {
            TargetIndex::Element(n) => by_element.get_mut(n.index()),
            TargetIndex::Flow(e) => by_flow.get_mut(e.index()),
        };
        if let Some(slot) = slot {
            slot.threats.push(threat);
        }
    }
    (by_element, by_flow)
}

/// The tag an element carries, with its colour: `ACTOR` for an external actor, else `ENTRY` for
/// an entry point.
pub fn tag_of(facts: &ElementFacts) -> Option<(&'static str, &'static str)> {
    if facts.external_actor.is_some() {
        Some(("ACTOR", palette::ACTOR_TAG))
    } else if facts.entry_point.is_some() {
        Some(("ENTRY", palette::ENTRY_TAG))
    } else {
        None
    }
}

/// A label on one line and cut, for tooltips: they repeat labels (a flow names both its ends),
/// so a long one must not be copied whole into each of them.
pub fn one_line(text: &str) -> String {
    // Most labels are one short line already: copied as they are, without splitting them.
    let tidy = text.len() <= MAX_SHOWN_CHARS
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.chars().any(|c| c.is_whitespace() && c != ' ');
    if tidy {
        return text.to_string();
    }
    let head = capped(text, 4 * MAX_SHOWN_CHARS);
    let joined = head.split_whitespace().collect::<Vec<_>>().join(" ");
    capped(&joined, MAX_SHOWN_CHARS).into_owned()
}

/// An element's tooltip: what it is and why, then its threats; `None` with [`Details::None`].
///
/// A summary says each fact once: the name, the kind with the technology, the entry point and
/// why, the threats. `full` adds where each came from (the element's id, what its kind was
/// inferred from, why it is an external actor).
pub fn element_tooltip(
    e: &Element,
    facts: Option<&ElementFacts>,
    threats: &TargetThreats<'_>,
    details: Details,
) -> Option<String> {
    let kind = e.kind.name().replace('_', " ");
    let mut text = match details {
        Details::None => return None,
        Details::Summary => {
            let tech = e.tech().map_or_else(String::new, |t| format!(", {}", t.name));
            format!("{}\n{kind}{tech}", one_line(&e.label))
        }
        Details::Full => {
            let mut text = format!(
                "{}\n{kind} ({}), inferred from {}",
                one_line(&e.label),
                e.id,
                e.inferred_from
            );
            if let Some(tech) = e.tech() {
                let _ = write!(text, "\nTechnology: {}", tech.name);
            }
            text
        }
    };
    if let Some(facts) = facts {
        if let Some(why) = &facts.external_actor {
            // An external entity is an actor by its kind, which the summary has just said.
            if details == Details::Full {
                let _ = write!(text, "\nExternal actor: {why}");
            } else if e.kind != ElementKind::ExternalEntity {
                text.push_str("\nExternal actor");
            }
        }
        if let Some(why) = &facts.entry_point {
            let _ = write!(text, "\nEntry point: {why}");
        }
    }
    Some(with_threats(text, threats, details))
}

/// A target's tooltip: what it is, then its threats (if any line says them).
fn with_threats(mut text: String, threats: &TargetThreats<'_>, details: Details) -> String {
    let lines = threats.describe(details);
    if !lines.is_empty() {
        text.push('\n');
        text.push_str(&lines);
    }
    text
}

/// A flow's tooltip: its label, ends and crossing, then its threats; `None` with
/// [`Details::None`]. A summary names the ends as `A → B`; `full` adds the flow's id.
pub fn flow_tooltip(
    flow: &Flow,
    from: &str,
    to: &str,
    crossing: Option<&str>,
    threats: &TargetThreats<'_>,
    details: Details,
) -> Option<String> {
    let label = one_line(&flow.label);
    let (from, to) = (one_line(from), one_line(to));
    let mut text = match (details, label.is_empty()) {
        (Details::None, _) => return None,
        (Details::Summary, true) => format!("{from} \u{2192} {to}"),
        (Details::Summary, false) => format!("{label}\n{from} \u{2192} {to}"),
        (Details::Full, true) => format!("Flow {}\nfrom {from} to {to}", flow.id),
        (Details::Full, false) => format!("{label}\nflow {}\nfrom {from} to {to}", flow.id),
    };
    if let Some(crossing) = crossing {
        let _ = write!(text, "\nCrosses {crossing}");
    }
    Some(with_threats(text, threats, details))
}

/// The zones a flow crosses, for its tooltip: a few of them, each cut (see [`capped_list`]).
pub fn describe_crossing(diagram: &Diagram, crosses: &[usize], direction: Direction) -> String {
    let names = capped_list(crosses.iter().map(|&b| {
        diagram
            .boundaries
            .get(b)
            .map_or_else(String::new, |b| format!("\"{}\"", one_line(&b.label)))
    }));
    format!("{names} ({})", direction.name())
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_take_the_word_for_one_or_many() {
        assert_eq!(super::counted(1, "boundary", "boundaries"), "1 boundary");
        assert_eq!(super::counted(0, "boundary", "boundaries"), "0 boundaries");
        assert_eq!(super::counted(2, "flow crosses", "flows cross"), "2 flows cross");
    }
}
