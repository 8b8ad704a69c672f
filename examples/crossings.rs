//! Counts edge crossings of our layout and of Graphviz's for the same DOT files, so a layout
//! change can be judged by a number rather than by eye:
//! `cargo run --release --example crossings -- diagrams/*.dot` (or `just crossings`).
//!
//! Our side is the layout the SVG draws (`dfd_threats::layout`); Graphviz's side is `dot -Tjson`
//! of the same file (Graphviz must be on PATH). Both are counted the same way: each flow as a
//! polyline (Graphviz's Bézier splines sampled at 8 points per piece), one crossing for every
//! proper intersection of two segments of two different flows (touching ends do not count).
//! `shared` is the length, in px, that two different flows run along the same line.
//! A file whose DOT has `pos` is drawn from its own geometry (`file` in the table) and held
//! against the same positions and splines as Graphviz draws them (`neato -n2`).
//! With `CROSSINGS_SVG_DIR=DIR` set, our annotated SVG of each file is also written there, to
//! look at beside `dot -Tpng`. With `CROSSINGS_TIME_ONLY=1`, only the time our layout takes is
//! printed (best of three), for inputs too big for Graphviz.

use std::process::Command;

type P = (f64, f64);

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: crossings FILE.dot...");
        std::process::exit(2);
    }
    println!(
        "{:<60} {:>6} {:>6} {:>9} {:>6} {:>7} {:>6} {:>6}",
        "file", "flows", "ours", "graphviz", "ratio", "shared", "width", "layout"
    );
    if std::env::var_os("CROSSINGS_TIME_ONLY").is_some() {
        files.iter().for_each(|f| time_layout(f));
        return;
    }
    let (mut ours_total, mut theirs_total) = (0usize, 0usize);
    for file in &files {
        let Some(ours) = our_paths(file) else {
            println!("{file:<60} (not read)");
            continue;
        };
        let Some(theirs) = graphviz_paths(file, ours.origin == "file") else {
            println!("{file:<60} (graphviz failed)");
            continue;
        };
        if let Some(dir) = std::env::var_os("CROSSINGS_SVG_DIR") {
            write_svg(file, std::path::Path::new(&dir));
        }
        let (a, b) = (crossings(&ours.paths), crossings(&theirs));
        ours_total += a;
        theirs_total += b;
        let ratio = if b == 0 {
            if a == 0 {
                "1.00".to_string()
            } else {
                "inf".to_string()
            }
        } else {
            format!("{:.2}", a as f64 / b as f64)
        };
        let name = if file.len() > 60 { &file[file.len() - 60..] } else { file.as_str() };
        println!(
            "{name:<60} {:>6} {a:>6} {b:>9} {ratio:>6} {:>7.0} {:>6.0} {:>6}",
            ours.paths.len(),
            shared_length(&ours.paths),
            ours.width,
            ours.origin
        );
    }
    let ratio = if theirs_total == 0 { 0.0 } else { ours_total as f64 / theirs_total as f64 };
    println!("total: ours {ours_total}, graphviz {theirs_total}, ratio {ratio:.2}");
}

