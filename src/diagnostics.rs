//! Problems found in content, with the place they were found.
//!
//! Every error a user can cause becomes a [`Diagnostic`] naming the file, line and column,
//! so that `check` and `build` can report all of them in one run.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used (the build fails).
    Error,
    /// The file can be used, but something in it is probably a mistake.
    Warning,
}

/// A line and column, both starting at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Pos {
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1.
    pub column: u32,
}

impl Pos {
    /// The first line and column of a file.
    pub const START: Pos = Pos { line: 1, column: 1 };

    pub(crate) fn new(line: u64, column: u64) -> Pos {
        Pos {
            line: line.clamp(1, u32::MAX as u64) as u32,
            column: column.clamp(1, u32::MAX as u64) as u32,
        }
    }
}

/// One problem in one file, at one line and column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub path: PathBuf,
    /// Where in the file.
    pub pos: Pos,
    /// Error or warning.
    pub severity: Severity,
    /// What was found, and what was expected.
    pub message: String,
    /// The source line the problem is on, for a snippet under the message.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The one-line form `PATH:LINE:COL: error: MESSAGE`.
    pub fn headline(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{}:{}:{}: {}: {}",
            self.path.display(),
            self.pos.line,
            self.pos.column,
            kind,
            self.message
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if let Some(line) = &self.source_line {
            let number = self.pos.line.to_string();
            let pad = " ".repeat(number.len());
            // The caret goes under the column; tabs are kept so that it lines up.
            let lead: String = line
                .chars()
                .take(self.pos.column.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{pad} |\n{number} | {line}\n{pad} | {lead}^")?;
        }
        Ok(())
    }
}

/// A file's text, kept so that diagnostics can quote the offending line.
pub(crate) struct SourceText<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl SourceText<'_> {
    pub(crate) fn line(&self, line: u32) -> Option<String> {
        LineCursor::default().line(self, line)
    }
}

/// Where the line after the one at `offset` starts. Lines end at "\n", "\r\n" or a lone
/// "\r", as YAML counts them (and so the positions in messages).
fn next_line_start(text: &str, offset: usize) -> Option<usize> {
    let rest = text.get(offset..)?;
    let at = rest.find(['\n', '\r'])?;
    let width = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
    Some(offset + at + width)
}

/// The line and column just after `before`, counting lines as YAML does.
pub(crate) fn position_after(before: &str) -> Pos {
    let mut line = 1u64;
    let mut line_start = 0;
    let mut offset = 0;
    while let Some(next) = next_line_start(before, offset) {
        line += 1;
        line_start = next;
        offset = next;
    }
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) as u64 + 1;
    Pos::new(line, column)
}

/// The lines of a text, without their line ends, counted as YAML does.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut offset = Some(0);
    std::iter::from_fn(move || {
        let start = offset?;
        let rest = text.get(start..)?;
        offset = next_line_start(text, start);
        Some(rest.split(['\n', '\r']).next().unwrap_or(""))
    })
}

/// How many lines a text has, counted as YAML does.
pub fn line_count(text: &str) -> u32 {
    lines(text).count() as u32
}

/// Finds source lines for snippets, carrying on from the last line found in the same text:
/// problems come mostly in line order, so a file with thousands of them stays linear.
#[derive(Debug, Default, Clone)]
pub(crate) struct LineCursor {
    /// The text last looked in (its file, address and length), the line found and where it
    /// starts.
    at: Option<(PathBuf, usize, usize, u32, usize)>,
}

impl LineCursor {
    pub(crate) fn line(&mut self, source: &SourceText<'_>, line: u32) -> Option<String> {
        if line == 0 {
            return None;
        }
        let text = source.text;
        let key = (text.as_ptr() as usize, text.len());
        let (mut current, mut offset) = match &self.at {
            Some((path, ptr, len, l, o))
                if (*ptr, *len) == key && *l <= line && path == source.path =>
            {
                (*l, *o)
            }
            _ => (1, 0),
        };
        while current < line {
            offset = next_line_start(text, offset)?;
            current += 1;
        }
        match &mut self.at {
            Some((path, ptr, len, l, o)) if path == source.path => {
                (*ptr, *len, *l, *o) = (key.0, key.1, current, offset);
            }
            _ => self.at = Some((source.path.to_path_buf(), key.0, key.1, current, offset)),
        }
        let rest = text.get(offset..)?;
        if rest.is_empty() {
            return None;
        }
        let raw = rest.split(['\n', '\r']).next().unwrap_or("");
        // Very long lines are cut so that a snippet stays readable.
        Some(raw.chars().take(200).collect())
    }
}

