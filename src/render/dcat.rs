//! `data/dcat.rdf`: the open data described in DCAT-AP-SE 2.2 (RDF/XML), the catalogue that
//! Sveriges dataportal harvests from one address every night.
//!
//! Every catalogue, dataset, distribution, publisher and contact has an absolute IRI (no blank
//! nodes), as the portal requires; so the file is only written when the site's full address
//! is known. The publisher is identified the way the portal merges publishers across
//! catalogues, `http://dataportal.se/organisation/SE<organisation number>`. Licences and the
//! EU vocabularies (languages, themes, access rights, frequencies, availability) are written
//! with exactly the IRIs the specification lists.

use std::fmt::Write as _;

use crate::model::{Content, Date, License};
use crate::stats::Stats;

use super::flowerbox::escape;

/// Where the catalogue is published.
pub(crate) const PATH: &str = "data/dcat.rdf";

const XSD_DATE: &str = "http://www.w3.org/2001/XMLSchema#date";
const XSD_GYEAR: &str = "http://www.w3.org/2001/XMLSchema#gYear";
const XSD_DECIMAL: &str = "http://www.w3.org/2001/XMLSchema#decimal";
const EU: &str = "http://publications.europa.eu/resource/authority";
/// Sweden in GeoNames, as DCAT-AP-SE recommends for the geographical area.
const SWEDEN: &str = "http://sws.geonames.org/2661886";

/// One dataset of the site and its one distribution.
struct Dataset {
    key: &'static str,
    path: &'static str,
    media_type: &'static str,
    title_sv: &'static str,
    title_en: &'static str,
    description_sv: &'static str,
    description_en: &'static str,
}

const DATASETS: [Dataset; 4] = [
    Dataset {
        key: "answers",
        path: "data/answers.csv",
        media_type: "text/csv",
        title_sv: "eBlomlådan: kommunernas svar per indikator",
        title_en: "eBlomlådan: the municipalities' answers per indicator",
        description_sv: "Varje publicerad självskattning i eBlomlådan: en rad per kommun, år och indikator med svaret helt, delvis, inte eller obesvarad. Svaren är kommunernas egna bedömningar av sina digitala tjänster och sin digitala mognad.",
        description_en: "Every published eBlomlådan self-assessment: one row per municipality, year and indicator with the answer helt (fully), delvis (partly), inte (not at all) or obesvarad (unanswered). The answers are the municipalities' own judgement of their digital services and digital maturity.",
    },
    Dataset {
        key: "municipalities",
        path: "data/municipalities.csv",
        media_type: "text/csv",
        title_sv: "eBlomlådan: resultat per kommun och år",
        title_en: "eBlomlådan: results per municipality and year",
        description_sv: "En rad per publicerad självskattning: hur många indikatorer kommunen uppfyller helt, delvis och inte, dess poäng (helt 3, delvis 2, inte 1) och befolkning.",
        description_en: "One row per published self-assessment: how many indicators the municipality meets fully, partly and not at all, its points (fully 3, partly 2, not at all 1) and its population.",
    },
    Dataset {
        key: "indicators",
        path: "data/indicators.csv",
        media_type: "text/csv",
        title_sv: "eBlomlådan: indikatorerna i riket, länen och storleksklasserna",
        title_en: "eBlomlådan: the indicators in the nation, the counties and the size classes",
        description_sv: "Per år, indikator och område (riket, varje län, varje storleksklass): hur många kommuner som uppfyller indikatorn helt, delvis och inte, andelen som uppfyller den helt, och andelen av invånarna som bor i en kommun som uppfyller den helt. Varje läns och varje indikators rader finns också som egna filer under data/lan/ och data/indikator/.",
        description_en: "Per year, indicator and scope (the nation, each county, each size class): how many municipalities meet the indicator fully, partly and not at all, the share that meets it fully, and the share of inhabitants who live in a municipality that meets it fully. Each county's and each indicator's rows are also published as files of their own under data/lan/ and data/indikator/.",
    },
    Dataset {
        key: "site",
        path: "data/site.json",
        media_type: "application/json",
        title_sv: "eBlomlådan: indikatorkatalog, kommuner och län",
        title_en: "eBlomlådan: indicator catalogue, municipalities and counties",
        description_sv: "Beskrivning av webbplatsens innehåll för program: indikatorkatalogerna med områden och indikatorernas texter, länen och kommunerna med befolkning och storleksklass, och adresserna till varje sida och fil.",
        description_en: "A description of the site's contents for programs: the indicator catalogues with their areas and indicator texts, the counties and municipalities with population and size class, and the address of every page and file.",
    },
];

