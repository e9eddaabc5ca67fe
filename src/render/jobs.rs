//! The site as a table of jobs: each job renders a group of output files from the model, its
//! figures and the theme. A full build runs every job; `watch` runs only the jobs a change
//! touches, and gets the same bytes for them.
//!
//! This module sits above the page types: it names them, lists the jobs of a site and runs
//! them; the pages know only [`Site`] and [`paths`]. Each job also declares, before it is
//! rendered, the pages it writes ([`Job::pages`]: the sitemap is made of these) and what its
//! files are made from ([`Job::reads`]: `watch` plans its rebuilds with it). A test holds
//! every job to the pages it declares.
//!
//! A new page type is a variant here, its place in [`all`], and its three arms (`render`,
//! `pages`, `reads`: the compiler asks for each), a module in [`pages`] with its paths in
//! [`paths`], its template and its words in both translations.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::model::{CatalogIndex, IndicatorRef, Year};
use crate::output::{self, OutputFile};

use super::pages::{self, YearCopy};
use super::paths::{self, Page};
use super::site::{RenderError, Site};

/// A unit of rendering. Jobs are independent and can run in parallel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// The theme's static files.
    Static,
    /// The home page: the nation's latest year.
    Home,
    /// The list of every municipality.
    MunicipalityIndex,
    /// The list of every county.
    CountyIndex,
    /// The list of every indicator.
    IndicatorIndex,
    /// The comparison of the latest year.
    Compare,
    /// The nation in one year.
    NationalYear(Year),
    /// The comparison of one year.
    CompareYear(Year),
    /// A county (index into the registry): its latest year and each year.
    County(usize),
    /// A municipality (index into the registry): its latest year and each year.
    Municipality(usize),
    /// An indicator of a catalogue.
    Indicator(IndicatorRef),
    /// A publisher's page (index into `content.pages`).
    Page(usize),
    /// The redirects by code, and the pages for names that share an address.
    Redirects,
    /// The open data files and their page.
    Data,
    /// The shapes every map refers to.
    Maps,
    /// The Atom feed of the newest publications.
    Feed,
    /// The sitemap of every page.
    Sitemap,
    /// The not-found page and robots.txt.
    Extras,
}

/// What a job's files are made from, so that `watch` knows which changes touch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reads {
    /// Only what a change of assessments leaves alone: site.yaml, the registry, the
    /// catalogues, the publisher's pages and the theme.
    Setup,
    /// One municipality's assessments, and the figures of each year it has: its pages show
    /// its county, its size class and the nation beside it.
    Municipality(usize),
    /// The newest publications: published together with the change (the feed announces it).
    Publications,
    /// Which municipalities have pages: published together with a change that adds one, so
    /// that its links by code work at once.
    MunicipalitiesWithPages,
    /// Any assessment.
    Everything,
}

/// Every job of a site. The sitemap lists pages in this order.
pub fn all(site: &Site<'_>) -> Vec<Job> {
    let c = site.content;
    let mut jobs = vec![
        Job::Home,
        Job::MunicipalityIndex,
        Job::CountyIndex,
        Job::IndicatorIndex,
        Job::Compare,
    ];
    for &year in &site.stats.years {
        jobs.extend([Job::NationalYear(year), Job::CompareYear(year)]);
    }
    jobs.extend(
        (0..c.registry.counties.len())
            .filter(|&i| site.county_has_assessments(i))
            .map(Job::County),
    );
    jobs.extend(
        (0..c.registry.municipalities.len())
            .filter(|&m| site.stats.latest(m).is_some())
            .map(Job::Municipality),
    );
    for (ci, catalog) in CatalogIndex::each(&c.catalogs) {
        if site.stats.groups.iter().any(|g| g.catalog == ci) {
            jobs.extend((0..catalog.indicators.len()).map(|i| {
                Job::Indicator(IndicatorRef {
                    catalog: ci,
                    indicator: i,
                })
            }));
        }
    }
    jobs.extend((0..c.pages.len()).map(Job::Page));
    jobs.extend([
        Job::Static,
        Job::Redirects,
        Job::Data,
        Job::Maps,
        Job::Feed,
        Job::Sitemap,
        Job::Extras,
    ]);
    jobs
}

/// Every page of a site that the sitemap may list, in the order of [`all`].
pub(crate) fn all_pages(site: &Site<'_>) -> Vec<Page> {
    all(site).into_iter().flat_map(|j| j.pages(site)).collect()
}

