//! Time series of a municipality, a county and the nation: per year (and catalogue, where a
//! year had more than one), the answers in all and per area, and the score.
//!
//! Points and areas belong to a catalogue: where the catalogue changes the series breaks
//! ([`YearFigures::new_catalog`]) and is not drawn as one line, since the same words may hold
//! other indicators. An indicator's own series crosses catalogues only through `replaces`
//! (`Stats::indicator_series`).

use serde::Serialize;

use crate::model::{CatalogIndex, Year};

use super::{Stats, Tally};

/// One year of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct YearFigures {
    pub year: Year,
    /// The catalogue answered.
    pub catalog: CatalogIndex,
    /// Index into `Stats::groups`.
    pub group: usize,
    /// The municipalities counted (1 for a municipality's own series).
    pub municipalities: u32,
    /// All answers.
    pub total: Tally,
    /// Answers per area of the catalogue.
    pub areas: Vec<Tally>,
    /// Points (a municipality) or mean points (a county, the nation).
    pub points: f64,
    /// 3 × the catalogue's indicators.
    pub max_points: u32,
    /// The catalogue differs from the one of the point before: the series breaks here.
    pub new_catalog: bool,
}

/// Marks where the catalogue changes from one point to the next.
fn mark_breaks(mut points: Vec<YearFigures>) -> Vec<YearFigures> {
    let mut previous: Option<CatalogIndex> = None;
    for p in &mut points {
        p.new_catalog = previous.is_some_and(|c| c != p.catalog);
        previous = Some(p.catalog);
    }
    points
}

impl Stats {
    /// A municipality's series: one point per published year.
    pub(crate) fn municipality_series(&self, municipality: usize) -> Vec<YearFigures> {
        let Some(history) = self.by_municipality.get(municipality) else {
            return Vec::new();
        };
        mark_breaks(
            history
                .assessments
                .iter()
                .filter_map(|&a| {
                    let f = self.assessments.get(a)?;
                    let group = self.groups.get(f.group)?;
                    Some(YearFigures {
                        year: group.year,
                        catalog: group.catalog,
                        group: f.group,
                        municipalities: 1,
                        total: f.total,
                        areas: f.areas.clone(),
                        points: f64::from(f.points),
                        max_points: f.max_points,
                        new_catalog: false,
                    })
                })
                .collect(),
        )
    }

    /// A county's series: one point per group with assessments in the county.
    pub(crate) fn county_series(&self, county: usize) -> Vec<YearFigures> {
        self.scope_series(|g| g.county(county))
    }

    /// The nation's series: one point per group.
    pub(crate) fn nation_series(&self) -> Vec<YearFigures> {
        self.scope_series(|g| Some(&g.nation))
    }

    fn scope_series(
        &self,
        scope: impl Fn(&super::Group) -> Option<&super::Scope>,
    ) -> Vec<YearFigures> {
        mark_breaks(
            self.groups
                .iter()
                .enumerate()
                .filter_map(|(gi, g)| {
                    let s = scope(g)?;
                    Some(YearFigures {
                        year: g.year,
                        catalog: g.catalog,
                        group: gi,
                        municipalities: s.municipalities,
                        total: s.total,
                        areas: s.areas.iter().map(|a| a.tally).collect(),
                        points: s.mean_points,
                        max_points: g.max_points,
                        new_catalog: false,
                    })
                })
                .collect(),
        )
    }
}

/// The points of a series up to and including `year`.
pub(crate) fn until(series: &[YearFigures], year: Year) -> &[YearFigures] {
    let end = series.partition_point(|p| p.year <= year);
    &series[..end]
}

/// The catalogues of a series in the order they first appear.
pub(crate) fn catalogs_of(series: &[YearFigures]) -> Vec<CatalogIndex> {
    let mut seen = Vec::new();
    for p in series {
        if !seen.contains(&p.catalog) {
            seen.push(p.catalog);
        }
    }
    seen
}
