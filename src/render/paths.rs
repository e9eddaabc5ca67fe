//! Every address of the site, in one place, and the pages a job declares.
//!
//! A page's path is its folder, relative to the root of the site and ending in `/` (the home
//! page is `""`); its file is [`index`] of it. A page that is a single file (the not-found
//! page) has that file as its path. Links, output files, the sitemap and open data all take
//! their addresses from here.

use crate::model::{Date, Language, Year};

/// The home page: the nation's latest year.
pub(crate) const HOME: &str = "";
/// Every municipality.
pub(crate) const MUNICIPALITIES: &str = "kommun/";
/// Every county.
pub(crate) const COUNTIES: &str = "lan/";
/// Every indicator.
pub(crate) const INDICATORS: &str = "indikator/";
/// The comparison of the latest year.
pub(crate) const COMPARE: &str = "jamfor/";
/// The open data page and files.
pub(crate) const DATA: &str = "data/";
/// The not-found page, served at any depth.
pub(crate) const NOT_FOUND: &str = "404.html";
pub(crate) const FEED: &str = "feed.xml";
pub(crate) const SITEMAP: &str = "sitemap.xml";
pub(crate) const ROBOTS: &str = "robots.txt";
/// The JSON Schema of the assessment format.
pub(crate) const ASSESSMENT_SCHEMA: &str = "data/schema/assessment.schema.json";
/// The open data files, in the order the data page and `site.json` list them.
pub(crate) const DATA_FILES: [&str; 8] = [
    "data/answers.csv",
    "data/municipalities.csv",
    "data/indicators.csv",
    "data/similar.csv",
    "data/series.csv",
    "data/indicator_series.csv",
    "data/site.json",
    ASSESSMENT_SCHEMA,
];

/// The folder of a translation of the site: the whole site again, in that language, beside
/// the site's own pages (which are at the root). Paths of a copy are relative to its folder.
pub(crate) fn language_folder(language: Language) -> &'static str {
    match language {
        Language::Sv => "sv/",
        Language::En => "en/",
    }
}

/// Whether every language of the site shares the file at `path`: the open data and every file
/// that is neither a page, a picture nor the feed. A translation has its own pages, pictures
/// (their words are in its language) and feed, and links to the shared files at the root.
pub(crate) fn is_shared(path: &str) -> bool {
    !(path.ends_with(".html") || path.ends_with(".svg") || path.ends_with(".png") || path == FEED)
}

/// The shapes of the national map, which every national map refers to.
pub(crate) const MAP_NATION: &str = "karta/sverige.svg";
/// The shapes of a county's map.
pub(crate) fn map_county(slug: &str) -> String {
    format!("karta/lan/{slug}.svg")
}

pub(crate) fn municipality(slug: &str) -> String {
    format!("kommun/{slug}/")
}
pub(crate) fn municipality_year(slug: &str, year: Year) -> String {
    format!("kommun/{slug}/{year}/")
}
/// An assessment's own CSV, next to its year's page.
pub(crate) fn municipality_csv(slug: &str, year: Year) -> String {
    format!("kommun/{slug}/{year}/{slug}-{year}.csv")
}
pub(crate) fn county(slug: &str) -> String {
    format!("lan/{slug}/")
}
pub(crate) fn county_year(slug: &str, year: Year) -> String {
    format!("lan/{slug}/{year}/")
}
pub(crate) fn national_year(year: Year) -> String {
    format!("riket/{year}/")
}
pub(crate) fn indicator(catalog: &str, id: &str) -> String {
    format!("indikator/{catalog}/{id}/")
}
pub(crate) fn compare_year(year: Year) -> String {
    format!("jamfor/{year}/")
}
pub(crate) fn page(slug: &str) -> String {
    format!("sida/{slug}/")
}
/// A county's figures in open data: the rows of `indicators.csv` for it.
pub(crate) fn county_csv(slug: &str) -> String {
    format!("data/lan/{slug}.csv")
}
/// An indicator's figures in open data: the rows of `indicators.csv` for it.
pub(crate) fn indicator_csv(catalog: &str, id: &str) -> String {
    format!("data/indikator/{catalog}/{id}.csv")
}
/// The file written for a page path (`kommun/kumla/` → `kommun/kumla/index.html`).
pub(crate) fn index(path: &str) -> String {
    format!("{path}index.html")
}

/// A picture of a page: an SVG and the PNG made from it, side by side in the page's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Picture {
    pub svg: String,
    pub png: String,
}

/// The picture `name` of the page at `folder` (`kommun/kumla/`, `blomlada` →
/// `kommun/kumla/blomlada.svg` and `.png`).
pub(crate) fn picture(folder: &str, name: &str) -> Picture {
    Picture {
        svg: format!("{folder}{name}.svg"),
        png: format!("{folder}{name}.png"),
    }
}

/// The flower box of a page; `suffix` tells apart the boxes of a page that has several
/// (one per catalogue answered that year).
pub(crate) fn flowerbox(folder: &str, suffix: &str) -> Picture {
    picture(folder, &format!("blomlada{suffix}"))
}

/// A page a job writes, as the job declares it: the sitemap and `watch` read the site's pages
/// from these declarations, and a test holds every job to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Page {
    /// The page's path (see the module's documentation).
    pub path: String,
    /// Whether the sitemap lists it.
    pub sitemap: Sitemap,
}

/// A page's place in the sitemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sitemap {
    /// Not listed: a redirect, a page for one year that the latest page stands for, or a page
    /// that is no content of its own.
    Unlisted,
    /// Listed, with the date its content last changed when that is known.
    Listed { lastmod: Option<Date> },
}

impl Page {
    /// A page the sitemap lists, without a date.
    pub(crate) fn listed(path: impl Into<String>) -> Page {
        Page {
            path: path.into(),
            sitemap: Sitemap::Listed { lastmod: None },
        }
    }

    /// A page the sitemap lists, with the date it last changed.
    pub(crate) fn listed_since(path: impl Into<String>, lastmod: Option<Date>) -> Page {
        Page {
            path: path.into(),
            sitemap: Sitemap::Listed { lastmod },
        }
    }

    /// A page the sitemap leaves out.
    pub(crate) fn unlisted(path: impl Into<String>) -> Page {
        Page {
            path: path.into(),
            sitemap: Sitemap::Unlisted,
        }
    }

    /// The same page in a translation's folder (see [`language_folder`]).
    pub(crate) fn in_folder(self, folder: &str) -> Page {
        Page {
            path: format!("{folder}{}", self.path),
            ..self
        }
    }

    /// The file the page is written to.
    #[cfg(test)]
    pub(crate) fn file(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            index(&self.path)
        } else {
            self.path.clone()
        }
    }
}
