use super::*;
use crate::import::hints::DRAWN_AS_TRUST_BOUNDARY;
use crate::model::{Attributes, Boundary, Drawn, Element, TrustDeclaration};

/// Internet { customer }  ->  VPC { gateway -> app { fn -> table } }  ; admin outside.
/// "App" is a grouping: it says nothing about trust.
fn sample() -> Diagram {
    let mut d = Diagram::new("t");
    let mut internet = Boundary::new("cluster_internet", "Internet", "test");
    internet.trust = TrustDeclaration::Untrusted { because: "label \"Internet\"".into() };
    let internet = d.add_boundary(internet);
    let mut vpc = Boundary::new("cluster_cloud", "VPC", "test");
    vpc.trust = TrustDeclaration::Trusted { because: "label word \"vpc\"".into() };
    let cloud = d.add_boundary(vpc);
    let mut app = Boundary::new("cluster_app", "App", "test");
    app.parent = Some(cloud);
    let app = d.add_boundary(app);
    // "default": the kinds are guesses, as for unstyled nodes, so position can make an actor.
    let mut add = |id: &str, kind, boundary| {
        let mut e = Element::new(id, kind, "default");
        e.boundary = boundary;
        d.add_element(e)
    };
    let customer = add("customer", ElementKind::Process, Some(internet));
    let gateway = add("gateway", ElementKind::Process, Some(cloud));
    let function = add("fn", ElementKind::Process, Some(app));
    let table = add("table", ElementKind::DataStore, Some(app));
    let admin = add("admin", ElementKind::ExternalEntity, None);
    let lonely = add("lonely", ElementKind::DataStore, Some(app));
    let _ = lonely;
    let mut data = Attributes::new();
    data.insert("data".into(), "order, card number".into());
    d.add_flow(customer, gateway, "order".into(), data, None);
    d.add_flow(gateway, function, String::new(), Attributes::new(), None);
    d.add_flow(function, table, String::new(), Attributes::new(), None);
    d.add_flow(gateway, customer, "receipt".into(), Attributes::new(), None);
    d.add_flow(admin, function, String::new(), Attributes::new(), None);
    d
}

fn names(d: &Diagram, nodes: &[NodeIndex]) -> Vec<String> {
    nodes.iter().map(|&n| d.element(n).id.clone()).collect()
}

#[test]
fn crossings_and_directions() {
    let d = sample();
    let a = analyze(&d);
    let dirs: Vec<_> = a.crossings.iter().map(|c| c.direction).collect();
    assert_eq!(
        dirs,
        [
            Direction::Inbound,
            Direction::Internal,
            Direction::Internal,
            Direction::Outbound,
            Direction::Inbound
        ]
    );
    // customer -> gateway leaves Internet, enters the VPC.
    assert_eq!(a.crossings[0].crosses, vec![0, 1]);
    // gateway -> fn enters the grouping App only: not a trust boundary.
    assert!(a.crossings[1].crosses.is_empty());
    // admin (on the system's ground) -> fn enters the VPC; App is not counted.
    assert_eq!(a.crossings[4].crosses, vec![1]);
    assert_eq!(a.crossing_count(), 3);
}

#[test]
fn actors_entry_points_assets() {
    let mut d = sample();
    settle_kinds(&mut d);
    let a = analyze(&d);
    assert_eq!(names(&d, &a.external_actors), ["customer", "admin"]);
    // The customer's kind was a guess; standing in the Internet, it is settled as external.
    assert!(d.element(NodeIndex::new(0)).inferred_from.contains("Internet"));
    assert!(a.facts(NodeIndex::new(0)).external_actor.is_some());
    assert_eq!(names(&d, &a.entry_points), ["gateway", "fn"]);
    let ids: Vec<_> = a.data_assets.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["table", "lonely", "data:order", "data:card number"]);
}

#[test]
fn reachability_counts_boundaries() {
    let d = sample();
    let a = analyze(&d);
    let table = &a.data_assets[0];
    let reach = table.reached_by.as_ref().unwrap();
    // admin -> fn crosses 1, fn -> table 0: admin reaches with 1; customer needs 2.
    assert_eq!(reach.origin, ReachOrigin::Actor(NodeIndex::new(4)));
    assert_eq!(d.element(reach.origin.node()).id, "admin");
    assert_eq!(reach.boundaries_crossed, 1);
    assert_eq!(reach.hops, 2);
    assert!(a.data_assets[1].reached_by.is_none(), "lonely has no flows");
    assert!(a.data_assets[2].reached_by.is_some());
}

/// `customer -> api -> orders -> exporter -> archive`: the log archive the exporter ships to is
/// one hop from the orders table, the customer two, yet the customer is who reaches it: an
/// actor that only receives reaches along replies, so one that sends in is named first.
#[test]
fn an_actor_that_only_receives_is_named_after_one_that_sends() {
    let mut d = Diagram::new("sink");
    let mut add = |id: &str, kind| d.add_element(Element::new(id, kind, "kind="));
    let customer = add("customer", ElementKind::ExternalEntity);
    let api = add("api", ElementKind::Process);
    let orders = add("orders", ElementKind::DataStore);
    let exporter = add("exporter", ElementKind::Process);
    let archive = add("archive", ElementKind::ExternalEntity);
    for (from, to) in [(customer, api), (api, orders), (orders, exporter), (exporter, archive)] {
        d.add_flow(from, to, String::new(), Attributes::new(), None);
    }
    let a = analyze(&d);
    let reach = a.data_assets[0].reached_by.as_ref().unwrap();
    assert_eq!(d.element(reach.origin.node()).id, "customer");
    assert!(!reach.origin_only_receives);
    let exporter_reach = a.facts(exporter).reached_by.as_ref().unwrap();
    assert_eq!(
        d.element(exporter_reach.origin.node()).id,
        "customer",
        "named first though farther"
    );
}

