//! The typed model that content is loaded into and that every later phase reads.
//!
//! Loading and validation (`content`) build it; statistics (`stats`) and rendering (`render`)
//! only read it. Nothing here knows about files on disk except for the source paths kept
//! for messages.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

pub(crate) type Year = u16;

/// The three answers of eBlomlådan. An unanswered indicator is `None` where answers are held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    /// Met in full.
    Helt,
    /// Met in part.
    Delvis,
    /// Not met.
    Inte,
}

impl Answer {
    pub(crate) const WORDS: [&'static str; 3] = ["helt", "delvis", "inte"];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Answer::Helt => "helt",
            Answer::Delvis => "delvis",
            Answer::Inte => "inte",
        }
    }

    pub(crate) fn parse(word: &str) -> Option<Answer> {
        match word {
            "helt" => Some(Answer::Helt),
            "delvis" => Some(Answer::Delvis),
            "inte" => Some(Answer::Inte),
            _ => None,
        }
    }

    /// Scoring from the method: helt 3, delvis 2, inte 1.
    pub(crate) fn points(self) -> u32 {
        match self {
            Answer::Helt => 3,
            Answer::Delvis => 2,
            Answer::Inte => 1,
        }
    }
}

/// The word used in open data for an answer or its absence.
pub(crate) fn answer_word(answer: Option<Answer>) -> &'static str {
    answer.map_or("obesvarad", Answer::as_str)
}

/// The answers and their absence in the order of tallies, legends, the flower box's styles
/// and lists of answers; [`answer_index`] gives a place in it.
pub(crate) const ANSWER_ORDER: [Option<Answer>; 4] = [
    Some(Answer::Helt),
    Some(Answer::Delvis),
    Some(Answer::Inte),
    None,
];

/// An answer or its absence as 0–3, its place in [`ANSWER_ORDER`].
pub(crate) fn answer_index(answer: Option<Answer>) -> usize {
    match answer {
        Some(Answer::Helt) => 0,
        Some(Answer::Delvis) => 1,
        Some(Answer::Inte) => 2,
        None => 3,
    }
}

/// A language the site is published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Swedish, the language of the content.
    #[default]
    Sv,
    /// English.
    En,
}

