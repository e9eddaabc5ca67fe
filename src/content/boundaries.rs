//! `geo/municipalities.geojson`: the boundaries the maps are drawn from (optional; without
//! it the site has no maps).
//!
//! A GeoJSON FeatureCollection (RFC 7946) with one Polygon or MultiPolygon feature per
//! municipality of the registry, in WGS 84 longitude and latitude, its code in
//! `properties.id` (or the feature's own `id`). A file that does not match the registry is an
//! error naming every code that is missing, unknown or repeated, at its place in the file.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::diagnostics::{Diagnostics, Pos, SourceText};
use crate::geo::Boundaries;
use crate::geo::topology::{Polygon, Ring, Shape};
use crate::model::Registry;
use crate::suggest;

/// Where the boundaries are, relative to the content folder.
pub(crate) const FILE: &str = "geo/municipalities.geojson";
/// The largest boundary file read: detailed national boundaries are a few tens of MiB.
pub(crate) const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Longitudes and latitudes the maps can show: Sweden and well around it.
const LONGITUDES: std::ops::RangeInclusive<f64> = 2.0..=35.0;
const LATITUDES: std::ops::RangeInclusive<f64> = 52.0..=72.0;

/// Properties that may hold a municipality's name, for hints.
const NAME_PROPERTIES: [&str; 4] = ["kom_namn", "name", "namn", "kommunnamn"];

#[derive(Deserialize)]
struct Collection<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(borrow)]
    features: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Feature<'a> {
    #[serde(borrow)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    properties: Option<HashMap<String, &'a RawValue>>,
    #[serde(borrow)]
    geometry: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Geometry<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(borrow)]
    coordinates: Option<&'a RawValue>,
}

/// Byte offsets to lines and columns, for a text read once.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    i += 1;
                    starts.push(i + 1);
                }
                b'\n' | b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Lines { text, starts }
    }

    fn pos(&self, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Pos::new(line as u64, column as u64)
    }

    /// Where a value borrowed from the text starts.
    fn of(&self, raw: &RawValue) -> Pos {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        self.pos(offset.min(self.text.len()))
    }

    /// Where a serde_json error found inside a value borrowed from the text is.
    fn inside(&self, raw: &RawValue, e: &serde_json::Error) -> Pos {
        let start = self.of(raw);
        if e.line() <= 1 {
            Pos::new(
                u64::from(start.line),
                u64::from(start.column) + e.column().saturating_sub(1) as u64,
            )
        } else {
            Pos::new(
                u64::from(start.line) + e.line() as u64 - 1,
                e.column() as u64,
            )
        }
    }
}

/// Loads the boundaries of a content folder, if it has them. `None` without a file, or when
/// it has errors (each reported).
pub(crate) fn load(
    dir: &Path,
    registry: &Registry,
    diagnostics: &mut Diagnostics,
) -> Option<Boundaries> {
    let rel = Path::new(FILE);
    if !dir.join(rel).is_file() {
        return None;
    }
    let text = super::read_text_within(dir, rel, MAX_BYTES, diagnostics)?;
    let counties = registry.municipalities.iter().map(|m| m.county).collect();
    let shapes = shapes_from_text(&dir.join(rel), &text, registry, diagnostics)?;
    Some(Boundaries::new(rel.to_path_buf(), &shapes, counties))
}

