"""HylaFAX's FaxRcvdCmd hook: `faxintake hylafax-rcvd QFILE DEVID COMMID MSG [CIDNUMBER [CIDNAME]]`."""

from __future__ import annotations

from pathlib import Path

from intake.accept import Accepted, accept
from workers.services import Services


def receive(
    services: Services, qfile: Path, devid: str, commid: str, msg: str, callid: list[str]
) -> Accepted:
    """Ingest a received TIFF with its caller id; the communication id makes re-runs harmless."""
    sender = {"device": devid, "commid": commid}
    if msg:
        sender["message"] = msg
    if callid:
        sender["caller_id"] = callid[0]
    if len(callid) > 1:
        sender["caller_name"] = callid[1]
    return accept(services, qfile.read_bytes(), qfile.name, "hylafax", sender, provider_fax_id=commid)
