//! The figures after a change of a few assessments, brought up to date from the figures before
//! it instead of computed again from every assessment (`watch`'s phase 1).
//!
//! Only what the change can move is counted again:
//! - the scopes (the nation, the counties and size classes of the changed municipalities) of
//!   the groups a changed assessment left or joined: each scope's sums are taken from its own
//!   figures, the old answers are taken back and the new ones added, and the sums are finished
//!   as [`compute`] finishes them; then the places by points within those groups, and where
//!   each of their assessments finds its county and size class;
//! - the figures of every assessment of a changed municipality: its own tallies, and its
//!   change since its previous year, which moves when an earlier year changes or when a year
//!   comes or goes in between;
//! - the indicators' series points of the changed groups, and the packed answers of the
//!   changed assessments for similar municipalities (which assessments are searched together
//!   only when an assessment joins or leaves a group).
//!
//! When an assessment is added or removed, the index of every assessment after it moves: the
//! figures are moved to their new places, without being counted again.
//!
//! A change that this does not handle is computed again in whole: a group (a year and
//! catalogue) that appears or disappears, more than [`MOST_CHANGED`] changed assessments, or
//! figures that do not fit the content. Either way the result is what [`compute`] gives on the
//! new content.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{Answer, Assessment, Catalog, CatalogIndex, Content, Year};

use super::scope::{self, RegistryTotals, ScopeSum};
use super::{
    AssessmentFigures, Group, MunicipalityHistory, RegistryCells, SIZE_CLASSES, Scope, Stats,
    assessment_figures, compare_to_previous, compute, lineage, rank_group,
};

/// A municipality (index into the registry) and a year: what one assessment is published for.
pub(crate) type Key = (usize, Year);

/// Above this many changed (municipality, year) pairs, everything is computed again.
pub(crate) const MOST_CHANGED: usize = 64;

/// A changed assessment as it was before the change.
#[derive(Debug, Clone)]
struct Old {
    /// Its index into `content.assessments` before the change.
    index: usize,
    municipality: usize,
    /// Its group's key: year and catalogue.
    group: (Year, CatalogIndex),
    answers: Vec<Option<Answer>>,
}

/// What the content held before a change of assessments, as much as [`update`] needs.
#[derive(Debug, Clone)]
pub(crate) struct Before {
    /// The key of every assessment, in content order.
    keys: Vec<Key>,
    /// The assessments of the changed keys that existed.
    changed: Vec<Old>,
}

impl Before {
    /// Notes what the content holds before the assessments of `changed` are chosen again.
    pub(crate) fn of(content: &Content, changed: &BTreeSet<Key>) -> Before {
        Before {
            keys: keys_of(content),
            changed: changed
                .iter()
                .filter_map(|&key| {
                    let index = position(content, key)?;
                    let a = content.assessments.get(index)?;
                    Some(Old {
                        index,
                        municipality: a.municipality,
                        group: (a.year, a.catalog),
                        answers: a.answers.clone(),
                    })
                })
                .collect(),
        }
    }
}

/// How the figures were brought up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Updated {
    /// Only what the change touched was counted again.
    InPlace,
    /// Everything was computed again.
    Whole,
}

/// Brings `stats`, the figures of the content described by `before`, up to date with
/// `content`, which differs from it only in the assessments of the keys in `changed`.
pub(crate) fn update(
    stats: &mut Stats,
    before: &Before,
    content: &Content,
    changed: &BTreeSet<Key>,
) -> Updated {
    if changed.len() <= MOST_CHANGED && update_in_place(stats, before, content, changed).is_some() {
        Updated::InPlace
    } else {
        *stats = compute(content);
        Updated::Whole
    }
}

fn keys_of(content: &Content) -> Vec<Key> {
    content
        .assessments
        .iter()
        .map(|a| (a.municipality, a.year))
        .collect()
}

/// The order of `content.assessments` (`content::sort_assessments`): year, then code.
fn order(content: &Content, (municipality, year): Key) -> (Year, Option<&str>) {
    let code = content.registry.municipalities.get(municipality);
    (year, code.map(|m| m.code.as_str()))
}

