#!/usr/bin/env python3
"""Measures how long `watch` takes to publish a changed assessment.

    python3 benches/watch_probe.py --assessment FILE --page FILE [--changes 20] -- WATCH COMMAND...

Starts the watch command, waits until it has published PAGE (the output page of the
municipality whose assessment is FILE) and has settled, then changes one answer of FILE
CHANGES times (plus one change to warm up, not counted), each time measuring from the moment
the file is written and closed to the moment PAGE holds new content. Between changes it waits
long enough for a debounced rebuild to finish, so that each change is a rebuild of its own.
The file is written in place, as an editor or a copy would; it is restored at the end.

PAGE is polled in a tight loop (a stat every 0.2 ms, a read when the stat changes), so the
figure includes the watcher's notification and debouncing, the rebuild and the write: what a
publisher sees. Where the watch command prints a duration on the line it writes per rebuild
("... 12.3 ms", "... 1.2 s"), the median of those is reported too.

Prints one tab-separated line on standard output:
    ok  CHANGES  MEDIAN_MS  P90_MS  MIN_MS  MAX_MS  REPORTED_MEDIAN_MS (or -)
or
    skipped  REASON
and exits 0 in both cases (1 when the probe itself could not run). Standard library only.
"""

import argparse
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

POLL = 0.0002
ANSWER = re.compile(r"^(\s+)([A-Za-z0-9_.-]+):\s*(helt|delvis|inte)?\s*$")
DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|µs|us|s)\b")


def variants(text):
    """The original text and one with the first answer changed (helt <-> inte)."""
    lines = text.split("\n")
    in_answers = False
    for i, line in enumerate(lines):
        if line.startswith("answers:"):
            in_answers = True
            continue
        if in_answers and line and not line[0].isspace():
            break
        m = ANSWER.match(line) if in_answers else None
        if m:
            other = "inte" if m.group(3) == "helt" else "helt"
            changed = lines.copy()
            changed[i] = f"{m.group(1)}{m.group(2)}: {other}"
            return text, "\n".join(changed)
    raise SystemExit(f"no answer to change in the assessment: {text[:200]!r}")


class Output(threading.Thread):
    """Collects the watch command's lines with the time each arrived."""

    def __init__(self, stream, log):
        super().__init__(daemon=True)
        self.stream, self.log, self.lines = stream, log, []
        self.lock = threading.Lock()

    def run(self):
        for raw in self.stream:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self.lock:
                self.lines.append((time.perf_counter(), line))
            if self.log:
                self.log.write(line + "\n")
                self.log.flush()

    def since(self, t):
        with self.lock:
            return [line for (when, line) in self.lines if when >= t]

    def text(self):
        with self.lock:
            return "\n".join(line for _, line in self.lines)


def signature(path):
    try:
        s = os.stat(path)
    except FileNotFoundError:
        return None
    return (s.st_ino, s.st_mtime_ns, s.st_size)


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def wait_for_change(page, before, deadline):
    """Polls PAGE until it holds bytes other than BEFORE; returns the time it was seen."""
    last = signature(page)
    while True:
        now = time.perf_counter()
        if now > deadline:
            return None
        sig = signature(page)
        if sig is not None and sig != last:
            last = sig
            data = read(page)
            if data and data != before:
                return time.perf_counter()
        time.sleep(POLL)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def reported_ms(lines):
    """The duration the watch command printed for publishing a change (its phase 1), in
    milliseconds; any duration on a line when no such line is there."""
    published = [l for l in lines if "published in" in l]
    for line in reversed(published or lines):
        found = DURATION.findall(line.split("published in", 1)[-1][:40]) if published else DURATION.findall(line)
        if found:
            value, unit = found[-1]
            factor = {"s": 1000.0, "ms": 1.0, "µs": 0.001, "us": 0.001}[unit]
            return float(value) * factor
    return None


def stop(proc):
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assessment", required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--ready-timeout", type=float, default=900.0)
    parser.add_argument("--change-timeout", type=float, default=30.0)
    parser.add_argument("--settle", type=float, default=2.0, help="seconds to wait once ready")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between changes")
    parser.add_argument("--log", help="append the watch command's output here")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no watch command given after --")

    with open(args.assessment, encoding="utf-8") as f:
        original = f.read()
    texts = variants(original)
    log = open(args.log, "a", encoding="utf-8") if args.log else None
    proc = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = Output(proc.stdout, log)
    output.start()
    state = 0
    try:
        deadline = time.perf_counter() + args.ready_timeout
        while signature(args.page) is None:
            if proc.poll() is not None:
                time.sleep(0.1)
                first = output.text().strip().splitlines()
                reason = first[-1] if first else f"exit status {proc.returncode}"
                print(f"skipped\twatch exited before publishing: {reason}")
                return 0
            if time.perf_counter() > deadline:
                print(f"skipped\twatch published nothing in {args.ready_timeout:.0f} s")
                return 0
            time.sleep(0.01)
        time.sleep(args.settle)

        latencies, reported = [], []
        for i in range(args.changes + 1):
            before = read(args.page)
            state = 1 - state
            t_start = time.perf_counter()
            write(args.assessment, texts[state])
            t_written = time.perf_counter()
            seen = wait_for_change(args.page, before, t_written + args.change_timeout)
            if seen is None:
                if proc.poll() is not None:
                    print(f"skipped\twatch exited (status {proc.returncode}) during the probe")
                else:
                    print(f"skipped\tno rebuild within {args.change_timeout:.0f} s of a change")
                return 0
            time.sleep(args.pause)
            if i == 0:
                continue  # warm-up
            latencies.append((seen - t_written) * 1000.0)
            r = reported_ms(output.since(t_start))
            if r is not None:
                reported.append(r)
    finally:
        write(args.assessment, original)
        if state == 1:
            time.sleep(args.pause)
        stop(proc)
        if log:
            log.close()

    latencies.sort()
    p90 = latencies[max(0, math.ceil(0.9 * len(latencies)) - 1)]
    rep = f"{statistics.median(reported):.1f}" if reported else "-"
    print(
        f"ok\t{len(latencies)}\t{statistics.median(latencies):.1f}\t{p90:.1f}"
        f"\t{latencies[0]:.1f}\t{latencies[-1]:.1f}\t{rep}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
