//! Errors and warnings that point into the user's file.
//!
//! Every importer reports problems as a [`Diagnostic`]: what is wrong, where (a line and column for
//! text formats, a page and cell id for draw.io) and what to do about it. Rendering follows rustc:
//! the offending source line with a caret under the column.

use std::fmt;

use crate::user_text::{is_hidden_control, visible};

/// Where in the input a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// 1-based line and column (in characters) of a text format such as DOT.
    Text { line: usize, column: usize },
    /// A draw.io page and, when known, the cell id on it, and the line of the file where that
    /// cell is written (only when the page is stored as plain XML, not compressed or wrapped in
    /// an SVG or PNG): code scanning points at a line, not at a cell.
    Cell { page: String, cell: Option<String>, line: Option<usize> },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Text { line, column } => write!(f, "{line}:{column}"),
            Location::Cell { page, cell: Some(cell), .. } => {
                write!(f, "page {page:?}, cell {cell:?}")
            }
            Location::Cell { page, cell: None, .. } => write!(f, "page {page:?}"),
        }
    }
}

/// A problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub location: Option<Location>,
    /// What the user can do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic { message: message.into(), location: None, help: None }
    }

    /// A diagnostic at a 1-based line and column.
    pub fn at(line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic::new(message).with_location(Location::Text { line, column })
    }

    /// A diagnostic at a byte offset of `source` (a TOML parser's span), as a line and column.
    pub fn at_offset(source: &str, offset: usize, message: impl Into<String>) -> Self {
        let offset = offset.min(source.len());
        let before = source.get(..offset).unwrap_or(source);
        let line = before.matches('\n').count() + 1;
        let start_of_line = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(start_of_line..).map_or(0, |s| s.chars().count()) + 1;
        Diagnostic::at(line, column, message)
    }

    pub fn with_location(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders the diagnostic for a terminal: `file:line:col: message`, then the source line with
    /// a caret when the source text is at hand, then the help.
    ///
    /// Names, ids and messages come from the user's files and reach terminals and CI logs: each
    /// is shown on one line with control characters made [`visible`], so none can start a line
    /// of its own (a `::error` workflow command) or send an escape sequence.
    pub fn render(&self, severity: &str, file: &str, source: Option<&str>) -> String {
        let mut out = String::new();
        let (file, message) = (visible(file), visible(&self.message));
        match &self.location {
            Some(loc @ Location::Text { .. }) => {
                out.push_str(&format!("{severity}: {file}:{loc}: {message}\n"))
            }
            Some(loc @ Location::Cell { .. }) => out.push_str(&format!(
                "{severity}: {file}: {}: {message}\n",
                visible(&loc.to_string())
            )),
            None => out.push_str(&format!("{severity}: {file}: {message}\n")),
        }
        if let (Some(Location::Text { line, column }), Some(source)) = (&self.location, source) {
            if let Some(text) = source.lines().nth(line.saturating_sub(1)) {
                out.push_str(&caret_snippet(*line, *column, text));
            }
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("  = help: {}\n", visible(help)));
        }
        out
    }
}

