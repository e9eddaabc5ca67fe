//! Similar municipalities, as Kolada offers "liknande kommuner": for an assessment, the five
//! assessments of the same year and catalogue nearest to it by their answers, and the five of
//! its size class nearest to it in population.
//!
//! **Distance by answers.** Each answer is its points (helt 3, delvis 2, inte 1). Two
//! assessments are compared on the indicators both answered; their distance is the mean
//! absolute difference there, from 0 (the same answers) to 2 (helt against inte everywhere).
//! Unanswered indicators are left out rather than counted as a difference, and a pair that
//! has fewer than half of the catalogue's indicators answered in common is not compared at
//! all. Ties go to the nearer population, then the lower code.
//!
//! Answers are packed in bits (answered, at least delvis, helt), so that a difference is a
//! few XORs and bit counts: every assessment of a group can be compared with every other. A
//! year with more than [`LARGE_GROUP`] assessments (far more than Sweden's 290 municipalities)
//! is searched within each county, so that very large sites still build in time.

use std::sync::OnceLock;

use serde::Serialize;

use crate::model::{Answer, Assessment, Content, SizeClass};

use super::Group;

/// How many similar municipalities are named.
pub(crate) const COUNT: usize = 5;
/// Above this many assessments in a year and catalogue, the search stays within each county.
pub(crate) const LARGE_GROUP: usize = 2_000;

/// How alike two assessments' answers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct Likeness {
    /// The sum of the point differences on the indicators both answered.
    pub differences: u32,
    /// How many indicators both answered.
    pub compared: u32,
    /// How many of those got the same answer.
    pub same: u32,
}

impl Likeness {
    /// The mean difference per indicator compared (0–2); `None` when nothing was compared.
    pub(crate) fn distance(&self) -> Option<f64> {
        (self.compared > 0).then(|| f64::from(self.differences) / f64::from(self.compared))
    }

    /// 1 − distance / 2: 1 for the same answers, 0 for opposite ones.
    pub(crate) fn similarity(&self) -> Option<f64> {
        self.distance().map(|d| 1.0 - d / 2.0)
    }

    /// Orders by distance exactly (as fractions), nearest first.
    fn nearer(&self, other: &Likeness) -> std::cmp::Ordering {
        (u64::from(self.differences) * u64::from(other.compared))
            .cmp(&(u64::from(other.differences) * u64::from(self.compared)))
    }
}

/// One similar assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct Neighbour {
    /// Index into `content.assessments`.
    pub assessment: usize,
    pub likeness: Likeness,
}

/// The similar assessments of one assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Similar {
    /// The nearest by answers, nearest first.
    pub by_answers: Vec<Neighbour>,
    /// The nearest in population within the size class, nearest first (ties: lower code).
    pub by_population: Vec<Neighbour>,
}

/// Every assessment's answers in bits, and where to look for its neighbours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Index {
    /// Per assessment: `words` words each of answered, at least delvis, and helt.
    bits: Vec<Vec<u64>>,
    /// The assessments searched together: a whole group, or a county of a large group.
    pools: Vec<Vec<usize>>,
    /// Per assessment, its pool.
    pool_of: Vec<usize>,
    /// Per assessment, its similar ones once found: its pages in every language, the
    /// comparison tables and the open data all ask for them.
    found: Found,
}

/// Answers found once and kept until the index changes. It says nothing of the index itself,
/// so two indexes are equal whatever each has found so far.
#[derive(Debug, Clone, Default)]
struct Found(Vec<OnceLock<Similar>>);

impl Found {
    fn for_assessments(count: usize) -> Found {
        Found((0..count).map(|_| OnceLock::new()).collect())
    }
}

impl PartialEq for Found {
    fn eq(&self, _: &Found) -> bool {
        true
    }
}

impl Eq for Found {}

fn pack(answers: &[Option<Answer>], indicators: usize) -> Vec<u64> {
    let words = indicators.div_ceil(64);
    let mut bits = vec![0u64; 3 * words];
    for (i, answer) in answers.iter().take(indicators).enumerate() {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let Some(answer) = answer else { continue };
        bits[word] |= bit;
        if *answer != Answer::Inte {
            bits[words + word] |= bit;
        }
        if *answer == Answer::Helt {
            bits[2 * words + word] |= bit;
        }
    }
    bits
}

/// An assessment's answers packed, as many as its catalogue has indicators.
fn pack_assessment(content: &Content, a: &Assessment) -> Vec<u64> {
    let indicators = content.catalog(a.catalog).map_or(0, |c| c.indicators.len());
    pack(&a.answers, indicators)
}

