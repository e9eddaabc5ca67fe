//! The small content folder of the `check` tests, which fuzzed files are checked against.
// Each target uses only part of this file.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use blomlada::content;
use blomlada::diagnostics::Diagnostics;
use blomlada::model::{Catalog, Registry};

pub const COUNTIES: &str = include_str!("../../tests/fixtures/check/base/registry/counties.csv");
pub const MUNICIPALITIES: &str =
    include_str!("../../tests/fixtures/check/base/registry/municipalities.csv");
pub const CATALOG_V2: &str = include_str!("../../tests/fixtures/check/base/catalogs/v2.yaml");
pub const CATALOG_V3: &str = include_str!("../../tests/fixtures/check/base/catalogs/v3.yaml");

pub fn dir() -> &'static Path {
    Path::new("content")
}

/// The registry and catalogues, read once.
pub fn base() -> &'static (Registry, Vec<Catalog>) {
    static BASE: OnceLock<(Registry, Vec<Catalog>)> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut diagnostics = Diagnostics::new();
        let registry =
            content::registry_from_texts(dir(), COUNTIES, MUNICIPALITIES, &mut diagnostics)
                .expect("the base registry is valid");
        let catalogs = content::catalogs_from_texts(
            dir(),
            &[
                (PathBuf::from("catalogs/v2.yaml"), CATALOG_V2.to_string()),
                (PathBuf::from("catalogs/v3.yaml"), CATALOG_V3.to_string()),
            ],
            &mut diagnostics,
        )
        .expect("the base catalogues are valid");
        (registry, catalogs)
    })
}

/// The bytes as a content file's text, as the loader reads it.
pub fn text(data: &[u8]) -> Option<String> {
    content::text_from_bytes(Path::new("fuzzed"), data.to_vec(), &mut Diagnostics::new())
}

/// What must hold for every diagnostic: a position inside the file, a one-line message.
pub fn check_diagnostics(diagnostics: &Diagnostics, text: &str) {
    let lines = blomlada::diagnostics::line_count(text);
    for d in diagnostics.iter() {
        assert!(d.pos.line >= 1 && d.pos.column >= 1, "{}", d.headline());
        assert!(
            !d.message.is_empty() && !d.message.contains('\n'),
            "{}",
            d.headline()
        );
        if d.path.ends_with("fuzzed.yaml") || d.path.ends_with("fuzzed.csv") {
            assert!(d.pos.line <= lines + 1, "{}", d.headline());
        }
    }
}
