//! Invariants of the statistics on generated content: counties and size classes add up to the
//! nation, tallies add up to municipalities, open data rows match the figures, and the result
//! does not depend on thread scheduling.

use std::path::Path;

use blomlada::content::{self, registry};
use blomlada::diagnostics::Diagnostics;
use blomlada::model::{Answer, Assessment, CatalogIndex, Content, County, Municipality};
use blomlada::render::opendata;
use blomlada::stats::{self, Scope, Stats};

struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The shapes fixture's catalogues with a generated registry and answers: each municipality
/// and year publishes with probability 3/4, answering `old` or `new` at random.
fn generated(seed: u64, municipalities: usize) -> Content {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/shapes");
    let mut diagnostics = Diagnostics::new();
    let base = content::load_base(&dir, &mut diagnostics)
        .unwrap_or_else(|| panic!("the fixture's base loads"));
    let mut draw = Draw(seed);
    let counties: Vec<County> = (1..=5)
        .map(|c| County {
            code: format!("{c:02}"),
            name: format!("Län {c}"),
            slug: format!("lan-{c}"),
        })
        .collect();
    let registry = registry::build(
        counties,
        (0..municipalities)
            .map(|m| Municipality {
                code: format!("{m:04}"),
                name: format!("Kommun {m}"),
                slug: format!("kommun-{m}"),
                // County 4 gets nobody: it must have no scope.
                county: m % 4,
                population: draw.next() % 150_000,
                population_year: 2024,
            })
            .collect(),
    );
    let mut assessments = Vec::new();
    for year in 2015..2019u16 {
        for m in 0..municipalities {
            if draw.next().is_multiple_of(4) {
                continue;
            }
            let catalog = CatalogIndex::new((draw.next() % 2) as usize);
            let answers = (0..base.catalogs[catalog].indicators.len())
                .map(|_| match draw.next() % 7 {
                    0 | 1 => Some(Answer::Helt),
                    2 | 3 => Some(Answer::Delvis),
                    4 | 5 => Some(Answer::Inte),
                    _ => None,
                })
                .collect();
            assessments.push(Assessment {
                source: format!("assessments/{year}/{m}.yaml").into(),
                municipality: m,
                year,
                catalog,
                published: None,
                answers,
                summary: None,
                comments: Vec::new(),
            });
        }
    }
    content::sort_assessments(&mut assessments, &registry);
    Content {
        config: base.config,
        registry,
        catalogs: base.catalogs,
        assessments,
        pages: Vec::new(),
        boundaries: None,
    }
}

/// Adds scopes up: municipalities, population and every indicator's tally and population helt.
/// helt, delvis, inte, obesvarad and population helt of one indicator.
type IndicatorSum = (u32, u32, u32, u32, u64);

fn sum(scopes: &[&Scope]) -> (u32, u64, Vec<IndicatorSum>) {
    let mut indicators = vec![(0, 0, 0, 0, 0); scopes[0].indicators.len()];
    for scope in scopes {
        for (total, f) in indicators.iter_mut().zip(&scope.indicators) {
            total.0 += f.tally.helt;
            total.1 += f.tally.delvis;
            total.2 += f.tally.inte;
            total.3 += f.tally.obesvarad;
            total.4 += f.population_helt;
        }
    }
    (
        scopes.iter().map(|s| s.municipalities).sum(),
        scopes.iter().map(|s| s.population_published).sum(),
        indicators,
    )
}

