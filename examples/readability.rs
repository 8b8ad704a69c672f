//! How big the annotated SVG's text is once the picture is scaled to a given width (900 px by
//! default: a README column or a laptop window), so "readable" is a number:
//! `cargo run --release --example readability -- diagrams/*.dot` (`READABILITY_WIDTH=700` for
//! another width).
//!
//! Reads the SVG the binary writes (`dfd_threats::export::svg::render_diagram`), takes its
//! `width`, and the smallest font size of each kind of text: element labels (text inside an
//! `el-…` group that takes the group's size: tags such as ACTOR say their own), flow labels (text
//! outside elements and zones that takes its group's size) and badges (text in a bold group
//! holding a disc). Each is printed as drawn and as it shows at the chosen width.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One open SVG element: what the texts inside it need to know.
#[derive(Clone, Default)]
struct Frame {
    font: Option<f64>,
    in_element: bool,
    in_zone: bool,
    bold_group: bool,
}

#[derive(Default)]
struct Sizes {
    width: f64,
    element: Option<f64>,
    label: Option<f64>,
    badge: Option<f64>,
}

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: readability FILE...");
        std::process::exit(2);
    }
    let target = std::env::var("READABILITY_WIDTH").ok().and_then(|w| w.parse::<f64>().ok());
    let target = target.filter(|w| *w > 0.0).unwrap_or(900.0);
    println!(
        "{:<60} {:>6} {:>15} {:>15} {:>15}",
        "file", "width", "element px", "flow label px", "badge px"
    );
    for file in &files {
        let Some(svg) = render(file) else {
            println!("{file:<60} (not read)");
            continue;
        };
        let sizes = measure(&svg);
        let scale = if sizes.width > target { target / sizes.width } else { 1.0 };
        let show = |px: Option<f64>| {
            px.map_or_else(|| "-".to_string(), |px| format!("{px:.1} -> {:.1}", px * scale))
        };
        let name = if file.len() > 60 { &file[file.len() - 60..] } else { file.as_str() };
        println!(
            "{name:<60} {:>6.0} {:>15} {:>15} {:>15}",
            sizes.width,
            show(sizes.element),
            show(sizes.label),
            show(sizes.badge)
        );
    }
}

/// The annotated SVG of the file's first diagram, as `analyze -f svg` writes it.
fn render(file: &str) -> Option<String> {
    let bytes = std::fs::read(file).ok()?;
    let catalog = dfd_threats::threats::Catalog::builtin().ok()?;
    let options = dfd_threats::import::ImportOptions::default();
    let analysed = dfd_threats::pipeline::run(file, &bytes, &options, &catalog).ok()?;
    if analysed.document.diagrams.is_empty() {
        return None;
    }
    Some(dfd_threats::export::svg::render_diagram(&analysed.report(&catalog), 0))
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == key).map(|a| a.value.to_string())
}

fn smallest(slot: &mut Option<f64>, px: f64) {
    *slot = Some(slot.map_or(px, |s| s.min(px)));
}

fn measure(svg: &str) -> Sizes {
    let mut reader = Reader::from_str(svg);
    let mut stack: Vec<Frame> = vec![Frame::default()];
    let mut sizes = Sizes::default();
    loop {
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(_)) => {
                stack.pop();
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        let parent = stack.last().cloned().unwrap_or_default();
        let name = e.name().as_ref().to_string();
        let own_font = attr(&e, "font-size").and_then(|f| f.parse::<f64>().ok());
        let id = attr(&e, "id").unwrap_or_default();
        if name == "svg" && sizes.width == 0.0 {
            sizes.width = attr(&e, "width").and_then(|w| w.parse().ok()).unwrap_or(0.0);
        }
        let frame = Frame {
            font: own_font.or(parent.font),
            in_element: parent.in_element || id.starts_with("el-"),
            in_zone: parent.in_zone || id.starts_with("zone-"),
            bold_group: parent.bold_group
                || (name == "g" && attr(&e, "font-weight").as_deref() == Some("bold")),
        };
        if name == "text" {
            if let Some(px) = frame.font {
                if frame.bold_group {
                    smallest(&mut sizes.badge, px);
                } else if own_font.is_none() && frame.in_element {
                    smallest(&mut sizes.element, px);
                } else if own_font.is_none() && !frame.in_zone {
                    smallest(&mut sizes.label, px);
                }
            }
        }
        if !empty {
            stack.push(frame);
        }
    }
    sizes
}
