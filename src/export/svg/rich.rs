//! Labels drawn as draw.io lays out their HTML ([`Block`]s): a line's runs of emphasis as
//! tspans of one text line, blank lines kept, `<hr>` as a rule across the label, tables as
//! rows of bordered cells sized to their text (stretched over the box when the table says
//! `width`/`height: 100%`, as draw.io's table shape does).
//!
//! Colours go through the palette's check again, text through the writer's escaping.

use super::canvas::Canvas;
use super::drawing::{Emphasis, BASELINE, LINE_HEIGHT, MAX_LINES};
use super::palette;
use crate::layout::text_size;
use crate::model::drawing::{Align, Block, LineStyle, Run, Table, Text};
use crate::model::Rect;

/// A browser's `<hr>`: its half-em margins and its line.
const RULE_COLOUR: &str = "#808080";

/// One line ready to draw.
struct Laid {
    runs: Vec<Run>,
    align: Align,
    width: f64,
    /// The line's height: its largest font's.
    height: f64,
    px: f64,
}

enum Row<'a> {
    Line(Laid),
    Rule,
    Table(&'a Table, Grid),
}

/// Draws `text.rich`; returns the box it covers.
pub fn draw_rich(canvas: &mut Canvas, text: &Text) -> Rect {
    let base = Emphasis::of(text);
    let px = text.font_px;
    let wrap_width = if text.wrap { text.area.width + 2.0 } else { f64::MAX };
    let mut rows = Vec::new();
    let mut lines = 0;
    for block in &text.rich {
        match block {
            Block::Line { runs, align } => {
                for mut line in wrap(runs, px, wrap_width) {
                    line.align = align.unwrap_or(text.align);
                    if lines < MAX_LINES {
                        rows.push(Row::Line(line));
                    }
                    lines += 1;
                }
            }
            Block::Rule => rows.push(Row::Rule),
            Block::Table(t) => rows.push(Row::Table(t, grid(t, px, text.area))),
        }
    }
    let rule = px + 2.0;
    let height: f64 = rows
        .iter()
        .map(|r| match r {
            Row::Line(l) => l.height,
            Row::Rule => rule,
            Row::Table(_, g) => g.height,
        })
        .sum();
    let widest = rows
        .iter()
        .map(|r| match r {
            Row::Line(l) => l.width,
            Row::Rule => 0.0,
            Row::Table(_, g) => g.width,
        })
        .fold(0.0, f64::max);
    let a = text.area;
    let top = match text.valign {
        Align::Start => a.y,
        Align::Middle => a.y + (a.height - height) / 2.0,
        Align::End => a.y + a.height - height,
    };
    let left_of = |w: f64| match text.align {
        Align::Start => a.x,
        Align::Middle => a.x + (a.width - w) / 2.0,
        Align::End => a.x + a.width - w,
    };
    let span = if text.wrap { a.width.max(widest) } else { widest };
    let covered = Rect { x: left_of(span), y: top, width: span, height };
    canvas.include(covered);
    if let Some(background) = palette::user_colour(text.background.as_deref()) {
        let r = Rect { x: covered.x - 2.0, width: covered.width + 4.0, ..covered };
        canvas.out.tag("rect").bounds(r).attr("fill", &background).leaf();
    }
    let mut y = top;
    for row in &rows {
        match row {
            Row::Line(l) => {
                let (x, anchor) = anchor(l.align, a);
                draw_line(canvas, &base, l, (x, y + l.px * BASELINE), anchor);
                y += l.height;
            }
            Row::Rule => {
                let mid =
                    Rect { x: covered.x, y: y + rule / 2.0, width: covered.width, height: 0.0 };
                canvas
                    .out
                    .tag("rect")
                    .bounds(Rect { height: 1.0, ..mid })
                    .attr("fill", RULE_COLOUR)
                    .leaf();
                y += rule;
            }
            Row::Table(t, g) => {
                draw_table(canvas, &base, t, g, (left_of(g.width), y));
                y += g.height;
            }
        }
    }
    covered
}

/// Where lines aligned `align` in `area` are anchored.
fn anchor(align: Align, area: Rect) -> (f64, &'static str) {
    match align {
        Align::Start => (area.x, "start"),
        Align::Middle => (area.x + area.width / 2.0, "middle"),
        Align::End => (area.x + area.width, "end"),
    }
}

fn run_px(style: &LineStyle, px: f64) -> f64 {
    style.px(px)
}

