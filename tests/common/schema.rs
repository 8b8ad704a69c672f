//! A JSON Schema validator for the tests: the keywords of the four schemas our output is held
//! against (SARIF 2.1.0, OTM and Threat Dragon v2 as draft-07, our report as 2020-12).
//!
//! Why not a crate: the standard validator and the two regex engines it brings were a seventh of
//! CI's compile time, for four schemas that use a small, fixed set of keywords. This one knows
//! exactly those keywords and refuses a schema with any other assertion keyword, so a schema
//! that grows one fails loudly here instead of being half-checked. `format` is checked for the
//! three formats the schemas use (`uri`, `uri-reference`, `date-time`); `pattern` by
//! [`super::pattern`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::pattern::Pattern;

/// Keywords that only annotate: they never make a document invalid.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    // OpenAPI's, in Threat Dragon's schema; JSON Schema ignores it.
    "nullable",
    "definitions",
    "$defs",
];

/// Keywords checked below.
const ASSERTIONS: &[&str] = &[
    "type",
    "enum",
    "const",
    "$ref",
    "properties",
    "required",
    "additionalProperties",
    "propertyNames",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "anyOf",
    "oneOf",
    "allOf",
    "not",
];

/// A schema, checked for keywords and references once, then used for many documents.
pub struct Schema {
    root: Value,
    patterns: BTreeMap<String, Pattern>,
}

impl Schema {
    /// The schema, or what in it this validator cannot check (see [`SchemaCheck`]).
    pub fn new(root: Value) -> Result<Schema, String> {
        let mut check =
            SchemaCheck { root: &root, patterns: BTreeMap::new(), followed: Vec::new() };
        check.schema(&root, "#")?;
        let patterns = check.patterns;
        Ok(Schema { root, patterns })
    }

    /// Every place `doc` breaks the schema, as `"/json/pointer: what is wrong"`.
    pub fn errors(&self, doc: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.validate(&self.root, doc, "", &mut errors);
        errors
    }

    pub fn is_valid(&self, doc: &Value) -> bool {
        self.errors(doc).is_empty()
    }