/// The shapes of a boundary file, one per registry municipality in registry order; `None`
/// when the file has any error. Diagnostics name `path`.
pub(crate) fn shapes_from_text(
    path: &Path,
    text: &str,
    registry: &Registry,
    diagnostics: &mut Diagnostics,
) -> Option<Vec<Shape>> {
    let source = SourceText { path, text };
    let lines = Lines::new(text);
    let errors_before = diagnostics.error_count();
    let (features_raw, features) = features(&source, &lines, diagnostics)?;

    let mut shapes: Vec<Option<(Shape, Pos)>> = vec![None; registry.municipalities.len()];
    let mut unknown: Vec<(String, Option<String>, Pos)> = Vec::new();
    for (n, raw) in features.iter().enumerate() {
        let at = lines.of(raw);
        let feature: Feature = match serde_json::from_str(raw.get()) {
            Ok(f) => f,
            Err(e) => {
                diagnostics.error(
                    &source,
                    lines.inside(raw, &e),
                    format!("feature {} is not a GeoJSON Feature: {e}", n + 1),
                );
                continue;
            }
        };
        let Some((code, code_at)) = feature_code(&source, &lines, n, &feature, at, diagnostics)
        else {
            continue;
        };
        let Some(&m) = registry.municipality_by_code.get(&code) else {
            let name = feature.properties.as_ref().and_then(|p| {
                NAME_PROPERTIES
                    .iter()
                    .find_map(|key| serde_json::from_str::<String>(p.get(*key)?.get()).ok())
            });
            unknown.push((code, name, code_at));
            continue;
        };
        if let Some((_, first)) = &shapes[m] {
            diagnostics.error(
                &source,
                code_at,
                format!(
                    "a second feature for municipality code \"{code}\" ({}); the first is at line {}; expected one feature per municipality (join its parts in one MultiPolygon)",
                    registry.municipalities[m].name, first.line
                ),
            );
            continue;
        }
        let label = format!("feature \"{code}\" ({})", registry.municipalities[m].name);
        let Some(geometry) = feature.geometry else {
            diagnostics.error(
                &source,
                at,
                format!("{label} has no geometry; expected a Polygon or MultiPolygon"),
            );
            continue;
        };
        if let Some(shape) = read_geometry(&source, &lines, geometry, &label, diagnostics) {
            shapes[m] = Some((shape, code_at));
        }
    }

    let missing: Vec<usize> = (0..shapes.len()).filter(|&m| shapes[m].is_none()).collect();
    report_unknown(&source, registry, &unknown, &missing, diagnostics);
    report_missing(
        &source,
        lines.of(features_raw),
        registry,
        &missing,
        diagnostics,
    );
    if diagnostics.error_count() > errors_before {
        return None;
    }
    Some(
        shapes
            .into_iter()
            .map(|s| s.map(|(shape, _)| shape).unwrap_or_default())
            .collect(),
    )
}

/// The file's list of features (and where it is), or `None` when the file is not a
/// FeatureCollection.
fn features<'t>(
    source: &SourceText<'t>,
    lines: &Lines<'_>,
    diagnostics: &mut Diagnostics,
) -> Option<(&'t RawValue, Vec<&'t RawValue>)> {
    let expected_collection = "expected a GeoJSON FeatureCollection: {\"type\": \"FeatureCollection\", \"features\": [...]}";
    let collection: Collection = match serde_json::from_str(source.text) {
        Ok(c) => c,
        Err(e) => {
            let pos = Pos::new(e.line() as u64, e.column() as u64);
            diagnostics.error(
                source,
                pos,
                format!("not valid GeoJSON: {e}; {expected_collection}"),
            );
            return None;
        }
    };
    let features_raw = match (collection.kind.as_deref(), collection.features) {
        (Some("FeatureCollection"), Some(f)) => f,
        (kind, _) => {
            let found = kind.map_or_else(|| "no \"type\"".to_string(), |k| format!("type \"{k}\""));
            diagnostics.error(
                source,
                Pos::START,
                format!("found {found}; {expected_collection}"),
            );
            return None;
        }
    };
    match serde_json::from_str(features_raw.get()) {
        Ok(f) => Some((features_raw, f)),
        Err(e) => {
            diagnostics.error(
                source,
                lines.inside(features_raw, &e),
                format!("\"features\" is not a list of features: {e}"),
            );
            None
        }
    }
}

/// A feature's municipality code (from `properties.id` or its `id`) and where it is.
fn feature_code(
    source: &SourceText<'_>,
    lines: &Lines<'_>,
    n: usize,
    feature: &Feature<'_>,
    at: Pos,
    diagnostics: &mut Diagnostics,
) -> Option<(String, Pos)> {
    let code_raw = feature
        .properties
        .as_ref()
        .and_then(|p| p.get("id").copied())
        .or(feature.id);
    let Some(code_raw) = code_raw else {
        diagnostics.error(
            source,
            at,
            format!(
                "feature {} has no municipality code; expected its four-digit code in \"properties\": {{\"id\": \"0114\"}}",
                n + 1
            ),
        );
        return None;
    };
    let code_at = lines.of(code_raw);
    match serde_json::from_str::<serde_json::Value>(code_raw.get()) {
        Ok(serde_json::Value::String(s)) => Some((s, code_at)),
        // A number is the code without its leading zeros, as in assessments.
        Ok(serde_json::Value::Number(number)) if number.as_u64().is_some() => Some((
            format!("{:04}", number.as_u64().unwrap_or_default()),
            code_at,
        )),
        _ => {
            diagnostics.error(
                source,
                code_at,
                format!(
                    "found {} as a municipality code; expected the code as text, such as \"0114\"",
                    code_raw.get()
                ),
            );
            None
        }
    }
}

