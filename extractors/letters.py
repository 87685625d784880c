"""Fields a letter gives in its sentences rather than in labelled boxes: "my patient David
Walker, born September 19, 1981", "Dear Colleague in Urology", "I am referring her to
Dr. Anna Lee", and the signature under "Kind regards". Plain patterns over the page's text;
each value keeps the boxes of the words it was read from."""

from __future__ import annotations

import re

from core.data import PageText
from extractors.keyvalue import Candidate
from extractors.prose import words_for
from extractors.specialties import SPECIALTIES

_BORN = re.compile(
    r"(?i)\bborn(?:\s+on)?\s+((?:[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})|(?:\d{1,2}/\d{1,2}/\d{2,4}))"
)
_CLOSING = re.compile(
    r"(?i)^(?:sincerely|(?:kind(?:est)?|best|warm)\s+regards|regards|respectfully|yours\s+(?:truly|sincerely)|"
    r"with\s+thanks|thank\s+you)\b[^\n]{0,12}$"
)
_SIGNED = re.compile(
    r"^(?:Dr\.?\s+)?[A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]*){1,3},?\s+"
    r"(?:M\.?D\.?|D\.?O\.?|NP|FNP(?:-[BC]C?)?|PA(?:-C)?|DNP|MBBS|APRN)\b"
)
_TO_DOCTOR = re.compile(
    r"\b(?:refer\w*|send\w*|see)\s+(?:(?:him|her|them|the\s+patient|this\s+patient|my\s+patient)\s+)?"
    r"to\s+(Dr\.?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})"
)
_SPECIALTY = re.compile(
    r"(?i)\b(" + "|".join(sorted(map(re.escape, SPECIALTIES), key=len, reverse=True)) + r")\b"
)
_SPECIALTY_CONTEXT = re.compile(
    r"(?i)\b(?:colleague|department|division|refer\w*|consult\w*|evaluat\w*|specialist)\b[^.\n]{0,30}$"
)
_NAME_THEN_DOB = re.compile(
    r"(?m)^[ \t]*((?:[A-Z][A-Za-z'-]+|[A-Z]\.)(?:[ \t]+(?:[A-Z][A-Za-z'-]+|[A-Z]\.)){1,3}),?[ \t]+"
    r"(?:DOB|D\.O\.B\.?|Date[ \t]+of[ \t]+Birth)\b"
)
SIGNATURE_REACH = 4  # lines under the closing where the signer's name may be


def letter_candidates(page: PageText) -> list[Candidate]:
    lines = page.text.split("\n")
    flowing = " ".join(lines)
    return [
        *_born(page, flowing),
        *_specialties(page, flowing),
        *_doctors(page, flowing),
        *_signer(page, lines),
        *_named_before_dob(page),
    ]


def _born(page: PageText, text: str) -> list[Candidate]:
    return [_candidate(page, "patient_dob", m.group(1)) for m in _BORN.finditer(text)]


def _specialties(page: PageText, text: str) -> list[Candidate]:
    """A specialty named where a letter asks for it: "Dear Colleague in Urology", "referring
    her for evaluation in cardiology"; a specialty in the history ("seen by cardiology in
    2019") has none of those words before it."""
    return [
        _candidate(page, "referred_to_specialty", m.group(1))
        for m in _SPECIALTY.finditer(text)
        if _SPECIALTY_CONTEXT.search(text[max(0, m.start() - 40) : m.start()])
    ]


def _doctors(page: PageText, text: str) -> list[Candidate]:
    return [_candidate(page, "referred_to_provider", m.group(1)) for m in _TO_DOCTOR.finditer(text)]


def _named_before_dob(page: PageText) -> list[Candidate]:
    """A note's header line: the patient's name, then the birth date ("Angela Allen DOB ...")."""
    return [_candidate(page, "patient_name", m.group(1)) for m in _NAME_THEN_DOB.finditer(page.text)]


def _signer(page: PageText, lines: list[str]) -> list[Candidate]:
    """The name with a credential in the few lines under a letter's closing."""
    for index, line in enumerate(lines):
        if not _CLOSING.match(line.strip()):
            continue
        for below in lines[index + 1 : index + 1 + SIGNATURE_REACH]:
            signed = _SIGNED.match(below.strip())
            if signed:
                return [_candidate(page, "referring_provider", signed.group(0))]
    return []


def _candidate(page: PageText, key: str, text: str) -> Candidate:
    return Candidate(key, text, words_for(page, text), page.number, "prose")
