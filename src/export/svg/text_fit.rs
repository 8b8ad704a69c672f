//! Fitting user text into a box: wrapped at word boundaries, cut with "…" when it does not fit.
//!
//! Measuring uses the layout's width table, so wrapping matches the boxes the layout sized and is
//! identical on every machine. Work stops once the box is full, so a 10,000-character label costs
//! no more than one that just fills its box.

use super::writer::clean;
use crate::layout::text_size;

const ELLIPSIS: char = '…';

/// The lines to draw for `text` in a box `max_width` wide holding at most `max_lines` lines.
/// The user's line breaks are kept; whitespace runs inside a line become one space. Never returns
/// more than `max_lines` lines (at least one) and never a line wider than `max_width` unless a
/// single character is.
pub fn fit_lines(text: &str, font_px: f64, max_width: f64, max_lines: usize) -> Vec<String> {
    let max_lines = max_lines.max(1);
    let text = clean(text);
    let mut lines: Vec<String> = Vec::new();
    let mut cut = false;
    'paragraphs: for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in paragraph.split_whitespace() {
            let word_width = width(word, font_px);
            let space = if line.is_empty() { 0.0 } else { width(" ", font_px) };
            if line_width + space + word_width <= max_width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_width += space + word_width;
                continue;
            }
            if !line.is_empty() {
                if lines.len() + 1 >= max_lines {
                    lines.push(line);
                    cut = true;
                    break 'paragraphs;
                }
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            // A word wider than the box is broken between characters.
            for c in word.chars() {
                let w = char_width(c, font_px);
                if line_width + w > max_width && !line.is_empty() {
                    if lines.len() + 1 >= max_lines {
                        lines.push(line);
                        cut = true;
                        break 'paragraphs;
                    }
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                line.push(c);
                line_width += w;
            }
        }
        if lines.len() >= max_lines {
            cut = true;
            break;
        }
        lines.push(line);
    }
    // Blank paragraphs at the end would only push the text off centre.
    while lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    if cut {
        if let Some(last) = lines.last_mut() {
            *last = with_ellipsis(last, font_px, max_width);
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// `line` shortened until it and a trailing "…" fit in `max_width`.
fn with_ellipsis(line: &str, font_px: f64, max_width: f64) -> String {
    let budget = max_width - char_width(ELLIPSIS, font_px);
    let mut out = String::new();
    let mut used = 0.0;
    for c in line.chars() {
        let w = char_width(c, font_px);
        if used + w > budget {
            break;
        }
        out.push(c);
        used += w;
    }
    let mut out = out.trim_end().to_string();
    out.push(ELLIPSIS);
    out
}

/// The width of `text` on one line.
pub fn width(text: &str, font_px: f64) -> f64 {
    text_size(text, font_px).0
}

fn char_width(c: char, font_px: f64) -> f64 {
    let mut buffer = [0u8; 4];
    width(c.encode_utf8(&mut buffer), font_px)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_line() {
        assert_eq!(fit_lines("API Gateway", 12.0, 200.0, 3), ["API Gateway"]);
    }

    #[test]
    fn user_line_breaks_are_kept() {
        assert_eq!(
            fit_lines("Orders table\n(DynamoDB)", 12.0, 200.0, 3),
            ["Orders table", "(DynamoDB)"]
        );
    }

    #[test]
    fn long_text_wraps_at_words() {
        let lines = fit_lines("one two three four five six", 12.0, 60.0, 10);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, 12.0) <= 60.0), "{lines:?}");
        assert_eq!(lines.join(" "), "one two three four five six");
    }

    #[test]
    fn overflow_is_cut_with_an_ellipsis() {
        let label = "x".repeat(10_000);
        let lines = fit_lines(&label, 12.0, 100.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert!(lines.iter().all(|l| width(l, 12.0) <= 100.0));
    }

    #[test]
    fn too_many_paragraphs_are_cut() {
        let lines = fit_lines("a\nb\nc\nd", 12.0, 100.0, 2);
        assert_eq!(lines, ["a", "b…"]);
    }

    #[test]
    fn empty_and_control_only_text_is_one_empty_line() {
        assert_eq!(fit_lines("", 12.0, 100.0, 2), [""]);
        assert_eq!(fit_lines("\u{1}\u{2}", 12.0, 100.0, 2), [""]);
    }

    #[test]
    fn zero_width_still_makes_progress() {
        let lines = fit_lines("abc", 12.0, 0.0, 5);
        assert_eq!(lines, ["a", "b", "c"]);
    }
}