/// Unknown codes, each with the registry municipality it most likely means.
fn report_unknown(
    source: &SourceText<'_>,
    registry: &Registry,
    unknown: &[(String, Option<String>, Pos)],
    missing: &[usize],
    diagnostics: &mut Diagnostics,
) {
    for (code, name, pos) in unknown {
        // The same name first, then one that differs only in case and accents.
        let by_name = name.as_ref().and_then(|name| {
            let municipalities = &registry.municipalities;
            municipalities.iter().find(|m| m.name == *name).or_else(|| {
                let slug = crate::slug::slugify(name);
                municipalities
                    .iter()
                    .find(|m| crate::slug::slugify(&m.name) == slug)
            })
        });
        let hint = match by_name {
            Some(m) => format!(
                " ({}: the registry has {} as \"{}\")",
                name.as_deref().unwrap_or(""),
                m.name,
                m.code
            ),
            None => {
                let near = suggest::did_you_mean(
                    code,
                    missing
                        .iter()
                        .map(|&m| registry.municipalities[m].code.as_str()),
                );
                let named = name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
                format!("{named}{near}")
            }
        };
        diagnostics.error(
            source,
            *pos,
            format!("unknown municipality code \"{code}\"{hint}; expected a code of registry/municipalities.csv"),
        );
    }
}

/// One message that lists the municipalities without a usable boundary.
fn report_missing(
    source: &SourceText<'_>,
    at: Pos,
    registry: &Registry,
    missing: &[usize],
    diagnostics: &mut Diagnostics,
) {
    const SHOWN: usize = 40;
    if missing.is_empty() {
        return;
    }
    let listed: Vec<String> = missing
        .iter()
        .take(SHOWN)
        .map(|&m| {
            let municipality = &registry.municipalities[m];
            format!("{} ({})", municipality.code, municipality.name)
        })
        .collect();
    let more = if missing.len() > SHOWN {
        format!(" and {} more", missing.len() - SHOWN)
    } else {
        String::new()
    };
    diagnostics.error(
        source,
        at,
        format!(
            "no usable boundary for {} municipalit{} of the registry: {}{more}; expected one Polygon or MultiPolygon feature per municipality, its code in \"properties\": {{\"id\": \"...\"}}",
            missing.len(),
            if missing.len() == 1 { "y" } else { "ies" },
            listed.join(", ")
        ),
    );
}

