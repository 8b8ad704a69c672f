//! The accuracy set (issue 10): the tool's inventory scored against diagrams of
//! `../shared/corpus` labelled by hand under the rules of `tests/accuracy/LABELLING.md`.
//!
//! `cargo test --test integration accuracy:: -- --nocapture` prints one row per labelled file and the totals
//! per set; the test fails when a total over all files falls below its floor. Skips cleanly when
//! `../shared/corpus` is absent (a fresh clone outside CI). ACCURACY.md records the figures.
//!
//! `ACCURACY_EXTRA=DIR` also scores a round of outside diagrams: the label files `DIR/labels/*.toml`
//! (set `extra`, `file` relative to `DIR`), printed row by row with an `extra total` line and never
//! counted against the floors, so a round can be rerun after every change.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod labels;
mod score;
mod tool;

use std::path::{Path, PathBuf};

use labels::{LabelFile, Set};
use score::{Measure, Ratio, Scores};

/// The bound each measure's total over all labelled files must keep: a floor for the measures
/// where higher is better, a ceiling for missed elements and decorations. Set a little below the
/// figures of the last run (see ACCURACY.md); raise them as the inference improves. A measure
/// with nothing to count (no labelled entry point yet, say) is not checked.
const FLOORS: [(Measure, f64); 8] = [
    // Re-based on 2026-12-01 when 16 newly labelled files joined (72 files): a few points below
    // the `all` figures, so a change that loses ground fails. Re-based again the same day when 14
    // network, AWS 3D and component templates joined (98 files) and undirected lines were read
    // both ways for entry points, and raised after outside parties' device icons and
    // infrastructure zones (no step above the system's ground); the comments give the `all`
    // figures of that last run. The zone floor was raised on 2026-12-02 (fourth round of outside
    // diagrams: boxes named after their system, red DOT outlines), and the decorations ceiling
    // lowered in the fifth round (the AWS 3D library's arrow shapes are no elements: 9 %).
    (Measure::Kind, 0.90),           // 92 %
    (Measure::ActorRecall, 0.84),    // 87 %
    (Measure::ActorPrecision, 0.89), // 92 %
    (Measure::EntryRecall, 0.67),    // 70 %
    (Measure::EntryPrecision, 0.72), // 74 %
    (Measure::Zone, 0.85),           // 88 %
    (Measure::Missed, 0.03),         // 1 %, a ceiling
    (Measure::Decorations, 0.11),    // 9 %, a ceiling
];

/// One labelled corpus file, scored.
struct Row {
    set: Set,
    file: String,
    scores: Scores,
    /// Why the tool produced nothing, when it failed to import the file.
    import_error: Option<String>,
}

fn project_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = project_dir().join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

#[test]
fn inventory_accuracy_on_the_labelled_corpus() {
    if let Some(extra) = extra_dir() {
        print!("{}", extra_table(&extra_rows(&extra)));
    }
    let Some(corpus) = corpus_dir() else {
        println!("skipped: ../shared/corpus is absent, so the labelled diagrams cannot be read");
        return;
    };
    let labels = labels::read_all(&project_dir().join("tests/accuracy/labels"), false)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!labels.is_empty(), "tests/accuracy/labels holds no label file");
    let rows: Vec<Row> =
        labels.iter().map(|(path, label)| score_file(&corpus, path, label)).collect();
    print!("{}", table(&rows));
    let failures = floor_failures(&total(&rows, None));
    assert!(failures.is_empty(), "accuracy below its floor:\n{}", failures.join("\n"));
}

/// The directory of outside diagrams `ACCURACY_EXTRA` names, when set.
fn extra_dir() -> Option<PathBuf> {
    std::env::var_os("ACCURACY_EXTRA").filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Scores every label file of `DIR/labels`, whose `file` fields are relative to `DIR`.
fn extra_rows(dir: &Path) -> Vec<Row> {
    let labels = labels::read_all(&dir.join("labels"), true).unwrap_or_else(|e| {
        panic!("ACCURACY_EXTRA={}: {e} (see ACCURACY.md, \"What is measured\")", dir.display())
    });
    assert!(!labels.is_empty(), "ACCURACY_EXTRA={}: labels/ holds no label file", dir.display());
    labels.iter().map(|(path, label)| score_file(dir, path, label)).collect()
}

/// Runs the tool on the labelled file and scores each labelled diagram.
fn score_file(corpus: &Path, label_path: &Path, label: &LabelFile) -> Row {
    let source = corpus.join(&label.file);
    let bytes = std::fs::read(&source).unwrap_or_else(|e| {
        panic!(
            "{}: field `file` names {}, which cannot be read: {e}",
            label_path.display(),
            source.display()
        )
    });
    let (tool, import_error) = match tool::inventory(&label.file, &bytes) {
        Ok(document) => (Some(document), None),
        Err(message) => (None, Some(message)),
    };
    let mut scores = Scores::default();
    for diagram in &label.diagrams {
        let tool_diagram = tool.as_ref().map(|t| tool_diagram_for(label_path, label, diagram, t));
        scores += score::score_diagram(diagram, tool_diagram);
    }
    Row { set: label.set, file: label.file.clone(), scores, import_error }
}

/// The tool's diagram a labelled one stands for: the one of the same name, or the only one when
/// both the label and the tool have a single diagram (a DOT graph's name is often an afterthought).
fn tool_diagram_for<'a>(
    label_path: &Path,
    label: &LabelFile,
    diagram: &labels::LabelDiagram,
    tool: &'a tool::ToolDocument,
) -> &'a tool::ToolDiagram {
    if let ([_], [only]) = (label.diagrams.as_slice(), tool.diagrams.as_slice()) {
        return only;
    }
    tool.diagrams.iter().find(|d| d.name == diagram.name).unwrap_or_else(|| {
        let names: Vec<&str> = tool.diagrams.iter().map(|d| d.name.as_str()).collect();
        panic!(
            "{}: [[diagram]] name {:?} is no diagram of {}; the tool reads {names:?}",
            label_path.display(),
            diagram.name,
            label.file
        )
    })
}

