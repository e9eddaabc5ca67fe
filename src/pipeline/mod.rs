//! The pipeline that `build`, `watch` and `serve` share: load → compute → render → publish.
//!
//! - [`load_content`] reads the content folder as a build does; `watch` reads it the same way
//!   and keeps each assessment file's last good version on top (`crate::serve::state`);
//! - [`Loaded::new`] adds the theme and the figures: everything a job reads;
//! - [`crate::render::jobs`] lists the jobs of a site and renders any set of them;
//! - [`publish`] writes a whole site at once (a build, and `watch`'s first build and full
//!   rebuilds), or the files of a change one by one into a published folder.
//!
//! [`build`] is `blomlada build` from end to end. Every way this fails is an [`Error`]; the
//! command line decides what each means for the exit status.

pub(crate) mod pictures;
pub(crate) mod publish;

pub(crate) use pictures::Pictures;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::content::{self, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::model::{Content, Language, SiteConfig};
use crate::render::jobs;
use crate::render::site::{self, Site};
use crate::render::theme::{self, Theme};
use crate::stats::{self, Stats};

/// What `build`, `watch` and `serve` are asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The content folder.
    pub content: PathBuf,
    /// The theme folder.
    pub theme: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Overrides site.yaml's address (`serve` uses its own).
    pub base_url: Option<String>,
    /// Include unpublished assessments (previews only).
    pub drafts: bool,
    /// Skip invalid assessments (listing each) instead of failing.
    pub keep_going: bool,
    /// Leave out the PNG pictures (quick previews and benchmarks).
    pub no_png: bool,
    /// The picture cache's folder; `None`: no cache.
    pub picture_cache: Option<PathBuf>,
}

/// Why the pipeline stopped: nothing was published.
#[derive(Debug)]
pub enum Error {
    /// Problems in content or theme, every one found (warnings among them are shown too).
    Content(Diagnostics),
    /// Templates that failed to render, as problems in the template files.
    Templates(Vec<Diagnostic>),
    /// Usage and I/O problems.
    Io(String),
}

impl From<String> for Error {
    /// A message about a usage or I/O problem.
    fn from(message: String) -> Self {
        Error::Io(message)
    }
}

/// The model, its figures and the theme: everything a job reads.
pub(crate) struct Loaded {
    pub content: Content,
    pub stats: Stats,
    /// The theme in the site's own language.
    pub theme: Theme,
    /// The theme in each language of `translations:`, in that order.
    pub translations: Vec<Theme>,
}

impl Loaded {
    /// Loads the theme for the content (once per language of the site) and computes the
    /// figures.
    pub(crate) fn new(content: Content, theme_dir: &Path) -> Result<Loaded, Error> {
        let theme = load_theme(theme_dir, &content, content.config.language)?;
        let translations = content
            .config
            .translations
            .iter()
            .map(|&language| load_theme(theme_dir, &content, language))
            .collect::<Result<_, _>>()?;
        let stats = stats::compute(&content);
        Ok(Loaded {
            content,
            stats,
            theme,
            translations,
        })
    }

    /// What the pages read.
    pub(crate) fn site(&self) -> Site<'_> {
        Site::with_translations(&self.content, &self.stats, &self.theme, &self.translations)
    }
}

/// Loads the theme in `language`, with what every template of the content can read.
pub fn load_theme(dir: &Path, content: &Content, language: Language) -> Result<Theme, Error> {
    let mut diagnostics = Diagnostics::new();
    let mut theme =
        theme::load(dir, language, &mut diagnostics).ok_or(Error::Content(diagnostics))?;
    site::add_site_globals(&mut theme, content, language);
    Ok(theme)
}

/// The folders of `options` are usable: content and theme exist, and the output folder is
/// one a build may replace (holding neither of them nor the picture cache).
pub(crate) fn check_folders(options: &Options) -> Result<(), Error> {
    for (dir, what) in [(&options.content, "content"), (&options.theme, "theme")] {
        if !dir.is_dir() {
            return Err(Error::Io(format!(
                "the {what} folder {} does not exist",
                dir.display()
            )));
        }
    }
    let mut protected = vec![options.content.as_path(), options.theme.as_path()];
    protected.extend(options.picture_cache.as_deref());
    crate::output::check_out_dir(&options.out, &protected).map_err(Error::Io)
}

