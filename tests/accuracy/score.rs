//! Matching the tool's elements to the labelled ones, and the measures of issue 10.
//!
//! A tool element matches a labelled element when its id is one of the label's `ids`. When
//! several tool elements match one label (an icon and its caption both reported), the label is
//! found once and judged on one representative: the matching tool element whose id comes first in
//! the label's `ids`. The others are duplicates and count as decorations: the tool put something
//! in the model that a threat modeler would not, so they are noise like any other decoration.

use std::collections::HashMap;
use std::ops::AddAssign;

use super::labels::{Kind, LabelDiagram, LabelElement};
use super::tool::{ToolDiagram, ToolElement};

/// `count` out of `total`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    pub count: usize,
    pub total: usize,
}

impl Ratio {
    fn tally(&mut self, hit: bool) {
        self.total += 1;
        self.count += usize::from(hit);
    }

    /// The share, or `None` when nothing was counted (a measure with nothing to measure).
    pub fn share(self) -> Option<f64> {
        (self.total > 0).then(|| self.count as f64 / self.total as f64)
    }
}

impl AddAssign for Ratio {
    fn add_assign(&mut self, other: Ratio) {
        self.count += other.count;
        self.total += other.total;
    }
}

/// The measures, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Labelled elements found whose kind the tool got right / labelled elements found.
    Kind,
    /// Labelled externals the tool calls external actors / labelled externals (found or not).
    ActorRecall,
    /// Tool actors that are labelled externals / tool actors (duplicates left out).
    ActorPrecision,
    /// Labelled entry points the tool calls entry points / labelled entry points.
    EntryRecall,
    /// Tool entry points that are labelled entry points / tool entry points (duplicates left out).
    EntryPrecision,
    /// Labelled elements found whose zone the tool got right / labelled elements found.
    Zone,
    /// Labelled elements no tool element matches / labelled elements. Lower is better.
    Missed,
    /// Tool elements matching no label, plus duplicates / tool elements. Lower is better.
    Decorations,
}

impl Measure {
    pub const ALL: [Measure; 8] = [
        Measure::Kind,
        Measure::ActorRecall,
        Measure::ActorPrecision,
        Measure::EntryRecall,
        Measure::EntryPrecision,
        Measure::Zone,
        Measure::Missed,
        Measure::Decorations,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Measure::Kind => "kind",
            Measure::ActorRecall => "actor rec",
            Measure::ActorPrecision => "actor prec",
            Measure::EntryRecall => "entry rec",
            Measure::EntryPrecision => "entry prec",
            Measure::Zone => "zone",
            Measure::Missed => "missed",
            Measure::Decorations => "decorations",
        }
    }

    /// Missed elements and decorations are errors: their bound is a ceiling, not a floor.
    pub fn lower_is_better(self) -> bool {
        matches!(self, Measure::Missed | Measure::Decorations)
    }
}

/// Every measure's ratio for one diagram, one file or one set.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scores {
    kind: Ratio,
    actor_recall: Ratio,
    actor_precision: Ratio,
    entry_recall: Ratio,
    entry_precision: Ratio,
    zone: Ratio,
    missed: Ratio,
    decorations: Ratio,
}

impl Scores {
    pub fn get(&self, measure: Measure) -> Ratio {
        match measure {
            Measure::Kind => self.kind,
            Measure::ActorRecall => self.actor_recall,
            Measure::ActorPrecision => self.actor_precision,
            Measure::EntryRecall => self.entry_recall,
            Measure::EntryPrecision => self.entry_precision,
            Measure::Zone => self.zone,
            Measure::Missed => self.missed,
            Measure::Decorations => self.decorations,
        }
    }
}

impl AddAssign for Scores {
    fn add_assign(&mut self, other: Scores) {
        self.kind += other.kind;
        self.actor_recall += other.actor_recall;
        self.actor_precision += other.actor_precision;
        self.entry_recall += other.entry_recall;
        self.entry_precision += other.entry_precision;
        self.zone += other.zone;
        self.missed += other.missed;
        self.decorations += other.decorations;
    }
}

/// The labelled kind a tool kind stands for. A kind the tool might add later (a trust boundary
/// reported as an element, say) maps to none and so is never right.
fn labelled_kind(tool_kind: &str) -> Option<Kind> {
    match tool_kind {
        "external_entity" => Some(Kind::External),
        "process" => Some(Kind::Process),
        "data_store" => Some(Kind::Store),
        _ => None,
    }
}

/// How the tool's elements of one diagram fall on the labelled ones.
struct Matching<'a> {
    /// Per labelled element (in label order), its representative tool element, if found.
    representatives: Vec<Option<&'a ToolElement>>,
    /// Tool elements matching no label.
    unmatched: Vec<&'a ToolElement>,
    /// Tool elements matching a label that another tool element already represents.
    duplicates: usize,
}

