//! Every diagram of `../shared/corpus` (real files from public projects) imports, or fails with a
//! clear, located error. Skips cleanly when the folder is absent (a fresh clone outside CI).
//!
//! Prints one summary line per file so the inference can be reviewed:
//! `cargo test --test integration corpus:: -- --nocapture`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dfd_threats::analysis::analyze;
use dfd_threats::import::{import, ImportOptions};
use dfd_threats::model::{Document, ElementKind};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

fn files_with(dir: &Path, wanted: &dyn Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if wanted(&p.file_name().unwrap().to_string_lossy().to_lowercase()) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// One line: elements by kind, technologies, boundaries, flows, crossings.
pub fn summary(doc: &Document) -> String {
    let mut parts = Vec::new();
    for d in &doc.diagrams {
        let a = analyze(d);
        let count = |k: ElementKind| d.elements().filter(|(_, e)| e.kind == k).count();
        let mut tech: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, e) in d.elements() {
            if let Some(t) = &e.technology {
                *tech.entry(t.as_str()).or_insert(0) += 1;
            }
        }
        let tech: Vec<String> = tech.iter().map(|(t, n)| format!("{t}×{n}")).collect();
        let recorded = match d.recorded_threats.len() {
            0 => String::new(),
            n => format!(" recorded_threats={n}"),
        };
        parts.push(format!(
            "[{}] ee={} p={} ds={} boundaries={} flows={} crossing={} actors={} entries={}{recorded}{}",
            d.name,
            count(ElementKind::ExternalEntity),
            count(ElementKind::Process),
            count(ElementKind::DataStore),
            d.boundaries.len(),
            d.flow_count(),
            a.crossing_count(),
            a.external_actors.len(),
            a.entry_points.len(),
            if tech.is_empty() { String::new() } else { format!(" tech: {}", tech.join(" ")) }
        ));
    }
    parts.join(" ")
}

fn check(files: Vec<PathBuf>, root: &Path) -> (usize, usize) {
    let (mut ok, mut failed) = (0, 0);
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let name = file.strip_prefix(root).unwrap().display().to_string();
        let started = std::time::Instant::now();
        match import(&name, &bytes, &ImportOptions::default()) {
            Ok(doc) => {
                ok += 1;
                println!(
                    "ok    {name}: {} {} ({} warnings)",
                    doc.format.name(),
                    summary(&doc),
                    doc.warnings.len()
                );
            }
            Err(e) => {
                failed += 1;
                assert!(!e.message.is_empty(), "{name}: empty error");
                println!("error {name}: {e}");
            }
        }
        // Not a performance assertion: a guard against hangs on hostile files.
        assert!(started.elapsed().as_secs() < 120, "{name} took {:?}", started.elapsed());
    }
    (ok, failed)
}

#[test]
fn every_dot_file_imports_or_fails_cleanly() {
    let Some(root) = corpus() else {
        println!("skipped: ../shared/corpus is absent");
        return;
    };
    let files = files_with(&root, &|n| {
        n.ends_with(".dot") || n.ends_with(".gv") || (n.ends_with(".txt") && !n.contains("readme"))
    });
    assert!(!files.is_empty());
    let (ok, failed) = check(files, &root);
    println!("DOT corpus: {ok} imported, {failed} rejected with an error");
    assert!(ok > failed * 4, "too many DOT files rejected: {failed}");
}

#[test]
fn every_drawio_file_imports_or_fails_cleanly() {
    let Some(root) = corpus() else {
        println!("skipped: ../shared/corpus is absent");
        return;
    };
    let files = files_with(&root, &|n| {
        n.ends_with(".drawio")
            || n.ends_with(".xml")
            || n.ends_with(".drawio.svg")
            || n.ends_with(".drawio.png")
            || n.ends_with(".svg")
            || n.ends_with(".png")
    });
    assert!(!files.is_empty());
    let (ok, failed) = check(files, &root);
    println!("draw.io corpus: {ok} imported, {failed} rejected with an error");
    assert!(ok > failed * 4, "too many draw.io files rejected: {failed}");
}