/// Where the assessment of a key is in the content, if it has one.
fn position(content: &Content, key: Key) -> Option<usize> {
    let wanted = order(content, key);
    let at = content
        .assessments
        .partition_point(|a| order(content, (a.municipality, a.year)) < wanted);
    let found = content.assessments.get(at)?;
    ((found.municipality, found.year) == key).then_some(at)
}

/// Where each assessment went when assessments were added or removed.
struct Moves {
    /// Per assessment before: its index now, `None` when it was removed.
    new_of: Vec<Option<usize>>,
    /// Per assessment now: its index before, `None` when it is new.
    old_of: Vec<Option<usize>>,
}

/// Matches the assessments before and after by key: `Some(None)` when none moved, `None` when
/// an assessment came or went that is not among the changed ones.
fn moves(
    content: &Content,
    before: &[Key],
    after: &[Key],
    changed: &BTreeSet<Key>,
) -> Option<Option<Moves>> {
    if before == after {
        return Some(None);
    }
    let mut new_of = vec![None; before.len()];
    let mut old_of = vec![None; after.len()];
    let (mut i, mut j) = (0, 0);
    loop {
        match (before.get(i), after.get(j)) {
            (None, None) => break,
            (Some(x), Some(y)) if x == y => {
                new_of[i] = Some(j);
                old_of[j] = Some(i);
                i += 1;
                j += 1;
            }
            (Some(x), y) if y.is_none_or(|&y| order(content, *x) < order(content, y)) => {
                if !changed.contains(x) {
                    return None;
                }
                i += 1;
            }
            (_, Some(y)) => {
                if !changed.contains(y) {
                    return None;
                }
                j += 1;
            }
            (Some(_), None) => return None,
        }
    }
    Some(Some(Moves { new_of, old_of }))
}

/// What a change is made of, worked out once for the steps of [`update_in_place`].
struct Changed<'a> {
    content: &'a Content,
    before: &'a Before,
    moves: Option<Moves>,
    group_index: HashMap<(Year, CatalogIndex), usize>,
    /// The changed assessments now (indices into `content.assessments`).
    now: Vec<usize>,
    /// The changed assessments before (indices before the change), sorted.
    was: Vec<usize>,
    /// The groups a changed assessment left or joined.
    affected: BTreeSet<usize>,
    /// The changed municipalities.
    municipalities: BTreeSet<usize>,
    cells: RegistryCells<'a>,
}

impl Changed<'_> {
    /// The index now of an assessment before the change; `None` when it was removed.
    fn new_index(&self, i: usize) -> Option<usize> {
        match &self.moves {
            None => Some(i),
            Some(m) => m.new_of.get(i).copied().flatten(),
        }
    }

    fn group_of(&self, a: &Assessment) -> Option<usize> {
        self.group_index.get(&(a.year, a.catalog)).copied()
    }

    /// An index before the change that is not one of the changed assessments.
    fn unchanged(&self, i: usize) -> bool {
        self.was.binary_search(&i).is_err()
    }

    /// The assessments of a list before the change that were not changed, at their indices
    /// now, and the changed assessments now that `belongs` picks; in content order.
    fn moved_list(
        &self,
        list: &[usize],
        belongs: impl Fn(&Assessment) -> bool,
    ) -> Option<Vec<usize>> {
        let mut moved: Vec<usize> = list
            .iter()
            .filter(|&&i| self.unchanged(i))
            .map(|&i| self.new_index(i))
            .collect::<Option<_>>()?;
        for &j in &self.now {
            if belongs(self.content.assessments.get(j)?) {
                moved.push(j);
            }
        }
        moved.sort_unstable();
        Some(moved)
    }
}

