//! Trust levels of boundaries.
//!
//! A boundary is ranked only by what says so: a `trust=` attribute, a word in its label
//! (`knowledge/zones.toml`: Internet and public are untrusted, private and VPC trusted), members
//! that are all external actors (the box drawn around the users), or, for a top-level box around
//! part of the system, flows that external actors outside it send in (the box is the perimeter
//! they cross). Anything else is a grouping (a code layer, a region, an availability zone): nesting
//! is not a trust step, so a grouping's members share the trust of the nearest ranked zone around
//! them.
//!
//! Levels: 0 is untrusted; the system's own ground, outside every ranked zone, is
//! [`SYSTEM_LEVEL`]; a zone said to be trusted is one level above the ranked zone around it (at
//! least `SYSTEM_LEVEL + 1`), except a zone named as infrastructure (account, VPC, subnet), which
//! holds the system's own resources and is no step above the trusted zone around it; `trust=N` is
//! N.

use serde::Serialize;

use crate::import::hints::DRAWN_AS_TRUST_BOUNDARY;
use crate::model::{BoundaryId, Diagram, ElementKind, TrustDeclaration};

/// The level of elements outside every ranked zone: where the system is unless a zone says
/// otherwise. External actors are recognised by what they are, not by standing there.
pub const SYSTEM_LEVEL: i64 = 1;

/// A boundary's effective trust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustZone {
    /// 0 is untrusted; higher is more trusted.
    pub level: i64,
    pub untrusted: bool,
    /// False for a grouping: a box that says nothing about trust.
    pub ranked: bool,
    /// The system's own side facing the outside (a DMZ, a public subnet): not a step up in trust.
    pub exposed: bool,
    /// Why it has this level, e.g. `label word "internet"` or `grouping inside "VPC"`.
    pub reason: String,
    /// Its level counted as if a zone named as infrastructure (an account, a VPC, a subnet),
    /// which holds the system's own resources, were no step above the ground around it. Analysis
    /// compares it for flows between a process on the system's ground and one in the zone: the
    /// unboxed load balancer -> VPC flow is lateral. `level` itself stays one above the ground,
    /// so a flow straight from the Internet into the VPC still skips a tier.
    #[serde(skip)]
    pub step_level: i64,
}

pub fn trust_zones(diagram: &Diagram) -> Vec<TrustZone> {
    let actors_only = zones_of_actors_only(diagram);
    let perimeters = perimeters(diagram);
    let mut zones: Vec<TrustZone> = Vec::with_capacity(diagram.boundaries.len());
    for (i, b) in diagram.boundaries.iter().enumerate() {
        // Parents precede children; a malformed parent index is treated as top level.
        let parent = b.parent.filter(|&p| p < i).map(|p| (p, &zones[p]));
        let around = parent.map_or(SYSTEM_LEVEL, |(_, z)| z.level);
        let zone = match &b.trust {
            TrustDeclaration::Level(n) => ranked(*n, format!("trust={n}")),
            TrustDeclaration::Untrusted { because } => ranked(0, because.clone()),
            // A red box drawn only around external actors is the users' side, whatever its style.
            TrustDeclaration::Trusted { because }
                if actors_only[i] && because.starts_with(DRAWN_AS_TRUST_BOUNDARY) =>
            {
                ranked(0, "holds only external actors".into())
            }
            TrustDeclaration::Trusted { because } if is_infrastructure(b) => {
                ranked(around.max(SYSTEM_LEVEL + 1), because.clone())
            }
            TrustDeclaration::Trusted { because } => {
                ranked(around.max(SYSTEM_LEVEL) + 1, because.clone())
            }
            TrustDeclaration::Exposed { because } => {
                TrustZone { exposed: true, ..ranked(around.max(SYSTEM_LEVEL), because.clone()) }
            }
            _ if actors_only[i] => ranked(0, "holds only external actors".into()),
            _ if perimeters[i] => ranked(
                SYSTEM_LEVEL + 1,
                format!("{PERIMETER}: external actors outside it send flows in"),
            ),
            TrustDeclaration::Unspecified => match parent {
                Some((p, z)) => TrustZone {
                    level: z.level,
                    step_level: z.level,
                    untrusted: z.untrusted,
                    ranked: false,
                    exposed: z.exposed,
                    reason: format!("grouping inside \"{}\"", diagram.boundaries[p].label),
                },
                None => TrustZone {
                    level: SYSTEM_LEVEL,
                    step_level: SYSTEM_LEVEL,
                    untrusted: false,
                    ranked: false,
                    exposed: false,
                    reason: "grouping: no trust= and no trust word in its label".into(),
                },
            },
        };
        let around_step = parent.map_or(SYSTEM_LEVEL, |(_, z)| z.step_level);
        let step_level = step_level(b, &zone, around_step);
        zones.push(TrustZone { step_level, ..zone });
    }
    zones
}

