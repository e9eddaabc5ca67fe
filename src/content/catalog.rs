//! Indicator catalogues: `catalogs/<id>.yaml`.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostics::{Diagnostics, Pos, SourceText};
use crate::model::{Area, Catalog, CatalogIndex, Indicator, IndicatorRef, Level, Part};
use crate::suggest;

use super::read::{Fields, Reader};
use super::yaml::Node;

const CATALOG_KEYS: &[&str] = &[
    "id",
    "name",
    "name_en",
    "description",
    "description_en",
    "areas",
];
const AREA_KEYS: &[&str] = &[
    "id",
    "level",
    "name",
    "name_en",
    "short",
    "short_en",
    "indicators",
];
const INDICATOR_KEYS: &[&str] = &["id", "text", "text_en", "part", "replaces"];

/// `replaces` entries as written, kept until every catalogue is known.
pub(crate) struct PendingReplaces {
    pub indicator: usize,
    pub targets: Vec<(String, Pos)>,
}

pub(crate) struct LoadedCatalog {
    pub catalog: Catalog,
    pub replaces: Vec<PendingReplaces>,
    pub id_pos: Pos,
}

/// Reads one catalogue file: its header, then its areas and their indicators in order.
/// `None` when anything in it is wrong (every problem is reported).
pub(crate) fn read(reader: &mut Reader<'_>, root: &Node, path: &Path) -> Option<LoadedCatalog> {
    if root.as_map().is_none() {
        reader.error(
            root.pos,
            format!(
                "found {}; expected a catalogue: lines of key: value with id, name and areas",
                root.describe()
            ),
        );
        return None;
    }
    let fields = reader.fields(root, CATALOG_KEYS, "a catalogue")?;
    let id_node = reader.required(&fields, "id", "the catalogue's id, e.g. id: v3");
    let id = id_node.and_then(|n| read_id(reader, n, path));
    let name = reader
        .required(
            &fields,
            "name",
            "the catalogue's name, e.g. name: eBlomlådan version 3",
        )
        .and_then(|n| reader.text(n, "the catalogue's name"));
    let description =
        reader.optional_text(fields.get("description"), "a description of the catalogue");
    let name_en = reader.optional_text(fields.get("name_en"), "the catalogue's name in English");
    let description_en = reader.optional_text(
        fields.get("description_en"),
        "a description of the catalogue in English",
    );
    let area_nodes = read_area_list(reader, &fields)?;

    let mut collected = Collected::default();
    for area_node in area_nodes {
        collected.area(reader, area_node);
    }
    let Collected {
        areas,
        indicators,
        indicator_by_id,
        replaces,
        complete,
        ..
    } = collected;
    if !complete {
        return None;
    }
    Some(LoadedCatalog {
        catalog: Catalog {
            id: id?,
            name: name?,
            description,
            name_en,
            description_en,
            areas,
            indicators,
            indicator_by_id,
            source: path.to_path_buf(),
        },
        replaces,
        id_pos: id_node.map_or(Pos::START, |n| n.pos),
    })
}

/// The catalogue's `id`, with a warning when it differs from the file's name.
fn read_id(reader: &mut Reader<'_>, node: &Node, path: &Path) -> Option<String> {
    let id = reader.id(node, "a catalogue id")?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem != id {
        reader.warning(
            node.pos,
            format!("the catalogue id \"{id}\" differs from its file name \"{stem}\"; expected catalogs/{id}.yaml"),
        );
    }
    Some(id)
}

/// `areas`: a list with at least one area.
fn read_area_list<'n>(reader: &mut Reader<'_>, fields: &Fields<'n>) -> Option<&'n [Node]> {
    let areas_node = reader.required(
        fields,
        "areas",
        "the list of areas (flowers, grass and soil)",
    )?;
    let Some(area_nodes) = areas_node.as_seq() else {
        reader.error(
            areas_node.pos,
            format!("found {}; expected a list of areas", areas_node.describe()),
        );
        return None;
    };
    if area_nodes.is_empty() {
        reader.error(
            areas_node.pos,
            "found an empty list of areas; expected at least one area",
        );
        return None;
    }
    Some(area_nodes)
}

