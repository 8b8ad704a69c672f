//! An HTML label as draw.io lays it out, for the picture: lines made of runs of emphasis
//! (`<b>Name:</b> value`), blank lines where `<br>`s leave them, `<hr>` rules and `<table>`s
//! with their rows, cells, spans and colours.
//!
//! Only plain values come out (text, [`LineStyle`]s whose colours passed
//! [`colour`](crate::model::drawing::colour), clamped numbers): no markup survives, and the
//! writer escapes the text again. Everything is bounded: at most [`MAX_BLOCKS`] blocks,
//! [`MAX_ROWS`] rows, [`MAX_CELLS`] cells a row and [`MAX_CELL_LINES`] lines a cell; a table
//! inside a table is read as its cells' text.

use super::html_text::{attribute, decode_entity, open_or_close, MAX_OPEN};
use crate::import::text::prefix_within;
use crate::model::drawing::{colour, Align, Block, LineStyle, Run, Table, TableCell, TableRow};

pub const MAX_BLOCKS: usize = 400;
pub const MAX_ROWS: usize = 200;
pub const MAX_CELLS: usize = 50;
pub const MAX_CELL_LINES: usize = 40;
/// A `colspan` or `cellpadding` beyond these is not a table anyone drew.
const MAX_SPAN: usize = 50;
const MAX_PADDING: f64 = 50.0;
/// HTML's default `cellpadding`.
const PADDING: f64 = 1.0;
/// The border colour browsers give `border="1"` when no colour is said.
const BORDER: &str = "#808080";