impl Language {
    pub(crate) const ALL: [Language; 2] = [Language::Sv, Language::En];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Language::Sv => "sv",
            Language::En => "en",
        }
    }

    /// The language's name in itself, for the link that switches to it.
    pub(crate) fn own_name(self) -> &'static str {
        match self {
            Language::Sv => "Svenska",
            Language::En => "English",
        }
    }

    pub(crate) fn parse(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// A calendar date as written in content (`2017-11-15`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year.
    pub year: u16,
    /// The month, 1–12.
    pub month: u8,
    /// The day of the month, from 1.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub(crate) fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year: u16 = text.get(0..4)?.parse().ok()?;
        let month: u8 = text.get(5..7)?.parse().ok()?;
        let day: u8 = text.get(8..10)?.parse().ok()?;
        if !text[0..4].bytes().all(|b| b.is_ascii_digit())
            || !text[5..7].bytes().all(|b| b.is_ascii_digit())
            || !text[8..10].bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `site.yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    /// The site's name, shown on every page and picture.
    pub title: String,
    /// The title in English, for the English pages and metadata.
    pub title_en: Option<String>,
    /// Without a trailing slash; empty for a site served at the root of any host.
    pub base_url: String,
    /// The language of the content and of the pages at the root.
    pub language: Language,
    /// Other languages the whole site is also published in, each in its own folder
    /// (`en/`), in the order of `translations:`.
    pub translations: Vec<Language>,
    /// The assessments are invented: every page and picture says so.
    pub example_data: bool,
    /// One sentence about the site, for search engines and link previews.
    pub description: Option<String>,
    /// The description in English.
    pub description_en: Option<String>,
    /// The publisher's name.
    pub publisher: Option<String>,
    /// The publisher's Swedish organisation number, ten digits without a hyphen.
    pub organisation_number: Option<String>,
    /// The publisher's website.
    pub publisher_url: Option<String>,
    /// Who answers questions about the data.
    pub contact: Option<Contact>,
    /// The licence of the open data.
    pub license: License,
    /// Where `base_url` is written in site.yaml (the start of the file when it is not), for
    /// warnings about it.
    #[serde(skip)]
    pub base_url_pos: crate::diagnostics::Pos,
}

impl SiteConfig {
    /// A Swedish site with only a title; everything else as when site.yaml leaves it out.
    #[cfg(test)]
    pub(crate) fn titled(title: impl Into<String>) -> SiteConfig {
        SiteConfig {
            title: title.into(),
            title_en: None,
            base_url: String::new(),
            language: Language::Sv,
            translations: Vec::new(),
            example_data: false,
            description: None,
            description_en: None,
            publisher: None,
            organisation_number: None,
            publisher_url: None,
            contact: None,
            license: License::default(),
            base_url_pos: crate::diagnostics::Pos::START,
        }
    }

    /// Every language the site is published in: its own first (at the root), then its
    /// translations.
    pub(crate) fn languages(&self) -> impl Iterator<Item = Language> + '_ {
        std::iter::once(self.language).chain(self.translations.iter().copied())
    }

    /// The site's title in a language: `title_en` in English where the site's own language
    /// is another.
    pub(crate) fn title_in(&self, language: Language) -> &str {
        match (language, &self.title_en) {
            (Language::En, Some(title)) if self.language != Language::En => title,
            _ => &self.title,
        }
    }

    /// The site's description in a language, like [`SiteConfig::title_in`].
    pub(crate) fn description_in(&self, language: Language) -> Option<&str> {
        match (language, &self.description_en) {
            (Language::En, Some(d)) if self.language != Language::En => Some(d),
            _ => self.description.as_deref(),
        }
    }

    /// Whether the site's full address is known, so that links can leave the site.
    pub(crate) fn has_absolute_address(&self) -> bool {
        self.base_url.starts_with("https://") || self.base_url.starts_with("http://")
    }
}

/// The contact point of the open data (`contact` in site.yaml).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Contact {
    /// Who to contact (a person or a unit).
    pub name: Option<String>,
    /// Their e-mail address.
    pub email: Option<String>,
    /// Their telephone number.
    pub phone: Option<String>,
}

/// The licences Sveriges dataportal offers for open data, by their SPDX identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum License {
    /// CC BY 4.0 (the default).
    #[default]
    CcBy4,
    /// CC BY-SA 4.0.
    CcBySa4,
    /// CC BY-ND 4.0.
    CcByNd4,
    /// CC BY-NC 4.0.
    CcByNc4,
    /// CC BY-NC-SA 4.0.
    CcByNcSa4,
    /// CC BY-NC-ND 4.0.
    CcByNcNd4,
    /// CC0 1.0: no rights reserved.
    Cc0,
}

impl License {
    pub(crate) const ALL: [License; 7] = [
        License::CcBy4,
        License::CcBySa4,
        License::CcByNd4,
        License::CcByNc4,
        License::CcByNcSa4,
        License::CcByNcNd4,
        License::Cc0,
    ];

    /// The SPDX identifier, as written in site.yaml.
    pub(crate) fn spdx(self) -> &'static str {
        match self {
            License::CcBy4 => "CC-BY-4.0",
            License::CcBySa4 => "CC-BY-SA-4.0",
            License::CcByNd4 => "CC-BY-ND-4.0",
            License::CcByNc4 => "CC-BY-NC-4.0",
            License::CcByNcSa4 => "CC-BY-NC-SA-4.0",
            License::CcByNcNd4 => "CC-BY-NC-ND-4.0",
            License::Cc0 => "CC0-1.0",
        }
    }

    /// The IRI exactly as DCAT-AP-SE wants it (`http`, trailing slash).
    pub(crate) fn iri(self) -> &'static str {
        match self {
            License::CcBy4 => "http://creativecommons.org/licenses/by/4.0/",
            License::CcBySa4 => "http://creativecommons.org/licenses/by-sa/4.0/",
            License::CcByNd4 => "http://creativecommons.org/licenses/by-nd/4.0/",
            License::CcByNc4 => "http://creativecommons.org/licenses/by-nc/4.0/",
            License::CcByNcSa4 => "http://creativecommons.org/licenses/by-nc-sa/4.0/",
            License::CcByNcNd4 => "http://creativecommons.org/licenses/by-nc-nd/4.0/",
            License::Cc0 => "http://creativecommons.org/publicdomain/zero/1.0/",
        }
    }

    /// The short name people know it by ("CC BY 4.0").
    pub(crate) fn name(self) -> &'static str {
        match self {
            License::CcBy4 => "CC BY 4.0",
            License::CcBySa4 => "CC BY-SA 4.0",
            License::CcByNd4 => "CC BY-ND 4.0",
            License::CcByNc4 => "CC BY-NC 4.0",
            License::CcByNcSa4 => "CC BY-NC-SA 4.0",
            License::CcByNcNd4 => "CC BY-NC-ND 4.0",
            License::Cc0 => "CC0 1.0",
        }
    }

    /// From an SPDX identifier (any case) or the licence's IRI (http or https, with or
    /// without the trailing slash).
    pub(crate) fn parse(text: &str) -> Option<License> {
        let text = text.trim();
        let iri = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .map(|rest| rest.trim_end_matches('/'));
        License::ALL.into_iter().find(|l| match iri {
            Some(rest) => l.iri().trim_start_matches("http://").trim_end_matches('/') == rest,
            None => l.spdx().eq_ignore_ascii_case(text),
        })
    }
}

impl Serialize for License {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("License", 4)?;
        out.serialize_field("id", self.spdx())?;
        out.serialize_field("name", self.name())?;
        out.serialize_field("iri", self.iri())?;
        // The page people read: the same address over https.
        out.serialize_field("url", &self.iri().replacen("http://", "https://", 1))?;
        out.end()
    }
}

/// A county (län) from `registry/counties.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct County {
    /// The county's two-digit code (`01`).
    pub code: String,
    /// The county's name.
    pub name: String,
    /// The county's part of page addresses.
    pub slug: String,
}

/// A municipality from `registry/municipalities.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct Municipality {
    /// The municipality's four-digit code (`0180`).
    pub code: String,
    /// The municipality's name.
    pub name: String,
    /// The municipality's part of page addresses.
    pub slug: String,
    /// Index into [`Registry::counties`].
    pub county: usize,
    /// Its inhabitants, as of `population_year`.
    pub population: u64,
    /// The year `population` was counted.
    pub population_year: Year,
}

