//! YAML text to a tree of nodes that all know their line and column.
//!
//! Content is read into this small tree first, and the typed model is built from the tree in a
//! second step. That second step can then report every problem of a file at once, each at its
//! own place, instead of stopping at the first.
//!
//! The tree is built straight from the events of `granit-parser` (the YAML parser under
//! serde-saphyr). Going through serde with spans costs more than twice as much, and building
//! the tree here keeps every limit and every message in our hands. Scalars are typed by the
//! YAML 1.2 core schema, except that numbers with leading zeros (`0180`) stay text, as
//! municipality codes must.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_saphyr::granit_parser::{
    ErrorKind, Event, Options, Parser, ScalarStyle, ScanError, Span, StructureStyle, Tag,
};

use crate::diagnostics::Pos;

/// The largest content file we read. Bigger files are refused before parsing.
pub(crate) const MAX_FILE_BYTES: usize = 1024 * 1024;

/// The registry is the publisher's own list and grows with the country (100 000 local units
/// are about 5 MB), so its files have a higher limit than submissions.
pub(crate) const MAX_REGISTRY_BYTES: usize = 64 * 1024 * 1024;

/// The deepest nesting of lists and mappings accepted. Content needs four levels at most.
pub(crate) const MAX_DEPTH: usize = 48;

/// The most nodes one file may give, aliases expanded: this bounds the memory and time an
/// alias bomb ("billion laughs") can take.
pub(crate) const MAX_NODES: usize = 200_000;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A parsed YAML value with where it starts in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub(crate) value: Value,
    /// Where the value starts.
    pub pos: Pos,
    /// The scalar as written in the file (for numbers that should stay text, like `0180`).
    pub(crate) raw: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    /// What this node is, in words, for "found ..., expected ..." messages.
    pub(crate) fn describe(&self) -> Cow<'static, str> {
        match &self.value {
            Value::Null => "nothing".into(),
            Value::Bool(b) => format!("the boolean {b}").into(),
            Value::Int(_) | Value::Float(_) => match &self.raw {
                Some(raw) => format!("the number {}", shorten(raw)).into(),
                None => "a number".into(),
            },
            Value::Str(s) => format!("the text \"{}\"", shorten(s)).into(),
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a mapping".into(),
        }
    }

    /// Text content: strings, and numbers or booleans as they were written.
    pub(crate) fn as_text(&self) -> Option<Cow<'_, str>> {
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

    pub(crate) fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub(crate) fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
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
    /// Where the problem is.
    pub pos: Pos,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl ParseError {
    fn at(pos: Pos, message: impl Into<String>) -> ParseError {
        ParseError {
            pos,
            message: message.into(),
        }
    }
}

/// Checks the bytes of a content file: size, UTF-8, byte-order mark.
/// Returns the text without a byte-order mark.
pub fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| utf8_error(bytes, e))
}

/// Like [`decode`], but keeps the bytes as the text instead of copying them.
pub(crate) fn decode_owned(bytes: Vec<u8>) -> Result<String, ParseError> {
    decode_owned_within(bytes, MAX_FILE_BYTES)
}

/// Like [`decode_owned`], with a size limit of `limit` bytes.
pub(crate) fn decode_owned_within(mut bytes: Vec<u8>, limit: usize) -> Result<String, ParseError> {
    if bytes.len() > limit {
        return Err(too_big_for(bytes.len() as u64, limit));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| utf8_error(e.as_bytes(), e.utf8_error()))
}

/// Where the text stops being UTF-8, and what the byte there suggests.
fn utf8_error(bytes: &[u8], error: std::str::Utf8Error) -> ParseError {
    let valid = &bytes[..error.valid_up_to()];
    // `valid` is UTF-8 by construction, so this never falls back.
    let before = std::str::from_utf8(valid).unwrap_or("");
    let bad = bytes.get(error.valid_up_to()).copied().unwrap_or(0);
    ParseError::at(
        crate::diagnostics::position_after(before),
        format!(
            "invalid UTF-8: found the byte 0x{bad:02X}{}; expected text encoded as UTF-8 (save the file as UTF-8)",
            latin1_hint(bad)
        ),
    )
}

