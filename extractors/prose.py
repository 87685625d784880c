"""Fields embedded in sentences: "...the request for CPT 72148 for member John Smith
(ID W123456789) has been denied." spaCy's tokenizer and Matcher find the anchors."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from core.data import PageText, Word
from extractors.keyvalue import Candidate
from extractors.normalise import CPT_TOKEN, find_dates

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher

_NAME_TOKEN = {"TEXT": {"REGEX": r"^[A-Z][A-Za-z'-]*\.?,?$"}}
_NAME_TRIGGERS = ["member", "patient", "enrollee", "insured", "beneficiary", "re"]
_CODE_TRIGGERS = ["cpt", "hcpcs"]
_TRIGGER_LINE = re.compile(rf"(?i)\b(?:{'|'.join(_NAME_TRIGGERS + _CODE_TRIGGERS)})\b")  # also finds "CPT®"
_MEMBER_ID = re.compile(r"(?i:\bmember\s+ID|\(ID)\s*[#:]?\s*([A-Z0-9][A-Z0-9-]{4,}\d)\b")
_VALIDITY = re.compile(r"(?i)\b(?:valid|effective|authori[sz]ed|approved)\b(.{0,90})")


@cache
def matcher() -> tuple[Language, Matcher]:
    """spaCy is imported here, on first use: it costs a command 0.8 s to start."""
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    m = Matcher(nlp.vocab)
    trigger = {"LOWER": {"IN": _NAME_TRIGGERS}}
    m.add(
        "patient_name",
        [[trigger, {"IS_PUNCT": True, "OP": "?"}, _NAME_TOKEN, _NAME_TOKEN, {**_NAME_TOKEN, "OP": "?"}]],
        greedy="LONGEST",
    )
    m.add(
        "procedure_codes",
        [
            [
                {"LOWER": {"IN": [*_CODE_TRIGGERS, "cpt®"]}},
                {"LOWER": {"IN": ["code", "codes", "#", ":"]}, "OP": "*"},
                {"TEXT": {"REGEX": CPT_TOKEN.pattern}},
            ]
        ],
    )
    return nlp, m


def prose_candidates(page: PageText) -> list[Candidate]:
    """Candidates found in running text, matched per line to keep word boxes. Every match
    starts with a trigger word and stays on its line, so only lines holding one are tokenised."""
    nlp, m = matcher()
    out: list[Candidate] = []
    text = page.text
    doc = nlp(" \n ".join(line for line in text.split("\n") if _TRIGGER_LINE.search(line)))
    for match_id, start, end in m(doc):
        key = nlp.vocab.strings[match_id]
        span = doc[start:end]
        value = span[1:].text if key != "procedure_codes" else span[-1].text
        out.append(Candidate(key, value.strip(" :(),"), words_for(page, span.text), page.number, "prose"))
    for match in _MEMBER_ID.finditer(text):
        out.append(
            Candidate("member_id", match.group(1), words_for(page, match.group(1)), page.number, "prose")
        )
    for match in _VALIDITY.finditer(text.replace("\n", " ")):
        dates = find_dates(match.group(1))
        if len(dates) >= 2:
            out.append(Candidate("auth_valid_from", dates[0], [], page.number, "prose"))
            out.append(Candidate("auth_valid_to", dates[1], [], page.number, "prose"))
            break
    return out


def words_for(page: PageText, text: str) -> list[Word]:
    """The page's words a value found in running text was read from (for its boxes)."""
    wanted = set(text.split())
    return [w for w in page.words if w.text in wanted][: len(wanted)]
