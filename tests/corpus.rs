//! Every diagram of `../shared/corpus` (real files from public projects) imports, or fails with a
//! clear, located error. Skips cleanly when the folder is absent (a fresh clone outside CI).
//!
//! Prints one summary line per file so the inference can be reviewed:
//! `cargo test --test corpus -- --nocapture`.

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
        parts.push(format!(
            "[{}] ee={} p={} ds={} boundaries={} flows={} crossing={} actors={} entries={}{}",
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
                println!("ok    {name}: {} ({} warnings)", summary(&doc), doc.warnings.len());
            }
            Err(e) => {
                failed += 1;
                assert!(!e.message.is_empty(), "{name}: empty error");
                println!("error {name}: {e}");
            }
        }
        // Not a performance assertion: a guard against hangs on hostile files.
        assert!(started.elapsed().as_secs() < 20, "{name} took {:?}", started.elapsed());
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
