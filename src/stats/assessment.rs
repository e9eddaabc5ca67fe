//! The figures of one municipality's assessment: its own tallies, its change since its previous
//! assessment, and (built on demand for its page) its comparison with county, size class and
//! nation and its best and worst indicators relative to the nation.

use serde::Serialize;

use crate::model::{Answer, Catalog, SizeClass, Year};

use super::Tally;
use super::scope::{RANKED, Scope, mean_points_per_answer};

/// One assessment's figures, indexed like `content.assessments`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentFigures {
    /// Index into `Stats::groups`: the assessment's year and catalogue.
    pub group: usize,
    /// Position of its county in that group's `counties`.
    pub county_scope: usize,
    /// The size class of its municipality (by registry population).
    pub size_class: SizeClass,
    /// Position of its size class in that group's `sizes`.
    pub size_scope: usize,
    /// All its answers.
    pub total: Tally,
    /// Its answers per area of the catalogue, in catalogue order.
    pub areas: Vec<Tally>,
    /// 3 per helt, 2 per delvis, 1 per inte.
    pub points: u32,
    /// 3 × the catalogue's indicators.
    pub max_points: u32,
    /// helt / answered; `None` when nothing is answered.
    pub share_helt: Option<f64>,
    /// Its place by points among the assessments of its year and catalogue: 1 + how many have
    /// more points (equal points share a place).
    pub rank: u32,
    /// The change since the municipality's previous assessment; `None` for its first.
    pub previous: Option<PreviousComparison>,
}

/// How an assessment compares with the same municipality's previous one (the latest earlier
/// year), across catalogues through `replaces`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviousComparison {
    /// Index into `content.assessments` of the previous assessment.
    pub assessment: usize,
    /// Its year.
    pub year: Year,
    /// One entry per indicator of this assessment's catalogue, in catalogue order.
    pub changes: Vec<Change>,
    /// The changes counted over all indicators.
    pub counts: ChangeCounts,
    /// The changes counted per area of this assessment's catalogue.
    pub areas: Vec<ChangeCounts>,
}

/// One indicator's answer now and in the previous assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The previous answer to the counterpart indicator; `None` when it was unanswered or has
    /// no counterpart (see `kind`).
    pub previous: Option<Answer>,
    /// The answer now; `None` when unanswered.
    pub current: Option<Answer>,
    /// Which way it went.
    pub kind: ChangeKind,
}

/// Which way an answer went, by points (helt 3 > delvis 2 > inte 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// More points than before.
    Improved,
    /// The same answer (or unanswered both times).
    Same,
    /// Fewer points than before.
    Worse,
    /// No counterpart in the previous assessment's catalogue.
    New,
    /// Answered once and unanswered the other time: no direction can be told.
    Unanswered,
}

impl ChangeKind {
    /// Compares two answers to the same (or continued) indicator.
    pub(crate) fn of(previous: Option<Answer>, current: Option<Answer>) -> ChangeKind {
        match (previous, current) {
            (None, None) => ChangeKind::Same,
            (Some(p), Some(c)) => match c.points().cmp(&p.points()) {
                std::cmp::Ordering::Greater => ChangeKind::Improved,
                std::cmp::Ordering::Equal => ChangeKind::Same,
                std::cmp::Ordering::Less => ChangeKind::Worse,
            },
            _ => ChangeKind::Unanswered,
        }
    }
}

/// How many indicators went each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ChangeCounts {
    /// Indicators answered better than before.
    pub improved: u32,
    /// Indicators answered the same.
    pub same: u32,
    /// Indicators answered worse than before.
    pub worse: u32,
    /// Indicators without a counterpart before.
    pub new: u32,
    /// Indicators unanswered on one side only.
    pub unanswered: u32,
}

impl ChangeCounts {
    pub(crate) fn add(&mut self, kind: ChangeKind) {
        match kind {
            ChangeKind::Improved => self.improved += 1,
            ChangeKind::Same => self.same += 1,
            ChangeKind::Worse => self.worse += 1,
            ChangeKind::New => self.new += 1,
            ChangeKind::Unanswered => self.unanswered += 1,
        }
    }
}

