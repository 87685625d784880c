"""Turn printed values into the contract's normal forms. Each returns None when the text
does not hold such a value at all (so a wrong label pairing is dropped, not reported)."""

from __future__ import annotations

import re
from datetime import date

import phonenumbers
from dateutil import parser as dateparser
from nameparser import HumanName

from extractors import icd10

MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_SEPARATOR = r"(?:\s?[/.-]\s?|,)"  # a comma: a dot as OCR reads it ("10,19.1976")
_NUMERIC_DATE = re.compile(
    rf"(?<![\d/])(\d{{1,2}}){_DATE_SEPARATOR}(\d{{1,2}}){_DATE_SEPARATOR}(\d{{4}}|\d{{2}})(?![\d/])"
)
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NAMED_DATE = re.compile(
    rf"(?i)\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,\s*|\s+)\d{{4}}\b|\b\d{{1,2}}[\s-]{MONTHS}[\s,-]+\d{{4}}\b"
)
ICD_TOKEN = re.compile(r"\b[A-Za-z0-9][0-9OoIlS][0-9A-Za-z](?:\.?[0-9A-Za-z]{1,4})?\b")
CPT_TOKEN = re.compile(r"(?<![\w.])(?:\d{4}[0-9FTU]|[A-V]\d{4})(?![\w.])")
CREDENTIALS = {
    "MD",
    "DO",
    "NP",
    "PA",
    "PA-C",
    "RN",
    "FNP",
    "FNP-C",
    "FNP-BC",
    "APRN",
    "DPM",
    "DC",
    "PHD",
    "MBBS",
    "ARNP",
    "CNM",
    "DNP",
    "OD",
    "PT",
    "DPT",
    "MSN",
    "AGNP",
}


def find_date(text: str, two_digit_past: bool = False) -> str | None:
    """The first date in the text as ISO (not validated: 02/30 stays visible as 2-30)."""
    dates = find_dates(text, two_digit_past)
    return dates[0] if dates else None


def find_dates(text: str, two_digit_past: bool = False) -> list[str]:
    """Every date in the text, in reading order, as ISO strings."""
    found = [(m.start(), "iso", m) for m in _ISO_DATE.finditer(text)]
    found += [(m.start(), "num", m) for m in _NUMERIC_DATE.finditer(text)]
    found += [(m.start(), "named", m) for m in _NAMED_DATE.finditer(text)]
    dates = [_iso(kind, match, two_digit_past) for _, kind, match in sorted(found, key=lambda f: f[0])]
    return [d for d in dates if d]


def _iso(kind: str, match: re.Match, two_digit_past: bool) -> str | None:
    if kind == "iso":
        y, m, d = (int(g) for g in match.groups())
    elif kind == "num":
        m, d, y = (int(g) for g in match.groups())
        m, d = _misread_zero(m, 12), _misread_zero(d, 31)
        if y < 100:
            y = _century(y, two_digit_past)
    else:
        try:
            # dateutil reads "27,1972" as one number: give the comma its space back
            parsed = dateparser.parse(re.sub(r",\s*", ", ", match.group(0)), fuzzy=True)
        except (ValueError, OverflowError):
            return None
        y, m, d = parsed.year, parsed.month, parsed.day
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1850 < y < 2200):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _century(year: int, past: bool) -> int:
    """A two-digit year in full: for a date in the past (a birth date), the latest one not
    after this year ("05" is 2005, "57" 1957); otherwise the one within 20 years ahead of
    this year (an authorization "through 06/01/27" is 2027)."""
    this_year = date.today().year
    if past:
        return 2000 + year if 2000 + year <= this_year else 1900 + year
    return 2000 + year if 2000 + year <= this_year + 20 else 1900 + year


def _misread_zero(value: int, limit: int) -> int:
    """A month or day OCR made impossible by reading its leading 0 as 9, 8 or 6 ("96" for 06)."""
    if value > limit and value // 10 in (9, 8, 6) and value % 10:
        return value % 10
    return value


