//! The annotated SVG: every example renders to well-formed SVG that shows every label, with
//! unique ids, byte-identical on reruns; hostile labels come out as harmless text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use dfd_threats::export::svg::{render, render_diagram};
use dfd_threats::import::ImportOptions;
use dfd_threats::pipeline::{run, Analysed};
use dfd_threats::threats::Catalog;
use quick_xml::events::Event;
use quick_xml::Reader;

const EXAMPLES: &[&str] = &[
    "diagrams/serverless-orders.dot",
    "diagrams/serverless-orders.drawio",
    "diagrams/three-tier-web.dot",
    "diagrams/three-tier-web.drawio",
];

fn analyse(path: &str, bytes: &[u8]) -> (Analysed, Catalog) {
    let catalog = Catalog::builtin().unwrap();
    let analysed = run(path, bytes, &ImportOptions::default(), &catalog).unwrap();
    (analysed, catalog)
}

fn render_bytes(path: &str, bytes: &[u8]) -> (Analysed, Vec<(String, String)>) {
    let (analysed, catalog) = analyse(path, bytes);
    let pages = render(&analysed.report(&catalog));
    (analysed, pages)
}

fn example(path: &str) -> (Analysed, Vec<(String, String)>) {
    let bytes = std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    render_bytes(path, &bytes)
}

/// What a parsed SVG holds.
#[derive(Debug, Default)]
struct Parsed {
    /// Text of `<text>`/`<tspan>` elements, one line per text node.
    visible: String,
    /// Text of `<title>` elements.
    titles: Vec<String>,
    ids: Vec<String>,
    tags: BTreeSet<String>,
    attributes: Vec<(String, String)>,
}

fn unescape(raw: &str) -> String {
    raw.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#10;", "\n")
        .replace("&#9;", "\t")
        .replace("&amp;", "&")
}

fn entity(name: &str) -> String {
    match name {
        "lt" => "<".into(),
        "gt" => ">".into(),
        "amp" => "&".into(),
        "quot" => "\"".into(),
        "apos" | "#39" => "'".into(),
        "#10" => "\n".into(),
        "#9" => "\t".into(),
        other => panic!("unexpected entity &{other};"),
    }
}

