//! The publisher's own pages, from `content/pages/*.md`: about, the accessibility
//! statement, the method.

use serde::Serialize;

use crate::output::OutputFile;
use crate::render::markdown;
use crate::render::paths::{self, Page};
use crate::render::site::{Head, RenderError, Site};

#[derive(Serialize)]
struct MarkdownPage<'a> {
    title: &'a str,
    html: String,
    /// The page's language, when it is not the copy's: the publisher writes the pages in
    /// the site's own language.
    lang: Option<&'static str>,
}

/// The page of this job, listed in the sitemap.
pub(crate) fn pages(site: &Site<'_>, index: usize) -> Vec<Page> {
    vec![Page::listed(paths::page(&site.content.pages[index].slug))]
}

pub(crate) fn render(site: &Site<'_>, index: usize) -> Result<Vec<OutputFile>, RenderError> {
    let page = &site.content.pages[index];
    let folder = paths::page(&page.slug);
    let mut head = Head::new(format!("{} – {}", page.title, site.title()), "page");
    if let Some(d) = &page.description {
        head = head.description(d.clone());
    }
    let html = site.render_page(
        "page.html",
        &folder,
        head,
        MarkdownPage {
            title: &page.title,
            html: markdown::page_to_html(&page.markdown),
            lang: site
                .is_translation()
                .then(|| site.content.config.language.code()),
        },
    )?;
    Ok(vec![OutputFile::bytes(paths::index(&folder), html)])
}
