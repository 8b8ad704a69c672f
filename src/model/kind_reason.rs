//! What decided an element's kind, read back from its `inferred_from`.
//!
//! Readers word `inferred_from` for people (`label noun "db" (over rounded/square convention)`,
//! `AWS icon resIcon=mxgraph.aws4.secrets_manager`). The analysis and the close-call warnings
//! need to know which signal decided: the author's declaration, the label's noun, a product, an
//! icon or a guess. This is the one place that knows how readers open their reasons; a reader
//! that words a reason anew adds its opening here, and the table test below holds one of each.

/// The signal that decided an element's kind: the part of `inferred_from` before any
/// `(over …)` naming what it overrode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindSignal<'a> {
    /// The author said so: an attribute (`kind=store`), a label marker (`(process)`, `P1:`), or
    /// a threat-modeling tool's element type.
    Declared,
    /// The label's own noun, verb, process number or file name; with the noun when one is
    /// quoted (`label noun "db"`).
    LabelNoun(&'a str),
    /// A product phrase of the label (`label word "payment gateway"`).
    LabelWord(&'a str),
    /// A technology named in the label or an attribute, by id (`technology aws-s3`).
    Technology(&'a str),
    /// A recognised icon, by its name in the style (`resIcon=mxgraph.aws4.secrets_manager`).
    Icon(&'a str),
    /// The reader's default: nothing at all said what the element is.
    Default,
    /// A page-wide shape guess or an unrecognised shape: nothing the author named or drew decided.
    Guess,
    /// Anything else: a shape's notation, the graph's structure, a zone.
    Other,
}

/// Openings of the reasons readers give for a declared kind.
const DECLARED: &[&str] = &[
    "kind=",
    "type=",
    "dfd=",
    "dfd_type=",
    "element=",
    "stereotype=",
    "label \"",
    "label prefix",
    "object attribute",
    "pytm id prefix",
    "Threat Dragon",
    "OTM type",
    "Threagile type",
    "TMT ",
];

/// Openings of the reasons the label's own words give.
const LABEL_NOUN: &[&str] =
    &["label noun", "label verb", "label starts with", "label is", "headline is"];

/// Words in a reason that say nothing named or drawn decided.
const GUESSES: &[&str] = &["default", "convention", "rectangle", "unrecognised"];

/// The first text in double quotes (`label noun "db"` gives `db`), or "".
fn quoted(text: &str) -> &str {
    text.split('"').nth(1).unwrap_or_default()
}

/// The signal that decided, read from an element's `inferred_from`.
pub fn deciding_signal(inferred_from: &str) -> KindSignal<'_> {
    let deciding = inferred_from.split(" (over ").next().unwrap_or_default();
    if DECLARED.iter().any(|d| deciding.starts_with(d)) {
        return KindSignal::Declared;
    }
    if LABEL_NOUN.iter().any(|d| deciding.starts_with(d)) {
        return KindSignal::LabelNoun(quoted(deciding));
    }
    if let Some(rest) = deciding.strip_prefix("label word ") {
        return KindSignal::LabelWord(quoted(rest));
    }
    if let Some(rest) = deciding.strip_prefix("technology ") {
        return KindSignal::Technology(rest.split_whitespace().next().unwrap_or_default());
    }
    if deciding.starts_with("default") {
        return KindSignal::Default;
    }
    if GUESSES.iter().any(|g| deciding.contains(g)) {
        return KindSignal::Guess;
    }
    // The icon's name ends the reason: `AWS icon resIcon=mxgraph.aws4.s3`, `vendor icon image
    // Data_Factory.svg`.
    if deciding.contains(" icon ") {
        return KindSignal::Icon(deciding.split_whitespace().last().unwrap_or_default());
    }
    KindSignal::Other
}

#[cfg(test)]
mod tests {
    use super::*;
    use KindSignal::*;

    #[test]
    fn every_opening_readers_write_is_read() {
        let cases = [
            ("kind=store", Declared),
            ("object attribute kind=process", Declared),
            ("label \"(External Entity)\"", Declared),
            ("label prefix \"P1:\"", Declared),
            ("TMT generic type GE.P", Declared),
            ("Threagile type process", Declared),
            ("label noun \"db\" (over rounded/square convention)", LabelNoun("db")),
            ("label verb \"manage\"", LabelNoun("manage")),
            ("label starts with process number \"2.\"", LabelNoun("2.")),
            ("label is a file name ending .py", LabelNoun("")),
            ("label word \"payment gateway\"", LabelWord("payment gateway")),
            ("technology aws-s3", Technology("aws-s3")),
            (
                "technology api-gateway (Amazon API Gateway: the diagram's …)",
                Technology("api-gateway"),
            ),
            (
                "AWS icon resIcon=mxgraph.aws4.secrets_manager",
                Icon("resIcon=mxgraph.aws4.secrets_manager"),
            ),
            ("AWS icon shape=mxgraph.aws4.endpoint (unrecognised service: process)", Guess),
            ("default", Default),
            ("vendor icon image Data_Factory.svg", Icon("Data_Factory.svg")),
            ("unrecognised shape mxgraph.archimate3.actor (default process)", Guess),
            ("rounded/square convention", Guess),
            (
                "plain rectangle (this drawing has no process drawn as an ellipse or rounded box)",
                Guess,
            ),
            ("cylinder", Other),
            ("in \"Partners\", a third party's zone (over default)", Other),
        ];
        for (reason, want) in cases {
            assert_eq!(deciding_signal(reason), want, "{reason}");
        }
    }
}
