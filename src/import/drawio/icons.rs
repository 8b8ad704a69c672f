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

use super::style::Style;
use crate::model::ElementKind;

/// `(pattern, technology id)`: every id must exist in the technology table.
pub static ICON_TECHNOLOGIES: &[(&str, &str)] = &[
    // AWS (mxgraph.aws4.*, resIcon/prIcon names and service shapes)
    ("aws4.lambda", "aws-lambda"),
    ("aws4.api_gateway", "aws-api-gateway"),
    ("aws4.s3", "aws-s3"),
    ("aws4.simple_storage_service", "aws-s3"),
    ("aws4.bucket", "aws-s3"),
    ("aws4.dynamodb", "aws-dynamodb"),
    ("aws4.sqs", "aws-sqs"),
    ("aws4.simple_queue_service", "aws-sqs"),
    ("aws4.queue", "aws-sqs"),
    ("aws4.sns", "aws-sns"),
    ("aws4.simple_notification_service", "aws-sns"),
    ("aws4.topic", "aws-sns"),
    ("aws4.eventbridge", "aws-eventbridge"),
    ("aws4.kinesis", "aws-kinesis"),
    ("aws4.step_functions", "aws-step-functions"),
    ("aws4.cognito", "aws-cognito"),
    ("aws4.identity_and_access_management", "aws-iam"),
    ("aws4.iam", "aws-iam"),
    ("aws4.role", "aws-iam"),
    ("aws4.cloudfront", "aws-cloudfront"),
    ("aws4.route_53", "aws-route53"),
    ("aws4.elastic_load_balancing", "aws-elb"),
    ("aws4.application_load_balancer", "aws-elb"),
    ("aws4.network_load_balancer", "aws-elb"),
    ("aws4.classic_load_balancer", "aws-elb"),
    ("aws4.ec2", "aws-ec2"),
    ("aws4.instance", "aws-ec2"),
    ("aws4.instances", "aws-ec2"),
    ("aws4.ecs", "aws-ecs"),
    ("aws4.elastic_container_service", "aws-ecs"),
    ("aws4.fargate", "aws-ecs"),
    ("aws4.eks", "aws-eks"),
    ("aws4.elastic_kubernetes_service", "aws-eks"),
    ("aws4.rds", "aws-rds"),
    ("aws4.aurora", "aws-rds"),
    ("aws4.elasticache", "aws-elasticache"),
    ("aws4.opensearch_service", "aws-opensearch"),
    ("aws4.elasticsearch_service", "aws-opensearch"),
    ("aws4.secrets_manager", "aws-secrets-manager"),
    ("aws4.parameter_store", "aws-ssm-parameter-store"),
    ("aws4.key_management_service", "aws-kms"),
    ("aws4.waf", "aws-waf"),
    ("aws4.cloudwatch", "aws-cloudwatch"),
    ("aws4.cloudtrail", "aws-cloudtrail"),
    ("aws4.xray", "aws-xray"),
    ("aws4.x_ray", "aws-xray"),
    ("aws4.simple_email_service", "aws-ses"),
    ("aws4.ses", "aws-ses"),
    ("aws4.appsync", "aws-appsync"),
    ("aws4.elastic_file_system", "aws-efs"),
    ("aws4.efs", "aws-efs"),
    ("aws4.ecr", "aws-ecr"),
    ("aws4.elastic_container_registry", "aws-ecr"),
    ("aws4.codepipeline", "aws-codepipeline"),
    ("aws4.codebuild", "aws-codebuild"),
    ("aws4.codecommit", "aws-codecommit"),
    ("aws4.vpc", "aws-vpc"),
    ("aws4.virtual_private_cloud", "aws-vpc"),
    ("aws4.sagemaker", "aws-sagemaker"),
    ("aws4.athena", "aws-athena"),
    ("aws4.glue", "aws-glue"),
    ("aws4.redshift", "aws-redshift"),
    ("aws4.backup", "aws-backup"),
    ("aws4.amplify", "aws-amplify"),
    ("aws4.shield", "aws-shield"),
    ("aws4.guardduty", "aws-guardduty"),
    ("aws4.mq", "aws-mq"),
    ("aws4.managed_streaming_for_kafka", "aws-msk"),
    ("aws4.timestream", "aws-timestream"),
    ("aws4.documentdb", "aws-documentdb"),
    ("aws4.neptune", "aws-neptune"),
    ("aws4.app_runner", "aws-app-runner"),
    ("aws4.elastic_beanstalk", "aws-elastic-beanstalk"),
    // The older AWS 3 library.
    ("aws3.lambda", "aws-lambda"),
    ("aws3.api_gateway", "aws-api-gateway"),
    ("aws3.s3", "aws-s3"),
    ("aws3.dynamo_db", "aws-dynamodb"),
    ("aws3.sqs", "aws-sqs"),
    ("aws3.sns", "aws-sns"),
    ("aws3.ec2", "aws-ec2"),
    ("aws3.rds", "aws-rds"),
    ("aws3.cloudfront", "aws-cloudfront"),
    ("aws3.route_53", "aws-route53"),
    ("aws3.elastic_load_balancing", "aws-elb"),
    // Azure (image=img/lib/azure2/<category>/<Name>.svg, and the older mxgraph.azure.*)
    ("azure2/compute/function_apps", "azure-functions"),
    ("azure2/app_services/api_management_services", "azure-api-management"),
    ("azure2/integration/api_management_services", "azure-api-management"),
    ("azure2/general/blob_block", "azure-blob-storage"),
    ("azure2/storage/blob_service", "azure-blob-storage"),
    ("azure2/storage/storage_accounts", "azure-storage-account"),
    ("azure2/databases/azure_cosmos_db", "azure-cosmos-db"),
    ("azure2/databases/sql_database", "azure-sql"),
    ("azure2/databases/azure_sql", "azure-sql"),
    ("azure2/databases/sql_server", "azure-sql"),
    ("azure2/integration/service_bus", "azure-service-bus"),
    ("azure2/messaging/service_bus", "azure-service-bus"),
    ("azure2/analytics/event_hubs", "azure-event-hubs"),
    ("azure2/iot/event_hubs", "azure-event-hubs"),
    ("azure2/integration/event_grid_topics", "azure-event-grid"),
    ("azure2/integration/event_grid_domains", "azure-event-grid"),
    ("azure2/security/key_vaults", "azure-key-vault"),
    ("azure2/identity/azure_active_directory", "azure-entra-id"),
    ("azure2/identity/entra_id", "azure-entra-id"),
    ("azure2/app_services/app_services", "azure-app-service"),
    ("azure2/compute/app_services", "azure-app-service"),
    ("azure2/compute/kubernetes_services", "azure-aks"),
    ("azure2/containers/kubernetes_services", "azure-aks"),
    ("azure2/networking/front_doors", "azure-front-door"),
    ("azure2/networking/application_gateways", "azure-application-gateway"),
    ("azure2/compute/virtual_machine", "azure-vm"),
    ("azure2/management_governance/monitor", "azure-monitor"),
    ("azure2/devops/application_insights", "azure-monitor"),
    ("azure2/analytics/log_analytics_workspaces", "azure-monitor"),
    ("azure2/integration/logic_apps", "azure-logic-apps"),
    ("azure2/databases/cache_redis", "azure-cache-redis"),
    ("azure2/devops/azure_devops", "azure-devops"),
    ("azure2/containers/container_registries", "azure-container-registry"),
    ("azure2/networking/firewalls", "azure-firewall"),
    ("azure2/containers/container_instances", "azure-container-apps"),
    ("azure2/networking/cdn_profiles", "azure-cdn"),
    ("azure2/app_services/cdn_profiles", "azure-cdn"),
    ("azure2/storage/azure_fileshares", "azure-files"),
    ("azure2/analytics/data_factories", "azure-data-factory"),
    ("azure2/databases/data_factory", "azure-data-factory"),
    ("azure2/analytics/azure_synapse_analytics", "azure-synapse"),
    ("azure2/networking/dns_zones", "azure-dns"),
    ("azure.virtual_machine", "azure-vm"),
    ("azure.sql_database", "azure-sql"),
    ("azure.storage_blob", "azure-blob-storage"),
    ("azure.storage", "azure-storage-account"),
    ("azure.service_bus", "azure-service-bus"),
    ("azure.azure_active_directory", "azure-entra-id"),
    ("azure.azure_cache", "azure-cache-redis"),
    // Google Cloud (shape=mxgraph.gcp2.hexIcon;prIcon=<name>, and product shapes)
    ("gcp2.cloud_functions", "gcp-cloud-functions"),
    ("gcp2.cloud_run", "gcp-cloud-run"),
    ("gcp2.cloud_storage", "gcp-cloud-storage"),
    ("gcp2.bucket", "gcp-cloud-storage"),
    ("gcp2.cloud_firestore", "gcp-firestore"),
    ("gcp2.firestore", "gcp-firestore"),
    ("gcp2.cloud_datastore", "gcp-firestore"),
    ("gcp2.bigquery", "gcp-bigquery"),
    ("gcp2.cloud_sql", "gcp-cloud-sql"),
    ("gcp2.cloud_spanner", "gcp-spanner"),
    ("gcp2.cloud_bigtable", "gcp-bigtable"),
    ("gcp2.cloud_pubsub", "gcp-pubsub"),
    ("gcp2.cloud_endpoints", "gcp-api-gateway"),
    ("gcp2.apigee_api_platform", "gcp-api-gateway"),
    ("gcp2.container_engine", "gcp-gke"),
    ("gcp2.kubernetes_engine", "gcp-gke"),
    ("gcp2.compute_engine", "gcp-compute-engine"),
    ("gcp2.app_engine", "gcp-app-engine"),
    ("gcp2.cloud_memorystore", "gcp-memorystore"),
    ("gcp2.secret_manager", "gcp-secret-manager"),
    ("gcp2.key_management_service", "gcp-cloud-kms"),
    ("gcp2.cloud_iam", "gcp-iam"),
    ("gcp2.container_builder", "gcp-cloud-build"),
    ("gcp2.cloud_build", "gcp-cloud-build"),
    ("gcp2.container_registry", "gcp-artifact-registry"),
    ("gcp2.artifact_registry", "gcp-artifact-registry"),
    ("gcp2.cloud_load_balancing", "gcp-cloud-load-balancing"),
    ("gcp2.cloud_cdn", "gcp-cloud-cdn"),
    ("gcp2.cloud_armor", "gcp-cloud-armor"),
    ("gcp2.logging", "gcp-cloud-logging"),
    ("gcp2.stackdriver", "gcp-cloud-logging"),
    ("gcp2.cloud_dataflow", "gcp-dataflow"),
    ("gcp2.cloud_machine_learning", "gcp-vertex-ai"),
    ("gcp2.vertex_ai", "gcp-vertex-ai"),
    ("gcp2.cloud_scheduler", "gcp-cloud-scheduler"),
    ("gcp2.cloud_dns", "gcp-cloud-dns"),
    // Kubernetes (shape=mxgraph.kubernetes.icon;prIcon=pod...)
    ("kubernetes", "kubernetes"),
];

