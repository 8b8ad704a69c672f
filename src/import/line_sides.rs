//! Boundaries drawn as a line or an arc (a dashed red line across the page, a curve between the
//! users and the servers): which side is behind them.
//!
//! A line has two sides but says nothing about which one is protected. The side the external
//! actors stand on is the outside; the other side, when it holds part of the system, is behind
//! the line, and what stands there (unboxed elements, top-level boxes) becomes a member of the
//! line's zone, exactly as if the author had drawn a box. Flows across the line then cross into
//! that zone, and the elements that receive them are entry points. A line with actors on both
//! sides, or on neither, decides nothing: it stays a line that flows cross.
//!
//! Several lines nest by what they hold: a line whose side holds a subset of another's is
//! inside it (Internet | DMZ | internal network drawn as two lines).

use crate::model::{BoundaryId, Diagram, ElementKind, Point, TrustDeclaration};

/// Gives every line boundary with a decidable side the elements and boxes behind it.
pub fn assign(diagram: &mut Diagram) {
    let lines: Vec<BoundaryId> = (0..diagram.boundaries.len())
        .filter(|&b| diagram.boundaries[b].parent.is_none())
        .filter(|&b| diagram.boundaries[b].line.as_ref().is_some_and(|l| l.len() >= 2))
        .collect();
    if lines.is_empty() {
        return;
    }
    let items = top_level_items(diagram);
    let mut behind: Vec<(BoundaryId, Vec<usize>)> = lines
        .iter()
        .filter_map(|&line| {
            let points = diagram.boundaries[line].line.as_deref().unwrap_or_default();
            side_behind(points, &items).map(|members| (line, members))
        })
        .collect();
    if behind.is_empty() {
        return;
    }
    // Larger sides first: a line whose side lies within an earlier one's is nested in it.
    behind.sort_by_key(|(line, members)| (std::cmp::Reverse(members.len()), *line));
    let mut owner: Vec<Option<BoundaryId>> = vec![None; items.len()];
    let mut parent_of_line: Vec<(BoundaryId, Option<BoundaryId>)> = Vec::new();
    for (line, members) in &behind {
        let enclosing =
            members.iter().map(|&m| owner[m]).reduce(|a, b| if a == b { a } else { None });
        parent_of_line.push((*line, enclosing.flatten()));
        for &m in members {
            owner[m] = Some(*line);
        }
    }
    for (line, parent) in parent_of_line {
        let boundary = &mut diagram.boundaries[line];
        boundary.parent = parent;
        boundary.trust = match std::mem::replace(&mut boundary.trust, TrustDeclaration::Unspecified)
        {
            kept @ (TrustDeclaration::Level(_) | TrustDeclaration::Exposed { .. }) => kept,
            _ => TrustDeclaration::Trusted {
                because: "behind a boundary line: the external actors are on its other side".into(),
            },
        };
    }
    for (item, line) in items.iter().zip(&owner) {
        let Some(line) = *line else { continue };
        match item.what {
            Item::Element(node) => diagram.element_mut(node).boundary = Some(line),
            Item::Box(b) => diagram.boundaries[b].parent = Some(line),
        }
    }
    parents_first(diagram);
}

#[derive(Clone, Copy)]
enum Item {
    Element(petgraph::graph::NodeIndex),
    Box(BoundaryId),
}

struct Placed {
    what: Item,
    at: Point,
    /// Whether it is, or holds, an external actor.
    actors: bool,
    /// Whether it is, or holds, part of the system.
    system: bool,
}

