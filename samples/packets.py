"""Assemble documents into fax packets, plant defects, write files and their ground truth."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import img2pdf
from PIL import Image
from pypdf import PdfReader, PdfWriter

from rules.engine import Rule
from rules.truth import expected_flags
from samples.degrade import fax_page, header_line
from samples.documents import BUILDERS, Built, Context, blank
from samples.layout import FONT_FAMILIES
from samples.render import born_digital_pdf, raster
from samples.synthetic import Synth, npi
from samples.wording import Wording

SCENARIOS = {  # name: (weight, document types in order; "?" marks optional)
    "referral": (
        8,
        [
            "fax_cover?",
            "referral",
            "clinical_notes?",
            "clinical_notes?",
            "insurance_card?",
            "demographics?",
            "lab_result?",
            "imaging_report?",
        ],
    ),
    "prior_auth": (3, ["fax_cover?", "prior_auth", "clinical_notes?"]),
    "consult": (2, ["fax_cover?", "consult_report", "lab_result?"]),
    "results": (3, ["fax_cover?", "lab_result", "imaging_report?"]),
    "imaging": (2, ["fax_cover?", "imaging_report"]),
    "records": (2, ["fax_cover?", "records_request"]),
    "registration": (2, ["fax_cover?", "demographics", "insurance_card"]),
    "misc": (1, ["fax_cover?", "other"]),
    # asked for by name only (weight 0), so the mix the model was trained on stays as it is
    "appointment": (0, ["fax_cover?", "appointment_confirmation"]),
}
REFERRAL_REQUIRED = [
    "patient_name",
    "patient_dob",
    "insurance_payer",
    "member_id",
    "referring_provider",
    "referring_npi",
    "diagnosis_codes",
    "referred_to_specialty",
    "reason_for_referral",
]
FORMATS = ["fax_pdf", "fax_tiff", "born_digital", "fax_pdf", "fax_tiff", "png", "mixed_pdf"]


@dataclass
class Packet:
    documents: list[Built] = field(default_factory=list)
    format: str = "fax_pdf"
    mode: str = "fine"
    text_layer_docs: set[int] = field(default_factory=set)  # documents written born digital
    skew: float = 0.0  # degrees each fax page is fed further askew, either way

    @property
    def page_count(self) -> int:
        return sum(len(d.pages) for d in self.documents)


class PacketMaker:
    def __init__(self, seed: int, split: str, today: date, skew: float = 0.0) -> None:
        self.synth = Synth(seed)
        self.rng = self.synth.rng
        self.wording = Wording(self.rng, split)
        self.today = today
        self.skew = skew

    def packet(self, scenario: str | None = None) -> Packet:
        rng = self.rng
        names = list(SCENARIOS)
        scenario = scenario or rng.choices(names, weights=[SCENARIOS[n][0] for n in names])[0]
        types = [t.rstrip("?") for t in SCENARIOS[scenario][1] if not t.endswith("?") or rng.random() < 0.5]
        case = self.synth.case(self.today)
        family = self.wording.pick(FONT_FAMILIES)
        omit, invalid_npi = self._defects(types)
        packet = Packet(
            format=rng.choice(FORMATS), mode=rng.choice(["fine", "fine", "standard"]), skew=self.skew
        )
        for doc_type in types:
            if doc_type == "fax_cover":
                continue
            ctx = Context(
                rng,
                self.wording,
                case,
                family,
                omit if doc_type == "referral" else set(),
                invalid_npi=invalid_npi,
            )
            packet.documents.append(BUILDERS[doc_type](ctx))
        if rng.random() < 0.06:
            packet.documents.append(blank(Context(rng, self.wording, case, family)))
        if "fax_cover" in types:
            total = packet.page_count + 1
            declared = total if rng.random() < 0.85 else total + rng.choice([-1, 1, 2])
            ctx = Context(rng, self.wording, case, family, declared_pages=max(1, declared))
            packet.documents.insert(0, BUILDERS["fax_cover"](ctx))
        return packet

    def _defects(self, types: list[str]) -> tuple[set[str], str]:
        omit: set[str] = set()
        if "referral" in types and self.rng.random() < 0.2:
            omit.add(self.rng.choice(REFERRAL_REQUIRED))
        invalid = npi(self.rng, valid=False) if self.rng.random() < 0.1 else ""
        return omit, invalid


def write_packet(packet: Packet, stem: Path, rng: random.Random, today: date) -> Path:
    """Write the fax file; return its path."""
    if packet.format == "born_digital":
        packet.text_layer_docs = set(range(len(packet.documents)))
        path = stem.with_suffix(".pdf")
        born_digital_pdf([p for d in packet.documents for p in d.pages], path)
        return path
    images = _fax_images(packet, rng, today)
    if packet.format == "mixed_pdf":
        path = stem.with_suffix(".pdf")
        _mixed_pdf(packet, images, path, rng)
        return path
    if packet.format == "png" and len(images) == 1:
        path = stem.with_suffix(".png")
        images[0].save(path, dpi=images[0].info["dpi"])
    elif packet.format in ("fax_tiff", "png"):
        path = stem.with_suffix(".tif")
        images[0].save(
            path, compression="group4", save_all=True, append_images=images[1:], dpi=images[0].info["dpi"]
        )
    else:
        path = stem.with_suffix(".pdf")
        path.write_bytes(_image_pdf(images))
    return path


def _fax_images(packet: Packet, rng: random.Random, today: date) -> list[Image.Image]:
    fax_number = f"{rng.randint(200, 999)}555{rng.randint(100, 199):04d}"
    when = (today - timedelta(minutes=rng.randint(0, 600))).strftime("%m/%d/%Y %H:%M")
    practice = rng.choice(["Westside Family Medicine", "Lakeview Primary Care", "Health Clinic"])
    images, total, number = [], packet.page_count, 0
    noise = rng.choice([0.0005, 0.001, 0.003])
    for doc in packet.documents:
        for spec in doc.pages:
            number += 1
            clean = _fed_askew(raster(spec, 204), rng, packet.skew)
            header = header_line(rng, when, fax_number, practice, number, total)
            page = fax_page(clean, rng, packet.mode, header, noise)
            if rng.random() < 0.03:
                dpi = page.info["dpi"]
                page = page.rotate(180)
                page.info["dpi"] = dpi
            images.append(page)
    return images


def _mixed_pdf(packet: Packet, images: list[Image.Image], path: Path, rng: random.Random) -> None:
    """Some documents born digital, some scanned, in one PDF (an EHR export with a scan)."""
    digital, scanned = BytesIO(), BytesIO(_image_pdf(images))
    born_digital_pdf([p for d in packet.documents for p in d.pages], digital)
    digital_pages, scanned_pages = PdfReader(digital).pages, PdfReader(scanned).pages
    writer, number = PdfWriter(), 0
    packet.text_layer_docs = {i for i in range(len(packet.documents)) if rng.random() < 0.5}
    for index, doc in enumerate(packet.documents):
        source = digital_pages if index in packet.text_layer_docs else scanned_pages
        for _ in doc.pages:
            writer.add_page(source[number])
            number += 1
    with path.open("wb") as fh:
        writer.write(fh)


def _image_pdf(images: list[Image.Image]) -> bytes:
    """Each page a CCITT G4 image stretched to letter size, as fax gateways deliver."""
    blobs = []
    for image in images:
        buffer = BytesIO()
        image.save(buffer, format="TIFF", compression="group4", dpi=image.info["dpi"])
        blobs.append(buffer.getvalue())
    layout = img2pdf.get_layout_fun((img2pdf.in_to_pt(8.5), img2pdf.in_to_pt(11)))
    return img2pdf.convert(blobs, layout_fun=layout, nodate=True)


def truth(packet: Packet, path: Path, today: date) -> dict:
    """The ground truth in the contract's shape (flags are added by the caller's rules)."""
    pages, documents, number = [], [], 0
    for index, doc in enumerate(packet.documents):
        numbers = list(range(number + 1, number + len(doc.pages) + 1))
        number = numbers[-1]
        source = "text_layer" if index in packet.text_layer_docs else "ocr"
        pages += [
            {"page": n, "type": doc.type, "text_source": source, "blank": spec.blank}
            for n, spec in zip(numbers, doc.pages, strict=True)
        ]
        fields = {k: {"value": v} for k, v in doc.fields.items()}
        documents.append({"type": doc.type, "pages": numbers, "fields": fields})
    return {
        "source": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "page_count": number,
        "format": packet.format,
        "generated_on": today.isoformat(),
        "mode": packet.mode,
        "pages": pages,
        "documents": documents,
    }


def _fed_askew(page: Image.Image, rng: random.Random, degrees: float) -> Image.Image:
    """The page turned `degrees` further either way (the fax machine adds its own up to 1.2);
    untouched, and the random sequence with it, when `degrees` is 0."""
    if not degrees:
        return page
    return page.rotate(rng.choice((-degrees, degrees)), resample=Image.Resampling.BILINEAR, fillcolor=255)


def generate(
    out: Path, count: int, seed: int, split: str, today: date, rules: list[Rule], skew: float = 0.0
) -> list[Path]:
    """Write `count` packets with `<name>.truth.json` beside each; return the fax paths.
    `skew`: degrees every fax page is fed further askew (see `_fed_askew`)."""
    out.mkdir(parents=True, exist_ok=True)
    maker = PacketMaker(seed, split, today, skew)
    return [save(maker, maker.packet(), out / f"fax-{seed}-{i:04d}", rules) for i in range(1, count + 1)]


def save(maker: PacketMaker, packet: Packet, stem: Path, rules: list[Rule]) -> Path:
    """Write one packet's fax file and its truth file; return the fax path."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    path = write_packet(packet, stem, maker.rng, maker.today)
    result = truth(packet, path, maker.today)
    result["flags"] = expected_flags(result, rules, maker.today)
    (stem.parent / f"{path.stem}.truth.json").write_text(json.dumps(result, indent=1))
    return path
