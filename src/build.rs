//! `blomlada build`: load → compute → render → write, with every problem reported.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::content::{self, LoadOptions};
use crate::diagnostics::Diagnostics;
use crate::model::Content;
use crate::output::picture_cache::{self, Cached, PictureCache};
use crate::output::{self, OutputFile, Picture, Rasterize, Staging};
use crate::render::jobs::{self, JobsFailed};
use crate::render::png::Rasterizer;
use crate::render::site::{self, RenderError, Site};
use crate::render::theme::{self, Theme};
use crate::stats::{self, Stats};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub theme: PathBuf,
    pub out: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub keep_going: bool,
    /// Leave out the PNG pictures (quick previews and benchmarks).
    pub no_png: bool,
    /// The picture cache's folder; `None`: no cache.
    pub picture_cache: Option<PathBuf>,
}

/// Why a build did not write its output.
#[derive(Debug)]
pub enum BuildError {
    /// Content or theme problems (exit status 1).
    Content(Diagnostics),
    /// Templates that failed to render (exit status 1).
    Render(Vec<RenderError>),
    /// Usage and I/O problems (exit status 2).
    Io(String),
}

#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub files: usize,
    pub pages: usize,
    pub rasterized: usize,
    /// Pictures taken from the picture cache.
    pub cached: usize,
    pub skipped: Vec<PathBuf>,
    pub warnings: Diagnostics,
    pub millis: u128,
}

impl Rasterize for Rasterizer {
    fn png(&self, svg: &[u8]) -> Result<Picture, String> {
        let text = std::str::from_utf8(svg).map_err(|e| e.to_string())?;
        Ok(Picture {
            png: Rasterizer::png(self, text)?,
            cached: false,
        })
    }

    fn maker(&self) -> &str {
        Rasterizer::maker(self)
    }
}

/// Opens the picture cache in `dir`; a cache that cannot be opened is reported and done
/// without (pictures are then drawn).
pub fn open_picture_cache(dir: Option<&Path>, rasterizer: &Rasterizer) -> Option<PictureCache> {
    let dir = dir?;
    match PictureCache::open(dir, rasterizer.maker(), picture_cache::DEFAULT_MAX_BYTES) {
        Ok(cache) => Some(cache),
        Err(e) => {
            tracing::warn!(
                "picture cache: cannot use {}: {e}; pictures are drawn",
                dir.display()
            );
            None
        }
    }
}

/// Makes pictures with `rasterizer`, through `cache` when there is one.
pub fn pictures<'a>(
    rasterizer: &'a Rasterizer,
    cache: Option<&'a PictureCache>,
) -> Cached<'a, Rasterizer> {
    Cached {
        rasterizer,
        cache,
        width: crate::render::png::PNG_WIDTH,
    }
}

/// Brings the picture cache back within its size (see [`PictureCache::trim`]); a failure
/// is only reported.
pub fn trim_picture_cache(cache: &PictureCache) {
    match cache.trim() {
        Ok(0) => {}
        Ok(removed) => tracing::debug!("picture cache: removed {removed} old pictures"),
        Err(e) => tracing::warn!("picture cache: cannot trim {}: {e}", cache.dir().display()),
    }
}

/// Loads the content the way a build does: with `keep_going`, invalid assessments are
/// skipped (and listed); anything else wrong stops the build.
pub fn load_content(
    options: &BuildOptions,
) -> Result<(Content, Vec<PathBuf>, Diagnostics), BuildError> {
    let loaded = content::load(
        &options.content,
        &LoadOptions {
            drafts: options.drafts,
        },
    );
    let Some(mut content) = loaded.content else {
        return Err(BuildError::Content(loaded.diagnostics));
    };
    let assessment_dir = options.content.join("assessments");
    let only_assessments = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .all(|d| d.path.starts_with(&assessment_dir));
    if loaded.diagnostics.has_errors() && !(options.keep_going && only_assessments) {
        return Err(BuildError::Content(loaded.diagnostics));
    }
    if let Some(url) = &options.base_url {
        content.config.base_url =
            content::site_config::normalize_base_url(url).map_err(BuildError::Io)?;
    }
    Ok((content, loaded.invalid_assessments, loaded.diagnostics))
}

pub fn load_theme(dir: &Path, content: &Content) -> Result<Theme, BuildError> {
    let mut diagnostics = Diagnostics::new();
    let mut theme = theme::load(dir, content.config.language, &mut diagnostics)
        .ok_or(BuildError::Content(diagnostics))?;
    site::add_site_globals(&mut theme, content);
    Ok(theme)
}

/// Renders every file of the site into memory (for tests and incremental rebuilds).
pub fn render_all(
    content: &Content,
    stats: &Stats,
    theme: &Theme,
    no_png: bool,
) -> Result<Vec<OutputFile>, BuildError> {
    let site = Site::new(content, stats, theme);
    let mut files = jobs::render_sorted(&site, &jobs::all(&site)).map_err(BuildError::Render)?;
    if no_png {
        output::drop_pngs(&mut files);
    }
    Ok(files)
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    if !options.content.is_dir() {
        return Err(BuildError::Io(format!(
            "the content folder {} does not exist",
            options.content.display()
        )));
    }
    let mut protected = vec![options.content.as_path(), options.theme.as_path()];
    protected.extend(options.picture_cache.as_deref());
    output::check_out_dir(&options.out, &protected).map_err(BuildError::Io)?;
    let (content, skipped, diagnostics) = load_content(options)?;
    tracing::debug!(
        "loaded {} assessments in {} ms",
        content.assessments.len(),
        started.elapsed().as_millis()
    );
    let theme = load_theme(&options.theme, &content)?;
    let stats = stats::compute(&content);
    tracing::debug!("computed figures at {} ms", started.elapsed().as_millis());

    let io_error =
        |e: std::io::Error| BuildError::Io(format!("cannot write {}: {e}", options.out.display()));
    let staging = Staging::begin(&options.out).map_err(io_error)?;
    let site = Site::new(&content, &stats, &theme);
    let all_jobs = jobs::all(&site);
    let progress = (std::io::stderr().is_terminal() && all_jobs.len() > 500).then(|| {
        let bar = indicatif::ProgressBar::new(all_jobs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:10} {bar:40} {pos}/{len}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message("rendering");
        bar
    });
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let sink = |mut files: Vec<OutputFile>| -> std::io::Result<()> {
        if options.no_png {
            output::drop_pngs(&mut files);
        }
        pages.fetch_add(
            files.iter().filter(|f| f.path.ends_with(".html")).count(),
            std::sync::atomic::Ordering::Relaxed,
        );
        staging.write(&files)?;
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        Ok(())
    };
    jobs::render_into(&site, &all_jobs, &sink).map_err(|e| match e {
        JobsFailed::Render(errors) => BuildError::Render(errors),
        JobsFailed::Sink(e) => io_error(e),
    })?;
    tracing::debug!(
        "rendered and wrote pages at {} ms",
        started.elapsed().as_millis()
    );
    if let Some(bar) = &progress {
        bar.set_message("pictures");
    }
    let rasterizer = Rasterizer::new();
    let cache = open_picture_cache(options.picture_cache.as_deref(), &rasterizer);
    let pictures = pictures(&rasterizer, cache.as_ref());
    let written = staging.finish(&pictures).map_err(io_error)?;
    if let Some(cache) = &cache {
        trim_picture_cache(cache);
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    Ok(BuildReport {
        files: written.files,
        pages: pages.into_inner(),
        rasterized: written.rasterized,
        cached: written.cached,
        skipped,
        warnings: diagnostics,
        millis: started.elapsed().as_millis(),
    })
}
