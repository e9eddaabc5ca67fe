//! The site as a table of jobs: each job renders a group of output files from the model, its
//! figures and the theme. A full build runs every job; `watch` runs only the jobs a change
//! touches, and gets the same bytes for them.
//!
//! This module sits above the page types: it names them, lists the jobs of a site and runs
//! them; the pages know only [`Site`].

use rayon::prelude::*;

use crate::model::Year;
use crate::output::OutputFile;

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

/// Why rendering into a sink stopped.
#[derive(Debug)]
pub enum JobsFailed<E> {
    Render(Vec<RenderError>),
    Sink(E),
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

/// Runs jobs in parallel and hands each job's files to `sink` as soon as they are rendered,
/// so that the whole site never has to be in memory. Stops at the first error of `sink`;
/// template errors are collected.
pub fn render_into<E: Send>(
    site: &Site<'_>,
    jobs: &[Job],
    sink: &(dyn Fn(Vec<OutputFile>) -> Result<(), E> + Sync),
) -> Result<(), JobsFailed<E>> {
    let errors = std::sync::Mutex::new(Vec::new());
    jobs.par_iter()
        .try_for_each(|&job| match job.render(site) {
            Ok(files) => sink(files).map_err(JobsFailed::Sink),
            Err(e) => {
                if let Ok(mut list) = errors.lock()
                    && !list.contains(&e)
                {
                    list.push(e);
                }
                Ok(())
            }
        })?;
    let errors = errors.into_inner().unwrap_or_default();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(JobsFailed::Render(errors))
    }
}

/// Runs jobs in parallel; the files come out sorted by path, so output is deterministic.
pub fn render_sorted(site: &Site<'_>, jobs: &[Job]) -> Result<Vec<OutputFile>, Vec<RenderError>> {
    let results: Vec<Result<Vec<OutputFile>, RenderError>> =
        jobs.par_iter().map(|&j| j.render(site)).collect();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.extend(f),
            Err(e) => {
                if !errors.contains(&e) {
                    errors.push(e)
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let clashes: Vec<RenderError> = files
        .windows(2)
        .filter(|w| w[0].path == w[1].path)
        .map(|w| RenderError {
            template: "-".into(),
            line: None,
            message: format!("two pages would be written to {}", w[0].path),
        })
        .collect();
    if !clashes.is_empty() {
        return Err(clashes);
    }
    Ok(files)
}
