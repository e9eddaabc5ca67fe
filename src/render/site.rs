//! What every page reads: the model, its figures and the theme ([`Site`]), the common
//! `<head>` values ([`Head`]), and the helpers pages share (links, words, the flower box).
//! The page types themselves are in [`super::pages`]; the table of jobs that runs them is
//! [`super::jobs`].

use std::collections::HashMap;
use std::hash::Hash;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use minijinja::Value;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity, SourceText};
use crate::model::{Area, Catalog, CatalogIndex, Content, Indicator, Language, SizeClass, Year};
use crate::stats::{Stats, Tally};

use super::credit;
use super::flowerbox;
use super::paths;
use super::reuse::{self, Reusable};
use super::theme::{Theme, template_pos};

/// A template that failed to render (a theme error): the render layer's one error type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The template's name under `templates/`.
    pub template: String,
    /// The line in the template where it failed, when known.
    pub line: Option<usize>,
    /// Where in the template's text the failing expression starts (bytes), when known.
    pub offset: Option<usize>,
    /// What went wrong.
    pub message: String,
}

impl RenderError {
    /// The error as a problem in its template file (under `theme`), at the line and column
    /// of the failing expression, with the line quoted, as far as they are known.
    pub(crate) fn diagnostic(&self, theme: &Path) -> Diagnostic {
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

/// Why a page rendered under a stop signal ([`Site::stopping_on`]) failed once it was set.
pub(crate) const STOPPED: &str = "stopped: a new change came";

/// Collects a template's output, and fails its next write once `stop` is set: minijinja then
/// ends the render with an error.
struct StoppingWriter<'a> {
    bytes: Vec<u8>,
    stop: &'a AtomicBool,
}

impl std::io::Write for StoppingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(std::io::Error::other(STOPPED));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything a job reads, for one language's copy of the site: the site's own language at
/// the root, or a translation in its folder (`en/`). Page paths are relative to the copy's
/// root; the jobs put a translation's files in its folder.
pub struct Site<'a> {
    /// The content.
    pub content: &'a Content,
    /// The figures computed from it.
    pub stats: &'a Stats,
    /// The theme with this copy's words.
    pub theme: &'a Theme,
    /// Without a trailing slash; empty when the site's address is unknown.
    pub base_url: String,
    /// The language of this copy.
    pub language: Language,
    /// The themes of the translations, in the order of `translations:` (only in the copy of
    /// the site's own language).
    translations: &'a [Theme],
    /// Set when whoever rendered this copy no longer wants its pages (`watch`, when a new
    /// change arrives): a template being rendered then stops at its next write, and long
    /// work before or inside it at its next look ([`Site::given_way`], `reuse_each`).
    stop: Option<Arc<AtomicBool>>,
    /// What many pages share, made once; shared with the copies in other languages.
    memos: Arc<Memos>,
}

#[derive(Serialize)]
struct FooterPage<'a> {
    slug: &'a str,
    title: &'a str,
    /// The language of the title, when it is not the page's: the publisher's pages are
    /// written in the site's own language.
    lang: Option<&'static str>,
}

/// Adds what every template of this site in `language` can read: `site` (site.yaml, with
/// the title and description in that language) and `footer_pages`.
pub(crate) fn add_site_globals(theme: &mut Theme, content: &Content, language: Language) {
    let own = content.config.language;
    let pages: Vec<FooterPage> = content
        .pages
        .iter()
        .map(|p| FooterPage {
            slug: &p.slug,
            title: &p.title,
            lang: (language != own).then(|| own.code()),
        })
        .collect();
    theme
        .env
        .add_global("footer_pages", Value::from(minijinja::value::Serde(&pages)));
    let mut config = content.config.clone();
    config.title = content.config.title_in(language).to_string();
    config.description = content.config.description_in(language).map(str::to_string);
    theme
        .env
        .add_global("site", Value::from(minijinja::value::Serde(&config)));
}

