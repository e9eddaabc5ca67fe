//! Fast checks for text that goes into markup.
//!
//! Nearly all text needs no change: a scan of its bytes, in blocks the compiler can vectorise,
//! says so far faster than decoding its characters. Only text that may need a change is then
//! looked at character by character.

/// Code points that HTML calls parse errors and XML 1.0 cannot hold: C0 controls other than
/// tab, line feed and carriage return, DEL, C1 controls and noncharacters.
pub(crate) fn forbidden_in_markup(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FDD0}'..='\u{FDEF}')
        || (u32::from(c) & 0xFFFE) == 0xFFFE
}

/// Bytes that start or are a character needing attention: ASCII controls other than tab and
/// line breaks, DEL, the lead byte of U+0080–U+00BF (the C1 controls are there) and lead bytes
/// from U+F000 up (the noncharacters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF are there).
fn maybe_forbidden(b: u8) -> bool {
    (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') || b == 0x7F || b == 0xC2 || b >= 0xEF
}

/// Bytes that XML escapes: `& < > " '`.
fn markup(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
}

/// How many bytes the checks look at without branching.
const BLOCK: usize = 32;

/// Whether any byte of `text` is flagged by `flag`, checking 32 bytes at a time without
/// branching inside a block.
fn any_byte(text: &str, flag: impl Fn(u8) -> bool) -> bool {
    text.as_bytes()
        .chunks(BLOCK)
        .any(|block| block.iter().fold(false, |found, &b| found | flag(b)))
}

/// Whether `text` holds a code point that markup cannot carry. Text with a `·`, `§` or
/// non-breaking space (lead byte 0xC2) is common, so blocks without a flagged byte are passed
/// over whole, and only the characters at flagged bytes are decoded.
pub(crate) fn holds_forbidden(text: &str) -> bool {
    let bytes = text.as_bytes();
    for (block, chunk) in bytes.chunks(BLOCK).enumerate() {
        if !chunk
            .iter()
            .fold(false, |found, &b| found | maybe_forbidden(b))
        {
            continue;
        }
        for (offset, &b) in chunk.iter().enumerate() {
            if !maybe_forbidden(b) {
                continue;
            }
            // A flagged byte is ASCII or a lead byte, so it starts a character.
            let at = block * BLOCK + offset;
            if text
                .get(at..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(forbidden_in_markup)
            {
                return true;
            }
        }
    }
    false
}

/// `text` without the code points markup cannot hold ([`forbidden_in_markup`]); borrowed
/// when it holds none, as nearly all text does.
pub(crate) fn without_forbidden(text: &str) -> std::borrow::Cow<'_, str> {
    if holds_forbidden(text) {
        text.chars().filter(|&c| !forbidden_in_markup(c)).collect()
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// False when `text` certainly needs neither escaping nor cleaning for XML or HTML.
pub(crate) fn may_need_escaping(text: &str) -> bool {
    any_byte(text, |b| markup(b) || maybe_forbidden(b))
}

/// Writes `text` with `& < > " '` replaced by the entities `entity` gives, in as few writes
/// as there are such characters plus one.
pub(crate) fn escape_with<E>(
    text: &str,
    entity: fn(u8) -> &'static str,
    mut write: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let mut start = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if markup(b) {
            // These are ASCII, so `i` is at a character boundary.
            write(&text[start..i])?;
            write(entity(b))?;
            start = i + 1;
        }
    }
    write(&text[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_code_points_are_dropped_and_clean_text_is_borrowed() {
        assert_eq!(without_forbidden("a\u{0}b\u{85}c\u{FFFE}d\te"), "abcd\te");
        assert!(matches!(
            without_forbidden("Äldre · omsorg"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn byte_check_never_misses_a_forbidden_character() {
        for code in 0..=0x10FFFF_u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let text = format!("Äldre · {c}omsorg och en lång text efter, längre än ett block");
            assert_eq!(
                holds_forbidden(&text),
                forbidden_in_markup(c),
                "U+{code:04X}"
            );
            if forbidden_in_markup(c) {
                assert!(may_need_escaping(&text), "U+{code:04X}");
            }
        }
    }

    #[test]
    fn ordinary_swedish_text_passes_without_a_closer_look() {
        let text =
            "Privatpersoner kan via digital tjänst ansöka om stöd – även på åländska, 100 %.\n\t";
        assert!(!holds_forbidden(text));
        assert!(!may_need_escaping(text));
        assert!(may_need_escaping("a < b"));
        assert!(may_need_escaping(&format!("{}'", "x".repeat(100))));
    }

    #[test]
    fn escape_replaces_each_markup_character() {
        let mut out = String::new();
        let entity = |b| match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        escape_with(r#"å<b>&"ö'"#, entity, |s| {
            out.push_str(s);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(out, "å&lt;b&gt;&amp;&quot;ö&#39;");
    }
}
