//! The command line: `analyze` a diagram, `catalog list` and `catalog show` the rules.
//!
//! Exit codes: 0 success, 1 a `--fail-on` gate failed, 2 an input or usage error.

mod analyze;
mod catalog_cmd;
mod docs_build;
mod source_root;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::export::registry::OutputFormat;

use crate::diagnostic::Diagnostic;
use crate::knowledge::{Knowledge, KnowledgeError};
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
    Analyze(Box<AnalyzeArgs>),
    /// List or explain the threat rules.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Print a shell completion script (e.g. `dfd-threats completions bash >
    /// ~/.local/share/bash-completion/completions/dfd-threats`).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// List the formats read (with the file names each claims) and written.
    Formats,
    /// Print the man page, in roff (e.g. `dfd-threats man | man -l -`); with a subcommand, that
    /// subcommand's page.
    Man {
        /// `analyze` or `catalog`.
        subcommand: Option<String>,
    },
}

/// The readers and writers, as `dfd-threats formats` lists them: both from their tables, so the
/// list cannot miss one.
fn formats_table() -> String {
    let mut out = String::from("Read (recognised by content; --from NAME to force):\n");
    for r in crate::import::registry::READERS {
        let names: Vec<&str> = r.extensions.iter().chain(r.shared_extensions).copied().collect();
        out.push_str(&format!("  {:<14} {:<31} {}\n", r.format.name(), r.title, names.join(" ")));
    }
    out.push_str("Written (--format NAME, or -o FILE.EXT):\n");
    for w in crate::export::registry::WRITERS {
        out.push_str(&format!("  {:<14} .{:<13} {}\n", w.format.name(), w.extension, w.help));
    }
    out
}

/// `--format`'s values: the writers' names, each with its help line.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = OutputFormat> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = crate::export::registry::WRITERS
        .iter()
        .map(|w| PossibleValue::new(w.format.name()).help(w.help));
    PossibleValuesParser::new(values).map(|name| {
        crate::export::registry::by_name(&name).map_or(OutputFormat::TEXT, |w| w.format)
    })
}

fn format_help() -> String {
    format!(
        "Output format; several, comma-separated, with --out-dir [default: from the -o file's \
         extension ({}), else text]",
        crate::export::registry::endings_described()
    )
}

/// How much threat text the pictures' tooltips carry, as `--svg-details` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetailsArg {
    /// No tooltips.
    None,
    /// What each element and flow is, its threat counts and its worst open threat.
    Summary,
    /// Every threat's id, status and title.
    Full,
}

impl DetailsArg {
    pub fn details(self) -> crate::export::annotation::Details {
        use crate::export::annotation::Details;
        match self {
            DetailsArg::None => Details::None,
            DetailsArg::Summary => Details::Summary,
            DetailsArg::Full => Details::Full,
        }
    }
}

/// A threat status, as `--status` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Open,
    Mitigated,
    Accepted,
}

impl StatusArg {
    pub fn status(self) -> crate::threats::Status {
        match self {
            StatusArg::Open => crate::threats::Status::Open,
            StatusArg::Mitigated => crate::threats::Status::Mitigated,
            StatusArg::Accepted => crate::threats::Status::Accepted,
        }
    }
}