/// Other tools' models (Threat Dragon, OTM, Microsoft TMT, Threagile): every file that is one by
/// content imports; the other JSON and YAML files (a pytm model, a StartLeft mapping) get an
/// error that says what they look like.
#[test]
fn every_threat_model_file_imports_or_fails_cleanly() {
    use dfd_threats::import::registry;
    let is_model = |path: &PathBuf| {
        let bytes = std::fs::read(path).unwrap();
        registry::detect(&path.to_string_lossy(), &bytes)
            .is_some_and(|r| !["dot", "drawio"].contains(&r.format.name()))
    };
    let Some(root) = corpus() else {
        println!("skipped: ../shared/corpus is absent");
        return;
    };
    let files = files_with(&root, &|n| {
        [".json", ".otm", ".tm7", ".yaml", ".yml"].iter().any(|e| n.ends_with(e))
    });
    assert!(!files.is_empty());
    let models: Vec<PathBuf> = files.iter().filter(|f| is_model(f)).cloned().collect();
    let others = files.len() - models.len();
    let (ok, failed) = check(files, &root);
    println!("threat model corpus: {ok} imported, {failed} rejected with an error ({others} are not models)");
    assert_eq!(ok, models.len(), "every model imports");
    assert_eq!(failed, others, "every other file is rejected");
}

