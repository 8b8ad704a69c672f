//! The writers, as one table: what each is called, what it writes, the file name ending it
//! writes and claims, whether it writes one file per report or per diagram, and the function
//! that writes it. `--format` (and its comma lists), `-o FILE.EXT`, the file names in
//! `--out-dir`, the orphan check, the help texts and `dfd-threats formats` all read this table,
//! so a new output format is its own module plus one row here (pandoc's `Writers.hs` is the
//! model; [`crate::import::registry`] is the readers' table).

use std::path::Path;

use super::annotation::Details;
use super::json::Layout;
use super::sarif::SarifOptions;
use super::{drawio, github_issues, jira_csv, json, markdown, otm, sarif, svg, text};
use super::{threat_dragon, Report};

/// An output format's name, as `--format` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OutputFormat(pub &'static str);

impl OutputFormat {
    pub const TEXT: OutputFormat = OutputFormat("text");
    pub const JSON: OutputFormat = OutputFormat("json");
    pub const SVG: OutputFormat = OutputFormat("svg");
    pub const DRAWIO: OutputFormat = OutputFormat("drawio");
    pub const SARIF: OutputFormat = OutputFormat("sarif");

    pub fn name(self) -> &'static str {
        self.0
    }

    /// Its row of [`WRITERS`]; every name made by [`by_name`] has one.
    pub fn writer(self) -> &'static Writer {
        by_name(self.0).unwrap_or(&WRITERS[0])
    }

    /// The file name ending written in `--out-dir`, without the dot (`annotated.drawio`).
    pub fn extension(self) -> &'static str {
        self.writer().extension
    }

    /// The format a file name asks for by its ending (`report.sarif` is SARIF); the longest
    /// ending wins, so `x.otm.json` is OTM and not the JSON report.
    pub fn from_file_name(path: &Path) -> Option<OutputFormat> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        WRITERS
            .iter()
            .flat_map(|w| w.endings.iter().map(move |e| (w, e)))
            .filter(|(_, e)| name.ends_with(*e))
            .max_by_key(|(_, e)| e.len())
            .map(|(w, _)| w.format)
    }

    /// The order formats are written in: the table's.
    pub fn rank(self) -> usize {
        WRITERS.iter().position(|w| w.format == self).unwrap_or(usize::MAX)
    }
}

/// Whether a writer writes one file for the whole report or one per diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Report,
    /// One file per diagram, named like the SVG pictures (`orders.Prod.svg`) when the document
    /// has several; standard output and `-o` take a document with one diagram only.
    Diagram,
}

/// What a writer may need beyond the report; each writer reads its own fields.
pub struct WriterOptions<'a> {
    /// `--compact`: JSON on one line.
    pub json_layout: Layout,
    /// `--svg-details`: the pictures' tooltips.
    pub details: Details,
    /// SARIF: where the input sits in the source tree and its text (`None`: the document path).
    pub sarif: Option<SarifOptions<'a>>,
    /// draw.io: the user's file, to add the annotation layer to; the error says why it could not
    /// be read as one.
    pub drawio_source: Result<&'a crate::import::drawio::Source, String>,
    /// The text report without terminal styles (files in `--out-dir`).
    pub plain_text: bool,
}

/// What a writer wrote: one part per report, or one per diagram (named after it), and what
/// the user should be told.
pub struct Written {
    pub parts: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

impl Written {
    fn one(text: String) -> Result<Written, String> {
        Ok(Written { parts: vec![(String::new(), text)], warnings: Vec::new() })
    }
}

pub type WriteFn = fn(&Report<'_>, &WriterOptions<'_>) -> Result<Written, String>;

/// One output format.
pub struct Writer {
    /// `--format NAME`.
    pub format: OutputFormat,
    /// The help line of `--format NAME` and `dfd-threats formats`.
    pub help: &'static str,
    /// The file name ending written in `--out-dir` after the input's name, without the dot.
    pub extension: &'static str,
    /// File name endings that ask for this format with `-o` (lower case, with the dot).
    pub endings: &'static [&'static str],
    pub scope: Scope,
    pub write: WriteFn,
    /// Whether a file's start (`head`, its first kilobyte) shows this writer wrote it, so
    /// `--prune` removes only our own files; `path` for writers that must look further.
    pub ours: fn(head: &str, path: &Path) -> bool,
}

