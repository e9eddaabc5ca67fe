//! Text for the picture: XML escaping, and widths estimated from DejaVu Sans metrics so that
//! labels can be wrapped and fitted without a font engine.

use std::borrow::Cow;

/// Advance widths of DejaVu Sans for U+0020..=U+007E, in font units (2048 per em).
const ASCII_ADVANCES: [u16; 95] = [
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303,
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048,
    1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235,
    1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024,
    1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300,
    1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
];
const UNITS_PER_EM: f64 = 2048.0;

/// The advance of one character in em. Letters outside ASCII that are common in Swedish
/// names have their own width; anything unknown gets a generous width, so that an
/// estimate errs towards more room.
fn advance_em(c: char) -> f64 {
    let units = match c {
        ' '..='~' => ASCII_ADVANCES[c as usize - 0x20],
        'å' | 'ä' | 'à' | 'á' | 'â' => 1255,
        'ö' | 'ó' | 'ò' | 'ô' | 'ø' => 1253,
        'Å' | 'Ä' | 'À' | 'Á' | 'Â' => 1401,
        'Ö' | 'Ó' | 'Ò' | 'Ô' | 'Ø' => 1612,
        'é' | 'è' | 'ê' | 'ë' => 1260,
        'É' | 'È' | 'Ê' | 'Ë' => 1294,
        'ü' | 'ú' | 'ù' | 'û' | 'ñ' => 1298,
        'Ü' | 'Ú' | 'Ù' | 'Û' => 1499,
        'í' | 'ì' | 'î' | 'ï' => 569,
        'ç' => 1126,
        'æ' => 2011,
        'Æ' => 1995,
        '–' => 1024,
        '—' | '…' => 2048,
        '’' | '‘' | '·' => 651,
        '“' | '”' => 1061,
        c if c as u32 >= 0x2E80 => 2048,
        _ => 1450,
    };
    f64::from(units) / UNITS_PER_EM
}

/// The estimated width of `text` set in DejaVu Sans at `font_size` px.
pub(crate) fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().map(advance_em).sum::<f64>() * font_size
}

const ELLIPSIS: char = '…';

/// `text` cut to fit `max_width`, ending in an ellipsis when anything was cut.
pub(crate) fn truncate(text: &str, font_size: f64, max_width: f64) -> String {
    if text_width(text, font_size) <= max_width {
        return text.to_string();
    }
    let budget = max_width - advance_em(ELLIPSIS) * font_size;
    let mut width = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        width += advance_em(c) * font_size;
        if width > budget {
            break;
        }
        out.push(c);
    }
    let kept = out.trim_end().len();
    out.truncate(kept);
    out.push(ELLIPSIS);
    out
}

/// Greedy word wrap into at most `max_lines` lines of at most `max_width`. A word wider than
/// a line is cut; text left over after the last line is replaced by an ellipsis.
pub(crate) fn wrap(text: &str, font_size: f64, max_width: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut overflow = false;
    for word in text.split_whitespace() {
        let candidate_width = if current.is_empty() {
            text_width(word, font_size)
        } else {
            text_width(&current, font_size)
                + text_width(" ", font_size)
                + text_width(word, font_size)
        };
        if candidate_width <= max_width {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if lines.len() == max_lines {
            overflow = true;
            break;
        }
        // A word wider than a line is split over lines, at a hyphen where it has one.
        let mut rest = word;
        while text_width(rest, font_size) > max_width && lines.len() < max_lines {
            let (head, tail) = split_word(rest, font_size, max_width);
            if head.is_empty() {
                break;
            }
            lines.push(head);
            rest = tail;
        }
        if lines.len() == max_lines {
            overflow = true;
            break;
        }
        if text_width(rest, font_size) <= max_width {
            current.push_str(rest);
        } else {
            current = truncate(rest, font_size, max_width);
        }
    }
    if !current.is_empty() {
        if lines.len() == max_lines {
            overflow = true;
        } else {
            lines.push(current);
        }
    }
    if overflow && let Some(last) = lines.last_mut() {
        let with_ellipsis = format!("{last}{ELLIPSIS}");
        *last = truncate(&with_ellipsis, font_size, max_width);
        if !last.ends_with(ELLIPSIS) {
            last.push(ELLIPSIS);
        }
    }
    lines
}

/// The longest start of `word` that fits `max_width` as a line of its own: up to and including
/// its last fitting hyphen, or else cut anywhere with a hyphen added.
fn split_word(word: &str, font_size: f64, max_width: f64) -> (String, &str) {
    let mut width = 0.0;
    let mut last_hyphen = None;
    let mut fits = 0;
    let hyphen_width = advance_em('-') * font_size;
    for (at, c) in word.char_indices() {
        width += advance_em(c) * font_size;
        if width > max_width {
            break;
        }
        if c == '-' && at > 0 {
            last_hyphen = Some(at + 1);
        }
        if width + hyphen_width <= max_width {
            fits = at + c.len_utf8();
        }
    }
    match last_hyphen {
        Some(end) if end < word.len() => (word[..end].to_string(), &word[end..]),
        _ if fits == 0 => (String::new(), word),
        _ => (format!("{}-", &word[..fits]), &word[fits..]),
    }
}

/// Characters that XML 1.0 does not allow at all; they are dropped.
fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

fn needs_escape(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'') || forbidden_in_xml(c)
}

