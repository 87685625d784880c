"""What each kind of document looks like in the wild, written down: titles, section headings
and key terms a clinic's staff would recognise on any sender's form. The page model learns
from examples; this knowledge stands beside it for pages unlike anything it learned from
(the model then says `other`, or is unsure), so that an imaging report with a layout the
model never saw is still read as an imaging report.

Each cue is a pattern and a weight: a title-like cue counts more in the top rows of the page
(where titles are), a term counts wherever it is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.data import PageClass

TOP_ROWS = 8  # where a document's title and letterhead are
TITLE_BONUS = 2.0  # a cue in the top rows counts this much more
LEAST_EVIDENCE = 4.0  # weight a type needs before the knowledge names it
GUESS_CONFIDENCE = 0.5  # shown for a type named by knowledge: unsure, for the VA to confirm
UNSURE_MODEL = 0.35  # the model's pick below this gives way to what the knowledge clearly names


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float


def _cues(*pairs: tuple[str, float]) -> list[Cue]:
    return [Cue(re.compile(rf"(?i)\b(?:{pattern})\b"), weight) for pattern, weight in pairs]


CUES: dict[str, list[Cue]] = {
    "other": _cues(  # what the contract has no type for, though it names patients and providers
        (r"appointment\s+(?:is\s+)?(?:confirm\w*|scheduled|reminder)|your\s+appointment", 4),
        (r"fax\s+test|test\s+page|transmission\s+(?:report|verification)", 4),
        (r"claim\s+form|cms-?1500|ub-?04|explanation\s+of\s+benefits", 4),
    ),
    "fax_cover": _cues(
        (r"fax\s+cover|facsimile|fax\s+transmi(?:ssion|ttal)|cover\s+sheet", 3),
        (r"number\s+of\s+pages|pages?\s*\(?including\s+cover|total\s+pages|(?:sheets|pages)\s+incl", 2),
        (r"confidentiality\s+notice|intended\s+recipient|if\s+you\s+(?:have\s+)?received\s+this", 1.5),
        (r"(?:reached|received)\s+(?:you\s+)?in\s+error|this\s+transmission", 1.5),
        (r"attn|sender", 1),
        (r"(?:to|from)\s*:", 0.5),
    ),
    "referral": _cues(
        (r"referral(?:\s+(?:form|request|order))?|request\s+for\s+consult\w*|consult\w*\s+request", 3),
        (r"referred\s+to|referring\s+(?:provider|physician)|reason\s+for\s+referral", 2),
        (  # how a referral letter asks
            r"(?:i\s+am|we\s+are)\s+referring|would\s+(?:be\s+grateful|appreciate\s+it)\s+if\s+you\s+"
            r"(?:would|could)\s+(?:see|evaluate|assess)|(?:see|evaluate|assess)\s+(?:my|our|this)\s+patient",
            3,
        ),
        (r"specialty|urgency|stat|routine", 0.5),
    ),
    "prior_auth": _cues(
        (r"prior\s+auth(?:orization)?|pre-?\s*(?:authorization|certification)|precert", 3),
        (r"pre-?service\s+review|prior\s+approval", 3),
        (  # the titles of payers' and pharmacy benefit managers' request forms
            r"coverage\s+determination|formulary\s+exception|step\s+therapy|medication\s+request\s+form|"
            r"exception\s+request|request\s+for\s+(?:authorization|approval)|authorization\s+request\s+form",
            3,
        ),
        (r"prescriber|drug\s+name|medication\s+name|days?\s+supply|quantity\s+requested", 1),
        (r"requesting\s+(?:provider|physician)|servicing\s+provider|clinical\s+rationale", 1.5),
        (r"authorization\s+(?:number|#|status|request|decision)|utilization\s+(?:review|management)", 2),
        (r"approved|denied|denial|medical\s+necessity|appeal", 1),
        (r"cpt|hcpcs|requested\s+service|units", 0.5),
    ),
    "clinical_notes": _cues(
        (
            r"(?:progress|office|clinic|visit|encounter|nursing|procedure|operative|exam(?:ination)?|"
            r"discharge|admission|event|telephone)\s+note|discharge\s+summary|history\s+and\s+physical|h\s*&\s*p",
            3,
        ),
        (r"chief\s+complaint|history\s+of\s+present\s+illness|hpi|review\s+of\s+systems|ros", 2),
        (r"date\s+of\s+(?:note|visit|service|encounter)", 2),
        (r"assessment(?:\s+and\s+plan)?|plan\s*:|physical\s+exam(?:ination)?|vital\s+signs|medications", 1),
        (r"subjective|objective|allergies|follow[-\s]?up", 0.5),
        (r"general\s+appearance|heent|extremities|neurologic", 0.5),  # the exam's headings
    ),
    "lab_result": _cues(
        (r"laboratory|lab\s+(?:report|results?)|pathology\s+report|cbc|complete\s+blood\s+count", 3),
        (r"reference\s+(?:range|interval)|specimen|collected|accession|result\s+flag|pathologist", 2),
        (  # how a pathology report reads
            r"gross\s+description|microscop(?:y|ic\s+description)|macroscopy|histolog\w*|immunohistochemi\w*|"
            r"biops(?:y|ies)|formalin|tissue",
            1,
        ),
        (r"hemoglobin|glucose|creatinine|sodium|potassium|cholesterol|a1c|tsh|wbc|platelets", 1),
        (r"mg/dl|mmol/l|g/dl|u/l|high|low|abnormal", 0.5),
    ),
    "imaging_report": _cues(
        (
            r"radiology|imaging\s+report|diagnostic\s+imaging|x-?ray|radiograph|mri|ct|ultrasound|mammogra\w*",
            3,
        ),
        (r"findings|impression|technique|comparison|contrast", 1.5),
        (r"views?|without\s+contrast|with\s+contrast|radiologist|exam(?:ination)?\s+date", 1),
    ),
    "insurance_card": _cues(
        (r"rx\s*bin|rx\s*pcn|rx\s*grp|copay|co-pay", 2),  # a card's own; forms ask for the rest too
        (r"member\s+(?:id|#|number)|subscriber|group\s+(?:no|number|#)", 1),
        (r"pcp|specialist|er\s+\$|urgent\s+care", 1),
        (r"health\s+plan|insurance\s+card|ppo|hmo|epo|medicare|medicaid", 1),
    ),
    "demographics": _cues(
        (r"demographics?|patient\s+(?:information|registration|intake)\s*(?:form|sheet)?|face\s+sheet", 3),
        (r"emergency\s+contact|marital\s+status|employer|guarantor|preferred\s+language", 2),
        (r"address|date\s+of\s+birth|sex|phone", 0.5),
    ),
    "consult_report": _cues(
        (r"consult(?:ation)?\s+(?:report|note|letter)|consultation(?!\s+request)", 3),
        (r"thank\s+you\s+for\s+(?:the\s+)?(?:referral|referring|allowing)|seen\s+in\s+consultation", 2),
        (r"to\s*\(?\s*referring\s+(?:provider|physician|doctor)", 3),  # addressed back to the referrer
        (r"reason\s+for\s+consult(?:ation)?|participate\s+in\s+the\s+care", 2),
        (r"recommendations?|impression|assessment", 1),
    ),
    "records_request": _cues(
        (r"records?\s+request|request\s+for\s+(?:medical\s+)?records|release\s+of\s+information", 3),
        (
            r"authorization\s+(?:to|for)\s+(?:release|disclose)|hipaa\s+authorization|"
            r"please\s+send\s+(?:us\s+)?(?:copies|(?:the\s+|all\s+)?(?:medical\s+)?records)",
            2,
        ),
        (r"medical\s+records|copies\s+of|records\s+from", 1),
    ),
}


def evidence(rows: list[str]) -> dict[str, float]:
    """The weight of every type's cues on a page (its rows of text, top first)."""
    top, rest = " \n".join(rows[:TOP_ROWS]), " \n".join(rows[TOP_ROWS:])
    found: dict[str, float] = {}
    for doc_type, cues in CUES.items():
        score = 0.0
        for cue in cues:
            if cue.pattern.search(top):
                score += cue.weight * TITLE_BONUS
            elif cue.pattern.search(rest):
                score += cue.weight
        found[doc_type] = score
    return found


def known_type(rows: list[str]) -> PageClass | None:
    """The type the cues point to, if they point clearly enough to one; shown as unsure.
    `other` when they point to a document the contract has no type for (an appointment
    confirmation, a claim form, a fax test page)."""
    scores = evidence(rows)
    best = max(scores, key=lambda doc_type: scores[doc_type])
    if scores[best] < LEAST_EVIDENCE:
        return None
    return PageClass(best, GUESS_CONFIDENCE)


def is_sure(model: PageClass) -> bool:
    """The model found a type and is fairly sure of it: the knowledge need not be asked."""
    return model.type != "other" and model.confidence >= UNSURE_MODEL


def judged(model: PageClass, known: PageClass | None) -> PageClass:
    """The model's class where it is sure; otherwise what the knowledge names (`known_type`),
    if it names anything: a pathology report the model calls an imaging report at 0.2 reads
    as its own title says."""
    return model if is_sure(model) else known or model
