//! The registry: `registry/counties.csv` and `registry/municipalities.csv`.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostics::{Diagnostics, Pos, SourceText};
use crate::model::{County, Municipality, Registry};
use crate::slug::slugify;
use crate::suggest;

use super::read::id_problem;

pub(crate) const COUNTY_COLUMNS: &[&str] = &["code", "name"];
pub(crate) const MUNICIPALITY_COLUMNS: &[&str] = &[
    "code",
    "name",
    "county_code",
    "county_name",
    "population",
    "population_year",
];

/// One row of a CSV file with the column each field starts at.
struct Row {
    line: u32,
    fields: Vec<String>,
    columns: Vec<u32>,
}

impl Row {
    fn pos(&self, field: usize) -> Pos {
        Pos {
            line: self.line,
            column: self.columns.get(field).copied().unwrap_or(1),
        }
    }
}

/// Reads a CSV file with a required header. Problems with the header or the shape of rows are
/// reported; rows of the wrong width are skipped.
fn read_rows(path: &Path, text: &str, columns: &[&str], diagnostics: &mut Diagnostics) -> Vec<Row> {
    let source = SourceText { path, text };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut header_seen = false;
    let mut lines_to = LineCounter { offset: 0, line: 1 };
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let pos = e
                    .position()
                    .map(|p| Pos::new(p.line(), 1))
                    .unwrap_or(Pos::START);
                diagnostics.error(&source, pos, format!("unreadable CSV row: {e}"));
                continue;
            }
        };
        // The record's line, counted on from the previous record as everywhere else ("\r"
        // alone ends a line too), and its text found by its byte offset: looking either up
        // from the top would make a large registry quadratic.
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let line = lines_to.advance(text, start);
        let line_text = text
            .get(start..)
            .and_then(|rest| rest.split(['\n', '\r']).next())
            .unwrap_or("");
        let row = Row {
            line,
            fields: record.iter().map(|f| f.trim().to_string()).collect(),
            columns: field_columns(line_text),
        };
        if !header_seen {
            header_seen = true;
            if row.fields != columns {
                let (pos, message) = header_problem(&row, columns);
                diagnostics.error(&source, pos, message);
                return Vec::new();
            }
            continue;
        }
        if let Some(at) = row.fields.iter().position(|f| f.contains('\n')) {
            // A quote that is never closed swallows the lines after it into one field.
            diagnostics.error(
                &source,
                row.pos(at),
                "found a field that starts with a quote (\") that is never closed, so the lines after it run into it; expected a closing quote in the same line",
            );
            return rows;
        }
        if row.fields.len() == 1 && row.fields[0].is_empty() {
            continue;
        }
        if row.fields.len() != columns.len() {
            diagnostics.error(
                &source,
                Pos { line, column: 1 },
                format!(
                    "found {} fields; expected {} ({})",
                    row.fields.len(),
                    columns.len(),
                    columns.join(",")
                ),
            );
            continue;
        }
        rows.push(row);
    }
    if !header_seen {
        diagnostics.error(
            &source,
            Pos::START,
            format!(
                "found an empty file; expected the header \"{}\" and rows",
                columns.join(",")
            ),
        );
    }
    rows
}

/// Counts lines up to a byte offset, carrying on from the previous offset.
struct LineCounter {
    offset: usize,
    line: u32,
}

impl LineCounter {
    /// The line (from 1) that the byte at `offset` is on; offsets must not go back.
    fn advance(&mut self, text: &str, offset: usize) -> u32 {
        // The CSV reader may start a record at the "\n" of a "\r\n" (after an empty line):
        // the record is on the next line, and the pair must not be split, or it would count
        // twice.
        let bytes = text.as_bytes();
        let offset =
            if offset > 0 && bytes.get(offset) == Some(&b'\n') && bytes[offset - 1] == b'\r' {
                offset + 1
            } else {
                offset
            };
        let start = self.offset.min(offset);
        let between = text.get(start..offset).unwrap_or("");
        self.line += crate::diagnostics::line_count(between) - 1;
        self.offset = offset;
        self.line
    }
}

/// Where and how a header row differs from the expected columns.
fn header_problem(row: &Row, columns: &[&str]) -> (Pos, String) {
    let expected = columns.join(",");
    if row.fields.len() == 1 && row.fields[0].contains(';') {
        return (
            row.pos(0),
            format!(
                "found fields separated by \";\" (as spreadsheet programs with Swedish settings write them); expected a comma-separated header \"{expected}\" and comma-separated rows"
            ),
        );
    }
    for (at, wanted) in columns.iter().enumerate() {
        match row.fields.get(at) {
            Some(found) if found == wanted => continue,
            Some(found) => {
                let hint = suggest::did_you_mean(found, columns.iter().copied());
                return (
                    row.pos(at),
                    format!(
                        "found the column \"{}\" in the header{hint}; expected \"{wanted}\" as column {} of \"{expected}\"",
                        found.escape_debug(),
                        at + 1
                    ),
                );
            }
            None => {
                return (
                    row.pos(at.saturating_sub(1)),
                    format!(
                        "found {} columns in the header; expected {} columns: \"{expected}\"",
                        row.fields.len(),
                        columns.len()
                    ),
                );
            }
        }
    }
    (
        row.pos(columns.len()),
        format!(
            "found {} columns in the header; expected {} columns: \"{expected}\"",
            row.fields.len(),
            columns.len()
        ),
    )
}

