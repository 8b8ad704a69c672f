//! The annotated SVG through the binary: badges count open threats and carry a risk letter, settled
//! targets get a check mark and nothing shows "0", crossings are drawn outside the risk colours,
//! the legend says so, and `--svg-details` bounds the tooltips (and so the file size).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Output};

use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::Value;

mod common;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> Vec<u8> {
    let o = run(args);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

/// One XML element with its attributes, children and text.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).map(String::as_str)
    }

    fn walk<'a>(&'a self, out: &mut Vec<&'a Node>) {
        out.push(self);
        for c in &self.children {
            c.walk(out);
        }
    }

    fn all(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        self.walk(&mut out);
        out
    }

    /// Text of the `<text>`/`<tspan>` elements below, outside `<title>`.
    fn texts(&self) -> Vec<String> {
        self.all().into_iter().filter(|n| n.name == "text").map(|n| n.full_text()).collect()
    }

    fn full_text(&self) -> String {
        let mut s = self.text.clone();
        for c in &self.children {
            s.push_str(&c.full_text());
        }
        s
    }

    fn by_id(&self, id: &str) -> Option<&Node> {
        self.all().into_iter().find(|n| n.attr("id") == Some(id))
    }
}

fn unescape(raw: &str) -> String {
    quick_xml::escape::unescape(raw).unwrap().into_owned()
}

fn parse(xml: &str) -> Node {
    let mut reader = Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    let element = |e: &quick_xml::events::BytesStart<'_>| Node {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (a.key.as_ref().to_string(), unescape(&a.value))
            })
            .collect(),
        ..Node::default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(element(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(t.as_ref()),
            Event::GeneralRef(r) => {
                let s = match r.as_ref() {
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "amp" => "&".to_string(),
                    "quot" => "\"".to_string(),
                    "#39" | "apos" => "'".to_string(),
                    "#10" => "\n".to_string(),
                    other => panic!("entity {other:?}"),
                };
                stack.last_mut().unwrap().text.push_str(&s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    stack.pop().unwrap()
}

fn svg(args: &[&str]) -> Node {
    parse(&String::from_utf8(ok(args)).unwrap())
}

fn analysis(path: &str, extra: &[&str]) -> Value {
    let mut args = vec!["analyze", path, "-f", "json"];
    args.extend_from_slice(extra);
    let mut doc: Value = serde_json::from_slice(&ok(&args)).unwrap();
    // Each (finding, target) pair as one threat, the way the badges count them.
    doc["threats"] = Value::Array(common::pairs(&doc));
    doc
}

/// `(open count, worst open residual risk)` per target id, from the JSON.
fn open_by_target(doc: &Value) -> BTreeMap<String, (usize, String)> {
    let order = ["low", "medium", "high", "critical"];
    let mut out: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for t in doc["threats"].as_array().unwrap() {
        if t["status"] != "open" {
            continue;
        }
        let id = t["target"]["id"].as_str().unwrap().to_string();
        let risk = t["residual_risk"].as_str().unwrap().to_string();
        let slot = out.entry(id).or_insert((0, "low".to_string()));
        slot.0 += 1;
        let rank = |r: &str| order.iter().position(|o| *o == r).unwrap();
        if rank(&risk) > rank(&slot.1) {
            slot.1 = risk;
        }
    }
    out
}

fn letter(risk: &str) -> &'static str {
    match risk {
        "critical" => "C",
        "high" => "H",
        "medium" => "M",
        _ => "L",
    }
}

/// The element's group, which holds its shape, label, tags and badge.
fn element<'a>(doc: &'a Node, id: &str) -> &'a Node {
    doc.by_id(&format!("el-{id}")).unwrap_or_else(|| panic!("no el-{id}"))
}

const SETTLED_GREEN: &str = "#15803d";

fn has_check_mark(node: &Node) -> bool {
    let all = node.all();
    all.iter().any(|n| n.name == "circle" && n.attr("fill") == Some(SETTLED_GREEN))
        && all.iter().any(|n| n.name == "polyline")
}

#[test]
fn element_badges_count_open_threats_and_carry_the_risk_letter() {
    let path = "diagrams/three-tier-web.dot";
    let doc = svg(&["analyze", path, "-f", "svg"]);
    let json = analysis(path, &[]);
    let open = open_by_target(&json);
    let mut checked = 0;
    for e in json["diagrams"][0]["elements"].as_array().unwrap() {
        let id = e["id"].as_str().unwrap();
        let texts = element(&doc, id).texts();
        match open.get(id) {
            Some((count, worst)) => {
                assert!(texts.contains(&count.to_string()), "{id}: {texts:?} lacks {count}");
                assert!(texts.contains(&letter(worst).to_string()), "{id}: {texts:?} {worst}");
                checked += 1;
            }
            None => assert!(!texts.contains(&"0".to_string()), "{id}: a 0 badge"),
        }
    }
    assert!(checked >= 8, "only {checked} elements with open threats");
    // Mitigated threats are not counted: P3 has some, and its badge shows only the open ones.
    let all_on_p3 =
        json["threats"].as_array().unwrap().iter().filter(|t| t["target"]["id"] == "P3");
    assert!(all_on_p3.count() > open["P3"].0);
}

