//! Hostile inputs, generated here rather than committed: each ends in exit 2 with a message, or in
//! a correct result, in bounded time and memory, and never smuggles content into the outputs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use base64::Engine;

use crate::common;

fn analyze(dir: &Path, name: &str, bytes: &[u8], extra: &[&str]) -> (Output, Duration) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .args(["analyze", path.to_str().unwrap(), "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    (output, started.elapsed())
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Raw deflate, base64: a compressed draw.io page.
fn compress_page(xml: &str) -> String {
    let encoded: String =
        percent_encoding::utf8_percent_encode(xml, percent_encoding::NON_ALPHANUMERIC).to_string();
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    deflate.write_all(encoded.as_bytes()).unwrap();
    base64::engine::general_purpose::STANDARD.encode(deflate.finish().unwrap())
}

/// Asserts the input was refused cleanly: exit 2, a message naming the file, no panic.
fn refused(o: &Output, name: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{name}: {err}");
    assert!(err.contains(name), "{name}: the message names the file: {err}");
    assert!(!err.contains("panicked"), "{name}: {err}");
}

/// Asserts the input was accepted and gave valid JSON.
fn accepted(o: &Output, name: &str) -> serde_json::Value {
    assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A guard against hangs, not a performance figure (those are in BENCHMARKS.md): a hostile input
/// that loops never ends, so a bound far above any normal run, even on a loaded CI machine,
/// catches it without ever failing a slow but finite run.
const BOUND: Duration = Duration::from_secs(120);

#[test]
fn deflate_bomb_stops_at_the_inflation_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 256 MiB of zeros compresses to about 256 KiB; inflating must stop at the 64 MiB budget.
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..256 {
        deflate.write_all(&zeros).unwrap();
    }
    let page = base64::engine::general_purpose::STANDARD.encode(deflate.finish().unwrap());
    let file = format!("<mxfile><diagram name=\"bomb\">{page}</diagram></mxfile>");
    let (o, took) = analyze(dir.path(), "bomb.drawio", file.as_bytes(), &[]);
    refused(&o, "bomb.drawio");
    assert!(
        stderr(&o).contains("max-inflated-bytes") || stderr(&o).contains("inflat"),
        "{}",
        stderr(&o)
    );
    assert!(took < BOUND, "{took:?}");
}

#[test]
fn entity_bomb_and_external_entities_are_never_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let mut doctype =
        String::from("<!DOCTYPE mxfile [\n<!ENTITY a0 \"lollollollollollollollollollol\">\n");
    for i in 1..10 {
        let prev = format!("&a{};", i - 1);
        doctype.push_str(&format!("<!ENTITY a{i} \"{}\">\n", prev.repeat(10)));
    }
    doctype.push_str("<!ENTITY ext SYSTEM \"file:///etc/passwd\">\n]>\n");
    let file = format!(
        "{doctype}<mxfile><diagram name=\"p\"><mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>\
         <mxCell id=\"a\" value=\"&a9;\" style=\"ellipse\" vertex=\"1\" parent=\"1\"><mxGeometry x=\"0\" y=\"0\" width=\"80\" height=\"40\" as=\"geometry\"/></mxCell>\
         <mxCell id=\"b\" value=\"&ext;\" style=\"ellipse\" vertex=\"1\" parent=\"1\"><mxGeometry x=\"200\" y=\"0\" width=\"80\" height=\"40\" as=\"geometry\"/></mxCell>\
         </root></mxGraphModel></diagram></mxfile>"
    );
    let (o, took) = analyze(dir.path(), "entities.drawio", file.as_bytes(), &[]);
    assert!(took < BOUND);
    assert!(o.stdout.len() < 1 << 20, "no expansion into the output");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("root:"), "no file content fetched");
    assert!(!out.contains("lollollollollollollol".repeat(3).as_str()));
    assert!(matches!(o.status.code(), Some(0) | Some(2)), "{}", stderr(&o));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 50_000;
    let mut dot = String::from("digraph g {");
    for i in 0..depth {
        dot.push_str(&format!("subgraph cluster_{i} {{"));
    }
    dot.push_str(&"}".repeat(depth + 1));
    let (o, took) = analyze(dir.path(), "deep.dot", dot.as_bytes(), &[]);
    refused(&o, "deep.dot");
    assert!(stderr(&o).contains("--max-depth"), "{}", stderr(&o));
    assert!(took < BOUND);

    let mut xml = String::from("<mxfile><diagram name=\"p\"><mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>");
    for i in 0..depth {
        let parent = if i == 0 { "1".to_string() } else { format!("c{}", i - 1) };
        xml.push_str(&format!(
            "<mxCell id=\"c{i}\" value=\"zone {i}\" style=\"swimlane\" vertex=\"1\" parent=\"{parent}\"><mxGeometry x=\"1\" y=\"1\" width=\"10\" height=\"10\" as=\"geometry\"/></mxCell>"
        ));
    }
    xml.push_str("</root></mxGraphModel></diagram></mxfile>");
    let (o, took) = analyze(dir.path(), "deep.drawio", xml.as_bytes(), &[]);
    assert!(took < BOUND, "{took:?}");
    assert!(matches!(o.status.code(), Some(0) | Some(2)), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));

    let nested_xml = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let (o, _) = analyze(dir.path(), "deepxml.drawio", nested_xml.as_bytes(), &[]);
    refused(&o, "deepxml.drawio");
}