/// Said first in every description while the site shows example data, so that nobody
/// harvesting the catalogue takes it for real results.
const EXAMPLE_SV: &str = "EXEMPELDATA: svaren är påhittade och visar bara hur webbplatsen fungerar, de är inte kommunernas verkliga resultat. ";
const EXAMPLE_EN: &str = "EXAMPLE DATA: the answers are invented and only show how the site works; they are not the municipalities' real results. ";

const KEYWORDS_SV: [&str; 6] = [
    "eBlomlådan",
    "digitalisering",
    "e-tjänster",
    "kommuner",
    "självskattning",
    "digital mognad",
];
const KEYWORDS_EN: [&str; 5] = [
    "eBlomlådan",
    "digitalisation",
    "e-services",
    "municipalities",
    "self-assessment",
];

/// The identifier of the publisher: the portal's address for the organisation number, or a
/// node of this catalogue when there is none.
pub(crate) fn publisher_iri(content: &Content, base: &str) -> String {
    match &content.config.organisation_number {
        Some(number) => format!("http://dataportal.se/organisation/SE{number}"),
        None => format!("{base}/{PATH}#publisher"),
    }
}

/// The first and last publication dates of the published assessments.
pub(crate) fn publication_dates(content: &Content) -> Option<(Date, Date)> {
    let dates = content.assessments.iter().filter_map(|a| a.published);
    let first = dates.clone().min()?;
    Some((first, dates.max().unwrap_or(first)))
}

