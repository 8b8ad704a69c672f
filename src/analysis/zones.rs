//! Trust levels of boundaries.
//!
//! Outside every boundary is level 0 (untrusted). A boundary says what it is (`trust=N`,
//! `trust=untrusted`, a label like "Internet"), or else it is one level more trusted than what
//! encloses it: people draw the protected system inside, the world outside.

use serde::Serialize;

use crate::model::{Diagram, TrustDeclaration};

/// A boundary's effective trust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustZone {
    /// 0 is untrusted; higher is more trusted.
    pub level: i64,
    pub untrusted: bool,
    /// Why it has this level, e.g. `label "Internet"` or `nesting depth 2`.
    pub reason: String,
}

pub fn trust_zones(diagram: &Diagram) -> Vec<TrustZone> {
    let mut zones: Vec<TrustZone> = Vec::with_capacity(diagram.boundaries.len());
    for (i, b) in diagram.boundaries.iter().enumerate() {
        // Parents precede children; a malformed parent index is treated as top level.
        let parent = b.parent.filter(|&p| p < i).map(|p| zones[p].level).unwrap_or(0);
        let zone = match &b.trust {
            TrustDeclaration::Level(n) => {
                TrustZone { level: *n, untrusted: *n <= 0, reason: format!("trust={n}") }
            }
            TrustDeclaration::Untrusted { because } => {
                TrustZone { level: 0, untrusted: true, reason: because.clone() }
            }
            TrustDeclaration::Trusted => {
                TrustZone { level: parent + 1, untrusted: false, reason: "trust=trusted".into() }
            }
            TrustDeclaration::Unspecified => TrustZone {
                level: parent + 1,
                untrusted: false,
                reason: format!("nested {} deep", diagram.boundary_path(Some(i)).len()),
            },
        };
        zones.push(zone);
    }
    zones
}