fn update_in_place(
    stats: &mut Stats,
    before: &Before,
    content: &Content,
    changed: &BTreeSet<Key>,
) -> Option<()> {
    let registry = &content.registry;
    if stats.assessments.len() != before.keys.len()
        || stats.by_municipality.len() != registry.municipalities.len()
    {
        return None;
    }
    let mut change = Changed {
        content,
        before,
        moves: moves(content, &before.keys, &keys_of(content), changed)?,
        group_index: stats
            .groups
            .iter()
            .enumerate()
            .map(|(g, group)| ((group.year, group.catalog), g))
            .collect(),
        now: changed
            .iter()
            .filter_map(|&key| position(content, key))
            .collect(),
        was: before.changed.iter().map(|o| o.index).collect(),
        affected: BTreeSet::new(),
        municipalities: changed.iter().map(|k| k.0).collect(),
        cells: RegistryCells::new(registry),
    };
    change.was.sort_unstable();
    // The groups the changed assessments left or joined, with what each gains; one that would
    // be left empty disappears, which is not done here.
    let mut gains: BTreeMap<usize, isize> = BTreeMap::new();
    for old in &before.changed {
        *gains
            .entry(*change.group_index.get(&old.group)?)
            .or_default() -= 1;
    }
    for &j in &change.now {
        *gains
            .entry(change.group_of(content.assessments.get(j)?)?)
            .or_default() += 1;
    }
    for (&g, &gain) in &gains {
        if stats.groups.get(g)?.assessments.len() as isize + gain <= 0 {
            return None;
        }
    }
    change.affected = gains.into_keys().collect();

    regroup(stats, &change)?;
    for &g in &change.affected {
        recount_group(stats.groups.get_mut(g)?, g, &change)?;
    }
    rehistory(stats, &change)?;
    refigure(stats, &change)?;
    replace_within_groups(stats, &change)?;
    // Searched together again when assessments moved, or when a changed one changed group
    // (no assessment moved then, so its index before is its index now).
    let regroup = change.moves.is_some()
        || before.changed.iter().any(|o| {
            content
                .assessments
                .get(o.index)
                .is_none_or(|a| (a.year, a.catalog) != o.group)
        });
    stats.similar_index.update(
        content,
        &stats.groups,
        change.moves.as_ref().map(|m| m.old_of.as_slice()),
        &change.now,
        regroup,
    );
    reseries(stats, &change)
}

/// Who is in each group.
fn regroup(stats: &mut Stats, change: &Changed<'_>) -> Option<()> {
    for (g, group) in stats.groups.iter_mut().enumerate() {
        if change.moves.is_some() || change.affected.contains(&g) {
            // One year: content order is code order.
            group.assessments =
                change.moved_list(&group.assessments, |a| change.group_of(a) == Some(g))?;
        }
    }
    Some(())
}

/// Counts the scopes of a changed group again.
fn recount_group(group: &mut Group, g: usize, change: &Changed<'_>) -> Option<()> {
    let content = change.content;
    let catalog = content.catalog(group.catalog)?;
    let gone: Vec<Counted<'_>> = change
        .before
        .changed
        .iter()
        .filter(|o| change.group_index.get(&o.group) == Some(&g))
        .map(|o| (o.municipality, o.answers.as_slice()))
        .collect();
    let mut came: Vec<Counted<'_>> = Vec::new();
    for &j in &change.now {
        let a = content.assessments.get(j)?;
        if change.group_of(a)? == g {
            came.push((a.municipality, a.answers.as_slice()));
        }
    }
    recount(group, catalog, &gone, &came, &change.cells)
}

/// Each municipality's assessments.
fn rehistory(stats: &mut Stats, change: &Changed<'_>) -> Option<()> {
    let all = 0..stats.by_municipality.len();
    let histories: Box<dyn Iterator<Item = usize>> = match &change.moves {
        Some(_) => Box::new(all),
        None => Box::new(change.municipalities.iter().copied()),
    };
    for m in histories {
        let history = stats.by_municipality.get_mut(m)?;
        history.assessments = if change.municipalities.contains(&m) {
            // One municipality: content order is year order.
            change.moved_list(&history.assessments, |a| a.municipality == m)?
        } else {
            history
                .assessments
                .iter()
                .map(|&i| change.new_index(i))
                .collect::<Option<_>>()?
        };
    }
    Some(())
}

