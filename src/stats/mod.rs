//! Phase 2: the figures computed from the model (counts, shares, population weights, rankings,
//! changes and time series). Pure computation from [`Content`]: no I/O, no HTML.
//!
//! Every assessment in `content.assessments` is counted: the loader leaves drafts out unless
//! they were asked for (previews). Figures refer to the model by index (assessments,
//! municipalities, counties, catalogues, indicators), never by copies.

pub(crate) mod assessment;
pub(crate) mod lineage;
pub(crate) mod scope;
pub(crate) mod series;
pub(crate) mod similar;
pub(crate) mod tally;
pub(crate) mod update;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Assessment, CatalogIndex, Content, IndicatorRef, Registry, SizeClass, Year};

pub use assessment::{
    AssessmentFigures, BestWorst, Change, ChangeCounts, ChangeKind, Comparison, ComparisonRow,
    Figure, PreviousComparison, RelativeIndicator, RelativeToNation,
};
pub use scope::{AreaFigures, IndicatorFigures, Scope, Shares};
pub use tally::Tally;

use scope::{RegistryTotals, ScopeSum};

/// Everything computed from the content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// One per (year, catalogue) with at least one assessment, by year, then catalogue id.
    pub groups: Vec<Group>,
    /// One per assessment, indexed like `content.assessments`.
    pub assessments: Vec<AssessmentFigures>,
    /// One per municipality, indexed like `content.registry.municipalities`.
    pub by_municipality: Vec<MunicipalityHistory>,
    /// The years with at least one assessment, ascending.
    pub years: Vec<Year>,
    /// Indicators over the years (seed 001, Table 2), per catalogue, then indicator: the
    /// national share helt per year, following `replaces` back to earlier catalogues. Read
    /// with [`Stats::indicator_series_of`].
    pub indicator_series: Vec<Vec<Vec<SeriesPoint>>>,
    /// Every assessment's answers packed for finding similar municipalities.
    #[serde(skip)]
    pub(crate) similar_index: similar::Index,
}

/// The assessments of one year and catalogue and their figures for the nation, each county
/// and each size class.
///
/// The national extras of seed 001 are here: Diagram 1 (all answers) is `nation.total` with
/// `nation.total_shares`; Diagram 2 is `total` and `total_shares` of each of `sizes`; the
/// most and least common services per area (Figures 4–15) are `most_common` and
/// `least_common` of `nation.areas`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The year assessed.
    pub year: Year,
    /// The catalogue answered.
    pub catalog: CatalogIndex,
    /// 3 × the catalogue's indicators.
    pub max_points: u32,
    /// Indices into `content.assessments`, by municipality code.
    pub assessments: Vec<usize>,
    /// All municipalities with an assessment.
    pub nation: Scope,
    /// Per county with at least one assessment, by county code: (index into
    /// `registry.counties`, figures).
    pub counties: Vec<(usize, Scope)>,
    /// Per size class with at least one assessment, largest class first.
    pub sizes: Vec<(SizeClass, Scope)>,
}

impl Group {
    /// The figures of a county (index into `registry.counties`), if it has assessments.
    pub(crate) fn county(&self, county: usize) -> Option<&Scope> {
        self.counties
            .iter()
            .find(|(c, _)| *c == county)
            .map(|(_, s)| s)
    }

    /// The figures of a size class, if it has assessments.
    #[cfg(test)]
    pub(crate) fn size(&self, class: SizeClass) -> Option<&Scope> {
        self.sizes.iter().find(|(c, _)| *c == class).map(|(_, s)| s)
    }
}

/// One municipality's assessments.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MunicipalityHistory {
    /// Indices into `content.assessments`, by year ascending (the last is the latest).
    pub assessments: Vec<usize>,
}

/// One year of an indicator's time series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SeriesPoint {
    /// The year.
    pub year: Year,
    /// The catalogue answered that year: the indicator's own, or an earlier one it continues.
    pub catalog: CatalogIndex,
    /// The indicator of that catalogue.
    pub indicator: usize,
    /// The nation's answers to it that year.
    pub tally: Tally,
    /// helt / answered; `None` when nobody answered.
    pub share_helt: Option<f64>,
}

const SIZE_CLASSES: usize = SizeClass::ALL.len();

