from datetime import timedelta

from faxintake.summary import status_text
from review.ops import _per_minute, _quantile, snapshot
from storage.models import Fax, utcnow
from tests.helpers.review import process_now, referral_fax


def test_the_snapshot_counts_pages_backlog_failures_and_times(services, tmp_path):
    fax_id = process_now(services, referral_fax(tmp_path / "in"))
    with services.sessions() as session:
        session.add(
            Fax(
                sha256="f" * 64,
                original_key="k",
                filename="x.pdf",
                source="drop_folder",
                status="failed",
                error="zero bytes",
                sender={},
                review_state="to_review",
            )
        )
        pages = session.get(Fax, fax_id).page_count
        session.commit()
    state = snapshot(services)
    assert sum(state.pages_per_minute_last_hour) == pages
    assert state.faxes == {"ready": 1, "failed": 1}
    assert state.review_waiting == 2
    assert state.end_to_end_p50 is not None and state.end_to_end_p95 >= state.end_to_end_p50
    assert state.failures[0]["reason"] == "zero bytes"
    assert state.backlog == {}
    text = status_text(state)
    assert "faxintake requeue" in text and "ready 1" in text


def test_minute_buckets_and_quantiles():
    now = utcnow()
    buckets = _per_minute(
        [now - timedelta(seconds=5), now - timedelta(minutes=10, seconds=1), now - timedelta(hours=2)], now
    )
    assert buckets[59] == 1 and buckets[49] == 1 and sum(buckets) == 2
    assert _quantile([], 0.5) is None and _quantile([3.0], 0.95) == 3.0
    assert _quantile([float(v) for v in range(1, 101)], 0.95) == 95.0


def test_the_backlog_counts_no_task_of_a_fax_that_has_ended(services, tmp_path):
    from intake.accept import accept
    from storage.models import Task
    from tests.helpers.faxes import make_fax

    path, _ = make_fax(tmp_path, "born_digital", "fine")
    fax_id = accept(services, path.read_bytes(), path.name, "drop_folder").fax_id
    assert snapshot(services).backlog["page"]["queued"] > 0
    with services.sessions() as session:  # a replaced job's row, left queued, on a fax now ready
        session.get(Fax, fax_id).status = "ready"
        session.commit()
        assert session.query(Task).filter_by(fax_id=fax_id, status="queued").count() > 0
    assert snapshot(services).backlog == {}