/// The figures of every assessment of a changed municipality (its own, and its change since the
/// year before); the others' move to their new places.
fn refigure(stats: &mut Stats, change: &Changed<'_>) -> Option<()> {
    let mut refigure: Vec<usize> = change
        .municipalities
        .iter()
        .filter_map(|&m| stats.by_municipality.get(m))
        .flat_map(|h| h.assessments.iter().copied())
        .collect();
    refigure.sort_unstable();
    let figure = |j: usize, rank: u32| {
        figures_of(
            change.content,
            &stats.groups,
            &change.group_index,
            &stats.by_municipality,
            &change.cells,
            j,
            rank,
        )
    };
    // A group's places are counted again later; elsewhere they stay.
    let Some(moves) = &change.moves else {
        let mut fresh = Vec::with_capacity(refigure.len());
        for &j in &refigure {
            fresh.push((j, figure(j, stats.assessments.get(j)?.rank)?));
        }
        for (j, f) in fresh {
            *stats.assessments.get_mut(j)? = f;
        }
        return Some(());
    };
    let mut old: Vec<Option<AssessmentFigures>> = std::mem::take(&mut stats.assessments)
        .into_iter()
        .map(Some)
        .collect();
    let mut figures = Vec::with_capacity(moves.old_of.len());
    for (j, i) in moves.old_of.iter().enumerate() {
        let kept = i.and_then(|i| old.get_mut(i)?.take());
        if refigure.binary_search(&j).is_ok() {
            figures.push(figure(j, kept.map_or(0, |f| f.rank))?);
        } else {
            let mut f = kept?;
            if let Some(p) = &mut f.previous {
                p.assessment = change.new_index(p.assessment)?;
            }
            figures.push(f);
        }
    }
    stats.assessments = figures;
    Some(())
}

/// Within the changed groups: the places by points, and where each assessment finds its
/// county and size class.
fn replace_within_groups(stats: &mut Stats, change: &Changed<'_>) -> Option<()> {
    let registry = &change.content.registry;
    for &g in &change.affected {
        let group = stats.groups.get(g)?;
        let mut county_at = vec![0; registry.counties.len()];
        for (at, (county, _)) in group.counties.iter().enumerate() {
            *county_at.get_mut(*county)? = at;
        }
        let mut size_at = [0; SIZE_CLASSES];
        for (at, (class, _)) in group.sizes.iter().enumerate() {
            size_at[class.index()] = at;
        }
        for &j in &group.assessments {
            let a = change.content.assessments.get(j)?;
            let county = registry.municipalities.get(a.municipality)?.county;
            let f = stats.assessments.get_mut(j)?;
            f.county_scope = *county_at.get(county)?;
            f.size_scope = size_at[f.size_class.index()];
        }
        rank_group(group, &mut stats.assessments);
    }
    Some(())
}

/// The indicators' national series, where they pass through a changed group.
fn reseries(stats: &mut Stats, change: &Changed<'_>) -> Option<()> {
    let changed_groups: HashMap<(Year, CatalogIndex), &Group> = change
        .affected
        .iter()
        .filter_map(|&g| stats.groups.get(g))
        .map(|group| ((group.year, group.catalog), group))
        .collect();
    for point in stats.indicator_series.iter_mut().flatten().flatten() {
        if let Some(group) = changed_groups.get(&(point.year, point.catalog)) {
            let tally = group.nation.indicators.get(point.indicator)?.tally;
            point.tally = tally;
            point.share_helt = tally.share_helt();
        }
    }
    Some(())
}

/// A municipality's answers as counted in a group.
type Counted<'a> = (usize, &'a [Option<Answer>]);