/// A zone's [`TrustZone::step_level`]: its level counted as if infrastructure zones made no
/// step, from the step level of the zone around it.
fn step_level(boundary: &crate::model::Boundary, zone: &TrustZone, around: i64) -> i64 {
    match &boundary.trust {
        TrustDeclaration::Level(n) => *n,
        TrustDeclaration::Untrusted { .. } => 0,
        TrustDeclaration::Trusted { .. } if is_infrastructure(boundary) => around.max(SYSTEM_LEVEL),
        TrustDeclaration::Trusted { .. } => around.max(SYSTEM_LEVEL) + 1,
        TrustDeclaration::Exposed { .. } => around.max(SYSTEM_LEVEL),
        _ if zone.ranked => zone.level,
        TrustDeclaration::Unspecified => around,
    }
}

/// How the reason of a perimeter zone begins.
const PERIMETER: &str = "the system's perimeter";

impl TrustZone {
    /// Whether the zone is the system's own side drawn as such: a box drawn or named as a trust
    /// boundary, or the perimeter the external actors send into (not a named network or a DMZ).
    pub fn drawn_around_the_system(&self) -> bool {
        !self.untrusted
            && !self.exposed
            && (self.reason.contains("trust boundary") || self.reason.contains(PERIMETER))
    }

    /// `untrusted`, `trust 2`, or `grouping`, for reports.
    pub fn describe(&self) -> String {
        if !self.ranked {
            "grouping".to_string()
        } else if self.untrusted {
            "untrusted".to_string()
        } else if self.exposed {
            format!("exposed, trust {}", self.level)
        } else {
            format!("trust {}", self.level)
        }
    }
}

/// A zone named as infrastructure (an account, a VPC, a subnet: `infrastructure` in
/// `knowledge/zones.toml`), by a phrase at least as long as its trusted one: drawn around the
/// system's own resources, not a trust step above the trusted zone around it.
/// A box named by a private address block and no trusted word is a subnet by another name.
fn is_infrastructure(boundary: &crate::model::Boundary) -> bool {
    let zone_words = crate::model::vocabulary::zone_words();
    let words = crate::model::vocabulary::words(&boundary.label);
    let length = |m: Option<(&str, usize)>| m.map_or(0, |(_, n)| n);
    let infrastructure = zone_words.infrastructure.longest_in(&words);
    let trusted = zone_words.trusted.longest_in(&words);
    (infrastructure.is_some() && length(infrastructure) >= length(trusted))
        || (trusted.is_none()
            && crate::model::vocabulary::private_address_block(&boundary.label).is_some())
}

/// Whether a zone's label says it is someone else's (`third_party` in `knowledge/zones.toml`:
/// "External services", "Third-party APIs", a "Partner" network), not only where it is.
pub fn names_third_party(label: &str) -> bool {
    let words = crate::model::vocabulary::words(label);
    crate::model::vocabulary::zone_words().third_party.longest_in(&words).is_some()
}

fn ranked(level: i64, reason: String) -> TrustZone {
    TrustZone {
        level,
        untrusted: level <= 0,
        ranked: true,
        exposed: false,
        reason,
        step_level: level,
    }
}

/// For each boundary: whether it (with the zones inside it) holds elements and all of them are
/// external entities.
fn zones_of_actors_only(diagram: &Diagram) -> Vec<bool> {
    let count = diagram.boundaries.len();
    let mut members = vec![0usize; count];
    let mut actors = vec![0usize; count];
    for (_, e) in diagram.elements() {
        let mut at: Option<BoundaryId> = e.boundary;
        // Walk up to the top; parents precede children, so the walk ends.
        while let Some(b) = at.filter(|&b| b < count) {
            members[b] += 1;
            actors[b] += usize::from(e.kind == ElementKind::ExternalEntity);
            at = diagram.boundaries[b].parent.filter(|&p| p < b);
        }
    }
    (0..count).map(|b| members[b] > 0 && members[b] == actors[b]).collect()
}

