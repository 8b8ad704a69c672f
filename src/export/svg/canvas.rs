//! A writer that remembers how much of the page it has drawn on, so the page can be sized to
//! what is really there (labels under icons reach past the layout's boxes).

use super::text_fit::fit_lines;
use super::writer::SvgWriter;
use crate::layout::text_size;
use crate::model::{Point, Rect};

pub struct Canvas<'a> {
    pub out: SvgWriter<'a>,
    extent: Option<Rect>,
}

impl<'a> Canvas<'a> {
    /// A canvas that keeps what is drawn (see [`SvgWriter::new`]).
    pub fn new() -> Self {
        Self::on(SvgWriter::new())
    }

    /// A canvas that only measures: what is drawn on it is thrown away, its extent is kept.
    pub fn measuring() -> Self {
        Self::on(SvgWriter::discarding())
    }

    pub fn on(out: SvgWriter<'a>) -> Self {
        Canvas { out, extent: None }
    }

    /// Puts back what [`Canvas::extent`] said had been drawn on (after drawing something turned,
    /// whose unturned box is not where it shows).
    pub fn set_extent(&mut self, extent: Option<Rect>) {
        self.extent = extent;
    }

    pub fn include(&mut self, r: Rect) {
        self.extent = Some(match self.extent {
            None => r,
            Some(e) => {
                let x = e.x.min(r.x);
                let y = e.y.min(r.y);
                Rect {
                    x,
                    y,
                    width: (e.x + e.width).max(r.x + r.width) - x,
                    height: (e.y + e.height).max(r.y + r.height) - y,
                }
            }
        });
    }

    pub fn include_point(&mut self, p: Point) {
        self.include(Rect { x: p.x, y: p.y, width: 0.0, height: 0.0 });
    }

    pub fn extent(&self) -> Option<Rect> {
        self.extent
    }
}

/// Horizontal alignment of a text block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
}

/// How a block of text is drawn.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle<'a> {
    pub font_px: f64,
    pub bold: bool,
    pub fill: &'a str,
    pub anchor: Anchor,
}

/// Line advance as a multiple of the font size, as the layout measures text.
pub const LINE_HEIGHT: f64 = 1.2;
/// Baseline below the top of a line box, as a multiple of the font size (Helvetica-like fonts).
const BASELINE: f64 = 0.85;

/// Text fitted into `max_width` × `max_lines` and drawn with its top at `top`; returns the box it
/// occupies.
pub fn draw_fitted(
    canvas: &mut Canvas,
    text: &str,
    x: f64,
    top: f64,
    max_width: f64,
    max_lines: usize,
    style: TextStyle<'_>,
) -> Rect {
    let lines = fit_lines(text, style.font_px, max_width, max_lines);
    draw_lines(canvas, &lines, x, top, style)
}

/// Already fitted lines, one `<tspan>` each, top of the first line at `top`.
pub fn draw_lines(
    canvas: &mut Canvas,
    lines: &[String],
    x: f64,
    top: f64,
    style: TextStyle<'_>,
) -> Rect {
    draw_lines_said(canvas, lines, x, top, style, Said::Here)
}

/// Where a text's font size and anchor are said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said {
    /// On the text itself.
    Here,
    /// By an enclosing group: a big diagram has thousands of flow labels, so it is said once.
    ByGroup,
}

/// [`draw_lines`], with the font size and anchor written where `said` says.
pub fn draw_lines_said(
    canvas: &mut Canvas,
    lines: &[String],
    x: f64,
    top: f64,
    style: TextStyle<'_>,
    said: Said,
) -> Rect {
    let line_px = style.font_px * LINE_HEIGHT;
    let widest = lines.iter().map(|l| text_size(l, style.font_px).0).fold(0.0, f64::max);
    let left = match style.anchor {
        Anchor::Start => x,
        Anchor::Middle => x - widest / 2.0,
    };
    let area = Rect { x: left, y: top, width: widest, height: line_px * lines.len() as f64 };
    if lines.iter().all(|l| l.is_empty()) {
        return area;
    }
    canvas.include(area);
    let mut tag = canvas.out.tag("text");
    let own_style = said == Said::Here;
    if own_style {
        tag = tag.num("font-size", style.font_px);
    }
    tag = tag.attr("fill", style.fill);
    if own_style {
        tag = tag
            .attr("text-anchor", if style.anchor == Anchor::Middle { "middle" } else { "start" });
    }
    if style.bold {
        tag = tag.attr("font-weight", "bold");
    }
    if let [line] = lines {
        // One line needs no tspan.
        let tag = tag.num("x", x).num("y", top + style.font_px * BASELINE);
        tag.text(line);
        return area;
    }
    tag.open();
    for (i, line) in lines.iter().enumerate() {
        let baseline = top + style.font_px * BASELINE + line_px * i as f64;
        canvas.out.tag("tspan").num("x", x).num("y", baseline).text(line);
    }
    canvas.out.close();
    area
}