/// Writes the catalogue; `None` when the site's full address is not known. `sizes` are the
/// byte sizes of the files of [`DATASETS`], by path.
pub(crate) fn catalog(content: &Content, stats: &Stats, sizes: &[(&str, u64)]) -> Option<String> {
    let config = &content.config;
    if !config.has_absolute_address() {
        return None;
    }
    let base = config.base_url.as_str();
    let node = |name: &str| format!("{base}/{PATH}#{name}");
    let publisher = publisher_iri(content, base);
    let contact = config
        .contact
        .as_ref()
        .filter(|c| c.email.is_some())
        .map(|_| node("contact"));
    let dates = publication_dates(content);
    let title_en = config.title_en.as_deref().unwrap_or(&config.title);
    let mut out = String::with_capacity(16 * 1024);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rdf:RDF\n\
         \x20 xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n\
         \x20 xmlns:dcterms=\"http://purl.org/dc/terms/\"\n\
         \x20 xmlns:dcat=\"http://www.w3.org/ns/dcat#\"\n\
         \x20 xmlns:dcatap=\"http://data.europa.eu/r5r/\"\n\
         \x20 xmlns:foaf=\"http://xmlns.com/foaf/0.1/\"\n\
         \x20 xmlns:vcard=\"http://www.w3.org/2006/vcard/ns#\">\n",
    );

    // The catalogue. Its own licence is the metadata's: Sweden requires CC0 there.
    let _ = writeln!(out, "<dcat:Catalog rdf:about=\"{}\">", node("catalog"));
    text(&mut out, "dcterms:title", "sv", &config.title);
    text(&mut out, "dcterms:title", "en", title_en);
    let description_sv = config.description.clone().unwrap_or_else(|| {
        "Öppna data från eBlomlådan, kommunernas självskattning av digitala tjänster och digital mognad.".to_string()
    });
    let description_en = config.description_en.clone().unwrap_or_else(|| {
        "Open data from eBlomlådan, the municipalities' self-assessment of their digital services and digital maturity.".to_string()
    });
    let (example_sv, example_en) = if config.example_data {
        (EXAMPLE_SV, EXAMPLE_EN)
    } else {
        ("", "")
    };
    text(
        &mut out,
        "dcterms:description",
        "sv",
        &format!("{example_sv}{description_sv}"),
    );
    text(
        &mut out,
        "dcterms:description",
        "en",
        &format!("{example_en}{description_en}"),
    );
    resource(&mut out, "dcterms:publisher", &publisher);
    resource(&mut out, "dcterms:license", License::Cc0.iri());
    resource(&mut out, "dcterms:language", &format!("{EU}/language/SWE"));
    resource(&mut out, "dcterms:language", &format!("{EU}/language/ENG"));
    if let Some((first, last)) = dates {
        typed(&mut out, "dcterms:issued", XSD_DATE, &first.to_string());
        typed(&mut out, "dcterms:modified", XSD_DATE, &last.to_string());
    }
    resource(&mut out, "foaf:homepage", &format!("{base}/"));
    resource(&mut out, "dcterms:spatial", SWEDEN);
    resource(&mut out, "dcat:themeTaxonomy", &format!("{EU}/data-theme"));
    for d in &DATASETS {
        resource(&mut out, "dcat:dataset", &node(d.key));
    }
    out.push_str("</dcat:Catalog>\n");

    agents(&mut out, config, &publisher, contact.as_deref());

    let years = (stats.years.first(), stats.years.last());
    if let (Some(first), Some(last)) = years {
        let _ = writeln!(
            out,
            "<dcterms:PeriodOfTime rdf:about=\"{}\">",
            node(&format!("years-{first}-{last}"))
        );
        typed(&mut out, "dcat:startDate", XSD_GYEAR, &first.to_string());
        typed(&mut out, "dcat:endDate", XSD_GYEAR, &last.to_string());
        out.push_str("</dcterms:PeriodOfTime>\n");
    }

    let shared = Shared {
        base,
        publisher: &publisher,
        contact: contact.as_deref(),
        period: years
            .0
            .zip(years.1)
            .map(|(first, last)| node(&format!("years-{first}-{last}"))),
        dates,
        example: (example_sv, example_en),
        license: config.license,
        sizes,
    };
    for d in &DATASETS {
        dataset(&mut out, d, &shared);
    }
    out.push_str("</rdf:RDF>\n");
    Some(out)
}

/// The publisher (a `foaf:Agent`) and the contact point (a `vcard:Organization`), kept apart
/// as the portal wants.
fn agents(
    out: &mut String,
    config: &crate::model::SiteConfig,
    publisher: &str,
    contact: Option<&str>,
) {
    let _ = writeln!(out, "<foaf:Agent rdf:about=\"{publisher}\">");
    let name = config.publisher.as_deref().unwrap_or(&config.title);
    let _ = writeln!(out, "  <foaf:name>{}</foaf:name>", escape(name));
    if let Some(url) = &config.publisher_url {
        resource(out, "foaf:homepage", url);
    }
    out.push_str("</foaf:Agent>\n");

    if let (Some(iri), Some(c)) = (contact, &config.contact) {
        let _ = writeln!(out, "<vcard:Organization rdf:about=\"{iri}\">");
        let name = c.name.as_deref().unwrap_or(name);
        let _ = writeln!(out, "  <vcard:fn>{}</vcard:fn>", escape(name));
        if let Some(email) = &c.email {
            resource(out, "vcard:hasEmail", &format!("mailto:{email}"));
        }
        if let Some(phone) = &c.phone {
            let digits: String = phone
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            resource(out, "vcard:hasTelephone", &format!("tel:{digits}"));
        }
        out.push_str("</vcard:Organization>\n");
    }
}

/// What every dataset of the catalogue shares.
struct Shared<'a> {
    base: &'a str,
    publisher: &'a str,
    contact: Option<&'a str>,
    /// The time period node, when anything is published.
    period: Option<String>,
    dates: Option<(Date, Date)>,
    /// The example data notice in Swedish and English (empty for real data).
    example: (&'static str, &'static str),
    license: License,
    sizes: &'a [(&'a str, u64)],
}