/// The rows of one set, or of all files when `set` is `None`.
fn rows_in(rows: &[Row], set: Option<Set>) -> impl Iterator<Item = &Row> {
    rows.iter().filter(move |r| set.is_none_or(|s| s == r.set))
}

fn total(rows: &[Row], set: Option<Set>) -> Scores {
    let mut sum = Scores::default();
    for row in rows_in(rows, set) {
        sum += row.scores;
    }
    sum
}

/// The measures of `all` that crossed their bound, one line each.
fn floor_failures(all: &Scores) -> Vec<String> {
    FLOORS
        .iter()
        .filter_map(|&(measure, bound)| {
            let share = all.get(measure).share()?;
            let broken = if measure.lower_is_better() { share > bound } else { share < bound };
            let relation =
                if measure.lower_is_better() { "above its ceiling" } else { "below its floor" };
            broken.then(|| {
                format!(
                    "  {}: {} is {relation} of {:.0} %",
                    measure.name(),
                    percent(all.get(measure)),
                    bound * 100.0
                )
            })
        })
        .collect()
}

const MEASURE_WIDTH: usize = 11;
const FILE_WIDTH: usize = 52;

/// The file's corpus path, its middle elided to fit the column: the owner and the file name are
/// what tell the files apart.
fn short_name(file: &str) -> String {
    let chars: Vec<char> = file.chars().collect();
    if chars.len() <= FILE_WIDTH {
        return file.to_string();
    }
    let head = 20;
    let tail = FILE_WIDTH - head - 1;
    let head: String = chars[..head].iter().collect();
    let tail: String = chars[chars.len() - tail..].iter().collect();
    format!("{head}…{tail}")
}

/// The fixed-width table: a row per file, then a total per set, as counts and as percentages.
fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "\nInventory accuracy against tests/accuracy/labels (missed, decorations: lower is better)\n",
    );
    out += &line("set", "file", Measure::ALL.map(|m| m.name().to_string()));
    // Whoever changes the inference must not see which holdout files it gets wrong: their rows
    // are printed only on request, their totals always.
    let show_holdout = std::env::var_os("ACCURACY_HOLDOUT_ROWS").is_some_and(|v| v == "1");
    for row in rows.iter().filter(|r| show_holdout || r.set != Set::Holdout) {
        let cells = Measure::ALL.map(|m| fraction(row.scores.get(m)));
        out += &line(&row.set.to_string(), &short_name(&row.file), cells);
        if let Some(error) = &row.import_error {
            out += &format!("        import failed, every element missed: {error}\n");
        }
    }
    if !show_holdout {
        out += "holdout rows hidden (ACCURACY_HOLDOUT_ROWS=1 prints them)\n";
    }
    for (name, set) in [("dev", Some(Set::Dev)), ("holdout", Some(Set::Holdout)), ("all", None)] {
        let sum = total(rows, set);
        let files = format!("total of {} files", rows_in(rows, set).count());
        out += &line(name, &files, Measure::ALL.map(|m| fraction(sum.get(m))));
        out += &line("", "", Measure::ALL.map(|m| percent(sum.get(m))));
    }
    out
}

/// The outside round's rows and its total, apart from the corpus table and its floors.
fn extra_table(rows: &[Row]) -> String {
    let mut out = String::from(
        "\nInventory accuracy against ACCURACY_EXTRA's labels (not counted in the floors)\n",
    );
    out += &line("set", "file", Measure::ALL.map(|m| m.name().to_string()));
    for row in rows {
        let cells = Measure::ALL.map(|m| fraction(row.scores.get(m)));
        out += &line(&row.set.to_string(), &short_name(&row.file), cells);
        if let Some(error) = &row.import_error {
            out += &format!("        import failed, every element missed: {error}\n");
        }
    }
    let sum = total(rows, None);
    let files = format!("total of {} files", rows.len());
    out += &line("extra", &files, Measure::ALL.map(|m| fraction(sum.get(m))));
    out += &line("", "", Measure::ALL.map(|m| percent(sum.get(m))));
    out
}

fn line(set: &str, file: &str, cells: [String; 8]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| format!("{c:>MEASURE_WIDTH$}")).collect();
    format!("{set:<7} {file:<FILE_WIDTH$} {}\n", cells.join(" "))
}

fn fraction(r: Ratio) -> String {
    format!("{}/{}", r.count, r.total)
}

fn percent(r: Ratio) -> String {
    r.share().map_or_else(|| "-".to_string(), |s| format!("{:.0} %", s * 100.0))
}
