//! The figures of a scope (the nation, a county or a size class) in one year and catalogue:
//! per indicator, per area and in total, counted by municipality and weighted by population.

use std::cmp::Ordering;
use std::ops::Range;

use serde::Serialize;

use crate::model::{Answer, Catalog};

use super::Tally;

/// How many indicators "Uppnått", "Förbättringsområden" and the most and least common lists
/// name at most.
pub(crate) const RANKED: usize = 3;

/// The figures of one scope: the municipalities of the nation, a county or a size class with an
/// assessment in the group's year and catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scope {
    /// Municipalities of the scope with an assessment in this year and catalogue.
    pub municipalities: u32,
    /// Registry population of those municipalities.
    pub population_published: u64,
    /// Registry population of every municipality of the scope, published or not.
    pub population_total: u64,
    /// Number of municipalities of the scope in the registry, published or not.
    pub registry_municipalities: u32,
    /// One entry per indicator of the catalogue, in catalogue order.
    pub indicators: Vec<IndicatorFigures>,
    /// One entry per area of the catalogue, in catalogue order.
    pub areas: Vec<AreaFigures>,
    /// All answers to all indicators of all its municipalities (seed 001, Diagram 1 and 2).
    pub total: Tally,
    /// `total` as shares of all answers, unanswered included.
    pub total_shares: Shares,
    /// Mean points per municipality (3 helt, 2 delvis, 1 inte, 0 unanswered), out of the
    /// catalogue's `max_points`.
    pub mean_points: f64,
}

/// One indicator within a scope.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct IndicatorFigures {
    /// How many municipalities answered helt, delvis, inte or left it unanswered.
    pub tally: Tally,
    /// helt / (helt + delvis + inte); `None` when nobody answered (undefined, an empty cell in
    /// open data).
    pub share_helt: Option<f64>,
    /// inte / (helt + delvis + inte); `None` when nobody answered.
    pub share_inte: Option<f64>,
    /// Mean points per answer (helt 3, delvis 2, inte 1) among those who answered; `None` when
    /// nobody answered.
    pub mean_points: Option<f64>,
    /// Registry population of the municipalities that answered helt.
    pub population_helt: u64,
    /// Registry population of all municipalities counted in the scope (the same for every
    /// indicator of the scope, unanswered included).
    pub population_published: u64,
    /// population_helt / population_published: the share of the scope's published population
    /// that lives in a municipality meeting the indicator fully; `None` when
    /// population_published is 0 (undefined).
    pub population_share_helt: Option<f64>,
}

/// One area (flower, grass or soil) within a scope. Indicator lists hold indices into the
/// catalogue's indicators (not positions within the area).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AreaFigures {
    /// All answers to the area's indicators by the scope's municipalities.
    pub tally: Tally,
    /// helt / answered over the whole area; `None` when nothing is answered.
    pub share_helt: Option<f64>,
    /// Mean points per answered indicator of the area (1 to 3); `None` when nothing is answered.
    pub mean_points: Option<f64>,
    /// "Uppnått": up to three indicators that someone meets fully, highest share helt first,
    /// ties in catalogue order.
    pub strongest: Vec<usize>,
    /// "Förbättringsområden": up to three answered indicators that not everyone meets fully,
    /// highest share inte first, then lowest share helt, then catalogue order; never one of
    /// `strongest`.
    pub weakest: Vec<usize>,
    /// The most common services (seed 001, Figures 4–15): up to three answered indicators,
    /// highest share helt first, ties in catalogue order (a share of 0 may appear).
    pub most_common: Vec<usize>,
    /// The least common services: up to three answered indicators not in `most_common`, lowest
    /// share helt first, ties in catalogue order.
    pub least_common: Vec<usize>,
}

/// A tally as shares of all its answers, unanswered included; all 0 for an empty tally.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Shares {
    /// helt / all.
    pub helt: f64,
    /// delvis / all.
    pub delvis: f64,
    /// inte / all.
    pub inte: f64,
    /// unanswered / all.
    pub obesvarad: f64,
}

impl Shares {
    pub(crate) fn of(tally: &Tally) -> Shares {
        let total = tally.total();
        if total == 0 {
            return Shares::default();
        }
        let share = |n: u32| f64::from(n) / f64::from(total);
        Shares {
            helt: share(tally.helt),
            delvis: share(tally.delvis),
            inte: share(tally.inte),
            obesvarad: share(tally.obesvarad),
        }
    }
}

/// Mean points per answered indicator of a tally: points / answered.
pub(crate) fn mean_points_per_answer(tally: &Tally) -> Option<f64> {
    let answered = tally.answered();
    (answered > 0).then(|| f64::from(tally.points()) / f64::from(answered))
}

/// inte / answered.
pub(crate) fn share_inte(tally: &Tally) -> Option<f64> {
    let answered = tally.answered();
    (answered > 0).then(|| f64::from(tally.inte) / f64::from(answered))
}