#[derive(Args)]
pub struct AnalyzeArgs {
    /// Diagram files (.dot, .gv, .drawio, .xml, .drawio.svg, .drawio.png) or folders of them, or -
    /// for standard input. Several inputs need --out-dir, unless their text reports go to standard
    /// output one after another.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<PathBuf>,
    // The names, their help and the endings all come from the writers' table.
    #[arg(short, long, value_name = "FORMAT", value_delimiter = ',', value_parser = format_parser(),
          help = format_help())]
    format: Vec<OutputFormat>,
    /// Write to this file (atomically) instead of standard output; `-` is standard output.
    #[arg(short, long, value_name = "FILE", conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Write one file per input and format into this folder, named after the input file
    /// (orders.dot → orders.dot.json, orders.dot.md, ...), sub-folders mirrored.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Write nothing; list the files in --out-dir that are stale, missing or orphaned (written
    /// by dfd-threats for an input no longer given) and exit 1 when there is any.
    #[arg(long, requires = "out_dir")]
    check: bool,
    /// Write the JSON on one line, without indentation (a third smaller or more), for machines.
    #[arg(long)]
    compact: bool,
    /// Remove orphaned files from --out-dir (only files dfd-threats wrote, in the formats asked).
    #[arg(long, requires = "out_dir", conflicts_with = "check")]
    prune: bool,
    /// Only this draw.io page, DOT graph, or diagram of a Threat Dragon or TMT model, by name.
    #[arg(long, value_name = "NAME")]
    page: Option<String>,
    /// Read the input as this format instead of recognising it by its content (`dfd-threats
    /// formats` lists them).
    #[arg(long, value_name = "FORMAT", value_parser = clap::builder::PossibleValuesParser::new(
        crate::import::registry::READERS.iter().map(|r| r.format.name())))]
    from: Option<String>,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// A folder of .toml knowledge files that add technologies, icons, label nouns, zone words,
    /// flow facts or sensitive-data words to the built-in ones (repeatable; same format as
    /// knowledge/*.toml).
    #[arg(long = "knowledge", value_name = "DIR")]
    knowledge: Vec<PathBuf>,
    /// Only rules with these ids, tags or categories (comma-separated; `DFD-S-*` prefixes work).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    rules: Vec<String>,
    /// Leave out rules with these ids, tags or categories (comma-separated).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    exclude_rules: Vec<String>,
    /// A previous run's JSON (schema_version 2 or 1): mark each threat new, reopened or unchanged
    /// and list the fixed ones.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Exit 1 when an open threat at or above this severity exists (only new ones with
    /// --baseline).
    #[arg(long, value_name = "SEVERITY", value_parser = ["low", "medium", "high", "critical"])]
    fail_on: Option<String>,
    /// Show only threats of this severity (risk before mitigations) or above, in every format.
    /// The gate (--fail-on) still sees every threat.
    #[arg(long, value_name = "SEVERITY", value_parser = ["low", "medium", "high", "critical"])]
    min_severity: Option<String>,
    /// Show only threats with these statuses, comma-separated, in every format [default: all].
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STATUS")]
    status: Vec<StatusArg>,
    /// Tooltips of the annotated pictures (svg, drawio): none, a summary per element and flow
    /// (counts and the worst open threat), or every threat's title.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = DetailsArg::Summary)]
    svg_details: DetailsArg,
    /// Suppressions file [default: dfd-threats.toml next to each input, when present].
    #[arg(long, value_name = "FILE")]
    suppressions: Option<PathBuf>,
    /// SARIF file paths are relative to this folder [default: the git work tree holding the
    /// input, else the current folder].
    #[arg(long, value_name = "DIR")]
    source_root: Option<PathBuf>,
    /// SARIF: also write mitigated and accepted threats, as suppressed results (GitHub code
    /// scanning shows them as open alerts).
    #[arg(long)]
    sarif_include_closed: bool,
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
    /// Most flows one DOT edge statement may expand to (`{a b} -> {c d}` is four).
    #[arg(long, value_name = "N", default_value_t = crate::import::Limits::default().max_flows_per_statement)]
    max_flows_per_statement: usize,
    /// Most flows a DOT file may expand to per byte of input (at least 10,000 in any file).
    #[arg(long, value_name = "N", default_value_t = crate::import::Limits::default().max_flows_per_input_byte)]
    max_flows_per_input_byte: usize,
    /// Most rectangles, containers and groups on a draw.io page that may be trust boundaries.
    #[arg(long, value_name = "N", default_value_t = crate::import::Limits::default().max_boundary_candidates)]
    max_boundary_candidates: usize,
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
            max_flows_per_statement: self.max_flows_per_statement,
            max_flows_per_input_byte: self.max_flows_per_input_byte,
            max_boundary_candidates: self.max_boundary_candidates,
        }
    }
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// List the rules: id, category, severity, title, tags.
    List {
        /// `json` gives every rule with all its fields; `markdown` the rule reference
        /// (docs/rules.md), one section per rule.
        #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// The labels GitHub issues from `--format github-issues` carry, one JSON object per line
    /// (`{"name", "color", "description"}`), for `gh label create`.
    Labels {
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
    Markdown,
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

impl From<KnowledgeError> for Failure {
    fn from(e: KnowledgeError) -> Self {
        Failure::Input { file: e.file, source_text: e.source_text, diagnostic: e.diagnostic }
    }
}

impl Failure {
    pub(crate) fn render(&self) -> String {
        match self {
            Failure::Input { file, source_text, diagnostic } => {
                diagnostic.render("error", file, source_text.as_deref())
            }
            Failure::Plain(message) => format!("error: {message}\n"),
        }
    }
}

/// Loads the built-in catalog and the user's folders.
fn load_catalog(args: &CatalogArgs) -> Result<Catalog, Failure> {
    let mut catalog = Catalog::builtin()?;
    for dir in &args.dirs {
        catalog.add_dir(dir)?;
    }
    Ok(catalog)
}

/// Puts the built-in knowledge and the user's `--knowledge` folders in force, before anything
/// is imported (see [`crate::knowledge`] for why this is process-wide).
fn install_knowledge(dirs: &[PathBuf]) -> Result<(), Failure> {
    if dirs.is_empty() {
        return Ok(());
    }
    if crate::knowledge::install(Knowledge::load(dirs)?) {
        Ok(())
    } else {
        Err(Failure::Plain("internal error: the knowledge was read before --knowledge was".into()))
    }
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
    std::panic::set_hook(Box::new(|_| {}));
    let run = std::panic::AssertUnwindSafe(|| match cli.command {
        Command::Analyze(args) => analyze::run(*args),
        Command::Catalog(CatalogCommand::List { format, catalog }) => {
            catalog_cmd::list(&catalog, format)
        }
        Command::Catalog(CatalogCommand::Show { id, catalog }) => catalog_cmd::show(&catalog, &id),
        Command::Catalog(CatalogCommand::Labels { catalog }) => catalog_cmd::labels(&catalog),
        Command::Completions { shell } => completions(shell),
        Command::Man { subcommand } => man(subcommand.as_deref()),
        Command::Formats => {
            print!("{}", formats_table());
            Ok(0)
        }
    });
    let result = std::panic::catch_unwind(run).unwrap_or_else(|payload| {
        Err(Failure::Plain(format!(
            "internal error ({}); please report this to the dfd-threats maintainers with the input file",
            panic_message(payload.as_ref())
        )))
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            let message = crate::user_text::visible_lines(&failure.render());
            let _ = anstream::stderr().write_all(message.as_bytes());
            ExitCode::from(2)
        }
    }
}

/// Writes bytes to standard output, as they are.
fn print_raw(bytes: &[u8]) -> Result<u8, Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Plain(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(0),
    }
}

/// The completion script for `shell`, from the same definition that parses the command line,
/// so it never falls behind a new flag.
fn completions(shell: clap_complete::Shell) -> Result<u8, Failure> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "dfd-threats", &mut script);
    print_raw(&script)
}

/// The man page of the tool, or of one subcommand (`dfd-threats-analyze(1)`).
fn man(subcommand: Option<&str>) -> Result<u8, Failure> {
    use clap::CommandFactory;
    let command = Cli::command();
    let page = match subcommand {
        None => command,
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                return Err(Failure::Plain(format!(
                    "no subcommand `{}`: the subcommands are {}",
                    crate::user_text::visible(name),
                    names.join(", ")
                )));
            };
            sub.clone().name(format!("dfd-threats-{name}"))
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .map_err(|e| Failure::Plain(format!("cannot render the man page: {e}")))?;
    print_raw(&roff)
}

/// The message a panic carried, for a one-line internal error. The default panic hook is
/// replaced by a silent one in [`main`]: a panic is reported once, as an error of the input it
/// happened in, not as a backtrace hint.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string());
    crate::user_text::capped(&text, crate::user_text::MAX_SHOWN_CHARS).into_owned()
}
