//! Watching the content and theme folders, and the rebuild loop that `watch` and `serve`
//! share.
//!
//! File system events come from `notify` through `notify-debouncer-full`, which joins an
//! editor's save (write a temporary file, rename it over the old one) into one event per path.
//! Each debounced batch names paths; the loop waits a moment longer for the rest of a burst,
//! turns the paths into a [`Change`], and applies it. Between changes it works through
//! phase 2, and stops a step early when a new event arrives.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::output::incremental::Written;

use super::state::{Change, Outcome, State, Step};

/// What the watcher tells the rebuild loop.
#[derive(Debug)]
pub(crate) enum Message {
    /// Something happened at these paths; the instant is when the event was sent.
    Paths(Vec<PathBuf>, Instant),
    /// Events were lost (the kernel's queue overflowed): everything is read again.
    Rescan,
    /// Stop after the current step.
    Stop,
}

/// The folders being watched, resolved, to tell which one an event path belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Roots {
    pub(crate) content: PathBuf,
    pub(crate) theme: PathBuf,
}

impl Roots {
    pub(crate) fn new(content: &Path, theme: &Path) -> std::io::Result<Roots> {
        Ok(Roots {
            content: std::fs::canonicalize(content)?,
            theme: std::fs::canonicalize(theme)?,
        })
    }

    /// What a changed path means for the site; `None` for paths that do not matter.
    pub(crate) fn classify(&self, path: &Path) -> Option<Change> {
        let mut change = Change::default();
        if let Ok(rel) = path.strip_prefix(&self.theme) {
            if is_scratch_file(rel) {
                return None;
            }
            change.theme = true;
            return Some(change);
        }
        let rel = path.strip_prefix(&self.content).ok()?;
        let first = rel.components().next();
        match first {
            None => change.rescan = true,
            Some(Component::Normal(name)) => match name.to_str() {
                Some("site.yaml") => change.base = true,
                Some("registry" | "catalogs" | "geo") if !is_scratch_file(rel) => {
                    change.base = true
                }
                Some("pages") if !is_scratch_file(rel) => change.pages = true,
                Some("assessments") if !is_scratch_file(rel) => {
                    change.assessments.insert(rel.to_path_buf());
                }
                _ => return None,
            },
            Some(_) => return None,
        }
        Some(change)
    }
}

/// Editors' temporary and backup files: `.name.swp`, `name~`, `.#name`, `#name#`, vim's `4913`.
pub(crate) fn is_scratch_file(rel: &Path) -> bool {
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// How long the debouncer waits after a path's last event, and how often it looks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub(crate) debounce: Duration,
    pub(crate) tick: Duration,
}

impl Timing {
    pub(crate) fn new(debounce: Duration) -> Timing {
        let debounce = debounce.max(Duration::from_millis(1));
        Timing {
            debounce,
            tick: (debounce / 4).max(Duration::from_millis(1)),
        }
    }

    /// How long the loop waits for more of a burst after a batch: a little over one tick,
    /// as the debouncer hands over a burst one tick at a time.
    fn settle(&self) -> Duration {
        self.tick + Duration::from_millis(1)
    }
}

/// Starts watching; events go to `sender`, and `interrupt` is set whenever one is sent.
pub(crate) fn start(
    roots: &Roots,
    timing: Timing,
    sender: Sender<Message>,
    interrupt: Arc<AtomicBool>,
) -> Result<Debouncer<RecommendedWatcher, RecommendedCache>, String> {
    let handler = move |result: DebounceEventResult| {
        let message = match result {
            Ok(events) => {
                if events.iter().any(|e| e.need_rescan()) {
                    Message::Rescan
                } else {
                    let paths: Vec<PathBuf> = events
                        .into_iter()
                        .filter(|e| changes_files(&e.event.kind))
                        .flat_map(|e| e.event.paths)
                        .collect();
                    if paths.is_empty() {
                        return;
                    }
                    Message::Paths(paths, Instant::now())
                }
            }
            Err(errors) => {
                for e in errors {
                    tracing::warn!("watching: {e}");
                }
                Message::Rescan
            }
        };
        interrupt.store(true, Ordering::SeqCst);
        let _ = sender.send(message);
    };
    let mut debouncer = new_debouncer(timing.debounce, Some(timing.tick), handler)
        .map_err(|e| format!("cannot watch for changes: {e}"))?;
    for root in [&roots.content, &roots.theme] {
        debouncer
            .watch(root, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    }
    Ok(debouncer)
}

/// Whether an event can mean changed contents. Reading a file is an event too (the build
/// itself reads the theme), and must not start a rebuild.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// What the loop reports to whoever runs it (the server reloads browsers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// Phase 1 of a change is published; `files` were written.
    Published { files: usize },
    /// Phase 2 is done: the site is what a full build gives. `files` were written or
    /// removed in phase 2.
    Settled { files: usize },
    /// A change could not be published; the problems are in [`State::problems`].
    Failed,
}