/// A corpus file, imported; `relative` is its path under `root`.
fn load(root: &Path, relative: &str) -> Document {
    let bytes = std::fs::read(root.join(relative)).unwrap();
    import(relative, &bytes, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// How many external entities, processes and stores the first diagram has.
fn kinds(doc: &Document) -> (usize, usize, usize) {
    let d = &doc.diagrams[0];
    let count = |k: ElementKind| d.elements().filter(|(_, e)| e.kind == k).count();
    (count(ElementKind::ExternalEntity), count(ElementKind::Process), count(ElementKind::DataStore))
}

/// The label of the boundary `element` is drawn in, on the first diagram.
fn boundary_of(doc: &Document, element: &str) -> Option<String> {
    let d = &doc.diagrams[0];
    let e = d.element(d.element_index(element)?);
    e.boundary.map(|b| d.boundaries[b].label.clone())
}

/// Facts checked by hand on real DFDs of the corpus.
#[test]
fn hand_checked_expectations_on_real_diagrams() {
    let Some(root) = corpus() else {
        println!("skipped: ../shared/corpus is absent");
        return;
    };
    let path_of = |doc: &Document, element: &str| -> Vec<String> {
        let d = &doc.diagrams[0];
        let e = d.element(d.element_index(element).unwrap());
        d.boundary_path(e.boundary).into_iter().map(|b| d.boundaries[b].label.clone()).collect()
    };

    // pytm's own fixture: ids prefixed by type, nested clusters, an Internet zone.
    let pytm = load(&root, "OWASP__pytm/tests/dfd.dot");
    assert_eq!(kinds(&pytm), (1, 2, 1));
    assert_eq!(path_of(&pytm, "server_WebServer_2c440ebe53"), ["Company net", "backend"]);
    assert_eq!(boundary_of(&pytm, "actor_User_d2006ce1bb").as_deref(), Some("Internet"));
    let a = analyze(&pytm.diagrams[0]);
    let internet = pytm.diagrams[0].boundaries.iter().position(|b| b.label == "Internet").unwrap();
    assert!(a.zones[internet].untrusted);

    // michenriksen's example: boundaries drawn as rectangles, nested only by geometry.
    let mich = load(&root, "michenriksen__drawio-threatmodeling/examples/dfd.xml");
    assert_eq!(kinds(&mich), (2, 4, 5));
    assert_eq!(mich.diagrams[0].flow_count(), 20);
    assert_eq!(path_of(&mich, "2"), ["Internet", "Users' LAN", "User's Machine"]);
    for store in ["20", "22", "27", "28", "29"] {
        assert_eq!(
            path_of(&mich, store),
            ["Data Center (Protected)", "Data Center (Restricted)"],
            "store {store}"
        );
    }

    // A lab threat model: an edge ending on a boundary is attached to its only member.
    let lab = load(&root, "canuski__AdvancedCyberSecurity-Lab2/ThreatModel.drawio");
    assert_eq!(kinds(&lab), (2, 2, 1));
    assert_eq!(lab.diagrams[0].flow_count(), 12);
    assert_eq!(lab.diagrams[0].boundaries.len(), 6);

    // AWS icons from draw.io's AWS library map to technologies and kinds.
    let s3 = load(&root, "trustoncloud__threatmodel-for-aws-s3/AWS_S3_DFD.xml");
    let d = &s3.diagrams[0];
    let element = |id: &str| d.element(d.element_index(id).unwrap());
    assert_eq!(element("GAcenqvlZjhezbjiVWcp-1").technology.as_deref(), Some("aws-s3"));
    assert_eq!(element("GAcenqvlZjhezbjiVWcp-1").kind, ElementKind::DataStore);
    assert_eq!(element("pTmOgUfJaS8KzP51rYaT-37").technology.as_deref(), Some("aws-lambda"));
    assert_eq!(element("pTmOgUfJaS8KzP51rYaT-37").kind, ElementKind::Process);
}

/// Facts checked by hand on other tools' models of the corpus, one per format.
#[test]
fn hand_checked_expectations_on_other_tools_models() {
    let Some(root) = corpus() else {
        println!("skipped: ../shared/corpus is absent");
        return;
    };

    // Threat Dragon's own v2 demo: Browser, two processes, four stores, three boundary curves.
    let td = load(&root, "OWASP__threat-dragon/td.vue/src/service/demo/v2-threat-model.json");
    let d = &td.diagrams[0];
    assert_eq!(kinds(&td), (1, 2, 4));
    assert_eq!(d.flow_count(), 10);
    assert_eq!(d.boundaries.iter().filter(|b| b.line.is_some()).count(), 3);
    assert_eq!(d.recorded_threats.len(), 14);
    assert!(d.elements().all(|(_, e)| e.visual.bounds.is_some()), "positions kept");

    // The TMT sample and Threat Dragon's transcription of it (TMT2TD) read alike.
    let tm7 = load(&root, "OWASP__threat-dragon/utils/TMT2TD/Sample_Threat_Model.tm7");
    let transpiled =
        load(&root, "OWASP__threat-dragon/utils/TMT2TD/Transpiled_Sample_Threat_Model.json");
    assert_eq!(kinds(&tm7), (1, 2, 1));
    assert_eq!(kinds(&transpiled), (1, 2, 1));
    let labels = |doc: &Document| {
        let mut l: Vec<(String, ElementKind)> =
            doc.diagrams[0].elements().map(|(_, e)| (e.label.clone(), e.kind)).collect();
        l.sort();
        l
    };
    assert_eq!(labels(&tm7), labels(&transpiled));
    assert_eq!(tm7.diagrams[0].flow_count(), 6);
    assert_eq!(tm7.diagrams[0].recorded_threats.len(), 29);
    assert_eq!(
        boundary_of(&tm7, "7d402f21-b92a-4eeb-9b9d-362903405551").as_deref(),
        Some("Generic Trust Border Boundary")
    );

    // The OTM reference example: Internet and Private zones, both bidirectional flows.
    let otm = load(&root, "iriusrisk__OpenThreatModel/EXAMPLE.json");
    let yaml = load(&root, "iriusrisk__OpenThreatModel/EXAMPLE.yaml");
    assert_eq!(kinds(&otm), (1, 2, 1));
    assert_eq!(kinds(&yaml), kinds(&otm));
    assert_eq!(otm.diagrams[0].flow_count(), 4);
    assert_eq!(boundary_of(&otm, "web-client").as_deref(), Some("Internet"));
    assert_eq!(boundary_of(&otm, "customer-database").as_deref(), Some("Private"));
    let a = analyze(&otm.diagrams[0]);
    let internet = otm.diagrams[0].boundaries.iter().position(|b| b.label == "Internet").unwrap();
    assert!(a.zones[internet].untrusted);

    // Threagile's example: 4 external entities, 7 processes, 3 stores, nested boundaries.
    let tg = load(&root, "Threagile__threagile/demo/example/threagile.yaml");
    let d = &tg.diagrams[0];
    assert_eq!(kinds(&tg), (4, 7, 3));
    assert_eq!(d.flow_count(), 20);
    assert_eq!(boundary_of(&tg, "sql-database").as_deref(), Some("ERP DMZ"));
    let erp = d.boundaries.iter().find(|b| b.label == "ERP DMZ").unwrap();
    assert_eq!(erp.parent.map(|p| d.boundaries[p].label.as_str()), Some("Application Network"));
    let db = d.element(d.element_index("sql-database").unwrap());
    assert_eq!(db.attributes.get("classification").map(String::as_str), Some("secret"));
}

/// Which catalog rules fire nowhere in the corpus: a rule that never fires on real diagrams is
/// either wrong or needs attributes that real diagrams rarely carry, and then says so in its
/// description. Prints `never fires: ID` per rule and a count per rule that fires:
/// `cargo test --test integration corpus::rules_that_never_fire -- --nocapture`.
///
/// The list is asserted against `NEVER_FIRING` below, so a rule that starts or stops firing on
/// the corpus is noticed and the list (and the rule's doc) is reviewed.
#[test]
fn rules_that_never_fire_on_the_corpus() {
    use dfd_threats::pipeline;
    use dfd_threats::threats::Catalog;

    let Some(root) = corpus() else {
        println!("skipped: ../shared/corpus is absent");
        return;
    };
    let catalog = Catalog::builtin().unwrap();
    let files = files_with(&root, &|n| {
        n.ends_with(".dot")
            || n.ends_with(".gv")
            || n.ends_with(".drawio")
            || n.ends_with(".xml")
            || n.ends_with(".drawio.svg")
    });
    let mut fired: BTreeMap<String, usize> =
        catalog.rules().map(|r| (r.id.clone(), 0usize)).collect();
    let mut diagrams = 0;
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let name = file.strip_prefix(&root).unwrap().display().to_string();
        let Ok(analysed) = pipeline::run(&name, &bytes, &ImportOptions::default(), &catalog) else {
            continue;
        };
        diagrams += analysed.document.diagrams.len();
        for t in &analysed.threats {
            *fired.entry(t.rule.id.clone()).or_default() += 1;
        }
    }
    let never: Vec<&str> =
        fired.iter().filter(|(_, n)| **n == 0).map(|(id, _)| id.as_str()).collect();
    for (id, n) in &fired {
        if *n > 0 {
            println!("fires {n:>5}: {id}");
        }
    }
    for id in &never {
        println!("never fires: {id}");
    }
    println!("{} of {} rules never fire on {diagrams} corpus diagrams", never.len(), fired.len());
    assert_eq!(never, NEVER_FIRING, "review the rules that (no longer) fire on the corpus");
}

/// Rules that fire on no corpus diagram, each justified in its catalog description.
const NEVER_FIRING: &[&str] = &[
    "BND-007",
    "CLD-001",
    "CLD-006",
    "CLD-008",
    "CLD-012",
    "DFD-I-011",
    "DFD-I-020",
    "DFD-I-033",
    "DFD-S-030",
    "IDN-005",
    "IDN-008",
    "LLM-001",
    "LLM-005",
    "LLM-006",
    "SC-001",
    "SC-002",
    "SC-003",
    "SC-008",
    "SLS-011",
];

/// `--format drawio` on every draw.io file of the corpus that imports: the annotated file imports
/// to the same elements, flows and threats, and annotating it again changes nothing.
#[test]
fn every_drawio_file_annotates_and_reads_back_the_same() {
    use dfd_threats::export::annotation::Details;
    use dfd_threats::export::drawio;
    use dfd_threats::pipeline::{run, Analysed};
    use dfd_threats::threats::Catalog;
    let Some(root) = corpus() else {
        println!("skipped: ../shared/corpus is absent");
        return;
    };
    let catalog = Catalog::builtin().unwrap();
    let options = ImportOptions::default();
    let ids = |a: &Analysed| -> Vec<String> {
        let d = a.document.diagrams.iter();
        d.flat_map(|g| {
            g.elements().map(|(_, e)| e.id.clone()).chain(g.flows().map(|f| f.flow.id.clone()))
        })
        .chain(a.threats.iter().map(|t| t.id.clone()))
        .collect()
    };
    let files = files_with(&root, &|n| n.ends_with(".drawio") || n.ends_with(".xml"));
    let mut annotated = 0;
    for file in files {
        let name = file.display().to_string();
        let bytes = std::fs::read(&file).unwrap();
        let Ok(analysed) = run(&name, &bytes, &options, &catalog) else { continue };
        let source = dfd_threats::import::drawio::source(&bytes, &options).unwrap();
        let once = drawio::render(&analysed.report(&catalog), &source, Details::Summary).unwrap();
        let again = run(&name, once.as_bytes(), &options, &catalog).unwrap();
        assert_eq!(ids(&again), ids(&analysed), "{name}: read back differently");
        let source = dfd_threats::import::drawio::source(once.as_bytes(), &options).unwrap();
        let twice = drawio::render(&again.report(&catalog), &source, Details::Summary).unwrap();
        assert!(twice == once, "{name}: a second run changed the file");
        annotated += 1;
    }
    println!("draw.io corpus: {annotated} files annotated and read back");
    assert!(annotated >= 60, "{annotated}");
}

/// `--format svg` on every draw.io page of the corpus: every vertex and edge cell of the page is
/// drawn, in a group carrying its cell id (`data-cell`), decorations the analysis does not use
/// included. Cells draw.io itself cannot draw (a vertex without geometry, an edge with neither
/// ends nor points) are counted apart.
#[test]
fn every_drawio_cell_is_drawn_in_the_svg() {
    use dfd_threats::export::svg;
    use dfd_threats::pipeline::run;
    use dfd_threats::threats::Catalog;
    use quick_xml::events::Event;
    let Some(root) = corpus() else {
        println!("skipped: ../shared/corpus is absent");
        return;
    };
    let catalog = Catalog::builtin().unwrap();
    let options = ImportOptions::default();
    let files = files_with(&root, &|n| n.ends_with(".drawio") || n.ends_with(".xml"));
    let (mut pages_checked, mut cells_checked, mut undrawable) = (0, 0, 0);
    for file in files {
        let name = file.display().to_string();
        let bytes = std::fs::read(&file).unwrap();
        let Ok(analysed) = run(&name, &bytes, &options, &catalog) else { continue };
        let source = dfd_threats::import::drawio::source(&bytes, &options).unwrap();
        let pictures = svg::render(&analysed.report(&catalog));
        let pages = source.pages.iter().filter(|p| p.selected);
        for (page, (_, picture)) in pages.zip(&pictures) {
            // `data-cell` values as written (the writer escapes them; compare escaped).
            let drawn: std::collections::HashSet<&str> = picture
                .split("data-cell=\"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .collect();
            let mut reader = quick_xml::Reader::from_str(&page.xml);
            let mut wrapper_id: Option<String> = None;
            loop {
                let (e, empty) = match reader.read_event().unwrap() {
                    Event::Start(e) => (e, false),
                    Event::Empty(e) => (e, true),
                    Event::Eof => break,
                    _ => continue,
                };
                let attr = |key: &str| {
                    e.attributes().flatten().find(|a| a.key.as_ref() == key).map(|a| {
                        let raw: &str = &a.value;
                        raw.replace("&quot;", "\"")
                            .replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&#39;", "'")
                            .replace("&apos;", "'")
                            .replace("&amp;", "&")
                    })
                };
                match e.name().as_ref() {
                    "object" | "UserObject" if !empty => wrapper_id = attr("id"),
                    "mxCell" => {
                        let id = attr("id").or(wrapper_id.take()).unwrap_or_default();
                        let (vertex, edge) = (attr("vertex"), attr("edge"));
                        if vertex.as_deref() != Some("1") && edge.as_deref() != Some("1") {
                            continue;
                        }
                        let mut escaped = String::new();
                        dfd_threats::export::svg::writer::escape_into(
                            &mut escaped,
                            &id,
                            dfd_threats::export::svg::writer::Context::Attribute,
                        );
                        if drawn.contains(escaped.as_str()) {
                            cells_checked += 1;
                        } else {
                            undrawable += 1;
                            println!("not drawn: {name} page {:?} cell {id:?}", page.name);
                        }
                    }
                    _ => {}
                }
            }
            pages_checked += 1;
        }
    }
    println!(
        "draw.io corpus: {cells_checked} cells drawn on {pages_checked} pages, {undrawable} not"
    );
    assert!(pages_checked >= 60, "{pages_checked}");
    assert_eq!(undrawable, 0);
}
