use super::*;
use crate::analysis::analyze;
use crate::model::{Attributes, Boundary, Element, ElementKind, RecordedThreat, TrustDeclaration};

const RULES: &str = r#"
[[rule]]
id = "T-FLOW"
title = "Tampering with {flow} from {source} to {target}"
category = "tampering"
applies_to = ["flow"]
severity = "medium"
description = "d"
[rule.when]
all = [ { field = "flow.crossing", is = true } ]
[[rule.mitigations]]
text = "TLS"
declared_by = ["protocol=https|tls"]

[[rule]]
id = "I-STORE"
title = "Disclosure of {element}"
category = "information_disclosure"
applies_to = ["data_store"]
severity = "high"
description = "d"
[[rule.mitigations]]
text = "Encrypt"
declared_by = ["encrypted=true"]

[[rule]]
id = "S-BOTH"
title = "Spoofing {target} with {data}"
category = "spoofing"
applies_to = ["flow"]
severity = "low"
mitigated_when = "all"
description = "d"
[rule.when]
field = "flow.from_external_actor"
is = true
[[rule.mitigations]]
text = "Authenticate"
declared_by = ["authenticated"]
[[rule.mitigations]]
text = "Sign"
declared_by = ["signed"]
on = ["flow", "source"]
[rule.mitigations.by_technology]
stripe = "Verify the Stripe-Signature header"
"#;

fn diagram() -> Diagram {
    let mut d = Diagram::new("shop");
    let mut internet = Boundary::new("cluster_net", "Internet", "t");
    internet.trust = TrustDeclaration::Untrusted { because: "label".into() };
    let net = d.add_boundary(internet);
    let cloud = d.add_boundary(Boundary::new("cluster_cloud", "Cloud", "t"));
    let mut user = Element::new("user", ElementKind::ExternalEntity, "t");
    user.label = "Customer".into();
    user.boundary = Some(net);
    let user = d.add_element(user);
    let mut api = Element::new("api", ElementKind::Process, "t");
    api.boundary = Some(cloud);
    let api = d.add_element(api);
    let mut db = Element::new("db", ElementKind::DataStore, "t");
    db.boundary = Some(cloud);
    db.attributes.insert("encrypted".into(), "true".into());
    let db = d.add_element(db);
    let mut bucket = Element::new("bucket", ElementKind::DataStore, "t");
    bucket.boundary = Some(cloud);
    bucket.attributes.insert("classification".into(), "PII".into());
    let bucket = d.add_element(bucket);
    let mut https: Attributes = [("protocol".to_string(), "HTTPS".to_string())].into();
    d.add_flow(user, api, "order".into(), https.clone(), None);
    https.insert("authenticated".into(), "true".into());
    d.add_flow(user, api, "login".into(), https, None);
    d.add_flow(api, db, String::new(), Attributes::new(), None);
    d.add_flow(api, bucket, String::new(), Attributes::new(), None);
    d
}

fn run() -> Vec<Threat> {
    let d = diagram();
    let a = analyze(&d);
    let catalog = Catalog::from_files(&[("test.toml", RULES)]).unwrap();
    evaluate(&d, &a, &catalog)
}

fn summary(threats: &[Threat]) -> Vec<String> {
    threats
        .iter()
        .map(|t| {
            format!(
                "{} {} {} {} {}",
                t.rule.id,
                t.target_id,
                t.severity,
                t.status.name(),
                t.residual_risk
            )
        })
        .collect()
}

#[test]
fn rules_fire_and_mitigations_count() {
    let threats = run();
    assert_eq!(
        summary(&threats),
        [
            "I-STORE db medium mitigated none",
            "I-STORE bucket medium open medium",
            "S-BOTH user->api low open low",
            "T-FLOW user->api medium mitigated none",
            "S-BOTH user->api#2 low open low",
            "T-FLOW user->api#2 medium mitigated none",
        ]
    );
    let bucket = &threats[1];
    // High impact (the rule's own); the customer reaches the bucket only through the api, so
    // likelihood is one step below the rule's.
    assert_eq!(
        bucket.severity_reasons,
        [
            "impact high: the rule's base; sensitive data (pii)",
            "likelihood low: reached from Customer through 2 hops; the rule's base is medium"
        ]
    );
    assert_eq!(threats[3].title, "Tampering with order from Customer to api");
    assert_eq!(threats[3].mitigations[0].found, ["protocol=HTTPS on flow"]);
    assert!(threats[4].residual_reason.contains("1 of 2"));
}

