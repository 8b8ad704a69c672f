//! The technologies the tool recognises, as one data table.
//!
//! Importers map what they see (a word in a DOT label, a draw.io icon) to a technology id here;
//! catalog rules match on the id (`aws-s3`) or its class (`object_storage`). Adding a technology is
//! one row.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::ElementKind;

/// What a technology is, for rules that care about the role rather than the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TechClass {
    Function,
    ApiGateway,
    ObjectStorage,
    Database,
    Queue,
    Stream,
    Cache,
    Identity,
    Cdn,
    LoadBalancer,
    Container,
    VirtualMachine,
    WebServer,
    CiPipeline,
    SourceRepository,
    PackageRegistry,
    SecretStore,
    KeyManagement,
    Logging,
    Monitoring,
    Firewall,
    Network,
    Dns,
    Email,
    Notification,
    Search,
    Workflow,
    PaymentProvider,
    Client,
    Analytics,
    MachineLearning,
    FileShare,
}

impl TechClass {
    pub fn name(self) -> &'static str {
        match self {
            TechClass::Function => "function",
            TechClass::ApiGateway => "api_gateway",
            TechClass::ObjectStorage => "object_storage",
            TechClass::Database => "database",
            TechClass::Queue => "queue",
            TechClass::Stream => "stream",
            TechClass::Cache => "cache",
            TechClass::Identity => "identity",
            TechClass::Cdn => "cdn",
            TechClass::LoadBalancer => "load_balancer",
            TechClass::Container => "container",
            TechClass::VirtualMachine => "virtual_machine",
            TechClass::WebServer => "web_server",
            TechClass::CiPipeline => "ci_pipeline",
            TechClass::SourceRepository => "source_repository",
            TechClass::PackageRegistry => "package_registry",
            TechClass::SecretStore => "secret_store",
            TechClass::KeyManagement => "key_management",
            TechClass::Logging => "logging",
            TechClass::Monitoring => "monitoring",
            TechClass::Firewall => "firewall",
            TechClass::Network => "network",
            TechClass::Dns => "dns",
            TechClass::Email => "email",
            TechClass::Notification => "notification",
            TechClass::Search => "search",
            TechClass::Workflow => "workflow",
            TechClass::PaymentProvider => "payment_provider",
            TechClass::Client => "client",
            TechClass::Analytics => "analytics",
            TechClass::MachineLearning => "machine_learning",
            TechClass::FileShare => "file_share",
        }
    }
}

/// One recognised technology.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Technology {
    /// Stable id used in JSON and in catalog rules, e.g. `aws-lambda`.
    pub id: &'static str,
    /// Human name, e.g. `AWS Lambda`.
    pub name: &'static str,
    pub class: TechClass,
    /// The DFD kind an element of this technology has when nothing more explicit says.
    pub kind: ElementKind,
    /// Lower-case words or phrases that name it in a label, matched on word boundaries.
    pub keywords: &'static [&'static str],
}

const P: ElementKind = ElementKind::Process;
const S: ElementKind = ElementKind::DataStore;
const E: ElementKind = ElementKind::ExternalEntity;

macro_rules! tech {
    ($id:literal, $name:literal, $class:ident, $kind:ident, [$($kw:literal),* $(,)?]) => {
        Technology { id: $id, name: $name, class: TechClass::$class, kind: $kind, keywords: &[$($kw),*] }
    };
}