/// Parses with quick-xml, failing the test on malformed XML.
fn parse(svg: &str) -> Parsed {
    let mut reader = Reader::from_str(svg);
    let mut parsed = Parsed::default();
    let mut stack: Vec<String> = Vec::new();
    let mut title = String::new();
    loop {
        let event = reader.read_event().unwrap_or_else(|e| panic!("malformed SVG: {e}\n{svg}"));
        let start = |e: &quick_xml::events::BytesStart<'_>, parsed: &mut Parsed| {
            let name = e.name().as_ref().to_string();
            parsed.tags.insert(name.clone());
            for a in e.attributes() {
                let a = a.expect("well-formed attribute");
                let key = a.key.as_ref().to_string();
                let value = unescape(&a.value);
                if key == "id" {
                    parsed.ids.push(value.clone());
                }
                parsed.attributes.push((key, value));
            }
            name
        };
        match event {
            Event::Start(e) => {
                let name = start(&e, &mut parsed);
                stack.push(name);
            }
            Event::Empty(e) => {
                start(&e, &mut parsed);
            }
            Event::End(_) => match stack.pop().as_deref() {
                Some("title") => parsed.titles.push(std::mem::take(&mut title)),
                // One line per text element, so words of different lines stay apart.
                Some("text" | "tspan") => parsed.visible.push('\n'),
                _ => {}
            },
            Event::Text(t) => {
                let text = t.as_ref().to_string();
                match stack.last().map(String::as_str) {
                    Some("title") => title.push_str(&text),
                    Some("text" | "tspan") => parsed.visible.push_str(&text),
                    _ => assert!(text.trim().is_empty(), "stray text {text:?}"),
                }
            }
            Event::GeneralRef(r) => {
                let text = entity(r.as_ref());
                match stack.last().map(String::as_str) {
                    Some("title") => title.push_str(&text),
                    _ => parsed.visible.push_str(&text),
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::CData(_) | Event::PI(_) | Event::DocType(_) => {
                panic!("unexpected markup")
            }
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    parsed
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

#[test]
fn examples_are_well_formed_and_show_every_label() {
    for path in EXAMPLES {
        let (analysed, pages) = example(path);
        assert_eq!(pages.len(), analysed.document.diagrams.len());
        for ((name, svg), diagram) in pages.iter().zip(&analysed.document.diagrams) {
            assert_eq!(name, &diagram.name);
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{path}");
            assert!(svg.contains(" viewBox=\"0 0 "));
            let parsed = parse(svg);
            let visible_words: BTreeSet<&str> = words(&parsed.visible).into_iter().collect();
            let titles = parsed.titles.join("\n");
            let labels = diagram
                .graph
                .node_weights()
                .map(|e| &e.label)
                .chain(diagram.graph.edge_weights().map(|f| &f.label));
            for label in labels {
                for word in words(label) {
                    assert!(
                        visible_words.contains(word),
                        "{path}: {word:?} of {label:?} not shown"
                    );
                }
                assert!(
                    titles.contains(&words(label).join(" ")),
                    "{path}: {label:?} not in a tooltip"
                );
            }
            for e in diagram.graph.node_weights() {
                let id = format!("el-{}", e.id);
                assert!(parsed.ids.contains(&id), "{path}: no {id}");
            }
        }
    }
}

#[test]
fn ids_are_unique_and_safe() {
    for path in EXAMPLES {
        for (_, svg) in example(path).1 {
            let parsed = parse(&svg);
            let unique: BTreeSet<&String> = parsed.ids.iter().collect();
            assert_eq!(unique.len(), parsed.ids.len(), "{path}: duplicate ids");
            for id in &parsed.ids {
                // The diagram's own things, and our fixed arrowhead definitions.
                assert!(
                    ["el-", "flow-", "zone-"].iter().any(|p| id.starts_with(p))
                        || OUR_IDS.contains(&id.as_str()),
                    "{id}"
                );
                assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
            }
        }
    }
}

#[test]
fn reruns_are_byte_identical() {
    for path in EXAMPLES {
        assert_eq!(example(path).1, example(path).1, "{path}");
    }
}

#[test]
fn render_diagram_matches_render_and_tolerates_bad_indices() {
    let bytes =
        std::fs::read(format!("{}/diagrams/three-tier-web.dot", env!("CARGO_MANIFEST_DIR")))
            .unwrap();
    let (analysed, catalog) = analyse("three-tier-web.dot", &bytes);
    let report = analysed.report(&catalog);
    assert_eq!(render_diagram(&report, 0), render(&report)[0].1);
    parse(&render_diagram(&report, 99));
}

#[test]
fn snapshots() {
    for path in EXAMPLES {
        let name = path.rsplit('/').next().unwrap();
        for (_, svg) in example(path).1 {
            insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
                insta::assert_snapshot!(format!("{name}.svg"), svg)
            });
        }
    }
}

/// Ids the SVG defines for itself (arrowheads), the only targets of its `url(#...)` references.
const OUR_IDS: [&str; 2] = ["dfd-threats-arrow", "dfd-threats-arrow-crossing"];

/// An `<image>`'s only allowed source: a PNG, JPEG or GIF inline as plain base64.
fn safe_picture(key: &str, value: &str) -> bool {
    let data = ["png", "jpeg", "gif"]
        .iter()
        .find_map(|kind| value.strip_prefix(&format!("data:image/{kind};base64,")));
    key == "href"
        && data.is_some_and(|d| d.chars().all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c)))
}

/// Nothing in the SVG can run, link or style: no such elements, no event handlers, no links
/// (an embedded raster picture is not one), and `url(...)` only for our own arrowheads.
fn assert_harmless(svg: &str) -> Parsed {
    let parsed = parse(svg);
    for tag in ["script", "foreignObject", "a", "style", "iframe", "use", "img"] {
        assert!(!parsed.tags.contains(tag), "<{tag}> in output");
    }
    for (key, value) in &parsed.attributes {
        let key = key.to_ascii_lowercase();
        assert!(!key.starts_with("on"), "event handler {key}={value:?}");
        let link = key.contains("href") && !safe_picture(&key, value);
        assert!(!link && key != "style" && key != "class", "{key}={value:?}");
        assert!(!value.contains("javascript:"), "{key}={value:?}");
        if value.contains("url(") {
            assert!(
                key == "marker-end" && OUR_IDS.iter().any(|id| *value == format!("url(#{id})")),
                "{key}={value:?}"
            );
        }
    }
    let lower = svg.to_ascii_lowercase();
    // Escaped as text, `onerror=` may appear; as markup, never.
    assert!(!lower.contains("<script") && !lower.contains("<img") && !lower.contains("<svg/"));
    parsed
}

