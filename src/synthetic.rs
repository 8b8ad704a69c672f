//! Synthetic data flow diagrams for benchmarks and property tests: N elements, about three flows
//! each, nested boundaries, a mix of kinds and technologies, deterministic from a seed.

use std::fmt::Write;

/// A tiny deterministic generator (SplitMix64): no dependency, same sequence everywhere.
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

const LABELS: &[&str] = &[
    "Orders Lambda",
    "API Gateway",
    "Customer",
    "Orders table DynamoDB",
    "Receipts S3 bucket",
    "Queue SQS",
    "Web server nginx",
    "Postgres DB",
    "Partner",
    "Auth service",
    "Redis cache",
    "Deploy pipeline",
];

/// DOT text for a diagram of `elements` elements and `3 × elements` flows, in about √elements
/// boundaries nested up to three deep; four in five flows stay inside their zone.
pub fn synthetic_dot(elements: usize, seed: u64) -> String {
    let mut rng = SplitMix::new(seed);
    let boundaries = ((elements as f64).sqrt() as usize).max(1);
    // Boundary b's parent: none for the first third, else an earlier boundary, at most 3 deep.
    let mut depth = vec![0usize; boundaries];
    let mut parent = vec![None; boundaries];
    for b in 1..boundaries {
        if b * 3 >= boundaries {
            let p = rng.below(b);
            if depth[p] < 2 {
                parent[b] = Some(p);
                depth[b] = depth[p] + 1;
            }
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); boundaries];
    let mut outside = Vec::new();
    for e in 0..elements {
        match rng.below(boundaries + 2) {
            b if b < boundaries => members[b].push(e),
            _ => outside.push(e),
        }
    }
    let mut out = String::with_capacity(elements * 120);
    let _ = writeln!(out, "digraph synthetic_{elements} {{");
    let node = |out: &mut String, e: usize, rng: &mut SplitMix, indent: usize| {
        let pad = "  ".repeat(indent);
        let label = LABELS[rng.below(LABELS.len())];
        let attrs = match rng.below(6) {
            0 => ", shape=cylinder, encrypted=true",
            1 => ", shape=box, kind=external",
            2 => ", protocol=https",
            _ => "",
        };
        let _ = writeln!(out, "{pad}n{e} [label=\"{label} {e}\"{attrs}];");
    };
    fn emit(
        out: &mut String,
        b: usize,
        indent: usize,
        parent: &[Option<usize>],
        members: &[Vec<usize>],
        rng: &mut SplitMix,
        node: &dyn Fn(&mut String, usize, &mut SplitMix, usize),
    ) {
        let pad = "  ".repeat(indent);
        let trust = if b.is_multiple_of(7) { "; trust=untrusted" } else { "" };
        let _ = writeln!(out, "{pad}subgraph cluster_{b} {{ label=\"Zone {b}\"{trust};");
        for &e in &members[b] {
            node(out, e, rng, indent + 1);
        }
        for child in (0..parent.len()).filter(|&c| parent[c] == Some(b)) {
            emit(out, child, indent + 1, parent, members, rng, node);
        }
        let _ = writeln!(out, "{pad}}}");
    }
    for b in (0..boundaries).filter(|&b| parent[b].is_none()) {
        emit(&mut out, b, 1, &parent, &members, &mut rng, &node);
    }
    for &e in &outside {
        node(&mut out, e, &mut rng, 1);
    }
    // Most flows stay inside their zone, as in real systems; one in five goes anywhere.
    let mut zone_of = vec![usize::MAX; elements];
    for (b, list) in members.iter().enumerate() {
        for &e in list {
            zone_of[e] = b;
        }
    }
    for (e, &zone) in zone_of.iter().enumerate() {
        for _ in 0..3 {
            let zone = members.get(zone).filter(|m| m.len() > 1);
            let to = match zone {
                Some(m) if rng.below(5) != 0 => m[rng.below(m.len())],
                _ => rng.below(elements),
            };
            let attrs = if rng.below(3) == 0 { " [label=\"data\", protocol=https]" } else { "" };
            let _ = writeln!(out, "  n{e} -> n{to}{attrs};");
        }
    }
    out.push_str("}\n");
    out
}

