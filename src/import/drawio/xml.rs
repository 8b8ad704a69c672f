//! The little of XML that draw.io needs, on top of quick-xml, without its entity machinery.
//!
//! Attribute values are unescaped here rather than by quick-xml so that an entity declared in a
//! DOCTYPE (an "entity bomb") is never expanded: only the five XML entities and character
//! references are decoded, anything else stays as written.

use std::borrow::Cow;

use quick_xml::events::BytesStart;

use crate::diagnostic::Diagnostic;
use crate::import::html_text::decode_entity;
use crate::import::text::prefix_within;

/// Decodes `&lt;`, `&amp;`, `&#10;`... in an attribute value or text. Unknown entities are kept.
pub fn unescape(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        // Entities are short: looking further would make `&&&&…` quadratic.
        let decoded = prefix_within(after, 13)
            .find(';')
            .and_then(|end| xml_entity(&after[..end]).map(|c| (end, c)));
        match decoded {
            Some((end, c)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn xml_entity(name: &str) -> Option<char> {
    match name {
        "lt" | "gt" | "amp" | "quot" | "apos" => decode_entity(name),
        _ if name.starts_with('#') => decode_entity(name),
        _ => None,
    }
}

/// The element's attributes as unescaped `(name, value)` pairs. Malformed attributes end the list
/// rather than the import: draw.io files are machine-written, a broken one is best read leniently.
pub fn attributes(element: &BytesStart<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut iter = element.attributes();
    iter.with_checks(false);
    for attribute in iter {
        let Ok(attribute) = attribute else { break };
        let name = attribute.key.as_ref().to_string();
        let value = unescape(&attribute.value).into_owned();
        out.push((name, value));
    }
    out
}

pub fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    attributes(element).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// The local name of an element, as text.
pub fn name_of(element: &BytesStart<'_>) -> String {
    element.local_name().as_ref().to_string()
}

pub fn syntax_error(error: &quick_xml::Error, position: u64) -> Diagnostic {
    Diagnostic::new(format!("the file is not well-formed XML: {error} (near byte {position})"))
        .with_help("open and save the file in draw.io, or check that it was not truncated")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn decodes_xml_entities_only() {
        assert_eq!(unescape("a &lt;b&gt; &amp; &#10;&#x41;"), "a <b> & \nA");
        assert_eq!(unescape("&lol9; &nbsp; & x"), "&lol9; &nbsp; & x");
        assert_eq!(unescape("&"), "&");
    }
}
