//! A picture's title and summary, word by word, for the rasteriser alone.
//!
//! The title and the summary are the lines that change from one picture to the next
//! ("Blomlåda för Kumla 2017", "41 uppfyller helt, 32 delvis, …"), so as whole lines they
//! were drawn again for every picture, and text is the dearest thing to draw. Split into one
//! `<text>` a word, each word where the whole line puts it, most words are the same element
//! at the same place as in an earlier picture, and their layers are kept ([`super::layers`]).
//! The places come from shaping the whole line with the shaper resvg uses and the font the
//! rasteriser has, kerning included, so a word lands where resvg would set it. A line is left
//! whole when anything but its class, size and colour could change how it is set. The SVG
//! that is published stays as it is: a browser may set it in another font.

use std::borrow::Cow;
use std::fmt::Write as _;

use harfrust::{FontRef, ShapeOptions, ShaperData, UnicodeBuffer};

/// The start tags of the lines split, as the picture writes them.
const LINES: [&str; 2] = ["<text class=\"title\" ", "<text class=\"summary\" "];

/// Places words in the rasteriser's one font.
pub(super) struct Words {
    font: FontRef<'static>,
    shaper_data: ShaperData,
}

impl Words {
    /// For `font`, or `None` when it cannot be read (lines then stay whole).
    pub(super) fn new(font: &'static [u8]) -> Option<Self> {
        let font = FontRef::new(font).ok()?;
        let shaper_data = ShaperData::new(&font);
        Some(Words { font, shaper_data })
    }

    /// `svg` with its title and summary split into words, or as it is when neither can be.
    pub(super) fn split_lines<'a>(&self, svg: &'a str) -> Cow<'a, str> {
        let mut out: Option<String> = None;
        let mut copied = 0;
        for start_tag in LINES {
            let Some(at) = svg[copied..].find(start_tag).map(|at| at + copied) else {
                continue;
            };
            let Some(line) = Line::at(svg, at) else {
                continue;
            };
            let Some(starts) = self.word_starts(line.words, line.font_size) else {
                continue;
            };
            let out = out.get_or_insert_with(|| String::with_capacity(svg.len() + 512));
            out.push_str(&svg[copied..at]);
            line.write_words(&starts, out);
            copied = line.end;
        }
        match out {
            Some(mut out) => {
                out.push_str(&svg[copied..]);
                Cow::Owned(out)
            }
            None => Cow::Borrowed(svg),
        }
    }

    /// Where each word of `line` starts, in px from the line's start at `font_size`, summed
    /// as resvg sums the advances (in `f32`, glyph by glyph, kerning included) so that each
    /// word lands on the very coordinate it has in the whole line. `None` for text that is
    /// not set left to right, or whose words do not each begin a cluster of glyphs.
    fn word_starts(&self, line: &str, font_size: f32) -> Option<Vec<f32>> {
        if !line.chars().all(left_to_right) {
            return None;
        }
        let shaper = self.shaper_data.shaper(&self.font).build();
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(line);
        buffer.guess_segment_properties();
        let glyphs = shaper.shape(buffer, ShapeOptions::new());
        let scale = font_size / f32::from(u16::try_from(shaper.units_per_em()).ok()?);
        let mut word_byte_starts = std::iter::once(0)
            .chain(line.match_indices(' ').map(|(at, _)| at + 1))
            .peekable();
        let mut starts = Vec::new();
        let mut advance = 0.0f32;
        for (info, position) in glyphs.glyph_infos().iter().zip(glyphs.glyph_positions()) {
            if position.x_offset != 0 || position.y_offset != 0 {
                return None;
            }
            if word_byte_starts.peek() == Some(&(info.cluster as usize)) {
                word_byte_starts.next();
                starts.push(advance);
            }
            advance += position.x_advance as f32 * scale;
        }
        // Every word must start a cluster of its own.
        (word_byte_starts.next().is_none()).then_some(starts)
    }
}

/// Whether `c` is set left to right in the fonts the pictures use: Latin letters, digits,
/// punctuation and the common signs.
fn left_to_right(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{24f}' | '\u{2010}'..='\u{2027}')
}

/// One `<text …><tspan x=".." y="..">words</tspan></text>` of the picture.
struct Line<'a> {
    /// The `<text` start tag, whose attributes each word keeps.
    start_tag: &'a str,
    font_size: f32,
    x: f32,
    y: &'a str,
    words: &'a str,
    /// Where the line's markup ends in the picture.
    end: usize,
}

impl<'a> Line<'a> {
    /// The line whose `<text` starts at `at`, if it is one that can be split.
    fn at(svg: &'a str, at: usize) -> Option<Self> {
        let tag_end = at + svg[at..].find('>')? + 1;
        let start_tag = &svg[at..tag_end];
        let font_size = only_class_size_and_fill(start_tag)?;
        let rest = svg[tag_end..].strip_prefix("<tspan x=\"")?;
        let (x, rest) = rest.split_once("\" y=\"")?;
        let (y, rest) = rest.split_once("\">")?;
        let (words, rest) = rest.split_once("</tspan></text>")?;
        // Escaped characters and markup would need reading; words are parted by single
        // spaces, as others collapse.
        let plain = !words.contains(['<', '&'])
            && !words.starts_with(' ')
            && !words.ends_with(' ')
            && !words.contains("  ");
        if !plain || !words.contains(' ') || !is_number(x) || !is_number(y) {
            return None;
        }
        Some(Line {
            start_tag,
            font_size,
            x: x.parse().ok()?,
            y,
            words,
            end: svg.len() - rest.len(),
        })
    }

