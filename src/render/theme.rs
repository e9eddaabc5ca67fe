//! A theme: templates, translations and static files, loaded once per build.
//!
//! ```text
//! themes/default/
//!   templates/*.html|*.xml|*.txt   minijinja templates (strict: an undefined name is an error)
//!   i18n/sv.yaml, i18n/en.yaml     every UI text, by key
//!   static/**                      copied as they are to the root of the output
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use crate::content::yaml;
use crate::diagnostics::{self, Diagnostics, Pos, SourceText};
use crate::model::Language;

use super::{escape, format};

pub struct Theme {
    pub env: Environment<'static>,
    pub translations: BTreeMap<String, String>,
    /// Files under `static/`, relative paths with `/`, and their bytes.
    pub static_files: Vec<(String, Vec<u8>)>,
    pub dir: PathBuf,
}

impl Theme {
    /// The UI text for a key, or the key itself (templates are checked for missing keys).
    pub(crate) fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.translations.get(key).map_or(key, String::as_str)
    }
}

#[cfg(test)]
impl Theme {
    /// A theme without templates, words or files: enough for tests of what pages hold.
    pub(crate) fn empty() -> Theme {
        Theme {
            env: Environment::new(),
            translations: BTreeMap::new(),
            static_files: Vec::new(),
            dir: PathBuf::new(),
        }
    }
}

/// The theme's words as templates see them (`t.key`, `t["level_" ~ level]`): a hash map of
/// ready values, as every page looks up dozens of them and a serialised map would compare
/// keys in order for each.
#[derive(Debug)]
struct Words(HashMap<String, Value>);

impl Words {
    fn new(translations: &BTreeMap<String, String>) -> Self {
        Words(
            translations
                .iter()
                .map(|(key, text)| (key.clone(), Value::from(text.as_str())))
                .collect(),
        )
    }
}

impl Object for Words {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_str()?).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<&String> = self.0.keys().collect();
        keys.sort();
        Enumerator::Values(keys.into_iter().map(|k| Value::from(k.as_str())).collect())
    }
}

fn escape_for(name: &str) -> AutoEscape {
    // minijinja escapes only .html and .xml by default; pictures are markup too.
    if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".svg") {
        AutoEscape::Html
    } else {
        AutoEscape::None
    }
}

/// The entity of one of the bytes `escape::escape_with` replaces.
fn html_entity(b: u8) -> &'static str {
    match b {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        _ => "&#39;",
    }
}

/// Like minijinja's own formatter, but leaves `/` alone: escaping it is not needed in HTML or
/// XML, and `&#x2f;` in every link makes pages larger and harder to read. In markup it also
/// drops the code points a page or feed cannot hold, so that a stray control character in
/// content can't make the output invalid.
fn write_value(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let text = value
        .as_str()
        .filter(|_| !matches!(state.auto_escape(), AutoEscape::None));
    let Some(text) = text else {
        return minijinja::escape_formatter(out, state, value);
    };
    if matches!(state.auto_escape(), AutoEscape::Html) {
        let written = if value.is_safe() {
            out.write_str(&escape::without_forbidden(text))
        } else {
            write_markup_text(text, |part| out.write_str(part))
        };
        return written.map_err(minijinja::Error::from);
    }
    // Any other escaping (none of this theme's templates asks for one) is minijinja's own,
    // of the cleaned text.
    let cleaned = escape::without_forbidden(text).into_owned();
    let cleaned = if value.is_safe() {
        Value::from_safe_string(cleaned)
    } else {
        Value::from(cleaned)
    };
    minijinja::escape_formatter(out, state, &cleaned)
}

/// Writes `text` as HTML text or an attribute value: the code points markup cannot hold
/// dropped, `& < > " '` escaped. Most text needs neither, which one vectorised scan says.
fn write_markup_text<E>(text: &str, mut write: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    if !escape::may_need_escaping(text) {
        return write(text);
    }
    escape::escape_with(&escape::without_forbidden(text), html_entity, write)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}

