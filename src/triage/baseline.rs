//! `--baseline previous.json`: which threats are new since a previous run, and which are gone.
//! Threat ids are stable, so the comparison is by id.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::Diagnostic;
use crate::export::{Baseline, FixedThreat};
use crate::threats::{Novelty, Status, Threat};

/// The threats of a previous run's JSON (schema_version 1).
#[derive(Debug)]
pub struct Previous {
    pub path: String,
    threats: Vec<FixedThreat>,
    /// Each threat's status in the baseline (`open`, `mitigated`, `accepted`).
    status: HashMap<String, String>,
}

impl Previous {
    pub fn parse(path: &str, text: &str) -> Result<Previous, Diagnostic> {
        let help = "--baseline takes a JSON file written by `dfd-threats analyze --format json`";
        let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Diagnostic::at(e.line().max(1), e.column().max(1), format!("not JSON: {e}"))
                .with_help(help)
        })?;
        match doc.get("schema_version").and_then(serde_json::Value::as_u64) {
            Some(1) => {}
            Some(v) => {
                return Err(Diagnostic::new(format!(
                    "schema_version {v} is not supported (this tool writes 1)"
                ))
                .with_help(help))
            }
            None => {
                return Err(Diagnostic::new("no schema_version: not a dfd-threats JSON file")
                    .with_help(help))
            }
        }
        let threats = doc
            .get("threats")
            .and_then(serde_json::Value::as_array)
            .ok_or_else(|| Diagnostic::new("no `threats` list").with_help(help))?;
        let text_of = |t: &serde_json::Value, key: &str| {
            t.get(key).and_then(|v| v.as_str()).unwrap_or("").to_string()
        };
        let status = threats
            .iter()
            .filter_map(|t| Some((t.get("id")?.as_str()?.to_string(), text_of(t, "status"))))
            .collect();
        let threats = threats
            .iter()
            .filter(|t| t.get("id").and_then(|v| v.as_str()).is_some())
            .map(|t| FixedThreat {
                id: text_of(t, "id"),
                rule: text_of(t, "rule"),
                title: text_of(t, "title"),
                diagram: text_of(t, "diagram"),
                target: t.get("target").map(|x| text_of(x, "id")).unwrap_or_default(),
            })
            .collect();
        Ok(Previous { path: path.to_string(), threats, status })
    }

    /// Marks each threat new, reopened (open now, not open in the baseline) or unchanged, and
    /// lists the baseline's threats that are gone.
    pub fn compare(&self, threats: &mut [Threat]) -> Baseline {
        for t in threats.iter_mut() {
            t.novelty = Some(match self.status.get(&t.id) {
                None => Novelty::New,
                Some(before) if t.status == Status::Open && before != "open" => Novelty::Reopened,
                Some(_) => Novelty::Unchanged,
            });
        }
        let now: HashSet<&str> = threats.iter().map(|t| t.id.as_str()).collect();
        Baseline {
            path: self.path.clone(),
            fixed: self.threats.iter().filter(|t| !now.contains(t.id.as_str())).cloned().collect(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_a_baseline() {
        assert!(Previous::parse("b.json", "{").unwrap_err().message.contains("not JSON"));
        assert!(Previous::parse("b.json", "{}").unwrap_err().message.contains("schema_version"));
        assert!(Previous::parse("b.json", r#"{"schema_version": 2, "threats": []}"#).is_err());
        let p = Previous::parse(
            "b.json",
            r#"{"schema_version": 1, "threats": [{"id": "T-1", "target": {"id": "a"}}]}"#,
        )
        .unwrap();
        assert_eq!(p.threats[0].target, "a");
    }

    #[test]
    fn a_threat_open_again_is_a_new_risk() {
        use crate::model::{Attributes, Diagram, Element, ElementKind};
        let mut d = Diagram::new("g");
        let u = d.add_element(Element::new("u", ElementKind::ExternalEntity, "t"));
        let p = d.add_element(Element::new("p", ElementKind::Process, "t"));
        d.add_flow(u, p, "order".into(), Attributes::new(), None);
        let catalog = crate::threats::Catalog::builtin().unwrap();
        let mut threats = crate::threats::evaluate(&d, &crate::analysis::analyze(&d), &catalog);
        let open = threats.iter().find(|t| t.status == Status::Open).unwrap().id.clone();
        let text = format!(
            r#"{{"schema_version": 1, "threats": [{{"id": "{open}", "status": "mitigated"}}]}}"#
        );
        Previous::parse("b.json", &text).unwrap().compare(&mut threats);
        let t = threats.iter().find(|t| t.id == open).unwrap();
        assert_eq!(t.novelty, Some(Novelty::Reopened));
        assert!(crate::triage::gate_failures(&threats, crate::threats::Level::Low, true)
            .iter()
            .any(|g| g.id == open));
    }
}
