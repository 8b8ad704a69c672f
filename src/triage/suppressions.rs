//! `dfd-threats.toml`: people's decisions about threats, kept next to the diagrams.
//!
//! ```toml
//! [[suppression]]
//! id = "T-3f9a12c0ab"            # or rule + target (+ diagram)
//! status = "accepted"             # accepted | false_positive | mitigated
//! justification = "Public marketing site; no customer data."
//! expires = 2027-03-31            # optional: the threat reopens after this date
//! ticket = "SEC-123"              # optional
//! title = "Card payments (u->p) ..."  # optional: the threat's title when the entry was written
//! ```
//!
//! An entry applies only to the threat it names; an entry that names no threat of the run (a
//! flow id that changed, a threat that is gone) is reported as matching nothing, never moved to
//! another threat. Flow ids do not depend on file order (see `Diagram::identify_parallel_flows`),
//! so inserting a flow does not make an entry name a different flow. An entry that records the
//! threat's `title` is applied only while the threat still has that title: when an id comes to
//! name something else (the only flow between two elements replaced by another), the entry is
//! reported instead of silently suppressing a threat nobody reviewed.

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::threats::{Level, Status, Suppression, SuppressionStatus, Threat};

/// One entry of a suppressions file.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: Option<String>,
    pub rule: Option<String>,
    pub target: Option<String>,
    pub diagram: Option<String>,
    pub status: SuppressionStatus,
    pub justification: String,
    pub expires: Option<String>,
    pub ticket: Option<String>,
    /// The threat's title when the entry was written, if recorded.
    pub title: Option<String>,
    pub line: usize,
}

/// A parsed suppressions file.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    pub file: String,
    pub entries: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    suppression: Vec<toml::Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: Option<String>,
    rule: Option<String>,
    target: Option<String>,
    diagram: Option<String>,
    status: String,
    justification: String,
    expires: Option<toml::Value>,
    ticket: Option<String>,
    title: Option<String>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

impl Suppressions {
    /// Parses a suppressions file; errors carry the line and say what to fix.
    pub fn parse(file: &str, text: &str) -> Result<Suppressions, Diagnostic> {
        let help = "see README, section Suppressions, for the format";
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            Diagnostic::at(line, 1, e.message().to_string()).with_help(help)
        })?;
        let mut entries = Vec::new();
        for spanned in raw.suppression {
            let line = line_of(text, spanned.span().start);
            let r = spanned.into_inner();
            let fail = |msg: String| Diagnostic::at(line, 1, msg).with_help(help);
            let status = match r.status.as_str() {
                "accepted" => SuppressionStatus::Accepted,
                "false_positive" => SuppressionStatus::FalsePositive,
                "mitigated" => SuppressionStatus::Mitigated,
                other => {
                    return Err(fail(format!(
                        "status `{other}`: use accepted, false_positive or mitigated"
                    )))
                }
            };
            if r.id.is_none() && (r.rule.is_none() || r.target.is_none()) {
                return Err(fail("an entry needs `id`, or both `rule` and `target`".into()));
            }
            if r.justification.trim().is_empty() {
                return Err(fail("`justification` is empty: say why".into()));
            }
            let expires = match r.expires {
                None => None,
                Some(v) => {
                    let text = match &v {
                        toml::Value::Datetime(d) => d.to_string(),
                        toml::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    if !super::is_date(&text) {
                        return Err(fail(format!(
                            "`expires = {text}` is not a date like 2027-03-31"
                        )));
                    }
                    Some(text)
                }
            };
            entries.push(Entry {
                id: r.id,
                rule: r.rule,
                target: r.target,
                diagram: r.diagram,
                status,
                justification: r.justification.trim().to_string(),
                expires,
                ticket: r.ticket,
                title: r.title,
                line,
            });
        }
        Ok(Suppressions { file: file.to_string(), entries })
    }

    /// Applies the entries to `threats`. Returns, per entry, whether it matched a threat, and the
    /// warnings to show (expired entries).
    pub fn apply(&self, threats: &mut [Threat], today: &str) -> (Vec<bool>, Vec<String>) {
        let mut matched = vec![false; self.entries.len()];
        let mut warnings = Vec::new();
        for threat in threats.iter_mut() {
            let Some((index, entry)) =
                self.entries.iter().enumerate().find(|(_, e)| e.matches(threat))
            else {
                continue;
            };
            matched[index] = true;
            if let Some(written) =
                entry.title.as_deref().filter(|w| w.trim() != threat.title.trim())
            {
                warnings.push(format!(
                    "{}:{}: the suppression of {} was written for \"{}\", but that threat is now \"{}\"; \
                     it is not applied: check the threat and update or remove the entry",
                    self.file,
                    entry.line,
                    entry.describe(),
                    crate::user_text::capped(written, crate::user_text::MAX_SHOWN_CHARS),
                    crate::user_text::capped(&threat.title, crate::user_text::MAX_SHOWN_CHARS)
                ));
                continue;
            }
            if let Some(expires) = entry.expires.as_deref().filter(|e| *e < today) {
                warnings.push(format!(
                    "{}:{}: the suppression of {} expired on {expires}; the threat is open again",
                    self.file, entry.line, threat.id
                ));
                continue;
            }
            let source = format!("{}:{}", self.file, entry.line);
            match entry.status {
                SuppressionStatus::Accepted => {
                    threat.status = Status::Accepted;
                    threat.residual_reason = format!("risk accepted: {}", entry.justification);
                }
                SuppressionStatus::FalsePositive => {
                    threat.status = Status::Accepted;
                    threat.residual_risk = Level::None;
                    threat.residual_reason =
                        format!("marked false positive: {}", entry.justification);
                }
                SuppressionStatus::Mitigated => {
                    threat.status = Status::Mitigated;
                    threat.residual_risk =
                        if threat.severity >= Level::High { Level::Low } else { Level::None };
                    threat.residual_reason =
                        format!("mitigated outside the diagram: {}", entry.justification);
                }
            }
            threat.suppression = Some(Suppression {
                status: entry.status,
                justification: entry.justification.clone(),
                expires: entry.expires.clone(),
                ticket: entry.ticket.clone(),
                source,
            });
        }
        (matched, warnings)
    }
}