/// Computes every figure of the content.
pub fn compute(content: &Content) -> Stats {
    let cells = RegistryCells::new(&content.registry);
    let keys = group_keys(content);
    let group_index: HashMap<(Year, CatalogIndex), usize> =
        keys.iter().enumerate().map(|(i, &k)| (k, i)).collect();
    let (groups, group_of) = build_groups(content, &keys, &group_index, &cells);
    let by_municipality = histories(content);
    let previous = previous_assessments(content, &by_municipality);
    let counterparts = counterparts_to_previous(content, &previous);

    let mut assessments: Vec<AssessmentFigures> = content
        .assessments
        .par_iter()
        .enumerate()
        .map(|(i, a)| {
            let previous = previous[i].map(|p| {
                let pair = (a.catalog, content.assessments[p].catalog);
                let map = counterparts.get(&pair).map_or(&[][..], Vec::as_slice);
                compare_to_previous(content, a, p, map)
            });
            assessment_figures(content, a, group_of[i], &groups, &cells, previous)
        })
        .collect();
    rank_by_points(&groups, &mut assessments);

    let mut years: Vec<Year> = keys.iter().map(|k| k.0).collect();
    years.dedup();
    let indicator_series = series(content, &groups, &years, &group_index);
    let similar_index = similar::Index::build(content, &groups);

    Stats {
        groups,
        assessments,
        by_municipality,
        years,
        indicator_series,
        similar_index,
    }
}

/// The registry cut into (county, size class) cells: every group's figures are counted per
/// cell and then added up into the nation, each county and each size class.
struct RegistryCells<'a> {
    registry: &'a Registry,
    /// The size class of each municipality.
    size_class: Vec<SizeClass>,
    /// The registry's totals of each cell.
    totals: Vec<RegistryTotals>,
    /// Indices into `registry.counties`, by county code.
    counties_by_code: Vec<usize>,
}

impl<'a> RegistryCells<'a> {
    fn new(registry: &'a Registry) -> Self {
        let size_class = registry
            .municipalities
            .iter()
            .map(|m| SizeClass::of(m.population))
            .collect();
        let mut cells = RegistryCells {
            registry,
            size_class,
            totals: vec![RegistryTotals::default(); registry.counties.len() * SIZE_CLASSES],
            counties_by_code: (0..registry.counties.len()).collect(),
        };
        for (i, m) in registry.municipalities.iter().enumerate() {
            let cell = cells.cell_of(i);
            if let Some(totals) = cells.totals.get_mut(cell) {
                totals.add(m.population);
            }
        }
        cells
            .counties_by_code
            .sort_by(|&a, &b| registry.counties[a].code.cmp(&registry.counties[b].code));
        cells
    }

    /// The cell of a municipality (index into `registry.municipalities`).
    fn cell_of(&self, municipality: usize) -> usize {
        self.registry.municipalities[municipality].county * SIZE_CLASSES
            + self.size_class[municipality].index()
    }

    /// The cell of a municipality, if the registry has it.
    fn cell_of_checked(&self, municipality: usize) -> Option<usize> {
        let county = self.registry.municipalities.get(municipality)?.county;
        Some(county * SIZE_CLASSES + self.size_class.get(municipality)?.index())
    }
}

/// The groups' keys, (year, catalogue), by year, then catalogue id.
fn group_keys(content: &Content) -> Vec<(Year, CatalogIndex)> {
    let mut keys: Vec<(Year, CatalogIndex)> = content
        .assessments
        .iter()
        .map(|a| (a.year, a.catalog))
        .collect();
    keys.sort_by(|a, b| (a.0, &content.catalogs[a.1].id).cmp(&(b.0, &content.catalogs[b.1].id)));
    keys.dedup();
    keys
}

/// Every group with its figures, and the group of each assessment.
fn build_groups(
    content: &Content,
    keys: &[(Year, CatalogIndex)],
    group_index: &HashMap<(Year, CatalogIndex), usize>,
    cells: &RegistryCells<'_>,
) -> (Vec<Group>, Vec<usize>) {
    let registry = &content.registry;
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); keys.len()];
    let mut group_of = Vec::with_capacity(content.assessments.len());
    for (i, a) in content.assessments.iter().enumerate() {
        let g = group_index[&(a.year, a.catalog)];
        members[g].push(i);
        group_of.push(g);
    }
    let by_code = |x: &usize, y: &usize| {
        let code = |i: usize| &registry.municipalities[content.assessments[i].municipality].code;
        code(*x).cmp(code(*y))
    };
    let groups = keys
        .par_iter()
        .zip(members)
        .map(|(&(year, catalog), mut assessments)| {
            assessments.sort_by(by_code);
            let (nation, counties, sizes) = group_scopes(
                content,
                catalog,
                &assessments,
                &|municipality| cells.cell_of(municipality),
                &cells.totals,
                &cells.counties_by_code,
            );
            Group {
                year,
                catalog,
                max_points: content.catalogs[catalog].max_points(),
                assessments,
                nation,
                counties,
                sizes,
            }
        })
        .collect();
    (groups, group_of)
}

