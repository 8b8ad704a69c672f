//! Colours, in one place so the pictures (the SVG, the draw.io layer) and their legends agree.
//!
//! A restrained slate palette for structure; colour is reserved for what the analysis found
//! (risk, crossings, actors, entry points) so it draws the eye there. Risk colours are dark
//! enough for white letters on top and readable as text on white.

use crate::model::ElementKind;
use crate::threats::Level;

pub const BACKGROUND: &str = "#ffffff";
pub const INK: &str = "#0f172a";
pub const MUTED_INK: &str = "#475569";
pub const FAINT_INK: &str = "#64748b";
pub const RULE: &str = "#e2e8f0";

pub const FLOW: &str = "#64748b";
/// Blue: outside the risk scale (green, amber, orange, red, purple), so a crossing never reads
/// as a risk level.
pub const CROSSING_FLOW: &str = "#2563eb";
pub const CROSSING_MARKER_FILL: &str = "#ffffff";

pub const TRUSTED_ZONE_FILL: &str = "#f1f5f9";
pub const TRUSTED_ZONE_STROKE: &str = "#64748b";
pub const UNTRUSTED_ZONE_FILL: &str = "#fef2f2";
pub const UNTRUSTED_ZONE_STROKE: &str = "#dc2626";
pub const UNTRUSTED_LABEL: &str = "#b91c1c";

pub const ACTOR_TAG: &str = "#6d28d9";
pub const ENTRY_TAG: &str = "#0f766e";
pub const TAG_TEXT: &str = "#ffffff";

pub const ICON_TILE_FILL: &str = "#ffffff";
pub const ICON_TILE_STROKE: &str = "#cbd5e1";
pub const ICON_BAND: &str = "#475569";

/// Default fill and stroke of an element of `kind`, when the user gave none.
pub fn element_colours(kind: ElementKind) -> (&'static str, &'static str) {
    match kind {
        ElementKind::ExternalEntity => ("#f8fafc", "#334155"),
        ElementKind::Process => ("#eef2ff", "#4f46e5"),
        ElementKind::DataStore => ("#ecfeff", "#0e7490"),
    }
}

/// The check mark of a target whose threats are all mitigated or accepted.
pub const SETTLED: &str = "#15803d";

/// Badge colour for the highest open residual risk of a target.
pub fn risk_colour(level: Level) -> &'static str {
    match level {
        Level::None => SETTLED,
        Level::Low => "#a16207",
        Level::Medium => "#c2410c",
        Level::High => "#b91c1c",
        Level::Critical => "#701a75",
    }
}

/// The user's colour when it is exactly `#rrggbb` (anything else could smuggle markup or CSS).
pub fn user_colour(value: Option<&str>) -> Option<String> {
    let value = value?.trim();
    let hex = value.strip_prefix('#')?;
    (hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| format!("#{}", hex.to_ascii_lowercase()))
}

/// Relative luminance (0 black .. 1 white) of a `#rrggbb` colour, `None` for anything else.
pub fn luminance(colour: &str) -> Option<f64> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_hex_colours_are_taken() {
        assert_eq!(user_colour(Some("#FF3333")), Some("#ff3333".to_string()));
        assert_eq!(user_colour(Some("red")), None);
        assert_eq!(user_colour(Some("#fff")), None);
        assert_eq!(user_colour(Some("#ff3333\" onload=\"x")), None);
        assert_eq!(user_colour(Some("url(#a)")), None);
        assert_eq!(user_colour(None), None);
    }

    #[test]
    fn luminance_orders_light_and_dark() {
        assert!(luminance("#ffffff").is_some_and(|l| l > 0.99));
        assert!(luminance("#000000").is_some_and(|l| l < 0.01));
        assert_eq!(luminance("#12"), None);
    }
}
