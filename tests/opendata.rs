//! The open data files of the `shapes` fixture, byte for byte.
//!
//! The expected files in `tests/fixtures/sites/shapes/expected/` were computed outside this
//! crate, straight from the contract's wording, from the fixture's answers and registry. How
//! some rows come about:
//!
//! - `indicators.csv`, `2016,old,riket,SE,f1,f1.a,5,3,1,1,0,0.6000,170000,289998,0.5862`:
//!   five municipalities published in 2016. f1.a: Ankeby (100 000) helt, Björkå (99 999)
//!   delvis, Dalby (20 000) helt, "Ekö, Norra" (19 999) inte, Gärdet (50 000) helt. Share helt
//!   3 / (3 + 1 + 1) = 0.6; population helt 100 000 + 20 000 + 50 000 = 170 000; published
//!   population 289 998; 170 000 / 289 998 = 0.58621 → 0.5862.
//! - `2017,new,storlek,10000-19999,bloom,a.3,1,0,0,0,1,,0,10000,0.0000`: Fjällsta (10 000) is
//!   alone in its class in 2017 and left a.3 unanswered: nobody answered, so share helt is
//!   undefined (empty), while 0 of its 10 000 inhabitants live where a.3 is met (0.0000).
//! - `2017,new,storlek,0-9999,bloom,a.1,1,1,0,0,0,1.0000,0,0,`: Östby has 0 inhabitants in the
//!   registry, so the population share is undefined (empty). Cederholm's draft (also below
//!   10 000) does not count: the class has 1 municipality.
//! - `2017,old,...` rows: "Ekö, Norra" still answered the old catalogue in 2017, a group of its
//!   own, sorted after `2017,new` because catalogues sort by id.
//! - `municipalities.csv`, `2017,new,0102,Björkå,01,99999,3,2,1,1,14,21`: helt a.1, g.1,
//!   soil_2; delvis a.2, soil_1.x; inte g.2; a.3 unanswered; 3·3 + 2·2 + 1 = 14 of 3·7 = 21.

use std::path::{Path, PathBuf};

use blomlada::content::{self, LoadOptions};
use blomlada::model::{Answer, Content, IndicatorRef};
use blomlada::render::opendata;
use blomlada::stats::{self, ChangeKind, Stats};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/shapes")
}

fn load() -> (Content, Stats) {
    let loaded = content::load(&fixture(), &LoadOptions { drafts: false });
    assert!(
        !loaded.diagnostics.has_errors(),
        "the fixture has errors: {:?}",
        loaded
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
    );
    let content = loaded
        .content
        .unwrap_or_else(|| panic!("the fixture loads"));
    let stats = stats::compute(&content);
    (content, stats)
}

