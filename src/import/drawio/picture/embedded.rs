//! Raster pictures carried in a style (`image=data:image/png,iVBOR…`, as draw.io stores an
//! image pasted into the page), drawn as themselves instead of as a tile.
//!
//! Only PNG, JPEG and GIF are accepted, and only when the data is plain base64 of at most
//! [`MAX_ENCODED`] characters that decodes to a file starting with that format's signature; the
//! data is re-encoded from the decoded bytes, so nothing but base64 reaches the output. SVG
//! (`data:image/svg+xml`) and every other type can hold script or fetch other files: those stay
//! tiles, an SVG's in the colour it uses most ([`svg_colour`]), as draw.io's own cloud icons
//! pasted as SVG are.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::super::style::Style;
use crate::index_hash::IndexMap;
use crate::model::drawing::colour;

/// 512 KiB of base64 (384 KiB of picture): icons, not photographs.
pub const MAX_ENCODED: usize = 512 * 1024;

/// The formats drawn, with the signatures their files start with.
const FORMATS: &[(&str, &str, &[&[u8]])] = &[
    ("png", "image/png", &[b"\x89PNG\r\n\x1a\n"]),
    ("jpeg", "image/jpeg", &[b"\xff\xd8\xff"]),
    ("jpg", "image/jpeg", &[b"\xff\xd8\xff"]),
    ("gif", "image/gif", &[b"GIF87a", b"GIF89a"]),
];

/// The picture's media type and its base64, when the style embeds a safe raster picture.
pub fn embedded(style: &Style) -> Option<(&'static str, String)> {
    let rest = style.get("image")?.trim().strip_prefix("data:image/")?;
    let (kind, data) = rest.split_once(',')?;
    let kind = kind.strip_suffix(";base64").unwrap_or(kind).to_ascii_lowercase();
    let (_, mime, signatures) = FORMATS.iter().find(|(name, _, _)| *name == kind)?;
    if data.len() > MAX_ENCODED {
        return None;
    }
    let bytes = STANDARD.decode(data.trim()).ok()?;
    signatures.iter().any(|s| bytes.starts_with(s)).then(|| (*mime, STANDARD.encode(&bytes)))
}

/// The colour an SVG picture carried in a style (`image=data:image/svg+xml,…`, base64 as draw.io
/// stores it, or plain text) uses most: of its `#rgb`/`#rrggbb` colours, the most frequent one
/// that is not grey, else the most frequent one that is not near white (the page); `None` for
/// anything else or nothing found. Only read, never drawn.
pub fn svg_colour(style: &Style) -> Option<String> {
    let rest = style.get("image")?.trim().strip_prefix("data:image/svg+xml")?;
    let (_, data) = rest.split_once(',')?;
    if data.len() > MAX_ENCODED {
        return None;
    }
    let bytes = STANDARD.decode(data.trim()).unwrap_or_else(|_| data.as_bytes().to_vec());
    let text = String::from_utf8_lossy(&bytes);
    // Colour -> (uses, first place), so ties go to the colour met first.
    let mut counts: IndexMap<String, (usize, usize)> = IndexMap::default();
    for (at, _) in text.match_indices('#') {
        let hex: String =
            text[at + 1..].chars().take(7).take_while(char::is_ascii_hexdigit).collect();
        if let Some(c) =
            [6, 3].iter().find(|&&n| hex.len() == n).and_then(|_| colour(&format!("#{hex}")))
        {
            counts.entry(c).or_insert((0, at)).0 += 1;
        }
    }
    let channels = |c: &str| -> Option<[u8; 3]> {
        let v = |i: usize| u8::from_str_radix(c.get(i..i + 2)?, 16).ok();
        Some([v(1)?, v(3)?, v(5)?])
    };
    let spread = |c: &str| channels(c).map_or(0, |[r, g, b]| r.max(g).max(b) - r.min(g).min(b));
    let light = |c: &str| channels(c).is_some_and(|ch| ch.iter().all(|&v| v >= 0xe8));
    let best = |keep: &dyn Fn(&str) -> bool| {
        counts
            .iter()
            .filter(|(c, _)| keep(c))
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
            .map(|(c, _)| c.clone())
    };
    best(&|c| spread(c) > 24).or_else(|| best(&|c| !light(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    #[test]
    fn only_checked_raster_pictures_are_embedded() {
        let style = Style::parse(&format!("shape=image;image=data:image/png,{PNG};"));
        assert_eq!(embedded(&style), Some(("image/png", PNG.to_string())));
        for bad in [
            // Scriptable formats, and data that is not what it says.
            "image=data:image/svg+xml,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+".to_string(),
            "image=data:text/html,PGgxPg==".to_string(),
            "image=data:image/png,R0lGODlhAQABAAAAACw=".to_string(),
            "image=data:image/png,\"/><script>alert(1)</script>".to_string(),
            "image=https://example.com/x.png".to_string(),
            format!("image=data:image/png,{}", "A".repeat(MAX_ENCODED + 4)),
        ] {
            assert_eq!(embedded(&Style::parse(&bad)), None, "{bad}");
        }
    }

    #[test]
    fn an_svg_picture_gives_its_tile_the_colour_it_uses_most() {
        use base64::engine::general_purpose::STANDARD;
        let svg = |body: &str| {
            let data =
                STANDARD.encode(format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{body}</svg>"));
            Style::parse(&format!("shape=image;image=data:image/svg+xml,{data};"))
        };
        // Blue twice, white and a grey more often: the blue.
        let icon = svg("<path fill=\"#0078D4\"/><path fill=\"#0078d4\"/><path fill=\"#fff\"/>\
                        <path fill=\"#fff\"/><path fill=\"#999\"/><path fill=\"#999999\"/><path fill=\"#999\"/>");
        assert_eq!(svg_colour(&icon), Some("#0078d4".to_string()));
        // Only greys and white: the grey.
        assert_eq!(
            svg_colour(&svg("<path fill=\"#fff\"/><path fill=\"#333\"/>")),
            Some("#333333".into())
        );
        assert_eq!(svg_colour(&svg("<path/>")), None);
        assert_eq!(svg_colour(&Style::parse("shape=image;image=data:image/png,AAAA")), None);
        assert_eq!(embedded(&icon), None, "an SVG is never drawn itself");
    }
}
