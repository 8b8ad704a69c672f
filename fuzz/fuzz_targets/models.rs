//! The readers of other tools' models (Threat Dragon, OTM, Microsoft TMT, Threagile) on arbitrary
//! bytes, each of them whatever the content sniffs as: never a panic, a hang or unbounded memory.
#![no_main]

use dfd_threats::import::{otm, threagile, threat_dragon, tmt, ImportOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = ImportOptions::default();
    let _ = threat_dragon::import(data, &options);
    let _ = otm::import(data, &options);
    let _ = tmt::import(data, &options);
    let _ = threagile::import(data, &options);
});