impl Entry {
    fn matches(&self, t: &Threat) -> bool {
        if let Some(id) = &self.id {
            return id.eq_ignore_ascii_case(&t.id);
        }
        self.rule.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(&t.rule.id))
            && self.target.as_deref() == Some(t.target_id.as_str())
            && self.diagram.as_deref().is_none_or(|d| d == t.diagram)
    }

    /// How the entry names what it suppresses, for warnings.
    pub fn describe(&self) -> String {
        match (&self.id, &self.rule, &self.target) {
            (Some(id), _, _) => id.clone(),
            (None, Some(rule), Some(target)) => format!("{rule} on {target}"),
            _ => "an entry".to_string(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_whose_threat_changed_is_reported_not_applied() {
        let d = {
            let mut d = crate::model::Diagram::new("g");
            let u = d.add_element(crate::model::Element::new(
                "u",
                crate::model::ElementKind::ExternalEntity,
                "t",
            ));
            let p = d.add_element(crate::model::Element::new(
                "p",
                crate::model::ElementKind::Process,
                "t",
            ));
            d.add_flow(u, p, "card payment".into(), crate::model::Attributes::new(), None);
            d
        };
        let catalog = crate::threats::Catalog::builtin().unwrap();
        let analysis = crate::analysis::analyze(&d);
        let mut threats = crate::threats::evaluate(&d, &analysis, &catalog);
        let flow_threat = threats.iter().find(|t| t.target_id == "u->p").unwrap();
        let text = format!(
            "[[suppression]]\nid = \"{}\"\nstatus = \"accepted\"\njustification = \"j\"\ntitle = \"card payments from User\"\n",
            flow_threat.id
        );
        let s = Suppressions::parse("dfd-threats.toml", &text).unwrap();
        let (matched, warnings) = s.apply(&mut threats, "2026-12-01");
        assert_eq!(matched, [true]);
        assert!(warnings[0].contains("is not applied"), "{warnings:?}");
        assert!(threats.iter().all(|t| t.suppression.is_none()));
    }

    #[test]
    fn parses_and_locates_errors() {
        let s = Suppressions::parse(
            "dfd-threats.toml",
            "[[suppression]]\nid = \"T-1\"\nstatus = \"accepted\"\njustification = \"ok\"\nexpires = 2027-01-31\n\n[[suppression]]\nrule = \"R\"\ntarget = \"a->b\"\nstatus = \"false_positive\"\njustification = \"no\"\n",
        )
        .unwrap();
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.entries[0].expires.as_deref(), Some("2027-01-31"));
        assert_eq!(s.entries[1].line, 7);
        let e = Suppressions::parse(
            "x",
            "[[suppression]]\nid = \"T\"\nstatus = \"ignored\"\njustification = \"j\"\n",
        )
        .unwrap_err();
        assert!(e.message.contains("ignored"), "{e}");
        let e = Suppressions::parse(
            "x",
            "[[suppression]]\nrule = \"R\"\nstatus = \"accepted\"\njustification = \"j\"\n",
        )
        .unwrap_err();
        assert!(e.message.contains("rule` and `target"), "{e}");
        let e = Suppressions::parse("x", "[[suppression]]\nid = \"T\"\nstatus = \"accepted\"\njustification = \"j\"\nexpires = \"soon\"\n").unwrap_err();
        assert!(e.message.contains("not a date"), "{e}");
    }
}
