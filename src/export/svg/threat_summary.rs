//! What a badge says about one element or flow: how many threats, how bad the worst open one is,
//! and the list for its tooltip.

use crate::threats::{Level, Status, TargetIndex, Threat};

/// The threats of one target.
#[derive(Debug, Default)]
pub struct TargetThreats<'a> {
    pub threats: Vec<&'a Threat>,
}

impl<'a> TargetThreats<'a> {
    /// The highest residual risk among open threats; `None` level when nothing is open.
    pub fn worst_open(&self) -> Level {
        self.threats
            .iter()
            .filter(|t| t.status == Status::Open)
            .map(|t| t.residual_risk)
            .max()
            .unwrap_or(Level::None)
    }

    pub fn count(&self, status: Status) -> usize {
        self.threats.iter().filter(|t| t.status == status).count()
    }

    /// Tooltip lines: a count by status, then one line per threat.
    pub fn describe(&self) -> String {
        if self.threats.is_empty() {
            return "No threats".to_string();
        }
        let mut text = format!(
            "{} threat{} ({} open, {} mitigated, {} accepted)",
            self.threats.len(),
            if self.threats.len() == 1 { "" } else { "s" },
            self.count(Status::Open),
            self.count(Status::Mitigated),
            self.count(Status::Accepted),
        );
        for t in &self.threats {
            let risk = match t.status {
                Status::Open => format!("open, residual {}", t.residual_risk.name()),
                status => status.name().to_string(),
            };
            text.push_str(&format!("\n{} [{}] {}", t.id, risk, t.title));
        }
        text
    }
}

/// Threats grouped by target: `(by node index, by edge index)`. Targets out of range (which a
/// consistent report never has) are ignored rather than trusted.
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
