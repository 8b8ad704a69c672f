//! `dfd-threats.toml`: people's decisions about threats, kept next to the diagrams.
//!
//! ```toml
//! [[suppression]]
//! id = "T-3f9a12c0ab"            # or a finding id "F-…" (all its targets), or rule + target (+ diagram)
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
//!
//! An entry whose `id` is a finding id (`F-…`, see [`crate::threats::findings`]) applies to every
//! threat of that finding: the targets of one rule whose declared mitigations are the same,
//! including targets added to the diagram later. It cannot record a `title` (its threats have
//! different ones), and it stops matching when the finding's posture changes (a mitigation is
//! declared on some of its targets), which is reported like any entry that matches nothing.

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::threats::findings::{finding_id_of, is_finding_id};
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
            if r.title.is_some() && r.id.as_deref().is_some_and(is_finding_id) {
                return Err(fail(
                    "`title` checks one threat (an id `T-…`); an entry naming a finding (`F-…`) \
                     covers targets with different titles: remove `title`"
                        .into(),
                ));
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
    /// warnings to show (expired entries, entries written for another threat).
    pub fn apply(&self, threats: &mut [Threat], today: &str) -> (Vec<bool>, Vec<String>) {
        let mut matched = vec![false; self.entries.len()];
        let mut expiry_told = vec![false; self.entries.len()];
        let mut warnings = Vec::new();
        // A finding id is worked out per threat only when some entry names one.
        let by_finding = self.entries.iter().any(Entry::names_finding);
        for threat in threats.iter_mut() {
            let finding = by_finding.then(|| finding_id_of(threat));
            let Some((index, entry)) = self
                .entries
                .iter()
                .enumerate()
                .find(|(_, e)| e.matches(threat, finding.as_deref()))
            else {
                continue;
            };
            matched[index] = true;
            if let Some(written) =
                entry.title.as_deref().filter(|w| w.trim() != threat.title.trim())
            {
                warnings.push(self.retitled_warning(entry, written, threat));
                continue;
            }
            if let Some(expires) = entry.expires.as_deref().filter(|e| *e < today) {
                // An entry naming a finding is told once, not once per target.
                if !std::mem::replace(&mut expiry_told[index], entry.names_finding()) {
                    let what =
                        if entry.names_finding() { entry.describe() } else { threat.id.clone() };
                    warnings.push(format!(
                        "{}:{}: the suppression of {what} expired on {expires}; the threat is open again",
                        self.file, entry.line
                    ));
                }
                continue;
            }
            decide(threat, entry, format!("{}:{}", self.file, entry.line));
        }
        (matched, warnings)
    }

    fn retitled_warning(&self, entry: &Entry, written: &str, threat: &Threat) -> String {
        format!(
            "{}:{}: the suppression of {} was written for \"{}\", but that threat is now \"{}\"; \
             it is not applied: check the threat and update or remove the entry",
            self.file,
            entry.line,
            entry.describe(),
            crate::user_text::capped(written, crate::user_text::MAX_SHOWN_CHARS),
            crate::user_text::capped(&threat.title, crate::user_text::MAX_SHOWN_CHARS)
        )
    }
}

/// Records a person's decision on a threat: its status, residual risk and reason follow it.
fn decide(threat: &mut Threat, entry: &Entry, source: String) {
    match entry.status {
        SuppressionStatus::Accepted => {
            threat.status = Status::Accepted;
            threat.residual_reason = format!("risk accepted: {}", entry.justification);
        }
        SuppressionStatus::FalsePositive => {
            threat.status = Status::Accepted;
            threat.residual_risk = Level::None;
            threat.residual_reason = format!("marked false positive: {}", entry.justification);
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

impl Entry {
    /// Whether the entry's `id` is a finding id (`F-…`): it then applies to every threat of the
    /// finding, including targets added to it later.
    pub fn names_finding(&self) -> bool {
        self.id.as_deref().is_some_and(is_finding_id)
    }

    /// Whether the entry names `t`, by its id, the id of its finding (`finding`, when worked
    /// out), or its rule and target.
    fn matches(&self, t: &Threat, finding: Option<&str>) -> bool {
        if let Some(id) = &self.id {
            return id.eq_ignore_ascii_case(&t.id)
                || finding.is_some_and(|f| id.eq_ignore_ascii_case(f));
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
    fn an_entry_naming_a_finding_applies_to_all_its_targets() {
        let dot =
            "digraph g { u [kind=external]; a [kind=process]; b [kind=process]; u -> a; u -> b }";
        let catalog = crate::threats::Catalog::builtin().unwrap();
        let analysed = crate::pipeline::run(
            "g.dot",
            dot.as_bytes(),
            &crate::import::ImportOptions::default(),
            &catalog,
        )
        .unwrap();
        let mut threats = analysed.threats.clone();
        let findings = crate::threats::findings::group(None, &analysed.threats);
        let shared = findings.iter().find(|f| f.targets.len() >= 2).unwrap();
        let (fid, members): (String, Vec<String>) =
            (shared.id.clone(), shared.targets.iter().map(|t| t.id.clone()).collect());
        let entry = |expires: &str| {
            format!(
                "[[suppression]]\nid = \"{}\"\nstatus = \"accepted\"\njustification = \"j\"\nexpires = {expires}\n",
                fid.to_lowercase().replace("f-", "F-")
            )
        };
        let s = Suppressions::parse("x", &entry("2030-01-01")).unwrap();
        let (matched, warnings) = s.apply(&mut threats, "2026-12-01");
        assert_eq!((matched, warnings.len()), (vec![true], 0));
        for t in &threats {
            assert_eq!(t.status == Status::Accepted, members.contains(&t.id), "{}", t.id);
        }
        // Expired: every target is open again, and the entry is told once.
        let mut threats = analysed.threats.clone();
        let s = Suppressions::parse("x", &entry("2026-01-01")).unwrap();
        let (_, warnings) = s.apply(&mut threats, "2026-12-01");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains(&fid), "{warnings:?}");
        assert!(threats.iter().all(|t| t.suppression.is_none()));
        let titled = Suppressions::parse("x", &format!("{}title = \"t\"\n", entry("2030-01-01")));
        assert!(titled.unwrap_err().message.contains("remove `title`"));
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
