//! Assessments: `assessments/**/*.yaml`, one municipality and year each.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostics::Pos;
use crate::model::{Answer, Assessment, Catalog, CatalogIndex, Date, Registry};
use crate::suggest;

use super::read::{Fields, Reader};
use super::yaml::{Key, Node, Value};

pub(crate) const KEYS: &[&str] = &[
    "municipality",
    "year",
    "catalog",
    "published",
    "answers",
    "summary",
    "comments",
];

pub(crate) const YEARS: std::ops::RangeInclusive<i64> = 1990..=2100;

/// Where an assessment says it belongs, for the duplicate check across files.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The `municipality` key, where a duplicate is reported when there is no `published` key.
    pub municipality_pos: Pos,
    /// The `published` key, where a second published assessment is reported.
    pub published_pos: Option<Pos>,
}

/// What an assessment is checked against.
pub struct Against<'a> {
    /// The counties and municipalities an assessment may name.
    pub registry: &'a Registry,
    /// The catalogues an assessment may answer.
    pub catalogs: &'a [Catalog],
}

/// The municipality code as written: an unquoted number is zero-padded to four digits.
pub(crate) fn municipality_code(node: &Node) -> Option<String> {
    match &node.value {
        Value::Int(i) if *i >= 0 => Some(format!("{i:04}")),
        Value::Str(s) => Some(s.trim().to_string()),
        _ => None,
    }
}

pub(crate) fn read(
    reader: &mut Reader<'_>,
    root: &Node,
    path: &Path,
    against: &Against<'_>,
) -> Option<(Assessment, Identity)> {
    if root.is_null() {
        reader.error(
            root.pos,
            "found an empty file; expected an assessment with municipality, year, catalog and answers (run `blomlada new` for a skeleton)",
        );
        return None;
    }
    if root.as_map().is_none() {
        reader.error(
            root.pos,
            format!("found {}; expected an assessment: lines of key: value with municipality, year, catalog and answers (run `blomlada new` for a skeleton)", root.describe()),
        );
        return None;
    }
    let fields = reader.fields(root, KEYS, "an assessment")?;
    let municipality_node = reader.required(
        &fields,
        "municipality",
        "the municipality's code, e.g. municipality: \"1881\"",
    );
    let municipality = municipality_node.and_then(|node| read_municipality(reader, node, against));
    let year = read_year(reader, &fields);
    let catalog = read_catalog(reader, &fields, against);
    let published = read_published(reader, &fields);
    let catalog_ref = catalog.map(|i| &against.catalogs[i]);
    let answers = read_answers(reader, &fields, catalog_ref);
    let summary = match fields.get("summary") {
        Some(node) if !node.is_null() => reader.text(node, "a summary in Markdown").map(Some),
        _ => Some(None),
    };
    let comments = read_comments(reader, fields.get("comments"), catalog_ref);

    let (
        Some(municipality),
        Some(year),
        Some(catalog),
        Some(published),
        Some(answers),
        Some(summary),
        Some(comments),
    ) = (
        municipality,
        year,
        catalog,
        published,
        answers,
        summary,
        comments,
    )
    else {
        return None;
    };
    let identity = Identity {
        municipality_pos: municipality_node.map_or(Pos::START, |n| n.pos),
        published_pos: fields.key("published").map(|k| k.pos),
    };
    Some((
        Assessment {
            source: path.to_path_buf(),
            municipality,
            year,
            catalog,
            published,
            answers,
            summary,
            comments,
        },
        identity,
    ))
}

/// The registry index of the municipality whose code `node` holds.
fn read_municipality(reader: &mut Reader<'_>, node: &Node, against: &Against<'_>) -> Option<usize> {
    let Some(code) = municipality_code(node) else {
        reader.error(
            node.pos,
            format!(
                "found {}; expected a municipality code such as \"1881\"",
                node.describe()
            ),
        );
        return None;
    };
    match against.registry.municipality_by_code.get(&code) {
        Some(&index) => Some(index),
        None => {
            let hint = unknown_municipality_hint(&code, against.registry);
            let written = match (&node.value, &node.raw) {
                (Value::Int(_), Some(raw)) if *raw != code => format!(" (written {raw})"),
                _ => String::new(),
            };
            reader.error(
                node.pos,
                format!("unknown municipality \"{code}\"{written}{hint}; expected a code from registry/municipalities.csv"),
            );
            None
        }
    }
}

/// `year`, within [`YEARS`].
fn read_year(reader: &mut Reader<'_>, fields: &Fields<'_>) -> Option<u16> {
    let node = reader.required(fields, "year", "the year assessed, e.g. year: 2017")?;
    let year = reader.integer(node, "a year such as 2017")?;
    if YEARS.contains(&year) {
        Some(year as u16)
    } else {
        reader.error(
            node.pos,
            format!("found the year {year}; expected a year between 1990 and 2100"),
        );
        None
    }
}

