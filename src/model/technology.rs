//! The technologies the tool recognises, as one data table: `knowledge/technologies.toml`, plus
//! the rows of a user's `--knowledge` files (see [`crate::knowledge`]).
//!
//! Importers map what they see (a word in a DOT label, a draw.io icon) to a technology id here;
//! catalog rules match on the id (`aws-s3`) or its class (`object_storage`). Adding a technology is
//! one row of that file.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::ElementKind;

/// What a technology is, for rules that care about the role rather than the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// A language model: a model API (OpenAI, Anthropic), a managed one (Bedrock, Azure OpenAI) or
    /// a model server the team runs (Ollama, vLLM). Apart from `machine_learning` because prompts,
    /// tokens and generated text have threats of their own (`catalog/language-model.toml`).
    LanguageModel,
    FileShare,
}

impl TechClass {
    /// Whether an element of this class passes other parties' traffic on (a CDN, a load
    /// balancer, a network gateway, a firewall) rather than starting or answering exchanges.
    pub fn forwards_traffic(self) -> bool {
        matches!(
            self,
            TechClass::Cdn | TechClass::LoadBalancer | TechClass::Network | TechClass::Firewall
        )
    }

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
            TechClass::LanguageModel => "language_model",
            TechClass::FileShare => "file_share",
        }
    }
}

/// One recognised technology: a `[[technology]]` row of `knowledge/technologies.toml` or of a
/// user's `--knowledge` file.
///
/// The fields own their text: the table is data read at run time, and the rows in force live in
/// a `'static` [`Knowledge`](crate::knowledge::Knowledge), so callers still get
/// `&'static Technology` without leaking anything.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Technology {
    /// Stable id used in JSON and in catalog rules, e.g. `aws-lambda`.
    pub id: String,
    /// Human name, e.g. `AWS Lambda`.
    pub name: String,
    pub class: TechClass,
    /// The DFD kind an element of this technology has when nothing more explicit says.
    pub kind: ElementKind,
    /// Lower-case words or phrases that name it in a label, matched on word boundaries.
    pub keywords: Vec<String>,
    /// Too generic to win over a specific technology named in the same label ("Receipts bucket
    /// (S3)" is Amazon S3, not generic object storage).
    #[serde(default)]
    pub generic: bool,
    /// Names where things run, not what they are (Kubernetes): a draw.io icon of it yields to a
    /// technology its caption names (`Firebase Authentication` under Kubernetes' API icon).
    #[serde(default)]
    pub platform: bool,
    /// Whether its endpoints speak only TLS, or its SDKs and clients use TLS unless someone turns
    /// it off: a flow with no protocol declared is then not cleartext to the rules that ask.
    #[serde(default)]
    pub tls: TransportSecurity,
    /// The service accepts only requests its provider's identity system authenticated
    /// (IAM-signed calls to DynamoDB or S3, a cloud registry): no caller reaches it anonymously.
    #[serde(default)]
    pub provider_authenticates: bool,
    /// A generic technology's product on a diagram whose cloud services are mostly one
    /// provider's, by provider (the part of a technology id before its first `-`): "API Gateway"
    /// beside Lambda functions is Amazon API Gateway, beside an Express app any gateway.
    #[serde(default)]
    pub in_cloud: BTreeMap<String, String>,
}

/// How a technology's endpoints are reached, for the rules about cleartext flows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportSecurity {
    /// Nothing known: a self-hosted server speaks whatever it was configured to.
    #[default]
    Unknown,
    /// The provider's SDKs and clients use TLS unless someone turns it off (DynamoDB, S3, SQS).
    ByDefault,
    /// Every endpoint refuses cleartext (API Gateway, a payment provider's API, a hosted
    /// registry): no one can turn it off.
    Only,
}

/// The technology table in force, with the indexes that make look-ups cheap.
#[derive(Debug, Default)]
pub struct Technologies {
    /// In table order: earlier rows win ties.
    rows: Vec<Technology>,
    /// Called for every rule evaluated on every element: an index instead of a scan of the table.
    by_id: HashMap<String, usize>,
    /// Keywords by their first word: matching a label costs a hash look-up per word instead of a
    /// scan of every keyword.
    by_first_word: HashMap<String, Vec<Keyword>>,
}

/// A keyword split into words, the row of its technology, and its place in that row's keywords.
type Keyword = (Vec<String>, usize, usize);

