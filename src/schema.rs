//! The JSON Schema of the assessment format, for editors and other tools.
//!
//! The shape comes from a schema-only Rust type through `schemars`; the ids of the loaded
//! catalogues are then added so that editors can complete indicator ids.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde_json::{Value, json};

use crate::model::Catalog;

/// A municipality's registry code: text such as "0180", or a number that is zero-padded to
/// four digits.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum MunicipalityCode {
    Text(String),
    Number(u32),
}

/// An answer: helt (fully met, green), delvis (partly, yellow), inte (not at all, red). Leave
/// the value empty for an unanswered indicator (grey).
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum AnswerWord {
    Helt,
    Delvis,
    Inte,
}

/// One municipality's eBlomlådan self-assessment for one year.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, title = "eBlomlådan assessment")]
#[allow(dead_code)]
struct AssessmentFile {
    /// The municipality's code in the registry, e.g. "1881" (Kumla).
    municipality: MunicipalityCode,
    /// The year assessed.
    #[schemars(range(min = 1990, max = 2100))]
    year: u16,
    /// The id of the indicator catalogue answered, e.g. v3.
    catalog: String,
    /// The date the assessment was published (YYYY-MM-DD). Without it the assessment is a
    /// draft and is not published.
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    published: Option<String>,
    /// Indicator id → answer.
    answers: BTreeMap<String, Option<AnswerWord>>,
    /// A summary in Markdown, shown on the municipality's page.
    summary: Option<String>,
    /// Indicator id → a comment in Markdown.
    comments: Option<BTreeMap<String, Option<String>>>,
}

/// The schema, pretty-printed, with the catalogues' ids as the allowed keys.
pub(crate) fn assessment_schema(catalogs: &[Catalog], schema_url: Option<&str>) -> String {
    let schema = schemars::schema_for!(AssessmentFile);
    let mut value: Value = schema.to_value();
    let catalog_ids: Vec<&str> = catalogs.iter().map(|c| c.id.as_str()).collect();
    let mut indicator_ids: Vec<&str> = catalogs
        .iter()
        .flat_map(|c| c.indicators.iter().map(|i| i.id.as_str()))
        .collect();
    indicator_ids.sort_unstable();
    indicator_ids.dedup();
    if let Some(object) = value.as_object_mut() {
        if let Some(url) = schema_url {
            object.insert("$id".into(), json!(url));
        }
        if let Some(props) = object.get_mut("properties").and_then(Value::as_object_mut) {
            if let Some(catalog) = props.get_mut("catalog").and_then(Value::as_object_mut) {
                catalog.insert("enum".into(), json!(catalog_ids));
            }
            for key in ["answers", "comments"] {
                if let Some(map) = props.get_mut(key).and_then(Value::as_object_mut) {
                    map.insert("propertyNames".into(), json!({ "enum": indicator_ids }));
                }
            }
        }
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_lists_answers_and_required_keys() {
        let text = assessment_schema(&[], None);
        let value: Value = serde_json::from_str(&text).unwrap();
        let required: Vec<&str> = value["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(required.contains(&"municipality") && required.contains(&"answers"));
        assert!(text.contains("\"delvis\""));
        assert_eq!(value["additionalProperties"], json!(false));
    }
}
