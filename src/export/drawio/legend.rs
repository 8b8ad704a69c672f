//! The legend under the drawing: what the page's threats add up to, and what each mark means.

use super::cells::{Cells, Vertex};
use super::layer::{badge, diamond_style, pill, tag_style, Anchor, PageView};
use crate::export::annotation::Mark;
use crate::export::palette;
use crate::export::svg::marks;
use crate::layout::{text_size, Layout};
use crate::model::{Point, Rect};
use crate::threats::{Level, Status, Threat};

const DIAMOND: f64 = 9.0;
const LEGEND_FONT: f64 = 11.0;
const ROW: f64 = 24.0;
const PAD: f64 = 10.0;

/// The legend, under the drawing.
pub fn legend(cells: &mut Cells, view: &PageView<'_>, layout: &Layout) {
    let left = layout.bounds.x + 20.0;
    let top = layout.bounds.y + layout.bounds.height + 10.0;
    let first = cells.out.len();
    let mut rows =
        Legend { cells, left: left + PAD, x: left + PAD, y: top + PAD, right: left + PAD };
    rows.text(&counts(view.threats), true, palette::INK);
    rows.next_row();
    let caption = "Badge: n open threats; letter and colour: highest open residual risk";
    rows.text(caption, false, palette::MUTED_INK);
    for (level, name) in [
        (Level::Critical, "critical"),
        (Level::High, "high"),
        (Level::Medium, "medium"),
        (Level::Low, "low"),
    ] {
        rows.risk_key(level, name);
    }
    rows.settled_key();
    rows.next_row();
    rows.crossing_key();
    rows.tag_key("ENTRY", palette::ENTRY_TAG, "entry point");
    rows.tag_key("ACTOR", palette::ACTOR_TAG, "external actor");
    rows.next_row();
    let note =
        "Layer \u{201c}dfd-threats annotations\u{201d}: written by dfd-threats and replaced on \
                each run; hide it in Layers. Hover a badge for its threats.";
    rows.text(note, false, palette::FAINT_INK);
    let area =
        Rect { x: left, y: top, width: rows.right - left + PAD, height: rows.y + ROW + PAD - top };
    let style = format!(
        "rounded=1;arcSize=3;fillColor={};strokeColor={};html=0;",
        palette::BACKGROUND,
        palette::ICON_TILE_STROKE
    );
    let id = cells.id("legend", "box");
    cells.vertex(&id, &Vertex { label: "", style: &style, tooltip: None }, area);
    // Drawn first, so the keys are on top of it.
    if let Some(boxed) = cells.out.pop() {
        cells.out.insert(first, boxed);
    }
}

/// One line: `dfd-threats: 12 open, 3 mitigated, 0 accepted threats on this page`.
fn counts(threats: &[Threat]) -> String {
    let n = |s: Status| threats.iter().filter(|t| t.status == s).count();
    format!(
        "dfd-threats: {} open, {} mitigated, {} accepted threats on this page",
        n(Status::Open),
        n(Status::Mitigated),
        n(Status::Accepted)
    )
}

/// Lays the legend out in rows, left to right.
struct Legend<'c> {
    cells: &'c mut Cells,
    left: f64,
    x: f64,
    /// The top of the row being written.
    y: f64,
    /// The rightmost point drawn.
    right: f64,
}

impl Legend<'_> {
    fn next_row(&mut self) {
        self.y += ROW;
        self.x = self.left;
    }

    fn mid(&self) -> f64 {
        self.y + ROW / 2.0
    }

    /// Moves past `width` and a gap.
    fn advance(&mut self, width: f64, gap: f64) {
        self.right = self.right.max(self.x + width);
        self.x += width + gap;
    }

    fn text(&mut self, text: &str, bold: bool, colour: &str) {
        let width = text_size(text, LEGEND_FONT).0 * if bold { 1.1 } else { 1.0 } + 4.0;
        let style = format!(
            "text;html=0;align=left;verticalAlign=middle;fontSize={LEGEND_FONT};fontColor={colour};fontStyle={};fontFamily=Helvetica;spacing=0;",
            u8::from(bold)
        );
        let id = self.cells.id("legend", "text");
        let place = Rect { x: self.x, y: self.y, width, height: ROW };
        self.cells.vertex(&id, &Vertex { label: text, style: &style, tooltip: None }, place);
        self.advance(width, 12.0);
    }

    fn risk_key(&mut self, level: Level, name: &str) {
        let w = marks::badge_width(Mark::Open { count: 0, worst: level });
        let centre = Point { x: self.x + w / 2.0, y: self.mid() };
        pill(self.cells, &format!("legend-{name}"), level, "n", &Anchor::Page(centre), None);
        self.advance(w, 4.0);
        self.text(name, false, palette::MUTED_INK);
    }

    fn settled_key(&mut self) {
        let w = marks::badge_width(Mark::Settled);
        let centre = Point { x: self.x + w / 2.0, y: self.mid() };
        badge(self.cells, "legend", Mark::Settled, &Anchor::Page(centre), None);
        self.advance(w, 4.0);
        self.text("all mitigated or accepted (no badge: no threats)", false, palette::MUTED_INK);
    }

    fn crossing_key(&mut self) {
        let (from, to) =
            (Point { x: self.x, y: self.mid() }, Point { x: self.x + 34.0, y: self.mid() });
        let line = format!("endArrow=none;html=0;strokeColor={};strokeWidth=1.25;", palette::FLOW);
        let id = self.cells.id("legend", "line");
        self.cells.free_edge(&id, &Vertex { label: "", style: &line, tooltip: None }, from, to);
        let band = format!(
            "endArrow=none;html=0;strokeColor={};strokeWidth=6;opacity=30;",
            palette::CROSSING_FLOW
        );
        let id = self.cells.id("legend", "band");
        self.cells.free_edge(&id, &Vertex { label: "", style: &band, tooltip: None }, from, to);
        let half = DIAMOND / 2.0;
        let centre = Point { x: self.x + 17.0, y: self.mid() };
        let id = self.cells.id("legend", "cross");
        let place =
            Rect { x: centre.x - half, y: centre.y - half, width: DIAMOND, height: DIAMOND };
        self.cells.vertex(
            &id,
            &Vertex { label: "", style: &diamond_style(), tooltip: None },
            place,
        );
        self.advance(34.0, 6.0);
        self.text("flow crossing a trust boundary", false, palette::MUTED_INK);
    }

    fn tag_key(&mut self, text: &str, colour: &str, caption: &str) {
        let w = marks::tag_width(text);
        let place = Rect {
            x: self.x,
            y: self.mid() - marks::TAG_HEIGHT / 2.0,
            width: w,
            height: marks::TAG_HEIGHT,
        };
        let id = self.cells.id("legend", text);
        self.cells.vertex(
            &id,
            &Vertex { label: text, style: &tag_style(colour), tooltip: None },
            place,
        );
        self.advance(w, 6.0);
        self.text(caption, false, palette::MUTED_INK);
    }
}