/// The catalogue `catalog` names.
fn read_catalog(
    reader: &mut Reader<'_>,
    fields: &Fields<'_>,
    against: &Against<'_>,
) -> Option<CatalogIndex> {
    let node = reader.required(fields, "catalog", "the catalogue's id, e.g. catalog: v3")?;
    let id = reader.text(node, "a catalogue id such as v3")?;
    if let Some((index, _)) = CatalogIndex::each(against.catalogs).find(|(_, c)| c.id == id) {
        return Some(index);
    }
    let hint = suggest::did_you_mean(&id, against.catalogs.iter().map(|c| c.id.as_str()));
    let known: Vec<&str> = against.catalogs.iter().map(|c| c.id.as_str()).collect();
    reader.error(
        node.pos,
        format!(
            "unknown catalogue \"{id}\"{hint}; expected {}",
            if known.is_empty() {
                "a catalogue from catalogs/".to_string()
            } else {
                suggest::one_of(&known)
            }
        ),
    );
    None
}

/// `published`: `Some(None)` for a draft, `None` when it is wrong.
fn read_published(reader: &mut Reader<'_>, fields: &Fields<'_>) -> Option<Option<Date>> {
    let node = match fields.get("published") {
        None => return Some(None),
        Some(node) if node.is_null() => return Some(None),
        Some(node) => node,
    };
    match node.as_text().as_deref().map(str::trim) {
        Some(text) => match Date::parse(text) {
            Some(date) => Some(Some(date)),
            None => {
                reader.error(node.pos, date_problem(text));
                None
            }
        },
        None => {
            reader.error(
                node.pos,
                format!("found {}; expected the publication date as YYYY-MM-DD, e.g. published: 2017-11-15 (leave it out for a draft)", node.describe()),
            );
            None
        }
    }
}

/// " (did you mean ...)" for a municipality code that is not in the registry: the code of a
/// municipality whose name was given instead, or a near code.
pub(crate) fn unknown_municipality_hint(code: &str, registry: &Registry) -> String {
    let municipalities = &registry.municipalities;
    let by_name = municipalities
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case(code) || m.slug == code.to_lowercase())
        .or_else(|| {
            let near = suggest::closest(code, municipalities.iter().map(|m| m.name.as_str()))?;
            municipalities.iter().find(|m| m.name == near)
        });
    match by_name {
        Some(m) => format!(" (did you mean \"{}\", the code of {}?)", m.code, m.name),
        None => suggest::did_you_mean(code, municipalities.iter().map(|m| m.code.as_str())),
    }
}

/// Why `text` is not a publication date: a date that does not exist, or another format.
fn date_problem(text: &str) -> String {
    let parts: Vec<&str> = text.split('-').collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    if let (3, Some([year, month, _])) = (parts.len(), numbers.as_deref())
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
    {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        return match MONTHS.get((*month as usize).wrapping_sub(1)) {
            None => format!(
                "found the date {text}, which has no month {month}; expected the publication date as YYYY-MM-DD with a month from 01 to 12"
            ),
            Some(name) => {
                let last = (28..=31)
                    .rev()
                    .find(|d| Date::parse(&format!("{year:04}-{month:02}-{d:02}")).is_some())
                    .unwrap_or(28);
                format!(
                    "found the date {text}, which does not exist ({name} {year} has {last} days); expected a real date as YYYY-MM-DD"
                )
            }
        };
    }
    format!(
        "found the text \"{}\"; expected the publication date as YYYY-MM-DD, e.g. published: 2017-11-15 (leave it out for a draft)",
        text.escape_debug()
    )
}

/// Suggests the answer word someone probably meant, such as `helt` for `Uppfyller helt`.
fn answer_hint(word: &str) -> String {
    let lower = word.to_lowercase();
    let contained = Answer::WORDS.iter().find(|w| {
        lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|part| part == **w)
    });
    match contained {
        Some(w) => format!(" (did you mean \"{w}\"?)"),
        None => suggest::did_you_mean(word, Answer::WORDS),
    }
}

