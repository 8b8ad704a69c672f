//! The whole pipeline: bytes in (either format, detected), analysis, threats, every writer out.
//! Checks what must hold for any input (README "Limits and safety", `tests/hardening.rs`):
//!
//! - the JSON and SARIF parse as JSON, and every SVG is well-formed XML;
//! - a draw.io input annotated (`--format drawio`) imports to the same elements and flows, and
//!   annotating that again gives the same bytes;
//! - no machine format (JSON, SARIF, Markdown, Jira CSV, GitHub issues, SVG) holds an ESC byte
//!   or a C1 control (U+0080 to U+009F);
//! - the text report, once our own colour codes (`ESC [ ... m`) are removed, holds no ESC or C1
//!   control, and no line of it starts with `::` (a GitHub Actions workflow command), even
//!   after white space;
//! - the Jira CSV is every cell quoted, and no cell starts with `=`, `+`, `-` or `@` (nor a tab
//!   or a carriage return) after its opening quote;
//! - each output is at most 6 times the input plus 256 KiB (the bound `tests/hardening.rs`
//!   asserts for long names) plus 16 KiB per threat, element, flow and boundary: every threat
//!   and every shape has its own text, so an ordinary diagram is far past 6 times its size
//!   (`diagrams/serverless-orders.dot`, 3.6 kB: 330 kB of SARIF), but what repeats a name is cut
//!   at 200 characters, so nothing grows with a name's length times the number of threats or
//!   crossings. The SVGs of one input count together.
#![no_main]

use std::sync::OnceLock;

use dfd_threats::export::{drawio, github_issues, jira_csv, json, markdown, sarif, svg, text};
use dfd_threats::import::{ImportOptions, Limits};
use dfd_threats::threats::Catalog;
use libfuzzer_sys::fuzz_target;

/// Parsed once: the catalog is not what this target explores.
fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().unwrap_or_default())
}

/// The size bound of `tests/hardening.rs`: output ≤ FACTOR × input + CONSTANT, plus PER_ITEM
/// for each threat, element, flow and boundary.
const FACTOR: usize = 6;
const CONSTANT: usize = 256 * 1024;
const PER_ITEM: usize = 16 * 1024;

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// No ESC byte and no C1 control anywhere in `out`.
fn no_controls(format: &str, out: &str) {
    if let Some(at) = out.find(|c: char| c == '\u{1b}' || is_c1(c)) {
        let c = out[at..].chars().next().unwrap_or_default();
        panic!("{format}: control {c:?} at byte {at}: {:?}", context(out, at));
    }
}

/// A few characters around byte `at` of `text`, for the panic message.
fn context(text: &str, at: usize) -> &str {
    let mut start = at.saturating_sub(60);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}

fn within_bound(format: &str, size: usize, input: usize, items: usize) {
    assert!(
        size <= FACTOR * input + CONSTANT + PER_ITEM * items,
        "{format}: {size} bytes of output for {input} bytes of input and {items} items"
    );
}