/// The rebuilds since the loop was last idle, for the log line.
struct Rebuild {
    started: Instant,
    phase1: Duration,
    changed: usize,
    written: Written,
    removed: usize,
    what: Change,
}

/// Runs until a [`Message::Stop`] arrives or the watcher goes away.
pub(crate) fn run(
    state: &mut State,
    roots: &Roots,
    messages: &Receiver<Message>,
    interrupt: &Arc<AtomicBool>,
    timing: Timing,
    mut report: impl FnMut(&State, Event),
) {
    let mut current: Option<Rebuild> = None;
    let mut phase2_files = 0;
    loop {
        let message = if state.has_pending() {
            match messages.try_recv() {
                Ok(m) => Some(m),
                Err(TryRecvError::Empty) => {
                    // Set just before its message is sent; at worst one step runs before it.
                    interrupt.store(false, Ordering::SeqCst);
                    None
                }
                Err(TryRecvError::Disconnected) => return,
            }
        } else {
            match messages.recv() {
                Ok(m) => Some(m),
                Err(_) => return,
            }
        };
        let Some(message) = message else {
            match state.phase2_step(interrupt) {
                Step::Continue(written) => {
                    phase2_files += written.files;
                    if let Some(r) = &mut current {
                        r.written.add(written);
                    }
                }
                Step::Done { written, removed } => {
                    if let Some(mut r) = current.take() {
                        r.written.add(written);
                        r.removed += removed;
                        log_rebuild(&r);
                    }
                    report(
                        state,
                        Event::Settled {
                            files: phase2_files + written.files + removed,
                        },
                    );
                    phase2_files = 0;
                }
            }
            continue;
        };
        let received = Instant::now();
        if let Message::Paths(_, sent) = &message {
            // Longer than a moment only when phase 2 had a step under way.
            tracing::debug!(
                "waited {:.1} ms for the step under way",
                millis(received.saturating_duration_since(*sent))
            );
        }
        let Some(change) = gather(message, roots, messages, timing) else {
            break;
        };
        // Every message so far is in `change`; a new one sets it again.
        interrupt.store(false, Ordering::SeqCst);
        if change.is_empty() {
            continue;
        }
        let outcome = state.apply(&change);
        let phase1 = received.elapsed();
        log_phase1(&change, &outcome, phase1);
        let rebuild = current.get_or_insert_with(|| Rebuild {
            started: received,
            phase1,
            changed: 0,
            written: Written::default(),
            removed: 0,
            what: Change::default(),
        });
        rebuild.phase1 = phase1;
        rebuild.changed += outcome.changed;
        rebuild.written.add(outcome.written);
        rebuild.what.merge(change);
        if outcome.failed {
            report(state, Event::Failed);
        } else {
            report(
                state,
                Event::Published {
                    files: outcome.written.files,
                },
            );
        }
        phase2_files = 0;
    }
    if state.has_pending() {
        tracing::info!("stopping before every page was refreshed; the site is complete");
    }
}

