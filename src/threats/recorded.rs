//! The threats another tool's model already records, held against ours: which of theirs the
//! catalog also finds, which it has no rule for, and which of ours the model does not record.
//!
//! Two threats are taken for the same one when they are about the same place and say the same
//! kind of thing. *Place*: the recorded threat's own element or flow, or what touches it (TMT
//! records "spoofing of the user" on the flow the user starts; Threat Dragon records a flow's
//! tampering on the process it enters). *Kind*: the STRIDE category when the tool wrote one we can
//! read (Threat Dragon's CIA types map onto STRIDE: confidentiality → information disclosure,
//! integrity → tampering, availability → denial of service); otherwise, and for threats away from
//! the recorded place, shared title words. This is deliberately conservative: a recorded threat
//! we cannot tie to one of ours is reported as one we have no rule for, which a reviewer can check,
//! rather than hidden behind a loose match.

use std::collections::BTreeSet;

use crate::model::{Diagram, RecordedThreat};
use crate::threats::{Category, TargetIndex, Threat};

/// How many of our threats are kept per recorded threat (best first).
pub const MAX_MATCHES: usize = 5;

/// Our threats set against the model's recorded ones, for one diagram.
#[derive(Debug, Default)]
pub struct Comparison<'t> {
    /// Parallel to the diagram's `recorded_threats`: ours that are the same threat, best first.
    pub matches: Vec<Vec<&'t Threat>>,
    /// Our threats (of this diagram) that match no recorded threat.
    pub ours_only: Vec<&'t Threat>,
}

impl Comparison<'_> {
    /// Recorded threats the catalog also finds.
    pub fn also_found(&self) -> usize {
        self.matches.iter().filter(|m| !m.is_empty()).count()
    }

    /// Recorded threats no rule of ours finds.
    pub fn theirs_only(&self) -> usize {
        self.matches.len() - self.also_found()
    }
}

/// Compares `diagram`'s recorded threats with `threats` (ours for that diagram). Empty when the
/// model records none: there is then nothing to compare with, and "ours only" would be all.
pub fn compare<'t>(diagram: &Diagram, threats: &'t [Threat]) -> Comparison<'t> {
    if diagram.recorded_threats.is_empty() {
        return Comparison::default();
    }
    let words: Vec<BTreeSet<String>> =
        threats.iter().map(|t| title_words(&format!("{} {}", t.title, t.rule.title))).collect();
    let mut matched = vec![false; threats.len()];
    let matches = diagram
        .recorded_threats
        .iter()
        .map(|recorded| {
            let found = matches_of(diagram, recorded, threats, &words);
            found.iter().for_each(|&i| matched[i] = true);
            found.into_iter().take(MAX_MATCHES).map(|i| &threats[i]).collect()
        })
        .collect();
    let ours_only = threats.iter().zip(matched).filter(|(_, m)| !m).map(|(t, _)| t).collect();
    Comparison { matches, ours_only }
}

/// Where one of our threats stands relative to a recorded threat's target.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// On the recorded threat's own element or flow.
    Same,
    /// On a flow of that element, or on an end of that flow.
    Touching,
    /// Elsewhere, or the recorded threat has no target.
    Elsewhere,
}

