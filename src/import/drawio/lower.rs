//! From the cells of one page to a [`Diagram`]: decides what each cell is (element, boundary,
//! flow, label, decoration), infers kinds, and wires flows to elements.
//!
//! The order of evidence for an element's kind: explicit `<object>` attributes (`kind`, `type`),
//! then label hints (`(External Entity)`, `P1:`), then the style (shape, icon), then page-wide
//! conventions for plain rectangles. The rounded/square convention: a rounded rectangle is a
//! process when the page draws no process as an ellipse (in workshops that draw processes as
//! rounded boxes, square boxes are external entities); where ellipses are the processes, rounded
//! rectangles are external entities like square ones; on a page of plain rectangles only, they
//! are processes. The convention is read per drawing (the elements flows join), so a page holding
//! a DFD and a view of plain boxes reads each by its own shapes. A rectangle's guess gives way to
//! a technology or a noun in its label ("Orders table" on a page of external-entity rectangles is
//! a store).

use std::collections::{HashMap, HashSet};

use petgraph::graph::NodeIndex;

use super::behaviour::behaviour_cells;
use super::boundaries::{arc_line, innermost, nest, region_word, says_boundary, Contents, Regions};
use super::cells::Cell;
use super::components::{joined_by_edges, DisjointSets};
use super::fleets::{fleet_copies, FleetIcon};
use super::geometry::{layout, Layout};
use super::icons::icon_of;
use super::kinds::{look, Look, StyledKind};
use super::relays::Relays;
use super::style::{text_colour, Style};
use crate::diagnostic::{Diagnostic, Location};
use crate::import::hints::{
    boundary_trust, close_call, is_step_marker, kind_from_attributes, kind_from_label,
    kind_from_label_noun, kind_from_technology, technology_from,
};
use crate::import::html_text::html_to_text;
use crate::import::text::{clean_label, cut_chars, one_line, shown_name};
use crate::import::Limits;
use crate::model::{
    vocabulary, Attributes, Boundary, Diagram, Drawn, Element, ElementKind, Point, Rect, Shape,
    TrustDeclaration, Visual,
};

/// What a cell turned out to be.
#[derive(Debug, Clone, PartialEq)]
enum Role {
    /// Root, layers, and cells without meaning.
    Nothing,
    Element(StyledKind),
    Boundary {
        why: String,
    },
    BoundaryLine {
        why: String,
    },
    Text,
    EdgeLabel,
    Edge,
}