/// Per-indicator sums while counting: the tally and the population answering helt.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IndicatorSum {
    pub tally: Tally,
    pub population_helt: u64,
}

/// The running sums of a scope.
#[derive(Debug, Clone, Default)]
pub(crate) struct ScopeSum {
    pub municipalities: u32,
    pub population: u64,
    pub indicators: Vec<IndicatorSum>,
}

impl ScopeSum {
    pub(crate) fn new(indicators: usize) -> ScopeSum {
        ScopeSum {
            municipalities: 0,
            population: 0,
            indicators: vec![IndicatorSum::default(); indicators],
        }
    }

    /// Counts one municipality's answers. Answers beyond the catalogue are ignored and missing
    /// ones count as unanswered, so the tallies always add up to the municipalities.
    pub(crate) fn add(&mut self, answers: &[Option<Answer>], population: u64) {
        self.municipalities += 1;
        self.population += population;
        let mut answers = answers.iter();
        for sum in &mut self.indicators {
            let answer = answers.next().copied().flatten();
            sum.tally.add(answer);
            if answer == Some(Answer::Helt) {
                sum.population_helt += population;
            }
        }
    }

    /// Takes back one municipality's answers counted before with [`ScopeSum::add`].
    pub(crate) fn remove(&mut self, answers: &[Option<Answer>], population: u64) {
        self.municipalities = self.municipalities.saturating_sub(1);
        self.population = self.population.saturating_sub(population);
        let mut answers = answers.iter();
        for sum in &mut self.indicators {
            let answer = answers.next().copied().flatten();
            sum.tally.remove(answer);
            if answer == Some(Answer::Helt) {
                sum.population_helt = sum.population_helt.saturating_sub(population);
            }
        }
    }

    /// The sums a scope's figures were finished from: every figure of a scope is made from
    /// these by [`finish`], so a scope can be counted further from its own figures.
    pub(crate) fn of(scope: &Scope) -> ScopeSum {
        ScopeSum {
            municipalities: scope.municipalities,
            population: scope.population_published,
            indicators: scope
                .indicators
                .iter()
                .map(|f| IndicatorSum {
                    tally: f.tally,
                    population_helt: f.population_helt,
                })
                .collect(),
        }
    }

    pub(crate) fn merge(&mut self, other: &ScopeSum) {
        self.municipalities += other.municipalities;
        self.population += other.population;
        for (sum, more) in self.indicators.iter_mut().zip(&other.indicators) {
            sum.tally.merge(&more.tally);
            sum.population_helt += more.population_helt;
        }
    }
}

/// Municipalities and population of a part of the registry, published or not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RegistryTotals {
    pub municipalities: u32,
    pub population: u64,
}

impl RegistryTotals {
    pub(crate) fn add(&mut self, population: u64) {
        self.municipalities += 1;
        self.population += population;
    }

    /// The registry totals a scope was finished with.
    pub(crate) fn of(scope: &Scope) -> RegistryTotals {
        RegistryTotals {
            municipalities: scope.registry_municipalities,
            population: scope.population_total,
        }
    }

    pub(crate) fn merge(&mut self, other: RegistryTotals) {
        self.municipalities += other.municipalities;
        self.population += other.population;
    }
}

impl IndicatorFigures {
    pub(crate) fn of(sum: &IndicatorSum, population_published: u64) -> IndicatorFigures {
        IndicatorFigures {
            tally: sum.tally,
            share_helt: sum.tally.share_helt(),
            share_inte: share_inte(&sum.tally),
            mean_points: mean_points_per_answer(&sum.tally),
            population_helt: sum.population_helt,
            population_published,
            population_share_helt: (population_published > 0)
                .then(|| sum.population_helt as f64 / population_published as f64),
        }
    }
}

/// Turns the sums of a scope into its figures.
pub(crate) fn finish(sum: &ScopeSum, registry: RegistryTotals, catalog: &Catalog) -> Scope {
    let indicators: Vec<IndicatorFigures> = sum
        .indicators
        .iter()
        .map(|s| IndicatorFigures::of(s, sum.population))
        .collect();
    let areas = catalog
        .areas
        .iter()
        .map(|area| area_figures(&indicators, area.indicators.clone()))
        .collect();
    let mut total = Tally::default();
    for figures in &indicators {
        total.merge(&figures.tally);
    }
    let mean_points = if sum.municipalities == 0 {
        0.0
    } else {
        f64::from(total.points()) / f64::from(sum.municipalities)
    };
    Scope {
        municipalities: sum.municipalities,
        population_published: sum.population,
        population_total: registry.population,
        registry_municipalities: registry.municipalities,
        indicators,
        areas,
        total,
        total_shares: Shares::of(&total),
        mean_points,
    }
}

