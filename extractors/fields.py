"""From a document's pages to its contract fields: pair, resolve, parse, score, validate."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz, process

from core.data import FieldValue, PageText
from core.doctypes import FIELDS, FieldKind, field_display, fields_of
from extractors import normalise as norm
from extractors.checkboxes import holds_boxes, is_tick
from extractors.keyvalue import ROLES, Candidate, is_fax_header, pair_values
from extractors.letters import letter_candidates
from extractors.prose import prose_candidates
from extractors.rows import page_rows
from extractors.specialties import SPECIALTIES
from extractors.validators import validate

METHOD_CONFIDENCE = {"right": 0.95, "below": 0.88, "beside": 0.85, "prose": 0.8, "scan": 0.75}
ORG_FIELDS = ("from_name", "to_name", "insurance_payer")


def extract_fields(doc_type: str, pages: list[PageText], today: date) -> dict[str, FieldValue]:
    allowed = fields_of(doc_type)
    best: dict[str, FieldValue] = {}
    for candidate in _candidates(pages):
        key = resolve(candidate, doc_type)
        if key not in allowed:
            continue
        value = parse(key, candidate.text)
        if value in (None, "", []):
            continue
        found = FieldValue(value, _confidence(candidate), candidate.page, [w.box() for w in candidate.words])
        _keep_best(best, key, found)
    _add_scanned_codes(best, pages, allowed)
    _add_payer(best, pages, allowed)
    if doc_type == "insurance_card":
        _add_card_holder(best, pages[0])
    _add_auth_status(best, pages, allowed)
    for key, found in best.items():
        found.error = validate(key, found.value, today)
    return {k: best[k] for k in allowed if k in best}


def unread_fields(doc_type: str, pages: list[PageText]) -> frozenset[str]:
    """Fields whose label is on the pages with something written beside it that could not be
    read as a value: for the VA to look at, not for the sender to supply (a label with an
    empty box beside it, or only form words such as a title's, is not here: that field is
    missing)."""
    allowed = fields_of(doc_type)
    unread = set()
    for page in pages:
        for candidate in pair_values(page):
            key = resolve(candidate, doc_type)
            written = re.search(r"[A-Za-z0-9]", candidate.text) and not norm.is_form_text(candidate.text)
            if key in allowed and written and parse(key, candidate.text) in (None, "", []):
                unread.add(key)
    return frozenset(unread)


def _candidates(pages: list[PageText]) -> list[Candidate]:
    out = []
    for page in pages:
        out += pair_values(page)
    for page in pages:
        out += prose_candidates(page) + letter_candidates(page)
    return out + _joined_parts(out)


JOINED_PARTS = {  # a value forms ask for in parts, each in a box of its own, and the joint
    "patient_name": (("first_name", "last_name"), " "),
    "patient_address": (("street", "city_line"), ", "),
}


def _joined_parts(candidates: list[Candidate]) -> list[Candidate]:
    """A form that asks for the last and the first name, or the street and the city, in boxes
    of their own gives the patient's name or address in parts: joined in the contract's order."""
    joined = []
    for key, (names, joint) in JOINED_PARTS.items():
        parts: dict[str, Candidate] = {}
        for c in candidates:
            if c.key in names and c.section in (None, "patient"):
                parts.setdefault(c.key, c)
        if len(parts) == len(names):
            ordered = [parts[name] for name in names]
            text = joint.join(c.text for c in ordered)
            words = [w for c in ordered for w in c.words]
            joined.append(Candidate(key, text, words, ordered[0].page, ordered[0].method, ordered[0].section))
    return joined


def _keep_best(best: dict[str, FieldValue], key: str, found: FieldValue) -> None:
    current = best.get(key)
    if current is None or found.confidence > current.confidence + 0.05:
        best[key] = found


def _confidence(candidate: Candidate) -> float:
    """Method, OCR confidence of the value's words, and a discount for guessed roles."""
    base = METHOD_CONFIDENCE[candidate.method]
    if candidate.key in ROLES and candidate.section is None and candidate.side is None:
        base *= 0.9
    if not candidate.words:
        return base
    reading = sum(w.confidence for w in candidate.words) / len(candidate.words) / 100
    return round(base * (0.6 + 0.4 * reading), 3)


