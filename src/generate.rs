//! `blomlada generate`: a synthetic content folder of any size, the same for the same seed.
//!
//! It feeds tests, demos and benchmarks, and it made the bundled example assessments. Up to
//! 290 municipalities come from the real registry; more give a synthetic registry. Answers are
//! plausible rather than real: larger municipalities are further along (as seed 001 found),
//! each later year is a little ahead of the one before, the soil (technical prerequisites) is
//! answered highest and services to businesses lowest.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use crate::content::registry::{COUNTY_COLUMNS, MUNICIPALITY_COLUMNS};
use crate::model::Year;
use crate::slug::slugify;

const SITE_YAML: &str = include_str!("../content/site.yaml");
const CATALOG_V3: &str = include_str!("../content/catalogs/v3.yaml");
const COUNTIES_CSV: &str = include_str!("../content/registry/counties.csv");
const MUNICIPALITIES_CSV: &str = include_str!("../content/registry/municipalities.csv");
const REGISTRY_SOURCES: &str = include_str!("../content/registry/SOURCES.md");
const BOUNDARIES: &str = include_str!("../content/geo/municipalities.geojson");
const BOUNDARY_SOURCES: &str = include_str!("../content/geo/SOURCES.md");
const PAGES: &[(&str, &str)] = &[
    ("metod.md", include_str!("../content/pages/metod.md")),
    (
        "tillganglighet.md",
        include_str!("../content/pages/tillganglighet.md"),
    ),
];

/// What `blomlada generate` writes.
pub struct Options {
    /// How many municipalities (more than the bundled registry has gives a synthetic one).
    pub municipalities: usize,
    /// The years to write assessments for.
    pub years: Vec<Year>,
    /// The seed of the random answers: the same seed gives the same folder.
    pub seed: u64,
}

/// SplitMix64: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Roughly standard normal (sum of four uniforms), with only arithmetic so that every
    /// platform gives the same numbers.
    fn normal(&mut self) -> f64 {
        let sum: f64 = (0..4).map(|_| self.unit()).sum();
        (sum - 2.0) * 1.732_050_8
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// log2 by exponent and a linear mantissa: monotone, deterministic, close enough here.
fn approx_log2(x: f64) -> f64 {
    let bits = x.max(1.0).to_bits();
    let exponent = ((bits >> 52) & 0x7FF) as f64 - 1023.0;
    let mantissa = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
    exponent + (mantissa - 1.0)
}

/// 2^x with a quadratic for the fraction.
fn approx_exp2(x: f64) -> f64 {
    let whole = x.floor();
    let f = x - whole;
    let fraction = 1.0 + f * (0.656_5 + f * 0.343_5);
    fraction * 2f64.powi(whole as i32)
}

struct CountyRow {
    code: String,
    name: String,
}

struct MunicipalityRow {
    code: String,
    name: String,
    county: usize,
    population: u64,
    population_year: u16,
}

struct Registry {
    counties: Vec<CountyRow>,
    municipalities: Vec<MunicipalityRow>,
    synthetic: bool,
}

fn real_registry(count: usize) -> Registry {
    let mut counties = Vec::new();
    for line in COUNTIES_CSV.lines().skip(1).filter(|l| !l.is_empty()) {
        let mut parts = line.splitn(2, ',');
        let (Some(code), Some(name)) = (parts.next(), parts.next()) else {
            continue;
        };
        counties.push(CountyRow {
            code: code.into(),
            name: name.into(),
        });
    }
    let mut all = Vec::new();
    for line in MUNICIPALITIES_CSV.lines().skip(1).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != 6 {
            continue;
        }
        let county = counties.iter().position(|c| c.code == f[2]).unwrap_or(0);
        all.push(MunicipalityRow {
            code: f[0].into(),
            name: f[1].into(),
            county,
            population: f[4].parse().unwrap_or(0),
            population_year: f[5].parse().unwrap_or(2024),
        });
    }
    // Fewer than all: an even spread over the list, so every part of the country is there.
    let municipalities = if count >= all.len() {
        all
    } else {
        let total = all.len();
        let picked: Vec<usize> = (0..count).map(|i| i * total / count).collect();
        all.into_iter()
            .enumerate()
            .filter(|(i, _)| picked.binary_search(i).is_ok())
            .map(|(_, m)| m)
            .collect()
    };
    Registry {
        counties,
        municipalities,
        synthetic: false,
    }
}