_DIGIT_LOOKALIKES = str.maketrans(
    {"S": "5", "s": "5", "O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "B": "8", "G": "6", "Z": "2"}
    | {":": "-", ",": "-"}  # a dot or dash read as a colon or comma
)
_LOOKALIKE_LETTERS = "SsOoIl|BGZ"
_PHONE_LIKE = re.compile(r"[\dSsOoIl|BGZ][\dSsOoIl|BGZ\s().:,-]{8,16}[\dSsOoIl|BGZ]")


def _digits_misread(text: str) -> str:
    """A phone number in which OCR read a few digits as letters ("206-SS5-0171", "(G17)") or
    a separator as a colon or comma, read back; a run counts as a number only when most of
    it already is digits."""

    def fold(match: re.Match) -> str:
        run = match.group(0)
        letters = sum(ch in _LOOKALIKE_LETTERS for ch in run)
        digits = sum(ch.isdigit() for ch in run)
        return run.translate(_DIGIT_LOOKALIKES) if letters <= 3 and digits >= 7 else run

    return _PHONE_LIKE.sub(fold, text)


def phone(text: str) -> str | None:
    """10 digits for a US number; other digit runs are returned as printed (to be flagged)."""
    text = _digits_misread(text)
    for match in phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.POSSIBLE):
        return str(match.number.national_number).zfill(10)
    run = re.search(r"\+?\d[\d\s().-]{5,16}\d", text)
    if not run:
        return None
    digits = re.sub(r"\D", "", run.group(0))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if 7 <= len(digits) <= 12 else None


def identifier(text: str) -> str | None:
    """Member, group, auth and record numbers: upper case, no spaces or dashes."""
    tokens = text.replace(":", " ").split()
    if not tokens:
        return None
    value = tokens[0]
    for token in tokens[1:3]:
        joined = value.endswith("-") or token.startswith("-") or _looks_like_id_part(token)
        if not joined:
            break
        value += token
    value = re.sub(r"[^A-Za-z0-9]", "", value.translate(_OCR_LETTERS)).upper()
    if len(value) < 3 or not re.search(r"\d", value):
        return None
    return value


_OCR_LETTERS = str.maketrans({"€": "C", "£": "E", "§": "S", "¢": "C"})


def _looks_like_id_part(token: str) -> bool:
    return bool(re.fullmatch(r"[-A-Za-z0-9]*\d[-A-Za-z0-9]*", token)) and len(token) >= 2


FORM_WORDS = {
    "information",
    "info",
    "details",
    "form",
    "referral",
    "request",
    "report",
    "patient",
    "name",
    "insurance",
    "provider",
    "physician",
    "card",
    "front",
    "back",
    "copy",
    "company",
    "plan",
    "member",
    "subscriber",
    "date",
    "birth",
    "number",
    "id",
    "section",
    "demographics",
    "summary",
    "notes",
    "note",
    "sheet",
    "fax",
    "cover",
    "page",
    "pages",
    "phone",
    "address",
    "group",
    "of",
    "the",
    "and",
    "for",
    "to",
    "from",
    "by",
    "signature",
    "consult",
    "consultation",
    "results",
    "specialist",
    "specialty",
    "primary",
    "secondary",
    "diagnosis",
    "authorization",
    "review",
    "requested",
}


_NOT_IN_NAMES = {
    *("of", "the", "and", "for", "to", "with", "in", "on", "at", "is", "has", "was"),
    # what stands after "Member" or "Patient" on cards and letters without being a name
    *("services", "service", "tty", "tdd", "department", "dept", "customer", "claims", "pharmacy"),
}


def is_form_text(text: str) -> bool:
    """True when a value is made only of form vocabulary ("Referral Form", "INFORMATION")."""
    words = re.findall(r"[A-Za-z]+", text.lower())
    return bool(words) and all(w in FORM_WORDS for w in words)


def person_name(text: str, keep_credential: bool = False) -> str | None:
    """ "GONZALEZ, MARIA L" or "Maria L. Gonzalez" -> "Maria L. Gonzalez"."""
    if is_form_text(text):
        return None
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"(?<![A-Za-z])\|(?=[.\s]|$)", "I", text)  # "Tracy |. Solis": OCR's | for an initial I
    text = re.sub(r"(?<=[A-Za-z] )[l1](?=\.)", "I", text)  # "Dennis l. Harvey", "Dennis 1. Harvey"
    text = re.sub(r"[^A-Za-z.,'\- ]", " ", text)
    # "Ashlee A, Carroll": OCR read the initial's "." as ","
    text = re.sub(r"^(\w+ [A-Z]),\s*(\w+)$", r"\1. \2", text.strip())
    text = re.sub(r"(?i)^\s*(dr\.?|mr\.?|mrs\.?|ms\.?)\s+", "", text).strip(" ,;:-")
    words = text.replace(",", " , ").split()
    credential = ""
    while words and words[-1].upper().strip(".") in CREDENTIALS:
        credential = credential or words[-1].upper().strip(".")
        words.pop()
        while words and words[-1] == ",":
            words.pop()
    words = [w for w in words if w == "," or re.search(r"[A-Za-z]", w)]
    tokens = [w for w in words if w != ","]
    if sum(1 for w in tokens if len(w.strip(".")) >= 2) < 2:
        return None
    if not tokens or len(tokens) > 4 or any(w.lower().strip(".") in _NOT_IN_NAMES for w in tokens):
        return None
    if not all(re.fullmatch(r"[A-Za-z][A-Za-z'.-]*|,", w) for w in words):
        return None
    name = HumanName(" ".join(words).replace(" , ", ", "))
    if not name.first or not name.last:
        return None
    if "," in words and name.suffix.upper() == "I" and not name.middle:  # "Vincent, Joshua I": an initial
        name.middle, name.suffix = "I", ""
    letters = [c for c in text if c.isalpha()]
    if sum(c.isupper() for c in letters) > 0.7 * len(letters) or text.islower():
        name.capitalize(force=True)
    middle = " ".join(
        m.rstrip(".").upper() + "." if len(m.rstrip(".")) == 1 else m for m in name.middle.split()
    )
    full = " ".join(p for p in [name.first, middle, name.last.rstrip(".")] if p)
    if credential and keep_credential:
        full += f", {credential}"
    return full