/// The areas and indicators read so far, and the lines of their ids (for duplicates).
struct Collected {
    areas: Vec<Area>,
    indicators: Vec<Indicator>,
    indicator_by_id: HashMap<String, usize>,
    indicator_lines: HashMap<String, u32>,
    area_lines: HashMap<String, u32>,
    replaces: Vec<PendingReplaces>,
    /// Nothing was left out because it is wrong.
    complete: bool,
}

impl Default for Collected {
    fn default() -> Self {
        Collected {
            areas: Vec::new(),
            indicators: Vec::new(),
            indicator_by_id: HashMap::new(),
            indicator_lines: HashMap::new(),
            area_lines: HashMap::new(),
            replaces: Vec::new(),
            complete: true,
        }
    }
}

impl Collected {
    /// Reads one area and its indicators.
    fn area(&mut self, reader: &mut Reader<'_>, area_node: &Node) {
        let Some(area_fields) = reader.fields(area_node, AREA_KEYS, "an area") else {
            self.complete = false;
            return;
        };
        let area_id = reader
            .required(&area_fields, "id", "the area's id, e.g. id: aldre")
            .and_then(|n| reader.id(n, "an area id"));
        if let (Some(area_id), Some(key)) = (&area_id, area_fields.get("id")) {
            if let Some(line) = self.area_lines.get(area_id) {
                reader.error(key.pos, format!("duplicate area id \"{area_id}\": it is already used on line {line}; expected each area id once"));
                self.complete = false;
            } else {
                self.area_lines.insert(area_id.clone(), key.pos.line);
            }
        }
        let level = reader
            .required(
                &area_fields,
                "level",
                "the area's level: flower, grass or soil",
            )
            .and_then(|n| read_level(reader, n));
        let name = reader
            .required(&area_fields, "name", "the area's name")
            .and_then(|n| reader.text(n, "the area's name"));
        let short = reader.optional_text(area_fields.get("short"), "a short label for the picture");
        let name_en =
            reader.optional_text(area_fields.get("name_en"), "the area's name in English");
        let short_en = reader.optional_text(
            area_fields.get("short_en"),
            "a short label for the picture in English",
        );
        let Some(list_node) =
            reader.required(&area_fields, "indicators", "the area's list of indicators")
        else {
            self.complete = false;
            return;
        };
        let Some(items) = list_node.as_seq() else {
            reader.error(
                list_node.pos,
                format!(
                    "found {}; expected a list of indicators",
                    list_node.describe()
                ),
            );
            self.complete = false;
            return;
        };
        if items.is_empty() {
            reader.error(
                list_node.pos,
                "found an empty list of indicators; expected at least one indicator in every area",
            );
            self.complete = false;
        }
        let start = self.indicators.len();
        let mut area_complete = true;
        for item in items {
            area_complete &= self.indicator(reader, item, level, area_id.as_deref());
        }
        self.complete &= area_complete;
        let (Some(area_id), Some(level), Some(name)) = (area_id, level, name) else {
            self.complete = false;
            return;
        };
        // Only a flower read in full is known to have no petal.
        let own = &self.indicators[start..];
        if area_complete
            && level == Level::Flower
            && own.iter().all(|i| i.part == Part::Leaf)
            && !own.is_empty()
        {
            reader.warning(list_node.pos, format!("the flower \"{area_id}\" has only leaves; expected at least one petal so that the flower has a head"));
        }
        self.areas.push(Area {
            id: area_id,
            level,
            name,
            short,
            name_en,
            short_en,
            indicators: start..self.indicators.len(),
        });
    }

