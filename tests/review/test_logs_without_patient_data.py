"""A full run through intake, workers and review, logging at DEBUG: no patient data in the logs."""

import io
import json
import logging

from core.logs import configure_logging
from tests.helpers.faxes import patient_data
from tests.helpers.review import csrf_of, process_now, referral_fax


def test_a_full_run_logs_no_patient_data(services, login, tmp_path):
    stream = io.StringIO()
    configure_logging("DEBUG", stream)
    try:
        path = referral_fax(tmp_path / "in", seed=9)
        truth = json.loads(path.with_suffix("").with_suffix(".truth.json").read_text())
        fax_id = process_now(services, path, {"caller_id": "5125550199"})
        client = login("vera")
        name = next(
            d["fields"]["patient_name"]["value"] for d in truth["documents"] if "patient_name" in d["fields"]
        )
        client.get("/", params={"search": name})
        csrf = csrf_of(client.get(f"/faxes/{fax_id}").text)
        client.post(
            f"/faxes/{fax_id}/fields",
            data={"csrf": csrf, "document": 0, "key": "patient_name", "value": name},
        )
        client.post(f"/faxes/{fax_id}/request-info", data={"csrf": csrf})
    finally:
        logging.getLogger().handlers[:] = []
    text = stream.getvalue()
    assert '"fax_id": 1' in text
    for secret in patient_data(truth):
        assert secret.lower() not in text.lower(), f"patient data in the logs: {secret[:1]}..."
