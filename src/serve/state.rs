//! What `watch` and `serve` keep between rebuilds, and the rebuilds themselves.
//!
//! The state holds the loaded content with every assessment file's last good version, the
//! theme, the figures, and a record of the published folder (a digest per file, and which
//! job wrote which files). A change of assessments re-reads only the changed files, then
//! publishes in two phases (see [`super::jobs`]); anything else (site.yaml, registry,
//! catalogues, pages, theme) rebuilds the whole site and swaps it in atomically.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::build::{self, BuildError};
use crate::content::assessment::{Against, Identity};
use crate::content::{self, Base};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, SourceText};
use crate::model::{Assessment, Content, Year};
use crate::output::incremental::{PublishedFolder, Written};
use crate::output::{self, Contents, OutputFile};
use crate::render::png::Rasterizer;
use crate::render::site::{Job, RenderError, Site};
use crate::render::theme::Theme;
use crate::stats::{self, Stats};

use super::jobs::{self, Shape, Touched};

#[derive(Debug, Clone)]
pub struct Options {
    pub content: PathBuf,
    pub theme: PathBuf,
    pub out: PathBuf,
    /// Overrides site.yaml's address (`serve` uses its own).
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Leave out the PNG pictures.
    pub no_png: bool,
}

/// The source files a change touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Assessment files or folders, relative to the content folder: each is read again, or
    /// removed when it is gone.
    pub assessments: BTreeSet<PathBuf>,
    /// site.yaml, the registry or a catalogue.
    pub base: bool,
    pub pages: bool,
    pub theme: bool,
    /// Events were lost: read everything again.
    pub rescan: bool,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        self.assessments.is_empty() && !self.base && !self.pages && !self.theme && !self.rescan
    }

    pub fn merge(&mut self, other: Change) {
        self.assessments.extend(other.assessments);
        self.base |= other.base;
        self.pages |= other.pages;
        self.theme |= other.theme;
        self.rescan |= other.rescan;
    }

    fn is_full(&self) -> bool {
        self.base || self.pages || self.theme || self.rescan
    }

    /// A short account for the log: `assessments/2017/kumla.yaml`, `3 assessments, theme`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match self.assessments.len() {
            0 => {}
            1 => parts.extend(self.assessments.iter().map(|p| p.display().to_string())),
            n => parts.push(format!("{n} assessment paths")),
        }
        for (flag, name) in [
            (self.base, "site, registry, catalogues or boundaries"),
            (self.pages, "pages"),
            (self.theme, "theme"),
            (self.rescan, "rescan"),
        ] {
            if flag {
                parts.push(name.to_string());
            }
        }
        parts.join(", ")
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Source files read again or removed.
    pub changed: usize,
    pub written: Written,
    pub removed: usize,
    /// The whole site was rendered and swapped in.
    pub full: bool,
    /// The rebuild could not be done: the published site is as it was (see `problems`).
    pub failed: bool,
}

/// One step of phase 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// More to do.
    Continue(Written),
    /// Phase 2 has finished: the output is what a full build gives.
    Done { written: Written, removed: usize },
}

/// Why `watch` could not start.
#[derive(Debug)]
pub enum StartError {
    Content(Vec<Diagnostic>),
    Io(String),
}

/// An assessment file as last read without errors.
#[derive(Debug, Clone)]
struct KeptFile {
    assessment: Assessment,
    identity: Identity,
    /// Kept to check the file again against a changed registry or catalogue, even when the
    /// file has since been broken.
    text: String,
}

type Key = (usize, Year);

/// What rendering a job gave.
type JobResult = Result<Vec<OutputFile>, RenderError>;

/// The files each job wrote last.
type Owned = HashMap<Job, Vec<String>>;

/// The assessment side of the content: every file's last good version and what is selected.
struct Assessments {
    kept: BTreeMap<PathBuf, KeptFile>,
    by_key: HashMap<Key, BTreeSet<PathBuf>>,
    /// Files whose current version has errors (the last good version, if any, is used).
    invalid: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Two published assessments of one municipality and year.
    duplicates: BTreeMap<Key, Vec<Diagnostic>>,
}

