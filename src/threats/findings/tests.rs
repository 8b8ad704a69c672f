use super::*;
use crate::import::ImportOptions;
use crate::pipeline::{self, Analysed};
use crate::threats::{Catalog, Suppression, SuppressionStatus};

const RULES: &str = r#"
[[rule]]
id = "F-PERM"
title = "Function {element} holds broad permissions"
category = "tampering"
applies_to = ["process"]
severity = "medium"
description = "d"
[[rule.mitigations]]
text = "Least privilege"
declared_by = ["least_privilege"]

[[rule]]
id = "F-LOG"
title = "Function {element} logs nothing"
category = "repudiation"
applies_to = ["process"]
severity = "low"
mitigated_when = "all"
description = "d"
[[rule.mitigations]]
text = "Logging"
declared_by = ["logging"]
[[rule.mitigations]]
text = "Tracing"
declared_by = ["tracing"]
"#;

fn analysed(dot: &str) -> Analysed {
    let catalog = Catalog::from_files(&[("t.toml", RULES)]).unwrap();
    pipeline::run("t.dot", dot.as_bytes(), &ImportOptions::default(), &catalog).unwrap()
}

// The customer reaches each process directly, so likelihood is the rules' own (medium); b's
// PII raises the impact of the tampering rule F-PERM to high.
const THREE: &str = "digraph g { a [kind=process]; b [kind=process, data=pii]; \
                     c [kind=process, least_privilege=true, logging=true]; \
                     u [kind=external]; u -> a; u -> b; u -> c; }";

fn by_rule<'a>(findings: &'a [Finding<'a>], rule: &str) -> Vec<&'a Finding<'a>> {
    findings.iter().filter(|f| f.rule.id == rule).collect()
}

fn target_ids<'a>(f: &Finding<'a>) -> Vec<&'a str> {
    f.targets.iter().map(|t| t.target_id.as_str()).collect()
}

#[test]
fn targets_that_one_fix_closes_are_one_finding() {
    let a = analysed(THREE);
    let findings = group(None, &a.threats);
    let perm = by_rule(&findings, "F-PERM");
    assert_eq!(perm.len(), 2, "open on a and b, mitigated on c");
    let open = perm.iter().find(|f| f.status == Status::Open).unwrap();
    assert_eq!(target_ids(open), ["a", "b"]);
    assert_eq!(open.posture, "0");
    assert_eq!(open.title(), "Function a holds broad permissions (+1 more)");
    let closed = perm.iter().find(|f| f.status == Status::Mitigated).unwrap();
    assert_eq!((target_ids(closed), closed.posture.as_str()), (vec!["c"], "1"));
    assert_eq!(closed.title(), "Function c holds broad permissions");
    // One of two mitigations declared is another posture than none.
    let log = by_rule(&findings, "F-LOG");
    assert_eq!(log.len(), 2);
    assert!(log.iter().any(|f| f.posture == "10" && target_ids(f) == ["c"]));
    assert_eq!(findings.iter().map(|f| f.targets.len()).sum::<usize>(), a.threats.len());
}

#[test]
fn pairs_keep_their_threat_ids_and_finding_ids_ignore_the_targets() {
    let a = analysed(THREE);
    let findings = group(None, &a.threats);
    let open = by_rule(&findings, "F-PERM").into_iter().find(|f| f.status == Status::Open).unwrap();
    let a_threat = a.threats.iter().find(|t| t.rule.id == "F-PERM" && t.target_id == "a").unwrap();
    assert_eq!(open.targets[0].id, a_threat.id);
    assert_eq!(open.id, finding_id("F-PERM", "g", "0"));
    assert_eq!(open.id, finding_id_of(a_threat));
    assert!(open.id.starts_with("F-") && open.id.len() == 12, "{}", open.id);

    // Remove b, add d: the finding keeps its id, and a keeps its threat id.
    let other = analysed("digraph g { d [kind=process]; a [kind=process]; }");
    let again = group(None, &other.threats);
    let open2 = by_rule(&again, "F-PERM")[0];
    assert_eq!(open2.id, open.id);
    assert_eq!(target_ids(open2), ["d", "a"]);
    assert!(open2.targets.iter().any(|t| t.id == a_threat.id));
    assert_ne!(finding_id("F-PERM", "other", "0"), open.id, "the diagram is part of the id");
}

#[test]
fn an_accepted_target_stays_in_its_finding_which_ranks_by_its_open_targets() {
    let mut a = analysed(THREE);
    // b carries sensitive data: its severity is raised above a's.
    let b = a.threats.iter_mut().find(|t| t.rule.id == "F-PERM" && t.target_id == "b").unwrap();
    assert_eq!(b.severity, Level::High);
    b.status = Status::Accepted;
    b.suppression = Some(Suppression {
        status: SuppressionStatus::Accepted,
        justification: "j".into(),
        expires: None,
        ticket: None,
        source: "s:1".into(),
    });
    let findings = group(None, &a.threats);
    let open = by_rule(&findings, "F-PERM").into_iter().find(|f| f.posture == "0").unwrap();
    assert_eq!(target_ids(open), ["a", "b"], "the accepted target is not moved");
    assert_eq!(open.status, Status::Open);
    assert_eq!(open.targets[1].status, Status::Accepted);
    assert_eq!((open.severity, open.residual_risk), (Level::Medium, Level::Medium));

    // With a accepted too, nothing is open: the figures cover every target.
    let a_threat =
        a.threats.iter_mut().find(|t| t.rule.id == "F-PERM" && t.target_id == "a").unwrap();
    a_threat.status = Status::Accepted;
    let findings = group(None, &a.threats);
    let accepted = by_rule(&findings, "F-PERM").into_iter().find(|f| f.posture == "0").unwrap();
    assert_eq!((accepted.status, accepted.severity), (Status::Accepted, Level::High));
    assert_eq!(accepted.open_residual_risk(), None);
}

#[test]
fn findings_are_ranked_by_open_residual_risk_then_severity_then_id() {
    let a = analysed(THREE);
    let findings = group(None, &a.threats);
    let keys: Vec<(Option<Level>, Level, &str)> =
        findings.iter().map(|f| (f.open_residual_risk(), f.severity, f.id.as_str())).collect();
    for pair in keys.windows(2) {
        let (x, y) = (pair[0], pair[1]);
        assert!(x.0 > y.0 || (x.0 == y.0 && (x.1 > y.1 || (x.1 == y.1 && x.2 < y.2))), "{keys:?}");
    }
    assert_eq!(keys[0].0, Some(Level::High), "b's raised severity leads: {keys:?}");
    assert_eq!(keys.last().unwrap().0, None, "findings with nothing open come last");
}