/// Indexes of our threats that are `recorded`, best first: same place first, then more shared
/// title words, then id (so the order never depends on the catalog's order).
fn matches_of(
    diagram: &Diagram,
    recorded: &RecordedThreat,
    threats: &[Threat],
    words: &[BTreeSet<String>],
) -> Vec<usize> {
    let categories = recorded.category.as_deref().map(categories_in).unwrap_or_default();
    let their_words = title_words(&recorded.title);
    let mut found: Vec<(Place, usize, &str, usize)> = threats
        .iter()
        .enumerate()
        .filter_map(|(i, ours)| {
            let place = place_of(diagram, recorded.target.as_deref(), ours);
            let shared = their_words.intersection(&words[i]).count();
            let same_kind = categories.contains(&ours.rule.category);
            let is_match = match (place, categories.is_empty()) {
                (Place::Same, false) => same_kind,
                (Place::Same, true) => shared >= 1,
                (Place::Touching, false) => same_kind && shared >= 1,
                (Place::Touching, true) | (Place::Elsewhere, true) => shared >= 2,
                (Place::Elsewhere, false) => same_kind && shared >= 2,
            };
            is_match.then_some((place, usize::MAX - shared, ours.id.as_str(), i))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(.., i)| i).collect()
}

/// Where `ours` is relative to the recorded target (our id of an element, flow or boundary).
fn place_of(diagram: &Diagram, target: Option<&str>, ours: &Threat) -> Place {
    let Some(target) = target else { return Place::Elsewhere };
    if ours.target_id == target {
        return Place::Same;
    }
    let touches = match ours.target {
        TargetIndex::Flow(edge) => diagram
            .graph
            .edge_endpoints(edge)
            .is_some_and(|(a, b)| diagram.graph[a].id == target || diagram.graph[b].id == target),
        TargetIndex::Element(node) => {
            diagram.flows().any(|f| f.flow.id == target && (f.from == node || f.to == node))
        }
    };
    if touches {
        Place::Touching
    } else {
        Place::Elsewhere
    }
}

/// The STRIDE categories a tool's category text names: `Spoofing`, `Elevation Of Privilege`,
/// `information-disclosure`, `Denial of service, Tampering`, or Threat Dragon's CIA types.
pub fn categories_in(text: &str) -> BTreeSet<Category> {
    let squashed: String = text
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ',')
        .collect::<String>()
        .to_lowercase();
    squashed
        .split(',')
        .filter_map(|part| match part {
            "spoofing" => Some(Category::Spoofing),
            "tampering" | "integrity" => Some(Category::Tampering),
            "repudiation" => Some(Category::Repudiation),
            "informationdisclosure" | "confidentiality" => Some(Category::InformationDisclosure),
            "denialofservice" | "availability" => Some(Category::DenialOfService),
            "elevationofprivilege" | "elevationofprivileges" => {
                Some(Category::ElevationOfPrivilege)
            }
            _ => None,
        })
        .collect()
}

/// Words that say nothing about which threat a title is.
const COMMON_WORDS: &[&str] = &[
    "about", "against", "attack", "attacker", "could", "data", "element", "external", "flow",
    "from", "into", "might", "other", "process", "should", "store", "that", "their", "there",
    "this", "threat", "through", "which", "with", "without",
];

/// A title's telling words, cut to five letters so that `spoofing`/`spoofed` and
/// `injection`/`injected` meet.
fn title_words(title: &str) -> BTreeSet<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && !COMMON_WORDS.contains(&w.as_str()))
        .map(|w| w.chars().take(5).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_category_wordings_of_each_tool() {
        let one = |text: &str| categories_in(text).into_iter().collect::<Vec<_>>();
        assert_eq!(one("Elevation Of Privilege"), [Category::ElevationOfPrivilege]);
        assert_eq!(one("information-disclosure"), [Category::InformationDisclosure]);
        assert_eq!(one("Denial of service"), [Category::DenialOfService]);
        assert_eq!(one("Confidentiality"), [Category::InformationDisclosure]);
        assert_eq!(one("Spoofing, Tampering"), [Category::Spoofing, Category::Tampering]);
        assert!(one("Linkability").is_empty());
    }

    #[test]
    fn title_words_meet_across_word_forms_and_skip_common_words() {
        let a = title_words("Spoofed identity of the user");
        let b = title_words("Spoofing the user's identity with stolen tokens");
        let shared: Vec<&String> = a.intersection(&b).collect();
        assert_eq!(shared, ["ident", "spoof", "user"]);
        assert!(title_words("a threat to the data flow").is_empty());
    }
}
