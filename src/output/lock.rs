//! One writer per output folder, and nothing left behind by a writer that died.
//!
//! `build`, `watch` and `serve` lock a file beside the output folder, `.NAME.lock`, before they
//! write, and hold the lock until they end. It is an advisory lock of the operating system
//! (`flock`), which the kernel releases when the process ends in any way: an exit, `kill -9`,
//! running out of memory, a crash or a reboot. So a lock is never stale, and a process id used
//! again later means nothing to it. The file itself stays: removing it could let a second
//! process create and lock a new file of the same name while the first still holds the old one.
//! It names the process holding the lock, for the message a second writer gets.
//!
//! Holding the lock, a writer knows that no other writer is at work on its folder, so the
//! staging folders beside it (`.NAME.staging-PID`) are left over from writers that died while
//! writing: it removes them. As a second guard, a staging folder is kept while its process may
//! still be running: the process exists and started before the folder last changed (a process
//! that started later only reuses the id).

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The exclusive right to write one output folder, held until dropped (or the process ends).
#[derive(Debug)]
pub(crate) struct OutputLock {
    /// The locked file; `None` where the file system has no locks (see [`OutputLock::claim`]).
    _file: Option<File>,
}

/// The lock file of an output folder: `.NAME.lock` beside it.
pub fn lock_path(out: &Path) -> PathBuf {
    super::sibling(out, "lock")
}

impl OutputLock {
    /// Locks `out` for this process, then removes the staging folders that writers which died
    /// left beside it. Fails, naming the other process, when one holds the lock already.
    ///
    /// On a file system without locks (some network file systems), a warning is logged and
    /// the work goes on unlocked; nothing is removed then, as a running writer can't be told
    /// from a dead one.
    pub(crate) fn claim(out: &Path) -> Result<OutputLock, String> {
        let path = lock_path(out);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot make {}: {e}", parent.display()))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(format!(
                    "{} is being written by another process: {}; wait until it has finished or stop it (two writers at once are refused; {} is locked until that process ends)",
                    out.display(),
                    describe_holder(&mut file),
                    path.display()
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                tracing::warn!(
                    "cannot lock {} ({e}): nothing keeps a second process from writing {} at the same time",
                    path.display(),
                    out.display()
                );
                return Ok(OutputLock { _file: None });
            }
        }
        // Only the holder writes the file, so that a second process reads a whole one.
        write_holder(&mut file)
            .map_err(|e| format!("cannot write the lock file {}: {e}", path.display()))?;
        remove_leftover_staging(out);
        Ok(OutputLock { _file: Some(file) })
    }
}

/// Says who holds the lock in the lock file: process id, host and command line.
fn write_holder(file: &mut File) -> io::Result<()> {
    let command: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let text = format!(
        "pid {}\nhost {}\ncommand {}\n",
        std::process::id(),
        host_name(),
        command.join(" ")
    );
    file.set_len(0)?;
    file.rewind()?;
    file.write_all(text.as_bytes())
}

/// The process holding a lock, as its lock file says. The holder writes the file just after it
/// got the lock, so an empty file is read again a few times.
fn describe_holder(file: &mut File) -> String {
    for _ in 0..20 {
        let mut text = String::new();
        if file.rewind().is_ok() && file.read_to_string(&mut text).is_ok() {
            let field = |name: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
                    .map(str::to_string)
            };
            if let Some(pid) = field("pid") {
                let command = field("command").unwrap_or_default();
                let host = field("host").unwrap_or_default();
                let on_host = if host.is_empty() || host == host_name() {
                    String::new()
                } else {
                    format!(" on {host}")
                };
                return format!("process {pid}{on_host} ({})", command.escape_debug());
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    "a process that has not yet said which it is".to_string()
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// The staging folders beside `out` (`.NAME.staging-PID`, and `.NAME.staging-PID.old` of the
/// swap without `renameat2`), with the process id in each name.
fn staging_leftovers(out: &Path) -> Vec<(PathBuf, u32)> {
    let prefix = super::sibling_name(out, "staging-");
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, u32)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let rest = name.strip_prefix(&prefix)?;
            let digits = rest.strip_suffix(".old").unwrap_or(rest);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let pid = digits.parse().ok()?;
            Some((out.with_file_name(name), pid))
        })
        .collect();
    found.sort();
    found
}

/// Removes the staging folders beside `out` that writers left when they died. The caller
/// holds the lock of `out`.
fn remove_leftover_staging(out: &Path) {
    for (dir, pid) in staging_leftovers(out) {
        let Ok(metadata) = std::fs::symlink_metadata(&dir) else {
            continue;
        };
        if !metadata.is_dir() {
            continue;
        }
        let changed = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        if may_still_run(pid, changed) {
            tracing::warn!(
                "kept {}: process {pid} is running and may be writing it; a later build removes it once that process has ended",
                dir.display()
            );
            continue;
        }
        match super::swap::remove_dir_all_parallel(&dir) {
            Ok(()) => tracing::info!(
                "removed {}, left by process {pid}, which ended before it had finished",
                dir.display()
            ),
            Err(e) => tracing::warn!("cannot remove {}: {e}", dir.display()),
        }
    }
}

/// Whether process `pid` may be the one that last changed a folder at `changed`: it exists,
/// and did not start after that (a process that started later got the id of one that ended).
fn may_still_run(pid: u32, changed: SystemTime) -> bool {
    if pid == std::process::id() {
        // Left by an earlier process with this id: the lock is this process's.
        return false;
    }
    match process_start(pid) {
        Started::Gone => false,
        // Granularity of the clocks, and small adjustments of the time.
        Started::At(start) => start <= changed + Duration::from_secs(2),
        Started::Unknown => true,
    }
}

