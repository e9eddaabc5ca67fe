//! `site.yaml`: the title, address and language of the site.

use crate::diagnostics::Pos;
use crate::model::{Contact, Language, License, SiteConfig};
use crate::suggest;

use super::read::Reader;
use super::yaml::Node;

const KEYS: &[&str] = &[
    "title",
    "title_en",
    "base_url",
    "language",
    "translations",
    "example_data",
    "description",
    "description_en",
    "publisher",
    "contact",
    "license",
];
const PUBLISHER_KEYS: &[&str] = &["name", "organisation_number", "url"];
const CONTACT_KEYS: &[&str] = &["name", "email", "phone"];

/// The publisher as site.yaml gives it: a name, or a mapping with the organisation number.
#[derive(Default)]
struct Publisher {
    name: Option<String>,
    organisation_number: Option<String>,
    /// Whether an organisation number was written (a wrong one is an error of its own).
    number_written: bool,
    url: Option<String>,
}

pub(crate) fn read(reader: &mut Reader<'_>, root: &Node) -> Option<SiteConfig> {
    if root.as_map().is_none() {
        reader.error(
            root.pos,
            format!(
                "found {}; expected lines of key: value with at least title: ...",
                root.describe()
            ),
        );
        return None;
    }
    let fields = reader.fields(root, KEYS, "site.yaml")?;
    // Every key is read even after a problem, so that all problems are reported at once.
    let title = reader
        .required(
            &fields,
            "title",
            "the site's title, e.g. title: eBlomlådan – resultat",
        )
        .and_then(|n| reader.text(n, "the site's title"));
    let base_url = match fields.get("base_url") {
        Some(node) if !node.is_null() && node.as_text().is_some_and(|t| !t.trim().is_empty()) => {
            reader
                .text(
                    node,
                    "the address the site is published at, e.g. https://example.org",
                )
                .and_then(|text| match normalize_base_url(&text) {
                    Ok(url) => Some(url),
                    Err(problem) => {
                        reader.error(node.pos, problem);
                        None
                    }
                })
        }
        _ => Some(String::new()),
    };
    let language = match fields.get("language") {
        Some(node) => reader
            .text(node, "a language, sv or en")
            .and_then(|word| match word.as_str() {
                "sv" => Some(Language::Sv),
                "en" => Some(Language::En),
                other => {
                    let hint = suggest::did_you_mean(other, ["sv", "en"]);
                    reader.error(
                        node.pos,
                        format!("unknown language \"{other}\"{hint}; expected \"sv\" (Swedish) or \"en\" (English)"),
                    );
                    None
                }
            }),
        None => Some(Language::Sv),
    };
    let translations = fields
        .get("translations")
        .map(|node| read_translations(reader, node, language))
        .unwrap_or_default();
    let example_data = match fields.get("example_data") {
        Some(node) => reader.boolean(node, "whether the assessments are example data"),
        None => Some(false),
    };
    let description = reader.optional_text(
        fields.get("description"),
        "a one-sentence description of the site",
    );
    let title_en = reader.optional_text(fields.get("title_en"), "the site's title in English");
    let description_en = reader.optional_text(
        fields.get("description_en"),
        "a one-sentence description of the site in English",
    );
    let publisher = read_publisher(reader, fields.get("publisher"));
    let contact = fields.get("contact").and_then(|n| read_contact(reader, n));
    let license = read_license(reader, fields.get("license"));
    let publishes_dcat = base_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"));
    if publishes_dcat {
        warn_of_missing_dcat_details(reader, &fields, &publisher);
    }
    Some(SiteConfig {
        title: title?,
        title_en,
        base_url: base_url?,
        language: language?,
        translations,
        example_data: example_data?,
        description,
        description_en,
        publisher: publisher.name,
        organisation_number: publisher.organisation_number,
        publisher_url: publisher.url,
        contact,
        license: license?,
        base_url_pos: fields.key("base_url").map_or(Pos::START, |k| k.pos),
    })
}