/// Every technology, in a fixed order. Earlier rows win when several match a label.
pub static TECHNOLOGIES: &[Technology] = &[
    // AWS
    tech!("aws-lambda", "AWS Lambda", Function, P, ["lambda", "aws lambda", "lambda function"]),
    tech!(
        "aws-api-gateway",
        "Amazon API Gateway",
        ApiGateway,
        P,
        ["api gateway", "apigateway", "api gw", "apigw"]
    ),
    tech!("aws-s3", "Amazon S3", ObjectStorage, S, ["s3", "s3 bucket", "amazon s3"]),
    tech!("aws-dynamodb", "Amazon DynamoDB", Database, S, ["dynamodb", "dynamo db", "dynamo"]),
    tech!("aws-sqs", "Amazon SQS", Queue, S, ["sqs"]),
    tech!("aws-sns", "Amazon SNS", Notification, P, ["sns"]),
    tech!(
        "aws-eventbridge",
        "Amazon EventBridge",
        Stream,
        P,
        ["eventbridge", "event bridge", "cloudwatch events"]
    ),
    tech!("aws-kinesis", "Amazon Kinesis", Stream, S, ["kinesis", "firehose"]),
    tech!(
        "aws-step-functions",
        "AWS Step Functions",
        Workflow,
        P,
        ["step functions", "step function", "state machine"]
    ),
    tech!("aws-cognito", "Amazon Cognito", Identity, P, ["cognito", "user pool"]),
    tech!("aws-iam", "AWS IAM", Identity, P, ["iam"]),
    tech!("aws-cloudfront", "Amazon CloudFront", Cdn, P, ["cloudfront"]),
    tech!("aws-route53", "Amazon Route 53", Dns, P, ["route 53", "route53"]),
    tech!(
        "aws-elb",
        "Elastic Load Balancing",
        LoadBalancer,
        P,
        ["elb", "alb", "nlb", "application load balancer", "elastic load balancer"]
    ),
    tech!("aws-ec2", "Amazon EC2", VirtualMachine, P, ["ec2"]),
    tech!("aws-ecs", "Amazon ECS", Container, P, ["ecs", "fargate"]),
    tech!("aws-eks", "Amazon EKS", Container, P, ["eks"]),
    tech!("aws-rds", "Amazon RDS", Database, S, ["rds", "aurora"]),
    tech!("aws-elasticache", "Amazon ElastiCache", Cache, S, ["elasticache"]),
    tech!("aws-opensearch", "Amazon OpenSearch", Search, S, ["opensearch"]),
    tech!(
        "aws-secrets-manager",
        "AWS Secrets Manager",
        SecretStore,
        S,
        ["secrets manager", "secretsmanager"]
    ),
    tech!(
        "aws-ssm-parameter-store",
        "AWS SSM Parameter Store",
        SecretStore,
        S,
        ["parameter store", "ssm"]
    ),
    tech!("aws-kms", "AWS KMS", KeyManagement, P, ["kms"]),
    tech!("aws-waf", "AWS WAF", Firewall, P, ["waf", "aws waf"]),
    tech!("aws-cloudwatch", "Amazon CloudWatch", Logging, S, ["cloudwatch", "cloudwatch logs"]),
    tech!("aws-cloudtrail", "AWS CloudTrail", Logging, S, ["cloudtrail"]),
    tech!("aws-xray", "AWS X-Ray", Monitoring, P, ["x-ray", "xray"]),
    tech!("aws-ses", "Amazon SES", Email, P, ["ses"]),
    tech!("aws-appsync", "AWS AppSync", ApiGateway, P, ["appsync"]),
    tech!("aws-efs", "Amazon EFS", FileShare, S, ["efs"]),
    tech!("aws-ecr", "Amazon ECR", PackageRegistry, S, ["ecr"]),
    tech!("aws-codepipeline", "AWS CodePipeline", CiPipeline, P, ["codepipeline", "code pipeline"]),
    tech!("aws-codebuild", "AWS CodeBuild", CiPipeline, P, ["codebuild", "code build"]),
    tech!("aws-codecommit", "AWS CodeCommit", SourceRepository, S, ["codecommit"]),
    tech!("aws-vpc", "Amazon VPC", Network, P, ["vpc"]),
    tech!("aws-sagemaker", "Amazon SageMaker", MachineLearning, P, ["sagemaker"]),
    tech!("aws-athena", "Amazon Athena", Analytics, P, ["athena"]),
    tech!("aws-glue", "AWS Glue", Analytics, P, ["aws glue"]),
    tech!("aws-redshift", "Amazon Redshift", Database, S, ["redshift"]),
    tech!("aws-backup", "AWS Backup", ObjectStorage, S, ["aws backup"]),
    tech!("aws-amplify", "AWS Amplify", WebServer, P, ["amplify"]),
    tech!("aws-shield", "AWS Shield", Firewall, P, ["aws shield"]),
    tech!("aws-guardduty", "Amazon GuardDuty", Monitoring, P, ["guardduty"]),
    tech!("aws-mq", "Amazon MQ", Queue, S, ["amazon mq"]),
    tech!("aws-msk", "Amazon MSK", Stream, S, ["msk"]),
    tech!("aws-timestream", "Amazon Timestream", Database, S, ["timestream"]),
    tech!("aws-documentdb", "Amazon DocumentDB", Database, S, ["documentdb"]),
    tech!("aws-neptune", "Amazon Neptune", Database, S, ["neptune"]),
    tech!("aws-app-runner", "AWS App Runner", Container, P, ["app runner"]),
    tech!("aws-elastic-beanstalk", "AWS Elastic Beanstalk", WebServer, P, ["beanstalk"]),
    // Azure
    tech!(
        "azure-functions",
        "Azure Functions",
        Function,
        P,
        ["azure function", "azure functions", "function app"]
    ),
    tech!(
        "azure-api-management",
        "Azure API Management",
        ApiGateway,
        P,
        ["api management", "apim"]
    ),
    tech!(
        "azure-blob-storage",
        "Azure Blob Storage",
        ObjectStorage,
        S,
        ["blob storage", "azure blob", "blob"]
    ),
    tech!("azure-storage-account", "Azure Storage Account", ObjectStorage, S, ["storage account"]),
    tech!("azure-cosmos-db", "Azure Cosmos DB", Database, S, ["cosmos db", "cosmosdb", "cosmos"]),
    tech!("azure-sql", "Azure SQL Database", Database, S, ["azure sql", "azure sql database"]),
    tech!("azure-service-bus", "Azure Service Bus", Queue, S, ["service bus", "servicebus"]),
    tech!(
        "azure-event-hubs",
        "Azure Event Hubs",
        Stream,
        S,
        ["event hub", "event hubs", "eventhub"]
    ),
    tech!("azure-event-grid", "Azure Event Grid", Stream, P, ["event grid", "eventgrid"]),
    tech!("azure-key-vault", "Azure Key Vault", SecretStore, S, ["key vault", "keyvault"]),
    tech!(
        "azure-entra-id",
        "Microsoft Entra ID",
        Identity,
        P,
        ["entra", "azure ad", "azure active directory", "aad"]
    ),
    tech!("azure-app-service", "Azure App Service", WebServer, P, ["app service", "azure web app"]),
    tech!("azure-aks", "Azure Kubernetes Service", Container, P, ["aks"]),
    tech!("azure-front-door", "Azure Front Door", Cdn, P, ["front door", "frontdoor"]),
    tech!(
        "azure-application-gateway",
        "Azure Application Gateway",
        LoadBalancer,
        P,
        ["application gateway", "app gateway"]
    ),
    tech!("azure-vm", "Azure Virtual Machine", VirtualMachine, P, ["azure vm", "virtual machine"]),
    tech!(
        "azure-monitor",
        "Azure Monitor",
        Monitoring,
        S,
        ["azure monitor", "log analytics", "application insights", "app insights"]
    ),
    tech!("azure-logic-apps", "Azure Logic Apps", Workflow, P, ["logic app", "logic apps"]),
    tech!("azure-cache-redis", "Azure Cache for Redis", Cache, S, ["azure cache"]),
    tech!(
        "azure-devops",
        "Azure DevOps Pipelines",
        CiPipeline,
        P,
        ["azure devops", "azure pipelines"]
    ),
    tech!(
        "azure-container-registry",
        "Azure Container Registry",
        PackageRegistry,
        S,
        ["container registry", "acr"]
    ),
    tech!("azure-firewall", "Azure Firewall", Firewall, P, ["azure firewall"]),
    tech!(
        "azure-container-apps",
        "Azure Container Apps",
        Container,
        P,
        ["container apps", "container instances"]
    ),
    tech!("azure-cdn", "Azure CDN", Cdn, P, ["azure cdn"]),
    tech!("azure-files", "Azure Files", FileShare, S, ["azure files"]),
    tech!("azure-data-factory", "Azure Data Factory", Analytics, P, ["data factory"]),
    tech!("azure-synapse", "Azure Synapse", Analytics, S, ["synapse"]),
    tech!("azure-openai", "Azure OpenAI", MachineLearning, P, ["azure openai", "openai"]),
    tech!("azure-sentinel", "Microsoft Sentinel", Monitoring, P, ["microsoft sentinel"]),
    tech!("azure-dns", "Azure DNS", Dns, P, ["azure dns"]),
    // Google Cloud
    tech!(
        "gcp-cloud-functions",
        "Cloud Functions",
        Function,
        P,
        ["cloud function", "cloud functions", "gcf"]
    ),
    tech!("gcp-cloud-run", "Cloud Run", Container, P, ["cloud run"]),
    tech!("gcp-cloud-storage", "Cloud Storage", ObjectStorage, S, ["cloud storage", "gcs"]),
    tech!("gcp-firestore", "Firestore", Database, S, ["firestore"]),
    tech!("gcp-bigquery", "BigQuery", Database, S, ["bigquery"]),
    tech!("gcp-cloud-sql", "Cloud SQL", Database, S, ["cloud sql"]),
    tech!("gcp-spanner", "Cloud Spanner", Database, S, ["spanner"]),
    tech!("gcp-bigtable", "Bigtable", Database, S, ["bigtable"]),
    tech!("gcp-pubsub", "Pub/Sub", Queue, S, ["pub/sub", "pubsub", "pub sub"]),
    tech!(
        "gcp-api-gateway",
        "API Gateway (Google Cloud)",
        ApiGateway,
        P,
        ["apigee", "cloud endpoints"]
    ),
    tech!("gcp-gke", "Google Kubernetes Engine", Container, P, ["gke", "kubernetes engine"]),
    tech!("gcp-compute-engine", "Compute Engine", VirtualMachine, P, ["compute engine", "gce"]),
    tech!("gcp-app-engine", "App Engine", WebServer, P, ["app engine"]),
    tech!("gcp-memorystore", "Memorystore", Cache, S, ["memorystore"]),
    tech!("gcp-secret-manager", "Secret Manager", SecretStore, S, ["secret manager"]),
    tech!("gcp-cloud-kms", "Cloud KMS", KeyManagement, P, ["cloud kms"]),
    tech!("gcp-iam", "Cloud IAM", Identity, P, ["cloud iam", "identity platform", "firebase auth"]),
    tech!("gcp-cloud-build", "Cloud Build", CiPipeline, P, ["cloud build"]),
    tech!("gcp-artifact-registry", "Artifact Registry", PackageRegistry, S, ["artifact registry"]),
    tech!(
        "gcp-cloud-load-balancing",
        "Cloud Load Balancing",
        LoadBalancer,
        P,
        ["cloud load balancing"]
    ),
    tech!("gcp-cloud-cdn", "Cloud CDN", Cdn, P, ["cloud cdn"]),
    tech!("gcp-cloud-armor", "Cloud Armor", Firewall, P, ["cloud armor"]),
    tech!("gcp-cloud-logging", "Cloud Logging", Logging, S, ["cloud logging", "stackdriver"]),
    tech!("gcp-dataflow", "Dataflow", Analytics, P, ["dataflow"]),
    tech!("gcp-vertex-ai", "Vertex AI", MachineLearning, P, ["vertex ai"]),
    tech!("gcp-cloud-scheduler", "Cloud Scheduler", Workflow, P, ["cloud scheduler"]),
    tech!("gcp-workflows", "Workflows", Workflow, P, ["cloud workflows"]),
    tech!("gcp-cloud-dns", "Cloud DNS", Dns, P, ["cloud dns"]),
    tech!("gcp-firebase-hosting", "Firebase Hosting", WebServer, P, ["firebase hosting"]),
    // Platforms and products
    tech!("kubernetes", "Kubernetes", Container, P, ["kubernetes", "k8s", "kubelet"]),
    tech!("docker", "Docker", Container, P, ["docker"]),
    tech!("postgresql", "PostgreSQL", Database, S, ["postgres", "postgresql", "psql"]),
    tech!("mysql", "MySQL", Database, S, ["mysql", "mariadb"]),
    tech!("sql-server", "SQL Server", Database, S, ["sql server", "mssql"]),
    tech!("oracle-db", "Oracle Database", Database, S, ["oracle db", "oracle database"]),
    tech!("sqlite", "SQLite", Database, S, ["sqlite"]),
    tech!("mongodb", "MongoDB", Database, S, ["mongodb", "mongo"]),
    tech!("cassandra", "Cassandra", Database, S, ["cassandra"]),
    tech!("redis", "Redis", Cache, S, ["redis"]),
    tech!("memcached", "Memcached", Cache, S, ["memcached"]),
    tech!("elasticsearch", "Elasticsearch", Search, S, ["elasticsearch", "elastic search"]),
    tech!("kafka", "Apache Kafka", Stream, S, ["kafka"]),
    tech!("rabbitmq", "RabbitMQ", Queue, S, ["rabbitmq", "rabbit mq", "amqp broker"]),
    tech!("nginx", "nginx", WebServer, P, ["nginx"]),
    tech!("apache-httpd", "Apache HTTP Server", WebServer, P, ["apache", "httpd"]),
    tech!("haproxy", "HAProxy", LoadBalancer, P, ["haproxy", "load balancer"]),
    tech!("cloudflare", "Cloudflare", Cdn, P, ["cloudflare"]),
    tech!("cdn", "CDN", Cdn, P, ["cdn"]),
    tech!("vault", "HashiCorp Vault", SecretStore, S, ["vault"]),
    tech!("keycloak", "Keycloak", Identity, P, ["keycloak"]),
    tech!("auth0", "Auth0", Identity, E, ["auth0"]),
    tech!("okta", "Okta", Identity, E, ["okta"]),
    tech!("ldap", "LDAP / Active Directory", Identity, S, ["ldap", "active directory"]),
    tech!(
        "oauth-provider",
        "OAuth / OpenID Connect provider",
        Identity,
        E,
        ["oauth", "openid", "oidc", "identity provider", "idp", "sso"]
    ),
    tech!("github-actions", "GitHub Actions", CiPipeline, P, ["github actions", "gh actions"]),
    tech!("gitlab-ci", "GitLab CI", CiPipeline, P, ["gitlab ci", "gitlab-ci"]),
    tech!("jenkins", "Jenkins", CiPipeline, P, ["jenkins"]),
    tech!("circleci", "CircleCI", CiPipeline, P, ["circleci", "circle ci"]),
    tech!(
        "ci-pipeline",
        "CI/CD pipeline",
        CiPipeline,
        P,
        [
            "ci/cd",
            "cicd",
            "ci pipeline",
            "build pipeline",
            "deploy pipeline",
            "deployment pipeline",
            "pipeline"
        ]
    ),
    tech!("github", "GitHub", SourceRepository, E, ["github"]),
    tech!("gitlab", "GitLab", SourceRepository, E, ["gitlab"]),
    tech!(
        "git-repository",
        "Git repository",
        SourceRepository,
        S,
        ["git repo", "git repository", "source repository", "source code"]
    ),
    tech!("npm-registry", "npm registry", PackageRegistry, E, ["npm", "npmjs", "npm registry"]),
    tech!("pypi", "PyPI", PackageRegistry, E, ["pypi", "pip"]),
    tech!("maven-central", "Maven Central", PackageRegistry, E, ["maven central", "maven"]),
    tech!("crates-io", "crates.io", PackageRegistry, E, ["crates.io", "cargo registry"]),
    tech!("docker-hub", "Docker Hub", PackageRegistry, E, ["docker hub", "dockerhub"]),
    tech!(
        "package-registry",
        "Package registry",
        PackageRegistry,
        E,
        ["package registry", "public registry", "artifact repository", "nuget", "rubygems"]
    ),
    tech!("stripe", "Stripe", PaymentProvider, E, ["stripe"]),
    tech!("paypal", "PayPal", PaymentProvider, E, ["paypal"]),
    tech!("adyen", "Adyen", PaymentProvider, E, ["adyen"]),
    tech!(
        "payment-provider",
        "Payment provider",
        PaymentProvider,
        E,
        ["payment provider", "payment gateway", "psp", "payment service"]
    ),
    tech!("sendgrid", "SendGrid", Email, E, ["sendgrid"]),
    tech!("smtp", "SMTP mail server", Email, P, ["smtp", "mail server", "email server"]),
    tech!("twilio", "Twilio", Notification, E, ["twilio", "sms gateway"]),
    tech!(
        "browser",
        "Web browser",
        Client,
        E,
        ["browser", "web browser", "web client", "single page app"]
    ),
    tech!(
        "mobile-app",
        "Mobile app",
        Client,
        E,
        ["mobile app", "ios app", "android app", "mobile client"]
    ),
    tech!("splunk", "Splunk", Logging, S, ["splunk"]),
    tech!("datadog", "Datadog", Monitoring, E, ["datadog"]),
    tech!("prometheus", "Prometheus", Monitoring, P, ["prometheus"]),
    tech!("grafana", "Grafana", Monitoring, P, ["grafana"]),
    tech!(
        "s3-compatible",
        "S3-compatible object storage",
        ObjectStorage,
        S,
        ["minio", "object storage", "bucket"]
    ),
    tech!("sftp", "SFTP server", FileShare, S, ["sftp", "ftp server"]),
    tech!("firewall", "Firewall", Firewall, P, ["firewall"]),
    tech!("dns", "DNS", Dns, P, ["dns"]),
    tech!("node-js", "Node.js service", WebServer, P, ["node.js", "nodejs", "express.js"]),
    tech!("django", "Django", WebServer, P, ["django"]),
    tech!("flask", "Flask", WebServer, P, ["flask"]),
    tech!("spring", "Spring Boot", WebServer, P, ["spring boot"]),
    tech!("rails", "Ruby on Rails", WebServer, P, ["ruby on rails"]),
];