/// A draw.io file of about `cells` cells: half of them shapes (ellipses, cylinders, rectangles)
/// in a grid, dashed boundary rectangles drawn over blocks of the grid, and edges between
/// neighbours. `compressed` saves the page the way draw.io does (deflate, base64).
pub fn synthetic_drawio(cells: usize, seed: u64, compressed: bool) -> String {
    let mut rng = SplitMix::new(seed);
    let shapes = (cells / 2).max(1);
    let columns = (shapes as f64).sqrt().ceil() as usize;
    let block = 8; // grid cells per boundary side
    let mut xml = String::with_capacity(cells * 200);
    xml.push_str("<mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>");
    let rows = shapes.div_ceil(columns);
    let mut count = 0;
    for by in (0..rows).step_by(block) {
        for bx in (0..columns).step_by(block) {
            let _ = write!(
                xml,
                "<mxCell id=\"zone{bx}_{by}\" value=\"Zone {bx}/{by}\" style=\"rounded=0;dashed=1;fillColor=none;strokeColor=#FF3333;\" vertex=\"1\" parent=\"1\"><mxGeometry x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" as=\"geometry\"/></mxCell>",
                bx * 160 + 5,
                by * 120 + 5,
                block * 160 - 10,
                block * 120 - 10
            );
            count += 1;
        }
    }
    count += write_shapes(&mut xml, &mut rng, shapes, columns);
    write_edges(&mut xml, &mut rng, shapes, cells.saturating_sub(count));
    finish_drawio(xml, compressed)
}

/// A draw.io file of about `cells` cells for the boundary-containment paths: `regions` dashed,
/// unfilled rectangles (boundaries nested up to five deep over blocks of a grid of shapes, some
/// overlapping their neighbours), and the rest split about 4:5 between shapes and edges. A
/// quarter of the shapes are plain rectangles, which are boundary candidates too.
pub fn synthetic_drawio_regions(cells: usize, regions: usize, seed: u64) -> String {
    let mut rng = SplitMix::new(seed);
    let regions = regions.min(cells);
    let shapes = ((cells - regions) * 4 / 9).max(1);
    let columns = (shapes as f64).sqrt().ceil() as usize;
    let rows = shapes.div_ceil(columns);
    let mut xml = String::with_capacity(cells * 200);
    xml.push_str("<mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>");
    let mut written = 0;
    // Coarse levels first, so a truncated last level still leaves every level nested in the ones
    // above. At the finest level every third block also gets a box shifted by one grid cell,
    // overlapping its neighbours.
    'levels: for (block, shifted) in [(32, false), (16, false), (8, false), (4, false), (2, true)] {
        // Smaller blocks get wider margins, so each box sits strictly inside its parent's.
        let margin = 24.0 / block as f64;
        for by in (0..rows).step_by(block) {
            for bx in (0..columns).step_by(block) {
                let shifts: &[usize] =
                    if shifted && (bx / block + by / block) % 3 == 0 { &[0, 1] } else { &[0] };
                for &shift in shifts {
                    if written == regions {
                        break 'levels;
                    }
                    let _ = write!(
                        xml,
                        "<mxCell id=\"zone{block}_{bx}_{by}_{shift}\" value=\"Zone {bx}/{by}\" style=\"rounded=0;dashed=1;fillColor=none;strokeColor=#FF3333;\" vertex=\"1\" parent=\"1\"><mxGeometry x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" as=\"geometry\"/></mxCell>",
                        ((bx + shift) * 160) as f64 + margin,
                        ((by + shift) * 120) as f64 + margin,
                        (block * 160) as f64 - 2.0 * margin,
                        (block * 120) as f64 - 2.0 * margin
                    );
                    written += 1;
                }
            }
        }
    }
    let count = written + write_shapes(&mut xml, &mut rng, shapes, columns);
    write_edges(&mut xml, &mut rng, shapes, cells.saturating_sub(count));
    finish_drawio(xml, false)
}