/// Each municipality's assessments, oldest first.
fn histories(content: &Content) -> Vec<MunicipalityHistory> {
    let mut by_municipality =
        vec![MunicipalityHistory::default(); content.registry.municipalities.len()];
    for (i, a) in content.assessments.iter().enumerate() {
        by_municipality[a.municipality].assessments.push(i);
    }
    for history in &mut by_municipality {
        history
            .assessments
            .sort_by_key(|&i| content.assessments[i].year);
    }
    by_municipality
}

/// The previous assessment of each assessment by the same municipality, if any.
fn previous_assessments(
    content: &Content,
    by_municipality: &[MunicipalityHistory],
) -> Vec<Option<usize>> {
    content
        .assessments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let history = &by_municipality[a.municipality].assessments;
            let at = history.iter().position(|&h| h == i)?;
            at.checked_sub(1).map(|p| history[p])
        })
        .collect()
}

/// For each (catalogue, previous catalogue) pair that an assessment and its previous one
/// answered: the counterpart in the previous catalogue of each indicator.
fn counterparts_to_previous(
    content: &Content,
    previous: &[Option<usize>],
) -> HashMap<(CatalogIndex, CatalogIndex), Vec<Option<usize>>> {
    let mut pairs: Vec<(CatalogIndex, CatalogIndex)> = previous
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            p.map(|p| {
                (
                    content.assessments[i].catalog,
                    content.assessments[p].catalog,
                )
            })
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
        .into_iter()
        .map(|(from, to)| {
            (
                (from, to),
                lineage::counterparts(&content.catalogs, from, to),
            )
        })
        .collect()
}

/// What changed in an assessment since the previous one (`previous`, index into
/// `content.assessments`), where `counterparts` maps the indicators of its catalogue to those
/// of the previous one's (see [`lineage::counterparts`]).
fn compare_to_previous(
    content: &Content,
    a: &Assessment,
    previous: usize,
    counterparts: &[Option<usize>],
) -> PreviousComparison {
    let before = &content.assessments[previous];
    let (changes, counts, areas) = assessment::changes(
        &content.catalogs[a.catalog],
        &a.answers,
        &before.answers,
        counterparts,
    );
    PreviousComparison {
        assessment: previous,
        year: before.year,
        changes,
        counts,
        areas,
    }
}

/// One assessment's own figures, before it is ranked within its group (index into `groups`).
fn assessment_figures(
    content: &Content,
    a: &Assessment,
    group_index: usize,
    groups: &[Group],
    cells: &RegistryCells<'_>,
    previous: Option<PreviousComparison>,
) -> AssessmentFigures {
    let catalog = &content.catalogs[a.catalog];
    let group = &groups[group_index];
    let county = content.registry.municipalities[a.municipality].county;
    let class = cells.size_class[a.municipality];
    let mut total = Tally::default();
    let areas: Vec<Tally> = catalog
        .areas
        .iter()
        .map(|area| {
            let mut t = Tally::default();
            for indicator in area.indicators.clone() {
                t.add(a.answers.get(indicator).copied().flatten());
            }
            total.merge(&t);
            t
        })
        .collect();
    AssessmentFigures {
        group: group_index,
        county_scope: group
            .counties
            .iter()
            .position(|(c, _)| *c == county)
            .unwrap_or_default(),
        size_class: class,
        size_scope: group
            .sizes
            .iter()
            .position(|(c, _)| *c == class)
            .unwrap_or_default(),
        total,
        areas,
        points: total.points(),
        max_points: catalog.max_points(),
        share_helt: total.share_helt(),
        rank: 0,
        previous,
    }
}

/// Places every assessment by points within its group, most points first; equal points share
/// a place and the next place counts them all ("1, 2, 2, 4").
fn rank_by_points(groups: &[Group], assessments: &mut [AssessmentFigures]) {
    for group in groups {
        rank_group(group, assessments);
    }
}

/// Places the assessments of one group by points (see [`rank_by_points`]).
fn rank_group(group: &Group, assessments: &mut [AssessmentFigures]) {
    let mut points: Vec<u32> = group
        .assessments
        .iter()
        .map(|&a| assessments[a].points)
        .collect();
    points.sort_unstable_by(|a, b| b.cmp(a));
    for &a in &group.assessments {
        let own = assessments[a].points;
        assessments[a].rank = points.partition_point(|&p| p > own) as u32 + 1;
    }
}

type Scopes = (Scope, Vec<(usize, Scope)>, Vec<(SizeClass, Scope)>);