fn match_elements<'a>(label: &LabelDiagram, tool: &'a ToolDiagram) -> Matching<'a> {
    // (label index, rank of the id within the label's ids) for every labelled id.
    let by_id: HashMap<&str, (usize, usize)> = label
        .elements
        .iter()
        .enumerate()
        .flat_map(|(l, e)| e.ids.iter().enumerate().map(move |(rank, id)| (id.as_str(), (l, rank))))
        .collect();
    let mut best: Vec<Option<(usize, &ToolElement)>> = vec![None; label.elements.len()];
    let mut unmatched = Vec::new();
    let mut duplicates = 0;
    for element in &tool.elements {
        let Some(&(l, rank)) = by_id.get(element.id.as_str()) else {
            unmatched.push(element);
            continue;
        };
        match best[l] {
            None => best[l] = Some((rank, element)),
            Some((held, _)) => {
                duplicates += 1;
                if rank < held {
                    best[l] = Some((rank, element));
                }
            }
        }
    }
    let representatives = best.into_iter().map(|b| b.map(|(_, e)| e)).collect();
    Matching { representatives, unmatched, duplicates }
}

/// Scores one labelled diagram against the tool's diagram (`None`: the tool produced none, as
/// when the file failed to import, so every labelled element is missed).
pub fn score_diagram(label: &LabelDiagram, tool: Option<&ToolDiagram>) -> Scores {
    let empty = ToolDiagram { name: String::new(), boundaries: Vec::new(), elements: Vec::new() };
    let tool = tool.unwrap_or(&empty);
    let matching = match_elements(label, tool);
    let mut s = Scores::default();
    for (labelled, found) in label.elements.iter().zip(&matching.representatives) {
        score_labelled(&mut s, label, tool, labelled, *found);
    }
    let labelled_of: HashMap<&str, &LabelElement> =
        label.elements.iter().flat_map(|e| e.ids.iter().map(move |id| (id.as_str(), e))).collect();
    let units = matching.representatives.iter().flatten().chain(&matching.unmatched);
    for element in units {
        let labelled = labelled_of.get(element.id.as_str());
        if element.external_actor.is_some() {
            s.actor_precision.tally(labelled.is_some_and(|l| l.kind == Kind::External));
        }
        if element.entry_point.is_some() {
            s.entry_precision.tally(labelled.is_some_and(|l| l.entry));
        }
    }
    s.decorations =
        Ratio { count: matching.unmatched.len() + matching.duplicates, total: tool.elements.len() };
    s
}

/// The measures counted over labelled elements: missed, kind, zone and the two recalls.
fn score_labelled(
    s: &mut Scores,
    label: &LabelDiagram,
    tool: &ToolDiagram,
    labelled: &LabelElement,
    found: Option<&ToolElement>,
) {
    s.missed.tally(found.is_none());
    if labelled.kind == Kind::External {
        s.actor_recall.tally(found.is_some_and(|e| e.external_actor.is_some()));
    }
    if labelled.entry {
        s.entry_recall.tally(found.is_some_and(|e| e.entry_point.is_some()));
    }
    if let Some(element) = found {
        s.kind.tally(labelled_kind(&element.kind) == Some(labelled.kind));
        s.zone.tally(label.zone_ids(&labelled.zone).contains(&tool.zone_of(element)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagram(label: &str) -> LabelDiagram {
        toml::from_str(label).unwrap()
    }

    fn element(id: &str, kind: &str, actor: bool) -> ToolElement {
        ToolElement {
            id: id.into(),
            kind: kind.into(),
            boundary: None,
            external_actor: actor.then(|| "declared".into()),
            entry_point: None,
        }
    }

    #[test]
    fn a_caption_reported_beside_its_icon_is_a_duplicate_and_the_first_id_decides() {
        let label = diagram(
            "name = \"G\"\n[[element]]\nids = [\"icon\", \"caption\"]\nname = \"User\"\nkind = \"external\"\nzone = \"\"\n",
        );
        let tool = ToolDiagram {
            name: "G".into(),
            boundaries: Vec::new(),
            elements: vec![
                element("caption", "process", false),
                element("icon", "external_entity", true),
                element("legend", "process", false),
            ],
        };
        let s = score_diagram(&label, Some(&tool));
        assert_eq!(s.get(Measure::Kind), Ratio { count: 1, total: 1 });
        assert_eq!(s.get(Measure::ActorRecall), Ratio { count: 1, total: 1 });
        assert_eq!(s.get(Measure::ActorPrecision), Ratio { count: 1, total: 1 });
        assert_eq!(s.get(Measure::Missed), Ratio { count: 0, total: 1 });
        assert_eq!(s.get(Measure::Decorations), Ratio { count: 2, total: 3 });
    }

    #[test]
    fn a_diagram_the_tool_did_not_produce_misses_every_element() {
        let label = diagram(
            "name = \"G\"\n[[element]]\nids = [\"a\"]\nname = \"A\"\nkind = \"process\"\nentry = true\nzone = \"\"\n",
        );
        let s = score_diagram(&label, None);
        assert_eq!(s.get(Measure::Missed), Ratio { count: 1, total: 1 });
        assert_eq!(s.get(Measure::EntryRecall), Ratio { count: 0, total: 1 });
        assert_eq!(s.get(Measure::Kind).share(), None);
    }
}