/// `(pattern, kind)` for icons that say what an element is but name no technology: people,
/// devices, generic servers and databases.
pub static ICON_KINDS: &[(&str, ElementKind)] = &[
    // Longer names that would otherwise match a shorter row as a prefix ("aws4.internet").
    ("aws4.internet_gateway", ElementKind::Process),
    ("aws4.systems_manager", ElementKind::Process),
    ("aws4.illustration_users", ElementKind::ExternalEntity),
    ("aws4.illustration_user", ElementKind::ExternalEntity),
    ("aws4.illustration_desktop", ElementKind::ExternalEntity),
    ("aws4.illustration_devices", ElementKind::ExternalEntity),
    ("aws4.waf_bot", ElementKind::ExternalEntity),
    ("aws4.waf_bot_control", ElementKind::ExternalEntity),
    ("aws4.documents", ElementKind::DataStore),
    ("aws4.document", ElementKind::DataStore),
    ("aws3.internet", ElementKind::ExternalEntity),
    ("aws3.user", ElementKind::ExternalEntity),
    ("aws3.users", ElementKind::ExternalEntity),
    ("aws3.client", ElementKind::ExternalEntity),
    ("aws3.mobile_client", ElementKind::ExternalEntity),
    ("aws3.corporate_data_center", ElementKind::ExternalEntity),
    ("kubernetes.user", ElementKind::ExternalEntity),
    ("aws4.users", ElementKind::ExternalEntity),
    ("aws4.user", ElementKind::ExternalEntity),
    ("aws4.authenticated_user", ElementKind::ExternalEntity),
    ("aws4.client", ElementKind::ExternalEntity),
    ("aws4.mobile_client", ElementKind::ExternalEntity),
    ("aws4.corporate_data_center", ElementKind::ExternalEntity),
    ("aws4.internet", ElementKind::ExternalEntity),
    ("aws4.generic_database", ElementKind::DataStore),
    ("aws4.database", ElementKind::DataStore),
    ("aws4.object", ElementKind::DataStore),
    ("aws4.traditional_server", ElementKind::Process),
    ("azure2/identity/users", ElementKind::ExternalEntity),
    ("azure2/identity/user", ElementKind::ExternalEntity),
    ("azure.user", ElementKind::ExternalEntity),
    ("azure.computer", ElementKind::ExternalEntity),
    ("azure.laptop", ElementKind::ExternalEntity),
    ("azure.mobile", ElementKind::ExternalEntity),
    ("azure.database", ElementKind::DataStore),
    ("gcp2.users", ElementKind::ExternalEntity),
    ("gcp2.user", ElementKind::ExternalEntity),
    ("gcp2.phone", ElementKind::ExternalEntity),
    ("gcp2.laptop", ElementKind::ExternalEntity),
    ("gcp2.desktop", ElementKind::ExternalEntity),
    ("gcp2.mobile_devices", ElementKind::ExternalEntity),
    ("gcp2.database", ElementKind::DataStore),
    ("networks.pc", ElementKind::ExternalEntity),
    ("networks.laptop", ElementKind::ExternalEntity),
    ("networks.mobile", ElementKind::ExternalEntity),
    ("networks.tablet", ElementKind::ExternalEntity),
    ("networks.user_male", ElementKind::ExternalEntity),
    ("networks.user_female", ElementKind::ExternalEntity),
    ("networks.users", ElementKind::ExternalEntity),
    ("networks.server", ElementKind::Process),
    ("networks.storage", ElementKind::DataStore),
    ("citrix.users", ElementKind::ExternalEntity),
    ("office.users", ElementKind::ExternalEntity),
    ("computers/laptop", ElementKind::ExternalEntity),
    ("computers/netbook", ElementKind::ExternalEntity),
    ("computers/workstation", ElementKind::ExternalEntity),
    ("computers/monitor", ElementKind::ExternalEntity),
    ("computers/database", ElementKind::DataStore),
    ("computers/server", ElementKind::Process),
];

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
}