def sex(text: str) -> str | None:
    word = text.strip().split()[0].lower() if text.strip() else ""
    if word.startswith(("f", "w")):
        return "F"
    if word.startswith("m"):
        return "M"
    if word in ("x", "nonbinary", "non-binary", "other", "u", "unknown", "intersex"):
        return "X"
    return None


def diagnosis_codes(text: str) -> list[str]:
    """ICD-10-CM codes in a labelled value, repairing common OCR confusions (1/I, 0/O)."""
    codes = []
    for token in ICD_TOKEN.findall(text):
        code = repair_icd(token)
        if code and code not in codes:
            codes.append(code)
    return codes


_FIRST_CHAR = {"1": "I", "l": "I", "0": "O", "5": "S", "2": "Z", "8": "B", "3": "J", "6": "G"}
_DIGIT = {"O": "0", "o": "0", "I": "1", "l": "1", "S": "5"}


def repair_icd(token: str) -> str | None:
    """The ICD-10-CM code OCR most likely garbled into `token`, if that code exists."""
    if token.isdigit():
        return None  # a number (zip code, year), not a code with a misread letter
    head = token[0].upper() if token[0].isalpha() else _FIRST_CHAR.get(token[0], token[0])
    second, third, tail = _DIGIT.get(token[1], token[1]), token[2:3], token[3:]
    if tail and not tail.startswith("."):
        tail = "." + tail  # the dot OCR dropped
    as_read = head + second + third.upper() + tail.upper()
    # A code's third character and the characters after its dot are mostly digits
    # ("ROO.2" is R00.2), but can be letters (C4A.0, S72.001A): the reading wins if it exists.
    as_digits = head + second + "".join(_DIGIT.get(c, c) for c in third + tail).upper()
    return next((code for code in (as_read, as_digits) if icd10.exists(code)), None)


def procedure_codes(text: str) -> list[str]:
    codes = []
    for code in CPT_TOKEN.findall(text):
        if code not in codes:
            codes.append(code)
    return codes


def page_count(text: str) -> int | None:
    match = re.search(r"\d{1,3}", text)
    return int(match.group(0)) if match else None


def one_line(text: str) -> str | None:
    text = " ".join(text.split()).strip(" :;-|'\"‘’“”")
    if len(text) < 3 or not re.search(r"[A-Za-z]{2}", text) or is_form_text(text):
        return None
    return text


def lower_phrase(text: str) -> str | None:
    words = re.findall(r"[A-Za-z&/-]+", text)
    return " ".join(words).lower() if words else None


URGENCY_WORDS = {
    "stat": "stat",
    "emergent": "stat",
    "urgent": "urgent",
    "asap": "urgent",
    "expedited": "urgent",
    "routine": "routine",
    "normal": "routine",
    "standard": "routine",
    "elective": "routine",
}
AUTH_WORDS = [
    (r"\bnot\s+(?:been\s+)?approved\b|\bnon-?certif|\bden(?:ied|ial)\b|\badverse\b", "denied"),
    (r"\bpend(?:ing)?\b|\bin\s+review\b|\bunder\s+review\b|\bdeferred\b", "pending"),
    (r"\bapproved?\b|\bauthori[sz]ed\b|\bcertified\b", "approved"),
]


def auth_status(text: str) -> str | None:
    lower = text.lower()
    for pattern, status in AUTH_WORDS:
        if re.search(pattern, lower):
            return status
    return None
