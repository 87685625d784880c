"""Synthetic people, payers, providers and real codes. Every value here is made up."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

DIAGNOSES = {
    "I10": "Essential hypertension",
    "E11.9": "Type 2 diabetes without complications",
    "E11.65": "Type 2 diabetes with hyperglycemia",
    "E78.5": "Hyperlipidemia",
    "I48.91": "Atrial fibrillation",
    "M54.50": "Low back pain",
    "M54.16": "Lumbar radiculopathy",
    "G89.29": "Other chronic pain",
    "J45.909": "Asthma",
    "K21.9": "GERD",
    "N18.30": "Chronic kidney disease stage 3",
    "I50.9": "Heart failure",
    "R07.9": "Chest pain",
    "R00.2": "Palpitations",
    "K58.9": "Irritable bowel syndrome",
    "R10.9": "Abdominal pain",
    "M17.11": "Primary osteoarthritis, right knee",
    "M25.561": "Pain in right knee",
    "G43.909": "Migraine",
    "G47.33": "Obstructive sleep apnea",
    "E03.9": "Hypothyroidism",
    "E66.9": "Obesity",
    "J44.9": "COPD",
    "L40.0": "Psoriasis vulgaris",
    "M06.9": "Rheumatoid arthritis",
    "N40.1": "BPH with LUTS",
    "R31.9": "Hematuria",
    "D64.9": "Anemia",
    "F41.1": "Generalized anxiety disorder",
    "H81.10": "BPPV",
    "R42": "Dizziness",
    "K57.30": "Diverticulosis",
    "Z12.11": "Screening for colon cancer",
    "I25.10": "Coronary artery disease",
    "R51.9": "Headache",
    "M79.7": "Fibromyalgia",
    "E55.9": "Vitamin D deficiency",
}
PROCEDURES = {
    "93306": "Echocardiogram complete",
    "72148": "MRI lumbar spine w/o contrast",
    "99204": "New patient visit",
    "45378": "Colonoscopy",
    "70553": "MRI brain w/wo contrast",
    "73721": "MRI knee w/o contrast",
    "93000": "Electrocardiogram",
    "97110": "Therapeutic exercise",
    "29881": "Knee arthroscopy",
    "43239": "Upper GI endoscopy with biopsy",
    "95810": "Sleep study",
    "71046": "Chest x-ray 2 views",
    "74177": "CT abdomen and pelvis with contrast",
    "E0601": "CPAP device",
    "G0121": "Colorectal screening colonoscopy",
    "J1885": "Ketorolac injection",
}
SPECIALTIES = {
    "cardiology": ["I48.91", "I50.9", "R07.9", "R00.2", "I25.10", "I10"],
    "gastroenterology": ["K21.9", "K58.9", "R10.9", "K57.30", "Z12.11"],
    "orthopedics": ["M17.11", "M25.561", "M54.50", "M54.16"],
    "neurology": ["G43.909", "R51.9", "R42", "H81.10"],
    "pulmonology": ["J45.909", "J44.9", "G47.33"],
    "endocrinology": ["E11.9", "E11.65", "E03.9", "E66.9", "E55.9"],
    "nephrology": ["N18.30", "I10"],
    "dermatology": ["L40.0"],
    "rheumatology": ["M06.9", "M79.7"],
    "urology": ["N40.1", "R31.9"],
    "physical therapy": ["M54.50", "M25.561", "M54.16"],
    "hematology": ["D64.9"],
    "sleep medicine": ["G47.33"],
    "psychiatry": ["F41.1"],
}
SPECIALTY_PROCEDURES = {
    "cardiology": ["93306", "93000"],
    "gastroenterology": ["45378", "43239", "G0121"],
    "orthopedics": ["73721", "29881"],
    "neurology": ["70553"],
    "pulmonology": ["71046", "95810"],
    "physical therapy": ["97110"],
    "sleep medicine": ["95810", "E0601"],
}
REASONS = [
    "Evaluate {dx}",
    "Further evaluation and management of {dx}",
    "Consult for {dx}",
    "Please evaluate and treat {dx}",
    "{dx}, not improving with current therapy",
    "Second opinion regarding {dx}",
    "Worsening {dx} despite treatment",
]
PAYERS = [
    "Blue Cross Blue Shield of Texas",
    "Aetna",
    "UnitedHealthcare",
    "Cigna Healthcare",
    "Humana",
    "Medicare Part B",
    "Anthem Blue Cross",
    "Molina Healthcare",
    "Ambetter",
    "Oscar Health",
    "Kaiser Permanente",
    "Highmark BCBS",
    "Oxford Health Plans",
    "Tricare East",
    "Wellcare",
    "Centene Health Plan",
    "Priority Health",
    "Harvard Pilgrim",
]
CREDENTIALS = ["MD", "DO", "NP", "PA-C", "MD", "MD"]


def npi(rng: random.Random, valid: bool = True) -> str:
    """A 10-digit NPI whose check digit is right (or deliberately wrong)."""
    base = [rng.choice("12")] + [str(rng.randint(0, 9)) for _ in range(8)]
    check = npi_check_digit("".join(base))
    if not valid:
        check = (check + rng.randint(1, 9)) % 10
    return "".join(base) + str(check)


def npi_check_digit(first_nine: str) -> int:
    total = 24  # the Luhn contribution of the 80840 prefix
    for i, ch in enumerate(reversed(first_nine)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return (10 - total % 10) % 10


@dataclass
class Person:
    first: str
    middle: str
    last: str
    sex: str
    dob: date
    phone: str
    address: str

    @property
    def name(self) -> str:
        middle = f" {self.middle}." if self.middle else ""
        return f"{self.first}{middle} {self.last}"


@dataclass
class Provider:
    first: str
    last: str
    credential: str
    npi: str
    phone: str
    fax: str
    practice: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}, {self.credential}"


@dataclass
class Case:
    """Everything one packet talks about."""

    patient: Person
    mrn: str
    payer: str
    member_id: str
    group_number: str
    referring: Provider
    specialist: Provider
    specialty: str
    diagnoses: list[str]
    procedures: list[str]
    reason: str
    urgency: str
    auth_number: str
    auth_status: str
    auth_from: date
    auth_to: date
    service_date: date
    today: date
    extras: dict = field(default_factory=dict)


class Synth:
    """Seeded source of synthetic values."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)

    def phone(self) -> str:
        area = self.rng.choice([212, 312, 415, 512, 617, 713, 919, 303, 206, 404])
        return f"{area}555{self.rng.randint(100, 199):04d}"

    def person(self) -> Person:
        sex = self.rng.choice("FM")
        first = self.fake.first_name_female() if sex == "F" else self.fake.first_name_male()
        middle = self.rng.choice(["", self.fake.random_uppercase_letter()])
        fake = self.fake
        addr = f"{fake.street_address()}, {fake.city()}, {fake.state_abbr()} {fake.zipcode()}"
        dob = date(1935, 1, 1) + timedelta(days=self.rng.randint(0, 365 * 70))
        return Person(first, middle, self.fake.last_name(), sex, dob, self.phone(), addr)

    def provider(self, practice: str | None = None) -> Provider:
        return Provider(
            self.fake.first_name(),
            self.fake.last_name(),
            self.rng.choice(CREDENTIALS),
            npi(self.rng),
            self.phone(),
            self.phone(),
            practice or self.practice(),
        )

    def practice(self) -> str:
        kind = self.rng.choice(
            [
                "Family Medicine",
                "Internal Medicine",
                "Primary Care",
                "Medical Group",
                "Health Clinic",
                "Physicians Associates",
                "Pediatrics & Family Care",
            ]
        )
        return f"{self.fake.last_name()} {kind}" if self.rng.random() < 0.5 else f"{self.fake.city()} {kind}"

    def member_id(self) -> str:
        letters = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(self.rng.randint(1, 3)))
        return letters + "".join(str(self.rng.randint(0, 9)) for _ in range(self.rng.randint(7, 10)))

    def case(self, today: date) -> Case:
        specialty = self.rng.choice(list(SPECIALTIES))
        dx = self.rng.sample(
            SPECIALTIES[specialty], k=min(len(SPECIALTIES[specialty]), self.rng.randint(1, 2))
        )
        procs = SPECIALTY_PROCEDURES.get(specialty, ["99204"])
        start = today + timedelta(days=self.rng.randint(1, 20))
        return Case(
            patient=self.person(),
            mrn=self.rng.choice(["", "A", "MRN", "P"]) + str(self.rng.randint(100000, 99999999)),
            payer=self.rng.choice(PAYERS),
            member_id=self.member_id(),
            group_number=str(self.rng.randint(1000, 9999999)).zfill(self.rng.choice([5, 7])),
            referring=self.provider(),
            specialist=self.provider(),
            specialty=specialty,
            diagnoses=dx,
            procedures=[self.rng.choice(procs)],
            reason=self.rng.choice(REASONS).format(dx=DIAGNOSES[dx[0]].lower()),
            urgency=self.rng.choice(["routine", "routine", "urgent", "stat"]),
            auth_number=self.rng.choice(["PA", "AUTH", "", "R"]) + str(self.rng.randint(10**8, 10**11)),
            auth_status=self.rng.choice(["approved", "approved", "denied", "pending"]),
            auth_from=start,
            auth_to=start + timedelta(days=self.rng.choice([30, 60, 90, 180])),
            service_date=today - timedelta(days=self.rng.randint(1, 60)),
            today=today,
        )