/// The icon a style draws, if it is a vendor icon at all.
pub fn icon_of(style: &Style) -> Option<IconMatch> {
    let keys = icon_keys(style);
    let (_, first_named) = keys.first()?;
    let technology = best_match(&keys, ICON_TECHNOLOGIES);
    let kind = best_match(&keys, ICON_KINDS);
    // Prefer the more specific of the two tables.
    let (technology, kind, named_by) = match (technology, kind) {
        (Some((t, tl, tn)), Some((k, kl, kn))) => {
            if kl > tl {
                (None, Some(*k), kn)
            } else {
                (Some(*t), None, tn)
            }
        }
        (Some((t, _, tn)), None) => (Some(*t), None, tn),
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
    Some(IconMatch { vendor, named_by, technology, kind })
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
fn icon_keys(style: &Style) -> Vec<(String, String)> {
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
    table: &'a [(&'static str, T)],
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

    #[test]
    fn people_gateways_and_unnamed_icons() {
        use ElementKind::*;
        // A longer row beats the shorter one it starts with.
        assert_eq!(kind("shape=mxgraph.aws4.internet_gateway;"), Some(Process));
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
        assert_eq!(
            kind("image;image=img/lib/clip_art/people/Worker_Man_128x128.png;"),
            Some(ExternalEntity)
        );
    }

    #[test]
    fn every_row_names_a_known_technology() {
        for (pattern, id) in ICON_TECHNOLOGIES {
            assert!(technology(id).is_some(), "{pattern} -> unknown technology {id}");
        }
        let vendors = |prefix: &str| {
            let mut ids: Vec<_> = ICON_TECHNOLOGIES
                .iter()
                .filter(|(p, _)| p.starts_with(prefix))
                .map(|(_, id)| *id)
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
            tech("shape=mxgraph.aws4.productIcon;prIcon=mxgraph.aws4.dynamodb"),
            Some("aws-dynamodb")
        );
        assert_eq!(tech("shape=mxgraph.aws4.bucket"), Some("aws-s3"));
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
    fn whole_names_only() {
        assert!(names("mxgraph.aws4.s3", "aws4.s3"));
        assert!(names("mxgraph.aws4.s3_glacier", "aws4.s3"));
        assert!(!names("mxgraph.aws4.s3x", "aws4.s3"));
        assert!(!names("mxgraph.xaws4.s3", "aws4.s3"));
        assert!(!names("mxgraph.aws4.users", "aws4.user"));
    }
}