/// The assessments searched together (a whole group, or a county of a large group), and the
/// pool of each assessment.
fn pools(content: &Content, groups: &[Group]) -> (Vec<Vec<usize>>, Vec<usize>) {
    let mut pools: Vec<Vec<usize>> = Vec::new();
    let mut pool_of = vec![0; content.assessments.len()];
    for group in groups {
        if group.assessments.len() <= LARGE_GROUP {
            pools.push(group.assessments.clone());
        } else {
            let county = |a: usize| {
                content
                    .registry
                    .municipalities
                    .get(content.assessments[a].municipality)
                    .map_or(0, |m| m.county)
            };
            let mut by_county: Vec<Vec<usize>> =
                vec![Vec::new(); content.registry.counties.len().max(1)];
            for &a in &group.assessments {
                if let Some(list) = by_county.get_mut(county(a)) {
                    list.push(a);
                }
            }
            pools.extend(by_county.into_iter().filter(|l| !l.is_empty()));
        }
    }
    for (p, pool) in pools.iter().enumerate() {
        for &a in pool {
            pool_of[a] = p;
        }
    }
    (pools, pool_of)
}

/// How alike two packed answer sets of the same catalogue are.
fn likeness(a: &[u64], b: &[u64]) -> Likeness {
    let words = a.len().min(b.len()) / 3;
    let (mut differences, mut compared, mut differing) = (0, 0, 0);
    for w in 0..words {
        let both = a[w] & b[w];
        let partly = (a[words + w] ^ b[words + w]) & both;
        let fully = (a[2 * words + w] ^ b[2 * words + w]) & both;
        compared += both.count_ones();
        differences += partly.count_ones() + fully.count_ones();
        differing += (partly | fully).count_ones();
    }
    Likeness {
        differences,
        compared,
        same: compared - differing,
    }
}

impl Index {
    /// Packs every assessment's answers and sorts them into pools by group (and county, in a
    /// large group).
    pub(crate) fn build(content: &Content, groups: &[Group]) -> Index {
        let bits: Vec<Vec<u64>> = content
            .assessments
            .iter()
            .map(|a| pack_assessment(content, a))
            .collect();
        let (pools, pool_of) = pools(content, groups);
        Index {
            found: Found::for_assessments(bits.len()),
            bits,
            pools,
            pool_of,
        }
    }

    /// Brings the index up to date after a change of a few assessments, to what
    /// [`Index::build`] gives on the new content: `old_of[j]` is the index before the change
    /// of assessment `j` (`None` for one that is new; no list when no assessment moved),
    /// `changed` holds the assessments whose answers may differ, and `regroup` says whether
    /// an assessment joined or left a group.
    pub(crate) fn update(
        &mut self,
        content: &Content,
        groups: &[Group],
        old_of: Option<&[Option<usize>]>,
        changed: &[usize],
        regroup: bool,
    ) {
        if let Some(old_of) = old_of {
            let mut old = std::mem::take(&mut self.bits);
            self.bits = old_of
                .iter()
                .zip(&content.assessments)
                .map(|(i, a)| match i.and_then(|i| old.get_mut(i)) {
                    Some(bits) => std::mem::take(bits),
                    None => pack_assessment(content, a),
                })
                .collect();
        }
        for &j in changed {
            if let (Some(slot), Some(a)) = (self.bits.get_mut(j), content.assessments.get(j)) {
                *slot = pack_assessment(content, a);
            }
        }
        if regroup || old_of.is_some() {
            (self.pools, self.pool_of) = pools(content, groups);
        }
        // Any change may bring an assessment nearer to any other of its pool.
        self.found = Found::for_assessments(self.bits.len());
    }

    /// How alike two assessments' answers are (of the same catalogue).
    pub(crate) fn likeness(&self, a: usize, b: usize) -> Likeness {
        match (self.bits.get(a), self.bits.get(b)) {
            (Some(x), Some(y)) => likeness(x, y),
            _ => Likeness {
                differences: 0,
                compared: 0,
                same: 0,
            },
        }
    }

    /// The similar assessments of one assessment, found on its first call.
    pub(crate) fn similar(&self, content: &Content, assessment: usize) -> &Similar {
        static NONE: Similar = Similar {
            by_answers: Vec::new(),
            by_population: Vec::new(),
        };
        match self.found.0.get(assessment) {
            Some(slot) => slot.get_or_init(|| self.search(content, assessment)),
            None => &NONE,
        }
    }

