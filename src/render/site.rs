//! The site as a set of jobs: each job renders a group of output files from the model, its
//! figures and the theme. A full build runs every job; `watch` runs only the jobs a change
//! touches, and gets the same bytes for them.

use std::fmt;

use minijinja::Value;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Content, Language, SizeClass, Year};
use crate::output::OutputFile;
use crate::stats::{Stats, Tally};

use super::flowerbox;
use super::pages;
use super::theme::Theme;

/// A template that failed to render (a theme error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub template: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "templates/{}:{}:1: error: {}",
            self.template,
            self.line.unwrap_or(1),
            self.message
        )
    }
}

impl From<minijinja::Error> for RenderError {
    fn from(e: minijinja::Error) -> Self {
        let mut message = e
            .detail()
            .map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind()));
        let mut source = std::error::Error::source(&e);
        while let Some(inner) = source {
            message.push_str(&format!(" ({inner})"));
            source = inner.source();
        }
        RenderError {
            template: e.name().unwrap_or("?").to_string(),
            line: e.line(),
            message,
        }
    }
}

/// Why rendering into a sink stopped.
#[derive(Debug)]
pub enum JobsFailed<E> {
    Render(Vec<RenderError>),
    Sink(E),
}

/// Everything a job reads.
pub struct Site<'a> {
    pub content: &'a Content,
    pub stats: &'a Stats,
    pub theme: &'a Theme,
    /// Without a trailing slash; empty when the site's address is unknown.
    pub base_url: String,
}

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

#[derive(Serialize)]
struct FooterPage<'a> {
    slug: &'a str,
    title: &'a str,
}

/// Adds what every template of this site can read: `site` (site.yaml) and `footer_pages`.
pub fn add_site_globals(theme: &mut Theme, content: &Content) {
    let pages: Vec<FooterPage> = content
        .pages
        .iter()
        .map(|p| FooterPage {
            slug: &p.slug,
            title: &p.title,
        })
        .collect();
    theme
        .env
        .add_global("footer_pages", Value::from(minijinja::value::Serde(&pages)));
    theme.env.add_global(
        "site",
        Value::from(minijinja::value::Serde(&content.config)),
    );
}

impl<'a> Site<'a> {
    pub fn language(&self) -> Language {
        self.content.config.language
    }

    pub fn latest_year(&self) -> Option<Year> {
        self.stats.years.last().copied()
    }

    /// `../` once per folder of `path` (`kommun/kumla/` → `../../`).
    pub fn root_of(path: &str) -> String {
        "../".repeat(path.matches('/').count())
    }

    /// The absolute address of a path, when the site's address is known.
    pub fn absolute(&self, path: &str) -> Option<String> {
        (self.base_url.starts_with("http://") || self.base_url.starts_with("https://"))
            .then(|| format!("{}/{path}", self.base_url))
    }

