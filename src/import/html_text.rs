//! HTML labels (DOT `<...>` labels, draw.io `html=1` values) reduced to plain text.
//!
//! Nothing of the markup survives: tags are dropped, line-breaking tags become newlines, entities
//! are decoded. The text is for display and inference; exporters escape it again.

use crate::import::text::prefix_within;

/// Converts an HTML fragment to plain text. Tolerates broken markup: an unclosed `<` ends the tag
/// at the end of input, unknown entities are kept as written.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut chars = html.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '<' => {
                let rest = &html[i + 1..];
                let end = rest.find('>').map_or(rest.len(), |e| e);
                let tag = rest[..end].trim().to_ascii_lowercase();
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                let closing = tag.starts_with('/');
                let breaks = matches!(name.as_str(), "br" | "hr")
                    || (matches!(
                        name.as_str(),
                        "div" | "p" | "tr" | "li" | "h1" | "h2" | "h3" | "h4"
                    ) && (closing || !out.is_empty()));
                if breaks && !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                } else if matches!(name.as_str(), "td" | "th")
                    && !closing
                    && !out.is_empty()
                    && !out.ends_with(['\n', ' '])
                {
                    out.push(' ');
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
                        out.push(decoded);
                        let skip_to = i + 1 + e + 1;
                        while chars.peek().is_some_and(|&(j, _)| j < skip_to) {
                            chars.next();
                        }
                    }
                    None => out.push('&'),
                }
            }
            _ => out.push(c),
        }
    }
    tidy(&out)
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
    let lines: Vec<String> =
        text.split('\n').map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    let mut out: Vec<&str> = Vec::new();
    for line in &lines {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
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
    fn broken_markup_does_not_panic() {
        assert_eq!(html_to_text("<b"), "");
        assert_eq!(html_to_text("x &"), "x &");
        assert_eq!(html_to_text("é<br/>ü"), "é\nü");
    }
}
