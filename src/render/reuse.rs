//! Markup made once and written into many pages.
//!
//! A row of a municipality's answers table is the same in every page of its year and
//! language with the same answer and change (at 10 000 municipalities, 88 rows a page on
//! 40 000 pages). The template writes it through a macro called by `reuse`:
//!
//! ```jinja
//! {% macro answer_row(row, root, has_previous) %}<tr>…</tr>{% endmacro %}
//! {{ reuse(answer_row, row, common.root, page.previous is not none) }}
//! ```
//!
//! `reuse(macro, value, args…)` calls `macro(value, args…)`. When `value` is [`Reusable`]
//! (the site hands such values to templates where many pages share them), the markup is kept
//! with it, by the other arguments, and written again wherever the same value comes with the
//! same arguments. Any other value is written by the macro each time, so a template can pass
//! shared and page-own values alike.
//!
//! The macro's markup must therefore depend only on its arguments and on what is the same
//! for the whole site in one language (the theme's words, `lang`): it is the one rule a
//! theme author has to keep, and the tests compare pages written with and without reuse.

use std::sync::{Arc, Mutex, PoisonError};

use minijinja::value::{Enumerator, Object, ObjectRepr, Rest};
use minijinja::{Error, State, Value};

/// A template value many pages share, with the markup made from it: by the other arguments
/// of `reuse`, the markup the macro wrote for them. A value reads like the map it wraps.
#[derive(Debug)]
pub(crate) struct Reusable {
    fields: Value,
    /// A handful at most (a page's depth below the root, whether it has an earlier year).
    markup: Mutex<Vec<(Vec<Value>, Value)>>,
}

impl Reusable {
    /// `fields` as a value whose markup `reuse` keeps.
    pub(crate) fn value(fields: Value) -> Value {
        Value::from_object(Reusable {
            fields,
            markup: Mutex::new(Vec::new()),
        })
    }

    fn kept(&self, args: &[Value]) -> Option<Value> {
        let markup = self.markup.lock().unwrap_or_else(PoisonError::into_inner);
        markup
            .iter()
            .find(|(with, _)| with.as_slice() == args)
            .map(|(_, made)| made.clone())
    }

    fn keep(&self, args: &[Value], made: &Value) {
        let mut markup = self.markup.lock().unwrap_or_else(PoisonError::into_inner);
        if !markup.iter().any(|(with, _)| with.as_slice() == args) {
            markup.push((args.to_vec(), made.clone()));
        }
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

/// The template function `reuse(macro, value, args…)` (see the module's documentation).
pub(crate) fn reuse(
    state: &mut State<'_, '_>,
    make: Value,
    value: Value,
    args: Rest<Value>,
) -> Result<Value, Error> {
    let call = |state: &mut State<'_, '_>| {
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(value.clone());
        all.extend(args.iter().cloned());
        make.call(state, &all)
    };
    let Some(reusable) = value.downcast_object_ref::<Reusable>() else {
        return call(state);
    };
    if let Some(made) = reusable.kept(&args) {
        return Ok(made);
    }
    let made = call(state)?;
    reusable.keep(&args, &made);
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::Environment;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const TEMPLATE: &str = "{% macro cell(v, root) %}{{ made() }}<a href=\"{{ root }}{{ v.path }}\">{{ v.name }}</a>{% endmacro %}\
        {% for v in values %}{{ reuse(cell, v, root) }}|{% endfor %}";

    /// Renders `TEMPLATE` for `values` under `root`, counting the macro's calls in `made`.
    fn render(values: &[Value], root: &str, made: &Arc<AtomicUsize>) -> String {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.add_function("reuse", reuse);
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
}