#[test]
fn no_threat_is_raised_on_what_the_model_declares_out_of_scope() {
    let mut d = diagram();
    let bucket = d.graph.node_indices().find(|&n| d.element(n).id == "bucket").unwrap();
    d.element_mut(bucket).attributes.insert(OUT_OF_SCOPE.into(), "true".into());
    let login = d.graph.edge_indices().nth(1).unwrap();
    d.graph[login].attributes.insert(OUT_OF_SCOPE.into(), "yes".into());
    let a = analyze(&d);
    let catalog = Catalog::from_files(&[("test.toml", RULES)]).unwrap();
    assert_eq!(
        summary(&evaluate(&d, &a, &catalog)),
        [
            "I-STORE db medium mitigated none",
            "S-BOTH user->api low open low",
            "T-FLOW user->api medium mitigated none",
        ]
    );
    // `out_of_scope=false` is no declaration.
    d.element_mut(bucket).attributes.insert(OUT_OF_SCOPE.into(), "false".into());
    let a = analyze(&d);
    assert!(
        summary(&evaluate(&d, &a, &catalog)).contains(&"I-STORE bucket medium open medium".into())
    );
}

#[test]
fn ids_are_stable_and_distinct() {
    let a = run();
    let b = run();
    let ids: Vec<_> = a.iter().map(|t| t.id.clone()).collect();
    assert_eq!(ids, b.iter().map(|t| t.id.clone()).collect::<Vec<_>>());
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    assert_eq!(threat_id("R", "d", "element", "x"), threat_id("R", "d", "element", "x"));
    assert_ne!(threat_id("R", "d", "element", "x"), threat_id("R", "d", "flow", "x"));
    assert!(ids[0].starts_with("T-") && ids[0].len() == 12);
}

#[test]
fn selection_by_id_tag_and_category() {
    let mut c = Catalog::from_files(&[("test.toml", RULES)]).unwrap();
    let unmatched =
        c.select(&["spoofing".into(), "tampering".into(), "nothing".into()], &["T-FLOW".into()]);
    assert_eq!(unmatched, ["nothing"]);
    assert_eq!(c.rules().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["S-BOTH"]);
}

#[test]
fn duplicate_ids_are_errors_but_user_overrides_are_not() {
    let err = Catalog::from_files(&[("a.toml", RULES), ("b.toml", RULES)]).unwrap_err();
    assert_eq!(err.file, "b.toml");
    assert!(err.diagnostic.message.contains("already used in a.toml"), "{}", err.diagnostic);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        RULES.replace("severity = \"high\"", "severity = \"low\""),
    )
    .unwrap();
    let mut c = Catalog::from_files(&[("test.toml", RULES)]).unwrap();
    assert_eq!(c.add_dir(dir.path()).unwrap(), 3);
    assert_eq!(c.get("I-STORE").unwrap().severity, Level::Low);
    assert!(c.is_user_rule("I-STORE"));
}

const NEIGHBOURS: &str = r#"
[[rule]]
id = "X-HOOK"
title = "{element} handles {data}"
category = "information_disclosure"
tags = ["logging", "data"]
applies_to = ["process"]
severity = "medium"
description = "d"
[rule.when]
all = [
  { field = "element.receives_from_class", contains = "payment_provider" },
  { field = "element.sends_to_class", eq = "database" },
  { field = "element.sensitive_data", is = true },
]
[[rule.mitigations]]
text = "Redact"
declared_by = ["masked=true"]
[rule.mitigations.by_technology]
aws-lambda = "Use an allow-list logger"
stripe = "never chosen: the target comes first"
"#;

/// `stripe -> hook -> table`: a webhook function writing to a database, the callback naming
/// a card token.
fn webhook_diagram() -> Diagram {
    let mut d = Diagram::new("hooks");
    let element = |id: &str, kind, technology: &str| {
        let mut e = Element::new(id, kind, "t");
        e.technology = Some(technology.to_string());
        e
    };
    let stripe = d.add_element(element("stripe", ElementKind::ExternalEntity, "stripe"));
    let hook = d.add_element(element("hook", ElementKind::Process, "aws-lambda"));
    let table = d.add_element(element("table", ElementKind::DataStore, "aws-dynamodb"));
    let card: Attributes = [("data".to_string(), "card  token".to_string())].into();
    d.add_flow(stripe, hook, "callback".into(), card, None);
    d.add_flow(hook, table, "mark paid".into(), Attributes::new(), None);
    d
}