/// Turns a message, and those that follow it within the settle time, into one change.
/// `None` means stop.
fn gather(
    first: Message,
    roots: &Roots,
    messages: &Receiver<Message>,
    timing: Timing,
) -> Option<Change> {
    let mut change = Change::default();
    let mut add = |message: Message| -> bool {
        match message {
            Message::Paths(paths, _) => {
                for p in paths {
                    if let Some(c) = roots.classify(&p) {
                        change.merge(c);
                    }
                }
                true
            }
            Message::Rescan => {
                change.rescan = true;
                true
            }
            Message::Stop => false,
        }
    };
    if !add(first) {
        return None;
    }
    loop {
        match messages.recv_timeout(timing.settle()) {
            Ok(m) => {
                if !add(m) {
                    return None;
                }
            }
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    Some(change)
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn log_phase1(change: &Change, outcome: &Outcome, took: Duration) {
    if outcome.failed {
        tracing::error!(
            "rebuild failed after {:.1} ms ({}): the published site is unchanged",
            millis(took),
            change.describe()
        );
        return;
    }
    tracing::info!(
        "published in {:.1} ms (phase 1{}): {} changed, {} files written, {} pictures rasterised ({})",
        millis(took),
        if outcome.full { ", whole site" } else { "" },
        outcome.changed,
        outcome.written.files,
        outcome.written.rasterized,
        change.describe()
    );
}

/// The one line per rebuild that scripts read.
fn log_rebuild(r: &Rebuild) {
    tracing::info!(
        "rebuilt in {:.1} ms (phase 1), {:.1} ms total: {} changed, {} files written, {} removed, {} pictures rasterised ({})",
        millis(r.phase1),
        millis(r.started.elapsed()),
        r.changed,
        r.written.files,
        r.removed,
        r.written.rasterized,
        r.what.describe()
    );
}

/// Sends [`Message::Stop`] on SIGTERM or Ctrl-C (SIGINT).
pub(crate) fn stop_on_signals(
    sender: Sender<Message>,
    interrupt: Arc<AtomicBool>,
) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot listen for signals: {e}"))?;
    // Handlers are installed before this returns, so no signal is missed after it.
    let mut terminate = runtime
        .block_on(async {
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        })
        .map_err(|e| format!("cannot listen for signals: {e}"))?;
    let mut interrupt_signal = runtime
        .block_on(async {
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        })
        .map_err(|e| format!("cannot listen for signals: {e}"))?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            runtime.block_on(async {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt_signal.recv() => {}
                }
            });
            tracing::info!("stopping");
            interrupt.store(true, Ordering::SeqCst);
            let _ = sender.send(Message::Stop);
        })
        .map_err(|e| format!("cannot listen for signals: {e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots() -> Roots {
        Roots {
            content: PathBuf::from("/c"),
            theme: PathBuf::from("/t"),
        }
    }

    #[test]
    fn paths_are_classified_by_folder() {
        let r = roots();
        let c = r
            .classify(Path::new("/c/assessments/2017/kumla.yaml"))
            .unwrap();
        assert_eq!(
            c.assessments.into_iter().collect::<Vec<_>>(),
            [PathBuf::from("assessments/2017/kumla.yaml")]
        );
        assert!(r.classify(Path::new("/c/site.yaml")).unwrap().base);
        assert!(
            r.classify(Path::new("/c/registry/municipalities.csv"))
                .unwrap()
                .base
        );
        assert!(r.classify(Path::new("/c/catalogs/v3.yaml")).unwrap().base);
        assert!(
            r.classify(Path::new("/c/geo/municipalities.geojson"))
                .unwrap()
                .base
        );
        assert!(r.classify(Path::new("/c/pages/om.md")).unwrap().pages);
        assert!(
            r.classify(Path::new("/t/templates/base.html"))
                .unwrap()
                .theme
        );
        assert!(r.classify(Path::new("/c")).unwrap().rescan);
        assert!(r.classify(Path::new("/c/README.md")).is_none());
        assert!(r.classify(Path::new("/elsewhere/x.yaml")).is_none());
    }

    #[test]
    fn editor_scratch_files_are_ignored() {
        let r = roots();
        for scratch in [
            "/c/assessments/.kumla.yaml.swp",
            "/c/assessments/kumla.yaml~",
            "/c/assessments/.#kumla.yaml",
            "/c/assessments/#kumla.yaml#",
            "/c/assessments/4913",
            "/t/templates/.base.html.swp",
            "/c/catalogs/v3.yaml~",
        ] {
            assert!(r.classify(Path::new(scratch)).is_none(), "{scratch}");
        }
        // A folder is a change too: it may have been moved in or out whole.
        assert!(r.classify(Path::new("/c/assessments/2018")).is_some());
    }
}
