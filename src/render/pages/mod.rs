//! The page types of the site, one module each.

pub(crate) mod compare;
pub(crate) mod county;
pub(crate) mod data;
pub(crate) mod extras;
pub(crate) mod feed;
pub(crate) mod indicator;
pub(crate) mod lists;
pub(crate) mod municipality;
pub(crate) mod national;
pub(crate) mod pictures;
pub(crate) mod publisher;
pub(crate) mod redirects;
pub(crate) mod sitemap;

use serde::Serialize;

use crate::model::{Answer, Year, answer_word};
use crate::output::OutputFile;
use crate::render::flowerbox::Picture;
use crate::render::flowerbox::Place;
use crate::render::paths;
use crate::render::site::{Flowerbox, Site};
use crate::stats::Tally;

/// What a page needs to show a flower box's layout for narrow screens: the small SVG that
/// shows it beside an inlined picture, and the view an `<img>` of the file shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NarrowView {
    pub inline: String,
    pub view: String,
    pub width: u32,
    pub height: u32,
}

/// An aggregate page's flower box: its own SVG file and the PNG drawn from it go into `files`;
/// the picture to put inline and the files' paths come back.
fn flowerbox_with_files(
    flowerbox: &Flowerbox<'_>,
    folder: &str,
    suffix: &str,
    files: &mut Vec<OutputFile>,
) -> (Picture, paths::Picture) {
    let file = paths::flowerbox(folder, suffix);
    files.push(OutputFile::bytes(
        file.svg.clone(),
        flowerbox.svg(Place::File).into_bytes(),
    ));
    files.push(OutputFile::png_of(file.png.clone(), file.svg.clone()));
    (flowerbox.picture(Place::Page), file)
}

impl From<&Picture> for NarrowView {
    fn from(p: &Picture) -> Self {
        NarrowView {
            inline: p.narrow_inline.clone(),
            view: p.narrow_view.clone(),
            width: p.narrow_width,
            height: p.narrow_height,
        }
    }
}

/// The four shares of a tally, for bars and tables (0 when nothing was counted).
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Shares {
    pub helt: f64,
    pub delvis: f64,
    pub inte: f64,
    pub obesvarad: f64,
}

impl Shares {
    pub(crate) fn of(t: &Tally) -> Shares {
        let total = f64::from(t.total().max(1));
        Shares {
            helt: f64::from(t.helt) / total,
            delvis: f64::from(t.delvis) / total,
            inte: f64::from(t.inte) / total,
            obesvarad: f64::from(t.obesvarad) / total,
        }
    }
}

/// A tally with its shares, as templates show it.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct TallyView {
    pub helt: u32,
    pub delvis: u32,
    pub inte: u32,
    pub obesvarad: u32,
    pub total: u32,
    pub shares: Shares,
    /// helt / answered.
    pub share_helt: Option<f64>,
}

impl From<&Tally> for TallyView {
    fn from(t: &Tally) -> Self {
        TallyView {
            helt: t.helt,
            delvis: t.delvis,
            inte: t.inte,
            obesvarad: t.obesvarad,
            total: t.total(),
            shares: Shares::of(t),
            share_helt: t.share_helt(),
        }
    }
}

/// The share section of a page with a picture: the code to embed the year's picture with a
/// link to the year's page, and the files to download.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ShareView {
    pub embed: String,
    /// The embed code's addresses start at the host's root (the site's address is not
    /// known); the browser completes them.
    pub resolve: bool,
    pub downloads: Vec<Download>,
}

/// A file to download, with the key of its label among the theme's texts.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Download {
    pub path: String,
    pub label: &'static str,
    /// Whether the file is at the root of the whole site (open data, which every language
    /// shares), not in the page's language's copy (a picture).
    pub shared: bool,
}

