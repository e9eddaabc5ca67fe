//! Snapshots of the key pages of a small site: a change to what a page shows is seen in
//! review as a change to its snapshot (`cargo insta review`, or `INSTA_UPDATE=always`).
//!
//! The fixture's catalogues are shaped unlike the bundled one (leaves, several soil areas,
//! ids with dots and underscores, a catalogue that replaces another), so these pages show the
//! change across catalogues, aggregates of several municipalities and an indicator's history.

mod common;

use std::collections::BTreeMap;

use common::*;

fn site() -> BTreeMap<String, Vec<u8>> {
    built_site("shapes", &["--no-png"])
}

#[test]
fn key_pages() {
    let site = site();
    for (name, path) in [
        ("national", "index.html"),
        ("county", "lan/alfa-lan/index.html"),
        ("municipality_latest", "kommun/ankeby/index.html"),
        ("municipality_year", "kommun/ankeby/2016/index.html"),
        ("indicator", "indikator/new/a.1/index.html"),
        ("comparison", "jamfor/index.html"),
        ("code_redirect", "kommun/0101/index.html"),
        ("feed", "feed.xml"),
    ] {
        let text = String::from_utf8(site[path].clone()).unwrap();
        insta::assert_snapshot!(name, text);
    }
}
