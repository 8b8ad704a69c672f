//! HTML labels (DOT `<...>` labels, draw.io `html=1` values) reduced to plain text.
//!
//! No markup survives: tags are dropped, line-breaking tags become newlines, entities are
//! decoded. The text is for display and inference; exporters escape it again. For the picture,
//! [`html_to_styled_text`] also says how each line was set (bold, colour, size), as plain
//! values, never as markup.

use crate::import::text::prefix_within;
use crate::model::drawing::{colour, LineStyle};

/// Converts an HTML fragment to plain text. Tolerates broken markup: an unclosed `<` ends the tag
/// at the end of input, unknown entities are kept as written.
pub fn html_to_text(html: &str) -> String {
    walk(html, None)
}

/// The plain text of [`html_to_text`] and, per line of it, the emphasis every character of that
/// line shares (`<b>User</b><br>client`: the first line bold). A line mixing emphasis keeps the
/// label's own font.
pub fn html_to_styled_text(html: &str) -> (String, Vec<LineStyle>) {
    let mut styles = Emphases::default();
    let text = walk(html, Some(&mut styles));
    (text, styles.lines)
}

fn walk(html: &str, mut styles: Option<&mut Emphases>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut chars = html.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '<' => {
                let rest = &html[i + 1..];
                let end = rest.find('>').map_or(rest.len(), |e| e);
                let raw_tag = rest[..end].trim();
                let tag = raw_tag.to_ascii_lowercase();
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                let closing = tag.starts_with('/');
                if let Some(styles) = styles.as_deref_mut() {
                    styles.tag(&name, raw_tag, closing);
                }
                let breaks = matches!(name.as_str(), "br" | "hr")
                    || (matches!(
                        name.as_str(),
                        "div" | "p" | "tr" | "li" | "h1" | "h2" | "h3" | "h4"
                    ) && (closing || !out.is_empty()));
                if breaks && !out.is_empty() && !out.ends_with('\n') {
                    push_char(&mut out, '\n', &mut styles);
                } else if matches!(name.as_str(), "td" | "th")
                    && !closing
                    && !out.is_empty()
                    && !out.ends_with(['\n', ' '])
                {
                    push_char(&mut out, ' ', &mut styles);
                }
                // Skip to just past the `>` (or to the end).
                let skip_to = i + 1 + end + 1;
                while chars.peek().is_some_and(|&(j, _)| j < skip_to) {
                    chars.next();
                }
            }
            '&' => {
                let rest = &html[i + 1..];
                // Entities are short: looking further would make `&&&&…` quadratic.
                match prefix_within(rest, 11)
                    .find(';')
                    .and_then(|e| decode_entity(&rest[..e]).map(|d| (e, d)))
                {
                    Some((e, decoded)) => {
                        push_char(&mut out, decoded, &mut styles);
                        let skip_to = i + 1 + e + 1;
                        while chars.peek().is_some_and(|&(j, _)| j < skip_to) {
                            chars.next();
                        }
                    }
                    None => push_char(&mut out, '&', &mut styles),
                }
            }
            _ => push_char(&mut out, c, &mut styles),
        }
    }
    match styles {
        Some(styles) => styles.tidy(&out),
        None => tidy(&out),
    }
}

fn push_char(out: &mut String, c: char, styles: &mut Option<&mut Emphases>) {
    out.push(c);
    if let Some(styles) = styles.as_deref_mut() {
        styles.char(c);
    }
}

/// Decodes a named or numeric character reference (without `&` and `;`).
pub fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "laquo" => '«',
        "raquo" => '»',
        "rarr" => '→',
        "larr" => '←',
        "harr" => '↔',
        "bull" => '•',
        "middot" => '·',
        "deg" => '°',
        "times" => '×',
        "euro" => '€',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "ccedil" => 'ç',
        _ => return None,
    })
}

/// Collapses runs of spaces, trims every line and drops empty lines at the ends.
fn tidy(text: &str) -> String {
    kept_lines(text).into_iter().map(|(_, line)| line).collect::<Vec<_>>().join("\n")
}