/// Looks up a technology by id.
pub fn technology(id: &str) -> Option<&'static Technology> {
    // Called for every rule evaluated on every element: an index instead of a scan of the table.
    static BY_ID: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    let by_id = BY_ID.get_or_init(|| {
        let mut by_id = HashMap::with_capacity(TECHNOLOGIES.len());
        for (row, tech) in TECHNOLOGIES.iter().enumerate() {
            // The first row with an id wins, as a scan would find it.
            by_id.entry(tech.id).or_insert(row);
        }
        by_id
    });
    by_id.get(id).map(|&row| &TECHNOLOGIES[row])
}

/// Technologies too generic to win over a specific one named in the same label
/// ("Receipts bucket (S3)" is Amazon S3, not generic object storage).
const GENERIC: &[&str] = &[
    "s3-compatible",
    "cdn",
    "ci-pipeline",
    "package-registry",
    "payment-provider",
    "git-repository",
    "firewall",
    "dns",
    "docker",
    "oauth-provider",
    "haproxy",
    "browser",
];

/// Keywords by their first word, built once: matching a label costs a hash look-up per word
/// instead of a scan of every keyword.
struct KeywordIndex {
    by_first_word: HashMap<&'static str, Vec<Keyword>>,
}

/// A keyword split into words, with the row of its technology.
type Keyword = (Vec<&'static str>, usize, &'static str);

