//! Paths of the site, in one place. A page's path is its folder, relative to the root of the
//! site and ending in `/` (the home page is `""`); its file is [`index`] of it.

use crate::model::Year;

pub fn municipality(slug: &str) -> String {
    format!("kommun/{slug}/")
}
pub fn municipality_year(slug: &str, year: Year) -> String {
    format!("kommun/{slug}/{year}/")
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
/// The file written for a page path (`kommun/kumla/` → `kommun/kumla/index.html`).
pub fn index(path: &str) -> String {
    format!("{path}index.html")
}