impl Job {
    /// Renders the job's files: in the site's own language, then in each of its translations
    /// in the translation's folder, without the files every language shares
    /// ([`paths::is_shared`]).
    pub fn render(self, site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
        // Only a stop signal leaves a job unfinished (`None`), and there is none.
        self.render_until(site, &|| false)
            .unwrap_or_else(|| Ok(Vec::new()))
    }

    /// Like [`Job::render`], but gives up (`None`) when `stopped` says so: between languages,
    /// and when a render failed because its site's stop signal stopped it.
    fn render_until(
        self,
        site: &Site<'_>,
        stopped: &dyn Fn() -> bool,
    ) -> Option<Result<Vec<OutputFile>, RenderError>> {
        // A render that fails once stopped was most likely stopped (a template gives up at
        // its next write, see `Site::stopping_on`): either way it is done again later.
        let given_way = |e| if stopped() { None } else { Some(Err(e)) };
        if stopped() {
            return None;
        }
        let mut files = match self.render_in(site) {
            Ok(files) => files,
            Err(e) => return given_way(e),
        };
        if self.is_translated() {
            for copy in site.translations() {
                if stopped() {
                    return None;
                }
                let folder = copy.folder();
                match self.render_in(&copy) {
                    Ok(more) => files.extend(
                        more.into_iter()
                            .filter(|f| !paths::is_shared(&f.path))
                            .map(|f| f.moved_into(folder)),
                    ),
                    Err(e) => return given_way(e),
                }
            }
        }
        if stopped() {
            return None;
        }
        output::link_same_svgs(&mut files);
        Some(Ok(files))
    }

    /// Whether a translation of the site has this job's files too. The theme's files and
    /// the sitemap (which lists the pages of every language) are the site's only once; the
    /// open data job writes its one set of files and its page in every language itself.
    fn is_translated(self) -> bool {
        !matches!(self, Job::Static | Job::Sitemap | Job::Data)
    }

    /// The job's files in one language's copy of the site, with paths from its root.
    fn render_in(self, site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
        match self {
            Job::Static => Ok(site
                .theme
                .static_files
                .iter()
                .map(|(p, b)| OutputFile::bytes(p.clone(), b.clone()))
                .collect()),
            Job::Home => pages::national::home(site),
            Job::MunicipalityIndex => pages::lists::municipalities(site),
            Job::CountyIndex => pages::lists::counties(site),
            Job::IndicatorIndex => pages::lists::indicators(site),
            Job::Compare => pages::compare::latest(site),
            Job::NationalYear(year) => pages::national::year(site, year),
            Job::CompareYear(year) => pages::compare::year(site, year),
            Job::County(c) => pages::county::render(site, c),
            Job::Municipality(m) => pages::municipality::render(site, m),
            Job::Indicator(i) => pages::indicator::render(site, i),
            Job::Page(p) => pages::publisher::render(site, p),
            Job::Redirects => pages::redirects::render(site),
            Job::Data => pages::data::render(site),
            Job::Maps => Ok(pages::pictures::map_geometry(site)),
            Job::Feed => pages::feed::render(site),
            Job::Sitemap => pages::sitemap::render(site, &all_pages(site)),
            Job::Extras => pages::extras::render(site),
        }
    }

    /// The pages the job writes, in the order the sitemap lists them: the site's own, then
    /// those of each translation.
    pub(crate) fn pages(self, site: &Site<'_>) -> Vec<Page> {
        let mut pages = self.pages_in(site);
        if self.is_translated() {
            for copy in site.translations() {
                let folder = copy.folder();
                pages.extend(
                    self.pages_in(&copy)
                        .into_iter()
                        .map(|p| p.in_folder(folder)),
                );
            }
        }
        pages
    }

