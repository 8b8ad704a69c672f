//! The readers, as one table: what each is called, which file names it claims, how it recognises
//! its content and the function that reads it. Format detection, the folder walk, output names,
//! `--from`, `dfd-threats formats` and the "not a diagram" message all read this table, so a new
//! input format is its own module plus one row here (pandoc's `Readers.hs` is the model).

use super::{dot, drawio, otm, threagile, threat_dragon, tmt, ImportOptions};
use crate::diagnostic::Diagnostic;
use crate::model::{Diagram, Format};

/// What a reader returns: the diagrams of the file, and warnings.
pub type ReadResult = Result<(Vec<Diagram>, Vec<Diagnostic>), Diagnostic>;

/// One input format.
pub struct Reader {
    /// The format's name: `--from NAME`, the JSON's `source.format`.
    pub format: Format,
    /// What people call it.
    pub title: &'static str,
    /// File name endings it claims, lower case: the folder walk picks these files up, and
    /// output names drop them.
    pub extensions: &'static [&'static str],
    /// Endings other files share (`.xml`, `.json`): the folder walk picks such a file up only
    /// when its content sniffs as this format, so a stray `notes.xml` does not fail a docs build.
    pub shared_extensions: &'static [&'static str],
    /// Whether content (`head`, the first bytes) is this format; `name` is the file name in
    /// lower case, for formats whose content alone is ambiguous (an SVG or PNG that holds a
    /// draw.io diagram).
    pub sniff: fn(name: &str, head: &[u8]) -> bool,
    pub read: fn(bytes: &[u8], options: &ImportOptions) -> ReadResult,
}

/// Every reader, in the order content is tried: the first whose `sniff` accepts a file reads it.
/// Each sniff is strict enough that the order does not matter for a well-formed file.
pub const READERS: &[Reader] = &[
    Reader {
        format: Format::DOT,
        title: "Graphviz DOT",
        extensions: &[".dot", ".gv"],
        shared_extensions: &[],
        sniff: dot::sniff,
        read: dot::import,
    },
    Reader {
        format: Format::DRAWIO,
        title: "draw.io",
        extensions: &[".drawio.xml", ".drawio.svg", ".drawio.png", ".drawio"],
        shared_extensions: &[".xml"],
        sniff: drawio::sniff,
        read: drawio::import,
    },
    Reader {
        format: Format("tmt"),
        title: "Microsoft Threat Modeling Tool",
        extensions: &[".tm7"],
        shared_extensions: &[],
        sniff: tmt::sniff,
        read: tmt::import,
    },
    Reader {
        format: Format("otm"),
        title: "Open Threat Model",
        extensions: &[".otm"],
        shared_extensions: &[".json", ".yaml", ".yml"],
        sniff: otm::sniff,
        read: otm::import,
    },
    Reader {
        format: Format("threagile"),
        title: "Threagile",
        extensions: &[],
        shared_extensions: &[".yaml", ".yml"],
        sniff: threagile::sniff,
        read: threagile::import,
    },
    Reader {
        format: Format("threat-dragon"),
        title: "OWASP Threat Dragon",
        extensions: &[],
        shared_extensions: &[".json"],
        sniff: threat_dragon::sniff,
        read: threat_dragon::import,
    },
];

/// How many bytes of a file sniffing looks at.
pub const HEAD_BYTES: usize = 64 << 10;

/// The reader named `name` (`--from`), case-insensitively.
pub fn by_name(name: &str) -> Option<&'static Reader> {
    READERS.iter().find(|r| r.format.name().eq_ignore_ascii_case(name))
}

/// The reader for a file, by its content (and, where the content is ambiguous, its name).
pub fn detect(path: &str, bytes: &[u8]) -> Option<&'static Reader> {
    let name = path.to_ascii_lowercase();
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    READERS.iter().find(|r| (r.sniff)(&name, head))
}

