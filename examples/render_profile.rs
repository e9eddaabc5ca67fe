//! Times each kind of rendering job on a content folder, one thread, to see where build time goes.
//!
//! `cargo run --release --example render_profile -- CONTENT_DIR [THEME_DIR]`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use blomlada::pipeline::{Options, load_content, load_theme};
use blomlada::render::site::Site;

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "content".into()));
    let options = Options {
        content: dir,
        theme: std::env::args()
            .nth(2)
            .unwrap_or_else(|| "themes/default".into())
            .into(),
        out: "/tmp/unused".into(),
        base_url: None,
        drafts: false,
        keep_going: true,
        no_png: true,
        picture_cache: None,
    };
    let Ok((content, _, _)) = load_content(&options) else {
        panic!("content errors")
    };
    let Ok(theme) = load_theme(&options.theme, &content, content.config.language) else {
        panic!("theme errors")
    };
    let stats = blomlada::stats::compute(&content);
    let mut site = Site::new(&content, &stats, &theme);
    site.base_url = String::new();
    let mut by_kind: BTreeMap<String, (Duration, usize, usize)> = BTreeMap::new();
    for job in blomlada::render::jobs::all(&site) {
        let kind = format!("{job:?}")
            .split('(')
            .next()
            .unwrap_or("")
            .to_string();
        let entry = by_kind.entry(kind).or_default();
        if entry.1 >= 400 {
            continue;
        }
        let t = Instant::now();
        let files = job.render(&site).unwrap_or_default();
        entry.0 += t.elapsed();
        entry.1 += 1;
        entry.2 += files
            .iter()
            .map(|f| f.contents.size() as usize)
            .sum::<usize>();
    }
    let sample: Vec<usize> = (0..content.assessments.len().min(400)).collect();
    let t = Instant::now();
    for &a in &sample {
        let tallies: Vec<blomlada::stats::Tally> = content.assessments[a]
            .answers
            .iter()
            .map(|&x| blomlada::stats::Tally::of(x))
            .collect();
        std::hint::black_box(
            site.flowerbox(
                content.assessments[a].catalog,
                &tallies,
                content.assessments[a].year,
                "t",
                "s",
                "fb-",
            )
            .svg(blomlada::render::flowerbox::Place::File),
        );
    }
    println!(
        "{:20} {:8.3} ms each",
        "flowerbox svg",
        t.elapsed().as_secs_f64() * 1000.0 / sample.len() as f64
    );
    let t = Instant::now();
    for &a in &sample {
        std::hint::black_box(blomlada::render::opendata::municipality_csv(
            &content, &stats, a,
        ));
    }
    println!(
        "{:20} {:8.3} ms each",
        "assessment csv",
        t.elapsed().as_secs_f64() * 1000.0 / sample.len() as f64
    );
    let t = Instant::now();
    for &a in &sample {
        std::hint::black_box((stats.comparison(a), stats.relative_to_nation(&content, a)));
    }
    println!(
        "{:20} {:8.3} ms each",
        "comparisons",
        t.elapsed().as_secs_f64() * 1000.0 / sample.len() as f64
    );
    for (kind, (time, count, bytes)) in by_kind {
        println!(
            "{kind:20} {count:6} jobs  {:8.2} ms/job  {:8} KB/job",
            time.as_secs_f64() * 1000.0 / count as f64,
            bytes / count.max(1) / 1024
        );
    }
}

/// Times the parts of a municipality page for the first assessments.
#[allow(dead_code)]
fn parts() {}
