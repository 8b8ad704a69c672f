//! `dfd-threats analyze`.

use std::io::{Read, Write};
use std::path::Path;

use super::{load_catalog, warn, AnalyzeArgs, Failure, OutputFormat};
use crate::import::ImportOptions;
use crate::output::write_atomic;
use crate::pipeline;

/// Reads the input (a file or `-`), never more than `limit + 1` bytes.
fn read_input(path: &Path, limit: usize) -> Result<(String, Vec<u8>), Failure> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    let cap = (limit as u64).saturating_add(1);
    let result = if name == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(cap).read_to_end(&mut bytes))
    };
    result.map_err(|e| Failure::Plain(format!("{name}: cannot read the file: {e}")))?;
    Ok((name, bytes))
}

pub fn run(args: AnalyzeArgs) -> Result<u8, Failure> {
    let mut catalog = load_catalog(&args.catalog)?;
    let unmatched = catalog.select(&args.rules, &args.exclude_rules);
    for selector in unmatched {
        let _ = writeln!(
            anstream::stderr(),
            "warning: no rule has the id, tag or category `{selector}` (see `dfd-threats catalog list`)"
        );
    }
    let limits = args.limits.limits();
    let (name, bytes) = read_input(&args.input, limits.max_input_bytes)?;
    let options = ImportOptions { page: args.page.clone(), limits, format: None };
    let analysed =
        pipeline::run(&name, &bytes, &options, &catalog).map_err(|diagnostic| Failure::Input {
            file: name.clone(),
            source_text: Some(String::from_utf8_lossy(&bytes).into_owned()),
            diagnostic: Box::new(diagnostic),
        })?;
    let source = String::from_utf8_lossy(&bytes);
    for w in &analysed.document.warnings {
        warn(&name, w, Some(&source));
    }
    warn_unused_attributes(&analysed, &catalog);

    let report = analysed.report(&catalog);
    let rendered = match args.format {
        OutputFormat::Json => crate::export::json::render(&report),
        OutputFormat::Text => crate::export::text::render(&report),
    };
    match &args.output {
        Some(path) => {
            let bytes = if args.format == OutputFormat::Text {
                anstream::adapter::strip_str(&rendered).to_string()
            } else {
                rendered
            };
            write_atomic(path, bytes.as_bytes())
                .map_err(|e| Failure::Plain(format!("{}: cannot write: {e}", path.display())))?;
        }
        None => {
            let mut out = anstream::stdout();
            if let Err(e) = out.write_all(rendered.as_bytes()).and_then(|_| out.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(Failure::Plain(format!("cannot write to standard output: {e}")));
                }
            }
        }
    }
    Ok(0)
}

/// A user rule testing an attribute that nothing in the document declares is probably a typo.
fn warn_unused_attributes(analysed: &pipeline::Analysed, catalog: &crate::threats::Catalog) {
    use crate::threats::condition::Property;
    let mut declared = std::collections::BTreeSet::new();
    for d in &analysed.document.diagrams {
        for (_, e) in d.elements() {
            declared.extend(e.attributes.keys().map(String::as_str));
        }
        for f in d.flows() {
            declared.extend(f.flow.attributes.keys().map(String::as_str));
        }
    }
    for rule in catalog.rules().filter(|r| catalog.is_user_rule(&r.id)) {
        let Some(when) = &rule.when else { continue };
        for field in when.fields() {
            if let Property::Attr(name) = &field.property {
                if !declared.contains(name.as_str()) {
                    let _ = writeln!(
                        anstream::stderr(),
                        "warning: {}:{}: rule {} tests `{}`, which no element or flow in {} declares",
                        rule.file,
                        rule.line,
                        rule.id,
                        field.path(),
                        analysed.document.path
                    );
                }
            }
        }
    }
}
