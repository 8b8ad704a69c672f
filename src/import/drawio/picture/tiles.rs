//! Vendor icons as tiles: the icon's colour and the service's short name, since the artwork
//! itself is draw.io's (and the vendors') and not ours to redraw.
//!
//! The colour is the style's own (`fillColor`, else `gradientColor`), else the row of
//! `knowledge/icon-colours.toml` whose pattern names the icon (longest first). The name is the
//! technology's without its vendor (`AWS Lambda` → `Lambda`), else the icon's own last word
//! (`mxgraph.aws4.hard_disk` → `Hard disk`).

use std::sync::OnceLock;

use serde::Deserialize;

use super::super::icons::{icon_keys, icon_of};
use super::super::style::Style;
use crate::model::drawing::colour;
use crate::model::technology;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    tile: Vec<Row>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    pattern: String,
    colour: String,
}

/// `(pattern, #rrggbb)`, from the embedded table; rows whose colour is not one are left out.
fn table() -> &'static [(String, String)] {
    static TABLE: OnceLock<Vec<(String, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let text = include_str!("../../../../knowledge/icon-colours.toml");
        // Part of the build and checked by a unit test: a broken table only loses colours.
        let rows = toml::from_str::<Table>(text).map(|t| t.tile).unwrap_or_default();
        rows.into_iter().filter_map(|r| colour(&r.colour).map(|c| (r.pattern, c))).collect()
    })
}

/// The tile of a vendor icon: its colour and short name; `None` when the style draws no icon.
pub fn tile(style: &Style) -> Option<(String, String)> {
    let icon = icon_of(style)?;
    let own = ["fillColor", "gradientColor"].iter().find_map(|k| style.get(k).and_then(colour));
    let colour = own.or_else(|| table_colour(style)).unwrap_or_else(|| "#64748b".to_string());
    let name = icon
        .technology
        .and_then(technology)
        .map(|t| short_service_name(&t.name).to_string())
        .or_else(|| icon_name(style))
        .unwrap_or_default();
    Some((colour, name))
}

fn table_colour(style: &Style) -> Option<String> {
    let mut best: Option<(usize, &String)> = None;
    for (key, _) in icon_keys(style) {
        for (pattern, colour) in table() {
            if names(&key, pattern) && best.is_none_or(|(len, _)| pattern.len() > len) {
                best = Some((pattern.len(), colour));
            }
        }
    }
    best.map(|(_, c)| c.clone())
}

/// Whether `pattern` is a whole part of `key`.
fn names(key: &str, pattern: &str) -> bool {
    key.match_indices(pattern).any(|(at, _)| {
        let before = at.checked_sub(1).and_then(|b| key.as_bytes().get(b));
        let after = key.as_bytes().get(at + pattern.len());
        matches!(before, None | Some(b'.' | b'/'))
            && matches!(after, None | Some(b'_' | b'.' | b'/'))
    })
}

/// A service name without its vendor, to fit a small tile.
pub fn short_service_name(name: &str) -> &str {
    for vendor in ["Amazon ", "AWS ", "Azure ", "Microsoft ", "Google Cloud ", "Google "] {
        if let Some(rest) = name.strip_prefix(vendor) {
            return rest;
        }
    }
    name
}

/// The last part of a stencil, icon or image name (`mxgraph.aws4.hard_disk` → `Hard disk`,
/// `img/lib/azure2/compute/Function_Apps.svg` → `Function Apps`).
pub fn icon_name(style: &Style) -> Option<String> {
    let icon = style
        .get("resIcon")
        .or_else(|| style.get("prIcon"))
        .or_else(|| style.get("shape").filter(|s| s.starts_with("mxgraph.")))
        .or_else(|| style.get("image").filter(|i| !i.starts_with("data:")))?;
    if !icon.starts_with("mxgraph.") && !icon.contains('/') && style.get("prIcon").is_none() {
        return None;
    }
    let stem = icon.rsplit('/').next().unwrap_or(icon);
    let stem = match stem.rsplit_once('.') {
        Some((s, ext)) if icon.contains('/') && ext.len() <= 4 => s,
        _ => stem,
    };
    let last = stem.rsplit('.').find(|p| !p.is_empty())?;
    let words = last.replace(['_', '-'], " ");
    let mut chars = words.trim().chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn of(style: &str) -> Option<(String, String)> {
        tile(&Style::parse(style))
    }

    #[test]
    fn the_table_loads() {
        assert!(table().len() > 20);
    }

    #[test]
    fn own_colour_then_table_then_vendor() {
        let lambda = of("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda;fillColor=#ED7100;strokeColor=#ffffff").unwrap();
        assert_eq!(lambda, ("#ed7100".into(), "Lambda".into()));
        let gradient =
            of("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3;fillColor=none;gradientColor=#60A337").unwrap();
        assert_eq!(gradient.0, "#60a337");
        assert_eq!(of("shape=mxgraph.aws4.dynamodb").unwrap().0, "#c925d1");
        let azure = of("image;image=img/lib/azure2/compute/Function_Apps.svg").unwrap();
        assert_eq!(azure.0, "#0078d4");
        let gcp = of("shape=mxgraph.gcp2.hexIcon;prIcon=unknown_thing").unwrap();
        assert_eq!(gcp, ("#4285f4".into(), "Unknown thing".into()));
        assert_eq!(of("ellipse;fillColor=#ff0000"), None);
    }

    #[test]
    fn names_from_icons() {
        let n = |s: &str| icon_name(&Style::parse(s));
        assert_eq!(n("shape=mxgraph.aws4.hard_disk").as_deref(), Some("Hard disk"));
        assert_eq!(
            n("image;image=img/lib/azure2/compute/Function_Apps.svg").as_deref(),
            Some("Function Apps")
        );
        assert_eq!(n("ellipse"), None);
    }
}