#[test]
fn neighbour_classes_sensitive_data_and_technology_advice() {
    let d = webhook_diagram();
    let a = analyze(&d);
    let catalog = Catalog::from_files(&[("test.toml", RULES), ("hooks.toml", NEIGHBOURS)]).unwrap();
    let threats = evaluate(&d, &a, &catalog);
    let titles: Vec<&str> = threats.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Hook handles its data", "Disclosure of table", "Spoofing hook with card token"]
    );
    assert_eq!(run()[2].title, "Spoofing api with its data");
    let advice = |i: usize, m: usize| threats[i].advice(Some(&d), &threats[i].rule.mitigations[m]);
    assert_eq!(advice(0, 0), ("Use an allow-list logger", Some("aws-lambda")));
    assert_eq!(advice(2, 1), ("Verify the Stripe-Signature header", Some("stripe")));
    assert_eq!(advice(2, 0), ("Authenticate", None));
    assert_eq!(threats[2].technologies(&d), ["aws-lambda", "stripe"]);
    assert_eq!(threats[0].advice(None, &threats[0].rule.mitigations[0]), ("Redact", None));
}

#[test]
fn builtin_advice_names_known_technologies() {
    let catalog = Catalog::builtin().unwrap();
    for rule in catalog.rules() {
        for m in &rule.mitigations {
            for id in m.by_technology.keys() {
                assert!(
                    crate::model::technology(id).is_some(),
                    "{} gives advice for unknown technology {id}",
                    rule.id
                );
            }
        }
    }
}

#[test]
fn recorded_threats_are_matched_by_place_and_kind() {
    let mut d = diagram();
    let recorded = |title: &str, target: Option<&str>, category: Option<&str>| RecordedThreat {
        title: title.into(),
        target: target.map(Into::into),
        category: category.map(Into::into),
        ..RecordedThreat::default()
    };
    d.recorded_threats = vec![
        recorded("Leak of the bucket", Some("bucket"), Some("Information disclosure")),
        recorded("Stolen disk", Some("db"), Some("Confidentiality")),
        recorded("Spoofing of the API", Some("api"), Some("Spoofing")),
        recorded("No audit trail", None, Some("Repudiation")),
        recorded("Physical theft", Some("bucket"), None),
        recorded("Bucket disclosed", Some("bucket"), None),
    ];
    let a = analyze(&d);
    let catalog = Catalog::from_files(&[("test.toml", RULES)]).unwrap();
    let threats = evaluate(&d, &a, &catalog);
    let c = recorded::compare(&d, &threats);
    let found = |i: usize| -> Vec<String> {
        c.matches[i].iter().map(|t| format!("{} {}", t.rule.id, t.target_id)).collect()
    };
    assert_eq!(found(0), ["I-STORE bucket"], "same element, same STRIDE category");
    assert_eq!(found(1), ["I-STORE db"], "a CIA type reads as its STRIDE category");
    assert!(!found(2).is_empty(), "spoofing on the flows into the API");
    assert!(found(2).iter().all(|f| f.starts_with("S-BOTH ")), "{:?}", found(2));
    assert!(found(3).is_empty(), "no rule of ours finds repudiation");
    assert!(found(4).is_empty(), "no category and no shared title word: no match");
    assert_eq!(found(5), ["I-STORE bucket"], "no category: a shared title word on the place");
    assert_eq!((c.also_found(), c.theirs_only()), (4, 2));
    assert!(!c.ours_only.is_empty());
    assert!(c.ours_only.iter().all(|t| t.rule.id == "T-FLOW"), "tampering is ours only");
    assert_eq!(recorded::compare(&diagram(), &threats).matches.len(), 0, "nothing recorded");
}

#[test]
fn an_unlabelled_flow_is_named_once_in_a_title() {
    const TITLES: &str = r#"
[[rule]]
id = "ENDS"
title = "{flow} from {source} to {target} leaves the zone"
category = "tampering"
applies_to = ["flow"]
severity = "low"
description = "d"

[[rule]]
id = "MIDDLE"
title = "Over {flow}, {source} writes {target}"
category = "tampering"
applies_to = ["flow"]
severity = "low"
description = "d"

[[rule]]
id = "ALONE"
title = "Tampering with {flow}"
category = "tampering"
applies_to = ["flow"]
severity = "low"
description = "d"
"#;
    let d = diagram();
    let a = analyze(&d);
    let catalog = Catalog::from_files(&[("titles.toml", TITLES)]).unwrap();
    let titles = |target: &str| -> Vec<String> {
        let threats = evaluate(&d, &a, &catalog);
        threats.into_iter().filter(|t| t.target_id == target).map(|t| t.title).collect()
    };
    // Named by its ends where the title does not name them already; "the flow" where it does.
    assert_eq!(
        titles("api->db"),
        [
            "Tampering with api → db",
            "The flow from api to db leaves the zone",
            "Over the flow, api writes db",
        ]
    );
    // A title opening with a label is a sentence; a name spelled with a capital inside is kept.
    assert_eq!(titles("user->api")[1], "Order from Customer to api leaves the zone");
    assert_eq!(sentence_case("iOS app calls api".into()), "iOS app calls api");
    assert_eq!(sentence_case("élan".into()), "Élan");
    assert_eq!(sentence_case(String::new()), "");
}

