//! `--baseline previous.json`: which threats are new since a previous run, and which are gone.
//! Threat ids are stable, so the comparison is by id, at the level of (finding, target) pairs:
//! a finding id changes when its targets' declared mitigations change, a pair's id does not.
//! Both the JSON of schema_version 2 (`findings[].targets[]`) and that of schema_version 1
//! (`threats[]`) are read, so a baseline kept from an older release still works.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::export::{Baseline, FixedThreat};
use crate::threats::{Novelty, Status, Threat};

const HELP: &str = "--baseline takes a JSON file written by `dfd-threats analyze --format json`";

/// The threats of a previous run's JSON.
#[derive(Debug)]
pub struct Previous {
    pub path: String,
    threats: Vec<FixedThreat>,
    /// Each threat's status in the baseline (`open`, `mitigated`, `accepted`).
    status: HashMap<String, String>,
}

/// One (finding, target) pair of a previous run, with its status.
struct Pair {
    fixed: FixedThreat,
    status: String,
}

impl Previous {
    pub fn parse(path: &str, text: &str) -> Result<Previous, Diagnostic> {
        let doc: Value = serde_json::from_str(text).map_err(|e| {
            Diagnostic::at(e.line().max(1), e.column().max(1), format!("not JSON: {e}"))
                .with_help(HELP)
        })?;
        let pairs = match doc.get("schema_version").and_then(Value::as_u64) {
            Some(1) => v1_pairs(&doc)?,
            Some(2) => v2_pairs(&doc)?,
            Some(v) => {
                return Err(Diagnostic::new(format!(
                    "schema_version {v} is not supported (this tool reads 1 and 2, and writes 2)"
                ))
                .with_help(HELP))
            }
            None => {
                return Err(Diagnostic::new("no schema_version: not a dfd-threats JSON file")
                    .with_help(HELP))
            }
        };
        let status = pairs.iter().map(|p| (p.fixed.id.clone(), p.status.clone())).collect();
        let threats = pairs.into_iter().map(|p| p.fixed).collect();
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

fn text_of(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn list<'v>(v: &'v Value, key: &str) -> Result<&'v Vec<Value>, Diagnostic> {
    v.get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| Diagnostic::new(format!("no `{key}` list")).with_help(HELP))
}

/// A pair from an object with `id`, `status`, `title` and `target.id`; the rule and the diagram
/// come from `owner` (the threat itself in version 1, its finding in version 2). Entries
/// without an id are skipped.
fn pair(entry: &Value, owner: &Value) -> Option<Pair> {
    let id = entry.get("id")?.as_str()?.to_string();
    Some(Pair {
        fixed: FixedThreat {
            id,
            rule: text_of(owner, "rule"),
            title: text_of(entry, "title"),
            diagram: text_of(owner, "diagram"),
            target: entry.get("target").map(|x| text_of(x, "id")).unwrap_or_default(),
        },
        status: text_of(entry, "status"),
    })
}

/// schema_version 1: one `threats` entry per pair.
fn v1_pairs(doc: &Value) -> Result<Vec<Pair>, Diagnostic> {
    Ok(list(doc, "threats")?.iter().filter_map(|t| pair(t, t)).collect())
}

/// schema_version 2: the `targets` of each of the `findings`.
fn v2_pairs(doc: &Value) -> Result<Vec<Pair>, Diagnostic> {
    let mut pairs = Vec::new();
    for finding in list(doc, "findings")? {
        pairs.extend(list(finding, "targets")?.iter().filter_map(|t| pair(t, finding)));
    }
    Ok(pairs)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_a_baseline() {
        assert!(Previous::parse("b.json", "{").unwrap_err().message.contains("not JSON"));
        assert!(Previous::parse("b.json", "{}").unwrap_err().message.contains("schema_version"));
        assert!(Previous::parse("b.json", r#"{"schema_version": 3, "findings": []}"#).is_err());
        assert!(Previous::parse("b.json", r#"{"schema_version": 2, "threats": []}"#).is_err());
        assert!(Previous::parse("b.json", r#"{"schema_version": 1, "findings": []}"#).is_err());
        let p = Previous::parse(
            "b.json",
            r#"{"schema_version": 1, "threats": [{"id": "T-1", "target": {"id": "a"}}]}"#,
        )
        .unwrap();
        assert_eq!(p.threats[0].target, "a");
    }

    #[test]
    fn reads_the_pairs_of_version_2_findings() {
        let p = Previous::parse(
            "b.json",
            r#"{"schema_version": 2, "findings": [
                {"id": "F-1", "rule": "R", "diagram": "g", "targets": [
                    {"id": "T-1", "status": "open", "title": "t1", "target": {"id": "a"}},
                    {"id": "T-2", "status": "accepted", "title": "t2", "target": {"id": "b"}}]},
                {"id": "F-2", "rule": "S", "diagram": "g", "targets": [
                    {"id": "T-3", "status": "mitigated", "target": {"id": "c"}}]}]}"#,
        )
        .unwrap();
        let ids: Vec<(&str, &str, &str)> =
            p.threats.iter().map(|t| (t.id.as_str(), t.rule.as_str(), t.target.as_str())).collect();
        assert_eq!(ids, [("T-1", "R", "a"), ("T-2", "R", "b"), ("T-3", "S", "c")]);
        assert_eq!(p.status["T-2"], "accepted");
        assert_eq!(p.threats[0].diagram, "g");
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
