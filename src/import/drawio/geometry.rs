//! Absolute positions: cells store geometry relative to their parent (a group, container or
//! layer), and edge labels along their edge. The model wants page coordinates.
//!
//! Parent chains are walked iteratively with memoisation, so a page of 50,000 nested containers
//! costs linear time and a clear error (past `max_depth`), never a stack overflow.

use std::collections::HashMap;

use super::cells::Cell;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{Point, Rect};

/// Where every cell ended up, by cell index.
#[derive(Debug, Default)]
pub struct Layout {
    /// Absolute box of each vertex with a geometry.
    pub boxes: Vec<Option<Rect>>,
    /// Absolute bends of each edge.
    pub waypoints: Vec<Vec<Point>>,
    /// The drawn path of each edge: source end, bends, target end (when the ends are known).
    pub paths: Vec<Vec<Point>>,
    /// Where an edge's own label sits, or an edge-label cell's centre.
    pub label_points: Vec<Option<Point>>,
    /// Where each end of an edge lies when it is attached to no cell (`sourcePoint`,
    /// `targetPoint`): people often drop an arrow's end on a shape without connecting it.
    pub loose_ends: Vec<[Option<Point>; 2]>,
}

/// Computes absolute geometry. `index` maps ids to cells; `max_depth` bounds container nesting.
pub fn layout(
    cells: &[Cell],
    index: &HashMap<&str, usize>,
    page: &str,
    max_depth: usize,
) -> Result<Layout, Diagnostic> {
    let n = cells.len();
    let parent_of = |i: usize| -> Option<usize> {
        cells.get(i)?.parent.as_deref().and_then(|p| index.get(p).copied())
    };
    // Origin of each cell's own coordinate space as a parent: its absolute top-left for a vertex.
    let mut boxes: Vec<Option<Rect>> = vec![None; n];
    let mut done = vec![false; n];
    let mut on_chain = vec![false; n];
    let mut depth = vec![0usize; n];
    let mut chain = Vec::new();
    for start in 0..n {
        if done[start] {
            continue;
        }
        chain.clear();
        let mut cursor = Some(start);
        while let Some(i) = cursor {
            // Stop at a resolved cell, or at a parent cycle (the cell is then taken as top-level).
            if done[i] || on_chain[i] {
                break;
            }
            on_chain[i] = true;
            chain.push(i);
            cursor = parent_of(i).filter(|&p| cells[p].vertex);
        }
        // Resolve from the outermost down.
        for &i in chain.iter().rev() {
            on_chain[i] = false;
            let parent = parent_of(i).filter(|&p| cells[p].vertex && done[p]);
            depth[i] = parent.map_or(0, |p| depth[p] + 1);
            if depth[i] > max_depth {
                return Err(Diagnostic::new(format!(
                    "containers are nested more than {max_depth} deep"
                ))
                .with_location(Location::Cell {
                    page: page.to_string(),
                    cell: Some(cells[i].id.clone()),
                    line: None,
                })
                .with_help(
                    "flatten the groups in draw.io, or raise --max-depth if the file is genuine",
                ));
            }
            let parent_box = parent.and_then(|p| boxes[p]);
            boxes[i] = vertex_box(&cells[i], parent_box);
            done[i] = true;
        }
    }
    // Edges: their bends are relative to the edge's parent.
    let mut waypoints = vec![Vec::new(); n];
    let mut paths = vec![Vec::new(); n];
    let mut label_points = vec![None; n];
    let mut loose_ends = vec![[None, None]; n];
    for (i, cell) in cells.iter().enumerate() {
        if !cell.edge {
            continue;
        }
        let origin = parent_of(i)
            .and_then(|p| boxes[p])
            .map_or(Point { x: 0.0, y: 0.0 }, |b| Point { x: b.x, y: b.y });
        let Some(geometry) = &cell.geometry else { continue };
        let shift = |p: &Point| Point { x: p.x + origin.x, y: p.y + origin.y };
        waypoints[i] = geometry.points.iter().map(shift).collect();
        let loose = |id: &Option<String>, point: &Option<Point>| {
            id.is_none().then(|| point.as_ref().map(shift)).flatten()
        };
        loose_ends[i] = [
            loose(&cell.source, &geometry.source_point),
            loose(&cell.target, &geometry.target_point),
        ];
        (paths[i], label_points[i]) = edge_path(cell, index, &boxes, &waypoints[i], origin);
    }
    // Edge-label cells: placed along their parent edge.
    for (i, cell) in cells.iter().enumerate() {
        let Some(p) = parent_of(i).filter(|&p| cells[p].edge) else { continue };
        let Some(geometry) = &cell.geometry else { continue };
        if paths[p].len() < 2 {
            continue;
        }
        let offset = geometry.offset.unwrap_or(Point { x: 0.0, y: 0.0 });
        let x = if geometry.relative { geometry.x } else { 0.0 };
        let y = if geometry.relative { geometry.y } else { 0.0 };
        let centre = along(&paths[p], x, y, offset);
        label_points[i] = Some(centre);
        boxes[i] = Some(Rect {
            x: centre.x - geometry.width / 2.0,
            y: centre.y - geometry.height / 2.0,
            width: geometry.width,
            height: geometry.height,
        });
    }
    attach_to_labels(cells, index, &boxes, &waypoints, &mut paths, &mut label_points);
    Ok(Layout { boxes, waypoints, paths, label_points, loose_ends })
}

