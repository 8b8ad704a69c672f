//! The page around the diagram: a header naming it with its counts, and a legend for every mark.

use super::canvas::{draw_fitted, Anchor, Canvas, TextStyle};
use super::marks;
use super::palette;
use super::text_fit::width;
use crate::export::annotation::Mark;
use crate::model::{Point, Rect};
use crate::threats::Level;

pub const MARGIN: f64 = 24.0;
pub const HEADER_HEIGHT: f64 = 64.0;
const TITLE_PX: f64 = 17.0;
const COUNTS_PX: f64 = 11.5;
const LEGEND_PX: f64 = 11.0;
const LEGEND_ROW: f64 = 24.0;
const LEGEND_GAP: f64 = 22.0;

/// The header text, measured so the page can be made wide enough for it.
pub struct Header {
    pub title: String,
    pub counts: String,
}

impl Header {
    pub fn width(&self) -> f64 {
        (width(&self.title, TITLE_PX) * 1.1).max(width(&self.counts, COUNTS_PX))
    }
}

pub fn draw_header(canvas: &mut Canvas, header: &Header, page_width: f64) {
    let max = page_width - 2.0 * MARGIN;
    let title =
        TextStyle { font_px: TITLE_PX, bold: true, fill: palette::INK, anchor: Anchor::Start };
    draw_fitted(canvas, &header.title, MARGIN, 16.0, max, 1, title);
    let counts = TextStyle {
        font_px: COUNTS_PX,
        bold: false,
        fill: palette::MUTED_INK,
        anchor: Anchor::Start,
    };
    draw_fitted(canvas, &header.counts, MARGIN, 38.0, max, 1, counts);
    rule(canvas, HEADER_HEIGHT - 6.0, page_width);
}

fn rule(canvas: &mut Canvas, y: f64, page_width: f64) {
    canvas
        .out
        .tag("line")
        .num("x1", MARGIN)
        .num("y1", y)
        .num("x2", page_width - MARGIN)
        .num("y2", y)
        .attr("stroke", palette::RULE)
        .num("stroke-width", 1.0)
        .leaf();
}

/// One legend entry: a mark and its caption.
#[derive(Debug, Clone, Copy)]
enum Key {
    Risk(Level),
    Settled,
    Crossing,
    Entry,
    Actor,
    Zone { untrusted: bool },
}

const KEYS: [(Key, &str); 10] = [
    (Key::Risk(Level::Critical), "critical"),
    (Key::Risk(Level::High), "high"),
    (Key::Risk(Level::Medium), "medium"),
    (Key::Risk(Level::Low), "low"),
    (Key::Settled, "all mitigated or accepted (no badge: no threats)"),
    (Key::Crossing, "flow crossing a boundary"),
    (Key::Entry, "entry point"),
    (Key::Actor, "external actor"),
    (Key::Zone { untrusted: false }, "trusted zone"),
    (Key::Zone { untrusted: true }, "untrusted zone"),
];

const MARK_WIDTH: f64 = 34.0;
const RISK_CAPTION: &str = "Badge: n open threats; letter and colour: highest open residual risk";

/// Draws the legend with its top at `top`, wrapping to the page; returns its height.
pub fn draw_legend(canvas: &mut Canvas, top: f64, page_width: f64) -> f64 {
    rule(canvas, top, page_width);
    let mut x = MARGIN;
    let mut row_top = top + 10.0;
    let right = page_width - MARGIN;
    let caption = TextStyle {
        font_px: LEGEND_PX,
        bold: false,
        fill: palette::MUTED_INK,
        anchor: Anchor::Start,
    };
    let lead = width(RISK_CAPTION, LEGEND_PX) + 8.0;
    draw_fitted(canvas, RISK_CAPTION, x, row_top + 5.0, lead, 1, caption);
    x += lead;
    let item_width = |key: &Key, text: &str| {
        let mark_width = match key {
            Key::Risk(level) => marks::badge_width(Mark::Open { count: 0, worst: *level }) + 5.0,
            Key::Settled => marks::badge_width(Mark::Settled) + 5.0,
            Key::Entry => marks::tag_width("ENTRY") + 6.0,
            Key::Actor => marks::tag_width("ACTOR") + 6.0,
            _ => MARK_WIDTH,
        };
        (mark_width, mark_width + width(text, LEGEND_PX) + 4.0)
    };
    let one_row: f64 =
        lead + KEYS.iter().map(|(k, t)| item_width(k, t).1 + LEGEND_GAP).sum::<f64>();
    // When everything does not fit on one row, risk colours get the first row to themselves
    // rather than leaving one stray key on the second.
    let split = one_row > right - MARGIN;
    for (key, text) in KEYS.iter() {
        let (mark_width, item) = item_width(key, text);
        let first_mark = matches!(key, Key::Crossing);
        if (x + item > right && x > MARGIN) || (split && first_mark) {
            x = MARGIN;
            row_top += LEGEND_ROW;
        }
        let mid = row_top + LEGEND_ROW / 2.0 - 2.0;
        draw_key(canvas, *key, Point { x, y: mid });
        draw_fitted(canvas, text, x + mark_width, row_top + 5.0, item, 1, caption);
        x += item + if matches!(key, Key::Risk(_) | Key::Settled) { 10.0 } else { LEGEND_GAP };
    }
    row_top + LEGEND_ROW + 8.0 - top
}

fn draw_key(canvas: &mut Canvas, key: Key, left_mid: Point) {
    match key {
        Key::Risk(level) => {
            let w = marks::badge_width(Mark::Open { count: 0, worst: level });
            marks::risk_pill(canvas, Point { x: left_mid.x + w / 2.0, y: left_mid.y }, level, "n");
        }
        Key::Settled => {
            let w = marks::badge_width(Mark::Settled);
            marks::check_mark(canvas, Point { x: left_mid.x + w / 2.0, y: left_mid.y });
        }
        Key::Crossing => {
            let y = left_mid.y;
            // Drawn as on the diagram: the stroke comes from the group.
            marks::open_crossing_group(canvas);
            canvas
                .out
                .tag("line")
                .num("x1", left_mid.x)
                .num("y1", y)
                .num("x2", left_mid.x + MARK_WIDTH - 8.0)
                .num("y2", y)
                .leaf();
            marks::crossing_marker(canvas, Point { x: left_mid.x + (MARK_WIDTH - 8.0) / 2.0, y });
            canvas.out.close();
        }
        Key::Entry => {
            let at = Point { x: left_mid.x, y: left_mid.y - marks::TAG_HEIGHT / 2.0 };
            marks::tag(canvas, at, "ENTRY", palette::ENTRY_TAG);
        }
        Key::Actor => {
            let at = Point { x: left_mid.x, y: left_mid.y - marks::TAG_HEIGHT / 2.0 };
            marks::tag(canvas, at, "ACTOR", palette::ACTOR_TAG);
        }
        Key::Zone { untrusted } => {
            let r =
                Rect { x: left_mid.x, y: left_mid.y - 7.0, width: MARK_WIDTH - 8.0, height: 14.0 };
            marks::zone_box(canvas, r, untrusted);
        }
    }
}
