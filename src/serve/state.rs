//! What `watch` and `serve` keep between rebuilds, and the rebuilds themselves.
//!
//! The state holds what every job reads ([`Loaded`]: content, figures, theme), every
//! assessment file's last good version ([`super::kept`]), and the [`Record`] of the
//! published folder (a digest per file, and which job wrote which files). A change of
//! assessments re-reads only the changed files, brings the figures up to date for them
//! ([`stats::update`]), then publishes in two phases (see [`super::jobs`]); anything else
//! (site.yaml, registry, catalogues, pages, theme) loads and publishes the whole site the way
//! a build does, and swaps it in atomically.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::content;
use crate::content::assessment::Against;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::incremental::Written;
use crate::output::lock::OutputLock;
use crate::output::{Contents, OutputFile};
use crate::pipeline::publish::{Record, Whole};
use crate::pipeline::{Error, Loaded, Options, Pictures};
use crate::render::jobs::{self as site_jobs, Job, Rendered};
use crate::render::site::Site;
use crate::stats;

use super::jobs::{self, Shape, Touched};
use super::kept::{self, Assessments, errors_of};

/// The source files a change touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Change {
    /// Assessment files or folders, relative to the content folder: each is read again, or
    /// removed when it is gone.
    pub(crate) assessments: BTreeSet<PathBuf>,
    /// site.yaml, the registry or a catalogue.
    pub(crate) base: bool,
    pub(crate) pages: bool,
    pub(crate) theme: bool,
    /// Events were lost: read everything again.
    pub(crate) rescan: bool,
}

impl Change {
    pub(crate) fn is_empty(&self) -> bool {
        self.assessments.is_empty() && !self.base && !self.pages && !self.theme && !self.rescan
    }