/// Where an edge's end is drawn from: the centre of the cell it is attached to, else its
/// `fallback` (the `sourcePoint`/`targetPoint` the file gives, already absolute).
fn terminal_point(
    index: &HashMap<&str, usize>,
    boxes: &[Option<Rect>],
    id: &Option<String>,
    fallback: Option<Point>,
) -> Option<Point> {
    id.as_deref()
        .and_then(|id| index.get(id))
        .and_then(|&e| boxes.get(e).copied().flatten())
        .map(|b| b.center())
        .or(fallback)
}

/// An edge drawn from or to an edge's label (a mind map's arrow from a branch's caption) starts
/// at that label, which is placed only once the edges are: such an edge's path is made again
/// with the labels placed, and its own label moves with it.
fn attach_to_labels(
    cells: &[Cell],
    index: &HashMap<&str, usize>,
    boxes: &[Option<Rect>],
    waypoints: &[Vec<Point>],
    paths: &mut [Vec<Point>],
    label_points: &mut [Option<Point>],
) {
    let parent_of = |i: usize| cells[i].parent.as_deref().and_then(|p| index.get(p)).copied();
    let on_edge = |id: &Option<String>| {
        let e = id.as_deref().and_then(|id| index.get(id)).copied();
        e.and_then(parent_of).is_some_and(|p| cells[p].edge)
    };
    for (i, cell) in cells.iter().enumerate() {
        if !cell.edge || !(on_edge(&cell.source) || on_edge(&cell.target)) {
            continue;
        }
        let origin = parent_of(i)
            .and_then(|p| boxes[p].filter(|_| cells[p].vertex))
            .map_or(Point { x: 0.0, y: 0.0 }, |b| Point { x: b.x, y: b.y });
        (paths[i], label_points[i]) = edge_path(cell, index, boxes, &waypoints[i], origin);
    }
}

/// An edge's path (source end, bends, target end, as far as they are known) and where its own
/// label sits; `origin` is its parent's top-left, which its loose end points are relative to.
fn edge_path(
    cell: &Cell,
    index: &HashMap<&str, usize>,
    boxes: &[Option<Rect>],
    waypoints: &[Point],
    origin: Point,
) -> (Vec<Point>, Option<Point>) {
    let Some(geometry) = &cell.geometry else { return (Vec::new(), None) };
    let shift = |p: &Point| Point { x: p.x + origin.x, y: p.y + origin.y };
    let end = |id: &Option<String>, fallback: &Option<Point>| {
        terminal_point(index, boxes, id, fallback.as_ref().map(shift))
    };
    let mut path = Vec::with_capacity(waypoints.len() + 2);
    path.extend(end(&cell.source, &geometry.source_point));
    path.extend(waypoints.iter().copied());
    path.extend(end(&cell.target, &geometry.target_point));
    let offset = geometry.offset.unwrap_or(Point { x: 0.0, y: 0.0 });
    let label = (path.len() >= 2).then(|| along(&path, geometry.x, geometry.y, offset));
    (path, label)
}

fn vertex_box(cell: &Cell, parent: Option<Rect>) -> Option<Rect> {
    let g = cell.geometry.as_ref()?;
    let offset = g.offset.unwrap_or(Point { x: 0.0, y: 0.0 });
    let (x, y) = match parent {
        Some(p) if g.relative => (p.x + g.x * p.width + offset.x, p.y + g.y * p.height + offset.y),
        Some(p) => (p.x + g.x, p.y + g.y),
        None => (g.x, g.y),
    };
    Some(Rect { x, y, width: g.width, height: g.height })
}

