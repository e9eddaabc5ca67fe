//! Publishing rendered jobs: a whole site at once, or the files of a change one by one.
//!
//! A whole site ([`Whole`]) is rendered job by job straight into a folder beside the output
//! and swapped into place when every job succeeded (see [`Staging`]); a build does this, and
//! so do `watch`'s first build and its full rebuilds. `watch` asks for a [`Record`] of the
//! result: what each published file holds and which job wrote it, so that a later change
//! writes only the files whose bytes changed ([`PublishedFolder::write`]).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::output::incremental::PublishedFolder;
use crate::output::{OutputFile, Rasterize, Staging};
use crate::render::jobs::{self, Job};
use crate::render::site::{RenderError, Site};

use super::Error;

/// A progress bar on a terminal, for sites big enough to wait for.
pub(crate) struct Progress(indicatif::ProgressBar);

impl Progress {
    /// A bar for `jobs` jobs when stderr is a terminal and there are many.
    pub(crate) fn for_terminal(jobs: usize) -> Option<Progress> {
        use std::io::IsTerminal;
        (std::io::stderr().is_terminal() && jobs > 500).then(|| {
            let bar = indicatif::ProgressBar::new(jobs as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg:10} {bar:40} {pos}/{len}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message("rendering");
            Progress(bar)
        })
    }
}

/// How to publish a whole site.
pub(crate) struct Whole<'a> {
    /// The output folder, replaced as a whole.
    pub out: &'a Path,
    /// Leave out the PNG pictures.
    pub no_png: bool,
    /// Keep a [`Record`] of what was published.
    pub record: bool,
    pub progress: Option<&'a Progress>,
}

/// What publishing a whole site did.
pub(crate) struct Published {
    pub files: usize,
    /// HTML pages among the files.
    pub pages: usize,
    pub rasterized: usize,
    /// Pictures taken from the picture cache.
    pub cached: usize,
    /// When asked for: what the folder holds now.
    pub record: Option<Record>,
}

/// A published folder and which job wrote which of its files.
pub(crate) struct Record {
    pub folder: PublishedFolder,
    pub owned: HashMap<Job, Vec<String>>,
}

impl Whole<'_> {
    /// Renders `jobs` into a folder beside the output and swaps it in. Template errors are
    /// all collected (and nothing is published); an I/O error stops at once.
    pub(crate) fn publish(
        &self,
        site: &Site<'_>,
        jobs: &[Job],
        rasterizer: &dyn Rasterize,
    ) -> Result<Published, Error> {
        let started = std::time::Instant::now();
        let io_error =
            |e: std::io::Error| Error::Io(format!("cannot write {}: {e}", self.out.display()));
        let staging = Staging::begin(self.out, self.record).map_err(io_error)?;
        let pages = AtomicUsize::new(0);
        let owned = Mutex::new(HashMap::new());
        let failed = Mutex::new(Vec::new());
        jobs::render_each(site, jobs, self.no_png, &|job, rendered| {
            let files = match rendered {
                Ok(files) => files,
                Err(e) => {
                    if let Ok(mut list) = failed.lock() {
                        list.push(e);
                    }
                    return Ok(());
                }
            };
            pages.fetch_add(
                files.iter().filter(|f| f.path.ends_with(".html")).count(),
                Ordering::Relaxed,
            );
            if self.record
                && let Ok(mut owned) = owned.lock()
            {
                owned.insert(job, files.iter().map(|f| f.path.clone()).collect());
            }
            staging.write(&files)?;
            if let Some(Progress(bar)) = self.progress {
                bar.inc(1);
            }
            Ok(())
        })
        .map_err(io_error)?;
        tracing::debug!(
            "rendered and wrote {} jobs in {} ms",
            jobs.len(),
            started.elapsed().as_millis()
        );
        let failed = failed.into_inner().unwrap_or_default();
        if !failed.is_empty() {
            return Err(template_errors(&site.theme.dir, failed));
        }
        if let Some(Progress(bar)) = self.progress {
            bar.set_message("pictures");
        }
        let (written, folder) = staging.finish(rasterizer).map_err(io_error)?;
        tracing::debug!(
            "finished the output at {} ms",
            started.elapsed().as_millis()
        );
        if let Some(Progress(bar)) = self.progress {
            bar.finish_and_clear();
        }
        Ok(Published {
            files: written.files,
            pages: pages.into_inner(),
            rasterized: written.rasterized,
            cached: written.cached,
            record: folder.map(|folder| Record {
                folder,
                owned: owned.into_inner().unwrap_or_default(),
            }),
        })
    }
}

/// Template errors as problems in the template files, each once, in order.
pub(crate) fn template_errors(theme: &Path, errors: Vec<RenderError>) -> Error {
    let mut problems: Vec<_> = errors.iter().map(|e| e.diagnostic(theme)).collect();
    problems.sort_by(|a, b| (&a.path, a.pos, &a.message).cmp(&(&b.path, b.pos, &b.message)));
    problems.dedup();
    Error::Templates(problems)
}

impl Record {
    /// The jobs whose files are published.
    pub(crate) fn jobs(&self) -> impl Iterator<Item = Job> + '_ {
        self.owned.keys().copied()
    }

    /// Notes the files a job writes now; returns those it wrote before and writes no more.
    pub(crate) fn take(&mut self, job: Job, files: &[OutputFile]) -> Vec<String> {
        let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        let Some(old) = self.owned.insert(job, paths) else {
            return Vec::new();
        };
        let now: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        old.into_iter()
            .filter(|p| !now.contains(p.as_str()))
            .collect()
    }

    /// Forgets the jobs that are no longer among `current`; returns them with their files.
    pub(crate) fn forget_others(&mut self, current: &HashSet<Job>) -> Vec<(Job, Vec<String>)> {
        let vanished: Vec<Job> = self
            .owned
            .keys()
            .filter(|j| !current.contains(j))
            .copied()
            .collect();
        vanished
            .into_iter()
            .map(|job| {
                let files = self.owned.remove(&job).unwrap_or_default();
                (job, files)
            })
            .collect()
    }
}