pub fn lower_page(
    page: &str,
    mut cells: Vec<Cell>,
    limits: &Limits,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Diagram, Diagnostic> {
    let at = |cell: &str| Location::Cell {
        page: page.to_string(),
        cell: Some(cell.to_string()),
        line: None,
    };
    show_ids(&mut cells, limits.max_label_chars, page, warnings);
    rename_duplicates(&mut cells, page, warnings);
    let index: HashMap<&str, usize> =
        cells.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let layout = layout(&cells, &index, page, limits.max_depth)?;
    let styles: Vec<Style> = cells.iter().map(|c| Style::parse(&c.style)).collect();
    let labels: Vec<String> =
        cells.iter().zip(&styles).map(|(c, s)| label_of(c, s, limits, page, warnings)).collect();
    let parent_of = |i: usize| cells[i].parent.as_deref().and_then(|p| index.get(p).copied());

    let mut connected: HashSet<&str> = HashSet::new();
    // Cells an arrow with a head starts or ends on: a note joined only by a plain line is a
    // remark pinned to a shape, not a document data flows through.
    let mut arrowed: HashSet<&str> = HashSet::new();
    // Cells an edge attached at both ends joins to another, and the cells at the other ends: a
    // picture is taken for an element only so (an arrow dropped near a picture at one end is no
    // flow of it, nor one pointing from a picture at a remark).
    let mut joined: HashMap<&str, Vec<&str>> = HashMap::new();
    for (cell, style) in cells.iter().zip(&styles).filter(|(c, _)| c.edge) {
        connected.extend(cell.source.as_deref());
        connected.extend(cell.target.as_deref());
        if let (Some(source), Some(target)) = (cell.source.as_deref(), cell.target.as_deref()) {
            joined.entry(source).or_default().push(target);
            joined.entry(target).or_default().push(source);
        }
        if has_arrowhead(style) {
            arrowed.extend(cell.source.as_deref());
            arrowed.extend(cell.target.as_deref());
        }
    }

    // First reading: what the style says.
    let looks: Vec<Option<Look>> = cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            if !cell.vertex {
                return None;
            }
            if parent_of(i).is_some_and(|p| cells[p].edge) {
                return Some(Look::Text);
            }
            if parent_of(i)
                .is_some_and(|p| matches!(styles[p].get("shape"), Some("table" | "tableRow")))
            {
                return Some(Look::Decoration);
            }
            let mut l = look(&styles[i]);
            if matches!(l, Look::Rectangle { .. })
                && styles[i].get("strokeColor") == Some("none")
                && (styles[i].unfilled() || styles[i].get("fillColor").is_none())
            {
                l = Look::Text;
            }
            Some(l)
        })
        .collect();

    // Deciding which rectangles are boundaries compares them with each other and with every
    // element through containment indexes (near linear), so this limit is a backstop on memory
    // like --max-elements rather than a guard against quadratic time.
    let region_candidates = looks
        .iter()
        .filter(|l| {
            matches!(l, Some(Look::Rectangle { .. } | Look::Container | Look::CloudGroup { .. }))
        })
        .count();
    if region_candidates > limits.max_boundary_candidates {
        return Err(Diagnostic::new(format!(
            "the page has {region_candidates} rectangles, containers or groups that could be trust \
             boundaries, more than the limit of {}",
            limits.max_boundary_candidates
        ))
        .with_location(Location::Cell { page: page.to_string(), cell: None, line: None })
        .with_help("split the page, draw elements with DFD shapes (ellipses, cylinders) instead of plain rectangles, or raise the limit with --max-boundary-candidates"));
    }

    // A picture no library names that an edge attached at both ends joins to a cell other than
    // free text: an element (see the roles below).
    let joined_picture = |i: usize| {
        styles[i].get("image").is_some()
            && joined.get(cells[i].id.as_str()).is_some_and(|others| {
                others
                    .iter()
                    .any(|o| index.get(o).is_some_and(|&j| j != i && looks[j] != Some(Look::Text)))
            })
    };

    // Cells that could be an element or a boundary: a rectangle is a region when one of them,
    // smaller than it, is drawn inside it.
    let substantial = |i: usize| match &looks[i] {
        Some(
            Look::Element(_) | Look::Rectangle { .. } | Look::Container | Look::CloudGroup { .. },
        ) => true,
        // A badge counts as content like any icon: authors pin padlocks on a group's corner, and
        // the box around one stays a region.
        Some(Look::Marker(_)) => true,
        Some(Look::Unknown { .. }) => {
            !labels[i].is_empty() || connected.contains(cells[i].id.as_str())
        }
        // A picture a flow touches and a caption names is an element (see the roles below), so
        // the box drawn around it ("Corporate Network" around a router image) is its region.
        // A picture a flow touches is an element too (named by the text beside it), so the box
        // drawn around a browser picture is that picture's region.
        Some(Look::Decoration) => {
            let id = cells[i].id.as_str();
            (connected.contains(id) && !labels[i].is_empty()) || joined_picture(i)
        }
        _ => false,
    };
    let contents =
        Contents::new((0..cells.len()).filter(|&i| substantial(i)).filter_map(|i| layout.boxes[i]));
    let holds_something =
        |i: usize| layout.boxes[i].is_some_and(|outer| contents.smaller_inside(&outer));
    // Captions an arrow starts or ends on: the picture they caption is the element the arrow
    // means (a person picture over "Users", the arrow drawn from the word).
    let arrowed_captions: Vec<(usize, Rect)> = (0..cells.len())
        .filter(|&i| looks[i] == Some(Look::Text) && connected.contains(cells[i].id.as_str()))
        .filter(|&i| !labels[i].is_empty() && !parent_of(i).is_some_and(|p| cells[p].edge))
        .filter_map(|i| layout.boxes[i].map(|b| (i, b)))
        .collect();
    let captioned_picture = |i: usize| {
        labels[i].is_empty()
            && styles[i].get("image").is_some()
            && layout.boxes[i]
                .is_some_and(|b| adjacent_text(b, &arrowed_captions, &HashSet::new()).is_some())
    };

    let mut roles: Vec<Role> = Vec::with_capacity(cells.len());
    for (i, cell) in cells.iter().enumerate() {
        let style = &styles[i];
        let label = &labels[i];
        let is_connected = connected.contains(cell.id.as_str());
        let role = if cell.edge {
            if cell.source.is_none() && cell.target.is_none() && !has_arrowhead(style) {
                Role::BoundaryLine { why: "edge without ends or arrowheads".into() }
            } else {
                Role::Edge
            }
        } else {
            match &looks[i] {
                None => Role::Nothing,
                Some(Look::Text) => {
                    if parent_of(i).is_some_and(|p| cells[p].edge) {
                        Role::EdgeLabel
                    } else if arrowed.contains(cell.id.as_str())
                        && style.shape() == Some("note")
                        && !label.is_empty()
                    {
                        // Any cell a flow starts or ends on is an element: a note a flow reads
                        // from or writes to ("ConfigMap: app-config" mounted into a pod, a hosts
                        // file) is a document, and holds what it says.
                        Role::Element(StyledKind {
                            kind: ElementKind::DataStore,
                            shape: Shape::Rectangle,
                            why: "note a flow touches (a document holds data)".into(),
                            technology: None,
                        })
                    } else if style.has_token("text")
                        && style.colour("strokeColor").is_some()
                        && holds_something(i)
                    {
                        // draw.io borders a text cell given a stroke colour: a bordered text
                        // drawn around other shapes ("Docker Compose" over its services) is a
                        // box drawn around them, a region like any rectangle.
                        Role::Boundary { why: rectangle_why(style, label) }
                    } else {
                        Role::Text
                    }
                }
                // Any cell a flow starts or ends on is an element, whatever it looks like.
                Some(Look::Decoration) if is_connected && !label.is_empty() => {
                    Role::Element(StyledKind {
                        kind: ElementKind::Process,
                        shape: Shape::Rectangle,
                        why: "unrecognised shape a flow touches (default process)".into(),
                        technology: None,
                    })
                }
                // A badge is small; a padlock drawn as large as the icons beside it is a drawn
                // element (a vault, an identity service).
                Some(Look::Marker(k)) if !is_badge(layout.boxes[i]) => Role::Element(k.clone()),
                Some(Look::Decoration) if captioned_picture(i) => Role::Element(StyledKind {
                    kind: ElementKind::Process,
                    shape: Shape::Icon,
                    why: format!("{CAPTIONED_PICTURE} (default process)"),
                    technology: None,
                }),
                // A picture no library names that a flow starts or ends on (an edge attached at
                // both ends) is an element like any cell a flow touches (a browser drawn as its
                // logo from a URL): its file name says what it shows ("chrome_48dp.png" is a
                // browser), else a process.
                Some(Look::Decoration) if joined_picture(i) => Role::Element(picture_kind(style)),
                Some(Look::Decoration | Look::Group | Look::Marker(_)) => Role::Nothing,
                Some(Look::BoundaryArc) => Role::BoundaryLine {
                    why: format!("style shape={}", style.shape().unwrap_or("arc")),
                },
                Some(Look::Element(k))
                    if !is_connected && k.shape != Shape::Icon && is_step_marker(label) =>
                {
                    Role::Text
                }
                Some(Look::Element(k)) => Role::Element(k.clone()),
                Some(Look::CloudGroup { named_by }) => {
                    Role::Boundary { why: format!("cloud group {named_by}") }
                }
                Some(Look::Container) => {
                    if holds_something(i) || says_boundary(label) {
                        Role::Boundary { why: container_why(style) }
                    } else if is_connected && !label.is_empty() {
                        Role::Element(rectangle_kind(false))
                    } else {
                        Role::Nothing
                    }
                }
                Some(Look::Rectangle { rounded }) => {
                    let looks_like_region = style.dashed() || style.unfilled();
                    if holds_something(i) {
                        Role::Boundary { why: rectangle_why(style, label) }
                    } else if says_boundary(label) && !is_connected {
                        Role::Boundary { why: format!("rectangle labelled \"{}\"", label.trim()) }
                    } else if (looks_like_region && style.dashed() && !is_connected)
                        || (label.is_empty() && !is_connected)
                    {
                        Role::Nothing
                    } else if !is_connected
                        && (reads_like_a_note(label)
                            || is_step_marker(label)
                            || vocabulary::names_a_threat(label))
                    {
                        // A box of prose no flow touches is a note, a legend or a threat list; a
                        // box holding only "3" is a numbered step of the picture's story.
                        Role::Text
                    } else {
                        Role::Element(rectangle_kind(*rounded))
                    }
                }
                Some(Look::Unknown { shape }) => {
                    if !label.is_empty() || is_connected {
                        Role::Element(StyledKind {
                            kind: ElementKind::Process,
                            shape: Shape::Rectangle,
                            why: format!("unrecognised shape {shape} (default process)"),
                            technology: None,
                        })
                    } else {
                        Role::Nothing
                    }
                }
            }
        };
        roles.push(role);
    }
    // A process model or sequence diagram beside the DFD is no part of it.
    let behaviour = behaviour_cells(&cells, &index, &styles, &looks);
    for (role, _) in roles.iter_mut().zip(&behaviour).filter(|(_, b)| **b) {
        if matches!(role, Role::Element(_) | Role::Boundary { .. } | Role::Edge) {
            *role = Role::Nothing;
        }
    }
    let connected_cells: Vec<bool> =
        cells.iter().map(|c| connected.contains(c.id.as_str())).collect();
    set_legends_aside(&labels, &layout, &connected_cells, &mut roles);
    set_unboxed_legends_aside(&labels, &layout, &connected_cells, &mut roles);
    lone_ellipse_of_parties(&labels, &mut roles);
    apply_rectangle_convention(
        &mut roles,
        &labels,
        &mut joined_by_edges(&cells, &index),
        &connected_cells,
    );
    squares_among_processes(&layout, &mut roles);
    merge_cards(&cells, &index, &looks, &labels, &layout, &mut roles);
    let icons: Vec<FleetIcon> = (0..cells.len())
        .filter_map(|i| match (&roles[i], layout.boxes[i]) {
            (Role::Element(k), Some(bounds)) if k.shape == Shape::Icon => Some(FleetIcon {
                cell: i,
                fill: styles[i].colour("fillColor"),
                bounds,
                labelled: !labels[i].trim().is_empty(),
                connected: connected.contains(cells[i].id.as_str()),
            }),
            _ => None,
        })
        .collect();
    for copy in fleet_copies(&icons) {
        roles[copy] = Role::Nothing;
    }
    // A network bus the devices' lines end on is the segment they share, not an element.
    let buses = super::buses::shared_buses(&cells, &styles, &index);
    for &bus in buses.keys() {
        roles[bus] = Role::Nothing;
    }

    let mut diagram = Diagram::new(page);

    // Boundaries, parents first.
    let mut regions: Vec<usize> = (0..cells.len())
        .filter(|&i| matches!(roles[i], Role::Boundary { .. }) && layout.boxes[i].is_some())
        .collect();
    regions.sort_by(|&a, &b| {
        let (aa, ba) = (area(&layout, a), area(&layout, b));
        ba.total_cmp(&aa).then(a.cmp(&b))
    });
    let region_boxes: Vec<Rect> = regions.iter().filter_map(|&i| layout.boxes[i]).collect();
    let parents = nest(&region_boxes);
    // Text cells that may caption an unnamed box: only those naming infrastructure.
    let captions: Vec<(Rect, String)> = (0..cells.len())
        .filter(|&i| roles[i] == Role::Text)
        .filter_map(|i| layout.boxes[i].map(|b| (b, one_line(&labels[i]).trim().to_string())))
        .filter(|(_, text)| names_infrastructure(text))
        .collect();
    let unnamed = |i: usize| labels[i].trim().is_empty();
    let unnamed_boxes: Vec<Rect> =
        regions.iter().filter(|&&i| unnamed(i)).filter_map(|&i| layout.boxes[i]).collect();
    let icon_captions = corner_icons(&regions, &layout, &labels, &styles, &connected_cells, &roles);
    for &(icon, _, _) in &icon_captions {
        roles[icon] = Role::Nothing;
    }
    let mut region_ids: Vec<(usize, Rect)> = Vec::new();
    let mut boundary_of_cell: HashMap<usize, usize> = HashMap::new();
    for (k, &i) in regions.iter().enumerate() {
        let Role::Boundary { why } = &roles[i] else { continue };
        let icon = icon_captions.iter().find(|(_, r, _)| *r == i).map(|(_, _, t)| t.clone());
        let caption = if unnamed(i) {
            icon.or_else(|| corner_caption(i, &layout, &captions, &unnamed_boxes))
        } else {
            None
        };
        let (label, why) = match &caption {
            Some(text) => {
                (text.clone(), format!("{why}, named by the text \"{text}\" in its corner"))
            }
            None => (labels[i].clone(), why.clone()),
        };
        let mut boundary = boundary_for(&cells[i], &label, &why, &styles[i], page);
        boundary.visual.bounds = layout.boxes[i];
        boundary.parent = parents
            .get(k)
            .copied()
            .flatten()
            .and_then(|p| regions.get(p))
            .and_then(|p| boundary_of_cell.get(p).copied());
        let id = diagram.add_boundary(boundary);
        boundary_of_cell.insert(i, id);
        if let Some(b) = layout.boxes[i] {
            region_ids.push((id, b));
        }
    }
    // Texts that may name a line drawn without a label of its own: one that names a boundary
    // ("Trust Boundary 2 (Authorization)"), or one written in the line's own colour ("Gateway /
    // Backend" in red beside a red dashed line).
    let marks = &vocabulary::zone_words().boundary_marks;
    let caption_texts: Vec<(usize, Rect, bool, Option<String>)> = (0..cells.len())
        .filter(|&i| roles[i] == Role::Text && !labels[i].trim().is_empty())
        .filter_map(|i| {
            let mark = marks.find_in(&labels[i]).is_some();
            let colour = text_colour(&styles[i], &cells[i].value);
            layout.boxes[i].map(|b| (i, b, mark, colour))
        })
        .collect();
    let mut captioned_lines: HashSet<usize> = HashSet::new();
    for (i, role) in roles.iter().enumerate() {
        let Role::BoundaryLine { why } = role else { continue };
        let points = if cells[i].edge {
            layout.paths[i].clone()
        } else {
            layout.boxes[i].map(|b| arc_line(b, &styles[i])).unwrap_or_default()
        };
        if points.len() < 2 {
            continue;
        }
        let mut boundary = boundary_for(&cells[i], &labels[i], why, &styles[i], page);
        // An unlabelled line is named by the text its author set beside it ("Trust Boundary 1"
        // at its foot); its trust is still worked out from its sides (`line_sides`).
        if labels[i].trim().is_empty() {
            // Black is every text's default colour: it ties a text to no line.
            let line_colour = styles[i].colour("strokeColor").filter(|c| c != "#000000");
            let line_captions: Vec<(usize, Rect)> = caption_texts
                .iter()
                .filter(|(_, _, mark, colour)| {
                    *mark || (line_colour.is_some() && *colour == line_colour)
                })
                .map(|&(t, b, _, _)| (t, b))
                .collect();
            if let Some(t) = line_caption(&points, &line_captions, &captioned_lines) {
                captioned_lines.insert(t);
                boundary.label = labels[t].clone();
                boundary.inferred_from.push_str(" (named by the text beside it)");
            }
        }
        boundary.line = Some(points);
        boundary_of_cell.insert(i, diagram.add_boundary(boundary));
    }

    // Indexed once here: every element asks which region holds it, and which region that says
    // something about trust holds it (see [`zone_over_grouping`]).
    let trust_regions: Vec<(usize, Rect)> = region_ids
        .iter()
        .filter(|(id, _)| diagram.boundaries[*id].trust != TrustDeclaration::Unspecified)
        .copied()
        .collect();
    let trust_regions = Regions::new(&trust_regions);
    let region_ids = Regions::new(&region_ids);

    // Elements, in file order. Unlabelled ones borrow an adjacent text cell's words.
    let texts: Vec<(usize, Rect)> = (0..cells.len())
        .filter(|&i| roles[i] == Role::Text && !labels[i].is_empty())
        .filter_map(|i| layout.boxes[i].map(|b| (i, b)))
        .collect();
    for i in bare_emblems(&roles, &labels, &styles, &layout, &connected_cells, &texts) {
        roles[i] = Role::Nothing;
    }
    let mut claimed: HashSet<usize> = captioned_lines;
    let mut node_of_cell: HashMap<usize, NodeIndex> = HashMap::new();
    for (i, cell) in cells.iter().enumerate() {
        let Role::Element(styled) = &roles[i] else { continue };
        if diagram.element_count() >= limits.max_elements {
            return Err(too_many("elements", limits.max_elements, at(&cell.id)));
        }
        let mut label = labels[i].clone();
        let mut caption = None;
        if label.is_empty() {
            if let Some(bounds) = layout.boxes[i] {
                // A picture taken for an element by its caption's arrow is named by that
                // caption, whatever other text stands as near.
                let by_arrow = styled.why.starts_with(CAPTIONED_PICTURE);
                let found = if by_arrow {
                    adjacent_text(bounds, &arrowed_captions, &claimed)
                } else {
                    adjacent_text(bounds, &texts, &claimed)
                };
                if let Some(t) = found {
                    claimed.insert(t);
                    label = labels[t].clone();
                    caption = Some(t);
                }
            }
        }
        let mut element =
            element_for(cell, label, styled, &styles[i], layout.boxes[i], &region_ids, page);
        if let Some(bounds) = layout.boxes[i] {
            element.boundary =
                zone_over_grouping(&diagram, &trust_regions, element.boundary, bounds.center());
        }
        if let Some(call) = close_call(&element.label, element.kind, &element.inferred_from) {
            warnings.push(
                Diagnostic::new(format!("element {}", one_line(&element.label)))
                    .with_location(Location::Cell {
                        page: page.to_string(),
                        cell: Some(cell.id.clone()),
                        line: None,
                    })
                    .with_help(call),
            );
        }
        let node = diagram.add_element(element);
        node_of_cell.insert(i, node);
        // The caption is part of the element (an icon and its caption are one thing drawn as
        // two cells): an arrow drawn from the caption is drawn from the element.
        if let Some(t) = caption {
            node_of_cell.insert(t, node);
        }
    }

    // Flows.
    let children_labels = edge_label_children(&cells, &roles, &index, &labels);
    let members = boundary_members(&diagram);
    let links = element_links(&cells, &roles, &styles, &index, &node_of_cell);
    let drop_targets = DropTargets::new(node_of_cell.keys().copied(), &layout, |_| (0.0, 0.0));
    // Last: an end on no shape and in no box, but on the caption drawn under (or over) an icon.
    let drop_captions = DropTargets::new(node_of_cell.keys().copied(), &layout, |c| {
        caption_outside(&styles[c], &labels[c])
    });
    // A loose end on no element but inside a box (an arrow drawn from the edge of a lane of
    // users) is read as ending on that box, as an arrow attached to it is (see `resolve_end`).
    let drop_boxes = DropTargets::new(boundary_of_cell.keys().copied(), &layout, |_| (0.0, 0.0));
    let relays =
        Relays::find(&cells, &index, |i| roles[i] == Role::Text, |i| roles[i] == Role::Edge);
    for (i, cell) in cells.iter().enumerate() {
        // The arrow out of a flow name drawn as text is read with the arrow into it.
        if roles[i] != Role::Edge || relays.is_onward(i) {
            continue;
        }
        // A line to a shared bus is read with the bus's other lines, below.
        let on_bus = |end: Option<&str>| {
            end.and_then(|id| index.get(id)).is_some_and(|c| buses.contains_key(c))
        };
        if on_bus(cell.source.as_deref()) || on_bus(cell.target.as_deref()) {
            continue;
        }
        let relay = relays.entered_by(i);
        let dropped = |end: usize| {
            let point = layout.loose_ends[i][end];
            drop_targets
                .under(point)
                .or_else(|| drop_boxes.under(point))
                .or_else(|| drop_captions.under(point))
        };
        let source = cell.source.as_deref().or_else(|| dropped(0).map(|c| cells[c].id.as_str()));
        let target = match relay {
            Some(r) => cells[r.onward].target.as_deref(),
            None => cell.target.as_deref().or_else(|| dropped(1).map(|c| cells[c].id.as_str())),
        };
        // Both loose ends on one shape is a line drawn over it (a strike-through, an
        // underline), not a flow from the shape to itself.
        let loose = cell.source.is_none() || cell.target.is_none();
        let ends = match (source, target) {
            (Some(s), Some(t)) if !(loose && s == t) => Some((s, t)),
            _ => None,
        };
        let Some((source, target)) = ends else {
            warnings.push(
                Diagnostic::new("edge is not connected at both ends, so it is not a data flow")
                    .with_location(at(&cell.id))
                    .with_help("attach both ends of the arrow to shapes in draw.io"),
            );
            continue;
        };
        if cell.source.is_none() || cell.target.is_none() {
            warnings.push(
                Diagnostic::new(format!(
                    "edge is not attached at both ends; read as a flow between {source:?} and {target:?}, the shapes its loose ends are drawn on"
                ))
                .with_location(at(&cell.id))
                .with_help("attach both ends of the arrow to the shapes in draw.io"),
            );
        }
        let mut ends = [Vec::new(), Vec::new()];
        for (slot, end) in ends.iter_mut().zip([source, target]) {
            *slot = resolve_end(
                end,
                &index,
                &cells,
                &roles,
                &node_of_cell,
                &boundary_of_cell,
                &members,
                &links,
                &diagram,
                page,
                &cell.id,
                warnings,
            );
        }
        let [froms, tos] = ends;
        let pairs: Vec<(NodeIndex, NodeIndex)> =
            froms.iter().flat_map(|&f| tos.iter().map(move |&t| (f, t))).collect();
        for (from, to) in pairs {
            if diagram.flow_count() >= limits.max_flows {
                return Err(too_many("flows", limits.max_flows, at(&cell.id)));
            }
            let mut parts: Vec<&str> = Vec::new();
            if !labels[i].is_empty() {
                parts.push(&labels[i]);
            }
            let children = children_labels.get(&i);
            parts.extend(
                children
                    .iter()
                    .flat_map(|c| c.iter())
                    .map(|&c| labels[c].as_str())
                    .filter(|l| !l.is_empty()),
            );
            let relay_text = relay.map(|r| r.text).filter(|&t| !labels[t].is_empty());
            parts.extend(relay_text.map(|t| labels[t].as_str()));
            let label = parts.join("\n");
            let label_position = children
                .and_then(|c| c.iter().find(|&&c| !labels[c].is_empty()))
                .and_then(|&c| layout.label_points[c])
                .or_else(|| (!labels[i].is_empty()).then_some(layout.label_points[i]).flatten())
                .or_else(|| relay_text.and_then(|t| layout.boxes[t]).map(|b| b.center()));
            let mut waypoints = layout.waypoints[i].clone();
            if let Some(r) = relay {
                waypoints.extend(layout.boxes[r.text].map(|b| b.center()));
                waypoints.extend(layout.waypoints[r.onward].iter().copied());
            }
            // A named flow's arrowheads may be drawn on either of its two arrows.
            let halves = [Some(i), relay.map(|r| r.onward)];
            let styles_drawn = || halves.into_iter().flatten().map(|h| &styles[h]);
            let forward = styles_drawn().any(|style| arrow(style.get("endArrow"), true));
            let backward = styles_drawn().any(|style| arrow(style.get("startArrow"), false));
            let directions: Vec<(NodeIndex, NodeIndex, bool)> = match (forward, backward) {
                (true, true) => vec![(from, to, false), (to, from, true)],
                (false, true) => vec![(to, from, true)],
                (true, false) => vec![(from, to, false)],
                (false, false) => {
                    warnings.push(
                        Diagnostic::new(
                            "edge has no arrowhead; read as a flow from its source to its target \
                         (and both ways when looking for entry points)",
                        )
                        .with_location(at(&cell.id))
                        .with_help("add an arrowhead (endArrow) to show which way the data flows"),
                    );
                    vec![(from, to, false)]
                }
            };
            for (a, b, reversed) in directions {
                let origin = Location::Cell {
                    page: page.to_string(),
                    cell: Some(cell.id.clone()),
                    line: cell.line,
                };
                let edge =
                    diagram.add_flow(a, b, label.clone(), cell.attributes.clone(), Some(origin));
                let flow = &mut diagram.graph[edge];
                flow.waypoints = waypoints.clone();
                if reversed {
                    flow.waypoints.reverse();
                }
                flow.label_position = label_position;
                flow.drawn = if forward || backward {
                    Drawn::backward_if(reversed)
                } else {
                    Drawn::Undirected
                };
            }
        }
    }

    // Each device on a shared bus is linked with each other one, both ways.
    for (&bus, member_cells) in &buses {
        let nodes: Vec<NodeIndex> =
            member_cells.iter().filter_map(|c| node_of_cell.get(c).copied()).collect();
        for (a, b) in super::buses::member_pairs(&nodes) {
            if diagram.flow_count() >= limits.max_flows {
                return Err(too_many("flows", limits.max_flows, at(&cells[bus].id)));
            }
            let origin = Location::Cell {
                page: page.to_string(),
                cell: Some(cells[bus].id.clone()),
                line: cells[bus].line,
            };
            let label = labels[bus].clone();
            let edge = diagram.add_flow(a, b, label, cells[bus].attributes.clone(), Some(origin));
            diagram.graph[edge].drawn = Drawn::Undirected;
        }
    }

    diagram.identify_parallel_flows(|_, flow| match &flow.origin {
        Some(Location::Cell { cell: Some(cell), .. }) => cell.clone(),
        _ => String::new(),
    });
    diagram.bounds = crate::import::builder::extent(&diagram);
    let page = super::picture::Page {
        cells: &cells,
        index: &index,
        layout: &layout,
        styles: &styles,
        labels: &labels,
    };
    diagram.drawing = Some(super::picture::drawing(&page));
    Ok(diagram)
}