const HOSTILE_DOT: &str = r##"digraph "x<script>alert(1)</script>" {
    label = "</title><script>alert(1)</script>";
    subgraph cluster_z { label = "<b onmouseover=alert(1)>zone</b>"; color = "red;stroke:url(javascript:alert(1))";
        a [label = "<img src=x onerror=alert(1)>", URL = "javascript:alert(1)", href = "javascript:alert(1)", tooltip = "\"><script>alert(1)</script>", fillcolor = "#ff0000\" onload=\"alert(1)", kind = external];
    }
    b [label = "\"><script>alert(1)</script>", id = "\"><svg onload=alert(1)>"];
    "id with spaces & <brackets>" [label = "it's <fine> & \"quoted\""];
    a -> b [label = "javascript:alert(1)", URL = "javascript:alert(1)"];
    b -> "id with spaces & <brackets>" [label = "'><svg/onload=alert(1)>"];
}"##;

#[test]
fn hostile_labels_are_harmless_text() {
    let (_, pages) = render_bytes("hostile.dot", HOSTILE_DOT.as_bytes());
    for (_, svg) in pages {
        let parsed = assert_harmless(&svg);
        let titles = parsed.titles.join("\n");
        assert!(titles.contains("<img src=x onerror=alert(1)>"), "label shown as text");
        assert!(titles.contains("\"><script>alert(1)</script>"));
        assert!(parsed.visible.contains("<img"), "label visible as text");
        assert!(parsed.visible.contains("it's <fine> & \"quoted\""));
    }
}

#[test]
fn hostile_drawio_is_harmless() {
    let drawio = r##"<mxfile><diagram name="p&lt;script&gt;"><mxGraphModel><root>
<mxCell id="0"/><mxCell id="1" parent="0"/>
<object label="&lt;img src=x onerror=alert(1)&gt;" link="javascript:alert(1)" tooltip="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" id="a&quot;b">
  <mxCell style="rounded=0;fillColor=url(#x);strokeColor=#12345g;" vertex="1" parent="1"><mxGeometry x="10" y="10" width="120" height="60" as="geometry"/></mxCell></object>
<mxCell id="b" value="&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;" style="shape=cylinder3;fillColor=#ffffff" vertex="1" parent="1"><mxGeometry x="300" y="10" width="120" height="60" as="geometry"/></mxCell>
<mxCell id="e" value="x&#x9;y" style="endArrow=classic;" edge="1" parent="1" source="a&quot;b" target="b"><mxGeometry relative="1" as="geometry"/></mxCell>
<mxCell id="er" style="edgeStyle=entityRelationEdgeStyle;segment=1e308;exitX=NaN;exitY=inf;" edge="1" parent="1" source="b" target="s"><mxGeometry relative="1" as="geometry"/></mxCell>
<mxCell id="el" style="edgeStyle=elbowEdgeStyle;elbow=vertical;direction=north;" edge="1" parent="1" source="s" target="p"><mxGeometry relative="1" as="geometry"><Array as="points"><mxPoint x="NaN" y="1e300"/></Array></mxGeometry></mxCell>
<mxCell id="sg" style="edgeStyle=orthogonalEdgeStyle;entryX=-1e9;entryY=0;" edge="1" parent="1" source="p" target="s"><mxGeometry relative="1" as="geometry"><Array as="points"><mxPoint x="5" y="5"/><mxPoint x="5" y="5"/><mxPoint x="-1e12" y="7"/></Array></mxGeometry></mxCell>
<mxCell id="s" value="svg" style="shape=image;image=data:image/svg+xml,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+;" vertex="1" parent="1"><mxGeometry x="10" y="200" width="40" height="40" as="geometry"/></mxCell>
<mxCell id="f" value="fake" style="shape=image;image=data:image/png,&quot;/&gt;&lt;script&gt;alert(1)&lt;/script&gt;;" vertex="1" parent="1"><mxGeometry x="60" y="200" width="40" height="40" as="geometry"/></mxCell>
<mxCell id="p" value="png" style="shape=image;image=data:image/png,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==;" vertex="1" parent="1"><mxGeometry x="110" y="200" width="40" height="40" as="geometry"/></mxCell>
<mxCell id="t" value="&lt;table border=&quot;1&quot; style=&quot;border: 1px solid red;x:url(javascript:alert(1))&quot;&gt;&lt;tr style=&quot;background-color: url(#x)&quot;&gt;&lt;td onclick=&quot;alert(1)&quot;&gt;&lt;b&gt;a&lt;/b&gt; &amp;lt;script&amp;gt;&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;hr&gt;" style="text;html=1;" vertex="1" parent="1"><mxGeometry x="200" y="200" width="120" height="60" as="geometry"/></mxCell>
</root></mxGraphModel></diagram></mxfile>"##;
    let (_, pages) = render_bytes("hostile.drawio", drawio.as_bytes());
    assert!(!pages.is_empty());
    for (_, svg) in pages {
        let parsed = assert_harmless(&svg);
        // The checked PNG is drawn, once; the SVG and the fake PNG are not.
        assert_eq!(svg.matches("<image ").count(), 1, "{svg}");
        assert!(parsed.visible.contains("<script>"), "table text shown as text");
    }
}