    /// The pages of the job in one language's copy of the site.
    fn pages_in(self, site: &Site<'_>) -> Vec<Page> {
        match self {
            Job::Static | Job::Feed | Job::Sitemap | Job::Maps => Vec::new(),
            Job::Home => vec![Page::listed(paths::HOME)],
            Job::MunicipalityIndex => vec![Page::listed(paths::MUNICIPALITIES)],
            Job::CountyIndex => vec![Page::listed(paths::COUNTIES)],
            Job::IndicatorIndex => vec![Page::listed(paths::INDICATORS)],
            Job::Compare => vec![Page::listed(paths::COMPARE)],
            Job::NationalYear(year) => vec![
                YearCopy::of_year(year, site.latest_year())
                    .sitemap_page(paths::national_year(year)),
            ],
            Job::CompareYear(year) => vec![
                YearCopy::of_year(year, site.latest_year()).sitemap_page(paths::compare_year(year)),
            ],
            Job::County(c) => pages::county::pages(site, c),
            Job::Municipality(m) => pages::municipality::pages(site, m),
            Job::Indicator(i) => pages::indicator::pages(site, i),
            Job::Page(p) => pages::publisher::pages(site, p),
            Job::Redirects => pages::redirects::pages(site),
            Job::Data => pages::data::pages(site),
            Job::Extras => pages::extras::pages(),
        }
    }

    /// What the job's files are made from.
    pub(crate) fn reads(self) -> Reads {
        match self {
            Job::Static | Job::Page(_) | Job::Maps => Reads::Setup,
            Job::Municipality(m) => Reads::Municipality(m),
            Job::Feed => Reads::Publications,
            // The not-found page lists the municipalities with pages.
            Job::Redirects | Job::Extras => Reads::MunicipalitiesWithPages,
            Job::Home
            | Job::MunicipalityIndex
            | Job::CountyIndex
            | Job::IndicatorIndex
            | Job::Compare
            | Job::NationalYear(_)
            | Job::CompareYear(_)
            | Job::County(_)
            | Job::Indicator(_)
            | Job::Data
            | Job::Sitemap => Reads::Everything,
        }
    }
}

/// What rendering a job gave.
pub(crate) type Rendered = Result<Vec<OutputFile>, RenderError>;

/// Renders one job; with `no_png`, its PNG pictures are left out (their SVGs stay).
pub(crate) fn render_one(site: &Site<'_>, job: Job, no_png: bool) -> Rendered {
    let mut files = job.render(site)?;
    if no_png {
        output::drop_pngs(&mut files);
    }
    Ok(files)
}

/// Renders jobs in parallel and hands each job's outcome to `take` as soon as it is rendered,
/// so that the whole site never has to be in memory. Stops at the first error of `take`.
pub(crate) fn render_each<E: Send>(
    site: &Site<'_>,
    jobs: &[Job],
    no_png: bool,
    take: &(dyn Fn(Job, Rendered) -> Result<(), E> + Sync),
) -> Result<(), E> {
    largest_first(jobs)
        .par_iter()
        .try_for_each(|&job| take(job, render_one(site, job, no_png)))
}

/// `jobs` with the ones that take long (a page or file of every municipality) first and the
/// many short ones after them, so that the threads finish together instead of one thread
/// still working on a large job at the end while the others wait.
fn largest_first(jobs: &[Job]) -> Vec<Job> {
    let mut ordered = jobs.to_vec();
    ordered.sort_by_key(|job| match job {
        Job::Data | Job::Compare | Job::CompareYear(_) => 0,
        Job::Redirects | Job::Sitemap | Job::Indicator(_) => 1,
        Job::MunicipalityIndex | Job::Extras | Job::County(_) => 2,
        _ => 3,
    });
    ordered
}