#[test]
fn settled_targets_get_a_check_mark_and_nothing_shows_zero() {
    let path = "diagrams/three-tier-web.dot";
    let json = analysis(path, &[]);
    // Accept every threat of E1 (an actor) and of one flow: they are then settled.
    let dir = tempfile::tempdir().unwrap();
    let suppressions = dir.path().join("accept.toml");
    let mut text = String::new();
    for t in json["threats"].as_array().unwrap() {
        if t["target"]["id"] == "E1" || t["target"]["id"] == "E1->P1" {
            text.push_str(&format!(
                "[[suppression]]\nid = {}\nstatus = \"accepted\"\njustification = \"test\"\n\n",
                t["id"]
            ));
        }
    }
    std::fs::write(&suppressions, text).unwrap();
    let file = suppressions.to_str().unwrap();
    let doc = svg(&["analyze", path, "-f", "svg", "--suppressions", file]);
    let e1 = element(&doc, "E1");
    assert!(has_check_mark(e1), "E1 has every threat accepted: a check mark");
    assert!(e1.texts().iter().all(|t| t.parse::<usize>().is_err()), "{:?}", e1.texts());
    // No badge anywhere says 0, and targets with no threat at all have no badge.
    for n in doc.all() {
        if n.name == "text" {
            assert_ne!(n.full_text(), "0");
        }
    }
    let before = svg(&["analyze", path, "-f", "svg"]);
    assert!(!has_check_mark(element(&before, "E1")));
}

#[test]
fn crossings_are_drawn_outside_the_risk_colours_and_the_legend_says_what_marks_mean() {
    let doc = svg(&["analyze", "diagrams/serverless-orders.dot", "-f", "svg"]);
    // Risk colours: the discs of the badges (the legend draws one per level).
    let risk: BTreeSet<&str> =
        doc.all().iter().filter(|n| n.name == "circle").filter_map(|n| n.attr("fill")).collect();
    assert!(risk.len() >= 5, "{risk:?}");
    let crossing: BTreeSet<&str> = doc
        .all()
        .iter()
        .filter(|n| n.attr("id").is_some_and(|id| id.starts_with("flow-")))
        .filter_map(|n| n.attr("stroke"))
        .collect();
    assert_eq!(crossing.len(), 1, "one colour for crossing flows: {crossing:?}");
    assert!(risk.is_disjoint(&crossing), "crossing colour {crossing:?} is a risk colour");
    let legend = doc.texts().join(" ");
    for words in [
        "open threats",
        "letter and colour",
        "highest open residual risk",
        "critical",
        "high",
        "medium",
        "low",
        "all mitigated or accepted",
        "no badge: no threats",
        "flow crossing a boundary",
    ] {
        assert!(legend.contains(words), "legend lacks {words:?}");
    }
}

fn titles(doc: &Node) -> Vec<String> {
    doc.all().into_iter().filter(|n| n.name == "title").map(|n| n.full_text()).collect()
}

#[test]
fn svg_details_decides_how_much_threat_text_the_tooltips_carry() {
    let path = "diagrams/serverless-orders.drawio";
    let json = analysis(path, &[]);
    let ids: Vec<&str> =
        json["threats"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    let full = titles(&svg(&["analyze", path, "-f", "svg", "--svg-details", "full"])).join("\n");
    for id in &ids {
        assert!(full.contains(id), "full tooltips list {id}");
    }
    let summary_doc = svg(&["analyze", path, "-f", "svg"]);
    let summary = titles(&summary_doc).join("\n");
    assert!(ids.iter().all(|id| !summary.contains(id)), "summary lists no threat one by one");
    assert!(summary.contains("open threats (") && summary.contains("Worst: "), "{summary}");
    assert!(summary.len() * 2 < full.len(), "{} vs {}", summary.len(), full.len());
    let none = titles(&svg(&["analyze", path, "-f", "svg", "--svg-details", "none"]));
    assert_eq!(none.len(), 1, "only the document's own title: {none:?}");
    let bad = run(&["analyze", path, "-f", "svg", "--svg-details", "everything"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_thousand_element_picture_stays_small() {
    let dir = tempfile::tempdir().unwrap();
    // About 2,000 cells: 1,000 elements and about as many flows.
    let drawio = dir.path().join("big.drawio");
    std::fs::write(&drawio, dfd_threats::synthetic::synthetic_drawio(2000, 42, false)).unwrap();
    let out = ok(&["analyze", drawio.to_str().unwrap(), "-f", "svg"]);
    let size = out.len();
    let doc = parse(&String::from_utf8(out).unwrap());
    let elements =
        doc.all().iter().filter(|n| n.attr("id").is_some_and(|i| i.starts_with("el-"))).count();
    assert!(elements >= 1000, "{elements} elements");
    assert!(size < 2_000_000, "{size} bytes for {elements} elements");
}
