"""Which open referral case an incoming fax belongs to: patient identity (name with
tolerance for order, initials and OCR slips; DOB; member id), then provider and codes.
Every match has a score from 0 to 1 and a reason a VA can read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nameparser import HumanName
from rapidfuzz import fuzz

from storage.models import ReferralCase

CONFIDENT, POSSIBLE = 0.85, 0.55
_NICKNAME_GROUPS = {
    "ROBERT": "BOB BOBBY ROB ROBBIE BERT",
    "WILLIAM": "BILL BILLY WILL WILLIE LIAM",
    "ELIZABETH": "LIZ LIZZIE BETH BETTY ELIZA LIBBY",
    "MARGARET": "MAGGIE PEGGY MEG MARGE",
    "JAMES": "JIM JIMMY JAMIE",
    "JOHN": "JACK JOHNNY",
    "RICHARD": "RICK RICKY DICK RICH",
    "CATHERINE": "CATHY KATE KATIE KATHY CATHERINE KATHERINE KATHRYN",
    "JOSEPH": "JOE JOEY",
    "THOMAS": "TOM TOMMY",
    "CHARLES": "CHARLIE CHUCK",
    "EDWARD": "ED EDDIE TED TEDDY",
    "MICHAEL": "MIKE MICKEY",
    "PATRICIA": "PAT PATTY TRISH",
    "SUSAN": "SUE SUSIE",
    "DOROTHY": "DOT DOTTIE",
    "ANTHONY": "TONY",
    "ALEXANDER": "ALEX",
    "DANIEL": "DAN DANNY",
    "CHRISTOPHER": "CHRIS",
    "CHRISTINE": "CHRIS CHRISTY",
    "DEBORAH": "DEB DEBBIE",
    "BARBARA": "BARB",
    "VIRGINIA": "GINNY",
}
NICKNAMES = {nick: full for full, nicks in _NICKNAME_GROUPS.items() for nick in nicks.split()}
_DIGIT_TO_LETTER = str.maketrans({"0": "O", "1": "L", "5": "S", "8": "B", "6": "G", "2": "Z"})
_LETTER_TO_DIGIT = str.maketrans({"O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"})


@dataclass(frozen=True)
class Match:
    case_id: int
    score: float
    reason: str


def name_similarity(a: str, b: str) -> float:
    """0..1: the same person's name however written ("GONZALEZ, MARIA L" ~ "Maria Gonzalez",
    "M. O'Neil" ~ "Mary ONeil", "J0hn" ~ "John")."""
    first_a, last_a = _name_parts(a)
    first_b, last_b = _name_parts(b)
    if not last_a or not last_b:
        return 0.0
    last = fuzz.ratio(last_a, last_b) / 100
    if not first_a or not first_b:
        first = 0.5
    elif len(first_a) == 1 or len(first_b) == 1:
        first = 0.9 if first_a[0] == first_b[0] else 0.0
    else:
        first = fuzz.ratio(first_a, first_b) / 100
    swapped = fuzz.token_sort_ratio(_plain(a), _plain(b)) / 100
    return max(0.6 * last + 0.4 * first, swapped)


def same_id(a: str | None, b: str | None) -> bool:
    """Member ids equal once OCR's letter/digit confusions are folded."""
    return bool(a and b) and _id(a or "") == _id(b or "")


def score(case: ReferralCase, fields: dict) -> Match:
    """How well a document's fields fit a case (weights over what both sides carry)."""
    parts: list[tuple[float, float, str]] = []
    if case.patient_name and fields.get("patient_name"):
        similarity = name_similarity(case.patient_name, fields["patient_name"])
        parts.append((0.4, similarity, f"name {similarity:.0%}"))
    if case.patient_dob and fields.get("patient_dob"):
        same = case.patient_dob == fields["patient_dob"]
        parts.append((0.35, 1.0 if same else 0.0, "DOB matches" if same else "DOB differs"))
    if case.member_id and fields.get("member_id"):
        same = same_id(case.member_id, fields["member_id"])
        parts.append((0.25, 1.0 if same else 0.0, "member id matches" if same else "member id differs"))
    if not parts:
        return Match(case.id, 0.0, "no identifying fields")
    weight = sum(w for w, _, _ in parts)
    total = sum(w * s for w, s, _ in parts) / weight
    if len(parts) == 1:
        total *= 0.7  # one clue alone is never enough to act on
    ids_agree = sum(1 for _, s, why in parts if s == 1.0 and "name" not in why) == 2
    if ids_agree:
        total = max(total, 0.9)  # DOB and member id both agree: as payers identify a patient
    bonus, why = _provider_and_codes(case, fields)
    total = min(1.0, total + bonus)
    if not ids_agree and other_first_name(case.patient_name or "", fields.get("patient_name") or ""):
        total = min(total, CONFIDENT - 0.01)  # twins, siblings, spouses: only a person links them
        why = [*why, "first name differs"]
    return Match(case.id, round(total, 3), ", ".join([p[2] for p in parts] + why))


def other_first_name(a: str, b: str) -> bool:
    """The same family name with a different first name ("Mary Bell", "Ryan Bell"): another
    person of the family, not the same one written differently. An initial, a nickname
    ("Bob" for "Robert") or an OCR slip ("Jon", "J0hn") is not a different name."""
    first_a, last_a = _name_parts(a)
    first_b, last_b = _name_parts(b)
    if len(first_a) < 2 or len(first_b) < 2 or fuzz.ratio(last_a, last_b) < 85:
        return False
    first_a, first_b = first_a.upper(), first_b.upper()
    if NICKNAMES.get(first_a, first_a) == NICKNAMES.get(first_b, first_b):
        return False
    return fuzz.ratio(first_a, first_b) < 80 and not (
        first_a.startswith(first_b) or first_b.startswith(first_a)
    )


def best_matches(cases: list[ReferralCase], fields: dict) -> list[Match]:
    """Candidates worth showing, best first."""
    found = sorted((score(case, fields) for case in cases), key=lambda m: -m.score)
    return [m for m in found if m.score >= POSSIBLE]


def _provider_and_codes(case: ReferralCase, fields: dict) -> tuple[float, list[str]]:
    bonus, why = 0.0, list[str]()
    if case.referring_npi and case.referring_npi == fields.get("referring_npi"):
        bonus, why = bonus + 0.05, [*why, "same referring NPI"]
    codes = set(fields.get("procedure_codes") or []) | set(fields.get("diagnosis_codes") or [])
    if codes & (set(case.procedure_codes or []) | set(case.diagnosis_codes or [])):
        bonus, why = bonus + 0.05, [*why, "shared codes"]
    return bonus, why


def _name_parts(text: str) -> tuple[str, str]:
    name = HumanName(_plain(text))
    return name.first.replace(".", ""), name.last


def _plain(text: str) -> str:
    """Upper case, OCR digits read back as letters, apostrophes and hyphens dropped."""
    text = text.upper().translate(_DIGIT_TO_LETTER)
    text = re.sub(r"['’`\-]", "", text)
    return re.sub(r"[^A-Z, .]", " ", text).strip()


def _id(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper()).translate(_LETTER_TO_DIGIT)