    pub(crate) fn merge(&mut self, other: Change) {
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
    pub(crate) fn describe(&self) -> String {
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
pub(crate) struct Outcome {
    /// Source files read again or removed.
    pub(crate) changed: usize,
    pub(crate) written: Written,
    pub(crate) removed: usize,
    /// The whole site was rendered and swapped in.
    pub(crate) full: bool,
    /// The rebuild could not be done: the published site is as it was (see `problems`).
    pub(crate) failed: bool,
}

/// One step of phase 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// More to do.
    Continue(Written),
    /// Phase 2 has finished: the output is what a full build gives.
    Done { written: Written, removed: usize },
}

/// Everything a rebuild reads and writes.
pub(crate) struct State {
    options: Options,
    loaded: Loaded,
    assessments: Assessments,
    /// Problems with site.yaml, registry, catalogues, pages or theme; while there are any,
    /// the last good versions of those are used.
    setup_problems: Vec<Diagnostic>,
    render_problems: BTreeMap<Job, Diagnostic>,
    record: Record,
    /// Phase 2: jobs still to render, in order.
    pending: BTreeSet<(u8, Job)>,
    /// Phase 2: PNGs to rasterise again (their SVG changed in phase 1), with that SVG.
    pending_pngs: BTreeMap<String, (String, Vec<u8>)>,
    /// Files no job writes any more, removed when phase 2 is done and nothing links to them.
    pending_removals: BTreeSet<String>,
    /// Phase 2 has reported `Done` since the last change.
    settled: bool,
    pictures: Pictures,
    /// This process is the only one writing the output folder while the state lives.
    _lock: OutputLock,
}

/// How many jobs phase 2 renders between looks at new events: a chunk of municipality pages
/// takes some 25 ms at 10 000 municipalities on two cores.
const PHASE2_CHUNK: usize = 16;

impl State {
    /// Loads everything, builds the whole site and publishes it (atomically, like `build`).
    /// Invalid assessments are skipped; anything else wrong stops here.
    pub(crate) fn start(options: Options) -> Result<(State, Outcome), Error> {
        crate::pipeline::check_folders(&options)?;
        let (content, assessments) = kept::load(&options, None)
            .map_err(|problems| Error::Content(problems.into_iter().collect()))?;
        let loaded = Loaded::new(content, &options.theme).map_err(|e| match e {
            Error::Content(d) => Error::Content(errors_of(d).into_iter().collect()),
            other => other,
        })?;
        let pictures = Pictures::open(options.picture_cache.as_deref());
        // Held while the state lives: no other process writes the output folder meanwhile.
        let lock = OutputLock::claim(&options.out)?;
        let (record, written) = publish_whole(&options, &loaded, &pictures)?;
        pictures.settle();
        for (path, problems) in assessments.invalid() {
            tracing::error!(
                "{}: invalid, skipped ({} error(s))",
                options.content.join(path).display(),
                problems.len()
            );
            for d in problems {
                tracing::error!("{d}");
            }
        }
        let outcome = Outcome {
            changed: assessments.len(),
            written,
            full: true,
            ..Outcome::default()
        };
        let state = State {
            options,
            loaded,
            assessments,
            setup_problems: Vec::new(),
            render_problems: BTreeMap::new(),
            record,
            pending: BTreeSet::new(),
            pending_pngs: BTreeMap::new(),
            pending_removals: BTreeSet::new(),
            settled: true,
            pictures,
            _lock: lock,
        };
        Ok((state, outcome))
    }

    /// The site.yaml in use.
    pub(crate) fn config(&self) -> &crate::model::SiteConfig {
        &self.loaded.content.config
    }

    pub(crate) fn options(&self) -> &Options {
        &self.options
    }

    /// Whether phase 2 has yet to report [`Step::Done`] for the last change.
    pub(crate) fn has_pending(&self) -> bool {
        !self.settled
    }

    /// Every current problem, sorted: invalid files, duplicates, setup and template problems.
    pub(crate) fn problems(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.setup_problems.clone();
        all.extend(self.assessments.problems().cloned());
        all.extend(self.render_problems.values().cloned());
        all.sort_by(|a, b| (&a.path, a.pos, &a.message).cmp(&(&b.path, b.pos, &b.message)));
        all.dedup();
        all
    }

    /// Applies a change and runs phase 1; phase 2 is left pending (see [`State::phase2_step`]).
    pub(crate) fn apply(&mut self, change: &Change) -> Outcome {
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
        let before = Shape::of(&self.loaded.content, &self.loaded.stats, self.record.jobs());
        let against = Against {
            registry: &self.loaded.content.registry,
            catalogs: &self.loaded.content.catalogs,
        };
        let (changed, keys) = self
            .assessments
            .reread(&self.options.content, paths, &against);
        let mut outcome = Outcome {
            changed,
            ..Outcome::default()
        };
        if keys.is_empty() {
            return outcome;
        }
        let figured = stats::update::Before::of(&self.loaded.content, &keys);
        self.assessments.reselect(
            &keys,
            &self.options.content,
            &mut self.loaded.content,
            self.options.drafts,
        );
        clock.lap("read");
        let updated = stats::update::update(
            &mut self.loaded.stats,
            &figured,
            &self.loaded.content,
            &keys,
        );
        clock.lap(match updated {
            stats::update::Updated::InPlace => "stats",
            stats::update::Updated::Whole => "stats (all computed again)",
        });
        let all_jobs = site_jobs::all(&self.site());
        self.forget_vanished_jobs(&all_jobs);
        let touched = Touched {
            municipalities: keys.iter().map(|k| k.0).collect(),
            years: keys.iter().map(|k| k.1).collect(),
        };
        let after = Shape::of(
            &self.loaded.content,
            &self.loaded.stats,
            all_jobs.iter().copied(),
        );
        let plan = jobs::plan(
            &touched,
            &before,
            &after,
            &all_jobs,
            &self.loaded.content,
            &self.loaded.stats,
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
        let svgs = crate::output::incremental::svgs_of(&files);
        let deferred: Vec<(String, String, Vec<u8>)> = files
            .iter()
            .filter_map(|f| match &f.contents {
                Contents::PngOf(svg_path) if self.record.folder.contains(&f.path) => {
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

    /// Does a part of phase 2: some of the PNGs left from phase 1, or a chunk of pages. Stops
    /// early (leaving the rest pending) when `interrupt` is set.
    pub(crate) fn phase2_step(&mut self, interrupt: &Arc<AtomicBool>) -> Step {
        if !self.pending_pngs.is_empty() {
            // A picture cannot be stopped once begun (some 30–40 ms each), so a step draws one
            // per core: a change that arrives waits for one picture, not for all of them.
            let mut pngs = BTreeMap::new();
            while pngs.len() < rayon::current_num_threads().max(1) {
                let Some((path, png)) = self.pending_pngs.pop_first() else {
                    break;
                };
                pngs.insert(path, png);
            }
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
        self.pictures.settle();
        let removals = std::mem::take(&mut self.pending_removals);
        let removed = match self
            .record
            .folder
            .remove(removals.iter().map(String::as_str))
        {
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
        self.loaded.site()
    }

    /// Jobs that wrote files before and are no longer part of the site (a municipality
    /// without assessments): their files are removed at the end of phase 2.
    fn forget_vanished_jobs(&mut self, all_jobs: &[Job]) {
        let current: HashSet<Job> = all_jobs.iter().copied().collect();
        for (job, files) in self.record.forget_others(&current) {
            for path in files {
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
        interrupt: Option<&Arc<AtomicBool>>,
    ) -> Vec<(Job, Option<Rendered>)> {
        site_jobs::render_in_order(&self.site(), jobs, self.options.no_png, interrupt)
    }

    /// Records what a job rendered; returns the files to write. A job that failed keeps its
    /// previous files.
    fn take_outputs(&mut self, job: Job, result: Rendered) -> Vec<OutputFile> {
        let files = match result {
            Ok(files) => files,
            Err(e) => {
                let problem = e.diagnostic(&self.options.theme);
                tracing::error!("{problem}");
                self.render_problems.insert(job, problem);
                return Vec::new();
            }
        };
        self.render_problems.remove(&job);
        for f in &files {
            self.pending_removals.remove(&f.path);
        }
        for path in self.record.take(job, &files) {
            self.pending_pngs.remove(&path);
            self.pending_removals.insert(path);
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
        match self.record.folder.write(files, svgs, &self.pictures) {
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
            match kept::load(&self.options, Some(&self.assessments)) {
                Ok(loaded) => reloaded = Some(loaded),
                Err(problems) => return self.fail_setup(problems, failed),
            }
        }
        let mut content = match &reloaded {
            Some((content, _)) => content.clone(),
            None => self.loaded.content.clone(),
        };
        if change.pages || change.rescan {
            let mut diagnostics = Diagnostics::new();
            content.pages = content::load_pages(&self.options.content, &mut diagnostics);
            if diagnostics.has_errors() {
                return self.fail_setup(errors_of(diagnostics), failed);
            }
        }
        let loaded = match Loaded::new(content, &self.options.theme) {
            Ok(loaded) => loaded,
            Err(e) => return self.fail_setup(problems_of(e), failed),
        };
        let (record, written) = match publish_whole(&self.options, &loaded, &self.pictures) {
            Ok(published) => published,
            Err(Error::Io(message)) => {
                tracing::error!("{message}");
                return failed;
            }
            Err(e) => return self.fail_setup(problems_of(e), failed),
        };
        if let Some((_, assessments)) = reloaded {
            self.assessments = assessments;
        }
        self.loaded = loaded;
        self.record = record;
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

/// Publishes the whole site the way a build does, keeping the record of it.
fn publish_whole(
    options: &Options,
    loaded: &Loaded,
    pictures: &Pictures,
) -> Result<(Record, Written), Error> {
    let site = loaded.site();
    let whole = Whole {
        out: &options.out,
        no_png: options.no_png,
        record: true,
        progress: None,
    };
    let published = whole.publish(&site, &site_jobs::all(&site), pictures)?;
    let record = published
        .record
        .ok_or_else(|| Error::Io("the published folder was not recorded".to_string()))?;
    Ok((
        record,
        Written {
            files: published.files,
            rasterized: published.rasterized,
            cached: published.cached,
        },
    ))
}

/// The problems to show for a rebuild that could not be done.
fn problems_of(error: Error) -> Vec<Diagnostic> {
    match error {
        Error::Content(diagnostics) => errors_of(diagnostics),
        Error::Templates(problems) => problems,
        Error::Io(message) => vec![Diagnostic {
            path: PathBuf::new(),
            pos: crate::diagnostics::Pos::START,
            severity: crate::diagnostics::Severity::Error,
            message,
            source_line: None,
        }],
    }
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
