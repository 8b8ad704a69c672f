//! `dfd-threats analyze`: one diagram to standard output, or many diagrams and formats into a
//! folder (docs builds), with suppressions, a baseline and a CI gate.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::{
    docs_build, install_knowledge, load_catalog, source_root, AnalyzeArgs, Failure, OutputFormat,
};
use crate::export::annotation::Details;
use crate::export::json::Layout;
use crate::export::markdown::svg_file_names;
use crate::export::registry::{Scope, WriterOptions};
use crate::export::{self, Baseline};
use crate::import::registry;
use crate::import::{ImportOptions, Limits};
use crate::output::{write_atomic, write_atomic_with, Folders};
use crate::pipeline::{self, Analysed};
use crate::threats::{Catalog, Level};
use crate::triage::baseline::Previous;
use crate::triage::suppressions::Suppressions;
use crate::triage::{gate_failures, today, Shown};
use crate::user_text::{capped_list, visible, visible_lines};

/// What `--format drawio` names its outputs in a folder; a folder walk skips such files.
const ANNOTATED_ENDING: &str = ".annotated.drawio";

/// One diagram file to analyse.
struct Input {
    path: PathBuf,
    /// As shown in messages and written in outputs.
    name: String,
    /// Output path without extension, relative to --out-dir.
    out_stem: PathBuf,
}

/// One file to write: its path relative to --out-dir (`None`: standard output or -o), and bytes.
type OutputFile = (Option<PathBuf>, Vec<u8>);

/// What analysing one input produced.
struct Outcome {
    messages: Vec<String>,
    /// Relative output path (or `None` for standard output) and its bytes.
    outputs: Vec<(Option<PathBuf>, Vec<u8>)>,
    failed: bool,
    gate: Vec<String>,
    /// The suppressions applied, and which of their entries matched.
    matched: Option<(Suppressions, Vec<bool>)>,
    /// Single mode, JSON or the SVG of a one-diagram document: the output is streamed to its
    /// destination when outputs are written instead of being rendered into memory first (big
    /// diagrams give JSON of 100 MB and more, and SVG of tens of megabytes).
    streamed: Option<Streamed>,
}

/// What a streamed output of one input is made from: the analysis, the baseline comparison and
/// the output stem.
struct Streamed(Analysed, Option<Baseline>, Option<String>);

/// Shared, read-only settings of a run.
struct Settings<'a> {
    catalog: &'a Catalog,
    formats: &'a [OutputFormat],
    options: ImportOptions,
    batch: bool,
    json_layout: Layout,
    previous: Option<Previous>,
    suppressions: Option<Suppressions>,
    fail_on: Option<Level>,
    shown: Shown,
    details: Details,
    today: String,
    /// `--source-root`, when given.
    source_root: Option<PathBuf>,
    sarif_include_closed: bool,
}

