//! A small XML writer that makes unsafe output impossible to write by accident.
//!
//! The `svg` crate was considered (the issue names it) and rejected after reading its 0.18
//! source: its text and attribute escaping replaces only `&`, `<` and `>`, so a `"` in a label
//! would end an attribute value and let a diagram inject attributes such as `onerror`; it keeps
//! characters XML forbids (so a stray control character makes the file unparsable); it prints
//! floats at full precision (so output drifts with arithmetic noise); and its comments are written
//! raw. Here tag and attribute *names* are `&'static str` (never user data), and every value and
//! every text node goes through [`escape_into`].

use std::io::{self, Write};
use std::ops::Range;

use crate::model::{Point, Rect};

/// Streams XML, one element per line and not indented (indentation was an eighth of a big
/// diagram's SVG); elements left open are closed by [`SvgWriter::finish`] and [`SvgWriter::end`].
///
/// Text is built in a small buffer and handed on element by element: kept whole
/// ([`SvgWriter::new`], for the small pieces drawn before their place is known), written to a
/// file ([`SvgWriter::streaming`], so a big diagram's picture is never one string in memory), or
/// dropped ([`SvgWriter::discarding`], for measuring what a drawing covers before writing it).
pub struct SvgWriter<'a> {
    out: String,
    sink: Sink<'a>,
    open: Vec<&'static str>,
    /// What each open element says of the properties its children inherit ([`INHERITED`]),
    /// parallel to `open`: a child that would say the same is left to inherit it.
    said: Vec<Vec<(&'static str, String)>>,
    /// What the element being written says of them, until it is opened or ended: each value
    /// a range of `saying_text`, so that a leaf (most elements) allocates nothing for them.
    saying: Vec<(&'static str, Range<usize>)>,
    saying_text: String,
    /// Room for a number being compared with what is inherited.
    number_text: String,
    /// The first error of the sink; writing stops there and [`SvgWriter::end`] returns it.
    error: Option<io::Error>,
}

enum Sink<'a> {
    Memory,
    Discard,
    Stream(&'a mut dyn Write),
}

/// How much text waits in the buffer before it goes to the sink.
const CHUNK: usize = 64 * 1024;

impl<'a> SvgWriter<'a> {
    /// A writer that keeps the document; take it with [`Self::finish`].
    pub fn new() -> Self {
        Self::with_sink(Sink::Memory)
    }

    /// A writer that writes into `sink` as it goes; end it with [`Self::end`].
    pub fn streaming(sink: &'a mut dyn Write) -> Self {
        Self::with_sink(Sink::Stream(sink))
    }

    /// A writer that throws its text away: drawing into it only measures.
    pub fn discarding() -> Self {
        Self::with_sink(Sink::Discard)
    }

    fn with_sink(sink: Sink<'a>) -> Self {
        SvgWriter {
            out: String::new(),
            sink,
            open: Vec::new(),
            said: Vec::new(),
            saying: Vec::new(),
            saying_text: String::new(),
            number_text: String::new(),
            error: None,
        }
    }

    /// Starts an element; finish it with [`Tag::leaf`], [`Tag::open`] or [`Tag::text`].
    pub fn tag(&mut self, name: &'static str) -> Tag<'_, 'a> {
        self.saying.clear();
        self.saying_text.clear();
        self.out.push('<');
        self.out.push_str(name);
        Tag { writer: self, name }
    }

    /// Closes the innermost element opened with [`Tag::open`]; does nothing when none is open.
    pub fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.said.pop();
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push_str(">\n");
            self.element_done();
        }
    }

    /// How many elements are open: [`Self::close_to`] closes back to a depth.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// Closes the elements opened since the writer was at `depth`.
    pub fn close_to(&mut self, depth: usize) {
        while self.open.len() > depth {
            self.close();
        }
    }

    /// Pastes the output of a nested writer (already escaped and balanced, see [`Self::finish`]).
    pub fn splice(&mut self, other: SvgWriter<'_>) {
        self.out.push_str(&other.finish());
        self.element_done();
    }

    /// What a keeping writer has so far, taken out of it; the elements still open stay open,
    /// to be closed by what is written next.
    pub fn take_text(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// The document, with every element still open closed, so it is always balanced. A writer
    /// that streams or discards returns only what it has not handed on yet.
    pub fn finish(mut self) -> String {
        self.close_to(0);
        self.out
    }

    /// Closes every element still open and hands the rest to the sink: the sink's first error,
    /// if any.
    pub fn end(mut self) -> io::Result<()> {
        self.close_to(0);
        self.hand_on();
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The value an open element says for the inherited property `name`, the nearest first.
    fn inherited(&self, name: &str) -> Option<&str> {
        self.said.iter().rev().flatten().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Drawing into this writer only measures: values need not be escaped or formatted, since
    /// nothing of them is kept (the measuring pass is a whole second drawing of the body), and
    /// text that only goes into the file (tooltips) need not even be made.
    pub fn discards(&self) -> bool {
        matches!(self.sink, Sink::Discard)
    }

    /// Called after each element: the buffer goes to the sink once it is big enough.
    fn element_done(&mut self) {
        if self.out.len() >= CHUNK {
            self.hand_on();
        }
    }

    fn hand_on(&mut self) {
        match &mut self.sink {
            Sink::Memory => return,
            Sink::Discard => {}
            Sink::Stream(sink) => {
                if self.error.is_none() {
                    if let Err(e) = sink.write_all(self.out.as_bytes()) {
                        self.error = Some(e);
                    }
                }
            }
        }
        self.out.clear();
    }
}

impl Default for SvgWriter<'_> {
    fn default() -> Self {
        Self::new()
    }
}

/// An element whose start tag is being written.
pub struct Tag<'w, 'a> {
    writer: &'w mut SvgWriter<'a>,
    name: &'static str,
}

/// Presentation attributes whose properties children inherit: said by a group, they need not be
/// said again by what it holds (`fill` of a badge's disc and count, the font of every label).
/// A child says one only when its value differs from what it would inherit, so the picture is
/// the same either way.
const INHERITED: [&str; 13] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linejoin",
    "stroke-linecap",
    "marker-end",
    "font-size",
    "font-weight",
    "letter-spacing",
    "text-anchor",
];