impl Technologies {
    /// Indexes `rows`, kept in their order.
    pub fn new(rows: Vec<Technology>) -> Self {
        let mut by_id = HashMap::with_capacity(rows.len());
        let mut by_first_word: HashMap<String, Vec<Keyword>> = HashMap::new();
        for (row, tech) in rows.iter().enumerate() {
            // The first row with an id wins, as a scan would find it.
            by_id.entry(tech.id.clone()).or_insert(row);
            for (at, kw) in tech.keywords.iter().enumerate() {
                let words: Vec<String> =
                    kw.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect();
                if let Some(first) = words.first() {
                    by_first_word.entry(first.clone()).or_default().push((words, row, at));
                }
            }
        }
        Technologies { rows, by_id, by_first_word }
    }

    /// Every technology, in table order.
    pub fn rows(&self) -> &[Technology] {
        &self.rows
    }

    /// Looks up a technology by id.
    pub fn get(&self, id: &str) -> Option<&Technology> {
        self.by_id.get(id).map(|&row| &self.rows[row])
    }

    /// Finds the technology a label names, if any: keywords match whole words (a plural `s`
    /// allowed on the last word); a specific technology beats a generic one, then the longest
    /// keyword wins, then the earlier row. Returns the technology and the keyword that matched.
    pub fn in_label(&self, label: &str) -> Option<(&Technology, &str)> {
        let normalized = normalize(label);
        let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return None;
        }
        // Also try the pieces of words joined by `/`, `-` or `.` ("Orders/Lambda").
        let pieces: Vec<&str> =
            words.iter().flat_map(|w| w.split(['/', '-', '.'])).filter(|w| !w.is_empty()).collect();
        let keyword = |row: usize, at: usize| self.rows[row].keywords[at].as_str();
        let rank = |row: usize, at: usize| {
            (!self.rows[row].generic, keyword(row, at).len(), usize::MAX - row)
        };
        let mut best: Option<(usize, usize)> = None;
        for sequence in [&words, &pieces] {
            for (at, word) in sequence.iter().enumerate() {
                let singular = word.strip_suffix('s');
                for key in std::iter::once(*word).chain(singular) {
                    let Some(candidates) = self.by_first_word.get(key) else { continue };
                    for (kw_words, row, kw) in candidates {
                        if matches_at(sequence, at, kw_words)
                            && best.is_none_or(|(r, k)| rank(*row, *kw) > rank(r, k))
                        {
                            best = Some((*row, *kw));
                        }
                    }
                }
            }
        }
        let (row, kw) = best?;
        if self.offered_as_alternatives(&words, row) {
            return None;
        }
        Some((&self.rows[row], keyword(row, kw)))
    }

    /// Whether the label offers `row`'s product as one of several of different kinds joined by
    /// `/` (`Provider (Stripe/GitHub)`: a payment provider or a source host, whichever the
    /// reader has): naming either would give the element the other's threats, so it is named
    /// by none. Alternatives of one class (`Okta/Auth0`) still name one, by the usual ranking.
    fn offered_as_alternatives(&self, words: &[&str], row: usize) -> bool {
        let chosen = &self.rows[row];
        if chosen.generic {
            return false;
        }
        let products = |word: &str| -> Vec<usize> {
            word.split('/')
                .filter_map(|piece| {
                    std::iter::once(piece).chain(piece.strip_suffix('s')).find_map(|key| {
                        self.by_first_word.get(key)?.iter().find_map(|(kw_words, r, _)| {
                            (kw_words.len() == 1 && !self.rows[*r].generic).then_some(*r)
                        })
                    })
                })
                .collect()
        };
        words.iter().filter(|w| w.contains('/')).map(|w| products(w)).any(|found| {
            found.contains(&row) && found.iter().any(|&r| self.rows[r].class != chosen.class)
        })
    }
}

/// Every technology in force, in table order (see [`crate::knowledge`]).
pub fn technologies() -> &'static [Technology] {
    crate::knowledge::current().technologies.rows()
}

/// Looks up a technology by id.
pub fn technology(id: &str) -> Option<&'static Technology> {
    crate::knowledge::current().technologies.get(id)
}

/// Finds the technology a label names, if any (see [`Technologies::in_label`]).
pub fn technology_in_label(label: &str) -> Option<(&'static Technology, &'static str)> {
    crate::knowledge::current().technologies.in_label(label)
}