/// A detailed DFD with no actor drawn: `form -> save -> customers`, `customers -> lookup`.
fn no_actor_drawn(with_store: bool) -> Diagram {
    let mut d = Diagram::new("inside");
    let mut add = |id: &str, kind| d.add_element(Element::new(id, kind, "style ellipse"));
    let form = add("form", ElementKind::Process);
    let save = add("save", ElementKind::Process);
    let lookup = add("lookup", ElementKind::Process);
    let kind = if with_store { ElementKind::DataStore } else { ElementKind::Process };
    let customers = add("customers", kind);
    d.add_flow(form, save, "new customer".into(), Attributes::new(), None);
    d.add_flow(save, customers, String::new(), Attributes::new(), None);
    d.add_flow(customers, lookup, String::new(), Attributes::new(), None);
    d
}

#[test]
fn with_no_actor_drawn_a_user_is_assumed_where_work_starts() {
    let d = no_actor_drawn(true);
    let a = analyze(&d);
    let form = NodeIndex::new(0);
    assert_eq!(a.assumed_user_starts, [form], "form is the only process no flow comes into");
    let store = a.data_assets[0].reached_by.as_ref().expect("the store is reached");
    assert_eq!(store.origin, ReachOrigin::AssumedUserAt(form));
    assert_eq!(store.hops, 2);
    assert!(a.external_actors.is_empty() && a.entry_points.is_empty(), "the inventory is as drawn");
    let warning = reach::assumption_warning(&d, &a).expect("the assumption is said");
    assert!(warning.message.contains("first \"form\""), "{}", warning.message);
}

#[test]
fn no_user_is_assumed_beside_a_drawn_actor_or_without_a_store() {
    let mut d = no_actor_drawn(true);
    let user = d.add_element(Element::new("user", ElementKind::ExternalEntity, "declared"));
    d.add_flow(user, NodeIndex::new(0), String::new(), Attributes::new(), None);
    let a = analyze(&d);
    assert!(a.assumed_user_starts.is_empty());
    let store = a.data_assets[0].reached_by.as_ref().expect("the user reaches the store");
    assert_eq!(store.origin, ReachOrigin::Actor(user));
    assert!(reach::assumption_warning(&d, &a).is_none());
    // A graph with nothing stored (a call graph) is no system's DFD: nothing is assumed.
    assert!(analyze(&no_actor_drawn(false)).assumed_user_starts.is_empty());
}

#[test]
fn a_process_declared_reachable_from_the_internet_is_an_entry_point() {
    let mut d = no_actor_drawn(true);
    let (save, customers) = (NodeIndex::new(1), NodeIndex::new(3));
    for node in [save, customers] {
        d.element_mut(node).attributes.insert(INTERNET.into(), "true".into());
    }
    let a = analyze(&d);
    assert_eq!(names(&d, &a.entry_points), ["save"], "a store is no entry point");
    let facts = &a.elements[save.index()];
    assert_eq!(
        facts.entry_point.as_deref(),
        Some("declared reachable from the Internet (internet=true)")
    );
    assert!(facts.receives_from_external);
    assert!(a.external_actors.is_empty(), "no actor is made up");
    // The client a person uses sends the requests: it is no entry point of its own.
    d.element_mut(save).attributes.insert(USED_BY_A_PERSON.into(), "true".into());
    assert!(analyze(&d).entry_points.is_empty());
}

#[test]
fn trust_levels_follow_declarations_not_nesting() {
    let d = sample();
    let a = analyze(&d);
    let levels: Vec<_> = a.zones.iter().map(|z| (z.level, z.untrusted, z.ranked)).collect();
    // The VPC is one step above the system's ground; App, a grouping, shares the VPC's level.
    assert_eq!(levels, [(0, true, true), (2, false, true), (2, false, false)]);
    assert_eq!(a.zones[2].describe(), "grouping");
}

/// A small diagram: boundaries (id, label, trust, parent), elements (id, kind, boundary), flows.
fn diagram(
    boundaries: &[(&str, TrustDeclaration, Option<usize>)],
    elements: &[(&str, ElementKind, Option<usize>)],
    flows: &[(usize, usize)],
) -> Diagram {
    let mut d = Diagram::new("t");
    for (label, trust, parent) in boundaries {
        let mut b = Boundary::new(label.to_lowercase(), *label, "test");
        b.trust = trust.clone();
        b.parent = *parent;
        d.add_boundary(b);
    }
    let nodes: Vec<_> = elements
        .iter()
        .map(|(id, kind, boundary)| {
            let mut e = Element::new(*id, *kind, "test");
            e.boundary = *boundary;
            d.add_element(e)
        })
        .collect();
    for &(from, to) in flows {
        d.add_flow(nodes[from], nodes[to], String::new(), Attributes::new(), None);
    }
    d
}

const P: ElementKind = ElementKind::Process;
const S: ElementKind = ElementKind::DataStore;
const E: ElementKind = ElementKind::ExternalEntity;
const GROUPING: TrustDeclaration = TrustDeclaration::Unspecified;

#[test]
fn unboxed_services_are_the_system_not_external_actors() {
    // The only box drawn is around the users; the unboxed services are the system.
    let d = diagram(
        &[("Users", GROUPING, None)],
        &[("user", E, Some(0)), ("lb", P, None), ("api", P, None), ("db", S, None)],
        &[(0, 1), (1, 2), (2, 3)],
    );
    let a = analyze(&d);
    assert_eq!(names(&d, &a.external_actors), ["user"]);
    assert_eq!(names(&d, &a.entry_points), ["lb"]);
    assert!(a.zones[0].untrusted, "a zone of only external actors is untrusted");
    assert_eq!(a.zones[0].reason, "holds only external actors");
}