/// Appends `text` escaped for XML text and attribute values (`& < > " '`), dropping
/// characters that XML cannot hold.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if forbidden_in_xml(c) => {}
            c => out.push(c),
        }
    }
}

/// `text` escaped for XML text and attribute values.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    if !crate::render::escape::may_need_escaping(text) || !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    escape_into(&mut out, text);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;"
        );
        assert!(matches!(escape("Äldre & omsorg"), Cow::Owned(_)));
        assert!(matches!(escape("Äldre"), Cow::Borrowed("Äldre")));
    }

    #[test]
    fn escape_drops_characters_xml_cannot_hold() {
        assert_eq!(escape("a\u{0}b\u{1B}c\td\ne"), "abc\td\ne");
    }

    #[test]
    fn widths_follow_the_font() {
        // "Äldre" in DejaVu Sans: 1401 + 569 + 1300 + 842 + 1260 units.
        let expected = f64::from(1401 + 569 + 1300 + 842 + 1260) / 2048.0 * 20.0;
        assert!((text_width("Äldre", 20.0) - expected).abs() < 1e-9);
        assert!(text_width("WWW", 10.0) > text_width("iii", 10.0));
    }

    #[test]
    fn wrap_breaks_at_words_and_marks_what_is_left_out() {
        let lines = wrap("Ledning & arbetssätt", 13.0, 90.0, 3);
        assert_eq!(lines, ["Ledning &", "arbetssätt"]);
        let long = "Kulturintresserade, fritidsutövare & besökare i hela kommunen";
        let lines = wrap(long, 14.0, 150.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        for line in &lines {
            assert!(text_width(line, 14.0) <= 150.0, "{line}");
        }
    }

    #[test]
    fn wrap_splits_a_word_wider_than_the_line() {
        let lines = wrap("Arbetssätt och verksamhetsutveckling", 13.0, 110.0, 3);
        assert_eq!(lines, ["Arbetssätt och", "verksamhetsutv-", "eckling"]);
        assert_eq!(
            wrap("E-tjänsteplattform", 13.0, 117.0, 3),
            ["E-", "tjänsteplattform"]
        );
        let lines = wrap("Donaudampfschifffahrtsgesellschaft", 14.0, 80.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].ends_with('-') && lines[1].ends_with('…'),
            "{lines:?}"
        );
        for line in &lines {
            assert!(text_width(line, 14.0) <= 80.0, "{line}");
        }
    }

    #[test]
    fn truncate_keeps_text_that_fits() {
        assert_eq!(truncate("Kumla", 20.0, 200.0), "Kumla");
        let cut = truncate("Blomlåda för Upplands Väsby 2017", 20.0, 120.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 20.0) <= 120.0,
            "{cut}"
        );
    }
}
