//! Which jobs a change of assessments touches, and in which phase they run. The plan goes by
//! what each job declares it reads ([`Job::reads`]), so a new kind of job needs nothing here.
//!
//! Phase 1 is what has to be live at once: the changed municipalities' pages, pictures and
//! data, and the feed, plus whatever those link to that did not exist before (a new county
//! page, the redirect of a newly published municipality, every aggregate page when a year or
//! catalogue appears or disappears). Phase 2 is everything else the change can have moved:
//! every municipality page of the changed years shows its county, size class and the nation,
//! so they all change with any assessment of that year; so does every job that reads every
//! assessment. Pages link a municipality's latest assessment at its own page and the others at
//! their years' pages, so a change of which year is a municipality's latest also moves the links
//! to it on the other municipalities' pages of both years. After phase 2 the output is the
//! same as a full build's.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::model::{CatalogIndex, Content, Year};
use crate::render::jobs::{Job, Reads};
use crate::stats::Stats;

/// What a change of assessments touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Touched {
    /// Municipalities whose assessments may have changed (indices into the registry).
    pub(crate) municipalities: BTreeSet<usize>,
    /// The years of the assessments before and after the change.
    pub(crate) years: BTreeSet<Year>,
}

/// The parts of a site whose appearance or disappearance decides what phase 1 must include.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Shape {
    /// (year, catalogue) of every group.
    pub(crate) groups: BTreeSet<(Year, CatalogIndex)>,
    /// Municipalities with at least one assessment.
    pub(crate) municipalities: BTreeSet<usize>,
    /// The year of each municipality's latest assessment.
    pub(crate) latest_years: BTreeMap<usize, Year>,
    /// The jobs of the site.
    pub(crate) jobs: HashSet<Job>,
}