#[test]
fn nested_groupings_are_not_trust_steps() {
    // Code layers drawn as nested boxes: no crossing, no entry point between them.
    let d = diagram(
        &[
            ("Backend", GROUPING, None),
            ("Controllers", GROUPING, Some(0)),
            ("Services", GROUPING, Some(1)),
        ],
        &[("controller", P, Some(1)), ("service", P, Some(2)), ("env", S, Some(0))],
        &[(0, 1), (1, 2)],
    );
    let a = analyze(&d);
    assert!(a.entry_points.is_empty(), "{:?}", names(&d, &a.entry_points));
    assert_eq!(a.crossing_count(), 0);
    assert!(a.zones.iter().all(|z| !z.ranked && !z.untrusted));
}

#[test]
fn the_exposed_part_of_the_system_is_not_an_external_actor() {
    // VPC { Public subnet { alb } Private subnet { app } }, users outside.
    let trusted = TrustDeclaration::Trusted { because: "label word".into() };
    let public = TrustDeclaration::Untrusted { because: "label word \"public\"".into() };
    let d = diagram(
        &[
            ("VPC", trusted.clone(), None),
            ("Public subnet", public, Some(0)),
            ("Private subnet", trusted, Some(0)),
        ],
        &[("users", E, None), ("alb", P, Some(1)), ("app", P, Some(2))],
        &[(0, 1), (1, 2)],
    );
    let a = analyze(&d);
    assert_eq!(names(&d, &a.external_actors), ["users"]);
    assert_eq!(names(&d, &a.entry_points), ["alb", "app"]);
    assert_eq!(a.crossings[1].direction, Direction::Inbound);
}

#[test]
fn diagram_without_boundaries_has_no_untrusted_zone() {
    let mut d = Diagram::new("flat");
    let user = d.add_element(Element::new("user", ElementKind::ExternalEntity, "t"));
    let app = d.add_element(Element::new("app", ElementKind::Process, "t"));
    d.add_flow(user, app, String::new(), Attributes::new(), None);
    let a = analyze(&d);
    assert_eq!(names(&d, &a.external_actors), ["user"]);
    assert_eq!(names(&d, &a.entry_points), ["app"]);
    assert_eq!(a.crossings[0].direction, Direction::Internal);
    assert!(!a.facts(app).untrusted_zone);
}

#[test]
fn zones_inside_an_untrusted_zone_stay_untrusted() {
    let mut d = Diagram::new("lan");
    let mut internet = Boundary::new("net", "Internet", "t");
    internet.trust = TrustDeclaration::Untrusted { because: "label".into() };
    let net = d.add_boundary(internet);
    let mut lan = Boundary::new("lan", "Users' LAN", "t");
    lan.parent = Some(net);
    let lan = d.add_boundary(lan);
    let dc = d.add_boundary(Boundary::new("dc", "Data center", "t"));
    let mut user = Element::new("user", ElementKind::Process, "default");
    user.boundary = Some(lan);
    let user = d.add_element(user);
    let mut app = Element::new("app", ElementKind::Process, "t");
    app.boundary = Some(dc);
    let app = d.add_element(app);
    d.add_flow(user, app, String::new(), Attributes::new(), None);
    settle_kinds(&mut d);
    let a = analyze(&d);
    assert!(a.zones[lan].untrusted);
    assert_eq!(a.zones[lan].level, 0);
    assert_eq!(a.crossings[0].direction, Direction::Inbound);
    assert_eq!(names(&d, &a.external_actors), ["user"]);
}

#[test]
fn a_top_level_box_that_external_actors_send_into_is_the_perimeter() {
    // users -> Shop { web -> Layers { api } }: Shop is the perimeter, Layers a grouping inside it.
    let d = diagram(
        &[("Shop", GROUPING, None), ("Layers", GROUPING, Some(0))],
        &[("users", E, None), ("web", P, Some(0)), ("api", P, Some(1))],
        &[(0, 1), (1, 2)],
    );
    let a = analyze(&d);
    assert!(a.zones[0].ranked && !a.zones[0].untrusted, "{:?}", a.zones[0]);
    assert!(!a.zones[1].ranked);
    assert_eq!(names(&d, &a.entry_points), ["web"]);
    assert_eq!(a.crossings[0].crosses, vec![0]);
    assert!(a.crossings[1].crosses.is_empty());
}

#[test]
fn a_box_named_after_a_product_is_no_perimeter() {
    // tiles -> Static / CDN { cdn }, app -> cdn: the box is where the CDN is deployed, one of
    // the system's parts beside the app server, not a perimeter the app server crosses.
    let d = diagram(
        &[("Static / CDN", GROUPING, None)],
        &[("tiles", E, None), ("cdn", P, Some(0)), ("app", P, None)],
        &[(0, 1), (2, 1)],
    );
    let a = analyze(&d);
    assert!(!a.zones[0].ranked, "{:?}", a.zones[0]);
    assert_eq!(names(&d, &a.entry_points), ["cdn"], "the tile provider still enters it");
    assert_eq!(a.crossings[1].direction, Direction::Internal);
}