/// For each boundary: whether it is drawn at the top level around part of the system and an
/// external entity outside it sends a flow to an element inside it. Not a box its author named a
/// grouping (`grouping` in `knowledge/zones.toml`: an "API layer" beside an "Agent layer", an
/// availability zone): the users call into the first of the layers, which is no perimeter. Nor
/// a box named after a kind of service (`STATIC / CDN`) or a section of the code (`Frontend —
/// Vercel`, `code_sections`): it is where that part is deployed, beside the system's other parts.
fn perimeters(diagram: &Diagram) -> Vec<bool> {
    let count = diagram.boundaries.len();
    let top_of = |boundary: Option<BoundaryId>| -> Option<BoundaryId> {
        let mut at = boundary.filter(|&b| b < count)?;
        while let Some(p) = diagram.boundaries[at].parent.filter(|&p| p < at) {
            at = p;
        }
        Some(at)
    };
    let mut found = vec![false; count];
    let grouping = &crate::model::vocabulary::zone_words().grouping;
    // A box named after a section of the code ("Frontend — Vercel", "Backend") is where that
    // part runs: the users reach the front end first, and that makes it no perimeter.
    let code_sections = &crate::model::vocabulary::zone_words().code_sections;
    let machines = &crate::model::vocabulary::zone_words().machines;
    // A box named after a kind of service ("STATIC / CDN", "Cache") is where that service is
    // deployed, one of the system's parts, not the perimeter around it. A box named after a
    // specific product is left to the perimeter rule: "CI/CD (GitHub Actions)" is the vendor's
    // environment the registry's packages cross into.
    let named_grouping: Vec<bool> = (0..count)
        .map(|b| {
            let label = &diagram.boundaries[b].label;
            let words = crate::model::vocabulary::words(label);
            // Named so by its headline too, without the asides: "Minikube Cluster
            // (--driver=docker)" names the cluster, not a Docker box; "CI/CD (GitHub Actions)"
            // names the vendor's product, no generic service.
            let generic = |text: &str| {
                crate::import::hints::technology_from(&Default::default(), text)
                    .is_some_and(|(t, _)| t.generic)
            };
            // A box whose headline names a machine ("Docker host") is that machine, whatever
            // platform it runs: the generic technology says what runs there, not what the box is.
            let headline = crate::model::vocabulary::headline(label);
            let machine =
                machines.longest_in(&crate::model::vocabulary::words(&headline)).is_some();
            grouping.longest_in(&words).is_some()
                || code_sections.longest_in(&words).is_some()
                || (generic(label) && generic(&headline) && !machine)
        })
        .collect();
    for f in diagram.flows() {
        let (from, to) = (diagram.element(f.from), diagram.element(f.to));
        if from.kind != ElementKind::ExternalEntity || to.kind == ElementKind::ExternalEntity {
            continue;
        }
        if let Some(top) = top_of(to.boundary).filter(|&t| top_of(from.boundary) != Some(t)) {
            found[top] = !named_grouping[top];
        }
    }
    found
}

/// The innermost ranked zone at or around `boundary`, if any.
pub fn ranked_zone(
    diagram: &Diagram,
    zones: &[TrustZone],
    boundary: Option<BoundaryId>,
) -> Option<BoundaryId> {
    let mut at = boundary;
    while let Some(b) = at.filter(|&b| b < zones.len()) {
        if zones[b].ranked {
            return Some(b);
        }
        at = diagram.boundaries[b].parent.filter(|&p| p < b);
    }
    None
}

/// Whether ranked zone `boundary` is untrusted and no trusted zone encloses it: the outside world
/// (the Internet, a user's LAN on it), not the exposed part of the system (a public subnet in a VPC).
pub fn is_outside(diagram: &Diagram, zones: &[TrustZone], boundary: BoundaryId) -> bool {
    if !zones.get(boundary).is_some_and(|z| z.untrusted) {
        return false;
    }
    let mut at = diagram.boundaries[boundary].parent.filter(|&p| p < boundary);
    while let Some(b) = at {
        if zones[b].ranked && !zones[b].untrusted {
            return false;
        }
        at = diagram.boundaries[b].parent.filter(|&p| p < b);
    }
    true
}
