//! Markup made once and written into many pages.
//!
//! A row of a municipality's answers table is the same in every page of its year and
//! language with the same answer and change (at 10 000 municipalities, 88 rows a page on
//! 40 000 pages); an indicator page lists every municipality of a year by its answer, each
//! the same link on all 88 indicator pages. The template writes such a list with
//! `reuse_each`:
//!
//! ```jinja
//! {% macro answer_row(row, root, has_previous) %}<tr>…</tr>
//! {% endmacro %}
//! {{ reuse_each(answer_row, area.indicators, common.root, page.previous is not none) }}
//! ```
//!
//! `reuse_each(macro, values, args…)` writes `macro(value, args…)` for each of `values`. When a
//! value is [`Reusable`] (the site hands such values to templates where many pages share
//! them), the markup is kept with it, by the other arguments, and written again wherever the
//! same value comes with the same arguments. Any other value is written by the macro each
//! time, so a list may hold shared and page-own values alike. One call writes the whole list:
//! a call for each value costs the engine more than the markup it saves.
//!
//! The markup is kept by the theme's language too, so the macro's markup must depend only on
//! its arguments and on what is the same for the whole site in one language (the theme's
//! words, `lang`): it is the one rule a theme author has to keep, and the tests compare the
//! pages written with and without reuse.
//!
//! A page rendered under a stop signal ([`stopping_on`]: `watch` and `serve` while a change
//! waits) fails at its next write once the signal is set. A list is one write, made whole
//! before it (at 10 000 municipalities, an indicator page's lists take some 50 ms the first
//! time after a change), so `reuse_each` looks at the signal itself as it goes.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use minijinja::value::{Enumerator, Object, ObjectRepr, Rest};
use minijinja::{AutoEscape, Error, ErrorKind, State, Value};

use super::site::STOPPED;

/// A template value many pages share, with the markup made from it: by the other arguments
/// of `reuse_each`, the markup the macro wrote for them. A value reads like the map it wraps.
#[derive(Debug)]
pub(crate) struct Reusable {
    fields: Value,
    /// By language and the other arguments: a handful (the languages, a page's depth below
    /// the root, whether it has an earlier year), and never more than [`KEPT_PER_VALUE`].
    /// Each slot is set once and then only read: pages on every thread read the same rows,
    /// and reading takes no lock and writes nothing they share.
    markup: [OnceLock<Kept>; KEPT_PER_VALUE],
}

/// Markup kept for one set of arguments (whether it was made for markup, in a template that
/// escapes; the language; the macro's other arguments), and the text the macro wrote.
#[derive(Debug)]
struct Kept {
    arguments: Vec<Value>,
    text: String,
}

/// The most sets of arguments a value keeps markup for. A template that passes something of
/// each page's own (against the rule above) then costs a macro call a value, as without
/// reuse, instead of a list that grows with every page and is searched for each.
const KEPT_PER_VALUE: usize = 8;

impl Reusable {
    /// `fields` as a value whose markup `reuse_each` keeps.
    pub(crate) fn value(fields: Value) -> Value {
        Value::from_object(Reusable {
            fields,
            markup: Default::default(),
        })
    }

    /// The markup kept for `key`, if any.
    fn kept(&self, key: &[Value]) -> Option<&str> {
        self.markup
            .iter()
            .map_while(OnceLock::get)
            .find(|kept| kept.arguments.as_slice() == key)
            .map(|kept| kept.text.as_str())
    }

    /// Keeps `text` for `key` in the first free slot, unless it is kept already (two
    /// threads may both make it; then both slots hold the same text).
    fn keep(&self, key: &[Value], text: &str) {
        for slot in &self.markup {
            match slot.get() {
                Some(kept) if kept.arguments.as_slice() == key => return,
                Some(_) => {}
                None => {
                    let kept = Kept {
                        arguments: key.to_vec(),
                        text: text.to_owned(),
                    };
                    if slot.set(kept).is_ok() {
                        return;
                    }
                }
            }
        }
    }

    /// How many sets of arguments it keeps markup for.
    #[cfg(test)]
    fn kept_count(&self) -> usize {
        self.markup.iter().map_while(OnceLock::get).count()
    }
}

impl Object for Reusable {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.fields.get_item(key).ok().filter(|v| !v.is_undefined())
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.fields.get_attr(key).ok().filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.fields.try_iter() {
            Ok(keys) => Enumerator::Values(keys.collect()),
            Err(_) => Enumerator::Empty,
        }
    }
}