const PREFIXES: &[&str] = &[
    "Al", "Ask", "Berg", "Björk", "Bro", "Dal", "Ek", "Elm", "Fal", "Fors", "Gran", "Hag",
    "Hammar", "Hed", "Hol", "Kall", "Kvarn", "Lid", "Lind", "Ljung", "Lund", "Mal", "Mark", "Mo",
    "Norr", "Ny", "Ör", "Ros", "Sand", "Sjö", "Skog", "Sol", "Stor", "Ström", "Sund", "Tall",
    "Tor", "Vall", "Vik", "Väster", "Ås", "Älv", "Öster", "Rönn", "Sten", "Hav", "Fjäll", "Myr",
];
const MIDDLES: &[&str] = &[
    "", "a", "e", "s", "bo", "by", "sta", "ne", "ing", "ås", "ker", "lun", "red", "rum",
];
const SUFFIXES: &[&str] = &[
    "by", "berg", "holm", "fors", "vik", "torp", "näs", "köping", "hult", "sund", "dal", "ås",
    "ryd", "stad", "bo", "hamn", "mark", "å", "ö", "tuna",
];

fn synthetic_name(rng: &mut Rng) -> String {
    let p = PREFIXES[rng.below(PREFIXES.len())];
    let m = MIDDLES[rng.below(MIDDLES.len())];
    let s = SUFFIXES[rng.below(SUFFIXES.len())];
    format!("{p}{m}{s}")
}

fn synthetic_registry(count: usize, seed: u64) -> Registry {
    let mut rng = Rng::new(seed, 1);
    let county_count = (count / 400).clamp(21, 999);
    let width = if county_count > 99 { 3 } else { 2 };
    let mut used = std::collections::HashSet::new();
    let mut unique = |rng: &mut Rng, suffix: &str| {
        let base = format!("{}{suffix}", synthetic_name(rng));
        let mut name = base.clone();
        let mut k = 2;
        while !used.insert(slugify(&name)) {
            name = format!("{base} {k}");
            k += 1;
        }
        name
    };
    let counties: Vec<CountyRow> = (1..=county_count)
        .map(|i| CountyRow {
            code: format!("{i:0width$}"),
            name: unique(&mut rng, "s län"),
        })
        .collect();
    let per_county = count.div_ceil(county_count);
    let index_width = (per_county.max(1).ilog10() as usize + 1).max(2);
    let municipalities = (0..count)
        .map(|i| {
            let county = i % county_count;
            let within = i / county_count + 1;
            // Log-normal populations around 16 000, as Swedish municipalities are.
            let population =
                (16_000.0 * approx_exp2(1.4 * rng.normal())).clamp(2_000.0, 1_000_000.0) as u64;
            MunicipalityRow {
                code: format!("{}{within:0index_width$}", counties[county].code),
                name: unique(&mut rng, ""),
                county,
                population,
                population_year: 2024,
            }
        })
        .collect();
    let mut registry = Registry {
        counties,
        municipalities,
        synthetic: true,
    };
    registry.municipalities.sort_by(|a, b| a.code.cmp(&b.code));
    registry
}

/// The indicators of the bundled catalogue, by area: (area id, indicator ids).
fn catalog_shape() -> Vec<(String, Vec<String>)> {
    let mut areas: Vec<(String, Vec<String>)> = Vec::new();
    for line in CATALOG_V3.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(id) = trimmed.strip_prefix("- id: ") {
            if indent == 2 {
                areas.push((id.trim().to_string(), Vec::new()));
            } else if let Some(area) = areas.last_mut() {
                area.1.push(id.trim().to_string());
            }
        }
    }
    areas
}

/// How hard an area is: soil easiest, services to businesses hardest (seeds 001, 002).
fn area_difficulty(area: &str) -> f64 {
    match area {
        "teknik" => -0.55,
        "barn" => -0.35,
        "allmanheten" => -0.1,
        "kultur" => 0.1,
        "aldre" => 0.15,
        "boende" => 0.3,
        "foretagare" => 0.75,
        _ => 0.0,
    }
}

const SUMMARIES: &[&str] = &[
    "Vi har under året infört flera nya e-tjänster och arbetar vidare med att digitalisera fler ärenden.",
    "Digitaliseringen styrs av kommunens digitala agenda. Fokus framåt är informationssäkerhet och fler e-tjänster för företagare.",
    "Vi samverkar med grannkommunerna kring gemensam IT-drift och e-tjänsteplattform.",
    "Resultatet visar att vi har kommit en bit på väg men att mycket återstår, särskilt inom **samhällsbyggnad**.",
];