    /// Reads one indicator of the area being read (whose level and id are known when they
    /// are right); false when it is left out because it is wrong.
    fn indicator(
        &mut self,
        reader: &mut Reader<'_>,
        item: &Node,
        level: Option<Level>,
        area_id: Option<&str>,
    ) -> bool {
        let Some(ind_fields) = reader.fields(item, INDICATOR_KEYS, "an indicator") else {
            return false;
        };
        let ind_id = reader
            .required(&ind_fields, "id", "the indicator's id, e.g. id: aldre-1")
            .and_then(|n| reader.id(n, "an indicator id"));
        let text = reader
            .required(&ind_fields, "text", "the indicator's text")
            .and_then(|n| reader.text(n, "the indicator's text"));
        let text_en =
            reader.optional_text(ind_fields.get("text_en"), "the indicator's text in English");
        let part = match ind_fields.get("part") {
            None => Some(Part::Petal),
            Some(n) => read_part(reader, n, level, area_id),
        };
        let targets = ind_fields
            .get("replaces")
            .map(|n| reader.text_list(n, "an indicator id of an earlier catalogue"))
            .unwrap_or_default();
        let (Some(ind_id), Some(text), Some(part)) = (ind_id, text, part) else {
            return false;
        };
        if let Some(line) = self.indicator_lines.get(&ind_id) {
            let pos = ind_fields.get("id").map_or(item.pos, |n| n.pos);
            reader.error(pos, format!("duplicate indicator id \"{ind_id}\": it is already used on line {line}; expected ids that are unique within the catalogue"));
            return false;
        }
        self.indicator_lines.insert(
            ind_id.clone(),
            ind_fields.get("id").map_or(0, |n| n.pos.line),
        );
        let index = self.indicators.len();
        if !targets.is_empty() {
            self.replaces.push(PendingReplaces {
                indicator: index,
                targets,
            });
        }
        self.indicator_by_id.insert(ind_id.clone(), index);
        self.indicators.push(Indicator {
            id: ind_id,
            text,
            text_en,
            part,
            area: self.areas.len(),
            replaces: Vec::new(),
        });
        true
    }
}

/// An area's `level`: flower, grass or soil (with a hint for the Swedish words).
fn read_level(reader: &mut Reader<'_>, n: &Node) -> Option<Level> {
    let word = reader.text(n, "a level: flower, grass or soil")?;
    match word.as_str() {
        "flower" => Some(Level::Flower),
        "grass" => Some(Level::Grass),
        "soil" => Some(Level::Soil),
        other => {
            let options = ["flower", "grass", "soil"];
            let hint = match other.to_lowercase().as_str() {
                "blomma" | "blommor" | "blomman" => " (did you mean \"flower\"?)".to_string(),
                "gräs" | "gräset" => " (did you mean \"grass\"?)".to_string(),
                "jord" | "jorden" | "mylla" => " (did you mean \"soil\"?)".to_string(),
                _ => suggest::did_you_mean(other, options),
            };
            reader.error(
                n.pos,
                format!(
                    "unknown level \"{other}\"{hint}; expected {}",
                    suggest::one_of(&options)
                ),
            );
            None
        }
    }
}

/// An indicator's `part`: petal, or leaf (in flower areas only).
fn read_part(
    reader: &mut Reader<'_>,
    n: &Node,
    level: Option<Level>,
    area_id: Option<&str>,
) -> Option<Part> {
    let word = reader.text(n, "a part: petal or leaf");
    match word.as_deref() {
        Some("petal") => Some(Part::Petal),
        Some("leaf") => match level {
            Some(other @ (Level::Grass | Level::Soil)) => {
                reader.error(n.pos, format!("found part: leaf in the {} area{}; expected leaves only in flower areas (leave `part` out here)", other.as_str(), area_id.map_or(String::new(), |id| format!(" \"{id}\""))));
                None
            }
            _ => Some(Part::Leaf),
        },
        Some(other) => {
            let hint = match other.to_lowercase().as_str() {
                "blad" | "kronblad" => " (did you mean \"petal\"?)".to_string(),
                "löv" | "stjälk" => " (did you mean \"leaf\"?)".to_string(),
                _ => suggest::did_you_mean(other, ["petal", "leaf"]),
            };
            reader.error(
                n.pos,
                format!("unknown part \"{other}\"{hint}; expected \"petal\" or \"leaf\""),
            );
            None
        }
        None => None,
    }
}

/// Resolves `replaces` once every catalogue is loaded. A target is `id` (unique among the
/// other catalogues) or `catalog/id`.
pub(crate) fn resolve_replaces(
    loaded: &mut [LoadedCatalog],
    texts: &[(std::path::PathBuf, String)],
    diagnostics: &mut Diagnostics,
) {
    let mut resolved: Vec<(usize, usize, Vec<IndicatorRef>)> = Vec::new();
    for (ci, entry) in loaded.iter().enumerate() {
        let source = SourceText {
            path: &texts[ci].0,
            text: &texts[ci].1,
        };
        for pending in &entry.replaces {
            let refs = pending
                .targets
                .iter()
                .filter_map(|(target, pos)| {
                    resolve_target(loaded, ci, target)
                        .map_err(|message| diagnostics.error(&source, *pos, message))
                        .ok()
                })
                .collect();
            resolved.push((ci, pending.indicator, refs));
        }
    }
    for (ci, ii, refs) in resolved {
        loaded[ci].catalog.indicators[ii].replaces = refs;
    }
}