fn keyword_index() -> &'static KeywordIndex {
    static INDEX: OnceLock<KeywordIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut by_first_word: HashMap<&'static str, Vec<_>> = HashMap::new();
        for (row, tech) in TECHNOLOGIES.iter().enumerate() {
            for &kw in tech.keywords {
                let words: Vec<&'static str> = kw.split(' ').filter(|w| !w.is_empty()).collect();
                if let Some(&first) = words.first() {
                    by_first_word.entry(first).or_default().push((words, row, kw));
                }
            }
        }
        KeywordIndex { by_first_word }
    })
}

/// Finds the technology a label names, if any: keywords match whole words (a plural `s` allowed
/// on the last word); a specific technology beats a generic one, then the longest keyword wins,
/// then the earlier row. Returns the technology and the keyword that matched.
pub fn technology_in_label(label: &str) -> Option<(&'static Technology, &'static str)> {
    let normalized = normalize(label);
    let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return None;
    }
    // Also try the pieces of words joined by `/`, `-` or `.` ("Orders/Lambda").
    let pieces: Vec<&str> =
        words.iter().flat_map(|w| w.split(['/', '-', '.'])).filter(|w| !w.is_empty()).collect();
    let index = keyword_index();
    let mut best: Option<(usize, &'static str)> = None;
    let rank = |row: usize, kw: &str| {
        (!GENERIC.contains(&TECHNOLOGIES[row].id), kw.len(), usize::MAX - row)
    };
    for sequence in [&words, &pieces] {
        for (at, word) in sequence.iter().enumerate() {
            let singular = word.strip_suffix('s');
            for key in std::iter::once(*word).chain(singular) {
                let Some(candidates) = index.by_first_word.get(key) else { continue };
                for (kw_words, row, kw) in candidates {
                    if matches_at(sequence, at, kw_words)
                        && best.is_none_or(|(r, b)| rank(*row, kw) > rank(r, b))
                    {
                        best = Some((*row, kw));
                    }
                }
            }
        }
    }
    best.map(|(row, kw)| (&TECHNOLOGIES[row], kw))
}

