//! The not-found page (`404.html`, served at any depth) and `robots.txt`.

use serde::Serialize;

use crate::output::OutputFile;
use crate::render::paths::{self, Page};
use crate::render::site::{Head, RenderError, Site};

#[derive(Serialize)]
struct NotFound<'a> {
    home: String,
    /// Every municipality with a page, by name: where someone who followed a broken link
    /// most likely wanted to go.
    municipalities: Vec<super::lists::MunicipalityLink<'a>>,
}

/// The pages of this job: the not-found page, which the sitemap leaves out.
pub(crate) fn pages() -> Vec<Page> {
    vec![Page::unlisted(paths::NOT_FOUND)]
}

pub(crate) fn render(site: &Site<'_>) -> Result<Vec<OutputFile>, RenderError> {
    // The not-found page is served at any depth, so its links start at the site's root.
    let home = site.url_of(paths::HOME);
    let home = if home.ends_with('/') {
        home
    } else {
        format!("{home}/")
    };
    let head = Head {
        noindex: true,
        root: Some(home.clone()),
        ..Head::new(
            format!("{} – {}", site.t("not_found"), site.title()),
            "none",
        )
    };
    let page = NotFound {
        home,
        municipalities: super::lists::published_municipalities(site),
    };
    let html = site.render_page("404.html", paths::HOME, head, page)?;
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(url) = site.absolute(paths::SITEMAP) {
        robots.push_str(&format!("Sitemap: {url}\n"));
    }
    Ok(vec![
        OutputFile::bytes(paths::NOT_FOUND, html),
        OutputFile::bytes(paths::ROBOTS, robots),
    ])
}