fn check(content: &Content, stats: &Stats) {
    let registry_population: u64 = content
        .registry
        .municipalities
        .iter()
        .map(|m| m.population)
        .sum();
    let mut counted = 0;
    for group in &stats.groups {
        let nation = &group.nation;
        counted += group.assessments.len();
        assert_eq!(nation.municipalities as usize, group.assessments.len());
        assert_eq!(
            nation.registry_municipalities as usize,
            content.registry.municipalities.len()
        );
        assert_eq!(nation.population_total, registry_population);
        let whole = sum(&[nation]);
        let counties: Vec<&Scope> = group.counties.iter().map(|(_, s)| s).collect();
        let sizes: Vec<&Scope> = group.sizes.iter().map(|(_, s)| s).collect();
        assert_eq!(sum(&counties), whole, "counties add up to the nation");
        assert_eq!(sum(&sizes), whole, "size classes add up to the nation");
        assert!(
            group
                .counties
                .iter()
                .all(|(c, s)| *c < 4 && s.municipalities > 0)
        );
        assert!(group.counties.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(group.sizes.windows(2).all(|w| w[0].0 < w[1].0));
        for scope in std::iter::once(nation).chain(counties).chain(sizes) {
            for f in &scope.indicators {
                assert_eq!(f.tally.total(), scope.municipalities);
                assert_eq!(f.population_published, scope.population_published);
                assert!(f.population_helt <= f.population_published);
            }
            let area_total: u32 = scope.areas.iter().map(|a| a.tally.total()).sum();
            assert_eq!(area_total, scope.total.total());
            for area in &scope.areas {
                assert!(area.strongest.iter().all(|i| !area.weakest.contains(i)));
                assert!(
                    area.most_common
                        .iter()
                        .all(|i| !area.least_common.contains(i))
                );
            }
        }
        for &i in &group.assessments {
            let a = &content.assessments[i];
            assert_eq!((a.year, a.catalog), (group.year, group.catalog));
        }
    }
    assert_eq!(counted, content.assessments.len());
    for (i, figures) in stats.assessments.iter().enumerate() {
        let a = &content.assessments[i];
        assert_eq!(figures.total.total() as usize, a.answers.len());
        assert_eq!(
            figures.total.helt as usize,
            a.answers
                .iter()
                .filter(|x| **x == Some(Answer::Helt))
                .count()
        );
        assert!(figures.points <= figures.max_points);
        if let Some(previous) = &figures.previous {
            let before = &content.assessments[previous.assessment];
            assert_eq!(before.municipality, a.municipality);
            assert!(before.year < a.year);
            assert_eq!(previous.changes.len(), a.answers.len());
        }
    }

    let lines = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap_or_default().lines().count();
    let answer_rows: usize = content.assessments.iter().map(|a| a.answers.len()).sum();
    assert_eq!(
        lines(opendata::answers_csv(content, stats)),
        1 + answer_rows
    );
    assert_eq!(
        lines(opendata::municipalities_csv(content, stats)),
        1 + content.assessments.len()
    );
    let indicator_rows: usize = stats
        .groups
        .iter()
        .map(|g| (1 + g.counties.len() + g.sizes.len()) * g.nation.indicators.len())
        .sum();
    assert_eq!(
        lines(opendata::indicators_csv(content, stats)),
        1 + indicator_rows
    );
}

#[test]
fn scopes_add_up_and_rows_match_on_generated_content() {
    for seed in [1, 0xDEAD_BEEF, 42_4242] {
        let content = generated(seed, 300);
        let stats = stats::compute(&content);
        assert_eq!(stats.years, vec![2015, 2016, 2017, 2018]);
        assert_eq!(stats.groups.len(), 8);
        check(&content, &stats);
    }
}

#[test]
fn output_does_not_depend_on_scheduling() {
    let content = generated(7, 400);
    let first = stats::compute(&content);
    let json = |s: &Stats| serde_json::to_vec(s).unwrap_or_default();
    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap_or_else(|e| panic!("a pool: {e}"));
    let second = single.install(|| stats::compute(&content));
    assert_eq!(json(&first), json(&second));
    let answers = single.install(|| opendata::answers_csv(&content, &second));
    assert_eq!(answers, opendata::answers_csv(&content, &first));
    // Made in several batches of pieces here: its announced length is the length made.
    let stream = opendata::AnswersCsv::new(&content);
    assert_eq!(
        blomlada::output::Stream::size(&stream),
        answers.len() as u64
    );
    assert_eq!(
        opendata::site_json(&content, &first),
        opendata::site_json(&content, &second)
    );
}

/// Rows of a CSV file (after its header) as fields.
fn rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    reader
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("a CSV row: {e}"))
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn four(x: f64) -> String {
    format!("{x:.4}")
}

