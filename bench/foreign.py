"""A foreign evaluation set: faxes made without any of `samples/` (its layouts, wordings,
renderer or noise), so that `faxintake eval` on them measures reading senders the pipeline
has never seen rather than memory of its own generator.

    python -m bench.foreign OUT [--count 30] [--seed 7]
    faxintake eval OUT

Each document is an HTML page in its own layout and wording, printed to PDF by Chromium,
rasterised by poppler, then faxed: levelled off by up to a degree, thresholded at a
random level, speckled, at fine or standard resolution, in a G4 TIFF. Truth files are in
`samples/`' shape (page types, documents, fields in the contract's normal form, and the
flags the default rules raise on those true fields)."""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from faker import Faker
from jinja2 import Environment
from pdf2image import convert_from_bytes
from PIL import Image, ImageChops, ImageDraw, ImageFont

from core.settings import Settings
from rules.engine import load_rules
from rules.truth import expected_flags

TEMPLATES = Path(__file__).parent / "foreign_templates"
FONTS = [
    "Liberation Serif",
    "DejaVu Sans Condensed",
    "Liberation Mono",
    "DejaVu Serif",
    "Liberation Sans Narrow",
]
PAYERS = [
    "Cascade Mutual Health",
    "Prairie State Care Plan",
    "Keystone Allied Benefits",
    "Harborview Health Plan",
]
PRACTICES = ["Family Practice", "Internal Medicine Group", "Health Center"]
SPECIALTIES = ["dermatology", "orthopedics", "neurology", "endocrinology", "gastroenterology", "urology"]
REASONS = {
    "dermatology": ("L82.1", "Changing pigmented lesion on the left shoulder"),
    "orthopedics": ("M17.11", "Right knee osteoarthritis not helped by injections"),
    "neurology": ("G43.909", "Migraines increasing in frequency despite prophylaxis"),
    "endocrinology": ("E05.90", "Suppressed TSH with palpitations and weight loss"),
    "gastroenterology": ("K21.9", "Reflux symptoms despite twelve weeks of PPI"),
    "urology": ("N40.1", "Enlarged prostate with nocturia"),
}
TODAY = date(2026, 12, 1)
STAMP_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


@dataclass
class Document:
    kind: str  # a contract document type
    template: str
    truth: dict[str, object] = field(default_factory=dict)


def npi(rng: random.Random) -> str:
    """A valid NPI: nine digits and the Luhn check digit over 80840 and them."""
    body = "1" + "".join(str(rng.randrange(10)) for _ in range(8))
    digits = [int(d) for d in "80840" + body]
    total = sum(d if i % 2 else (2 * d if 2 * d < 10 else 2 * d - 9) for i, d in enumerate(reversed(digits)))
    return body + str((10 - total % 10) % 10)


def person(fake: Faker) -> dict[str, str]:
    first, last = fake.first_name(), fake.last_name()
    dob = fake.date_of_birth(minimum_age=18, maximum_age=90)
    return {"first": first, "last": last, "name": f"{first} {last}", "dob": dob.isoformat(), "dob_date": dob}


def values(rng: random.Random, fake: Faker) -> dict:
    """One patient, one sender and their numbers, in several printed forms."""
    patient, doctor = person(fake), person(fake)
    specialty = rng.choice(SPECIALTIES)
    code, reason = REASONS[specialty]
    phone = f"{rng.randrange(201, 989)}555{rng.randrange(1000, 9999)}"
    fax = f"{phone[:3]}555{rng.randrange(1000, 9999)}"
    start = TODAY + timedelta(days=rng.randrange(1, 20))
    return {
        "patient": patient,
        "doctor": doctor,
        "dob_us": patient["dob_date"].strftime("%m/%d/%Y"),
        "dob_long": patient["dob_date"].strftime("%B %-d, %Y"),
        "payer": rng.choice(PAYERS),
        "member_id": rng.choice("XKWQ") + rng.choice("ABH") + str(rng.randrange(10**8, 10**9)),
        "npi": npi(rng),
        "specialty": specialty,
        "code": code,
        "reason": reason,
        "phone": phone,
        "fax": fax,
        "phone_printed": f"({phone[:3]}) {phone[3:6]}-{phone[6:]}",
        "fax_printed": f"{fax[:3]}.{fax[3:6]}.{fax[6:]}",
        "clinic": f"{fake.last_name()} {rng.choice(PRACTICES)}",
        "urgency": rng.choice(["routine", "urgent", "stat"]),
        "auth_number": f"UM{rng.randrange(10**7, 10**8)}",
        "auth_status": rng.choice(["approved", "denied"]),
        "valid_from": start,
        "valid_to": start + timedelta(days=90),
        "cpt": rng.choice(["73721", "72148", "95810", "45378"]),
        "service_date": TODAY - timedelta(days=rng.randrange(2, 30)),
        "font": rng.choice(FONTS),
        **_card_values(rng),
        **_registration_values(rng, fake, patient),
        "dob_dashed": patient["dob_date"].strftime("%m-%d-%Y"),
        "specialist": person(fake)["name"],
        "specialist_practice": f"{fake.last_name()} {specialty.title()} Associates",
        "specialist_phone": f"{rng.randrange(201, 989)}-555-{rng.randrange(1000, 9999)}",
    }


