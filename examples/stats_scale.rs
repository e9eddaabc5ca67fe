//! Times the statistics and the open data files on a synthetic content of any size:
//!
//! ```text
//! cargo run --release --example stats_scale -- 10000 10   # municipalities, years
//! ```
//!
//! The catalogue is the bundled one (`content/catalogs`); the registry is synthetic (21
//! counties, populations spread over every size class) and the answers are drawn from a fixed
//! seed, so every run measures the same work.

use std::path::Path;
use std::time::Instant;

use blomlada::content::{self, registry};
use blomlada::diagnostics::Diagnostics;
use blomlada::model::{Answer, Assessment, CatalogIndex, Content, County, Municipality};
use blomlada::render::opendata;
use blomlada::stats;

/// A small deterministic generator (xorshift), enough for spread-out answers.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let municipalities = args.first().copied().unwrap_or(10_000);
    let years = args.get(1).copied().unwrap_or(1);

    let mut diagnostics = Diagnostics::new();
    let Some(base) = content::load_base(Path::new("content"), &mut diagnostics) else {
        eprintln!("run from the repository root: the bundled content is needed for its catalogue");
        std::process::exit(2);
    };
    let counties: Vec<County> = (1..=21)
        .map(|c| County {
            code: format!("{c:02}"),
            name: format!("Län {c}"),
            slug: format!("lan-{c}"),
        })
        .collect();
    let mut draw = Draw(0x9E37_79B9_7F4A_7C15);
    let registry = registry::build(
        counties,
        (0..municipalities)
            .map(|m| Municipality {
                code: format!("{m:06}"),
                name: format!("Kommun {m}"),
                slug: format!("kommun-{m}"),
                county: m % 21,
                population: draw.next() % 200_000,
                population_year: 2024,
            })
            .collect(),
    );
    let catalog = CatalogIndex::new(0);
    let catalog_len = base.catalogs[catalog].indicators.len();
    let mut assessments = Vec::with_capacity(municipalities * years);
    for year in 0..years {
        for m in 0..municipalities {
            let answers = (0..catalog_len)
                .map(|_| match draw.next() % 10 {
                    0..=2 => Some(Answer::Helt),
                    3..=5 => Some(Answer::Delvis),
                    6..=8 => Some(Answer::Inte),
                    _ => None,
                })
                .collect();
            assessments.push(Assessment {
                source: format!("assessments/{year}/{m}.yaml").into(),
                municipality: m,
                year: 2016 + year as u16,
                catalog,
                published: None,
                answers,
                summary: None,
                comments: Vec::new(),
            });
        }
    }
    let content = Content {
        config: base.config,
        registry,
        catalogs: base.catalogs,
        assessments,
        pages: Vec::new(),
        boundaries: None,
    };
    println!(
        "{} assessments × {catalog_len} indicators, {} threads",
        content.assessments.len(),
        rayon::current_num_threads()
    );

    let start = Instant::now();
    let stats = stats::compute(&content);
    println!(
        "compute            {:>8.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let timed = |name: &str, write: &dyn Fn() -> Vec<u8>| {
        let start = Instant::now();
        let bytes = write();
        println!(
            "{name:<18} {:>8.1} ms  {:>8.1} MB",
            start.elapsed().as_secs_f64() * 1000.0,
            bytes.len() as f64 / 1e6
        );
    };
    timed("answers.csv", &|| opendata::answers_csv(&content, &stats));
    timed("municipalities.csv", &|| {
        opendata::municipalities_csv(&content, &stats)
    });
    timed("indicators.csv", &|| {
        opendata::indicators_csv(&content, &stats)
    });
    timed("site.json", &|| opendata::site_json(&content, &stats));
    timed("one municipality", &|| {
        opendata::municipality_csv(&content, &stats, 0)
    });
    if let Some(mib) = peak_memory_mib() {
        println!("peak memory        {mib:>8} MiB");
    }
}