const COMMENTS: &[&str] = &[
    "E-tjänsten lanseras under nästa år.",
    "Finns för vissa verksamheter, inte alla.",
    "Se kommunens [digitala agenda](https://example.org/digital-agenda).",
    "Upphandling pågår.",
    "Ingår i samarbetet med länets kommuner.",
];

fn write_registry(out: &Path, registry: &Registry) -> io::Result<()> {
    let dir = out.join("registry");
    std::fs::create_dir_all(&dir)?;
    let mut counties = csv::Writer::from_writer(Vec::new());
    let mut municipalities = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| io::Error::other(e.to_string());
    counties.write_record(COUNTY_COLUMNS).map_err(csv_error)?;
    for c in &registry.counties {
        counties
            .write_record([&c.code, &c.name])
            .map_err(csv_error)?;
    }
    municipalities
        .write_record(MUNICIPALITY_COLUMNS)
        .map_err(csv_error)?;
    for m in &registry.municipalities {
        let county = &registry.counties[m.county];
        municipalities
            .write_record([
                m.code.as_str(),
                &m.name,
                &county.code,
                &county.name,
                &m.population.to_string(),
                &m.population_year.to_string(),
            ])
            .map_err(csv_error)?;
    }
    let bytes =
        |w: csv::Writer<Vec<u8>>| w.into_inner().map_err(|e| io::Error::other(e.to_string()));
    std::fs::write(dir.join("counties.csv"), bytes(counties)?)?;
    std::fs::write(dir.join("municipalities.csv"), bytes(municipalities)?)?;
    let sources = if registry.synthetic {
        "# Sources\n\nThis registry is synthetic: `blomlada generate` made it. The names, codes and populations are invented.\n".to_string()
    } else {
        REGISTRY_SOURCES.to_string()
    };
    std::fs::write(dir.join("SOURCES.md"), sources)
}

/// The bundled boundaries of a real registry's municipalities (none for a synthetic one). The
/// bundled file has one feature per line, so the lines of the chosen municipalities are kept.
fn write_boundaries(out: &Path, registry: &Registry) -> io::Result<()> {
    if registry.synthetic {
        return Ok(());
    }
    let dir = out.join("geo");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("SOURCES.md"), BOUNDARY_SOURCES)?;
    let lines: Vec<&str> = BOUNDARIES.lines().collect();
    let (Some((head, rest)), true) = (lines.split_first(), lines.len() >= 2) else {
        return Ok(());
    };
    let (features, tail) = rest.split_at(rest.len() - 1);
    let kept: Vec<&str> = features
        .iter()
        .filter(|line| {
            registry
                .municipalities
                .iter()
                .any(|m| line.contains(&format!("\"id\":\"{}\"", m.code)))
        })
        .map(|line| line.trim_end_matches(','))
        .collect();
    let text = if kept.len() == features.len() {
        BOUNDARIES.to_string()
    } else {
        format!("{head}\n{}\n{}\n", kept.join(",\n"), tail[0])
    };
    std::fs::write(dir.join("municipalities.geojson"), text)
}