/// Collects the diagnostics of one run, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    cursor: LineCursor,
}

impl Diagnostics {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&mut self, mut diagnostic: Diagnostic) {
        diagnostic.message = one_line(diagnostic.message);
        self.items.push(diagnostic);
    }

    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub(crate) fn error(&mut self, source: &SourceText<'_>, pos: Pos, message: impl Into<String>) {
        self.add(source, pos, Severity::Error, message.into());
    }

    pub(crate) fn warning(
        &mut self,
        source: &SourceText<'_>,
        pos: Pos,
        message: impl Into<String>,
    ) {
        self.add(source, pos, Severity::Warning, message.into());
    }

    /// An error about a whole file, or a file without usable text.
    pub(crate) fn file_error(&mut self, path: &Path, pos: Pos, message: impl Into<String>) {
        self.items.push(Diagnostic {
            path: path.to_path_buf(),
            pos,
            severity: Severity::Error,
            message: one_line(message.into()),
            source_line: None,
        });
    }

    fn add(&mut self, source: &SourceText<'_>, pos: Pos, severity: Severity, message: String) {
        self.items.push(Diagnostic {
            path: source.path.to_path_buf(),
            pos,
            severity,
            message: one_line(message),
            source_line: self.cursor.line(source, pos.line),
        });
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub(crate) fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Whether there are no problems at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every problem.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub(crate) fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Sorts by file, then place, so that output does not depend on load order.
    pub(crate) fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.path, a.pos, a.severity, &a.message).cmp(&(&b.path, b.pos, b.severity, &b.message))
        });
    }
}

/// Messages quote content, which may hold line breaks and other control characters (a key
/// such as `"a\nb"`): they are shown escaped, so that every diagnostic stays one line.
fn one_line(message: String) -> String {
    if !message.chars().any(char::is_control) {
        return message;
    }
    message
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        let mut diagnostics = Diagnostics::new();
        for d in iter {
            diagnostics.push(d);
        }
        diagnostics
    }
}

impl Diagnostic {
    /// What kind of problem this is, to count like with like: the words of the message before
    /// its first detail, without quoted values, numbers and names (`unknown answer "hel" for
    /// indicator …` is an `unknown answer`; `1 of 88 indicators are unanswered …` is
    /// `indicators are unanswered`).
    pub fn kind(&self) -> String {
        let head = self
            .message
            .split([';', ':', '(', ','])
            .next()
            .unwrap_or_default();
        // Quoted values are details; so are the numbers of a leading "N of M".
        let mut unquoted = String::with_capacity(head.len());
        let mut quoted = false;
        for c in head.chars() {
            if matches!(c, '"' | '`') {
                quoted = !quoted;
            } else if !quoted {
                unquoted.push(c);
            }
        }
        let mut words: Vec<&str> = Vec::new();
        let mut all = unquoted.split_whitespace().peekable();
        if all
            .peek()
            .is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
        {
            all.next();
            if all.peek() == Some(&"of") {
                all.next();
            }
        }
        for word in all {
            // A name (Kumla, Örebro) ends the kind; an acronym (YAML) does not.
            let mut chars = word.chars();
            let capital = chars.next().is_some_and(char::is_uppercase);
            if capital && chars.any(char::is_lowercase) {
                break;
            }
            if word.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            words.push(word);
        }
        if words.is_empty() {
            "other".to_string()
        } else {
            words.join(" ")
        }
    }
}

/// How many problems there are, of each severity and each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub errors: usize,
    pub warnings: usize,
    /// The files with at least one problem.
    pub files: usize,
    /// Each severity and kind with its count: errors first, then the most frequent first.
    pub kinds: Vec<(Severity, String, usize)>,
}