#[test]
fn a_product_in_a_boxs_aside_does_not_make_it_that_products_box() {
    // browser -> Minikube Cluster (--driver=docker) { ingress, pod }: the aside says how the
    // cluster runs; the box is the system's perimeter, the ingress its entry point.
    let d = diagram(
        &[("Minikube Cluster (--driver=docker)", GROUPING, None)],
        &[("browser", E, None), ("ingress", P, Some(0)), ("pod", P, Some(0))],
        &[(0, 1), (1, 2)],
    );
    let a = analyze(&d);
    assert!(a.zones[0].ranked && !a.zones[0].untrusted, "{:?}", a.zones[0]);
    // A vendor's product in the aside of a generic headline names the vendor's environment.
    let d = diagram(
        &[("CI/CD (GitHub Actions)", GROUPING, None)],
        &[("registry", E, None), ("build", P, Some(0))],
        &[(0, 1)],
    );
    assert!(analyze(&d).zones[0].ranked, "the vendor's CI is still a perimeter");
}

#[test]
fn a_box_named_after_the_machine_is_the_perimeter() {
    // browser -> Docker host { web -> api }: the headline names the machine the system runs on,
    // Docker only what runs there; the browser sends into it, so it is the perimeter and web its
    // entry point. A box named after the platform alone ("Docker") is still where that kind of
    // service is deployed.
    for label in ["Docker host", "Docker Host (app-net bridge)", "Docker VM"] {
        let d = diagram(
            &[(label, GROUPING, None)],
            &[("browser", E, None), ("web", P, Some(0)), ("api", P, Some(0))],
            &[(0, 1), (1, 2)],
        );
        let a = analyze(&d);
        assert!(a.zones[0].ranked && !a.zones[0].untrusted, "{label}: {:?}", a.zones[0]);
        assert_eq!(names(&d, &a.entry_points), ["web"], "{label}");
    }
    let d = diagram(
        &[("Docker", GROUPING, None)],
        &[("browser", E, None), ("web", P, Some(0))],
        &[(0, 1)],
    );
    assert!(!analyze(&d).zones[0].ranked);
}

#[test]
fn a_red_box_drawn_around_only_the_users_is_their_side() {
    // Two boxes drawn as trust boundaries whose words rank nothing: around the users, the users'
    // side; around the system, a trust step.
    let drawn = TrustDeclaration::Trusted {
        because: format!("{DRAWN_AS_TRUST_BOUNDARY} (dashed red box)"),
    };
    let d = diagram(
        &[("People", drawn.clone(), None), ("Shop", drawn, None)],
        &[("user", E, Some(0)), ("web", P, Some(1))],
        &[(0, 1)],
    );
    let a = analyze(&d);
    assert!(a.zones[0].untrusted, "{:?}", a.zones[0]);
    assert!(a.zones[1].ranked && !a.zones[1].untrusted);
    assert_eq!(a.crossings[0].direction, Direction::Inbound);
}

#[test]
fn a_box_named_a_layer_is_no_perimeter() {
    // users -> API layer { api } -> Agent layer { worker }: the users call into the first of the
    // layers, which is no perimeter around the system.
    let d = diagram(
        &[("API layer", GROUPING, None), ("Agent layer", GROUPING, None)],
        &[("users", E, None), ("api", P, Some(0)), ("worker", P, Some(1))],
        &[(0, 1), (1, 2)],
    );
    let a = analyze(&d);
    assert!(a.zones.iter().all(|z| !z.ranked), "{:?}", a.zones);
    assert_eq!(names(&d, &a.entry_points), ["api"]);
}

#[test]
fn a_box_named_after_a_section_of_the_code_is_no_perimeter() {
    // user -> Frontend — Vercel { web } -> Backend — Render { api }: the user reaches the front
    // end first; the boxes are where those parts run, groupings, not the perimeter. A docker
    // network named after its section ("shop_frontend") reads the same.
    for label in ["Frontend — Vercel", "shop_frontend", "Back-end (Django)"] {
        let d = diagram(
            &[(label, GROUPING, None), ("Backend — Render", GROUPING, None)],
            &[("user", E, None), ("web", P, Some(0)), ("api", P, Some(1))],
            &[(0, 1), (1, 2)],
        );
        let a = analyze(&d);
        assert!(a.zones.iter().all(|z| !z.ranked), "{label}: {:?}", a.zones);
        assert_eq!(names(&d, &a.entry_points), ["web"]);
    }
}

#[test]
fn a_cloud_region_is_no_perimeter() {
    // users -> AWS Region (e.g., us-east-1) { waf -> bucket }: the region is where the system is
    // deployed, a grouping, not the perimeter the users cross; a region box that names an
    // account says more by its trusted word.
    let d = diagram(
        &[("AWS Region (e.g., us-east-1)", GROUPING, None)],
        &[("users", E, None), ("waf", P, Some(0)), ("bucket", S, Some(0))],
        &[(0, 1), (1, 2)],
    );
    let a = analyze(&d);
    assert!(a.zones.iter().all(|z| !z.ranked), "{:?}", a.zones);
    assert_eq!(names(&d, &a.entry_points), ["waf"]);
    let trust = |label| crate::import::hints::boundary_trust(&Default::default(), label);
    assert_eq!(trust("AWS Region (e.g., us-east-1)"), TrustDeclaration::Unspecified);
    assert!(matches!(trust("Region A (other account)"), TrustDeclaration::Trusted { .. }));
}