/// Whether `keyword` matches the words at `at`, the last one possibly plural.
fn matches_at(words: &[&str], at: usize, keyword: &[String]) -> bool {
    let Some(window) = words.get(at..at + keyword.len()) else { return false };
    window.iter().zip(keyword).enumerate().all(|(i, (w, k))| {
        *w == k.as_str() || (i + 1 == keyword.len() && w.strip_suffix('s') == Some(k.as_str()))
    })
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

    #[test]
    fn finds_technologies_in_labels() {
        let id = |l: &str| technology_in_label(l).map(|(t, _)| t.id.as_str());
        assert_eq!(id("Orders Lambda"), Some("aws-lambda"));
        assert_eq!(id("API Gateway (REST)"), Some("api-gateway"), "a role word: its cloud decides");
        assert_eq!(id("Amazon API Gateway"), Some("aws-api-gateway"));
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
        // Products of different kinds offered as alternatives name none; of one kind, the first.
        assert_eq!(id("Provider (Stripe/GitHub)"), None);
        assert_eq!(id("Identity provider (Okta/Auth0)"), Some("auth0"));
        assert_eq!(id("Stored in S3."), Some("aws-s3"));
        assert_eq!(id("crates.io mirror"), Some("crates-io"));
        assert_eq!(id("Cloudflare R2 private"), Some("cloudflare-r2"));
        assert_eq!(id("Replica R2"), None, "R2 alone is no product");
        // Regional payment providers are outside parties like Stripe: a callback from one is a
        // provider's webhook (IDN-004), its API no process of the system.
        assert_eq!(id("Vipps Callback"), Some("vipps"));
        assert_eq!(id("Razorpay API"), Some("razorpay"));
        assert_eq!(id("Mercado Pago checkout"), Some("mercado-pago"));
        // The team's own "Payment Service" is its microservice; a payment service provider is
        // an outside party.
        assert_eq!(id("Payment Service"), None);
        assert_eq!(id("Payment service provider"), Some("payment-provider"));
        // A mail server named by its protocol yields to the hosted mailbox named beside it; a
        // mail API named by what it does is a provider's; LangChain's chat classes name theirs.
        assert_eq!(id("SMTP (Gmail / O365)"), Some("gmail"));
        assert_eq!(id("SMTP server"), Some("smtp"));
        assert_eq!(id("Exchange Online"), Some("microsoft-365-mail"));
        assert_eq!(id("Correo transaccional"), Some("transactional-email"));
        assert_eq!(id("Transactional email (SES)"), Some("aws-ses"), "the product decides");
        assert_eq!(id("ChatGroq Llama 3.3 70B"), Some("groq-api"));
        assert_eq!(id("LLM (ChatOpenAI)"), Some("openai-api"));
        assert_eq!(id("AzureChatOpenAI"), Some("azure-openai"));
        // Vertex AI is where a Google Cloud app prompts Gemini, as Bedrock is on AWS.
        assert_eq!(
            technology("gcp-vertex-ai").map(|t| t.class),
            Some(crate::model::TechClass::LanguageModel)
        );
        // A proxy in front of a database and the alarms of a monitoring service act on what
        // passes; the database and the service keep it.
        let kind = |l: &str| technology_in_label(l).map(|(t, _)| t.kind);
        assert_eq!(id("RDS Proxy"), Some("aws-rds-proxy"));
        assert_eq!(kind("RDS Proxy"), Some(crate::model::ElementKind::Process));
        assert_eq!(kind("CloudWatch Alarms"), Some(crate::model::ElementKind::Process));
        assert_eq!(kind("Azure Monitor Alerts"), Some(crate::model::ElementKind::Process));
        assert_eq!(kind("CloudWatch Logs"), Some(crate::model::ElementKind::DataStore));
        assert_eq!(kind("Aurora"), Some(crate::model::ElementKind::DataStore));
        // A static site is served like a CDN; an uptime monitor is someone else's probe.
        assert_eq!(id("Static web app\nHTML, JS, CSS"), Some("static-site"));
        assert_eq!(id("Spring Cloud Gateway (Entrypoint)"), Some("self-hosted-api-gateway"));
        assert_eq!(id("Uptime monitor\nGET /health every 5 min"), Some("uptime-monitor"));
        assert_eq!(id("Static site (CloudFront)"), Some("aws-cloudfront"), "specific wins");
        assert_eq!(
            technology("vipps").map(|t| t.kind),
            Some(crate::model::ElementKind::ExternalEntity)
        );
        // Network gear forwards packets: routers, VPN gateways. A bare "switch" may be a
        // payment switch.
        assert_eq!(id("Edge router"), Some("router"));
        assert_eq!(id("vpn"), Some("vpn-gateway"));
        assert_eq!(id("Core switch"), Some("router"));
        assert_eq!(id("Card payment switch"), None);
        // A pipeline of data or of a model's steps is no CI/CD pipeline; a build pipeline is.
        assert_eq!(id("Data pipeline"), None);
        assert_eq!(id("Safety Pipeline Orchestrator"), None);
        assert_eq!(id("Build pipeline"), Some("ci-pipeline"));
        // The team's dashboards on AWS are its own managed service, like Athena behind them.
        assert_eq!(id("Amazon QuickSight"), Some("aws-quicksight"));
        assert_eq!(kind("QuickSight dashboards"), Some(crate::model::ElementKind::Process));
    }
}
