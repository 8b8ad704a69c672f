//! Catalog rules: the TOML format and its validation.
//!
//! A rule says which targets it applies to (`applies_to`, `when`), what the threat is
//! (`title`, `description`, `category`, `severity`), and which declared attributes answer it
//! (`mitigations`). `catalog/README.md` documents the format for users.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::condition::{Condition, Subject};
use crate::diagnostic::Diagnostic;
use crate::model::is_truthy;
use crate::model::{Attributes, ElementKind};

/// A STRIDE category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Spoofing,
    Tampering,
    Repudiation,
    InformationDisclosure,
    DenialOfService,
    ElevationOfPrivilege,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Spoofing,
        Category::Tampering,
        Category::Repudiation,
        Category::InformationDisclosure,
        Category::DenialOfService,
        Category::ElevationOfPrivilege,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Spoofing => "spoofing",
            Category::Tampering => "tampering",
            Category::Repudiation => "repudiation",
            Category::InformationDisclosure => "information_disclosure",
            Category::DenialOfService => "denial_of_service",
            Category::ElevationOfPrivilege => "elevation_of_privilege",
        }
    }

    /// Whether a threat of this category harms the data itself (alters or discloses it), so
    /// its impact grows with the sensitivity of that data.
    pub fn harms_data(self) -> bool {
        matches!(self, Category::Tampering | Category::InformationDisclosure)
    }

    /// The STRIDE letter.
    pub fn letter(self) -> char {
        match self {
            Category::Spoofing => 'S',
            Category::Tampering => 'T',
            Category::Repudiation => 'R',
            Category::InformationDisclosure => 'I',
            Category::DenialOfService => 'D',
            Category::ElevationOfPrivilege => 'E',
        }
    }
}

/// Severity, likelihood and risk share one scale. `None` only appears as a residual risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    pub fn from_name(name: &str) -> Option<Level> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "none" => Level::None,
            "low" => Level::Low,
            "medium" => Level::Medium,
            "high" => Level::High,
            "critical" => Level::Critical,
            _ => return None,
        })
    }

    /// One step up, stopping at critical.
    pub fn raised(self, steps: usize) -> Level {
        let order = [Level::None, Level::Low, Level::Medium, Level::High, Level::Critical];
        let at = order.iter().position(|l| *l == self).unwrap_or(0);
        order[(at + steps).min(order.len() - 1)]
    }

    /// One step down, stopping at none.
    pub fn lowered(self, steps: usize) -> Level {
        let order = [Level::None, Level::Low, Level::Medium, Level::High, Level::Critical];
        let at = order.iter().position(|l| *l == self).unwrap_or(0);
        order[at.saturating_sub(steps)]
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppliesTo {
    Element(ElementKind),
    Flow,
}

impl AppliesTo {
    pub fn name(self) -> &'static str {
        match self {
            AppliesTo::Element(k) => k.name(),
            AppliesTo::Flow => "flow",
        }
    }
}

/// How a threat's mitigations combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MitigatedWhen {
    /// One declared mitigation covers the threat.
    #[default]
    Any,
    /// Every listed mitigation must be declared.
    All,
}

/// One `attribute=value` test that declares a mitigation: `encrypted=true`, `protocol=https|tls`,
/// `authentication=*` (any value that is not false/no/none/0), or a bare `name` (`name=true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub attribute: String,
    /// Accepted values, lower-case; empty means "any value that is not a no".
    pub values: Vec<String>,
    pub text: String,
}

impl Declaration {
    pub fn parse(text: &str) -> Result<Declaration, String> {
        let (attribute, values) = match text.split_once('=') {
            Some((a, v)) => (a.trim(), v.trim()),
            None => (text.trim(), "true"),
        };
        if attribute.is_empty() || attribute.contains(char::is_whitespace) {
            return Err(format!("`{text}` is not `attribute=value`"));
        }
        let values = if values == "*" {
            Vec::new()
        } else {
            values.split('|').map(|v| v.trim().to_lowercase()).filter(|v| !v.is_empty()).collect()
        };
        Ok(Declaration { attribute: attribute.to_string(), values, text: text.trim().to_string() })
    }