/// Everything a rebuild reads and writes.
pub struct State {
    options: Options,
    content: Content,
    theme: Theme,
    stats: Stats,
    assessments: Assessments,
    /// Problems with site.yaml, registry, catalogues, pages or theme; while there are any,
    /// the last good versions of those are used.
    setup_problems: Vec<Diagnostic>,
    render_problems: BTreeMap<Job, Diagnostic>,
    folder: PublishedFolder,
    owned: Owned,
    /// Phase 2: jobs still to render, in order.
    pending: BTreeSet<(u8, Job)>,
    /// Phase 2: PNGs to rasterise again (their SVG changed in phase 1), with that SVG.
    pending_pngs: BTreeMap<String, (String, Vec<u8>)>,
    /// Files no job writes any more, removed when phase 2 is done and nothing links to them.
    pending_removals: BTreeSet<String>,
    /// Phase 2 has reported `Done` since the last change.
    settled: bool,
    rasterizer: Rasterizer,
}

/// How many jobs phase 2 renders between looks at new events: a chunk of municipality pages
/// takes some 25 ms at 10 000 municipalities on two cores.
const PHASE2_CHUNK: usize = 16;

impl State {
    /// Loads everything, builds the whole site and publishes it (atomically, like `build`).
    /// Invalid assessments are skipped; anything else wrong stops here.
    pub fn start(options: Options) -> Result<(State, Outcome), StartError> {
        if !options.content.is_dir() {
            return Err(StartError::Io(format!(
                "the content folder {} does not exist",
                options.content.display()
            )));
        }
        if !options.theme.is_dir() {
            return Err(StartError::Io(format!(
                "the theme folder {} does not exist",
                options.theme.display()
            )));
        }
        output::check_out_dir(&options.out, &[&options.content, &options.theme])
            .map_err(StartError::Io)?;
        let (content, assessments) =
            load_everything(&options, None).map_err(StartError::Content)?;
        let theme = load_theme(&options, &content).map_err(StartError::Content)?;
        let stats = stats::compute(&content);
        let rendered = render_everything(&content, &stats, &theme, options.no_png)
            .map_err(StartError::Content)?;
        let rasterizer = Rasterizer::new();
        let (folder, owned, written) =
            publish_everything(&options.out, rendered, &rasterizer).map_err(StartError::Io)?;
        for (path, problems) in &assessments.invalid {
            tracing::error!(
                "{}: invalid, skipped ({} error(s))",
                options.content.join(path).display(),
                problems.len()
            );
            for d in problems {
                tracing::error!("{d}");
            }
        }
        let state = State {
            options,
            content,
            theme,
            stats,
            assessments,
            setup_problems: Vec::new(),
            render_problems: BTreeMap::new(),
            folder,
            owned,
            pending: BTreeSet::new(),
            pending_pngs: BTreeMap::new(),
            pending_removals: BTreeSet::new(),
            settled: true,
            rasterizer,
        };
        let outcome = Outcome {
            changed: state.assessments.kept.len(),
            written,
            full: true,
            ..Outcome::default()
        };
        Ok((state, outcome))
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Whether phase 2 has yet to report [`Step::Done`] for the last change.
    pub fn has_pending(&self) -> bool {
        !self.settled
    }

    /// Every current problem, sorted: invalid files, duplicates, setup and template problems.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.setup_problems.clone();
        all.extend(self.assessments.invalid.values().flatten().cloned());
        all.extend(self.assessments.duplicates.values().flatten().cloned());
        all.extend(self.render_problems.values().cloned());
        all.sort_by(|a, b| (&a.path, a.pos, &a.message).cmp(&(&b.path, b.pos, &b.message)));
        all.dedup();
        all
    }