/// The figures of the area made of `range` of the scope's indicators.
pub(crate) fn area_figures(indicators: &[IndicatorFigures], range: Range<usize>) -> AreaFigures {
    let range = range.start.min(indicators.len())..range.end.min(indicators.len());
    let mut tally = Tally::default();
    for figures in &indicators[range.clone()] {
        tally.merge(&figures.tally);
    }
    let strongest = strongest(indicators, range.clone());
    let weakest = weakest(indicators, range.clone(), &strongest);
    let most_common = most_common(indicators, range.clone());
    let least_common = least_common(indicators, range, &most_common);
    AreaFigures {
        tally,
        share_helt: tally.share_helt(),
        mean_points: mean_points_per_answer(&tally),
        strongest,
        weakest,
        most_common,
        least_common,
    }
}

/// Compares a/b with c/d exactly (b and d are not 0), so that equal shares tie however they
/// were reached.
fn compare_ratio(a: u32, b: u32, c: u32, d: u32) -> Ordering {
    (u64::from(a) * u64::from(d)).cmp(&(u64::from(c) * u64::from(b)))
}

fn by_share_helt(x: &Tally, y: &Tally) -> Ordering {
    compare_ratio(x.helt, x.answered(), y.helt, y.answered())
}

fn by_share_inte(x: &Tally, y: &Tally) -> Ordering {
    compare_ratio(x.inte, x.answered(), y.inte, y.answered())
}

/// Ranks the indicators of `range` that pass `keep` by `order` (ties in catalogue order) and
/// keeps the first [`RANKED`].
fn ranked(
    indicators: &[IndicatorFigures],
    range: Range<usize>,
    keep: impl Fn(usize, &Tally) -> bool,
    order: impl Fn(&Tally, &Tally) -> Ordering,
) -> Vec<usize> {
    let mut candidates: Vec<usize> = range
        .filter(|&i| indicators[i].tally.answered() > 0 && keep(i, &indicators[i].tally))
        .collect();
    candidates.sort_by(|&x, &y| order(&indicators[x].tally, &indicators[y].tally).then(x.cmp(&y)));
    candidates.truncate(RANKED);
    candidates
}

/// "Uppnått": indicators someone meets fully, highest share helt first.
pub(crate) fn strongest(indicators: &[IndicatorFigures], range: Range<usize>) -> Vec<usize> {
    ranked(
        indicators,
        range,
        |_, t| t.helt > 0,
        |x, y| by_share_helt(y, x),
    )
}

/// "Förbättringsområden": indicators not everyone meets fully and not among `strongest`;
/// highest share inte first, then lowest share helt.
pub(crate) fn weakest(
    indicators: &[IndicatorFigures],
    range: Range<usize>,
    strongest: &[usize],
) -> Vec<usize> {
    ranked(
        indicators,
        range,
        |i, t| t.helt < t.answered() && !strongest.contains(&i),
        |x, y| by_share_inte(y, x).then(by_share_helt(x, y)),
    )
}

/// The most common services: highest share helt first.
pub(crate) fn most_common(indicators: &[IndicatorFigures], range: Range<usize>) -> Vec<usize> {
    ranked(indicators, range, |_, _| true, |x, y| by_share_helt(y, x))
}