/// A line of runs, broken at spaces to fit `width` (never inside a word, as draw.io).
fn wrap(runs: &[Run], px: f64, width: f64) -> Vec<Laid> {
    // Words, each a list of pieces (a word may change emphasis midway: `<b>Na</b>me`).
    let mut words: Vec<Vec<Run>> = vec![Vec::new()];
    for run in runs {
        for (k, piece) in run.text.split(' ').enumerate() {
            if k > 0 {
                words.push(Vec::new());
            }
            if let (false, Some(word)) = (piece.is_empty(), words.last_mut()) {
                word.push(Run { text: piece.to_string(), style: run.style.clone() });
            }
        }
    }
    words.retain(|w| !w.is_empty());
    let measure = |r: &Run| text_size(&r.text, run_px(&r.style, px)).0;
    let mut out: Vec<Laid> = Vec::new();
    let mut line: Vec<Run> = Vec::new();
    let mut line_width = 0.0;
    for word in words {
        let word_width: f64 = word.iter().map(measure).sum();
        let space = word.first().map_or(0.0, |r| text_size(" ", run_px(&r.style, px)).0);
        if !line.is_empty() && line_width + space + word_width > width {
            out.push(laid(std::mem::take(&mut line), px));
            line_width = 0.0;
        }
        if !line.is_empty() {
            line_width += space;
            if let Some(last) = line.last_mut() {
                last.text.push(' ');
            }
        }
        line_width += word_width;
        for piece in word {
            match line.last_mut() {
                Some(last) if last.style == piece.style => last.text.push_str(&piece.text),
                _ => line.push(piece),
            }
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(laid(line, px));
    }
    out
}

fn laid(runs: Vec<Run>, px: f64) -> Laid {
    let width = runs.iter().map(|r| text_size(&r.text, run_px(&r.style, px)).0).sum();
    let line_px = runs
        .iter()
        .map(|r| run_px(&r.style, px))
        .fold(if runs.is_empty() { px } else { 0.0 }, f64::max);
    Laid { runs, align: Align::Middle, width, height: line_px * LINE_HEIGHT, px: line_px }
}

/// One line of runs at `(x, baseline)`: one text element, a tspan per run when they differ.
fn draw_line(canvas: &mut Canvas, base: &Emphasis, line: &Laid, (x, y): (f64, f64), anchor: &str) {
    let Some(first) = line.runs.first() else { return };
    if line.runs.iter().all(|r| r.style == first.style) {
        let content: String = line.runs.iter().map(|r| r.text.as_str()).collect();
        let own = base.with(Some(&first.style));
        own.attributes(canvas.out.tag("text"), None, Some(anchor))
            .num("x", x)
            .num("y", y)
            .text(&content);
        return;
    }
    base.attributes(canvas.out.tag("text"), None, Some(anchor))
        .num("x", x)
        .num("y", y)
        .attr("xml:space", "preserve")
        .open_inline();
    for run in &line.runs {
        base.with(Some(&run.style))
            .attributes(canvas.out.tag("tspan"), Some(base), None)
            .text_inline(&run.text);
    }
    canvas.out.close();
}

/// A table's columns and rows, and each cell's lines.
struct Grid {
    columns: Vec<f64>,
    rows: Vec<f64>,
    cells: Vec<Vec<Vec<Laid>>>,
    width: f64,
    height: f64,
}

/// Columns as wide as their widest cell, rows as tall as their tallest (HTML's automatic table
/// layout), stretched in proportion over `area` when the table fills it.
fn grid(t: &Table, px: f64, area: Rect) -> Grid {
    let pad = t.padding + if t.border.is_some() { 1.0 } else { 0.0 };
    let cells: Vec<Vec<Vec<Laid>>> = t
        .rows
        .iter()
        .map(|row| {
            row.cells
                .iter()
                .map(|cell| cell.lines.iter().map(|l| laid(l.clone(), px)).collect())
                .collect()
        })
        .collect();
    let count =
        t.rows.iter().map(|r| r.cells.iter().map(|c| c.span).sum::<usize>()).max().unwrap_or(0);
    let count = count.clamp(1, 50);
    let mut columns = vec![0.0_f64; count];
    let cell_width =
        |lines: &Vec<Laid>| lines.iter().map(|l| l.width).fold(0.0, f64::max) + 2.0 * pad;
    let cell_height = |lines: &Vec<Laid>| {
        lines.iter().map(|l| l.height).sum::<f64>().max(px * LINE_HEIGHT) + 2.0 * pad
    };
    // Single cells first, then cells spanning columns widen their last column if they must.
    for spanning in [false, true] {
        for (row, laid_row) in t.rows.iter().zip(&cells) {
            let mut at = 0;
            for (cell, lines) in row.cells.iter().zip(laid_row) {
                let end = (at + cell.span).min(count);
                if at < end && (cell.span > 1) == spanning {
                    let have: f64 = columns[at..end].iter().sum();
                    let need = cell_width(lines);
                    if need > have {
                        columns[end - 1] += need - have;
                    }
                }
                at = end;
            }
        }
    }
    let mut rows: Vec<f64> = cells
        .iter()
        .map(|laid_row| {
            laid_row.iter().map(cell_height).fold(px * LINE_HEIGHT + 2.0 * pad, f64::max)
        })
        .collect();
    stretch(&mut columns, t.fill_width.then_some(area.width), true);
    stretch(&mut rows, t.fill_height.then_some(area.height), false);
    let (width, height) = (columns.iter().sum(), rows.iter().sum());
    Grid { columns, rows, cells, width, height }
}

/// Grows `sizes` to add up to `total` (in proportion to them, or evenly).
fn stretch(sizes: &mut [f64], total: Option<f64>, proportional: bool) {
    let Some(total) = total else { return };
    let sum: f64 = sizes.iter().sum();
    if sizes.is_empty() || sum >= total || !total.is_finite() {
        return;
    }
    let extra = total - sum;
    let count = sizes.len() as f64;
    for s in sizes.iter_mut() {
        *s += if proportional && sum > 0.0 { extra * *s / sum } else { extra / count };
    }
}

fn draw_table(canvas: &mut Canvas, base: &Emphasis, t: &Table, g: &Grid, (left, top): (f64, f64)) {
    let border = t.border.as_deref().and_then(|c| palette::user_colour(Some(c)));
    let mut y = top;
    for ((row, laid_row), height) in t.rows.iter().zip(&g.cells).zip(&g.rows) {
        let whole = Rect { x: left, y, width: g.width, height: *height };
        if let Some(fill) = palette::user_colour(row.background.as_deref()) {
            canvas.out.tag("rect").bounds(whole).attr("fill", &fill).leaf();
        }
        let mut at = 0;
        let mut x = left;
        for (cell, lines) in row.cells.iter().zip(laid_row) {
            let end = (at + cell.span).min(g.columns.len());
            let width: f64 = g.columns[at.min(end)..end].iter().sum();
            at = end;
            let r = Rect { x, y, width, height: *height };
            x += width;
            if let Some(fill) = palette::user_colour(cell.background.as_deref()) {
                canvas.out.tag("rect").bounds(r).attr("fill", &fill).leaf();
            }
            if let Some(colour) = &border {
                canvas.out.tag("rect").bounds(r).attr("fill", "none").attr("stroke", colour).leaf();
            }
            let align = cell.align.unwrap_or(Align::Start);
            let pad = t.padding + if border.is_some() { 1.0 } else { 0.0 };
            let inner = Rect {
                x: r.x + pad,
                y: r.y + pad,
                width: (r.width - 2.0 * pad).max(0.0),
                height: (r.height - 2.0 * pad).max(0.0),
            };
            let (lx, anchor) = anchor(align, inner);
            let block: f64 = lines.iter().map(|l| l.height).sum();
            let mut ly = inner.y + (inner.height - block) / 2.0;
            for line in lines {
                draw_line(canvas, base, line, (lx, ly + line.px * BASELINE), anchor);
                ly += line.height;
            }
        }
        y += height;
    }
    if let Some(colour) = &border {
        let r = Rect { x: left, y: top, width: g.width, height: g.height };
        canvas.out.tag("rect").bounds(r).attr("fill", "none").attr("stroke", colour).leaf();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::html_blocks::html_to_blocks;

    fn drawn(html: &str, wrap: bool) -> String {
        let text = Text {
            content: String::new(),
            area: Rect { x: 0.0, y: 0.0, width: 120.0, height: 80.0 },
            align: Align::Middle,
            valign: Align::Middle,
            font_px: 12.0,
            colour: "#000000".to_string(),
            bold: false,
            italic: false,
            underline: false,
            wrap,
            upright: false,
            background: None,
            line_styles: Vec::new(),
            rich: html_to_blocks(html),
        };
        let mut canvas = Canvas::new();
        draw_rich(&mut canvas, &text);
        canvas.out.finish()
    }

    #[test]
    fn runs_are_tspans_of_one_line_and_markup_stays_text() {
        let svg = drawn("<b>Name:</b> &lt;script&gt;", false);
        assert_eq!(svg.matches("<text").count(), 1, "{svg}");
        assert!(svg.contains("><tspan font-weight=\"bold\">Name: </tspan><tspan>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script"), "{svg}");
    }

    #[test]
    fn a_filled_table_spans_its_box_and_a_rule_crosses_the_label() {
        let svg = drawn(
            "<table border=\"1\" style=\"width: 100%; height: 100%\"><tr><th>ID</th>\
             <th>Description</th></tr><tr><td>A01</td><td>Card data</td></tr></table>",
            true,
        );
        // Four cells, the outer border, and each cell's text.
        assert_eq!(svg.matches("stroke=\"#808080\"").count(), 5, "{svg}");
        assert!(svg.contains("width=\"120\" height=\"80\""), "{svg}");
        let svg = drawn("Title<hr>body", false);
        assert!(svg.contains("fill=\"#808080\""), "{svg}");
    }

    #[test]
    fn wrapped_runs_break_between_words() {
        let lines = wrap(
            &[Run { text: "one two three four".into(), style: LineStyle::default() }],
            12.0,
            40.0,
        );
        assert!(lines.len() >= 3, "{}", lines.len());
        assert!(lines.iter().all(|l| !l.runs.is_empty()));
    }
}
