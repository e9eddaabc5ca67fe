//! Colours of the picture. Every indicator shape has a dark outline ([`INK`]) so that it stands
//! out at least 3:1 against whatever it is drawn on (WCAG 1.4.11); the fills differ in
//! colour and in pattern, so that colour is never the only cue.

/// The picture's background (a warm white).
pub(crate) const BACKGROUND: &str = "#fbfcf8";
/// Outlines of every indicator shape, bar and swatch, and all text.
pub(crate) const INK: &str = "#1d2a1d";
/// Secondary text (the summary line).
pub(crate) const MUTED_INK: &str = "#3d4a3d";
/// The soil inside the flower box, and its wooden frame.
pub(crate) const SOIL: &str = "#c49a6c";
pub(crate) const SOIL_FRAME: &str = "#6b4424";
pub(crate) const STEM: &str = "#557a3a";
pub(crate) const FLOWER_DISK: &str = "#6b4a2b";
/// Name tags of the flowers.
pub(crate) const TAG: &str = "#ffffff";
pub(crate) const TAG_EDGE: &str = "#8a968a";

/// How an answer (or its absence) is painted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AnswerStyle {
    /// `helt`, `delvis`, `inte`, `obesvarad`: CSS class suffix and pattern id suffix.
    pub key: &'static str,
    pub fill: &'static str,
    /// Colour of the pattern drawn over the fill (none for helt, which is solid).
    pub pattern_ink: &'static str,
}

/// Helt, delvis, inte, obesvarad: the order of legends, bars and bands.
pub(crate) const ANSWER_STYLES: [AnswerStyle; 4] = [
    AnswerStyle {
        key: "helt",
        fill: "#4e9f46",
        pattern_ink: "",
    },
    AnswerStyle {
        key: "delvis",
        fill: "#f3c53a",
        pattern_ink: "#8c6a00",
    },
    AnswerStyle {
        key: "inte",
        fill: "#dc4b32",
        pattern_ink: "#5a0f04",
    },
    AnswerStyle {
        key: "obesvarad",
        fill: "#d2d4d0",
        pattern_ink: "#5f645f",
    },
];

/// The answers in the order of [`ANSWER_STYLES`].
pub(crate) use crate::model::ANSWER_ORDER;

/// The `<pattern>` of each answer but helt (plain): delvis hatched, inte cross-hatched,
/// obesvarad dotted, with ids `{prefix}fill-{key}`. Pictures that draw answers (the flower
/// box, maps, charts) put these in their `<defs>`.
pub(crate) fn answer_patterns(out: &mut String, prefix: &str) {
    use std::fmt::Write as _;
    // Tiles are upright and a whole number of units wide: resvg then samples them pixel for
    // pixel instead of bicubically (see the flower box's `Turn`). The diagonal lines run on
    // into the neighbouring tiles, with the bits that cross a corner drawn too.
    for style in &ANSWER_STYLES[1..] {
        let (size, marks) = match style.key {
            "delvis" => (
                7,
                "<path d=\"M0 7L7 0M-1 1L1 -1M6 8L8 6\" stroke-width=\"1.3\"/>",
            ),
            "inte" => (
                8,
                "<path d=\"M0 8L8 0M-1 1L1 -1M7 9L9 7M0 0L8 8M-1 7L1 9M7 -1L9 1\" stroke-width=\"1.2\"/>",
            ),
            _ => (
                5,
                "<circle cx=\"2.5\" cy=\"2.5\" r=\"0.9\" stroke=\"none\"/>",
            ),
        };
        let _ = writeln!(
            out,
            "<pattern id=\"{prefix}fill-{key}\" patternUnits=\"userSpaceOnUse\" width=\"{size}\" height=\"{size}\">\
             <rect width=\"{size}\" height=\"{size}\" fill=\"{fill}\"/>\
             <g stroke=\"{ink}\" fill=\"{ink}\">{marks}</g></pattern>",
            key = style.key,
            fill = style.fill,
            ink = style.pattern_ink,
        );
    }
}

/// The paint of an answer's shapes: its plain colour (helt) or its pattern.
pub(crate) fn answer_paint(style: &AnswerStyle, prefix: &str) -> String {
    if style.pattern_ink.is_empty() {
        style.fill.to_string()
    } else {
        format!("url(#{prefix}fill-{})", style.key)
    }
}

/// Relative luminance of `#rrggbb` (WCAG 2.1).
#[cfg(test)]
fn relative_luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let value = u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap();
        let c = f64::from(value) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

#[cfg(test)]
pub(crate) fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_known_values() {
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
    }

    #[test]
    fn outlines_stand_out_against_every_background_and_fill() {
        for background in [BACKGROUND, SOIL, TAG] {
            assert!(contrast(INK, background) >= 4.5, "{background}");
        }
        for style in ANSWER_STYLES {
            assert!(contrast(INK, style.fill) >= 3.0, "{}", style.key);
        }
    }

    #[test]
    fn text_is_readable() {
        assert!(contrast(MUTED_INK, BACKGROUND) >= 4.5);
        assert!(contrast(INK, SOIL) >= 4.5);
    }

    #[test]
    fn patterns_show_on_their_fill() {
        for style in &ANSWER_STYLES[1..] {
            assert!(
                contrast(style.pattern_ink, style.fill) >= 3.0,
                "{}",
                style.key
            );
        }
    }
}
