import io
import json
import logging

import pytest

from faxintake.logs import configure_logging, log_context


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