    fn validate(&self, schema: &Value, doc: &Value, at: &str, errors: &mut Vec<String>) {
        let keywords = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => return errors.push(format!("{at}: no value is allowed here")),
            Value::Object(keywords) => keywords,
            _ => return,
        };
        let mut fail = |what: String| errors.push(format!("{at}: {what}"));
        if let Some(types) = keywords.get("type") {
            if !type_names(types).iter().any(|t| has_type(doc, t)) {
                fail(format!("{} is not of type {types}", short(doc)));
            }
        }
        if let Some(Value::Array(allowed)) = keywords.get("enum") {
            if !allowed.iter().any(|a| same(a, doc)) {
                fail(format!("{} is not one of {}", short(doc), Value::Array(allowed.clone())));
            }
        }
        if let Some(constant) = keywords.get("const") {
            if !same(constant, doc) {
                fail(format!("{} is not {constant}", short(doc)));
            }
        }
        self.validate_scalar(keywords, doc, &mut fail);
        self.validate_combinations(keywords, doc, at, errors);
        if let Some(Value::String(reference)) = keywords.get("$ref") {
            let target = resolve(&self.root, reference).expect("checked by SchemaCheck");
            self.validate(target, doc, at, errors);
        }
        match doc {
            Value::Object(members) => self.validate_object(keywords, members, at, errors),
            Value::Array(items) => self.validate_array(keywords, items, at, errors),
            _ => {}
        }
    }

    /// Bounds, lengths, patterns and formats of numbers and strings.
    fn validate_scalar(
        &self,
        keywords: &Map<String, Value>,
        doc: &Value,
        fail: &mut impl FnMut(String),
    ) {
        if let Some(n) = doc.as_f64() {
            if let Some(min) = keywords.get("minimum").and_then(Value::as_f64) {
                if n < min {
                    fail(format!("{n} is less than the minimum {min}"));
                }
            }
            if let Some(max) = keywords.get("maximum").and_then(Value::as_f64) {
                if n > max {
                    fail(format!("{n} is more than the maximum {max}"));
                }
            }
        }
        let Value::String(text) = doc else { return };
        let chars = text.chars().count() as u64;
        if keywords.get("minLength").and_then(count).is_some_and(|min| chars < min) {
            fail(format!("{} is shorter than minLength", short(doc)));
        }
        if keywords.get("maxLength").and_then(count).is_some_and(|max| chars > max) {
            fail(format!("{} is longer than maxLength", short(doc)));
        }
        if let Some(Value::String(source)) = keywords.get("pattern") {
            if !self.patterns[source].is_found_in(text) {
                fail(format!("{} does not match {source:?}", short(doc)));
            }
        }
        if let Some(Value::String(format)) = keywords.get("format") {
            if !has_format(text, format) {
                fail(format!("{} is not a valid {format}", short(doc)));
            }
        }
    }

    /// `anyOf`, `oneOf`, `allOf` and `not`.
    fn validate_combinations(
        &self,
        keywords: &Map<String, Value>,
        doc: &Value,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let passes = |schema: &Value| {
            let mut inner = Vec::new();
            self.validate(schema, doc, at, &mut inner);
            inner.is_empty()
        };
        let schemas = |name: &str| keywords.get(name).and_then(Value::as_array);
        if let Some(all) = schemas("allOf") {
            for schema in all {
                self.validate(schema, doc, at, errors);
            }
        }
        if let Some(any) = schemas("anyOf") {
            if !any.iter().any(passes) {
                errors.push(format!("{at}: {} matches none of anyOf", short(doc)));
            }
        }
        if let Some(one) = schemas("oneOf") {
            let matched = one.iter().filter(|s| passes(s)).count();
            if matched != 1 {
                errors.push(format!("{at}: {} matches {matched} of oneOf, not 1", short(doc)));
            }
        }
        if keywords.get("not").is_some_and(passes) {
            errors.push(format!("{at}: {} matches a schema it must not", short(doc)));
        }
    }

    fn validate_object(
        &self,
        keywords: &Map<String, Value>,
        members: &Map<String, Value>,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        for name in keywords.get("required").and_then(Value::as_array).into_iter().flatten() {
            if let Some(name) = name.as_str().filter(|n| !members.contains_key(*n)) {
                errors.push(format!("{at}: the required member {name:?} is missing"));
            }
        }
        let properties = keywords.get("properties").and_then(Value::as_object);
        for (name, value) in members {
            let here = format!("{at}/{}", pointer_token(name));
            if let Some(names) = keywords.get("propertyNames") {
                self.validate(names, &Value::String(name.clone()), &here, errors);
            }
            match properties.and_then(|p| p.get(name)) {
                Some(schema) => self.validate(schema, value, &here, errors),
                None => {
                    if let Some(additional) = keywords.get("additionalProperties") {
                        self.validate(additional, value, &here, errors);
                    }
                }
            }
        }
    }

    fn validate_array(
        &self,
        keywords: &Map<String, Value>,
        items: &[Value],
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let len = items.len() as u64;
        if keywords.get("minItems").and_then(count).is_some_and(|min| len < min) {
            errors.push(format!("{at}: {len} items are fewer than minItems"));
        }
        if keywords.get("maxItems").and_then(count).is_some_and(|max| len > max) {
            errors.push(format!("{at}: {len} items are more than maxItems"));
        }
        if keywords.get("uniqueItems") == Some(&Value::Bool(true)) {
            let repeated =
                items.iter().enumerate().any(|(i, a)| items[..i].iter().any(|b| same(a, b)));
            if repeated {
                errors.push(format!("{at}: the items are not unique"));
            }
        }
        if let Some(schema) = keywords.get("items") {
            for (i, item) in items.iter().enumerate() {
                self.validate(schema, item, &format!("{at}/{i}"), errors);
            }
        }
    }
}

/// Refuses what [`Schema::validate`] would not check, so no schema passes by being misread: an
/// unknown keyword, a keyword whose value has the wrong shape (`"required": "id"` would check
/// nothing), a reference that leads nowhere or to something that is not a schema.
struct SchemaCheck<'a> {
    root: &'a Value,
    patterns: BTreeMap<String, Pattern>,
    /// References already followed: each target is checked once, and cycles end.
    followed: Vec<String>,
}

