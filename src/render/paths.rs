//! Every address of the site, in one place, and the pages a job declares.
//!
//! A page's path is its folder, relative to the root of the site and ending in `/` (the home
//! page is `""`); its file is [`index`] of it. A page that is a single file (the not-found
//! page) has that file as its path. Links, output files, the sitemap and open data all take
//! their addresses from here.

use crate::model::{Date, Year};

/// The home page: the nation's latest year.
pub const HOME: &str = "";
/// Every municipality.
pub const MUNICIPALITIES: &str = "kommun/";
/// Every county.
pub const COUNTIES: &str = "lan/";
/// Every indicator.
pub const INDICATORS: &str = "indikator/";
/// The comparison of the latest year.
pub const COMPARE: &str = "jamfor/";
/// The open data page and files.
pub const DATA: &str = "data/";
/// The not-found page, served at any depth.
pub const NOT_FOUND: &str = "404.html";
pub const FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
/// The JSON Schema of the assessment format.
pub const ASSESSMENT_SCHEMA: &str = "data/schema/assessment.schema.json";
/// The open data files, in the order the data page and `site.json` list them.
pub const DATA_FILES: [&str; 8] = [
    "data/answers.csv",
    "data/municipalities.csv",
    "data/indicators.csv",
    "data/similar.csv",
    "data/series.csv",
    "data/indicator_series.csv",
    "data/site.json",
    ASSESSMENT_SCHEMA,
];

/// The shapes of the national map, which every national map refers to.
pub const MAP_NATION: &str = "karta/sverige.svg";
/// The shapes of a county's map.
pub fn map_county(slug: &str) -> String {
    format!("karta/lan/{slug}.svg")
}

pub fn municipality(slug: &str) -> String {
    format!("kommun/{slug}/")
}
pub fn municipality_year(slug: &str, year: Year) -> String {
    format!("kommun/{slug}/{year}/")
}
/// An assessment's own CSV, next to its year's page.
pub fn municipality_csv(slug: &str, year: Year) -> String {
    format!("kommun/{slug}/{year}/{slug}-{year}.csv")
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
/// A county's figures in open data: the rows of `indicators.csv` for it.
pub fn county_csv(slug: &str) -> String {
    format!("data/lan/{slug}.csv")
}
/// An indicator's figures in open data: the rows of `indicators.csv` for it.
pub fn indicator_csv(catalog: &str, id: &str) -> String {
    format!("data/indikator/{catalog}/{id}.csv")
}
/// The file written for a page path (`kommun/kumla/` → `kommun/kumla/index.html`).
pub fn index(path: &str) -> String {
    format!("{path}index.html")
}

/// A picture of a page: an SVG and the PNG made from it, side by side in the page's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub svg: String,
    pub png: String,
}

/// The picture `name` of the page at `folder` (`kommun/kumla/`, `blomlada` →
/// `kommun/kumla/blomlada.svg` and `.png`).
pub fn picture(folder: &str, name: &str) -> Picture {
    Picture {
        svg: format!("{folder}{name}.svg"),
        png: format!("{folder}{name}.png"),
    }
}

/// The flower box of a page; `suffix` tells apart the boxes of a page that has several
/// (one per catalogue answered that year).
pub fn flowerbox(folder: &str, suffix: &str) -> Picture {
    picture(folder, &format!("blomlada{suffix}"))
}

/// A page a job writes, as the job declares it: the sitemap and `watch` read the site's pages
/// from these declarations, and a test holds every job to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The page's path (see the module's documentation).
    pub path: String,
    /// Whether the sitemap lists it.
    pub sitemap: Sitemap,
}

/// A page's place in the sitemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sitemap {
    /// Not listed: a redirect, a page for one year that the latest page stands for, or a page
    /// that is no content of its own.
    Unlisted,
    /// Listed, with the date its content last changed when that is known.
    Listed { lastmod: Option<Date> },
}

impl Page {
    /// A page the sitemap lists, without a date.
    pub fn listed(path: impl Into<String>) -> Page {
        Page {
            path: path.into(),
            sitemap: Sitemap::Listed { lastmod: None },
        }
    }

    /// A page the sitemap lists, with the date it last changed.
    pub fn listed_since(path: impl Into<String>, lastmod: Option<Date>) -> Page {
        Page {
            path: path.into(),
            sitemap: Sitemap::Listed { lastmod },
        }
    }

    /// A page the sitemap leaves out.
    pub fn unlisted(path: impl Into<String>) -> Page {
        Page {
            path: path.into(),
            sitemap: Sitemap::Unlisted,
        }
    }

    /// The file the page is written to.
    pub fn file(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            index(&self.path)
        } else {
            self.path.clone()
        }
    }
}
