"""The drop folder: take each file once it is complete, claim it, accept it, remove it.

A fax server writes a file over seconds. A file is taken only when its own size and mtime
have not changed for a quiet period, each file judged from its own observations; temporary
and partial names are never taken. The file is claimed by an atomic rename into a working
folder inside the inbox (so on the inbox's own filesystem, whatever is mounted where), so two
watchers never take the same file, and removed only after `accept` stored it. A file that
changed between the last look and the claim goes back. Unreadable files go to quarantine with
a reason file beside them; one written to after it was quarantined is taken again.

The watcher never dies of a file or a backend: every error is logged (its type only) and
retried with backoff, and a heartbeat says it is alive."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from intake.accept import Accepted

log = logging.getLogger("faxintake.dropfolder")
PARTIAL_SUFFIXES = (".part", ".filepart", ".tmp", ".crdownload", ".partial", ".swp", "~")
WORKING_FOLDER = ".faxintake-working"
REASON_SUFFIX = ".reason.txt"
CLAIM_STALE_SECONDS = 60  # a claim this old was left by a watcher that died mid-accept
MAX_BACKOFF_SECONDS = 60.0


def is_candidate(path: Path) -> bool:
    name = path.name
    return not name.startswith(".") and not name.lower().endswith(PARTIAL_SUFFIXES)


Observation = tuple[int, int]  # size, mtime in ns


def observe(path: Path) -> Observation | None:
    """The file's size and mtime now; None if it is gone."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


@dataclass
class StabilityTracker:
    """Says when a file has stopped changing. Pure: the caller gives it the clock."""

    quiet_seconds: float
    seen: dict[Path, tuple[int, float, float]] = field(default_factory=dict)  # size, mtime, since

    def ready(self, path: Path, size: int, mtime: float, now: float) -> bool:
        previous = self.seen.get(path)
        if previous is None or previous[:2] != (size, mtime):
            self.seen[path] = (size, mtime, now)
            return False
        return now - previous[2] >= self.quiet_seconds

    def seconds_to_next_check(self, now: float) -> float | None:
        """How long until the soonest-seen file has been quiet long enough; None if none waits."""
        if not self.seen:
            return None
        return max(0.0, min(since for _, _, since in self.seen.values()) + self.quiet_seconds - now)

    def forget(self, path: Path) -> None:
        self.seen.pop(path, None)

    def keep_only(self, paths: list[Path]) -> None:
        """Forget files that are gone (taken by another watcher, or deleted)."""
        self.seen = {path: self.seen[path] for path in paths if path in self.seen}


@dataclass
class Backoff:
    """Seconds to wait before the next try after `failures` failures in a row: 1, 2, 4 ... 60."""

    failures: int = 0

    def failed(self) -> float:
        self.failures += 1
        return min(MAX_BACKOFF_SECONDS, 2.0 ** (self.failures - 1))

    def succeeded(self) -> None:
        self.failures = 0