/// A Polygon or MultiPolygon as rings of longitude–latitude points.
fn read_geometry(
    source: &SourceText<'_>,
    lines: &Lines<'_>,
    raw: &RawValue,
    label: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Shape> {
    let at = lines.of(raw);
    let geometry: Geometry = match serde_json::from_str(raw.get()) {
        Ok(g) => g,
        Err(e) => {
            diagnostics.error(
                source,
                lines.inside(raw, &e),
                format!("{label}: the geometry is not a GeoJSON geometry: {e}"),
            );
            return None;
        }
    };
    let Some(coordinates) = geometry.coordinates else {
        diagnostics.error(
            source,
            at,
            format!("{label}: the geometry has no \"coordinates\""),
        );
        return None;
    };
    let parsed: Result<Vec<Vec<Vec<Vec<f64>>>>, serde_json::Error> = match geometry.kind.as_deref()
    {
        Some("Polygon") => {
            serde_json::from_str::<Vec<Vec<Vec<f64>>>>(coordinates.get()).map(|p| vec![p])
        }
        Some("MultiPolygon") => serde_json::from_str(coordinates.get()),
        other => {
            let found = other.map_or_else(|| "no \"type\"".to_string(), |k| format!("\"{k}\""));
            diagnostics.error(
                source,
                at,
                format!(
                    "{label}: found geometry type {found}; expected \"Polygon\" or \"MultiPolygon\""
                ),
            );
            return None;
        }
    };
    let polygons = match parsed {
        Ok(p) => p,
        Err(e) => {
            diagnostics.error(
                source,
                lines.inside(coordinates, &e),
                format!(
                    "{label}: the coordinates are not rings of [longitude, latitude] positions: {e}"
                ),
            );
            return None;
        }
    };
    let coordinates_at = lines.of(coordinates);
    let mut shape: Shape = Vec::with_capacity(polygons.len());
    for (p, polygon) in polygons.into_iter().enumerate() {
        let mut rings: Polygon = Vec::with_capacity(polygon.len());
        for (r, ring) in polygon.into_iter().enumerate() {
            let which = if r == 0 {
                format!("polygon {} outer ring", p + 1)
            } else {
                format!("polygon {} hole {r}", p + 1)
            };
            match read_ring(ring) {
                Ok(points) => rings.push(points),
                Err(problem) => {
                    diagnostics.error(
                        source,
                        coordinates_at,
                        format!("{label}: {which} {problem}"),
                    );
                    return None;
                }
            }
        }
        shape.push(rings);
    }
    if shape.is_empty() {
        diagnostics.error(
            source,
            coordinates_at,
            format!("{label}: the geometry has no polygon"),
        );
        return None;
    }
    Some(shape)
}

/// One ring's positions as points; the problem (after "polygon 1 outer ring") when it has
/// too few positions or one that is not a longitude and latitude near Sweden.
fn read_ring(ring: Vec<Vec<f64>>) -> Result<Ring, String> {
    if ring.len() < 4 {
        return Err(format!(
            "has {} positions; expected at least 4 (a closed ring repeats its first position)",
            ring.len()
        ));
    }
    let mut points: Ring = Vec::with_capacity(ring.len());
    for position in ring {
        let (Some(&lon), Some(&lat)) = (position.first(), position.get(1)) else {
            return Err(format!(
                "has a position with {} numbers; expected [longitude, latitude]",
                position.len()
            ));
        };
        if !LONGITUDES.contains(&lon) || !LATITUDES.contains(&lat) {
            let why = if lon.abs() > 180.0 || lat.abs() > 90.0 {
                "these look like projected coordinates (SWEREF 99 TM?), not degrees; convert the file to WGS 84 longitude and latitude (EPSG:4326), as GeoJSON requires"
            } else {
                "that is far from Sweden; expected WGS 84 longitude (east) first, then latitude (north)"
            };
            return Err(format!("has the position [{lon}, {lat}]: {why}"));
        }
        points.push([lon, lat]);
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::registry;
    use crate::model::{County, Municipality};

    fn registry() -> Registry {
        let counties = vec![County {
            code: "03".into(),
            name: "Uppsala län".into(),
            slug: "uppsala-lan".into(),
        }];
        let municipalities = [("0305", "Håbo"), ("0331", "Heby"), ("0380", "Uppsala")]
            .iter()
            .map(|(code, name)| Municipality {
                code: (*code).into(),
                name: (*name).into(),
                slug: crate::slug::slugify(name),
                county: 0,
                population: 1000,
                population_year: 2024,
            })
            .collect();
        registry::build(counties, municipalities)
    }

    fn square(x: f64) -> String {
        format!(
            "[[[{x},59.5],[{},59.5],[{},60.0],[{x},60.0],[{x},59.5]]]",
            x + 0.5,
            x + 0.5
        )
    }

    fn feature(id: &str, name: &str, x: f64) -> String {
        format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"id\":{id},\"kom_namn\":\"{name}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":{}}}}}",
            square(x)
        )
    }

    fn collection(features: &[String]) -> String {
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
            features.join(",\n")
        )
    }

    fn messages(text: &str) -> (Option<Vec<Shape>>, Vec<String>) {
        let mut d = Diagnostics::new();
        let shapes = shapes_from_text(
            Path::new("geo/municipalities.geojson"),
            text,
            &registry(),
            &mut d,
        );
        (shapes, d.iter().map(|d| d.headline()).collect())
    }

    #[test]
    fn a_matching_file_gives_one_shape_per_municipality_in_registry_order() {
        let text = collection(&[
            feature("\"0380\"", "Uppsala", 17.0),
            feature("\"0305\"", "Håbo", 17.5),
            // A number loses its leading zero; it is padded as in assessments.
            feature("331", "Heby", 16.5),
        ]);
        let (shapes, errors) = messages(&text);
        assert!(errors.is_empty(), "{errors:?}");
        let shapes = shapes.unwrap();
        assert_eq!(shapes.len(), 3);
        assert_eq!(shapes[0][0][0][0], [17.5, 59.5]); // Håbo
        assert_eq!(shapes[1][0][0][0], [16.5, 59.5]); // Heby
    }

    #[test]
    fn missing_unknown_and_repeated_codes_are_named_at_their_place() {
        let text = collection(&[
            feature("\"0380\"", "Uppsala", 17.0),
            feature("\"1917\"", "Heby", 16.5),
            feature("\"0380\"", "Uppsala", 17.0),
            feature("\"0306\"", "Någonstans", 17.5),
        ]);
        let (shapes, errors) = messages(&text);
        assert!(shapes.is_none());
        assert_eq!(
            errors,
            vec![
                "geo/municipalities.geojson:4:38: error: a second feature for municipality code \"0380\" (Uppsala); the first is at line 2; expected one feature per municipality (join its parts in one MultiPolygon)",
                "geo/municipalities.geojson:3:38: error: unknown municipality code \"1917\" (Heby: the registry has Heby as \"0331\"); expected a code of registry/municipalities.csv",
                "geo/municipalities.geojson:5:38: error: unknown municipality code \"0306\" (Någonstans) (did you mean \"0305\"?); expected a code of registry/municipalities.csv",
                "geo/municipalities.geojson:1:40: error: no usable boundary for 2 municipalities of the registry: 0305 (Håbo), 0331 (Heby); expected one Polygon or MultiPolygon feature per municipality, its code in \"properties\": {\"id\": \"...\"}",
            ]
        );
    }

    #[test]
    fn bad_geometry_says_what_was_expected() {
        let point = "{\"type\":\"Feature\",\"properties\":{\"id\":\"0305\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[17,59]}}".to_string();
        let projected = "{\"type\":\"Feature\",\"properties\":{\"id\":\"0331\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[640000,6600000],[650000,6600000],[650000,6610000],[640000,6600000]]]}}".to_string();
        let open = "{\"type\":\"Feature\",\"properties\":{\"id\":\"0380\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[17,59],[18,59],[17,59]]]}}".to_string();
        let (_, errors) = messages(&collection(&[point, projected, open]));
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("2:57: error: feature \"0305\" (Håbo): found geometry type \"Point\"; expected \"Polygon\" or \"MultiPolygon\""), "{}", errors[0]);
        assert!(errors[1].contains("feature \"0331\" (Heby): polygon 1 outer ring has the position [640000, 6600000]: these look like projected coordinates"), "{}", errors[1]);
        assert!(errors[2].contains("feature \"0380\" (Uppsala): polygon 1 outer ring has 3 positions; expected at least 4"), "{}", errors[2]);
        assert!(errors[3].contains("no usable boundary for 3 municipalities"));
    }

    #[test]
    fn broken_json_and_other_documents_are_errors_with_a_place() {
        let (_, errors) = messages("{\"type\":\"FeatureCollection\",\n\"features\":[{]}");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("geo/municipalities.geojson:2:14: error: not valid GeoJSON"),
            "{}",
            errors[0]
        );
        let (_, errors) = messages("{\"type\":\"Feature\"}");
        assert!(errors[0].contains("found type \"Feature\"; expected a GeoJSON FeatureCollection"));
        let (_, errors) = messages("[]");
        assert!(errors[0].contains("not valid GeoJSON"), "{}", errors[0]);
    }

    #[test]
    fn lines_count_crlf_and_lone_cr() {
        let lines = Lines::new("a\r\nbc\rd\né");
        assert_eq!(lines.pos(0), Pos::new(1, 1));
        assert_eq!(lines.pos(4), Pos::new(2, 2));
        assert_eq!(lines.pos(6), Pos::new(3, 1));
        assert_eq!(lines.pos(8), Pos::new(4, 1));
    }
}
