//! `sitemap.xml`: every page the jobs of the site declare as listed (see
//! [`crate::render::paths::Page`]), in the order of the jobs.

use serde::Serialize;

use crate::output::OutputFile;
use crate::render::paths::{self, Page, Sitemap};
use crate::render::site::{RenderError, Site};

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

/// The sitemap of `pages`: those it lists, in the order given.
pub(crate) fn render(site: &Site<'_>, pages: &[Page]) -> Result<Vec<OutputFile>, RenderError> {
    let url_of = |path: &str| site.url_of(path);
    let urls: Vec<SitemapUrl> = pages
        .iter()
        .filter_map(|page| match page.sitemap {
            Sitemap::Unlisted => None,
            Sitemap::Listed { lastmod } => Some(SitemapUrl {
                loc: url_of(&page.path),
                lastmod: lastmod.map(|d| d.to_string()),
            }),
        })
        .collect();
    let xml = site.render_template(
        "sitemap.xml",
        minijinja::context! { urls => minijinja::Value::from(minijinja::value::Serde(&urls)) },
    )?;
    Ok(vec![OutputFile::bytes(paths::SITEMAP, xml)])
}
