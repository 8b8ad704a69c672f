//! Text written by whoever drew the diagram, made safe to show.
//!
//! Every writer is safe on its own, whatever the importer let through (defence in depth):
//!
//! - machine formats remove control characters before their own escaping
//!   ([`without_controls`]), so nothing downstream can turn an escape sequence back into syntax;
//! - terminal and CI-log output shows them instead ([`visible`]): `\n`, `\t`, `\r` and `\u{1b}`
//!   style, always on one line, and a leading `::` (a GitHub Actions workflow command) is written
//!   `\u{3a}:`;
//! - what is repeated (per threat, per crossing) is cut to [`MAX_SHOWN_CHARS`] characters with an
//!   ellipsis ([`capped`]) and lists to [`MAX_SHOWN_ITEMS`] items of [`MAX_LISTED_CHARS`]
//!   characters ([`capped_list`]), so no output grows faster than a small constant factor of
//!   its input.

use std::borrow::Cow;
use std::fmt::Write;

/// Longest piece of user text shown where it is repeated: per threat, per crossing, per line.
pub const MAX_SHOWN_CHARS: usize = 200;

/// Most items of one list shown (the zones a flow crosses); the rest is counted, not listed.
pub const MAX_SHOWN_ITEMS: usize = 5;

/// Longest item of such a list: a list is repeated per flow, so its items are cut shorter than
/// a name shown once.
pub const MAX_LISTED_CHARS: usize = 60;

/// Characters that change how a terminal, a log viewer or an editor shows the text rather than
/// being shown: C0 and C1 controls and DEL, Unicode line and paragraph separators, and the bidi
/// overrides that reorder what a reader sees.
pub fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{feff}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` without control characters; tabs, newlines and carriage returns become spaces, so
/// words stay apart. Borrowed when there is nothing to remove.
pub fn without_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if is_hidden_control(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// `text` on one line for a terminal or a CI log: control characters written as escapes
/// (`\n`, `\r`, `\t`, else `\u{1b}` style) and a leading `::` as `\u{3a}:`, so it can neither
/// start a new line, send an escape sequence nor be read as a workflow command.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.starts_with("::") && !text.chars().any(is_hidden_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    if let Some(after) = text.strip_prefix(':') {
        if after.starts_with(':') {
            out.push_str("\\u{3a}");
            rest = after;
        }
    }
    for c in rest.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hidden_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Every line of a message made [`visible`]: our own line breaks stay, anything a line carries
/// (user text that slipped in unescaped) cannot act on the terminal or the CI log.
pub fn visible_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&visible(line));
    }
    out
}

/// `text` cut to `max_chars` characters, the last of them an ellipsis when anything was cut.
pub fn capped(text: &str, max_chars: usize) -> Cow<'_, str> {
    // No more bytes than the limit is no more characters: most labels, without counting them.
    if text.len() <= max_chars {
        return Cow::Borrowed(text);
    }
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let keep = max_chars.saturating_sub(1);
            let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..end]))
        }
    }
}

/// At most [`MAX_SHOWN_ITEMS`] of `items`, each [`capped`] at [`MAX_LISTED_CHARS`], joined with
/// `, `, then `… and K more` when the list is longer.
/// Items past the first [`MAX_SHOWN_ITEMS`] are counted, never looked at.
pub fn capped_list<S: AsRef<str>>(items: impl ExactSizeIterator<Item = S>) -> String {
    let total = items.len();
    let mut out = String::new();
    for (i, item) in items.take(MAX_SHOWN_ITEMS).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&capped(item.as_ref(), MAX_LISTED_CHARS));
    }
    if total > MAX_SHOWN_ITEMS {
        let _ = write!(out, " … and {} more", total - MAX_SHOWN_ITEMS);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_removed_for_machine_formats() {
        assert_eq!(without_controls("a\u{1b}[31mb\nc\u{202e}d"), "a[31mb cd");
        assert!(matches!(without_controls("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_are_shown_for_terminals() {
        assert_eq!(visible("a\nb\u{1b}]52;c\u{7}"), "a\\nb\\u{1b}]52;c\\u{7}");
        assert_eq!(visible("::error ::x"), "\\u{3a}:error ::x");
        assert_eq!(visible(":a"), ":a");
        assert_eq!(visible_lines("one\n::two\u{1b}"), "one\n\\u{3a}:two\\u{1b}");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(capped("abcdef", 4), "abc…");
        assert_eq!(capped("abcd", 4), "abcd");
        assert_eq!(capped(&"é".repeat(500), 200).chars().count(), 200);
    }

    #[test]
    fn long_lists_are_counted_not_listed() {
        let items: Vec<String> = (0..20).map(|i| format!("z{i}")).collect();
        let shown = capped_list(items.iter().map(String::as_str));
        assert!(shown.starts_with("z0, z1,"), "{shown}");
        assert!(shown.ends_with("z4 … and 15 more"), "{shown}");
    }
}
