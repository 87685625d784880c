"""The drop folder: take each file once it is complete, claim it, accept it, remove it.

A fax server writes a file over seconds. A file is taken only when it has not changed
(size and mtime) for a quiet period; temporary and partial names are never taken. The file
is claimed by an atomic rename into a working folder, so two watchers never take the same
file, and removed only after `accept` stored it. Unreadable files go to quarantine with a
reason file beside them."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from intake.accept import Accepted

log = logging.getLogger("faxintake.dropfolder")
PARTIAL_SUFFIXES = (".part", ".filepart", ".tmp", ".crdownload", ".partial", ".swp", "~")


def is_candidate(path: Path) -> bool:
    name = path.name
    return not name.startswith(".") and not name.lower().endswith(PARTIAL_SUFFIXES)


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


Accept = Callable[[bytes, str], Accepted]


class DropFolder:
    def __init__(self, inbox: Path, quarantine: Path, accept: Accept, quiet_seconds: float) -> None:
        self.inbox, self.quarantine, self.accept = inbox, quarantine, accept
        self.working = inbox.parent / f".{inbox.name}-working"
        self.tracker = StabilityTracker(quiet_seconds)
        for folder in (inbox, quarantine, self.working):
            folder.mkdir(parents=True, exist_ok=True)

    def scan(self, now: float | None = None) -> list[Accepted]:
        """Take every file that is ready; returns what was accepted this pass."""
        now = time.monotonic() if now is None else now
        self._recover_claimed()
        taken = []
        present = sorted(p for p in self.inbox.iterdir() if p.is_file() and is_candidate(p))
        self.tracker.keep_only(present)
        for path in present:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            if self.tracker.ready(path, stat.st_size, stat.st_mtime, now):
                self.tracker.forget(path)
                try:
                    accepted = self._take(path)
                except Exception as exc:  # noqa: BLE001 - the claimed file stays for the next pass
                    log.error("intake failed; will retry", extra={"error": type(exc).__name__})
                    continue
                if accepted:
                    taken.append(accepted)
        return taken

    def _take(self, path: Path) -> Accepted | None:
        claimed = self.working / f"{time.time_ns()}-{path.name}"
        try:
            os.rename(path, claimed)  # atomic: whoever renames first owns the file
        except FileNotFoundError:
            return None
        os.utime(claimed)  # the claim's age tells a stale claim from one in progress
        return self._accept_claimed(claimed, path.name)

    def _accept_claimed(self, claimed: Path, name: str) -> Accepted:
        accepted = self.accept(claimed.read_bytes(), name)
        if accepted.status == "failed":
            target = self.quarantine / f"{accepted.fax_id}-{name}"
            os.replace(claimed, target)
            target.with_name(target.name + ".reason.txt").write_text(f"{accepted.reason}\n")
            log.warning("quarantined", extra={"fax_id": accepted.fax_id})
        else:
            claimed.unlink()
        return accepted

    def _recover_claimed(self) -> None:
        """Files claimed by a watcher that died before accepting them are accepted now."""
        for claimed in self.working.iterdir():
            if claimed.is_file() and time.time() - claimed.stat().st_mtime > 60:
                self._accept_claimed(claimed, claimed.name.split("-", 1)[-1])

    def watch(
        self, rescan_seconds: float, polling: bool = False, stop: threading.Event | None = None
    ) -> None:
        """Scan on every file event, and every `rescan_seconds` regardless (events get lost)."""
        stop = stop or threading.Event()
        wake = threading.Event()
        observer = PollingObserver() if polling else Observer()
        observer.schedule(_Wake(wake), str(self.inbox))
        observer.start()
        try:
            while not stop.is_set():
                self.scan()
                due = self.tracker.seconds_to_next_check(time.monotonic())
                wake.wait(timeout=rescan_seconds if due is None else min(due + 0.01, rescan_seconds))
                wake.clear()
        finally:
            observer.stop()
            observer.join()


class _Wake(FileSystemEventHandler):
    def __init__(self, wake: threading.Event) -> None:
        self.wake = wake

    def on_any_event(self, event) -> None:
        self.wake.set()
