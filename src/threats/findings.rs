//! Findings: the threats one fix closes, reported once with the targets they affect.
//!
//! Rules are evaluated per target ([`Threat`]): a rule that fires on three Lambdas gives three
//! threats with the same text and the same missing mitigation. A [`Finding`] puts them together:
//! the threats of one rule, in one diagram, whose targets declare the same set of the rule's
//! mitigations (their *posture*). Declaring the missing mitigation closes them all, so they are one
//! piece of work and one ticket.
//!
//! The posture decides what the diagram says about the threat: the same rule with the same
//! mitigations declared gives the same status (open or mitigated) on every target. A person's
//! decision does not move a target to another finding: an accepted or suppressed target stays in
//! its finding and keeps its own status, residual risk and suppression there. Each target also
//! keeps its severity (exposure and sensitive data raise it per target) and baseline novelty.
//!
//! A finding's own figures summarise its targets: its status is `open` when any target is open,
//! else `accepted` when any target is accepted, else `mitigated`; its severity and residual risk
//! are the highest over its open targets, or over all targets when none is open.
//!
//! # Ids
//!
//! - Each (finding, target) pair keeps its threat id, `T-` and 10 hex digits
//!   ([`super::threat_id`]: rule, diagram, target kind and target id), so baselines, suppressions
//!   and SARIF fingerprints written before findings existed keep working.
//! - A finding id is `F-` and the first 10 hex digits of SHA-256 over `finding`, the rule id, the
//!   diagram name and the posture key ([`posture_key`]), never the targets: adding or removing a
//!   target leaves the id of its finding unchanged. Declaring a mitigation on some targets moves
//!   them to the finding of their new posture, which has its own id.

use std::collections::HashMap;
use std::sync::Arc;

use super::{hashed_id, Level, Novelty, Rule, Status, Threat};
use crate::model::Diagram;

/// The threats of one rule in one diagram that the same mitigations close.
#[derive(Debug, Clone)]
pub struct Finding<'a> {
    /// `F-` and 10 hex digits, see the module doc.
    pub id: String,
    pub rule: &'a Arc<Rule>,
    /// The diagram's name, as the threats carry it.
    pub diagram_name: &'a str,
    /// The diagram the targets belong to, when known (labels, kinds, source locations).
    pub diagram: Option<&'a Diagram>,
    /// One character per mitigation of the rule, in the rule's order: `1` declared, `0` absent.
    pub posture: String,
    /// One threat per target, in target order (elements in file order, then flows).
    pub targets: Vec<&'a Threat>,
    /// `open` if any target is open, else `accepted` if any is accepted, else `mitigated`.
    pub status: Status,
    /// The highest severity over the open targets, or over all when none is open.
    pub severity: Level,
    /// The highest residual risk over the open targets, or over all when none is open.
    pub residual_risk: Level,
}

impl Finding<'_> {
    /// How exposed the finding is: the highest likelihood over its open targets (over all when
    /// none is open).
    pub fn exposure(&self) -> Level {
        self.highest(|t| t.likelihood)
    }

    /// How bad it is: the highest impact over its open targets (over all when none is open).
    /// Between findings of equal risk the one that hurts more ranks first, then the more exposed:
    /// a forged "paid" event outranks a flood at the same risk, as a reviewer ranks them.
    pub fn impact(&self) -> Level {
        self.highest(|t| t.impact)
    }

    fn highest(&self, level: impl Fn(&Threat) -> Level) -> Level {
        let open = self.targets.iter().filter(|t| t.status == Status::Open).map(|t| level(t)).max();
        open.or_else(|| self.targets.iter().map(|t| level(t)).max()).unwrap_or(Level::Low)
    }

    /// What to do about mitigation `m` of the rule: the advice for the targets' technology when
    /// every target gets the same one (three Lambda functions), else the generic text.
    pub fn advice<'m>(&self, m: &'m crate::threats::Mitigation) -> &'m str {
        let mut advice = self.targets.iter().map(|t| t.advice(self.diagram, m).0);
        match advice.next() {
            Some(first) if advice.all(|a| std::ptr::eq(a, first)) => first,
            _ => &m.text,
        }
    }

    /// The title people see: the target's own title when there is one target, else the first
    /// target's title and how many more there are (a rule's title names its target).
    pub fn title(&self) -> String {
        let first = self.targets.first().map_or(self.rule.title.as_str(), |t| t.title.as_str());
        match self.targets.len() {
            0 | 1 => first.to_string(),
            n => format!("{first} (+{} more)", n - 1),
        }
    }

    /// The targets that are open.
    pub fn open_targets(&self) -> impl Iterator<Item = &Threat> {
        self.targets.iter().copied().filter(|t| t.status == Status::Open)
    }

    /// The highest residual risk among the open targets; `None` when no target is open.
    pub fn open_residual_risk(&self) -> Option<Level> {
        self.open_targets().map(|t| t.residual_risk).max()
    }

    /// The target whose residual risk (then severity) is the finding's: the worst open one, or
    /// the worst of all when none is open. Its `residual_reason` explains the finding's figure.
    pub fn worst_target(&self) -> Option<&Threat> {
        let open = self.status == Status::Open;
        // `max_by_key` keeps the last of equals: reversed, the first in target order wins.
        self.targets
            .iter()
            .rev()
            .copied()
            .filter(|t| !open || t.status == Status::Open)
            .max_by_key(|t| (t.residual_risk, t.severity))
    }

    /// What the baseline says of the finding: `new` when one of its open targets is new (a new
    /// risk), else `reopened` when one is, else `unchanged`; without a baseline, `None`.
    pub fn novelty(&self) -> Option<Novelty> {
        let open: Vec<Novelty> = self.open_targets().filter_map(|t| t.novelty).collect();
        [Novelty::New, Novelty::Reopened]
            .into_iter()
            .find(|n| open.contains(n))
            .or_else(|| self.targets.iter().find_map(|t| t.novelty).map(|_| Novelty::Unchanged))
    }

    /// The declarations found for mitigation `index` of the rule, over all targets, each once,
    /// in target order.
    pub fn evidence(&self, index: usize) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        self.targets
            .iter()
            .filter_map(|t| t.mitigations.get(index))
            .flat_map(|m| &m.found)
            .map(String::as_str)
            .filter(|found| seen.insert(*found))
            .collect()
    }

    /// Whether mitigation `index` of the rule is declared (the same on every target).
    pub fn declares(&self, index: usize) -> bool {
        self.posture.as_bytes().get(index) == Some(&b'1')
    }
}