/// A flower box with its words, not yet drawn (see [`Site::flowerbox`]).
pub struct Flowerbox<'s> {
    site: &'s Site<'s>,
    catalog: CatalogIndex,
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
    pub(crate) fn picture(&self, place: flowerbox::Place) -> flowerbox::Picture {
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
            language: site.language,
        };
        let catalog = &site.content.catalogs[self.catalog];
        let key = (
            self.catalog,
            site.language,
            place,
            self.id_prefix.to_string(),
        );
        let shapes = site.memos.shapes.get_or_make(key, || {
            Arc::new(flowerbox::Shapes::new(
                catalog,
                &labels,
                self.id_prefix,
                place,
            ))
        });
        flowerbox::render_with(
            catalog,
            self.tallies,
            &labels,
            self.id_prefix,
            place,
            Some(&shapes),
        )
    }
}

/// What many pages of a site share, each made the first time a page asks for it and kept
/// for as long as the site lives: a site borrows its content, so nothing they were made from
/// changes under them (`watch` makes a new site for each change). The copies in other
/// languages share them; a key holds the language where the value depends on it.
#[derive(Default)]
struct Memos {
    /// The flower boxes' shapes ([`flowerbox::Shapes`]), by catalogue, language, place and
    /// id prefix.
    shapes: Memo<(CatalogIndex, Language, flowerbox::Place, String), Arc<flowerbox::Shapes>>,
    /// Each group's assessments in the order of their municipalities' names, each with the
    /// `{name, path}` a list of municipalities shows, as a template value ([`Reusable`]: the
    /// lists write each entry's markup once). Every indicator
    /// page lists all of a year's municipalities by answer (at 10 000 municipalities, 88
    /// pages of 10 000 names a year in each language) from here instead of sorting the names
    /// and writing the paths again. The same in every language: names, and paths from the
    /// root.
    named_in_order: Memo<usize, NamedList>,
    /// The rows of the answers' tables that many pages share, by language and group: a table
    /// found under one lock a page, its rows then by slot without a lock, each made on first
    /// use.
    answer_rows: Memo<(Language, usize), ValueTable>,
}

/// Indices into `content.assessments`, each with its `{name, path}`.
type NamedList = Arc<[(usize, Value)]>;

/// Template values by slot, each made on first use.
pub(crate) type ValueTable = Arc<[OnceLock<Value>]>;

