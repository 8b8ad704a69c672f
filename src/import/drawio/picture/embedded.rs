//! Raster pictures carried in a style (`image=data:image/png,iVBOR…`, as draw.io stores an
//! image pasted into the page), drawn as themselves instead of as a tile.
//!
//! Only PNG, JPEG and GIF are accepted, and only when the data is plain base64 of at most
//! [`MAX_ENCODED`] characters that decodes to a file starting with that format's signature; the
//! data is re-encoded from the decoded bytes, so nothing but base64 reaches the output. SVG
//! (`data:image/svg+xml`) and every other type can hold script or fetch other files: those stay
//! tiles.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::super::style::Style;

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
}
