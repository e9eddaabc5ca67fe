//! The loader never panics or hangs, whatever the bytes: arbitrary bytes, YAML-like soup and
//! valid files with random damage are fed to the assessment, catalogue, registry, site and page
//! readers, and every diagnostic must point inside the file.
//!
//! `PROPTEST_CASES` sets the cases per property (default 256, a few seconds in all);
//! `LOADER_FUZZ_SECONDS` keeps each property running fresh rounds for that many seconds
//! (`scripts/fuzz-smoke.sh` uses both). A failure is saved to
//! `tests/loader_robustness.proptest-regressions` and replayed first on later runs; turn it
//! into a case of `tests/fixtures/check/` as well.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use blomlada::content::{self, assessment::Against, pages};
use blomlada::diagnostics::Diagnostics;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};

const SITE: &str = include_str!("fixtures/check/base/site.yaml");
const COUNTIES: &str = include_str!("fixtures/check/base/registry/counties.csv");
const MUNICIPALITIES: &str = include_str!("fixtures/check/base/registry/municipalities.csv");
const CATALOG_V2: &str = include_str!("fixtures/check/base/catalogs/v2.yaml");
const CATALOG_V3: &str = include_str!("fixtures/check/base/catalogs/v3.yaml");
const ASSESSMENT: &str = include_str!("fixtures/check/base/assessments/2017/1881-kumla.yaml");
const PAGE: &str = include_str!("fixtures/check/base/pages/om.md");

/// Pieces of YAML (and CSV) syntax, so that random text reaches deep into the parser.
const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    " ",
    "  ",
    "\t",
    ": ",
    ":",
    "- ",
    "-",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "\"",
    "'",
    "\\",
    "#",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!!int ",
    "!x ",
    "|",
    ">",
    "|-",
    "---",
    "...",
    "%YAML 1.2",
    "~",
    "null",
    "true",
    "0180",
    "2017",
    "1e9",
    ".inf",
    "0x1F",
    "helt",
    "delvis",
    "inte",
    "aldre-1",
    "barn-2",
    "answers",
    "municipality",
    "year",
    "catalog",
    "published",
    "2017-02-30",
    "v3",
    "å",
    "ä",
    "ö",
    "\u{feff}",
    "\u{0}",
    ",",
    ";",
    "\"\"",
];