fn expected(name: &str) -> String {
    let path = fixture().join("expected").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares line by line first, so that a failure names the first differing row.
fn assert_same(actual: Vec<u8>, name: &str) {
    let actual = String::from_utf8(actual).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
    let want = expected(name);
    for (n, (a, w)) in actual.lines().zip(want.lines()).enumerate() {
        assert_eq!(a, w, "{name}, line {}", n + 1);
    }
    assert_eq!(
        actual.lines().count(),
        want.lines().count(),
        "{name}: row count"
    );
    assert_eq!(actual, want, "{name}: bytes");
}

#[test]
fn answers_csv_as_a_stream_has_the_length_it_announces() {
    use blomlada::output::Stream;
    let (content, stats) = load();
    let stream = opendata::AnswersCsv::new(&content);
    let mut written = Vec::new();
    stream.write_to(&mut written).unwrap();
    assert_eq!(stream.size(), written.len() as u64);
    assert_eq!(written, opendata::answers_csv(&content, &stats));
}

#[test]
fn answers_csv_matches_hand_computed_file() {
    let (content, stats) = load();
    assert_same(opendata::answers_csv(&content, &stats), "answers.csv");
}

#[test]
fn municipalities_csv_matches_hand_computed_file() {
    let (content, stats) = load();
    assert_same(
        opendata::municipalities_csv(&content, &stats),
        "municipalities.csv",
    );
}

#[test]
fn indicators_csv_matches_hand_computed_file() {
    let (content, stats) = load();
    assert_same(opendata::indicators_csv(&content, &stats), "indicators.csv");
}

#[test]
fn drafts_count_nowhere() {
    let (content, stats) = load();
    let cederholm = content.registry.municipality_by_code["0103"];
    assert!(stats.by_municipality[cederholm].assessments.is_empty());
    assert_eq!(content.assessments.len(), 13);
    // The group of 2017 and `new`: 7 published, by code.
    let group = &stats.groups[1];
    let codes: Vec<&str> = group
        .assessments
        .iter()
        .map(|&i| {
            content.registry.municipalities[content.assessments[i].municipality]
                .code
                .as_str()
        })
        .collect();
    assert_eq!(
        codes,
        ["0101", "0102", "0701", "0703", "2501", "2502", "2503"]
    );
}

#[test]
fn changes_cross_from_old_to_new_catalogue() {
    let (content, stats) = load();
    let by_code = |code: &str, year: u16| {
        let m = content.registry.municipality_by_code[code];
        stats.by_municipality[m]
            .assessments
            .iter()
            .copied()
            .find(|&i| content.assessments[i].year == year)
            .unwrap_or_else(|| panic!("{code} {year}"))
    };
    // Ankeby 2016 (old): f1.a helt, f1.b helt, f1.c delvis, g_1 inte, g_2 helt, s1 delvis.
    // Ankeby 2017 (new): a.1 helt, a.2 helt, a.3 helt, g.1 delvis, g.2 helt, soil_1.x inte,
    // soil_2 helt. a.3 and soil_1.x continue nothing; f1.c is dropped.
    let now = by_code("0101", 2017);
    let previous = stats.assessments[now]
        .previous
        .as_ref()
        .unwrap_or_else(|| panic!("has a previous year"));
    assert_eq!(
        (previous.assessment, previous.year),
        (by_code("0101", 2016), 2016)
    );
    let kinds: Vec<ChangeKind> = previous.changes.iter().map(|c| c.kind).collect();
    use ChangeKind::*;
    assert_eq!(kinds, [Same, Same, New, Improved, Same, New, Improved]);
    assert_eq!(previous.changes[3].previous, Some(Answer::Inte));
    // "Ekö, Norra" stayed on the old catalogue: same ids.
    let eko = stats.assessments[by_code("0702", 2017)]
        .previous
        .as_ref()
        .unwrap_or_else(|| panic!("has a previous year"));
    let kinds: Vec<ChangeKind> = eko.changes.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [Improved, Same, Same, Improved, Worse, Improved]);
    // Time series of a.1: 2016 from old f1.a (3 of 5 helt), 2017 its own (4 of 7 helt).
    let new = content
        .catalog_by_id("new")
        .unwrap_or_else(|| panic!("the fixture has `new`"));
    let series = stats
        .indicator_series_of(IndicatorRef {
            catalog: new,
            indicator: 0,
        })
        .unwrap_or_else(|| panic!("`new` has a series"));
    let points: Vec<(u16, Option<f64>)> = series.iter().map(|p| (p.year, p.share_helt)).collect();
    assert_eq!(points, [(2016, Some(0.6)), (2017, Some(4.0 / 7.0))]);
}

#[test]
fn municipality_csv_has_texts_and_safe_comments() {
    let (content, stats) = load();
    let m = content.registry.municipality_by_code["0102"];
    let i = stats
        .latest(m)
        .unwrap_or_else(|| panic!("Björkå has published"));
    let text =
        String::from_utf8(opendata::municipality_csv(&content, &stats, i)).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8);
    assert_eq!(
        lines[1],
        "2017,new,0102,Björkå,01,bloom,a.1,helt,\"Residents can apply for a service, online, with a comma.\",\"'=Done, see https://example.org/\""
    );
    assert_eq!(
        lines[3],
        "2017,new,0102,Björkå,01,bloom,a.3,obesvarad,Residents can book a time online.,"
    );
    assert_eq!(
        lines[5],
        "2017,new,0102,Björkå,01,grass_2,g.2,inte,The municipality publishes open data.,Published as CSV."
    );
}

#[test]
fn site_json_describes_the_fixture() {
    let (content, stats) = load();
    let bytes = opendata::site_json(&content, &stats);
    let json: serde_json::Value =
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("site.json: {e}"));
    assert_eq!(json["title"], "Shapes");
    assert_eq!(json["language"], "en");
    assert_eq!(json["example_data"], true);
    assert_eq!(json["years"], serde_json::json!([2016, 2017]));
    assert_eq!(json["catalogs"][0]["id"], "new");
    assert_eq!(
        json["catalogs"][0]["areas"][0]["indicators"][1]["part"],
        "leaf"
    );
    assert_eq!(
        json["catalogs"][0]["areas"][0]["indicators"][1]["replaces"],
        serde_json::json!(["old/f1.b"])
    );
    assert_eq!(
        json["catalogs"][1]["years"],
        serde_json::json!([2016, 2017])
    );
    let eko = &json["municipalities"][4];
    assert_eq!(eko["name"], "Ekö, Norra");
    assert_eq!(eko["path"], "kommun/eko-norra/");
    assert_eq!(
        eko["assessments"][1]["csv"],
        "kommun/eko-norra/2017/eko-norra-2017.csv"
    );
    assert_eq!(eko["assessments"][1]["published"], "2017-11-15");
    assert_eq!(json["municipalities"][2]["path"], serde_json::Value::Null);
    assert_eq!(bytes.last(), Some(&b'\n'));
}
