//! Inference shared by every importer: what an element is from its attributes and label, which
//! technology a label names, and what a boundary's label or attributes say about trust.
//!
//! Each function answers with the reason, which ends up in `inferred_from` so that users can see
//! (and correct) what the tool assumed.

use crate::import::text::prefix_within;
use crate::model::kind_reason::{deciding_signal, KindSignal};
use crate::model::{technology, vocabulary, Attributes, ElementKind, Technology, TrustDeclaration};

/// Attribute names people use to state an element's kind explicitly.
const KIND_ATTRIBUTES: &[&str] = &["kind", "type", "dfd", "dfd_type", "element", "stereotype"];

/// The kind stated by an explicit attribute (`kind=store`, `type=actor`, `dfd=process`...).
pub fn kind_from_attributes(attributes: &Attributes) -> Option<(ElementKind, String)> {
    KIND_ATTRIBUTES.iter().find_map(|&name| {
        let value = attributes.get(name)?;
        let kind = ElementKind::from_word(value)?;
        Some((kind, format!("{name}={value}")))
    })
}

/// The kind a label states: `(External Entity)`, `[process]`, `<<datastore>>`, or a Gane-Sarson
/// prefix such as `E1:`, `P2.1:`, `D3 -`.
pub fn kind_from_label(label: &str) -> Option<(ElementKind, String)> {
    let trimmed = label.trim();
    if let Some(kind) = gane_sarson_prefix(trimmed) {
        let prefix: String =
            trimmed.chars().take_while(|c| !matches!(c, ':' | '-') && !c.is_whitespace()).collect();
        return Some((kind, format!("label prefix \"{prefix}:\"")));
    }
    // A network device's brackets say where it sits ("Firewall (External)"), not its kind.
    let brackets: &[(&str, &str)] = if vocabulary::names_placed_device(trimmed) {
        &[]
    } else {
        &[("(", ")"), ("[", "]"), ("«", "»")]
    };
    for &(open, close) in brackets {
        for inner in enclosed(trimmed, open, close) {
            if let Some(kind) = ElementKind::from_word(inner) {
                return Some((kind, format!("label \"{open}{inner}{close}\"")));
            }
        }
    }
    for inner in enclosed(trimmed, "<<", ">>").take(1) {
        if let Some(kind) = ElementKind::from_word(inner) {
            return Some((kind, format!("label \"<<{}>>\"", inner.to_lowercase())));
        }
    }
    None
}

/// The longest text inside brackets that can name a kind (`External Entity` with some slack);
/// looking no further keeps labels full of unclosed brackets linear.
const MAX_HINT_BYTES: usize = 40;

/// The text between each `open` and the first `close` after it (within [`MAX_HINT_BYTES`]), as
/// slices of `text` itself.
///
/// Indexes are found in, and used on, the same string: lower-casing first and slicing the
/// original with the lower-case copy's indexes panics when case folding changes byte lengths
/// (`İ` is 2 bytes, its lower case 3). [`ElementKind::from_word`] folds case itself.
fn enclosed<'a>(text: &'a str, open: &'a str, close: &'a str) -> impl Iterator<Item = &'a str> {
    text.match_indices(open).filter_map(move |(start, _)| {
        let inner = text.get(start + open.len()..)?;
        let window = prefix_within(inner, MAX_HINT_BYTES + close.len());
        window.find(close).and_then(|end| inner.get(..end))
    })
}