/// The point at `x` (-1 source, 0 middle, 1 target) along a polyline, moved `y` across it, plus
/// `offset`: how draw.io places labels on edges.
pub fn along(path: &[Point], x: f64, y: f64, offset: Point) -> Point {
    let lengths: Vec<f64> = path.windows(2).map(|w| distance(w[0], w[1])).collect();
    let total: f64 = lengths.iter().sum();
    let first = path.first().copied().unwrap_or(Point { x: 0.0, y: 0.0 });
    if total <= f64::EPSILON || !x.is_finite() {
        return Point { x: first.x + offset.x, y: first.y + offset.y };
    }
    let mut remaining = ((x.clamp(-1.0, 1.0) + 1.0) / 2.0) * total;
    let last = lengths.len().saturating_sub(1);
    for (k, (segment, length)) in path.windows(2).zip(&lengths).enumerate() {
        if remaining <= *length || k == last {
            let t = if *length > 0.0 { (remaining / length).min(1.0) } else { 0.0 };
            let (a, b) = (segment[0], segment[1]);
            let (dx, dy) = ((b.x - a.x), (b.y - a.y));
            let (nx, ny) = if *length > 0.0 { (-dy / length, dx / length) } else { (0.0, 0.0) };
            return Point {
                x: a.x + dx * t + nx * y + offset.x,
                y: a.y + dy * t + ny * y + offset.y,
            };
        }
        remaining -= length;
    }
    Point { x: first.x + offset.x, y: first.y + offset.y }
}

fn distance(a: Point, b: Point) -> f64 {
    ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::import::drawio::cells::read_cells;
    use crate::import::Limits;

    fn run(xml: &str) -> (Vec<Cell>, Layout) {
        let cells = read_cells(xml, "P", &Limits::default()).expect("test input is valid");
        let index: HashMap<&str, usize> =
            cells.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        let layout = layout(&cells, &index, "P", 256).expect("test input is valid");
        (cells.clone(), layout)
    }

    #[test]
    fn children_of_groups_are_placed_absolutely() {
        let (_, l) = run(r#"<root><mxCell id="0"/><mxCell id="1" parent="0"/>
            <mxCell id="g" style="group" vertex="1" parent="1"><mxGeometry x="100" y="50" width="200" height="100" as="geometry"/></mxCell>
            <mxCell id="c" vertex="1" parent="g"><mxGeometry x="10" y="20" width="30" height="40" as="geometry"/></mxCell>
            <mxCell id="r" vertex="1" parent="g"><mxGeometry x="0.5" y="1" width="10" height="10" relative="1" as="geometry"><mxPoint x="-5" y="-5" as="offset"/></mxGeometry></mxCell>
            <mxCell id="e" edge="1" parent="g" source="c" target="r"><mxGeometry relative="1" as="geometry"><Array as="points"><mxPoint x="50" y="0"/></Array></mxGeometry></mxCell>
            </root>"#);
        assert_eq!(l.boxes[3], Some(Rect { x: 110.0, y: 70.0, width: 30.0, height: 40.0 }));
        assert_eq!(l.boxes[4], Some(Rect { x: 195.0, y: 145.0, width: 10.0, height: 10.0 }));
        assert_eq!(l.waypoints[5], vec![Point { x: 150.0, y: 50.0 }]);
    }

    #[test]
    fn edge_labels_sit_along_the_edge() {
        let (_, l) = run(r#"<root><mxCell id="1"/>
            <mxCell id="a" vertex="1" parent="1"><mxGeometry x="0" y="0" width="20" height="20" as="geometry"/></mxCell>
            <mxCell id="b" vertex="1" parent="1"><mxGeometry x="200" y="0" width="20" height="20" as="geometry"/></mxCell>
            <mxCell id="e" edge="1" parent="1" source="a" target="b"><mxGeometry relative="1" as="geometry"/></mxCell>
            <mxCell id="l" value="x" style="edgeLabel" vertex="1" parent="e"><mxGeometry x="-0.5" y="0" relative="1" as="geometry"><mxPoint x="0" y="-10" as="offset"/></mxGeometry></mxCell>
            </root>"#);
        assert_eq!(l.label_points[3], Some(Point { x: 110.0, y: 10.0 }));
        assert_eq!(l.label_points[4], Some(Point { x: 60.0, y: 0.0 }));
    }

    #[test]
    fn deep_container_nesting_is_an_error() {
        let mut xml =
            String::from(r#"<root><mxCell id="0"/><mxCell id="c0" vertex="1" parent="0"/>"#);
        for i in 1..2000 {
            xml.push_str(&format!(r#"<mxCell id="c{i}" vertex="1" parent="c{}"><mxGeometry width="1" height="1" as="geometry"/></mxCell>"#, i - 1));
        }
        xml.push_str("</root>");
        let cells = read_cells(&xml, "P", &Limits::default()).expect("test input is valid");
        let index: HashMap<&str, usize> =
            cells.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        let e = layout(&cells, &index, "P", 256).unwrap_err();
        assert!(e.message.contains("nested"), "{e}");
    }

    #[test]
    fn parent_cycles_do_not_hang() {
        let (_, l) = run(
            r#"<root><mxCell id="a" vertex="1" parent="b"><mxGeometry x="1" y="1" width="1" height="1" as="geometry"/></mxCell><mxCell id="b" vertex="1" parent="a"><mxGeometry x="2" y="2" width="1" height="1" as="geometry"/></mxCell></root>"#,
        );
        assert!(l.boxes.iter().all(|b| b.is_some()));
    }
}