/// The changes of `current` answers (catalogue `catalog`) against `previous` answers, where
/// `counterparts[i]` is the previous catalogue's indicator that indicator `i` continues.
pub(crate) fn changes(
    catalog: &Catalog,
    current: &[Option<Answer>],
    previous: &[Option<Answer>],
    counterparts: &[Option<usize>],
) -> (Vec<Change>, ChangeCounts, Vec<ChangeCounts>) {
    let changes: Vec<Change> = (0..catalog.indicators.len())
        .map(|i| {
            let now = current.get(i).copied().flatten();
            match counterparts.get(i).copied().flatten() {
                Some(before) => {
                    let then = previous.get(before).copied().flatten();
                    Change {
                        previous: then,
                        current: now,
                        kind: ChangeKind::of(then, now),
                    }
                }
                None => Change {
                    previous: None,
                    current: now,
                    kind: ChangeKind::New,
                },
            }
        })
        .collect();
    let mut counts = ChangeCounts::default();
    for change in &changes {
        counts.add(change.kind);
    }
    let areas = catalog
        .areas
        .iter()
        .map(|area| {
            let mut c = ChangeCounts::default();
            for change in changes.get(area.indicators.clone()).unwrap_or_default() {
                c.add(change.kind);
            }
            c
        })
        .collect();
    (changes, counts, areas)
}

/// Share helt and mean points per answered indicator: the two figures compared.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    /// helt / answered; `None` when nothing is answered.
    pub share_helt: Option<f64>,
    /// Points per answered indicator (1 to 3); `None` when nothing is answered.
    pub mean_points: Option<f64>,
}

impl Figure {
    pub(crate) fn of(tally: &Tally) -> Figure {
        Figure {
            share_helt: tally.share_helt(),
            mean_points: mean_points_per_answer(tally),
        }
    }
}

/// One row of the comparison table: the municipality against its county, its size class and
/// the nation, in the same year and catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// The municipality itself.
    pub own: Figure,
    /// Its county.
    pub county: Figure,
    /// Municipalities of its size class.
    pub size_class: Figure,
    /// The nation.
    pub nation: Figure,
}

/// The comparison of one assessment, built on demand by `Stats::comparison`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Over all indicators.
    pub overall: ComparisonRow,
    /// Per area of the catalogue, in catalogue order.
    pub areas: Vec<ComparisonRow>,
}

/// Builds the comparison rows from the municipality's own tallies and its three scopes.
pub(crate) fn comparison(
    figures: &AssessmentFigures,
    county: &Scope,
    size_class: &Scope,
    nation: &Scope,
) -> Comparison {
    let row = |own: &Tally, pick: &dyn Fn(&Scope) -> Tally| ComparisonRow {
        own: Figure::of(own),
        county: Figure::of(&pick(county)),
        size_class: Figure::of(&pick(size_class)),
        nation: Figure::of(&pick(nation)),
    };
    Comparison {
        overall: row(&figures.total, &|s| s.total),
        areas: figures
            .areas
            .iter()
            .enumerate()
            .map(|(a, own)| {
                row(own, &|s| {
                    s.areas.get(a).map(|f| f.tally).unwrap_or_default()
                })
            })
            .collect(),
    }
}

/// An indicator singled out relative to the nation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RelativeIndicator {
    /// Index into the catalogue's indicators.
    pub indicator: usize,
    /// The nation's share helt for it, in the same year and catalogue.
    pub national_share_helt: f64,
}

/// Best and worst indicators relative to the nation (seed 002).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BestWorst {
    /// Up to three indicators it meets fully although few others do: its helt answers by
    /// lowest national share helt, ties in catalogue order.
    pub best: Vec<RelativeIndicator>,
    /// Up to three indicators it does not meet at all although most others meet them fully:
    /// its inte answers by highest national share helt, ties in catalogue order.
    pub worst: Vec<RelativeIndicator>,
}