/// `translations: [en]`: the other languages the site is also published in, each under its
/// code's folder. A language that is unknown, the site's own or listed twice is an error.
fn read_translations(
    reader: &mut Reader<'_>,
    node: &Node,
    language: Option<Language>,
) -> Vec<Language> {
    if node.is_null() {
        return Vec::new();
    }
    let mut translations = Vec::new();
    for (code, pos) in reader.text_list(node, "the languages of the site's translations, e.g. [en]")
    {
        let Some(translation) = Language::parse(&code) else {
            let codes = Language::ALL.map(Language::code);
            let hint = suggest::did_you_mean(&code, codes);
            reader.error(
                pos,
                format!(
                    "unknown language \"{code}\"{hint} in translations; expected {}",
                    suggest::one_of(&codes)
                ),
            );
            continue;
        };
        if Some(translation) == language {
            reader.error(
                pos,
                format!(
                    "found the site's own language \"{code}\" in translations; expected only other languages (the site's own is published at the root)"
                ),
            );
        } else if translations.contains(&translation) {
            reader.error(
                pos,
                format!("found \"{code}\" twice in translations; expected each language once"),
            );
        } else {
            translations.push(translation);
        }
    }
    translations
}

/// `license:` as an SPDX identifier or the licence's address; CC BY 4.0 when left out.
fn read_license(reader: &mut Reader<'_>, node: Option<&Node>) -> Option<License> {
    let Some(node) = node.filter(|n| !n.is_null()) else {
        return Some(License::default());
    };
    let text = reader.text(node, "a licence, e.g. CC-BY-4.0")?;
    License::parse(&text).or_else(|| {
        let ids = License::ALL.map(License::spdx);
        let hint = suggest::did_you_mean(&text, ids);
        reader.error(
            node.pos,
            format!(
                "unknown licence \"{text}\"{hint}; expected {}",
                suggest::one_of(&ids)
            ),
        );
        None
    })
}

/// Only a site with its full address gets data/dcat.rdf, which needs the publisher's
/// organisation number and a contact: without them, say so.
fn warn_of_missing_dcat_details(
    reader: &mut Reader<'_>,
    fields: &super::read::Fields<'_>,
    publisher: &Publisher,
) {
    if !publisher.number_written {
        let pos = fields.key("publisher").map_or(Pos::START, |k| k.pos);
        reader.warning(
            pos,
            "no organisation number for the publisher: Sveriges dataportal identifies the publisher of data/dcat.rdf by it; expected publisher: with name: and organisation_number: NNNNNN-NNNN",
        );
    }
    if fields.get("contact").is_none() {
        reader.warning(
            Pos::START,
            "no contact for the open data: data/dcat.rdf is written without a contact point; expected contact: with name: and email:",
        );
    }
}

/// `publisher: Name`, or `publisher:` with `name`, `organisation_number` and `url`.
fn read_publisher(reader: &mut Reader<'_>, node: Option<&Node>) -> Publisher {
    let Some(node) = node.filter(|n| !n.is_null()) else {
        return Publisher::default();
    };
    if node.as_map().is_none() {
        return Publisher {
            name: reader.text(node, "the name of the publisher"),
            ..Publisher::default()
        };
    }
    let Some(fields) = reader.fields(node, PUBLISHER_KEYS, "the publisher") else {
        return Publisher::default();
    };
    let name = reader
        .required(
            &fields,
            "name",
            "the publisher's name, e.g. name: Sveriges Kommuner och Regioner",
        )
        .and_then(|n| reader.text(n, "the publisher's name"));
    let organisation_number = fields.get("organisation_number").and_then(|n| {
        let text = reader.text(n, "an organisation number, e.g. 222000-0315")?;
        match organisation_number(&text) {
            Ok(number) => Some(number),
            Err(problem) => {
                reader.error(n.pos, problem);
                None
            }
        }
    });
    let url = fields.get("url").and_then(|n| {
        let text = reader.text(n, "the publisher's website, e.g. https://example.org")?;
        match normalize_base_url(&text) {
            Ok(url) if url.starts_with("http") => Some(url),
            _ => {
                reader.error(
                    n.pos,
                    format!(
                        "found the address \"{}\"; expected a website starting with https:// or http://",
                        text.escape_debug()
                    ),
                );
                None
            }
        }
    });
    Publisher {
        name,
        organisation_number,
        number_written: fields.get("organisation_number").is_some(),
        url,
    }
}