/// Shapes in a grid of `columns` (ellipses, cylinders, rectangles); returns how many.
fn write_shapes(xml: &mut String, rng: &mut SplitMix, shapes: usize, columns: usize) -> usize {
    for i in 0..shapes {
        let (x, y) = ((i % columns) * 160 + 30, (i / columns) * 120 + 30);
        let style = match rng.below(4) {
            0 => "shape=cylinder3;whiteSpace=wrap;html=1;",
            1 => "rounded=0;whiteSpace=wrap;html=1;",
            _ => "ellipse;whiteSpace=wrap;html=1;",
        };
        let label = LABELS[rng.below(LABELS.len())];
        let _ = write!(
            xml,
            "<mxCell id=\"v{i}\" value=\"{label} {i}\" style=\"{style}\" vertex=\"1\" parent=\"1\"><mxGeometry x=\"{x}\" y=\"{y}\" width=\"100\" height=\"60\" as=\"geometry\"/></mxCell>"
        );
    }
    shapes
}

/// `edges` edges between shapes, most of them to a near neighbour.
fn write_edges(xml: &mut String, rng: &mut SplitMix, shapes: usize, edges: usize) {
    for e in 0..edges {
        let from = rng.below(shapes);
        let to = if rng.below(4) == 0 {
            rng.below(shapes)
        } else {
            (from + 1 + rng.below(3)).min(shapes - 1)
        };
        let _ = write!(
            xml,
            "<mxCell id=\"e{e}\" value=\"data\" style=\"edgeStyle=orthogonalEdgeStyle;html=1;\" edge=\"1\" parent=\"1\" source=\"v{from}\" target=\"v{to}\"><mxGeometry relative=\"1\" as=\"geometry\"/></mxCell>"
        );
    }
}

/// Closes the page and wraps it in a file, compressed as draw.io does when asked.
fn finish_drawio(mut xml: String, compressed: bool) -> String {
    xml.push_str("</root></mxGraphModel>");
    let page = if compressed { compress_page(&xml) } else { xml };
    format!("<mxfile><diagram id=\"synthetic\" name=\"synthetic\">{page}</diagram></mxfile>\n")
}

/// A page as draw.io compresses it: URI-encoded, raw deflate, base64.
fn compress_page(xml: &str) -> String {
    use base64::Engine;
    use std::io::Write as _;
    let encoded =
        percent_encoding::utf8_percent_encode(xml, percent_encoding::NON_ALPHANUMERIC).to_string();
    let mut deflate =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = deflate.write_all(encoded.as_bytes());
    let bytes = deflate.finish().unwrap_or_default();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_sized() {
        let a = synthetic_dot(100, 7);
        assert_eq!(a, synthetic_dot(100, 7));
        assert_ne!(a, synthetic_dot(100, 8));
        assert_eq!(a.matches(" -> ").count(), 300);
        assert_eq!(a.matches("subgraph cluster_").count(), 10);
    }

    #[test]
    fn drawio_plain_and_compressed_read_the_same() {
        use crate::import::{import, ImportOptions};
        let plain = synthetic_drawio(400, 3, false);
        let compressed = synthetic_drawio(400, 3, true);
        assert!(compressed.len() < plain.len());
        let a = import("a.drawio", plain.as_bytes(), &ImportOptions::default())
            .map_err(|e| e.to_string());
        let b = import("b.drawio", compressed.as_bytes(), &ImportOptions::default())
            .map_err(|e| e.to_string());
        let (Ok(a), Ok(b)) = (a, b) else { panic!("synthetic draw.io does not import") };
        assert_eq!(a.diagrams[0].element_count(), b.diagrams[0].element_count());
        assert_eq!(a.diagrams[0].flow_count(), b.diagrams[0].flow_count());
        assert!(a.diagrams[0].element_count() >= 150);
        assert!(!a.diagrams[0].boundaries.is_empty());
    }
}