fn rel_string(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn load_translations(
    dir: &Path,
    language: Language,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let path = dir.join("i18n").join(format!("{}.yaml", language.code()));
    let mut map = BTreeMap::new();
    let text = match std::fs::read(&path) {
        Ok(bytes) => match yaml::decode(&bytes) {
            Ok(t) => t.to_string(),
            Err(e) => {
                diagnostics.file_error(&path, e.pos, e.message);
                return map;
            }
        },
        Err(e) => {
            diagnostics.file_error(
                &path,
                Pos::START,
                format!("cannot read the translations: {e}"),
            );
            return map;
        }
    };
    let source = SourceText {
        path: &path,
        text: &text,
    };
    match yaml::parse(&text) {
        Ok(node) => match node.as_map() {
            Some(entries) => {
                for (key, value) in entries {
                    match value.as_text() {
                        Some(v) => {
                            map.insert(key.name.clone(), v.into_owned());
                        }
                        None => diagnostics.error(
                            &source,
                            value.pos,
                            format!(
                                "found {} for \"{}\"; expected a text",
                                value.describe(),
                                key.name
                            ),
                        ),
                    }
                }
            }
            None => diagnostics.error(&source, node.pos, "expected a mapping from key to text"),
        },
        Err(e) => diagnostics.error(&source, e.pos, e.message),
    }
    map
}

/// The line and column of a template error: from its byte offset in the template's text
/// when both are known, else the start of its line.
pub(crate) fn template_pos(
    source: Option<&SourceText<'_>>,
    line: Option<usize>,
    offset: Option<usize>,
) -> Pos {
    let before = source.zip(offset).and_then(|(s, at)| s.text.get(..at));
    match before {
        Some(before) => diagnostics::position_after(before),
        None => Pos::new(line.unwrap_or(1) as u64, 1),
    }
}

/// `text` for HTML text or an attribute value, as the formatter writes it ([`write_value`]):
/// the code points markup cannot hold dropped, `& < > " '` escaped.
fn markup_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = write_markup_text(text, |part| {
        out.push_str(part);
        Ok::<(), ()>(())
    });
    out
}

/// An error for a word the theme's translations lack.
fn missing_word(key: &str) -> minijinja::Error {
    minijinja::Error::new(
        minijinja::ErrorKind::UndefinedError,
        format!("the word {key} is missing from the theme's translations"),
    )
}

/// Filters that write small pieces of markup used in every row of the large tables and in
/// every area of a page: a macro call costs far more than a filter, and these ran some 150
/// times a page. (The macros `m.lang`, `m.share` and `m.bar` call them, for themes that use
/// those.)
///
/// - `code|lang_attr`: ` lang="code"` for a text that is not in the page's language, nothing
///   when `code` is none or empty.
/// - `share|share`: a share as a percentage (like `pct`), or a muted dash titled with the
///   word `no_answers` when the share is none (nobody answered).
/// - `tally|bar(label)`: a tally (`helt`, `delvis`, `inte`, `obesvarad` and their `shares`)
///   as a stacked bar, its counts in words (`word_helt` …) for screen readers, after the
///   label when there is one.
fn add_markup_filters(
    env: &mut Environment<'static>,
    translations: &BTreeMap<String, String>,
    language: Language,
) {
    env.add_filter("lang_attr", |code: Option<String>| match code {
        Some(code) if !code.is_empty() => {
            Value::from_safe_string(format!(" lang=\"{}\"", markup_text(&code)))
        }
        _ => Value::from(""),
    });
    let no_answers = translations.get("no_answers").map(|word| {
        format!(
            "<span class=\"muted\" title=\"{}\">–</span>",
            markup_text(word)
        )
    });
    env.add_filter(
        "share",
        move |share: Option<f64>| -> Result<Value, minijinja::Error> {
            match (share, &no_answers) {
                (Some(share), _) => Ok(Value::from(format::percent(share, language))),
                (None, Some(dash)) => Ok(Value::from_safe_string(dash.clone())),
                (None, None) => Err(missing_word("no_answers")),
            }
        },
    );
    const ANSWERS: [&str; 4] = ["helt", "delvis", "inte", "obesvarad"];
    let words: Vec<Option<String>> = ANSWERS
        .iter()
        .map(|a| {
            translations
                .get(&format!("word_{a}"))
                .map(|w| markup_text(w))
        })
        .collect();
    env.add_filter(
        "bar",
        move |tally: Value, label: Option<Value>| -> Result<Value, minijinja::Error> {
            let number = |value: Value| -> Result<f64, minijinja::Error> { f64::try_from(value) };
            let shares = tally.get_attr("shares")?;
            let mut out = String::with_capacity(400);
            out.push_str("<span class=\"bar\" role=\"img\" aria-label=\"");
            if let Some(label) = label.filter(Value::is_true) {
                let text = label.to_string();
                out.push_str(&markup_text(&text));
                out.push_str(": ");
            }
            for (i, answer) in ANSWERS.iter().enumerate() {
                let count = number(tally.get_attr(answer)?)?;
                // Unanswered indicators are named only when there are some.
                if *answer == "obesvarad" && count == 0.0 {
                    continue;
                }
                let word = words[i]
                    .as_deref()
                    .ok_or_else(|| missing_word(&format!("word_{answer}")))?;
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&format::integer(count as u64, language));
                out.push(' ');
                out.push_str(word);
            }
            out.push_str("\">");
            for answer in ANSWERS {
                let share = number(shares.get_attr(answer)?)?;
                if share > 0.0 {
                    out.push_str(&format!(
                        "<span class=\"seg seg-{answer}\" style=\"width: {:.2}%\"></span>",
                        share * 100.0
                    ));
                }
            }
            out.push_str("</span>");
            Ok(Value::from_safe_string(out))
        },
    );
}