/// Counts one group's assessments per (county, size class) cell, in parallel over cells, and
/// adds the cells up into the nation, each county and each size class.
fn group_scopes(
    content: &Content,
    catalog: CatalogIndex,
    assessments: &[usize],
    cell_of: &(dyn Fn(usize) -> usize + Sync),
    registry_cells: &[RegistryTotals],
    counties_by_code: &[usize],
) -> Scopes {
    let catalog = &content.catalogs[catalog];
    let indicators = catalog.indicators.len();
    let mut by_cell: Vec<Vec<usize>> = vec![Vec::new(); registry_cells.len()];
    for &i in assessments {
        if let Some(list) = by_cell.get_mut(cell_of(content.assessments[i].municipality)) {
            list.push(i);
        }
    }
    let cells: Vec<Option<ScopeSum>> = by_cell
        .par_iter()
        .map(|list| {
            (!list.is_empty()).then(|| {
                let mut sum = ScopeSum::new(indicators);
                for &i in list {
                    let a = &content.assessments[i];
                    let population = content.registry.municipalities[a.municipality].population;
                    sum.add(&a.answers, population);
                }
                sum
            })
        })
        .collect();

    // Adds up the cells (and their registry totals) picked by `take`.
    let add_up = |take: &dyn Fn(usize) -> bool| {
        let mut sum = ScopeSum::new(indicators);
        let mut totals = RegistryTotals::default();
        for (cell, found) in cells.iter().enumerate().filter(|(c, _)| take(*c)) {
            if let Some(found) = found {
                sum.merge(found);
            }
            totals.merge(registry_cells[cell]);
        }
        (sum.municipalities > 0).then(|| scope::finish(&sum, totals, catalog))
    };
    let nation = add_up(&|_| true).unwrap_or_else(|| {
        scope::finish(
            &ScopeSum::new(indicators),
            RegistryTotals::default(),
            catalog,
        )
    });
    let counties = counties_by_code
        .par_iter()
        .filter_map(|&county| {
            add_up(&|cell| cell / SIZE_CLASSES == county).map(|scope| (county, scope))
        })
        .collect();
    let sizes = SizeClass::ALL
        .par_iter()
        .filter_map(|&class| {
            add_up(&|cell| cell % SIZE_CLASSES == class.index()).map(|scope| (class, scope))
        })
        .collect();
    (nation, counties, sizes)
}