/// Best and worst indicators overall and per area, built on demand by
/// `Stats::relative_to_nation`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelativeToNation {
    /// Over all indicators.
    pub overall: BestWorst,
    /// Per area of the catalogue, in catalogue order.
    pub areas: Vec<BestWorst>,
}

/// Picks best and worst among `range` of the municipality's answers against the nation.
fn best_worst(
    answers: &[Option<Answer>],
    nation: &Scope,
    range: std::ops::Range<usize>,
) -> BestWorst {
    let pick = |wanted: Answer, highest_first: bool| {
        let mut found: Vec<(usize, Tally)> = range
            .clone()
            .filter(|&i| answers.get(i).copied().flatten() == Some(wanted))
            .filter_map(|i| {
                let tally = nation.indicators.get(i)?.tally;
                (tally.answered() > 0).then_some((i, tally))
            })
            .collect();
        found.sort_by(|(i, x), (j, y)| {
            let lowest_first = (u64::from(x.helt) * u64::from(y.answered()))
                .cmp(&(u64::from(y.helt) * u64::from(x.answered())));
            let order = if highest_first {
                lowest_first.reverse()
            } else {
                lowest_first
            };
            order.then(i.cmp(j))
        });
        found
            .into_iter()
            .take(RANKED)
            .map(|(indicator, tally)| RelativeIndicator {
                indicator,
                national_share_helt: tally.share_helt().unwrap_or(0.0),
            })
            .collect()
    };
    BestWorst {
        best: pick(Answer::Helt, false),
        worst: pick(Answer::Inte, true),
    }
}

