//! draw.io style strings: `ellipse;whiteSpace=wrap;fillColor=#dae8fc;`.
//!
//! A style is a list of `key=value` pairs, plus bare tokens that name a base style (`ellipse`,
//! `text`, `swimlane`, `image`). Both carry meaning, so both are kept.

/// One cell's parsed style.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Style {
    /// Bare tokens in order (`ellipse`, `text`, `edgeLabel`...), as written.
    pub tokens: Vec<String>,
    /// `key=value` pairs in order; a later duplicate key wins on lookup.
    pub pairs: Vec<(String, String)>,
}

impl Style {
    pub fn parse(style: &str) -> Style {
        let mut parsed = Style::default();
        for part in style.split(';') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            match part.split_once('=') {
                Some((key, value)) => {
                    parsed.pairs.push((key.trim().to_string(), value.trim().to_string()))
                }
                None => parsed.tokens.push(part.to_string()),
            }
        }
        parsed
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub fn has_token(&self, token: &str) -> bool {
        self.tokens.iter().any(|t| t.eq_ignore_ascii_case(token))
    }

    /// `key=1` (draw.io writes booleans as 0/1).
    pub fn flag(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
    }

    /// The shape: `shape=...` or else the first bare token (draw.io's base style name).
    ///
    /// A bare token that is only hex digits (`9E9E9E`, a colour pasted without its key) names no
    /// style; draw.io ignores it, and so do we.
    pub fn shape(&self) -> Option<&str> {
        let named = |t: &&String| !t.trim_start_matches('#').chars().all(|c| c.is_ascii_hexdigit());
        self.get("shape").or_else(|| self.tokens.iter().find(named).map(String::as_str))
    }

    pub fn number(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite())
    }

    pub fn dashed(&self) -> bool {
        self.flag("dashed")
    }

    /// No fill: `fillColor=none` (draw.io's default for rectangles is white, so absence is filled).
    pub fn unfilled(&self) -> bool {
        self.get("fillColor").is_some_and(|v| v.eq_ignore_ascii_case("none"))
    }

    /// A colour when it is a plain `#rrggbb`, lower-cased.
    pub fn colour(&self, key: &str) -> Option<String> {
        let value = self.get(key)?;
        let hex = value.strip_prefix('#')?;
        (hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))
            .then(|| format!("#{}", hex.to_ascii_lowercase()))
    }
}

/// The colour a text cell's words are written in, as `#rrggbb`: the style's `fontColor`, else the
/// first colour its HTML value sets (`<font color="#ff3333">`, `style="color: rgb(255, 51,
/// 51)"`), the way draw.io's text tool writes a colour picked for a selection.
pub fn text_colour(style: &Style, value: &str) -> Option<String> {
    if let Some(colour) = style.colour("fontColor") {
        return Some(colour);
    }
    let lower = value.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("color") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "color".len()..];
        // `background-color` and `bordercolor` colour something else.
        if before.is_some_and(|c| c == '-' || c.is_ascii_alphabetic()) {
            continue;
        }
        let value = rest.trim_start_matches([' ', ':', '=', '"', '\'']);
        if let Some(colour) = hex_colour(value).or_else(|| rgb_colour(value)) {
            return Some(colour);
        }
    }
    None
}

fn hex_colour(value: &str) -> Option<String> {
    let hex = value.strip_prefix('#')?.get(..6)?;
    hex.chars().all(|c| c.is_ascii_hexdigit()).then(|| format!("#{hex}"))
}

fn rgb_colour(value: &str) -> Option<String> {
    let inside = value.strip_prefix("rgb(")?.split(')').next()?;
    let parts: Vec<u8> = inside.split(',').map(|p| p.trim().parse().ok()).collect::<Option<_>>()?;
    let [r, g, b] = parts[..] else { return None };
    Some(format!("#{r:02x}{g:02x}{b:02x}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn text_colours() {
        let colour = |style: &str, value: &str| text_colour(&Style::parse(style), value);
        assert_eq!(colour("text;fontColor=#FF3333;", "x").as_deref(), Some("#ff3333"));
        assert_eq!(
            colour("text;html=1;", "<font style=\"color: rgb(255, 51, 51);\">Backend</font>")
                .as_deref(),
            Some("#ff3333")
        );
        assert_eq!(
            colour("text;html=1;", "<font color=\"#66B2FF\">DMZ</font>").as_deref(),
            Some("#66b2ff")
        );
        assert_eq!(colour("text;html=1;", "<span style=\"background-color: #fff\">x</span>"), None);
        assert_eq!(colour("text;html=1;", "plain"), None);
    }

    #[test]
    fn tokens_and_pairs() {
        let s =
            Style::parse("ellipse;whiteSpace=wrap;html=1;fillColor=#DAE8FC;;shape=doubleEllipse");
        assert_eq!(s.tokens, ["ellipse"]);
        assert_eq!(s.get("whiteSpace"), Some("wrap"));
        assert_eq!(s.shape(), Some("doubleEllipse"));
        assert!(s.flag("html"));
        assert_eq!(s.colour("fillColor").as_deref(), Some("#dae8fc"));
    }

    #[test]
    fn colours_and_fill() {
        let s = Style::parse("fillColor=none;strokeColor=red;dashed=1");
        assert!(s.unfilled() && s.dashed());
        assert_eq!(s.colour("fillColor"), None);
        assert_eq!(s.colour("strokeColor"), None);
        assert_eq!(Style::parse("").shape(), None);
    }
}