enum Started {
    Gone,
    At(SystemTime),
    /// Running, since when is not known.
    Unknown,
}

/// When a process started, from `/proc`.
#[cfg(target_os = "linux")]
fn process_start(pid: u32) -> Started {
    let stat = match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Started::Gone,
        Err(_) => return Started::Unknown,
    };
    // The command name in parentheses may hold spaces; the fields after it are numbers, and
    // the start time (in clock ticks after boot) is the 20th of them.
    let ticks: Option<u64> = stat
        .rsplit_once(')')
        .and_then(|(_, fields)| fields.split_whitespace().nth(19)?.parse().ok());
    let boot: Option<u64> = std::fs::read_to_string("/proc/stat").ok().and_then(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("btime "))
            .and_then(|b| b.trim().parse().ok())
    });
    // SAFETY: sysconf only reads a system constant.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    match (ticks, boot, u64::try_from(per_second)) {
        (Some(ticks), Some(boot), Ok(hz)) if hz > 0 => Started::At(
            SystemTime::UNIX_EPOCH
                + Duration::from_secs(boot)
                + Duration::from_secs_f64(ticks as f64 / hz as f64),
        ),
        _ => Started::Unknown,
    }
}

#[cfg(not(target_os = "linux"))]
fn process_start(pid: u32) -> Started {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return Started::Gone;
    };
    // SAFETY: signal 0 only asks whether the process exists.
    if unsafe { libc::kill(pid, 0) } == 0 {
        Started::Unknown
    } else if io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH) {
        Started::Gone
    } else {
        Started::Unknown
    }
}

/// Removes the folders of previews (`PREFIX<pid>`, as `serve` makes them without `--out`) in
/// `dir` whose process has ended: their output's lock is free and the process is gone.
pub(crate) fn remove_abandoned_previews(dir: &Path, prefix: &str, site: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<u32>().ok())
        else {
            continue;
        };
        let folder = entry.path();
        let Ok(metadata) = std::fs::symlink_metadata(&folder) else {
            continue;
        };
        if !metadata.is_dir() || pid == std::process::id() {
            continue;
        }
        // A lock file that is locked, or can't be opened, belongs to someone at work.
        let lock = lock_path(&folder.join(site));
        let free = match File::open(&lock) {
            Ok(file) => file.try_lock().is_ok(),
            Err(e) => e.kind() == io::ErrorKind::NotFound,
        };
        let changed = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        if free && !may_still_run(pid, changed) && std::fs::remove_dir_all(&folder).is_ok() {
            tracing::info!(
                "removed {}, a preview left by process {pid}",
                folder.display()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_modified(dir: &Path, time: SystemTime) {
        File::open(dir).unwrap().set_modified(time).unwrap();
    }

    #[test]
    fn a_second_claim_fails_naming_the_holder_and_succeeds_once_it_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = OutputLock::claim(&out).unwrap();
        let message = OutputLock::claim(&out).unwrap_err();
        assert!(
            message.contains(&format!("process {}", std::process::id())),
            "{message}"
        );
        assert!(message.contains("is being written by another process"));
        assert!(message.contains(".site.lock"), "{message}");
        drop(first);
        // Another test's child process forked in between holds a copy of the lock's file
        // until it execs, which closes it: try again for a moment.
        let again = (0..200)
            .find_map(|_| {
                OutputLock::claim(&out)
                    .inspect_err(|_| std::thread::sleep(std::time::Duration::from_millis(25)))
                    .ok()
            })
            .expect("claimed once the first lock is released");
        // The file stays; it is only ever locked, never removed.
        assert!(dir.path().join(".site.lock").is_file());
        drop(again);
    }

    #[test]
    fn leftovers_of_ended_processes_are_removed_and_those_of_running_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        // A process that has ended: a child that was waited for.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let ended = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!(".site.staging-{ended}"));
        let stale_old = dir.path().join(format!(".site.staging-{ended}.old"));
        // A running process that started before its folder last changed: this one's parent
        // (the test harness), with a folder changed now.
        let running = std::os::unix::process::parent_id();
        let live = dir.path().join(format!(".site.staging-{running}"));
        // The same running process, but the folder last changed before it started: the id was
        // reused, the folder is stale.
        let reused = dir.path().join(format!(".site.staging-{}.old", running));
        // Not a staging folder of this output.
        let other = dir.path().join(".site2.staging-1");
        let unrelated = dir.path().join(".site.staging-x1");
        for d in [&stale, &stale_old, &live, &reused, &other, &unrelated] {
            std::fs::create_dir_all(d.join("kommun/kumla")).unwrap();
            std::fs::write(d.join("kommun/kumla/index.html"), "half").unwrap();
        }
        set_modified(
            &reused,
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000),
        );
        let _lock = OutputLock::claim(&out).unwrap();
        assert!(!stale.exists());
        assert!(!stale_old.exists());
        assert!(!reused.exists());
        assert!(live.exists());
        assert!(other.exists());
        assert!(unrelated.exists());
    }

    #[test]
    fn an_abandoned_preview_is_removed_and_a_live_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let ended = child.id();
        child.wait().unwrap();
        let abandoned = dir.path().join(format!("blomlada-serve-{ended}"));
        std::fs::create_dir_all(abandoned.join("site")).unwrap();
        std::fs::write(abandoned.join(".site.lock"), "pid 1\n").unwrap();
        // A preview whose output is locked is in use, whatever its name says.
        let in_use = dir.path().join(format!("blomlada-serve-{ended}1"));
        let _held = OutputLock::claim(&in_use.join("site")).unwrap();
        remove_abandoned_previews(dir.path(), "blomlada-serve-", "site");
        assert!(!abandoned.exists());
        assert!(in_use.exists());
    }
}
