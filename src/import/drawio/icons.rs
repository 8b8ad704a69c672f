//! Vendor icons (AWS, Azure, Google Cloud, Kubernetes, generic network and clip-art icons) as
//! data: which technology or which DFD kind an icon stands for.
//!
//! An icon is named by its style in several ways: `shape=mxgraph.aws4.lambda_function`,
//! `shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda`,
//! `shape=mxgraph.gcp2.hexIcon;prIcon=cloud_functions`, `shape=mxgraph.kubernetes.icon;prIcon=pod`
//! or `image;image=img/lib/azure2/compute/Function_Apps.svg`. Each is reduced to lower-case keys,
//! and a row's pattern matches a key when it appears there as a whole name: after a `.` or `/`,
//! and followed by the end, `_` or `.`. The longest matching pattern wins, so
//! `aws4.s3_glacier` may get its own row without disturbing `aws4.s3`.

use serde::Deserialize;

use super::style::Style;
use crate::model::ElementKind;

/// One `[[icon]]` row of `knowledge/icons.toml` (or of a user's `--knowledge` file): a pattern
/// and the technology or the kind it stands for, or `marker = true` for a badge that is never an
/// element by itself. [`crate::knowledge`] checks that exactly one of the three is given and that
/// the technology exists.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IconRow {
    pub pattern: String,
    #[serde(default)]
    pub technology: Option<String>,
    #[serde(default)]
    pub kind: Option<ElementKind>,
    /// A badge drawn on a flow or beside an element (a padlock, an "encrypted data" sign): it
    /// says something about what it sits on and is not an element itself.
    #[serde(default)]
    pub marker: bool,
    /// An emblem of a container or a permission (a virtual network, a resource group, an IAM
    /// policy): an element when words or flows make it one, a decoration when it carries neither
    /// (see `bare_emblems` in the draw.io reader).
    #[serde(default)]
    pub emblem: bool,
}

/// The icon rows in force, split by what they give: the two are matched separately and the more
/// specific match wins.
#[derive(Debug, Default)]
pub struct Icons {
    /// `(pattern, technology id)`, in file order.
    technologies: Vec<(String, String)>,
    /// `(pattern, kind)` for icons that say what an element is but name no technology: people,
    /// devices, generic servers and databases.
    kinds: Vec<(String, ElementKind)>,
    /// `(pattern, ())` for badges (see [`IconRow::marker`]).
    markers: Vec<(String, ())>,
    /// `(pattern, ())` for emblems (see [`IconRow::emblem`]).
    emblems: Vec<(String, ())>,
}

impl Icons {
    /// The rows in their order (of equally long patterns, the earlier row wins).
    pub fn new(rows: &[IconRow]) -> Self {
        let mut icons = Icons::default();
        for row in rows {
            if let Some(id) = &row.technology {
                icons.technologies.push((row.pattern.clone(), id.clone()));
            } else if let Some(kind) = row.kind {
                icons.kinds.push((row.pattern.clone(), kind));
            } else if row.marker {
                icons.markers.push((row.pattern.clone(), ()));
            } else if row.emblem {
                icons.emblems.push((row.pattern.clone(), ()));
            }
        }
        icons
    }

    /// The patterns that name a technology, with its id.
    pub fn technology_patterns(&self) -> impl Iterator<Item = (&str, &str)> {
        self.technologies.iter().map(|(p, id)| (p.as_str(), id.as_str()))
    }
}

/// Icon families: a shape or image from one of these is an icon even when no row names it.
const ICON_FAMILIES: &[&str] = &[
    "mxgraph.aws",
    "mxgraph.azure",
    "mxgraph.mscae",
    "mxgraph.gcp",
    "mxgraph.kubernetes",
    "mxgraph.networks",
    "mxgraph.cisco",
    "mxgraph.citrix",
    "mxgraph.office",
    "mxgraph.ibm",
    "mxgraph.alibaba",
    "mxgraph.veeam",
    "mxgraph.openstack",
    "mxgraph.salesforce",
    "mxgraph.webicons",
    "img/lib/",
];