/// Every writer, in the order formats are written and listed.
pub const WRITERS: &[Writer] = &[
    Writer {
        format: OutputFormat::TEXT,
        help: "Readable report: top risks, inventory, then findings with their targets (colour on a terminal)",
        extension: "txt",
        endings: &[".txt"],
        scope: Scope::Report,
        write: write_text,
        ours: |head, _| {
            head.lines().next().unwrap_or("").starts_with("Diagram ")
                && head.lines().nth(1).is_some_and(|l| l.contains(" elements, "))
        },
    },
    Writer {
        format: OutputFormat::JSON,
        help: "The JSON report (schema_version 2): inventory, rules, findings and their targets",
        extension: "json",
        endings: &[".json"],
        scope: Scope::Report,
        write: |report, options| Written::one(json::render_as(report, options.json_layout)),
        ours: |head, _| head.contains("\"schema_version\"") && head.contains("\"dfd-threats\""),
    },
    Writer {
        format: OutputFormat::SVG,
        help: "The annotated diagram: one SVG per diagram (draw.io pages: pick one with --page, or use --out-dir)",
        extension: "svg",
        endings: &[".svg"],
        scope: Scope::Diagram,
        write: |report, options| {
            Ok(Written { parts: svg::render_with(report, options.details), warnings: Vec::new() })
        },
        ours: |head, _| head.starts_with("<svg") && head.contains("<title>Threat model: "),
    },
    Writer {
        format: OutputFormat::DRAWIO,
        help: "The draw.io file itself with one layer added to each page, holding the annotations (draw.io input only; written as X.annotated.drawio with --out-dir)",
        extension: "annotated.drawio",
        endings: &[".drawio"],
        scope: Scope::Report,
        write: |report, options| {
            let source = options.drawio_source.clone()?;
            Written::one(drawio::render(report, source, options.details)?)
        },
        // The user's own diagram with our layer: the layer's id is in the file, but maybe past
        // the first kilobyte, so the whole file is looked at.
        ours: |_, path| {
            std::fs::read_to_string(path)
                .is_ok_and(|text| text.contains(crate::import::drawio::ANNOTATION_LAYER))
        },
    },
    Writer {
        format: OutputFormat::SARIF,
        help: "SARIF 2.1.0 for GitHub code scanning and other SARIF viewers",
        extension: "sarif",
        endings: &[".sarif"],
        scope: Scope::Report,
        write: |report, options| {
            let fallback;
            let sarif_options = match &options.sarif {
                Some(o) => o,
                None => {
                    fallback = SarifOptions::for_document(&report.document.path);
                    &fallback
                }
            };
            let rendered = sarif::render_with(report, sarif_options);
            Ok(Written { parts: vec![(String::new(), rendered.text)], warnings: rendered.warnings })
        },
        ours: |head, _| head.contains("\"id\": \"dfd-threats/"),
    },
    Writer {
        format: OutputFormat("markdown"),
        help: "Markdown report for docs sites: elements, findings, mitigations, residual risk",
        extension: "md",
        endings: &[".md"],
        scope: Scope::Report,
        write: |report, _| Written::one(markdown::render(report)),
        ours: |head, _| head.contains("\nGenerated by dfd-threats "),
    },
    Writer {
        format: OutputFormat("jira-csv"),
        help: "CSV for Jira's importer: one row per open finding",
        extension: "csv",
        endings: &[".csv"],
        scope: Scope::Report,
        write: |report, _| Written::one(jira_csv::render(report)),
        ours: |head, _| {
            let first_line = head.lines().next().unwrap_or("");
            first_line.starts_with("\"Summary\"") && first_line.ends_with("\"Finding ID\"")
        },
    },
    Writer {
        format: OutputFormat("github-issues"),
        help: "JSON lines for a GitHub issues sync: open findings to file, the others to close",
        extension: "jsonl",
        endings: &[".jsonl"],
        scope: Scope::Report,
        write: |report, _| Written::one(github_issues::render(report)),
        ours: |head, _| {
            let first_line = head.lines().next().unwrap_or("");
            head.is_empty()
                || (first_line.starts_with("{\"id\":\"F-") && first_line.contains("\"state\":"))
        },
    },
    Writer {
        format: OutputFormat("otm"),
        help: "Open Threat Model (OTM 0.2.0) JSON: zones, components and flows with positions, findings as threats, mitigations",
        extension: "otm.json",
        endings: &[".otm.json", ".otm"],
        scope: Scope::Report,
        write: otm::write,
        ours: |head, _| otm::ours(head),
    },
    Writer {
        format: OutputFormat("threat-dragon"),
        help: "An OWASP Threat Dragon v2 model: the diagrams laid out, each threat on its element or flow",
        extension: "threat-dragon.json",
        endings: &[".threat-dragon.json", ".td.json"],
        scope: Scope::Report,
        write: threat_dragon::write,
        ours: |head, _| threat_dragon::ours(head),
    },
];

fn write_text(report: &Report<'_>, options: &WriterOptions<'_>) -> Result<Written, String> {
    let styled = text::render(report);
    Written::one(if options.plain_text {
        anstream::adapter::strip_str(&styled).to_string()
    } else {
        styled
    })
}

/// The writer named `name`.
pub fn by_name(name: &str) -> Option<&'static Writer> {
    WRITERS.iter().find(|w| w.format.name() == name)
}

/// Every ending that asks for a format with `-o`, for the help of `--format`: the text report's
/// last, as the fallback it is.
pub fn endings_described() -> String {
    let mut endings: Vec<&str> = WRITERS
        .iter()
        .filter(|w| w.format != OutputFormat::TEXT)
        .flat_map(|w| w.endings.iter().copied())
        .collect();
    endings.extend(OutputFormat::TEXT.writer().endings);
    endings.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_endings_and_extensions_are_unique_and_lower_case() {
        let names: Vec<&str> = WRITERS.iter().map(|w| w.format.name()).collect();
        let endings: Vec<&str> = WRITERS.iter().flat_map(|w| w.endings.iter().copied()).collect();
        let extensions: Vec<&str> = WRITERS.iter().map(|w| w.extension).collect();
        for list in [&names, &endings, &extensions] {
            for x in list.iter() {
                assert_eq!(list.iter().filter(|y| *y == x).count(), 1, "{x} twice");
                assert_eq!(*x, x.to_ascii_lowercase());
            }
        }
        assert!(endings.iter().all(|e| e.starts_with('.')));
        assert!(names.iter().all(|n| by_name(n).is_some_and(|w| w.format.name() == *n)));
    }

    #[test]
    fn the_longest_ending_decides() {
        let format = |name: &str| OutputFormat::from_file_name(Path::new(name)).map(|f| f.name());
        assert_eq!(format("Report.SARIF"), Some("sarif"));
        assert_eq!(format("x.annotated.drawio"), Some("drawio"));
        assert_eq!(format("x.jsonl"), Some("github-issues"));
        assert_eq!(format("x.json"), Some("json"));
        assert_eq!(format("x.yaml"), None);
        assert_eq!(format("model.otm.json"), Some("otm"));
        assert_eq!(format("model.threat-dragon.json"), Some("threat-dragon"));
    }
}