pub fn run(args: AnalyzeArgs) -> Result<u8, Failure> {
    install_knowledge(&args.knowledge)?;
    let mut catalog = load_catalog(&args.catalog)?;
    // A mistyped selector would run fewer rules than asked (or none) and pass a CI gate.
    let unknown = catalog.select(&args.rules, &args.exclude_rules);
    if !unknown.is_empty() {
        let names: Vec<String> = unknown.iter().map(|s| format!("`{}`", visible(s))).collect();
        return Err(Failure::Plain(format!(
            "no rule has the id, tag or category {}: see `dfd-threats catalog list` for them all",
            names.join(", ")
        )));
    }
    // `-o -` is standard output, as everywhere else on the command line.
    let output = args.output.clone().filter(|p| p.as_os_str() != "-");
    let mut formats = args.format.clone();
    if formats.is_empty() {
        // `-o report.sarif` without `-f` means SARIF, not a text report in a .sarif file.
        formats.push(
            output.as_deref().and_then(OutputFormat::from_file_name).unwrap_or(OutputFormat::TEXT),
        );
    }
    formats.sort_by_key(|f| f.rank());
    formats.dedup();
    if args.compact && !formats.contains(&OutputFormat::JSON) {
        return Err(Failure::Plain(
            "--compact lays out JSON: give it with --format json (or -o FILE.json)".into(),
        ));
    }
    let batch = args.out_dir.is_some();
    let inputs = expand_inputs(&args.inputs, batch, args.source_root.as_deref())?;
    // Several text reports read one after another on a terminal (a pre-commit hook passes every
    // changed diagram); anything else is several files.
    let reports_in_a_row = formats == [OutputFormat::TEXT] && output.is_none();
    if !batch && (formats.len() != 1 || (inputs.len() != 1 && !reports_in_a_row)) {
        return Err(Failure::Plain(
            "several inputs or formats write several files: give --out-dir DIR".into(),
        ));
    }
    let previous = match &args.baseline {
        None => None,
        Some(_) if inputs.len() != 1 => {
            return Err(Failure::Plain(
                "--baseline compares one diagram file: give one input".into(),
            ))
        }
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::Plain(format!("{name}: cannot read the baseline: {e}")))?;
            Some(Previous::parse(&name, &text).map_err(|d| {
                failure_in_foreign_file(name.clone(), &text, d, looks_like_our_json(&text))
            })?)
        }
    };
    let suppressions = args.suppressions.as_deref().map(read_suppressions).transpose()?;
    let settings = Settings {
        catalog: &catalog,
        formats: &formats,
        options: ImportOptions {
            page: args.page.clone(),
            limits: args.limits.limits(),
            format: args.from.as_deref().and_then(registry::by_name).map(|r| r.format),
        },
        batch,
        json_layout: if args.compact { Layout::Compact } else { Layout::Indented },
        previous,
        suppressions,
        fail_on: args.fail_on.as_deref().and_then(Level::from_name),
        shown: Shown {
            min_severity: args.min_severity.as_deref().and_then(Level::from_name),
            statuses: args.status.iter().map(|s| s.status()).collect(),
        },
        details: args.svg_details.details(),
        today: today(),
        source_root: args.source_root.clone(),
        sarif_include_closed: args.sarif_include_closed,
    };

    let outcomes = analyse_all(&inputs, &settings);

    let mut failed = false;
    let mut gate = Vec::new();
    let mut matched: BTreeMap<String, (&Suppressions, Vec<bool>)> = BTreeMap::new();
    let mut stderr = anstream::stderr();
    for outcome in &outcomes {
        for message in &outcome.messages {
            let _ = stderr.write_all(visible_lines(message).as_bytes());
        }
        failed |= outcome.failed;
        gate.extend(outcome.gate.iter().cloned());
        if let Some((file, hits)) = &outcome.matched {
            let (_, all) =
                matched.entry(file.file.clone()).or_insert_with(|| (file, vec![false; hits.len()]));
            for (a, h) in all.iter_mut().zip(hits) {
                *a |= *h;
            }
        }
    }
    warn_unmatched_suppressions(&matched);

    let outputs: Vec<&(Option<PathBuf>, Vec<u8>)> =
        outcomes.iter().flat_map(|o| &o.outputs).collect();
    let mut stale = false;
    match &args.out_dir {
        None => {
            for Streamed(analysed, baseline, stem) in
                outcomes.iter().filter_map(|o| o.streamed.as_ref())
            {
                let mut report = analysed.report(&catalog);
                report.baseline = baseline.as_ref();
                report.output_stem = stem.as_deref();
                write_streamed(&report, output.as_deref(), &settings)?;
            }
            for (_, bytes) in &outputs {
                match &output {
                    Some(path) => {
                        let plain = plain_if_text(&formats, bytes);
                        write_atomic(path, &plain, Folders::MustExist).map_err(|e| {
                            Failure::Plain(format!("{}: cannot write: {e}", path.display()))
                        })?;
                    }
                    None => write_stdout(bytes, &formats)?,
                }
            }
        }
        Some(dir) => {
            let build = docs_build::Build {
                dir,
                files: outputs
                    .iter()
                    .filter_map(|(r, b)| Some((r.as_deref()?, b.as_slice())))
                    .collect(),
                formats: &formats,
                inputs: inputs.len(),
            };
            docs_build::validate(&build)?;
            if args.check {
                stale = !docs_build::check(&build);
            } else {
                let summary = docs_build::write(&build, args.prune)?;
                if !failed {
                    let _ = writeln!(stderr, "{summary}");
                }
            }
        }
    }

    // The analyses (a big diagram has tens of thousands of threats) are not dropped one
    // allocation at a time: the process ends right after this, and the OS frees it all at once.
    std::mem::forget(outcomes);
    if failed {
        return Ok(2);
    }
    if !gate.is_empty() {
        let _ =
            writeln!(stderr, "gate failed: {} open threat(s) at or above --fail-on:", gate.len());
        for line in gate.iter().take(20) {
            let _ = writeln!(stderr, "  {line}");
        }
        if gate.len() > 20 {
            let _ = writeln!(stderr, "  ... and {} more", gate.len() - 20);
        }
    }
    Ok(if !gate.is_empty() || stale { 1 } else { 0 })
}