/// The error for a file over [`MAX_FILE_BYTES`]; `size` is what is known of its size.
pub(crate) fn too_big(size: u64) -> ParseError {
    too_big_for(size, MAX_FILE_BYTES)
}

pub(crate) fn too_big_for(size: u64, limit: usize) -> ParseError {
    let mib = limit / (1024 * 1024);
    ParseError::at(
        Pos::START,
        format!(
            "found a file of {size} bytes; expected at most {limit} bytes ({mib} MiB) per file"
        ),
    )
}

/// Files from older Windows programs are often Latin-1: its å, ä and ö say so.
fn latin1_hint(byte: u8) -> &'static str {
    match byte {
        0xE5 => " (\"å\" in Latin-1: the file seems to be saved as Latin-1 or Windows-1252)",
        0xE4 => " (\"ä\" in Latin-1: the file seems to be saved as Latin-1 or Windows-1252)",
        0xF6 => " (\"ö\" in Latin-1: the file seems to be saved as Latin-1 or Windows-1252)",
        0xC5 => " (\"Å\" in Latin-1: the file seems to be saved as Latin-1 or Windows-1252)",
        0xC4 => " (\"Ä\" in Latin-1: the file seems to be saved as Latin-1 or Windows-1252)",
        0xD6 => " (\"Ö\" in Latin-1: the file seems to be saved as Latin-1 or Windows-1252)",
        0xE9 => " (\"é\" in Latin-1: the file seems to be saved as Latin-1 or Windows-1252)",
        _ => "",
    }
}

/// Parses one YAML document into a [`Node`] tree, within limits that stop alias bombs,
/// deep nesting and huge documents. An empty document (or only comments) gives `Null`.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    let mut options = Options::default();
    // Our own depth limit comes first; these only keep the parser's stacks small.
    options.flow_nesting_limit = MAX_DEPTH + 16;
    options.block_nesting_limit = MAX_DEPTH + 16;
    options.emit_comments = false;
    options.emit_unresolved_aliases = true;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut builder = Builder {
        text,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
        documents: 0,
    };
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let mut error = scan_error(&e, text);
            // Many errors inside brackets are really a bracket left open further up.
            let names_bracket = matches!(
                e.kind(),
                ErrorKind::UnclosedFlowCollection { .. }
                    | ErrorKind::MismatchedFlowCollectionEnd { .. }
                    | ErrorKind::RecursionLimitExceeded
            );
            if let Some(open) = builder.open_flow().filter(|_| !names_bracket) {
                error.message.push_str(&format!(
                    " (the \"{}\" on line {}, column {} is still open here)",
                    open.1, open.0.line, open.0.column
                ));
            }
            error
        })?;
        builder.event(event, span)?;
    }
    // A document of nothing (empty, only comments, or only `---`) is reported at its start.
    Ok(builder.root.filter(|root| !root.is_null()).unwrap_or(Node {
        value: Value::Null,
        pos: Pos::START,
        raw: None,
    }))
}

fn pos_of(span: &Span) -> Pos {
    Pos::new(span.start.line() as u64, span.start.col() as u64 + 1)
}

/// A list or mapping whose end has not been read yet.
enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        first_node: usize,
        flow: bool,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        first_node: usize,
        flow: bool,
        entries: Vec<(Key, Node)>,
        key: Option<Key>,
    },
}

struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    /// Anchored nodes by anchor id, with how many nodes each holds.
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes made so far, aliases counted in full.
    nodes: usize,
    root: Option<Node>,
    documents: usize,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), ParseError> {
        let pos = pos_of(&span);
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(ParseError::at(
                        pos,
                        "invalid YAML: found a second document (after a line with --- or ...); expected one document per file",
                    ));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                self.count(1, pos)?;
                if self.expects_key() {
                    self.set_key(Key {
                        name: value.into_owned(),
                        pos,
                    });
                    return Ok(());
                }
                let node = scalar(value, style, tag.as_deref(), pos)?;
                if anchor != 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.add(node);
            }
            Event::SequenceStart(style, anchor, _) => self.open(true, style, anchor, pos)?,
            Event::MappingStart(style, anchor, _) => self.open(false, style, anchor, pos)?,
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(anchor) => self.alias(anchor, &span, pos)?,
            Event::UnresolvedAlias(name) => {
                let name = name.escape_debug();
                return Err(ParseError::at(
                    pos,
                    format!(
                        "invalid YAML: found the alias *{name}, but no anchor &{name} comes before it; expected an anchor before its alias (or quote a value that starts with *)"
                    ),
                ));
            }
            _ => {}
        }
        Ok(())
    }

    /// A list (`seq`) or mapping starts.
    fn open(
        &mut self,
        seq: bool,
        style: StructureStyle,
        anchor: usize,
        pos: Pos,
    ) -> Result<(), ParseError> {
        let flow = style == StructureStyle::Flow;
        if self.expects_key() {
            return Err(ParseError::at(
                pos,
                "invalid YAML: found a list or mapping used as a key; expected a key of plain text, such as aldre-1",
            ));
        }
        self.count(1, pos)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(ParseError::at(
                pos,
                format!(
                    "invalid YAML: found lists or mappings nested more than {MAX_DEPTH} levels deep; expected a shallow file (content needs four levels at most)"
                ),
            ));
        }
        let first_node = self.nodes;
        self.stack.push(if seq {
            Frame::Seq {
                pos,
                anchor,
                first_node,
                flow,
                items: Vec::new(),
            }
        } else {
            Frame::Map {
                pos,
                anchor,
                first_node,
                flow,
                entries: Vec::new(),
                key: None,
            }
        });
        Ok(())
    }

    /// The innermost list or mapping ends.
    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (node, anchor, first_node) = match frame {
            Frame::Seq {
                pos,
                anchor,
                first_node,
                items,
                ..
            } => (
                Node {
                    value: Value::Seq(items),
                    pos,
                    raw: None,
                },
                anchor,
                first_node,
            ),
            Frame::Map {
                pos,
                anchor,
                first_node,
                entries,
                ..
            } => (
                Node {
                    value: Value::Map(entries),
                    pos,
                    raw: None,
                },
                anchor,
                first_node,
            ),
        };
        if anchor != 0 {
            let size = self.nodes - first_node + 1;
            self.anchors.insert(anchor, (node.clone(), size));
        }
        self.add(node);
    }

    /// An alias: a copy of the anchored node, counted in full.
    fn alias(&mut self, anchor: usize, span: &Span, pos: Pos) -> Result<(), ParseError> {
        let Some((node, size)) = self.anchors.get(&anchor) else {
            return Err(ParseError::at(
                pos,
                format!(
                    "invalid YAML: found the alias {} inside the value it refers to; expected an alias to a value that is complete before it",
                    self.written(span)
                ),
            ));
        };
        let (mut node, size) = (node.clone(), *size);
        self.count(size, pos)?;
        node.pos = pos;
        if self.expects_key() {
            let name = node.as_text().map(Cow::into_owned).ok_or_else(|| {
                ParseError::at(pos, "invalid YAML: found an alias to a list or mapping used as a key; expected a key of plain text")
            })?;
            self.set_key(Key { name, pos });
        } else {
            self.add(node);
        }
        Ok(())
    }

    /// The innermost list or mapping in brackets that is still open, and its bracket.
    fn open_flow(&self) -> Option<(Pos, char)> {
        self.stack.iter().rev().find_map(|frame| match frame {
            Frame::Seq {
                flow: true, pos, ..
            } => Some((*pos, '[')),
            Frame::Map {
                flow: true, pos, ..
            } => Some((*pos, '{')),
            _ => None,
        })
    }

    /// The source text of a span, for messages.
    fn written(&self, span: &Span) -> String {
        span.slice(self.text)
            .map_or_else(|| "here".to_string(), |s| s.chars().take(40).collect())
    }

    fn count(&mut self, nodes: usize, pos: Pos) -> Result<(), ParseError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > MAX_NODES {
            return Err(ParseError::at(
                pos,
                format!(
                    "invalid YAML: found more than {MAX_NODES} values (aliases counted in full); expected a file of ordinary size (are aliases repeating a value too often?)"
                ),
            ));
        }
        Ok(())
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    fn set_key(&mut self, new: Key) {
        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
            *key = Some(new);
        }
    }

    fn add(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => {
                if let Some(key) = key.take() {
                    entries.push((key, node));
                }
            }
        }
    }
}