    /// Whether `attributes` declare this, giving back the matching `name=value`.
    pub fn matches(&self, attributes: &Attributes) -> Option<String> {
        let value = attributes.get(&self.attribute)?;
        let v = value.trim().to_lowercase();
        let ok = if self.values.is_empty() {
            !matches!(v.as_str(), "" | "false" | "no" | "none" | "0" | "off" | "n")
        } else {
            self.values.iter().any(|want| {
                want == &v
                    || (want == "true" && is_truthy(&v))
                    || v.split([',', ' ', '+']).any(|part| part == want)
            })
        };
        // The evidence is repeated in every threat the declaration mitigates: a long value is cut.
        ok.then(|| {
            format!(
                "{}={}",
                self.attribute,
                crate::user_text::capped(value, crate::user_text::MAX_SHOWN_CHARS)
            )
        })
    }
}

/// Where a mitigation's declarations are looked for.
///
/// Besides the target itself, a control often acts somewhere else: authentication declared on
/// the request flows into an element answers that element's "accepts requests without
/// authentication", and a gateway's rate limit protects the functions behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The element an element rule is about, or the flow/its ends for flow rules.
    On(Subject),
    /// Every flow that carries requests into the element (at least one).
    Inbound,
    /// Every element that sends requests to the element (or, in flow rules, to the flow's
    /// target): a gateway, load balancer or proxy in front of it (at least one).
    Upstream,
}

impl Place {
    pub fn name(self) -> &'static str {
        match self {
            Place::On(subject) => subject.name(),
            Place::Inbound => "inbound",
            Place::Upstream => "upstream",
        }
    }

    fn from_name(name: &str) -> Option<Place> {
        match name {
            "inbound" => Some(Place::Inbound),
            "upstream" => Some(Place::Upstream),
            other => Subject::from_name(other).map(Place::On),
        }
    }
}

/// A mitigation as the rule states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mitigation {
    pub text: String,
    pub declared_by: Vec<Declaration>,
    /// Where declarations are looked for.
    pub on: Vec<Place>,
    /// The same advice in a technology's own terms, by technology id (`aws-api-gateway`): shown
    /// instead of `text` on a threat about an element of that technology, so the reader gets
    /// "enable an API Gateway request validator", not only "validate input".
    pub by_technology: BTreeMap<String, String>,
}

impl Mitigation {
    /// The advice for a target whose elements have these technologies, in order of preference
    /// (the element, or a flow's target then its source): the first one with its own advice, and
    /// its id; else the generic text.
    pub fn advice<'a, 'b>(
        &'a self,
        technologies: impl IntoIterator<Item = &'b str>,
    ) -> (&'a str, Option<&'a str>) {
        for tech in technologies {
            let found = self.by_technology.iter().find(|(id, _)| id.eq_ignore_ascii_case(tech));
            if let Some((id, text)) = found {
                return (text, Some(id));
            }
        }
        (&self.text, None)
    }
}

/// A compiled catalog rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub category: Category,
    pub applies_to: Vec<AppliesTo>,
    pub tags: Vec<String>,
    pub severity: Level,
    pub likelihood: Level,
    pub description: String,
    pub example: String,
    pub references: Vec<String>,
    pub mitigated_when: MitigatedWhen,
    pub when: Option<Condition>,
    pub mitigations: Vec<Mitigation>,
    /// The file the rule came from (`catalog/x.toml` for built-in rules) and its line.
    pub file: String,
    pub line: usize,
}

impl Rule {
    pub fn applies_to_flows(&self) -> bool {
        self.applies_to.contains(&AppliesTo::Flow)
    }