/// `E1:`, `EE2:`, `P1:`, `P1.2:`, `D3:`, `DS1:` at the start of a label, or the same id on a
/// line of its own above the name (`D1` / `Polls`, `E1` / `Admin`).
fn gane_sarson_prefix(label: &str) -> Option<ElementKind> {
    let letters: String = label.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let kind = match letters.as_str() {
        "E" | "EE" => ElementKind::ExternalEntity,
        "P" => ElementKind::Process,
        "D" | "DS" => ElementKind::DataStore,
        _ => return None,
    };
    let rest = &label[letters.len()..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let after = rest[digits.len()..].trim_start();
    (after.starts_with(':')
        || after.starts_with(" -")
        || after.starts_with('-')
        || rest[digits.len()..].starts_with(char::is_whitespace))
    .then_some(kind)
}

/// The kind a short label's own noun names (`knowledge/labels.toml`): "Orders table" is a store,
/// "Admin user" an external entity, "Database service" a process. Weaker than a declaration, a
/// technology, an icon or a drawing notation; stronger than a page-wide guess.
pub fn kind_from_label_noun(label: &str) -> Option<(ElementKind, String)> {
    if is_process_number(label) {
        return Some((
            ElementKind::Process,
            format!("label \"{}\" is a process number", label.trim()),
        ));
    }
    let named = |ending: &str| match ending {
        "/" => "a folder path".to_string(),
        _ => format!("a file name ending {ending}"),
    };
    if let Some((noun, ending)) = vocabulary::file_kind(label) {
        return Some((noun_element_kind(noun), format!("label is {}", named(&ending))));
    }
    // A file name heading the label names the thing; the lines under it say what it does
    // ("src/exchange_client.py" over "REST client (JWT)" is a program, not a client).
    if let Some((noun, ending)) = vocabulary::file_kind(&vocabulary::headline(label)) {
        return Some((noun_element_kind(noun), format!("headline is {}", named(&ending))));
    }
    // A route of a web API is the team's code that serves it, whatever people or parties its
    // segments name ("GET /api/users", "/v1/partners").
    if vocabulary::is_url_route(label) {
        return Some((ElementKind::Process, "headline is a URL route".to_string()));
    }
    // A levelled DFD number (`3.0`, `1.2`, `2.3.1`: digits after the dot) is only ever a
    // process's, so it decides over a noun its name starts with as a verb ("3.0 Store & Publish
    // Event"). A bare `2.` numbers the steps of other drawings too, and stays weaker below.
    if let Some(number) = leading_process_number(label).filter(|n| is_levelled(n)) {
        return Some((
            ElementKind::Process,
            format!("label starts with process number \"{number}\""),
        ));
    }
    let noun = vocabulary::noun_kind(label);
    // A DFD names its processes by what they do ("Manage Employee Information", "Managing
    // Vehicles"): the verb decides over the person or thing it is done to, not over a store's
    // noun ("Search index" is an index).
    if !matches!(noun, Some((vocabulary::NounKind::Store, _))) {
        if let Some(verb) = vocabulary::leading_process_verb(label) {
            return Some((ElementKind::Process, format!("label verb \"{verb}\"")));
        }
    }
    // Only a DFD's processes carry numbers before their names ("2. Booking a Bus", "1.0" / "Manage
    // Polls"; stores and entities carry letters: D1, E1). Weaker than a noun: numbered steps of
    // other drawings name whatever they number.
    let Some((noun, word)) = noun else {
        return leading_process_number(label).map(|number| {
            (ElementKind::Process, format!("label starts with process number \"{number}\""))
        });
    };
    Some((noun_element_kind(noun), format!("label noun \"{word}\"")))
}

/// Whether a process number is a levelled DFD one: digits on both sides of a dot (`1.0`, `3.1.2`).
fn is_levelled(number: &str) -> bool {
    let number = number.trim_end_matches('.');
    number.contains('.') && number.split('.').all(|part| !part.is_empty())
}

/// The process number a label starts with, followed by its name: `2.` in "2. Booking a Bus",
/// `1.0` in "1.0" / "Manage Polls". A dot is required (`2.`, `1.0`, `3.1.2`): a bare `2` before
/// a name is a step marker or part of it ("3 replicas").
fn leading_process_number(label: &str) -> Option<String> {
    let trimmed = label.trim_start();
    let number: String = trimmed.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let rest = &trimmed[number.len()..];
    let named = rest.starts_with(char::is_whitespace) && rest.chars().any(char::is_alphabetic);
    (number.contains('.') && number.starts_with(|c: char| c.is_ascii_digit()) && named)
        .then_some(number)
}

fn noun_element_kind(noun: vocabulary::NounKind) -> ElementKind {
    match noun {
        vocabulary::NounKind::Store => ElementKind::DataStore,
        vocabulary::NounKind::Process => ElementKind::Process,
        vocabulary::NounKind::Actor => ElementKind::ExternalEntity,
    }
}

/// Whether a technology named only in the lines or asides under a label's headline is not what
/// the element is, because the headline's own noun names another kind. "Desktop Agent (OS +
/// browser telemetry collector)" and a C4 card "Single-Page Application / JavaScript and Angular
/// / Provides … via their web browser" are the system's own programs: the browser is where they
/// run or whom they serve. "Environment Variables / Secrets" over "JWT secret, Ollama URL, model
/// config" is a store that holds the model server's address, not the model server. Words in a
/// description do not decide (issue 10's third class). A person's noun in the headline does not
/// overturn the technology: "Admin" over "Django admin site" names the site by whom it serves.
fn headline_names_another_kind(label: &str, technology: &Technology) -> bool {
    let headline = vocabulary::headline(label);
    if headline.trim() == label.trim()
        || technology_in_label(&headline).is_some_and(|(t, _)| t.id == technology.id)
    {
        return false;
    }
    kind_from_label_noun(&headline).is_some_and(|(kind, _)| match kind {
        ElementKind::Process => technology.kind != ElementKind::Process,
        // A store's headline over a program ("Secrets" over "Ollama URL") holds its settings;
        // over an outside service ("Source repo (GitHub)") it is hosted there: the product stays.
        ElementKind::DataStore => technology.kind == ElementKind::Process,
        ElementKind::ExternalEntity => false,
    })
}

/// The kind a technology named in a label gives an element, unless a generic role word stands
/// before the label's own noun ([`generic_role_before_noun`]). Both readers decide through here,
/// so a DOT node and a draw.io box with the same label get the same kind.
pub fn kind_from_technology(
    label: &str,
    technology: &Technology,
    why: String,
) -> (ElementKind, String) {
    generic_role_before_noun(label, technology)
        .or_else(|| code_for_a_product(label, technology))
        .unwrap_or((technology.kind, why))
}

/// Nouns of code the team builds into its own program: named after the outside product it talks
/// to ("GitHub API Toolkit", "Stripe SDK", "Slack connector"), it is still the team's code.
const CODE_NOUNS: &[&str] = &[
    "sdk",
    "sdks",
    "library",
    "libraries",
    "toolkit",
    "toolkits",
    "wrapper",
    "adapter",
    "connector",
];

/// An outside product's name before a noun of the team's own code ([`CODE_NOUNS`]) names what
/// that code talks to: the element is the team's process, the product kept for the rules.
fn code_for_a_product(label: &str, technology: &Technology) -> Option<(ElementKind, String)> {
    if technology.kind != ElementKind::ExternalEntity {
        return None;
    }
    let (_, keyword) = technology_in_label(label).filter(|(t, _)| t.id == technology.id)?;
    let headline = vocabulary::headline(label).to_lowercase();
    let words = vocabulary::words(&headline);
    let last = words.last()?;
    let code = CODE_NOUNS.iter().find(|n| **n == last.as_str())?;
    let after = headline.find(keyword).is_some_and(|k| headline.rfind(code).is_some_and(|c| c > k));
    after.then(|| {
        (ElementKind::Process, format!("label noun \"{code}\" (the team's code for \"{keyword}\")"))
    })
}

/// A generic technology's word (`authentication`, `pipeline`, `payment service`) that stands
/// before the label's own noun is a modifier, not what the element is: "Authentication DB" is a
/// store that holds sign-in data, "Build pipeline logs" the logs of a build. The noun decides the kind;
/// the technology is kept for the rules. A specific product ("Orders DynamoDB") keeps deciding,
/// and so does a phrase that holds the noun itself ("Payment gateway", "Web browser").
pub fn generic_role_before_noun(
    label: &str,
    technology: &Technology,
) -> Option<(ElementKind, String)> {
    if !technology.generic {
        return None;
    }
    let (_, keyword) = technology_in_label(label).filter(|(t, _)| t.id == technology.id)?;
    let (noun, word) = vocabulary::noun_kind(label)?;
    let kind = noun_element_kind(noun);
    // The keyword holds the noun when it holds its words in order ("enterprise identity
    // provider" holds the two-word noun "identity provider").
    let holds_noun =
        format!(" {} ", keyword.to_lowercase()).contains(&format!(" {} ", word.to_lowercase()));
    let lower = label.to_lowercase();
    let noun_follows = match (lower.find(keyword), lower.rfind(&word.to_lowercase())) {
        (Some(role), Some(noun)) => noun > role,
        _ => false,
    };
    (kind != technology.kind && noun_follows && !holds_noun)
        .then(|| (kind, format!("label noun \"{word}\" (\"{keyword}\" before it says what for)")))
}

/// A label that is only a DFD process number (`1`, `1.2`, `2.3.1`): DFD notation numbers its
/// processes (levelled diagrams), never its stores or external entities, which carry letters
/// (`D1`, `E2`; see [`gane_sarson_prefix`]). Readers call it only for shapes a flow touches: an
/// unconnected number is a step marker (see [`is_step_marker`]).
pub fn is_process_number(label: &str) -> bool {
    let label = label.trim().trim_end_matches('.');
    !label.is_empty()
        && label.len() <= 12
        && label.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

/// A short callout no flow touches: a bare number or letter (`1`, `12`, `(3)`, `A`), or a
/// numbered sub-step (`3a`, `4b`: one step's branches), as the numbered steps of cloud
/// architecture diagrams are drawn. Not an element.
pub fn is_step_marker(label: &str) -> bool {
    let inner = label.trim().trim_start_matches('(').trim_end_matches([')', '.']).trim();
    let count = inner.chars().count();
    let sub_step = inner
        .strip_suffix(|c: char| c.is_ascii_alphabetic())
        .is_some_and(|number| !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()));
    (1..=3).contains(&count)
        && (inner.chars().all(|c| c.is_ascii_digit())
            || (count == 1 && inner.chars().all(|c| c.is_ascii_alphabetic()))
            || sub_step)
}

/// When a technology, an icon or a drawing notation decided an element's kind but the label's own
/// noun names another ("Auth service" drawn as a cylinder), the call is close: the warning to
/// show, naming the attribute that settles it. Declarations and the noun itself are never close.
pub fn close_call(label: &str, kind: ElementKind, inferred_from: &str) -> Option<String> {
    let signal = deciding_signal(inferred_from);
    if matches!(signal, KindSignal::Declared | KindSignal::LabelNoun(_) | KindSignal::Default) {
        return None;
    }
    let (noun_kind, why) = kind_from_label_noun(label)?;
    let noun = match deciding_signal(&why) {
        KindSignal::LabelNoun(noun) => noun.to_lowercase(),
        _ => String::new(),
    };
    if !noun.is_empty() && names_the_noun(signal, &noun) {
        return None;
    }
    (noun_kind != kind).then(|| {
        format!(
            "{} from {inferred_from}, but its {why} says {}: add kind={} (or kind={}) to settle it",
            kind.name(),
            noun_kind.name(),
            noun_kind.name(),
            kind.name()
        )
    })
}

/// Whether the signal that decided holds the label's noun, so is the more specific reading of
/// the same words, not a second opinion: a product phrase of the label ("payment gateway" and
/// "gateway"), a technology whose id holds it (`aws-secrets-manager` and "manager"), an icon
/// whose own name holds it ("resIcon=mxgraph.aws4.secrets_manager" under "AWS Secrets Manager",
/// "Database_Migration_Service.svg": the caption names the product the icon draws).
fn names_the_noun(signal: KindSignal, noun: &str) -> bool {
    match signal {
        KindSignal::LabelWord(phrase) => {
            phrase.to_lowercase().split_whitespace().any(|word| word == noun)
        }
        KindSignal::Icon(icon) => {
            let name = icon.rsplit(['.', '=', '/']).find(|part| !part.is_empty() && *part != "svg");
            let words = name.unwrap_or_default().to_lowercase();
            words.split(['_', '-']).any(|word| word == noun)
        }
        KindSignal::Technology(id) => id.split('-').any(|word| word == noun),
        _ => false,
    }
}

/// The technology named by `technology=`/`tech=` attributes, or else by a word in the label.
pub fn technology_from(
    attributes: &Attributes,
    label: &str,
) -> Option<(&'static Technology, String)> {
    for name in ["technology", "tech", "service"] {
        if let Some(value) = attributes.get(name) {
            if let Some(t) = technology(value.trim()) {
                return Some((t, format!("{name}={value}")));
            }
            if let Some((t, _)) = technology_in_label(value) {
                return Some((t, format!("{name}={value}")));
            }
        }
    }
    technology_in_label_headline(label).map(|(t, kw)| (t, format!("label word \"{kw}\"")))
}

/// The technology a label names. One named in the headline counts; in an aside or under it, a product
/// (`DynamoDB`, `Stripe`) counts unless the headline's noun names another kind (see
/// [`headline_names_another_kind`]), and a generic role word (`auth`, `pipeline`, `browser`) only
/// on a line that is nothing but its name ("Customer / (browser)"): "FastAPI / Auth + Scopes +
/// RBAC" is an API that checks tokens, not the sign-in service.
fn technology_in_label_headline(label: &str) -> Option<(&'static Technology, &'static str)> {
    if names_a_file_after_a_product(label) || vocabulary::is_url_route(label) {
        return None;
    }
    let label = &without_addresses_under_headline(label);
    let label = &without_examples(label);
    let label = &without_outside_products_in_given_names(label);
    let found = technology_in_label(label)?;
    let mut lines = label.lines().map(str::trim).filter(|l| !l.is_empty());
    let first_line = lines.next().unwrap_or_default();
    if first_line == label.trim() {
        // One line: an aside in brackets is under the headline ("Summary worker (Claude)").
        return (!headline_names_another_kind(label, found.0)).then_some(found);
    }
    if let Some(first) = technology_in_label(first_line) {
        // A product the headline names is what the element is; one in a bracketed aside under it
        // is what it holds or uses ("Amazon EKS Control Plane / (API Server, etcd)"), unless the
        // headline's product only says where it runs (a platform such as Kubernetes).
        let in_aside = label.lines().skip(1).map(str::trim).any(|line| {
            line.starts_with(['(', '['])
                && technology_in_label(line).is_some_and(|t| t.0.id == found.0.id)
        });
        let headline_product = !first.0.generic && !first.0.platform && in_aside;
        if first.0.id == found.0.id || found.0.generic || headline_product {
            // Its aside is under the headline too ("Orchestrator (Claude / Anthropic)").
            return (!headline_names_another_kind(label, first.0)).then_some(first);
        }
    }
    let names_only = |line: &str| {
        let bare = line.trim_matches(|c: char| "()[]{}<>".contains(c) || c.is_whitespace());
        technology_in_label(bare).filter(|(_, keyword)| {
            bare.split_whitespace().count() == keyword.split_whitespace().count()
        })
    };
    let below = if found.0.generic { lines.find_map(names_only)? } else { found };
    (!headline_names_another_kind(label, below.0)).then_some(below)
}

/// Whether a label is headed by a path or file name of the team's own: a folder ("/home/claude",
/// "/opt/docker/data"), or a source or data file named after the product it deals with
/// ("services/whatsapp.py", "supabase.js", "github.routes.js"). The code is the team's program
/// and the folder the team's files, whatever product their names hold: the product is what the
/// code talks to, not what it is, and no line under the file name makes it so ("lib/firebase.ts"
/// over "(Firebase Client SDK)"). A product whose own name is written like a file ("Node.js",
/// "Next.js") is still that product.
fn names_a_file_after_a_product(label: &str) -> bool {
    let headline = vocabulary::headline(label);
    let Some((_, ending)) = vocabulary::file_kind(&headline) else {
        return false;
    };
    ending == "/"
        || !technology_in_label(&headline)
            .is_some_and(|(_, keyword)| keyword.to_lowercase().ends_with(&ending))
}

pub use crate::model::technology_in_label;

/// `label` without the examples it gives (`VPC endpoint (e.g. Bedrock)`, `a queue such as SQS`):
/// a product named as one possibility is not what the element is. Each example runs from its
/// marker to the closing bracket or the end of its line.
fn without_examples(label: &str) -> String {
    const MARKERS: &[&str] = &["e.g.", "e.g ", "for example", "such as", "for instance"];
    label
        .lines()
        .map(|line| {
            let lower = line.to_ascii_lowercase();
            let Some(start) = MARKERS.iter().filter_map(|m| lower.find(m)).min() else {
                return line.to_string();
            };
            let end = line[start..].find(')').map_or(line.len(), |i| start + i);
            format!("{}{}", &line[..start], &line[end..])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `label` without the names the team gave its own parts (`tf-github-webhooks`,
/// `stripe_sync_worker`: three or more words joined by `-` or `_`) that hold an outside
/// product's name: such a name says what the part works with, not that it is the product. A
/// product of the system's own kind inside one still counts (`orders-api-lambda` is a Lambda).
fn without_outside_products_in_given_names(label: &str) -> String {
    let outside_product_inside = |word: &str| {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        let parts = word.split(['-', '_']).filter(|p| !p.is_empty()).count();
        parts >= 3
            && technology_in_label(word).is_some_and(|(t, _)| t.kind == ElementKind::ExternalEntity)
    };
    if !label.split_whitespace().any(outside_product_inside) {
        return label.to_string();
    }
    let lines = label.lines().map(|line| {
        line.split_whitespace().filter(|w| !outside_product_inside(w)).collect::<Vec<_>>().join(" ")
    });
    lines.collect::<Vec<_>>().join("\n")
}

/// `label` without the host names and URLs on the lines under its first
/// (`privatelink.blob.core.windows.net`, `api.anthropic.com → 127.0.0.1`): an address written
/// under a name says what the thing resolves, serves or impersonates, and the words inside it
/// (`blob`, `anthropic`) do not name the thing's technology. On the first line an address is
/// the name itself and is kept.
fn without_addresses_under_headline(label: &str) -> String {
    let mut lines = label.lines();
    let mut out = lines.next().unwrap_or_default().to_string();
    for line in lines {
        let kept: Vec<&str> = line.split_whitespace().filter(|w| !is_address(w)).collect();
        out.push('\n');
        out.push_str(&kept.join(" "));
    }
    out
}

/// Whether a word is a URL or a host name of three labels or more ending in a top-level domain
/// (`api.anthropic.com`); `crates.io` or `S3.` are not.
fn is_address(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    if word.contains("://") {
        return true;
    }
    let host = word.split(['/', ':']).next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 3
        && labels.iter().all(|l| !l.is_empty())
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic))
}

/// What a boundary's attributes (`trust=`) or label say about its trust. Label words come from
/// `knowledge/zones.toml`.
/// The words of a box's label that can say it faces the outside. A box named after the data it
/// holds ("data (public, read-only)") says in its aside what that data is, not that the box is
/// public: only its headline is read for untrusted words ("Databases (private subnet)" keeps its
/// subnet). Any other label is read whole.
fn label_of_place(label: &str) -> String {
    let headline = vocabulary::headline(label);
    let names_data =
        matches!(vocabulary::noun_kind(&headline), Some((vocabulary::NounKind::Store, _)));
    if names_data && headline.trim() != label.trim() {
        headline
    } else {
        label.to_string()
    }
}

pub fn boundary_trust(attributes: &Attributes, label: &str) -> TrustDeclaration {
    for name in ["trust", "trust_level", "trusted", "zone"] {
        if let Some(value) = attributes.get(name) {
            let v = value.trim().to_ascii_lowercase();
            if let Ok(level) = v.parse::<i64>() {
                return TrustDeclaration::Level(level);
            }
            let because = format!("{name}={value}");
            match v.as_str() {
                "untrusted" | "public" | "internet" | "low" | "none" | "false" | "no" => {
                    return TrustDeclaration::Untrusted { because }
                }
                "trusted" | "private" | "internal" | "high" | "true" | "yes" => {
                    return TrustDeclaration::Trusted { because }
                }
                "exposed" | "dmz" | "perimeter" => return TrustDeclaration::Exposed { because },
                _ => {}
            }
        }
    }
    // The longest phrase decides ("Database subnet group" is a grouping, not a subnet); of
    // equally long ones, untrusted beats trusted beats grouping ("Public subnet" is untrusted).
    let zone_words = vocabulary::zone_words();
    let words = vocabulary::words(label);
    // A phrase right after a negation says what the box is not ("Worker nodes: no public IPs").
    let untrusted =
        zone_words.untrusted.longest_unnegated_in(&vocabulary::words(&label_of_place(label)));
    let trusted = zone_words.trusted.longest_unnegated_in(&words);
    let exposed = zone_words.exposed.longest_unnegated_in(&words);
    let grouping = zone_words.grouping.longest_unnegated_in(&words);
    let length = |m: Option<(&str, usize)>| m.map_or(0, |(_, n)| n);
    let longest = length(untrusted).max(length(trusted)).max(length(exposed)).max(length(grouping));
    if let Some((word, _)) = untrusted.filter(|&(_, n)| n == longest) {
        if let Some(system) = system_named_after_place(label, word) {
            return TrustDeclaration::Trusted {
                because: format!(
                    "label names a system (\"{system}\"); \"{word}\" says where it faces"
                ),
            };
        }
        return TrustDeclaration::Untrusted { because: format!("label word \"{word}\"") };
    }
    if let Some((word, _)) = exposed.filter(|&(_, n)| n == longest) {
        return TrustDeclaration::Exposed { because: format!("label word \"{word}\"") };
    }
    if let Some((word, _)) = trusted.filter(|&(_, n)| n == longest) {
        return TrustDeclaration::Trusted { because: format!("label word \"{word}\"") };
    }
    // A grouping phrase stops the marks ("Availability zone" is no security zone), unless the
    // mark says more: "Ziffy trust boundary (India region cloud)" names the box a trust
    // boundary, its region only where it runs.
    if let Some((word, _)) = zone_words
        .boundary_marks
        .longest_in(&words)
        .filter(|&(_, n)| grouping.is_none_or(|(_, g)| n > g))
    {
        return TrustDeclaration::Trusted {
            because: format!("label names a trust boundary (\"{word}\")"),
        };
    }
    if grouping.is_none() {
        if let Some(block) = vocabulary::private_address_block(label) {
            return TrustDeclaration::Trusted {
                because: format!("{PRIVATE_BLOCK_REASON} ({block})"),
            };
        }
    }
    TrustDeclaration::Unspecified
}

/// How the reason of a zone ranked by the private address block in its label begins: such a
/// zone is the organisation's own network, infrastructure like a VPC (see
/// `analysis::zones::is_infrastructure`).
pub const PRIVATE_BLOCK_REASON: &str = "label names a private address block";

/// The system noun a boundary's label ends with when its untrusted word only says where the box
/// faces ("INTERNET BANKING SYSTEM", "Trust Boundary: Public Internet — FastAPI Application
/// (app/)"): the box is that system's own, not the Internet. Words that say whose a box is
/// ("External systems", "Partner platform") or that name the client side ("Client application")
/// are no place, so such boxes stay untrusted. Asides in brackets are left out: they qualify.
fn system_named_after_place(label: &str, untrusted_word: &str) -> Option<String> {
    let zone_words = vocabulary::zone_words();
    if !zone_words.places.contains(untrusted_word) {
        return None;
    }
    let mut bare = String::new();
    let mut depth = 0usize;
    for c in label.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    let words = vocabulary::words(&bare);
    if zone_words.untrusted.longest_in(&words).is_some_and(|(w, _)| !zone_words.places.contains(w))
    {
        return None;
    }
    zone_words.systems.ending(&words).map(str::to_string)
}

/// How the reason of a trust read from the drawing, not the words, begins (see
/// [`drawn_trust_boundary`]).
pub const DRAWN_AS_TRUST_BOUNDARY: &str = "drawn as a trust boundary";

/// The trust of a box drawn in threat-modeling notation's trust-boundary style (pytm's dashed
/// red clusters) whose words rank nothing: the author drew a trust step around the system's own
/// elements, so it is trusted (a box of only external actors is still the users' side: the
/// analysis ranks it untrusted). Words decide first, and a grouping phrase ("Availability zone")
/// keeps it a grouping. Not read from draw.io styles: a dashed red box is as often a grouping
/// there (this project's own `serverless-orders.drawio` draws its data-store box so).
pub fn drawn_trust_boundary(trust: TrustDeclaration, label: &str, how: &str) -> TrustDeclaration {
    let words = vocabulary::words(label);
    if trust != TrustDeclaration::Unspecified
        || vocabulary::zone_words().grouping.longest_in(&words).is_some()
    {
        return trust;
    }
    TrustDeclaration::Trusted { because: format!("{DRAWN_AS_TRUST_BOUNDARY} ({how})") }
}

/// Whether a `#rrggbb` colour is a red (strong red, little green and blue): the colour trust
/// boundaries are drawn in. An orange, whose green stands well above its blue (`#e65100`,
/// `#eb5f07`: a hue past about 12 degrees), is a palette colour beside the blue and green boxes
/// of a tier diagram, not a red boundary.
pub fn is_red(colour: &str) -> bool {
    let hex = colour.trim().trim_start_matches('#');
    let channel = |i: usize| hex.get(i..i + 2).and_then(|c| u8::from_str_radix(c, 16).ok());
    match (hex.len(), channel(0), channel(2), channel(4)) {
        (6, Some(r), Some(g), Some(b)) => {
            let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
            // Hue = 60 * (g - b) / (r - min(g, b)) degrees; at most 12 is red.
            r >= 0xc0 && g <= 0x66 && b <= 0x66 && (g - b) * 5 <= r - g.min(b)
        }
        _ => false,
    }
}

pub use crate::model::is_truthy;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> Attributes {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_product_phrase_holding_the_noun_is_not_a_close_call() {
        let external = ElementKind::ExternalEntity;
        let from_phrase = "label word \"payment gateway\"";
        assert_eq!(close_call("Payment Gateway", external, from_phrase), None);
        // A product named beside another noun is still a second opinion worth a warning.
        let store = ElementKind::DataStore;
        assert!(close_call("Postgres service", store, "label word \"postgres\"").is_some());
        // The noun inside the technology's own name: "Secrets Manager" is one product.
        assert_eq!(
            close_call("AWS Secrets Manager", store, "technology aws-secrets-manager"),
            None
        );
        assert!(close_call("Postgres service", store, "technology postgres").is_some());
        // The noun inside the icon's own name: the caption names the product the icon draws.
        let icon = "AWS icon resIcon=mxgraph.aws4.secrets_manager";
        assert_eq!(close_call("AWS Secrets Manager", store, icon), None);
        let process = ElementKind::Process;
        let migration = "AWS icon resIcon=mxgraph.aws4.database_migration_service";
        assert_eq!(close_call("AWS Database\nMigration Service", process, migration), None);
        // An icon whose name does not hold the caption's noun is still a second opinion.
        let cloudwatch = "AWS icon resIcon=mxgraph.aws4.cloudwatch_2";
        assert!(close_call("CloudWatch dashboard", store, cloudwatch).is_some());
    }

    #[test]
    fn explicit_attributes() {
        let (kind, why) =
            kind_from_attributes(&attrs(&[("type", "datastore")])).expect("test input is valid");
        assert_eq!(kind, ElementKind::DataStore);
        assert_eq!(why, "type=datastore");
        assert!(kind_from_attributes(&attrs(&[("type", "blue")])).is_none());
    }

    #[test]
    fn label_hints() {
        let k = |l: &str| kind_from_label(l).map(|(k, _)| k);
        assert_eq!(k("Customer (External Entity)"), Some(ElementKind::ExternalEntity));
        assert_eq!(k("E1: Customer"), Some(ElementKind::ExternalEntity));
        assert_eq!(k("P2.1: Validate order"), Some(ElementKind::Process));
        assert_eq!(k("D1: Orders"), Some(ElementKind::DataStore));
        assert_eq!(k("DS2 - Audit log"), Some(ElementKind::DataStore));
        assert_eq!(k("<<datastore>> Orders"), Some(ElementKind::DataStore));
        assert_eq!(k("Payments"), None);
        assert_eq!(k("Deploy (v2)"), None);
        assert_eq!(k("P"), None);
        assert_eq!(k("E2E tests"), None);
    }

    /// A step named by what it does ("User Authentication") is a process, not its user.
    #[test]
    fn a_step_named_by_its_action_noun_is_a_process() {
        let k = |l: &str| kind_from_label_noun(l).map(|(k, _)| k);
        assert_eq!(k("User Authentication"), Some(ElementKind::Process));
        assert_eq!(k("Notification processing"), Some(ElementKind::Process));
        assert_eq!(k("Customer registration"), Some(ElementKind::Process));
        assert_eq!(k("Registration records"), Some(ElementKind::DataStore), "the noun at the end");
        assert_eq!(k("Data Preprocessing"), Some(ElementKind::Process));
        assert_eq!(k("Log ingestion"), Some(ElementKind::Process));
        assert_eq!(k("Document classification"), Some(ElementKind::Process));
        assert_eq!(
            k("Classification records"),
            Some(ElementKind::DataStore),
            "the noun at the end"
        );
    }

    /// A program named for what it does to data, its agent noun after the data ("DB writer"),
    /// is a process, not the store the data noun would name.
    #[test]
    fn an_agent_noun_after_the_data_names_a_program() {
        let k = |l: &str| kind_from_label_noun(l).map(|(k, _)| k);
        assert_eq!(k("Insights\nResults\nDB writer"), Some(ElementKind::Process));
        assert_eq!(k("CSV exporter"), Some(ElementKind::Process));
        assert_eq!(k("Log file uploader"), Some(ElementKind::Process));
        assert_eq!(k("Writer output files"), Some(ElementKind::DataStore), "the noun at the end");
    }

    /// A client named by the protocol it speaks is the system's own program; a client alone, or
    /// one named by its device, is the outside party.
    #[test]
    fn a_client_named_by_its_protocol_is_a_program() {
        let k = |l: &str| kind_from_label_noun(l).map(|(k, _)| k);
        assert_eq!(k("Payments REST client"), Some(ElementKind::Process));
        assert_eq!(k("transport client\nframes over WebSocket"), Some(ElementKind::Process));
        assert_eq!(k("MCP Client"), Some(ElementKind::Process));
        assert_eq!(k("Client"), Some(ElementKind::ExternalEntity));
        assert_eq!(k("Mobile client"), Some(ElementKind::ExternalEntity));
        assert_eq!(k("Client (browser)"), Some(ElementKind::ExternalEntity));
        // The client's own application is on the caller's side, as a consumer app is.
        assert_eq!(k("Client Application"), Some(ElementKind::ExternalEntity));
    }

    /// A levelled DFD number is a process's, over a noun used as a verb; a bare step number
    /// stays weaker than the noun.
    #[test]
    fn a_levelled_process_number_decides_over_the_noun() {
        let k = |l: &str| kind_from_label_noun(l).map(|(k, _)| k);
        assert_eq!(k("3.0 Store & Publish Event"), Some(ElementKind::Process));
        assert_eq!(k("2.1\nLog Request"), Some(ElementKind::Process));
        assert_eq!(k("2. Orders Database"), Some(ElementKind::DataStore));
        assert_eq!(k("Orders Database"), Some(ElementKind::DataStore));
    }

    /// A file name heading a label is the file or program, whatever the lines under it say.
    #[test]
    fn a_file_name_heading_a_label_names_the_thing() {
        let k = |l: &str| kind_from_label_noun(l).map(|(k, _)| k);
        assert_eq!(k("src/exchange_client.py\nREST client (JWT)"), Some(ElementKind::Process));
        assert_eq!(k("jobs/refresh_data.py\n+ verify.py"), Some(ElementKind::Process));
        assert_eq!(k("out/prices.csv\n(daily candles)"), Some(ElementKind::DataStore));
        assert_eq!(k("./media\n/media/"), Some(ElementKind::DataStore), "a folder");
        assert_eq!(k("uploads/"), Some(ElementKind::DataStore));
        assert_eq!(k("/v1/tunnel\n(WebSocket)"), Some(ElementKind::Process), "a route, no folder");
        // A headline of several words is a name, not a file name.
        assert_eq!(k("Customer portal\nserves index.html"), Some(ElementKind::Process));
    }

    /// A route of a web API is served by the team's code: a process, whatever people, parties
    /// or products its segments name. A machine's folder and a bare word path stay what they were.
    #[test]
    fn a_url_route_is_the_teams_code() {
        let k = |l: &str| kind_from_label_noun(l).map(|(k, _)| k);
        let tech =
            |l: &str| technology_from(&Attributes::default(), l).map(|(t, _)| t.id.to_string());
        for label in [
            "GET /api/users",
            "/v1/partners",
            "/api/bot/notify (internal)",
            "POST /customers/{id}",
            "PUT/PATCH /accounts/:id\nupdates the profile",
            "POST /webhooks/stripe",
        ] {
            assert_eq!(k(label), Some(ElementKind::Process), "{label}");
            assert_eq!(tech(label), None, "{label}");
        }
        assert_eq!(k("/var/www/uploads"), Some(ElementKind::DataStore), "a machine's folder");
        assert_ne!(k("/customers"), Some(ElementKind::Process), "a bare path decides nothing new");
        assert_eq!(k("Users"), Some(ElementKind::ExternalEntity));
    }

    /// A source file named after the product it talks to is the team's code, not the product: no
    /// technology decides its kind, and the file name makes it a process. A product whose own
    /// name is written like a file keeps its technology.
    #[test]
    fn a_source_file_named_after_a_product_is_the_teams_code() {
        let tech =
            |l: &str| technology_from(&Attributes::default(), l).map(|(t, _)| t.id.to_string());
        let k = |l: &str| kind_from_label_noun(l).map(|(k, _)| k);
        for label in [
            "notify/whatsapp_sender.py",
            "stripe.py",
            "github.callback.js",
            "lib/stripe.ts\n(Stripe client SDK)",
            "handlers/slack.go\nsend_message()",
        ] {
            assert_eq!(tech(label), None, "{label}");
            assert_eq!(k(label), Some(ElementKind::Process), "{label}");
        }
        assert_eq!(tech("Stripe\nstripe.py"), Some("stripe".to_string()), "a headline product");
        assert_eq!(tech("Node.js"), Some("node-js".to_string()), "a product named like a file");
        assert_eq!(tech("stripe.json"), None);
        assert_eq!(k("stripe.json"), Some(ElementKind::DataStore), "a data file is a store");
    }

    /// A path from a root folder of a machine's file system, or through a hidden folder, is a
    /// folder on that machine: a store, whatever product its folders are named after. A path
    /// from another root is as often a URL route, and a socket file is no folder.
    #[test]
    fn a_machines_folder_path_is_a_store() {
        let k = |l: &str| kind_from_label_noun(l).map(|(k, _)| k);
        assert_eq!(k("/var/www/html/shop"), Some(ElementKind::DataStore));
        assert_eq!(k("/home/agent/.claude"), Some(ElementKind::DataStore));
        assert_eq!(k("/srv/app/.cache"), Some(ElementKind::DataStore));
        assert_eq!(k("/data/.config"), Some(ElementKind::DataStore), "a hidden folder");
        assert_eq!(k("~/.cache"), Some(ElementKind::DataStore));
        let folder = |l: &str| vocabulary::file_kind(l).is_some_and(|(_, e)| e == "/");
        assert!(!folder("/api/orders"), "a route");
        assert!(!folder("/.well-known/jwks"), "a route, though dotted");
        assert!(!folder("/variables/export"), "not the /var root");
        assert!(!folder("/var/run/app.sock"), "a socket file is no folder");
        let tech =
            |l: &str| technology_from(&Attributes::default(), l).map(|(t, _)| t.id.to_string());
        assert_eq!(tech("/home/claude/.claude"), None, "a folder named after a product");
        assert_eq!(tech("/opt/docker"), None);
        assert_eq!(tech("/var/run/docker.sock"), Some("docker".to_string()), "the daemon's socket");
    }

    /// A copy number written onto a noun is not part of it; a person's machine is theirs.
    #[test]
    fn a_numbered_copy_keeps_its_noun() {
        let k = |l: &str| kind_from_label_noun(l).map(|(k, _)| k);
        assert_eq!(k("PC1\n.101"), Some(ElementKind::ExternalEntity));
        assert_eq!(k("Workstation 2"), Some(ElementKind::ExternalEntity));
        assert_eq!(k("Router2"), Some(ElementKind::Process));
        assert_eq!(k("DB1"), Some(ElementKind::DataStore));
        assert_eq!(k("S3"), None, "a product's name is no numbered noun");
    }

    /// A network's route table is no table of data.
    #[test]
    fn a_route_table_is_no_data_table() {
        let k = |l: &str| kind_from_label_noun(l).map(|(k, _)| k);
        assert_eq!(k("Private Route Table\n0.0.0.0/0 -> NAT"), Some(ElementKind::Process));
        assert_eq!(k("Routes table"), Some(ElementKind::DataStore), "a table of routes data");
    }

    /// Whose a thing is decides over what it is: another organisation's server is theirs.
    #[test]
    fn another_organisations_thing_is_theirs() {
        let k = |l: &str| kind_from_label_noun(l).map(|(k, _)| k);
        assert_eq!(k("Other Org's Server"), Some(ElementKind::ExternalEntity));
        assert_eq!(k("Another organization's mail relay"), Some(ElementKind::ExternalEntity));
        assert_eq!(k("Other org's orders database"), Some(ElementKind::DataStore), "its noun");
    }

    #[test]
    fn label_hints_with_case_changing_unicode() {
        // Each of these lower-cases to a different number of bytes than it has.
        let k = |l: &str| kind_from_label(l);
        let (kind, why) = k("İİ(process)é").expect("a process");
        assert_eq!((kind, why.as_str()), (ElementKind::Process, "label \"(process)\""));
        assert_eq!(k("ẞtraße [Data Store]").map(|(k, _)| k), Some(ElementKind::DataStore));
        assert_eq!(k("ΣΣΣ «Actor» Σ").map(|(k, _)| k), Some(ElementKind::ExternalEntity));
        assert_eq!(k("ﬁle ﬁ (ﬁle)").map(|(k, _)| k), None);
        assert_eq!(k("e\u{301}\u{301}(PROCESS)").map(|(k, _)| k), Some(ElementKind::Process));
        assert_eq!(k("İ<<DataStore>>İ").map(|(_, w)| w), Some("label \"<<datastore>>\"".into()));
        assert_eq!(k("(İİİİ"), None);
        assert_eq!(k(&"(".repeat(10_000)), None);
    }

    /// A box named after its data says in its aside what the data is, not where the box is.
    #[test]
    fn public_data_is_no_public_place() {
        let t = |label: &str| boundary_trust(&attrs(&[]), label);
        assert!(matches!(t("data (public, read-only)"), TrustDeclaration::Unspecified));
        assert!(matches!(t("Public data"), TrustDeclaration::Untrusted { .. }));
        assert!(matches!(t("Databases (private subnet)"), TrustDeclaration::Trusted { .. }));
        assert!(matches!(t("Services (public)"), TrustDeclaration::Untrusted { .. }));
    }

    /// A box named by a private address range is a network segment of the system's own.
    #[test]
    fn a_private_address_range_names_a_network_of_the_systems_own() {
        let t = |label: &str| boundary_trust(&attrs(&[]), label);
        assert!(matches!(t("data  10.0.20.0/24"), TrustDeclaration::Trusted { .. }));
        assert!(matches!(t("ops 172.20.0.0/16"), TrustDeclaration::Trusted { .. }));
        assert!(matches!(t("lab (192.168.4.0/22)"), TrustDeclaration::Trusted { .. }));
        // Words decide first; a public range, a bare address or a grouping phrase say nothing.
        assert!(matches!(t("Public subnet 10.0.1.0/24"), TrustDeclaration::Exposed { .. }));
        assert_eq!(t("edge 8.8.8.0/24"), TrustDeclaration::Unspecified);
        assert_eq!(t("route 0.0.0.0/0"), TrustDeclaration::Unspecified);
        assert_eq!(t("host 10.0.0.5"), TrustDeclaration::Unspecified);
        assert_eq!(t("172.32.0.0/16"), TrustDeclaration::Unspecified);
        assert_eq!(t("10.0.0.0/40"), TrustDeclaration::Unspecified);
        assert_eq!(t("Availability zone 10.0.1.0/24"), TrustDeclaration::Unspecified);
    }

    /// "Backend" names a part of the code, not a trust zone: a box of back-end services is a
    /// grouping unless it is drawn or named as a trust boundary.
    #[test]
    fn a_backend_box_is_a_grouping_unless_named_a_trust_boundary() {
        let t = |label: &str| boundary_trust(&attrs(&[]), label);
        assert_eq!(t("Backend (Serverless Containers)"), TrustDeclaration::Unspecified);
        assert_eq!(t("Backend modular monolith - Java 21"), TrustDeclaration::Unspecified);
        assert_eq!(t("Servidor (Back-End)"), TrustDeclaration::Unspecified);
        assert!(matches!(t("Trust boundary 2 — back end"), TrustDeclaration::Trusted { .. }));
        assert!(matches!(t("Backend (private subnet)"), TrustDeclaration::Trusted { .. }));
    }

    /// A box its author names a trust boundary is one even where it also names its region;
    /// a grouping phrase as long as the mark still says more ("Hosted zone", "Availability zone").
    #[test]
    fn a_box_named_a_trust_boundary_in_a_region_is_trusted() {
        let t = |label: &str| boundary_trust(&attrs(&[]), label);
        assert!(matches!(
            t("Acme trust boundary (EU region cloud)"),
            TrustDeclaration::Trusted { .. }
        ));
        assert!(matches!(t("Trust zone — API layer"), TrustDeclaration::Trusted { .. }));
        assert_eq!(t("Region boundary"), TrustDeclaration::Unspecified);
        assert_eq!(t("Hosted zone"), TrustDeclaration::Unspecified);
        assert_eq!(t("AWS Region (e.g., us-east-1)"), TrustDeclaration::Unspecified);
        // A service account is an identity, not the cloud account the system runs in.
        assert_eq!(t("Cloud Run (one service account per service)"), TrustDeclaration::Unspecified);
        assert!(matches!(t("Production account"), TrustDeclaration::Trusted { .. }));
    }

    /// A box named after the laptop someone works on is their machine, like a user's device.
    #[test]
    fn a_laptop_box_is_the_users_machine() {
        let t = |label: &str| boundary_trust(&attrs(&[]), label);
        assert!(matches!(
            t("Operator laptop (one-time setup)"),
            TrustDeclaration::Untrusted { .. }
        ));
        assert!(matches!(t("Developer machine"), TrustDeclaration::Untrusted { .. }));
    }

    /// Boxes named in other languages, and boxes their authors call a zone.
    #[test]
    fn trust_words_in_other_languages_and_zones() {
        let t = |label: &str| boundary_trust(&attrs(&[]), label);
        assert!(matches!(t("ИНТЕРНЕТ / ВНЕШНИЕ ИСТОЧНИКИ"), TrustDeclaration::Untrusted { .. }));
        assert!(matches!(t("КЛИЕНТСКАЯ СЕТЬ"), TrustDeclaration::Untrusted { .. }));
        assert!(matches!(t("用户浏览器边界"), TrustDeclaration::Untrusted { .. }), "user browser");
        assert!(matches!(t("User browser"), TrustDeclaration::Untrusted { .. }));
        assert!(matches!(t("Management & Backup Network"), TrustDeclaration::Trusted { .. }));
        assert!(matches!(t("ZONE INTERNE (ZERO TRUST)"), TrustDeclaration::Trusted { .. }));
        assert!(matches!(t("Rede interna"), TrustDeclaration::Trusted { .. }));
        assert!(matches!(t("ZONE DMZ"), TrustDeclaration::Exposed { .. }));
        assert!(matches!(t("Database Zone"), TrustDeclaration::Trusted { .. }));
        assert!(matches!(t("ZONE SOC"), TrustDeclaration::Trusted { .. }));
        assert!(matches!(t("Public zone"), TrustDeclaration::Untrusted { .. }));
        assert_eq!(t("Hosted zone example.com"), TrustDeclaration::Unspecified);
        assert_eq!(t("Availability Zone 1"), TrustDeclaration::Unspecified);
    }

    /// A box named after the system, with a place word qualifying it, is the system's own.
    #[test]
    fn a_box_named_after_the_system_is_its_own_whatever_it_faces() {
        let t = |label: &str| boundary_trust(&attrs(&[]), label);
        let system = t("INTERNET BANKING SYSTEM");
        assert!(
            matches!(&system, TrustDeclaration::Trusted { because } if because.contains("\"system\"")),
            "{system:?}"
        );
        assert!(matches!(
            t("Trust Boundary: Public Internet — FastAPI Application (app/)"),
            TrustDeclaration::Trusted { .. }
        ));
        assert!(matches!(t("Internet"), TrustDeclaration::Untrusted { .. }));
        assert!(matches!(t("Client Application"), TrustDeclaration::Untrusted { .. }), "a side");
        assert!(matches!(t("External Systems"), TrustDeclaration::Untrusted { .. }), "whose");
        assert!(matches!(t("Partner platform"), TrustDeclaration::Untrusted { .. }));
        assert!(matches!(t("Internet (public app)"), TrustDeclaration::Untrusted { .. }), "aside");
    }

    /// A technology named under a headline that names another kind is not the element's.
    #[test]
    fn a_technology_under_a_headline_naming_another_kind_is_not_the_elements() {
        let id = |label: &str| technology_from(&attrs(&[]), label).map(|(t, _)| t.id.as_str());
        assert_eq!(id("Desktop Agent\n(OS + browser telemetry collector)"), None);
        assert_eq!(
            id("Single-Page Application\nJavaScript and Angular\nvia their web\nbrowser."),
            None
        );
        assert_eq!(id("Web browser\nChrome"), Some("browser"), "the headline names the browser");
        assert_eq!(id("Enterprise Identity Provider\nSSO + MFA"), Some("enterprise-idp"));
        assert_eq!(id("Identity Provider"), Some("oauth-provider"), "someone else's, unqualified");
        let idp = "Enterprise Identity Provider\nSSO + MFA";
        assert!(
            technology_from(&attrs(&[]), idp).is_some_and(|(t, _)| t.kind == ElementKind::Process
                && generic_role_before_noun(idp, t).is_none()),
            "a keyword holding the two-word noun is no modifier before it"
        );
        assert_eq!(id("Customer\n(web browser)"), Some("browser"), "a line that only names it");
        assert_eq!(id("Desktop Agent\n(browser)"), None, "the agent is no browser");
        assert_eq!(id("Photos\nS3 bucket"), Some("aws-s3"), "no noun in the headline");
        assert_eq!(id("Uploader\nS3 bucket"), None, "an uploader that writes to S3");
        assert_eq!(id("Receipts bucket\nS3"), Some("aws-s3"), "same kind as the technology");
        assert_eq!(id("Orders service\nDynamoDB"), None, "a service that uses DynamoDB");
        assert_eq!(id("Orders DynamoDB\nservice data"), Some("aws-dynamodb"), "in the headline");
        assert_eq!(id("Admin\nDjango admin site"), Some("django"), "a person's noun does not");
        assert_eq!(
            id("Environment Variables / Secrets\nJWT secret, Ollama URL, model config"),
            None,
            "a store that holds the model server's address"
        );
    }

    /// A generic role word counts on the first line, or on a line that only names it.
    #[test]
    fn generic_technologies_count_on_the_first_line_only() {
        let id = |label: &str| technology_from(&attrs(&[]), label).map(|(t, _)| t.id.as_str());
        assert_eq!(id("Orders API\nAuth + scopes + RBAC"), None);
        assert_eq!(id("Auth service\nissues tokens"), Some("auth-service"));
        assert_eq!(id("Auth service\nKeycloak"), Some("keycloak"), "a product under it");
        assert_eq!(id("Nightly export\nbuild pipeline for the reports"), None);
        assert_eq!(id("Customer\n(browser)"), Some("browser"), "a line that only names it");
    }

    /// A generic role word before the label's noun says what the thing is for, not what it is.
    #[test]
    fn a_generic_role_word_before_a_noun_is_a_modifier() {
        let kind = |label: &str| {
            let (t, _) = technology_in_label(label).expect("a technology in the label");
            kind_from_technology(label, t, String::new()).0
        };
        assert_eq!(kind("Authentication DB"), ElementKind::DataStore);
        assert_eq!(kind("Authentication service"), ElementKind::Process);
        assert_eq!(kind("JWT Authentication"), ElementKind::Process);
        assert_eq!(kind("Build pipeline logs"), ElementKind::DataStore);
        assert_eq!(
            kind("Payment gateway"),
            ElementKind::ExternalEntity,
            "the phrase holds the noun"
        );
        assert_eq!(kind("Orders DynamoDB table"), ElementKind::DataStore, "a product decides");
        assert_eq!(kind("Local LLM"), ElementKind::Process);
    }

    /// A product named in an aside or under a step's own name is what the step uses.
    #[test]
    fn a_product_named_under_a_process_headline_is_what_it_uses() {
        let id = |label: &str| technology_from(&attrs(&[]), label).map(|(t, _)| t.id.as_str());
        assert_eq!(id("Summary worker (Claude)"), None);
        assert_eq!(id("Orchestrator (Claude / Anthropic)\nreasons, picks searches"), None);
        assert_eq!(id("Claude API"), Some("anthropic-api"), "the headline names the product");
        assert_eq!(id("Anthropic\n(Claude models)"), Some("anthropic-api"), "no process first");
        assert_eq!(id("Alert validator\nchecks each row in Splunk"), None);
        assert_eq!(id("Deploy pipeline (GitHub Actions)"), Some("github-actions"), "same kind");
        assert_eq!(id("Argo CD source repo (GitHub)"), Some("github"), "hosted there");
    }

    #[test]
    fn reds() {
        assert!(is_red("#FF3333") && is_red("#ff0000"));
        assert!(!is_red("#b20000"), "a dark red is not the boundary red");
        assert!(is_red("#e74c3c"));
        assert!(!is_red("#82b366") && !is_red("#b85450") && !is_red("red") && !is_red("#f00"));
        // Tomato and the Material and Tailwind reds are red; their oranges are not.
        assert!(is_red("#ff6347") && is_red("#f44336") && is_red("#ef4444") && is_red("#ee2c2c"));
        assert!(!is_red("#e65100") && !is_red("#eb5f07") && !is_red("#ff5722"));
    }

    #[test]
    fn trust() {
        assert!(matches!(
            boundary_trust(&attrs(&[]), "The Internet"),
            TrustDeclaration::Untrusted { .. }
        ));
        assert!(matches!(
            boundary_trust(&attrs(&[]), "Public zone"),
            TrustDeclaration::Untrusted { .. }
        ));
        assert!(matches!(
            boundary_trust(&attrs(&[]), "Public subnet 10.0.1.0/24"),
            TrustDeclaration::Exposed { .. }
        ));
        assert!(matches!(
            boundary_trust(&attrs(&[]), "Client trust boundary"),
            TrustDeclaration::Untrusted { .. }
        ));
        assert!(matches!(
            boundary_trust(&attrs(&[]), "AI / Model Trust Boundary"),
            TrustDeclaration::Trusted { .. }
        ));
        assert_eq!(
            boundary_trust(&attrs(&[]), "Database Subnet Group"),
            TrustDeclaration::Unspecified
        );
        assert_eq!(boundary_trust(&attrs(&[("trust", "3")]), "x"), TrustDeclaration::Level(3));
        assert!(matches!(
            boundary_trust(&attrs(&[("trust", "trusted")]), "Internet"),
            TrustDeclaration::Trusted { .. }
        ));
        assert!(matches!(
            boundary_trust(&attrs(&[]), "Private subnet"),
            TrustDeclaration::Trusted { .. }
        ));
        assert_eq!(
            boundary_trust(&attrs(&[]), "Availability zone a"),
            TrustDeclaration::Unspecified
        );
        assert_eq!(
            boundary_trust(&attrs(&[]), "Code layer: services"),
            TrustDeclaration::Unspecified
        );
        assert!(matches!(
            boundary_trust(&attrs(&[]), "AWS account"),
            TrustDeclaration::Trusted { .. }
        ));
    }

    /// A zone word right after "no", "not" or "without" says what the box is not, and plural
    /// subnets are subnets: "Private subnets (per AZ) / Worker nodes: no public IPs" is trusted.
    #[test]
    fn negated_zone_words_say_nothing() {
        let trust = |label: &str| boundary_trust(&attrs(&[]), label);
        assert!(matches!(
            trust("Private subnets (per AZ)\nWorker nodes: no public IPs"),
            TrustDeclaration::Trusted { .. }
        ));
        assert!(matches!(trust("App tier (no internet access)"), TrustDeclaration::Unspecified));
        assert!(matches!(trust("Isolated, not public"), TrustDeclaration::Unspecified));
        assert!(matches!(trust("Public subnets"), TrustDeclaration::Exposed { .. }));
        assert!(matches!(trust("Internet"), TrustDeclaration::Untrusted { .. }));
    }

    /// A box of the team's services that answer the Internet is the system's exposed side: its
    /// "public" qualifies the services, it does not make them the Internet.
    #[test]
    fn services_with_public_endpoints_are_the_exposed_side() {
        let trust = |label: &str| boundary_trust(&attrs(&[]), label);
        assert!(matches!(
            trust("Web services (public endpoints)"),
            TrustDeclaration::Exposed { .. }
        ));
        assert!(matches!(trust("Public-facing apps"), TrustDeclaration::Exposed { .. }));
        assert!(matches!(trust("Public"), TrustDeclaration::Untrusted { .. }));
    }

    /// A box whose words rank nothing but whose label names a private address block (a lab's
    /// host-only network, an office LAN) is the organisation's own network; words still decide
    /// first ("Public subnet 10.0.1.0/24" is exposed, "DB subnet group 10.0.3.0/24" a grouping).
    #[test]
    fn a_box_named_by_a_private_address_block_is_trusted() {
        let trust = |label: &str| boundary_trust(&attrs(&[]), label);
        assert!(matches!(
            trust("vmnet2 · Host-only · 10.10.10.0/24"),
            TrustDeclaration::Trusted { because } if because.starts_with(PRIVATE_BLOCK_REASON)
        ));
        assert!(matches!(trust("Public subnet 10.0.1.0/24"), TrustDeclaration::Exposed { .. }));
        assert_eq!(trust("DB subnet group 10.0.3.0/24"), TrustDeclaration::Unspecified);
        assert_eq!(trust("Lab network 203.0.113.0/24"), TrustDeclaration::Unspecified);
    }

    /// What its author calls external is outside the system: the phrase beats the noun "API".
    #[test]
    fn an_element_its_author_calls_external_is_an_outside_party() {
        for label in ["External APIs", "External services", "External System"] {
            let kind = kind_from_label_noun(label).map(|(k, _)| k);
            assert_eq!(kind, Some(ElementKind::ExternalEntity), "{label}");
        }
        let kind = kind_from_label_noun("Orders API").map(|(k, _)| k);
        assert_eq!(kind, Some(ElementKind::Process));
    }

    /// An outside product's name before a noun of the team's own code names what the code talks
    /// to: "GitHub API Toolkit (Imported)" and "Stripe SDK" are the team's; "GitHub" is GitHub.
    #[test]
    fn the_teams_code_named_after_a_product_is_a_process() {
        let kind = |label: &str| {
            let (t, why) = technology_from(&attrs(&[]), label).expect(label);
            kind_from_technology(label, t, why).0
        };
        assert_eq!(kind("GitHub API Toolkit\n(Imported)"), ElementKind::Process);
        assert_eq!(kind("Stripe SDK"), ElementKind::Process);
        assert_eq!(kind("GitHub"), ElementKind::ExternalEntity);
        assert_eq!(kind("SDK for Stripe"), ElementKind::ExternalEntity, "the product is last");
    }

    /// A program named after the database it serves holds nothing itself: PostgREST answers
    /// requests over Postgres, a Postgres exporter reads its statistics for Prometheus.
    #[test]
    fn programs_named_after_the_database_they_serve_are_processes() {
        for (label, id) in [
            ("PostgREST v12\nswitches Postgres role per JWT claim", "postgrest"),
            ("Postgres\nExporter\n:9187", "metrics-exporter"),
            ("MySQL exporter", "metrics-exporter"),
        ] {
            let t = technology_of(label);
            assert_eq!((t.id.as_str(), t.kind), (id, ElementKind::Process), "{label}");
        }
        assert_eq!(technology_of("PostgreSQL\n:5432").kind, ElementKind::DataStore);
    }

    /// A bare "ACM" is as often Red Hat's Advanced Cluster Management as AWS's certificates.
    #[test]
    fn a_bare_acm_names_no_certificate_store() {
        assert!(technology_from(&attrs(&[]), "ACM\nbackend").is_none());
        for label in ["AWS ACM", "ACM certificate", "Certificate Manager"] {
            assert_eq!(technology_of(label).id, "aws-acm", "{label}");
        }
    }

    #[test]
    fn third_party_products_are_external() {
        for label in ["Slack", "OpenAI API", "Mailgun", "Login with Google", "Sentry", "Voyage AI"]
        {
            let (t, _) = technology_from(&attrs(&[]), label).expect(label);
            assert_eq!(t.kind, ElementKind::ExternalEntity, "{label}: {}", t.id);
        }
    }

    /// The ELK stack is where the services' logs rest: its store, Elasticsearch.
    #[test]
    fn the_elk_stack_is_its_log_store() {
        for label in ["ELK Stack", "ELK", "Elastic Stack (logs)"] {
            let (t, _) = technology_from(&attrs(&[]), label).expect(label);
            assert_eq!(
                (t.id.as_str(), t.kind),
                ("elasticsearch", ElementKind::DataStore),
                "{label}"
            );
        }
    }

    /// A brand's sign-in named by the brand and an auth word is that brand's identity service,
    /// not the system's own "auth" step the word alone would name.
    #[test]
    fn a_brand_and_an_auth_word_name_the_brands_sign_in() {
        for (label, id) in [
            ("Google Auth", "google-sign-in"),
            ("Google Authentication", "google-sign-in"),
            ("Facebook OAuth", "facebook-login"),
        ] {
            let (t, _) = technology_from(&attrs(&[]), label).expect(label);
            assert_eq!((t.id.as_str(), t.kind), (id, ElementKind::ExternalEntity), "{label}");
        }
        let (t, _) = technology_from(&attrs(&[]), "Auth service").expect("auth");
        assert_eq!(t.kind, ElementKind::Process);
    }

    /// A model provider named alone is that provider's API, an outside party: "OpenAI" is not
    /// Azure's managed OpenAI service, "Gemini" not Vertex AI; a sign-in SaaS is someone else's
    /// identity provider.
    #[test]
    fn language_model_providers_named_alone_are_their_apis() {
        for (label, id) in [
            ("OpenAI\n(Final Fallback)", "openai-api"),
            ("Gemini\n(Fallback)", "google-gemini"),
            ("OpenRouter\nlanguage model API", "openrouter"),
            ("Clerk\nsign-in · signing keys (JWKS)", "clerk"),
            ("Qwen Cloud API\nqwen-max", "qwen-api"),
            ("DeepSeek API", "deepseek-api"),
            ("Grok API", "xai-api"),
        ] {
            let t = technology_of(label);
            assert_eq!((t.id.as_str(), t.kind), (id, ElementKind::ExternalEntity), "{label}");
        }
        assert_eq!(technology_of("Azure OpenAI Service").id, "azure-openai");
        assert_eq!(technology_of("Gemini on Vertex AI").id, "gcp-vertex-ai");
        // Open model families run at home name no provider: only the hosted API's phrase does.
        assert!(technology_from(&attrs(&[]), "Qwen 2.5 7B").is_none());
        assert!(technology_from(&attrs(&[]), "XAI explanations").is_none());
    }

    /// The technology a label alone names; fails the test naming the label when it names none.
    fn technology_of(label: &str) -> &'static Technology {
        match technology_from(&attrs(&[]), label) {
            Some((t, _)) => t,
            None => panic!("{label}: no technology"),
        }
    }

    /// A product given as an example (`e.g.`, `such as`) is one possibility, not the element.
    #[test]
    fn a_product_named_as_an_example_is_not_the_technology() {
        let egress = "Private egress to the model\nVPC endpoint / PrivateLink (e.g. Bedrock)";
        assert_eq!(technology_of(egress).id, "aws-vpc-endpoint");
        assert!(technology_from(&attrs(&[]), "Job queue (such as SQS or RabbitMQ)").is_none());
        assert_eq!(technology_of("Job queue (SQS)").id, "aws-sqs");
    }

    /// Services a system sends its texts, calls, speech and events to (SMS gateways, speech
    /// models, a hosted LLM, a SIEM run by the security team) and the load-testing tools that
    /// drive traffic in. Each is named by its product, on the headline or under a headline that
    /// names no process of the system.
    #[test]
    fn outside_services_and_load_generators_are_external() {
        for label in [
            "SMS\nClickSend (fallback)",
            "Hubtel (primary)\nHTTP API",
            "Speech to text\nDeepgram",
            "TTS\nElevenLabs / Cartesia",
            "Groq API",
            "Splunk SIEM",
            "Vonage",
            "client / k6\nhttps://api.local.test",
            "Load Generator\n(scaling test tool)",
        ] {
            let t = technology_of(label);
            assert_eq!(t.kind, ElementKind::ExternalEntity, "{label}: {}", t.id);
        }
        let uses = technology_from(&attrs(&[]), "Transcriber worker (Deepgram)");
        assert!(uses.is_none(), "a step of the system names what it calls");
    }

    /// Social networks and messengers a system reads posts from or publishes to are someone
    /// else's platforms, named by their product whatever the shape drawn for them.
    #[test]
    fn social_networks_and_messengers_are_external() {
        for label in [
            "Twitter",
            "Reddit API",
            "Instagram\n(Graph API)",
            "YouTube Data API",
            "Telegram Bot API",
            "WhatsApp Cloud API",
        ] {
            let t = technology_of(label);
            assert_eq!(t.kind, ElementKind::ExternalEntity, "{label}: {}", t.id);
        }
        let uses = technology_from(&attrs(&[]), "Tweet collector (Twitter API)");
        assert!(uses.is_none(), "a step of the system names what it calls");
    }

    /// Where a client keeps the tokens it was given is a store of secrets, not the identity
    /// provider that issued them; the provider itself is still one.
    #[test]
    fn token_caches_hold_secrets_and_providers_issue_them() {
        for label in ["OAuth grant\n(databricks-cli token cache)", "Credential store", "Keychain"] {
            let t = technology_of(label);
            assert_eq!(
                (t.id.as_str(), t.kind),
                ("credential-cache", ElementKind::DataStore),
                "{label}"
            );
        }
        assert_eq!(technology_of("OAuth provider").id, "oauth-provider");
    }

    /// A name the team gave its own part (`tf-github-webhooks`) says what the part works with;
    /// the product inside it is not what the part is. Two words joined stay a product's name
    /// (`github-actions`), and a product of the system's own kind counts inside a longer one.
    #[test]
    fn products_inside_given_names_are_what_a_part_works_with() {
        for label in ["tf-github-webhooks (λ)", "stripe_sync_worker", "acme-openai-proxy"] {
            let found = technology_from(&attrs(&[]), label);
            assert!(found.is_none_or(|(t, _)| t.kind != ElementKind::ExternalEntity), "{label}");
        }
        assert_eq!(technology_of("github-actions").id, "github-actions");
        assert_eq!(technology_of("orders-api-lambda").id, "aws-lambda");
    }

    /// A repository manager the team runs keeps its builds' artifacts: a store, unlike the
    /// public registries (Docker Hub, npm) someone else runs.
    #[test]
    fn repository_managers_hold_data() {
        for label in ["Artifactory", "Sonatype Nexus", "Build cache (JFrog)"] {
            let t = technology_of(label);
            assert_eq!(t.kind, ElementKind::DataStore, "{label}: {}", t.id);
        }
    }

    /// A word in brackets after a network device names where it sits; after anything else it
    /// may declare the kind, as ever.
    #[test]
    fn a_network_devices_brackets_name_its_place() {
        let k = |l: &str| kind_from_label(l).map(|(k, _)| k);
        assert_eq!(k("Firewall\n(External)"), None);
        assert_eq!(k("Firewall (Data)"), None);
        assert_eq!(k("Core router [internal]"), None);
        assert_eq!(k("Email Service (External)"), Some(ElementKind::ExternalEntity));
        assert_eq!(k("Orders (table)"), Some(ElementKind::DataStore));
        assert_eq!(
            kind_from_label_noun("Firewall (External)").map(|(k, _)| k),
            Some(ElementKind::Process)
        );
    }

    /// An address under a name is what the thing resolves or impersonates, not its technology.
    #[test]
    fn host_names_under_a_name_name_no_technology() {
        let id = |label: &str| technology_from(&attrs(&[]), label).map(|(t, _)| t.id.as_str());
        let zone = id("Private DNS Zone\nprivatelink.blob.core.windows.net");
        assert_eq!(zone, Some("dns"), "its own name's technology, not blob storage's");
        assert_eq!(id("hosts hijack\napi.anthropic.com → 127.0.0.1"), None);
        assert_eq!(id("Proxy\nhttps://api.openai.com/v1"), None);
        assert_eq!(id("Anthropic API\napi.anthropic.com"), Some("anthropic-api"), "the name says");
        assert_eq!(id("Registry\ncrates.io"), Some("crates-io"), "a product's own name");
        assert!(is_address("graphql.testnet.sui.io") && !is_address("S3."));
    }

    #[test]
    fn technology_from_attribute_wins() {
        let (t, why) = technology_from(&attrs(&[("technology", "aws-s3")]), "Lambda")
            .expect("test input is valid");
        assert_eq!(t.id, "aws-s3");
        assert_eq!(why, "technology=aws-s3");
        let (t, _) = technology_from(&attrs(&[]), "Orders Lambda").expect("test input is valid");
        assert_eq!(t.id, "aws-lambda");
    }
}