    /// The line as one `<text>` a word, at `starts` (px from the line's start, one a word).
    fn write_words(&self, starts: &[f32], out: &mut String) {
        for (word, start) in self.words.split(' ').zip(starts) {
            out.push_str(self.start_tag);
            // Written in full, so that resvg reads back the very `f32`.
            let _ = write!(
                out,
                "<tspan x=\"{}\" y=\"{}\">{word}</tspan></text>",
                self.x + start,
                self.y
            );
        }
    }
}

/// The font size of a `<text` start tag whose attributes are a class, a font size and a
/// fill, in that order and nothing else: no weight, anchor, spacing or transform.
fn only_class_size_and_fill(start_tag: &str) -> Option<f32> {
    let rest = start_tag.strip_prefix("<text class=\"")?;
    let (class, rest) = rest.split_once("\" font-size=\"")?;
    let (size, rest) = rest.split_once("\" fill=\"")?;
    let (fill, rest) = rest.split_once('"')?;
    let simple = |value: &str| value.chars().all(|c| c.is_ascii_alphanumeric() || c == '#');
    if rest != ">" || !simple(class) || !simple(fill) || !is_number(size) {
        return None;
    }
    size.parse().ok()
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::png::Rasterizer;

    const TITLE: &str = "<text class=\"title\" font-size=\"26\" fill=\"#1d2a1d\"><tspan x=\"24\" y=\"36.2\">Blomlåda för Vara 2017</tspan></text>";
    const SUMMARY: &str = "<text class=\"summary\" font-size=\"16\" fill=\"#3d4a3d\"><tspan x=\"24\" y=\"62.3\">41 uppfyller helt, 32 delvis, 15 inte av 88 indikatorer</tspan></text>";

    fn words() -> Words {
        Words::new(crate::render::png::DEJAVU_SANS).unwrap()
    }

    fn picture(lines: &str) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 90\" font-family=\"DejaVu Sans, sans-serif\"><rect width=\"600\" height=\"90\" fill=\"#fbfcf8\"/>\n{lines}\n</svg>\n"
        )
    }

    #[test]
    fn lines_split_into_words_draw_the_very_same_pixels() {
        let rasterizer = Rasterizer::new();
        let words = words();
        for (old, new) in [
            ("Vara", "Vara"),
            ("Vara", "Upplands Väsby"),
            ("Vara", "Malung-Sälen"),
            ("Vara", "Åre"),
            ("Vara", "Östra Göinge"),
            ("Blomlåda för Vara", "Flower box for Ystad"),
            ("Blomlåda för Vara", "Tavastehus “T. A. V.” — ärr…"),
        ] {
            let title = "Blomlåda för Vara 2017".replace(old, new);
            let svg = picture(&format!("{}\n{SUMMARY}", TITLE.replace(old, new)));
            let split = words.split_lines(&svg);
            let summary_words = 10;
            assert_eq!(
                split.matches("<text ").count(),
                title.split(' ').count() + summary_words,
                "{split}"
            );
            assert_eq!(
                rasterizer.png_whole(&split).unwrap(),
                rasterizer.png_whole(&svg).unwrap(),
                "{new}"
            );
        }
    }

    #[test]
    fn a_word_after_a_kerned_pair_starts_where_the_kerned_line_puts_it() {
        // "V" and "a" are kerned closer in DejaVu Sans: "2017" starts before the sum of the
        // four letters' and the space's own advances.
        let starts = words().word_starts("Vara 2017", 26.0).unwrap();
        let unkerned = (1401 + 1255 + 842 + 1255 + 651) as f32 / 2048.0 * 26.0;
        assert_eq!(starts[0], 0.0);
        assert!(starts[1] < unkerned - 0.1, "{starts:?}");
    }

    #[test]
    fn the_next_picture_reuses_the_words_it_shares() {
        let rasterizer = Rasterizer::new();
        rasterizer
            .png(&picture(&format!("{TITLE}\n{SUMMARY}")))
            .unwrap();
        let (_, reused_before) = rasterizer.layer_counts();
        let other = format!(
            "{}\n{}",
            TITLE.replace("Vara", "Kumla"),
            SUMMARY.replace("41", "40").replace("32", "33")
        );
        rasterizer.png(&picture(&other)).unwrap();
        let (_, reused_after) = rasterizer.layer_counts();
        // The background, "Blomlåda", "för", and the summary's words but two numbers.
        assert_eq!(reused_after - reused_before, 1 + 2 + 8);
    }

    #[test]
    fn lines_that_cannot_be_placed_exactly_stay_whole() {
        for line in [
            TITLE.replace("Vara", "V&amp;ra"),
            TITLE.replace("Vara", "北京"),
            TITLE.replace("Vara", "עברית"),
            TITLE.replace("Vara 2017", "Vara  2017"),
            TITLE.replace("fill=\"#1d2a1d\"", "fill=\"#1d2a1d\" text-anchor=\"end\""),
            TITLE.replace("fill=\"#1d2a1d\"", "fill=\"#1d2a1d\" font-weight=\"bold\""),
            TITLE.replace("Blomlåda för Vara 2017", "Blomlåda"),
        ] {
            let svg = picture(&line);
            assert!(
                matches!(words().split_lines(&svg), Cow::Borrowed(_)),
                "{line}"
            );
        }
    }
}