/// Prints the best of three times of laying out `file` (import not included).
fn time_layout(file: &str) {
    let Ok(bytes) = std::fs::read(file) else { return };
    let options = dfd_threats::import::ImportOptions::default();
    let Ok(document) = dfd_threats::import::import(file, &bytes, &options) else { return };
    let Some(diagram) = document.diagrams.first() else { return };
    let best = (0..3)
        .map(|_| {
            let start = std::time::Instant::now();
            let layout = dfd_threats::layout::layout(diagram);
            std::hint::black_box(layout);
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    println!("{file}: layout {:.0} ms", best * 1000.0);
}

struct Ours {
    paths: Vec<Vec<P>>,
    width: f64,
    origin: &'static str,
}

fn our_paths(file: &str) -> Option<Ours> {
    let bytes = std::fs::read(file).ok()?;
    let options = dfd_threats::import::ImportOptions::default();
    let document = dfd_threats::import::import(file, &bytes, &options).ok()?;
    let diagram = document.diagrams.first()?;
    let layout = dfd_threats::layout::layout(diagram);
    let origin = match layout.origin {
        dfd_threats::layout::LayoutOrigin::FromFile => "file",
        dfd_threats::layout::LayoutOrigin::Computed => "ours",
    };
    let mut paths: Vec<Vec<P>> =
        layout.flows.iter().map(|f| f.iter().map(|p| (p.x, p.y)).collect()).collect();
    // A DOT edge with arrows at both ends is read as two flows along one line: counted once, as
    // Graphviz draws (and counts) it once.
    let mut seen = std::collections::BTreeSet::new();
    paths.retain(|path| {
        let mut key: Vec<(i64, i64)> =
            path.iter().map(|&(x, y)| ((x * 10.0) as i64, (y * 10.0) as i64)).collect();
        let mut reversed = key.clone();
        reversed.reverse();
        key = key.min(reversed);
        seen.insert(key)
    });
    Some(Ours { paths, width: layout.bounds.width, origin })
}

/// Our annotated SVG of `file`, as `--format svg` writes it, into `dir`.
fn write_svg(file: &str, dir: &std::path::Path) {
    let Ok(bytes) = std::fs::read(file) else { return };
    let Ok(catalog) = dfd_threats::threats::Catalog::builtin() else { return };
    let options = dfd_threats::import::ImportOptions::default();
    let Ok(analysed) = dfd_threats::pipeline::run(file, &bytes, &options, &catalog) else {
        return;
    };
    if analysed.document.diagrams.is_empty() {
        return;
    }
    let svg = dfd_threats::export::svg::render_diagram(&analysed.report(&catalog), 0);
    let name = std::path::Path::new(file)
        .file_name()
        .map_or_else(|| "diagram".to_string(), |n| n.to_string_lossy().into_owned());
    let _ = std::fs::write(dir.join(format!("{name}.svg")), svg);
}

/// Every edge's spline from `dot -Tjson`, as a polyline.
/// Graphviz's edges: `dot`'s layout, or for a file that is already laid out (we draw it from its
/// own geometry), the file's own positions and splines as `neato -n2` keeps them.
fn graphviz_paths(file: &str, laid_out: bool) -> Option<Vec<Vec<P>>> {
    let (program, args) = if laid_out {
        ("neato", vec!["-n2", "-Tjson", file])
    } else {
        ("dot", vec!["-Tjson", file])
    };
    let out = Command::new(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let edges = json.get("edges")?.as_array()?;
    let mut paths = Vec::new();
    for edge in edges {
        let mut path: Vec<P> = Vec::new();
        for op in edge.get("_draw_").and_then(|d| d.as_array()).into_iter().flatten() {
            let kind = op.get("op").and_then(|o| o.as_str()).unwrap_or("");
            if kind != "b" && kind != "B" {
                continue;
            }
            let points: Vec<P> = op
                .get("points")
                .and_then(|p| p.as_array())
                .into_iter()
                .flatten()
                .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                .collect();
            path.extend(sample_bezier(&points));
        }
        paths.push(path);
    }
    Some(paths)
}

/// Samples a piecewise cubic Bézier (3k+1 control points).
fn sample_bezier(control: &[P]) -> Vec<P> {
    let mut out = Vec::new();
    if let Some(&first) = control.first() {
        out.push(first);
    }
    let mut i = 0;
    while i + 3 < control.len() {
        let (p0, p1, p2, p3) = (control[i], control[i + 1], control[i + 2], control[i + 3]);
        for step in 1..=8 {
            let t = f64::from(step) / 8.0;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            out.push((
                a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
                a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
            ));
        }
        i += 3;
    }
    out
}

fn segments(paths: &[Vec<P>]) -> Vec<(usize, P, P)> {
    let mut segs = Vec::new();
    for (e, path) in paths.iter().enumerate() {
        for w in path.windows(2) {
            if w[0] != w[1] {
                segs.push((e, w[0], w[1]));
            }
        }
    }
    // Sweep by left end so only segments whose x-ranges overlap are compared.
    segs.sort_by(|a, b| a.1 .0.min(a.2 .0).total_cmp(&b.1 .0.min(b.2 .0)));
    segs
}

fn cross(o: P, a: P, b: P) -> f64 {
    (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
}

/// Pairs of segments of different flows whose x-ranges overlap.
fn close_pairs(paths: &[Vec<P>], mut visit: impl FnMut((P, P), (P, P))) {
    let segs = segments(paths);
    for (i, &(e1, a, b)) in segs.iter().enumerate() {
        let right = a.0.max(b.0);
        for &(e2, c, d) in &segs[i + 1..] {
            if c.0.min(d.0) > right {
                break;
            }
            if e1 != e2 {
                visit((a, b), (c, d));
            }
        }
    }
}

/// Proper intersections between segments of different flows.
fn crossings(paths: &[Vec<P>]) -> usize {
    let mut count = 0;
    close_pairs(paths, |(a, b), (c, d)| {
        let eps = 1e-6;
        let (d1, d2) = (cross(c, d, a), cross(c, d, b));
        let (d3, d4) = (cross(a, b, c), cross(a, b, d));
        if ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps))
            && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps))
        {
            count += 1;
        }
    });
    count
}

/// Length along which segments of different flows lie on one line (within half a pixel).
fn shared_length(paths: &[Vec<P>]) -> f64 {
    let mut total = 0.0;
    close_pairs(paths, |(a, b), (c, d)| {
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        if len == 0.0 {
            return;
        }
        let distance = |p: P| cross(a, b, p).abs() / len;
        if distance(c) > 0.5 || distance(d) > 0.5 {
            return;
        }
        let along = |p: P| ((p.0 - a.0) * (b.0 - a.0) + (p.1 - a.1) * (b.1 - a.1)) / len;
        let (t1, t2) = (along(c), along(d));
        let overlap = t1.max(t2).min(len) - t1.min(t2).max(0.0);
        if overlap > 0.0 {
            total += overlap;
        }
    });
    total
}