#[test]
fn a_process_in_a_third_partys_zone_is_that_partys_system() {
    // App -> External services { Salesforce API (a noun), CDN (a technology) }: run by others,
    // whatever named them; a process the author declared in a partner's box stays one.
    let untrusted = TrustDeclaration::Untrusted { because: "label word \"external\"".into() };
    let mut d = diagram(
        &[("External services", untrusted.clone(), None), ("Internet", untrusted, None)],
        &[
            ("app", P, None),
            ("crm", P, Some(0)),
            ("cdn", P, Some(0)),
            ("declared", P, Some(0)),
            ("browser app", P, Some(1)),
        ],
        &[(0, 1), (1, 2), (0, 3), (4, 0)],
    );
    for (id, why) in [
        ("crm", "label noun \"api\""),
        ("cdn", "technology cloudflare"),
        ("declared", "kind=process"),
        ("browser app", "label noun \"app\""),
    ] {
        let n = d.element_index(id).unwrap();
        d.graph[n].inferred_from = why.into();
    }
    settle_kinds(&mut d);
    let kind = |id: &str| d.element(d.element_index(id).unwrap()).kind;
    assert_eq!(kind("crm"), E);
    assert_eq!(kind("cdn"), E, "talks only to its peer, still the party's");
    assert_eq!(kind("declared"), P);
    assert_eq!(kind("browser app"), P, "the Internet says where, not whose");
}

#[test]
fn a_process_on_the_client_side_is_the_users() {
    // Clients / Internet { web frontend } -> api: the box names the users' side, so what is
    // drawn there runs on their devices; a client tier inside the system's trusted box is not.
    let untrusted = TrustDeclaration::Untrusted { because: "label word \"clients\"".into() };
    let trusted = TrustDeclaration::Trusted { because: "label word \"vpc\"".into() };
    let mut d = diagram(
        &[("Clients / Internet", untrusted.clone(), None), ("VPC", trusted, None)],
        &[("frontend", P, Some(0)), ("api", P, Some(1))],
        &[(0, 1)],
    );
    let n = d.element_index("frontend").unwrap();
    d.graph[n].inferred_from = "default".into();
    settle_kinds(&mut d);
    assert_eq!(d.element(n).kind, E);
    let mut inside = diagram(
        &[
            ("VPC", TrustDeclaration::Trusted { because: "vpc".into() }, None),
            ("Client tier", untrusted, Some(0)),
        ],
        &[("frontend", P, Some(1))],
        &[],
    );
    settle_kinds(&mut inside);
    assert_eq!(inside.element(inside.element_index("frontend").unwrap()).kind, P);
}

#[test]
fn trust_words_beat_the_actors_only_rule() {
    // A corporate network holding only employees is still the corporate network.
    let trusted = TrustDeclaration::Trusted { because: "label word \"corp\"".into() };
    let d = diagram(
        &[("Corp network", trusted, None)],
        &[("employee", E, Some(0)), ("app", P, None)],
        &[(0, 1)],
    );
    let a = analyze(&d);
    assert!(!a.zones[0].untrusted);
}

#[test]
fn an_exposed_zone_is_no_step_up_but_the_zone_behind_it_is() {
    // Internet users -> DMZ { web } -> Backend { api }: the DMZ is the system's exposed side.
    let exposed = TrustDeclaration::Exposed { because: "label word \"dmz\"".into() };
    let trusted = TrustDeclaration::Trusted { because: "label word \"backend\"".into() };
    let d = diagram(
        &[("DMZ", exposed, None), ("Backend", trusted, None)],
        &[("users", E, None), ("web", P, Some(0)), ("api", P, Some(1)), ("cache", S, None)],
        &[(0, 1), (1, 2), (1, 3)],
    );
    let a = analyze(&d);
    assert_eq!((a.zones[0].level, a.zones[0].untrusted, a.zones[0].exposed), (1, false, true));
    assert_eq!(a.zones[0].describe(), "exposed, trust 1");
    assert!(a.facts(NodeIndex::new(1)).exposed_zone);
    // web -> api steps up into the backend; web -> cache stays on the system's ground.
    assert_eq!(names(&d, &a.entry_points), ["web", "api"]);
    assert_eq!(a.crossings[2].direction, Direction::Lateral);
}

#[test]
fn a_process_the_author_drew_on_the_users_machine_is_part_of_the_system() {
    // Internet { Player's machine { game client (drawn as a process) } } -> game server.
    let untrusted = TrustDeclaration::Untrusted { because: "label word \"internet\"".into() };
    let mut d = diagram(
        &[("Internet", untrusted, None), ("Player's machine", GROUPING, Some(0))],
        &[("player", E, Some(1)), ("client", P, Some(1)), ("server", P, None)],
        &[(0, 1), (1, 2)],
    );
    let client = d.element_index("client").unwrap();
    d.graph[client].inferred_from = "shape=circle".into();
    let a = analyze(&d);
    assert_eq!(names(&d, &a.external_actors), ["player"]);
    assert_eq!(names(&d, &a.entry_points), ["client", "server"]);
}

#[test]
fn requests_versus_events_and_calls_versus_replies() {
    // user -> api -> queue -> worker; ci -> worker (deploy); api -> user (reply);
    // api -> partner (a call out).
    let mut d = diagram(
        &[],
        &[
            ("user", E, None),
            ("api", P, None),
            ("queue", S, None),
            ("worker", P, None),
            ("ci", P, None),
            ("partner", E, None),
        ],
        &[(0, 1), (1, 2), (2, 3), (4, 3), (1, 0)],
    );
    let ci = d.element_index("ci").unwrap();
    d.graph[ci].technology = Some("github-actions".into());
    let a = analyze(&d);
    let facts = |id: &str| a.facts(d.element_index(id).unwrap()).clone();
    assert_eq!(facts("api").inbound_requests, 1);
    assert_eq!(facts("worker").inbound_flows, 2);
    assert_eq!(facts("worker").inbound_requests, 0, "a queue event and a deployment");
    assert!(!facts("api").calls_external, "api -> user answers user -> api");

    // A reply drawn straight back from a service behind a gateway is still a reply.
    let mut behind = diagram(
        &[],
        &[("user", E, None), ("waf", P, None), ("page", P, None), ("partner", E, None)],
        &[(0, 1), (1, 2), (2, 0), (2, 3)],
    );
    let page = behind.element_index("page").unwrap();
    assert!(analyze(&behind).facts(page).calls_external, "page -> partner is a call out");
    let partner_edge = behind.graph.find_edge(page, behind.element_index("partner").unwrap());
    behind.graph.remove_edge(partner_edge.unwrap());
    assert!(!analyze(&behind).facts(page).calls_external, "page -> user answers user -> waf");

    let (api, partner) = (d.element_index("api").unwrap(), d.element_index("partner").unwrap());
    d.add_flow(api, partner, String::new(), Attributes::new(), None);
    assert!(analyze(&d).facts(api).calls_external);
}

