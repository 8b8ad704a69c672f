//! Trust levels of boundaries.
//!
//! Outside every boundary is level 0 (untrusted). A boundary says what it is (`trust=N`,
//! `trust=untrusted`, a label like "Internet"), or else it is one level more trusted than what
//! encloses it: people draw the protected system inside, the world outside. A zone drawn inside an
//! untrusted zone without a declaration of its own stays untrusted.

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
        let parent_zone = b.parent.filter(|&p| p < i).map(|p| &zones[p]);
        let parent = parent_zone.map_or(0, |z| z.level);
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
            // A zone drawn inside an untrusted one (a user's LAN on the Internet) is the user's,
            // not the system's: it stays untrusted.
            TrustDeclaration::Unspecified if parent_zone.is_some_and(|z| z.untrusted) => {
                TrustZone {
                    level: parent,
                    untrusted: true,
                    reason: format!(
                        "inside untrusted \"{}\"",
                        b.parent
                            .and_then(|p| diagram.boundaries.get(p))
                            .map_or("", |p| p.label.as_str())
                    ),
                }
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
