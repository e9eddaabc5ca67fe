//! A registry file of any bytes: the first byte picks whether it stands in for
//! counties.csv or municipalities.csv; the other file is the test registry's.
#![no_main]

use blomlada::content;
use blomlada::diagnostics::Diagnostics;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = common::text(rest) else {
        return;
    };
    let mut diagnostics = Diagnostics::new();
    let registry = if which % 2 == 0 {
        content::registry_from_texts(
            common::dir(),
            &text,
            common::MUNICIPALITIES,
            &mut diagnostics,
        )
    } else {
        content::registry_from_texts(common::dir(), common::COUNTIES, &text, &mut diagnostics)
    };
    assert!(registry.is_none() || !diagnostics.has_errors());
    if let Some(registry) = registry {
        // Every code and slug the site will use is unique.
        let mut slugs: Vec<&str> = registry
            .municipalities
            .iter()
            .map(|m| m.slug.as_str())
            .collect();
        slugs.sort_unstable();
        let count = slugs.len();
        slugs.dedup();
        assert_eq!(count, slugs.len(), "two municipalities share an address");
    }
});