/// The source line, shortened around the column when long, with a caret under the column.
fn caret_snippet(line: usize, column: usize, text: &str) -> String {
    const WIDTH: usize = 100;
    let chars: Vec<char> = text.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
    let column = column.max(1);
    let start = column.saturating_sub(WIDTH / 2).min(chars.len());
    let end = (start + WIDTH).min(chars.len());
    let shown: String =
        chars[start..end].iter().map(|&c| if is_hidden_control(c) { ' ' } else { c }).collect();
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    let caret_at = column - 1 - start;
    format!(
        "{pad} |\n{gutter} | {prefix}{shown}\n{pad} | {spaces}^\n",
        prefix = if start > 0 { "…" } else { "" },
        spaces = " ".repeat(caret_at + usize::from(start > 0)),
    )
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{loc}: {}", self.message)?,
            None => write!(f, "{}", self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// How many warnings with the same advice are shown in full before the rest are summed up.
pub const SHOWN_PER_KIND: usize = 3;

/// Renders `warnings` for a terminal, at most [`SHOWN_PER_KIND`] in full for each piece of advice
/// (`help`), then one line per advice counting the rest and naming where they are. A page drawn
/// in another notation can give a hundred "edge ends on a shape that is not a DFD element"
/// warnings; the reader needs the first few and the count. Every warning stays in the JSON report.
pub fn render_warnings(warnings: &[Diagnostic], file: &str, source: Option<&str>) -> Vec<String> {
    let mut shown: Vec<(Option<&str>, usize, Vec<String>)> = Vec::new();
    let mut out = Vec::new();
    for w in warnings {
        let help = w.help.as_deref();
        let slot = match shown.iter().position(|(h, _, _)| *h == help) {
            Some(i) => i,
            None => {
                shown.push((help, 0, Vec::new()));
                shown.len() - 1
            }
        };
        let (_, count, rest) = &mut shown[slot];
        *count += 1;
        if *count <= SHOWN_PER_KIND || help.is_none() {
            out.push(w.render("warning", file, source));
        } else if rest.len() < 5 {
            rest.extend(w.location.as_ref().map(ToString::to_string));
        }
    }
    for (help, count, rest) in shown {
        if let (Some(help), true) = (help, count > SHOWN_PER_KIND) {
            let more = count - SHOWN_PER_KIND;
            let ellipsis = match (rest.is_empty(), more > rest.len()) {
                (false, true) => "; …",
                _ => "",
            };
            let at = if rest.is_empty() {
                String::new()
            } else {
                format!(" ({}{ellipsis})", rest.join("; "))
            };
            let warnings = if more == 1 { "warning" } else { "warnings" };
            out.push(format!(
                "warning: {}: {more} more {warnings} with this advice{}; all are in the JSON report's warnings\n  = help: {}\n",
                visible(file),
                visible(&at),
                visible(help)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_of_unshown_warnings_names_only_the_places_it_knows() {
        let same = |location| {
            let w = Diagnostic::new("no actor").with_help("draw one");
            match location {
                Some(l) => w.with_location(l),
                None => w,
            }
        };
        let mut warnings = vec![same(None); SHOWN_PER_KIND + 1];
        let lines = render_warnings(&warnings, "f.drawio", None);
        let last = lines.last().map_or("", String::as_str);
        assert!(last.contains("1 more warning with this advice; all are"), "{last}");
        warnings.push(same(Some(Location::Text { line: 3, column: 1 })));
        let lines = render_warnings(&warnings, "f.drawio", None);
        let last = lines.last().map_or("", String::as_str);
        assert!(last.contains("2 more warnings with this advice (3:1; …); all are"), "{last}");
    }

    #[test]
    fn renders_caret_under_column() {
        let d = Diagnostic::at(2, 5, "unexpected `}`").with_help("close the brace");
        let out = d.render("error", "a.dot", Some("digraph {\n  a }} b\n"));
        assert_eq!(
            out,
            "error: a.dot:2:5: unexpected `}`\n  |\n2 |   a }} b\n  |     ^\n  = help: close the brace\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let text = "x".repeat(500);
        let out = caret_snippet(1, 400, &text);
        assert!(out.lines().all(|l| l.chars().count() < 120), "{out}");
        assert!(out.contains('^'));
    }

    #[test]
    fn cell_locations_name_page_and_cell() {
        let d = Diagnostic::new("edge points to a missing cell").with_location(Location::Cell {
            page: "Page-1".into(),
            cell: Some("e7".into()),
            line: None,
        });
        assert_eq!(
            d.render("warning", "x.drawio", None),
            "warning: x.drawio: page \"Page-1\", cell \"e7\": edge points to a missing cell\n"
        );
    }
}