#[test]
fn megabyte_labels_are_cut_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let label = "A".repeat(1 << 20);
    let dot = format!("digraph g {{ a [label=\"{label}\"]; b; a -> b }}");
    let (o, took) = analyze(dir.path(), "label.dot", dot.as_bytes(), &[]);
    let doc = accepted(&o, "label.dot");
    assert!(took < BOUND);
    let kept = doc["diagrams"][0]["elements"][0]["label"].as_str().unwrap().chars().count();
    assert!(kept <= 4096 + 1, "label kept {kept} chars");
    assert!(stderr(&o).contains("label"), "{}", stderr(&o));
}

#[test]
fn encodings_and_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    // A BOM and CRLF line ends.
    let (o, _) =
        analyze(dir.path(), "bom.dot", b"\xef\xbb\xbfdigraph g {\r\n  a -> b;\r\n}\r\n", &[]);
    assert_eq!(accepted(&o, "bom.dot")["diagrams"][0]["flows"][0]["id"], "a->b");
    // Latin-1 declared.
    let (o, _) = analyze(
        dir.path(),
        "latin1.dot",
        b"digraph g { charset=latin1; a [label=\"Caf\xe9\"]; }",
        &[],
    );
    assert_eq!(accepted(&o, "latin1.dot")["diagrams"][0]["elements"][0]["label"], "Café");
    // Invalid UTF-8, undeclared.
    let (o, _) = analyze(dir.path(), "bad.dot", b"digraph g {\n a [label=\"\xff\"] }", &[]);
    refused(&o, "bad.dot");
    assert!(stderr(&o).contains("bad.dot:2:"), "{}", stderr(&o));
    // Control characters in labels come out as JSON escapes, not raw bytes.
    let (o, _) =
        analyze(dir.path(), "ctrl.dot", b"digraph g { a [label=\"x\x01\x1b[31my\"] }", &[]);
    let doc = accepted(&o, "ctrl.dot");
    assert!(!o.stdout.contains(&0x1b), "raw escape byte in output");
    assert!(doc["diagrams"][0]["elements"][0]["label"].as_str().unwrap().contains('y'));
}

#[test]
fn truncated_files_and_random_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for example in ["serverless-orders.dot", "serverless-orders.drawio", "three-tier-web.drawio"] {
        let bytes = std::fs::read(root.join("diagrams").join(example)).unwrap();
        for cut in [1, bytes.len() / 3, bytes.len() / 2, bytes.len() - 5] {
            let name = format!("cut{cut}-{example}");
            let (o, took) = analyze(dir.path(), &name, &bytes[..cut], &[]);
            assert!(took < BOUND);
            assert!(matches!(o.status.code(), Some(0) | Some(2)), "{name}: {}", stderr(&o));
            if o.status.code() == Some(2) {
                refused(&o, &name);
            }
        }
    }
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for n in 0..20 {
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let name = format!("random{n}.bin");
        let (o, took) = analyze(dir.path(), &name, &bytes, &[]);
        assert!(took < BOUND);
        refused(&o, &name);
    }
}

#[test]
fn compressed_page_that_is_truncated_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let page = compress_page("<mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/></root></mxGraphModel>");
    let file =
        format!("<mxfile><diagram name=\"p\">{}</diagram></mxfile>", &page[..page.len() / 2]);
    let (o, _) = analyze(dir.path(), "trunc.drawio", file.as_bytes(), &[]);
    refused(&o, "trunc.drawio");
    assert!(stderr(&o).contains("\"p\""), "names the page: {}", stderr(&o));
}

#[test]
fn too_many_elements_is_refused_with_the_flag_to_raise() {
    let dir = tempfile::tempdir().unwrap();
    let dot: String = std::iter::once("digraph g {".to_string())
        .chain((0..200).map(|i| format!("n{i};")))
        .chain(std::iter::once("}".to_string()))
        .collect();
    let (o, _) = analyze(dir.path(), "many.dot", dot.as_bytes(), &["--max-elements", "100"]);
    refused(&o, "many.dot");
    assert!(stderr(&o).contains("--max-elements"), "{}", stderr(&o));
}

