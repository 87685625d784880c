"""Reader processes: pages come back in order, a bad file keeps its reason, and a reader
that dies is reported instead of leaving the command waiting forever."""

import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from core.settings import Settings
from extractors import parallel
from extractors.loading import UnreadableInput
from extractors.parallel import PageReaders
from tests.helpers.faxes import make_fax


@pytest.fixture
def typed_fax(tmp_path: Path) -> Path:
    return make_fax(tmp_path, "born_digital", "fine", seed=8)[0]


def test_pages_come_back_in_order_and_a_bad_file_keeps_its_reason(tmp_path: Path, typed_fax: Path):
    fake = tmp_path / "fake.tif"
    fake.write_bytes(b"II*\x00 truncated")
    with PageReaders(Settings(), 2) as readers:
        good, bad, missing = (
            readers.queue(typed_fax),
            readers.queue(fake),
            readers.queue(tmp_path / "none.pdf"),
        )
        assert [page.number for page in good.read()] == list(range(1, len(good.pages) + 1))
        with pytest.raises(UnreadableInput):
            bad.read()
        with pytest.raises(FileNotFoundError):
            missing.read()


def test_a_reader_that_dies_is_reported(monkeypatch, typed_fax: Path):
    monkeypatch.setattr(parallel, "read_page", lambda *args: os._exit(9))  # readers fork with it
    with PageReaders(Settings(), 1) as readers, pytest.raises(BrokenProcessPool):
        readers.queue(typed_fax).read()