/// The size classes of seed 001 (Diagram 2), largest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SizeClass {
    /// 100 000 inhabitants or more.
    From100000,
    /// 50 000 to 99 999 inhabitants.
    From50000,
    /// 20 000 to 49 999 inhabitants.
    From20000,
    /// 10 000 to 19 999 inhabitants.
    From10000,
    /// Fewer than 10 000 inhabitants.
    Below10000,
}

impl SizeClass {
    pub(crate) const ALL: [SizeClass; 5] = [
        SizeClass::From100000,
        SizeClass::From50000,
        SizeClass::From20000,
        SizeClass::From10000,
        SizeClass::Below10000,
    ];

    pub(crate) fn of(population: u64) -> SizeClass {
        match population {
            100_000.. => SizeClass::From100000,
            50_000..=99_999 => SizeClass::From50000,
            20_000..=49_999 => SizeClass::From20000,
            10_000..=19_999 => SizeClass::From10000,
            _ => SizeClass::Below10000,
        }
    }

    /// The scope code of open data (`100000-`, `50000-99999`, ...).
    pub(crate) fn code(self) -> &'static str {
        match self {
            SizeClass::From100000 => "100000-",
            SizeClass::From50000 => "50000-99999",
            SizeClass::From20000 => "20000-49999",
            SizeClass::From10000 => "10000-19999",
            SizeClass::Below10000 => "0-9999",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// The counties and municipalities of `registry/`.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Every county.
    pub counties: Vec<County>,
    /// Every municipality, by code.
    pub municipalities: Vec<Municipality>,
    /// The index into `counties` of each county code.
    pub county_by_code: HashMap<String, usize>,
    /// The index into `municipalities` of each municipality code.
    pub municipality_by_code: HashMap<String, usize>,
    /// Slugs that several names give (Håbo, Habo → `habo`); those got their code added, and
    /// the shared slug leads to a page that points to each.
    pub shared_county_slugs: Vec<String>,
    /// The same as `shared_county_slugs`, for municipalities.
    pub shared_municipality_slugs: Vec<String>,
    /// Each municipality's place in Swedish name order (same names by code), so that long
    /// lists are sorted by a number instead of by their names again for every page.
    pub municipality_rank: Vec<u32>,
}

impl Registry {
    pub(crate) fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.municipality_by_code
            .get(code)
            .map(|&i| &self.municipalities[i])
    }
}

/// The level of an area in the flower box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// A digital welfare service for a target group: one flower per area.
    Flower,
    /// Leadership, working methods and business development.
    Grass,
    /// Technical prerequisites.
    Soil,
}

impl Level {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Level::Flower => "flower",
            Level::Grass => "grass",
            Level::Soil => "soil",
        }
    }
}

/// Where an indicator of a flower is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// A petal of the flower's head.
    #[default]
    Petal,
    /// A leaf on the stem.
    Leaf,
}