/// Files given, files found in folders given (sorted), or standard input.
///
/// Output names keep the whole input file name (`orders.dot` → `orders.dot.json`), so a second
/// input with the same stem (`orders.drawio`) never renames the first one's outputs; files
/// found in a folder mirror their sub-folder. In a batch, inputs are named by their path from
/// the source root (see [`source_root`]), so outputs do not depend on how the path was spelled.
fn expand_inputs(
    given: &[PathBuf],
    batch: bool,
    root: Option<&Path>,
) -> Result<Vec<Input>, Failure> {
    let mut inputs = Vec::new();
    for path in given {
        let name = path.display().to_string();
        if name == "-" {
            inputs.push(Input { path: path.clone(), name, out_stem: PathBuf::from("stdin") });
        } else if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found);
            found.sort();
            if found.is_empty() {
                return Err(Failure::Plain(format!(
                    "{name}: no diagram files in this folder: dfd-threats reads {}",
                    registry::described()
                )));
            }
            for file in found {
                let out_stem = file.strip_prefix(path).unwrap_or(&file).to_path_buf();
                inputs.push(Input { name: file.display().to_string(), out_stem, path: file });
            }
        } else {
            let file_name = path.file_name().map(PathBuf::from).unwrap_or_else(|| "diagram".into());
            inputs.push(Input { path: path.clone(), name, out_stem: file_name });
        }
    }
    if batch {
        for input in inputs.iter_mut().filter(|i| i.name != "-") {
            let root = source_root::source_root(&input.path, root).map_err(Failure::Plain)?;
            if let Some(relative) = source_root::relative_to(&input.path, &root) {
                input.name = relative;
            }
        }
    }
    if inputs.iter().filter(|i| i.name == "-").count() > 0 && inputs.len() > 1 {
        return Err(Failure::Plain(
            "standard input (-) cannot be combined with other inputs".into(),
        ));
    }
    Ok(inputs)
}

/// The first bytes of a file, for sniffing its format; empty when it cannot be read (the read
/// proper reports why).
fn file_head(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut head = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(registry::HEAD_BYTES as u64).read_to_end(&mut head);
    }
    head
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        // Symbolic links are not followed: a link cycle must not hang a docs build.
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            walk(&path, found);
        } else if kind.is_file() {
            let name =
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // Our own annotated copies are outputs, not more diagrams to annotate again.
            let ours = name.to_lowercase().ends_with(ANNOTATED_ENDING);
            if !ours
                && registry::walk_picks(&name, || file_head(&path))
                && !written_here(&name, &path)
            {
                found.push(path);
            }
        }
    }
}

/// Whether a file a reader would take is one of our own outputs (`orders.dot.otm.json` in a
/// docs build's folder): named as a writer names its files, and starting as it starts them. A
/// model someone else wrote under such a name is still read.
fn written_here(name: &str, path: &Path) -> bool {
    let lower = name.to_lowercase();
    let mut head = None;
    export::registry::WRITERS.iter().any(|w| {
        lower.ends_with(&format!(".{}", w.extension)) && {
            let head =
                head.get_or_insert_with(|| String::from_utf8_lossy(&file_head(path)).into_owned());
            (w.ours)(head, path)
        }
    })
}

