//! Placeholder until the flower box lands.
use crate::model::Catalog;
use crate::stats::Tally;

#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub helt: &'a str,
    pub delvis: &'a str,
    pub inte: &'a str,
    pub obesvarad: &'a str,
    pub grass: &'a str,
    pub soil: &'a str,
}

pub fn render_svg(_catalog: &Catalog, _tallies: &[Tally], labels: &Labels<'_>, id_prefix: &str) -> String {
    format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1200 630\" role=\"img\" aria-labelledby=\"{id_prefix}title\"><title id=\"{id_prefix}title\">{}</title></svg>", escape(labels.title))
}

pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").into()
}