def _card_values(rng: random.Random) -> dict:
    return {
        "group_number": str(rng.randrange(10**5, 10**7)),
        "rx_bin": str(rng.randrange(10**5, 10**6)),
        "rx_pcn": rng.choice(["ADV", "MEDDPRIME", "RXCVS", "9999"]),
        "rx_grp": f"RX{rng.randrange(1000, 9999)}",
        "copay_pcp": rng.choice([15, 20, 25, 30]),
        "copay_spec": rng.choice([40, 50, 60]),
        "member_services": rng.randrange(1000, 9999),
        "provider_line": rng.randrange(1000, 9999),
        "po_box": rng.randrange(1000, 99999),
    }


def _registration_values(rng: random.Random, fake: Faker, patient: dict) -> dict:
    phone = f"{rng.randrange(201, 989)}555{rng.randrange(1000, 9999)}"
    sex = rng.choice(["F", "M"])
    return {
        "sex": sex,
        "sex_word": {"F": "Female", "M": "Male"}[sex],
        "patient_phone": phone,
        "patient_phone_printed": f"{phone[:3]}-{phone[3:6]}-{phone[6:]}",
        "street": fake.street_address(),
        "city_line": f"{fake.city()}, {fake.state_abbr()} {fake.zipcode()}",
        "mrn": f"{rng.choice('CHM')}{rng.randrange(10**5, 10**7)}",
    }


def documents(rng: random.Random, v: dict) -> list[Document]:
    """A cover sheet (most of the time) and one or two documents, each with every contract
    field it prints in its truth (the contract reports a field only where it is printed)."""
    patient = {"patient_name": v["patient"]["name"], "patient_dob": v["patient"]["dob"]}
    sender = {"referring_phone": v["phone"], "referring_fax": v["fax"], "referring_npi": v["npi"]}
    referral = {**patient, **sender, "referred_to_specialty": v["specialty"], "diagnosis_codes": [v["code"]]}
    authorised = {"auth_valid_from": v["valid_from"].isoformat(), "auth_valid_to": v["valid_to"].isoformat()}
    main = rng.choice(
        [
            Document(
                "referral",
                "consult_request.html",
                {
                    **referral,
                    "insurance_payer": v["payer"],
                    "member_id": v["member_id"],
                    "referring_provider": v["doctor"]["name"],
                    "reason_for_referral": v["reason"],
                    "urgency": v["urgency"],
                },
            ),
            Document(
                "referral",
                "referral_letter.html",
                {**referral, "referring_provider": f"{v['doctor']['name']}, MD"},
            ),
            Document(
                "prior_auth",
                "determination.html",
                {
                    **patient,
                    "insurance_payer": v["payer"],
                    "member_id": v["member_id"],
                    "auth_number": v["auth_number"],
                    "auth_status": v["auth_status"],
                    "procedure_codes": [v["cpt"]],
                    **(authorised if v["auth_status"] == "approved" else {}),
                },
            ),
            Document(
                "prior_auth",
                "pa_request.html",
                {
                    **patient,
                    "insurance_payer": v["payer"],
                    "member_id": v["member_id"],
                    "referring_npi": v["npi"],
                    "procedure_codes": [v["cpt"]],
                    "diagnosis_codes": [v["code"]],
                },
            ),
            Document(
                "consult_report",
                "consult_report.html",
                {**patient, "service_date": v["service_date"].isoformat(), "diagnosis_codes": [v["code"]]},
            ),
        ]
    )
    service = {"service_date": v["service_date"].isoformat()}
    docs = [main]
    if rng.random() < 0.6:
        docs.append(
            rng.choice(
                [
                    Document("lab_result", "lab_report.html", {**patient, **service}),
                    Document("imaging_report", "imaging_report.html", {**patient, **service}),
                    Document("clinical_notes", "visit_note.html", dict(patient)),
                    Document("insurance_card", "insurance_card.html", _card_truth(v)),
                    Document("demographics", "registration.html", _registration_truth(v)),
                ]
            )
        )
    if rng.random() < 0.8:
        cover = {"to_name": "Specialty Scheduling", "from_name": v["clinic"], "from_phone": v["phone"]}
        cover |= {"from_fax": v["fax"], "cover_page_count": len(docs) + 1}
        docs.insert(0, Document("fax_cover", "transmittal.html", cover))
    return docs


def _card_truth(v: dict) -> dict:
    return {
        "patient_name": f"{v['patient']['first']} {v['patient']['last']}".upper(),
        "insurance_payer": v["payer"],
        "member_id": v["member_id"],
        "group_number": v["group_number"],
    }