/// The 1-based column at which each field of a CSV line starts (quotes understood).
fn field_columns(line: &str) -> Vec<u32> {
    let mut columns = vec![1];
    let mut quoted = false;
    for (i, c) in line.chars().enumerate() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => columns.push(i as u32 + 2),
            _ => {}
        }
    }
    columns
}

fn check_code(
    code: &str,
    row: &Row,
    field: usize,
    seen: &mut HashMap<String, u32>,
    source: &SourceText<'_>,
    diagnostics: &mut Diagnostics,
) -> bool {
    if let Some(problem) =
        id_problem(code).or_else(|| code.contains('.').then(|| "contains \".\"".into()))
    {
        diagnostics.error(
            source,
            row.pos(field),
            format!("found the code \"{}\", which {problem}; expected a code of letters and digits, such as 0180", code.escape_debug()),
        );
        return false;
    }
    if let Some(first) = seen.get(code) {
        diagnostics.error(
            source,
            row.pos(field),
            format!("duplicate code \"{code}\": it is already used on line {first}; expected each code once"),
        );
        return false;
    }
    seen.insert(code.to_string(), row.line);
    true
}

fn check_slug(
    name: &str,
    row: &Row,
    field: usize,
    source: &SourceText<'_>,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let slug = slugify(name);
    if slug.is_empty() {
        diagnostics.error(
            source,
            row.pos(field),
            format!("found the name \"{}\", which gives no address; expected a name with letters or digits", name.escape_debug()),
        );
        return None;
    }
    Some(slug)
}

/// Names that give the same slug (Håbo and Habo both give `habo`) each get their code added
/// (`habo-0305`, `habo-0643`), so that no one's address is taken by another. Returns the
/// shared slugs, for pages that point to each of them.
pub(crate) fn disambiguate<T>(
    items: &mut [T],
    slug: impl Fn(&mut T) -> &mut String,
    code: impl Fn(&T) -> String,
) -> Vec<String> {
    let mut count: HashMap<String, usize> = HashMap::new();
    for item in items.iter_mut() {
        *count.entry(slug(item).clone()).or_default() += 1;
    }
    let mut shared: Vec<String> = count
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(s, _)| s)
        .collect();
    shared.sort();
    for item in items.iter_mut() {
        let c = code(item);
        let s = slug(item);
        if shared.binary_search(s).is_ok() {
            *s = format!("{s}-{}", crate::slug::slugify(&c));
        }
    }
    shared
}

pub(crate) fn read_counties(path: &Path, text: &str, diagnostics: &mut Diagnostics) -> Vec<County> {
    let source = SourceText { path, text };
    let mut codes = HashMap::new();
    let mut counties = Vec::new();
    for row in read_rows(path, text, COUNTY_COLUMNS, diagnostics) {
        let (code, name) = (&row.fields[0], &row.fields[1]);
        let code_ok = check_code(code, &row, 0, &mut codes, &source, diagnostics);
        if name.is_empty() {
            diagnostics.error(
                &source,
                row.pos(1),
                "found an empty name; expected the county's name",
            );
            continue;
        }
        let slug = check_slug(name, &row, 1, &source, diagnostics);
        if let (true, Some(slug)) = (code_ok, slug) {
            counties.push(County {
                code: code.clone(),
                name: name.clone(),
                slug,
            });
        }
    }
    counties
}