/// Points of an answer word; `None` for obesvarad.
fn points(answer: &str) -> Option<u32> {
    match answer {
        "helt" => Some(3),
        "delvis" => Some(2),
        "inte" => Some(1),
        _ => None,
    }
}

/// One published assessment as the open data tells it.
struct Published {
    year: String,
    catalog: String,
    code: String,
    name: String,
    county: String,
    population: u64,
    /// (area, answer word), in catalogue order.
    answers: Vec<(String, String)>,
}

/// The assessments of `answers.csv` and `municipalities.csv`, in their order.
fn published(content: &Content, stats: &Stats) -> Vec<Published> {
    let answers = rows(opendata::answers_csv(content, stats));
    rows(opendata::municipalities_csv(content, stats))
        .into_iter()
        .map(|m| Published {
            answers: answers
                .iter()
                .filter(|a| a[0] == m[0] && a[2] == m[2])
                .map(|a| (a[5].clone(), a[7].clone()))
                .collect(),
            year: m[0].clone(),
            catalog: m[1].clone(),
            code: m[2].clone(),
            name: m[3].clone(),
            county: m[4].clone(),
            population: m[5].parse().unwrap_or_default(),
        })
        .collect()
}

fn size_class(population: u64) -> u8 {
    [100_000, 50_000, 20_000, 10_000, 0]
        .iter()
        .position(|&lower| population >= lower)
        .unwrap_or(4) as u8
}

/// How two assessments compare: differences in points, indicators compared, same answers,
/// and the difference in population.
type Comparison = (u32, u32, u32, u64);

/// `similar.csv` worked out again in the plainest way: every pair of the same year and
/// catalogue compared indicator by indicator.
fn similar_rows(all: &[Published]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for a in all {
        let peers: Vec<&Published> = all
            .iter()
            .filter(|b| b.year == a.year && b.catalog == a.catalog && b.code != a.code)
            .collect();
        let compare = |b: &Published| {
            let (mut differences, mut compared, mut same) = (0u32, 0u32, 0u32);
            for ((_, x), (_, y)) in a.answers.iter().zip(&b.answers) {
                if let (Some(p), Some(q)) = (points(x), points(y)) {
                    compared += 1;
                    differences += p.abs_diff(q);
                    same += u32::from(p == q);
                }
            }
            (
                differences,
                compared,
                same,
                a.population.abs_diff(b.population),
            )
        };
        let row = |kind: &str, rank: usize, b: &Published, c: Comparison| {
            let distance = if c.1 > 0 {
                four(f64::from(c.0) / f64::from(c.1))
            } else {
                String::new()
            };
            vec![
                a.year.clone(),
                a.catalog.clone(),
                a.code.clone(),
                a.name.clone(),
                kind.to_string(),
                rank.to_string(),
                b.code.clone(),
                b.name.clone(),
                distance,
                c.2.to_string(),
                c.1.to_string(),
                c.3.to_string(),
            ]
        };
        let mut by_answers: Vec<(&Published, Comparison)> = peers
            .iter()
            .map(|b| (*b, compare(b)))
            .filter(|(_, c)| 2 * c.1 as usize >= a.answers.len())
            .collect();
        by_answers.sort_by(|(x, c), (y, d)| {
            (f64::from(c.0) / f64::from(c.1))
                .total_cmp(&(f64::from(d.0) / f64::from(d.1)))
                .then(c.3.cmp(&d.3))
                .then(x.code.cmp(&y.code))
        });
        for (rank, (b, c)) in by_answers.iter().take(5).enumerate() {
            out.push(row("svar", rank + 1, b, *c));
        }
        let mut by_size: Vec<(&Published, Comparison)> = peers
            .iter()
            .filter(|b| size_class(b.population) == size_class(a.population))
            .map(|b| (*b, compare(b)))
            .collect();
        by_size.sort_by(|(x, c), (y, d)| c.3.cmp(&d.3).then(x.code.cmp(&y.code)));
        for (rank, (b, c)) in by_size.iter().take(5).enumerate() {
            out.push(row("storlek", rank + 1, b, *c));
        }
    }
    out
}