#[test]
fn sub_zones_of_one_trusted_zone_share_it() {
    let trusted = || TrustDeclaration::Trusted { because: "label word \"account\"".into() };
    let exposed = TrustDeclaration::Exposed { because: "label word \"dmz\"".into() };
    // Account { gw, VPC { fn } }, DMZ { web }, and Core { api } inside the DMZ.
    let d = diagram(
        &[
            ("Account", trusted(), None),
            ("VPC", trusted(), Some(0)),
            ("DMZ", exposed, None),
            ("Core", trusted(), Some(2)),
        ],
        &[("gw", P, Some(0)), ("fn", P, Some(1)), ("web", P, Some(2)), ("api", P, Some(3))],
        &[(0, 1), (2, 3), (0, 2)],
    );
    let a = analyze(&d);
    assert!(a.crossings[0].shared_zone, "gw -> fn stays inside the account");
    assert!(!a.crossings[1].shared_zone, "an exposed zone is not a shared trusted zone");
    assert!(!a.crossings[2].shared_zone, "account -> DMZ share nothing");
}

#[test]
fn nested_infrastructure_zones_are_not_trust_steps() {
    // AWS Cloud { ALB, VPC { Private subnet { ec2 } } }: the account and its networks are one
    // trusted level, so the load balancer -> instance flow is no entry point. Boxes drawn as
    // trust steps ("Protected" { "Restricted" }) keep their step.
    let trusted = |word: &str| TrustDeclaration::Trusted { because: format!("label word {word}") };
    let d = diagram(
        &[
            ("AWS Cloud", trusted("aws cloud"), None),
            ("VPC", trusted("vpc"), Some(0)),
            ("Private subnet", trusted("private subnet"), Some(1)),
            ("Protected", trusted("protected"), None),
            ("Restricted", trusted("restricted"), Some(3)),
        ],
        &[("alb", P, Some(0)), ("ec2", P, Some(2)), ("app", P, Some(3)), ("vault", S, Some(4))],
        &[(0, 1), (2, 3)],
    );
    let a = analyze(&d);
    let levels: Vec<_> = a.zones.iter().map(|z| z.level).collect();
    assert_eq!(levels, [2, 2, 2, 2, 3]);
    // No outside is drawn, so the step into "Restricted" is where requests come in.
    assert_eq!(a.crossings[1].direction, Direction::Inbound);
    assert_eq!(names(&d, &a.entry_points), ["vault"]);
}

/// A line drawn with no arrowhead from a switch to a user's laptop (the switch is the line's
/// source) still carries the laptop's traffic into the switch: the switch is an entry point. A
/// directed flow the same way is only a call out, and makes none.
#[test]
fn an_undirected_line_from_the_system_to_an_actor_makes_an_entry_point() {
    let mut d = Diagram::new("t");
    let switch = d.add_element(Element::new("switch", ElementKind::Process, "icon"));
    let laptop = d.add_element(Element::new("laptop", ElementKind::ExternalEntity, "icon"));
    let server = d.add_element(Element::new("server", ElementKind::Process, "icon"));
    let partner = d.add_element(Element::new("partner", ElementKind::ExternalEntity, "icon"));
    let line = d.add_flow(switch, laptop, String::new(), Attributes::new(), None);
    d.graph[line].drawn = Drawn::Undirected;
    d.add_flow(server, partner, String::new(), Attributes::new(), None);
    let a = analyze(&d);
    assert_eq!(names(&d, &a.entry_points), ["switch"]);
    let why = a.facts(switch).entry_point.clone().unwrap_or_default();
    assert!(why.contains("read both ways"), "{why}");
    assert!(a.facts(switch).receives_from_external);
    assert!(!a.facts(server).receives_from_external);
}