/// Writes the content folder. Existing files of the same names are replaced.
pub fn generate(out: &Path, options: &Options) -> io::Result<usize> {
    let registry = if options.municipalities > 290 {
        synthetic_registry(options.municipalities, options.seed)
    } else {
        real_registry(options.municipalities)
    };
    std::fs::create_dir_all(out.join("catalogs"))?;
    std::fs::create_dir_all(out.join("pages"))?;
    std::fs::write(out.join("site.yaml"), SITE_YAML)?;
    std::fs::write(out.join("catalogs/v3.yaml"), CATALOG_V3)?;
    for (name, text) in PAGES {
        std::fs::write(out.join("pages").join(name), text)?;
    }
    write_registry(out, &registry)?;
    write_boundaries(out, &registry)?;

    let areas = catalog_shape();
    let mut indicator_rng = Rng::new(options.seed, 2);
    let difficulties: Vec<Vec<f64>> = areas
        .iter()
        .map(|(area, ids)| {
            ids.iter()
                .map(|_| area_difficulty(area) + 0.55 * indicator_rng.normal())
                .collect()
        })
        .collect();
    let mut years = options.years.clone();
    years.sort_unstable();
    years.dedup();
    let first_year = years.first().copied().unwrap_or(2016);

    let mut written = 0;
    let mut buffer = String::with_capacity(8 * 1024);
    for (index, m) in registry.municipalities.iter().enumerate() {
        let mut rng = Rng::new(options.seed, 1000 + index as u64);
        let size = approx_log2(m.population as f64 / 16_000.0);
        let maturity = 0.28 * size + 0.55 * rng.normal();
        // Each municipality's own strengths stay from year to year.
        let own: Vec<Vec<f64>> = difficulties
            .iter()
            .map(|a| a.iter().map(|_| rng.normal()).collect())
            .collect();
        let summary_pick = rng.below(SUMMARIES.len() * 3);
        let slug = slugify(&m.name);
        for &year in &years {
            let progress = 0.16 * f64::from(year.saturating_sub(first_year));
            let mut year_rng = Rng::new(options.seed ^ u64::from(year), 5000 + index as u64);
            buffer.clear();
            let _ = writeln!(
                buffer,
                "# Exempeldata: påhittade svar som visar webbplatsen, inte kommunens verkliga resultat."
            );
            let _ = writeln!(buffer, "municipality: \"{}\"", m.code);
            let _ = writeln!(buffer, "year: {year}");
            let _ = writeln!(buffer, "catalog: v3");
            let day = 1 + year_rng.below(28);
            let month = if year_rng.below(4) == 0 { 12 } else { 11 };
            let _ = writeln!(buffer, "published: {year}-{month:02}-{day:02}");
            let _ = writeln!(buffer, "answers:");
            let mut commented = Vec::new();
            for (a, (_, ids)) in areas.iter().enumerate() {
                for (i, id) in ids.iter().enumerate() {
                    let latent = maturity + progress - difficulties[a][i]
                        + 0.75 * own[a][i]
                        + 0.35 * year_rng.normal();
                    let unanswered = year_rng.below(400) == 0;
                    let word = if unanswered {
                        ""
                    } else if latent > 0.95 {
                        " helt"
                    } else if latent > -0.3 {
                        " delvis"
                    } else {
                        " inte"
                    };
                    let _ = writeln!(buffer, "  {id}:{word}");
                    if year_rng.below(60) == 0 {
                        commented.push((id.clone(), COMMENTS[year_rng.below(COMMENTS.len())]));
                    }
                }
            }
            if let Some(summary) = SUMMARIES.get(summary_pick) {
                let _ = writeln!(buffer, "summary: |\n  {summary}");
            }
            if !commented.is_empty() {
                let _ = writeln!(buffer, "comments:");
                for (id, text) in commented {
                    let _ = writeln!(buffer, "  {id}: \"{}\"", text.replace('"', "\\\""));
                }
            }
            let dir: PathBuf = out.join("assessments").join(year.to_string());
            std::fs::create_dir_all(&dir)?;
            std::fs::write(dir.join(format!("{}-{slug}.yaml", m.code)), &buffer)?;
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approximations_are_monotone_and_close() {
        assert!((approx_log2(8.0) - 3.0).abs() < 1e-9);
        assert!((approx_log2(3.0) - 1.585).abs() < 0.1);
        assert!((approx_exp2(3.0) - 8.0).abs() < 1e-9);
        assert!((approx_exp2(0.5) - 1.414).abs() < 0.02);
    }

    #[test]
    fn catalog_shape_matches_v3() {
        let sizes: Vec<usize> = catalog_shape().iter().map(|(_, ids)| ids.len()).collect();
        assert_eq!(sizes, vec![8, 5, 6, 9, 10, 6, 30, 14]);
    }

    #[test]
    fn synthetic_registry_has_unique_codes_and_slugs() {
        let r = synthetic_registry(5_000, 7);
        let codes: std::collections::HashSet<_> =
            r.municipalities.iter().map(|m| &m.code).collect();
        let slugs: std::collections::HashSet<_> =
            r.municipalities.iter().map(|m| slugify(&m.name)).collect();
        assert_eq!(codes.len(), 5_000);
        assert_eq!(slugs.len(), 5_000);
    }

    #[test]
    fn a_smaller_real_registry_gets_the_boundaries_of_its_municipalities() {
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            municipalities: 12,
            years: vec![2017],
            seed: 3,
        };
        generate(dir.path(), &options).unwrap();
        let loaded = crate::content::load(dir.path(), &crate::content::LoadOptions::default());
        assert!(!loaded.diagnostics.has_errors(), "{:?}", loaded.diagnostics);
        let content = loaded.content.unwrap();
        assert_eq!(content.registry.municipalities.len(), 12);
        let boundaries = content.boundaries.unwrap();
        assert_eq!(boundaries.nation().municipalities.len(), 12);
        // A synthetic registry has no boundaries.
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            municipalities: 300,
            years: vec![2017],
            seed: 3,
        };
        generate(dir.path(), &options).unwrap();
        assert!(!dir.path().join("geo").exists());
    }
}