/// Puts `--base-url` in the place of site.yaml's address.
pub(crate) fn apply_base_url(content: &mut Content, options: &Options) -> Result<(), String> {
    if let Some(url) = &options.base_url {
        content.config.base_url = content::site_config::normalize_base_url(url)?;
    }
    Ok(())
}

/// The content as a build reads it: with `keep_going`, invalid assessments are skipped and
/// returned; anything else wrong stops here. The diagnostics (warnings, and the errors of
/// skipped files) come back too.
pub fn load_content(options: &Options) -> Result<(Content, Vec<PathBuf>, Diagnostics), Error> {
    let loaded = content::load(
        &options.content,
        &LoadOptions {
            drafts: options.drafts,
        },
    );
    let Some(mut content) = loaded.content else {
        return Err(Error::Content(loaded.diagnostics));
    };
    let assessment_dir = options.content.join("assessments");
    let only_assessments = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .all(|d| d.path.starts_with(&assessment_dir));
    if loaded.diagnostics.has_errors() && !(options.keep_going && only_assessments) {
        return Err(Error::Content(loaded.diagnostics));
    }
    apply_base_url(&mut content, options).map_err(Error::Io)?;
    Ok((content, loaded.invalid_assessments, loaded.diagnostics))
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub(crate) struct BuildReport {
    pub files: usize,
    pub pages: usize,
    pub rasterized: usize,
    /// Pictures taken from the picture cache.
    pub cached: usize,
    /// Invalid assessments left out (`--keep-going`), relative to the content folder.
    pub skipped: Vec<PathBuf>,
    pub warnings: Diagnostics,
    /// Said once by every build without the site's full address.
    pub address_warning: Option<Diagnostic>,
    pub millis: u128,
}

/// Without the site's full address, links that leave the site can't be made: the embed code,
/// link previews and the DCAT catalogue need it. `None` when the address is known.
pub(crate) fn address_warning(content_dir: &Path, config: &SiteConfig) -> Option<Diagnostic> {
    if config.has_absolute_address() {
        return None;
    }
    let found = if config.base_url.is_empty() {
        "no base_url".to_string()
    } else {
        format!(
            "base_url \"{}\" is a path, not a full address",
            config.base_url
        )
    };
    Some(Diagnostic {
        path: content_dir.join("site.yaml"),
        pos: config.base_url_pos,
        severity: Severity::Warning,
        message: format!(
            "{found}: the embed code and link previews (og:url, og:image) use addresses that only work on this site, and data/dcat.rdf for Sveriges dataportal is left out; expected base_url: https://… in site.yaml, or build --base-url https://…"
        ),
        source_line: None,
    })
}

/// `blomlada build`: the whole site, swapped in only when everything succeeded.
pub(crate) fn build(options: &Options) -> Result<BuildReport, Error> {
    let started = Instant::now();
    check_folders(options)?;
    let (content, skipped, warnings) = load_content(options)?;
    tracing::debug!(
        "loaded {} assessments in {} ms",
        content.assessments.len(),
        started.elapsed().as_millis()
    );
    let address_warning = address_warning(&options.content, &content.config);
    let loaded = Loaded::new(content, &options.theme)?;
    tracing::debug!("computed figures at {} ms", started.elapsed().as_millis());
    let site = loaded.site();
    let all = jobs::all(&site);
    let progress = publish::Progress::for_terminal(all.len());
    let whole = publish::Whole {
        out: &options.out,
        no_png: options.no_png,
        record: false,
        progress: progress.as_ref(),
    };
    // From here until the build has ended, no other process writes the output folder; a
    // build that stopped before this wrote nothing at all.
    let _lock = crate::output::lock::OutputLock::claim(&options.out)?;
    let pictures = Pictures::open(options.picture_cache.as_deref());
    let published = whole.publish(&site, &all, &pictures)?;
    pictures.settle();
    Ok(BuildReport {
        files: published.files,
        pages: published.pages,
        rasterized: published.rasterized,
        cached: published.cached,
        skipped,
        warnings,
        address_warning,
        millis: started.elapsed().as_millis(),
    })
}