/// The rows of one scope of `series.csv`: its assessments grouped by year and catalogue.
fn series_scope(scope: &str, code: &str, members: &[&Published]) -> Vec<Vec<String>> {
    let mut keys: Vec<(&str, &str)> = members
        .iter()
        .map(|p| (p.year.as_str(), p.catalog.as_str()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let mean = scope != "kommun";
    let mut out = Vec::new();
    let mut previous: Option<&str> = None;
    for (year, catalog) in keys {
        let here: Vec<&&Published> = members
            .iter()
            .filter(|p| p.year == year && p.catalog == catalog)
            .collect();
        let n = here.len();
        let mut areas: Vec<&str> = Vec::new();
        for (area, _) in &here[0].answers {
            if !areas.contains(&area.as_str()) {
                areas.push(area);
            }
        }
        let new_catalog = previous.is_some_and(|c| c != catalog);
        previous = Some(catalog);
        for area in std::iter::once(None).chain(areas.iter().map(Some)) {
            let mut count = [0u32; 4];
            let mut indicators = 0;
            for p in &here {
                for (a, word) in &p.answers {
                    if area.is_none_or(|x| x == a) {
                        let k = ["helt", "delvis", "inte", "obesvarad"]
                            .iter()
                            .position(|w| w == word)
                            .unwrap_or(3);
                        count[k] += 1;
                    }
                }
            }
            for (a, _) in &here[0].answers {
                if area.is_none_or(|x| x == a) {
                    indicators += 1;
                }
            }
            let answered = count[0] + count[1] + count[2];
            let total_points = f64::from(3 * count[0] + 2 * count[1] + count[2]);
            let score = if mean {
                four(total_points / n as f64)
            } else {
                format!("{total_points:.0}")
            };
            out.push(vec![
                scope.to_string(),
                code.to_string(),
                year.to_string(),
                catalog.to_string(),
                area.map_or(String::new(), |a| (*a).to_string()),
                n.to_string(),
                count[0].to_string(),
                count[1].to_string(),
                count[2].to_string(),
                count[3].to_string(),
                if answered > 0 {
                    four(f64::from(count[0]) / f64::from(answered))
                } else {
                    String::new()
                },
                score,
                (3 * indicators).to_string(),
                if new_catalog { "1" } else { "0" }.to_string(),
            ]);
        }
    }
    out
}

#[test]
fn similar_and_series_files_match_an_independent_computation() {
    for seed in [3, 0xC0FFEE] {
        let content = generated(seed, 90);
        let stats = stats::compute(&content);
        let all = published(&content, &stats);
        assert!(all.len() > 200);

        let similar = rows(opendata::similar_csv(&content, &stats));
        let expected = similar_rows(&all);
        assert_eq!(similar.len(), expected.len(), "similar.csv: row count");
        for (n, (got, want)) in similar.iter().zip(&expected).enumerate() {
            assert_eq!(got, want, "similar.csv, row {}", n + 2);
        }

        let mut expected = series_scope("riket", "SE", &all.iter().collect::<Vec<_>>());
        let mut counties: Vec<&str> = all.iter().map(|p| p.county.as_str()).collect();
        counties.sort_unstable();
        counties.dedup();
        for county in counties {
            let members: Vec<&Published> = all.iter().filter(|p| p.county == county).collect();
            expected.extend(series_scope("lan", county, &members));
        }
        let mut codes: Vec<&str> = all.iter().map(|p| p.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        for code in codes {
            let members: Vec<&Published> = all.iter().filter(|p| p.code == code).collect();
            expected.extend(series_scope("kommun", code, &members));
        }
        let series = rows(opendata::series_csv(&content, &stats));
        assert_eq!(series.len(), expected.len(), "series.csv: row count");
        for (n, (got, want)) in series.iter().zip(&expected).enumerate() {
            assert_eq!(got, want, "series.csv, row {}", n + 2);
        }
    }
}

/// `indicator_series.csv` worked out again from `answers.csv`: for every indicator and year, the
/// national answers to the indicator itself when its catalogue was answered that year, otherwise
/// to the nearest indicator it continues through `replaces`.
fn indicator_series_rows(content: &Content, answers: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut years: Vec<&str> = answers.iter().map(|a| a[0].as_str()).collect();
    years.sort_unstable();
    years.dedup();
    let answered =
        |year: &str, catalog: &str| answers.iter().any(|a| a[0] == year && a[1] == catalog);
    let mut out = Vec::new();
    for catalog in &content.catalogs {
        for indicator in &catalog.indicators {
            // The indicator, then what it continues, nearest first.
            let mut chain: Vec<(String, String)> = vec![(catalog.id.clone(), indicator.id.clone())];
            let mut next = 0;
            while next < chain.len() {
                let (c, i) = chain[next].clone();
                next += 1;
                let Some(found) = content
                    .catalogs
                    .iter()
                    .find(|x| x.id == c)
                    .and_then(|x| x.indicators.iter().find(|y| y.id == i))
                else {
                    continue;
                };
                for r in &found.replaces {
                    let earlier = &content.catalogs[r.catalog];
                    let key = (
                        earlier.id.clone(),
                        earlier.indicators[r.indicator].id.clone(),
                    );
                    if !chain.contains(&key) {
                        chain.push(key);
                    }
                }
            }
            let mut previous: Option<(String, String)> = None;
            for year in &years {
                let Some((c, i)) = chain.iter().find(|(c, _)| answered(year, c)) else {
                    continue;
                };
                let mut count = [0u32; 4];
                for a in answers
                    .iter()
                    .filter(|a| a[0] == *year && a[1] == *c && a[6] == *i)
                {
                    let k = ["helt", "delvis", "inte", "obesvarad"]
                        .iter()
                        .position(|w| *w == a[7])
                        .unwrap_or_else(|| panic!("an answer word: {}", a[7]));
                    count[k] += 1;
                }
                let given = count[0] + count[1] + count[2];
                let new = previous
                    .as_ref()
                    .is_some_and(|p| *p != (c.clone(), i.clone()));
                previous = Some((c.clone(), i.clone()));
                out.push(vec![
                    catalog.id.clone(),
                    indicator.id.clone(),
                    (*year).to_string(),
                    c.clone(),
                    i.clone(),
                    count.iter().sum::<u32>().to_string(),
                    count[0].to_string(),
                    count[1].to_string(),
                    count[2].to_string(),
                    count[3].to_string(),
                    if given > 0 {
                        four(f64::from(count[0]) / f64::from(given))
                    } else {
                        String::new()
                    },
                    if new { "1" } else { "0" }.to_string(),
                ]);
            }
        }
    }
    out
}

#[test]
fn indicator_series_file_matches_an_independent_computation() {
    for seed in [5, 0xBEEF] {
        let mut content = generated(seed, 60);
        // The new catalogue is answered only from 2017, so that its indicators reach back
        // through `replaces` before that.
        let new = content
            .catalog_by_id("new")
            .unwrap_or_else(|| panic!("the fixture has `new`"));
        content
            .assessments
            .retain(|a| a.year >= 2017 || a.catalog != new);
        let stats = stats::compute(&content);
        let answers = rows(opendata::answers_csv(&content, &stats));
        let expected = indicator_series_rows(&content, &answers);
        assert!(
            expected.iter().any(|r| r[0] == "new" && r[3] == "old"),
            "some rows of the new catalogue reach back to the old one"
        );
        assert!(expected.iter().any(|r| r[11] == "1"), "some series break");
        let got = rows(opendata::indicator_series_csv(&content, &stats));
        assert_eq!(got.len(), expected.len(), "indicator_series.csv: row count");
        for (n, (got, want)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(got, want, "indicator_series.csv, row {}", n + 2);
        }
    }
}