fn against_base<R>(f: impl FnOnce(&Against<'_>) -> R) -> R {
    let dir = Path::new("content");
    let mut diagnostics = Diagnostics::new();
    let registry = content::registry_from_texts(dir, COUNTIES, MUNICIPALITIES, &mut diagnostics)
        .expect("the base registry is valid");
    let catalogs = content::catalogs_from_texts(
        dir,
        &[
            (PathBuf::from("catalogs/v2.yaml"), CATALOG_V2.to_string()),
            (PathBuf::from("catalogs/v3.yaml"), CATALOG_V3.to_string()),
        ],
        &mut diagnostics,
    )
    .expect("the base catalogues are valid");
    assert!(diagnostics.is_empty());
    f(&Against {
        registry: &registry,
        catalogs: &catalogs,
    })
}

/// Every diagnostic about the file at `path` names a line and column inside its `text` (or
/// just after its end).
fn assert_positions_inside(
    diagnostics: &Diagnostics,
    path: &str,
    text: &str,
) -> Result<(), TestCaseError> {
    let lines = blomlada::diagnostics::line_count(text);
    for d in diagnostics.iter().filter(|d| d.path == Path::new(path)) {
        prop_assert!(d.pos.line >= 1 && d.pos.column >= 1, "{}", d.headline());
        prop_assert!(
            d.pos.line <= lines + 1,
            "{} (the text has {lines} lines) {text:?}",
            d.headline()
        );
        prop_assert!(!d.message.is_empty());
        prop_assert!(
            !d.message.contains('\n') && !d.message.contains('\r'),
            "a message must be one line: {:?}",
            d.message
        );
    }
    Ok(())
}

/// Feeds `bytes` to every reader as every kind of file.
fn every_reader(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = Path::new("content");
    let mut diagnostics = Diagnostics::new();
    let Some(text) = content::text_from_bytes(Path::new("x"), bytes.to_vec(), &mut diagnostics)
    else {
        prop_assert!(diagnostics.has_errors());
        return assert_positions_inside(&diagnostics, "x", &String::from_utf8_lossy(bytes));
    };
    against_base(|against| {
        let (result, d) =
            content::assessment_from_text(dir, Path::new("assessments/x.yaml"), &text, against);
        if result.is_some() {
            prop_assert!(!d.has_errors());
        }
        assert_positions_inside(&d, "content/assessments/x.yaml", &text)
    })?;

    let mut d = Diagnostics::new();
    let catalogs = content::catalogs_from_texts(
        dir,
        &[
            (PathBuf::from("catalogs/v2.yaml"), CATALOG_V2.to_string()),
            (PathBuf::from("catalogs/x.yaml"), text.clone()),
        ],
        &mut d,
    );
    if catalogs.is_some() {
        prop_assert!(!d.has_errors());
    }
    assert_positions_inside(&d, "content/catalogs/x.yaml", &text)?;

    let mut d = Diagnostics::new();
    content::registry_from_texts(dir, &text, MUNICIPALITIES, &mut d);
    assert_positions_inside(&d, "content/registry/counties.csv", &text)?;
    let mut d = Diagnostics::new();
    content::registry_from_texts(dir, COUNTIES, &text, &mut d);
    assert_positions_inside(&d, "content/registry/municipalities.csv", &text)?;

    let mut d = Diagnostics::new();
    content::site_config_from_text(Path::new("site.yaml"), &text, &mut d);
    pages::read(Path::new("pages/x.md"), Path::new("x.md"), &text, &mut d);
    assert_positions_inside(&d, "site.yaml", &text)?;
    assert_positions_inside(&d, "pages/x.md", &text)
}

/// Damage done to a valid file.
#[derive(Debug, Clone)]
enum Damage {
    Insert(usize, String),
    Delete(usize, usize),
    Replace(usize, usize, String),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Indent(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    let piece = prop_oneof![
        3 => prop::sample::select(TOKENS).prop_map(str::to_string),
        1 => "\\PC{0,6}",
        1 => any::<u8>().prop_map(|b| char::from(b).to_string()),
    ];
    prop_oneof![
        (any::<usize>(), piece.clone()).prop_map(|(at, s)| Damage::Insert(at, s)),
        (any::<usize>(), 1..12usize).prop_map(|(at, n)| Damage::Delete(at, n)),
        (any::<usize>(), 1..6usize, piece).prop_map(|(at, n, s)| Damage::Replace(at, n, s)),
        any::<usize>().prop_map(Damage::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Damage::SwapLines(a, b)),
        (any::<usize>(), 0..5usize).prop_map(|(at, n)| Damage::Indent(at, n)),
    ]
}

/// The nearest character boundary at or before `at` (modulo the length).
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, damages: &[Damage]) -> String {
    let mut text = text.to_string();
    for d in damages {
        match d {
            Damage::Insert(at, s) => {
                let at = boundary(&text, *at);
                text.insert_str(at, s);
            }
            Damage::Delete(at, n) | Damage::Replace(at, n, _) => {
                let start = boundary(&text, *at);
                let end = boundary(&text, (start + n).min(text.len()));
                let with = match d {
                    Damage::Replace(_, _, s) => s.as_str(),
                    _ => "",
                };
                text.replace_range(start..end.max(start), with);
            }
            Damage::DuplicateLine(at) | Damage::Indent(at, _) | Damage::SwapLines(at, _) => {
                let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
                let i = at % lines.len();
                match d {
                    Damage::DuplicateLine(_) => {
                        let line = lines[i].clone();
                        lines.insert(i, line);
                    }
                    Damage::Indent(_, n) => lines[i] = format!("{}{}", " ".repeat(*n), lines[i]),
                    Damage::SwapLines(_, other) => {
                        let j = other % lines.len();
                        lines.swap(i, j);
                    }
                    _ => {}
                }
                text = lines.join("\n");
            }
        }
    }
    text
}

/// How long each property keeps running fresh rounds, if bounded by time.
fn time_per_property() -> Option<Duration> {
    let seconds: u64 = std::env::var("LOADER_FUZZ_SECONDS").ok()?.parse().ok()?;
    Some(Duration::from_secs(seconds))
}

/// Runs a property for `PROPTEST_CASES` cases, and again with fresh seeds for
/// `LOADER_FUZZ_SECONDS`, if that is set.
fn check<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    let deadline = time_per_property().map(|t| Instant::now() + t);
    let mut rounds = 0u64;
    loop {
        let config = Config {
            cases,
            source_file: Some(file!()),
            failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
                "proptest-regressions",
            ))),
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        if let Err(e) = runner.run(&strategy, &test) {
            panic!("{name}: {e}");
        }
        rounds += 1;
        if deadline.is_none_or(|d| Instant::now() >= d) {
            break;
        }
    }
    if deadline.is_some() {
        eprintln!("{name}: {rounds} rounds of {cases} cases");
    }
}