/// A colour `#rrggbb` whose three pairs are doubled digits, as `#rgb`: the same colour in half
/// the bytes (`#ffffff` is on every badge). Made on the stack: every coloured element asks.
fn short_colour(value: &str) -> Option<[u8; 4]> {
    let b = value.as_bytes();
    let hex = |c: &u8| c.is_ascii_hexdigit();
    let doubled = b.len() == 7 && b[0] == b'#' && b[1..].iter().all(hex);
    (doubled && b[1] == b[2] && b[3] == b[4] && b[5] == b[6]).then(|| [b'#', b[1], b[3], b[5]])
}

impl Tag<'_, '_> {
    /// Whether the attribute `name="value"` is left out because an open group says it for every
    /// child; else, when it is inherited, the element's own say is remembered for its children.
    fn inherits(&mut self, name: &'static str, value: &str) -> bool {
        if !INHERITED.contains(&name) {
            return false;
        }
        if self.writer.inherited(name) == Some(value) {
            return true;
        }
        let text = &mut self.writer.saying_text;
        let start = text.len();
        text.push_str(value);
        self.writer.saying.push((name, start..text.len()));
        false
    }

    /// An attribute; the value is escaped.
    pub fn attr(mut self, name: &'static str, value: &str) -> Self {
        if self.writer.discards() {
            return self;
        }
        let short = short_colour(value);
        // Hex digits and `#` are ASCII, so the short form is always text.
        let value = short.as_ref().and_then(|b| std::str::from_utf8(b).ok()).unwrap_or(value);
        if self.inherits(name, value) {
            return self;
        }
        let out = &mut self.writer.out;
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_into(out, value, Context::Attribute);
        out.push('"');
        self
    }

    /// A numeric attribute, at the fixed precision of [`number`].
    pub fn num(mut self, name: &'static str, value: f64) -> Self {
        if self.writer.discards() {
            return self;
        }
        if INHERITED.contains(&name) {
            let mut text = std::mem::take(&mut self.writer.number_text);
            text.clear();
            push_number(&mut text, value);
            let inherited = self.inherits(name, &text);
            self.writer.number_text = text;
            if inherited {
                return self;
            }
        }
        // Digits, `-` and `.` need no escaping.
        let out = &mut self.writer.out;
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        push_number(out, value);
        out.push('"');
        self
    }

