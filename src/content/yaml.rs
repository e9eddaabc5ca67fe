//! YAML text to a tree of nodes that all know their line and column.
//!
//! Content is read into this small tree first (through serde-saphyr, with budgets), and the
//! typed model is built from the tree in a second step. That second step can then report every
//! problem of a file at once, each at its own place, instead of stopping at the first.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, MessageFormatter, Spanned, UserMessageFormatter};

use crate::diagnostics::Pos;

/// The largest content file we read. Bigger files are refused before parsing.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// The scalar as written in the file (for numbers that should stay text, like `0180`).
    pub raw: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    /// What this node is, in words, for "found ..., expected ..." messages.
    pub fn describe(&self) -> Cow<'static, str> {
        match &self.value {
            Value::Null => "nothing".into(),
            Value::Bool(b) => format!("the boolean {b}").into(),
            Value::Int(i) => format!("the number {i}").into(),
            Value::Float(f) => format!("the number {f}").into(),
            Value::Str(s) => format!("the text \"{}\"", shorten(s)).into(),
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a mapping".into(),
        }
    }

    /// Text content: strings, and numbers or booleans as they were written.
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match &self.value {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => match &self.raw {
                Some(raw) => Some(Cow::Borrowed(raw.as_str())),
                None => Some(Cow::Owned(match &self.value {
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => f.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => return None,
                })),
            },
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }
}

fn shorten(s: &str) -> Cow<'_, str> {
    const MAX: usize = 40;
    if s.chars().count() <= MAX && !s.contains('\n') {
        Cow::Borrowed(s)
    } else {
        let cut: String = s.lines().next().unwrap_or("").chars().take(MAX).collect();
        Cow::Owned(format!("{cut}…"))
    }
}

/// A YAML problem that stops a file from being read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub pos: Pos,
    pub message: String,
}

/// Checks the bytes of a content file: size, UTF-8, byte-order mark.
/// Returns the text without a byte-order mark.
pub fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ParseError {
            pos: Pos::START,
            message: format!(
                "file is {} bytes; expected at most {} bytes (1 MiB)",
                bytes.len(),
                MAX_FILE_BYTES
            ),
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // `valid` is UTF-8 by construction, so this never falls back.
        let before = std::str::from_utf8(valid).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let bad = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
        ParseError {
            pos: Pos::new(line as u64, column as u64),
            message: format!(
                "invalid UTF-8: found the byte 0x{bad:02X}; expected text encoded as UTF-8 (save the file as UTF-8)"
            ),
        }
    })
}

/// Parses one YAML document into a [`Node`] tree, within budgets that stop alias bombs,
/// deep nesting and huge documents.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    let budget = serde_saphyr::budget! {
        max_depth: 48,
        max_nodes: 200_000,
        max_aliases: 1_000,
        max_anchors: 1_000,
        max_documents: 1,
        max_total_scalar_bytes: 2 * MAX_FILE_BYTES,
        max_events: 400_000,
        max_recorded_anchor_events: 20_000,
        max_recorded_anchor_bytes: MAX_FILE_BYTES,
        flow_nesting_limit: 48,
    };
    let options = serde_saphyr::options! {
        budget: budget,
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        leading_zero_numbers_as_strings: true,
        strict_booleans: true,
        with_snippet: false,
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 50_000,
            max_replay_stack_depth: 32,
            max_alias_expansions_per_anchor: 1_000,
        },
    };
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            pos: Pos::START,
            raw: None,
        });
    }
    let raw: Spanned<RawNode> =
        serde_saphyr::from_str_with_options(text, options).map_err(|e| to_parse_error(&e))?;
    Ok(convert(raw, text))
}

fn to_parse_error(error: &serde_saphyr::Error) -> ParseError {
    let inner = error.without_snippet();
    let pos = inner
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| Pos::new(l.line(), l.column()))
        .unwrap_or(Pos::START);
    let message = UserMessageFormatter.format_message(inner);
    let message: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    ParseError {
        pos,
        message: format!("invalid YAML: {message}"),
    }
}

fn convert(node: Spanned<RawNode>, text: &str) -> Node {
    let location = node.referenced;
    let pos = Pos::new(location.line(), location.column());
    let raw_text = || {
        let span = location.span();
        let start = span.byte_offset()? as usize;
        let len = span.byte_len()? as usize;
        text.get(start..start.checked_add(len)?).map(str::to_owned)
    };
    let value = match node.value {
        RawNode::Null => Value::Null,
        RawNode::Bool(b) => Value::Bool(b),
        RawNode::Int(i) => Value::Int(i),
        RawNode::Float(f) => Value::Float(f),
        RawNode::Str(s) => Value::Str(s),
        RawNode::Seq(items) => Value::Seq(items.into_iter().map(|n| convert(n, text)).collect()),
        RawNode::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        name: k.value,
                        pos: Pos::new(k.referenced.line(), k.referenced.column()),
                    };
                    (key, convert(v, text))
                })
                .collect(),
        ),
    };
    let raw = match value {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => raw_text(),
        _ => None,
    };
    Node { value, pos, raw }
}

/// The shape serde-saphyr fills; keys are read as text so that `1.10` or `no` stay as written.
enum RawNode {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<String>, Spanned<RawNode>)>),
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(v))
    }
    fn visit_char<E>(self, v: char) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<RawNode, E> {
        Ok(RawNode::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawNode::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(key) = map.next_key()? {
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(RawNode::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_and_raw_spellings() {
        let node =
            parse("municipality: 0180\nyear: 2017\nanswers:\n  no: helt\n  1.10: inte\n").unwrap();
        let map = node.as_map().unwrap();
        assert_eq!(map[0].1.as_text().unwrap(), "0180");
        assert_eq!(map[1].1.value, Value::Int(2017));
        assert_eq!(map[1].1.pos, Pos { line: 2, column: 7 });
        let answers = map[2].1.as_map().unwrap();
        assert_eq!(answers[0].0.name, "no");
        assert_eq!(answers[1].0.name, "1.10");
        assert_eq!(answers[1].0.pos, Pos { line: 5, column: 3 });
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(err.pos.line, 2);
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
    }

    #[test]
    fn refuses_bad_utf8_at_its_place() {
        let err = decode(b"a: 1\nb: \xff\n").unwrap_err();
        assert_eq!(err.pos, Pos { line: 2, column: 4 });
    }

    #[test]
    fn strips_byte_order_mark() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1").unwrap(), "a: 1");
    }

    #[test]
    fn stops_alias_bombs() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(parse(&doc).is_err());
    }

    #[test]
    fn stops_deep_nesting() {
        let doc = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&doc).is_err());
    }
}