/// The lines [`tidy`] keeps, each with its index among the raw lines: spaces collapsed, no
/// empty line first, last or after another empty line.
fn kept_lines(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() && out.last().is_none_or(|(_, l)| l.is_empty()) {
            continue;
        }
        out.push((i, line));
    }
    while out.last().is_some_and(|(_, l)| l.is_empty()) {
        out.pop();
    }
    out
}

/// Open tags deeper than this set no emphasis: the work per tag stays bounded on hostile input.
pub(crate) const MAX_OPEN: usize = 64;

/// Emphasis while walking: the open tags with the emphasis in force inside each, and per raw
/// line the emphasis its visible characters share.
#[derive(Default)]
struct Emphases {
    open: Vec<(String, LineStyle)>,
    /// The current raw line's shared emphasis: `None` before its first visible character,
    /// `Some(None)` once two of its characters differ.
    line: Option<Option<LineStyle>>,
    raw_lines: Vec<LineStyle>,
    lines: Vec<LineStyle>,
}

impl Emphases {
    fn current(&self) -> LineStyle {
        self.open.last().map(|(_, style)| style.clone()).unwrap_or_default()
    }

    fn tag(&mut self, name: &str, raw_tag: &str, closing: bool) {
        open_or_close(&mut self.open, name, raw_tag, closing);
    }

    fn char(&mut self, c: char) {
        if c == '\n' {
            self.end_line();
        } else if !c.is_whitespace() {
            let now = self.current();
            self.line = Some(match self.line.take() {
                None => Some(now),
                Some(Some(shared)) if shared == now => Some(shared),
                Some(_) => None,
            });
        }
    }

    fn end_line(&mut self) {
        self.raw_lines.push(self.line.take().flatten().unwrap_or_default());
    }

    /// The tidy text, with `lines` set to the emphasis of each line kept; empty when no line
    /// has any.
    fn tidy(&mut self, text: &str) -> String {
        self.end_line();
        let kept = kept_lines(text);
        self.lines =
            kept.iter().map(|(i, _)| self.raw_lines.get(*i).cloned().unwrap_or_default()).collect();
        if self.lines.iter().all(|l| *l == LineStyle::default()) {
            self.lines.clear();
        }
        kept.into_iter().map(|(_, line)| line).collect::<Vec<_>>().join("\n")
    }
}

/// Keeps `open` (the open tags, each with the emphasis in force inside it) up to date with one
/// tag: a closing tag closes back to its opening one, an opening one adds what it sets.
pub(crate) fn open_or_close(
    open: &mut Vec<(String, LineStyle)>,
    name: &str,
    raw_tag: &str,
    closing: bool,
) {
    if closing {
        if let Some(at) = open.iter().rposition(|(o, _)| o == name) {
            open.truncate(at);
        }
        return;
    }
    let void = matches!(name, "br" | "hr" | "img" | "input" | "meta" | "wbr");
    if void || raw_tag.ends_with('/') || open.len() >= MAX_OPEN {
        return;
    }
    let mut style = open.last().map(|(_, s)| s.clone()).unwrap_or_default();
    emphasis_of(name, raw_tag, &mut style);
    open.push((name.to_string(), style));
}

/// What an opening tag sets: `<b>`, `<strong>`, `<i>`, `<em>`, `<u>`, `<font color size>` and a
/// `style` attribute's `font-weight`, `font-style`, `text-decoration`, `color`, `font-size`.
fn emphasis_of(name: &str, raw_tag: &str, style: &mut LineStyle) {
    match name {
        "b" | "strong" | "h4" | "th" => style.bold = Some(true),
        "h1" | "h2" | "h3" => {
            // A browser's heading sizes, which draw.io's labels get.
            style.bold = Some(true);
            style.scale = Some(match name {
                "h1" => 2.0,
                "h2" => 1.5,
                _ => 1.17,
            });
        }
        "i" | "em" => style.italic = Some(true),
        "u" => style.underline = Some(true),
        "font" => {
            if let Some(c) = attribute(raw_tag, "color").and_then(|v| colour(&v)) {
                style.colour = Some(c);
            }
        }
        _ => {}
    }
    let Some(css) = attribute(raw_tag, "style") else { return };
    for declaration in css.split(';').take(32) {
        let Some((property, value)) = declaration.split_once(':') else { continue };
        let value = value.trim().to_ascii_lowercase();
        match property.trim().to_ascii_lowercase().as_str() {
            "font-weight" => {
                let weight = value.parse::<u32>().ok();
                style.bold = Some(value == "bold" || value == "bolder" || weight >= Some(600));
            }
            "font-style" => style.italic = Some(value == "italic" || value == "oblique"),
            "text-decoration" | "text-decoration-line" => {
                style.underline = Some(value.contains("underline"));
            }
            "color" => style.colour = colour(&value).or(style.colour.take()),
            "font-size" => style.font_px = css_px(&value).or(style.font_px),
            _ => {}
        }
    }
}

