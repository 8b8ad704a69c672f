//! What the body shows of each thing (ids, zone views, flow views), made once per diagram: the
//! body is drawn twice, once to measure it and once to write it, and on a big diagram making
//! the ids, crossing descriptions and crossing markers cost as much as drawing them.

use super::flows::FlowView;
use super::ids::IdAllocator;
use super::zones::ZoneView;
use crate::analysis::DiagramAnalysis;
use crate::export::annotation::{describe_crossing, Details, TargetThreats};
use crate::layout::Layout;
use crate::model::Diagram;

/// The id of every element, flow and zone, by index.
pub struct Ids {
    pub elements: Vec<String>,
    pub flows: Vec<String>,
    pub zones: Vec<String>,
}

impl Ids {
    /// Elements first, then flows, then zones: a clash is settled in that order.
    pub fn of(diagram: &Diagram) -> Ids {
        let mut ids = IdAllocator::default();
        let elements = diagram.graph.node_weights().map(|e| ids.allocate("el-", &e.id)).collect();
        let flows = diagram.graph.edge_weights().map(|f| ids.allocate("flow-", &f.id)).collect();
        let zones = diagram.boundaries.iter().map(|b| ids.allocate("zone-", &b.id)).collect();
        Ids { elements, flows, zones }
    }
}

/// One view per boundary, in boundary order.
pub fn zone_views<'a>(
    diagram: &'a Diagram,
    analysis: &'a DiagramAnalysis,
    layout: &Layout,
    ids: &'a Ids,
    details: Details,
) -> Vec<ZoneView<'a>> {
    diagram
        .boundaries
        .iter()
        .enumerate()
        .map(|(b, boundary)| {
            let zone = analysis.zones.get(b);
            ZoneView {
                boundary,
                id: &ids.zones[b],
                area: layout.boundaries.get(b).copied().flatten(),
                untrusted: zone.is_some_and(|z| z.untrusted),
                trust: zone.map_or_else(|| "trust unknown".to_string(), |z| z.describe()),
                reason: zone.map_or("", |z| z.reason.as_str()),
                details,
            }
        })
        .collect()
}

/// What [`flow_views`] reads besides the diagram.
pub struct FlowSources<'a> {
    pub analysis: &'a DiagramAnalysis,
    pub layout: &'a Layout,
    pub ids: &'a Ids,
    pub by_flow: &'a [TargetThreats<'a>],
    /// The threats of a flow with none.
    pub empty: &'a TargetThreats<'a>,
    pub details: Details,
}

/// One view per flow, in flow order.
pub fn flow_views<'a>(diagram: &'a Diagram, from: &FlowSources<'a>) -> Vec<FlowView<'a>> {
    let (analysis, layout) = (from.analysis, from.layout);
    diagram
        .flows()
        .map(|f| {
            let e = f.index.index();
            let path = layout.flows.get(e).map_or(&[][..], |p| p.as_slice());
            let crossing = analysis.crossings.get(e).filter(|c| !c.crosses.is_empty());
            FlowView {
                flow: f.flow,
                id: &from.ids.flows[e],
                from: &diagram.element(f.from).label,
                to: &diagram.element(f.to).label,
                path,
                label_at: layout.flow_labels.get(e).copied().flatten(),
                crossing: crossing.map(|c| describe_crossing(diagram, &c.crosses, c.direction)),
                markers: crossing.map_or_else(Vec::new, |c| {
                    super::crossing_markers(diagram, layout, path, &c.crosses)
                }),
                threats: from.by_flow.get(e).unwrap_or(from.empty),
                details: from.details,
            }
        })
        .collect()
}
