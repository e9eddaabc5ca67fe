//! Invariants of the statistics on generated content: counties and size classes add up to the
//! nation, tallies add up to municipalities, open data rows match the figures, and the result
//! does not depend on thread scheduling.

use std::path::Path;

use blomlada::content::{self, registry};
use blomlada::diagnostics::Diagnostics;
use blomlada::model::{Answer, Assessment, Content, County, Municipality};
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
            let catalog = (draw.next() % 2) as usize;
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
    assert_eq!(
        opendata::site_json(&content, &first),
        opendata::site_json(&content, &second)
    );
}