    /// Applies a change and runs phase 1; phase 2 is left pending (see [`State::phase2_step`]).
    pub fn apply(&mut self, change: &Change) -> Outcome {
        self.settled = false;
        if !change.is_full() {
            return self.apply_assessments(&change.assessments);
        }
        let reads_all = change.base || change.rescan;
        // Assessments that changed along with the rest are published the usual way first, so
        // that they are not lost if the rest fails.
        let mut outcome = if reads_all {
            Outcome::default()
        } else {
            self.apply_assessments(&change.assessments)
        };
        let full = self.rebuild_everything(change);
        if full.failed && reads_all && !change.assessments.is_empty() {
            outcome = self.apply_assessments(&change.assessments);
        }
        outcome.changed = full.changed.max(outcome.changed);
        outcome.written.add(full.written);
        outcome.full = true;
        outcome.failed = full.failed;
        outcome
    }

    /// Reads changed assessment files and runs phase 1 for them.
    fn apply_assessments(&mut self, paths: &BTreeSet<PathBuf>) -> Outcome {
        let mut clock = Clock::start();
        let before = Shape::of(&self.content, &self.stats);
        let (changed, keys) = self.read_assessments(paths);
        let mut outcome = Outcome {
            changed,
            ..Outcome::default()
        };
        if keys.is_empty() {
            return outcome;
        }
        self.reselect(&keys);
        clock.lap("read");
        self.stats = stats::compute(&self.content);
        clock.lap("stats");
        let all_jobs = self.site().all_jobs();
        self.forget_vanished_jobs(&all_jobs);
        let touched = Touched {
            municipalities: keys.iter().map(|k| k.0).collect(),
            years: keys.iter().map(|k| k.1).collect(),
        };
        let after = Shape::of(&self.content, &self.stats);
        let plan = jobs::plan(
            &touched,
            &before,
            &after,
            &all_jobs,
            &self.content,
            &self.stats,
        );
        clock.lap("plan");
        let rendered = self.render(&plan.phase1, None);
        let mut files = Vec::new();
        for (job, result) in rendered {
            if let Some(result) = result {
                files.extend(self.take_outputs(job, result));
            }
        }
        clock.lap("render");
        // A picture that is already published can wait for phase 2; a new one cannot, as the
        // page links to it.
        let svgs = output::incremental::svgs_of(&files);
        let deferred: Vec<(String, String, Vec<u8>)> = files
            .iter()
            .filter_map(|f| match &f.contents {
                Contents::PngOf(svg_path) if self.folder.contains(&f.path) => {
                    let svg = svgs.get(svg_path.as_str())?;
                    Some((f.path.clone(), svg_path.clone(), svg.to_vec()))
                }
                _ => None,
            })
            .collect();
        files.retain(|f| !deferred.iter().any(|(path, _, _)| *path == f.path));
        outcome.written = self.write(&files);
        for (path, svg_path, svg) in deferred {
            // The folder tells whether the picture is current when phase 2 writes it.
            self.pending_pngs.insert(path, (svg_path, svg));
        }
        clock.lap("write");
        tracing::debug!("phase 1: {}", clock.laps());
        self.pending.extend(
            plan.phase2
                .into_iter()
                .map(|job| (jobs::phase2_rank(job), job)),
        );
        outcome
    }