def resolve(candidate: Candidate, doc_type: str) -> str | None:
    """Turn a role ("phone", "fax", "name", "npi") into a field by section and document."""
    key, section = candidate.key, candidate.section
    if section == "contact":
        return None
    if section == "letterhead" and doc_type != "fax_cover":
        return (
            {"phone": "referring_phone", "fax": "referring_fax"}.get(key) if doc_type == "referral" else None
        )
    if key == "name":
        return {"referring": "referring_provider", "referred_to": "referred_to_provider"}.get(
            section or "", "patient_name"
        )
    if key == "npi":
        return None if section == "referred_to" else "referring_npi"
    if key == "phone":
        if doc_type == "fax_cover":
            return "from_phone" if candidate.side != "to" else None
        return {"referring": "referring_phone", "referred_to": None, "insurance": None}.get(
            section or "", "patient_phone"
        )
    if key == "fax":
        if doc_type == "fax_cover":
            return "to_fax" if candidate.side == "to" else "from_fax"
        return None if section in ("referred_to", "patient") else "referring_fax"
    if key == "referred_to_provider" and parse("referred_to_provider", candidate.text) is None:
        return "referred_to_specialty"
    return key


def parse(key: str, text: str):
    """The normal form of `text` as field `key` (its kind's parser), or None."""
    value = _parsed(key, text)
    return list(value) if isinstance(value, list) else value  # a copy: the cached list stays


@lru_cache(maxsize=4096)
def _parsed(key: str, text: str):
    """Parsing is pure and a page's values are parsed twice (extraction, then the rules'
    check for values that could not be read): remembered."""
    spec = FIELDS.get(key)
    return PARSERS[spec.kind](text) if spec else None


def read_value(key: str, text: str, today: date) -> FieldValue.Value:
    """A value a person typed (a VA's correction, a registered referral), in its normal form
    and checked against the clinic's `today`; ValueError says what is wrong with it."""
    value = parse(key, text.strip()) if text.strip() else None
    if value is None or value in ("", []):
        raise ValueError(f"could not read {text.strip()!r} as a {field_display(key)}")
    error = validate(key, value, today)
    if error:
        raise ValueError(error)
    return value


def _org(text: str) -> str | None:
    line = norm.one_line(text)
    if not line or len(line.split()) > 9 or not re.search(r"[A-Za-z]{3}", line):
        return None
    if re.search(r"\d{7}", line):
        return None  # a fax header's "FROM: 3585550132 Health Clinic P.001": a machine's id
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'&.-]*", line) if len(w) > 3]
    capitalised = sum(1 for w in words if w[0].isupper())
    return line if not words or capitalised / len(words) >= 0.5 else None


def _specialty(text: str) -> str | None:
    phrase = norm.lower_phrase(text)
    if not phrase or len(phrase.split()) > 5 or norm.is_form_text(phrase):
        return None  # "Referral" after the "Specialty" of a "Specialty Referral" title
    match = process.extractOne(phrase, SPECIALTIES, scorer=fuzz.ratio, score_cutoff=85)
    return match[0] if match else phrase


def _urgency(text: str) -> str | None:
    """The one urgency printed, or the one whose box is ticked when all are printed. Boxes
    come before their options ("☒ STAT"), or after them ("STAT ☒") where the row has a box
    after its last option and none before its first (a text layer shows only the tick)."""
    tokens = text.split()
    options = [
        (i, norm.URGENCY_WORDS[t.strip(".,:;'’()[]").lower()])
        for i, t in enumerate(tokens)
        if t.strip(".,:;'’()[]").lower() in norm.URGENCY_WORDS
    ]
    if len(options) == 1:
        return options[0][1]
    if not options:
        return None
    first, last = options[0][0], options[-1][0]
    after = holds_boxes(" ".join(tokens[last + 1 : last + 3])) and not holds_boxes(
        " ".join(tokens[max(0, first - 2) : first])
    )
    places = [i for i, _ in options]
    ticked = [u for n, (_, u) in enumerate(options) if any(map(is_tick, _beside(tokens, places, n, after)))]
    return ticked[0] if len(ticked) == 1 else None


def _beside(tokens: list[str], places: list[int], n: int, after: bool) -> list[str]:
    """The (up to two) tokens between option `n` and its neighbour, on the side of its box."""
    i = places[n]
    if after:
        end = places[n + 1] if n + 1 < len(places) else len(tokens)
        return tokens[i + 1 : min(i + 3, end)]
    start = places[n - 1] + 1 if n else 0
    return tokens[max(i - 2, start) : i]


def _codes(parser: Callable[[str], list[str]]) -> Callable[[str], list[str] | None]:
    return lambda text: parser(text) or None


K = FieldKind
PARSERS: dict[FieldKind, Callable] = {
    K.PERSON: norm.person_name,
    K.PROVIDER: lambda t: norm.person_name(t, keep_credential=True),
    K.ORGANISATION: _org,
    K.BIRTH_DATE: lambda t: norm.find_date(t, two_digit_past=True),
    K.DATE: norm.find_date,
    K.SEX: norm.sex,
    K.PHONE: norm.phone,
    K.TEXT: norm.one_line,
    K.IDENTIFIER: norm.identifier,
    K.NPI: lambda t: re.sub(r"\D", "", t)[:12] if re.search(r"\d{6}", t.replace(" ", "")) else None,
    K.SPECIALTY: _specialty,
    K.DIAGNOSIS_CODES: _codes(norm.diagnosis_codes),
    K.PROCEDURE_CODES: _codes(norm.procedure_codes),
    K.URGENCY: _urgency,
    K.AUTH_STATUS: norm.auth_status,
    K.PAGE_COUNT: norm.page_count,
}

