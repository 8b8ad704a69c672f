//! Text measurement without a font engine.
//!
//! The SVG is drawn on machines with nothing installed, so boxes are sized from a fixed table of
//! advance widths (Helvetica/Arial metrics, which most sans-serif fallbacks approximate). An
//! estimate that is a little generous is better than clipped labels.

/// Advance widths of ASCII 32..=126 in thousandths of an em (Helvetica AFM).
const ASCII_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // '0'..'9'
    278, 278, 584, 584, 584, 556, 1015, // ':'..'@'
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // 'A'..'M'
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // 'N'..'Z'
    278, 278, 278, 469, 556, 333, // '['..'`'
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // 'a'..'m'
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // 'n'..'z'
    334, 260, 334, 584, // '{'..'~'
];

/// Line height as a multiple of the font size, as browsers use for sans-serif text.
const LINE_HEIGHT: f64 = 1.2;

/// The width and height, in pixels, of `text` drawn at `font_px`, one line per `\n`.
///
/// Deterministic: the same text always measures the same, on every machine.
pub fn text_size(text: &str, font_px: f64) -> (f64, f64) {
    let font_px = if font_px.is_finite() && font_px > 0.0 { font_px } else { 12.0 };
    let mut widest = 0u32;
    let mut lines = 0u32;
    for line in text.split('\n') {
        lines += 1;
        let width: u32 = line.trim_end_matches('\r').chars().map(char_width).sum();
        widest = widest.max(width);
    }
    (f64::from(widest) * font_px / 1000.0, f64::from(lines) * font_px * LINE_HEIGHT)
}

/// Advance width of one character in thousandths of an em.
fn char_width(c: char) -> u32 {
    let code = u32::from(c);
    match code {
        32..=126 => u32::from(ASCII_WIDTHS[(code - 32) as usize]),
        0..=31 | 127..=159 => 0,
        _ if is_zero_width(code) => 0,
        _ if is_wide(code) => 1000,
        _ => 600,
    }
}

/// Combining marks, joiners and variation selectors add no advance of their own.
fn is_zero_width(code: u32) -> bool {
    matches!(code, 0x0300..=0x036F | 0x200B..=0x200F | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF)
}

/// East Asian wide and fullwidth characters and emoji take a full em.
fn is_wide(code: u32) -> bool {
    matches!(
        code,
        0x1100..=0x115F
            | 0x2600..=0x27BF
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x1F000..=0x1FAFF
            | 0x20000..=0x3FFFD
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(text_size("", 10.0), (0.0, 12.0));
    }

    #[test]
    fn widths_follow_the_table() {
        let (w, h) = text_size("Hi", 10.0);
        assert!((w - (7.22 + 2.22)).abs() < 1e-9);
        assert!((h - 12.0).abs() < 1e-9);
    }

    #[test]
    fn lines_stack_and_the_widest_counts() {
        let (w1, _) = text_size("a much longer line", 12.0);
        let (w, h) = text_size("short\na much longer line", 12.0);
        assert_eq!(w, w1);
        assert!((h - 2.0 * 12.0 * LINE_HEIGHT).abs() < 1e-9);
    }

    #[test]
    fn cjk_and_emoji_are_wide() {
        assert_eq!(text_size("数据库", 10.0).0, 30.0);
        assert_eq!(text_size("🔒", 10.0).0, 10.0);
        assert_eq!(text_size("e\u{301}", 10.0).0, 5.56);
    }

    #[test]
    fn nonsense_font_sizes_fall_back() {
        assert_eq!(text_size("x", f64::NAN), text_size("x", 12.0));
        assert_eq!(text_size("x", -3.0), text_size("x", 12.0));
    }
}
