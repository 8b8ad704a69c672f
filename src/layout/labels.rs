//! The room a flow's label takes on the page, reserved by the layout so that no label has to be
//! cut or drawn over anything.
//!
//! It mirrors how the SVG draws a flow label: words wrapped at [`LABEL_WRAP`] pixels, a little
//! padding, and the threat badge after the text (reserved at its widest).

use super::text::text_size;
use super::LABEL_FONT_PX;

/// Width at which the SVG wraps flow labels: two short lines rather than one long one, as a
/// label's width widens its rank (left to right) or the gaps between flows (top to bottom).
pub const LABEL_WRAP: f64 = 80.0;
/// Padding around the text inside the label's box.
const PADDING: f64 = 3.0;
/// The widest threat badge (a count of three digits) and its gap.
const BADGE_ROOM: f64 = 40.0;
/// Smallest height of a label box: the badge's diameter and a margin.
const MIN_HEIGHT: f64 = 19.0;
const LINE_HEIGHT: f64 = 1.2;

/// Width and height of the box the SVG draws for a flow labelled `text` (badge included).
pub(crate) fn label_box(text: &str) -> (f64, f64) {
    let (widest, lines) = wrapped(text, LABEL_FONT_PX, LABEL_WRAP);
    let text_w = if lines == 0 { 0.0 } else { widest + 2.0 * PADDING };
    let text_h = lines as f64 * LABEL_FONT_PX * LINE_HEIGHT + PADDING;
    (text_w + BADGE_ROOM, text_h.max(MIN_HEIGHT))
}

/// The widest line and the line count of `text` wrapped greedily at word boundaries to
/// `max_width` (a word wider than that is broken between characters), keeping the user's line
/// breaks; no lines for blank text.
pub(crate) fn wrapped(text: &str, font_px: f64, max_width: f64) -> (f64, usize) {
    if text.trim().is_empty() {
        return (0.0, 0);
    }
    let width = |s: &str| text_size(s, font_px).0;
    let space = width(" ");
    let (mut widest, mut lines) = (0.0f64, 0usize);
    for paragraph in text.split('\n') {
        let mut line = 0.0f64;
        for word in paragraph.split_whitespace() {
            let w = width(word);
            let needed = if line > 0.0 { line + space + w } else { w };
            if needed <= max_width {
                line = needed;
                continue;
            }
            if line > 0.0 {
                widest = widest.max(line);
                lines += 1;
            }
            // A word wider than a line is broken between characters.
            line = 0.0;
            for c in word.chars() {
                let cw = width(c.encode_utf8(&mut [0; 4]));
                if line + cw > max_width && line > 0.0 {
                    widest = widest.max(line);
                    lines += 1;
                    line = 0.0;
                }
                line += cw;
            }
        }
        widest = widest.max(line);
        lines += 1;
    }
    (widest, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_labels_take_one_line_and_long_ones_wrap() {
        assert_eq!(wrapped("place order", 11.0, 150.0).1, 1);
        let long = "a rather long flow label that cannot possibly fit on one line of the drawing";
        let (w, lines) = wrapped(long, 11.0, 150.0);
        assert!(lines >= 3 && w <= 150.0);
        assert_eq!(wrapped("  ", 11.0, 150.0), (0.0, 0));
        assert!(label_box("").0 > 0.0, "the badge still needs room");
    }
}