    /// Does a part of phase 2: the PNGs left from phase 1, or a chunk of pages. Stops early
    /// (leaving the rest pending) when `interrupt` is set.
    pub fn phase2_step(&mut self, interrupt: &AtomicBool) -> Step {
        if !self.pending_pngs.is_empty() {
            let pngs = std::mem::take(&mut self.pending_pngs);
            let files: Vec<OutputFile> = pngs
                .iter()
                .map(|(path, (svg_path, _))| OutputFile {
                    path: path.clone(),
                    contents: Contents::PngOf(svg_path.clone()),
                })
                .collect();
            let svgs: HashMap<&str, &[u8]> = pngs
                .values()
                .map(|(p, b)| (p.as_str(), b.as_slice()))
                .collect();
            return Step::Continue(self.write_with(&files, &svgs));
        }
        if !self.pending.is_empty() {
            let chunk: Vec<Job> = (0..PHASE2_CHUNK)
                .map_while(|_| self.pending.pop_first().map(|(_, job)| job))
                .collect();
            let rendered = self.render(&chunk, Some(interrupt));
            if interrupt.load(Ordering::Relaxed) {
                // A change is waiting: it goes first, and these pages are rendered again
                // after it (writing them now would only delay it).
                self.pending
                    .extend(chunk.iter().map(|&job| (jobs::phase2_rank(job), job)));
                return Step::Continue(Written::default());
            }
            let mut files = Vec::new();
            for (job, result) in rendered {
                if let Some(result) = result {
                    files.extend(self.take_outputs(job, result));
                }
            }
            return Step::Continue(self.write(&files));
        }
        self.settled = true;
        let removals = std::mem::take(&mut self.pending_removals);
        let removed = match self.folder.remove(removals.iter().map(String::as_str)) {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(
                    "cannot remove files from {}: {e}",
                    self.options.out.display()
                );
                0
            }
        };
        Step::Done {
            written: Written::default(),
            removed,
        }
    }

    fn site(&self) -> Site<'_> {
        Site {
            content: &self.content,
            stats: &self.stats,
            theme: &self.theme,
            base_url: self.content.config.base_url.clone(),
        }
    }

    /// Reads assessment files (or the files under folders) again. Returns how many files
    /// were looked at, and the (municipality, year) of every assessment that may have
    /// changed, before and after.
    fn read_assessments(&mut self, paths: &BTreeSet<PathBuf>) -> (usize, BTreeSet<Key>) {
        let dir = self.options.content.clone();
        let mut to_read = BTreeSet::new();
        let mut gone = BTreeSet::new();
        for rel in paths {
            let path = dir.join(rel);
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => {
                    let found: BTreeSet<PathBuf> = assessment_files_under(&dir, rel);
                    gone.extend(
                        self.known_paths_under(rel)
                            .filter(|p| !found.contains(p))
                            .collect::<Vec<_>>(),
                    );
                    to_read.extend(found);
                }
                Ok(m) if m.is_file() && is_assessment_file(rel) => {
                    to_read.insert(rel.clone());
                }
                _ => {
                    gone.extend(self.known_paths_under(rel).collect::<Vec<_>>());
                }
            }
        }
        let against = Against {
            registry: &self.content.registry,
            catalogs: &self.content.catalogs,
        };
        let results: Vec<_> = to_read
            .par_iter()
            .map(|rel| {
                (
                    rel.clone(),
                    content::load_assessment_keeping_text(&dir, rel, &against),
                )
            })
            .collect();
        let mut keys = BTreeSet::new();
        let changed = results.len() + gone.len();
        for (rel, (result, text, diagnostics)) in results {
            match (result, text) {
                (Some((assessment, identity)), Some(text)) => {
                    self.assessments.invalid.remove(&rel);
                    let new = KeptFile {
                        assessment,
                        identity,
                        text,
                    };
                    keys.insert(key_of(&new));
                    if let Some(old) = self.assessments.insert(rel, new) {
                        keys.insert(old);
                    }
                }
                _ if !dir.join(&rel).is_file() => {
                    // Removed while it was being read.
                    gone.insert(rel);
                }
                _ => {
                    let errors: Vec<Diagnostic> =
                        diagnostics.into_iter().filter(|d| d.is_error()).collect();
                    let kept = if self.assessments.kept.contains_key(&rel) {
                        "the last good version stays published"
                    } else {
                        "nothing is published from it"
                    };
                    tracing::error!(
                        "{}: invalid, skipped ({} error(s)); {kept}",
                        dir.join(&rel).display(),
                        errors.len()
                    );
                    for d in &errors {
                        tracing::error!("{d}");
                    }
                    self.assessments.invalid.insert(rel, errors);
                }
            }
        }
        for rel in gone {
            self.assessments.invalid.remove(&rel);
            if let Some(old) = self.assessments.remove(&rel) {
                tracing::info!("{}: removed", dir.join(&rel).display());
                keys.insert(old);
            }
        }
        (changed, keys)
    }

    /// The kept or invalid files at `rel` or under it.
    fn known_paths_under<'a>(&'a self, rel: &'a Path) -> impl Iterator<Item = PathBuf> + 'a {
        self.assessments
            .kept
            .keys()
            .chain(self.assessments.invalid.keys())
            .filter(move |p| p.starts_with(rel))
            .cloned()
    }

    /// Chooses again what is published for these municipalities and years.
    fn reselect(&mut self, keys: &BTreeSet<Key>) {
        self.content
            .assessments
            .retain(|a| !keys.contains(&(a.municipality, a.year)));
        for key in keys {
            let (chosen, duplicates) = self.assessments.select(
                key,
                &self.options.content,
                &self.content,
                self.options.drafts,
            );
            self.content.assessments.extend(chosen);
            self.assessments.set_duplicates(*key, duplicates);
        }
        content::sort_assessments(&mut self.content.assessments, &self.content.registry);
    }

    /// Jobs that wrote files before and are no longer part of the site (a municipality
    /// without assessments): their files are removed at the end of phase 2.
    fn forget_vanished_jobs(&mut self, all_jobs: &[Job]) {
        let current: HashSet<Job> = all_jobs.iter().copied().collect();
        let vanished: Vec<Job> = self
            .owned
            .keys()
            .filter(|j| !current.contains(j))
            .copied()
            .collect();
        for job in vanished {
            for path in self.owned.remove(&job).unwrap_or_default() {
                self.pending_pngs.remove(&path);
                self.pending_removals.insert(path);
            }
            self.render_problems.remove(&job);
        }
        self.pending.retain(|(_, j)| current.contains(j));
    }

    /// Renders jobs in parallel. With `interrupt`, jobs not yet started when it is set are
    /// left out (`None`).
    fn render(
        &self,
        jobs: &[Job],
        interrupt: Option<&AtomicBool>,
    ) -> Vec<(Job, Option<JobResult>)> {
        let site = self.site();
        jobs.par_iter()
            .map(|&job| {
                if interrupt.is_some_and(|i| i.load(Ordering::Relaxed)) {
                    return (job, None);
                }
                (job, Some(site.render_job(job)))
            })
            .collect()
    }

    /// Records what a job rendered; returns the files to write. A job that failed keeps its
    /// previous files.
    fn take_outputs(
        &mut self,
        job: Job,
        result: Result<Vec<OutputFile>, RenderError>,
    ) -> Vec<OutputFile> {
        let mut files = match result {
            Ok(files) => files,
            Err(e) => {
                let problem = render_problem(&self.options.theme, &e);
                tracing::error!("{problem}");
                self.render_problems.insert(job, problem);
                return Vec::new();
            }
        };
        self.render_problems.remove(&job);
        if self.options.no_png {
            output::drop_pngs(&mut files);
        }
        let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        for path in &paths {
            self.pending_removals.remove(path);
        }
        if let Some(old) = self.owned.insert(job, paths) {
            let now: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
            for path in old {
                if !now.contains(path.as_str()) {
                    self.pending_pngs.remove(&path);
                    self.pending_removals.insert(path);
                }
            }
        }
        files
    }

    fn write(&mut self, files: &[OutputFile]) -> Written {
        self.write_with(files, &HashMap::new())
    }

    fn write_with(&mut self, files: &[OutputFile], svgs: &HashMap<&str, &[u8]>) -> Written {
        for f in files {
            self.pending_pngs.remove(&f.path);
        }
        match self.folder.write(files, svgs, &self.rasterizer) {
            Ok(w) => w,
            Err(e) => {
                tracing::error!("cannot write to {}: {e}", self.options.out.display());
                Written::default()
            }
        }
    }

    /// Loads what the change touched again, renders everything and swaps it in. On any
    /// problem the published site and the kept state stay as they were.
    fn rebuild_everything(&mut self, change: &Change) -> Outcome {
        let failed = Outcome {
            full: true,
            failed: true,
            ..Outcome::default()
        };
        let mut reloaded = None;
        if change.base || change.rescan {
            match load_everything(&self.options, Some(&self.assessments.kept)) {
                Ok(loaded) => reloaded = Some(loaded),
                Err(problems) => return self.fail_setup(problems, failed),
            }
        }
        let mut content = match &reloaded {
            Some((content, _)) => content.clone(),
            None => self.content.clone(),
        };
        if change.pages || change.rescan {
            let mut diagnostics = Diagnostics::new();
            content.pages = content::load_pages(&self.options.content, &mut diagnostics);
            if diagnostics.has_errors() {
                return self.fail_setup(errors_of(diagnostics), failed);
            }
        }
        let theme = match load_theme(&self.options, &content) {
            Ok(theme) => theme,
            Err(problems) => return self.fail_setup(problems, failed),
        };
        let stats = stats::compute(&content);
        let rendered = match render_everything(&content, &stats, &theme, self.options.no_png) {
            Ok(r) => r,
            Err(problems) => return self.fail_setup(problems, failed),
        };
        let (folder, owned, written) =
            match publish_everything(&self.options.out, rendered, &self.rasterizer) {
                Ok(published) => published,
                Err(message) => {
                    tracing::error!("{message}");
                    return failed;
                }
            };
        if let Some((_, assessments)) = reloaded {
            self.assessments = assessments;
        }
        self.content = content;
        self.theme = theme;
        self.stats = stats;
        self.folder = folder;
        self.owned = owned;
        self.pending.clear();
        self.pending_pngs.clear();
        self.pending_removals.clear();
        self.setup_problems.clear();
        self.render_problems.clear();
        Outcome {
            changed: change.assessments.len()
                + usize::from(change.base || change.pages || change.theme),
            written,
            full: true,
            ..Outcome::default()
        }
    }

    fn fail_setup(&mut self, problems: Vec<Diagnostic>, outcome: Outcome) -> Outcome {
        for d in &problems {
            tracing::error!("{d}");
        }
        self.setup_problems = problems;
        outcome
    }
}

