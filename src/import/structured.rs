//! JSON and YAML models read into typed structs, with errors at a line and column.
//!
//! The readers of Threat Dragon, OTM and Threagile declare the shape they expect as serde structs,
//! so a misshapen model ("`cells` is a string, expected a sequence") is reported where it is, by
//! the parser, rather than as a path the user has to look for. Scalars the tools write loosely (a
//! number where a string is documented, `"true"` for `true`) are taken as [`serde_json::Value`]
//! and read with [`string`], [`flag`] and [`number`].
//!
//! YAML goes through serde-saphyr: pure Rust, no `unsafe`, and a budget that bounds anchors,
//! aliases (no "billion laughs"), nesting and node counts, so a hostile file ends in an error.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::import::Limits;

/// Reads a JSON model. `what` names the format in messages ("a Threat Dragon model").
pub fn from_json<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m)
            .to_string();
        let (line, column) = (e.line().max(1), e.column().max(1));
        match e.classify() {
            serde_json::error::Category::Data => Diagnostic::at(
                line,
                column,
                format!("this is not {what} as expected: {message}"),
            )
            .with_help(format!(
                "fix the value here, or compare it with the documentation of {what}"
            )),
            _ => Diagnostic::at(line, column, format!("the file is not valid JSON: {message}"))
                .with_help("check that the file was not truncated or edited by hand; open and save it in the tool that wrote it"),
        }
    })
}

/// Reads a YAML model within the budget that `limits` allow.
pub fn from_yaml<T: DeserializeOwned>(
    bytes: &[u8],
    what: &str,
    limits: &Limits,
) -> Result<T, Diagnostic> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = limits.max_depth;
    budget.max_reader_input_bytes = Some(limits.max_input_bytes);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    serde_saphyr::from_slice_with_options(bytes, options).map_err(|e| {
        let (line, column) =
            e.location().map_or((1, 1), |l| (l.line().max(1) as usize, l.column().max(1) as usize));
        let message = yaml_message(&e);
        Diagnostic::at(line, column, format!("this is not {what} as expected: {message}"))
            .with_help(format!(
                "fix the YAML here (indentation, quoting, the kind of value), or compare it with \
                 the documentation of {what}"
            ))
    })
}

/// The error's first line without the position the diagnostic already gives.
fn yaml_message(error: &serde_saphyr::Error) -> String {
    let text = error.without_snippet().to_string();
    let first = text.lines().next().unwrap_or_default().trim();
    let first = first.split_once(" at line ").map_or(first, |(m, _)| m);
    let first = first.trim_start_matches("error: ");
    if first.starts_with("budget breached") {
        return format!(
            "the YAML is bigger than a model should be once its aliases are expanded, or nests \
             too deep ({first})"
        );
    }
    first.to_string()
}

/// For `#[serde(default, deserialize_with = "nullable")]`: an explicit `null` (YAML's empty
/// `threats:`) reads as the default, like a missing key.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + serde::Deserialize<'de>,
{
    use serde::Deserialize;
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// A YAML or JSON mapping kept in file order (Threagile keys its assets by title), so elements
/// come out in the order the author wrote them.
#[derive(Debug)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Ordered<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visit<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<Value, T>()? {
                    entries.push((string(&key).unwrap_or_default(), value));
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// A scalar as text: strings as they are, numbers and booleans written out; nothing for null,
/// arrays and objects.
pub fn string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether a value says yes: `true`, `"true"`, `"yes"`, `1`.
pub fn flag(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => crate::model::is_truthy(s),
        _ => false,
    }
}

/// A finite number, from a number or a numeric string.
pub fn number(value: &Value) -> Option<f64> {
    let n = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    n.filter(|n| n.is_finite())
}

/// The first of the bytes that is not white space or a byte order mark, and the text from there
/// (at most 64 KiB of it), for the content sniffers.
pub fn head(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(64 << 10)];
    let text = String::from_utf8_lossy(cut);
    text.trim_start_matches('\u{feff}').trim_start().to_string()
}

/// Whether YAML (or JSON) text has `key` as a top-level key: `key:` at the start of a line, or
/// `"key"` followed by a colon.
pub fn has_top_level_key(text: &str, key: &str) -> bool {
    text.lines().any(|line| {
        line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':'))
            || line
                .trim_start()
                .strip_prefix(&format!("\"{key}\""))
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Shape {
        #[allow(dead_code)]
        items: Vec<String>,
    }

    #[test]
    fn json_errors_are_positioned() {
        let e = from_json::<Shape>(b"{\n  \"items\": 3\n}", "a test model").unwrap_err();
        assert_eq!(e.location, Some(crate::diagnostic::Location::Text { line: 2, column: 12 }));
        assert!(e.message.starts_with("this is not a test model as expected: invalid type"));
        let e = from_json::<Shape>(b"{\"items\": [", "a test model").unwrap_err();
        assert!(e.message.starts_with("the file is not valid JSON"), "{}", e.message);
    }

    #[test]
    fn yaml_errors_are_positioned_and_bombs_are_bounded() {
        let limits = Limits::default();
        let e = from_yaml::<Shape>(b"a: 1\nitems: 3\n", "a test model", &limits).unwrap_err();
        assert!(matches!(e.location, Some(crate::diagnostic::Location::Text { line: 2, .. })));
        assert!(e.message.contains("this is not a test model"), "{}", e.message);
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 { "a".to_string() } else { format!("b{}", i - 1) };
            bomb.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        bomb.push_str("items: []\n");
        assert!(from_yaml::<Shape>(bomb.as_bytes(), "a test model", &limits).is_err());
    }

    #[test]
    fn loose_scalars() {
        assert_eq!(string(&serde_json::json!(3)), Some("3".into()));
        assert!(flag(&serde_json::json!("Yes")));
        assert!(!flag(&serde_json::json!(null)));
        assert_eq!(number(&serde_json::json!("12.5")), Some(12.5));
        assert!(has_top_level_key("x: 1\notmVersion: 0.2.0\n", "otmVersion"));
        assert!(has_top_level_key("{\n  \"otmVersion\" : \"0.1\"", "otmVersion"));
        assert!(!has_top_level_key("  nested:\n    otmVersion: 1", "otmVersion"));
    }
}