/// The error for a page with more `what` (elements, flows) than the limit allows, naming the
/// flag that raises it.
fn too_many(what: &str, max: usize, at: Location) -> Diagnostic {
    Diagnostic::new(format!("the page has more than {max} {what}"))
        .with_location(at)
        .with_help(format!("split the diagram into pages, or raise --max-{what}"))
}

fn area(layout: &Layout, i: usize) -> f64 {
    layout.boxes[i].map_or(0.0, |b| b.area())
}

/// Ids as shown (see [`shown_name`]): on one line and within the length limit. References
/// (parent, source, target) go through the same mapping, so they still find their cell.
fn show_ids(cells: &mut [Cell], max_chars: usize, page: &str, warnings: &mut Vec<Diagnostic>) {
    for cell in cells.iter_mut() {
        let (id, shortened) = shown_name(&cell.id, max_chars);
        if shortened {
            warnings.push(
                Diagnostic::new(format!(
                    "cell id longer than {max_chars} characters was shortened to {id:?}"
                ))
                .with_location(Location::Cell {
                    page: page.to_string(),
                    cell: Some(id.clone()),
                    line: None,
                })
                .with_help("use shorter cell ids, or raise --max-label-chars"),
            );
        }
        cell.id = id;
        for reference in [&mut cell.parent, &mut cell.source, &mut cell.target] {
            if let Some(r) = reference.as_mut() {
                *r = shown_name(r, max_chars).0;
            }
        }
        cell.attributes = cell
            .attributes
            .iter()
            .map(|(k, v)| (one_line(k).into_owned(), clean_label(v).into_owned()))
            .collect();
    }
}