thread_local! {
    /// The stop signal of the page this thread renders, if it has one.
    static STOP: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// How many values `reuse_each` writes between two looks at the stop signal.
const VALUES_BETWEEN_LOOKS: usize = 64;

/// Runs `render` with `stop` as the stop signal of the `reuse_each` calls it makes on this
/// thread (the one before it again afterwards).
pub(crate) fn stopping_on<R>(stop: &Arc<AtomicBool>, render: impl FnOnce() -> R) -> R {
    /// Puts the signal before back, also when `render` panics.
    struct Restore(Option<Arc<AtomicBool>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let before = self.0.take();
            STOP.with_borrow_mut(|stop| *stop = before);
        }
    }
    let _restore = Restore(STOP.with_borrow_mut(|s| s.replace(Arc::clone(stop))));
    render()
}

/// An error when this thread's page is to stop ([`stopping_on`]).
fn given_way() -> Result<(), Error> {
    let stopped = STOP.with_borrow(|stop| stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed)));
    if stopped {
        return Err(Error::new(ErrorKind::InvalidOperation, STOPPED));
    }
    Ok(())
}

/// The template function `reuse_each(macro, values, args…)` (see the module's
/// documentation), in the theme of `language` (a language's code): `macro(value, args…)` for
/// each of `values`, written one after the other. The markup is kept by language and
/// arguments, as some shared values are shared by the site's languages too and a macro may
/// use the theme's words. In markup the macro's output must be markup (a macro's is);
/// anything else is an error rather than text written unescaped.
pub(crate) fn reuse_each(
    state: &mut State<'_, '_>,
    language: &Value,
    make: Value,
    values: Value,
    args: Rest<Value>,
) -> Result<Value, Error> {
    let markup = !matches!(state.auto_escape(), AutoEscape::None);
    // Markup made where it is escaped is kept apart from text made where it is not.
    let key: Vec<Value> = [Value::from(markup), language.clone()]
        .into_iter()
        .chain(args.iter().cloned())
        .collect();
    let mut out = String::new();
    let mut written = 0usize;
    let mut write = |value: &Value| -> Result<(), Error> {
        written += 1;
        if written.is_multiple_of(VALUES_BETWEEN_LOOKS) {
            given_way()?;
        }
        let reusable = value.downcast_object_ref::<Reusable>();
        if let Some(text) = reusable.and_then(|r| r.kept(&key)) {
            out.push_str(text);
            return Ok(());
        }
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(value.clone());
        all.extend(args.iter().cloned());
        let made = make.call(state, &all)?;
        if markup && !made.is_safe() {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "reuse_each writes what a macro makes; this returned text, not markup",
            ));
        }
        let text = match made.as_str() {
            Some(text) => std::borrow::Cow::Borrowed(text),
            None => std::borrow::Cow::Owned(made.to_string()),
        };
        if let Some(reusable) = reusable {
            reusable.keep(&key, &text);
        }
        out.push_str(&text);
        Ok(())
    };
    // A list the site made is read in place: taking each value out of it would count a
    // reference up and down on rows every thread shares.
    match values.downcast_object_ref::<Vec<Value>>() {
        Some(list) => list.iter().try_for_each(&mut write)?,
        None => values.try_iter()?.try_for_each(|value| write(&value))?,
    }
    Ok(if markup {
        Value::from_safe_string(out)
    } else {
        Value::from(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::Environment;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const TEMPLATE: &str = "{% macro cell(v, root) %}{{ made() }}<a href=\"{{ root }}{{ v.path }}\">{{ v.name }}</a>|{% endmacro %}\
        {{ reuse_each(cell, values, root) }}";

    /// `reuse_each` in the theme of `language`, as `theme::load` adds it.
    fn add_reuse_each(env: &mut Environment<'_>, language: &str) {
        let language = Value::from(language);
        env.add_function(
            "reuse_each",
            move |state: &mut State<'_, '_>, make: Value, values: Value, args: Rest<Value>| {
                reuse_each(state, &language, make, values, args)
            },
        );
    }

    /// Renders `TEMPLATE` for `values` under `root`, counting the macro's calls in `made`.
    fn render(values: &[Value], root: &str, made: &Arc<AtomicUsize>) -> String {
        render_in("sv", values, root, made)
    }

    /// [`render`] in the theme of `language`.
    fn render_in(language: &str, values: &[Value], root: &str, made: &Arc<AtomicUsize>) -> String {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        add_reuse_each(&mut env, language);
        let count = Arc::clone(made);
        env.add_function("made", move || {
            count.fetch_add(1, Ordering::Relaxed);
            String::new()
        });
        env.render_str(
            TEMPLATE,
            minijinja::context! { values => values, root => root },
        )
        .unwrap_or_else(|e| format!("error: {e:#}"))
    }

    fn fields(name: &str) -> Value {
        minijinja::context! { name => name, path => "page" }
    }

    #[test]
    fn shared_values_are_written_once_for_the_same_arguments() {
        let made = Arc::new(AtomicUsize::new(0));
        let shared = Reusable::value(fields("A & B"));
        let values = [shared.clone(), shared.clone(), fields("C"), fields("C")];
        let first = render(&values, "up-", &made);
        assert_eq!(
            first,
            "<a href=\"up-page\">A &amp; B</a>|".repeat(2)
                + &"<a href=\"up-page\">C</a>|".repeat(2)
        );
        // Once for the shared value, each time for the page's own.
        assert_eq!(made.load(Ordering::Relaxed), 3);

        // Another root is other markup, made once again; the first root's is still kept.
        let second = render(&values[..2], "top-", &made);
        assert_eq!(second, "<a href=\"top-page\">A &amp; B</a>|".repeat(2));
        assert_eq!(made.load(Ordering::Relaxed), 4);
        render(&values[..1], "up-", &made);
        assert_eq!(made.load(Ordering::Relaxed), 4);
    }

    #[test]
    fn values_of_any_sequence_are_written_and_reused_alike() {
        let made = Arc::new(AtomicUsize::new(0));
        let shared = Reusable::value(fields("A"));
        let values = [shared.clone(), fields("B"), shared];
        let from_list = render(&values, "up-", &made);
        assert_eq!(made.load(Ordering::Relaxed), 2);
        // Not a list the site made: each value is taken out of it, with the same result.
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        add_reuse_each(&mut env, "sv");
        let count = Arc::clone(&made);
        env.add_function("made", move || {
            count.fetch_add(1, Ordering::Relaxed);
            String::new()
        });
        let items = values.to_vec();
        let iterable = Value::make_iterable(move || items.clone().into_iter());
        assert!(iterable.downcast_object_ref::<Vec<Value>>().is_none());
        let from_iterable = env
            .render_str(
                TEMPLATE,
                minijinja::context! { values => iterable, root => "up-" },
            )
            .unwrap_or_else(|e| format!("error: {e:#}"));
        assert_eq!(from_iterable, from_list);
        assert_eq!(
            from_list,
            "<a href=\"up-page\">A</a>|<a href=\"up-page\">B</a>|<a href=\"up-page\">A</a>|"
        );
        assert_eq!(
            made.load(Ordering::Relaxed),
            3,
            "only the page's own value again"
        );
    }

    #[test]
    fn a_list_gives_way_once_the_stop_signal_is_set() {
        let values: Vec<Value> = (0..1000).map(|i| fields(&format!("m{i}"))).collect();
        let stop = Arc::new(AtomicBool::new(false));
        let made = Arc::new(AtomicUsize::new(0));
        let whole = stopping_on(&stop, || render(&values, "up-", &made));
        assert!(
            whole.ends_with("<a href=\"up-page\">m999</a>|"),
            "{whole:.80}"
        );
        assert_eq!(made.load(Ordering::Relaxed), 1000);

        stop.store(true, Ordering::Relaxed);
        let made = Arc::new(AtomicUsize::new(0));
        let stopped = stopping_on(&stop, || render(&values, "up-", &made));
        assert!(
            stopped.starts_with("error") && stopped.contains("stopped"),
            "{stopped:.80}"
        );
        assert_eq!(
            made.load(Ordering::Relaxed),
            VALUES_BETWEEN_LOOKS - 1,
            "gave way at the first look"
        );
        // Outside `stopping_on` the signal is not this thread's any more.
        assert_eq!(render(&values, "up-", &made), whole);
    }

    #[test]
    fn markup_is_kept_by_language() {
        let made = Arc::new(AtomicUsize::new(0));
        let shared = Reusable::value(fields("A"));
        render_in("sv", std::slice::from_ref(&shared), "up-", &made);
        render_in("en", std::slice::from_ref(&shared), "up-", &made);
        render_in("sv", std::slice::from_ref(&shared), "up-", &made);
        assert_eq!(made.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn a_value_keeps_markup_for_a_few_sets_of_arguments_only() {
        let made = Arc::new(AtomicUsize::new(0));
        let shared = Reusable::value(fields("A"));
        for page in 0..20 {
            let root = format!("page{page}-");
            let out = render(std::slice::from_ref(&shared), &root, &made);
            assert_eq!(out, format!("<a href=\"{root}page\">A</a>|"));
        }
        assert_eq!(made.load(Ordering::Relaxed), 20);
        let kept = shared
            .downcast_object_ref::<Reusable>()
            .map(Reusable::kept_count);
        assert_eq!(kept, Some(KEPT_PER_VALUE));
    }

    #[test]
    fn text_that_is_not_markup_is_refused_in_markup_and_written_elsewhere() {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        add_reuse_each(&mut env, "sv");
        env.add_function("shout", |v: String| format!("<{v}>"));
        let source = "{{ reuse_each(shout, ['a', 'b']) }}";
        let html = env
            .template_from_named_str("x.html", source)
            .and_then(|t| t.render(()));
        assert!(html.is_err(), "{html:?}");
        let text = env
            .template_from_named_str("x.txt", source)
            .and_then(|t| t.render(()));
        assert_eq!(text.ok().as_deref(), Some("<a><b>"));
    }

    #[test]
    fn a_reusable_value_reads_like_its_map() {
        let shared = Reusable::value(fields("A"));
        let env = Environment::new();
        let out = env
            .render_str(
                "{{ v.name }} {{ v['path'] }} {{ v|length }} {{ v.missing is undefined }}",
                minijinja::context! { v => shared.clone() },
            )
            .unwrap_or_else(|e| format!("error: {e:#}"));
        assert_eq!(out, "A page 2 True");
        assert_eq!(
            serde_json::to_string(&shared).unwrap_or_default(),
            serde_json::to_string(&fields("A")).unwrap_or_default()
        );
    }

    /// `reuse_each` without reuse: the macro called for every value.
    fn each_made_again(
        state: &mut State<'_, '_>,
        make: Value,
        values: Value,
        args: Rest<Value>,
    ) -> Result<Value, Error> {
        let mut out = String::new();
        for value in values.try_iter()? {
            let mut all = vec![value];
            all.extend(args.iter().cloned());
            out.push_str(make.call(state, &all)?.as_str().unwrap_or_default());
        }
        Ok(Value::from_safe_string(out))
    }

    /// Every file of the bundled site, in both its languages, by path.
    fn rendered(loaded: &crate::pipeline::Loaded) -> Vec<(String, Vec<u8>)> {
        let site = loaded.site();
        let mut files: Vec<(String, Vec<u8>)> = crate::render::jobs::all(&site)
            .into_iter()
            .flat_map(|job| job.render(&site).unwrap_or_default())
            .filter_map(|file| match file.contents {
                crate::output::Contents::Bytes(bytes) => Some((file.path, bytes)),
                _ => None,
            })
            .collect();
        files.sort();
        files
    }

    /// The markup kept from one page for the next is the markup each page would write itself:
    /// the bundled site, in Swedish and in English, is the same byte for byte when every
    /// macro is called again for every value.
    #[test]
    fn the_bundled_site_is_the_same_without_reuse() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let options = crate::pipeline::Options {
            content: root.join("content"),
            theme: root.join("themes/default"),
            out: root.join("unused"),
            base_url: None,
            drafts: false,
            keep_going: false,
            no_png: true,
            picture_cache: None,
        };
        let Ok((content, _, _)) = crate::pipeline::load_content(&options) else {
            panic!("the bundled content loads");
        };
        let Ok(mut loaded) = crate::pipeline::Loaded::new(content, &options.theme) else {
            panic!("the default theme loads");
        };
        assert!(!loaded.translations.is_empty());
        let with_reuse = rendered(&loaded);
        for theme in std::iter::once(&mut loaded.theme).chain(loaded.translations.iter_mut()) {
            theme.env.add_function("reuse_each", each_made_again);
        }
        let without = rendered(&loaded);
        assert_eq!(with_reuse.len(), without.len());
        let mut pages = 0;
        for ((path, bytes), (again, bytes_again)) in with_reuse.iter().zip(&without) {
            assert_eq!(path, again);
            assert!(bytes == bytes_again, "{path} differs without reuse");
            pages += usize::from(path.starts_with("en/kommun/") && path.ends_with(".html"));
        }
        assert!(pages > 290, "{pages} English municipality pages");
    }
}