/// `contact:` with `name`, `email` and `phone`; at least an email address is expected.
fn read_contact(reader: &mut Reader<'_>, node: &Node) -> Option<Contact> {
    if node.is_null() {
        return None;
    }
    let fields = reader.fields(node, CONTACT_KEYS, "the contact")?;
    let name = reader.optional_text(fields.get("name"), "the contact's name, e.g. Öppna data");
    let email = fields.get("email").and_then(|n| {
        let text = reader.text(n, "an email address, e.g. data@example.org")?;
        let text = text.trim().trim_start_matches("mailto:").to_string();
        if is_email(&text) {
            Some(text)
        } else {
            reader.error(
                n.pos,
                format!(
                    "found \"{}\"; expected an email address such as data@example.org",
                    text.escape_debug()
                ),
            );
            None
        }
    });
    let phone = fields.get("phone").and_then(|n| {
        let text = reader.text(n, "a telephone number, e.g. +46 8 452 70 00")?;
        let digits: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
            .collect();
        if digits.len() >= 5
            && digits
                .char_indices()
                .all(|(i, c)| c.is_ascii_digit() || (i == 0 && c == '+'))
        {
            Some(text.trim().to_string())
        } else {
            reader.error(
                n.pos,
                format!(
                    "found \"{}\"; expected a telephone number of digits, e.g. +46 8 452 70 00",
                    text.escape_debug()
                ),
            );
            None
        }
    });
    if email.is_none() && fields.get("email").is_none() {
        reader.warning(
            fields.pos,
            "no email address for the contact: DCAT-AP-SE requires one for the contact point of data/dcat.rdf; expected email: data@example.org",
        );
    }
    Some(Contact { name, email, phone })
}

/// A plain check: one `@` with text before it and a dotted domain after it, no spaces or
/// characters that would break a `mailto:` link.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let allowed = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
    !local.is_empty()
        && local.chars().all(allowed)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// `222000-0315` or `2220000315` → `2220000315`: ten digits whose last is the Luhn check
/// digit of the first nine, as every Swedish organisation number has.
pub(crate) fn organisation_number(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let digits: String = trimmed.chars().filter(|&c| c != '-').collect();
    let hyphen_ok = match trimmed.find('-') {
        None => true,
        Some(at) => at == 6 && trimmed.matches('-').count() == 1,
    };
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) || !hyphen_ok {
        return Err(format!(
            "found the organisation number \"{}\"; expected ten digits, e.g. 222000-0315",
            trimmed.escape_debug()
        ));
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let twice = d * 2;
                twice / 10 + twice % 10
            } else {
                d
            }
        })
        .sum();
    if !sum.is_multiple_of(10) {
        return Err(format!(
            "found the organisation number \"{trimmed}\", whose last digit is not its check digit; expected the number exactly as Bolagsverket gives it"
        ));
    }
    Ok(digits)
}

/// `https://example.org/eblomladan/` → `https://example.org/eblomladan`; a path such as
/// `/eblomladan` is kept as it is. Anything else is refused with a reason.
pub(crate) fn normalize_base_url(text: &str) -> Result<String, String> {
    let trimmed = text.trim().trim_end_matches('/');
    let (scheme_ok, rest) = if let Some(rest) = trimmed.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = trimmed.strip_prefix("http://") {
        (true, rest)
    } else {
        (trimmed.is_empty() || trimmed.starts_with('/'), trimmed)
    };
    let clean = rest.chars().all(|c| {
        c.is_ascii_graphic() && !matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`' | '{' | '}')
    });
    if !scheme_ok || !clean {
        return Err(format!(
            "found the address \"{}\"; expected an address starting with https:// or http://, or a path starting with /",
            text.escape_debug()
        ));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::{is_email, normalize_base_url, organisation_number};

    #[test]
    fn organisation_numbers() {
        assert_eq!(organisation_number("222000-0315").unwrap(), "2220000315");
        assert_eq!(organisation_number("2120001124").unwrap(), "2120001124");
        assert!(
            organisation_number("222000-0316")
                .unwrap_err()
                .contains("check digit")
        );
        assert!(organisation_number("22200-00315").is_err());
        assert!(organisation_number("SE2220000315").is_err());
    }

    #[test]
    fn emails() {
        assert!(is_email("oppnadata@skr.se"));
        assert!(!is_email("oppnadata skr.se"));
        assert!(!is_email("a@b"));
        assert!(!is_email("a\"<x>@b.se"));
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            normalize_base_url("https://example.org/").unwrap(),
            "https://example.org"
        );
        assert_eq!(normalize_base_url("/eb/").unwrap(), "/eb");
        assert_eq!(normalize_base_url("").unwrap(), "");
        assert!(normalize_base_url("javascript:alert(1)").is_err());
        assert!(normalize_base_url("https://x.org/\"><script>").is_err());
    }
}