/// What an icon says, with the key that matched for `inferred_from`.
#[derive(Debug, Clone, PartialEq)]
pub struct IconMatch {
    /// `AWS`, `Azure`, `GCP`, `Kubernetes` or `vendor`.
    pub vendor: &'static str,
    /// How the style named the icon, e.g. `resIcon=mxgraph.aws4.lambda`.
    pub named_by: String,
    pub technology: Option<&'static str>,
    pub kind: Option<ElementKind>,
    /// A badge, not an element: a marker row matches more of the name than any other row.
    pub marker: bool,
    /// An emblem of a container or a permission: an emblem row matches more of the name than any
    /// other row.
    pub emblem: bool,
}

/// The icon a style draws, if it is a vendor icon at all, by the icon rows in force.
pub fn icon_of(style: &Style) -> Option<IconMatch> {
    icon_of_in(&crate::knowledge::current().icons, style)
}

/// The icon a style draws, by the rows of `icons`.
pub(crate) fn icon_of_in(icons: &'static Icons, style: &Style) -> Option<IconMatch> {
    let keys = icon_keys(style);
    let (_, first_named) = keys.first()?;
    let technology = best_match(&keys, &icons.technologies);
    let kind = best_match(&keys, &icons.kinds);
    let other = technology.as_ref().map_or(0, |(_, len, _)| *len);
    let other = other.max(kind.as_ref().map_or(0, |(_, len, _)| *len));
    let marker = best_match(&keys, &icons.markers).is_some_and(|(_, len, _)| len > other);
    let emblem = best_match(&keys, &icons.emblems).is_some_and(|(_, len, _)| len > other);
    // Prefer the more specific of the two tables.
    let (technology, kind, named_by) = match (technology, kind) {
        (Some((t, tl, tn)), Some((k, kl, kn))) => {
            if kl > tl {
                (None, Some(*k), kn)
            } else {
                (Some(t.as_str()), None, tn)
            }
        }
        (Some((t, _, tn)), None) => (Some(t.as_str()), None, tn),
        (None, Some((k, _, kn))) => (None, Some(*k), kn),
        // An icon no row names still has a name: its words ("hard_disk", "cloud_sql", "user")
        // say what it is before the default does.
        (None, None) => (None, kind_from_icon_name(&keys[0].0), first_named.clone()),
    };
    let lower = named_by.to_ascii_lowercase();
    let vendor = if lower.contains("aws") {
        "AWS"
    } else if lower.contains("azure") || lower.contains("mscae") {
        "Azure"
    } else if lower.contains("gcp") {
        "GCP"
    } else if lower.contains("kubernetes") {
        "Kubernetes"
    } else {
        "vendor"
    };
    Some(IconMatch { vendor, named_by, technology, kind, marker, emblem })
}

/// The kind an icon's own name says (`mxgraph.office.devices.hard_disk` → a store), by the label
/// nouns of `knowledge/labels.toml`, read from the name's last part.
fn kind_from_icon_name(key: &str) -> Option<ElementKind> {
    // A folder of people (`img/lib/clip_art/people/Worker_Man.png`) says more than the file name.
    const PEOPLE_FOLDERS: &[&str] = &["people", "person", "persons", "users", "avatars"];
    if key.split(['.', '/']).any(|part| PEOPLE_FOLDERS.contains(&part)) {
        return Some(ElementKind::ExternalEntity);
    }
    let last = key.rsplit(['.', '/']).next().unwrap_or(key);
    let (kind, _) = crate::import::hints::kind_from_label_noun(&last.replace(['_', '-'], " "))?;
    Some(kind)
}