impl Shared<'_> {
    fn node(&self, name: &str) -> String {
        format!("{}/{PATH}#{name}", self.base)
    }
}

/// A dataset and its one distribution: the file itself.
fn dataset(out: &mut String, d: &Dataset, shared: &Shared<'_>) {
    let _ = writeln!(out, "<dcat:Dataset rdf:about=\"{}\">", shared.node(d.key));
    text(out, "dcterms:title", "sv", d.title_sv);
    text(out, "dcterms:title", "en", d.title_en);
    let description_sv = format!("{}{}", shared.example.0, d.description_sv);
    let description_en = format!("{}{}", shared.example.1, d.description_en);
    text(out, "dcterms:description", "sv", &description_sv);
    text(out, "dcterms:description", "en", &description_en);
    resource(out, "dcterms:publisher", shared.publisher);
    if let Some(iri) = shared.contact {
        resource(out, "dcat:contactPoint", iri);
    }
    for k in KEYWORDS_SV {
        text(out, "dcat:keyword", "sv", k);
    }
    for k in KEYWORDS_EN {
        text(out, "dcat:keyword", "en", k);
    }
    resource(out, "dcat:theme", &format!("{EU}/data-theme/GOVE"));
    resource(out, "dcterms:language", &format!("{EU}/language/SWE"));
    resource(
        out,
        "dcterms:accessRights",
        &format!("{EU}/access-right/PUBLIC"),
    );
    resource(
        out,
        "dcterms:accrualPeriodicity",
        &format!("{EU}/frequency/IRREG"),
    );
    resource(out, "dcterms:spatial", SWEDEN);
    if let Some(period) = &shared.period {
        resource(out, "dcterms:temporal", period);
    }
    if let Some((first, last)) = shared.dates {
        typed(out, "dcterms:issued", XSD_DATE, &first.to_string());
        typed(out, "dcterms:modified", XSD_DATE, &last.to_string());
    }
    resource(out, "dcat:landingPage", &format!("{}/data/", shared.base));
    resource(
        out,
        "dcat:distribution",
        &shared.node(&format!("{}-file", d.key)),
    );
    out.push_str("</dcat:Dataset>\n");

    let url = format!("{}/{}", shared.base, d.path);
    let file = d.path.rsplit('/').next().unwrap_or(d.path);
    let _ = writeln!(
        out,
        "<dcat:Distribution rdf:about=\"{}\">",
        shared.node(&format!("{}-file", d.key))
    );
    text(out, "dcterms:title", "sv", file);
    text(out, "dcterms:description", "sv", &description_sv);
    text(out, "dcterms:description", "en", &description_en);
    resource(out, "dcat:accessURL", &url);
    resource(out, "dcat:downloadURL", &url);
    let _ = writeln!(out, "  <dcterms:format>{}</dcterms:format>", d.media_type);
    resource(
        out,
        "dcat:mediaType",
        &format!(
            "http://www.iana.org/assignments/media-types/{}",
            d.media_type
        ),
    );
    resource(out, "dcterms:license", shared.license.iri());
    resource(
        out,
        "dcatap:availability",
        &format!("{EU}/planned-availability/STABLE"),
    );
    if let Some((_, size)) = shared.sizes.iter().find(|(p, _)| *p == d.path) {
        typed(out, "dcat:byteSize", XSD_DECIMAL, &size.to_string());
    }
    out.push_str("</dcat:Distribution>\n");
}

fn text(out: &mut String, property: &str, lang: &str, value: &str) {
    let _ = writeln!(
        out,
        "  <{property} xml:lang=\"{lang}\">{}</{property}>",
        escape(value)
    );
}

fn resource(out: &mut String, property: &str, iri: &str) {
    let _ = writeln!(out, "  <{property} rdf:resource=\"{}\"/>", escape(iri));
}

fn typed(out: &mut String, property: &str, datatype: &str, value: &str) {
    let _ = writeln!(
        out,
        "  <{property} rdf:datatype=\"{datatype}\">{}</{property}>",
        escape(value)
    );
}
