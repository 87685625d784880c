import io
import json
import logging

import pytest

from core.logs import configure_logging, log_context


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    configure_logging("DEBUG", stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().handlers[:] = []


def test_each_line_is_json_with_the_fax_and_stage_in_hand(log_lines):
    log = logging.getLogger("faxintake.test")
    with log_context(fax_id=7, stage="page:2"):
        log.info("read", extra={"words": 120})
    log.info("idle")
    first, second = log_lines()
    assert (first["fax_id"], first["stage"], first["words"], first["msg"]) == (7, "page:2", 120, "read")
    assert (second["fax_id"], second["stage"]) == (None, None)


def test_rq_lines_get_the_fax_and_stage_from_the_job_id(log_lines):
    logging.getLogger("rq.worker").info("faxintake: Job OK (fax-12-page-3)")
    assert (log_lines()[0]["fax_id"], log_lines()[0]["stage"]) == (12, "page:3")


def test_exceptions_log_their_type_and_place_never_their_message(log_lines):
    try:
        raise ValueError("Maria Gonzalez 1957-03-09")
    except ValueError:
        logging.getLogger("faxintake.test").exception("failed")
    line = log_lines()[0]
    assert line["error"] == "ValueError" and "Gonzalez" not in json.dumps(line)


def test_a_traceback_rq_writes_into_its_message_is_cut_to_the_exception_type(log_lines):
    message = (
        "Worker w1: job fax-3-page-1: exception raised while executing (workers.jobs.read_pages)\n"
        'Traceback (most recent call last):\n  File "/srv/jobs.py", line 9, in read\n'
        "FileNotFoundError: [Errno 2] No such file: 'Maria Gonzalez referral.pdf'\n"
    )
    logging.getLogger("rq.worker").error(message)
    line = log_lines()[0]
    assert line["msg"].endswith("(workers.jobs.read_pages)") and line["error"] == "FileNotFoundError"
    assert (line["fax_id"], line["stage"]) == (3, "page:1") and "Gonzalez" not in json.dumps(line)


def test_watchdog_never_logs_file_names_and_uncaught_thread_errors_are_json(log_lines):
    import threading

    logging.getLogger("watchdog.observers.inotify_buffer").debug("in-event <FileCreatedEvent: Gonzalez.pdf>")

    def crash():
        raise RuntimeError("Maria Gonzalez")

    thread = threading.Thread(target=crash)
    thread.start()
    thread.join()
    (line,) = log_lines()
    assert line["error"] == "RuntimeError" and "Gonzalez" not in json.dumps(line)