/// Renders jobs in parallel; the outcomes come in the order of `jobs`. Jobs not finished
/// when `stop` is set are left out (`None`): their templates stop at their next write.
pub(crate) fn render_in_order(
    site: &Site<'_>,
    jobs: &[Job],
    no_png: bool,
    stop: Option<&Arc<AtomicBool>>,
) -> Vec<(Job, Option<Rendered>)> {
    let stopping = stop.map(|stop| site.stopping_on(stop));
    let site = stopping.as_ref().unwrap_or(site);
    jobs.par_iter()
        .map(|&job| {
            let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
            let rendered = job.render_until(site, &stopped).map(|rendered| {
                rendered.map(|mut files| {
                    if no_png {
                        output::drop_pngs(&mut files);
                    }
                    files
                })
            });
            (job, rendered)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::content::{self, LoadOptions};
    use crate::pipeline::Loaded;

    fn loaded(dir: &std::path::Path) -> Loaded {
        let content = content::load(dir, &LoadOptions::default())
            .content
            .expect("content loads");
        let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        match Loaded::new(content, &theme) {
            Ok(loaded) => loaded,
            Err(e) => panic!("{e:?}"),
        }
    }

    /// Every job writes exactly the HTML pages it declares, so that the sitemap and `watch`,
    /// which go by the declarations, miss none.
    fn assert_jobs_write_what_they_declare(dir: &std::path::Path) {
        let loaded = loaded(dir);
        let site = loaded.site();
        let mut every = BTreeSet::new();
        for job in all(&site) {
            let files = job.render(&site).expect("renders");
            let written: BTreeSet<String> = files
                .iter()
                .map(|f| f.path.clone())
                .filter(|p| p.ends_with(".html"))
                .collect();
            let declared: BTreeSet<String> = job.pages(&site).iter().map(Page::file).collect();
            assert_eq!(written, declared, "{job:?}");
            for page in declared {
                assert!(every.insert(page.clone()), "{page} is declared twice");
            }
        }
    }

    #[test]
    fn the_largest_jobs_start_first_and_every_job_runs_once() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = loaded(&repo.join("content"));
        let jobs = all(&loaded.site());
        let ordered = largest_first(&jobs);
        let (mut a, mut b) = (jobs.clone(), ordered.clone());
        a.sort();
        b.sort();
        assert_eq!(a, b, "the same jobs, each once");
        let at = |wanted: fn(&Job) -> bool| ordered.iter().position(wanted).expect("a job");
        let first_municipality = at(|j| matches!(j, Job::Municipality(_)));
        for large in [
            at(|j| matches!(j, Job::Data)),
            at(|j| matches!(j, Job::Sitemap)),
            at(|j| matches!(j, Job::Indicator(_))),
        ] {
            assert!(large < first_municipality, "{ordered:?}");
        }
        // The order of the sitemap is the table's, not the order of work.
        assert_ne!(jobs, ordered);
    }

    #[test]
    fn a_job_gives_way_between_languages() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = loaded(&repo.join("content"));
        let site = loaded.site();
        assert!(
            site.translations().next().is_some(),
            "the bundled site is translated"
        );
        let job = Job::County(0);
        let whole = job.render(&site).expect("renders");
        assert!(whole.iter().any(|f| f.path.starts_with("en/")));
        // Not stopped: every language, the same files as a plain render.
        let kept = job.render_until(&site, &|| false).expect("not stopped");
        assert_eq!(kept.expect("renders"), whole);
        // Stopped after the first language: nothing of the job is kept.
        let asked = std::cell::Cell::new(0);
        let stop_after_one = || {
            asked.set(asked.get() + 1);
            asked.get() > 1
        };
        assert!(job.render_until(&site, &stop_after_one).is_none());
        assert_eq!(asked.get(), 2, "asked before each language");
        // Stopped before it began.
        assert!(job.render_until(&site, &|| true).is_none());
    }

    #[test]
    fn a_template_gives_way_at_its_next_write() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = loaded(&repo.join("content"));
        let site = loaded.site();
        let job = Job::Compare;
        let whole = job.render(&site).expect("renders");
        // A stop signal that is never set changes nothing.
        let never = Arc::new(AtomicBool::new(false));
        let watched = site.stopping_on(&never);
        assert_eq!(job.render(&watched).expect("renders"), whole);
        // Set once the job has begun: its template stops at once, and the job is given up
        // instead of failing.
        let set = Arc::new(AtomicBool::new(true));
        let stopping = site.stopping_on(&set);
        assert!(job.render(&stopping).is_err(), "the template stopped");
        let begun = std::cell::Cell::new(false);
        let stopped = || begun.replace(true);
        assert!(job.render_until(&stopping, &stopped).is_none());
    }

    #[test]
    fn the_comparison_gives_way_before_its_template() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = loaded(&repo.join("content"));
        let site = loaded.site();
        let set = Arc::new(AtomicBool::new(true));
        let stopping = site.stopping_on(&set);
        // Its table (every municipality with its similar ones) looks at the signal itself:
        // the error is not a template's.
        for job in [Job::Compare, Job::CompareYear(2016)] {
            let stopped = job.render(&stopping).expect_err("stopped");
            assert_eq!(stopped.template, "", "{job:?}: {}", stopped.message);
            assert!(stopped.message.contains("stopped"), "{}", stopped.message);
        }
    }

    #[test]
    fn jobs_write_the_pages_they_declare() {
        // The bundled content has publisher's pages and two names that share an address.
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_jobs_write_what_they_declare(&repo.join("content"));
        assert_jobs_write_what_they_declare(&repo.join("tests/fixtures/sites/shapes"));
    }
}