impl Assessments {
    fn from_files(files: Vec<(PathBuf, KeptFile)>) -> Assessments {
        let mut assessments = Assessments {
            kept: BTreeMap::new(),
            by_key: HashMap::new(),
            invalid: BTreeMap::new(),
            duplicates: BTreeMap::new(),
        };
        for (rel, file) in files {
            assessments.insert(rel, file);
        }
        assessments
    }

    /// Keeps a file's new version; returns the key of the version it replaces.
    fn insert(&mut self, rel: PathBuf, file: KeptFile) -> Option<Key> {
        let new_key = key_of(&file);
        let old = self.kept.insert(rel.clone(), file).map(|f| key_of(&f));
        if let Some(old_key) = old
            && old_key != new_key
        {
            self.unindex(old_key, &rel);
        }
        self.by_key.entry(new_key).or_default().insert(rel);
        old
    }

    fn remove(&mut self, rel: &Path) -> Option<Key> {
        let old = self.kept.remove(rel).map(|f| key_of(&f))?;
        self.unindex(old, rel);
        Some(old)
    }

    fn unindex(&mut self, key: Key, rel: &Path) {
        if let Some(set) = self.by_key.get_mut(&key) {
            set.remove(rel);
            if set.is_empty() {
                self.by_key.remove(&key);
            }
        }
    }