/// Types a scalar. Quoted and block scalars are always text; plain ones may be nothing, a
/// boolean or a number by the YAML 1.2 core schema.
fn scalar(
    value: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
    pos: Pos,
) -> Result<Node, ParseError> {
    let text_node = |value: Cow<'_, str>| Node {
        value: Value::Str(value.into_owned()),
        pos,
        raw: None,
    };
    if let Some(tag) = tag {
        match tag.core_suffix() {
            Some("str") => return Ok(text_node(value)),
            Some(_) => {}
            // `! value` is the non-specific tag: text.
            None if tag.handle().is_empty() && tag.suffix() == "!" => return Ok(text_node(value)),
            None => {
                return Err(ParseError::at(
                    pos,
                    format!(
                        "invalid YAML: found the tag {}{}; expected values without tags",
                        tag.original_handle().escape_debug(),
                        tag.suffix().escape_debug()
                    ),
                ));
            }
        }
    }
    if style != ScalarStyle::Plain {
        return Ok(text_node(value));
    }
    let typed = match value.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Some(Value::Float(f64::INFINITY)),
        "-.inf" | "-.Inf" | "-.INF" => Some(Value::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => Some(Value::Float(f64::NAN)),
        text => number(text),
    };
    Ok(match typed {
        Some(Value::Null) => Node {
            value: Value::Null,
            pos,
            raw: None,
        },
        Some(value_typed) => Node {
            value: value_typed,
            pos,
            raw: Some(value.into_owned()),
        },
        None => text_node(value),
    })
}

/// A plain scalar as a number, if it is one: decimal, `0x` hexadecimal and `0o` octal
/// integers, and decimal floats. Integers with a leading zero stay text.
fn number(text: &str) -> Option<Value> {
    let first = *text.as_bytes().first()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16)
            .ok()
            .filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(Value::Int);
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return i64::from_str_radix(octal, 8)
            .ok()
            .filter(|_| octal.bytes().all(|b| matches!(b, b'0'..=b'7')))
            .map(Value::Int);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if digits.len() > 1 && digits.starts_with('0') {
            return None;
        }
        return Some(match text.parse::<i64>() {
            Ok(i) => Value::Int(i),
            // Beyond 64 bits: still a number, if not a whole one we can hold.
            Err(_) => Value::Float(text.parse::<f64>().ok()?),
        });
    }
    is_core_float(digits)
        .then(|| text.parse::<f64>().ok())
        .flatten()
        .map(Value::Float)
}

/// `[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?` or `\.[0-9]+(...)?`, the core schema's floats.
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// The first tab in the indentation of the line at `from` or of one of the next few lines.
fn indenting_tab(text: &str, from: Pos) -> Option<Pos> {
    let first = from.line.checked_sub(1)? as usize;
    crate::diagnostics::lines(text)
        .enumerate()
        .skip(first)
        .take(4)
        .find_map(|(index, line)| {
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            let column = line[..indent].find('\t')?;
            Some(Pos::new(index as u64 + 1, column as u64 + 1))
        })
}

