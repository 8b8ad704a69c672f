//! The command line: `analyze` a diagram, `catalog list` and `catalog show` the rules.
//!
//! Exit codes: 0 success, 1 a `--fail-on` gate failed, 2 an input or usage error.

mod analyze;
mod catalog_cmd;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostic::Diagnostic;
use crate::threats::catalog::CatalogError;
use crate::threats::Catalog;

#[derive(Parser)]
#[command(
    name = "dfd-threats",
    version,
    about = "Turn a data flow diagram (Graphviz DOT or draw.io) into a threat model",
    long_about = "Turn a data flow diagram (Graphviz DOT or draw.io) into a threat model: an inventory of \
                  external actors, entry points, data assets, infrastructure and trust boundaries, then the \
                  STRIDE, serverless and supply-chain threats of every element and flow, with the mitigations \
                  the diagram declares and the residual risk.\n\nExit codes: 0 success, 1 a --fail-on gate \
                  failed, 2 an input or usage error.",
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse a diagram: inventory, threats, mitigations and residual risk.
    Analyze(AnalyzeArgs),
    /// List or explain the threat rules.
    #[command(subcommand)]
    Catalog(CatalogCommand),
}

/// Output formats of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Readable report: inventory, then threats by element (colour on a terminal).
    Text,
    /// The JSON threat list (schema_version 1).
    Json,
}

#[derive(Args)]
pub struct AnalyzeArgs {
    /// Diagram file (.dot, .gv, .drawio, .xml, .drawio.svg, .drawio.png), or - for standard input.
    #[arg(value_name = "INPUT")]
    input: PathBuf,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only this draw.io page or DOT graph, by name.
    #[arg(long, value_name = "NAME")]
    page: Option<String>,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// Only rules with these ids, tags or categories (comma-separated; `DFD-S-*` prefixes work).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    rules: Vec<String>,
    /// Leave out rules with these ids, tags or categories (comma-separated).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    exclude_rules: Vec<String>,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Args)]
struct CatalogArgs {
    /// A folder of .toml rule files that add rules or override built-in ones by id (repeatable).
    #[arg(long = "catalog", value_name = "DIR")]
    dirs: Vec<PathBuf>,
}

#[derive(Args)]
struct LimitArgs {
    /// Largest input file accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = crate::import::Limits::default().max_input_bytes)]
    max_input_bytes: usize,
    /// Most bytes that compressed draw.io content may inflate to.
    #[arg(long, value_name = "BYTES", default_value_t = crate::import::Limits::default().max_inflated_bytes)]
    max_inflated_bytes: usize,
    /// Deepest nesting of braces, subgraphs, XML elements or containers.
    #[arg(long, value_name = "N", default_value_t = crate::import::Limits::default().max_depth)]
    max_depth: usize,
    /// Most elements (nodes, cells) in one diagram.
    #[arg(long, value_name = "N", default_value_t = crate::import::Limits::default().max_elements)]
    max_elements: usize,
    /// Most flows (edges) in one diagram.
    #[arg(long, value_name = "N", default_value_t = crate::import::Limits::default().max_flows)]
    max_flows: usize,
    /// Longest label kept, in characters; longer ones are cut with a warning.
    #[arg(long, value_name = "N", default_value_t = crate::import::Limits::default().max_label_chars)]
    max_label_chars: usize,
}

impl LimitArgs {
    fn limits(&self) -> crate::import::Limits {
        crate::import::Limits {
            max_input_bytes: self.max_input_bytes,
            max_inflated_bytes: self.max_inflated_bytes,
            max_depth: self.max_depth,
            max_elements: self.max_elements,
            max_flows: self.max_flows,
            max_label_chars: self.max_label_chars,
        }
    }
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// List the rules: id, category, severity, title, tags.
    List {
        /// `json` gives every rule with all its fields.
        #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// Explain one rule: what it finds, when it fires, what mitigates it.
    Show {
        /// Rule id, e.g. DFD-S-001.
        id: String,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

/// A failure that ends the run with exit code 2.
pub enum Failure {
    /// A problem inside an input file, rendered with its location.
    Input { file: String, source_text: Option<String>, diagnostic: Box<Diagnostic> },
    /// Anything else: a message that says what to do.
    Plain(String),
}

impl From<CatalogError> for Failure {
    fn from(e: CatalogError) -> Self {
        Failure::Input { file: e.file, source_text: e.source_text, diagnostic: e.diagnostic }
    }
}

impl Failure {
    fn render(&self) -> String {
        match self {
            Failure::Input { file, source_text, diagnostic } => {
                diagnostic.render("error", file, source_text.as_deref())
            }
            Failure::Plain(message) => format!("error: {message}\n"),
        }
    }
}

/// Prints a warning about `file` on standard error.
pub(crate) fn warn(file: &str, diagnostic: &Diagnostic, source: Option<&str>) {
    let text = diagnostic.render("warning", file, source);
    let _ = anstream::stderr().write_all(text.as_bytes());
}

/// Loads the built-in catalog and the user's folders.
fn load_catalog(args: &CatalogArgs) -> Result<Catalog, Failure> {
    let mut catalog = Catalog::builtin()?;
    for dir in &args.dirs {
        catalog.add_dir(dir)?;
    }
    Ok(catalog)
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Catalog(CatalogCommand::List { format, catalog }) => {
            catalog_cmd::list(&catalog, format == ListFormat::Json)
        }
        Command::Catalog(CatalogCommand::Show { id, catalog }) => catalog_cmd::show(&catalog, &id),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            let _ = anstream::stderr().write_all(failure.render().as_bytes());
            ExitCode::from(2)
        }
    }
}