/// Analyses every input, in parallel when there are several; outcomes come back in input order.
fn analyse_all(inputs: &[Input], settings: &Settings<'_>) -> Vec<Outcome> {
    if inputs.len() == 1 {
        return vec![analyse_isolated(&inputs[0], settings)];
    }
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(inputs.len());
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> =
        Mutex::new((0..inputs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(input) = inputs.get(i) else { break };
                let outcome = analyse_isolated(input, settings);
                if let Ok(mut all) = results.lock() {
                    all[i] = Some(outcome);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|o| {
            o.unwrap_or_else(|| Outcome {
                messages: vec!["error: an input was not analysed (internal error)\n".into()],
                outputs: Vec::new(),
                failed: true,
                gate: Vec::new(),
                matched: None,
                streamed: None,
            })
        })
        .collect()
}

/// [`analyse_one`], with a panic turned into an internal error of this input: one bad file
/// never sinks a batch, the other inputs' outputs are still written.
fn analyse_isolated(input: &Input, settings: &Settings<'_>) -> Outcome {
    let run = std::panic::AssertUnwindSafe(|| analyse_one(input, settings));
    std::panic::catch_unwind(run).unwrap_or_else(|payload| Outcome {
        messages: vec![format!(
            "error: {}: internal error ({}); the other inputs were analysed; please report this \
             to the dfd-threats maintainers with the input file\n",
            input.name,
            super::panic_message(payload.as_ref())
        )],
        outputs: Vec::new(),
        failed: true,
        gate: Vec::new(),
        matched: None,
        streamed: None,
    })
}

fn analyse_one(input: &Input, settings: &Settings<'_>) -> Outcome {
    panic_if_test_hook_names(input);
    let mut outcome = Outcome {
        messages: Vec::new(),
        outputs: Vec::new(),
        failed: false,
        gate: Vec::new(),
        matched: None,
        streamed: None,
    };
    let fail = |mut outcome: Outcome, text: String| {
        outcome.messages.push(text);
        outcome.failed = true;
        outcome
    };
    let bytes = match read_input(&input.path, &input.name, &settings.options.limits) {
        Ok(bytes) => bytes,
        Err(message) => return fail(outcome, message),
    };
    let source = String::from_utf8_lossy(&bytes);
    // The SVG's layout is made beside the threat evaluation rather than after it.
    let run = if settings.formats.contains(&OutputFormat::SVG) {
        pipeline::run_laid_out
    } else {
        pipeline::run
    };
    let mut analysed = match run(&input.name, &bytes, &settings.options, settings.catalog) {
        Ok(a) => a,
        Err(d) => return fail(outcome, d.render("error", &input.name, Some(&source))),
    };
    outcome.messages.extend(crate::diagnostic::render_warnings(
        &analysed.document.warnings,
        &input.name,
        Some(&source),
    ));
    outcome.messages.extend(unused_attribute_warnings(&analysed, settings.catalog));

    // Suppressions: the explicit file, else dfd-threats.toml beside the input.
    let beside;
    let suppressions = match &settings.suppressions {
        Some(s) => Some(s),
        None => {
            let candidate = input.path.parent().unwrap_or(Path::new(".")).join("dfd-threats.toml");
            beside = match discovered_suppressions(&candidate, &input.name) {
                Discovered::None => None,
                Discovered::Link => {
                    outcome.messages.push(format!(
                        "warning: {}: a symbolic link is not read as the suppressions file beside a diagram; \
                         give it with --suppressions FILE, or put a regular file there\n",
                        candidate.display()
                    ));
                    None
                }
                Discovered::File => match read_suppressions(&candidate) {
                    Ok(s) => Some(s),
                    Err(f) => return fail(outcome, f.render()),
                },
            };
            beside.as_ref()
        }
    };
    if let Some(s) = suppressions {
        let (matched, warnings) = s.apply(&mut analysed.threats, &settings.today);
        outcome.messages.extend(warnings.into_iter().map(|w| format!("warning: {w}\n")));
        outcome.matched = Some((s.clone(), matched));
    }
    let baseline: Option<Baseline> =
        settings.previous.as_ref().map(|p| p.compare(&mut analysed.threats));
    if let Some(level) = settings.fail_on {
        outcome.gate = gate_failures(&analysed.threats, level, baseline.is_some())
            .into_iter()
            .map(|t| {
                let (name, title, rule) =
                    (visible(&input.name), visible(&t.title), visible(&t.rule.id));
                format!("{name}: {} {} {title} ({rule})", t.id, t.severity)
            })
            .collect();
    }
    analysed.threats.retain(|t| settings.shown.keeps(t));
    // Siblings in a batch are named after the whole input file name; a single report links
    // `<stem>.svg` as before.
    let stem = settings
        .batch
        .then(|| input.out_stem.file_name().map(|s| s.to_string_lossy().into_owned()))
        .flatten();
    if !settings.batch && is_streamed(settings.formats, &analysed) {
        outcome.streamed = Some(Streamed(analysed, baseline, stem));
        return outcome;
    }
    let mut report = analysed.report(settings.catalog);
    report.baseline = baseline.as_ref();
    report.output_stem = stem.as_deref();
    let sarif = if settings.formats.contains(&OutputFormat::SARIF) {
        match sarif_options(input, settings, &source) {
            Ok(options) => Some(options),
            Err(message) => return fail(outcome, format!("error: {}: {message}\n", input.name)),
        }
    } else {
        None
    };
    let drawio_source = if settings.formats.contains(&OutputFormat::DRAWIO) {
        drawio_source(&report, &bytes, settings)
    } else {
        Err(String::new())
    };
    let options = WriterOptions {
        json_layout: settings.json_layout,
        details: settings.details,
        sarif,
        drawio_source: drawio_source.as_ref().map_err(Clone::clone),
        plain_text: settings.batch,
    };
    for &format in settings.formats {
        match write_format(&report, format, input, settings.batch, &options) {
            Ok((files, warnings)) => {
                let name = &input.name;
                outcome.messages.extend(warnings.iter().map(|w| format!("warning: {name}: {w}\n")));
                outcome.outputs.extend(files);
            }
            Err(message) => {
                outcome.messages.push(format!("error: {}: {message}\n", input.name));
                outcome.failed = true;
            }
        }
    }
    outcome
}

/// Where the SARIF of `input` points: its path relative to the source root.
fn sarif_options<'a>(
    input: &Input,
    settings: &Settings<'_>,
    source: &'a str,
) -> Result<export::sarif::SarifOptions<'a>, String> {
    let artifact = if input.name == "-" {
        None
    } else {
        let root = source_root::source_root(&input.path, settings.source_root.as_deref())?;
        source_root::relative_to(&input.path, &root)
    };
    Ok(export::sarif::SarifOptions {
        artifact,
        source: Some(source),
        include_closed: settings.sarif_include_closed,
        max_results: export::sarif::MAX_RESULTS,
    })
}