/// The blocks of an HTML fragment, top to bottom. Broken markup is tolerated as
/// [`html_to_text`](super::html_text::html_to_text) tolerates it.
pub fn html_to_blocks(html: &str) -> Vec<Block> {
    let mut b = Builder::default();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let inner = &rest[1..];
                let end = inner.find('>').unwrap_or(inner.len());
                b.tag(inner[..end].trim());
                rest = inner.get(end + 1..).unwrap_or("");
            }
            '&' => {
                let after = &rest[1..];
                // Entities are short: looking further would make `&&&&…` quadratic.
                let decoded = prefix_within(after, 11)
                    .find(';')
                    .and_then(|e| decode_entity(&after[..e]).map(|d| (e, d)));
                match decoded {
                    Some((e, d)) => {
                        b.char(d);
                        rest = &after[e + 1..];
                    }
                    None => {
                        b.char('&');
                        rest = after;
                    }
                }
            }
            _ => {
                b.char(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    b.finish()
}

/// Whether `blocks` need drawing as blocks: plain lines, each in one emphasis, with no blank
/// line first or doubled, draw the same as the label's text.
pub fn needs_blocks(blocks: &[Block]) -> bool {
    let mut blank_before = true;
    for block in blocks {
        match block {
            Block::Rule | Block::Table(_) => return true,
            Block::Line { runs, .. } if runs.is_empty() => {
                if blank_before {
                    return true;
                }
                blank_before = true;
            }
            Block::Line { runs, align } => {
                if align.is_some() || runs.iter().any(|r| r.style != runs[0].style) {
                    return true;
                }
                blank_before = false;
            }
        }
    }
    false
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    line: Vec<Run>,
    open: Vec<(String, LineStyle)>,
    table: Option<Table>,
    row: Option<TableRow>,
    cell: Option<TableCell>,
    /// Tables opened inside the table being read.
    nested: usize,
    /// The `text-align` of each paragraph (`<p>`, `<div>`) open, innermost last.
    aligns: Vec<Option<Align>>,
    /// Whether the table's border colour came from its own style.
    border_said: bool,
}

impl Builder {
    fn style(&self) -> LineStyle {
        self.open.last().map(|(_, s)| s.clone()).unwrap_or_default()
    }

    fn char(&mut self, c: char) {
        let space = c.is_whitespace();
        let last_is_space =
            self.line.last().is_none_or(|r| r.text.is_empty() || r.text.ends_with(' '));
        if space && last_is_space {
            return;
        }
        let style = self.style();
        let c = if space { ' ' } else { c };
        match self.line.last_mut() {
            Some(run) if run.style == style => run.text.push(c),
            _ => self.line.push(Run { text: c.to_string(), style }),
        }
    }

    /// Ends the current line; an empty one only when `blank` (a `<br>`) asks for it.
    fn end_line(&mut self, blank: bool) {
        if let Some(last) = self.line.last_mut() {
            let kept = last.text.trim_end().len();
            last.text.truncate(kept);
        }
        self.line.retain(|r| !r.text.is_empty());
        if self.line.is_empty() && !blank {
            return;
        }
        let line = std::mem::take(&mut self.line);
        if let Some(cell) = self.cell.as_mut() {
            if cell.lines.len() < MAX_CELL_LINES {
                cell.lines.push(line);
            }
        } else if self.table.is_none() && self.blocks.len() < MAX_BLOCKS {
            let align = self.aligns.last().copied().flatten();
            self.blocks.push(Block::Line { runs: line, align });
        }
    }

    fn tag(&mut self, raw: &str) {
        let lower = raw.to_ascii_lowercase();
        let closing = lower.starts_with('/');
        let name: String = lower
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        match (name.as_str(), closing) {
            ("br", _) => self.end_line(true),
            ("hr", false) => {
                self.end_line(false);
                if self.table.is_none() && self.blocks.len() < MAX_BLOCKS {
                    self.blocks.push(Block::Rule);
                }
            }
            ("div" | "p" | "li" | "h1" | "h2" | "h3" | "h4" | "ul" | "ol", _) => {
                self.end_line(false);
                self.paragraph(raw, closing);
            }
            ("table", false) => self.open_table(raw),
            ("table", true) => self.close_table(),
            ("tr", false) if self.nested == 0 => self.open_row(raw),
            ("tr", true) if self.nested == 0 => self.close_row(),
            ("td" | "th", false) if self.nested == 0 => self.open_cell(raw, name == "th"),
            ("td" | "th", true) if self.nested == 0 => self.close_cell(),
            ("td" | "th", false) => self.char(' '),
            _ => {}
        }
        open_or_close(&mut self.open, &name, raw, closing);
    }

    /// A paragraph's alignment, kept while it is open (depth bounded as the emphasis is).
    fn paragraph(&mut self, raw: &str, closing: bool) {
        if closing {
            self.aligns.pop();
        } else if self.aligns.len() < MAX_OPEN && !raw.ends_with('/') {
            let css = attribute(raw, "style").unwrap_or_default().to_ascii_lowercase();
            let own =
                align_of(attribute(raw, "align").as_deref().or(css_value(&css, "text-align")));
            let inherited = self.aligns.last().copied().flatten();
            self.aligns.push(own.or(inherited));
        }
    }

    fn open_table(&mut self, raw: &str) {
        if self.table.is_some() {
            self.nested += 1;
            return;
        }
        self.end_line(false);
        let css = attribute(raw, "style").unwrap_or_default().to_ascii_lowercase();
        let bordered = attribute(raw, "border")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .is_some_and(|w| w > 0.0);
        let said = css_border_colour(&css);
        self.border_said = said.is_some();
        let border = bordered.then(|| said.unwrap_or_else(|| BORDER.into()));
        let width_attr = attribute(raw, "width").unwrap_or_default();
        let padding = attribute(raw, "cellpadding")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .map_or(PADDING, |v| v.clamp(0.0, MAX_PADDING));
        self.table = Some(Table {
            rows: Vec::new(),
            border,
            fill_width: width_attr.trim() == "100%" || css_value(&css, "width") == Some("100%"),
            fill_height: css_value(&css, "height") == Some("100%"),
            padding,
        });
    }

    fn close_table(&mut self) {
        if self.nested > 0 {
            self.nested -= 1;
            return;
        }
        self.close_row();
        if let Some(table) = self.table.take() {
            if !table.rows.is_empty() && self.blocks.len() < MAX_BLOCKS {
                self.blocks.push(Block::Table(table));
            }
        }
    }

    fn open_row(&mut self, raw: &str) {
        if self.table.is_none() {
            return;
        }
        self.close_row();
        let css = attribute(raw, "style").unwrap_or_default().to_ascii_lowercase();
        let background = css_value(&css, "background-color").and_then(colour);
        self.row = Some(TableRow { cells: Vec::new(), background });
        self.border_from(&css);
    }

    fn close_row(&mut self) {
        self.close_cell();
        let (Some(table), Some(row)) = (self.table.as_mut(), self.row.take()) else { return };
        if table.rows.len() < MAX_ROWS {
            table.rows.push(row);
        }
    }

    fn open_cell(&mut self, raw: &str, header: bool) {
        if self.table.is_none() {
            return;
        }
        self.close_cell();
        if self.row.is_none() {
            self.row = Some(TableRow::default());
        }
        let css = attribute(raw, "style").unwrap_or_default().to_ascii_lowercase();
        let align = align_of(attribute(raw, "align").as_deref().or(css_value(&css, "text-align")));
        self.border_from(&css);
        let span = attribute(raw, "colspan")
            .and_then(|v| v.trim().parse::<usize>().ok())
            .map_or(1, |s| s.clamp(1, MAX_SPAN));
        let background = css_value(&css, "background-color").and_then(colour);
        self.cell = Some(TableCell { lines: Vec::new(), span, align, background, header });
    }

    /// A bordered table whose own style names no border colour takes the first its rows or
    /// cells name (draw.io's table shape colours the borders on its rows).
    fn border_from(&mut self, css: &str) {
        if self.border_said {
            return;
        }
        let Some(table) = self.table.as_mut().filter(|t| t.border.is_some()) else { return };
        if let Some(c) = css_border_colour(css) {
            table.border = Some(c);
            self.border_said = true;
        }
    }

    fn close_cell(&mut self) {
        if self.cell.is_none() {
            return;
        }
        self.end_line(false);
        let (Some(row), Some(cell)) = (self.row.as_mut(), self.cell.take()) else { return };
        if row.cells.len() < MAX_CELLS {
            row.cells.push(cell);
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.nested = 0;
        self.close_table();
        self.end_line(false);
        self.blocks
    }
}

/// `left`, `center`, `right` as an alignment.
fn align_of(word: Option<&str>) -> Option<Align> {
    match word.map(|w| w.trim().to_ascii_lowercase()).as_deref() {
        Some("left") => Some(Align::Start),
        Some("center") => Some(Align::Middle),
        Some("right") => Some(Align::End),
        _ => None,
    }
}

/// The value of `property` in a lower-cased CSS declaration list.
fn css_value<'a>(css: &'a str, property: &str) -> Option<&'a str> {
    css.split(';').take(32).find_map(|declaration| {
        let (p, v) = declaration.split_once(':')?;
        (p.trim() == property).then(|| v.trim())
    })
}