/// Unboxed elements and top-level boxes (not lines), with their centres.
fn top_level_items(diagram: &Diagram) -> Vec<Placed> {
    let count = diagram.boundaries.len();
    let top_of = |mut at: BoundaryId| {
        for _ in 0..count {
            match diagram.boundaries[at].parent.filter(|&p| p < count) {
                Some(p) => at = p,
                None => break,
            }
        }
        at
    };
    let mut actors = vec![false; count];
    let mut system = vec![false; count];
    let mut items = Vec::new();
    for (node, e) in diagram.elements() {
        let actor = e.kind == ElementKind::ExternalEntity;
        match e.boundary.filter(|&b| b < count) {
            Some(b) => {
                let top = top_of(b);
                actors[top] |= actor;
                system[top] |= !actor;
            }
            None => {
                if let Some(bounds) = e.visual.bounds {
                    let at = bounds.center();
                    items.push(Placed {
                        what: Item::Element(node),
                        at,
                        actors: actor,
                        system: !actor,
                    });
                }
            }
        }
    }
    for (b, boundary) in diagram.boundaries.iter().enumerate() {
        if boundary.parent.is_some() || boundary.line.is_some() {
            continue;
        }
        if let Some(bounds) = boundary.visual.bounds.filter(|_| actors[b] || system[b]) {
            let what = Item::Box(b);
            items.push(Placed { what, at: bounds.center(), actors: actors[b], system: system[b] });
        }
    }
    items
}

/// The indexes of `items` on the side of `line` away from every external actor, when the actors
/// are all on one side and the other side holds part of the system.
fn side_behind(line: &[Point], items: &[Placed]) -> Option<Vec<usize>> {
    let sides: Vec<Option<bool>> = items.iter().map(|item| side_of(line, item.at)).collect();
    let actor_sides =
        |side: bool| items.iter().zip(&sides).any(|(i, s)| i.actors && *s == Some(side));
    let behind = match (actor_sides(true), actor_sides(false)) {
        (true, false) => false,
        (false, true) => true,
        _ => return None,
    };
    let members: Vec<usize> =
        (0..items.len()).filter(|&i| sides[i] == Some(behind) && !items[i].actors).collect();
    members.iter().any(|&i| items[i].system).then_some(members)
}

/// Which side of the polyline `line` the point is on: the side of its nearest segment (a point
/// beyond an end is judged against the end segment's extension). `None` on the line itself.
fn side_of(line: &[Point], p: Point) -> Option<bool> {
    let nearest = line
        .windows(2)
        .map(|s| (p.distance_to_segment(s[0], s[1]), s[0], s[1]))
        .filter(|(d, _, _)| d.is_finite())
        .min_by(|a, b| a.0.total_cmp(&b.0))?;
    let (_, a, b) = nearest;
    let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    (cross.abs() > f64::EPSILON).then_some(cross > 0.0)
}