#[test]
fn a_flow_from_the_systems_ground_into_its_infrastructure_is_no_entry() {
    // lb (unboxed: the system's own ground) -> VPC { Private subnet { ec2 } }: the VPC and its
    // subnet hold the system's own resources, no trust step above its ground, so ec2 is no entry
    // point. A flow from the Internet into the VPC still is one; a flow into a box drawn as a
    // trust step ("Backend") crosses inward but is no entry while nothing outside reaches its
    // sender. The VPC's level stays above the ground: a flow straight from the Internet into it
    // still skips a tier for the rules.
    let trusted = |word: &str| TrustDeclaration::Trusted { because: format!("label word {word}") };
    let d = diagram(
        &[
            ("VPC", trusted("vpc"), None),
            ("Private subnet", trusted("private subnet"), Some(0)),
            ("Internet", TrustDeclaration::Untrusted { because: "internet".into() }, None),
            ("Backend", trusted("backend"), None),
            ("CI", trusted("trusted"), None),
        ],
        &[
            ("lb", P, None),
            ("ec2", P, Some(1)),
            ("relay", P, Some(2)),
            ("ec2b", P, Some(0)),
            ("api", P, Some(3)),
            ("feed", S, None),
            ("ec2c", P, Some(1)),
            ("deploy", P, Some(4)),
        ],
        &[(0, 1), (2, 3), (0, 4), (5, 6), (7, 1)],
    );
    let a = analyze(&d);
    assert_eq!(a.crossings[0].direction, Direction::Lateral);
    // Only between the system's own processes: an unboxed data source feeding the VPC (often
    // an outside feed whose kind was guessed) still crosses inbound.
    assert_eq!(a.crossings[3].direction, Direction::Inbound);
    // Between two drawn zones of equal level (a trusted CI box, the VPC) the levels decide.
    assert_eq!(a.crossings[4].direction, Direction::Lateral);
    assert_eq!(a.crossings[2].direction, Direction::Inbound);
    assert_eq!(names(&d, &a.entry_points), ["ec2b"]);
    let levels: Vec<_> = a.zones.iter().map(|z| z.level).collect();
    assert_eq!(levels, [2, 2, 0, 2, 2]);
}

#[test]
fn a_step_up_between_own_zones_is_an_entry_only_when_outside_data_crosses_it() {
    // Office (trust 2) { workstation } -> Server room (trust 3) { files }: nothing outside
    // reaches the office, so the step is the edge of the system's own grouping, not an entry.
    // DMZ { web } <- users, web -> Back end { api }: the requests the web tier took in go on.
    let exposed = TrustDeclaration::Exposed { because: "label word \"dmz\"".into() };
    let trusted = TrustDeclaration::Trusted { because: "label word \"private\"".into() };
    let d = diagram(
        &[
            ("Office", TrustDeclaration::Level(2), None),
            ("Server room", TrustDeclaration::Level(3), None),
            ("DMZ", exposed, None),
            ("Back end", trusted, None),
        ],
        &[
            ("workstation", P, Some(0)),
            ("files", S, Some(1)),
            ("users", E, None),
            ("web", P, Some(2)),
            ("api", P, Some(3)),
        ],
        &[(0, 1), (2, 3), (3, 4)],
    );
    let a = analyze(&d);
    assert_eq!(a.crossings[0].direction, Direction::Inbound);
    assert_eq!(names(&d, &a.entry_points), ["web", "api"]);
    let api = a.facts(NodeIndex::new(4)).entry_point.clone().unwrap_or_default();
    assert!(api.contains("from a less trusted zone"), "{api}");
}

#[test]
fn a_zone_named_by_a_private_address_range_is_infrastructure_not_a_trust_step() {
    // VPC { Private subnet { app }, "data 10.0.20.0/24" { db } }: the data network is a subnet by
    // another name, so app -> db stays on the system's level and makes no entry point.
    let trust = |label: &str| crate::import::hints::boundary_trust(&Attributes::new(), label);
    let d = diagram(
        &[
            ("vpc 10.0.0.0/16", trust("vpc 10.0.0.0/16"), None),
            ("private 10.0.10.0/24", trust("private 10.0.10.0/24"), Some(0)),
            ("data  10.0.20.0/24", trust("data  10.0.20.0/24"), Some(0)),
        ],
        &[("app", P, Some(1)), ("db", S, Some(2))],
        &[(0, 1)],
    );
    assert!(matches!(d.boundaries[2].trust, TrustDeclaration::Trusted { .. }));
    let a = analyze(&d);
    assert!(a.entry_points.is_empty(), "{:?}", names(&d, &a.entry_points));
}

#[test]
fn a_network_named_by_its_private_address_block_is_infrastructure() {
    // Host (unboxed) -> "Lab 10.10.10.0/24" { siem }: the block names the organisation's own
    // network, so the box is trusted infrastructure, no step above the system's ground; an
    // outside feed into it is still an inbound crossing.
    let because = format!("{} (10.10.10.0/24)", crate::import::hints::PRIVATE_BLOCK_REASON);
    let d = diagram(
        &[("Lab 10.10.10.0/24", TrustDeclaration::Trusted { because }, None)],
        &[("host", P, None), ("siem", P, Some(0)), ("feed", E, None), ("soar", P, Some(0))],
        &[(0, 1), (2, 3)],
    );
    let a = analyze(&d);
    assert_eq!(a.crossings[0].direction, Direction::Lateral);
    assert_eq!(names(&d, &a.entry_points), ["soar"]);
}

#[test]
fn a_guessed_process_outside_the_trust_boundary_it_feeds_is_an_outside_party() {
    // Trust boundary { api, db } <- mailer (a plain box outside it); beside a VPC box the unboxed
    // scheduler stays the system's own, and so does an unboxed process with a noun of its own.
    let drawn = TrustDeclaration::Trusted { because: "drawn as a trust boundary (dashed)".into() };
    let vpc = TrustDeclaration::Trusted { because: "label word \"vpc\"".into() };
    let mut d = diagram(
        &[("System", drawn, None), ("VPC", vpc, None)],
        &[
            ("mailer", P, None),
            ("api", P, Some(0)),
            ("db", S, Some(0)),
            ("scheduler", P, None),
            ("worker", P, Some(1)),
            ("billing service", P, None),
        ],
        &[(0, 1), (1, 2), (3, 4), (5, 1)],
    );
    for (id, why) in [
        ("mailer", "default"),
        ("scheduler", "default"),
        ("billing service", "label noun \"service\""),
    ] {
        let n = d.element_index(id).unwrap();
        d.graph[n].inferred_from = why.into();
    }
    settle_kinds(&mut d);
    let element = |id: &str| d.element(d.element_index(id).unwrap());
    assert_eq!(element("mailer").kind, E, "{}", element("mailer").inferred_from);
    assert!(element("mailer").inferred_from.starts_with("outside the trust boundary"));
    assert_eq!(element("scheduler").kind, P);
    assert_eq!(element("billing service").kind, P);
}