/// The least common services, not among `most_common`: lowest share helt first.
pub(crate) fn least_common(
    indicators: &[IndicatorFigures],
    range: Range<usize>,
    most_common: &[usize],
) -> Vec<usize> {
    ranked(
        indicators,
        range,
        |i, _| !most_common.contains(&i),
        by_share_helt,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(tallies: &[(u32, u32, u32, u32)]) -> Vec<IndicatorFigures> {
        tallies
            .iter()
            .map(|&(helt, delvis, inte, obesvarad)| {
                IndicatorFigures::of(
                    &IndicatorSum {
                        tally: Tally {
                            helt,
                            delvis,
                            inte,
                            obesvarad,
                        },
                        population_helt: 0,
                    },
                    0,
                )
            })
            .collect()
    }

    #[test]
    fn shares_of_all_answers_include_unanswered() {
        let s = Shares::of(&Tally {
            helt: 2,
            delvis: 1,
            inte: 0,
            obesvarad: 1,
        });
        assert_eq!(
            (s.helt, s.delvis, s.inte, s.obesvarad),
            (0.5, 0.25, 0.0, 0.25)
        );
        assert_eq!(Shares::of(&Tally::default()), Shares::default());
    }

    #[test]
    fn kumla_2017_shares_as_in_seed_002() {
        // 10 helt (11 %), 38 delvis (43 %), 40 inte (45 %) of 88.
        let s = Shares::of(&Tally {
            helt: 10,
            delvis: 38,
            inte: 40,
            obesvarad: 0,
        });
        let percent = |x: f64| (x * 100.0).round() as u32;
        assert_eq!(
            (percent(s.helt), percent(s.delvis), percent(s.inte)),
            (11, 43, 45)
        );
    }

    #[test]
    fn indicator_figures_divide_by_answered_and_by_published_population() {
        let sum = IndicatorSum {
            tally: Tally {
                helt: 1,
                delvis: 2,
                inte: 1,
                obesvarad: 1,
            },
            population_helt: 30_000,
        };
        let f = IndicatorFigures::of(&sum, 120_000);
        assert_eq!(f.share_helt, Some(0.25));
        assert_eq!(f.share_inte, Some(0.25));
        // (3 + 2·2 + 1) / 4 answered
        assert_eq!(f.mean_points, Some(2.0));
        assert_eq!(f.population_share_helt, Some(0.25));
        let none = IndicatorFigures::of(
            &IndicatorSum {
                tally: Tally {
                    obesvarad: 3,
                    ..Tally::default()
                },
                population_helt: 0,
            },
            0,
        );
        assert_eq!(
            (
                none.share_helt,
                none.mean_points,
                none.population_share_helt
            ),
            (None, None, None)
        );
    }

    #[test]
    fn scope_sum_counts_population_of_helt_only() {
        let mut sum = ScopeSum::new(3);
        sum.add(&[Some(Answer::Helt), Some(Answer::Inte), None], 1000);
        sum.add(&[Some(Answer::Helt), Some(Answer::Helt)], 500); // short: the third is unanswered
        let mut other = ScopeSum::new(3);
        other.add(
            &[Some(Answer::Delvis), Some(Answer::Helt), Some(Answer::Helt)],
            7,
        );
        sum.merge(&other);
        assert_eq!((sum.municipalities, sum.population), (3, 1507));
        assert_eq!(
            sum.indicators[0].tally,
            Tally {
                helt: 2,
                delvis: 1,
                inte: 0,
                obesvarad: 0
            }
        );
        assert_eq!(sum.indicators[0].population_helt, 1500);
        assert_eq!(sum.indicators[1].population_helt, 507);
        assert_eq!(
            sum.indicators[2].tally,
            Tally {
                helt: 1,
                delvis: 0,
                inte: 0,
                obesvarad: 2
            }
        );
        assert_eq!(sum.indicators[2].population_helt, 7);
    }

    #[test]
    fn strongest_by_share_helt_ties_in_catalogue_order() {
        let f = figures(&[
            (1, 1, 0, 0), // 0: 1/2
            (2, 2, 0, 0), // 1: 2/4, ties with 0
            (3, 0, 0, 5), // 2: 3/3 despite many unanswered
            (0, 4, 0, 0), // 3: nobody meets it: never "achieved"
            (1, 0, 2, 0), // 4: 1/3
        ]);
        assert_eq!(strongest(&f, 0..5), vec![2, 0, 1]);
        assert_eq!(strongest(&f, 3..5), vec![4]);
    }

    #[test]
    fn weakest_by_share_inte_then_lowest_share_helt_never_strongest() {
        let f = figures(&[
            (1, 0, 1, 0), // 0: inte 1/2, helt 1/2
            (0, 1, 1, 0), // 1: inte 1/2, helt 0
            (0, 3, 0, 0), // 2: inte 0, helt 0
            (2, 0, 0, 0), // 3: all helt: not an improvement area
            (0, 0, 0, 4), // 4: unanswered: in neither
            (1, 2, 1, 0), // 5: inte 1/4, helt 1/4
        ]);
        let strong = strongest(&f, 0..6);
        assert_eq!(strong, vec![3, 0, 5]);
        assert_eq!(weakest(&f, 0..6, &strong), vec![1, 2]);
        assert_eq!(weakest(&f, 0..6, &[]), vec![1, 0, 5]);
    }

    #[test]
    fn most_and_least_common_do_not_overlap() {
        let f = figures(&[
            (0, 1, 0, 0),
            (3, 1, 0, 0),
            (1, 1, 0, 0),
            (0, 0, 1, 0),
            (2, 0, 0, 0),
        ]);
        let most = most_common(&f, 0..5);
        assert_eq!(most, vec![4, 1, 2]);
        // 0 and 3 both have share 0: catalogue order.
        assert_eq!(least_common(&f, 0..5, &most), vec![0, 3]);
        let area = area_figures(&f, 0..5);
        assert_eq!(
            area.tally,
            Tally {
                helt: 6,
                delvis: 3,
                inte: 1,
                obesvarad: 0
            }
        );
        assert_eq!(area.share_helt, Some(0.6));
        // (18 + 6 + 1) / 10
        assert_eq!(area.mean_points, Some(2.5));
        assert_eq!(area.strongest, vec![4, 1, 2]);
        assert_eq!(area.weakest, vec![3, 0]);
    }
}
