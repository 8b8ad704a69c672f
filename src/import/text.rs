//! Text as importers hand it on: labels without control characters, names and ids on one line,
//! everything within the length limit.
//!
//! The rule between the two ends of the pipeline: import normalises, export escapes. Every
//! exporter can rely on labels holding no control character but line breaks and tabs, and on
//! ids and names (graph, page, node, cluster, cell) holding none at all, so a name never starts
//! a new line in a report or a CI log, and no escape sequence reaches a terminal.

use std::borrow::Cow;

use sha2::{Digest, Sha256};

/// A label as shown: C0 and C1 control characters removed, except line breaks (`\r\n` and a
/// lone `\r` become `\n`) and tabs, which labels legitimately hold.
pub fn clean_label(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) || is_plain_multiline(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether the only control characters are `\n` and `\t`.
fn is_plain_multiline(text: &str) -> bool {
    text.chars().all(|c| !c.is_control() || c == '\n' || c == '\t')
}

/// A name or id on one line: each C0 control character (line breaks and tabs too) becomes its
/// visible Unicode control picture (`\n` is `␊`, ESC is `␛`), DEL becomes `␡` and C1 controls
/// become `�`. Distinct C0 controls stay distinct, so distinct ids stay distinct.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(visible).collect())
}

fn visible(c: char) -> char {
    match u32::from(c) {
        code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        0x80..=0x9f => '\u{fffd}',
        _ => c,
    }
}

/// The first `max_chars` characters of `text`, or `None` when it is no longer than that. Cuts at
/// a character boundary, never inside a UTF-8 sequence.
pub fn cut_chars(text: &str, max_chars: usize) -> Option<&str> {
    let (end, _) = text.char_indices().nth(max_chars)?;
    text.get(..end)
}

/// An id or name shown in outputs: on one line and at most `max_chars` characters. A longer one
/// keeps its start and ends in `~` and 8 hex digits of a hash of the whole, so two long ids
/// that share a prefix stay two ids, and every reference to the same id maps to the same result.
/// The flag says whether it was shortened.
pub fn shown_name(text: &str, max_chars: usize) -> (String, bool) {
    let line = one_line(text);
    const SUFFIX_CHARS: usize = 9;
    match cut_chars(&line, max_chars.saturating_sub(SUFFIX_CHARS).max(1)) {
        Some(start) if line.chars().count() > max_chars => {
            let hash = Sha256::digest(text.as_bytes());
            let hex: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
            (format!("{start}~{hex}"), true)
        }
        _ => (line.into_owned(), false),
    }
}

/// The longest prefix of `text` of at most `bytes` bytes that ends on a char boundary; lets a
/// scan for a short token (`;` closing an entity) stop early instead of reading to the end.
pub fn prefix_within(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_keep_line_breaks_and_tabs_only() {
        assert_eq!(clean_label("a\nb\tc"), "a\nb\tc");
        assert_eq!(clean_label("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(clean_label("\u{1b}[2J\u{1b}]52;c;eA==\u{7}x\u{9b}y\u{7f}"), "[2J]52;c;eA==xy");
        assert!(matches!(clean_label("İstanbul"), Cow::Borrowed(_)));
    }

    #[test]
    fn names_are_made_one_line_and_visible() {
        assert_eq!(one_line("a\n::error::x"), "a␊::error::x");
        assert_eq!(one_line("\u{1b}[31m\t\u{7f}\u{85}"), "␛[31m␉␡\u{fffd}");
        assert_ne!(one_line("a\u{1}"), one_line("a\u{2}"));
        assert!(matches!(one_line("ẞ Σ ﬁ"), Cow::Borrowed(_)));
    }

    #[test]
    fn cuts_at_char_boundaries() {
        assert_eq!(cut_chars("İİé", 2), Some("İİ"));
        assert_eq!(cut_chars("İİé", 3), None);
        assert_eq!(cut_chars("e\u{301}x", 1), Some("e"));
        assert_eq!(prefix_within("aİb", 2), "a");
        assert_eq!(prefix_within("aİb", 3), "aİ");
        assert_eq!(prefix_within("ab", 10), "ab");
    }

    #[test]
    fn long_names_keep_a_hash_of_the_whole() {
        let (a, cut_a) = shown_name(&format!("{}a", "ẞ".repeat(100)), 20);
        let (b, _) = shown_name(&format!("{}b", "ẞ".repeat(100)), 20);
        assert!(cut_a);
        assert_eq!(a.chars().count(), 20);
        assert_ne!(a, b);
        assert_eq!(shown_name("short", 20), ("short".to_string(), false));
        assert_eq!(shown_name("x\ny", 20), ("x␊y".to_string(), false));
    }
}