/// Later cells with an id already used are renamed `id~2`, `id~3`...; references keep pointing
/// at the first, which is what draw.io itself would resolve.
fn rename_duplicates(cells: &mut [Cell], page: &str, warnings: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (order, cell) in cells.iter_mut().enumerate() {
        if cell.id.is_empty() {
            cell.id = format!("cell-{order}");
        }
        let count = seen.entry(cell.id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            let renamed = format!("{}~{}", cell.id, count);
            warnings.push(
                Diagnostic::new(format!(
                    "duplicate cell id {:?}; this one is read as {renamed:?}",
                    cell.id
                ))
                .with_location(Location::Cell {
                    page: page.to_string(),
                    cell: Some(cell.id.clone()),
                    line: None,
                })
                .with_help("give every cell its own id (draw.io does when you copy and paste)"),
            );
            cell.id = renamed;
        }
    }
}

/// The cell's label as plain text: placeholders substituted, HTML reduced, length bounded.
fn label_of(
    cell: &Cell,
    style: &Style,
    limits: &Limits,
    page: &str,
    warnings: &mut Vec<Diagnostic>,
) -> String {
    let mut raw = cell.value.clone();
    if cell.placeholders && raw.contains('%') {
        raw = substitute_placeholders(&raw, &cell.attributes, &cell.id);
    }
    let html = style.flag("html") || raw.contains("<br") || raw.contains("</");
    // A backslash and an `n` typed into the label (as generated and hand-written XML writes a
    // line break) mean a line break: draw.io shows them as written, a reader reads two lines.
    if raw.contains("\\n") {
        raw = raw.replace("\\n", if html { "<br>" } else { "\n" });
    }
    let text = if html { html_to_text(&raw) } else { raw.trim().to_string() };
    let text = clean_label(&text);
    if let Some(kept) = cut_chars(&text, limits.max_label_chars) {
        warnings.push(
            Diagnostic::new(format!(
                "label is longer than {} characters; it was cut",
                limits.max_label_chars
            ))
            .with_location(Location::Cell {
                page: page.to_string(),
                cell: Some(cell.id.clone()),
                line: None,
            })
            .with_help("shorten the label, or move long text into a note"),
        );
        return kept.to_string();
    }
    text.into_owned()
}