    /// A fraction (an opacity) with two decimals, clamped to 0..1.
    pub fn num_fine(self, name: &'static str, value: f64) -> Self {
        let value = if value.is_finite() { value.clamp(0.0, 1.0) } else { 1.0 };
        self.attr(name, &format!("{value:.2}"))
    }

    /// A box's `x`, `y`, `width` and `height`, for `<rect>`.
    pub fn bounds(self, r: Rect) -> Self {
        self.num("x", r.x).num("y", r.y).num("width", r.width).num("height", r.height)
    }

    /// A `points` list for `<polyline>` and `<polygon>`.
    pub fn points(self, name: &'static str, points: &[Point]) -> Self {
        if self.writer.discards() {
            return self;
        }
        // Written straight into the document: a big diagram has millions of coordinates.
        let out = &mut self.writer.out;
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            push_number(out, p.x);
            out.push(',');
            push_number(out, p.y);
        }
        out.push('"');
        self
    }

    /// A `d` attribute for `<path>` drawing the open line through `points`: the first point
    /// absolute, every next one relative to the one before (`h` and `v` for level and upright
    /// runs), and points that lie on the straight run between their neighbours left out (see
    /// [`corners`]). A long flow of a layered layout bends at every rank: relative steps are
    /// half the bytes of a `points` list.
    pub fn line_path(self, points: &[Point]) -> Self {
        self.path_data(points, false)
    }

    /// [`Self::line_path`] for a closed shape: the line back to the first point is `z`.
    pub fn closed_path(self, points: &[Point]) -> Self {
        self.path_data(points, true)
    }

    fn path_data(self, points: &[Point], closed: bool) -> Self {
        if self.writer.discards() {
            return self;
        }
        let out = &mut self.writer.out;
        out.push_str(" d=\"");
        let mut previous: Option<(i64, i64)> = None;
        let mut kept = corners(points);
        // A line that collapses to one point stays a line (of no length), as it was given.
        if let ([only], true) = (&kept[..], points.len() > 1) {
            kept.push(*only);
        }
        // A command that repeats the one before is left implicit (`l1 2 3 4`, `v5-6`).
        let mut last = 'M';
        for (x, y) in kept {
            let Some((px, py)) = previous else {
                out.push('M');
                push_pair(out, x, y);
                previous = Some((x, y));
                continue;
            };
            let (command, first) = match (x - px, y - py) {
                (0, dy) => ('v', dy),
                (dx, 0) => ('h', dx),
                (dx, _) => ('l', dx),
            };
            if command != last {
                out.push(command);
            } else if first >= 0 {
                out.push(' ');
            }
            match command {
                'l' => push_pair(out, x - px, y - py),
                _ => push_tenths(out, first),
            }
            last = command;
            previous = Some((x, y));
        }
        if closed {
            out.push('z');
        }
        out.push('"');
        self
    }

    /// Ends the element here: `<name .../>`.
    pub fn leaf(self) {
        self.writer.out.push_str("/>\n");
        self.writer.element_done();
    }

    /// Leaves the element open for children, until [`SvgWriter::close`].
    pub fn open(self) {
        self.open_then(">\n");
    }

    /// [`Tag::open`] with no line break after it, for children that must follow each other
    /// without whitespace (the tspans of one line of text, which a line break would space).
    pub fn open_inline(self) {
        self.open_then(">");
    }

    fn open_then(self, end: &str) {
        self.writer.out.push_str(end);
        self.writer.open.push(self.name);
        let text = &self.writer.saying_text;
        let said = self.writer.saying.drain(..).map(|(n, r)| (n, text[r].to_string())).collect();
        self.writer.said.push(said);
        self.writer.element_done();
    }

    /// The element with escaped text as its only content: `<name ...>text</name>`.
    pub fn text(self, content: &str) {
        self.text_then(content, ">\n");
    }

    /// [`Tag::text`] with no line break after it (see [`Tag::open_inline`]).
    pub fn text_inline(self, content: &str) {
        self.text_then(content, ">");
    }

    fn text_then(self, content: &str, end: &str) {
        let keep = !self.writer.discards();
        let out = &mut self.writer.out;
        out.push('>');
        if keep {
            escape_into(out, content, Context::Text);
        }
        out.push_str("</");
        out.push_str(self.name);
        out.push_str(end);
        self.writer.element_done();
    }
}