/// Runs `analyze --format text` on `bytes` written to `dir/name`.
fn analyze_text(dir: &Path, name: &str, bytes: &[u8]) -> Output {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .args(["analyze", path.to_str().unwrap(), "--format", "text"])
        .output()
        .unwrap()
}

/// Asserts the input was accepted and gave a text report.
fn reported(o: &Output, name: &str) -> String {
    assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn labels_whose_lower_case_is_longer_are_read_in_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let dot = "digraph { a [label=\"İİ(process)é\"]; b [label=\"ẞ [datastore] Σ\"]; a -> b }";
    let (o, _) = analyze(dir.path(), "fold.dot", dot.as_bytes(), &[]);
    let json = accepted(&o, "fold.dot");
    assert!(json.to_string().contains("İİ(process)é"));
    let drawio = r#"<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/><mxCell id="a" value="İİ(process)é" style="rounded=0" vertex="1" parent="1"><mxGeometry width="80" height="40" as="geometry"/></mxCell></root></mxGraphModel>"#;
    let (o, _) = analyze(dir.path(), "fold.drawio", drawio.as_bytes(), &[]);
    let json = accepted(&o, "fold.drawio");
    assert!(json.to_string().contains("label \\\"(process)\\\""), "{json}");
}

#[test]
fn chained_subgraph_edges_stop_at_the_expansion_limit() {
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..770).map(|i| format!("a{i}")).collect();
    let list = ids.join(" ");
    let dot = format!("digraph {{\n  x -> {{{list}}} -> {{{list}}}\n}}");
    assert!(dot.len() < 8 << 10);
    let (o, _) = analyze(dir.path(), "chain.dot", dot.as_bytes(), &[]);
    refused(&o, "chain.dot");
    let err = stderr(&o);
    assert!(err.contains("chain.dot:2:3"), "{err}");
    assert!(err.contains("--max-flows-per-statement"), "{err}");
    assert!(o.stdout.is_empty());
    // Many statements each under the per-statement limit still meet the per-byte limit.
    let block: String = (0..60).map(|i| format!("b{i} ")).collect();
    let many: String = (0..40).map(|_| format!("{{{block}}} -> {{{block}}}\n")).collect();
    let (o, _) = analyze(dir.path(), "many.dot", format!("digraph {{\n{many}}}").as_bytes(), &[]);
    refused(&o, "many.dot");
    assert!(stderr(&o).contains("--max-flows-per-input-byte"), "{}", stderr(&o));
}

#[test]
fn comma_separated_node_lists_are_edges_to_each() {
    let dir = tempfile::tempdir().unwrap();
    let dot = "digraph { ct -> cb1,cb2,cb3; Browser -> { rank=same; bank:site, lds_web:confirm } [label=\"<as user>\"] }";
    let o = analyze_text(dir.path(), "lists.dot", dot.as_bytes());
    let text = reported(&o, "lists.dot");
    assert!(text.contains("7 elements, 5 flows"), "{text}");
}

#[test]
fn names_with_newlines_and_escapes_stay_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let dot = "digraph \"g\n::error::injected\" { \"n\n::warning::x\" [label=\"a\u{1b}]52;c;eA==\u{7}b\"]; \"n\n::warning::x\" -> c }";
    let o = analyze_text(dir.path(), "ctl.dot", dot.as_bytes());
    let text = reported(&o, "ctl.dot");
    assert!(!text.lines().any(|l| l.trim_start().starts_with("::")), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text}");
}

#[test]
fn long_graph_names_are_cut_at_import() {
    let dir = tempfile::tempdir().unwrap();
    let name = "İ".repeat(100_000);
    let dot = format!("digraph \"{name}\" {{ u [label=\"User (external)\"]; u -> p; p -> d; d [shape=cylinder] }}");
    let (o, _) = analyze(dir.path(), "name.dot", dot.as_bytes(), &[]);
    accepted(&o, "name.dot");
    assert!(o.stdout.len() < 2 * dot.len(), "{} bytes of JSON", o.stdout.len());
}

/// The ids of the threats on `flow`, and `flow`'s own id, from a JSON report.
fn threats_on(json: &serde_json::Value, flow_label: &str) -> (String, Vec<String>) {
    let flows = json["diagrams"][0]["flows"].as_array().unwrap();
    let flow = flows.iter().find(|f| f["label"] == flow_label).unwrap();
    let id = flow["id"].as_str().unwrap().to_string();
    let mut threats: Vec<String> = common::pairs(json)
        .iter()
        .filter(|t| t["target"]["id"] == id.as_str())
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    threats.sort();
    (id, threats)
}