/// Counts a group's scopes again: takes back the answers in `gone` and counts those in `came`,
/// in the nation and in the counties and size classes of their municipalities. A county or size
/// class that gets its first assessment is added in its place; one left without any is removed.
fn recount(
    group: &mut Group,
    catalog: &Catalog,
    gone: &[Counted<'_>],
    came: &[Counted<'_>],
    cells: &RegistryCells<'_>,
) -> Option<()> {
    let registry = cells.registry;
    // As in `compute`: only a municipality in a cell of the registry is counted.
    let cell = |m: usize| {
        let cell = cells.cell_of_checked(m)?;
        cells.totals.get(cell).map(|_| cell)
    };
    for &(m, _) in gone.iter().chain(came) {
        registry.municipalities.get(m)?;
    }
    let population = |m: usize| registry.municipalities.get(m).map_or(0, |x| x.population);
    let recounted = |scope: Option<&Scope>,
                     totals: RegistryTotals,
                     take: &dyn Fn(usize) -> bool| {
        let mut sum = scope.map_or_else(|| ScopeSum::new(catalog.indicators.len()), ScopeSum::of);
        for &(m, answers) in gone {
            if cell(m).is_some_and(take) {
                sum.remove(answers, population(m));
            }
        }
        for &(m, answers) in came {
            if cell(m).is_some_and(take) {
                sum.add(answers, population(m));
            }
        }
        (sum.municipalities > 0).then(|| scope::finish(&sum, totals, catalog))
    };
    let totals = |take: &dyn Fn(usize) -> bool| {
        let mut totals = RegistryTotals::default();
        for (_, t) in cells.totals.iter().enumerate().filter(|(c, _)| take(*c)) {
            totals.merge(*t);
        }
        totals
    };

    group.nation = recounted(
        Some(&group.nation),
        RegistryTotals::of(&group.nation),
        &|_| true,
    )?;

    let mut counties: Vec<usize> = gone
        .iter()
        .chain(came)
        .filter_map(|&(m, _)| registry.municipalities.get(m).map(|x| x.county))
        .collect();
    counties.sort_unstable();
    counties.dedup();
    let mut code_rank = vec![0; registry.counties.len()];
    for (rank, &county) in cells.counties_by_code.iter().enumerate() {
        *code_rank.get_mut(county)? = rank;
    }
    for county in counties {
        let in_county = |cell: usize| cell / SIZE_CLASSES == county;
        let old = group.county(county);
        let totals = old.map_or_else(|| totals(&in_county), RegistryTotals::of);
        let scope = recounted(old, totals, &in_county);
        let rank = |c: usize| code_rank.get(c).copied().unwrap_or(usize::MAX);
        place(&mut group.counties, county, scope, |c| {
            rank(c) < rank(county)
        });
    }

    let mut classes: Vec<_> = gone
        .iter()
        .chain(came)
        .filter_map(|&(m, _)| cells.size_class.get(m).copied())
        .collect();
    classes.sort_unstable();
    classes.dedup();
    for class in classes {
        let of_class = |cell: usize| cell % SIZE_CLASSES == class.index();
        let old = group
            .sizes
            .iter()
            .find(|(c, _)| *c == class)
            .map(|(_, s)| s);
        let totals = old.map_or_else(|| totals(&of_class), RegistryTotals::of);
        let scope = recounted(old, totals, &of_class);
        place(&mut group.sizes, class, scope, |c| {
            c.index() < class.index()
        });
    }
    Some(())
}

/// Puts a scope in its place in a group's list (replacing the old one), or takes it out when
/// it has no assessments any more; `earlier` tells the keys that come before it.
fn place<K: Copy + PartialEq>(
    list: &mut Vec<(K, Scope)>,
    key: K,
    scope: Option<Scope>,
    earlier: impl Fn(K) -> bool,
) {
    let at = list.iter().position(|(k, _)| *k == key);
    match (at, scope) {
        (Some(at), Some(scope)) => list[at].1 = scope,
        (Some(at), None) => {
            list.remove(at);
        }
        (None, Some(scope)) => {
            let at = list
                .iter()
                .position(|(k, _)| !earlier(*k))
                .unwrap_or(list.len());
            list.insert(at, (key, scope));
        }
        (None, None) => {}
    }
}

/// The figures of assessment `j` of the new content, with its place `rank`.
fn figures_of(
    content: &Content,
    groups: &[Group],
    group_index: &HashMap<(Year, CatalogIndex), usize>,
    histories: &[MunicipalityHistory],
    cells: &RegistryCells<'_>,
    j: usize,
    rank: u32,
) -> Option<AssessmentFigures> {
    let a = content.assessments.get(j)?;
    let history = &histories.get(a.municipality)?.assessments;
    let at = history.iter().position(|&h| h == j)?;
    let previous = match at.checked_sub(1) {
        Some(p) => {
            let p = *history.get(p)?;
            let before = content.assessments.get(p)?;
            let counterparts = lineage::counterparts(&content.catalogs, a.catalog, before.catalog);
            Some(compare_to_previous(content, a, p, &counterparts))
        }
        None => None,
    };
    let group = *group_index.get(&(a.year, a.catalog))?;
    let mut figures = assessment_figures(content, a, group, groups, cells, previous);
    figures.rank = rank;
    Some(figures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content;
    use crate::model::Answer::{Delvis as D, Helt as H, Inte as I};
    use crate::stats::tests::sample;

    /// The catalogues of [`sample`]: new (0) has three indicators, old (1) two.
    const NEW: CatalogIndex = CatalogIndex::new(0);
    const OLD: CatalogIndex = CatalogIndex::new(1);

    /// One edit of the assessments, as `watch` applies it after reading files again.
    enum Edit {
        /// Replaces the answers of a municipality's assessment of a year.
        Answers(&'static str, Year, Vec<Option<Answer>>),
        /// Publishes an assessment of a municipality and year (replacing any).
        Publish(&'static str, Year, CatalogIndex, Vec<Option<Answer>>),
        /// Withdraws a municipality's assessment of a year.
        Withdraw(&'static str, Year),
    }

    /// Applies edits to the content the way `watch` chooses again; returns the changed keys.
    fn apply(content: &mut Content, edits: &[Edit]) -> BTreeSet<Key> {
        let by_code = |code: &str| content.registry.municipality_by_code[code];
        let mut changed = BTreeSet::new();
        let mut assessments = std::mem::take(&mut content.assessments);
        for edit in edits {
            match edit {
                Edit::Answers(code, year, answers) => {
                    let m = by_code(code);
                    let a = assessments
                        .iter_mut()
                        .find(|a| (a.municipality, a.year) == (m, *year))
                        .unwrap_or_else(|| panic!("{code} {year}"));
                    a.answers = answers.clone();
                    changed.insert((m, *year));
                }
                Edit::Publish(code, year, catalog, answers) => {
                    let m = by_code(code);
                    assessments.retain(|a| (a.municipality, a.year) != (m, *year));
                    assessments.push(Assessment {
                        source: format!("assessments/{code}-{year}.yaml").into(),
                        municipality: m,
                        year: *year,
                        catalog: *catalog,
                        published: None,
                        answers: answers.clone(),
                        summary: None,
                        comments: Vec::new(),
                    });
                    changed.insert((m, *year));
                }
                Edit::Withdraw(code, year) => {
                    let m = by_code(code);
                    assessments.retain(|a| (a.municipality, a.year) != (m, *year));
                    changed.insert((m, *year));
                }
            }
        }
        content::sort_assessments(&mut assessments, &content.registry);
        content.assessments = assessments;
        changed
    }

    /// Applies each step's edits in turn, updating the figures each time, and holds them to
    /// the figures computed from scratch; returns how each step was updated.
    fn steps(mut content: Content, steps: Vec<Vec<Edit>>) -> Vec<Updated> {
        let mut stats = compute(&content);
        let mut how = Vec::new();
        for (n, edits) in steps.into_iter().enumerate() {
            let mut next = content.clone();
            let changed = apply(&mut next, &edits);
            let before = Before::of(&content, &changed);
            // Similar municipalities are kept once found: found before the change, they
            // must be found again after it.
            for i in 0..content.assessments.len() {
                stats.similar(&content, i);
            }
            how.push(update(&mut stats, &before, &next, &changed));
            let whole = compute(&next);
            assert!(
                stats == whole,
                "step {n}: {:#?}",
                first_difference(&stats, &whole)
            );
            for i in 0..next.assessments.len() {
                assert_eq!(
                    stats.similar(&next, i),
                    whole.similar(&next, i),
                    "step {n}: similar of assessment {i}"
                );
            }
            content = next;
        }
        how
    }

    /// The first part that differs, for a readable failure.
    fn first_difference(a: &Stats, b: &Stats) -> String {
        if a.groups != b.groups {
            for (x, y) in a.groups.iter().zip(&b.groups) {
                if x != y {
                    return format!("group\n{x:#?}\nagainst\n{y:#?}");
                }
            }
            return "the number of groups".into();
        }
        if a.assessments != b.assessments {
            for (i, (x, y)) in a.assessments.iter().zip(&b.assessments).enumerate() {
                if x != y {
                    return format!("assessment {i}\n{x:#?}\nagainst\n{y:#?}");
                }
            }
            return "the number of assessments".into();
        }
        if a.by_municipality != b.by_municipality {
            return format!(
                "histories {:?} against {:?}",
                a.by_municipality, b.by_municipality
            );
        }
        if a.indicator_series != b.indicator_series {
            return "indicator series".into();
        }
        if a.similar_index != b.similar_index {
            return format!(
                "similar index {:?} against {:?}",
                a.similar_index, b.similar_index
            );
        }
        "years".into()
    }

    use Edit::*;
    use Updated::*;

    #[test]
    fn an_answer_changed() {
        let how = steps(
            sample(),
            vec![
                vec![Answers("0103", 2017, vec![Some(H), Some(H), Some(H)])],
                // Back and forth, and to unanswered.
                vec![Answers("0103", 2017, vec![None, None, Some(D)])],
                vec![Answers("0202", 2016, vec![Some(I), Some(I)])],
            ],
        );
        assert_eq!(how, vec![InPlace; 3]);
    }

    #[test]
    fn a_change_in_the_year_a_later_one_compares_to() {
        // 0101 2017 compares to 0101 2016: its changes follow 2016's answers.
        let how = steps(
            sample(),
            vec![
                vec![Answers("0101", 2016, vec![Some(I), None])],
                vec![Answers("0104", 2016, vec![Some(H), Some(I)])],
            ],
        );
        assert_eq!(how, vec![InPlace; 2]);
    }

    #[test]
    fn an_assessment_added_and_withdrawn() {
        let how = steps(
            sample(),
            vec![
                // 0203 has 2017 only: a 2016 before it, which its 2017 then compares to.
                vec![Publish("0203", 2016, OLD, vec![Some(D), Some(H)])],
                // 0102 has 2017 only: its 2016 is the first of its size class that year.
                vec![Publish("0102", 2016, OLD, vec![Some(H), Some(H)])],
                // Withdrawn again; then 0202's, which leaves its county and size class
                // without 2016.
                vec![Withdraw("0203", 2016)],
                vec![Withdraw("0202", 2016)],
                // A municipality's only assessment.
                vec![Withdraw("0204", 2017)],
                // 0205 (5 inhabitants) publishes for the first time.
                vec![Publish("0205", 2017, NEW, vec![Some(H), None, Some(I)])],
            ],
        );
        assert_eq!(how, vec![InPlace; 6]);
    }

    #[test]
    fn a_municipality_s_latest_year_moves() {
        let how = steps(
            sample(),
            vec![
                // 0101's latest is 2017; withdrawn, 2016 is its latest again.
                vec![Withdraw("0101", 2017)],
                vec![Publish("0101", 2017, NEW, vec![Some(D), Some(D), Some(D)])],
                // 0102's latest moves from 2017 back to 2016, then forward.
                vec![Publish("0102", 2016, OLD, vec![Some(I), Some(D)])],
                vec![Withdraw("0102", 2017)],
                vec![Publish("0102", 2017, NEW, vec![Some(H), Some(D), None])],
            ],
        );
        assert_eq!(how, vec![InPlace; 5]);
    }

    #[test]
    fn a_catalogue_changed_and_several_at_once() {
        let how = steps(
            sample(),
            vec![
                // 0203 answers 2016 with the new catalogue: a group of its own.
                vec![Publish("0203", 2016, NEW, vec![Some(D), Some(H), Some(D)])],
                // So does 0104: it leaves one group for the other, and its 2017 compares to
                // it within one catalogue.
                vec![Publish("0104", 2016, NEW, vec![Some(H), Some(H), Some(D)])],
                vec![
                    Answers("0101", 2016, vec![Some(D), Some(D)]),
                    Withdraw("0203", 2017),
                    Publish("0205", 2016, OLD, vec![Some(H), None]),
                    Answers("0201", 2017, vec![None, None, None]),
                ],
                // And back.
                vec![Publish("0104", 2016, OLD, vec![Some(I), Some(H)])],
            ],
        );
        assert_eq!(how, vec![Whole, InPlace, InPlace, InPlace]);
    }

    #[test]
    fn a_year_that_appears_or_disappears_is_computed_again() {
        let how = steps(
            sample(),
            vec![
                vec![Publish("0101", 2018, NEW, vec![Some(H), Some(D), Some(I)])],
                vec![Answers("0101", 2018, vec![Some(I), Some(D), Some(I)])],
                vec![Withdraw("0101", 2018)],
                // Every 2016 assessment.
                vec![
                    Withdraw("0101", 2016),
                    Withdraw("0104", 2016),
                    Withdraw("0202", 2016),
                ],
            ],
        );
        assert_eq!(how, vec![Whole, InPlace, Whole, Whole]);
    }

    /// A small deterministic generator (xorshift).
    struct Draw(u64);

    impl Draw {
        fn next(&mut self, below: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % below as u64) as usize
        }

        fn answers(&mut self, n: usize) -> Vec<Option<Answer>> {
            (0..n)
                .map(|_| [Some(H), Some(D), Some(I), None][self.next(4)])
                .collect()
        }
    }

    /// Makes `steps` random changes of one to four assessments each (answers changed, added,
    /// withdrawn, another catalogue) in `years`, holding the figures to those computed from
    /// scratch after each; returns how many were updated in place.
    fn random_changes(mut content: Content, years: &[Year], steps: usize, seed: u64) -> usize {
        let mut stats = compute(&content);
        let mut draw = Draw(seed);
        let municipalities = content.registry.municipalities.len();
        let mut in_place = 0;
        for step in 0..steps {
            let mut next = content.clone();
            let mut changed = BTreeSet::new();
            for _ in 0..1 + usize::from(draw.next(5) == 0) * draw.next(4) {
                let key = (draw.next(municipalities), years[draw.next(years.len())]);
                let at = next
                    .assessments
                    .iter()
                    .position(|a| (a.municipality, a.year) == key);
                let catalog = CatalogIndex::new(draw.next(next.catalogs.len()));
                let n = next.catalogs[catalog].indicators.len();
                match (at, draw.next(4)) {
                    (Some(at), 0) => {
                        next.assessments.remove(at);
                    }
                    (Some(at), 1) => {
                        next.assessments[at].catalog = catalog;
                        next.assessments[at].answers = draw.answers(n);
                    }
                    (Some(at), _) => {
                        let n = next.assessments[at].answers.len();
                        next.assessments[at].answers = draw.answers(n);
                    }
                    (None, _) => {
                        next.assessments.push(Assessment {
                            source: format!("assessments/{step}.yaml").into(),
                            municipality: key.0,
                            year: key.1,
                            catalog,
                            published: None,
                            answers: draw.answers(n),
                            summary: None,
                            comments: Vec::new(),
                        });
                    }
                }
                changed.insert(key);
            }
            content::sort_assessments(&mut next.assessments, &next.registry);
            let before = Before::of(&content, &changed);
            if update(&mut stats, &before, &next, &changed) == InPlace {
                in_place += 1;
            }
            let whole = compute(&next);
            assert!(
                stats == whole,
                "step {step}: {}",
                first_difference(&stats, &whole)
            );
            content = next;
        }
        in_place
    }

    #[test]
    fn a_long_series_of_changes_of_generated_content() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let years = [2016, 2017, 2018];
        crate::generate::generate(
            dir.path(),
            &crate::generate::Options {
                municipalities: 60,
                years: years.to_vec(),
                seed: 11,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let content = content::load(dir.path(), &content::LoadOptions::default())
            .content
            .unwrap_or_else(|| panic!("generated content loads"));
        let in_place = random_changes(content, &years, 300, 0x2545_F491_4F6C_DD1D);
        assert!(in_place > 250, "{in_place} of 300 in place");
    }

    #[test]
    fn a_long_series_of_changes_across_two_catalogues() {
        // Groups come and go here (9 municipalities, two catalogues, three years).
        let in_place = random_changes(sample(), &[2016, 2017, 2018], 400, 0x9E37_79B9_7F4A_7C15);
        assert!(in_place > 100, "{in_place} of 400 in place");
    }
}