/// The indicator that `target` (`id` or `catalog/id`) in a `replaces` of catalogue `ci` names,
/// or why it names none.
fn resolve_target(
    loaded: &[LoadedCatalog],
    ci: usize,
    target: &str,
) -> Result<IndicatorRef, String> {
    let own_id = loaded[ci].catalog.id.as_str();
    let (wanted_catalog, wanted_id) = match target.split_once('/') {
        Some((c, i)) => (Some(c), i),
        None => (None, target),
    };
    if wanted_catalog == Some(own_id) {
        return Err(format!(
            "found \"{target}\" in replaces, an indicator of this same catalogue; expected an indicator of an earlier catalogue"
        ));
    }
    if let Some(wanted) = wanted_catalog
        && !loaded.iter().any(|other| other.catalog.id == wanted)
    {
        return Err(unknown_catalogue(loaded, own_id, target, wanted, wanted_id));
    }
    // The other catalogues the target may be in.
    let searched = || {
        loaded.iter().enumerate().filter(move |(oi, other)| {
            *oi != ci && wanted_catalog.is_none_or(|w| w == other.catalog.id)
        })
    };
    // Each match with its catalogue's id, for the message when there are several.
    let matches: Vec<(&str, IndicatorRef)> = searched()
        .filter_map(|(oi, other)| {
            let &ii = other.catalog.indicator_by_id.get(wanted_id)?;
            let found = IndicatorRef {
                catalog: CatalogIndex::new(oi),
                indicator: ii,
            };
            Some((other.catalog.id.as_str(), found))
        })
        .collect();
    match matches.as_slice() {
        [(_, one)] => Ok(*one),
        [] => {
            let candidates: Vec<&str> = searched()
                .flat_map(|(_, o)| o.catalog.indicators.iter().map(|i| i.id.as_str()))
                .collect();
            Err(unknown_indicator(
                target,
                wanted_catalog,
                wanted_id,
                &candidates,
            ))
        }
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|(catalog, _)| format!("{catalog}/{wanted_id}"))
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            Err(format!(
                "found \"{target}\" in replaces, an indicator of several catalogues; expected one of them as catalog/id: {}",
                suggest::one_of(&names)
            ))
        }
    }
}

/// The message for a `replaces` target whose catalogue (`wanted`) is not loaded.
fn unknown_catalogue(
    loaded: &[LoadedCatalog],
    own_id: &str,
    target: &str,
    wanted: &str,
    wanted_id: &str,
) -> String {
    let others: Vec<&str> = loaded
        .iter()
        .filter(|o| o.catalog.id != own_id)
        .map(|o| o.catalog.id.as_str())
        .collect();
    let hint = suggest::closest(wanted, others.iter().copied()).map_or(String::new(), |c| {
        format!(" (did you mean \"{c}/{wanted_id}\"?)")
    });
    let expected = if others.is_empty() {
        "no other catalogue is loaded; expected replaces only in a catalogue that follows another one".to_string()
    } else {
        format!(
            "expected catalog/id with the catalogue {}",
            suggest::one_of(&others)
        )
    };
    format!("unknown catalogue \"{wanted}\" in \"{target}\"{hint}; {expected}")
}

/// The message for a `replaces` target that no searched catalogue has; `candidates` are the
/// ids of their indicators.
fn unknown_indicator(
    target: &str,
    wanted_catalog: Option<&str>,
    wanted_id: &str,
    candidates: &[&str],
) -> String {
    let hint =
        suggest::closest(wanted_id, candidates.iter().copied()).map_or(String::new(), |near| {
            match wanted_catalog {
                Some(c) => format!(" (did you mean \"{c}/{near}\"?)"),
                None => format!(" (did you mean \"{near}\"?)"),
            }
        });
    let within = wanted_catalog.map_or("no other catalogue has it".to_string(), |c| {
        format!("catalogue \"{c}\" has no indicator \"{wanted_id}\"")
    });
    format!(
        "unknown indicator \"{target}\" in replaces: {within}{hint}; expected the id of the indicator of an earlier catalogue that this one continues, as id or catalog/id"
    )
}