/// Whether `keyword` matches the words at `at`, the last one possibly plural.
fn matches_at(words: &[&str], at: usize, keyword: &[&str]) -> bool {
    let Some(window) = words.get(at..at + keyword.len()) else { return false };
    window
        .iter()
        .zip(keyword)
        .enumerate()
        .all(|(i, (w, k))| *w == *k || (i + 1 == keyword.len() && w.strip_suffix('s') == Some(*k)))
}

/// Lower-cases and turns every separator into one space, keeping `.`, `/` and `-` inside words
/// (`crates.io`, `pub/sub`, `ci/cd`, `x-ray`).
fn normalize(label: &str) -> String {
    let mut out = String::with_capacity(label.len() + 2);
    for c in label.chars().flat_map(char::to_lowercase) {
        let keep = c.is_alphanumeric() || c == '.' || c == '/' || c == '-';
        if keep {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    // Sentence punctuation at the end of a word is not part of it ("uses S3.").
    out.split(' ').map(|w| w.trim_matches(['.', '/', '-'])).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_keywords_lower_case() {
        let mut seen = HashSet::new();
        for t in TECHNOLOGIES {
            assert!(seen.insert(t.id), "duplicate technology id {}", t.id);
            for kw in t.keywords {
                assert_eq!(*kw, kw.to_lowercase(), "{}", t.id);
            }
        }
    }

    #[test]
    fn finds_technologies_in_labels() {
        let id = |l: &str| technology_in_label(l).map(|(t, _)| t.id);
        assert_eq!(id("Orders Lambda"), Some("aws-lambda"));
        assert_eq!(id("API Gateway (REST)"), Some("aws-api-gateway"));
        assert_eq!(id("Receipts S3 bucket"), Some("aws-s3"));
        assert_eq!(id("orders\nDynamoDB"), Some("aws-dynamodb"));
        assert_eq!(id("Postgres DB"), Some("postgresql"));
        assert_eq!(id("Lambdas"), Some("aws-lambda"));
        assert_eq!(id("Publish to npm registry"), Some("npm-registry"));
        assert_eq!(id("Pub/Sub topic"), Some("gcp-pubsub"));
        assert_eq!(id("Customer"), None);
        assert_eq!(id("Messages"), None, "`ses` must not match inside a word");
        assert_eq!(id("Reddish"), None);
        assert_eq!(id("Receipts bucket (S3)"), Some("aws-s3"), "specific beats generic");
        assert_eq!(id("orders/lambda"), Some("aws-lambda"));
        assert_eq!(id("Stored in S3."), Some("aws-s3"));
        assert_eq!(id("crates.io mirror"), Some("crates-io"));
    }
}