/// Where escaped text goes: attribute values also keep their newlines and tabs as character
/// references, which XML attribute normalisation would otherwise turn into spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Text,
    Attribute,
}

/// Appends `text` with markup characters as entities and characters XML forbids dropped.
pub fn escape_into(out: &mut String, text: &str, context: Context) {
    // Quotes end only attribute values: in text they stay themselves (tooltips quote names,
    // and `&quot;` is six bytes for one).
    let quote = |c: char| context == Context::Text && matches!(c, '"' | '\'');
    // Most text needs nothing: copy it whole.
    let plain = |c: char| {
        quote(c) || !matches!(c, '&' | '<' | '>' | '"' | '\'' | '\n' | '\t') && !is_dropped(c)
    };
    if text.chars().all(plain) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        if !quote(c) && markup_entity(out, c) {
            continue;
        }
        match c {
            '\n' if context == Context::Attribute => out.push_str("&#10;"),
            '\t' if context == Context::Attribute => out.push_str("&#9;"),
            c if is_dropped(c) => {}
            c => out.push(c),
        }
    }
}

/// Appends the entity for a markup character (`&`, `<`, `>`, `"`, `'`) and says whether `c` was
/// one: the same five for XML here and for the HTML of draw.io tooltips.
pub fn markup_entity(out: &mut String, c: char) -> bool {
    let entity = match c {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&#39;",
        _ => return false,
    };
    out.push_str(entity);
    true
}