fn read_answers(
    reader: &mut Reader<'_>,
    fields: &Fields<'_>,
    catalog: Option<&Catalog>,
) -> Option<Vec<Option<Answer>>> {
    let (Some(node), Some(answers_key)) = (fields.get("answers"), fields.key("answers")) else {
        if !fields.is_misspelled("answers") {
            reader.error(
                fields.pos,
                "missing key \"answers\"; expected a mapping from indicator id to helt, delvis or inte",
            );
        }
        return None;
    };
    let entries: &[_] = if node.is_null() {
        &[]
    } else {
        reader.map(
            node,
            "a mapping from indicator id to answer, one per line, such as `aldre-1: helt`",
        )?
    };
    let mut answers = catalog.map(|c| vec![None; c.indicators.len()]);
    let mut seen: HashMap<&str, u32> = HashMap::with_capacity(entries.len());
    let mut ok = true;
    for (key, value) in entries {
        if let Some(line) = seen.get(key.name.as_str()) {
            reader.error(key.pos, format!("indicator \"{}\" is answered twice: it is already answered on line {line}; expected one answer per indicator", key.name));
            ok = false;
            continue;
        }
        seen.insert(&key.name, key.pos.line);
        let Some(answer) = read_answer(reader, &key.name, value) else {
            ok = false;
            continue;
        };
        if let (Some(catalog), Some(answers)) = (catalog, answers.as_mut()) {
            match catalog.indicator_by_id.get(&key.name) {
                Some(&index) => answers[index] = answer,
                None => {
                    let hint = suggest::did_you_mean(
                        &key.name,
                        catalog.indicators.iter().map(|i| i.id.as_str()),
                    );
                    reader.error(
                        key.pos,
                        format!("unknown indicator \"{}\" in catalogue \"{}\"{hint}; expected an indicator id of that catalogue", key.name, catalog.id),
                    );
                    ok = false;
                }
            }
        }
    }
    let answers = answers?;
    if ok && let Some(catalog) = catalog {
        warn_unanswered(reader, entries, &answers, catalog, answers_key.pos);
    }
    ok.then_some(answers)
}

/// One answer: `Some(None)` when it is left empty, `None` when it is wrong.
fn read_answer(reader: &mut Reader<'_>, indicator: &str, value: &Node) -> Option<Option<Answer>> {
    match &value.value {
        Value::Null => Some(None),
        Value::Str(word) => match Answer::parse(word.trim()) {
            Some(a) => Some(Some(a)),
            None => {
                reader.error(
                    value.pos,
                    format!("unknown answer \"{}\" for indicator \"{indicator}\"{}; expected \"helt\", \"delvis\" or \"inte\"", word.escape_debug(), answer_hint(word)),
                );
                None
            }
        },
        _ => {
            reader.error(
                value.pos,
                format!(
                    "found {} for indicator \"{indicator}\"; expected \"helt\", \"delvis\" or \"inte\"",
                    value.describe(),
                ),
            );
            None
        }
    }
}

/// One warning for the indicators without an answer: at the first that is listed without an
/// answer, or else at `answers:` itself.
fn warn_unanswered(
    reader: &mut Reader<'_>,
    entries: &[(Key, Node)],
    answers: &[Option<Answer>],
    catalog: &Catalog,
    answers_key_pos: Pos,
) {
    let missing: Vec<&str> = answers
        .iter()
        .zip(&catalog.indicators)
        .filter(|(a, _)| a.is_none())
        .map(|(_, i)| i.id.as_str())
        .collect();
    if missing.is_empty() {
        return;
    }
    let pos = entries
        .iter()
        .find(|(key, value)| value.is_null() && missing.contains(&key.name.as_str()))
        .map_or(answers_key_pos, |(key, _)| key.pos);
    let listed: Vec<&str> = missing.iter().take(5).copied().collect();
    let more = if missing.len() > 5 {
        format!(" and {} more", missing.len() - 5)
    } else {
        String::new()
    };
    reader.warning(
        pos,
        format!(
            "{} of {} indicators are unanswered (obesvarad): {}{more}; they are shown grey",
            missing.len(),
            catalog.indicators.len(),
            listed.join(", ")
        ),
    );
}

fn read_comments(
    reader: &mut Reader<'_>,
    node: Option<&Node>,
    catalog: Option<&Catalog>,
) -> Option<Vec<(usize, String)>> {
    let Some(node) = node.filter(|n| !n.is_null()) else {
        return Some(Vec::new());
    };
    let entries = reader.map(node, "a mapping from indicator id to a comment in Markdown")?;
    let mut comments = Vec::new();
    let mut seen: HashMap<&str, u32> = HashMap::with_capacity(entries.len());
    let mut ok = true;
    for (key, value) in entries {
        if let Some(line) = seen.get(key.name.as_str()) {
            reader.error(
                key.pos,
                format!("indicator \"{}\" is commented twice: it already has a comment on line {line}; expected one comment per indicator", key.name),
            );
            ok = false;
            continue;
        }
        seen.insert(&key.name, key.pos.line);
        let index = match catalog {
            Some(catalog) => match catalog.indicator_by_id.get(&key.name) {
                Some(&i) => Some(i),
                None => {
                    let hint = suggest::did_you_mean(
                        &key.name,
                        catalog.indicators.iter().map(|i| i.id.as_str()),
                    );
                    reader.error(key.pos, format!("comment on unknown indicator \"{}\"{hint}; expected an indicator id of catalogue \"{}\"", key.name, catalog.id));
                    ok = false;
                    None
                }
            },
            None => None,
        };
        if value.is_null() {
            continue;
        }
        let Some(text) = reader.text(value, "a comment in Markdown") else {
            ok = false;
            continue;
        };
        if let Some(index) = index {
            comments.push((index, text));
        }
    }
    comments.sort_by_key(|(i, _)| *i);
    ok.then_some(comments)
}