/// A made-up flow rule for one test: id, title, category, (severity, likelihood) and the
/// conditions of its `when`.
fn flow_rule(id: &str, title: &str, category: &str, levels: (&str, &str), when: &str) -> String {
    let (severity, likelihood) = levels;
    format!(
        "[[rule]]\nid = \"{id}\"\ntitle = \"{title}\"\ncategory = \"{category}\"\n\
         applies_to = [\"flow\"]\nseverity = \"{severity}\"\nlikelihood = \"{likelihood}\"\n\
         description = \"d\"\n[rule.when]\nall = [ {when} ]\n\n"
    )
}

/// A model API's completion answers the chat API's call: a reply. The customer's question, and a
/// payment provider's callback (a webhook), are not.
#[test]
fn the_answer_of_a_called_service_is_a_reply() {
    let when = r#"{ field = "flow.reply", is = true }"#;
    let reply = flow_rule("T-REPLY", "{flow} is a reply", "spoofing", ("low", "low"), when);
    let mut d = Diagram::new("replies");
    let user = d.add_element(element_with("user", ElementKind::ExternalEntity, None));
    let chat = d.add_element(element_with("chat", ElementKind::Process, Some("django")));
    let model =
        d.add_element(element_with("model", ElementKind::ExternalEntity, Some("openai-api")));
    let stripe = d.add_element(element_with("stripe", ElementKind::ExternalEntity, Some("stripe")));
    let none = Attributes::new;
    d.add_flow(user, chat, "question".into(), none(), None);
    d.add_flow(chat, user, "answer".into(), none(), None);
    d.add_flow(chat, model, "prompt".into(), none(), None);
    d.add_flow(model, chat, "completion".into(), none(), None);
    d.add_flow(chat, stripe, "charge".into(), none(), None);
    d.add_flow(stripe, chat, "payment result".into(), none(), None);
    let a = analyze(&d);
    let catalog = Catalog::from_files(&[("reply.toml", &reply)]).unwrap();
    let replies: Vec<String> = evaluate(&d, &a, &catalog).iter().map(|t| t.title.clone()).collect();
    assert_eq!(replies, ["Completion is a reply"]);
}

/// Posing as a service to a receiver that also takes requests from outside needs only that
/// outside way in: the spoofing threat on the service's flow is as likely as on the user's. A
/// tampering threat on the same flow still needs a way onto the hop.
#[test]
fn a_receiver_open_to_outsiders_makes_posing_as_its_inside_callers_direct() {
    let outside = r#"{ field = "flow.from_external_actor", is = false }"#;
    let two =
        flow_rule("T-POSE", "{target} trusts {source}", "spoofing", ("high", "medium"), outside)
            + &flow_rule("T-ALTER", "{flow} altered", "tampering", ("high", "medium"), outside);
    let mut d = Diagram::new("pose");
    let user = d.add_element(element_with("user", ElementKind::ExternalEntity, None));
    let web = d.add_element(element_with("web", ElementKind::Process, None));
    let jobs = d.add_element(element_with("jobs", ElementKind::Process, None));
    let tracker = d.add_element(element_with("tracker", ElementKind::Process, None));
    let none = Attributes::new;
    d.add_flow(user, web, "order".into(), none(), None);
    d.add_flow(web, jobs, "start job".into(), none(), None);
    d.add_flow(jobs, tracker, "job created".into(), none(), None);
    d.add_flow(user, tracker, "job status".into(), none(), None);
    d.add_flow(web, jobs, "cancel job".into(), none(), None);
    let a = analyze(&d);
    let catalog = Catalog::from_files(&[("two.toml", &two)]).unwrap();
    let threats = evaluate(&d, &a, &catalog);
    let likelihood = |rule: &str, target: &str| {
        let t = threats.iter().find(|t| t.rule.id == rule && t.target_id.starts_with(target));
        t.map(|t| t.likelihood)
    };
    // The tracker takes the user's requests: posing as the jobs service is direct.
    assert_eq!(likelihood("T-POSE", "jobs->tracker"), Some(Level::Medium));
    assert_eq!(likelihood("T-ALTER", "jobs->tracker"), Some(Level::Low));
    // The jobs service takes no outsider's request: posing as the web app needs a way in first.
    assert_eq!(likelihood("T-POSE", "web->jobs"), Some(Level::Low));
}

