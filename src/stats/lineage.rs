//! Following `replaces` between catalogues: which indicator of one catalogue continues which
//! indicator of another, for changes since the previous year and for time series.

use std::collections::VecDeque;

use crate::model::{Catalog, CatalogIndex, IndicatorRef};

/// The indicators that `start` continues, nearest first: breadth-first through `replaces`, each
/// list in the order it is written. `start` itself is not included. Content can make cycles
/// (two catalogues replacing each other); each indicator is visited once, so they end.
pub(crate) fn ancestors(catalogs: &[Catalog], start: IndicatorRef) -> Vec<IndicatorRef> {
    let mut seen = vec![start];
    let mut queue = VecDeque::from([start]);
    let mut found = Vec::new();
    while let Some(current) = queue.pop_front() {
        let Some(indicator) = current
            .catalog
            .of(catalogs)
            .and_then(|c| c.indicators.get(current.indicator))
        else {
            continue;
        };
        for &earlier in &indicator.replaces {
            if !seen.contains(&earlier) {
                seen.push(earlier);
                found.push(earlier);
                queue.push_back(earlier);
            }
        }
    }
    found
}

/// For every indicator of catalogue `from`, its counterpart in catalogue `target`:
/// - in the same catalogue, the indicator itself;
/// - otherwise the nearest indicator of `target` it continues (following `replaces` back,
///   through any catalogues in between; with several, the first written wins);
/// - otherwise, when `target` is the later catalogue, the first indicator of `target` (in
///   catalogue order) that continues it;
/// - otherwise `None`: the indicator is new.
pub(crate) fn counterparts(
    catalogs: &[Catalog],
    from: CatalogIndex,
    target: CatalogIndex,
) -> Vec<Option<usize>> {
    let Some(from_catalog) = from.of(catalogs) else {
        return Vec::new();
    };
    let count = from_catalog.indicators.len();
    if from == target {
        return (0..count).map(Some).collect();
    }
    let mut result: Vec<Option<usize>> = (0..count)
        .map(|indicator| {
            ancestors(
                catalogs,
                IndicatorRef {
                    catalog: from,
                    indicator,
                },
            )
            .into_iter()
            .find(|r| r.catalog == target)
            .map(|r| r.indicator)
        })
        .collect();
    if result.iter().any(Option::is_none) {
        let target_count = target.of(catalogs).map_or(0, |c| c.indicators.len());
        for later in 0..target_count {
            let continued = ancestors(
                catalogs,
                IndicatorRef {
                    catalog: target,
                    indicator: later,
                },
            );
            for r in continued.into_iter().filter(|r| r.catalog == from) {
                if let Some(slot @ None) = result.get_mut(r.indicator) {
                    *slot = Some(later);
                }
            }
        }
    }
    result
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::model::{Area, Indicator, Level, Part};

    /// A catalogue with one flower area holding `ids`; `replaces` is filled in by the caller.
    pub(crate) fn catalog(id: &str, ids: &[&str]) -> Catalog {
        Catalog {
            id: id.into(),
            name: id.into(),
            description: None,
            name_en: None,
            description_en: None,
            areas: vec![Area {
                id: "area".into(),
                level: Level::Flower,
                name: "Area".into(),
                short: None,
                name_en: None,
                short_en: None,
                indicators: 0..ids.len(),
            }],
            indicators: ids
                .iter()
                .map(|i| Indicator {
                    id: (*i).into(),
                    text: format!("Text of {i}"),
                    text_en: None,
                    part: Part::Petal,
                    area: 0,
                    replaces: Vec::new(),
                })
                .collect(),
            indicator_by_id: ids
                .iter()
                .enumerate()
                .map(|(n, i)| ((*i).to_string(), n))
                .collect::<HashMap<_, _>>(),
            source: format!("catalogs/{id}.yaml").into(),
        }
    }

    const A: CatalogIndex = CatalogIndex::new(0);
    const B: CatalogIndex = CatalogIndex::new(1);
    const C: CatalogIndex = CatalogIndex::new(2);

    fn r(catalog: CatalogIndex, indicator: usize) -> IndicatorRef {
        IndicatorRef { catalog, indicator }
    }

    /// a (0) ← b (1) ← c (2): c.x continues b.x, which continues a.x and a.y.
    fn three() -> Vec<Catalog> {
        let a = catalog("a", &["x", "y", "z"]);
        let mut b = catalog("b", &["x", "new"]);
        b.indicators[0].replaces = vec![r(A, 0), r(A, 1)];
        let mut c = catalog("c", &["x", "w"]);
        c.indicators[0].replaces = vec![r(B, 0)];
        c.indicators[1].replaces = vec![r(A, 2)];
        vec![a, b, c]
    }

    #[test]
    fn ancestors_are_nearest_first_and_stop_at_cycles() {
        let mut catalogs = three();
        assert_eq!(
            ancestors(&catalogs, r(C, 0)),
            vec![r(B, 0), r(A, 0), r(A, 1)]
        );
        assert_eq!(ancestors(&catalogs, r(B, 1)), vec![]);
        // a.x claims to continue c.x: a cycle, visited once each.
        catalogs[0].indicators[0].replaces = vec![r(C, 0)];
        assert_eq!(
            ancestors(&catalogs, r(C, 0)),
            vec![r(B, 0), r(A, 0), r(A, 1)]
        );
    }

    #[test]
    fn counterparts_go_back_through_catalogues_in_between() {
        let catalogs = three();
        assert_eq!(counterparts(&catalogs, B, B), vec![Some(0), Some(1)]);
        // b.x continues a.x and a.y: the first written wins; b.new has none.
        assert_eq!(counterparts(&catalogs, B, A), vec![Some(0), None]);
        // c.x → b.x → a.x, skipping b; c.w → a.z directly.
        assert_eq!(counterparts(&catalogs, C, A), vec![Some(0), Some(2)]);
        assert_eq!(counterparts(&catalogs, C, B), vec![Some(0), None]);
    }

    #[test]
    fn counterparts_also_go_forward() {
        let catalogs = three();
        // From the older catalogue to a later one: a.x and a.y are continued by b.x.
        assert_eq!(counterparts(&catalogs, A, B), vec![Some(0), Some(0), None]);
        assert_eq!(
            counterparts(&catalogs, A, C),
            vec![Some(0), Some(0), Some(1)]
        );
    }
}