/// Characters that never reach the output: XML 1.0 forbids C0 controls other than tab, newline
/// and carriage return, and U+FFFE/U+FFFF. Carriage returns, DEL and C1 controls are legal but
/// invisible and mangle tooltips, so they go too. (Lone surrogates cannot occur in a `String`.)
pub fn is_dropped(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// `text` without the characters of [`is_dropped`], for measuring and wrapping.
pub fn clean(text: &str) -> String {
    text.chars().filter(|&c| !is_dropped(c)).collect()
}

/// A coordinate as the SVG writes it: one decimal, no trailing `.0`, never `-0`, and `0` for
/// NaN or infinity, so the same drawing always prints the same bytes.
pub fn number(value: f64) -> String {
    let mut out = String::new();
    push_number(&mut out, value);
    out
}

/// [`number`], appended without an intermediate string (the SVG of a large diagram has millions).
fn push_number(out: &mut String, value: f64) {
    use std::fmt::Write;
    let tenths = if value.is_finite() { (value * 10.0).round() } else { 0.0 };
    if tenths.abs() < TENTHS_LIMIT {
        push_tenths(out, tenths as i64);
    } else {
        let _ = write!(out, "{:.0}", tenths / 10.0);
    }
}

/// Beyond this many tenths a number is printed whole (and a path's coordinates are held here).
const TENTHS_LIMIT: f64 = 1e15;

/// A value in tenths as [`number`] prints it: exact integer arithmetic, no float formatting and
/// no `-0`.
fn push_tenths(out: &mut String, tenths: i64) {
    if tenths < 0 {
        out.push('-');
    }
    let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
    push_digits(out, whole);
    if tenth != 0 {
        out.push('.');
        push_digits(out, tenth);
    }
}

/// `value` in decimal. A picture holds millions of numbers, and the formatting machinery of
/// `write!` was a tenth of the time spent writing a big one.
fn push_digits(out: &mut String, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    // ASCII digits only, so always UTF-8.
    if let Ok(text) = std::str::from_utf8(&digits[start..]) {
        out.push_str(text);
    }
}

/// Two numbers of a path: a space between them, none before a minus sign.
fn push_pair(out: &mut String, a: i64, b: i64) {
    push_tenths(out, a);
    if b >= 0 {
        out.push(' ');
    }
    push_tenths(out, b);
}

/// A point in tenths, as the picture prints it (NaN and infinity at 0, like [`number`]).
fn in_tenths(p: Point) -> (i64, i64) {
    let tenths = |v: f64| {
        let t = if v.is_finite() { (v * 10.0).round() } else { 0.0 };
        t.clamp(-TENTHS_LIMIT, TENTHS_LIMIT) as i64
    };
    (tenths(p.x), tenths(p.y))
}

/// The points of a line that the picture needs, in tenths: repeats dropped, and every point
/// that lies on the straight run from the one before it to the one after it (same direction,
/// so a line that turns back keeps its turn). Compared after rounding, so what is dropped is
/// exactly what would print on the line anyway.
pub fn corners(points: &[Point]) -> Vec<(i64, i64)> {
    let mut kept: Vec<(i64, i64)> = Vec::with_capacity(points.len());
    for p in points.iter().map(|&p| in_tenths(p)) {
        if kept.last() == Some(&p) {
            continue;
        }
        if let [.., a, b] = kept[..] {
            if on_straight_run(a, b, p) {
                kept.pop();
            }
        }
        kept.push(p);
    }
    kept
}

/// Whether `b` lies between `a` and `c` on the segment `a`–`c`.
fn on_straight_run(a: (i64, i64), b: (i64, i64), c: (i64, i64)) -> bool {
    let (ux, uy) = (i128::from(b.0 - a.0), i128::from(b.1 - a.1));
    let (vx, vy) = (i128::from(c.0 - b.0), i128::from(c.1 - b.1));
    ux * vy == uy * vx && ux * vx + uy * vy >= 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn escaped(text: &str, context: Context) -> String {
        let mut out = String::new();
        escape_into(&mut out, text, context);
        out
    }

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            escaped(r#"<a href="x">'&'</a>"#, Context::Attribute),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        // In text a quote ends nothing: only `&`, `<` and `>` become entities.
        assert_eq!(
            escaped(r#"<a href="x">'&'</a>"#, Context::Text),
            r#"&lt;a href="x"&gt;'&amp;'&lt;/a&gt;"#
        );
    }

    #[test]
    fn forbidden_characters_are_dropped() {
        assert_eq!(escaped("a\u{0}b\u{1b}c\u{fffe}d\u{ffff}\r\u{85}e", Context::Text), "abcde");
        assert_eq!(escaped("tab\tline\n", Context::Text), "tab\tline\n");
    }

    #[test]
    fn attributes_keep_newlines_as_references() {
        assert_eq!(escaped("a\nb\tc", Context::Attribute), "a&#10;b&#9;c");
    }

    #[test]
    fn numbers_have_one_decimal_and_no_negative_zero() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(12.25), "12.3");
        assert_eq!(number(-0.04), "0");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(-3.46), "-3.5");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(f64::NAN), "0");
        assert_eq!(number(f64::INFINITY), "0");
        assert_eq!(number(1e6), "1000000");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(-1234567.8), "-1234567.8");
        assert_eq!(number(9.0e13), "90000000000000");
    }

    #[test]
    fn digits_of_every_width() {
        for value in [0, 7, 10, 99_999, u64::MAX] {
            let mut out = String::new();
            push_digits(&mut out, value);
            assert_eq!(out, value.to_string());
        }
    }

    #[test]
    fn writer_nests_escapes_and_balances() {
        let mut w = SvgWriter::new();
        w.tag("svg").attr("xmlns", "http://www.w3.org/2000/svg").open();
        w.tag("g").attr("id", "a\"b").open();
        w.tag("rect").num("x", 1.04).num("y", -0.01).leaf();
        w.tag("text").text("<b>");
        let svg = w.finish();
        assert_eq!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<g id=\"a&quot;b\">\n\
             <rect x=\"1\" y=\"0\"/>\n<text>&lt;b&gt;</text>\n</g>\n</svg>\n"
        );
    }

    #[test]
    fn what_a_group_says_its_children_inherit_unsaid() {
        let mut w = SvgWriter::new();
        w.tag("g").attr("fill", "#b91c1c").num("font-size", 10.0).open();
        // The same as the group: left out; different: written; not inherited (`r`): written.
        w.tag("circle").num("r", 8.5).attr("fill", "#b91c1c").leaf();
        w.tag("text").attr("fill", "#ffffff").num("font-size", 10.0).text("H");
        w.tag("g").attr("fill", "#ffffff").open();
        w.tag("text").attr("fill", "#b91c1c").text("1");
        w.close();
        w.close();
        // Outside the group nothing is inherited.
        w.tag("circle").attr("fill", "#b91c1c").leaf();
        assert_eq!(
            w.finish(),
            "<g fill=\"#b91c1c\" font-size=\"10\">\n<circle r=\"8.5\"/>\n\
             <text fill=\"#fff\">H</text>\n<g fill=\"#fff\">\n<text fill=\"#b91c1c\">1</text>\n\
             </g>\n</g>\n<circle fill=\"#b91c1c\"/>\n"
        );
    }

    #[test]
    fn colours_of_doubled_digits_are_written_short() {
        assert_eq!(short_colour("#ffffff"), Some(*b"#fff"));
        assert_eq!(short_colour("#FF3333"), Some(*b"#F33"));
        assert_eq!(short_colour("#fefefe"), None);
        assert_eq!(short_colour("#ffffffff"), None);
        assert_eq!(short_colour("url(#a)"), None);
        // Shorter than a colour: nothing is read past its end.
        assert_eq!(short_colour("none"), None);
        assert_eq!(short_colour(""), None);
    }

    #[test]
    fn closing_with_nothing_open_is_harmless() {
        let mut w = SvgWriter::new();
        w.close();
        assert_eq!(w.finish(), "");
    }

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn straight_runs_and_repeats_lose_their_inner_points() {
        let line = [
            p(0.0, 0.0),
            p(0.0, 10.0),
            p(0.0, 10.0),
            p(0.0, 25.0),
            p(5.0, 30.0),
            p(10.0, 35.0),
            p(10.04, 35.02),
            p(40.0, 35.0),
        ];
        assert_eq!(corners(&line), vec![(0, 0), (0, 250), (100, 350), (400, 350)]);
    }

    #[test]
    fn a_line_that_turns_back_keeps_its_turn() {
        let line = [p(0.0, 0.0), p(0.0, 20.0), p(0.0, 10.0)];
        assert_eq!(corners(&line), vec![(0, 0), (0, 200), (0, 100)]);
    }

    #[test]
    fn paths_step_relative_to_the_point_before() {
        let mut w = SvgWriter::new();
        let line = [p(85.3, 75.2), p(34.4, 103.2), p(34.4, 122.2), p(34.4, 130.0), p(89.0, 130.0)];
        w.tag("path").line_path(&line).leaf();
        w.tag("path").line_path(&[p(1.0, 1.0), p(1.0, 1.0)]).leaf();
        w.tag("path").line_path(&[p(0.0, 0.0), p(-3.25, -4.0)]).leaf();
        w.tag("path").closed_path(&[p(5.0, 0.0), p(9.5, 4.5), p(5.0, 9.0)]).leaf();
        assert_eq!(
            w.finish(),
            "<path d=\"M85.3 75.2l-50.9 28v26.8h54.6\"/>\n<path d=\"M1 1v0\"/>\n\
             <path d=\"M0 0l-3.3-4\"/>\n<path d=\"M5 0l4.5 4.5-4.5 4.5z\"/>\n"
        );
    }

    #[test]
    fn a_streaming_writer_writes_what_a_keeping_one_keeps() {
        let draw = |w: &mut SvgWriter<'_>| {
            w.tag("svg").open();
            for i in 0..20_000 {
                w.tag("rect").num("x", f64::from(i)).leaf();
            }
        };
        let mut kept = SvgWriter::new();
        draw(&mut kept);
        let mut streamed = Vec::new();
        let mut writer = SvgWriter::streaming(&mut streamed);
        draw(&mut writer);
        writer.end().unwrap();
        assert_eq!(String::from_utf8(streamed).unwrap(), kept.finish());
    }
}