# A dotted code, or one in brackets whose first letter OCR read as a digit: "(125.10)" is I25.10
_DOTTED_ICD = re.compile(
    r"\b[A-Z][0-9OI][0-9A-Z]\.[0-9A-Z]{1,4}\b|(?<=\()[0-9][0-9OI][0-9A-Z]\.[0-9A-Z]{1,4}(?=\))"
)


def _add_scanned_codes(best: dict[str, FieldValue], pages: list[PageText], allowed: tuple) -> None:
    """Dotted ICD-10-CM codes anywhere in the document (an assessment list, a letter)."""
    if "diagnosis_codes" not in allowed:
        return
    found = best.get("diagnosis_codes")
    codes = list(found.value) if found and isinstance(found.value, list) else []
    first_page, boxes = 0, []
    for page in pages:
        for word in page.words:
            for token in _DOTTED_ICD.findall(word.text):
                code = norm.repair_icd(token)
                if code and code not in codes:
                    codes.append(code)
                    boxes.append(word.box())
                    first_page = first_page or page.number  # the page of the first code
    if codes and not found:
        best["diagnosis_codes"] = FieldValue(codes, METHOD_CONFIDENCE["scan"], first_page, boxes)
    elif found:
        found.value = codes


PAYER_WORDS = re.compile(
    r"(?i)\b(aetna|cigna|united\s*health\s*care|unitedhealthcare|uhc|humana|blue\s+cross|blue\s+shield|"
    r"bcbs|anthem|medicare|medicaid|molina|kaiser|tricare|ambetter|oscar|wellcare|centene|highmark|"
    r"oxford|priority\s+health|harvard\s+pilgrim|emblem\s*health|florida\s+blue|premera|regence|"
    r"carefirst|horizon|excellus|upmc|medica|healthpartners|amerigroup|caresource|wellpoint|meridian|"
    r"health\s+net|geisinger|tufts|magellan|optima|sentara|devoted|clover|health\s+plan|"
    r"health\s+insurance|insurance\s+company|healthcare\s+plan|care\s+plan|mutual|benefits|assurance)\b"
)
_HOLDER = re.compile(r"^[A-Za-z][A-Za-z'-]+(?:\s+[A-Za-z]\.?)?(?:\s+[A-Za-z][A-Za-z'-]+){1,2}$")


def _add_payer(best: dict[str, FieldValue], pages: list[PageText], allowed: tuple) -> None:
    """A card or a payer's letter prints the payer as a logo line, with no label."""
    if "insurance_payer" not in allowed or "insurance_payer" in best:
        return
    for row in page_rows(pages[0]):
        if row.top > pages[0].height * 0.5 or is_fax_header(row, pages[0].height):
            continue
        cell = row.text.split("\t")[0]
        payer = _org(cell) if PAYER_WORDS.search(cell) else None
        if payer:
            words = row.words_in(0, len(cell))
            conf = _confidence(Candidate("insurance_payer", cell, words, pages[0].number, "scan"))
            best["insurance_payer"] = FieldValue(payer, conf, pages[0].number, [w.box() for w in words])
            return


def _add_card_holder(best: dict[str, FieldValue], page: PageText) -> None:
    """A card prints its holder's name with no label, just above the member ID."""
    member = best.get("member_id")
    if "patient_name" in best or member is None or not member.boxes:
        return
    rows = page_rows(page)
    at = next((i for i, row in enumerate(rows) if row.top <= member.boxes[0][1] <= row.bottom), None)
    for row in reversed(rows[max(0, (at or 0) - 2) : at or 0]):
        text = row.text.strip()
        if _HOLDER.match(text) and not PAYER_WORDS.search(text):
            name = norm.person_name(text)
            if name:
                conf = _confidence(Candidate("patient_name", text, row.words, page.number, "scan"))
                best["patient_name"] = FieldValue(name, conf, page.number, [w.box() for w in row.words])
                return


_VERDICT_CONTEXT = re.compile(r"(?i)request|authori[sz]ation|service|procedure|determination|decision")


def _add_auth_status(best: dict[str, FieldValue], pages: list[PageText], allowed: tuple) -> None:
    """A determination letter states its verdict in a sentence, not a labelled box."""
    if "auth_status" not in allowed or "auth_status" in best:
        return
    for page in pages:
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(page.text.split())):
            status = norm.auth_status(sentence) if _VERDICT_CONTEXT.search(sentence) else None
            if status:
                best["auth_status"] = FieldValue(status, METHOD_CONFIDENCE["prose"], page.number)
                return