def _registration_truth(v: dict) -> dict:
    return {
        "patient_name": v["patient"]["name"],
        "patient_dob": v["patient"]["dob"],
        "patient_sex": v["sex"],
        "patient_phone": v["patient_phone"],
        "patient_address": f"{v['street']}, {v['city_line']}",
        "mrn": v["mrn"],
        "insurance_payer": v["payer"],
        "member_id": v["member_id"],
        "group_number": v["group_number"],
    }


def faxed(page: Image.Image, rng: random.Random, standard: bool) -> Image.Image:
    """A rendered page as a fax machine would send it: askew (now and then by up to 5
    degrees), sometimes stamped on receipt or faint, thresholded at a random level, speckled
    lightly or heavily, now and then with a scanner's streak down the page, at fine or
    standard resolution."""
    tilt = rng.uniform(-5, 5) if rng.random() < 0.2 else rng.uniform(-1, 1)
    grey = page.convert("L")
    if rng.random() < 0.25:
        grey = _stamped(grey, rng)
    grey = grey.rotate(tilt, resample=Image.Resampling.BILINEAR, fillcolor=255)
    pixels = np.asarray(grey).astype(np.int16)
    if rng.random() < 0.2:  # a faint original: light strokes break at the threshold
        pixels = 255 - (255 - pixels) * 6 // 10  # black prints at 102, greys lighter
    ink = pixels < rng.randrange(120, 190)
    noise = np.random.default_rng(rng.randrange(2**32)).random(ink.shape)
    ink ^= noise < (rng.uniform(0.005, 0.015) if rng.random() < 0.25 else rng.uniform(0.0005, 0.003))
    if rng.random() < 0.25:
        for _ in range(rng.randrange(1, 3)):
            x = rng.randrange(ink.shape[1])
            ink[:, x : x + rng.randrange(1, 4)] = True
    bits = Image.fromarray(~ink).convert("1")
    if standard:
        bits = bits.resize((bits.width, bits.height // 2), Image.Resampling.NEAREST)
    return bits


def _stamped(grey: Image.Image, rng: random.Random) -> Image.Image:
    """A receipt stamp in grey ink, turned a little, over the top right of the page."""
    stamp = Image.new("L", (520, 200), 255)
    draw = ImageDraw.Draw(stamp)
    draw.rectangle((4, 4, 515, 195), outline=70, width=6)
    font = ImageFont.truetype(STAMP_FONT, 54)
    draw.text((30, 20), "RECEIVED", fill=70, font=font)
    draw.text((30, 105), TODAY.strftime("%b %d %Y").upper(), fill=70, font=font)
    turned = stamp.rotate(rng.uniform(-15, 15), expand=True, fillcolor=255)
    stamped = grey.copy()
    place = (grey.width - turned.width - rng.randrange(40, 300), rng.randrange(60, 400))
    stamped.paste(
        ImageChops.darker(grey.crop((*place, place[0] + turned.width, place[1] + turned.height)), turned),
        place,
    )
    return stamped


def make(out: Path, count: int, seed: int) -> None:
    from playwright.sync_api import sync_playwright

    rng, fake = random.Random(seed), Faker("en_US")
    rules = load_rules(Settings().rules_file)  # the flags the default rules raise on the truth
    fake.seed_instance(seed)
    jinja = Environment(autoescape=True)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        tab = browser.new_page()
        for number in range(1, count + 1):
            v = values(rng, fake)
            docs = documents(rng, v)
            standard = rng.random() < 0.3
            pages, truth_pages, truth_docs = [], [], []
            for doc in docs:
                html = jinja.from_string((TEMPLATES / doc.template).read_text()).render(v=v, pages=len(docs))
                tab.set_content(html)
                rendered = convert_from_bytes(
                    tab.pdf(format="Letter", print_background=True), dpi=204, grayscale=True
                )
                first = len(pages) + 1
                pages += [faxed(p, rng, standard) for p in rendered]
                numbers = list(range(first, len(pages) + 1))
                truth_pages += [{"page": n, "type": doc.kind} for n in numbers]
                truth_docs.append(
                    {
                        "type": doc.kind,
                        "pages": numbers,
                        "fields": {k: {"value": x} for k, x in doc.truth.items()},
                    }
                )
            name = f"foreign-{seed}-{number:04d}.tif"
            dpi = (204, 98) if standard else (204, 196)
            pages[0].save(out / name, compression="group4", save_all=True, append_images=pages[1:], dpi=dpi)
            truth = {
                "source": name,
                "generated_on": TODAY.isoformat(),
                "pages": truth_pages,
                "documents": truth_docs,
            }
            truth["flags"] = expected_flags(truth, rules, TODAY)
            (out / f"foreign-{seed}-{number:04d}.truth.json").write_text(json.dumps(truth, indent=1))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    make(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()