/// `%name%` → the attribute `name` (and `%id%` → the id); unknown names stay as written.
fn substitute_placeholders(label: &str, attributes: &Attributes, id: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut rest = label;
    while let Some(start) = rest.find('%') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('%') {
            Some(end) => {
                let name = &after[..end];
                let value =
                    if name == "id" { Some(id) } else { attributes.get(name).map(String::as_str) };
                match value {
                    Some(v) if !name.is_empty() => {
                        out.push_str(v);
                        rest = &after[end + 1..];
                    }
                    _ => {
                        out.push('%');
                        rest = after;
                    }
                }
            }
            None => {
                out.push('%');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether an arrow style draws a head. draw.io draws an end arrow unless told `none`.
fn arrow(value: Option<&str>, default: bool) -> bool {
    match value {
        None => default,
        Some(v) => !(v.is_empty() || v == "none" || v == "0"),
    }
}

fn has_arrowhead(style: &Style) -> bool {
    arrow(style.get("endArrow"), true) || arrow(style.get("startArrow"), false)
}

/// An ellipse is a process in DFD notation, but a page's only ellipse, captioned with people or
/// the outside world ("Users / Internet" beside boxes), is the outside parties drawn round: the
/// page does not draw its processes as ellipses. Where several ellipses are drawn, the notation
/// holds.
fn lone_ellipse_of_parties(labels: &[String], roles: &mut [Role]) {
    let mut ellipses = roles.iter().enumerate().filter_map(|(i, role)| match role {
        Role::Element(k) if k.why == "style ellipse" => Some(i),
        _ => None,
    });
    let (Some(only), None) = (ellipses.next(), ellipses.next()) else { return };
    let Some((ElementKind::ExternalEntity, why)) = kind_from_label_noun(&labels[only]) else {
        return;
    };
    if let Role::Element(k) = &mut roles[only] {
        k.kind = ElementKind::ExternalEntity;
        k.why = format!("{why} names an outside party (over style ellipse, the page's only one)");
    }
}

fn rectangle_kind(rounded: bool) -> StyledKind {
    StyledKind {
        kind: ElementKind::ExternalEntity,
        shape: if rounded { Shape::Rounded } else { Shape::Rectangle },
        why: if rounded {
            "rounded rectangle".into()
        } else {
            "style rectangle (external entity)".into()
        },
        technology: None,
    }
}

/// What a drawing's shapes say about its rectangles: whether it draws processes as ellipses, and
/// how many square and rounded rectangles it has.
#[derive(Debug, Default, Clone, Copy)]
struct RectangleCensus {
    ellipse_processes: bool,
    square: usize,
    rounded: usize,
    /// Rounded rectangles whose labels name a program or a store (a technology, a process or
    /// store noun), and those whose labels name an outside party.
    rounded_named_system: usize,
    rounded_named_party: usize,
}

impl RectangleCensus {
    fn count(&mut self, role: &Role, label: &str) {
        let Role::Element(k) = role else { return };
        let ellipse = matches!(k.shape, Shape::Ellipse | Shape::DoubleEllipse);
        self.ellipse_processes |= k.kind == ElementKind::Process && ellipse;
        let guessed = k.kind == ElementKind::ExternalEntity
            && (k.why == "rounded rectangle" || k.why.starts_with("style rectangle"));
        if guessed && k.shape == Shape::Rectangle {
            self.square += 1;
        } else if guessed && k.shape == Shape::Rounded {
            self.rounded += 1;
            match label_says_kind(label) {
                Some(ElementKind::ExternalEntity) => self.rounded_named_party += 1,
                Some(_) => self.rounded_named_system += 1,
                None => {}
            }
        }
    }

    /// Whether the drawing's ellipses are its processes and its rounded rectangles the outside
    /// parties. Not when most rounded rectangles name programs and stores of their own (a
    /// Kubernetes page's pods beside its services drawn as ellipses): the labels outweigh the
    /// shapes, and the unnamed rounded rectangles are processes like the named ones.
    fn rounded_are_parties(&self) -> bool {
        self.ellipse_processes
            && !(self.rounded_named_system >= 3
                && self.rounded_named_system > 2 * self.rounded_named_party)
    }
}

/// What a label alone says an element is: its technology's kind, else its noun's.
fn label_says_kind(label: &str) -> Option<ElementKind> {
    if let Some((tech, why)) = technology_from(&crate::model::Attributes::default(), label) {
        return Some(kind_from_technology(label, tech, why).0);
    }
    kind_from_label_noun(label).map(|(kind, _)| kind)
}

/// The rounded/square convention (see the module documentation), read per drawing: the elements
/// joined by flows follow their own drawing's shapes (a page may hold several views, one in DFD
/// notation and one of plain boxes). A drawing of fewer than [`MIN_DRAWING`] elements is too
/// little evidence and follows the whole page, as does an element no flow touches.
fn apply_rectangle_convention(
    roles: &mut [Role],
    labels: &[String],
    drawings: &mut DisjointSets,
    connected: &[bool],
) {
    const MIN_DRAWING: usize = 3;
    let mut page = RectangleCensus::default();
    let mut per_drawing: HashMap<usize, (usize, RectangleCensus)> = HashMap::new();
    for (i, role) in roles.iter().enumerate() {
        page.count(role, &labels[i]);
        if connected[i] && matches!(role, Role::Element(_)) {
            let (size, census) = per_drawing.entry(drawings.root(i)).or_default();
            *size += 1;
            census.count(role, &labels[i]);
        }
    }
    for (i, role) in roles.iter_mut().enumerate() {
        let census = match per_drawing.get(&drawings.root(i)) {
            Some(&(size, census)) if connected[i] && size >= MIN_DRAWING => census,
            _ => page,
        };
        let Role::Element(k) = role else { continue };
        let rounded_are_parties = census.rounded_are_parties();
        let RectangleCensus { ellipse_processes, square, rounded, .. } = census;
        if k.why == "rounded rectangle"
            && k.shape == Shape::Rounded
            && !rounded_are_parties
            && ellipse_processes
        {
            k.kind = ElementKind::Process;
            k.why =
                "rounded rectangle (most rounded rectangles here name programs and stores)".into();
        } else if k.why == "rounded rectangle" && k.shape == Shape::Rounded {
            if ellipse_processes {
                k.why = "rounded rectangle (ellipses are the processes in this drawing)".into();
            } else {
                k.kind = ElementKind::Process;
                k.why = if square > 0 {
                    "rounded/square convention".into()
                } else {
                    "rounded rectangle (no ellipse processes in this drawing)".into()
                };
            }
        } else if k.why.starts_with("style rectangle") && rounded > 0 && !ellipse_processes {
            k.why = "rounded/square convention".into();
        } else if k.why.starts_with("style rectangle") && rounded == 0 && !ellipse_processes {
            // "Square = external entity" holds only where processes are drawn as circles or
            // rounded boxes; on a page of plain rectangles the rectangles are the processes.
            k.kind = ElementKind::Process;
            k.why =
                "plain rectangle (this drawing has no process drawn as an ellipse or rounded box)"
                    .into();
        }
    }
}

/// Whether a box's headline names a legend or key ("Legend", "Key", "Legend:"), or a box of
/// designs its author set aside (`set_aside` in `knowledge/zones.toml`), as the DOT reader reads
/// such clusters.
fn is_legend_box(label: &str) -> bool {
    let headline = vocabulary::headline(label).to_lowercase();
    let headline = headline.trim().trim_end_matches(':').trim();
    vocabulary::words(headline).iter().any(|w| w == "legend")
        || headline == "key"
        || vocabulary::zone_words().set_aside.find_in(headline).is_some()
}

/// A legend box shows the notation: the shapes drawn inside it ("Pod" samples beside
/// "= Presentation") are no part of the system unless a flow touches them, and the box is no
/// boundary. Authors often draw the samples beside the legend's title rather than as its
/// children, so what is inside is read from the picture, not from the cells' parents; and they
/// often leave the box empty and type "Legend" in a text cell along its top edge.
fn set_legends_aside(labels: &[String], layout: &Layout, connected: &[bool], roles: &mut [Role]) {
    /// How far below a box's top edge a text still captions the box.
    const CAPTION_BAND: f64 = 40.0;
    let legend_titles: Vec<Rect> = (0..roles.len())
        .filter(|&i| roles[i] == Role::Text && is_legend_box(&labels[i]))
        .filter_map(|i| layout.boxes[i])
        .collect();
    let captioned = |bounds: Rect| {
        legend_titles.iter().any(|t| bounds.contains_rect(t) && t.y - bounds.y <= CAPTION_BAND)
    };
    let legends: Vec<Rect> = (0..roles.len())
        .filter(|&i| matches!(roles[i], Role::Boundary { .. }))
        .filter_map(|i| layout.boxes[i].map(|b| (i, b)))
        .filter(|&(i, b)| {
            is_legend_box(&labels[i]) || (labels[i].trim().is_empty() && captioned(b))
        })
        .map(|(_, b)| b)
        .collect();
    if legends.is_empty() {
        return;
    }
    for (i, role) in roles.iter_mut().enumerate() {
        let Some(bounds) = layout.boxes[i] else { continue };
        let inside = legends.iter().any(|l| l.contains_rect(&bounds));
        let sample = matches!(role, Role::Element(_)) && !connected[i];
        if inside && (sample || matches!(role, Role::Boundary { .. })) {
            *role = Role::Nothing;
        }
    }
}

/// A legend drawn without a box: a text that says only "Legend" (or "Key") with its samples
/// laid out under it or beside it, row by row. The samples are the shapes no flow touches whose
/// middle is not above the title's top (a row beside the title is often taller than the title)
/// and that lie within a row's gap of it or of a sample already taken, read from the picture;
/// a shape any flow touches is part of the system wherever it stands.
fn set_unboxed_legends_aside(
    labels: &[String],
    layout: &Layout,
    connected: &[bool],
    roles: &mut [Role],
) {
    /// Gap between rows (and columns) of samples that still joins them to the legend.
    const ROW_GAP: f64 = 50.0;
    /// A legend shows a handful of samples; more shapes than this are a page, not a legend.
    const MAX_SAMPLES: usize = 24;
    let titles: Vec<Rect> = (0..roles.len())
        .filter(|&i| roles[i] == Role::Text && is_legend_title(&labels[i]))
        .filter_map(|i| layout.boxes[i])
        .collect();
    for title in titles {
        let mut area = title;
        let mut samples: Vec<usize> = Vec::new();
        loop {
            let next = (0..roles.len()).find(|&i| {
                matches!(roles[i], Role::Element(_))
                    && !connected.get(i).copied().unwrap_or(true)
                    && !samples.contains(&i)
                    && layout.boxes[i].is_some_and(|b| {
                        b.y + b.height / 2.0 >= title.y
                            && b.y <= area.y + area.height + ROW_GAP
                            && b.x <= area.x + area.width + ROW_GAP
                            && b.x + b.width >= area.x - ROW_GAP
                    })
            });
            let Some(i) = next else { break };
            samples.push(i);
            if samples.len() > MAX_SAMPLES {
                break;
            }
            if let Some(b) = layout.boxes[i] {
                area = area.union(&b);
            }
        }
        if !samples.is_empty() && samples.len() <= MAX_SAMPLES {
            for i in samples {
                roles[i] = Role::Nothing;
            }
        }
    }
}

/// A text that is only a legend's title: "Legend", "Legend:", "Key".
fn is_legend_title(label: &str) -> bool {
    let line = one_line(label).trim().trim_end_matches(':').trim().to_lowercase();
    matches!(line.as_str(), "legend" | "legends" | "key" | "map key")
}

/// The convention's square boxes drawn inside the same box as rounded processes: the outside
/// parties of a DFD stand beyond the system's box, so a square among the system's processes ("URL
/// Map" under the load balancer, in the project's box) is one of them.
fn squares_among_processes(layout: &Layout, roles: &mut [Role]) {
    let regions: Vec<(usize, Rect)> = (0..roles.len())
        .filter(|&i| matches!(roles[i], Role::Boundary { .. }))
        .filter_map(|i| layout.boxes[i].map(|b| (i, b)))
        .collect();
    if regions.is_empty() {
        return;
    }
    let innermost = |bounds: Rect| {
        regions
            .iter()
            .filter(|(_, r)| r.contains_rect(&bounds) && r.area() > bounds.area())
            .min_by(|a, b| a.1.area().total_cmp(&b.1.area()))
            .map(|&(i, _)| i)
    };
    let mut boxes_with_processes: HashSet<usize> = HashSet::new();
    let mut squares: Vec<(usize, usize)> = Vec::new();
    for (i, role) in roles.iter().enumerate() {
        let (Role::Element(k), Some(bounds)) = (role, layout.boxes[i]) else { continue };
        let Some(region) = innermost(bounds) else { continue };
        if k.kind == ElementKind::Process && k.shape == Shape::Rounded {
            boxes_with_processes.insert(region);
        } else if k.kind == ElementKind::ExternalEntity
            && k.shape == Shape::Rectangle
            && k.why == "rounded/square convention"
        {
            squares.push((i, region));
        }
    }
    for (i, region) in squares {
        if boxes_with_processes.contains(&region) {
            if let Role::Element(k) = &mut roles[i] {
                k.kind = ElementKind::Process;
                k.why = "square rectangle inside the box of the drawing's rounded processes".into();
            }
        }
    }
}

/// Why a picture no table names is an element: an arrow starts or ends on its caption.
const CAPTIONED_PICTURE: &str = "unrecognised picture whose caption a flow touches";

/// The kind of a picture no library names that a flow touches: what the file name of its image
/// says by the label nouns (`chrome_48dp.png` a browser, `database-icon.svg` a store), else a
/// process. An inline image (`data:`) has no file name.
fn picture_kind(style: &Style) -> StyledKind {
    let image = style.get("image").unwrap_or_default();
    let named = (!image.trim_start().starts_with("data:"))
        .then(|| image.split(['?', '#']).next().unwrap_or_default())
        .and_then(|path| path.rsplit('/').next())
        .map(|file| file.rsplit_once('.').map_or(file, |(stem, _)| stem))
        .filter(|stem| !stem.is_empty())
        .and_then(|stem| {
            let words = stem.replace(['_', '-'], " ");
            kind_from_label_noun(&words).map(|(kind, _)| (kind, stem.to_string()))
        });
    match named {
        Some((kind, stem)) => StyledKind {
            kind,
            shape: Shape::Icon,
            why: format!("unrecognised picture a flow touches, its file named \"{stem}\""),
            technology: None,
        },
        None => StyledKind {
            kind: ElementKind::Process,
            shape: Shape::Icon,
            why: "unrecognised picture a flow touches (default process)".into(),
            technology: None,
        },
    }
}

/// The elements an unattached arrow end may have been dropped on: each element's box, grown by
/// a few pixels (an end dropped next to the border), indexed so that every loose end is one
/// lookup.
struct DropTargets(Option<Regions>);

impl DropTargets {
    const SLACK: f64 = 8.0;

    /// The boxes of `cells` (elements, or boundaries), when some edge has a loose end, each grown
    /// over the caption `caption` says is drawn above or below it (pixels above, below).
    fn new(
        cells: impl Iterator<Item = usize>,
        layout: &Layout,
        caption: impl Fn(usize) -> (f64, f64),
    ) -> DropTargets {
        if !layout.loose_ends.iter().any(|ends| ends.iter().any(Option::is_some)) {
            return DropTargets(None);
        }
        let mut cells: Vec<usize> = cells.collect();
        cells.sort_unstable();
        let grown: Vec<(usize, Rect)> = cells
            .into_iter()
            .filter_map(|c| layout.boxes[c].map(|b| (c, b)))
            .map(|(c, b)| {
                let s = Self::SLACK;
                let (above, below) = caption(c);
                (
                    c,
                    Rect {
                        x: b.x - s,
                        y: b.y - s - above,
                        width: b.width + 2.0 * s,
                        height: b.height + 2.0 * s + above + below,
                    },
                )
            })
            .collect();
        DropTargets(Some(Regions::new(&grown)))
    }

    /// The cell of the smallest element under `point`.
    fn under(&self, point: Option<crate::model::Point>) -> Option<usize> {
        innermost(self.0.as_ref()?, point?)
    }
}

/// The height of a caption drawn outside an icon (a stencil or picture whose
/// `verticalLabelPosition` is `bottom` or `top`): (above, below) in pixels, a line of text per
/// line of the label plus spacing. An arrow that ends on the caption under an icon ends on the
/// icon, as a reader sees it.
fn caption_outside(style: &Style, label: &str) -> (f64, f64) {
    const LINE: f64 = 16.0;
    const SPACING: f64 = 10.0;
    let icon = style.get("image").is_some()
        || style.get("shape").is_some_and(|shape| shape.starts_with("mxgraph."));
    let lines = label.lines().filter(|l| !l.trim().is_empty()).count().min(4);
    if lines == 0 || !icon {
        return (0.0, 0.0);
    }
    let height = LINE * lines as f64 + SPACING;
    match style.get("verticalLabelPosition") {
        Some("bottom") => (0.0, height),
        Some("top") => (height, 0.0),
        _ => (0.0, 0.0),
    }
}

/// Boxes that overlap without nesting (an auto scaling group drawn across two subnets, a
/// cluster across availability zones): an element's smallest box may be a grouping that is not
/// inside the subnet that also holds it. The box that says something about trust wins then, as a
/// threat modeler reads it; when it encloses the grouping, the grouping is kept (its members share
/// the zone around it anyway).
fn zone_over_grouping(
    diagram: &Diagram,
    trust_regions: &Regions,
    innermost_box: Option<usize>,
    centre: crate::model::Point,
) -> Option<usize> {
    let Some(zone) = innermost(trust_regions, centre) else { return innermost_box };
    let Some(smallest) = innermost_box else { return Some(zone) };
    let encloses = diagram.boundary_path(Some(smallest)).contains(&zone);
    if encloses {
        innermost_box
    } else {
        Some(zone)
    }
}

/// An icon drawn inside a small labelled card (GCP and Azure templates, "card" styles) is one
/// element: the card, with the icon's kind and technology and the card's caption. Otherwise the
/// card would be a boundary holding one unlabelled icon. Only small cards with one unlabelled icon
/// and no region word in the label qualify: a "VPC" box around one EC2 icon stays a zone. The icon
/// is the card's child or a shape of the same parent drawn inside it; a card is small by area, or
/// as a one-line chip no taller than twice its icon (a "Users" pill with a person icon at its
/// left end). Arrows attached to the icon reach the card, its parent.
fn merge_cards(
    cells: &[Cell],
    index: &HashMap<&str, usize>,
    looks: &[Option<Look>],
    labels: &[String],
    layout: &Layout,
    roles: &mut [Role],
) {
    const MAX_CARD_TO_ICON_AREA: f64 = 8.0;
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, cell) in cells.iter().enumerate() {
        if let Some(&p) = cell.parent.as_deref().and_then(|p| index.get(p)) {
            children.entry(p).or_default().push(i);
        }
    }
    const MAX_CHIP_TO_ICON_HEIGHT: f64 = 2.0;
    for card in 0..cells.len() {
        let is_card = matches!(roles[card], Role::Boundary { .. })
            && matches!(looks[card], Some(Look::Rectangle { .. }))
            && !labels[card].trim().is_empty()
            && !says_boundary(&labels[card])
            && region_word(&labels[card]).is_none();
        if !is_card {
            continue;
        }
        let drawn_inside = layout.boxes[card].map(|outer| {
            (0..cells.len()).filter(move |&k| {
                k != card
                    && cells[k].parent == cells[card].parent
                    && layout.boxes[k].is_some_and(|b| outer.contains_rect(&b))
            })
        });
        let mut kids: Vec<usize> = children.get(&card).cloned().unwrap_or_default();
        kids.extend(drawn_inside.into_iter().flatten());
        let substantial: Vec<usize> = kids
            .iter()
            .copied()
            .filter(|&k| matches!(roles[k], Role::Element(_) | Role::Boundary { .. }))
            .collect();
        let [icon] = substantial[..] else { continue };
        let Role::Element(styled) = &roles[icon] else { continue };
        // A chip is a one-line pill: at least twice as wide as it is tall. A square outline
        // drawn tightly around a sibling icon ("Security group" around a load balancer) is a
        // zone, and only a card's own child icon makes a small card of it.
        let chip = match (layout.boxes[card], layout.boxes[icon]) {
            (Some(c), Some(i)) => {
                c.height <= MAX_CHIP_TO_ICON_HEIGHT * i.height && c.width >= 2.0 * c.height
            }
            _ => false,
        };
        let child = children.get(&card).is_some_and(|own| own.contains(&icon));
        let small =
            (child && area(layout, card) <= MAX_CARD_TO_ICON_AREA * area(layout, icon)) || chip;
        if styled.shape != Shape::Icon || !labels[icon].trim().is_empty() || !small {
            continue;
        }
        let mut merged = styled.clone();
        merged.why = format!("{} in a card captioned by its box", styled.why);
        roles[card] = Role::Element(merged);
        roles[icon] = Role::Nothing;
    }
}

/// Whether a marker icon is drawn at badge size: no wider or taller than text beside an icon
/// (draw.io draws its icons at 48 to 78 pixels).
fn is_badge(bounds: Option<Rect>) -> bool {
    const BADGE_SIDE: f64 = 32.0;
    bounds.is_some_and(|b| b.width <= BADGE_SIDE && b.height <= BADGE_SIDE)
}

/// Whether a label is prose rather than a name: several lines or many words.
fn reads_like_a_note(label: &str) -> bool {
    const NOTE_WORDS: usize = 12;
    const NOTE_LINES: usize = 4;
    label.lines().filter(|l| !l.trim().is_empty()).count() >= NOTE_LINES
        || label.split_whitespace().count() >= NOTE_WORDS
}

fn container_why(style: &Style) -> String {
    if style.has_token("swimlane") || style.get("shape") == Some("swimlane") {
        "swimlane around other shapes".into()
    } else {
        "container around other shapes".into()
    }
}

fn rectangle_why(style: &Style, label: &str) -> String {
    let mut look = Vec::new();
    if style.dashed() {
        look.push("dashed");
    }
    if style.unfilled() {
        look.push("unfilled");
    }
    look.push("rectangle drawn around other shapes");
    let mut why = look.join(" ");
    if let Some(word) = region_word(label) {
        why.push_str(&format!(", labelled \"{word}\""));
    }
    why
}

fn visual(style: &Style, bounds: Option<Rect>, shape: Shape) -> Visual {
    Visual { bounds, shape, fill: style.colour("fillColor"), stroke: style.colour("strokeColor") }
}

/// Whether a caption names the system's infrastructure (a cloud account, a VPC, a subnet:
/// `infrastructure` in `knowledge/zones.toml`) and ranks it trusted.
fn names_infrastructure(text: &str) -> bool {
    let words = vocabulary::words(text);
    vocabulary::zone_words().infrastructure.longest_in(&words).is_some()
        && matches!(boundary_trust(&Attributes::default(), text), TrustDeclaration::Trusted { .. })
}

/// The name of an unnamed box typed as a text cell inside its top edge ("Microsoft Azure" in the
/// corner of an empty dashed box): the top-most such text within 40 px of the top. Failing
/// that, a text set against the box's top or bottom edge from outside, as a tab or a footer
/// ("webapp-security-group" over a red dashed box): within 10 px of the edge, starting in the
/// box's left half and narrower than the box, and set against no other unnamed box's edge.
fn corner_caption(
    region: usize,
    layout: &Layout,
    captions: &[(Rect, String)],
    unnamed_boxes: &[Rect],
) -> Option<String> {
    const CAPTION_BAND: f64 = 40.0;
    const EDGE_GAP: f64 = 10.0;
    let outer = layout.boxes[region]?;
    let inside = captions
        .iter()
        .filter(|(b, _)| outer.contains_rect(b) && b.y - outer.y <= CAPTION_BAND)
        .filter(|(b, _)| b.area() < outer.area())
        .min_by(|a, b| a.0.y.total_cmp(&b.0.y).then(a.0.x.total_cmp(&b.0.x)))
        .map(|(_, text)| text.clone());
    if inside.is_some() {
        return inside;
    }
    let against = |b: &Rect, o: &Rect| {
        let over = o.y - (b.y + b.height);
        let under = b.y - (o.y + o.height);
        ((0.0..=EDGE_GAP).contains(&over) || (0.0..=EDGE_GAP).contains(&under))
            && b.x >= o.x - EDGE_GAP
            && b.x < o.x + o.width / 2.0
            && b.width < o.width
    };
    let mut found = captions.iter().filter(|(b, _)| against(b, &outer));
    let (b, text) = found.next()?;
    // One text against one box: a text between two boxes names neither.
    let shared = unnamed_boxes.iter().filter(|o| **o != outer && against(b, o)).count() > 0;
    (found.next().is_none() && !shared).then(|| text.clone())
}

/// Small icons no flow touches drawn in the top-left corner of an unnamed box that holds other
/// shapes, with the name they give it: the Azure templates caption a resource group, a plan or a
/// server box so ("rg-onecommerce" beside the resource-group icon), and a host box drawn around
/// containers carries its instance icon and caption there. Such an icon is the box's caption, no
/// element; an icon without a label names the box by the text beside it. A caption reads
/// beside the icon, as a heading does (its label set to the right, or a text to its right); an
/// icon labelled under it, or a person's, is a member drawn in the corner.
/// Returns `(icon cell, box cell, name)`.
fn corner_icons(
    regions: &[usize],
    layout: &Layout,
    labels: &[String],
    styles: &[Style],
    connected: &[bool],
    roles: &[Role],
) -> Vec<(usize, usize, String)> {
    const CORNER: f64 = 40.0;
    const SMALL: f64 = 48.0;
    let icons: Vec<(usize, Rect)> = (0..roles.len())
        .filter(|&j| {
            matches!(&roles[j], Role::Element(k)
                if k.shape == Shape::Icon && k.kind != ElementKind::ExternalEntity)
        })
        .filter(|&j| labels[j].trim().is_empty() || styles[j].get("labelPosition") == Some("right"))
        .filter(|&j| !connected.get(j).copied().unwrap_or(true))
        .filter_map(|j| layout.boxes[j].map(|b| (j, b)))
        .filter(|(_, b)| b.height <= SMALL && b.width <= SMALL)
        .collect();
    let texts: Vec<(usize, Rect)> = (0..roles.len())
        .filter(|&j| roles[j] == Role::Text && !labels[j].trim().is_empty())
        .filter_map(|j| layout.boxes[j].map(|b| (j, b)))
        .collect();
    let shapes: Vec<Rect> = (0..roles.len())
        .filter(|&j| matches!(roles[j], Role::Element(_) | Role::Boundary { .. }))
        .filter_map(|j| layout.boxes[j])
        .collect();
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    // Smallest boxes first: an icon in the corner of a box nested in another's corner is the
    // inner box's caption.
    for &r in regions.iter().rev() {
        let named = !labels[r].trim().is_empty();
        let Some(outer) = layout.boxes[r] else { continue };
        let corner = icons
            .iter()
            .filter(|(j, _)| found.iter().all(|(taken, _, _)| taken != j))
            // A box that has a name of its own keeps it: only an icon with no words of its
            // own is its emblem (the service's logo pinned on a "CodePipeline" box).
            .filter(|(j, _)| !named || labels[*j].trim().is_empty())
            .filter(|(_, b)| b.area() < outer.area() && pinned_on_corner(b, &outer, CORNER))
            .min_by(|a, b| a.1.y.total_cmp(&b.1.y).then(a.1.x.total_cmp(&b.1.x)));
        let Some(&(icon, bounds)) = corner else { continue };
        // The box holds more than its caption: the icon is not the only thing drawn in it.
        let holds_more = shapes
            .iter()
            .filter(|b| outer.contains_rect(b) && b.area() < outer.area())
            .filter(|b| **b != bounds)
            .count()
            > 0;
        if !holds_more {
            continue;
        }
        if named {
            found.push((icon, r, String::new()));
            continue;
        }
        let own = one_line(&labels[icon]).trim().to_string();
        // The name typed beside the icon starts right of its middle (a text box drawn a few
        // pixels over the icon's edge still reads beside it).
        let beside = |t: &usize| {
            layout.boxes[*t].is_some_and(|b| {
                b.x >= bounds.x + bounds.width / 2.0 && b.y < bounds.y + bounds.height
            })
        };
        let name = if own.is_empty() {
            adjacent_text(bounds, &texts, &HashSet::new())
                .filter(beside)
                .map(|t| one_line(&labels[t]).trim().to_string())
                .unwrap_or_default()
        } else {
            own
        };
        if !name.is_empty() {
            found.push((icon, r, name));
        }
    }
    found
}

/// Emblems (`emblem = true` in `knowledge/icons.toml`: a virtual network, a resource group, an IAM
/// policy) with no words anywhere that no flow touches: no label of their own, no caption beside
/// them, no arrow attached to them nor ending loose on them. Cloud drawings scatter such icons as
/// decoration (a policy sign beside a security group, a VNet emblem on its box); they picture a
/// container or a permission, not something data flows through, so only a flow or a name makes
/// one an element. Other icons with no words stay elements: authors leave service icons
/// unlabelled in whole templates, and a reader still lists each.
fn bare_emblems(
    roles: &[Role],
    labels: &[String],
    styles: &[Style],
    layout: &Layout,
    connected: &[bool],
    texts: &[(usize, Rect)],
) -> Vec<usize> {
    let loose: Vec<Point> =
        layout.loose_ends.iter().flat_map(|ends| ends.iter().flatten().copied()).collect();
    let none = HashSet::new();
    (0..roles.len())
        .filter(|&i| matches!(&roles[i], Role::Element(k) if k.shape == Shape::Icon))
        .filter(|&i| labels[i].trim().is_empty() && !connected.get(i).copied().unwrap_or(true))
        .filter(|&i| icon_of(&styles[i]).is_some_and(|m| m.emblem))
        .filter(|&i| {
            layout.boxes[i].is_some_and(|b| {
                !loose.iter().any(|p| b.contains_point(*p))
                    && adjacent_text(b, texts, &none).is_none()
            })
        })
        .collect()
}

/// An icon pinned on a box's top-left corner: inside the box near that corner, or drawn across
/// the box's top or left edge there (an emblem half over the border, as Azure and AWS group
/// templates place it).
fn pinned_on_corner(icon: &Rect, outer: &Rect, reach: f64) -> bool {
    let (dx, dy) = (icon.x - outer.x, icon.y - outer.y);
    let overlaps = icon.x < outer.x + outer.width
        && icon.x + icon.width > outer.x
        && icon.y < outer.y + outer.height
        && icon.y + icon.height > outer.y;
    // Its middle lies in the box, or on the border line it straddles.
    let middle_in = icon.x + icon.width / 2.0 >= outer.x && icon.y + icon.height / 2.0 >= outer.y;
    overlaps
        && middle_in
        && dx >= -icon.width / 2.0
        && dy >= -icon.height / 2.0
        && dx <= reach
        && dy <= reach
        && icon.x + icon.width <= outer.x + outer.width
        && icon.y + icon.height <= outer.y + outer.height
}

fn boundary_for(cell: &Cell, label: &str, why: &str, style: &Style, page: &str) -> Boundary {
    let mut boundary = Boundary::new(cell.id.clone(), label.to_string(), why.to_string());
    boundary.trust = boundary_trust(&cell.attributes, label);
    if label.trim().is_empty() {
        // Named after its trust is read, so the made-up name decides nothing.
        boundary.label = format!("Zone (cell {})", short_id(&cell.id));
    }
    boundary.attributes = cell.attributes.clone();
    boundary.origin = Some(Location::Cell {
        page: page.to_string(),
        cell: Some(cell.id.clone()),
        line: cell.line,
    });
    boundary.visual = visual(style, None, Shape::Rectangle);
    boundary
}

fn element_for(
    cell: &Cell,
    label: String,
    styled: &StyledKind,
    style: &Style,
    bounds: Option<Rect>,
    regions: &Regions,
    page: &str,
) -> Element {
    // A plain or rounded rectangle's kind is a page-wide guess, and an unrecognised icon's a
    // default: a technology named in the label, then the label's own noun, say more.
    let weak_style = matches!(styled.shape, Shape::Rectangle | Shape::Rounded | Shape::Icon)
        && (styled.why.contains("rectangle")
            || styled.why.contains("convention")
            || styled.why.contains("unrecognised"));
    // A cloud shape is the Internet's or an outside party's by habit, not by notation: a cloud
    // captioned with a product ("S3 Bucket", "CloudFront") is that product.
    let drawn_as_cloud = styled.why == "style shape=cloud";
    let label_technology = technology_from(&cell.attributes, &label);
    // An icon that says only where a thing runs (a Kubernetes object: a `platform` technology)
    // yields to what its label names (`Firebase Authentication` drawn with
    // Kubernetes' API icon is Firebase's sign-in service, `SMS gateway` with its ConfigMap icon
    // someone else's gateway).
    let icon_yields = styled
        .technology
        .and_then(crate::model::technology)
        .is_some_and(|t| t.platform)
        && label_technology.as_ref().is_some_and(|(t, _)| Some(t.id.as_str()) != styled.technology);
    // A circle is the page's process notation, but one captioned with someone else's product
    // ("Google Auth", "Stripe") is that outside party drawn in the shape at hand: the product
    // says whose it is, as a cloud's caption does.
    let outside_product_circle = matches!(styled.shape, Shape::Ellipse | Shape::DoubleEllipse)
        && styled.kind == ElementKind::Process
        && label_technology.as_ref().is_some_and(|(t, why)| {
            !t.generic
                && t.kind == ElementKind::ExternalEntity
                && kind_from_technology(&label, t, why.clone()).0 == ElementKind::ExternalEntity
        });
    let (kind, why) = if let Some((kind, why)) = kind_from_attributes(&cell.attributes) {
        (kind, format!("object attribute {why}"))
    } else if let Some((kind, why)) = kind_from_label(&label) {
        (kind, why)
    } else if let (true, Some((tech, why))) =
        (weak_style || drawn_as_cloud || outside_product_circle || icon_yields, &label_technology)
    {
        let (kind, why) = kind_from_technology(&label, tech, why.clone());
        match styled.technology.filter(|_| icon_yields) {
            Some(icon) => (kind, format!("{why} (over {}, technology {icon})", styled.why)),
            None => (kind, why),
        }
    } else if let Some(party) = outside_party_device(style, styled, &label) {
        (
            ElementKind::ExternalEntity,
            format!("label noun \"{party}\" names an outside party (over {})", styled.why),
        )
    } else if let Some((kind, why)) = kind_from_label_noun(&label).filter(|_| weak_style) {
        (kind, format!("{why} (over {})", styled.why))
    } else {
        (styled.kind, styled.why.clone())
    };
    let technology = match (icon_yields, label_technology) {
        (true, Some((t, _))) => Some(t.id.to_string()),
        (_, label_technology) => styled
            .technology
            .map(str::to_string)
            .or_else(|| label_technology.map(|(t, _)| t.id.to_string())),
    };
    let mut element = Element::new(cell.id.clone(), kind, why);
    element.label = label;
    element.technology = technology;
    if element.label.trim().is_empty() {
        element.label = unlabelled_name(&element, style);
        element.unlabelled = true;
    }
    element.attributes = cell.attributes.clone();
    element.origin = Some(Location::Cell {
        page: page.to_string(),
        cell: Some(cell.id.clone()),
        line: cell.line,
    });
    element.visual = visual(style, bounds, styled.shape);
    element.boundary = bounds.and_then(|b| innermost(regions, b.center()));
    element
}

/// The outside organisation whose machine a generic device icon is, when its caption names one
/// ("ISP", "Partner", "Bank" under a server or router icon): the icon says what the thing is,
/// the caption says whose it is, and a machine someone else runs is an external entity. Only for
/// icons of no cloud vendor that name no technology and that a row of `knowledge/icons.toml` or
/// their own name says are processes (a cloud service's icon is the team's own service, whatever
/// its caption).
fn outside_party_device(style: &Style, styled: &StyledKind, label: &str) -> Option<String> {
    if styled.shape != Shape::Icon
        || styled.kind != ElementKind::Process
        || styled.technology.is_some()
    {
        return None;
    }
    // An icon we know as a device (a row of icons.toml, or its own name: `router`), not an
    // unrecognised one, which may be anything (a logo, a building, a cloud).
    icon_of(style).filter(|icon| icon.vendor == "vendor" && icon.kind.is_some())?;
    crate::model::vocabulary::outside_party(label)
}

/// A name for an element drawn without a label, so reports and threat titles can say which one:
/// its technology (`AWS Lambda`), else its icon's name (`Hard disk`), else its kind, and the
/// cell id (`AWS Lambda (cell 7)`).
fn unlabelled_name(element: &Element, style: &Style) -> String {
    let what =
        element.tech().map(|t| t.name.clone()).or_else(|| icon_name(style)).unwrap_or_else(|| {
            match element.kind {
                ElementKind::ExternalEntity => "External entity",
                ElementKind::Process => "Process",
                ElementKind::DataStore => "Data store",
            }
            .to_string()
        });
    format!("{what} (cell {})", short_id(&element.id))
}

/// The last part of a stencil or icon name (`mxgraph.aws4.hard_disk` → `Hard disk`).
fn icon_name(style: &Style) -> Option<String> {
    let icon = style.get("resIcon").or_else(|| style.get("prIcon")).or_else(|| style.shape())?;
    if !icon.starts_with("mxgraph.") && !icon.contains('/') {
        return None;
    }
    let last = icon.rsplit(['.', '/']).find(|p| !p.is_empty() && *p != "svg")?;
    let words = last.replace(['_', '-'], " ");
    let mut chars = words.trim().chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// An id short enough to repeat in a name.
fn short_id(id: &str) -> String {
    crate::user_text::capped(id, 24).into_owned()
}

/// The closest text cell touching the element or lying just beside or below it; none when two
/// are equally close (ambiguous).
/// How near a text must come to a boundary line to be its caption, in pixels.
const LINE_CAPTION_REACH: f64 = 30.0;

/// The nearest unclaimed text within [`LINE_CAPTION_REACH`] of a boundary line's path.
fn line_caption(
    points: &[Point],
    texts: &[(usize, Rect)],
    claimed: &HashSet<usize>,
) -> Option<usize> {
    let gap = |t: &Rect| {
        points.windows(2).map(|w| segment_to_rect(w[0], w[1], t)).fold(f64::INFINITY, f64::min)
    };
    texts
        .iter()
        .filter(|(i, _)| !claimed.contains(i))
        .map(|&(i, t)| (gap(&t), i))
        .filter(|&(d, _)| d <= LINE_CAPTION_REACH)
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        .map(|(_, i)| i)
}

/// The distance from a segment to a rectangle: 0 when it touches or crosses it, else the least
/// of the distances from the segment's ends to the rectangle and from the rectangle's corners to
/// the segment.
fn segment_to_rect(a: Point, b: Point, r: &Rect) -> f64 {
    let corners = [
        Point { x: r.x, y: r.y },
        Point { x: r.x + r.width, y: r.y },
        Point { x: r.x + r.width, y: r.y + r.height },
        Point { x: r.x, y: r.y + r.height },
    ];
    if segment_meets_rect(a, b, r) {
        return 0.0;
    }
    let to_rect = |p: Point| {
        let dx = (r.x - p.x).max(p.x - (r.x + r.width)).max(0.0);
        let dy = (r.y - p.y).max(p.y - (r.y + r.height)).max(0.0);
        dx.hypot(dy)
    };
    let ends = to_rect(a).min(to_rect(b));
    corners.iter().map(|&c| c.distance_to_segment(a, b)).fold(ends, f64::min)
}

/// Whether a segment touches a rectangle (Liang-Barsky clipping: some part of it lies inside).
fn segment_meets_rect(a: Point, b: Point, r: &Rect) -> bool {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    let edges =
        [(-dx, a.x - r.x), (dx, r.x + r.width - a.x), (-dy, a.y - r.y), (dy, r.y + r.height - a.y)];
    for (p, q) in edges {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else if p < 0.0 {
            low = low.max(q / p);
        } else {
            high = high.min(q / p);
        }
    }
    low <= high
}

fn adjacent_text(bounds: Rect, texts: &[(usize, Rect)], claimed: &HashSet<usize>) -> Option<usize> {
    let reach = (bounds.width.min(bounds.height) / 2.0).max(10.0);
    let mut best: Option<(f64, usize, Rect)> = None;
    let mut tie = false;
    for &(i, t) in texts {
        if claimed.contains(&i) {
            continue;
        }
        let dx = (t.x - (bounds.x + bounds.width)).max(bounds.x - (t.x + t.width)).max(0.0);
        let dy = (t.y - (bounds.y + bounds.height)).max(bounds.y - (t.y + t.height)).max(0.0);
        // Above the icon is usually a title for something else.
        let above = t.y + t.height <= bounds.y;
        let gap = dx.max(dy);
        if gap > reach || above {
            continue;
        }
        match best {
            // Texts typed inside an unlabelled card (its title over a description) are read
            // top down: the uppermost names it ("GitHub" over "source control, CI/CD").
            Some((d, _, b))
                if (gap - d).abs() < 0.5
                    && bounds.contains_rect(&b)
                    && bounds.contains_rect(&t) =>
            {
                if t.y + 0.5 < b.y {
                    best = Some((gap, i, t));
                    tie = false;
                } else if (t.y - b.y).abs() < 0.5 {
                    tie = true;
                }
            }
            Some((d, _, _)) if (gap - d).abs() < 0.5 => tie = true,
            Some((d, _, _)) if gap > d => {}
            _ => {
                best = Some((gap, i, t));
                tie = false;
            }
        }
    }
    if tie {
        None
    } else {
        best.map(|(_, i, _)| i)
    }
}

fn edge_label_children(
    cells: &[Cell],
    roles: &[Role],
    index: &HashMap<&str, usize>,
    _labels: &[String],
) -> HashMap<usize, Vec<usize>> {
    let mut map: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, cell) in cells.iter().enumerate() {
        if roles[i] != Role::EdgeLabel {
            continue;
        }
        if let Some(&p) = cell.parent.as_deref().and_then(|p| index.get(p)) {
            map.entry(p).or_default().push(i);
        }
    }
    map
}

fn boundary_members(diagram: &Diagram) -> HashMap<usize, Vec<NodeIndex>> {
    let mut members: HashMap<usize, Vec<NodeIndex>> = HashMap::new();
    for (node, element) in diagram.elements() {
        for b in diagram.boundary_path(element.boundary) {
            members.entry(b).or_default().push(node);
        }
    }
    members
}

/// The element a cell is, or the element holding it (an edge attached to an icon's inner
/// label), a few parents up at most.
fn element_at(
    start: usize,
    index: &HashMap<&str, usize>,
    cells: &[Cell],
    node_of_cell: &HashMap<usize, NodeIndex>,
) -> Option<NodeIndex> {
    let mut cursor = Some(start);
    let mut steps = 0;
    while let Some(i) = cursor {
        if let Some(&node) = node_of_cell.get(&i) {
            return Some(node);
        }
        steps += 1;
        if steps > 8 {
            break;
        }
        cursor = cells[i]
            .parent
            .as_deref()
            .and_then(|p| index.get(p).copied())
            .filter(|&p| cells[p].vertex);
    }
    None
}

/// The element-to-element arrows of a page, each way its arrowheads point (an arrow with none
/// as drawn): what [`sole_front`] asks of a box's members.
fn element_links(
    cells: &[Cell],
    roles: &[Role],
    styles: &[Style],
    index: &HashMap<&str, usize>,
    node_of_cell: &HashMap<usize, NodeIndex>,
) -> HashSet<(NodeIndex, NodeIndex)> {
    let mut links = HashSet::new();
    for (i, cell) in cells.iter().enumerate() {
        if roles[i] != Role::Edge {
            continue;
        }
        let node = |end: Option<&str>| {
            end.and_then(|id| index.get(id))
                .and_then(|&c| element_at(c, index, cells, node_of_cell))
        };
        let (Some(s), Some(t)) = (node(cell.source.as_deref()), node(cell.target.as_deref()))
        else {
            continue;
        };
        let forward = arrow(styles[i].get("endArrow"), true);
        let backward = arrow(styles[i].get("startArrow"), false);
        if forward || !backward {
            links.insert((s, t));
        }
        if backward {
            links.insert((t, s));
        }
    }
    links
}

/// Of a box's members, the only one no other member sends to: the box's front (the CDN before
/// its bucket, the gateway before its functions), which an arrow drawn to the box's border
/// reaches first. None when there are several such members, or none.
fn sole_front(inside: &[NodeIndex], links: &HashSet<(NodeIndex, NodeIndex)>) -> Option<NodeIndex> {
    if inside.len() < 2 {
        return None;
    }
    // One pass over the links, not one per pair of members: a box may hold thousands.
    let members: HashSet<NodeIndex> = inside.iter().copied().collect();
    let fed: HashSet<NodeIndex> = links
        .iter()
        .filter(|(from, to)| from != to && members.contains(from) && members.contains(to))
        .map(|&(_, to)| to)
        .collect();
    let mut fronts = inside.iter().copied().filter(|n| !fed.contains(n));
    let front = fronts.next()?;
    fronts.next().is_none().then_some(front)
}

/// Whether the members of a box are copies of one component (`Flask App Instance 1`, `… 2`,
/// `… 3`; `Node-RED worker 1` … `Node-RED worker n`): two to [`MAX_PARTIES_PER_BOX_END`] of
/// them, of one kind, with the same name once the numbers that tell them apart are taken out,
/// and none sending to another. An arrow drawn to such a pool reaches each copy, as a load
/// balancer spreads requests over replicas; two different parts side by side (`Orders`,
/// `Invoices`) stay too vague to read.
fn replicas(
    inside: &[NodeIndex],
    links: &HashSet<(NodeIndex, NodeIndex)>,
    diagram: &Diagram,
) -> bool {
    if inside.len() < 2 || inside.len() > MAX_PARTIES_PER_BOX_END {
        return false;
    }
    let name = |n: NodeIndex| -> Vec<String> {
        crate::model::vocabulary::words(&diagram.element(n).label)
            .into_iter()
            .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()).to_string())
            .filter(|w| !w.is_empty() && w != "n")
            .collect()
    };
    let first = diagram.element(inside[0]);
    let first_name = name(inside[0]);
    if first.unlabelled || first_name.is_empty() {
        return false;
    }
    let alike = inside.iter().all(|&n| {
        let element = diagram.element(n);
        !element.unlabelled && element.kind == first.kind && name(n) == first_name
    });
    let members: HashSet<NodeIndex> = inside.iter().copied().collect();
    alike
        && !links
            .iter()
            .any(|(from, to)| from != to && members.contains(from) && members.contains(to))
}