/// Reorders the boundaries so that every parent precedes its children again (a line read after
/// the boxes may now hold some of them), keeping the original order otherwise.
fn parents_first(diagram: &mut Diagram) {
    let count = diagram.boundaries.len();
    let depth = |b: BoundaryId| {
        let mut depth = 0;
        let mut at = diagram.boundaries[b].parent;
        while let Some(p) = at.filter(|_| depth < count) {
            depth += 1;
            at = diagram.boundaries[p].parent;
        }
        depth
    };
    let in_order =
        diagram.boundaries.iter().enumerate().all(|(i, b)| b.parent.is_none_or(|p| p < i));
    if in_order {
        return;
    }
    let mut order: Vec<BoundaryId> = (0..count).collect();
    order.sort_by_key(|&b| (depth(b), b));
    let mut new_index = vec![0; count];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut old: Vec<Option<crate::model::Boundary>> =
        std::mem::take(&mut diagram.boundaries).into_iter().map(Some).collect();
    diagram.boundaries = order.iter().filter_map(|&b| old[b].take()).collect();
    for boundary in &mut diagram.boundaries {
        boundary.parent = boundary.parent.map(|p| new_index[p]);
    }
    for element in diagram.graph.node_weights_mut() {
        element.boundary = element.boundary.map(|b| new_index[b]);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::{Boundary, Element, Rect};

    fn at(d: &mut Diagram, id: &str, kind: ElementKind, x: f64, y: f64) {
        let mut e = Element::new(id, kind, "test");
        e.visual.bounds = Some(Rect { x, y, width: 20.0, height: 20.0 });
        d.add_element(e);
    }

    fn line(d: &mut Diagram, id: &str, points: &[(f64, f64)]) -> BoundaryId {
        let mut b = Boundary::new(id, "Trust boundary", "dashed line");
        b.line = Some(points.iter().map(|&(x, y)| Point { x, y }).collect());
        d.add_boundary(b)
    }

    fn zone_of(d: &Diagram, id: &str) -> Option<String> {
        let e = d.element(d.element_index(id).unwrap());
        e.boundary.map(|b| d.boundaries[b].id.clone())
    }

    #[test]
    fn the_side_away_from_the_actors_is_behind_the_line() {
        let mut d = Diagram::new("g");
        let mut servers = Boundary::new("servers", "Servers", "box");
        servers.visual.bounds = Some(Rect { x: 300.0, y: 200.0, width: 100.0, height: 100.0 });
        let servers = d.add_boundary(servers);
        at(&mut d, "user", ElementKind::ExternalEntity, 0.0, 0.0);
        at(&mut d, "web", ElementKind::Process, 200.0, 0.0);
        let mut db = Element::new("db", ElementKind::DataStore, "test");
        db.boundary = Some(servers);
        d.add_element(db);
        line(&mut d, "line", &[(100.0, -100.0), (100.0, 400.0)]);
        assign(&mut d);
        assert_eq!(zone_of(&d, "web").as_deref(), Some("line"));
        assert_eq!(zone_of(&d, "user"), None);
        // The box behind the line is inside it, and parents still come first.
        let servers = d.boundaries.iter().position(|b| b.id == "servers").unwrap();
        let line = d.boundaries.iter().position(|b| b.id == "line").unwrap();
        assert_eq!(d.boundaries[servers].parent, Some(line));
        assert!(line < servers);
        assert_eq!(zone_of(&d, "db").as_deref(), Some("servers"));
        assert!(matches!(d.boundaries[line].trust, TrustDeclaration::Trusted { .. }));
    }

    #[test]
    fn two_lines_nest_by_what_is_behind_them() {
        let mut d = Diagram::new("g");
        at(&mut d, "user", ElementKind::ExternalEntity, 0.0, 0.0);
        at(&mut d, "proxy", ElementKind::Process, 200.0, 0.0);
        at(&mut d, "app", ElementKind::Process, 400.0, 0.0);
        // An arc drawn as a polyline, and a straight line further in.
        line(&mut d, "outer", &[(100.0, -100.0), (130.0, 10.0), (100.0, 120.0)]);
        line(&mut d, "inner", &[(300.0, 120.0), (300.0, -100.0)]);
        assign(&mut d);
        assert_eq!(zone_of(&d, "proxy").as_deref(), Some("outer"));
        assert_eq!(zone_of(&d, "app").as_deref(), Some("inner"));
        let inner = d.boundaries.iter().find(|b| b.id == "inner").unwrap();
        assert_eq!(inner.parent.map(|p| d.boundaries[p].id.as_str()), Some("outer"));
    }

    #[test]
    fn actors_on_both_sides_or_none_decide_nothing() {
        let mut d = Diagram::new("g");
        at(&mut d, "user", ElementKind::ExternalEntity, 0.0, 0.0);
        at(&mut d, "bank", ElementKind::ExternalEntity, 400.0, 0.0);
        at(&mut d, "web", ElementKind::Process, 200.0, 0.0);
        line(&mut d, "line", &[(100.0, -100.0), (100.0, 400.0)]);
        assign(&mut d);
        assert_eq!(zone_of(&d, "web"), None);

        let mut d = Diagram::new("g");
        at(&mut d, "web", ElementKind::Process, 0.0, 0.0);
        at(&mut d, "db", ElementKind::DataStore, 200.0, 0.0);
        line(&mut d, "line", &[(100.0, -100.0), (100.0, 400.0)]);
        assign(&mut d);
        assert_eq!((zone_of(&d, "web"), zone_of(&d, "db")), (None, None));
    }

    #[test]
    fn degenerate_lines_and_coordinates_are_harmless() {
        let mut d = Diagram::new("g");
        at(&mut d, "user", ElementKind::ExternalEntity, f64::NAN, 0.0);
        at(&mut d, "web", ElementKind::Process, f64::INFINITY, 0.0);
        line(&mut d, "dot", &[(5.0, 5.0), (5.0, 5.0)]);
        line(&mut d, "nan", &[(f64::NAN, 0.0), (1.0, f64::NAN)]);
        assign(&mut d);
        assert_eq!(zone_of(&d, "web"), None);
    }
}