/// `(lower-case key, how the style wrote it)` for every way the style names an icon.
pub(super) fn icon_keys(style: &Style) -> Vec<(String, String)> {
    let mut keys = Vec::new();
    let shape = style.get("shape").unwrap_or_default();
    let in_family = |s: &str| {
        let l = s.to_ascii_lowercase();
        ICON_FAMILIES.iter().any(|f| l.starts_with(f) || (*f == "img/lib/" && l.contains(f)))
    };
    for key in ["resIcon", "prIcon"] {
        if let Some(value) = style.get(key) {
            let full = if value.contains('.') {
                value.to_string()
            } else {
                // `prIcon=cloud_functions` is relative to the shape's library.
                let family = shape.rsplit_once('.').map_or(shape, |(f, _)| f);
                format!("{family}.{value}")
            };
            if in_family(&full) {
                keys.push((full.to_ascii_lowercase(), format!("{key}={value}")));
            }
        }
    }
    if in_family(shape) {
        keys.push((shape.to_ascii_lowercase(), format!("shape={shape}")));
    }
    if let Some(image) = style.get("image") {
        if !image.starts_with("data:") && in_family(image) {
            let path = image.to_ascii_lowercase();
            let stem = path.rsplit_once('.').map_or(path.as_str(), |(s, _)| s).to_string();
            let shown = image.rsplit('/').next().unwrap_or(image);
            keys.push((stem, format!("image {shown}")));
        }
    }
    keys
}

fn best_match<'a, T>(
    keys: &[(String, String)],
    table: &'a [(String, T)],
) -> Option<(&'a T, usize, String)> {
    let mut best: Option<(&T, usize, String)> = None;
    for (key, named_by) in keys {
        for (pattern, value) in table {
            if names(key, pattern) && best.as_ref().is_none_or(|(_, len, _)| pattern.len() > *len) {
                best = Some((value, pattern.len(), named_by.clone()));
            }
        }
    }
    best
}

