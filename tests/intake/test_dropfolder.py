from pathlib import Path

from intake.accept import Accepted
from intake.dropfolder import DropFolder, StabilityTracker, is_candidate


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


def test_scan_takes_stable_files_and_quarantines_unreadable_ones(tmp_path):
    accept = FakeAccept({"junk.pdf"})
    folder = DropFolder(tmp_path / "inbox", tmp_path / "quarantine", accept, quiet_seconds=1)
    (tmp_path / "inbox" / "good.tif").write_bytes(b"II*\x00tiff")
    (tmp_path / "inbox" / "junk.pdf").write_bytes(b"junk")
    (tmp_path / "inbox" / "coming.pdf.part").write_bytes(b"%PDF")
    assert folder.scan(now=0) == []
    taken = folder.scan(now=5)
    assert [a.status for a in taken] == ["queued", "failed"]
    assert sorted(p.name for p in (tmp_path / "inbox").iterdir()) == ["coming.pdf.part"]
    quarantined = sorted(p.name for p in (tmp_path / "quarantine").iterdir())
    assert quarantined == ["2-junk.pdf", "2-junk.pdf.reason.txt"]
    assert "not a PDF" in (tmp_path / "quarantine" / "2-junk.pdf.reason.txt").read_text()
    assert accept.seen[0] == ("good.tif", b"II*\x00tiff")


def test_a_claim_left_by_a_dead_watcher_is_taken_on_the_next_scan(tmp_path):
    import os

    accept = FakeAccept(set())
    folder = DropFolder(tmp_path / "inbox", tmp_path / "quarantine", accept, quiet_seconds=1)
    stale = folder.working / "123-fax.pdf"
    stale.write_bytes(b"%PDF")
    os.utime(stale, (0, 0))
    folder.scan(now=0)
    assert accept.seen == [("fax.pdf", b"%PDF")] and not stale.exists()


def test_the_watcher_looks_again_when_the_first_file_waiting_is_due():
    tracker = StabilityTracker(quiet_seconds=2)
    assert tracker.seconds_to_next_check(now=0) is None
    tracker.ready(Path("a.tif"), 100, 1.0, now=10)
    tracker.ready(Path("b.tif"), 100, 1.0, now=11)
    assert tracker.seconds_to_next_check(now=11) == 1
    assert tracker.seconds_to_next_check(now=13) == 0


def test_a_file_gone_before_it_was_due_is_no_longer_waited_for(tmp_path):
    folder = DropFolder(tmp_path / "inbox", tmp_path / "quarantine", FakeAccept(set()), quiet_seconds=1)
    (tmp_path / "inbox" / "gone.tif").write_bytes(b"II*\x00")
    folder.scan(now=0)
    (tmp_path / "inbox" / "gone.tif").unlink()
    folder.scan(now=0.5)
    assert folder.tracker.seconds_to_next_check(now=5) is None
