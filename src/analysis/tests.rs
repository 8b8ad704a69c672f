use super::*;
use crate::model::{Attributes, Boundary, Element, TrustDeclaration};

/// Internet { customer }  ->  cloud { gateway -> app { fn -> table } }  ; admin outside.
fn sample() -> Diagram {
    let mut d = Diagram::new("t");
    let mut internet = Boundary::new("cluster_internet", "Internet", "test");
    internet.trust = TrustDeclaration::Untrusted { because: "label \"Internet\"".into() };
    let internet = d.add_boundary(internet);
    let cloud = d.add_boundary(Boundary::new("cluster_cloud", "Cloud", "test"));
    let mut app = Boundary::new("cluster_app", "App", "test");
    app.parent = Some(cloud);
    let app = d.add_boundary(app);
    let mut add = |id: &str, kind, boundary| {
        let mut e = Element::new(id, kind, "test");
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
            Direction::Inbound,
            Direction::Internal,
            Direction::Outbound,
            Direction::Inbound
        ]
    );
    // customer -> gateway leaves Internet, enters Cloud.
    assert_eq!(a.crossings[0].crosses, vec![0, 1]);
    // gateway -> fn enters App only.
    assert_eq!(a.crossings[1].crosses, vec![2]);
    // admin (outside) -> fn enters Cloud then App.
    assert_eq!(a.crossings[4].crosses, vec![1, 2]);
    assert_eq!(a.crossing_count(), 4);
}

#[test]
fn actors_entry_points_assets() {
    let d = sample();
    let a = analyze(&d);
    assert_eq!(names(&d, &a.external_actors), ["customer", "admin"]);
    assert!(a.facts(NodeIndex::new(0)).external_actor.as_deref().unwrap().contains("Internet"));
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
    // admin -> fn crosses 2, fn -> table 0: admin reaches with 2; customer needs 3.
    assert_eq!(d.element(reach.actor).id, "admin");
    assert_eq!(reach.boundaries_crossed, 2);
    assert_eq!(reach.hops, 2);
    assert!(a.data_assets[1].reached_by.is_none(), "lonely has no flows");
    assert!(a.data_assets[2].reached_by.is_some());
}

#[test]
fn trust_levels_follow_nesting_and_declarations() {
    let d = sample();
    let a = analyze(&d);
    let levels: Vec<_> = a.zones.iter().map(|z| (z.level, z.untrusted)).collect();
    assert_eq!(levels, [(0, true), (1, false), (2, false)]);
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
    let mut user = Element::new("user", ElementKind::Process, "t");
    user.boundary = Some(lan);
    let user = d.add_element(user);
    let mut app = Element::new("app", ElementKind::Process, "t");
    app.boundary = Some(dc);
    let app = d.add_element(app);
    d.add_flow(user, app, String::new(), Attributes::new(), None);
    let a = analyze(&d);
    assert!(a.zones[lan].untrusted);
    assert_eq!(a.zones[lan].level, 0);
    assert_eq!(a.crossings[0].direction, Direction::Inbound);
    assert_eq!(names(&d, &a.external_actors), ["user"]);
}