    /// What is published for one municipality and year, the way a full build chooses: the
    /// first published file by path (a second one is an error naming both).
    fn select(
        &self,
        key: &Key,
        dir: &Path,
        content: &Content,
        drafts: bool,
    ) -> (Vec<Assessment>, Vec<Diagnostic>) {
        let candidates: Vec<(Assessment, Identity)> = self
            .by_key
            .get(key)
            .into_iter()
            .flatten()
            .filter_map(|p| self.kept.get(p))
            .map(|f| (f.assessment.clone(), f.identity.clone()))
            .collect();
        let mut diagnostics = Diagnostics::new();
        let (chosen, _) = content::select_assessments(
            dir,
            candidates,
            &content.registry,
            drafts,
            &mut diagnostics,
        );
        (chosen, diagnostics.into_vec())
    }

    fn set_duplicates(&mut self, key: Key, problems: Vec<Diagnostic>) {
        for d in &problems {
            tracing::error!("{d}");
        }
        if problems.is_empty() {
            self.duplicates.remove(&key);
        } else {
            self.duplicates.insert(key, problems);
        }
    }
}

fn key_of(file: &KeptFile) -> Key {
    (file.assessment.municipality, file.assessment.year)
}

/// Durations of the parts of a rebuild, for the debug log.
struct Clock {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }

    fn laps(&self) -> String {
        self.laps
            .iter()
            .map(|(name, d)| format!("{name} {:.1} ms", d.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether a path (relative to the content folder) names a file the loader reads as an
/// assessment: a .yaml or .yml file under `assessments/`, not hidden.
pub fn is_assessment_file(rel: &Path) -> bool {
    let hidden = rel
        .file_name()
        .is_none_or(|n| n.to_string_lossy().starts_with('.'));
    rel.starts_with("assessments")
        && !hidden
        && rel
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x == "yaml" || x == "yml")
}

/// The assessment files under a folder (relative to the content folder), as the loader
/// finds them.
fn assessment_files_under(dir: &Path, rel: &Path) -> BTreeSet<PathBuf> {
    content::assessment_files(dir)
        .into_iter()
        .filter(|p| p.starts_with(rel))
        .collect()
}

fn errors_of(diagnostics: Diagnostics) -> Vec<Diagnostic> {
    diagnostics.into_iter().filter(|d| d.is_error()).collect()
}

/// Loads site.yaml, registry, catalogues, pages and every assessment file. A file with errors
/// is skipped, or, when `previous` has a good version of it, that version is checked again
/// against the new registry and catalogues and used.
fn load_everything(
    options: &Options,
    previous: Option<&BTreeMap<PathBuf, KeptFile>>,
) -> Result<(Content, Assessments), Vec<Diagnostic>> {
    let dir = &options.content;
    let mut diagnostics = Diagnostics::new();
    let base = content::load_base(dir, &mut diagnostics);
    let pages = content::load_pages(dir, &mut diagnostics);
    let Some(Base {
        mut config,
        registry,
        catalogs,
        boundaries,
    }) = base
    else {
        return Err(errors_of(diagnostics));
    };
    if diagnostics.has_errors() {
        return Err(errors_of(diagnostics));
    }
    if let Some(url) = &options.base_url {
        config.base_url = content::site_config::normalize_base_url(url).map_err(|message| {
            vec![Diagnostic {
                path: PathBuf::from("--base-url"),
                pos: Pos::START,
                severity: crate::diagnostics::Severity::Error,
                message,
                source_line: None,
            }]
        })?;
    }
    let against = Against {
        registry: &registry,
        catalogs: &catalogs,
    };
    let files = content::assessment_files(dir);
    let results: Vec<_> = files
        .into_par_iter()
        .map(|rel| {
            let (result, text, diagnostics) =
                content::load_assessment_keeping_text(dir, &rel, &against);
            let fallback = match (&result, previous.and_then(|p| p.get(&rel))) {
                (None, Some(old)) => Some((
                    content::assessment_from_text(dir, &rel, &old.text, &against).0,
                    old.text.clone(),
                )),
                _ => None,
            };
            (rel, result, text, diagnostics, fallback)
        })
        .collect();
    let mut kept = Vec::with_capacity(results.len());
    let mut invalid = BTreeMap::new();
    for (rel, result, text, diagnostics, fallback) in results {
        match (result, text) {
            (Some((assessment, identity)), Some(text)) => kept.push((
                rel,
                KeptFile {
                    assessment,
                    identity,
                    text,
                },
            )),
            _ => {
                if let Some((Some((assessment, identity)), text)) = fallback {
                    kept.push((
                        rel.clone(),
                        KeptFile {
                            assessment,
                            identity,
                            text,
                        },
                    ));
                }
                invalid.insert(rel, errors_of(diagnostics));
            }
        }
    }
    let mut assessments = Assessments::from_files(kept);
    assessments.invalid = invalid;
    let mut content = Content {
        config,
        registry,
        catalogs,
        assessments: Vec::new(),
        pages,
        boundaries,
    };
    let keys: Vec<Key> = {
        let mut k: Vec<Key> = assessments.by_key.keys().copied().collect();
        k.sort_unstable();
        k
    };
    let mut selected = Vec::with_capacity(keys.len());
    for key in keys {
        let (chosen, duplicates) = assessments.select(&key, dir, &content, options.drafts);
        selected.extend(chosen);
        assessments.set_duplicates(key, duplicates);
    }
    content::sort_assessments(&mut selected, &content.registry);
    content.assessments = selected;
    Ok((content, assessments))
}

fn load_theme(options: &Options, content: &Content) -> Result<Theme, Vec<Diagnostic>> {
    build::load_theme(&options.theme, content).map_err(|e| match e {
        BuildError::Content(d) => errors_of(d),
        BuildError::Render(errors) => errors
            .iter()
            .map(|e| render_problem(&options.theme, e))
            .collect(),
        BuildError::Io(message) => vec![Diagnostic {
            path: options.theme.clone(),
            pos: Pos::START,
            severity: crate::diagnostics::Severity::Error,
            message,
            source_line: None,
        }],
    })
}

/// Every job's files.
type Rendered = Vec<(Job, Vec<OutputFile>)>;

fn render_everything(
    content: &Content,
    stats: &Stats,
    theme: &Theme,
    no_png: bool,
) -> Result<Rendered, Vec<Diagnostic>> {
    let site = Site {
        content,
        stats,
        theme,
        base_url: content.config.base_url.clone(),
    };
    let jobs = site.all_jobs();
    let results: Vec<(Job, Result<Vec<OutputFile>, RenderError>)> = jobs
        .par_iter()
        .map(|&job| (job, site.render_job(job)))
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for (job, result) in results {
        match result {
            Ok(mut files) => {
                if no_png {
                    output::drop_pngs(&mut files);
                }
                rendered.push((job, files));
            }
            Err(e) => {
                let problem = render_problem(&theme.dir, &e);
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(rendered)
    } else {
        Err(problems)
    }
}

/// Publishes a whole site atomically, as `build` does; returns the record of it.
fn publish_everything(
    out: &Path,
    rendered: Rendered,
    rasterizer: &Rasterizer,
) -> Result<(PublishedFolder, Owned, Written), String> {
    let mut owned = HashMap::with_capacity(rendered.len());
    let mut files = Vec::new();
    for (job, job_files) in rendered {
        owned.insert(job, job_files.iter().map(|f| f.path.clone()).collect());
        files.extend(job_files);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(w) = files.windows(2).find(|w| w[0].path == w[1].path) {
        return Err(format!("two pages would be written to {}", w[0].path));
    }
    let stats = output::publish(out, &files, rasterizer)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let folder = PublishedFolder::after_publish(out, &files);
    Ok((
        folder,
        owned,
        Written {
            files: stats.files,
            rasterized: stats.rasterized,
        },
    ))
}

/// A template error as a diagnostic on the template file, with its line when known.
fn render_problem(theme: &Path, e: &RenderError) -> Diagnostic {
    let path = theme.join("templates").join(&e.template);
    let line = e.line.unwrap_or(1);
    let source_line = std::fs::read_to_string(&path).ok().and_then(|text| {
        SourceText {
            path: &path,
            text: &text,
        }
        .line(line as u32)
    });
    Diagnostic {
        path,
        pos: Pos::new(line as u64, 1),
        severity: crate::diagnostics::Severity::Error,
        message: e.message.clone(),
        source_line,
    }
}