/// Test hook, debug builds only: `DFD_THREATS_TEST_PANIC=NAME` makes the analysis of an input
/// whose name ends with NAME panic, so tests can check that a panic stays within its input.
/// Release builds ignore the variable.
fn panic_if_test_hook_names(input: &Input) {
    if cfg!(debug_assertions) {
        if let Some(name) = std::env::var_os("DFD_THREATS_TEST_PANIC") {
            if !name.is_empty() && input.name.ends_with(&*name.to_string_lossy()) {
                panic!("test hook DFD_THREATS_TEST_PANIC");
            }
        }
    }
}

/// Writes one format through its row of the writers' table: `(relative path, bytes)` per file
/// (`None` path in single mode), and the writer's warnings.
fn write_format(
    report: &export::Report<'_>,
    format: OutputFormat,
    input: &Input,
    batch: bool,
    options: &WriterOptions<'_>,
) -> Result<(Vec<OutputFile>, Vec<String>), String> {
    let writer = format.writer();
    let written = (writer.write)(report, options)?;
    let files = match writer.scope {
        Scope::Report => written
            .parts
            .into_iter()
            .map(|(_, text)| {
                (
                    batch.then(|| with_extension(&input.out_stem, writer.extension)),
                    text.into_bytes(),
                )
            })
            .collect(),
        Scope::Diagram => {
            let parts = written.parts;
            if !batch && parts.len() > 1 {
                return Err(format!(
                    "the file has {} diagrams ({}): pick one with --page NAME, or write them all with --out-dir DIR",
                    parts.len(),
                    capped_list(parts.iter().map(|(n, _)| n.as_str()))
                ));
            }
            let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
            let paths = per_diagram_paths(input, &names, writer.extension);
            parts
                .into_iter()
                .zip(paths)
                .map(|((_, text), path)| (batch.then_some(path), text.into_bytes()))
                .collect()
        }
    };
    Ok((files, written.warnings))
}