/// A parser error in words: what was found and what was expected.
fn scan_error(error: &ScanError, text: &str) -> ParseError {
    let marker = error.marker();
    let mut pos = Pos::new(marker.line() as u64, marker.col() as u64 + 1);
    let at = |index: usize| {
        text.get(marker.byte_offset().unwrap_or(usize::MAX)..)
            .and_then(|s| s.chars().nth(index))
    };
    let message: Cow<'static, str> = match error.kind() {
        ErrorKind::UnclosedFlowCollection { open } => {
            let close = if *open == '[' { ']' } else { '}' };
            format!("found \"{open}\" that is never closed; expected a matching \"{close}\" (or quote a value that starts with \"{open}\")").into()
        }
        ErrorKind::MismatchedFlowCollectionEnd { open, close } => {
            let wanted = if *open == '[' { ']' } else { '}' };
            format!("found \"{close}\" closing a \"{open}\"; expected \"{wanted}\"").into()
        }
        ErrorKind::MisplacedFlowCollectionEnd => format!(
            "found \"{}\" without an opening bracket; expected brackets in pairs (or quote the value)",
            at(0).unwrap_or(']')
        )
        .into(),
        ErrorKind::UnexpectedEofFlowSequence
        | ErrorKind::UnexpectedEofFlowMapping
        | ErrorKind::UnexpectedEofImplicitFlowMapping => {
            "found the end of the file inside brackets; expected the closing bracket".into()
        }
        ErrorKind::UnexpectedEofBlockSequence
        | ErrorKind::UnexpectedEofBlockMapping
        | ErrorKind::UnexpectedEof => "found the end of the file in the middle of a value; expected the value to be complete".into(),
        ErrorKind::UnclosedQuotedScalar => "found a quoted value that is never closed; expected the closing quote".into(),
        ErrorKind::DocumentIndicatorInQuotedScalar => "found a line with --- or ... inside a quoted value; expected the closing quote before it".into(),
        ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInIndentation
        | ErrorKind::TabNotAllowed
        | ErrorKind::TabAtBlockScalarStart
        | ErrorKind::TabInPlainScalar => {
            // The parser may stop at the value before the tab; point at the tab itself.
            pos = indenting_tab(text, pos).unwrap_or(pos);
            "found a tab; expected spaces for indentation (YAML does not allow tabs there)".into()
        }
        ErrorKind::MappingValueNotAllowed => "found \": \" where no key can start; expected each key on its own line, indented like the keys next to it (or quote a value that contains \": \")".into(),
        ErrorKind::SimpleKeyExpected | ErrorKind::InvalidSimpleKey => "found a line without \":\" after its key; expected key: value".into(),
        ErrorKind::ExpectedBlockMappingKey => "found a line that is not indented like the keys above it; expected key: value at the same indentation as the other keys".into(),
        ErrorKind::ExpectedBlockSequenceEntry => "found a line that is not indented like the list above it; expected \"- \" items at the same indentation".into(),
        ErrorKind::BlockSequenceEntryNotAllowed | ErrorKind::BlockEntryInFlowCollection => "found \"- \" where a list item cannot start; expected list items on their own lines, indented under their key".into(),
        ErrorKind::InvalidIndentation
        | ErrorKind::InvalidBlockScalarIndent
        | ErrorKind::InvalidQuotedScalarIndent
        | ErrorKind::InvalidFlowScalarIndent => "found a line indented less than the value it continues; expected it indented like the lines before it".into(),
        ErrorKind::ExpectedNodeContent => "found no value where one must be; expected a value".into(),
        ErrorKind::UnexpectedCharacter { character } => format!(
            "found \"{}\" at the start of a value; expected that value in quotes (YAML reserves \"@\" and \"`\")",
            character.escape_default()
        )
        .into(),
        ErrorKind::InvalidTrailingDoubleQuotedScalar | ErrorKind::InvalidTrailingSingleQuotedScalar => {
            "found more text after the closing quote; expected the whole value inside the quotes".into()
        }
        ErrorKind::UnknownQuotedScalarEscape
        | ErrorKind::InvalidQuotedScalarHexEscape
        | ErrorKind::InvalidUnicodeEscape
        | ErrorKind::InvalidLowSurrogate
        | ErrorKind::InvalidLowSurrogateHexEscape
        | ErrorKind::MissingLowSurrogate
        | ErrorKind::UnpairedLowSurrogate => "found a backslash escape that YAML does not know in double-quoted text; expected \\\\, \\\" or \\n (or use single quotes, where a backslash is just a backslash)".into(),
        ErrorKind::CommentNotSeparated => "found \"#\" right after a value; expected a space before a comment (or quote the value)".into(),
        ErrorKind::InvalidColonPlacement | ErrorKind::MappingKeyNotAllowed => "found \":\" where a key cannot start; expected key: value on its own line (or quote a value that contains \":\")".into(),
        ErrorKind::InvalidMappingValueWhitespace => "found \":\" without a space after it; expected \": \" between a key and its value".into(),
        ErrorKind::RecursionLimitExceeded => format!("found lists or mappings nested more than {MAX_DEPTH} levels deep; expected a shallow file (content needs four levels at most)").into(),
        ErrorKind::MultipleDocumentsUnsupported | ErrorKind::InvalidDocumentEnd => "found a second document (after a line with --- or ...); expected one document per file".into(),
        ErrorKind::BomInsideDocument => "found a byte-order mark inside the text; expected it only at the very start of the file".into(),
        other => format!("{other}; expected valid YAML").into(),
    };
    let message: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    ParseError::at(pos, format!("invalid YAML: {message}"))
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

    fn value_of(text: &str) -> Value {
        let node = parse(&format!("v: {text}\n")).unwrap();
        node.as_map().unwrap()[0].1.value.clone()
    }

    #[test]
    fn types_scalars_by_the_core_schema() {
        assert_eq!(value_of(""), Value::Null);
        assert_eq!(value_of("~"), Value::Null);
        assert_eq!(value_of("null"), Value::Null);
        assert_eq!(value_of("true"), Value::Bool(true));
        assert_eq!(value_of("False"), Value::Bool(false));
        // YAML 1.1's yes/no are text, as in YAML 1.2.
        assert_eq!(value_of("yes"), Value::Str("yes".into()));
        assert_eq!(value_of("2017"), Value::Int(2017));
        assert_eq!(value_of("-12"), Value::Int(-12));
        assert_eq!(value_of("0x1F"), Value::Int(31));
        assert_eq!(value_of("0o17"), Value::Int(15));
        assert_eq!(value_of("1.5"), Value::Float(1.5));
        assert_eq!(value_of("1e3"), Value::Float(1000.0));
        assert_eq!(value_of("-.inf"), Value::Float(f64::NEG_INFINITY));
        // Leading zeros keep a code as text; dates and versions are text.
        assert_eq!(value_of("0180"), Value::Str("0180".into()));
        assert_eq!(value_of("2017-11-15"), Value::Str("2017-11-15".into()));
        assert_eq!(value_of("1_000"), Value::Str("1_000".into()));
        assert_eq!(value_of("\"2017\""), Value::Str("2017".into()));
        assert_eq!(value_of("!!str 2017"), Value::Str("2017".into()));
        assert_eq!(value_of("! 2017"), Value::Str("2017".into()));
        assert_eq!(value_of("|\n  a\n  b"), Value::Str("a\nb\n".into()));
    }

    #[test]
    fn numbers_keep_their_spelling() {
        let node = parse("a: 1.10\nb: 0x1F\n").unwrap();
        let map = node.as_map().unwrap();
        assert_eq!(map[0].1.as_text().unwrap(), "1.10");
        assert_eq!(map[0].1.describe(), "the number 1.10");
        assert_eq!(map[1].1.as_text().unwrap(), "0x1F");
    }

    #[test]
    fn aliases_repeat_their_anchor() {
        let node = parse("a: &x [1, 2]\nb: *x\n").unwrap();
        let map = node.as_map().unwrap();
        assert_eq!(map[0].1.as_seq().unwrap(), map[1].1.as_seq().unwrap());
        assert_eq!(map[1].1.pos, Pos { line: 2, column: 4 });
        let err = parse("a: &x [*x]\n").unwrap_err();
        assert!(
            err.message.contains("inside the value it refers to"),
            "{}",
            err.message
        );
    }

    #[test]
    fn empty_and_comment_only_files_are_null_at_the_start() {
        for text in ["", "\n\n", "# only a comment\n", "---\n"] {
            let node = parse(text).unwrap();
            assert!(node.is_null(), "{text:?}");
            assert_eq!(node.pos, Pos::START, "{text:?}");
        }
    }

    #[test]
    fn refuses_tags_documents_and_complex_keys() {
        let err = parse("a: !!binary aGVq\n").unwrap_err();
        assert!(
            err.message.contains("found the tag !!binary"),
            "{}",
            err.message
        );
        let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.pos, Pos { line: 2, column: 1 });
        let err = parse("? [a]\n: b\n").unwrap_err();
        assert!(err.message.contains("used as a key"), "{}", err.message);
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