/// Loads a theme for a language. Template syntax errors and unreadable files are reported.
pub(crate) fn load(dir: &Path, language: Language, diagnostics: &mut Diagnostics) -> Option<Theme> {
    if !dir.is_dir() {
        diagnostics.file_error(
            dir,
            Pos::START,
            "the theme folder does not exist; expected templates/, i18n/ and static/",
        );
        return None;
    }
    let errors_before = diagnostics.error_count();
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(escape_for);
    env.set_formatter(write_value);
    match minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
    {
        Ok(syntax) => env.set_syntax(syntax),
        Err(e) => diagnostics.file_error(dir, Pos::START, format!("template syntax settings: {e}")),
    }
    env.add_filter("pct", move |share: f64| format::percent(share, language));
    env.add_filter("num", move |value: u64| format::integer(value, language));
    env.add_filter("dec", move |value: f64| format::decimal(value, language));
    env.add_filter("pp", format::points_difference);
    let language_key = Value::from(language.code());
    env.add_function(
        "reuse_each",
        move |state: &mut minijinja::State<'_, '_>,
              make: Value,
              values: Value,
              args: minijinja::value::Rest<Value>| {
            super::reuse::reuse_each(state, &language_key, make, values, args)
        },
    );

    let templates_dir = dir.join("templates");
    for rel in files_under(&templates_dir) {
        let path = templates_dir.join(&rel);
        let name = rel_string(&rel);
        match std::fs::read_to_string(&path) {
            Ok(source) => {
                if let Err(e) = env.add_template_owned(name.clone(), source.clone()) {
                    let text = SourceText {
                        path: &path,
                        text: &source,
                    };
                    let pos = template_pos(Some(&text), e.line(), e.range().map(|r| r.start));
                    diagnostics.error(
                        &text,
                        pos,
                        format!(
                            "template error: {}",
                            e.detail().unwrap_or("invalid template")
                        ),
                    );
                }
            }
            Err(e) => {
                diagnostics.file_error(&path, Pos::START, format!("cannot read the template: {e}"))
            }
        }
    }
    let translations = load_translations(dir, language, diagnostics);
    add_markup_filters(&mut env, &translations, language);
    env.add_global("t", Value::from_object(Words::new(&translations)));
    env.add_global("lang", language.code());

    let static_dir = dir.join("static");
    let mut static_files = Vec::new();
    for rel in files_under(&static_dir) {
        match std::fs::read(static_dir.join(&rel)) {
            Ok(bytes) => static_files.push((rel_string(&rel), bytes)),
            Err(e) => diagnostics.file_error(
                &static_dir.join(&rel),
                Pos::START,
                format!("cannot read the file: {e}"),
            ),
        }
    }
    (diagnostics.error_count() == errors_before).then(|| Theme {
        env,
        translations,
        static_files,
        dir: dir.to_path_buf(),
    })
}

#[cfg(test)]
mod words_tests {
    use super::*;

    fn render(template: &str) -> Result<String, minijinja::Error> {
        let translations = BTreeMap::from([
            ("nation".to_string(), "Riket".to_string()),
            ("level_1".to_string(), "Nivå 1".to_string()),
        ]);
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_global("t", Value::from_object(Words::new(&translations)));
        env.render_str(template, ())
    }

    #[test]
    fn words_are_found_by_attribute_and_by_computed_key() {
        assert_eq!(
            render("{{ t.nation }}, {{ t['level_' ~ 1] }}").unwrap(),
            "Riket, Nivå 1"
        );
        assert_eq!(render("{{ t|list|join(',') }}").unwrap(), "level_1,nation");
    }

    #[test]
    fn a_missing_word_is_an_error() {
        let err = render("{{ t.natoin }}").unwrap_err();
        assert_eq!(err.kind(), minijinja::ErrorKind::UndefinedError);
        assert!(render("{{ t[3] }}").is_err());
    }
}

#[cfg(test)]
mod markup_filter_tests {
    use super::*;