def move_durably(source: Path, target: Path) -> None:
    """Rename, or across filesystems copy, fsync and only then unlink the source."""
    try:
        os.replace(source, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:  # anything but "another filesystem"
            raise
    partial = target.with_name(f".{target.name}.partial")
    shutil.copy2(source, partial)
    with partial.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    source.unlink()


Accept = Callable[[bytes, str], Accepted]


class DropFolder:
    def __init__(
        self,
        inbox: Path,
        quarantine: Path,
        accept: Accept,
        quiet_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inbox, self.quarantine, self.accept, self.clock = inbox, quarantine, accept, clock
        self.working = inbox / WORKING_FOLDER
        self.tracker = StabilityTracker(quiet_seconds)
        self._claim_retry: dict[Path, tuple[float, Backoff]] = {}  # claim -> (next try, backoff)
        for folder in (inbox, quarantine, self.working):
            folder.mkdir(parents=True, exist_ok=True)
        self._adopt_claims(inbox.parent / f".{inbox.name}-working")

    def _adopt_claims(self, old_working: Path) -> None:
        """Claims left in the working folder beside the inbox (where it used to be) move into
        the one inside it, and are recovered from there."""
        if old_working.is_dir():
            for claimed in old_working.iterdir():
                move_durably(claimed, self.working / claimed.name)

    def scan(self) -> list[Accepted]:
        """Take every file that is ready; returns what was accepted this pass."""
        self._recover_claimed()
        self._retry_rewritten_quarantine()
        taken = []
        present = sorted(p for p in self.inbox.iterdir() if p.is_file() and is_candidate(p))
        self.tracker.keep_only(present)
        for path in present:
            seen = observe(path)
            if seen is None or not self.tracker.ready(path, *seen, now=self.clock()):
                continue
            self.tracker.forget(path)
            accepted = self._take(path, seen)
            if accepted:
                taken.append(accepted)
        return taken

    def _take(self, path: Path, seen: Observation) -> Accepted | None:
        claimed = self.working / f"{time.time_ns()}-{path.name}"
        try:
            os.rename(path, claimed)  # atomic: whoever renames first owns the file
        except FileNotFoundError:
            return None
        if observe(claimed) != seen:  # written to since the last look: not finished yet
            self._put_back(claimed, path)
            return None
        return self._try_claimed(claimed, path.name, seen)

    def _try_claimed(self, claimed: Path, name: str, seen: Observation | None) -> Accepted | None:
        """Accept a claimed file; on any error it stays claimed and is tried again later."""
        try:
            return self._accept_claimed(claimed, name, seen)
        except Exception as exc:  # noqa: BLE001 - a backend is down: the claim is retried
            wait = self._claim_retry.get(claimed, (0.0, Backoff()))[1]
            self._claim_retry[claimed] = (self.clock() + wait.failed(), wait)
            log.error("intake failed; will retry", extra={"error": type(exc).__name__})
            return None

    def _accept_claimed(self, claimed: Path, name: str, seen: Observation | None) -> Accepted:
        data = claimed.read_bytes()
        accepted = self.accept(data, name)
        self._claim_retry.pop(claimed, None)
        if accepted.status != "failed":
            claimed.unlink()
        elif seen is not None and observe(claimed) != seen:  # the writer was still at it
            log.warning("file changed while taken; taken again", extra={"fax_id": accepted.fax_id})
            self._put_back(claimed, self.inbox / name)
        else:
            self._quarantine(claimed, name, accepted)
        return accepted

    def _quarantine(self, claimed: Path, name: str, accepted: Accepted) -> None:
        target = self.quarantine / f"{accepted.fax_id}-{name}"
        move_durably(claimed, target)
        target.with_name(target.name + REASON_SUFFIX).write_text(f"{accepted.reason}\n")
        log.warning("quarantined", extra={"fax_id": accepted.fax_id})

    def _put_back(self, claimed: Path, path: Path) -> None:
        target = path if not path.exists() else path.with_name(f"{time.time_ns()}-{path.name}")
        os.rename(claimed, target)

    def _recover_claimed(self) -> None:
        """Files claimed by a watcher that died (or failed) before accepting them are tried
        again, each no sooner than its backoff allows."""
        now = self.clock()
        for claimed in sorted(self.working.iterdir()):
            if not claimed.is_file() or _claim_age(claimed) < CLAIM_STALE_SECONDS:
                continue
            if self._claim_retry.get(claimed, (0.0, None))[0] > now:
                continue
            self._try_claimed(claimed, claimed.name.split("-", 1)[-1], None)

    def _retry_rewritten_quarantine(self) -> None:
        """A quarantined file written to after its reason (the writer had not finished when it
        was taken) goes back to the inbox, to be taken again once it is quiet."""
        for reason in self.quarantine.glob(f"*{REASON_SUFFIX}"):
            original = reason.with_name(reason.name.removesuffix(REASON_SUFFIX))
            try:
                rewritten = original.stat().st_mtime_ns > reason.stat().st_mtime_ns
            except FileNotFoundError:
                continue
            if rewritten:
                move_durably(original, self.inbox / original.name.split("-", 1)[-1])
                reason.unlink()
                log.info("quarantined file changed; taken again")

    def watch(
        self,
        rescan_seconds: float,
        polling: bool = False,
        stop: threading.Event | None = None,
        heartbeat: Callable[[], None] | None = None,
    ) -> None:
        """Scan on every file event, and every `rescan_seconds` regardless (events get lost).
        A failing scan is retried with backoff; nothing raised by a file or a backend ends it.
        `heartbeat` is called after every pass."""
        stop = stop or threading.Event()
        wake = threading.Event()
        observer = _observer(self.inbox, wake, polling)
        backoff = Backoff()
        try:
            while not stop.is_set():
                wait = self._pass(backoff, rescan_seconds)
                if heartbeat:
                    _beat(heartbeat)
                _wait(wake, stop, wait)
                wake.clear()
        finally:
            observer.stop()
            observer.join()

    def _pass(self, backoff: Backoff, rescan_seconds: float) -> float:
        """One scan; the seconds to wait before the next."""
        try:
            self.scan()
        except Exception as exc:  # noqa: BLE001 - the inbox or a backend failed; try again later
            log.error("drop folder scan failed; will retry", extra={"error": type(exc).__name__})
            return backoff.failed()
        backoff.succeeded()
        due = self.tracker.seconds_to_next_check(self.clock())
        return rescan_seconds if due is None else min(due + 0.01, rescan_seconds)


def _observer(inbox: Path, wake: threading.Event, polling: bool) -> BaseObserver:
    """File events from inotify, or from polling where asked or where inotify fails (its
    watch limit reached): the rescan is the safety net either way."""
    try:
        observer = PollingObserver() if polling else Observer()
        observer.schedule(_Wake(wake), str(inbox))
        observer.start()
    except OSError as exc:
        log.warning("file events unavailable; polling", extra={"error": type(exc).__name__})
        observer = PollingObserver()
        observer.schedule(_Wake(wake), str(inbox))
        observer.start()
    return observer


def _wait(wake: threading.Event, stop: threading.Event, seconds: float) -> None:
    """Until a file event, `stop`, or `seconds` pass; stop is looked at twice a second."""
    deadline = time.monotonic() + seconds
    while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
        if wake.wait(min(left, 0.5)):
            return


def _beat(heartbeat: Callable[[], None]) -> None:
    try:
        heartbeat()
    except Exception as exc:  # noqa: BLE001 - a heartbeat lost to an outage is not fatal
        log.warning("watcher heartbeat failed", extra={"error": type(exc).__name__})


def _claim_age(claimed: Path) -> float:
    """Seconds since the claim, from the nanosecond stamp its name starts with."""
    stamp = claimed.name.split("-", 1)[0]
    return (time.time_ns() - int(stamp)) / 1e9 if stamp.isdigit() else float("inf")


class _Wake(FileSystemEventHandler):
    def __init__(self, wake: threading.Event) -> None:
        self.wake = wake

    def on_any_event(self, event) -> None:
        self.wake.set()
