import os
import threading
import time
from pathlib import Path

import pytest

from intake.accept import Accepted
from intake.dropfolder import Backoff, DropFolder, StabilityTracker, is_candidate


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_partial_and_hidden_names_are_never_taken():
    for name in ["fax.pdf.part", "fax.filepart", "x.tmp", ".hidden.pdf", "fax.pdf~"]:
        assert not is_candidate(Path(name))
    assert is_candidate(Path("fax00042.tif"))


def test_a_file_is_ready_only_after_a_quiet_period():
    tracker = StabilityTracker(quiet_seconds=2)
    f = Path("a.tif")
    assert not tracker.ready(f, 100, 1.0, now=0)
    assert not tracker.ready(f, 200, 2.0, now=1)  # still growing
    assert not tracker.ready(f, 200, 2.0, now=2)
    assert tracker.ready(f, 200, 2.0, now=3.1)


class FakeAccept:
    def __init__(self, failing: set[str]):
        self.failing, self.seen = failing, []

    def __call__(self, data: bytes, name: str) -> Accepted:
        self.seen.append((name, data))
        if name in self.failing:
            return Accepted(len(self.seen), "failed", "not a PDF, TIFF, PNG or JPEG file")
        return Accepted(len(self.seen), "queued")


def test_scan_takes_stable_files_and_quarantines_unreadable_ones(tmp_path, clock):
    accept = FakeAccept({"junk.pdf"})
    folder = DropFolder(tmp_path / "inbox", tmp_path / "quarantine", accept, 1, clock)
    (tmp_path / "inbox" / "good.tif").write_bytes(b"II*\x00tiff")
    (tmp_path / "inbox" / "junk.pdf").write_bytes(b"junk")
    (tmp_path / "inbox" / "coming.pdf.part").write_bytes(b"%PDF")
    assert folder.scan() == []
    clock.now = 5
    taken = folder.scan()
    assert [a.status for a in taken] == ["queued", "failed"]
    assert sorted(p.name for p in (tmp_path / "inbox").iterdir()) == [".faxintake-working", "coming.pdf.part"]
    quarantined = sorted(p.name for p in (tmp_path / "quarantine").iterdir())
    assert quarantined == ["2-junk.pdf", "2-junk.pdf.reason.txt"]
    assert "not a PDF" in (tmp_path / "quarantine" / "2-junk.pdf.reason.txt").read_text()
    assert accept.seen[0] == ("good.tif", b"II*\x00tiff")


def test_a_claim_left_by_a_dead_watcher_is_taken_on_the_next_scan(tmp_path):
    accept = FakeAccept(set())
    folder = DropFolder(tmp_path / "inbox", tmp_path / "quarantine", accept, quiet_seconds=1)
    stale = folder.working / "123-fax.pdf"  # claimed at 123 ns after the epoch
    stale.write_bytes(b"%PDF")
    folder.scan()
    assert accept.seen == [("fax.pdf", b"%PDF")] and not stale.exists()


def test_claims_left_beside_the_inbox_by_an_older_version_are_taken(tmp_path):
    old = tmp_path / ".inbox-working"
    old.mkdir()
    (old / "123-fax.pdf").write_bytes(b"%PDF")
    accept = FakeAccept(set())
    DropFolder(tmp_path / "inbox", tmp_path / "quarantine", accept, quiet_seconds=1).scan()
    assert accept.seen == [("fax.pdf", b"%PDF")]


def test_the_watcher_looks_again_when_the_first_file_waiting_is_due():
    tracker = StabilityTracker(quiet_seconds=2)
    assert tracker.seconds_to_next_check(now=0) is None
    tracker.ready(Path("a.tif"), 100, 1.0, now=10)
    tracker.ready(Path("b.tif"), 100, 1.0, now=11)
    assert tracker.seconds_to_next_check(now=11) == 1
    assert tracker.seconds_to_next_check(now=13) == 0


def test_a_file_gone_before_it_was_due_is_no_longer_waited_for(tmp_path, clock):
    folder = DropFolder(tmp_path / "inbox", tmp_path / "quarantine", FakeAccept(set()), 1, clock)
    (tmp_path / "inbox" / "gone.tif").write_bytes(b"II*\x00")
    folder.scan()
    (tmp_path / "inbox" / "gone.tif").unlink()
    clock.now = 0.5
    folder.scan()
    assert folder.tracker.seconds_to_next_check(now=5) is None


def test_each_file_is_judged_by_when_it_was_looked_at_not_when_the_scan_began(tmp_path, clock):
    """A slow accept of one file (a burst) must not make another, still growing, look quiet."""
    inbox = tmp_path / "inbox"
    growing = inbox / "b.pdf"

    def slow_accept(data: bytes, name: str) -> Accepted:
        clock.now += 10  # accepting a.pdf takes a while; meanwhile b.pdf grows
        with growing.open("ab") as fh:
            fh.write(b"more")
        return Accepted(1, "queued")

    folder = DropFolder(inbox, tmp_path / "quarantine", slow_accept, 1, clock)
    (inbox / "a.pdf").write_bytes(b"%PDF a")
    growing.write_bytes(b"%PDF b")
    folder.scan()
    clock.now = 5
    assert len(folder.scan()) == 1  # a.pdf; b.pdf was seen changed at 15
    clock.now = 15.5
    assert folder.scan() == [] and growing.exists()  # quiet for 0.5 s only


