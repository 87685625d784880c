from fastapi.testclient import TestClient

from storage.models import Fax, Task
from tests.helpers.review import csrf_of


def test_metrics_show_work_state_and_review_backlog(app, fax_id):
    text = TestClient(app).get("/metrics").text
    for name in (
        "faxintake_pages_processed_total",
        'faxintake_stage_seconds_bucket{le="0.5",stage="classify"}',
        "faxintake_end_to_end_seconds_count",
        "faxintake_queue_jobs",
        "faxintake_workers",
        'faxintake_review_backlog{state="to_review"} 1.0',
        "faxintake_review_backlog_oldest_seconds",
    ):
        assert name in text, name


def test_metrics_can_require_a_token(services, app):
    services.settings.metrics_token = "scrape-me"
    client = TestClient(app)
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-me"}).status_code == 200


def test_the_ops_page_shows_failures_and_reruns_one(services, login, fax_id):
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        fax.status, fax.error = "failed", "analyse failed: RuntimeError"
        session.commit()
    client = login("sup")
    page = client.get("/ops")
    assert page.status_code == 200 and "analyse failed: RuntimeError" in page.text and "<svg" in page.text
    rerun = client.post(f"/ops/rerun/{fax_id}", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert rerun.status_code == 303
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        assert fax.status == "queued" and fax.error is None
        assert session.query(Task).filter_by(fax_id=fax_id).count() > 0
    assert services.queue.fetch_job(f"fax-{fax_id}-prepare") is not None