/// Whether `pattern` appears in `key` as a whole name.
fn names(key: &str, pattern: &str) -> bool {
    let mut start = 0;
    while let Some(found) = key.get(start..).and_then(|rest| rest.find(pattern)) {
        let at = start + found;
        let before_ok = at == 0 || matches!(key.as_bytes().get(at - 1), Some(b'.' | b'/'));
        let after = key.as_bytes().get(at + pattern.len());
        let after_ok = matches!(after, None | Some(b'_' | b'.'));
        if before_ok && after_ok {
            return true;
        }
        start = at + 1;
    }
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::model::technology;

    fn tech(style: &str) -> Option<&'static str> {
        icon_of(&Style::parse(style)).and_then(|m| m.technology)
    }

    fn kind(style: &str) -> Option<ElementKind> {
        icon_of(&Style::parse(style)).and_then(|m| m.kind)
    }

    /// Icons whose names hold a store's or a service's word they are not: a data catalog rests
    /// data, a migration service and a dashboard service handle it.
    #[test]
    fn catalogs_migration_and_dashboard_icons() {
        use ElementKind::*;
        assert_eq!(kind("shape=mxgraph.aws4.glue_data_catalog;"), Some(DataStore));
        assert_eq!(
            tech("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.glue;"),
            Some("aws-glue")
        );
        assert_eq!(
            kind(
                "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.database_migration_service;"
            ),
            Some(Process)
        );
        assert_eq!(kind("shape=mxgraph.gcp.big_data.data_studio;"), Some(Process));
        assert_eq!(
            tech("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.quicksight;"),
            Some("aws-quicksight")
        );
    }

    #[test]
    fn people_gateways_and_unnamed_icons() {
        use ElementKind::*;
        // A longer row beats the shorter one it starts with: a gateway is network, not the internet.
        assert_eq!(tech("shape=mxgraph.aws4.internet_gateway;"), Some("aws-internet-gateway"));
        assert_eq!(tech("shape=mxgraph.aws3.internet_gateway;"), Some("aws-internet-gateway"));
        assert_eq!(kind("shape=mxgraph.aws4.internet_alt1;"), Some(ExternalEntity));
        assert_eq!(kind("shape=mxgraph.aws4.illustration_users;"), Some(ExternalEntity));
        assert_eq!(kind("shape=mxgraph.aws3.internet_2;"), Some(ExternalEntity));
        // No row: the icon's own name decides.
        assert_eq!(kind("shape=mxgraph.office.devices.hard_disk;"), Some(DataStore));
        assert_eq!(
            kind("shape=mxgraph.gcp2.hexIcon;prIcon=legacy_orders_storage;"),
            Some(DataStore)
        );
        assert_eq!(kind("shape=mxgraph.cisco.people.user;"), Some(ExternalEntity));
        assert_eq!(kind("shape=mxgraph.office.security.lock_protected;"), None);
        // The team's own services whose names hold an actor word.
        assert_eq!(kind("shape=mxgraph.aws4.email_notification;"), Some(Process));
        assert_eq!(kind("shape=mxgraph.aws4.email;"), Some(ExternalEntity));
        assert_eq!(kind("shape=mxgraph.aws4.rds_proxy;"), Some(Process));
        assert_eq!(kind("shape=mxgraph.mscae.deprecated.bot;"), Some(Process));

        assert_eq!(
            kind("image;image=img/lib/clip_art/people/Worker_Man_128x128.png;"),
            Some(ExternalEntity)
        );
    }

    #[test]
    fn padlocks_and_encryption_signs_are_markers() {
        let marker = |style: &str| icon_of(&Style::parse(style)).is_some_and(|m| m.marker);
        assert!(marker("shape=mxgraph.office.security.lock_protected;"));
        assert!(marker("shape=mxgraph.aws4.encrypted_data;"));
        assert!(!marker("shape=mxgraph.aws4.key_management_service;"));
        assert!(!marker("shape=mxgraph.aws4.lambda;"));
    }

    #[test]
    fn network_container_and_policy_icons_are_emblems() {
        let emblem = |style: &str| icon_of(&Style::parse(style)).is_some_and(|m| m.emblem);
        assert!(emblem("image;image=img/lib/azure2/networking/Virtual_Networks.svg;"));
        assert!(emblem("image;image=img/lib/azure2/general/Resource_Groups.svg;"));
        assert!(emblem("shape=mxgraph.aws3.policy;"));
        assert!(emblem("shape=mxgraph.kubernetes.icon2;prIcon=ns;"));
        assert!(!emblem("image;image=img/lib/azure2/networking/Load_Balancers.svg;"));
        assert!(!emblem("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda;"));
        assert!(!emblem("shape=mxgraph.kubernetes.icon2;prIcon=pod;"));
    }

    #[test]
    fn every_row_names_a_known_technology() {
        let icons = &crate::knowledge::current().icons;
        for (pattern, id) in icons.technology_patterns() {
            assert!(technology(id).is_some(), "{pattern} -> unknown technology {id}");
        }
        let vendors = |prefix: &str| {
            let mut ids: Vec<_> = icons
                .technology_patterns()
                .filter(|(p, _)| p.starts_with(prefix))
                .map(|(_, id)| id)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids.len()
        };
        assert!(vendors("aws4.") >= 40, "{}", vendors("aws4."));
        assert!(vendors("azure") >= 20, "{}", vendors("azure"));
        assert!(vendors("gcp2.") >= 20, "{}", vendors("gcp2."));
    }

    #[test]
    fn aws_icons_in_all_their_forms() {
        assert_eq!(
            tech("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda"),
            Some("aws-lambda")
        );
        assert_eq!(tech("shape=mxgraph.aws4.lambda_function;"), Some("aws-lambda"));
        assert_eq!(
            tech("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.bedrock"),
            Some("aws-bedrock"),
            "a model service is a language model"
        );
        assert_eq!(
            tech("image;image=img/lib/azure2/ai_machine_learning/Azure_OpenAI.svg;"),
            Some("azure-openai")
        );
        assert_eq!(
            tech("shape=mxgraph.aws4.productIcon;prIcon=mxgraph.aws4.dynamodb"),
            Some("aws-dynamodb")
        );
        assert_eq!(tech("shape=mxgraph.aws4.bucket"), Some("aws-s3"));
        assert_eq!(
            tech("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.certificate_manager_3"),
            Some("aws-acm"),
            "the certificate store is a key store"
        );
        assert_eq!(
            tech("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.cloudwatch_2"),
            Some("aws-cloudwatch")
        );
        let m =
            icon_of(&Style::parse("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda"))
                .expect("test input is valid");
        assert_eq!(m.vendor, "AWS");
        assert_eq!(m.named_by, "resIcon=mxgraph.aws4.lambda");
    }

    #[test]
    fn azure_gcp_and_kubernetes() {
        assert_eq!(
            tech("image;html=1;image=img/lib/azure2/compute/Function_Apps.svg;"),
            Some("azure-functions")
        );
        assert_eq!(
            tech("image;image=img/lib/azure2/databases/Azure_Cosmos_DB.svg"),
            Some("azure-cosmos-db")
        );
        assert_eq!(
            tech("shape=mxgraph.gcp2.hexIcon;prIcon=cloud_functions"),
            Some("gcp-cloud-functions")
        );
        assert_eq!(tech("shape=mxgraph.gcp2.hexIcon;prIcon=bigquery"), Some("gcp-bigquery"));
        assert_eq!(tech("shape=mxgraph.kubernetes.icon;prIcon=pod"), Some("kubernetes"));
        assert_eq!(tech("shape=mxgraph.azure.virtual_machine"), Some("azure-vm"));
    }

    #[test]
    fn generic_icons_give_kinds() {
        let m = icon_of(&Style::parse("shape=mxgraph.aws4.users")).expect("test input is valid");
        assert_eq!((m.technology, m.kind), (None, Some(ElementKind::ExternalEntity)));
        let m =
            icon_of(&Style::parse("image;image=img/lib/clip_art/computers/Database_128x128.png"))
                .expect("test input is valid");
        assert_eq!(m.kind, Some(ElementKind::DataStore));
        let m =
            icon_of(&Style::parse("shape=mxgraph.aws4.marketplace")).expect("test input is valid");
        assert_eq!((m.technology, m.kind), (None, None));
        assert!(icon_of(&Style::parse("ellipse;whiteSpace=wrap")).is_none());
        assert!(icon_of(&Style::parse("shape=image;image=data:image/png,xyz")).is_none());
    }

    #[test]
    fn a_users_icon_rows_are_read_like_the_builtin_ones() {
        let team = "[[icon]]\npattern = \"aws4.acme_widget\"\ntechnology = \"aws-sqs\"\n\n\
                    [[icon]]\npattern = \"aws4.users\"\nkind = \"process\"\n";
        let knowledge = crate::knowledge::Knowledge::with_files(&[("team.toml", team)]).unwrap();
        let icons = &Box::leak(Box::new(knowledge)).icons;
        let of = |style: &str| icon_of_in(icons, &Style::parse(style)).unwrap();
        assert_eq!(of("shape=mxgraph.aws4.acme_widget").technology, Some("aws-sqs"));
        assert_eq!(of("shape=mxgraph.aws4.users").kind, Some(ElementKind::Process), "replaced");
    }

    #[test]
    fn whole_names_only() {
        assert!(names("mxgraph.aws4.s3", "aws4.s3"));
        assert!(names("mxgraph.aws4.s3_glacier", "aws4.s3"));
        assert!(!names("mxgraph.aws4.s3x", "aws4.s3"));
        assert!(!names("mxgraph.xaws4.s3", "aws4.s3"));
        assert!(!names("mxgraph.aws4.users", "aws4.user"));
    }
}
