//! `blomlada watch` as a publisher runs it: a real process on a generated content folder,
//! changed underneath it. Each test waits for results with a timeout and never for a fixed time.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_blomlada");
/// Generous: the debug build on a busy machine.
const TIMEOUT: Duration = Duration::from_secs(120);

fn theme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")
}

/// A generated content folder in a temporary folder, with room for outputs beside it.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new(municipalities: usize, years: &[u16]) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        blomlada::generate::generate(
            &dir.path().join("content"),
            &blomlada::generate::Options {
                municipalities,
                years: years.to_vec(),
                seed: 3,
            },
        )
        .unwrap();
        Fixture { dir }
    }

    fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn assessment(&self, year: u16, stem: &str) -> PathBuf {
        self.content()
            .join(format!("assessments/{year}/{stem}.yaml"))
    }

    /// The stems (`0114-upplands-vasby`) of a year's assessment files, sorted.
    fn stems(&self, year: u16) -> Vec<String> {
        let mut stems: Vec<String> =
            std::fs::read_dir(self.content().join(format!("assessments/{year}")))
                .unwrap()
                .map(|e| {
                    e.unwrap()
                        .path()
                        .file_stem()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
        stems.sort();
        stems
    }

    /// `blomlada SUBCOMMAND` on this content and the theme, writing the output folder.
    fn command(&self, subcommand: &str) -> Command {
        let mut command = Command::new(BIN);
        command
            .arg(subcommand)
            .arg("--content")
            .arg(self.content())
            .arg("--theme")
            .arg(theme())
            .arg("--out")
            .arg(self.out())
            .env("NO_COLOR", "1")
            // Not the user's picture cache.
            .env("BLOMLADA_NO_CACHE", "1");
        command
    }

    /// Builds the current content from scratch into `name` and returns that folder.
    fn full_build(&self, name: &str, no_png: bool) -> PathBuf {
        let out = self.dir.path().join(name);
        let mut command = Command::new(BIN);
        command
            .arg("build")
            .arg("--content")
            .arg(self.content())
            .arg("--theme")
            .arg(theme())
            .arg("--out")
            .arg(&out)
            .env("NO_COLOR", "1")
            .env("BLOMLADA_NO_CACHE", "1");
        if no_png {
            command.arg("--no-png");
        }
        let result = command.output().unwrap();
        assert!(
            result.status.success(),
            "full build failed: {}",
            String::from_utf8_lossy(&result.stderr)
        );
        out
    }
}

/// Splits `0114-upplands-vasby` into code and slug.
fn code_and_slug(stem: &str) -> (&str, &str) {
    stem.split_once('-').unwrap()
}

/// A running `blomlada watch`, with its log collected line by line.
struct Watch {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Watch {
    fn start(fixture: &Fixture, extra: &[&str]) -> Watch {
        let watch = Watch::spawn(fixture, extra);
        watch.wait_for_log("the first build", |l| l.contains("watching"));
        watch
    }

    /// Starts it without waiting for its first build.
    fn spawn(fixture: &Fixture, extra: &[&str]) -> Watch {
        let mut child = fixture
            .command("watch")
            .args(extra)
            // The picture cache only when the test gives one.
            .env(
                "BLOMLADA_NO_CACHE",
                if extra.contains(&"--cache-dir") {
                    "0"
                } else {
                    "1"
                },
            )
            .env("BLOMLADA_LOG", "info")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                lines.lock().unwrap().push(line);
            }
        });
        Watch { child, log }
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    fn count(&self, what: &str) -> usize {
        self.log().iter().filter(|l| l.contains(what)).count()
    }

    fn wait_for_log(&self, what: &str, found: impl Fn(&str) -> bool) {
        self.wait_until(what, || self.log().iter().any(|l| found(l)));
    }

    fn wait_until(&self, what: &str, mut done: impl FnMut() -> bool) {
        let started = Instant::now();
        while !done() {
            assert!(
                started.elapsed() < TIMEOUT,
                "timed out waiting for {what}; log:\n{}",
                self.log().join("\n")
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until the `n`th rebuild is complete (phase 2 included).
    fn wait_for_rebuilds(&self, n: usize) {
        self.wait_until(&format!("rebuild {n}"), || self.count("rebuilt in") >= n);
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// SIGTERM, then the exit status.
    fn stop(mut self) -> ExitStatus {
        terminate(&self.child);
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < TIMEOUT, "watch did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn terminate(child: &Child) {
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

/// Every file under `dir` (but the marker) and its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = common::tree(dir);
    files.remove(".blomlada");
    files
}

/// Every folder under `dir`, to see that none is left empty.
fn folders(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// The published folder is byte for byte what a full build of the same content gives.
fn assert_same_as_full_build(fixture: &Fixture, no_png: bool) {
    let full = fixture.full_build("full", no_png);
    let published = tree(&fixture.out());
    let expected = tree(&full);
    let missing: Vec<&String> = expected
        .keys()
        .filter(|k| !published.contains_key(*k))
        .collect();
    let extra: Vec<&String> = published
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    let differing: Vec<&String> = expected
        .iter()
        .filter(|(k, v)| published.get(*k).is_some_and(|p| p != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differing.is_empty(),
        "the published site differs from a full build:\nmissing {missing:?}\nextra {extra:?}\ndiffering {differing:?}"
    );
    assert_eq!(folders(&fixture.out()), folders(&full), "folders differ");
    std::fs::remove_dir_all(full).unwrap();
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// Writes a file the way editors save: a temporary file renamed over the old one.
fn save_atomically(path: &Path, text: &str) {
    let temporary = path.with_file_name(format!(
        ".{}.swp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

/// Adds a summary (a marker to look for on the page) to an assessment.
fn with_summary(text: &str, summary: &str) -> String {
    assert!(!text.contains("\nsummary:"));
    format!("{text}summary: \"{summary}\"\n")
}

#[test]
fn a_change_is_published_and_equals_a_full_build() {
    let fixture = Fixture::new(12, &[2016, 2017]);
    let watch = Watch::start(&fixture, &["--no-png"]);
    let stem = fixture.stems(2017)[0].clone();
    let (_, slug) = code_and_slug(&stem);
    let file = fixture.assessment(2017, &stem);
    save_atomically(
        &file,
        &with_summary(&read(&file), "Nytt i år: e-tjänst för bygglov"),
    );
    // The municipality's page shows its latest year; that year's folder leads there.
    let page = fixture.out().join(format!("kommun/{slug}/index.html"));
    watch.wait_until("the page to change", || {
        read(&page).contains("Nytt i år: e-tjänst för bygglov")
    });
    // It leads there, and keeps the year's gist for whoever stays.
    let year_page = read(&fixture.out().join(format!("kommun/{slug}/2017/index.html")));
    assert!(
        year_page.contains("http-equiv=\"refresh\"")
            && year_page.contains("Nytt i år: e-tjänst för bygglov"),
        "{year_page}"
    );
    watch.wait_for_rebuilds(1);
    assert_same_as_full_build(&fixture, true);
    let line = watch
        .log()
        .into_iter()
        .find(|l| l.contains("rebuilt in"))
        .unwrap();
    assert!(
        line.contains("(phase 1)") && line.contains("1 changed"),
        "{line}"
    );
    assert!(watch.stop().success());
}

/// A municipality's new year becomes its page; its previous year gets its own page again, and
/// the links to that year on the other municipalities' pages (similar municipalities, lists)
/// move from its page to the year's. After both phases the site is exactly a full build.
#[test]
fn a_new_latest_year_moves_the_links_to_the_previous_one_and_equals_a_full_build() {
    let fixture = Fixture::new(12, &[2016, 2017]);
    let stems = fixture.stems(2017);
    // One municipality keeps 2016 only, so that nothing else brings its pages into the change.
    std::fs::remove_file(fixture.assessment(2017, &stems[1])).unwrap();
    let file = fixture.assessment(2017, &stems[0]);
    let submission = read(&file);
    std::fs::remove_file(&file).unwrap();
    let watch = Watch::start(&fixture, &["--no-png"]);
    let (_, slug) = code_and_slug(&stems[0]);
    let year_page = fixture.out().join(format!("kommun/{slug}/2016/index.html"));
    assert!(read(&year_page).contains("http-equiv=\"refresh\""));
    save_atomically(&file, &submission);
    watch.wait_until("2016 to get its own page", || {
        !read(&year_page).contains("http-equiv=\"refresh\"")
    });
    watch.wait_for_rebuilds(1);
    assert_same_as_full_build(&fixture, true);
    assert!(watch.stop().success());
}

/// With an English copy (`translations: [en]`, as generated content has it), a change
/// reaches the pages of both languages and the published folder is still exactly a full
/// build.
#[test]
fn a_change_reaches_every_language_and_equals_a_full_build() {
    let fixture = Fixture::new(6, &[2017]);
    let site_yaml = read(&fixture.content().join("site.yaml"));
    assert!(site_yaml.contains("\ntranslations: [en]\n"));
    let watch = Watch::start(&fixture, &["--no-png"]);
    let stem = fixture.stems(2017)[0].clone();
    let (_, slug) = code_and_slug(&stem);
    let file = fixture.assessment(2017, &stem);
    save_atomically(&file, &with_summary(&read(&file), "Nytt i år: e-arkiv"));
    for page in [
        format!("kommun/{slug}/index.html"),
        format!("en/kommun/{slug}/index.html"),
    ] {
        let page = fixture.out().join(page);
        watch.wait_until("the page to change", || {
            read(&page).contains("Nytt i år: e-arkiv")
        });
    }
    watch.wait_for_rebuilds(1);
    assert_same_as_full_build(&fixture, true);
    assert!(watch.stop().success());
}

#[test]
fn an_invalid_resubmission_keeps_the_last_good_result_and_the_watcher_runs_on() {
    let fixture = Fixture::new(12, &[2016, 2017]);
    let mut watch = Watch::start(&fixture, &["--no-png"]);
    let stems = fixture.stems(2017);
    let (code, slug) = code_and_slug(&stems[1]);
    let file = fixture.assessment(2017, &stems[1]);
    let good = read(&file);
    let page = fixture.out().join(format!("kommun/{slug}/index.html"));
    let page_before = std::fs::read(&page).unwrap();
    let answers_before = read(&fixture.out().join("data/answers.csv"));
    assert!(answers_before.contains(&format!("2017,v3,{code},")));

    // An answer that is not one of the three, at a known line and column.
    let line_index = good
        .lines()
        .position(|l| l.starts_with("  aldre-1: "))
        .unwrap();
    let bad = good.replacen(
        &good.lines().nth(line_index).unwrap().to_string(),
        "  aldre-1: kanske",
        1,
    );
    save_atomically(&file, &bad);
    let location = format!("{}:{}:12: error", file.display(), line_index + 1);
    watch.wait_for_log("the error with file, line and column", |l| {
        l.contains(&location)
    });
    watch.wait_for_rebuilds(1);
    assert_eq!(std::fs::read(&page).unwrap(), page_before);
    assert_eq!(
        read(&fixture.out().join("data/answers.csv")),
        answers_before
    );
    assert!(watch.is_running());

    // The watcher runs on: another municipality's change is published.
    let (_, other_slug) = code_and_slug(&stems[2]);
    let other = fixture.assessment(2017, &stems[2]);
    save_atomically(&other, &with_summary(&read(&other), "Fortfarande igång"));
    let other_page = fixture
        .out()
        .join(format!("kommun/{other_slug}/index.html"));
    watch.wait_until("the other page", || {
        read(&other_page).contains("Fortfarande igång")
    });
    watch.wait_for_rebuilds(2);
    assert_eq!(std::fs::read(&page).unwrap(), page_before);

    // Once the file is good again, the site is what a full build gives.
    save_atomically(&file, &good);
    watch.wait_for_rebuilds(3);
    assert_same_as_full_build(&fixture, true);
    assert!(watch.stop().success());
}

/// Moves 50 assessment files out of the content folder, to be dropped in again.
fn take_out_50(fixture: &Fixture) -> (PathBuf, Vec<String>) {
    let stems: Vec<String> = fixture.stems(2017).into_iter().take(50).collect();
    let aside = fixture.dir.path().join("aside");
    std::fs::create_dir(&aside).unwrap();
    for stem in &stems {
        std::fs::rename(
            fixture.assessment(2017, stem),
            aside.join(format!("{stem}.yaml")),
        )
        .unwrap();
    }
    (aside, stems)
}

#[test]
fn fifty_files_dropped_in_at_once_give_one_rebuild_and_a_consistent_site() {
    let fixture = Fixture::new(60, &[2017]);
    let (aside, stems) = take_out_50(&fixture);
    let watch = Watch::start(&fixture, &["--no-png"]);
    // A folder moved in whole: one event, one rebuild.
    std::fs::rename(&aside, fixture.content().join("assessments/inkommet")).unwrap();
    watch.wait_for_rebuilds(1);
    for stem in &stems {
        let (_, slug) = code_and_slug(stem);
        assert!(
            fixture
                .out()
                .join(format!("kommun/{slug}/2017/index.html"))
                .is_file()
        );
    }
    assert_same_as_full_build(&fixture, true);
    let log = watch.log();
    let published: Vec<&String> = log.iter().filter(|l| l.contains("published in")).collect();
    assert_eq!(published.len(), 1, "{published:?}");
    assert!(published[0].contains("50 changed"), "{}", published[0]);
    assert!(watch.stop().success());
}

#[test]
fn fifty_files_written_one_by_one_give_a_consistent_site() {
    let fixture = Fixture::new(60, &[2017]);
    let (aside, stems) = take_out_50(&fixture);
    let watch = Watch::start(&fixture, &["--no-png"]);
    for stem in &stems {
        let name = format!("{stem}.yaml");
        write(&fixture.assessment(2017, stem), &read(&aside.join(&name)));
    }
    let last = fixture.out().join(format!(
        "kommun/{}/2017/index.html",
        code_and_slug(stems.last().unwrap()).1
    ));
    watch.wait_until("the last page", || last.is_file());
    watch.wait_until("every rebuild", || {
        let log = watch.log();
        let published = log.iter().filter(|l| l.contains("published in")).count();
        let changed: usize = log
            .iter()
            .filter(|l| l.contains("published in"))
            .filter_map(|l| {
                l.split("): ")
                    .nth(1)?
                    .split(' ')
                    .next()?
                    .parse::<usize>()
                    .ok()
            })
            .sum();
        changed >= 50 && watch.count("rebuilt in") >= 1 && published >= 1
    });
    // No rebuild may still be running when the site is compared.
    watch.wait_until("the last rebuild to settle", || {
        let log = watch.log();
        let last_published = log.iter().rposition(|l| l.contains("published in"));
        let last_rebuilt = log.iter().rposition(|l| l.contains("rebuilt in"));
        last_rebuilt > last_published
    });
    assert_same_as_full_build(&fixture, true);
    eprintln!(
        "50 files written one by one gave {} rebuild(s)",
        watch.count("published in")
    );
    assert!(watch.stop().success());
}

#[test]
fn a_deleted_file_is_unpublished_everywhere() {
    let fixture = Fixture::new(12, &[2016, 2017]);
    let watch = Watch::start(&fixture, &["--no-png"]);
    let stem = fixture.stems(2017)[3].clone();
    let (code, slug) = code_and_slug(&stem);
    let out = fixture.out();
    assert!(out.join(format!("kommun/{slug}/2017/index.html")).is_file());

    std::fs::remove_file(fixture.assessment(2017, &stem)).unwrap();
    watch.wait_for_rebuilds(1);
    assert!(!out.join(format!("kommun/{slug}/2017")).exists());
    assert!(read(&out.join(format!("kommun/{slug}/index.html"))).contains("2016"));
    let answers = read(&out.join("data/answers.csv"));
    assert!(!answers.contains(&format!("2017,v3,{code},")));
    assert!(answers.contains(&format!("2016,v3,{code},")));
    assert_same_as_full_build(&fixture, true);

    // Its last year gone too: the municipality leaves the site, redirect included.
    std::fs::remove_file(fixture.assessment(2016, &stem)).unwrap();
    watch.wait_for_rebuilds(2);
    assert!(!out.join(format!("kommun/{slug}")).exists());
    assert!(!out.join(format!("kommun/{code}")).exists());
    let answers = read(&out.join("data/answers.csv"));
    assert!(!answers.contains(&format!(",{code},")));
    for (path, bytes) in tree(&out) {
        if path.ends_with(".html") || path.ends_with(".xml") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(
                !text.contains(&format!("kommun/{slug}/")),
                "{path} links to it"
            );
        }
    }
    assert_same_as_full_build(&fixture, true);
    assert!(watch.stop().success());
}

#[test]
fn a_series_of_edits_gives_exactly_the_bytes_of_a_full_build() {
    let fixture = Fixture::new(13, &[2016, 2017]);
    // A municipality to add later: set aside before the watcher starts.
    let newcomer = fixture.stems(2017).pop().unwrap();
    let newcomer_text = read(&fixture.assessment(2017, &newcomer));
    std::fs::remove_file(fixture.assessment(2017, &newcomer)).unwrap();
    std::fs::remove_file(fixture.assessment(2016, &newcomer)).unwrap();
    let watch = Watch::start(&fixture, &["--no-png"]);
    let stems = fixture.stems(2017);
    let mut rebuilds = 0;
    let mut step = |edit: &dyn Fn()| {
        edit();
        rebuilds += 1;
        watch.wait_for_rebuilds(rebuilds);
    };
    // Answers changed.
    step(&|| {
        let f = fixture.assessment(2017, &stems[0]);
        save_atomically(&f, &read(&f).replace(": inte\n", ": helt\n"));
    });
    // A summary and comments in Markdown.
    step(&|| {
        let f = fixture.assessment(2016, &stems[1]);
        let text = with_summary(&read(&f), "Se **mer** på [vår sida](https://example.org/)");
        write(
            &f,
            &format!("{text}comments:\n  aldre-1: \"*Ny* tjänst\"\n"),
        );
    });
    // A new municipality, in a new folder.
    step(&|| {
        let folder = fixture.content().join("assessments/ny");
        std::fs::create_dir(&folder).unwrap();
        write(&folder.join(format!("{newcomer}.yaml")), &newcomer_text);
    });
    // Withdrawn from publication: a draft again.
    step(&|| {
        let f = fixture.assessment(2017, &stems[2]);
        let text: String = read(&f)
            .lines()
            .filter(|l| !l.starts_with("published:"))
            .map(|l| format!("{l}\n"))
            .collect();
        write(&f, &text);
    });
    // A second published assessment for the same municipality and year: an error, the first
    // (by path) stays; then it goes again.
    let copy = fixture.content().join("assessments/2017/zz-kopia.yaml");
    step(&|| {
        let f = fixture.assessment(2017, &stems[3]);
        write(&copy, &read(&f).replace(": delvis\n", ": helt\n"));
    });
    assert!(
        watch
            .log()
            .iter()
            .any(|l| l.contains("a second published assessment"))
    );
    step(&|| std::fs::remove_file(&copy).unwrap());
    // A year gone for one municipality.
    step(&|| std::fs::remove_file(fixture.assessment(2016, &stems[4])).unwrap());
    assert_same_as_full_build(&fixture, true);
    assert!(watch.stop().success());
}

#[test]
fn pictures_are_made_again_only_when_they_change() {
    let fixture = Fixture::new(3, &[2017]);
    let watch = Watch::start(&fixture, &[]);
    let stems = fixture.stems(2017);
    let (_, slug) = code_and_slug(&stems[0]);
    let (_, other_slug) = code_and_slug(&stems[1]);
    let png = fixture
        .out()
        .join(format!("kommun/{slug}/2017/blomlada.png"));
    let other_png = fixture
        .out()
        .join(format!("kommun/{other_slug}/2017/blomlada.png"));
    let before = std::fs::read(&png).unwrap();
    let other_before = std::fs::metadata(&other_png).unwrap().modified().unwrap();
    let f = fixture.assessment(2017, &stems[0]);
    let changed = read(&f).replacen(": inte\n", ": helt\n", 3);
    save_atomically(&f, &changed);
    watch.wait_for_rebuilds(1);
    // The pictures already published wait for phase 2 (the latest year's copy too): drawing
    // them would only delay the page.
    let published = watch
        .log()
        .into_iter()
        .find(|l| l.contains("published in"))
        .unwrap();
    assert!(published.contains(" 0 pictures rasterised"), "{published}");
    assert_ne!(std::fs::read(&png).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&other_png).unwrap().modified().unwrap(),
        other_before,
        "an unchanged picture was written again"
    );
    assert_same_as_full_build(&fixture, false);
    assert!(watch.stop().success());
}

#[test]
fn watch_starts_with_the_pictures_a_build_left_in_the_picture_cache() {
    let fixture = Fixture::new(3, &[2017]);
    let cache = fixture.dir.path().join("cache");
    let built = common::build_command(&fixture.content(), &fixture.dir.path().join("built"))
        .env_remove("BLOMLADA_NO_CACHE")
        .arg("--cache-dir")
        .arg(&cache)
        .output()
        .unwrap();
    common::assert_success(&built);
    let cache_arg = cache.to_str().unwrap();
    let watch = Watch::start(&fixture, &["--cache-dir", cache_arg]);
    let started = watch
        .log()
        .into_iter()
        .find(|l| l.contains("watching"))
        .unwrap();
    assert!(started.contains("(0 pictures rasterised, "), "{started}");
    assert!(!started.contains(" 0 from the picture cache"), "{started}");
    // A changed picture is drawn and kept.
    let stems = fixture.stems(2017);
    let f = fixture.assessment(2017, &stems[0]);
    save_atomically(&f, &read(&f).replacen(": inte\n", ": helt\n", 3));
    watch.wait_for_rebuilds(1);
    let rebuilt = watch
        .log()
        .into_iter()
        .find(|l| l.contains("rebuilt in"))
        .unwrap();
    assert!(!rebuilt.contains(" 0 pictures rasterised"), "{rebuilt}");
    assert_same_as_full_build(&fixture, false);
    assert!(watch.stop().success());
}

#[test]
fn sigterm_ends_it_cleanly() {
    let fixture = Fixture::new(12, &[2017]);
    let watch = Watch::start(&fixture, &["--no-png"]);
    let stem = fixture.stems(2017)[0].clone();
    let f = fixture.assessment(2017, &stem);
    save_atomically(&f, &with_summary(&read(&f), "Strax före slutet"));
    watch.wait_for_log("phase 1", |l| l.contains("published in"));
    let status = watch.stop();
    assert!(status.success(), "{status:?}");
    let leftovers: Vec<String> = walkdir::WalkDir::new(fixture.dir.path())
        .into_iter()
        .map(Result::unwrap)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // What is published is a complete site: every page there is.
    assert!(fixture.out().join("index.html").is_file());
}

/// Files a process that died would leave: staging folders beside the output, temporary files
/// in it.
fn leftovers(fixture: &Fixture) -> Vec<String> {
    walkdir::WalkDir::new(fixture.dir.path())
        .into_iter()
        .map(Result::unwrap)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.contains("staging"))
        .collect()
}

/// A resubmission with other answers, so that its flower box changes.
fn with_other_answers(text: &str, round: usize) -> String {
    let answers = ["helt", "delvis", "inte"];
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut changed = 0;
    for line in lines.iter_mut().filter(|l| l.starts_with("  ")) {
        if let Some((key, answer)) = line.split_once(": ")
            && let Some(i) = answers.iter().position(|a| *a == answer.trim())
            && changed < 5
        {
            *line = format!("{key}: {}", answers[(i + 1 + round) % 3]);
            changed += 1;
        }
    }
    lines.join("\n") + "\n"
}

/// Whether the marker of the published folder lists pictures older than their SVG: the
/// watcher was stopped between writing a changed flower box and its PNG.
fn lists_lagging_pictures(fixture: &Fixture) -> bool {
    std::fs::read_to_string(fixture.out().join(".blomlada"))
        .is_ok_and(|m| m.contains("older than their SVG"))
}

#[test]
fn killed_in_the_middle_of_a_burst_a_restart_converges_to_a_full_build() {
    let fixture = Fixture::new(24, &[2017]);
    // Killed during its first build: the staging folder stays behind.
    let mut first = Watch::spawn(&fixture, &[]);
    let staging = fixture
        .dir
        .path()
        .join(format!(".site.staging-{}", first.child.id()));
    first.wait_until("the staging folder", || staging.exists());
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    assert!(staging.exists());
    // Started again, as systemd's Restart= does: it clears up and publishes everything.
    let mut watch = Watch::start(&fixture, &[]);
    assert!(
        !staging.exists(),
        "the staging folder of the killed run is still there"
    );
    assert!(
        watch.count(&format!("removed {}", staging.display())) == 1,
        "{}",
        watch.log().join("\n")
    );

    let stems = fixture.stems(2017);
    let mut caught_between_svg_and_png = false;
    for round in 0..6 {
        // A burst of resubmissions; killed as soon as one of them is published, while the
        // rest of the site is still being brought up to date.
        let burst: Vec<&String> = stems.iter().skip(round * 4).take(4).collect();
        let published = watch.count("published in");
        for stem in &burst[..2] {
            let file = fixture.assessment(2017, stem);
            save_atomically(&file, &with_other_answers(&read(&file), round));
        }
        watch.wait_until("a change to be published", || {
            watch.count("published in") > published
        });
        watch.child.kill().unwrap();
        watch.child.wait().unwrap();
        caught_between_svg_and_png |= lists_lagging_pictures(&fixture);
        // The rest of the burst arrives while nothing watches.
        for stem in &burst[2..] {
            let file = fixture.assessment(2017, stem);
            save_atomically(&file, &with_other_answers(&read(&file), round));
        }
        watch = Watch::start(&fixture, &[]);
        assert!(
            !lists_lagging_pictures(&fixture),
            "the restart left pictures older than their SVG"
        );
        assert_same_as_full_build(&fixture, false);
        assert!(leftovers(&fixture).is_empty(), "{:?}", leftovers(&fixture));
        if caught_between_svg_and_png {
            break;
        }
    }
    assert!(
        caught_between_svg_and_png,
        "no kill came between a flower box and its PNG; the test proved less than it should"
    );
    assert!(watch.stop().success());
}

/// Runs a command to its end (killed if it outlives the timeout: a writer that was not
/// refused would run on) and returns its exit status and standard error.
fn run_to_end(command: &mut Command) -> (Option<i32>, String) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            child.kill().unwrap();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    (status.code(), stderr)
}

#[test]
fn a_second_writer_into_its_folder_is_refused_naming_it() {
    let fixture = Fixture::new(6, &[2017]);
    let watch = Watch::start(&fixture, &["--no-png"]);
    let before = tree(&fixture.out());
    let holder = format!(
        "is being written by another process: process {} (",
        watch.child.id()
    );
    for (writer, extra) in [
        ("build", &[][..]),
        ("watch", &[]),
        ("serve", &["--port", "0"]),
    ] {
        let (code, stderr) = run_to_end(fixture.command(writer).args(extra).arg("--no-png"));
        assert_eq!(code, Some(2), "{writer:?}: {stderr}");
        assert!(
            stderr.contains(&holder) && stderr.contains(" watch --content "),
            "{writer:?} does not name the watch: {stderr}"
        );
    }
    assert!(tree(&fixture.out()) == before, "a refused writer wrote");
    assert!(leftovers(&fixture).is_empty(), "{:?}", leftovers(&fixture));
    // The watch itself goes on publishing.
    let stem = fixture.stems(2017)[0].clone();
    let file = fixture.assessment(2017, &stem);
    save_atomically(&file, &with_summary(&read(&file), "Efter de nekade"));
    watch.wait_for_rebuilds(1);
    assert_same_as_full_build(&fixture, true);
    assert!(watch.stop().success());
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_content_folder_is_an_invalid_submission_and_one_inside_is_followed() {
    use std::os::unix::fs::symlink;
    let fixture = Fixture::new(12, &[2017]);
    let watch = Watch::start(&fixture, &["--no-png"]);
    let stem = fixture.stems(2017)[0].clone();
    let (_, slug) = code_and_slug(&stem);
    let file = fixture.assessment(2017, &stem);
    let page = fixture.out().join(format!("kommun/{slug}/index.html"));
    let before = read(&page);
    let original = read(&file);

    // The submission is replaced by a link to a file outside the content folder.
    let outside = fixture.dir.path().join("utanfor.yaml");
    write(&outside, &with_summary(&original, "HEMLIGT-UTANFOR"));
    std::fs::remove_file(&file).unwrap();
    symlink(&outside, &file).unwrap();
    let link = file.display().to_string();
    watch.wait_for_log("the link to be reported", |l| {
        l.contains(&format!(
            "{link}:1:1: error: found a symbolic link that leads outside"
        ))
    });
    watch.wait_for_log("the file to be skipped", |l| {
        l.contains(&format!("{link}: invalid, skipped"))
            && l.contains("the last good version stays published")
    });
    assert_eq!(read(&page), before, "the last good result changed");
    assert!(
        !watch.log().iter().any(|l| l.contains("HEMLIGT-UTANFOR")),
        "the target was read"
    );

    // A link to a file inside the content folder is followed.
    let inside = fixture.content().join("inkommet.yaml");
    write(&inside, &with_summary(&original, "Via en länk inifrån"));
    std::fs::remove_file(&file).unwrap();
    symlink("../../inkommet.yaml", &file).unwrap();
    watch.wait_until("the linked file to be published", || {
        read(&page).contains("Via en länk inifrån")
    });
    watch.wait_for_rebuilds(1);
    assert_same_as_full_build(&fixture, true);
    assert!(watch.stop().success());
}
