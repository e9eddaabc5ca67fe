//! "Did you mean" for near misses: indicator ids, answers, keys, codes and names.

/// Folds case and the Swedish letters so that `Malmo` finds `Malmö` and `HELT` finds `helt`,
/// and characters that look alike (`l` and `1`, `O` and `0`) so that `aldre-l` finds
/// `aldre-1` before `aldre-2`.
fn fold(s: &str) -> Vec<char> {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ó' | 'ø' | '0' => 'o',
            'é' | 'è' => 'e',
            'l' | '|' => '1',
            '_' | ' ' => '-',
            other => other,
        })
        .collect()
}

/// Optimal string alignment distance: edits, including swapping two neighbours.
fn distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = best;
        }
    }
    rows[a.len() * width + b.len()]
}

/// The candidate closest to `wanted`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let folded = fold(wanted);
    if folded.is_empty() {
        return None;
    }
    let limit = (folded.len() / 3).clamp(1, 4);
    // The nearest candidate, and whether another one is just as near: then neither is a
    // better guess than the list of what is expected.
    let mut best: Option<(usize, &'a str, bool)> = None;
    for candidate in candidates {
        let other = fold(candidate);
        // Cheap length check first: long candidate lists (290 names) stay fast.
        if other.len().abs_diff(folded.len()) > limit {
            continue;
        }
        let d = distance(&folded, &other);
        if d > limit {
            continue;
        }
        best = match best {
            Some((bd, bc, _)) if d == bd && bc != candidate => Some((bd, bc, true)),
            Some((bd, _, _)) if d >= bd => best,
            _ => Some((d, candidate, false)),
        };
    }
    best.filter(|(_, _, tied)| !tied).map(|(_, c, _)| c)
}

/// `" (did you mean \"x\"?)"`, or nothing.
pub(crate) fn did_you_mean<'a, I>(wanted: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match closest(wanted, candidates) {
        Some(c) => format!(" (did you mean \"{c}\"?)"),
        None => String::new(),
    }
}

/// Lists candidates for a message: `a, b or c`.
pub(crate) fn one_of(options: &[&str]) -> String {
    match options {
        [] => String::new(),
        [one] => format!("\"{one}\""),
        [init @ .., last] => {
            let head: Vec<String> = init.iter().map(|o| format!("\"{o}\"")).collect();
            format!("{} or \"{last}\"", head.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_folded_letters() {
        assert_eq!(closest("helr", ["helt", "delvis", "inte"]), Some("helt"));
        assert_eq!(closest("HELT", ["helt", "delvis", "inte"]), Some("helt"));
        assert_eq!(closest("Malmo", ["Malmö", "Lund"]), Some("Malmö"));
        assert_eq!(closest("aldre-l", ["aldre-1", "aldre-2"]), Some("aldre-1"));
        assert_eq!(closest("anwsers", ["answers", "summary"]), Some("answers"));
        assert_eq!(closest("O18O", ["0180", "0181"]), Some("0180"));
    }

    #[test]
    fn gives_no_guess_between_equals() {
        assert_eq!(closest("v4", ["v2", "v3"]), None);
        assert_eq!(closest("13", ["03", "12", "18"]), None);
    }

    #[test]
    fn rejects_far_candidates() {
        assert_eq!(closest("xyz", ["helt", "delvis", "inte"]), None);
        assert_eq!(closest("", ["a"]), None);
    }

    #[test]
    fn lists_options() {
        assert_eq!(
            one_of(&["helt", "delvis", "inte"]),
            "\"helt\", \"delvis\" or \"inte\""
        );
    }
}