/// Whether a folder walk picks up a file: its name ends with one of a reader's own extensions,
/// or with a shared one (`.xml`) and its content (`head()`, read only then) sniffs as that
/// reader's format. The reader is then chosen by content, as for any input.
pub fn walk_picks(name: &str, head: impl FnOnce() -> Vec<u8>) -> bool {
    let name = name.to_ascii_lowercase();
    if READERS.iter().flat_map(|r| r.extensions).any(|e| name.ends_with(e)) {
        return true;
    }
    let sharing: Vec<&Reader> =
        READERS.iter().filter(|r| r.shared_extensions.iter().any(|e| name.ends_with(e))).collect();
    if sharing.is_empty() {
        return false;
    }
    // Content alone decides here (no name given to `sniff`): the name is what is in doubt.
    let head = head();
    sharing.iter().any(|r| (r.sniff)("", &head))
}

/// `name` without the reader extension it ends with (`orders.drawio.svg` gives `orders`), and
/// repeatedly (`orders.drawio.xml`); `name` itself when it ends with none.
pub fn strip_extensions(name: &str) -> &str {
    let mut rest = name;
    'strip: loop {
        let lower = rest.to_ascii_lowercase();
        for e in READERS.iter().flat_map(|r| r.extensions.iter().chain(r.shared_extensions)) {
            if lower.ends_with(e) && rest.len() > e.len() {
                rest = &rest[..rest.len() - e.len()];
                continue 'strip;
            }
        }
        return rest;
    }
}

/// The formats read, for messages: `Graphviz DOT (.dot, .gv), draw.io (...)`.
pub fn described() -> String {
    let one = |r: &Reader| {
        let all: Vec<&str> = r.extensions.iter().chain(r.shared_extensions).copied().collect();
        format!("{} ({})", r.title, all.join(", "))
    };
    READERS.iter().map(one).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_and_names_only_settle_ambiguous_content() {
        let name = |path: &str, bytes: &[u8]| detect(path, bytes).map(|r| r.format.name());
        assert_eq!(name("x.txt", b"digraph { a -> b }"), Some("dot"));
        assert_eq!(name("x.dot", b"<mxfile><diagram/></mxfile>"), Some("drawio"));
        assert_eq!(name("x.drawio.svg", b"<svg content=\"...\">"), Some("drawio"));
        assert_eq!(
            name("x.dot", b"threagile_version: 1.0.0\ntechnical_assets:\n"),
            Some("threagile")
        );
        assert_eq!(name("x.dot", b"root:x:0:0:root:/root:/bin/bash\n"), None);
    }

    #[test]
    fn every_extension_is_lower_case_and_an_own_one_is_claimed_once() {
        let own: Vec<&str> = READERS.iter().flat_map(|r| r.extensions.iter().copied()).collect();
        let shared: Vec<&str> =
            READERS.iter().flat_map(|r| r.shared_extensions.iter().copied()).collect();
        for e in own.iter().chain(&shared) {
            assert!(e.starts_with('.') && *e == e.to_ascii_lowercase(), "{e}");
        }
        for e in &own {
            assert_eq!(own.iter().filter(|x| *x == e).count(), 1, "{e} claimed twice");
            assert!(!shared.contains(e), "{e} is both a reader's own and shared");
        }
        let names: Vec<&str> = READERS.iter().map(|r| r.format.name()).collect();
        assert!(names.iter().all(|n| by_name(n).is_some()));
    }

    #[test]
    fn stems_lose_every_reader_extension() {
        assert_eq!(strip_extensions("orders.drawio.svg"), "orders");
        assert_eq!(strip_extensions("orders.drawio.xml"), "orders");
        assert_eq!(strip_extensions("Orders.DOT"), "Orders");
        assert_eq!(strip_extensions("notes.txt"), "notes.txt");
        assert_eq!(strip_extensions(".dot"), ".dot");
        let empty = Vec::new;
        assert!(walk_picks("A.GV", empty) && !walk_picks("readme.md", empty));
        assert!(!walk_picks("notes.xml", || b"<notes/>".to_vec()));
        assert!(walk_picks("page.xml", || b"<mxfile><diagram/></mxfile>".to_vec()));
    }
}