impl SchemaCheck<'_> {
    fn schema(&mut self, schema: &Value, at: &str) -> Result<(), String> {
        let keywords = match schema {
            Value::Bool(_) => return Ok(()),
            Value::Object(keywords) => keywords,
            other => return Err(format!("{at}: a schema must be an object or a boolean: {other}")),
        };
        for (keyword, value) in keywords {
            let here = format!("{at}/{keyword}");
            if ANNOTATIONS.contains(&keyword.as_str()) {
                if matches!(keyword.as_str(), "definitions" | "$defs") {
                    self.schemas_by_name(value, &here)?;
                }
                continue;
            }
            if !ASSERTIONS.contains(&keyword.as_str()) {
                return Err(format!("{here}: this validator does not know the keyword"));
            }
            self.keyword(keyword, value, &here)?;
        }
        Ok(())
    }

    fn keyword(&mut self, keyword: &str, value: &Value, here: &str) -> Result<(), String> {
        let wrong = |what: &str| Err(format!("{here}: must be {what}, not {value}"));
        match keyword {
            "properties" => self.schemas_by_name(value, here)?,
            "items" | "additionalProperties" | "propertyNames" | "not" => {
                self.schema(value, here)?;
            }
            "anyOf" | "oneOf" | "allOf" => {
                let Some(list) = value.as_array().filter(|l| !l.is_empty()) else {
                    return wrong("a non-empty array of schemas");
                };
                for (i, inner) in list.iter().enumerate() {
                    self.schema(inner, &format!("{here}/{i}"))?;
                }
            }
            "$ref" => self.reference(value, here)?,
            "pattern" => {
                let Some(source) = value.as_str() else { return wrong("a string") };
                let pattern = Pattern::new(source).map_err(|e| format!("{here}: {e}"))?;
                self.patterns.insert(source.to_string(), pattern);
            }
            "format" if !value.as_str().is_some_and(|f| KNOWN_FORMATS.contains(&f)) => {
                return Err(format!("{here}: this validator does not check the format {value}"));
            }
            "type" => {
                let names = type_names(value);
                if names.is_empty() || names.iter().any(|n| !TYPES.contains(n)) {
                    return wrong("a JSON Schema type or a list of them");
                }
            }
            "required" if !value.as_array().is_some_and(|l| l.iter().all(Value::is_string)) => {
                return wrong("an array of member names");
            }
            "enum" if !value.is_array() => return wrong("an array"),
            "minimum" | "maximum" if !value.is_number() => return wrong("a number"),
            "minItems" | "maxItems" | "minLength" | "maxLength" if count(value).is_none() => {
                return wrong("a non-negative integer");
            }
            "uniqueItems" if !value.is_boolean() => return wrong("a boolean"),
            _ => {}
        }
        Ok(())
    }

    fn schemas_by_name(&mut self, value: &Value, here: &str) -> Result<(), String> {
        let Some(named) = value.as_object() else {
            return Err(format!("{here}: must be an object of schemas, not {value}"));
        };
        for (name, inner) in named {
            self.schema(inner, &format!("{here}/{name}"))?;
        }
        Ok(())
    }

    /// A local reference must lead to a schema, which is checked like the rest.
    fn reference(&mut self, value: &Value, here: &str) -> Result<(), String> {
        let Some(reference) = value.as_str() else {
            return Err(format!("{here}: must be a string, not {value}"));
        };
        if self.followed.iter().any(|r| r == reference) {
            return Ok(());
        }
        self.followed.push(reference.to_string());
        let target = resolve(self.root, reference)
            .ok_or_else(|| format!("{here}: {reference:?} leads nowhere"))?;
        let names_a_schema = target.is_boolean()
            || target.as_object().is_some_and(|o| {
                o.keys()
                    .all(|k| ANNOTATIONS.contains(&k.as_str()) || ASSERTIONS.contains(&k.as_str()))
            });
        if !names_a_schema {
            return Err(format!("{here}: {reference:?} leads to something that is not a schema"));
        }
        self.schema(target, reference)
    }
}

/// A count keyword's value: a non-negative integer, `1.0` included.
fn count(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        value.as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n < 1e15).map(|n| n as u64)
    })
}

/// JSON Schema equality: numbers by value (`1` equals `1.0`), arrays and objects member by
/// member.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

const TYPES: &[&str] = &["null", "boolean", "object", "array", "number", "integer", "string"];

const KNOWN_FORMATS: &[&str] = &["uri", "uri-reference", "date-time"];

/// A local reference (`#`, `#/definitions/x`, `#/$defs/x`) in the same document.
fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

