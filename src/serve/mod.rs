//! `blomlada watch` and `blomlada serve`: build once, then publish each change within
//! milliseconds, never leaving the published folder broken. See `docs/watch.md`.
//!
//! [`state`] keeps what a rebuild needs and does the rebuilds, [`jobs`] decides what a change
//! touches, [`watch`] turns file system events into changes and runs the loop, [`server`]
//! serves the output with live reload and the error overlay of [`overlay`].

pub(crate) mod jobs;
mod kept;
pub(crate) mod overlay;
pub(crate) mod server;
pub(crate) mod state;
pub(crate) mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::output;
use crate::pipeline::{Error, Options};

use self::state::State;
use self::watch::{Event, Message, Roots, Timing};

/// The name of a preview folder in the system's temporary folder, before the process id.
const PREVIEW_PREFIX: &str = "blomlada-serve-";

/// The debounce time unless asked otherwise: short, as it counts in the time to publish.
pub(crate) const DEFAULT_DEBOUNCE_MS: u64 = 10;

/// `blomlada watch`: builds, then rebuilds what each change touches until SIGTERM or Ctrl-C.
pub(crate) fn watch(options: Options, debounce: Duration) -> Result<(), Error> {
    let timing = Timing::new(debounce);
    let roots = Roots::new(&options.content, &options.theme)
        .map_err(|e| format!("cannot watch {}: {e}", options.content.display()))?;
    let (sender, messages) = mpsc::channel();
    let interrupt = Arc::new(AtomicBool::new(false));
    watch::stop_on_signals(sender.clone(), interrupt.clone())?;
    // Watching starts before the first build, so that nothing changed during it is missed.
    let _watcher = watch::start(&roots, timing, sender, interrupt.clone())?;
    let started = Instant::now();
    let (mut state, outcome) = State::start(options)?;
    tracing::info!(
        "built {} files ({} pictures rasterised, {} from the picture cache) in {} ms; watching {} and {}, publishing to {}",
        outcome.written.files,
        outcome.written.rasterized,
        outcome.written.cached,
        started.elapsed().as_millis(),
        state.options().content.display(),
        state.options().theme.display(),
        state.options().out.display()
    );
    if let Some(warning) =
        crate::pipeline::address_warning(&state.options().content, state.config())
    {
        eprintln!("{warning}");
    }
    watch::run(&mut state, &roots, &messages, &interrupt, timing, |_, _| {});
    Ok(())
}

#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub(crate) content: PathBuf,
    pub(crate) theme: PathBuf,
    /// Where the site is written; a temporary folder (removed at the end) when not given.
    pub(crate) out: Option<PathBuf>,
    pub(crate) bind: String,
    pub(crate) port: u16,
    pub(crate) drafts: bool,
    pub(crate) no_png: bool,
    pub(crate) debounce: Duration,
    /// The picture cache's folder; `None`: no cache.
    pub(crate) picture_cache: Option<PathBuf>,
}

/// A temporary output folder, removed when dropped.
struct TemporaryOut(PathBuf);