    pub fn t(&self, key: &'a str) -> &'a str {
        self.theme.t(key)
    }

    /// Renders a template with the common values every page has plus `page`.
    pub fn render_page<P: Serialize>(
        &self,
        template: &str,
        path: &str,
        head: Head,
        page: P,
    ) -> Result<String, RenderError> {
        let common = Common {
            root: head.root.clone().unwrap_or_else(|| Self::root_of(path)),
            path: path.to_string(),
            canonical: self.absolute(path),
            og_image: head.image.as_deref().and_then(|i| self.absolute(i)),
            title: head.title,
            description: head
                .description
                .unwrap_or_else(|| self.content.config.description.clone().unwrap_or_default()),
            section: head.section,
            noindex: head.noindex,
        };
        let tmpl = self.theme.env.get_template(template)?;
        let ctx = minijinja::context! {
            common => Value::from(minijinja::value::Serde(&common)),
            page => Value::from(minijinja::value::Serde(&page)),
        };
        Ok(tmpl.render(ctx)?)
    }

    pub fn all_jobs(&self) -> Vec<Job> {
        let c = self.content;
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
        jobs.extend(self.stats.years.iter().map(|&y| Job::NationalYear(y)));
        jobs.extend(
            (0..c.registry.counties.len())
                .filter(|&i| self.county_has_assessments(i))
                .map(Job::County),
        );
        jobs.extend(
            (0..c.registry.municipalities.len())
                .filter(|&m| self.stats.latest(m).is_some())
                .map(Job::Municipality),
        );
        for (ci, catalog) in c.catalogs.iter().enumerate() {
            if self.stats.groups.iter().any(|g| g.catalog == ci) {
                jobs.extend((0..catalog.indicators.len()).map(|i| Job::Indicator(ci, i)));
            }
        }
        jobs.extend((0..c.pages.len()).map(Job::Page));
        jobs
    }

    pub fn county_has_assessments(&self, county: usize) -> bool {
        self.stats.groups.iter().any(|g| g.county(county).is_some())
    }

    pub fn render_job(&self, job: Job) -> Result<Vec<OutputFile>, RenderError> {
        match job {
            Job::Static => Ok(self
                .theme
                .static_files
                .iter()
                .map(|(p, b)| OutputFile::bytes(p.clone(), b.clone()))
                .collect()),
            Job::Home => pages::national::home(self),
            Job::NationalYear(year) => pages::national::year(self, year),
            Job::CountyIndex => pages::lists::counties(self),
            Job::County(c) => pages::county::render(self, c),
            Job::MunicipalityIndex => pages::lists::municipalities(self),
            Job::Municipality(m) => pages::municipality::render(self, m),
            Job::IndicatorIndex => pages::lists::indicators(self),
            Job::Indicator(c, i) => pages::indicator::render(self, c, i),
            Job::Compare => pages::compare::render(self),
            Job::Page(p) => pages::misc::page(self, p),
            Job::Redirects => pages::misc::redirects(self),
            Job::Data => pages::misc::data(self),
            Job::Feed => pages::misc::feed(self),
            Job::Sitemap => pages::misc::sitemap(self),
            Job::Extras => pages::misc::extras(self),
        }
    }

    /// Runs jobs in parallel and hands each job's files to `sink` as soon as they are rendered,
    /// so that the whole site never has to be in memory. Stops at the first error of `sink`;
    /// template errors are collected.
    pub fn render_jobs_into<E: Send>(
        &self,
        jobs: &[Job],
        sink: &(dyn Fn(Vec<OutputFile>) -> Result<(), E> + Sync),
    ) -> Result<(), JobsFailed<E>> {
        let errors = std::sync::Mutex::new(Vec::new());
        jobs.par_iter()
            .try_for_each(|&job| match self.render_job(job) {
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
    pub fn render_jobs(&self, jobs: &[Job]) -> Result<Vec<OutputFile>, Vec<RenderError>> {
        let results: Vec<Result<Vec<OutputFile>, RenderError>> =
            jobs.par_iter().map(|&j| self.render_job(j)).collect();
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

    /// The flower box of a catalogue for some tallies, with the theme's words.
    pub fn flowerbox(
        &self,
        catalog: usize,
        tallies: &[Tally],
        title: &str,
        summary: &str,
        id_prefix: &str,
    ) -> flowerbox::Picture {
        let labels = flowerbox::Labels {
            title,
            summary,
            helt: self.t("answer_helt"),
            delvis: self.t("answer_delvis"),
            inte: self.t("answer_inte"),
            obesvarad: self.t("answer_obesvarad"),
            grass: self.t("level_grass"),
            soil: self.t("level_soil"),
        };
        flowerbox::render(&self.content.catalogs[catalog], tallies, &labels, id_prefix)
    }

    /// "10 uppfyller helt, 38 delvis, 40 inte av 88 indikatorer" in the site's language.
    pub fn tally_sentence(
        &self,
        tally: &Tally,
        indicators: usize,
        municipalities: Option<u32>,
    ) -> String {
        let lang = self.language();
        let n = |v: u32| super::format::integer(u64::from(v), lang);
        let mut s = format!(
            "{} {}, {} {}, {} {}",
            n(tally.helt),
            self.t("sentence_helt"),
            n(tally.delvis),
            self.t("sentence_delvis"),
            n(tally.inte),
            self.t("sentence_inte")
        );
        if tally.obesvarad > 0 {
            s.push_str(&format!(
                ", {} {}",
                n(tally.obesvarad),
                self.t("sentence_obesvarad")
            ));
        }
        match municipalities {
            Some(m) => s.push_str(&format!(
                " {} {} {} {} {}",
                self.t("sentence_of"),
                indicators,
                self.t("sentence_indicators_in"),
                n(m),
                self.t("sentence_municipalities")
            )),
            None => s.push_str(&format!(
                " {} {} {}",
                self.t("sentence_of"),
                indicators,
                self.t("sentence_indicators")
            )),
        }
        s
    }

    pub fn size_class_label(&self, class: SizeClass) -> &'a str {
        self.t(match class {
            SizeClass::From100000 => "size_100000",
            SizeClass::From50000 => "size_50000",
            SizeClass::From20000 => "size_20000",
            SizeClass::From10000 => "size_10000",
            SizeClass::Below10000 => "size_0",
        })
    }
}

/// What a page says about itself in `<head>`.
pub struct Head {
    pub title: String,
    pub description: Option<String>,
    pub section: &'static str,
    /// The page's picture for Open Graph, as a path of the site.
    pub image: Option<String>,
    pub noindex: bool,
    /// Where links start, when not relative to the page's own folder (the not-found page).
    pub root: Option<String>,
}

impl Head {
    pub fn new(title: impl Into<String>, section: &'static str) -> Head {
        Head {
            title: title.into(),
            description: None,
            section,
            image: None,
            noindex: false,
            root: None,
        }
    }
    pub fn description(mut self, d: impl Into<String>) -> Head {
        self.description = Some(d.into());
        self
    }
    pub fn image(mut self, path: impl Into<String>) -> Head {
        self.image = Some(path.into());
        self
    }
}

#[derive(Serialize)]
struct Common {
    root: String,
    path: String,
    canonical: Option<String>,
    og_image: Option<String>,
    title: String,
    description: String,
    section: &'static str,
    noindex: bool,
}

/// Paths of the site, in one place.
pub mod paths {
    use crate::model::Year;

    pub fn municipality(slug: &str) -> String {
        format!("kommun/{slug}/")
    }
    pub fn municipality_year(slug: &str, year: Year) -> String {
        format!("kommun/{slug}/{year}/")
    }
    pub fn county(slug: &str) -> String {
        format!("lan/{slug}/")
    }
    pub fn county_year(slug: &str, year: Year) -> String {
        format!("lan/{slug}/{year}/")
    }
    pub fn national_year(year: Year) -> String {
        format!("riket/{year}/")
    }
    pub fn indicator(catalog: &str, id: &str) -> String {
        format!("indikator/{catalog}/{id}/")
    }
    pub fn compare_year(year: Year) -> String {
        format!("jamfor/{year}/")
    }
    pub fn page(slug: &str) -> String {
        format!("sida/{slug}/")
    }
    /// The file written for a page path (`kommun/kumla/` → `kommun/kumla/index.html`).
    pub fn index(path: &str) -> String {
        format!("{path}index.html")
    }
}