/// The draw.io file the input is, for `--format drawio`; another format's document gets an
/// empty one, and the writer says why it cannot annotate it.
fn drawio_source(
    report: &export::Report<'_>,
    bytes: &[u8],
    settings: &Settings<'_>,
) -> Result<crate::import::drawio::Source, String> {
    if report.document.format == crate::model::Format::DRAWIO {
        crate::import::drawio::source(bytes, &settings.options).map_err(|d| d.message.clone())
    } else {
        Ok(crate::import::drawio::Source::default())
    }
}

fn with_extension(stem: &Path, extension: &str) -> PathBuf {
    let mut name = stem.as_os_str().to_os_string();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// The files of a per-diagram writer, beside the input's other outputs: named as the SVG
/// pictures are (the Markdown report links them by these names), with the writer's extension.
fn per_diagram_paths(input: &Input, diagrams: &[&str], extension: &str) -> Vec<PathBuf> {
    let stem =
        input.out_stem.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    svg_file_names(&stem, diagrams)
        .into_iter()
        .map(|n| {
            let base = n.strip_suffix(".svg").unwrap_or(&n);
            input.out_stem.with_file_name(format!("{base}.{extension}"))
        })
        .collect()
}

/// Reads the input (a file or `-`), refusing more than the input limit.
fn read_input(path: &Path, name: &str, limits: &Limits) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let cap = (limits.max_input_bytes as u64).saturating_add(1);
    let result = if name == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(cap).read_to_end(&mut bytes))
    };
    match result {
        Ok(_) => Ok(bytes),
        Err(e) => Err(format!("error: {name}: cannot read the file: {e}\n")),
    }
}

/// What is at the place a suppressions file is looked for beside a diagram.
enum Discovered {
    None,
    /// A regular file: read it.
    File,
    /// A symbolic link: not followed. A pull request could point it at `~/.npmrc` or
    /// `/proc/self/environ` and have CI print the lines in a parse error.
    Link,
}

fn discovered_suppressions(candidate: &Path, input_name: &str) -> Discovered {
    if input_name == "-" {
        return Discovered::None;
    }
    match std::fs::symlink_metadata(candidate) {
        Ok(m) if m.file_type().is_symlink() => Discovered::Link,
        Ok(m) if m.is_file() => Discovered::File,
        _ => Discovered::None,
    }
}

fn read_suppressions(path: &Path) -> Result<Suppressions, Failure> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Plain(format!("{name}: cannot read the suppressions file: {e}")))?;
    Suppressions::parse(&name, &text)
        .map_err(|d| failure_in_foreign_file(name, &text, d, looks_like_suppressions(&text)))
}

/// A parse error in a file the user named or the tool found. Its source line and the parser's
/// message are shown only when the file is plausibly what it should be: a file that is something
/// else (credentials, an environment) gets its line and column and nothing of its content.
fn failure_in_foreign_file(
    file: String,
    text: &str,
    diagnostic: crate::diagnostic::Diagnostic,
    plausible: bool,
) -> Failure {
    if plausible {
        return Failure::Input {
            file,
            source_text: Some(text.to_string()),
            diagnostic: Box::new(diagnostic),
        };
    }
    let mut quiet = crate::diagnostic::Diagnostic::new(
        "not a dfd-threats file: its content is not shown; check that the path names the right file",
    );
    quiet.location = diagnostic.location;
    Failure::Input { file, source_text: None, diagnostic: Box::new(quiet) }
}

/// A suppressions file starts, after blank and comment lines, with a `[[suppression]]` table.
fn looks_like_suppressions(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_none_or(|first| first.replace(' ', "") == "[[suppression]]")
}

