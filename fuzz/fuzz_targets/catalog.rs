//! A catalogue file of any bytes, loaded beside the test catalogue v2 (for `replaces`).
#![no_main]

use std::path::PathBuf;

use blomlada::content;
use blomlada::diagnostics::Diagnostics;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let mut diagnostics = Diagnostics::new();
    let catalogs = content::catalogs_from_texts(
        common::dir(),
        &[
            (
                PathBuf::from("catalogs/v2.yaml"),
                common::CATALOG_V2.to_string(),
            ),
            (PathBuf::from("catalogs/fuzzed.yaml"), text.clone()),
        ],
        &mut diagnostics,
    );
    assert!(catalogs.is_none() || !diagnostics.has_errors());
    common::check_diagnostics(&diagnostics, &text);
});
