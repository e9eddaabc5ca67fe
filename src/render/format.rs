//! Numbers and shares the way the site's language writes them.

use crate::model::Language;

/// `10587710` → `10 587 710` (Swedish, with no-break spaces) or `10,587,710` (English).
pub(crate) fn integer(value: u64, language: Language) -> String {
    let digits = value.to_string();
    let separator = match language {
        Language::Sv => "\u{a0}",
        Language::En => ",",
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

/// A share as a whole percentage: `0.3214` → `32 %` (Swedish) or `32%` (English).
pub(crate) fn percent(share: f64, language: Language) -> String {
    let whole = (share * 100.0).round() as i64;
    match language {
        Language::Sv => format!("{whole}\u{a0}%"),
        Language::En => format!("{whole}%"),
    }
}

/// A number with one decimal: `2.46` → `2,5` (Swedish) or `2.5` (English).
pub(crate) fn decimal(value: f64, language: Language) -> String {
    let text = format!("{value:.1}");
    match language {
        Language::Sv => text.replace('.', ",").replace('-', "−"),
        Language::En => text,
    }
}

/// A signed difference in percentage points: `+5`, `−3`, `±0`.
pub(crate) fn points_difference(difference: f64) -> String {
    let whole = (difference * 100.0).round() as i64;
    match whole {
        0 => "±0".to_string(),
        w if w > 0 => format!("+{w}"),
        w => format!("−{}", -w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_and_english() {
        assert_eq!(integer(10_587_710, Language::Sv), "10\u{a0}587\u{a0}710");
        assert_eq!(integer(995, Language::En), "995");
        assert_eq!(integer(1_000, Language::En), "1,000");
        assert_eq!(percent(0.3214, Language::Sv), "32\u{a0}%");
        assert_eq!(percent(0.005, Language::En), "1%");
        assert_eq!(decimal(2.46, Language::Sv), "2,5");
        assert_eq!(points_difference(-0.034), "−3");
        assert_eq!(points_difference(0.001), "±0");
    }
}