/// The JSON this tool writes names its `schema_version` near the start.
fn looks_like_our_json(text: &str) -> bool {
    let head = text.get(..text.len().min(256)).unwrap_or("");
    text.trim_start().starts_with('{') && head.contains("\"schema_version\"")
}

/// An entry that matched nothing in any input is stale or mistyped.
fn warn_unmatched_suppressions(matched: &BTreeMap<String, (&Suppressions, Vec<bool>)>) {
    let mut stderr = anstream::stderr();
    for (file, (suppressions, hits)) in matched {
        for (entry, hit) in suppressions.entries.iter().zip(hits) {
            if !hit {
                let _ = writeln!(
                    stderr,
                    "warning: {}:{}: the suppression of {} matches no threat; remove it or fix it",
                    visible(file),
                    entry.line,
                    visible(&entry.describe())
                );
            }
        }
    }
}

fn plain_if_text(formats: &[OutputFormat], bytes: &[u8]) -> Vec<u8> {
    if formats == [OutputFormat::TEXT] {
        anstream::adapter::strip_bytes(bytes).into_vec()
    } else {
        bytes.to_vec()
    }
}

/// Whether single mode streams this output (see [`Outcome::streamed`]): the JSON report, or the
/// SVG of a document with one diagram (several are refused by [`write_format`], which names them).
fn is_streamed(formats: &[OutputFormat], analysed: &Analysed) -> bool {
    formats == [OutputFormat::JSON]
        || (formats == [OutputFormat::SVG] && analysed.document.diagrams.len() == 1)
}

/// Streams the JSON report or the SVG (the one format of `settings`) to `path` (atomically, through
/// a buffer) or to standard output.
fn write_streamed(
    report: &export::Report<'_>,
    path: Option<&Path>,
    settings: &Settings<'_>,
) -> Result<(), Failure> {
    let write = |out: &mut dyn Write| {
        if settings.formats == [OutputFormat::SVG] {
            export::svg::write_diagram(report, 0, settings.details, out)
        } else {
            export::json::write_as(report, out, settings.json_layout)
        }
    };
    match path {
        Some(path) => write_atomic_with(path, Folders::MustExist, |file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            write(&mut out)?;
            out.flush()
        })
        .map_err(|e| Failure::Plain(format!("{}: cannot write: {e}", path.display()))),
        None => {
            // Raw: a machine format never goes through the terminal-colour writer.
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match write(&mut out).and_then(|_| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Failure::Plain(format!("cannot write to standard output: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}

/// Writes one output to standard output. Only the text report goes through the terminal-colour
/// writer (which drops its styles on a pipe or with `NO_COLOR`); machine formats are written raw,
/// byte for byte what `-o` writes: that writer strips what it takes for escape sequences, and
/// stripping after escaping undoes the escaping (`ESC \[` loses the backslash).
fn write_stdout(bytes: &[u8], formats: &[OutputFormat]) -> Result<(), Failure> {
    let result = if formats == [OutputFormat::TEXT] {
        let mut out = anstream::stdout();
        out.write_all(bytes).and_then(|_| out.flush())
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes).and_then(|_| out.flush())
    };
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Plain(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

/// A user rule testing an attribute that nothing in the document declares is probably a typo.
fn unused_attribute_warnings(analysed: &Analysed, catalog: &Catalog) -> Vec<String> {
    use crate::threats::condition::Property;
    let mut declared = BTreeSet::new();
    for d in &analysed.document.diagrams {
        for (_, e) in d.elements() {
            declared.extend(e.attributes.keys().map(String::as_str));
        }
        for f in d.flows() {
            declared.extend(f.flow.attributes.keys().map(String::as_str));
        }
    }
    let mut out = Vec::new();
    for rule in catalog.rules().filter(|r| catalog.is_user_rule(&r.id)) {
        let Some(when) = &rule.when else { continue };
        for field in when.fields() {
            if let Property::Attr(name) = &field.property {
                if !declared.contains(name.as_str()) {
                    out.push(format!(
                        "warning: {}:{}: rule {} tests `{}`, which no element or flow in {} declares\n",
                        rule.file,
                        rule.line,
                        rule.id,
                        field.path(),
                        analysed.document.path
                    ));
                }
            }
        }
    }
    out
}
