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

/// Markup that `reuse` keeps from one page for the next is the markup each page would write
/// itself: the site built with the default theme and with a copy of it that calls every
/// reused macro directly is the same, byte for byte, in both languages.
#[test]
fn reused_markup_is_each_pages_own() {
    let dir = tempfile::tempdir().unwrap();
    let direct = dir.path().join("theme");
    copy_dir(&repo().join("themes/default"), &direct);
    let call = call_reused_macros_directly(&direct);
    assert!(call > 0, "the default theme reuses no markup");

    let with_reuse = built_site("shapes", &["--no-png"]);
    let out = dir.path().join("site");
    assert_success(
        &blomlada()
            .args(["build", "--no-png", "--content"])
            .arg(repo().join("tests/fixtures/sites/shapes"))
            .arg("--theme")
            .arg(&direct)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("run blomlada"),
    );
    let without = tree(&out);
    assert_eq!(with_reuse.len(), without.len());
    let mut pages = 0;
    for (path, bytes) in &with_reuse {
        assert!(
            without.get(path) == Some(bytes),
            "{path} differs when its markup is not reused"
        );
        pages += usize::from(path.ends_with(".html"));
    }
    assert!(pages > 10);
}

/// Rewrites `reuse(name, args…)` as `name(args…)` in every template under `theme`, and
/// returns how many it rewrote.
fn call_reused_macros_directly(theme: &std::path::Path) -> usize {
    let mut count = 0;
    for entry in walkdir::WalkDir::new(theme.join("templates")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("reuse(") {
            let after = &rest[at + "reuse(".len()..];
            let comma = after.find(", ").unwrap();
            out.push_str(&rest[..at]);
            out.push_str(&after[..comma]);
            out.push('(');
            rest = &after[comma + 2..];
            count += 1;
        }
        out.push_str(rest);
        std::fs::write(entry.path(), out).unwrap();
    }
    count
}