#[test]
fn arbitrary_bytes() {
    check(
        "arbitrary_bytes",
        prop::collection::vec(any::<u8>(), 0..2048),
        |bytes| every_reader(&bytes),
    );
}

#[test]
fn yaml_like_soup() {
    check(
        "yaml_like_soup",
        prop::collection::vec(prop::sample::select(TOKENS), 0..200),
        |tokens| every_reader(tokens.concat().as_bytes()),
    );
}

#[test]
fn damaged_assessments() {
    check(
        "damaged_assessments",
        prop::collection::vec(damage(), 1..8),
        |damages| every_reader(apply(ASSESSMENT, &damages).as_bytes()),
    );
}

#[test]
fn damaged_catalogues() {
    check(
        "damaged_catalogues",
        prop::collection::vec(damage(), 1..8),
        |damages| every_reader(apply(CATALOG_V3, &damages).as_bytes()),
    );
}

#[test]
fn damaged_registries() {
    check(
        "damaged_registries",
        prop::collection::vec(damage(), 1..8),
        |damages| {
            every_reader(apply(MUNICIPALITIES, &damages).as_bytes())?;
            every_reader(apply(COUNTIES, &damages).as_bytes())
        },
    );
}

#[test]
fn damaged_site_and_pages() {
    check(
        "damaged_site_and_pages",
        prop::collection::vec(damage(), 1..6),
        |damages| {
            every_reader(apply(SITE, &damages).as_bytes())?;
            every_reader(apply(PAGE, &damages).as_bytes())
        },
    );
}

/// The damage itself must be able to produce anything: a sanity check of the generator.
#[test]
fn damage_changes_text() {
    let damaged = apply(
        ASSESSMENT,
        &[Damage::Replace(0, 3, "X".into()), Damage::DuplicateLine(2)],
    );
    assert!(damaged.starts_with("Xicipality"));
    assert_ne!(damaged, ASSESSMENT);
}

/// A few nasty inputs that must each finish quickly.
#[test]
fn pathological_inputs_finish_quickly() {
    // Smaller in unoptimised builds, so that `cargo test` stays quick; still large enough that
    // anything quadratic would take minutes.
    let n = |count: usize| {
        if cfg!(debug_assertions) {
            count / 4
        } else {
            count
        }
    };
    let inputs: Vec<String> = vec![
        "[".repeat(n(100_000)),
        "{a: ".repeat(n(50_000)),
        "- ".repeat(n(100_000)),
        format!("a: \"{}", "x".repeat(n(500_000))),
        format!("{}a: 1", " ".repeat(n(500_000))),
        "a: &x 1\n".to_string() + &"b: *x\n".repeat(n(50_000)),
        "? ".repeat(n(50_000)),
        "a:\n".to_string() + &" ".repeat(2000) + "b",
        "x".repeat(n(1_048_000)),
        "a\rb\r".repeat(n(100_000)),
        // Thousands of problems in one file: each with its snippet and "did you mean".
        "municipality: \"0180\"\nyear: 2017\ncatalog: v3\nanswers:\n".to_string()
            + &"  aldre-9: Uppfyller helt\n".repeat(n(40_000)),
        "code,name\n".to_string() + &"1,\n".repeat(n(300_000)),
    ];
    for input in inputs {
        let start = Instant::now();
        let _ = every_reader(input.as_bytes());
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{} bytes starting {:?} took {:?}",
            input.len(),
            &input[..20.min(input.len())],
            start.elapsed()
        );
    }
}