impl Diagnostics {
    /// Counts the problems, by severity and by kind (see [`Diagnostic::kind`]).
    pub(crate) fn tally(&self) -> Tally {
        let mut kinds: std::collections::HashMap<(Severity, String), usize> =
            std::collections::HashMap::new();
        let mut files = std::collections::HashSet::new();
        for d in &self.items {
            *kinds.entry((d.severity, d.kind())).or_default() += 1;
            files.insert(&d.path);
        }
        let mut kinds: Vec<(Severity, String, usize)> =
            kinds.into_iter().map(|((s, k), n)| (s, k, n)).collect();
        kinds.sort_by(|a, b| {
            (a.0, std::cmp::Reverse(a.2), &a.1).cmp(&(b.0, std::cmp::Reverse(b.2), &b.1))
        });
        Tally {
            errors: self.error_count(),
            warnings: self.warning_count(),
            files: files.len(),
            kinds,
        }
    }

    /// The errors first, then the warnings, each kept in the order they have (file and place
    /// order once sorted).
    pub(crate) fn errors_first(&self) -> impl Iterator<Item = &Diagnostic> {
        let errors = self.items.iter().filter(|d| d.is_error());
        errors.chain(self.items.iter().filter(|d| !d.is_error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(message: &str) -> String {
        Diagnostic {
            path: PathBuf::from("a.yaml"),
            pos: Pos::START,
            severity: Severity::Error,
            message: message.to_string(),
            source_line: None,
        }
        .kind()
    }

    #[test]
    fn the_kind_leaves_out_values_numbers_and_names() {
        for (message, kind) in [
            (
                "unknown answer \"hel\" for indicator \"barn-1\" (did you mean \"helt\"?); expected \"helt\", \"delvis\" or \"inte\"",
                "unknown answer for indicator",
            ),
            (
                "unknown answer \"ja\" for indicator \"aldre-3\"; expected \"helt\", \"delvis\" or \"inte\"",
                "unknown answer for indicator",
            ),
            (
                "1 of 88 indicators are unanswered (obesvarad): teknik-4; they are shown grey",
                "indicators are unanswered",
            ),
            (
                "indicator \"aldre-1\" is answered twice: it is already answered on line 6; expected one answer per indicator",
                "indicator is answered twice",
            ),
            (
                "found a second published assessment of Kumla (1881) for 2017: assessments/2017/1881-kumla.yaml is already published; expected one published assessment per municipality and year",
                "found a second published assessment of",
            ),
            (
                "invalid YAML: found a tab; expected spaces for indentation",
                "invalid YAML",
            ),
            ("found 5 fields; expected 6", "found fields"),
            (
                "found the year 1989; expected a year between 1990 and 2100",
                "found the year",
            ),
            ("\"x\"", "other"),
        ] {
            assert_eq!(kind_of(message), kind, "{message}");
        }
    }

    #[test]
    fn a_tally_counts_each_kind_errors_first_and_lists_errors_before_warnings() {
        let mut diagnostics = Diagnostics::new();
        let source = SourceText {
            path: Path::new("b.yaml"),
            text: "a: 1\n",
        };
        diagnostics.warning(&source, Pos::START, "1 of 9 indicators are unanswered");
        diagnostics.error(&source, Pos::new(2, 1), "unknown key \"x\"");
        diagnostics.warning(&source, Pos::START, "2 of 9 indicators are unanswered");
        diagnostics.error(&source, Pos::new(3, 1), "unknown key \"y\"");
        diagnostics.error(&source, Pos::new(4, 1), "missing key \"z\"");
        let tally = diagnostics.tally();
        assert_eq!((tally.errors, tally.warnings, tally.files), (3, 2, 1));
        assert_eq!(
            tally.kinds,
            [
                (Severity::Error, "unknown key".to_string(), 2),
                (Severity::Error, "missing key".to_string(), 1),
                (
                    Severity::Warning,
                    "indicators are unanswered".to_string(),
                    2
                ),
            ]
        );
        let order: Vec<Severity> = diagnostics.errors_first().map(|d| d.severity).collect();
        assert_eq!(
            order,
            [
                Severity::Error,
                Severity::Error,
                Severity::Error,
                Severity::Warning,
                Severity::Warning
            ]
        );
    }
}