/// A CSS length in px (`12px`, `9pt`); other units and absurd sizes are ignored.
fn css_px(value: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = value.strip_suffix("px") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix("pt") {
        (n, 4.0 / 3.0)
    } else {
        return None;
    };
    let px = number.trim().parse::<f64>().ok()? * factor;
    (px.is_finite() && (1.0..=200.0).contains(&px)).then_some(px)
}

/// The value of `name="..."` (or `'...'`) in a tag, entities left as written.
pub(crate) fn attribute(raw_tag: &str, name: &str) -> Option<String> {
    let lower = raw_tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower.get(from..)?.find(name) {
        let start = from + at;
        from = start + name.len();
        let before_ok = lower[..start].ends_with(|c: char| c.is_whitespace());
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = raw_tag.len() - rest.len() + 1;
        let value = raw_tag.get(value_at..)?.trim_start();
        let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let inner = &value[1..];
        return Some(inner[..inner.find(quote).unwrap_or(inner.len())].to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_markup_and_decodes_entities() {
        assert_eq!(html_to_text("<b>Orders</b>&nbsp;API"), "Orders API");
        assert_eq!(html_to_text("Web<br>Server"), "Web\nServer");
        assert_eq!(html_to_text("<div>Line 1</div><div>Line 2</div>"), "Line 1\nLine 2");
        assert_eq!(html_to_text("a &lt;script&gt; b"), "a <script> b");
        assert_eq!(html_to_text("&#65;&#x42;"), "AB");
        assert_eq!(html_to_text("R&D"), "R&D");
        assert_eq!(html_to_text("<i>Internet</i>"), "Internet");
    }

    #[test]
    fn tables_become_text() {
        let t = html_to_text(r#"<table sides="TB"><tr><td>Orders DB</td></tr></table>"#);
        assert_eq!(t, "Orders DB");
    }

    #[test]
    fn lines_keep_the_emphasis_all_their_characters_share() {
        let (text, lines) = html_to_styled_text(
            "<b>User</b><br><font color=\"#FF0000\">Untrusted</font> client<br>\
             <span style=\"font-size: 9pt; font-weight: bold\">note</span>",
        );
        assert_eq!(text, "User\nUntrusted client\nnote");
        let bold = LineStyle { bold: Some(true), ..LineStyle::default() };
        let small_bold = LineStyle { font_px: Some(12.0), ..bold.clone() };
        // The middle line mixes red and black: it keeps the label's own font.
        assert_eq!(lines, [bold, LineStyle::default(), small_bold]);
        let (_, lines) = html_to_styled_text("<div><i>Zone</i></div><div></div><div>DMZ</div>");
        assert_eq!(lines.len(), 2, "one style per kept line: {lines:?}");
        assert_eq!(lines[0].italic, Some(true));
    }

    #[test]
    fn plain_labels_have_no_line_styles_and_hostile_ones_stay_bounded() {
        assert_eq!(html_to_styled_text("Orders<br>API").1, []);
        assert_eq!(html_to_styled_text("<font color=\"javascript:x\">a</font>").1, []);
        let deep = "<b>".repeat(50_000) + "x" + &"</i>".repeat(50_000);
        let (text, lines) = html_to_styled_text(&deep);
        assert_eq!((text.as_str(), lines[0].bold), ("x", Some(true)));
        let (_, lines) = html_to_styled_text("<span style=\"font-size: 9999px\">big</span>");
        assert_eq!(lines, [], "an absurd size is ignored");
    }

    #[test]
    fn broken_markup_does_not_panic() {
        assert_eq!(html_to_text("<b"), "");
        assert_eq!(html_to_text("x &"), "x &");
        assert_eq!(html_to_text("é<br/>ü"), "é\nü");
    }
}
