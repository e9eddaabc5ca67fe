//! The site as a table of jobs: each job renders a group of output files from the model, its
//! figures and the theme. A full build runs every job; `watch` runs only the jobs a change
//! touches, and gets the same bytes for them.
//!
//! This module sits above the page types: it names them, lists the jobs of a site and runs
//! them; the pages know only [`Site`].

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::model::Year;
use crate::output::{self, OutputFile};

use super::pages;
use super::site::{RenderError, Site};

/// A unit of rendering. Jobs are independent and can run in parallel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Static,
    Home,
    NationalYear(Year),
    CountyIndex,
    County(usize),
    MunicipalityIndex,
    Municipality(usize),
    IndicatorIndex,
    Indicator(usize, usize),
    Compare,
    Page(usize),
    Redirects,
    Data,
    Feed,
    Sitemap,
    Extras,
}

/// Every job of a site.
pub fn all(site: &Site<'_>) -> Vec<Job> {
    let c = site.content;
    let mut jobs = vec![
        Job::Static,
        Job::Home,
        Job::CountyIndex,
        Job::MunicipalityIndex,
        Job::IndicatorIndex,
        Job::Compare,
        Job::Redirects,
        Job::Data,
        Job::Feed,
        Job::Sitemap,
        Job::Extras,
    ];
    jobs.extend(site.stats.years.iter().map(|&y| Job::NationalYear(y)));
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
    for (ci, catalog) in c.catalogs.iter().enumerate() {
        if site.stats.groups.iter().any(|g| g.catalog == ci) {
            jobs.extend((0..catalog.indicators.len()).map(|i| Job::Indicator(ci, i)));
        }
    }
    jobs.extend((0..c.pages.len()).map(Job::Page));
    jobs
}

impl Job {
    /// Renders the job's files.
    pub fn render(self, site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
        match self {
            Job::Static => Ok(site
                .theme
                .static_files
                .iter()
                .map(|(p, b)| OutputFile::bytes(p.clone(), b.clone()))
                .collect()),
            Job::Home => pages::national::home(site),
            Job::NationalYear(year) => pages::national::year(site, year),
            Job::CountyIndex => pages::lists::counties(site),
            Job::County(c) => pages::county::render(site, c),
            Job::MunicipalityIndex => pages::lists::municipalities(site),
            Job::Municipality(m) => pages::municipality::render(site, m),
            Job::IndicatorIndex => pages::lists::indicators(site),
            Job::Indicator(c, i) => pages::indicator::render(site, c, i),
            Job::Compare => pages::compare::render(site),
            Job::Page(p) => pages::misc::page(site, p),
            Job::Redirects => pages::misc::redirects(site),
            Job::Data => pages::misc::data(site),
            Job::Feed => pages::misc::feed(site),
            Job::Sitemap => pages::misc::sitemap(site),
            Job::Extras => pages::misc::extras(site),
        }
    }
}

/// What rendering a job gave.
pub type Rendered = Result<Vec<OutputFile>, RenderError>;

/// Renders one job; with `no_png`, its PNG pictures are left out (their SVGs stay).
pub fn render_one(site: &Site<'_>, job: Job, no_png: bool) -> Rendered {
    let mut files = job.render(site)?;
    if no_png {
        output::drop_pngs(&mut files);
    }
    Ok(files)
}

/// Renders jobs in parallel and hands each job's outcome to `take` as soon as it is rendered,
/// so that the whole site never has to be in memory. Stops at the first error of `take`.
pub fn render_each<E: Send>(
    site: &Site<'_>,
    jobs: &[Job],
    no_png: bool,
    take: &(dyn Fn(Job, Rendered) -> Result<(), E> + Sync),
) -> Result<(), E> {
    jobs.par_iter()
        .try_for_each(|&job| take(job, render_one(site, job, no_png)))
}

/// Renders jobs in parallel; the outcomes come in the order of `jobs`. Jobs not yet started
/// when `stop` is set are left out (`None`).
pub fn render_in_order(
    site: &Site<'_>,
    jobs: &[Job],
    no_png: bool,
    stop: Option<&AtomicBool>,
) -> Vec<(Job, Option<Rendered>)> {
    jobs.par_iter()
        .map(|&job| {
            if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                return (job, None);
            }
            (job, Some(render_one(site, job, no_png)))
        })
        .collect()
}
