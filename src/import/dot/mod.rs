//! Graphviz DOT reader: our own lexer and parser (the whole language, linear time, bounded
//! nesting), then lowering with Graphviz semantics and DFD inference into [`Diagram`]s.

pub mod ast;
pub mod lexer;
mod lower;
pub mod parser;

use crate::diagnostic::Diagnostic;
use crate::import::{ImportOptions, Limits};
use crate::model::Diagram;

/// Reads a DOT file: one diagram per graph (or the one `options.page` names), plus warnings.
pub fn import(
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<(Vec<Diagram>, Vec<Diagnostic>), Diagnostic> {
    let text = decode(bytes)?;
    on_deep_stack(options.limits.max_depth, || {
        let graphs = parse_tokens(&text, &options.limits)?;
        lower::lower(&graphs, options, bytes.len())
    })
}

/// Whether the text starts, after white space, comments and `#` lines, with the keyword of a
/// Graphviz graph (`strict`, `graph`, `digraph`). Anything else sent to the DOT parser would get
/// an error about DOT syntax in a file that is not DOT at all. The name plays no part: a `.dot`
/// file holding something else is not DOT.
pub fn sniff(_name: &str, head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(after) = rest.strip_prefix("/*") {
            match after.split_once("*/") {
                Some((_, r)) => rest = r,
                None => return false,
            }
        } else if rest.starts_with('#') {
            rest = rest.split_once('\n').map_or("", |(_, r)| r);
        } else {
            break;
        }
    }
    let word: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    ["strict", "graph", "digraph"].iter().any(|k| word.eq_ignore_ascii_case(k))
}

/// Parses DOT text into syntax trees, one per graph. Exposed for fuzzing.
pub fn parse(text: &str, limits: &Limits) -> Result<Vec<ast::Graph>, Diagnostic> {
    on_deep_stack(limits.max_depth, || parse_tokens(text, limits))
}

/// Runs `work` on a thread whose stack fits `max_depth` levels of the recursive parser, lowering
/// and drop even in debug builds (about 11 KB a level there), so no caller's thread can overflow.
fn on_deep_stack<T: Send>(
    max_depth: usize,
    work: impl FnOnce() -> Result<T, Diagnostic> + Send,
) -> Result<T, Diagnostic> {
    const PER_LEVEL: usize = 64 << 10;
    let stack = max_depth.saturating_mul(PER_LEVEL).clamp(8 << 20, 1 << 30);
    std::thread::scope(|scope| {
        match std::thread::Builder::new().stack_size(stack).spawn_scoped(scope, work) {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(Diagnostic::new("internal error while reading the DOT file")
                    .with_help("please report this file to the dfd-threats maintainers"))
            }),
            Err(_) => Err(Diagnostic::new("could not start the DOT reader's thread")
                .with_help("the system is out of threads or memory; try again")),
        }
    })
}

fn parse_tokens(text: &str, limits: &Limits) -> Result<Vec<ast::Graph>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::new("the file is empty")
            .with_help("a DOT file starts with `digraph name {` or `graph name {`"));
    }
    let tokens = lexer::tokenize(text)?;
    parser::Parser::new(&tokens, limits.max_depth).graphs()
}

/// UTF-8 (BOM stripped), or Latin-1 when the file declares it as Graphviz allows.
fn decode(bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(_) if declares_latin1(bytes) => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(valid.get(line_start..).unwrap_or_default())
                .chars()
                .count()
                + 1;
            Err(Diagnostic::at(line, column, "the file is not valid UTF-8").with_help(
                "save the file as UTF-8, or declare `charset=latin1` in the graph if it is Latin-1",
            ))
        }
    }
}

/// Whether the raw bytes declare `charset` as Latin-1 in any of the spellings Graphviz accepts.
fn declares_latin1(bytes: &[u8]) -> bool {
    let lower = bytes.to_ascii_lowercase();
    let needle = b"charset";
    let mut from = 0;
    while let Some(found) = lower
        .get(from..)
        .and_then(|rest| rest.windows(needle.len()).position(|w| w == needle).map(|i| from + i))
    {
        let rest = lower.get(found + needle.len()..).unwrap_or_default();
        let value: Vec<u8> = rest
            .iter()
            .copied()
            .skip_while(|b| b.is_ascii_whitespace() || matches!(b, b'=' | b'"'))
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
            .collect();
        if matches!(
            value.as_slice(),
            b"latin1" | b"latin-1" | b"iso-8859-1" | b"iso_8859-1" | b"iso8859-1" | b"l1"
        ) {
            return true;
        }
        from = found + needle.len();
    }
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;
    use proptest::prelude::*;

    #[test]
    fn dot_is_recognised_after_comments_and_preprocessor_lines() {
        assert!(sniff("", b"digraph { a }"));
        assert!(sniff("", b"\xef\xbb\xbf// c\n/* block */ # line\n strict Graph g {}"));
        assert!(!sniff("", b"threagile_version: 1.0.0\ntitle: x\n"));
        assert!(!sniff("", b"# README\n\nSome text"));
        assert!(!sniff("", b"{\"summary\": {}}"));
        assert!(!sniff("", b"/* never closed"));
    }

    fn import_ok(bytes: &[u8]) -> Vec<Diagram> {
        import(bytes, &ImportOptions::default()).expect("test input is valid").0
    }

    #[test]
    fn bom_and_crlf() {
        let d = import_ok(b"\xef\xbb\xbfdigraph {\r\n a -> b [label=\"x\\\r\ny\"]\r\n}\r\n");
        assert_eq!(d[0].flows().next().expect("test input is valid").flow.label, "xy");
    }

    #[test]
    fn latin1_when_declared() {
        let d = import_ok(b"digraph { charset=\"Latin1\"; \"Gr\xfc\xdfe\" }");
        assert!(d[0].element_index("Grüße").is_some());
        let d = import_ok(b"digraph { graph [CHARSET = iso-8859-1] \xe9 }");
        assert!(d[0].element_index("é").is_some());
    }

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let err = import(b"digraph {\n  ab\xff }", &ImportOptions::default()).unwrap_err();
        assert_eq!(err.location, Some(Location::Text { line: 2, column: 5 }));
        assert!(err.help.expect("test input is valid").contains("charset=latin1"));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = import(&bytes, &ImportOptions::default());
        }

        #[test]
        fn token_soup_never_panics(parts in proptest::collection::vec(prop_oneof![
            Just("digraph"), Just("graph"), Just("strict"), Just("subgraph"), Just("cluster_a"),
            Just("node"), Just("edge"), Just("{"), Just("}"), Just("["), Just("]"), Just("="),
            Just(";"), Just(","), Just(":"), Just("->"), Just("--"), Just("a"), Just("b"),
            Just("\"q\\\"\""), Just("<<b>h</b>>"), Just("+"), Just("-.5"), Just("label"),
            Just("pos"), Just("\"1,2\""), Just("dir"), Just("both"), Just("/*"), Just("#"),
            Just("\n"), Just("\\"), Just("shape"), Just("cylinder"),
        ], 0..60)) {
            let _ = import(parts.join(" ").as_bytes(), &ImportOptions::default());
        }
    }
}