/// Beside the layout the threats are evaluated on one thread: the same threats, in the same
/// order, as on two.
#[test]
fn one_thread_finds_what_two_find() {
    let dot = crate::synthetic::synthetic_dot(1_500, 7);
    let options = crate::import::ImportOptions::default();
    let mut document = crate::import::import("big.dot", dot.as_bytes(), &options).unwrap();
    let d = &mut document.diagrams[0];
    crate::analysis::settle_kinds(d);
    assert!(d.element_count() + d.flow_count() >= 2_000, "big enough for two threads");
    let a = analyze(d);
    let catalog = Catalog::builtin().unwrap();
    let listed = |threads| -> Vec<(String, String, Status)> {
        let threats = evaluate_on(d, &a, &catalog, threads);
        threats.into_iter().map(|t| (t.id, t.title, t.status)).collect()
    };
    let one = listed(Threads::One);
    assert!(!one.is_empty());
    assert_eq!(one, listed(Threads::Two));
}

/// An element's name in a title is its label's first line, and the next lines while short.
#[test]
fn titles_name_elements_by_their_first_lines() {
    let cases = [
        ("P1: Load balancer\n(HAProxy)", "P1: Load balancer (HAProxy)"),
        ("JWT Authentication\nMitigates unauthenticated access", "JWT Authentication"),
        (
            "Orchestrator / LLM\nGPT-4o (temp 0.1)\nState Machine Enforced\n~400ms",
            "Orchestrator / LLM GPT-4o (temp 0.1)",
        ),
        ("\n  Orders   API \n", "Orders API"),
        ("Nginx Static\n(GeoJSON files\nReact SPA bundle)", "Nginx Static"),
        ("(legacy)\nBilling", "(legacy) Billing"),
        ("(draft", "(draft"),
        ("", ""),
    ];
    for (label, want) in cases {
        let mut got = String::new();
        super::push_name(label, &mut got);
        assert_eq!(got, want, "{label:?}");
    }
}

/// LLM-006 speaks for stored records put in prompts to an outside model: a chat service that
/// reads a store before calling the model raises it, one that forwards only the user's own
/// question does not (what the user typed reaching the model is the service's purpose).
#[test]
fn stored_records_sent_to_an_outside_model_raise_llm_006_and_a_forwarded_question_does_not() {
    let mut d = Diagram::new("prompts");
    let user = d.add_element(element_with("user", ElementKind::ExternalEntity, None));
    let helper = d.add_element(element_with("helper", ElementKind::Process, Some("django")));
    let rag = d.add_element(element_with("rag", ElementKind::Process, Some("django")));
    let tickets =
        d.add_element(element_with("tickets", ElementKind::DataStore, Some("postgresql")));
    let model =
        d.add_element(element_with("model", ElementKind::ExternalEntity, Some("openai-api")));
    let none = Attributes::new;
    d.add_flow(user, helper, "question".into(), none(), None);
    d.add_flow(helper, model, "prompt".into(), none(), None);
    d.add_flow(user, rag, "question".into(), none(), None);
    d.add_flow(tickets, rag, "past tickets".into(), none(), None);
    d.add_flow(rag, model, "prompt with tickets".into(), none(), None);
    let a = analyze(&d);
    let catalog = Catalog::builtin().unwrap();
    let raised: Vec<String> = evaluate(&d, &a, &catalog)
        .into_iter()
        .filter(|t| t.rule.id == "LLM-006")
        .map(|t| t.title)
        .collect();
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert!(raised[0].contains("rag puts in prompts to model"), "{raised:?}");
}

/// An element (labelled by its id) with the technology `technology`, for the tests that build
/// diagrams by hand.
fn element_with(id: &str, kind: ElementKind, technology: Option<&str>) -> Element {
    let mut e = Element::new(id, kind, "t");
    e.technology = technology.map(str::to_string);
    e
}