    /// Searches the pool of one assessment for its similar ones.
    fn search(&self, content: &Content, assessment: usize) -> Similar {
        let Some(pool) = self
            .pool_of
            .get(assessment)
            .and_then(|&p| self.pools.get(p))
        else {
            return Similar::default();
        };
        let municipality = |a: usize| {
            content
                .registry
                .municipalities
                .get(content.assessments[a].municipality)
        };
        let Some(own) = municipality(assessment) else {
            return Similar::default();
        };
        let minimum = content
            .catalog(content.assessments[assessment].catalog)
            .map_or(1, |c| c.indicators.len().div_ceil(2).max(1)) as u32;
        let population_gap =
            |a: usize| municipality(a).map_or(u64::MAX, |m| m.population.abs_diff(own.population));
        let code = |a: usize| municipality(a).map_or("", |m| m.code.as_str());
        let others = pool.iter().copied().filter(|&a| a != assessment);

        let mut by_answers: Vec<Neighbour> = others
            .clone()
            .map(|a| Neighbour {
                assessment: a,
                likeness: self.likeness(assessment, a),
            })
            .filter(|n| n.likeness.compared >= minimum)
            .collect();
        let answer_order = |x: &Neighbour, y: &Neighbour| {
            x.likeness
                .nearer(&y.likeness)
                .then_with(|| population_gap(x.assessment).cmp(&population_gap(y.assessment)))
                .then_with(|| code(x.assessment).cmp(code(y.assessment)))
        };
        keep_first(&mut by_answers, answer_order);

        let class = SizeClass::of(own.population);
        let mut by_population: Vec<Neighbour> = others
            .filter(|&a| municipality(a).is_some_and(|m| SizeClass::of(m.population) == class))
            .map(|a| Neighbour {
                assessment: a,
                likeness: self.likeness(assessment, a),
            })
            .collect();
        let population_order = |x: &Neighbour, y: &Neighbour| {
            population_gap(x.assessment)
                .cmp(&population_gap(y.assessment))
                .then_with(|| code(x.assessment).cmp(code(y.assessment)))
        };
        keep_first(&mut by_population, population_order);
        Similar {
            by_answers,
            by_population,
        }
    }
}

/// Keeps the first [`COUNT`] by `order`, sorted.
fn keep_first(
    list: &mut Vec<Neighbour>,
    order: impl Fn(&Neighbour, &Neighbour) -> std::cmp::Ordering,
) {
    if list.len() > COUNT {
        list.select_nth_unstable_by(COUNT - 1, &order);
        list.truncate(COUNT);
    }
    list.sort_by(order);
    // The list was made from the whole pool and is kept: keep only what it holds.
    list.shrink_to_fit();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Answer::{Delvis as D, Helt as H, Inte as I};

    #[test]
    fn likeness_counts_differences_on_what_both_answered() {
        let a = pack(&[Some(H), Some(H), Some(D), None, Some(I)], 5);
        let b = pack(&[Some(H), Some(I), Some(I), Some(H), None], 5);
        // Compared: 0 (same), 1 (H–I: 2), 2 (D–I: 1).
        let l = likeness(&a, &b);
        assert_eq!(
            l,
            Likeness {
                differences: 3,
                compared: 3,
                same: 1
            }
        );
        assert_eq!(l.distance(), Some(1.0));
        assert_eq!(l.similarity(), Some(0.5));
        assert_eq!(likeness(&a, &a).similarity(), Some(1.0));
        let none = pack(&[None; 5], 5);
        assert_eq!(likeness(&a, &none).distance(), None);
    }

    #[test]
    fn packing_spans_words() {
        // 130 indicators take three words per plane; the last one counts.
        let mut x = vec![Some(H); 130];
        let mut y = vec![Some(H); 130];
        y[129] = Some(I);
        x[64] = None;
        let (x, y) = (pack(&x, 130), pack(&y, 130));
        assert_eq!(x.len(), 9);
        assert_eq!(
            likeness(&x, &y),
            Likeness {
                differences: 2,
                compared: 129,
                same: 128
            }
        );
    }

    #[test]
    fn nearer_compares_fractions_exactly() {
        let l = |differences, compared| Likeness {
            differences,
            compared,
            same: 0,
        };
        use std::cmp::Ordering::*;
        assert_eq!(l(1, 3).nearer(&l(2, 6)), Equal);
        assert_eq!(l(1, 3).nearer(&l(1, 2)), Less);
        assert_eq!(l(0, 5).nearer(&l(0, 9)), Equal);
    }
}