/// The colour in a CSS `border` shorthand (`1px solid #82b366`).
fn css_border_colour(css: &str) -> Option<String> {
    css_value(css, "border")?.split_whitespace().find_map(colour)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Line { runs, .. } => runs.iter().map(|r| r.text.as_str()).collect(),
                Block::Rule => "---".into(),
                Block::Table(t) => format!("table {}x{}", t.rows.len(), t.rows[0].cells.len()),
            })
            .collect()
    }

    #[test]
    fn lines_keep_their_runs_and_blank_lines() {
        let blocks = html_to_blocks("<br><b>Name:</b> orders<br><br>Second&nbsp;line<br>");
        assert_eq!(texts(&blocks), ["", "Name: orders", "", "Second line"]);
        let Block::Line { runs, .. } = &blocks[1] else { panic!("{blocks:?}") };
        assert_eq!(runs.len(), 2);
        assert_eq!((runs[0].style.bold, runs[1].style.bold), (Some(true), None));
        assert!(needs_blocks(&blocks));
        assert!(!needs_blocks(&html_to_blocks("<b>User</b><br>client")));
        let centred =
            html_to_blocks("<p style=\"margin: 0; text-align: center\">DB</p><hr size=\"1\">");
        assert!(
            matches!(&centred[0], Block::Line { align: Some(Align::Middle), .. }),
            "{centred:?}"
        );
    }

    #[test]
    fn rules_and_tables_are_blocks() {
        let html = "<b>Users</b><hr>id<br>name<table border=\"1\" style=\"width: 100%; \
                    border: 1px solid #82B366\"><tr style=\"background-color: #d5e8d4\">\
                    <th colspan=\"2\">Assets</th></tr><tr><td>A01</td><td align=\"right\">\
                    Card<br>data</td></tr></table>";
        let blocks = html_to_blocks(html);
        assert_eq!(texts(&blocks), ["Users", "---", "id", "name", "table 2x1"]);
        let Block::Table(t) = &blocks[4] else { panic!("{blocks:?}") };
        assert_eq!(t.border.as_deref(), Some("#82b366"));
        assert!(t.fill_width && !t.fill_height);
        assert_eq!(t.rows[0].background.as_deref(), Some("#d5e8d4"));
        assert_eq!((t.rows[0].cells[0].span, t.rows[0].cells[0].header), (2, true));
        assert_eq!(t.rows[1].cells[1].lines.len(), 2);
        assert_eq!(t.rows[1].cells[1].align, Some(Align::End));
    }

    #[test]
    fn hostile_tables_stay_bounded_and_plain() {
        let many = "<table><tr>".to_string() + &"<td>x</td>".repeat(10_000) + "</tr></table>";
        let Block::Table(t) = &html_to_blocks(&many)[0] else { panic!() };
        assert_eq!(t.rows[0].cells.len(), MAX_CELLS);
        let rows = "<table>".to_string() + &"<tr><td>x".repeat(10_000);
        let Block::Table(t) = &html_to_blocks(&rows)[0] else { panic!() };
        assert_eq!(t.rows.len(), MAX_ROWS);
        let odd = "<table border=\"x\" cellpadding=\"1e9\"><tr style=\"background-color:url(x)\">\
                   <td colspan=\"99999\">&lt;script&gt;</td></tr></table>";
        let Block::Table(t) = &html_to_blocks(odd)[0] else { panic!() };
        assert_eq!(
            (t.border.as_ref(), t.padding, t.rows[0].background.as_ref()),
            (None, 50.0, None)
        );
        assert_eq!(t.rows[0].cells[0].span, MAX_SPAN);
        assert_eq!(t.rows[0].cells[0].lines[0][0].text, "<script>");
        let nested = "<table><tr><td><table><tr><td>in</td></tr></table>out</td></tr></table>";
        let Block::Table(t) = &html_to_blocks(nested)[0] else { panic!() };
        assert_eq!(t.rows.len(), 1);
        assert_eq!(html_to_blocks(&"<br>".repeat(10_000)).len(), MAX_BLOCKS);
        assert_eq!(html_to_blocks("<table"), []);
    }
}