/// Reads municipalities.csv. With `counties_complete` false (counties.csv had errors), an
/// unknown county code is not reported: it is most likely one of those errors.
pub(crate) fn read_municipalities(
    path: &Path,
    text: &str,
    counties: &[County],
    counties_complete: bool,
    diagnostics: &mut Diagnostics,
) -> Vec<Municipality> {
    let source = SourceText { path, text };
    let county_by_code: HashMap<&str, usize> = counties
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code.as_str(), i))
        .collect();
    let mut codes = HashMap::new();
    let mut municipalities = Vec::new();
    for row in read_rows(path, text, MUNICIPALITY_COLUMNS, diagnostics) {
        let f = &row.fields;
        let mut ok = check_code(&f[0], &row, 0, &mut codes, &source, diagnostics);
        if f[1].is_empty() {
            diagnostics.error(
                &source,
                row.pos(1),
                "found an empty name; expected the municipality's name",
            );
            ok = false;
        }
        let slug = if f[1].is_empty() {
            None
        } else {
            check_slug(&f[1], &row, 1, &source, diagnostics)
        };
        let county = match county_by_code.get(f[2].as_str()) {
            Some(&i) => {
                if counties[i].name != f[3] {
                    diagnostics.error(
                        &source,
                        row.pos(3),
                        format!(
                            "found the county name \"{}\" for county {}; expected \"{}\" as in counties.csv",
                            f[3], f[2], counties[i].name
                        ),
                    );
                    ok = false;
                }
                Some(i)
            }
            None if !counties_complete => None,
            None => {
                let hint = suggest::did_you_mean(&f[2], counties.iter().map(|c| c.code.as_str()));
                diagnostics.error(
                    &source,
                    row.pos(2),
                    format!(
                        "unknown county code \"{}\"{hint}; expected a code from counties.csv",
                        f[2]
                    ),
                );
                None
            }
        };
        let population = match f[4].parse::<u64>() {
            Ok(p) => Some(p),
            Err(_) => {
                diagnostics.error(
                    &source,
                    row.pos(4),
                    format!("found the population \"{}\"; expected a whole number of inhabitants, such as 22681", f[4]),
                );
                None
            }
        };
        let population_year = match f[5].parse::<u16>() {
            Ok(y) if (1900..=2100).contains(&y) => Some(y),
            _ => {
                diagnostics.error(
                    &source,
                    row.pos(5),
                    format!(
                        "found the population year \"{}\"; expected a year between 1900 and 2100",
                        f[5]
                    ),
                );
                None
            }
        };
        if let (true, Some(slug), Some(county), Some(population), Some(population_year)) =
            (ok, slug, county, population, population_year)
        {
            municipalities.push(Municipality {
                code: f[0].clone(),
                name: f[1].clone(),
                slug,
                county,
                population,
                population_year,
            });
        }
    }
    municipalities
}

/// The registry with municipalities in code order (counties keep the order they were read in,
/// which the loader sorts by code before municipalities are read).
pub fn build(mut counties: Vec<County>, mut municipalities: Vec<Municipality>) -> Registry {
    municipalities.sort_by(|a, b| a.code.cmp(&b.code));
    let shared_county_slugs = disambiguate(&mut counties, |c| &mut c.slug, |c| c.code.clone());
    let shared_municipality_slugs =
        disambiguate(&mut municipalities, |m| &mut m.slug, |m| m.code.clone());
    let county_by_code = counties
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code.clone(), i))
        .collect();
    let municipality_by_code = municipalities
        .iter()
        .enumerate()
        .map(|(i, m)| (m.code.clone(), i))
        .collect();
    let municipality_rank = name_ranks(&municipalities);
    Registry {
        counties,
        municipalities,
        county_by_code,
        municipality_by_code,
        shared_county_slugs,
        shared_municipality_slugs,
        municipality_rank,
    }
}

/// The place of each municipality when sorted by name as Swedish does, then by code.
fn name_ranks(municipalities: &[Municipality]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..municipalities.len()).collect();
    // Stable: same names keep code order.
    order.sort_by_cached_key(|&m| crate::slug::sort_key(&municipalities[m].name));
    let mut ranks = vec![0; municipalities.len()];
    for (rank, m) in order.into_iter().enumerate() {
        ranks[m] = rank as u32;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_understand_quotes() {
        assert_eq!(field_columns("a,\"b,c\",d"), vec![1, 3, 9]);
    }

    #[test]
    fn reads_and_checks_rows() {
        let mut d = Diagnostics::new();
        let counties = read_counties(
            Path::new("c.csv"),
            "code,name\n01,Stockholms län\n01,Dubbel län\n",
            &mut d,
        );
        assert_eq!(counties.len(), 1);
        let errors: Vec<String> = d.iter().map(|x| x.headline()).collect();
        assert_eq!(
            errors,
            vec![
                "c.csv:3:1: error: duplicate code \"01\": it is already used on line 2; expected each code once"
            ]
        );
    }

    #[test]
    fn rows_after_windows_and_empty_lines_keep_their_line() {
        // The CSV reader starts the row after "\r\n\n" at the "\n" of the pair.
        let mut d = Diagnostics::new();
        read_counties(
            Path::new("c.csv"),
            "code,name\n01\r\n02\r\n\n03,Tre län\n04\r05,Fem\n06\n",
            &mut d,
        );
        let lines: Vec<u32> = d.iter().map(|x| x.pos.line).collect();
        assert_eq!(lines, [2, 3, 6, 8]);
    }

    #[test]
    fn municipalities_are_ranked_by_swedish_name_then_code() {
        let municipality = |code: &str, name: &str| Municipality {
            code: code.into(),
            name: name.into(),
            slug: slugify(name),
            county: 0,
            population: 1,
            population_year: 2024,
        };
        let registry = build(
            Vec::new(),
            vec![
                municipality("0004", "Örebro"),
                municipality("0001", "Åre"),
                municipality("0003", "Eda"),
                municipality("0002", "Ale"),
                municipality("0005", "ale"),
            ],
        );
        let mut by_rank: Vec<(u32, &str)> = registry
            .municipalities
            .iter()
            .zip(&registry.municipality_rank)
            .map(|(m, &rank)| (rank, m.code.as_str()))
            .collect();
        by_rank.sort();
        let codes: Vec<&str> = by_rank.into_iter().map(|(_, code)| code).collect();
        assert_eq!(codes, ["0002", "0005", "0003", "0001", "0004"]);
    }
}
