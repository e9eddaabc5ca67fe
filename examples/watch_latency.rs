//! Measures how long `blomlada watch` takes from an assessment file written to its
//! municipality's page updated in the output folder: what a publisher sees.
//!
//! ```text
//! cargo run --release --example watch_latency -- --content DIR --out DIR \
//!     [--changes 20] [--busy] [--png] [--log FILE] [--bin PATH]
//! ```
//!
//! Starts `target/release/blomlada watch --no-png` (`--png`: with the pictures), waits for
//! its first build, then changes one answer in a different assessment file each time (written and
//! renamed into place, as an upload or an editor does) and polls that municipality's page
//! (a stat every 0.2 ms) until it is replaced. Without `--busy`, each change waits for the
//! previous rebuild to finish both phases, so each is measured on an idle watcher; with
//! `--busy`, a change follows the previous one after 0.5 s, while phase 2 may still run.
//! Prints the end-to-end figures and those the watcher logged for phase 1.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Args {
    bin: PathBuf,
    content: PathBuf,
    out: PathBuf,
    changes: usize,
    busy: bool,
    /// Where to save the watcher's log.
    log: Option<PathBuf>,
    /// Make the PNG pictures too.
    png: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        bin: PathBuf::from("target/release/blomlada"),
        content: PathBuf::new(),
        out: PathBuf::new(),
        changes: 20,
        busy: false,
        log: None,
        png: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--bin" => args.bin = value().into(),
            "--content" => args.content = value().into(),
            "--out" => args.out = value().into(),
            "--changes" => args.changes = value().parse().expect("--changes N"),
            "--busy" => args.busy = true,
            "--log" => args.log = Some(value().into()),
            "--png" => args.png = true,
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(
        !args.content.as_os_str().is_empty() && !args.out.as_os_str().is_empty(),
        "--content and --out are needed"
    );
    args
}

/// The newest year's assessment files, sorted.
fn assessment_files(content: &Path) -> Vec<PathBuf> {
    let dir = content.join("assessments");
    let mut years: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("an assessments folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.is_dir())
        .collect();
    years.sort();
    let newest = years.pop().expect("a year folder");
    let mut files: Vec<PathBuf> = std::fs::read_dir(newest)
        .expect("a year folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// The text with its first helt or inte answer swapped.
fn changed(text: &str) -> String {
    let mut done = false;
    text.lines()
        .map(|line| {
            let mut line = line.to_string();
            if !done && line.starts_with("  ") {
                for (from, to) in [(": helt", ": inte"), (": inte", ": helt")] {
                    if line.ends_with(from) {
                        line = format!("{}{to}", &line[..line.len() - from.len()]);
                        done = true;
                        break;
                    }
                }
            }
            line + "\n"
        })
        .collect()
}

fn identity(path: &Path) -> Option<(u64, i64)> {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.ino(), m.mtime_nsec()))
}

/// The first number before " ms" after `marker` in a line.
fn millis_after(line: &str, marker: &str) -> Option<f64> {
    let rest = &line[line.find(marker)? + marker.len()..];
    rest.split_whitespace().next()?.parse().ok()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[at]
}

fn summary(name: &str, mut values: Vec<f64>) {
    if values.is_empty() {
        println!("{name}: no values");
        return;
    }
    values.sort_by(f64::total_cmp);
    println!(
        "{name}: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms ({} changes)",
        percentile(&values, 0.5),
        percentile(&values, 0.9),
        values[0],
        values[values.len() - 1],
        values.len()
    );
}

/// Stops the watcher however the measurement ends.
struct Stopper(u32);

impl Drop for Stopper {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.0.to_string())
            .status();
    }
}

/// The latest page of the municipality of an assessment file named `CODE-SLUG.yaml`.
fn page_of(out: &Path, file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    let (code, slug) = stem.split_once('-').expect("CODE-SLUG.yaml");
    // A name that two municipalities share (Håbo, Habo) has the code in its folder.
    let with_code = out.join(format!("kommun/{slug}-{code}/index.html"));
    if with_code.is_file() {
        with_code
    } else {
        out.join(format!("kommun/{slug}/index.html"))
    }
}

/// Prints the figures of the watcher's log, and saves it when asked.
fn report(args: &Args, log: &[String], end_to_end: Vec<f64>) {
    if let Some(path) = &args.log {
        std::fs::write(path, log.join("\n") + "\n").expect("the log file");
    }
    let phase1: Vec<f64> = log
        .iter()
        .filter_map(|l| millis_after(l, "published in "))
        .skip(1)
        .collect();
    let totals: Vec<f64> = log
        .iter()
        .filter_map(|l| millis_after(l, " ms (phase 1), "))
        .skip(1)
        .collect();
    summary("file written → page replaced", end_to_end);
    summary("phase 1 as logged (event → published)", phase1);
    if !args.busy {
        summary("both phases as logged", totals);
    }
}

fn main() {
    let args = parse_args();
    let mut child = Command::new(&args.bin)
        .arg("watch")
        .arg("--content")
        .arg(&args.content)
        .arg("--out")
        .arg(&args.out)
        .args((!args.png).then_some("--no-png"))
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("blomlada watch starts");
    let stopper = Stopper(child.id());
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let stderr = child.stderr.take().expect("its stderr");
    let lines = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            lines.lock().expect("the log").push(line);
        }
    });
    let count = |what: &str| {
        log.lock()
            .expect("the log")
            .iter()
            .filter(|l| l.contains(what))
            .count()
    };
    let wait = |what: &str, n: usize| {
        let started = Instant::now();
        while count(what) < n {
            assert!(
                started.elapsed() < Duration::from_secs(1800),
                "timed out waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    wait("watching", 1);
    eprintln!(
        "{}",
        log.lock()
            .expect("the log")
            .iter()
            .find(|l| l.contains("watching"))
            .cloned()
            .unwrap_or_default()
    );

    let files = assessment_files(&args.content);
    let step = (files.len() / (args.changes + 1)).max(1);
    let mut end_to_end = Vec::new();
    for i in 0..=args.changes {
        let file = &files[(i * step) % files.len()];
        let page = page_of(&args.out, file);
        let before = identity(&page);
        let text = changed(&std::fs::read_to_string(file).expect("the assessment"));
        let temporary = file.with_extension("yaml.part");
        std::fs::write(&temporary, text).expect("a temporary file");
        let rebuilds_before = count("rebuilt in");
        let written = Instant::now();
        std::fs::rename(&temporary, file).expect("the rename");
        while identity(&page) == before {
            assert!(
                written.elapsed() < Duration::from_secs(120),
                "{} was not updated",
                page.display()
            );
            std::thread::sleep(Duration::from_micros(200));
        }
        let took = written.elapsed().as_secs_f64() * 1000.0;
        if i > 0 {
            end_to_end.push(took);
        }
        if args.busy {
            std::thread::sleep(Duration::from_millis(500));
        } else {
            wait("rebuilt in", rebuilds_before + 1);
        }
    }
    drop(stopper);
    let _ = child.wait();

    let log = log.lock().expect("the log").clone();
    report(&args, &log, end_to_end);
}