impl Drop for TemporaryOut {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `blomlada serve`: builds into a preview folder, serves it, rebuilds on change and reloads
/// open pages; while there are problems, pages show them over the last good site.
pub(crate) fn serve(options: ServeOptions) -> Result<(), Error> {
    let (listener, address) = listen(&options.bind, options.port)?;
    let (out, _temporary) = preview_folder(options.out.as_ref())?;
    let site_options = Options {
        content: options.content.clone(),
        theme: options.theme.clone(),
        out: out.clone(),
        base_url: Some(format!("http://{address}")),
        drafts: options.drafts,
        keep_going: true,
        no_png: options.no_png,
        picture_cache: options.picture_cache.clone(),
    };
    let timing = Timing::new(options.debounce);
    let roots = Roots::new(&options.content, &options.theme)
        .map_err(|e| format!("cannot watch {}: {e}", options.content.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    // Signals are caught from here on, so that one during the first build ends it cleanly too.
    let signals = runtime
        .block_on(async { Signals::new() })
        .map_err(|e| format!("cannot listen for signals: {e}"))?;
    let (sender, messages) = mpsc::channel();
    let interrupt = Arc::new(AtomicBool::new(false));
    let _watcher = watch::start(&roots, timing, sender.clone(), interrupt.clone())?;
    let started = Instant::now();
    let (mut state, outcome) = State::start(site_options)?;
    tracing::info!(
        "built {} files in {} ms",
        outcome.written.files,
        started.elapsed().as_millis()
    );

    let overlay = Arc::new(server::Overlay::default());
    overlay.set(&state.problems());
    let live_reload = tower_livereload::LiveReloadLayer::new();
    let reloader = live_reload.reloader();
    let app = server::router(&out, overlay.clone(), live_reload);

    let rebuilds = {
        let interrupt = interrupt.clone();
        std::thread::Builder::new()
            .name("rebuild".into())
            .spawn(move || {
                watch::run(
                    &mut state,
                    &roots,
                    &messages,
                    &interrupt,
                    timing,
                    |state, event| {
                        let shown_changed = overlay.set(&state.problems());
                        let files = match event {
                            Event::Published { files } | Event::Settled { files } => files,
                            Event::Failed => 0,
                        };
                        if shown_changed || files > 0 {
                            reloader.reload();
                        }
                    },
                );
            })
            .map_err(|e| format!("cannot start the rebuild thread: {e}"))?
    };

    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        tracing::info!(
            "serving {} at http://{address}/ (watching {} and {})",
            out.display(),
            options.content.display(),
            options.theme.display()
        );
        tokio::select! {
            result = axum::serve(listener, app) => result,
            () = signals.stopped() => Ok(()),
        }
    });
    tracing::info!("stopping");
    interrupt.store(true, Ordering::SeqCst);
    let _ = sender.send(Message::Stop);
    let _ = rebuilds.join();
    // Open event streams would keep the runtime busy; they end with the process.
    runtime.shutdown_timeout(Duration::from_millis(100));
    served.map_err(|e| format!("the server stopped: {e}"))?;
    Ok(())
}

/// A listener on the address asked for (a warning when it is not loopback), and its address.
fn listen(bind: &str, port: u16) -> Result<(std::net::TcpListener, SocketAddr), Error> {
    let ip: IpAddr = match bind {
        "localhost" => IpAddr::from([127, 0, 0, 1]),
        other => other
            .parse()
            .map_err(|_| format!("--bind {other}: expected an IP address such as 127.0.0.1"))?,
    };
    if !ip.is_loopback() {
        tracing::warn!(
            "serving on {ip}, which is not loopback: other machines can see the preview"
        );
    }
    let listener = std::net::TcpListener::bind(SocketAddr::new(ip, port))
        .map_err(|e| format!("cannot listen on {ip}:{port}: {e}"))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot listen: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot listen: {e}"))?;
    Ok((listener, address))
}

/// Where the preview is written: `out`, or a temporary folder removed when the guard is
/// dropped.
fn preview_folder(out: Option<&PathBuf>) -> Result<(PathBuf, Option<TemporaryOut>), Error> {
    match out {
        Some(out) => Ok((out.clone(), None)),
        None => {
            // Previews of earlier runs that were killed are removed first.
            output::lock::remove_abandoned_previews(&std::env::temp_dir(), PREVIEW_PREFIX, "site");
            let dir = std::env::temp_dir().join(format!("{PREVIEW_PREFIX}{}", std::process::id()));
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
            Ok((dir.join("site"), Some(TemporaryOut(dir))))
        }
    }
}

/// SIGTERM and Ctrl-C (SIGINT).
struct Signals {
    terminate: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    /// Resolves when one of them arrives.
    async fn stopped(mut self) {
        tokio::select! {
            _ = self.terminate.recv() => {}
            _ = self.interrupt.recv() => {}
        }
    }
}
