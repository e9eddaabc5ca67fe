//! What every page reads: the model, its figures and the theme ([`Site`]), the common
//! `<head>` values ([`Head`]), and the helpers pages share (links, words, the flower box).
//! The page types themselves are in [`super::pages`]; the table of jobs that runs them is
//! [`super::jobs`].

use std::path::Path;

use minijinja::Value;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity, SourceText};
use crate::model::{Content, Language, SizeClass, Year};
use crate::stats::{Stats, Tally};

use super::credit;
use super::flowerbox;
use super::theme::{Theme, template_pos};

/// A template that failed to render (a theme error): the render layer's one error type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The template's name under `templates/`.
    pub template: String,
    pub line: Option<usize>,
    /// Where in the template's text the failing expression starts (bytes), when known.
    pub offset: Option<usize>,
    pub message: String,
}

impl RenderError {
    /// The error as a problem in its template file (under `theme`), at the line and column
    /// of the failing expression, with the line quoted, as far as they are known.
    pub fn diagnostic(&self, theme: &Path) -> Diagnostic {
        let path = theme.join("templates").join(&self.template);
        let text = std::fs::read_to_string(&path).ok();
        let source = text.as_deref().map(|text| SourceText { path: &path, text });
        let pos = template_pos(source.as_ref(), self.line, self.offset);
        Diagnostic {
            source_line: source.as_ref().and_then(|s| s.line(pos.line)),
            path,
            pos,
            severity: Severity::Error,
            message: self.message.clone(),
        }
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
            offset: e.range().map(|r| r.start),
            message,
        }
    }
}

/// Everything a job reads.
pub struct Site<'a> {
    pub content: &'a Content,
    pub stats: &'a Stats,
    pub theme: &'a Theme,
    /// Without a trailing slash; empty when the site's address is unknown.
    pub base_url: String,
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

/// A flower box with its words, not yet drawn (see [`Site::flowerbox`]).
pub struct Flowerbox<'s> {
    site: &'s Site<'s>,
    catalog: usize,
    tallies: &'s [Tally],
    title: &'s str,
    summary: &'s str,
    id_prefix: &'s str,
    /// The source line under the picture.
    source: String,
}

impl Flowerbox<'_> {
    /// The SVG for where it is shown.
    pub fn svg(&self, place: flowerbox::Place) -> String {
        self.picture(place).svg
    }

    /// The SVG for where it is shown, with what a page needs to show its narrow layout.
    pub fn picture(&self, place: flowerbox::Place) -> flowerbox::Picture {
        let site = self.site;
        let labels = flowerbox::Labels {
            title: self.title,
            summary: self.summary,
            helt: site.t("answer_helt"),
            delvis: site.t("answer_delvis"),
            inte: site.t("answer_inte"),
            obesvarad: site.t("answer_obesvarad"),
            grass: site.t("level_grass"),
            soil: site.t("level_soil"),
            credit: Some(site.picture_credit(&self.source)),
        };
        flowerbox::render(
            &site.content.catalogs[self.catalog],
            self.tallies,
            &labels,
            self.id_prefix,
            place,
        )
    }
}

impl<'a> Site<'a> {
    /// The site of some content, its figures and a theme, at the address of `site.yaml`.
    pub fn new(content: &'a Content, stats: &'a Stats, theme: &'a Theme) -> Site<'a> {
        Site {
            content,
            stats,
            theme,
            base_url: content.config.base_url.clone(),
        }
    }

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

    /// The address of a path: absolute when the site's address is known, else from the root
    /// of the host (`/kommun/kumla/`).
    pub fn url_of(&self, path: &str) -> String {
        self.absolute(path).unwrap_or_else(|| format!("/{path}"))
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

    pub fn county_has_assessments(&self, county: usize) -> bool {
        self.stats.groups.iter().any(|g| g.county(county).is_some())
    }

    /// The flower box of a catalogue for some tallies of a year, with the theme's words and
    /// the site's source strip, ready to be drawn for its own file or inline in a page
    /// ([`Flowerbox::svg`]).
    pub fn flowerbox<'s>(
        &'s self,
        catalog: usize,
        tallies: &'s [Tally],
        year: Year,
        title: &'s str,
        summary: &'s str,
        id_prefix: &'s str,
    ) -> Flowerbox<'s> {
        Flowerbox {
            site: self,
            catalog,
            tallies,
            title,
            summary,
            id_prefix,
            source: self.picture_source(year),
        }
    }

    /// The source line of a picture of `year`: the site's name, address and the year.
    pub fn picture_source(&self, year: Year) -> String {
        credit::source_line(
            self.t("picture_source"),
            &self.content.config.title,
            self.absolute("").as_deref(),
            year,
        )
    }

    /// The credit of every picture: its source line, and the example mark while the site
    /// shows example data.
    pub fn picture_credit<'s>(&'s self, source: &'s str) -> credit::Credit<'s> {
        credit::Credit {
            source,
            example_mark: self
                .content
                .config
                .example_data
                .then(|| self.t("example_mark")),
        }
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
