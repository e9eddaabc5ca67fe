//! Reading typed values out of a [`Node`] tree, reporting every problem at its place.

use std::borrow::Cow;

use crate::diagnostics::{Diagnostics, Pos, SourceText};
use crate::suggest;

use super::yaml::{Key, Node, Value};

/// One file being read: its text (for snippets) and where its diagnostics go.
pub(crate) struct Reader<'a> {
    pub source: SourceText<'a>,
    pub diagnostics: &'a mut Diagnostics,
}

/// The entries of a mapping, after unknown and repeated keys have been reported.
pub(crate) struct Fields<'n> {
    pub pos: Pos,
    entries: Vec<(&'n Key, &'n Node)>,
    /// Allowed keys that an unknown key was a near miss of: that key's error already says
    /// "did you mean", so the key is not reported missing as well.
    misspelled: Vec<&'static str>,
}

impl<'n> Fields<'n> {
    pub(crate) fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| *v)
    }

    pub(crate) fn key(&self, name: &str) -> Option<&'n Key> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(k, _)| *k)
    }

    /// Whether an unknown key was reported as a near miss of `name`.
    pub(crate) fn is_misspelled(&self, name: &str) -> bool {
        self.misspelled.contains(&name)
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.diagnostics.error(&self.source, pos, message);
    }

    pub(crate) fn warning(&mut self, pos: Pos, message: impl Into<String>) {
        self.diagnostics.warning(&self.source, pos, message);
    }

    /// A mapping, or an error that says what was expected instead.
    pub(crate) fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Key, Node)]> {
        match node.as_map() {
            Some(entries) => Some(entries),
            None => {
                self.error(
                    node.pos,
                    format!("found {}; expected {what}", node.describe()),
                );
                None
            }
        }
    }

    /// The fields of a mapping with the given keys. Unknown keys and keys given twice are
    /// errors (with the near match); the first of a repeated key is used.
    pub(crate) fn fields<'n>(
        &mut self,
        node: &'n Node,
        allowed: &[&'static str],
        what: &str,
    ) -> Option<Fields<'n>> {
        let entries = self.map(node, what)?;
        let mut kept: Vec<(&'n Key, &'n Node)> = Vec::with_capacity(entries.len());
        let mut misspelled = Vec::new();
        for (key, value) in entries {
            if !allowed.contains(&key.name.as_str()) {
                let near = suggest::closest(&key.name, allowed.iter().copied());
                let hint = near.map_or(String::new(), |n| format!(" (did you mean \"{n}\"?)"));
                misspelled.extend(near);
                self.error(
                    key.pos,
                    format!(
                        "unknown key \"{}\" in {what}{hint}; expected one of: {}",
                        key.name,
                        allowed.join(", ")
                    ),
                );
                continue;
            }
            if let Some((first, _)) = kept.iter().find(|(k, _)| k.name == key.name) {
                let line = first.pos.line;
                self.error(
                    key.pos,
                    format!(
                        "duplicate key \"{}\": it is already given on line {line}; expected each key once",
                        key.name
                    ),
                );
                continue;
            }
            kept.push((key, value));
        }
        Some(Fields {
            pos: node.pos,
            entries: kept,
            misspelled,
        })
    }

    /// A field that must be there.
    pub(crate) fn required<'n>(
        &mut self,
        fields: &Fields<'n>,
        name: &str,
        hint: &str,
    ) -> Option<&'n Node> {
        let node = fields.get(name);
        if node.is_none() && !fields.is_misspelled(name) {
            self.error(
                fields.pos,
                format!("missing key \"{name}\"; expected {hint}"),
            );
        }
        node
    }

    /// Non-empty text on one line or more. Numbers are taken as written.
    pub(crate) fn text(&mut self, node: &Node, what: &str) -> Option<String> {
        match node.as_text() {
            Some(text) if !text.trim().is_empty() => Some(text.into_owned()),
            Some(_) => {
                self.error(node.pos, format!("found empty text; expected {what}"));
                None
            }
            None => {
                self.error(
                    node.pos,
                    format!("found {}; expected {what}", node.describe()),
                );
                None
            }
        }
    }

    /// Like [`Reader::text`], but nothing (`~` or an empty value) is allowed and gives `None`.
    pub(crate) fn optional_text(&mut self, node: Option<&Node>, what: &str) -> Option<String> {
        match node {
            Some(n) if n.is_null() => None,
            Some(n) => self.text(n, what),
            None => None,
        }
    }

    /// An identifier that is safe in a URL path: letters, digits, `.`, `_` and `-`,
    /// starting with a letter or digit.
    pub(crate) fn id(&mut self, node: &Node, what: &str) -> Option<String> {
        let text = self.text(node, what)?;
        match id_problem(&text) {
            None => Some(text),
            Some(problem) => {
                self.error(
                    node.pos,
                    format!("found the id \"{}\", which {problem}; expected {what} of letters a–z (not å, ä or ö), digits, \".\", \"_\" and \"-\", starting with a letter or digit", text.escape_debug()),
                );
                None
            }
        }
    }

    pub(crate) fn integer(&mut self, node: &Node, what: &str) -> Option<i64> {
        match &node.value {
            Value::Int(i) => Some(*i),
            Value::Str(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            _ => {
                self.error(
                    node.pos,
                    format!("found {}; expected {what}", node.describe()),
                );
                None
            }
        }
    }

    pub(crate) fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        match &node.value {
            Value::Bool(b) => Some(*b),
            _ => {
                self.error(
                    node.pos,
                    format!("found {}; expected {what} (true or false)", node.describe()),
                );
                None
            }
        }
    }

    /// A list of text items; a single text is taken as a list of one.
    pub(crate) fn text_list(&mut self, node: &Node, what: &str) -> Vec<(String, Pos)> {
        match &node.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|item| self.text(item, what).map(|t| (t, item.pos)))
                .collect(),
            Value::Null => Vec::new(),
            _ => self
                .text(node, what)
                .map(|t| vec![(t, node.pos)])
                .unwrap_or_default(),
        }
    }
}

/// Why `id` can't be used as an identifier, if it can't.
pub(crate) fn id_problem(id: &str) -> Option<Cow<'static, str>> {
    let first = id.chars().next()?;
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Some(format!("contains \"{}\"", bad.escape_debug()).into());
    }
    if id.contains("..") {
        return Some("contains \"..\"".into());
    }
    if !first.is_ascii_alphanumeric() {
        return Some("does not start with a letter or digit".into());
    }
    if id.len() > 64 {
        return Some("is longer than 64 characters".into());
    }
    None
}
