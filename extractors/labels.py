"""How forms label each field. Patterns are regular expressions over lower-cased row text.

A key is either a contract field or a role ("phone", "fax", "name", "npi") that the
section or document type turns into a field: the "Phone" under "Referring Provider" is the
referring provider's phone, the one under "Patient" the patient's."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import cache

_WORD_CHARACTERS = frozenset(string.ascii_lowercase + string.digits)  # of lowercased text
_LABELS: dict[str, list[str]] = {
    "patient_name": [
        r"patient(?:'s)?\s+(?:full\s+)?name",
        r"name\s+of\s+patient",
        r"pt\.?\s+name",
        r"member(?:'s)?\s+name",
        r"subscriber\s+name",
        r"insured(?:'s)?\s+name",
        r"client(?:\s+name)?",
        r"patient",
        r"resident",
        r"re",
        r"regarding",
        r"pt",
        r"member",
        r"subscriber",
        r"enrollee",
        r"beneficiary",
        r"patient\s+name\s*\(last,\s*first\)",
    ],
    "name": [r"name", r"full\s+name", r"last,?\s+first(?:\s+mi?)?"],
    "first_name": [r"first\s+name", r"given\s+name", r"patient\s+first\s+name"],
    "last_name": [r"last\s+name", r"surname", r"family\s+name", r"patient\s+last\s+name"],
    "patient_dob": [
        r"[d0][.,]?\s?o[.,]?\s?[b8][.,]?",
        r"d\.o\.b\.?[a-z]{1,2}",  # its colon read as letters: "D.O.Bes", "D.O.By"
        r"date\s+of\s+birth",
        r"birth\s?date",
        r"born",
        r"dob\s*\(mm/dd/yyyy\)",
        r"patient\s+dob",
        r"member\s+dob",
        r"birth",
    ],
    "patient_sex": [r"sex", r"gender", r"sex\s+at\s+birth", r"m/f", r"legal\s+sex"],
    "phone": [
        r"phone",
        r"telephone",
        r"tel\.?",
        r"ph\.?",
        r"phone\s+(?:number|no\.?|#)",
        r"contact\s+(?:#|number|phone)",
        r"cell(?:\s+phone)?",
        r"mobile",
        r"home\s+phone",
        r"office\s+phone",
        r"work\s+phone",
        r"primary\s+phone",
        r"day(?:time)?\s+phone",
    ],
    "patient_phone": [
        r"patient\s+phone",
        r"home\s+phone",
        r"cell(?:\s+phone)?",
        r"mobile(?:\s+phone)?",
        r"patient\s+tel(?:ephone)?",
        r"member\s+phone",
    ],
    "referring_phone": [
        r"provider\s+phone",
        r"referring\s+(?:provider\s+)?phone",
        r"office\s+phone",
        r"clinic\s+phone",
        r"physician\s+phone",
    ],
    "from_phone": [
        r"sender(?:'s)?\s+phone",
        r"from\s+phone",
        r"callback(?:\s+(?:number|#))?",
        r"call\s*back(?:\s+number)?",
        r"sender\s+tel",
    ],
    "fax": [r"fax", r"fax\s*(?:#|number|no\.?)", r"facsimile", r"fax\s+line"],
    "to_fax": [r"to\s+fax", r"recipient(?:'s)?\s+fax", r"fax\s+to", r"destination\s+fax", r"attn\s+fax"],
    "from_fax": [
        r"from\s+fax",
        r"sender(?:'s)?\s+fax",
        r"return\s+fax",
        r"reply\s+fax",
        r"fax\s+from",
        r"our\s+fax",
    ],
    "referring_fax": [
        r"provider\s+fax",
        r"referring\s+(?:provider\s+)?fax",
        r"office\s+fax",
        r"clinic\s+fax",
        r"physician\s+fax",
    ],
    "patient_address": [r"(?:patient\s+|home\s+|street\s+|mailing\s+|residential\s+)?address", r"addr\.?"],
    "street": [r"street", r"address\s+line\s*1"],
    "city_line": [
        r"city\s*/\s*state\s*/\s*zip",
        r"city,?\s+state,?\s+(?:and\s+)?zip(?:\s+code)?",
        r"city/st/zip",
    ],
    "mrn": [
        r"mrn",
        r"m\.r\.n\.?",
        r"medical\s+record\s*(?:#|number|no\.?)?",
        r"med\.?\s+rec\.?\s*(?:#|no\.?|number)?",
        r"chart\s*(?:#|number|no\.?)",
        r"patient\s+id",
        r"patient\s+#",
        r"account\s*(?:#|number|no\.?)",
        r"acct\.?\s*(?:#|no\.?)",
        r"mr\s*#",
        r"record\s*#",
        r"emr\s*#",
    ],
    "insurance_payer": [
        r"insurance",
        r"insurance\s+(?:company|name|carrier|plan|provider)",
        r"payer",
        r"payor",
        r"(?:health\s+)?plan(?:\s+name)?",
        r"carrier",
        r"primary\s+insurance",
        r"insurer",
        r"health\s+plan",
        r"plan",
    ],
    "member_id": [
        r"member\s*(?:id|#|number|no\.?)",
        r"subscriber\s*(?:id|#|number|no\.?)",
        r"policy\s*(?:#|number|no\.?|id)",
        r"id\s*#",
        r"insurance\s+id",
        r"identification\s*(?:#|number|no\.?)",
        r"id\s+number",
        r"id",
        r"member\s+id\s*#",
        r"policy",
        r"insured\s+id",
        r"medicaid\s*(?:id|#)",
        r"medicare\s*(?:id|#)",
        r"mbi",
        r"certificate\s*#",
    ],
    "group_number": [r"group\s*(?:#|number|no\.?|id)", r"grp\.?\s*(?:#|no\.?)?", r"group"],
    "referring_provider": [
        r"referring\s+(?:provider|physician|doctor|clinician|md|practitioner)(?:\s+name)?",
        r"ordering\s+(?:provider|physician|doctor|clinician)",
        r"pcp(?:\s+name)?",
        r"primary\s+care\s+(?:provider|physician)",
        r"referred\s+by",
        r"requesting\s+(?:provider|physician|doctor)",
        r"referral\s+from",
        r"provider\s+name",
        r"physician\s+name",
        r"ordered\s+by",
    ],
    "npi": [
        r"npi",
        r"npi\s*(?:#|number|no\.?)",
        r"(?:provider|referring|requesting|ordering)\s+npi(?:\s*#)?",
        r"requesting\s+provider\s+npi",
        r"national\s+provider\s+(?:id|identifier)",
    ],
    "referred_to_specialty": [
        r"specialty",
        r"specialty\s+requested",
        r"referred\s+to\s+specialty",
        r"refer\s+to",
        r"department",
        r"specialty\s+needed",
        r"type\s+of\s+specialist",
        r"consult\s+(?:type|service)",
        r"referral\s+to",
        r"service\s+requested",
        r"specialty/service",
        r"consult(?:ation)?\s+with",
        r"(?:please\s+)?(?:see|evaluate)\s+with",
    ],
    "referred_to_provider": [
        r"referred\s+to",
        r"specialist",
        r"consultant",
        r"to\s+provider",
        r"receiving\s+provider",
        r"preferred\s+provider",
        r"referred\s+to\s+provider",
        r"consulting\s+(?:provider|physician)",
        r"specialist\s+name",
        r"refer\s+to\s+(?:provider|physician|dr\.?)",
    ],
    "diagnosis_codes": [
        r"diagnos[ie]s",
        r"dx",
        r"icd-?\s?10(?:-?cm)?",
        r"diagnosis\s+codes?(?:\(s\))?",
        r"dx\s+codes?(?:\(s\))?",
        r"icd\s+codes?(?:\(s\))?",
        r"indication\s+code",
        r"diagnosis\s*/\s*icd-?10",
        r"primary\s+(?:diagnosis|dx)",
        r"dx\s*/\s*icd",
    ],
    "procedure_codes": [
        r"cpt",
        r"cpt\s+codes?(?:\(s\))?",
        r"procedure(?:\s+codes?(?:\(s\))?)?",
        r"hcpcs",
        r"service\s*/\s*cpt",
        r"hcpcs\s*/\s*cpt",
        r"cpt\s*/\s*hcpcs",
        r"requested\s+(?:service|procedure)",
        r"service\s+codes?",
        r"procedure\s+requested",
        r"procedures?\s+codes?",
    ],
    "reason_for_referral": [
        r"reason\s+for\s+referral",
        r"reason",
        r"referral\s+reason",
        r"clinical\s+reason",
        r"reason\s+for\s+consult(?:ation)?",
        r"indication",
        r"clinical\s+indication",
        r"reason\s+for\s+request",
        r"referral\s+diagnosis\s*/\s*reason",
        r"purpose\s+of\s+referral",
        r"clinical\s+question",
    ],
    "urgency": [
        r"priority",
        r"urgency",
        r"referral\s+priority",
        r"request\s+type",
        r"urgency\s+level",
        r"referral\s+type",
    ],
    "auth_number": [
        r"auth(?:ori[sz]ation)?\.?\s*(?:#|number|no\.?|id)",
        r"reference\s*(?:#|number|no\.?)",
        r"ref\.?\s*#",
        r"certification\s*(?:#|number|no\.?)",
        r"cert\.?\s*#",
        r"approval\s*(?:#|number|no\.?)",
        r"case\s*(?:#|number|no\.?|id)",
        r"tracking\s*(?:#|number)",
        r"request\s*(?:#|number|id)",
        r"pa\s*#",
        r"prior\s+auth(?:orization)?\s*#",
    ],
    "auth_status": [
        r"status",
        r"determination",
        r"decision",
        r"review\s+outcome",
        r"outcome",
        r"authorization\s+status",
        r"request\s+status",
        r"review\s+decision",
    ],
    "auth_valid_from": [
        r"valid\s+from",
        r"effective(?:\s+date)?",
        r"start\s+date",
        r"approved\s+from",
        r"from\s+date",
        r"begin(?:ning)?\s+date",
        r"authorized\s+from",
        r"service\s+start",
    ],
    "auth_valid_to": [
        r"valid\s+(?:to|through|thru|until)",
        r"expiration(?:\s+date)?",
        r"expires?",
        r"end\s+date",
        r"through",
        r"thru",
        r"to\s+date",
        r"authorized\s+through",
        r"service\s+end",
        r"valid\s+until",
    ],
    "service_date": [
        r"date\s+of\s+service",
        r"dos",
        r"visit\s+date",
        r"encounter\s+date",
        r"service\s+date",
        r"date\s+seen",
        r"date\s+of\s+visit",
        r"collection\s+date",
        r"collected",
        r"date\s+collected",
        r"exam\s+date",
        r"study\s+date",
        r"date\s+of\s+exam",
        r"date\s+of\s+study",
        r"specimen\s+date",
        r"appointment\s+date",
        r"date\s+of\s+consult(?:ation)?",
        r"admission\s+date",
        r"procedure\s+date",
    ],
    "from_name": [r"from", r"sender", r"from\s+office", r"sent\s+by", r"from\s+practice"],
    "to_name": [
        r"to",
        r"attention",
        r"attn\.?",
        r"recipient",
        r"to\s+office",
        r"deliver\s+to",
        r"send\s+to",
        r"to\s+practice",
    ],
    "cover_page_count": [
        r"pages",
        r"number\s+of\s+pages?",
        r"total\s+pages(?:\s*\(including\s+cover\))?",
        r"#\s*-?\s*(?:of\s+)?pages?",
        r"h\s*-?\s*of\s+[pr]ages?",  # "#" read as "H", a small-caps "P" as "R": "HOF RAGES"
        r"no\.?\s+of\s+pages?",
        r"page\s+count",
        r"pages\s*\(?including\s+cover\)?",
        r"total\s+#\s+of\s+pages",
        r"pages\s+\(incl\.?\s+cover\)",
        r"pages\s+to\s+follow",
        r"sheets(?:\s+incl(?:\.|uding)?(?:\s+(?:this(?:\s+one)?|cover))?)?",
    ],
}

SECTIONS: dict[str, list[str]] = {
    "patient": [
        r"patient(?:\s+(?:information|info|demographics|details))?",
        r"demographics",
        r"member\s+information",
        r"patient\s+data",
    ],
    "insurance": [
        r"insurance(?:\s+information|\s+info)?",
        r"coverage",
        r"payer\s+information",
        r"primary\s+insurance",
    ],
    "referring": [
        r"referring\s+(?:provider|physician)(?:\s+information|\s+info)?",
        r"ordering\s+(?:provider|physician|clinician|doctor)",
        r"referring\s+clinician",
        r"from",
        r"requesting\s+provider",
        r"provider\s+information",
        r"referred\s+by",
        r"pcp\s+information",
    ],
    "referred_to": [
        r"referred\s+to",
        r"referral\s+details",
        r"specialist(?:\s+information)?",
        r"request",
        r"consultant",
        r"referral\s+information",
        r"service\s+requested",
    ],
    "contact": [
        r"emergency\s+contact",
        r"guarantor(?:\s+information)?",
        r"responsible\s+party",
        r"next\s+of\s+kin",
    ],
}


_OCR_LOOKALIKES = {"i": "[il1|!]", "l": "[l1i|]", "o": "[o0]"}


def ocr_tolerant(pattern: str) -> str:
    """Let i, l and o in a label also match what OCR often reads them as ("Patlent")."""
    out, escaped, in_class = [], False, False
    for ch in pattern:
        out.append(ch if escaped or in_class else _OCR_LOOKALIKES.get(ch, ch))
        if not escaped:
            in_class = (in_class or ch == "[") and ch != "]"
        escaped = ch == "\\" and not escaped
    return "".join(out)


_LONG_WORD = re.compile(r"[a-z]{9,}")


def snap_label_words(text: str) -> str:
    """Lowercased `text` with each long word that is one letter off a label's word read as
    that word ("identitication", "diagnosls"): OCR slips the lookalike patterns do not
    cover. Only same-length words, so positions in the text hold."""
    return _LONG_WORD.sub(_snapped, text)


def _snapped(match: re.Match) -> str:
    word = match.group(0)
    known = _long_label_words().get(len(word), ())
    if word in known:
        return word
    near = [label for label in known if sum(a != b for a, b in zip(label, word, strict=True)) == 1]
    return near[0] if len(near) == 1 else word


@cache
def _long_label_words() -> dict[int, frozenset[str]]:
    words = {w for patterns in _LABELS.values() for p in patterns for w in _LONG_WORD.findall(p)}
    return {n: frozenset(w for w in words if len(w) == n) for n in {len(w) for w in words}}


@cache
def label_patterns() -> list[tuple[re.Pattern, str]]:
    """Every label as a compiled pattern with its key, longest pattern first. A label must
    also start a word: find them with `word_start_matches`."""
    pairs = [(p, key) for key, patterns in _LABELS.items() for p in patterns]
    pairs.sort(key=lambda pk: -len(pk[0]))
    return [(re.compile(rf"{_stray_marks(ocr_tolerant(p))}(?![a-z0-9])"), key) for p, key in pairs]


def word_start_matches(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """The matches `(?<![a-z0-9])` in front of the pattern would find. Checked here instead:
    a pattern opening with a lookbehind loses re's fast scan for its first character, which
    made finding labels 5x slower."""
    position = 0
    while (match := pattern.search(text, position)) is not None:
        start = match.start()
        if start and text[start - 1] in _WORD_CHARACTERS:
            position = start + 1
        else:
            yield match
            position = match.end()


def _stray_marks(pattern: str) -> str:
    """Let a speck OCR read as "." or "," sit before a space between a label's words
    ("DATE. OF BIRTH"), or take the space's place ("Date of.Birth")."""
    return pattern.replace(r"\s+", r"(?:[.,]?\s+|[.,])")


@cache
def section_patterns() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(rf"^\s*{p}\s*:?\s*$"), name) for name, patterns in SECTIONS.items() for p in patterns]


def section_of(row_text: str) -> str | None:
    """The section a heading row opens, if the row is a heading."""
    lower = row_text.lower().replace("\t", " ")
    for pattern, name in section_patterns():
        if pattern.match(lower):
            return name
    return None