fn type_names(types: &Value) -> Vec<&str> {
    match types {
        Value::String(name) => vec![name.as_str()],
        Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn has_type(doc: &Value, name: &str) -> bool {
    match name {
        "null" => doc.is_null(),
        "boolean" => doc.is_boolean(),
        "object" => doc.is_object(),
        "array" => doc.is_array(),
        "number" => doc.is_number(),
        // 1.0 is an integer since draft 6.
        "integer" => doc.is_i64() || doc.is_u64() || doc.as_f64().is_some_and(|n| n.fract() == 0.0),
        "string" => doc.is_string(),
        _ => false,
    }
}

fn has_format(text: &str, format: &str) -> bool {
    match format {
        "uri" => has_scheme(text) && is_uri_text(text),
        "uri-reference" => is_uri_text(text),
        "date-time" => is_date_time(text),
        _ => true,
    }
}

/// RFC 3986: a scheme is a letter, then letters, digits, `+`, `-` or `.`, then `:`.
fn has_scheme(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Only the characters RFC 3986 allows in a URI, and every `%` starts an escape.
fn is_uri_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| match b {
        b'%' => bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => true,
        _ => "-._~:/?#[]@!$&'()*+,;=".as_bytes().contains(&b),
    })
}

/// RFC 3339 `date-time`: `2026-12-02T01:02:03(.fraction)(Z|+hh:mm|-hh:mm)`, every field in
/// range (the day within its month; second 60 only as a leap second, at minute 59).
fn is_date_time(text: &str) -> bool {
    let Some((date, time)) = text.split_once(['T', 't']) else { return false };
    let (Some([year, month, day]), true) = (fields(date, '-', [4, 2, 2]), date.len() == 10) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let offset_at = time.rfind(['Z', 'z', '+', '-']).unwrap_or(time.len());
    let (clock, offset) = time.split_at(offset_at);
    let whole = match clock.split_once('.') {
        Some((whole, fraction))
            if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) =>
        {
            whole
        }
        Some(_) => return false,
        None => clock,
    };
    let Some([hour, minute, second]) = fields(whole, ':', [2, 2, 2]) else { return false };
    let offset_ok = matches!(offset, "Z" | "z")
        || (offset.starts_with(['+', '-'])
            && fields(&offset[1..], ':', [2, 2]).is_some_and(|[h, m]| h <= 23 && m <= 59));
    (1..=12).contains(&month)
        && (1..=days).contains(&day)
        && hour <= 23
        && minute <= 59
        && (second <= 59 || (second == 60 && minute == 59))
        && offset_ok
}