def test_a_file_written_to_while_being_taken_goes_back_instead_of_to_quarantine(tmp_path, clock):
    def writer_still_at_it(data: bytes, name: str) -> Accepted:
        claimed = next((tmp_path / "inbox" / ".faxintake-working").iterdir())
        time.sleep(0.01)
        with claimed.open("ab") as fh:  # the writer's open file moved with the claim
            fh.write(b"%%EOF")
        return Accepted(1, "failed", "truncated PDF (no end-of-file marker)")

    folder = DropFolder(tmp_path / "inbox", tmp_path / "quarantine", writer_still_at_it, 1, clock)
    (tmp_path / "inbox" / "slow.pdf").write_bytes(b"%PDF half")
    folder.scan()
    clock.now = 5
    folder.scan()
    assert (tmp_path / "inbox" / "slow.pdf").read_bytes() == b"%PDF half%%EOF"
    assert list((tmp_path / "quarantine").iterdir()) == []


def test_a_quarantined_file_written_to_afterwards_is_taken_again(tmp_path, clock):
    accept = FakeAccept({"late.pdf"})
    folder = DropFolder(tmp_path / "inbox", tmp_path / "quarantine", accept, 1, clock)
    (tmp_path / "inbox" / "late.pdf").write_bytes(b"%PDF half")
    folder.scan()
    clock.now = 5
    folder.scan()
    quarantined = tmp_path / "quarantine" / "1-late.pdf"
    time.sleep(0.01)
    with quarantined.open("ab") as fh:
        fh.write(b" rest %%EOF")
    accept.failing.clear()
    folder.scan()  # back in the inbox, to be taken once quiet
    assert not quarantined.exists() and (tmp_path / "inbox" / "late.pdf").exists()
    clock.now = 10
    assert [a.status for a in folder.scan()] == ["queued"]
    assert accept.seen[-1] == ("late.pdf", b"%PDF half rest %%EOF")


def test_the_working_folder_is_on_the_inbox_filesystem_and_quarantine_may_be_elsewhere(tmp_path, clock):
    other = Path("/dev/shm")
    if not other.is_dir() or other.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second filesystem at /dev/shm")
    quarantine = other / f"faxintake-test-{os.getpid()}-{time.time_ns()}"
    try:
        folder = DropFolder(tmp_path / "inbox", quarantine, FakeAccept({"junk.pdf"}), 1, clock)
        assert folder.working.stat().st_dev == folder.inbox.stat().st_dev
        (tmp_path / "inbox" / "junk.pdf").write_bytes(b"junk")
        folder.scan()
        clock.now = 5
        assert [a.status for a in folder.scan()] == ["failed"]
        assert (quarantine / "1-junk.pdf").read_bytes() == b"junk"
        assert list(folder.working.iterdir()) == []
    finally:
        for leftover in quarantine.glob("*"):
            leftover.unlink()
        quarantine.rmdir()


def test_a_failing_backend_leaves_the_file_claimed_and_it_is_taken_once_back(tmp_path, clock):
    outage = {"on": True}
    taken = []

    def accept(data: bytes, name: str) -> Accepted:
        if outage["on"]:
            raise ConnectionError("database unreachable")
        taken.append(name)
        return Accepted(1, "queued")

    folder = DropFolder(tmp_path / "inbox", tmp_path / "quarantine", accept, 1, clock)
    (tmp_path / "inbox" / "fax.tif").write_bytes(b"II*\x00")
    folder.scan()
    clock.now = 5
    assert folder.scan() == []  # claimed, not accepted, not lost
    (claimed,) = folder.working.iterdir()
    os.rename(claimed, folder.working / f"{time.time_ns() - 61 * 10**9}-fax.tif")  # a minute on
    clock.now = 100
    folder.scan()  # still down: the next try waits for its backoff
    outage["on"] = False
    clock.now = 100.5
    folder.scan()
    assert taken == []
    clock.now = 103
    folder.scan()
    assert taken == ["fax.tif"] and list(folder.working.iterdir()) == []


def test_backoff_doubles_to_a_minute_and_resets():
    backoff = Backoff()
    assert [backoff.failed() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    backoff.succeeded()
    assert backoff.failed() == 1


def test_the_watcher_survives_any_error_and_keeps_beating(tmp_path):
    calls = {"scans": 0, "beats": 0}

    class BrokenFolder(DropFolder):
        def scan(self):
            calls["scans"] += 1
            if calls["scans"] < 3:
                raise TypeError("Missing dimensions")  # what a damaged TIFF raised once
            return super().scan()

    def heartbeat():
        calls["beats"] += 1
        raise ConnectionError("redis away")

    folder = BrokenFolder(tmp_path / "inbox", tmp_path / "quarantine", FakeAccept(set()), 0.1)
    stop = threading.Event()
    watcher = threading.Thread(
        target=folder.watch, args=(0.1,), kwargs={"stop": stop, "heartbeat": heartbeat}
    )
    watcher.start()
    deadline = time.monotonic() + 10
    while calls["scans"] < 5 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert watcher.is_alive() and calls["scans"] >= 5 and calls["beats"] >= 5
    stop.set()
    watcher.join(timeout=5)


def test_a_truncated_multi_page_tiff_is_quarantined_with_its_reason(tmp_path, services, clock):
    from io import BytesIO

    from PIL import Image

    from intake.watching import drop_folder

    pages = [Image.new("1", (1728, 2200), 1) for _ in range(3)]
    buffer = BytesIO()
    pages[0].save(buffer, format="TIFF", compression="group4", save_all=True, append_images=pages[1:])
    folder = drop_folder(services)
    folder.clock = clock
    (folder.inbox / "fax000123.tif").write_bytes(buffer.getvalue()[:846])  # cut in its second directory
    folder.scan()
    clock.now = 5
    assert [a.status for a in folder.scan()] == ["failed"]
    (reason,) = services.settings.quarantine.glob("*.reason.txt")
    assert "damaged TIFF image" in reason.read_text()