impl ShareView {
    /// `folder` is the page of one year (`kommun/kumla/2017/`), never the moving latest page,
    /// so that an embedded picture keeps showing what its text says; `png` is its picture.
    pub(crate) fn new(site: &Site<'_>, folder: &str, png: &str, alt: &str) -> ShareView {
        // Without the site's address, from the host's root (the page's script completes it),
        // in this language's copy.
        let url = |path: &str| {
            site.absolute(path)
                .unwrap_or_else(|| format!("{}/{}{path}", site.base_url, site.folder()))
        };
        ShareView {
            embed: format!(
                "<a href=\"{}\"><img src=\"{}\" width=\"600\" alt=\"{}\"></a>",
                url(folder),
                url(png),
                escape_attribute(alt)
            ),
            resolve: site.absolute("").is_none(),
            downloads: Vec::new(),
        }
    }

    pub(crate) fn download(mut self, path: impl Into<String>, label: &'static str) -> ShareView {
        let path = path.into();
        self.downloads.push(Download {
            shared: paths::is_shared(&path),
            path,
            label,
        });
        self
    }
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Which of an area's pages for one year a page builder writes. The latest year shows at the
/// area's own address; its year's folder keeps the year's files (pictures, CSV, so that
/// embeds and downloads of that year last) and a short page that leads to the area's own, so
/// that the same page is not published twice. When a newer year comes, that folder gets
/// its full page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum YearCopy {
    /// The area's own page, showing its latest year.
    Latest,
    /// The latest year's folder: its files and a page leading to the area's own page.
    LatestYear,
    /// An earlier year's own page.
    Earlier,
}

impl YearCopy {
    /// The copy for `year`'s folder, when `latest` is the area's latest year.
    pub(crate) fn of_year(year: Year, latest: Option<Year>) -> YearCopy {
        if Some(year) == latest {
            YearCopy::LatestYear
        } else {
            YearCopy::Earlier
        }
    }

    /// The year's folder `path` as the sitemap has it: the latest year's page leads to the
    /// area's own page, which is listed instead.
    pub(crate) fn sitemap_page(self, path: String) -> paths::Page {
        match self {
            YearCopy::Earlier => paths::Page::listed(path),
            YearCopy::Latest | YearCopy::LatestYear => paths::Page::unlisted(path),
        }
    }
}

/// The files of the latest year's folder (see [`YearCopy::LatestYear`]): of its pictures only
/// the first, which the embed code on the area's own page names; the area's page has the
/// others in its own folder.
pub(crate) fn keep_embedded_picture(files: &mut Vec<OutputFile>, folder: &str) {
    let embedded = paths::flowerbox(folder, "");
    files.retain(|f| f.path == embedded.svg || f.path == embedded.png);
}

/// The page to link for an area's `year`: its own page (`own`) when that is its `latest`
/// year, else the year's page (`of_year`).
pub(crate) fn year_or_latest(
    year: Year,
    latest: Option<Year>,
    own: String,
    of_year: String,
) -> String {
    if Some(year) == latest { own } else { of_year }
}

pub(crate) fn word(answer: Option<Answer>) -> &'static str {
    answer_word(answer)
}

/// Sorts rows by a name in Swedish order, so that a table's first column reads in order.
pub(crate) fn by_name<T>(mut rows: Vec<T>, name: impl Fn(&T) -> &str) -> Vec<T> {
    rows.sort_by_cached_key(|r| crate::slug::sort_key(name(r)));
    rows
}

/// Rows of municipalities in Swedish name order, as [`by_name`] sorts them, each given with
/// the index of its municipality in the registry: the registry keeps that order, and these
/// lists (every municipality on a page) are long.
pub(crate) fn by_municipality_name<T>(
    site: &Site<'_>,
    rows: impl IntoIterator<Item = (usize, T)>,
) -> Vec<T> {
    let rank = &site.content.registry.municipality_rank;
    let mut ranked: Vec<(u32, T)> = rows.into_iter().map(|(m, row)| (rank[m], row)).collect();
    ranked.sort_unstable_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, row)| row).collect()
}