    pub fn applies_to_kind(&self, kind: ElementKind) -> bool {
        self.applies_to.contains(&AppliesTo::Element(kind))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<toml::Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    title: String,
    category: Category,
    applies_to: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    severity: String,
    #[serde(default)]
    likelihood: Option<String>,
    description: String,
    #[serde(default)]
    example: String,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    mitigated_when: Option<String>,
    #[serde(default)]
    when: Option<toml::Value>,
    #[serde(default)]
    mitigations: Vec<RawMitigation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMitigation {
    text: String,
    declared_by: Vec<String>,
    #[serde(default)]
    on: Vec<String>,
    #[serde(default)]
    by_technology: BTreeMap<String, String>,
}

/// Checks `[rule.mitigations.by_technology]`: keys are technology ids (lower-case letters,
/// digits, `-`), values are advice that is not empty. Whether an id is known is not checked here:
/// the catalog is read before `--knowledge` is in force, and the built-in ids are tested instead.
fn technology_advice(raw: BTreeMap<String, String>) -> Result<BTreeMap<String, String>, String> {
    raw.into_iter()
        .map(|(id, text)| {
            let id_ok = !id.is_empty()
                && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !id_ok {
                return Err(format!(
                    "by_technology key `{id}` is not a technology id such as `aws-lambda`"
                ));
            }
            if text.trim().is_empty() {
                return Err(format!("by_technology advice for `{id}` is empty"));
            }
            Ok((id, text.trim().to_string()))
        })
        .collect()
}

/// 1-based line of a byte offset.
fn line_of(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset.min(source.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Parses one rule file. Errors carry the line and say what to fix.
pub fn parse_rules(file: &str, source: &str) -> Result<Vec<Rule>, Diagnostic> {
    let raw: RawFile = toml::from_str(source).map_err(|e| {
        Diagnostic::at_offset(source, e.span().map_or(0, |s| s.start), e.message())
            .with_help(format!("fix the rule file {file}; the format is in catalog/README.md"))
    })?;
    raw.rule
        .into_iter()
        .map(|spanned| {
            let line = line_of(source, spanned.span().start);
            compile(spanned.into_inner(), file, line).map_err(|msg| {
                Diagnostic::at(line, 1, msg).with_help(format!(
                    "fix the rule in {file}; the format is in catalog/README.md"
                ))
            })
        })
        .collect()
}

fn compile(raw: RawRule, file: &str, line: usize) -> Result<Rule, String> {
    let id = raw.id.trim().to_string();
    let fail = |msg: String| format!("rule {id}: {msg}");
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(format!("rule id `{}` must be letters, digits, `-` or `_`", raw.id));
    }
    let level = |name: &str, what: &str| {
        Level::from_name(name)
            .filter(|l| *l != Level::None)
            .ok_or_else(|| fail(format!("{what} `{name}` is not low, medium, high or critical")))
    };
    let severity = level(&raw.severity, "severity")?;
    let likelihood = level(raw.likelihood.as_deref().unwrap_or("medium"), "likelihood")?;
    if raw.applies_to.is_empty() {
        return Err(fail("applies_to is empty: list element kinds or \"flow\"".into()));
    }
    let applies_to = raw
        .applies_to
        .iter()
        .map(|a| match a.as_str() {
            "flow" => Ok(AppliesTo::Flow),
            other => ElementKind::from_name(other).map(AppliesTo::Element).ok_or_else(|| {
                fail(format!(
                    "applies_to `{other}`: use external_entity, process, data_store or flow"
                ))
            }),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let for_flows = applies_to.contains(&AppliesTo::Flow);
    let for_elements = applies_to.iter().any(|a| matches!(a, AppliesTo::Element(_)));
    if for_flows && for_elements {
        return Err(fail("applies_to mixes flows and element kinds: make two rules".into()));
    }
    let mitigated_when = match raw.mitigated_when.as_deref() {
        None | Some("any") => MitigatedWhen::Any,
        Some("all") => MitigatedWhen::All,
        Some(other) => return Err(fail(format!("mitigated_when `{other}`: use any or all"))),
    };
    let subjects: &[Subject] = if for_flows {
        &[Subject::Flow, Subject::Source, Subject::Target]
    } else {
        &[Subject::Element]
    };
    let when = raw.when.as_ref().map(Condition::from_toml).transpose().map_err(fail)?;
    if let Some(c) = &when {
        if let Some(f) = c.fields().into_iter().find(|f| !subjects.contains(&f.subject)) {
            return Err(fail(format!(
                "`{}` cannot be used in a rule that applies to {}",
                f.path(),
                if for_flows {
                    "flows (use flow, source or target)"
                } else {
                    "elements (use element)"
                }
            )));
        }
    }
    let mitigations = raw
        .mitigations
        .into_iter()
        .map(|m| {
            let declared_by = m
                .declared_by
                .iter()
                .map(|d| Declaration::parse(d).map_err(&fail))
                .collect::<Result<Vec<_>, _>>()?;
            let allowed: Vec<Place> = subjects
                .iter()
                .map(|s| Place::On(*s))
                .chain(if for_flows {
                    vec![Place::Upstream]
                } else {
                    vec![Place::Inbound, Place::Upstream]
                })
                .collect();
            let on = if m.on.is_empty() {
                vec![allowed[0]]
            } else {
                m.on.iter()
                    .map(|s| {
                        Place::from_name(s).filter(|s| allowed.contains(s)).ok_or_else(|| {
                            fail(format!(
                                "mitigation `on = \"{s}\"`: use {}",
                                allowed.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")
                            ))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?
            };
            let by_technology = technology_advice(m.by_technology).map_err(&fail)?;
            Ok(Mitigation { text: m.text.trim().to_string(), declared_by, on, by_technology })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Rule {
        id,
        title: raw.title.trim().to_string(),
        category: raw.category,
        applies_to,
        tags: raw.tags,
        severity,
        likelihood,
        description: raw.description.trim().to_string(),
        example: raw.example.trim().to_string(),
        references: raw.references,
        mitigated_when,
        when,
        mitigations,
        file: file.to_string(),
        line,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[rule]]
id = "X-1"
title = "Tampering with {flow}"
category = "tampering"
applies_to = ["flow"]
severity = "high"
description = "d"
[rule.when]
all = [ { field = "flow.crossing", is = true } ]
[[rule.mitigations]]
text = "Use TLS"
declared_by = ["protocol=https|tls", "encrypted"]
"#;

    #[test]
    fn parses_a_rule() {
        let rules = parse_rules("x.toml", GOOD).unwrap();
        assert_eq!(rules.len(), 1);
        let r = &rules[0];
        assert_eq!(r.line, 2);
        assert_eq!(r.mitigations[0].on, vec![Place::On(Subject::Flow)]);
        assert_eq!(r.mitigations[0].declared_by[1].values, vec!["true"]);
        assert_eq!(r.likelihood, Level::Medium);
    }

    #[test]
    fn errors_name_the_line() {
        let bad = GOOD.replace("severity = \"high\"", "severity = \"huge\"");
        let e = parse_rules("x.toml", &bad).unwrap_err();
        assert!(e.message.contains("severity `huge`"), "{e}");
        assert_eq!(e.location, Some(crate::diagnostic::Location::Text { line: 2, column: 1 }));
        let syntax = parse_rules("x.toml", "[[rule]]\nid = \n").unwrap_err();
        assert!(
            matches!(syntax.location, Some(crate::diagnostic::Location::Text { line: 2, .. })),
            "{syntax:?}"
        );
        let unknown = parse_rules("x.toml", &GOOD.replace("severity", "sevirity")).unwrap_err();
        assert!(unknown.message.contains("sevirity"), "{unknown}");
        let wrong_subject = GOOD.replace("flow.crossing", "element.kind");
        assert!(parse_rules("x.toml", &wrong_subject)
            .unwrap_err()
            .message
            .contains("cannot be used"));
    }

    #[test]
    fn mitigations_carry_advice_by_technology() {
        let advice = "[rule.mitigations.by_technology]\naws-api-gateway = \" Enable a request validator \"\n";
        let rules = parse_rules("x.toml", &format!("{GOOD}{advice}")).unwrap();
        let m = &rules[0].mitigations[0];
        assert_eq!(
            m.advice(["aws-lambda", "AWS-API-Gateway"]),
            ("Enable a request validator", Some("aws-api-gateway"))
        );
        assert_eq!(m.advice(["aws-lambda"]), ("Use TLS", None));
        assert_eq!(parse_rules("x.toml", GOOD).unwrap()[0].mitigations[0].advice([]).1, None);
        let bad_key = format!("{GOOD}[rule.mitigations.by_technology]\n\"AWS Lambda\" = \"x\"\n");
        assert!(parse_rules("x.toml", &bad_key).unwrap_err().message.contains("technology id"));
        let empty = format!("{GOOD}[rule.mitigations.by_technology]\naws-lambda = \" \"\n");
        assert!(parse_rules("x.toml", &empty).unwrap_err().message.contains("empty"));
    }

    #[test]
    fn declarations_match_values() {
        let attrs: Attributes =
            [("protocol".to_string(), "HTTPS".to_string()), ("auth".to_string(), "no".to_string())]
                .into();
        assert_eq!(
            Declaration::parse("protocol=https|tls").unwrap().matches(&attrs).as_deref(),
            Some("protocol=HTTPS")
        );
        assert!(Declaration::parse("auth=*").unwrap().matches(&attrs).is_none());
        assert!(Declaration::parse("missing").unwrap().matches(&attrs).is_none());
        let yes: Attributes = [("encrypted".to_string(), "yes".to_string())].into();
        assert!(Declaration::parse("encrypted=true").unwrap().matches(&yes).is_some());
        assert!(Declaration::parse("a b=c").is_err());
    }

    #[test]
    fn levels_raise_and_lower_within_bounds() {
        assert_eq!(Level::High.raised(3), Level::Critical);
        assert_eq!(Level::Low.lowered(3), Level::None);
        assert_eq!(Level::Medium.raised(1), Level::High);
    }
}