/// The national share helt of every indicator of every catalogue, per year: each year takes
/// the indicator itself when its catalogue was answered that year, otherwise the nearest
/// indicator it continues (through `replaces`) whose catalogue was.
fn series(
    content: &Content,
    groups: &[Group],
    years: &[Year],
    group_index: &HashMap<(Year, CatalogIndex), usize>,
) -> Vec<Vec<Vec<SeriesPoint>>> {
    CatalogIndex::each(&content.catalogs)
        .map(|(c, catalog)| {
            (0..catalog.indicators.len())
                .map(|i| {
                    let start = IndicatorRef {
                        catalog: c,
                        indicator: i,
                    };
                    let mut chain = vec![start];
                    chain.extend(lineage::ancestors(&content.catalogs, start));
                    years
                        .iter()
                        .filter_map(|&year| {
                            chain.iter().find_map(|r| {
                                let group = &groups[*group_index.get(&(year, r.catalog))?];
                                let tally = group.nation.indicators.get(r.indicator)?.tally;
                                Some(SeriesPoint {
                                    year,
                                    catalog: r.catalog,
                                    indicator: r.indicator,
                                    tally,
                                    share_helt: tally.share_helt(),
                                })
                            })
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

impl Stats {
    /// An indicator's national share helt over the years (see [`Stats::indicator_series`]).
    pub fn indicator_series_of(&self, of: IndicatorRef) -> Option<&[SeriesPoint]> {
        let indicators = of.catalog.of(&self.indicator_series)?;
        indicators.get(of.indicator).map(Vec::as_slice)
    }

    /// The groups of a year (one per catalogue answered that year).
    pub(crate) fn groups_of_year(&self, year: Year) -> impl Iterator<Item = (usize, &Group)> {
        self.groups
            .iter()
            .enumerate()
            .filter(move |(_, g)| g.year == year)
    }

    /// A municipality's latest assessment.
    pub fn latest(&self, municipality: usize) -> Option<usize> {
        self.by_municipality
            .get(municipality)?
            .assessments
            .last()
            .copied()
    }

    /// The county and size class scopes of an assessment, with its group.
    fn scopes_of(&self, assessment: usize) -> Option<(&AssessmentFigures, &Group, &Scope, &Scope)> {
        let figures = self.assessments.get(assessment)?;
        let group = self.groups.get(figures.group)?;
        let county = &group.counties.get(figures.county_scope)?.1;
        let size = &group.sizes.get(figures.size_scope)?.1;
        Some((figures, group, county, size))
    }

    /// An assessment against its county, its size class and the nation (share helt and mean
    /// points per answered indicator), overall and per area. Built on demand for its page.
    pub fn comparison(&self, assessment: usize) -> Option<Comparison> {
        let (figures, group, county, size) = self.scopes_of(assessment)?;
        Some(assessment::comparison(figures, county, size, &group.nation))
    }

    /// An assessment's best and worst indicators relative to the nation, overall and per area.
    /// Built on demand for its page.
    pub fn relative_to_nation(
        &self,
        content: &Content,
        assessment: usize,
    ) -> Option<RelativeToNation> {
        let group = self.groups.get(self.assessments.get(assessment)?.group)?;
        let answers = &content.assessments.get(assessment)?.answers;
        let catalog = content.catalog(group.catalog)?;
        Some(assessment::relative_to_nation(
            catalog,
            answers,
            &group.nation,
        ))
    }

    /// The municipalities most like an assessment's, by answers and by population (see
    /// [`similar`]). Found on the first call for an assessment, then kept.
    pub(crate) fn similar(&self, content: &Content, assessment: usize) -> &similar::Similar {
        self.similar_index.similar(content, assessment)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::registry;
    use crate::model::Answer;
    use crate::model::Answer::{Delvis as D, Helt as H, Inte as I};
    use crate::model::{Assessment, Catalog, County, Municipality, SiteConfig};
    use crate::stats::lineage::tests::catalog;

    /// The catalogues of [`sample`], sorted by id.
    const NEW: CatalogIndex = CatalogIndex::new(0);
    const OLD: CatalogIndex = CatalogIndex::new(1);

    fn r(catalog: CatalogIndex, indicator: usize) -> IndicatorRef {
        IndicatorRef { catalog, indicator }
    }

    /// Two counties; populations on both sides of every size class boundary.
    /// Catalogues (sorted by id): new (0) = flower [x2 ← old x, z] + soil [w ← old y];
    /// old (1) = flower [x, y].
    pub(crate) fn sample() -> Content {
        let counties = vec![
            County {
                code: "01".into(),
                name: "Ett län".into(),
                slug: "ett-lan".into(),
            },
            County {
                code: "02".into(),
                name: "Två län".into(),
                slug: "tva-lan".into(),
            },
        ];
        let municipalities = [
            ("0101", 0, 9_999),
            ("0102", 0, 10_000),
            ("0103", 0, 19_999),
            ("0104", 0, 20_000),
            ("0201", 1, 49_999),
            ("0202", 1, 50_000),
            ("0203", 1, 99_999),
            ("0204", 1, 100_000),
            ("0205", 1, 5),
        ]
        .iter()
        .map(|&(code, county, population)| Municipality {
            code: code.into(),
            name: format!("Kommun {code}"),
            slug: format!("kommun-{code}"),
            county,
            population,
            population_year: 2024,
        })
        .collect();
        let registry = registry::build(counties, municipalities);
        let mut new = catalog("new", &["x2", "z", "w"]);
        new.areas[0].indicators = 0..2;
        let mut soil = new.areas[0].clone();
        soil.id = "s".into();
        soil.level = crate::model::Level::Soil;
        soil.indicators = 2..3;
        new.areas.push(soil);
        new.indicators[2].area = 1;
        new.indicators[0].replaces = vec![r(OLD, 0)];
        new.indicators[2].replaces = vec![r(OLD, 1)];
        let old = catalog("old", &["x", "y"]);
        let catalogs: Vec<Catalog> = vec![new, old];
        let assessment = |code: &str,
                          year: Year,
                          catalog: CatalogIndex,
                          answers: &[Option<Answer>]| Assessment {
            source: format!("assessments/{code}-{year}.yaml").into(),
            municipality: registry.municipality_by_code[code],
            year,
            catalog,
            published: None,
            answers: answers.to_vec(),
            summary: None,
            comments: Vec::new(),
        };
        let assessments = vec![
            assessment("0101", 2016, OLD, &[Some(H), Some(D)]),
            assessment("0104", 2016, OLD, &[Some(I), Some(H)]),
            assessment("0202", 2016, OLD, &[Some(H), None]),
            assessment("0101", 2017, NEW, &[Some(H), Some(H), Some(I)]),
            assessment("0102", 2017, NEW, &[Some(D), Some(I), None]),
            assessment("0103", 2017, NEW, &[Some(I), Some(D), Some(H)]),
            assessment("0104", 2017, NEW, &[Some(H), Some(D), Some(D)]),
            assessment("0201", 2017, NEW, &[Some(D), Some(I), Some(I)]),
            assessment("0202", 2017, NEW, &[Some(I), Some(H), Some(H)]),
            assessment("0203", 2017, NEW, &[Some(H), Some(H), Some(H)]),
            assessment("0204", 2017, NEW, &[None, Some(I), Some(D)]),
        ];
        Content {
            config: SiteConfig {
                example_data: true,
                ..SiteConfig::titled("Test")
            },
            registry,
            catalogs,
            assessments,
            pages: Vec::new(),
            boundaries: None,
        }
    }

    fn t(helt: u32, delvis: u32, inte: u32, obesvarad: u32) -> Tally {
        Tally {
            helt,
            delvis,
            inte,
            obesvarad,
        }
    }

    #[test]
    fn groups_by_year_then_catalogue_with_nation_figures() {
        let stats = compute(&sample());
        let keys: Vec<(Year, CatalogIndex)> =
            stats.groups.iter().map(|g| (g.year, g.catalog)).collect();
        assert_eq!(keys, vec![(2016, OLD), (2017, NEW)]);
        assert_eq!(stats.years, vec![2016, 2017]);
        let g = &stats.groups[0];
        assert_eq!(g.assessments, vec![0, 1, 2]);
        assert_eq!(g.max_points, 6);
        let n = &g.nation;
        assert_eq!((n.municipalities, n.registry_municipalities), (3, 9));
        assert_eq!(n.population_published, 9_999 + 20_000 + 50_000);
        assert_eq!(
            n.population_total,
            9_999 + 10_000 + 19_999 + 20_000 + 49_999 + 50_000 + 99_999 + 100_000 + 5
        );
        // x: 0101 helt, 0104 inte, 0202 helt.
        let x = &n.indicators[0];
        assert_eq!(x.tally, t(2, 0, 1, 0));
        assert_eq!(x.share_helt, Some(2.0 / 3.0));
        assert_eq!(x.population_helt, 9_999 + 50_000);
        assert_eq!(x.population_share_helt, Some(59_999.0 / 79_999.0));
        // y: delvis, helt, unanswered.
        let y = &n.indicators[1];
        assert_eq!(y.tally, t(1, 1, 0, 1));
        assert_eq!((y.share_helt, y.population_helt), (Some(0.5), 20_000));
        assert_eq!(n.total, t(3, 1, 1, 1));
        // Points 5 + 4 + 3 over 3 municipalities.
        assert_eq!(n.mean_points, 4.0);
    }

    #[test]
    fn size_classes_split_at_the_boundaries_largest_first() {
        let content = sample();
        let stats = compute(&content);
        let g = &stats.groups[1];
        let codes = |class: SizeClass| {
            g.assessments
                .iter()
                .filter(|&&i| stats.assessments[i].size_class == class)
                .map(|&i| {
                    content.registry.municipalities[content.assessments[i].municipality]
                        .code
                        .as_str()
                })
                .collect::<Vec<_>>()
        };
        let classes: Vec<SizeClass> = g.sizes.iter().map(|(c, _)| *c).collect();
        assert_eq!(classes, SizeClass::ALL.to_vec());
        let expected: [&[&str]; 5] = [
            &["0204"],
            &["0202", "0203"],
            &["0104", "0201"],
            &["0102", "0103"],
            &["0101"],
        ];
        for ((class, scope), want) in g.sizes.iter().zip(expected) {
            assert_eq!(codes(*class), want, "{class:?}");
            assert_eq!(scope.municipalities as usize, want.len());
        }
        // 0205 (5 inhabitants) is in the registry total of the smallest class only.
        let smallest = &g.sizes[4].1;
        assert_eq!(
            (smallest.registry_municipalities, smallest.population_total),
            (2, 10_004)
        );
        assert_eq!(g.sizes[1].1.population_published, 149_999);
        // Every assessment points at its own size class and county.
        for &i in &g.assessments {
            let f = &stats.assessments[i];
            assert_eq!(g.sizes[f.size_scope].0, f.size_class);
            let county =
                content.registry.municipalities[content.assessments[i].municipality].county;
            assert_eq!(g.counties[f.county_scope].0, county);
        }
    }

    #[test]
    fn counties_count_registry_totals_published_or_not() {
        let stats = compute(&sample());
        let g = &stats.groups[1];
        assert_eq!(
            g.counties.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            vec![0, 1]
        );
        let (first, second) = (&g.counties[0].1, &g.counties[1].1);
        assert_eq!(
            (first.municipalities, first.registry_municipalities),
            (4, 4)
        );
        assert_eq!(first.population_total, 59_998);
        assert_eq!(
            (second.municipalities, second.registry_municipalities),
            (4, 5)
        );
        assert_eq!(second.population_total, 300_003);
        assert_eq!(second.population_published, 299_998);
        // County 01, flower area: 0101 H H, 0102 D I, 0103 I D, 0104 H D.
        assert_eq!(first.areas[0].tally, t(3, 3, 2, 0));
        // 2016 has only counties with assessments: 01 (0101, 0104) and 02 (0202).
        assert_eq!(stats.groups[0].counties.len(), 2);
        assert!(stats.groups[0].county(1).is_some());
        assert!(stats.groups[0].size(SizeClass::From10000).is_none());
    }

    #[test]
    fn assessment_figures_and_nation_mean() {
        let stats = compute(&sample());
        let f = &stats.assessments[4]; // 0102 2017: D I –
        assert_eq!(f.total, t(0, 1, 1, 1));
        assert_eq!(f.areas, vec![t(0, 1, 1, 0), t(0, 0, 0, 1)]);
        assert_eq!((f.points, f.max_points, f.share_helt), (3, 9, Some(0.0)));
        assert!(f.previous.is_none());
        // Points 7 + 3 + 6 + 7 + 4 + 7 + 9 + 3 over 8 municipalities.
        assert_eq!(stats.groups[1].nation.mean_points, 46.0 / 8.0);
    }

    #[test]
    fn assessments_are_placed_by_points_within_their_year_with_shared_places() {
        let stats = compute(&sample());
        let g = &stats.groups[1];
        // Points 7, 3, 6, 7, 4, 7, 9, 3: 9 first, the three 7s share second, 6 is fifth.
        let mut places: Vec<(u32, u32)> = g
            .assessments
            .iter()
            .map(|&a| (stats.assessments[a].points, stats.assessments[a].rank))
            .collect();
        places.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(
            places,
            vec![
                (9, 1),
                (7, 2),
                (7, 2),
                (7, 2),
                (6, 5),
                (4, 6),
                (3, 7),
                (3, 7)
            ]
        );
        // 2016 is placed on its own.
        let first = &stats.groups[0];
        assert!(
            first
                .assessments
                .iter()
                .any(|&a| stats.assessments[a].rank == 1)
        );
        assert!(
            first
                .assessments
                .iter()
                .all(|&a| stats.assessments[a].rank as usize <= first.assessments.len())
        );
    }

    #[test]
    fn changes_follow_replaces_from_the_previous_year() {
        let stats = compute(&sample());
        assert_eq!(stats.by_municipality[0].assessments, vec![0, 3]);
        assert_eq!(stats.latest(0), Some(3));
        assert_eq!(stats.latest(8), None);
        let kinds = |i: usize| {
            let p = stats.assessments[i]
                .previous
                .as_ref()
                .map(|p| (p.assessment, p.year));
            let k: Vec<ChangeKind> = stats.assessments[i]
                .previous
                .iter()
                .flat_map(|p| p.changes.iter().map(|c| c.kind))
                .collect();
            (p, k)
        };
        use ChangeKind::*;
        // 0104: x I → x2 H, z new, y H → w D.
        assert_eq!(kinds(6), (Some((1, 2016)), vec![Improved, New, Worse]));
        // 0101: x H → H, y D → w I.
        assert_eq!(kinds(3), (Some((0, 2016)), vec![Same, New, Worse]));
        // 0202: x H → I, y unanswered → w H.
        assert_eq!(kinds(8), (Some((2, 2016)), vec![Worse, New, Unanswered]));
        let p = stats.assessments[6]
            .previous
            .as_ref()
            .map(|p| (p.changes[2], p.counts, p.areas.clone()));
        assert_eq!(
            p,
            Some((
                Change {
                    previous: Some(H),
                    current: Some(D),
                    kind: Worse
                },
                ChangeCounts {
                    improved: 1,
                    new: 1,
                    worse: 1,
                    ..ChangeCounts::default()
                },
                vec![
                    ChangeCounts {
                        improved: 1,
                        new: 1,
                        ..ChangeCounts::default()
                    },
                    ChangeCounts {
                        worse: 1,
                        ..ChangeCounts::default()
                    },
                ]
            ))
        );
    }

    #[test]
    fn indicator_series_follow_replaces_back_only() {
        let stats = compute(&sample());
        let series = |r: IndicatorRef| stats.indicator_series_of(r).unwrap_or_default();
        let x2 = series(r(NEW, 0));
        assert_eq!(x2.len(), 2);
        assert_eq!((x2[0].year, x2[0].catalog, x2[0].indicator), (2016, OLD, 0));
        assert_eq!(x2[0].share_helt, Some(2.0 / 3.0));
        assert_eq!((x2[1].year, x2[1].catalog, x2[1].indicator), (2017, NEW, 0));
        assert_eq!(x2[1].tally, t(3, 2, 2, 1));
        assert_eq!(x2[1].share_helt, Some(3.0 / 7.0));
        let years = |s: &[SeriesPoint]| s.iter().map(|p| p.year).collect::<Vec<_>>();
        assert_eq!(years(series(r(NEW, 1))), vec![2017]); // z is new
        assert_eq!(years(series(r(NEW, 2))), vec![2016, 2017]); // w ← y
        assert_eq!(years(series(r(OLD, 0))), vec![2016]); // old x: not forward
    }

    #[test]
    fn comparison_relative_and_answer_lists() {
        let content = sample();
        let stats = compute(&content);
        let cmp = stats
            .comparison(6)
            .unwrap_or_else(|| panic!("0104 2017 has figures"));
        // 0104 flower: H D. County 01 flower: 3 helt, 3 delvis, 2 inte.
        assert_eq!(
            cmp.areas[0].own,
            Figure {
                share_helt: Some(0.5),
                mean_points: Some(2.5)
            }
        );
        assert_eq!(
            cmp.areas[0].county,
            Figure {
                share_helt: Some(3.0 / 8.0),
                mean_points: Some(17.0 / 8.0)
            }
        );
        // Size class 20000–49999 this year: 0104 and 0201. Flower: H D + D I.
        assert_eq!(
            cmp.areas[0].size_class,
            Figure {
                share_helt: Some(0.25),
                mean_points: Some(2.0)
            }
        );
        assert_eq!(stats.comparison(99), None);
        // 0204: – I D. Its only inte is z (nation 3 of 8 helt); no helt.
        let rel = stats
            .relative_to_nation(&content, 10)
            .unwrap_or_else(|| panic!("figures"));
        assert!(rel.overall.best.is_empty());
        assert_eq!(
            rel.overall.worst,
            vec![RelativeIndicator {
                indicator: 1,
                national_share_helt: 0.375
            }]
        );
        assert_eq!(rel.areas[1], BestWorst::default());
    }

    #[test]
    fn similar_by_answers_and_by_population() {
        let content = sample();
        let stats = compute(&content);
        // 0101 2017: H H I. Distances: 0104 2/3 and 0203 2/3 (0104 nearer in population),
        // 0201 1, 0202 4/3, then 0102 and 0204 at 3/2 (0102 nearer in population); 0103 5/3.
        let s = stats.similar(&content, 3);
        let order: Vec<usize> = s.by_answers.iter().map(|n| n.assessment).collect();
        assert_eq!(order, vec![6, 9, 7, 8, 4]);
        assert_eq!(
            s.by_answers[1].likeness,
            similar::Likeness {
                differences: 2,
                compared: 3,
                same: 2
            }
        );
        // 0102 left soil unanswered: compared on two indicators.
        assert_eq!(s.by_answers[4].likeness.compared, 2);
        // Nobody else below 10 000 inhabitants published in 2017.
        assert!(s.by_population.is_empty());
        // 0202 (50 000): 0203 (99 999) is the only other of its size class.
        let s = stats.similar(&content, 8);
        let order: Vec<usize> = s.by_population.iter().map(|n| n.assessment).collect();
        assert_eq!(order, vec![9]);
        // A pair with fewer than half the indicators answered in common is not compared:
        // 0102 (D I –) and 0204 (– I D) share one.
        let s = stats.similar(&content, 4);
        assert!(s.by_answers.iter().all(|n| n.assessment != 10));
    }

    #[test]
    fn series_break_where_the_catalogue_changes() {
        let stats = compute(&sample());
        let m = stats.municipality_series(0);
        let shape: Vec<(Year, CatalogIndex, bool)> = m
            .iter()
            .map(|p| (p.year, p.catalog, p.new_catalog))
            .collect();
        assert_eq!(shape, vec![(2016, OLD, false), (2017, NEW, true)]);
        assert_eq!((m[1].points, m[1].max_points), (7.0, 9));
        assert_eq!(m[1].areas, vec![t(2, 0, 0, 0), t(0, 0, 1, 0)]);
        let nation = stats.nation_series();
        assert_eq!(nation.len(), 2);
        assert_eq!(nation[1].municipalities, 8);
        assert_eq!(nation[1].points, 46.0 / 8.0);
        assert!(nation[1].new_catalog);
        // County 02 published only 0202 in 2016.
        let county = stats.county_series(1);
        assert_eq!(county[0].municipalities, 1);
        assert_eq!(series::until(&county, 2016).len(), 1);
        assert!(stats.municipality_series(8).is_empty());
    }

    #[test]
    fn empty_content_gives_empty_stats() {
        let mut content = sample();
        content.assessments.clear();
        let stats = compute(&content);
        assert!(stats.groups.is_empty() && stats.years.is_empty() && stats.assessments.is_empty());
        assert_eq!(stats.by_municipality.len(), 9);
        assert!(stats.indicator_series[0].iter().all(Vec::is_empty));
    }
}