/// Which catalogue: its place in [`Content::catalogs`] (sorted by id). `catalogs[index]`
/// takes the catalogue and [`Content::catalog`] looks it up; being its own type, it is never
/// taken for the index of an indicator, an area, a group or a municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CatalogIndex(usize);

impl CatalogIndex {
    /// The catalogue at `position` in [`Content::catalogs`].
    pub const fn new(position: usize) -> CatalogIndex {
        CatalogIndex(position)
    }

    /// This catalogue's entry in a list kept per catalogue (the catalogues themselves, or
    /// figures about each), if the list has it.
    pub(crate) fn of<T>(self, per_catalog: &[T]) -> Option<&T> {
        per_catalog.get(self.0)
    }

    /// Each catalogue of a list with its index, in order.
    pub(crate) fn each(catalogs: &[Catalog]) -> impl Iterator<Item = (CatalogIndex, &Catalog)> {
        catalogs
            .iter()
            .enumerate()
            .map(|(position, catalog)| (CatalogIndex(position), catalog))
    }
}

impl std::ops::Index<CatalogIndex> for [Catalog] {
    type Output = Catalog;

    fn index(&self, index: CatalogIndex) -> &Catalog {
        &self[index.0]
    }
}

impl std::ops::Index<CatalogIndex> for Vec<Catalog> {
    type Output = Catalog;

    fn index(&self, index: CatalogIndex) -> &Catalog {
        &self[index.0]
    }
}

/// An indicator of some catalogue: the catalogue, and the indicator's index into its
/// [`Catalog::indicators`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndicatorRef {
    /// The catalogue.
    pub catalog: CatalogIndex,
    /// The indicator's index into the catalogue's [`Catalog::indicators`].
    pub indicator: usize,
}

/// One statement of a catalogue that a municipality answers.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// The indicator's id, unique within its catalogue.
    pub id: String,
    /// The statement, in the site's language.
    pub text: String,
    /// The text in English (`text_en`), when the catalogue gives it.
    pub text_en: Option<String>,
    /// Where it is drawn in a flower area.
    pub part: Part,
    /// Index into [`Catalog::areas`].
    pub area: usize,
    /// Indicators of other catalogues that this one continues (resolved `replaces`).
    pub replaces: Vec<IndicatorRef>,
}

impl Indicator {
    /// The text in a language, and whether it is in English (`Some`) or the catalogue's own
    /// text, in the site's language (`None`), which stands in where `text_en` is missing.
    pub(crate) fn text_in(&self, language: Language) -> (&str, Option<Language>) {
        in_language(&self.text, self.text_en.as_deref(), language)
    }
}

/// A catalogue text in `language`: the English form when asked for and given (with
/// `Some(Language::En)`), otherwise the catalogue's own text, which is in the site's own
/// language (`None`: the caller knows which that is).
fn in_language<'a>(
    own: &'a str,
    en: Option<&'a str>,
    language: Language,
) -> (&'a str, Option<Language>) {
    match (language, en) {
        (Language::En, Some(en)) => (en, Some(Language::En)),
        _ => (own, None),
    }
}

/// A group of indicators of a catalogue: a flower, or a band of grass or soil.
#[derive(Debug, Clone)]
pub struct Area {
    /// The area's id, unique within its catalogue.
    pub id: String,
    /// Where the area stands in the flower box.
    pub level: Level,
    /// The area's name.
    pub name: String,
    /// A short label for the picture, where the name is too long.
    pub short: Option<String>,
    /// The name and short label in English (`name_en`, `short_en`), when given.
    pub name_en: Option<String>,
    /// The short label in English.
    pub short_en: Option<String>,
    /// The area's indicators: a range of [`Catalog::indicators`].
    pub indicators: std::ops::Range<usize>,
}

impl Area {
    pub(crate) fn label(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }

    /// The name in a language, as [`Indicator::text_in`].
    pub(crate) fn name_in(&self, language: Language) -> (&str, Option<Language>) {
        in_language(&self.name, self.name_en.as_deref(), language)
    }

    /// The label of the picture in a language: the short form where there is one, in the
    /// language asked for where that is given.
    pub(crate) fn label_in(&self, language: Language) -> (&str, Option<Language>) {
        match language {
            Language::Sv => (self.label(), None),
            Language::En => match (&self.short_en, &self.name_en) {
                (Some(short), _) => (short, Some(Language::En)),
                (None, Some(name)) if self.short.is_none() => (name, Some(Language::En)),
                _ => (self.label(), None),
            },
        }
    }
}