impl Shape {
    pub(crate) fn of(
        content: &Content,
        stats: &Stats,
        jobs: impl IntoIterator<Item = Job>,
    ) -> Shape {
        Shape {
            groups: stats.groups.iter().map(|g| (g.year, g.catalog)).collect(),
            municipalities: content.assessments.iter().map(|a| a.municipality).collect(),
            latest_years: (0..stats.by_municipality.len())
                .filter_map(|m| Some((m, content.assessments[stats.latest(m)?].year)))
                .collect(),
            jobs: jobs.into_iter().collect(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    pub(crate) phase1: Vec<Job>,
    pub(crate) phase2: Vec<Job>,
}

/// Splits the jobs of the site after a change (`all_jobs`, from the new content) into the two
/// phases. Jobs that the change cannot affect are in neither.
pub(crate) fn plan(
    touched: &Touched,
    before: &Shape,
    after: &Shape,
    all_jobs: &[Job],
    content: &Content,
    stats: &Stats,
) -> Plan {
    let new_municipalities = !after.municipalities.is_subset(&before.municipalities);
    // A year or catalogue that appears or disappears changes what every aggregate page links to.
    let structural = before.groups != after.groups;
    // The years whose pages may link to a changed municipality: the changed ones, and those of
    // its latest assessment before and after when that moved.
    let mut years = touched.years.clone();
    for m in &touched.municipalities {
        let (was, is) = (before.latest_years.get(m), after.latest_years.get(m));
        if was != is {
            years.extend(was.into_iter().chain(is).copied());
        }
    }
    let has_touched_year = |m: usize| {
        stats.by_municipality.get(m).is_some_and(|h| {
            h.assessments
                .iter()
                .any(|&a| years.contains(&content.assessments[a].year))
        })
    };
    let mut plan = Plan::default();
    for &job in all_jobs {
        let reads = job.reads();
        let first = !before.jobs.contains(&job)
            || match reads {
                Reads::Setup => false,
                Reads::Municipality(m) => touched.municipalities.contains(&m),
                Reads::Publications => true,
                Reads::MunicipalitiesWithPages => new_municipalities || structural,
                Reads::Everything => structural,
            };
        let second = match reads {
            Reads::Setup => false,
            Reads::Municipality(m) => has_touched_year(m),
            Reads::Publications | Reads::MunicipalitiesWithPages | Reads::Everything => true,
        };
        if first {
            plan.phase1.push(job);
        } else if second {
            plan.phase2.push(job);
        }
    }
    plan
}

/// The order of phase 2: the short aggregate pages first (a county, an indicator, the
/// nation: some 20 ms each at 10 000 municipalities), then the long site-wide ones (the
/// comparisons, the open data, the redirects and the sitemap: 0.2–0.5 s each), then the
/// municipality pages. A change that arrives while phase 2 runs stops the pages under way (see
/// `render::jobs::render_in_order`), which are rendered again after it: while changes keep
/// coming, the short pages are each change's to finish, and a long page, restarted by every
/// change, waits until they pause.
pub(crate) fn phase2_rank(job: Job) -> u8 {
    match (job, job.reads()) {
        (_, Reads::Municipality(_)) => 2,
        (Job::Compare | Job::CompareYear(_) | Job::Data | Job::Redirects | Job::Sitemap, _) => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, LoadOptions};
    use crate::render::site::Site;
    use crate::render::theme::Theme;

    fn generated(municipalities: usize, years: &[Year]) -> Content {
        let dir = tempfile::tempdir().unwrap();
        crate::generate::generate(
            dir.path(),
            &crate::generate::Options {
                municipalities,
                years: years.to_vec(),
                seed: 7,
            },
        )
        .unwrap();
        content::load(dir.path(), &LoadOptions::default())
            .content
            .unwrap()
    }

    fn jobs_of(content: &Content, stats: &Stats) -> Vec<Job> {
        let theme = Theme::empty();
        crate::render::jobs::all(&Site::new(content, stats, &theme))
    }

    /// A change that arrives during phase 2 stops the pages under way: the long site-wide
    /// pages come after the short aggregate ones, and the many municipality pages last.
    #[test]
    fn phase_2_does_short_aggregate_pages_before_long_ones_and_municipalities_last() {
        let content = generated(3, &[2017]);
        let stats = crate::stats::compute(&content);
        let jobs = jobs_of(&content, &stats);
        let rank_of = |wanted: fn(&Job) -> bool| {
            let ranks: BTreeSet<u8> = jobs
                .iter()
                .filter(|j| wanted(j))
                .map(|&j| phase2_rank(j))
                .collect();
            assert_eq!(ranks.len(), 1, "{ranks:?}");
            ranks.into_iter().next().unwrap_or_default()
        };
        let short =
            rank_of(|j| matches!(j, Job::County(_) | Job::Indicator(_) | Job::NationalYear(_)));
        let long = rank_of(|j| {
            matches!(
                j,
                Job::Compare | Job::CompareYear(_) | Job::Data | Job::Sitemap | Job::Redirects
            )
        });
        let municipalities = rank_of(|j| matches!(j, Job::Municipality(_)));
        assert!(
            short < long && long < municipalities,
            "{short} {long} {municipalities}"
        );
    }

    /// Plans a change from `before` to `after`.
    fn plan_of(before: &Content, after: &Content, touched: &Touched) -> (Plan, Vec<Job>) {
        let stats_before = crate::stats::compute(before);
        let stats_after = crate::stats::compute(after);
        let jobs = jobs_of(after, &stats_after);
        let plan = plan(
            touched,
            &Shape::of(before, &stats_before, jobs_of(before, &stats_before)),
            &Shape::of(after, &stats_after, jobs.iter().copied()),
            &jobs,
            after,
            &stats_after,
        );
        (plan, jobs)
    }

    fn touching(content: &Content, assessment: usize) -> Touched {
        let a = &content.assessments[assessment];
        Touched {
            municipalities: [a.municipality].into(),
            years: [a.year].into(),
        }
    }

    #[test]
    fn a_resubmission_publishes_its_municipality_first_and_its_year_after() {
        let before = generated(12, &[2016, 2017]);
        let mut after = before.clone();
        let last = after.assessments.len() - 1;
        let touched = touching(&after, last);
        after.assessments[last].answers.reverse();
        let (plan, jobs) = plan_of(&before, &after, &touched);
        let m = *touched.municipalities.first().unwrap();
        let year = *touched.years.first().unwrap();
        assert_eq!(year, 2017);
        assert!(plan.phase1.contains(&Job::Municipality(m)));
        assert!(plan.phase1.contains(&Job::Feed));
        for job in [Job::Home, Job::NationalYear(2017)] {
            assert!(plan.phase2.contains(&job), "{job:?}");
        }
        assert!(!plan.phase1.contains(&Job::Redirects));
        assert!(!plan.phase1.iter().any(|j| matches!(j, Job::County(_))));
        // Every other municipality with a 2017 page, and every aggregate, follow in phase 2.
        for a in &after.assessments {
            let job = Job::Municipality(a.municipality);
            if a.municipality != m && a.year == 2017 {
                assert!(plan.phase2.contains(&job), "{job:?}");
            }
        }
        for job in &jobs {
            match job.reads() {
                Reads::Municipality(_) => {}
                // Nothing a change of assessments touches.
                Reads::Setup => {
                    assert!(!plan.phase1.contains(job) && !plan.phase2.contains(job));
                }
                _ => assert!(
                    plan.phase1.contains(job) || plan.phase2.contains(job),
                    "{job:?}"
                ),
            }
        }
        assert!(plan.phase1.iter().all(|j| !plan.phase2.contains(j)));
    }

    #[test]
    fn municipalities_without_the_changed_year_are_left_alone() {
        let before = generated(12, &[2016, 2017]);
        let mut after = before.clone();
        // Leave one municipality with 2016 only.
        let only_2016 = after.assessments[0].municipality;
        after
            .assessments
            .retain(|a| !(a.municipality == only_2016 && a.year == 2017));
        let before = after.clone();
        let last = after.assessments.len() - 1;
        let touched = touching(&after, last);
        after.assessments[last].answers.reverse();
        let (plan, _) = plan_of(&before, &after, &touched);
        assert!(!plan.phase1.contains(&Job::Municipality(only_2016)));
        assert!(!plan.phase2.contains(&Job::Municipality(only_2016)));
    }

    #[test]
    fn a_first_publication_brings_its_redirect_and_county_into_phase_1() {
        let after = generated(12, &[2017]);
        let mut before = after.clone();
        let newcomer = after.assessments[3].municipality;
        let county = after.registry.municipalities[newcomer].county;
        // Before: no assessment in that county at all.
        before
            .assessments
            .retain(|a| after.registry.municipalities[a.municipality].county != county);
        let touched = touching(&after, 3);
        let (plan, _) = plan_of(&before, &after, &touched);
        assert!(plan.phase1.contains(&Job::Municipality(newcomer)));
        assert!(plan.phase1.contains(&Job::Redirects));
        assert!(plan.phase1.contains(&Job::County(county)));
    }

    #[test]
    fn a_municipality_s_new_latest_year_brings_the_pages_of_its_previous_one_into_phase_2() {
        // Pages link a municipality's latest assessment at its own page and the others at
        // their year's page: when its latest year moves, the links to its previous latest
        // year on the other municipalities' pages of that year move too.
        let mut after = generated(12, &[2016, 2017]);
        let in_2017: Vec<usize> = after
            .assessments
            .iter()
            .filter(|a| a.year == 2017)
            .map(|a| a.municipality)
            .collect();
        let (newcomer, only_2016) = (in_2017[0], in_2017[1]);
        // A municipality with 2016 only: its page of 2016 may link the newcomer's 2016.
        after
            .assessments
            .retain(|a| !(a.municipality == only_2016 && a.year == 2017));
        let mut before = after.clone();
        before
            .assessments
            .retain(|a| !(a.municipality == newcomer && a.year == 2017));
        let at = after
            .assessments
            .iter()
            .position(|a| a.municipality == newcomer && a.year == 2017)
            .unwrap();
        let touched = touching(&after, at);
        assert_eq!(touched.years, [2017].into());
        let (plan, _) = plan_of(&before, &after, &touched);
        assert!(plan.phase1.contains(&Job::Municipality(newcomer)));
        assert!(plan.phase2.contains(&Job::Municipality(only_2016)));
    }

    #[test]
    fn a_new_year_brings_every_aggregate_page_into_phase_1() {
        let before = generated(12, &[2016]);
        let mut after = before.clone();
        let mut next = after.assessments[0].clone();
        next.year = 2017;
        after.assessments.push(next);
        content::sort_assessments(&mut after.assessments, &after.registry);
        let at = after
            .assessments
            .iter()
            .position(|a| a.year == 2017)
            .unwrap();
        let touched = touching(&after, at);
        let (plan, jobs) = plan_of(&before, &after, &touched);
        for job in &jobs {
            match job {
                Job::Municipality(m) if !touched.municipalities.contains(m) => {
                    // Only 2017 pages can change; the others have 2016 only.
                    assert!(!plan.phase1.contains(job));
                }
                _ if job.reads() == Reads::Setup => assert!(!plan.phase1.contains(job)),
                _ => assert!(plan.phase1.contains(job), "{job:?}"),
            }
        }
        assert!(plan.phase1.contains(&Job::NationalYear(2017)));
        assert!(plan.phase1.contains(&Job::CompareYear(2017)));
    }
}