/// Values by key, each made the first time it is asked for.
struct Memo<K, V>(Mutex<HashMap<K, V>>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(Mutex::new(HashMap::new()))
    }
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// The value for `key`, made by `make` the first time. Made outside the lock: two threads
    /// may both make the first one, and both get the one kept (they are equal).
    fn get_or_make(&self, key: K, make: impl FnOnce() -> V) -> V {
        if let Some(found) = self.lock().get(&key) {
            return found.clone();
        }
        let made = make();
        self.lock().entry(key).or_insert(made).clone()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<K, V>> {
        // A panic elsewhere while the map was held leaves it whole: entries are added whole.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Serialize)]
struct Named<'a> {
    name: &'a str,
    path: String,
}

impl<'a> Site<'a> {
    /// The site of some content, its figures and a theme, at the address of `site.yaml`, in
    /// the site's own language only.
    pub fn new(content: &'a Content, stats: &'a Stats, theme: &'a Theme) -> Site<'a> {
        Site::with_translations(content, stats, theme, &[])
    }

    /// The site in its own language with `theme`, and in the languages of `translations:`
    /// with theirs (one theme each, in the same order).
    pub(crate) fn with_translations(
        content: &'a Content,
        stats: &'a Stats,
        theme: &'a Theme,
        translations: &'a [Theme],
    ) -> Site<'a> {
        Site {
            content,
            stats,
            theme,
            base_url: content.config.base_url.clone(),
            language: content.config.language,
            translations,
            stop: None,
            memos: Arc::default(),
        }
    }

    /// An error once this copy's stop signal is set ([`Site::stopping_on`]): for a page that
    /// does long work of its own before its template, to look at as it goes.
    pub(crate) fn given_way(&self) -> Result<(), RenderError> {
        match &self.stop {
            Some(stop) if stop.load(Ordering::Relaxed) => Err(RenderError {
                template: String::new(),
                line: None,
                offset: None,
                message: STOPPED.to_string(),
            }),
            _ => Ok(()),
        }
    }

    /// This copy, its templates stopping as soon as `stop` is set (their pages are then
    /// errors, to be thrown away).
    pub(crate) fn stopping_on(&self, stop: &Arc<AtomicBool>) -> Site<'a> {
        Site {
            content: self.content,
            stats: self.stats,
            theme: self.theme,
            base_url: self.base_url.clone(),
            language: self.language,
            translations: self.translations,
            stop: Some(Arc::clone(stop)),
            memos: Arc::clone(&self.memos),
        }
    }

    /// The copies of the site in its translations' languages (none in a copy itself).
    pub(crate) fn translations(&self) -> impl Iterator<Item = Site<'a>> + '_ {
        self.content
            .config
            .translations
            .iter()
            .zip(self.translations)
            .map(|(&language, theme)| Site {
                content: self.content,
                stats: self.stats,
                theme,
                base_url: self.base_url.clone(),
                language,
                translations: &[],
                stop: self.stop.clone(),
                memos: Arc::clone(&self.memos),
            })
    }

    pub(crate) fn language(&self) -> Language {
        self.language
    }

    /// Whether this is a translation: a copy in a folder of its own, beside the site.
    pub(crate) fn is_translation(&self) -> bool {
        self.language != self.content.config.language
    }

    /// The folder of this copy: empty for the site's own language, `en/` for a translation.
    pub(crate) fn folder(&self) -> &'static str {
        self.folder_of(self.language)
    }

    /// The folder of the copy in `language`.
    fn folder_of(&self, language: Language) -> &'static str {
        if language == self.content.config.language {
            ""
        } else {
            paths::language_folder(language)
        }
    }

    /// The site's title in this copy's language.
    pub(crate) fn title(&self) -> &'a str {
        self.content.config.title_in(self.language)
    }

    /// A catalogue text as this copy shows it (see [`Shown`]).
    pub(crate) fn shown(&self, (text, language): (&'a str, Option<Language>)) -> Shown<'a> {
        // A catalogue's own texts are in the site's own language.
        let language = language.unwrap_or(self.content.config.language);
        Shown {
            text,
            lang: (language != self.language).then(|| language.code()),
        }
    }

    /// An indicator's text in this copy's language (see [`Shown`]).
    pub(crate) fn indicator_text(&self, indicator: &'a Indicator) -> Shown<'a> {
        self.shown(indicator.text_in(self.language))
    }

    /// An area's name in this copy's language.
    pub(crate) fn area_name(&self, area: &'a Area) -> Shown<'a> {
        self.shown(area.name_in(self.language))
    }

    /// An area's short label in this copy's language.
    pub(crate) fn area_label(&self, area: &'a Area) -> Shown<'a> {
        self.shown(area.label_in(self.language))
    }

    /// A catalogue's name in this copy's language.
    pub(crate) fn catalog_name(&self, catalog: &'a Catalog) -> Shown<'a> {
        self.shown(catalog.name_in(self.language))
    }

    pub(crate) fn latest_year(&self) -> Option<Year> {
        self.stats.years.last().copied()
    }

    /// `../` once per folder of `path` (`kommun/kumla/` → `../../`).
    pub(crate) fn root_of(path: &str) -> String {
        "../".repeat(path.matches('/').count())
    }

    /// The absolute address of a path of this copy, when the site's address is known.
    pub(crate) fn absolute(&self, path: &str) -> Option<String> {
        self.absolute_in_site(&format!("{}{path}", self.folder()))
    }

    /// The absolute address of a path from the root of the whole site (the open data, the
    /// pages of every copy), when the site's address is known.
    pub(crate) fn absolute_in_site(&self, path: &str) -> Option<String> {
        (self.base_url.starts_with("http://") || self.base_url.starts_with("https://"))
            .then(|| format!("{}/{path}", self.base_url))
    }

    /// The address of a path of this copy: absolute when the site's address is known, else
    /// from the root of the host (`/kommun/kumla/`).
    pub(crate) fn url_of(&self, path: &str) -> String {
        self.url_in_site(&format!("{}{path}", self.folder()))
    }

    /// Like [`Site::url_of`], for a path from the root of the whole site.
    pub(crate) fn url_in_site(&self, path: &str) -> String {
        self.absolute_in_site(path)
            .unwrap_or_else(|| format!("/{path}"))
    }

    /// The page at `path` in every language of the site, for `hreflang` links and the
    /// language switch; empty for a site in one language.
    fn alternates(&self, path: &str, root: &str) -> Vec<Alternate> {
        if self.content.config.translations.is_empty() {
            return Vec::new();
        }
        // From this copy's root up to the site's, then down into the other copy.
        let up = Self::root_of(self.folder());
        self.content
            .config
            .languages()
            .map(|language| {
                let folder = self.folder_of(language);
                let href = match format!("{root}{up}{folder}{path}") {
                    // The home page of the site's own language, from itself.
                    empty if empty.is_empty() => "./".to_string(),
                    href => href,
                };
                Alternate {
                    lang: language.code(),
                    name: language.own_name(),
                    // Absolute where the site's address is known, as search engines want.
                    url: self
                        .absolute_in_site(&format!("{folder}{path}"))
                        .unwrap_or_else(|| href.clone()),
                    href,
                    current: language == self.language,
                }
            })
            .collect()
    }

    pub(crate) fn t(&self, key: &'a str) -> &'a str {
        self.theme.t(key)
    }

    /// Renders a template with the common values every page has plus `page`.
    pub(crate) fn render_page<P: Serialize>(
        &self,
        template: &str,
        path: &str,
        head: Head,
        page: P,
    ) -> Result<String, RenderError> {
        let root = head.root.clone().unwrap_or_else(|| Self::root_of(path));
        // The not-found page gives its root as an address from the host; the site's own
        // files are then at the root of the whole site.
        let shared = match head.root {
            Some(_) => self.url_in_site(""),
            None => format!("{root}{}", Self::root_of(self.folder())),
        };
        let common = Common {
            alternates: self.alternates(path, &root),
            root,
            shared,
            path: path.to_string(),
            canonical: self.absolute(path),
            og_image: head.image.as_deref().and_then(|i| self.absolute(i)),
            title: head.title,
            description: head.description.unwrap_or_else(|| {
                self.content
                    .config
                    .description_in(self.language)
                    .unwrap_or_default()
                    .to_string()
            }),
            section: head.section,
            noindex: head.noindex,
        };
        let ctx = minijinja::context! {
            common => Value::from(minijinja::value::Serde(&common)),
            page => Value::from(minijinja::value::Serde(&page)),
        };
        self.render_template(template, ctx)
    }

    /// Renders a template of the theme with `ctx`. With a stop signal ([`Site::stopping_on`])
    /// every write of the template looks at it, so that a long page gives way at once.
    pub(crate) fn render_template(
        &self,
        template: &str,
        ctx: Value,
    ) -> Result<String, RenderError> {
        let tmpl = self.theme.env.get_template(template)?;
        let Some(stop) = &self.stop else {
            return Ok(tmpl.render(ctx)?);
        };
        let mut out = StoppingWriter {
            bytes: Vec::with_capacity(64 * 1024),
            stop,
        };
        // `reuse_each` writes a whole list at once, and looks at the signal as it goes.
        reuse::stopping_on(stop, || tmpl.render_captured_to(ctx, &mut out))?;
        String::from_utf8(out.bytes).map_err(|e| RenderError {
            template: template.to_string(),
            line: None,
            offset: None,
            message: e.to_string(),
        })
    }

    /// The page of an assessment (index into `content.assessments`): the municipality's own
    /// page for its latest one, whose year folder only leads there; else its year's page.
    /// Pages link here directly, so that a visitor never passes through the leading page.
    pub(crate) fn assessment_path(&self, assessment: usize) -> String {
        let a = &self.content.assessments[assessment];
        let slug = &self.content.registry.municipalities[a.municipality].slug;
        if self.stats.latest(a.municipality) == Some(assessment) {
            paths::municipality(slug)
        } else {
            paths::municipality_year(slug, a.year)
        }
    }

    /// The assessments of group `group` (index into `stats.groups`) in the order of their
    /// municipalities' names, each with `{name, path}` for a template ([`Memos`]).
    pub(crate) fn named_in_order(&self, group: usize) -> NamedList {
        self.memos.named_in_order.get_or_make(group, || {
            let assessments = self
                .stats
                .groups
                .get(group)
                .map_or(&[][..], |g| &g.assessments);
            let registry = &self.content.registry;
            let named = super::pages::by_municipality_name(
                self,
                assessments.iter().map(|&a| {
                    let municipality = self.content.assessments[a].municipality;
                    let named = Named {
                        name: &registry.municipalities[municipality].name,
                        path: self.assessment_path(a),
                    };
                    let value = Reusable::value(Value::from(minijinja::value::Serde(&named)));
                    (municipality, (a, value))
                }),
            );
            named.into()
        })
    }

    /// The shared rows of the answers' tables for `group` (index into `stats.groups`) in this
    /// copy's language: a table of `slots` rows, each made on first use ([`Memos`]).
    pub(crate) fn answer_rows(&self, group: usize, slots: usize) -> ValueTable {
        self.memos
            .answer_rows
            .get_or_make((self.language, group), || {
                (0..slots).map(|_| OnceLock::new()).collect()
            })
    }

    pub(crate) fn county_has_assessments(&self, county: usize) -> bool {
        self.stats.groups.iter().any(|g| g.county(county).is_some())
    }

    /// The flower box of a catalogue for some tallies of a year, with the theme's words and
    /// the site's source strip, ready to be drawn for its own file or inline in a page
    /// ([`Flowerbox::svg`]).
    pub fn flowerbox<'s>(
        &'s self,
        catalog: CatalogIndex,
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
    pub(crate) fn picture_source(&self, year: Year) -> String {
        credit::source_line(
            self.t("picture_source"),
            self.title(),
            self.absolute("").as_deref(),
            year,
        )
    }

    /// The credit of every picture: its source line, and the example mark while the site
    /// shows example data.
    pub(crate) fn picture_credit<'s>(&'s self, source: &'s str) -> credit::Credit<'s> {
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
    pub(crate) fn tally_sentence(
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

    pub(crate) fn size_class_label(&self, class: SizeClass) -> &'a str {
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
pub(crate) struct Head {
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
    pub(crate) fn new(title: impl Into<String>, section: &'static str) -> Head {
        Head {
            title: title.into(),
            description: None,
            section,
            image: None,
            noindex: false,
            root: None,
        }
    }
    pub(crate) fn description(mut self, d: impl Into<String>) -> Head {
        self.description = Some(d.into());
        self
    }
    pub(crate) fn image(mut self, path: impl Into<String>) -> Head {
        self.image = Some(path.into());
        self
    }
}

/// A catalogue text as a page shows it: in the page's language where the catalogue gives
/// it, else in Swedish, with `lang` saying so (`lang="sv"` on the element that holds it).
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Shown<'a> {
    pub text: &'a str,
    /// The text's language, when it is not the page's.
    pub lang: Option<&'static str>,
}

/// The same page in one of the site's languages.
#[derive(Serialize)]
struct Alternate {
    lang: &'static str,
    /// The language's name in itself.
    name: &'static str,
    /// A link from the page.
    href: String,
    /// Its address for `hreflang` links: absolute when the site's address is known.
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Common {
    /// From the page to the root of its language's copy: links to pages start here.
    root: String,
    /// From the page to the root of the whole site: the theme's files and the open data,
    /// which every language shares.
    shared: String,
    alternates: Vec<Alternate>,
    path: String,
    canonical: Option<String>,
    og_image: Option<String>,
    title: String,
    description: String,
    section: &'static str,
    noindex: bool,
}
