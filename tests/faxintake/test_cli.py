"""The command as a user runs it: exit codes, one-line reasons, JSON Lines."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.faxes import make_fax
from tests.helpers.pages import fax_with_dark_pages


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "faxintake.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_unreadable_input_exits_2_with_one_line(tmp_path: Path):
    fake = tmp_path / "fax.pdf"
    fake.write_text("not a pdf")
    empty = tmp_path / "empty.tif"
    empty.write_bytes(b"")
    for path, reason in [
        (fake, "not a PDF"),
        (empty, "empty file"),
        (tmp_path / "missing.pdf", "no such file"),
    ]:
        done = run("process", str(path), "--json")
        assert done.returncode == 2
        assert reason in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert "Traceback" not in done.stderr and done.stdout == ""


def test_several_files_print_json_lines(tmp_path: Path):
    first, _ = make_fax(tmp_path, "born_digital", "fine", seed=3)
    second, _ = make_fax(tmp_path, "born_digital", "fine", seed=4)
    done = run("process", str(first), str(second), "--json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert [json.loads(line)["source"] for line in lines] == [str(first), str(second)]


def test_summary_without_json(tmp_path: Path):
    path, _ = make_fax(tmp_path, "born_digital", "fine", seed=3)
    done = run("process", str(path))
    assert done.returncode == 0 and "records_request" in done.stdout


def test_text_shows_words_with_boxes_and_confidences(tmp_path: Path):
    path, _ = make_fax(tmp_path, "fax_tiff", "fine", seed=5)
    done = run("text", str(path), "--json")
    assert done.returncode == 0, done.stderr
    page = json.loads(done.stdout)["pages"][0]
    assert page["text_source"] == "ocr" and page["ocr_confidence"] > 50
    text, left, top, width, height, confidence, line = page["words"][0]
    assert width > 0 and height > 0 and 0 <= confidence <= 100


def test_user_add_creates_the_first_admin(tmp_path, monkeypatch):
    import io

    from faxintake.cli import main
    from storage.db import make_engine, sessions
    from storage.models import User

    monkeypatch.setenv("FAXINTAKE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["user", "add", "boss", "--role", "admin"]) == 0
    with sessions(make_engine(f"sqlite:///{tmp_path}/faxintake.db"))() as session:
        assert session.query(User).filter_by(username="boss").one().role == "admin"


@pytest.mark.slow
def test_jobs_read_pages_in_parallel_and_print_results_in_order(tmp_path: Path):
    scanned, _ = make_fax(tmp_path, "fax_tiff", "fine", scenario="referral", seed=5)
    typed, _ = make_fax(tmp_path, "born_digital", "fine", seed=6)
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf")
    files = [str(scanned), str(fake), str(typed)]
    alone, together = run("process", "--json", *files), run("process", "--json", "--jobs", "2", *files)
    assert together.returncode == alone.returncode == 2
    assert "fake.pdf: not a PDF" in together.stderr and "Traceback" not in together.stderr
    assert [r["source"] for r in results(together)] == [str(scanned), str(typed)]
    assert results(together) == results(alone)


def results(done: subprocess.CompletedProcess) -> list[dict]:
    """Each printed result, without the time it was processed at."""
    return [
        {k: v for k, v in json.loads(line).items() if k != "received_at"} for line in done.stdout.splitlines()
    ]


def test_jobs_must_be_a_positive_number():
    done = run("process", "--jobs", "0", "x.pdf")
    assert done.returncode == 2 and "--jobs" in done.stderr


@pytest.mark.parametrize("degrees", ["-2", "90", "nan", "inf", "three"])
def test_samples_skew_must_be_degrees_askew(degrees):
    done = run("samples", "out", "--skew", degrees)
    assert done.returncode == 2 and "--skew" in done.stderr


def test_dark_pages_are_flagged_unreadable_on_a_processed_fax(tmp_path: Path, monkeypatch):
    """With the tesseract command, not the default (a worker reads them with it in
    tests/workers/test_jobs.py)."""
    monkeypatch.setenv("FAXINTAKE_OCR_ENGINE", "tesseract")
    done = run("process", str(fax_with_dark_pages(tmp_path / "dark.tif")), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    unreadable = [f["message"] for f in result["flags"] if f["code"] == "unreadable_page"]
    assert result["page_count"] == 5 and len(unreadable) == 3
    assert not any(message.startswith(("Page 1 ", "Page 4 ")) for message in unreadable)


def test_what_faxintake_writes_is_its_users_alone(tmp_path: Path):
    env = {**os.environ, "FAXINTAKE_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "faxintake.cli", "user", "add", "boss", "--role", "admin"],
        input="a long enough password\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    database = tmp_path / "data" / "faxintake.db"
    assert database.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