#[test]
fn control_characters_and_huge_labels_stay_well_formed() {
    let long = "W".repeat(10_000);
    let dot = format!(
        "digraph g {{ a [label = \"bell\u{7}esc\u{1b}nul\u{1}del\u{7f}\"]; b [label = \"{long}\"]; a -> b [label = \"{long}\"]; }}"
    );
    let (_, pages) = render_bytes("controls.dot", dot.as_bytes());
    for (_, svg) in pages {
        assert!(!svg.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        let parsed = assert_harmless(&svg);
        assert!(parsed.visible.contains("bellescnuldel"));
        assert!(parsed.visible.contains('…'), "long labels are cut");
        assert!(!parsed.visible.contains(&"W".repeat(200)));
        assert!(svg.len() < 60_000, "a long label must not blow up the page: {}", svg.len());
    }
}

#[test]
fn empty_and_odd_diagrams_render() {
    for dot in [
        "digraph empty {}",
        "digraph lonely { subgraph cluster_x { label = \"nobody home\" } }",
        "digraph selfloop { a -> a; a -> a; }",
    ] {
        let (_, pages) = render_bytes("odd.dot", dot.as_bytes());
        for (_, svg) in pages {
            assert_harmless(&svg);
        }
    }
}

fn analyze(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .arg("analyze")
        .args(args)
        .output()
        .unwrap()
}

/// `-o FILE` streams the picture into the file: the bytes are those of standard output and of
/// the in-memory renderer.
#[test]
fn the_streamed_file_is_the_rendered_picture() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.svg");
    let input = format!("{}/diagrams/three-tier-web.dot", env!("CARGO_MANIFEST_DIR"));
    let svg = std::ffi::OsStr::new("svg");
    let (input, f, o) = (std::ffi::OsStr::new(&input), "-f".as_ref(), "-o".as_ref());
    let written = analyze(&[input, f, svg, o, file.as_os_str()]);
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    let printed = analyze(&[input, f, svg]);
    let file_bytes = std::fs::read(&file).unwrap();
    assert_eq!(file_bytes, printed.stdout);
    let (_, pages) = example("diagrams/three-tier-web.dot");
    assert_eq!(String::from_utf8(file_bytes).unwrap(), pages[0].1);
}

/// A folder that does not exist: exit code 2 and a message naming the file, nothing written.
#[test]
fn an_unwritable_picture_path_fails_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("missing/out.svg");
    let input = format!("{}/diagrams/three-tier-web.dot", env!("CARGO_MANIFEST_DIR"));
    let out =
        analyze(&[input.as_ref(), "-f".as_ref(), "svg".as_ref(), "-o".as_ref(), file.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}: cannot write", file.display())), "{stderr}");
    assert!(!file.exists());
}

/// The 1,000-element synthetic diagram of the benchmarks, through the binary with the default
/// `--svg-details summary`: the picture's size is deterministic, so it is held to a bound (it was
/// 3.6 MB before flow lines became relative paths; see BENCHMARKS.md; 3.10 MB since flows between
/// two of its ten zones are turned together, as Graphviz turns them between clusters; 2.61 MB
/// since summary tooltips say each fact once and groups say what their children share; 2.15 MB
/// since long flows are lined up straight, as Graphviz draws them; 1.91 MB since the summary
/// names the worst open threat by its rule). Issue 12's bound: 2 MB.
#[test]
fn a_thousand_element_picture_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("b1k.dot");
    std::fs::write(&input, dfd_threats::synthetic::synthetic_dot(1000, 42)).unwrap();
    let file = dir.path().join("b1k.svg");
    let out = analyze(&[
        input.as_os_str(),
        "-f".as_ref(),
        "svg".as_ref(),
        "-o".as_ref(),
        file.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = std::fs::read_to_string(&file).unwrap();
    parse(&svg);
    assert!(svg.len() < 2_000_000, "{} bytes", svg.len());
}