#[test]
fn where_no_outside_is_drawn_every_step_up_is_an_entry() {
    // Edge zone (trust 1) { gateway } -> Core (trust 2) { backend }: the gateway's callers are
    // left off the page, so the step into the core is where requests come in.
    let d = diagram(
        &[("Edge", TrustDeclaration::Level(1), None), ("Core", TrustDeclaration::Level(2), None)],
        &[("gateway", P, Some(0)), ("backend", P, Some(1))],
        &[(0, 1)],
    );
    let a = analyze(&d);
    assert_eq!(names(&d, &a.entry_points), ["backend"]);
}

/// Adds an element whose id is its label in snake case.
fn add_labelled(d: &mut Diagram, label: &str, kind: ElementKind) -> NodeIndex {
    let mut e = Element::new(label.to_lowercase().replace(' ', "_"), kind, "test");
    e.label = label.to_string();
    d.add_element(e)
}

/// What an outside API sends a program that calls out and listens to no one (a worker, a CLI)
/// is the answer to its own call, drawn the way the data goes: no request it serves, and no
/// sender to authenticate. A service sending into an API, a person into a worker, and a
/// callback stay what they were.
#[test]
fn an_outside_api_feeding_a_worker_answers_the_workers_call() {
    let mut d = Diagram::new("feeds");
    let mut add = |label: &str, kind| add_labelled(&mut d, label, kind);
    let feed = add("Market data REST + WebSocket", ElementKind::ExternalEntity);
    let worker = add("Pricing worker", ElementKind::Process);
    let api = add("Orders API", ElementKind::Process);
    let person = add("Analyst", ElementKind::ExternalEntity);
    let cli = add("Backfill CLI", ElementKind::Process);
    let waf = add("Edge WAF", ElementKind::ExternalEntity);
    d.graph[waf].technology = Some("aws-waf".into());
    for (from, to, label) in [
        (feed, worker, "ticks"),
        (feed, api, "prices"),
        (person, cli, "run"),
        (feed, cli, "status callback"),
        (api, waf, "page"),
        (waf, api, "request"),
    ] {
        d.add_flow(from, to, label.to_string(), Attributes::new(), None);
    }
    let replies: Vec<(String, bool)> =
        d.flows().map(|f| (f.flow.label.clone(), crate::analysis::is_reply(&d, f))).collect();
    assert_eq!(
        replies,
        [
            ("ticks".to_string(), true),
            ("prices".to_string(), false),
            ("run".to_string(), false),
            ("status callback".to_string(), false),
            ("page".to_string(), false),
            ("request".to_string(), false),
        ]
    );
    let a = analyze(&d);
    assert_eq!(a.facts(worker).inbound_requests, 0, "the worker asked for the ticks");
    assert_eq!(
        a.facts(api).inbound_requests,
        2,
        "an API listens for what is pushed; a firewall drawn outside passes requests on"
    );
    assert_eq!(a.facts(cli).inbound_requests, 2, "a person and a callback start exchanges");
}

/// One line with arrowheads at both ends, drawn from a process to an outside party named as
/// systems, is that process's call: the reader's return half is the answer. Drawn the other way
/// the partner's half is its own request; a person's half is always one, whichever end the
/// line starts from; and a single line drawn backwards says nothing of who calls.
#[test]
fn the_return_half_of_a_two_way_line_to_a_partners_systems_is_its_answer() {
    use crate::diagnostic::Location;
    let mut d = Diagram::new("two-way");
    let mut add = |label: &str, kind| add_labelled(&mut d, label, kind);
    let router = add("Router", ElementKind::Process);
    let partners = add("Partner systems", ElementKind::ExternalEntity);
    let importer = add("Importer", ElementKind::Process);
    let vendors = add("Vendor platform", ElementKind::ExternalEntity);
    let portal = add("Portal", ElementKind::Process);
    let admins = add("Admins", ElementKind::ExternalEntity);
    let lines = [
        ("call", router, partners, "line-1"),
        ("push", vendors, importer, "line-2"),
        ("page", portal, admins, "line-3"),
    ];
    for (label, from, to, cell) in lines {
        let origin = Location::Cell { page: "p".into(), cell: Some(cell.into()), line: None };
        let forward =
            d.add_flow(from, to, format!("{label} out"), Attributes::new(), Some(origin.clone()));
        d.graph[forward].drawn = Drawn::Forward;
        let back = d.add_flow(to, from, format!("{label} back"), Attributes::new(), Some(origin));
        d.graph[back].drawn = Drawn::Backward;
    }
    // One line with its arrowhead at the start only: drawn backwards, data from the partner.
    let origin = Location::Cell { page: "p".into(), cell: Some("line-4".into()), line: None };
    let single = d.add_flow(partners, importer, "upload".into(), Attributes::new(), Some(origin));
    d.graph[single].drawn = Drawn::Backward;
    let replies: Vec<(String, bool)> =
        d.flows().map(|f| (f.flow.label.clone(), crate::analysis::is_reply(&d, f))).collect();
    let expected = [
        ("call out", false),
        ("call back", true),
        ("push out", false),
        ("push back", false),
        ("page out", false),
        ("page back", false),
        ("upload", false),
    ];
    let expected: Vec<(String, bool)> = expected.iter().map(|(l, r)| (l.to_string(), *r)).collect();
    assert_eq!(replies, expected);
}