/// Which of the rule's mitigations a threat's target declares: one character per mitigation, in
/// the rule's order, `1` declared and `0` absent (empty for a rule that lists none). With the
/// rule, it decides the status the diagram gives the threat.
pub fn posture_key(threat: &Threat) -> String {
    threat.mitigations.iter().map(|m| if m.present { '1' } else { '0' }).collect()
}

/// The id of the finding of a rule, a diagram and a posture (see the module doc).
pub fn finding_id(rule: &str, diagram: &str, posture: &str) -> String {
    hashed_id("F-", &["finding", rule, diagram, posture])
}

/// Whether `id` has the form of a finding id (`F-`, any case), rather than a threat id (`T-`).
pub fn is_finding_id(id: &str) -> bool {
    id.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("F-"))
}

/// The id of the finding `threat` belongs to, computed from the threat alone.
pub fn finding_id_of(threat: &Threat) -> String {
    finding_id(&threat.rule.id, &threat.diagram, &posture_key(threat))
}

/// Groups the threats of one diagram (`diagram`, when known) into findings, ranked by
/// [`rank`]. This is the one place threats are grouped.
pub fn group<'a>(diagram: Option<&'a Diagram>, threats: &'a [Threat]) -> Vec<Finding<'a>> {
    let mut index: HashMap<(&str, &str, String), usize> = HashMap::new();
    let mut findings: Vec<Finding<'a>> = Vec::new();
    for t in threats {
        let key = (t.diagram.as_str(), t.rule.id.as_str(), posture_key(t));
        let next = findings.len();
        let at = *index.entry(key).or_insert(next);
        if at == next {
            findings.push(start(diagram, t));
        } else {
            findings[at].targets.push(t);
        }
    }
    for f in &mut findings {
        summarise(f);
    }
    rank(&mut findings);
    findings
}

/// A finding holding its first target.
fn start<'a>(diagram: Option<&'a Diagram>, t: &'a Threat) -> Finding<'a> {
    let posture = posture_key(t);
    Finding {
        id: finding_id(&t.rule.id, &t.diagram, &posture),
        rule: &t.rule,
        diagram_name: &t.diagram,
        diagram,
        posture,
        targets: vec![t],
        status: t.status,
        severity: t.severity,
        residual_risk: t.residual_risk,
    }
}

/// Sets the finding's status, severity and residual risk from its targets.
fn summarise(f: &mut Finding<'_>) {
    let any = |s: Status| f.targets.iter().any(|t| t.status == s);
    f.status = if any(Status::Open) {
        Status::Open
    } else if any(Status::Accepted) {
        Status::Accepted
    } else {
        Status::Mitigated
    };
    let counted = |t: &&&Threat| f.status != Status::Open || t.status == Status::Open;
    f.severity = f.targets.iter().filter(counted).map(|t| t.severity).max().unwrap_or(Level::None);
    f.residual_risk =
        f.targets.iter().filter(counted).map(|t| t.residual_risk).max().unwrap_or(Level::None);
}

/// The order findings are shown in: the highest residual risk of an open target first (findings
/// with no open target last), then the higher severity, then the higher impact, then the higher
/// exposure (likelihood), then the finding id, so the order is total and does not depend on
/// file order.
pub fn rank(findings: &mut [Finding<'_>]) {
    findings.sort_by(|a, b| {
        b.open_residual_risk()
            .cmp(&a.open_residual_risk())
            .then(b.severity.cmp(&a.severity))
            .then(b.impact().cmp(&a.impact()))
            .then(b.exposure().cmp(&a.exposure()))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// The open findings a team fixes first: the first `n` of `findings` (ranked) that are open.
pub fn top_risks<'f, 'a>(findings: &'f [Finding<'a>], n: usize) -> Vec<&'f Finding<'a>> {
    findings.iter().filter(|f| f.status == Status::Open).take(n).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