/// Most outside parties a box may hold for an arrow drawn to the box to stand for an arrow to
/// each of them (a lane of user channels); more, and the arrow is too vague to read.
const MAX_PARTIES_PER_BOX_END: usize = 6;

/// The elements an edge end lands on: the cell itself, an element holding it (an edge attached
/// to an icon's inner label), the single member of a boundary it was drawn to, or the outside
/// parties of a boundary that holds mostly outside parties (a lane of users' channels whose arrow
/// starts at the lane's edge: whichever of them sends, the target receives from outside; one
/// channel whose icon is not recognised does not make the lane the system's). Empty, with a
/// warning, when it lands on nothing that is an element.
#[allow(clippy::too_many_arguments)]
fn resolve_end(
    end: &str,
    index: &HashMap<&str, usize>,
    cells: &[Cell],
    roles: &[Role],
    node_of_cell: &HashMap<usize, NodeIndex>,
    boundary_of_cell: &HashMap<usize, usize>,
    members: &HashMap<usize, Vec<NodeIndex>>,
    links: &HashSet<(NodeIndex, NodeIndex)>,
    diagram: &Diagram,
    page: &str,
    edge: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<NodeIndex> {
    let at = || Location::Cell { page: page.to_string(), cell: Some(edge.to_string()), line: None };
    let Some(&start) = index.get(end) else {
        warnings.push(
            Diagnostic::new(format!("edge points to cell {end:?}, which does not exist"))
                .with_location(at())
                .with_help("reconnect the arrow to a shape in draw.io"),
        );
        return Vec::new();
    };
    if let Some(&boundary) = boundary_of_cell.get(&start) {
        let inside = members.get(&boundary).map(Vec::as_slice).unwrap_or_default();
        let name = &diagram.boundaries[boundary].label;
        if let [only] = inside {
            warnings.push(
                Diagnostic::new(format!(
                    "edge ends on boundary {name:?}, not on an element; it is attached to {:?}, the only element inside",
                    diagram.element(*only).id
                ))
                .with_location(at())
                .with_help("connect the arrow to the element itself"),
            );
            return vec![*only];
        }
        // A box named as someone else's ("External Systems", "Partner APIs") makes its members
        // that party's systems (the analysis settles their kind later), unless declared.
        let someone_elses = crate::model::vocabulary::zone_words()
            .third_party
            .longest_in(&crate::model::vocabulary::words(name))
            .is_some();
        let parties: Vec<NodeIndex> = inside
            .iter()
            .copied()
            .filter(|&n| {
                let element = diagram.element(n);
                element.kind == ElementKind::ExternalEntity
                    || (someone_elses
                        && element.kind == ElementKind::Process
                        && !crate::analysis::kind_is_declared(&element.inferred_from))
            })
            .collect();
        if parties.len() * 2 > inside.len() && parties.len() <= MAX_PARTIES_PER_BOX_END {
            let how = if parties.len() == inside.len() {
                "it holds only outside parties".to_string()
            } else {
                format!("{} of its {} members are outside parties", parties.len(), inside.len())
            };
            warnings.push(
                Diagnostic::new(format!(
                    "edge ends on boundary {name:?}, not on an element; {how}, so it is read as a flow with each of the {}",
                    parties.len()
                ))
                .with_location(at())
                .with_help("connect the arrow to the element it means"),
            );
            return parties;
        }
        if let Some(front) = sole_front(inside, links) {
            warnings.push(
                Diagnostic::new(format!(
                    "edge ends on boundary {name:?}, not on an element; it is attached to {:?}, the only one of its {} elements that none of the others sends to",
                    diagram.element(front).id,
                    inside.len()
                ))
                .with_location(at())
                .with_help("connect the arrow to the element itself"),
            );
            return vec![front];
        }
        if replicas(inside, links, diagram) {
            warnings.push(
                Diagnostic::new(format!(
                    "edge ends on boundary {name:?}, not on an element; its {} members are copies of one component, so it is read as a flow with each of them",
                    inside.len()
                ))
                .with_location(at())
                .with_help("connect the arrow to the element it means"),
            );
            return inside.to_vec();
        }
        warnings.push(
            Diagnostic::new(format!(
                "edge ends on boundary {name:?}, which holds {} elements, so it is not a data flow",
                inside.len()
            ))
            .with_location(at())
            .with_help("connect the arrow to the element it means"),
        );
        return Vec::new();
    }
    if let Some(node) = element_at(start, index, cells, node_of_cell) {
        return vec![node];
    }
    let what = match roles.get(start) {
        Some(Role::Text | Role::EdgeLabel) => "text",
        Some(Role::Edge | Role::BoundaryLine { .. }) => "another edge",
        _ => "a shape that is not a DFD element",
    };
    warnings.push(
        Diagnostic::new(format!("edge ends on {what} (cell {end:?}), so it is not a data flow"))
            .with_location(at())
            .with_help("connect the arrow to an external entity, process or data store"),
    );
    Vec::new()
}
