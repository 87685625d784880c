"""Faxes for tests: the generator's packets with their truth, the contract's schema, and
the patient data a test must never find in logs."""

from __future__ import annotations

import json
from pathlib import Path

from core.settings import Settings
from rules.engine import load_rules
from samples.packets import PacketMaker, save
from tests.conftest import TODAY

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "core" / "result.schema.json").read_text())


def make_fax(
    folder: Path, fmt: str, mode: str, scenario: str = "records", seed: int = 11
) -> tuple[Path, dict]:
    maker = PacketMaker(seed, "all", TODAY)
    packet = maker.packet(scenario)
    packet.format, packet.mode = fmt, mode
    if fmt == "png":  # one image, one page
        packet.documents = [d for d in packet.documents if d.type != "fax_cover"][:1]
    path = save(maker, packet, folder / f"{fmt}-{mode}", load_rules(Settings().rules_file))
    return path, json.loads((folder / f"{path.stem}.truth.json").read_text())


def patient_data(truth: dict) -> set[str]:
    """Names (each part), DOBs and member ids of every document in a truth file."""
    found = set()
    for doc in truth["documents"]:
        fields = {key: value["value"] for key, value in doc["fields"].items()}
        found |= {part for part in str(fields.get("patient_name", "")).split() if len(part) > 2}
        found |= {str(fields[k]) for k in ("patient_dob", "member_id", "mrn") if k in fields}
    return found