/// A catalogue of indicators (`catalogs/<id>.yaml`), answered in assessments.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The catalogue's id (`v3`), its file name.
    pub id: String,
    /// The catalogue's name.
    pub name: String,
    /// What the catalogue is, for its page.
    pub description: Option<String>,
    /// The name and description in English, when given.
    pub name_en: Option<String>,
    /// The description in English.
    pub description_en: Option<String>,
    /// The areas, in catalogue order.
    pub areas: Vec<Area>,
    /// All indicators in catalogue order (area by area).
    pub indicators: Vec<Indicator>,
    /// The index into `indicators` of each indicator id.
    pub indicator_by_id: HashMap<String, usize>,
    /// The file it came from, relative to the content folder.
    pub source: PathBuf,
}

impl Catalog {
    pub(crate) fn max_points(&self) -> u32 {
        3 * self.indicators.len() as u32
    }

    /// The name in a language, as [`Indicator::text_in`].
    pub(crate) fn name_in(&self, language: Language) -> (&str, Option<Language>) {
        in_language(&self.name, self.name_en.as_deref(), language)
    }

    /// The description in a language, as [`Indicator::text_in`].
    pub(crate) fn description_in(&self, language: Language) -> Option<(&str, Option<Language>)> {
        let description = self.description.as_deref()?;
        Some(in_language(
            description,
            self.description_en.as_deref(),
            language,
        ))
    }

    pub(crate) fn area_of(&self, indicator: usize) -> &Area {
        &self.areas[self.indicators[indicator].area]
    }
}

/// One municipality's answers for one year (`assessments/<year>/<file>.yaml`).
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The file it came from, relative to the content folder.
    pub source: PathBuf,
    /// Index into [`Registry::municipalities`].
    pub municipality: usize,
    /// The year assessed.
    pub year: Year,
    /// The catalogue answered.
    pub catalog: CatalogIndex,
    /// The day it was published; `None` for a draft.
    pub published: Option<Date>,
    /// One entry per indicator of the catalogue, in catalogue order; `None` is unanswered.
    pub answers: Vec<Option<Answer>>,
    /// Markdown from the submitter (untrusted).
    pub summary: Option<String>,
    /// Markdown comments by indicator index (untrusted), sorted by index.
    pub comments: Vec<(usize, String)>,
}

impl Assessment {
    pub(crate) fn is_published(&self) -> bool {
        self.published.is_some()
    }

    pub(crate) fn comment(&self, indicator: usize) -> Option<&str> {
        self.comments
            .binary_search_by_key(&indicator, |(i, _)| *i)
            .ok()
            .map(|at| self.comments[at].1.as_str())
    }
}

/// A Markdown page from `content/pages/`.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's part of its address.
    pub slug: String,
    /// The page's title.
    pub title: String,
    /// One sentence about the page, for search engines and link previews.
    pub description: Option<String>,
    /// Position in the footer; lower first.
    pub order: i64,
    /// The page's text.
    pub markdown: String,
    /// The file it came from, relative to the content folder.
    pub source: PathBuf,
}

/// Everything loaded from a content folder.
#[derive(Debug, Clone)]
pub struct Content {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// The counties and municipalities.
    pub registry: Registry,
    /// The catalogues, sorted by id (see [`CatalogIndex`]).
    pub catalogs: Vec<Catalog>,
    /// The assessments to publish (and drafts when asked for), one per municipality and year,
    /// sorted by year, then municipality code.
    pub assessments: Vec<Assessment>,
    /// The pages of `pages/`.
    pub pages: Vec<Page>,
    /// The municipalities' boundaries for maps (`geo/municipalities.geojson`), when the
    /// folder has them; shared, as they are large and never change during a build.
    pub boundaries: Option<std::sync::Arc<crate::geo::Boundaries>>,
}

impl Content {
    /// The catalogue with this id, if there is one.
    pub fn catalog_by_id(&self, id: &str) -> Option<CatalogIndex> {
        CatalogIndex::each(&self.catalogs).find_map(|(index, c)| (c.id == id).then_some(index))
    }

    /// The catalogue of an index, if the content has it.
    pub(crate) fn catalog(&self, index: CatalogIndex) -> Option<&Catalog> {
        index.of(&self.catalogs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answers_index_is_its_place_in_the_order() {
        for (place, answer) in ANSWER_ORDER.into_iter().enumerate() {
            assert_eq!(answer_index(answer), place, "{answer:?}");
        }
    }
}