/// `text` without our own SGR colour codes: ESC `[`, digits and `;`, then `m`. Any other ESC is
/// kept, for [`no_controls`] to find.
fn without_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let params = after.strip_prefix('[').map(|p| {
            let len = p.find(|c: char| !(c.is_ascii_digit() || c == ';')).unwrap_or(p.len());
            (len, p[len..].starts_with('m'))
        });
        match params {
            // ESC [ params m: skip all of it.
            Some((len, true)) => rest = &after[1 + len + 1..],
            _ => {
                out.push('\u{1b}');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The cells of an RFC 4180 file where every cell is quoted: panics on anything else.
fn quoted_cells(csv: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut rest = csv;
    while !rest.is_empty() {
        let Some(body) = rest.strip_prefix('"') else {
            panic!("jira-csv: unquoted cell: {:?}", context(rest, 0));
        };
        let mut cell = String::new();
        let mut i = 0;
        let bytes = body.as_bytes();
        loop {
            let Some(quote) = body[i..].find('"') else { panic!("jira-csv: unterminated cell") };
            cell.push_str(&body[i..i + quote]);
            i += quote + 1;
            if bytes.get(i) == Some(&b'"') {
                cell.push('"');
                i += 1;
            } else {
                break;
            }
        }
        cells.push(cell);
        rest = &body[i..];
        rest = rest.strip_prefix(',').or_else(|| rest.strip_prefix("\r\n")).unwrap_or_else(|| {
            assert!(rest.is_empty(), "jira-csv: junk after a cell: {:?}", context(rest, 0));
            rest
        });
    }
    cells
}

/// `--format drawio`: the annotated file imports to the same elements and flows, and annotating
/// it again gives the same bytes (the layer is replaced, never added to).
fn annotated_drawio_reads_back(
    data: &[u8],
    options: &ImportOptions,
    report: &dfd_threats::export::Report<'_>,
    input: usize,
    items: usize,
) {
    let details = dfd_threats::export::annotation::Details::Summary;
    let Ok(source) = dfd_threats::import::drawio::source(data, options) else {
        panic!("drawio: imported, but its pages cannot be read back as text");
    };
    let Ok(once) = drawio::render(report, &source, details) else { panic!("drawio: refused") };
    within_bound("drawio", once.len(), input, items);
    let ids = |d: &dfd_threats::model::Document| -> Vec<String> {
        d.diagrams
            .iter()
            .flat_map(|g| g.elements().map(|(_, e)| e.id.clone()).chain(g.flows().map(|f| f.flow.id.clone())))
            .collect()
    };
    let Ok(again) = dfd_threats::pipeline::run("fuzz", once.as_bytes(), options, catalog()) else {
        panic!("drawio: the annotated file does not import");
    };
    assert_eq!(ids(&again.document), ids(report.document), "drawio: read back differently");
    let source = dfd_threats::import::drawio::source(once.as_bytes(), options).unwrap_or_default();
    let twice = drawio::render(&again.report(catalog()), &source, details).unwrap_or_default();
    assert!(twice == once, "drawio: a second run changed the file");
}

fuzz_target!(|data: &[u8]| {
    let catalog = catalog();
    let limits = Limits { max_inflated_bytes: 4 << 20, ..Limits::default() };
    let options = ImportOptions { limits, ..ImportOptions::default() };
    let Ok(analysed) = dfd_threats::pipeline::run("fuzz", data, &options, catalog) else { return };
    let report = analysed.report(catalog);
    let input = data.len();
    let items = report.threats.len()
        + report
            .document
            .diagrams
            .iter()
            .map(|d| d.element_count() + d.flow_count() + d.boundaries.len())
            .sum::<usize>();

    let json = json::render(&report);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "invalid JSON");
    let sarif = sarif::render(&report);
    assert!(serde_json::from_str::<serde_json::Value>(&sarif).is_ok(), "invalid SARIF JSON");
    let markdown = markdown::render(&report);
    let jira = jira_csv::render(&report);
    let issues = github_issues::render(&report);
    let mut svg_bytes = 0;
    for (name, svg) in svg::render(&report) {
        let mut reader = quick_xml::Reader::from_str(&svg);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("SVG of {name:?} is not well-formed: {e}"),
            }
        }
        no_controls("svg", &svg);
        svg_bytes += svg.len();
    }
    within_bound("svg", svg_bytes, input, items);
    if report.document.format == dfd_threats::model::Format::Drawio {
        annotated_drawio_reads_back(data, &options, &report, input, items);
    }

    for (format, out) in [
        ("json", &json),
        ("sarif", &sarif),
        ("markdown", &markdown),
        ("jira-csv", &jira),
        ("github-issues", &issues),
    ] {
        no_controls(format, out);
        within_bound(format, out.len(), input, items);
    }

    for cell in quoted_cells(&jira) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "jira-csv: a cell starts a formula: {:?}",
            context(&cell, 0)
        );
    }

    let report_text = text::render(&report);
    within_bound("text", report_text.len(), input, items);
    let plain = without_sgr(&report_text);
    no_controls("text (colour codes removed)", &plain);
    // The Actions runner trims leading white space before it looks for `::` (`TryParseV2` in
    // actions/runner), so an indented line counts too.
    for line in plain.lines() {
        assert!(!line.trim_start().starts_with("::"), "text: a line starts with `::`: {line:?}");
    }
});