/// The `N` numbers of `text` split at `sep`, each of exactly the given count of digits.
fn fields<const N: usize>(text: &str, sep: char, digits: [usize; N]) -> Option<[u32; N]> {
    let parts: Vec<&str> = text.split(sep).collect();
    if parts.len() != N {
        return None;
    }
    let mut out = [0; N];
    for ((part, &width), slot) in parts.iter().zip(&digits).zip(&mut out) {
        if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    Some(out)
}

/// A member name as a JSON Pointer token.
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The value, cut to a length an error message can show.
fn short(doc: &Value) -> String {
    let text = doc.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(value: Value) -> Schema {
        Schema::new(value).unwrap()
    }

    #[test]
    fn objects_types_and_references() {
        let s = schema(json!({
            "type": "object",
            "required": ["id"],
            "additionalProperties": false,
            "properties": {
                "id": { "$ref": "#/$defs/id" },
                "tags": { "type": "array", "items": { "type": "string" }, "uniqueItems": true },
                "count": { "type": ["integer", "null"], "minimum": 0 }
            },
            "$defs": { "id": { "type": "string", "pattern": "^T-[0-9a-f]{4}$" } }
        }));
        assert!(s.is_valid(&json!({ "id": "T-00af", "tags": ["a", "b"], "count": null })));
        assert!(s.is_valid(&json!({ "id": "T-00af", "count": 2.0 })));
        let wrong = [
            json!({}),
            json!({ "id": "T-00afx" }),
            json!({ "id": "T-00af", "extra": 1 }),
            json!({ "id": "T-00af", "tags": ["a", "a"] }),
            json!({ "id": "T-00af", "tags": [1] }),
            json!({ "id": "T-00af", "count": -1 }),
            json!({ "id": "T-00af", "count": 1.5 }),
            json!([]),
        ];
        for doc in wrong {
            assert!(!s.is_valid(&doc), "{doc} must be rejected");
        }
        assert_eq!(s.errors(&json!({ "id": 7 })), ["/id: 7 is not of type \"string\""]);
    }

    #[test]
    fn combinations_enums_and_lengths() {
        let s = schema(json!({
            "oneOf": [{ "enum": ["a", "b"] }, { "type": "string", "minLength": 2, "maxLength": 3 }]
        }));
        assert!(s.is_valid(&json!("a")));
        assert!(s.is_valid(&json!("abc")));
        assert!(!s.is_valid(&json!("abcd")));
        assert!(!s.is_valid(&json!("")));
        let names = schema(json!({ "propertyNames": { "enum": ["low", "high"] } }));
        assert!(names.is_valid(&json!({ "low": 1 })));
        assert!(!names.is_valid(&json!({ "medium": 1 })));
    }

    #[test]
    fn numbers_are_equal_by_value_and_other_assertions_hold() {
        let s = schema(json!({
            "type": "array",
            "uniqueItems": true,
            "maxItems": 3,
            "items": { "anyOf": [{ "const": 2 }, { "type": "number", "maximum": 1 }] }
        }));
        assert!(s.is_valid(&json!([2.0, 1])));
        assert!(!s.is_valid(&json!([1, 1.0])), "1 and 1.0 are the same item");
        assert!(!s.is_valid(&json!([3])), "neither 2 nor at most 1");
        assert!(!s.is_valid(&json!([0, 1, 2, 0.5])), "more than maxItems");
        let both = schema(json!({ "allOf": [{ "minimum": 0 }], "not": { "const": 5 } }));
        assert!(both.is_valid(&json!(4)));
        assert!(!both.is_valid(&json!(-1)));
        assert!(!both.is_valid(&json!(5)));
        assert!(!schema(json!(false)).is_valid(&json!(null)));
        assert!(schema(json!(true)).is_valid(&json!(null)));
    }

    #[test]
    fn formats() {
        assert!(has_format("https://example.com/a%20b?x=1#y", "uri"));
        assert!(!has_format("docs/rules.md", "uri"));
        assert!(!has_format("https://example.com/a b", "uri"));
        assert!(!has_format("https://example.com/%zz", "uri"));
        assert!(has_format("docs/rules.md#t-flow", "uri-reference"));
        assert!(has_format("2026-12-02T01:02:03Z", "date-time"));
        assert!(has_format("2026-12-02T01:02:03.25+05:30", "date-time"));
        assert!(!has_format("2026-12-02", "date-time"));
        assert!(!has_format("2026-13-02T01:02:03Z", "date-time"));
        assert!(!has_format("2026-12-02T01:02:03", "date-time"));
        assert!(!has_format("2026-12-02T01:02:03Z05:30", "date-time"));
        assert!(!has_format("2026-02-30T01:02:03Z", "date-time"));
        assert!(has_format("2024-02-29T23:59:60Z", "date-time"));
        assert!(!has_format("2026-12-02T01:02:60Z", "date-time"));
    }

    #[test]
    fn schemas_this_validator_would_misread_are_refused() {
        assert!(Schema::new(json!({ "patternProperties": {} })).is_err());
        assert!(Schema::new(json!({ "$ref": "#/definitions/missing" })).is_err());
        assert!(Schema::new(json!({ "format": "email" })).is_err());
        assert!(Schema::new(json!({ "type": "float" })).is_err());
        assert!(Schema::new(json!({ "pattern": "(unclosed" })).is_err());
        // Keyword values of the wrong shape would check nothing.
        for bad in [
            json!({ "required": "id" }),
            json!({ "enum": "x" }),
            json!({ "minimum": "0" }),
            json!({ "properties": [] }),
            json!({ "anyOf": {} }),
            json!({ "pattern": 7 }),
            json!({ "minItems": -1 }),
            // A reference to a map of names, not to a schema in it.
            json!({ "$ref": "#/$defs", "$defs": { "a": { "type": "string" } } }),
        ] {
            assert!(Schema::new(bad.clone()).is_err(), "{bad}");
        }
        assert!(Schema::new(json!({ "minItems": 1.0 })).is_ok());
        let cycle =
            json!({ "$ref": "#/$defs/a", "$defs": { "a": { "items": { "$ref": "#/$defs/a" } } } });
        assert!(Schema::new(cycle).is_ok(), "a recursive schema is checked once per reference");
    }
}
