//! The command line: parses arguments and hands over to the phases.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::content;
use crate::diagnostics::{Diagnostics, Severity, Tally};
use crate::pipeline::{self, Error};

mod exit;

#[derive(Parser, Debug)]
#[command(
    name = "blomlada",
    version,
    about = "Publishes eBlomlådan self-assessments as a static website"
)]
/// The command line of `blomlada`.
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The `--content` option that every command takes.
#[derive(Args, Debug, Clone)]
pub struct ContentArg {
    /// The content folder.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
}

/// Where PNG pictures are kept between builds (see docs/pictures.md).
#[derive(Args, Debug, Clone)]
pub struct CacheArgs {
    /// The picture cache folder [default: $XDG_CACHE_HOME/blomlada or ~/.cache/blomlada].
    #[arg(long, env = "BLOMLADA_CACHE_DIR", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Draw every picture; neither read nor fill the picture cache.
    #[arg(long, env = "BLOMLADA_NO_CACHE", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,
}

impl CacheArgs {
    /// The picture cache folder to use, if any.
    pub(crate) fn picture_cache(&self) -> Option<PathBuf> {
        if self.no_cache {
            None
        } else {
            self.cache_dir
                .clone()
                .or_else(crate::output::picture_cache::default_dir)
        }
    }
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the whole site (atomically: the output is replaced only when all succeeded).
    Build {
        /// The content folder.
        #[command(flatten)]
        content: ContentArg,
        /// The theme folder (templates, translations, static files).
        #[arg(long, default_value = "themes/default")]
        theme: PathBuf,
        /// The output folder.
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// The address the site is published at (overrides site.yaml).
        #[arg(long)]
        base_url: Option<String>,
        /// Include unpublished assessments (for previews only).
        #[arg(long)]
        drafts: bool,
        /// Skip invalid assessments (listing each) instead of failing.
        #[arg(long)]
        keep_going: bool,
        /// Leave out the PNG pictures (for quick previews and benchmarks).
        #[arg(long)]
        no_png: bool,
        /// The picture cache.
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Check content without writing anything; reports every problem.
    Check {
        /// The content folder.
        #[command(flatten)]
        content: ContentArg,
        /// Show only the errors (warnings are still counted).
        #[arg(long, short = 'q', visible_alias = "quiet")]
        errors_only: bool,
        /// Also check this theme: its templates' syntax, its translations, its files.
        #[arg(long)]
        theme: Option<PathBuf>,
        /// Check only these files (assessments may be outside the content folder).
        files: Vec<PathBuf>,
    },
    /// Build, serve on loopback, rebuild on change and reload open browsers.
    Serve {
        /// The content folder.
        #[command(flatten)]
        content: ContentArg,
        /// The theme folder (templates, translations, static files); watched too.
        #[arg(long, default_value = "themes/default")]
        theme: PathBuf,
        /// The address to listen on (loopback by default).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// The port (0 picks a free one; the address is logged).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Where to write the preview (default: a temporary folder, removed at the end).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include unpublished assessments.
        #[arg(long)]
        drafts: bool,
        /// Leave out the PNG pictures.
        #[arg(long)]
        no_png: bool,
        /// Milliseconds a file must be quiet before it is read.
        #[arg(long, default_value_t = crate::serve::DEFAULT_DEBOUNCE_MS)]
        debounce_ms: u64,
        /// The picture cache.
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Build, then rebuild what a change touches whenever content or theme change.
    Watch {
        /// The content folder.
        #[command(flatten)]
        content: ContentArg,
        /// The theme folder (templates, translations, static files); watched too.
        #[arg(long, default_value = "themes/default")]
        theme: PathBuf,
        /// The published folder, kept up to date; it only ever holds a complete site.
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// Leave out the PNG pictures.
        #[arg(long)]
        no_png: bool,
        /// Milliseconds a file must be quiet before it is read.
        #[arg(long, default_value_t = crate::serve::DEFAULT_DEBOUNCE_MS)]
        debounce_ms: u64,
        /// The picture cache.
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Print a complete assessment skeleton for a municipality and year.
    New {
        /// The municipality's registry code, e.g. 1881.
        #[arg(long)]
        municipality: String,
        /// The year assessed, e.g. 2017.
        #[arg(long)]
        year: u16,
        /// The catalogue to answer (default: the newest).
        #[arg(long)]
        catalog: Option<String>,
        /// The content folder.
        #[command(flatten)]
        content: ContentArg,
    },
    /// Write a synthetic content folder of any size (deterministic for a seed).
    Generate {
        /// The folder to write.
        #[arg(long)]
        out: PathBuf,
        /// How many municipalities (more than 290 gives a synthetic registry).
        #[arg(long)]
        municipalities: usize,
        /// Comma-separated years, e.g. 2016,2017.
        #[arg(long, value_delimiter = ',', default_value = "2016,2017")]
        years: Vec<u16>,
        /// The seed of the made-up answers: the same seed gives the same content.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Runs `blomlada` with the process's arguments, and gives its exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(exit::USAGE)
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("BLOMLADA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
}

/// Prints diagnostics to stderr, each with its snippet.
pub(crate) fn report(diagnostics: &Diagnostics) {
    use std::io::Write;
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for d in diagnostics.iter() {
        let _ = writeln!(out, "{d}");
    }
}

/// Prints problems as `check` shows them: the errors first, then the warnings (unless
/// `errors_only`), then how many there are of each kind. Returns the counts.
fn report_problems(diagnostics: &Diagnostics, errors_only: bool) -> Tally {
    use std::io::Write;
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for d in diagnostics
        .errors_first()
        .filter(|d| d.is_error() || !errors_only)
    {
        let _ = writeln!(out, "{d}");
    }
    let tally = diagnostics.tally();
    if !tally.kinds.is_empty() {
        let _ = writeln!(out, "problems by kind:");
        let width = tally.kinds.iter().map(|k| k.2.to_string().len()).max();
        for (severity, kind, count) in &tally.kinds {
            let severity = match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(
                out,
                "  {count:>width$}  {severity:<7}  {kind}",
                width = width.unwrap_or(1)
            );
        }
    }
    tally
}

/// `1 error`, `3 errors`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The last line of a report: `3 errors and 106 warnings in 107 files` (the files with any),
/// `no errors and no warnings`.
fn total(tally: &Tally, errors_only: bool) -> String {
    let count = |n: usize, one: &str, many: &str| {
        if n == 0 {
            format!("no {many}")
        } else {
            plural(n, one, many)
        }
    };
    let mut line = format!(
        "{} and {}",
        count(tally.errors, "error", "errors"),
        count(tally.warnings, "warning", "warnings")
    );
    if tally.files > 0 {
        line.push_str(&format!(" in {}", plural(tally.files, "file", "files")));
    }
    if errors_only && tally.warnings > 0 {
        line.push_str(" (warnings not shown: --errors-only)");
    }
    line
}

fn require_dir(dir: &Path, what: &str) -> Result<(), String> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(format!(
            "the {what} folder {} does not exist",
            dir.display()
        ))
    }
}

/// `blomlada check`: prints the problems of the content (and of the theme, when one is
/// named); returns the exit status.
fn run_check(
    dir: &Path,
    theme: Option<&Path>,
    files: &[PathBuf],
    errors_only: bool,
) -> Result<u8, String> {
    require_dir(dir, "content")?;
    let mut diagnostics = check(dir, files)?;
    if let Some(theme) = theme {
        require_dir(theme, "theme")?;
        crate::check::check_theme(dir, theme, &mut diagnostics);
    }
    let tally = report_problems(&diagnostics, errors_only);
    let total = total(&tally, errors_only);
    if tally.errors > 0 {
        eprintln!("{total}");
        Ok(exit::CONTENT)
    } else {
        eprintln!("ok: {total}");
        Ok(exit::SUCCESS)
    }
}

pub(crate) fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Check {
            content,
            errors_only,
            theme,
            files,
        } => run_check(&content.content, theme.as_deref(), &files, errors_only),
        Command::Build {
            content,
            theme,
            out,
            base_url,
            drafts,
            keep_going,
            no_png,
            cache,
        } => {
            let options = pipeline::Options {
                content: content.content,
                theme,
                out,
                base_url,
                drafts,
                keep_going,
                no_png,
                picture_cache: cache.picture_cache(),
            };
            Ok(run_build(&options))
        }
        Command::New {
            municipality,
            year,
            catalog,
            content,
        } => new(&content.content, &municipality, year, catalog.as_deref()),
        Command::Generate {
            out,
            municipalities,
            years,
            seed,
        } => {
            let options = crate::generate::Options {
                municipalities,
                years,
                seed,
            };
            let written = crate::generate::generate(&out, &options)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            eprintln!("wrote {written} assessments to {}", out.display());
            Ok(exit::SUCCESS)
        }
        Command::Watch {
            content,
            theme,
            out,
            no_png,
            debounce_ms,
            cache,
        } => Ok(served(crate::serve::watch(
            pipeline::Options {
                content: content.content,
                theme,
                out,
                base_url: None,
                drafts: false,
                // An invalid submission is skipped (its last good version stays published).
                keep_going: true,
                no_png,
                picture_cache: cache.picture_cache(),
            },
            std::time::Duration::from_millis(debounce_ms),
        ))),
        Command::Serve {
            content,
            theme,
            bind,
            port,
            out,
            drafts,
            no_png,
            debounce_ms,
            cache,
        } => Ok(served(crate::serve::serve(crate::serve::ServeOptions {
            content: content.content,
            theme,
            out,
            bind,
            port,
            drafts,
            no_png,
            picture_cache: cache.picture_cache(),
            debounce: std::time::Duration::from_millis(debounce_ms),
        }))),
    }
}

/// Reports how `watch` or `serve` ended; returns the exit status.
fn served(result: Result<(), Error>) -> u8 {
    match result {
        Ok(()) => exit::SUCCESS,
        Err(e) => failed(e, "nothing was published; fix them and start again"),
    }
}

/// Reports why the pipeline stopped, ending with what became of the output (`unchanged`);
/// returns the exit status.
fn failed(error: Error, unchanged: &str) -> u8 {
    match error {
        Error::Content(diagnostics) => {
            // The warnings are for `check`: here they would bury the errors.
            let tally = report_problems(&diagnostics, true);
            let warnings = if tally.warnings > 0 {
                format!(
                    " ({} not shown, see `blomlada check`)",
                    plural(tally.warnings, "warning", "warnings")
                )
            } else {
                String::new()
            };
            eprintln!(
                "{}{warnings}: {unchanged}",
                plural(tally.errors, "error", "errors")
            );
            exit::CONTENT
        }
        Error::Templates(problems) => {
            for d in &problems {
                eprintln!("{d}");
            }
            eprintln!(
                "{}: {unchanged}",
                plural(problems.len(), "template error", "template errors")
            );
            exit::CONTENT
        }
        Error::Io(message) => {
            eprintln!("error: {message}");
            exit::USAGE
        }
    }
}

use crate::check::check;

/// Prints an assessment skeleton for a municipality and year.
fn new(dir: &Path, code: &str, year: u16, catalog: Option<&str>) -> Result<u8, String> {
    require_dir(dir, "content")?;
    let mut diagnostics = Diagnostics::new();
    let Some(base) = content::load_base(dir, &mut diagnostics) else {
        report(&diagnostics);
        return Ok(exit::CONTENT);
    };
    if !content::assessment::YEARS.contains(&i64::from(year)) {
        return Err(format!(
            "found the year {year}; expected a year between 1990 and 2100"
        ));
    }
    let code = if code.len() < 4 && code.bytes().all(|b| b.is_ascii_digit()) {
        format!("{code:0>4}")
    } else {
        code.to_string()
    };
    let Some(municipality) = base.registry.municipality(&code) else {
        let hint = content::assessment::unknown_municipality_hint(&code, &base.registry);
        return Err(format!(
            "unknown municipality \"{code}\"{hint}; expected a code from registry/municipalities.csv"
        ));
    };
    // The newest catalogue by default: the last by id, as versions are named in order.
    let chosen = match catalog {
        Some(id) => base.catalogs.iter().find(|c| c.id == id).ok_or_else(|| {
            let hint =
                crate::suggest::did_you_mean(id, base.catalogs.iter().map(|c| c.id.as_str()));
            format!("unknown catalogue \"{id}\"{hint}")
        })?,
        None => base.catalogs.last().ok_or("no catalogue found")?,
    };
    let schema = crate::skeleton::schema_location(&base.config.base_url);
    print!(
        "{}",
        crate::skeleton::skeleton(municipality, year, chosen, base.config.language, &schema)
    );
    Ok(exit::SUCCESS)
}

/// Runs a build and reports its outcome; returns the exit status.
fn run_build(options: &pipeline::Options) -> u8 {
    match pipeline::build(options) {
        Ok(report) => {
            report_skipped(&report.skipped, options);
            if let Some(warning) = &report.address_warning {
                eprintln!("{warning}");
            }
            let warnings = report.warnings.iter().filter(|d| !d.is_error()).count();
            eprintln!(
                "built {} pages ({} files, {} pictures rasterised{}) into {} in {} ms{}",
                report.pages,
                report.files,
                report.rasterized,
                if report.cached > 0 {
                    format!(", {} from the picture cache", report.cached)
                } else {
                    String::new()
                },
                options.out.display(),
                report.millis,
                if warnings > 0 {
                    format!(
                        "; {}, see `blomlada check`",
                        plural(warnings, "warning", "warnings")
                    )
                } else {
                    String::new()
                }
            );
            exit::SUCCESS
        }
        Err(e) => failed(
            e,
            &format!(
                "nothing was written; {} is unchanged",
                options.out.display()
            ),
        ),
    }
}

fn report_skipped(skipped: &[PathBuf], options: &pipeline::Options) {
    for path in skipped {
        eprintln!(
            "skipped (invalid): {}",
            options.content.join(path).display()
        );
    }
}
