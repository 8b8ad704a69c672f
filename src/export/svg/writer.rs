//! A small XML writer that makes unsafe output impossible to write by accident.
//!
//! The `svg` crate was considered (the issue names it) and rejected after reading its 0.18
//! source: its text and attribute escaping replaces only `&`, `<` and `>`, so a `"` in a label
//! would end an attribute value and let a diagram inject attributes such as `onerror`; it keeps
//! characters XML forbids (so a stray control character makes the file unparsable); it prints
//! floats at full precision (so output drifts with arithmetic noise); and its comments are written
//! raw. Here tag and attribute *names* are `&'static str` (never user data), and every value and
//! every text node goes through [`escape_into`].

use crate::model::{Point, Rect};

/// Streams XML into a string, one element per line and not indented (indentation was an eighth
/// of a big diagram's SVG); elements left open are closed by [`SvgWriter::finish`].
pub struct SvgWriter {
    out: String,
    open: Vec<&'static str>,
}

impl SvgWriter {
    pub fn new() -> Self {
        SvgWriter { out: String::new(), open: Vec::new() }
    }

    /// Starts an element; finish it with [`Tag::leaf`], [`Tag::open`] or [`Tag::text`].
    pub fn tag(&mut self, name: &'static str) -> Tag<'_> {
        self.out.push('<');
        self.out.push_str(name);
        Tag { writer: self, name }
    }

    /// Closes the innermost element opened with [`Tag::open`]; does nothing when none is open.
    pub fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push_str(">\n");
        }
    }

    /// Pastes the output of a nested writer (already escaped and balanced, see [`Self::finish`]).
    pub fn splice(&mut self, other: SvgWriter) {
        self.out.push_str(&other.finish());
    }

    /// The document, with every element still open closed, so it is always balanced.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

impl Default for SvgWriter {
    fn default() -> Self {
        Self::new()
    }
}

/// An element whose start tag is being written.
pub struct Tag<'w> {
    writer: &'w mut SvgWriter,
    name: &'static str,
}

impl Tag<'_> {
    /// An attribute; the value is escaped.
    pub fn attr(self, name: &'static str, value: &str) -> Self {
        let out = &mut self.writer.out;
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_into(out, value, Context::Attribute);
        out.push('"');
        self
    }

    /// A numeric attribute, at the fixed precision of [`number`].
    pub fn num(self, name: &'static str, value: f64) -> Self {
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

    /// Ends the element here: `<name .../>`.
    pub fn leaf(self) {
        self.writer.out.push_str("/>\n");
    }

    /// Leaves the element open for children, until [`SvgWriter::close`].
    pub fn open(self) {
        self.writer.out.push_str(">\n");
        self.writer.open.push(self.name);
    }

    /// The element with escaped text as its only content: `<name ...>text</name>`.
    pub fn text(self, content: &str) {
        let out = &mut self.writer.out;
        out.push('>');
        escape_into(out, content, Context::Text);
        out.push_str("</");
        out.push_str(self.name);
        out.push_str(">\n");
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
    // Most text needs nothing: copy it whole.
    let plain =
        |c: char| !matches!(c, '&' | '<' | '>' | '"' | '\'' | '\n' | '\t') && !is_dropped(c);
    if text.chars().all(plain) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        if markup_entity(out, c) {
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
    if tenths == 0.0 || !tenths.is_finite() {
        out.push('0');
        return;
    }
    if tenths.abs() < 1e15 {
        // Exact integer arithmetic on tenths: no float formatting, no `-0`.
        let t = tenths as i64;
        if t < 0 {
            out.push('-');
        }
        let (whole, tenth) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
        let _ = write!(out, "{whole}");
        if tenth != 0 {
            let _ = write!(out, ".{tenth}");
        }
    } else {
        let _ = write!(out, "{:.0}", tenths / 10.0);
    }
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
            escaped(r#"<a href="x">'&'</a>"#, Context::Text),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
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
    fn closing_with_nothing_open_is_harmless() {
        let mut w = SvgWriter::new();
        w.close();
        assert_eq!(w.finish(), "");
    }
}
