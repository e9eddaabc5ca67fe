//! An assessment file of any bytes, checked against the test registry and catalogues.
#![no_main]

use std::path::Path;

use blomlada::content::{self, assessment::Against};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let (registry, catalogs) = common::base();
    let against = Against { registry, catalogs };
    let (result, diagnostics) = content::assessment_from_text(
        common::dir(),
        Path::new("assessments/fuzzed.yaml"),
        &text,
        &against,
    );
    assert!(result.is_none() || !diagnostics.has_errors());
    common::check_diagnostics(&diagnostics, &text);
});