pub(crate) fn relative_to_nation(
    catalog: &Catalog,
    answers: &[Option<Answer>],
    nation: &Scope,
) -> RelativeToNation {
    RelativeToNation {
        overall: best_worst(answers, nation, 0..catalog.indicators.len()),
        areas: catalog
            .areas
            .iter()
            .map(|area| best_worst(answers, nation, area.indicators.clone()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Answer::{Delvis, Helt, Inte};
    use crate::stats::lineage::tests::catalog;
    use crate::stats::scope::{RegistryTotals, ScopeSum, finish};

    #[test]
    fn change_kinds_follow_points() {
        assert_eq!(
            ChangeKind::of(Some(Inte), Some(Delvis)),
            ChangeKind::Improved
        );
        assert_eq!(
            ChangeKind::of(Some(Delvis), Some(Helt)),
            ChangeKind::Improved
        );
        assert_eq!(ChangeKind::of(Some(Helt), Some(Inte)), ChangeKind::Worse);
        assert_eq!(ChangeKind::of(Some(Delvis), Some(Delvis)), ChangeKind::Same);
        assert_eq!(ChangeKind::of(None, None), ChangeKind::Same);
        assert_eq!(ChangeKind::of(None, Some(Helt)), ChangeKind::Unanswered);
        assert_eq!(ChangeKind::of(Some(Inte), None), ChangeKind::Unanswered);
    }

    #[test]
    fn changes_use_counterparts_and_count_per_area() {
        let mut c = catalog("new", &["a", "b", "c", "d"]);
        // Two areas: a, b | c, d.
        c.areas[0].indicators = 0..2;
        let mut second = c.areas[0].clone();
        second.id = "second".into();
        second.indicators = 2..4;
        c.areas.push(second);
        let current = [Some(Helt), Some(Inte), Some(Delvis), None];
        let previous = [Some(Inte), Some(Delvis), Some(Helt)];
        // a ← previous 1, b ← previous 0, c is new, d ← previous 2.
        let counterparts = [Some(1), Some(0), None, Some(2)];
        let (changes, counts, areas) = changes(&c, &current, &previous, &counterparts);
        assert_eq!(
            changes,
            vec![
                Change {
                    previous: Some(Delvis),
                    current: Some(Helt),
                    kind: ChangeKind::Improved
                },
                Change {
                    previous: Some(Inte),
                    current: Some(Inte),
                    kind: ChangeKind::Same
                },
                Change {
                    previous: None,
                    current: Some(Delvis),
                    kind: ChangeKind::New
                },
                Change {
                    previous: Some(Helt),
                    current: None,
                    kind: ChangeKind::Unanswered
                },
            ]
        );
        assert_eq!(
            counts,
            ChangeCounts {
                improved: 1,
                same: 1,
                worse: 0,
                new: 1,
                unanswered: 1
            }
        );
        assert_eq!(
            areas[0],
            ChangeCounts {
                improved: 1,
                same: 1,
                ..ChangeCounts::default()
            }
        );
        assert_eq!(
            areas[1],
            ChangeCounts {
                new: 1,
                unanswered: 1,
                ..ChangeCounts::default()
            }
        );
    }

    fn nation_of(c: &Catalog, answers: &[&[Option<Answer>]]) -> Scope {
        let mut sum = ScopeSum::new(c.indicators.len());
        for a in answers {
            sum.add(a, 1);
        }
        finish(&sum, RegistryTotals::default(), c)
    }

    #[test]
    fn best_where_few_others_are_helt_worst_where_most_are() {
        let c = catalog("v", &["p", "q", "r", "s", "t"]);
        let own: &[Option<Answer>] = &[Some(Helt), Some(Helt), Some(Inte), Some(Inte), Some(Helt)];
        // National share helt (own answers included): p 1/4, q 4/4, r 3/4, s 0/4, t 1/3.
        let nation = nation_of(
            &c,
            &[
                own,
                &[Some(Inte), Some(Helt), Some(Helt), Some(Inte), Some(Delvis)],
                &[
                    Some(Inte),
                    Some(Helt),
                    Some(Helt),
                    Some(Delvis),
                    Some(Delvis),
                ],
                &[Some(Delvis), Some(Helt), Some(Helt), Some(Inte), None],
            ],
        );
        let rel = relative_to_nation(&c, own, &nation);
        let best: Vec<(usize, f64)> = rel
            .overall
            .best
            .iter()
            .map(|r| (r.indicator, r.national_share_helt))
            .collect();
        // Its helt answers p, q, t by lowest national share helt.
        assert_eq!(best, vec![(0, 0.25), (4, 1.0 / 3.0), (1, 1.0)]);
        let worst: Vec<(usize, f64)> = rel
            .overall
            .worst
            .iter()
            .map(|r| (r.indicator, r.national_share_helt))
            .collect();
        // Its inte answers r, s by highest national share helt.
        assert_eq!(worst, vec![(2, 0.75), (3, 0.0)]);
        assert_eq!(rel.areas.len(), 1);
        assert_eq!(rel.areas[0], rel.overall);
    }

    #[test]
    fn comparison_rows_use_share_helt_and_points_per_answer() {
        let c = catalog("v", &["p", "q"]);
        let own: &[Option<Answer>] = &[Some(Helt), Some(Inte)];
        let scope = nation_of(&c, &[own, &[Some(Delvis), Some(Delvis)]]);
        let figures = AssessmentFigures {
            group: 0,
            county_scope: 0,
            size_class: SizeClass::Below10000,
            size_scope: 0,
            total: Tally {
                helt: 1,
                delvis: 0,
                inte: 1,
                obesvarad: 0,
            },
            areas: vec![Tally {
                helt: 1,
                delvis: 0,
                inte: 1,
                obesvarad: 0,
            }],
            points: 4,
            max_points: 6,
            share_helt: Some(0.5),
            rank: 1,
            previous: None,
        };
        let cmp = comparison(&figures, &scope, &scope, &scope);
        assert_eq!(
            cmp.overall.own,
            Figure {
                share_helt: Some(0.5),
                mean_points: Some(2.0)
            }
        );
        // Scope: helt 1, delvis 2, inte 1 → 1/4 helt, (3 + 4 + 1) / 4 = 2 points.
        assert_eq!(
            cmp.overall.nation,
            Figure {
                share_helt: Some(0.25),
                mean_points: Some(2.0)
            }
        );
        assert_eq!(cmp.areas, vec![cmp.overall]);
    }
}