#[test]
fn inserting_a_parallel_flow_moves_no_flow_or_threat_id() {
    let dir = tempfile::tempdir().unwrap();
    let dot = |extra: &str| {
        format!(
            "digraph shop {{ u [label=\"Customer (external)\"]; p [label=\"Payments (process)\"]; {extra} u -> p [label=\"card payments\", data=pii]; u -> p [label=\"refunds\"] }}"
        )
    };
    let before = accepted(&analyze(dir.path(), "a.dot", dot("").as_bytes(), &[]).0, "a.dot");
    let after = dot("u -> p [label=\"health check\"];");
    let after = accepted(&analyze(dir.path(), "a.dot", after.as_bytes(), &[]).0, "a.dot");
    let (id, threats) = threats_on(&before, "card payments");
    assert_eq!(id, "u->p[card-payments]");
    assert!(!threats.is_empty());
    assert_eq!(threats_on(&after, "card payments"), (id, threats));

    let cell = |id: &str, value: &str, style: &str, x: u32| {
        format!(
            r#"<mxCell id="{id}" value="{value}" style="{style}" vertex="1" parent="1"><mxGeometry x="{x}" y="0" width="80" height="40" as="geometry"/></mxCell>"#
        )
    };
    let flow = |id: &str, value: &str| {
        format!(
            r#"<mxCell id="{id}" value="{value}" edge="1" parent="1" source="u" target="p"><mxGeometry relative="1" as="geometry"/></mxCell>"#
        )
    };
    let page = |extra: &str| {
        format!(
            r#"<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>{}{}{extra}{}{}</root></mxGraphModel>"#,
            cell("u", "Customer (external)", "rounded=0", 0),
            cell("p", "Payments (process)", "ellipse", 200),
            flow("pay", "card payments"),
            flow("ref", "refunds"),
        )
    };
    let before = accepted(&analyze(dir.path(), "a.drawio", page("").as_bytes(), &[]).0, "d");
    let after = page(&flow("hc", "health check"));
    let after = accepted(&analyze(dir.path(), "a.drawio", after.as_bytes(), &[]).0, "d");
    let (id, threats) = threats_on(&before, "card payments");
    assert_eq!(id, "u->p[pay]");
    assert!(!threats.is_empty());
    assert_eq!(threats_on(&after, "card payments"), (id, threats));
}

/// A draw.io page of `zones` dashed rectangles stacked in one column (the shape that makes a
/// sweep along x useless), each around one ellipse, with every tenth enclosed in an outer zone
/// drawn around it and its nine successors.
fn stacked_zones(zones: usize) -> String {
    let mut cells = String::new();
    for i in 0..zones {
        let y = i * 100;
        cells.push_str(&format!(r#"<mxCell id="z{i}" value="Zone {i}" style="rounded=0;dashed=1;fillColor=none;" vertex="1" parent="1"><mxGeometry x="0" y="{y}" width="100" height="80" as="geometry"/></mxCell>"#));
        cells.push_str(&format!(r#"<mxCell id="v{i}" value="Service {i}" style="ellipse;" vertex="1" parent="1"><mxGeometry x="10" y="{}" width="20" height="20" as="geometry"/></mxCell>"#, y + 10));
        if i % 10 == 0 {
            cells.push_str(&format!(r#"<mxCell id="outer{i}" value="Group {i}" style="rounded=0;dashed=1;fillColor=none;" vertex="1" parent="1"><mxGeometry x="-10" y="{}" width="120" height="1000" as="geometry"/></mxCell>"#, y as i64 - 5));
        }
    }
    format!(
        r#"<mxfile><diagram name="p"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>{cells}</root></mxGraphModel></diagram></mxfile>"#
    )
}

#[test]
fn thousands_of_boundary_rectangles_are_read() {
    // 8,800 candidates: the old default limit (5,000) refused this page, because deciding which
    // rectangles are boundaries scanned every pair.
    let dir = tempfile::tempdir().unwrap();
    let page = stacked_zones(8_000);
    let (o, _) = analyze(dir.path(), "zones.drawio", page.as_bytes(), &[]);
    let json = accepted(&o, "zones.drawio");
    let diagram = &json["diagrams"][0];
    assert_eq!(diagram["boundaries"].as_array().unwrap().len(), 8_800);
    let elements = diagram["elements"].as_array().unwrap();
    assert_eq!(elements.len(), 8_000);
    // Each ellipse belongs to its own zone, the smallest around it, not the outer one.
    assert_eq!(elements[4_321]["boundary"], "z4321");
    let boundaries = diagram["boundaries"].as_array().unwrap();
    let z = boundaries.iter().find(|b| b["id"] == "z4321").unwrap();
    assert_eq!(z["parent"], "outer4320");

    // The limit is still there for whoever wants it lower.
    let (o, _) =
        analyze(dir.path(), "zones.drawio", page.as_bytes(), &["--max-boundary-candidates", "100"]);
    refused(&o, "zones.drawio");
    assert!(stderr(&o).contains("--max-boundary-candidates"), "{}", stderr(&o));
}
