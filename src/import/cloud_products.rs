//! Role words that name a cloud's product on that cloud's diagrams, given after any reader.
//!
//! "API Gateway" drawn beside Lambda functions and a DynamoDB table is Amazon API Gateway, with
//! its HTTPS-only endpoints and its authorizers; drawn beside an Express app and a Keycloak
//! server it is whatever gateway the team runs. A label alone cannot tell, the diagram can: a
//! generic technology with `in_cloud` products (`knowledge/technologies.toml`) becomes the
//! product of the provider most of the diagram's cloud services belong to, and stays generic on
//! a diagram of no cloud or of several in equal measure. A technology the author declared
//! (`technology=api-gateway`) is kept as written.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{technology, Diagram};

/// Resolves every undeclared generic technology of `diagram` to its cloud's product, saying so
/// in the element's `inferred_from`.
pub fn resolve(diagram: &mut Diagram) {
    let Some(provider) = main_provider(diagram) else { return };
    for element in diagram.graph.node_weights_mut() {
        if element.attributes.contains_key("technology") {
            continue;
        }
        let Some(generic) = element.tech().filter(|t| t.generic) else { continue };
        let Some(product) = generic.in_cloud.get(&provider).and_then(|id| technology(id)) else {
            continue;
        };
        element.inferred_from.push_str(&format!(
            " ({}: the diagram's cloud services are mostly {}'s)",
            product.name,
            provider_name(&provider)
        ));
        element.technology = Some(product.id.clone());
    }
}

/// The provider (`aws`, `azure`, `gcp`: the first part of a technology id) that more of the
/// diagram's specific technologies belong to than to all other providers together, two at
/// least; none when no element runs on a cloud that a generic technology names a product of.
fn main_provider(diagram: &Diagram) -> Option<String> {
    // Only providers some generic technology names a product of are clouds here (a
    // `postgresql-...` id is no provider).
    let providers: BTreeSet<&str> = crate::model::technologies()
        .iter()
        .flat_map(|t| t.in_cloud.keys().map(String::as_str))
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, element) in diagram.elements() {
        let Some(tech) = element.tech().filter(|t| !t.generic) else { continue };
        if let Some((provider, _)) = tech.id.split_once('-') {
            if let Some(&provider) = providers.get(provider) {
                *counts.entry(provider).or_default() += 1;
            }
        }
    }
    let total: usize = counts.values().sum();
    let (provider, most) = counts.into_iter().max_by_key(|&(p, n)| (n, std::cmp::Reverse(p)))?;
    // One service alone says little: "S3" names many a compatible store, a lone key service
    // may be all a system borrows from a cloud.
    (most >= 2 && most * 2 > total).then(|| provider.to_string())
}

/// The provider's name as people write it.
fn provider_name(provider: &str) -> &str {
    match provider {
        "aws" => "AWS",
        "azure" => "Azure",
        "gcp" => "Google Cloud",
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::import::{import, ImportOptions};

    fn technologies_of(dot: &str) -> Vec<(String, String)> {
        let doc = import("t.dot", dot.as_bytes(), &ImportOptions::default()).unwrap();
        let d = &doc.diagrams[0];
        d.elements()
            .map(|(_, e)| (e.label.clone(), e.technology.clone().unwrap_or_default()))
            .collect()
    }

    fn technology_of(dot: &str, label: &str) -> String {
        let all = technologies_of(dot);
        all.into_iter().find(|(l, _)| l == label).map(|(_, t)| t).unwrap()
    }

    #[test]
    fn a_gateway_beside_aws_services_is_amazons() {
        let dot = r#"digraph g { gw [label="API Gateway"]; fn [label="Orders Lambda"];
            db [label="Orders DynamoDB"]; gw -> fn -> db; }"#;
        assert_eq!(technology_of(dot, "API Gateway"), "aws-api-gateway");
        let doc = import("t.dot", dot.as_bytes(), &ImportOptions::default()).unwrap();
        let gw = doc.diagrams[0].elements().find(|(_, e)| e.label == "API Gateway").unwrap().1;
        assert!(gw.inferred_from.contains("mostly AWS's"), "{}", gw.inferred_from);
    }

    #[test]
    fn a_gateway_of_no_cloud_stays_generic() {
        let dot = r#"digraph g { gw [label="API Gateway"]; app [label="Node.js app"];
            db [label="PostgreSQL"]; gw -> app -> db; }"#;
        assert_eq!(technology_of(dot, "API Gateway"), "api-gateway");
    }

    #[test]
    fn the_provider_must_hold_most_of_the_clouds_services() {
        // Two AWS services and two Azure ones: neither is the diagram's cloud.
        let even = r#"digraph g { gw [label="API Gateway"]; fn [label="Lambda"];
            db [label="DynamoDB"]; kv [label="Key Vault"]; sb [label="Service Bus"];
            gw -> fn -> db; fn -> kv; fn -> sb; }"#;
        assert_eq!(technology_of(even, "API Gateway"), "api-gateway");
        // Sign-in through Entra ID does not make an AWS system Azure's.
        let mostly = r#"digraph g { gw [label="API Gateway"]; fn [label="Lambda"];
            db [label="DynamoDB"]; id [label="Entra ID"]; id -> gw -> fn -> db; }"#;
        assert_eq!(technology_of(mostly, "API Gateway"), "aws-api-gateway");
        let azure = r#"digraph g { vm [label="Virtual Machine"]; kv [label="Key Vault"];
            sb [label="Service Bus"]; vm -> kv; vm -> sb; }"#;
        assert_eq!(technology_of(azure, "Virtual Machine"), "azure-vm");
    }

    #[test]
    fn one_cloud_service_is_not_a_cloud() {
        let dot = r#"digraph g { gw [label="API Gateway"]; app [label="App"];
            files [label="S3"]; gw -> app -> files; }"#;
        assert_eq!(technology_of(dot, "API Gateway"), "api-gateway");
    }

    #[test]
    fn a_declared_technology_is_kept() {
        let dot = r#"digraph g { gw [label="Gateway", technology="api-gateway"];
            fn [label="Lambda"]; db [label="DynamoDB"]; gw -> fn -> db; }"#;
        assert_eq!(technology_of(dot, "Gateway"), "api-gateway");
    }

    #[test]
    fn a_specific_product_is_kept() {
        let dot = r#"digraph g { gw [label="Kong API Gateway"]; fn [label="Lambda"];
            db [label="DynamoDB"]; gw -> fn -> db; }"#;
        assert_eq!(technology_of(dot, "Kong API Gateway"), "self-hosted-api-gateway");
    }
}