    fn render(template: &str, words: &[(&str, &str)]) -> Result<String, minijinja::Error> {
        let translations: BTreeMap<String, String> = words
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(escape_for);
        add_markup_filters(&mut env, &translations, Language::Sv);
        env.add_template_owned("t.html", template.to_string())?;
        env.get_template("t.html")?.render(minijinja::context! {
            none => Value::from(()),
            sv => "sv",
            odd => "x\"y",
            half => 0.5,
            tally => minijinja::context! {
                helt => 3, delvis => 1, inte => 0, obesvarad => 0,
                shares => minijinja::context! { helt => 0.75, delvis => 0.25, inte => 0.0, obesvarad => 0.0 },
            },
            unanswered => minijinja::context! {
                helt => 1000, delvis => 0, inte => 0, obesvarad => 1,
                shares => minijinja::context! { helt => 0.999, delvis => 0.0, inte => 0.0, obesvarad => 0.001 },
            },
        })
    }

    #[test]
    fn the_formatter_escapes_and_cleans_markup_and_leaves_plain_text() {
        let mut env = Environment::new();
        env.set_auto_escape_callback(escape_for);
        env.set_formatter(write_value);
        let template = "{{ plain }}|{{ markup }}|{{ control }}|{{ both }}|{{ safe }}|{{ n }}";
        for name in ["t.html", "t.svg", "t.txt"] {
            env.add_template_owned(name, template.to_string()).unwrap();
        }
        let ctx = minijinja::context! {
            plain => "Äldre · omsorg / vård",
            markup => "a<b & \"c\" 'd'",
            control => "a\u{7}b\u{85}c",
            both => "<\u{0}>",
            safe => Value::from_safe_string("<b>\u{1}</b>".into()),
            n => 42,
        };
        let html = env.get_template("t.html").unwrap().render(&ctx).unwrap();
        assert_eq!(
            html,
            "Äldre · omsorg / vård|a&lt;b &amp; &quot;c&quot; &#39;d&#39;|abc|&lt;&gt;|<b></b>|42"
        );
        assert_eq!(
            env.get_template("t.svg").unwrap().render(&ctx).unwrap(),
            html
        );
        // Plain text is written as it is.
        assert_eq!(
            env.get_template("t.txt").unwrap().render(&ctx).unwrap(),
            "Äldre · omsorg / vård|a<b & \"c\" 'd'|a\u{7}b\u{85}c|<\u{0}>|<b>\u{1}</b>|42"
        );
    }

    #[test]
    fn lang_attr_is_written_only_for_a_language() {
        let page = render(
            "<p{{ sv|lang_attr }}>a</p><p{{ none|lang_attr }}>b</p><p{{ ''|lang_attr }}>c</p><p{{ odd|lang_attr }}>d</p>",
            &[],
        )
        .unwrap();
        assert_eq!(
            page,
            "<p lang=\"sv\">a</p><p>b</p><p>c</p><p lang=\"x&quot;y\">d</p>"
        );
    }

    #[test]
    fn share_is_a_percentage_or_a_titled_dash() {
        let words = [("no_answers", "Inga svar <än>")];
        assert_eq!(
            render("{{ half|share }} {{ none|share }}", &words).unwrap(),
            "50\u{a0}% <span class=\"muted\" title=\"Inga svar &lt;än&gt;\">–</span>"
        );
        // Without the word a missing share is an error, as `t.no_answers` was in the macro.
        assert!(render("{{ none|share }}", &[]).is_err());
        assert_eq!(render("{{ half|share }}", &[]).unwrap(), "50\u{a0}%");
    }

    const ANSWER_WORDS: [(&str, &str); 4] = [
        ("word_helt", "helt"),
        ("word_delvis", "delvis"),
        ("word_inte", "inte"),
        ("word_obesvarad", "obesvarade"),
    ];

    #[test]
    fn bar_draws_the_answered_segments_and_says_the_counts() {
        assert_eq!(
            render("{{ tally|bar('Äldre & omsorg') }}", &ANSWER_WORDS).unwrap(),
            "<span class=\"bar\" role=\"img\" aria-label=\"Äldre &amp; omsorg: 3 helt, 1 delvis, 0 inte\">\
             <span class=\"seg seg-helt\" style=\"width: 75.00%\"></span>\
             <span class=\"seg seg-delvis\" style=\"width: 25.00%\"></span></span>"
        );
        // Unanswered indicators are counted when there are some; no label, no colon.
        assert_eq!(
            render("{{ unanswered|bar }}", &ANSWER_WORDS).unwrap(),
            "<span class=\"bar\" role=\"img\" aria-label=\"1\u{a0}000 helt, 0 delvis, 0 inte, 1 obesvarade\">\
             <span class=\"seg seg-helt\" style=\"width: 99.90%\"></span>\
             <span class=\"seg seg-obesvarad\" style=\"width: 0.10%\"></span></span>"
        );
        assert!(render("{{ tally|bar }}", &ANSWER_WORDS[..2]).is_err());
        assert!(render("{{ half|bar }}", &ANSWER_WORDS).is_err());
    }
}
