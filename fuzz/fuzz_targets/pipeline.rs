//! The whole pipeline: bytes in (either format, detected), analysis, threats, JSON and SVG out.
//! Checks what must hold for any input: the JSON parses and the SVG is well-formed XML.
#![no_main]

use std::sync::OnceLock;

use dfd_threats::import::{ImportOptions, Limits};
use dfd_threats::threats::Catalog;
use libfuzzer_sys::fuzz_target;

/// Parsed once: the catalog is not what this target explores.
fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().unwrap_or_default())
}

fuzz_target!(|data: &[u8]| {
    let catalog = catalog();
    let limits = Limits { max_inflated_bytes: 4 << 20, ..Limits::default() };
    let options = ImportOptions { limits, ..ImportOptions::default() };
    let Ok(analysed) = dfd_threats::pipeline::run("fuzz", data, &options, catalog) else { return };
    let report = analysed.report(catalog);
    let json = dfd_threats::export::json::render(&report);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "invalid JSON");
    for (_, svg) in dfd_threats::export::svg::render(&report) {
        let mut reader = quick_xml::Reader::from_str(&svg);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("SVG is not well-formed: {e}"),
            }
        }
    }
});
