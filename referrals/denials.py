"""The payer's reason for a denial, as printed on the notice: a labelled line ("Reason for
denial: ...") if there is one, else the first sentence giving a usual cause."""

from __future__ import annotations

import re

from core.data import PageText

_LABEL = re.compile(
    r"\b(reason\s+for\s+(denial|decision|determination|non-?certification)|denial\s+reason|"
    r"rationale|basis\s+for\s+(the\s+)?(denial|decision))\b\s*[:\-]?\s*",
    re.IGNORECASE,
)
_CAUSE = re.compile(
    r"medical(ly)?\s+necess|not\s+covered|criteria|exclu(ded|sion)|out[\s-]+of[\s-]+network|"
    r"experimental|investigational|insufficient|benefit\s+limit|not\s+a\s+covered",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
LONGEST = 300


def denial_reason(pages: list[PageText]) -> str | None:
    lines = [line for page in pages for line in page.text.splitlines()]
    for index, line in enumerate(lines):
        label = _LABEL.search(line)
        if label:
            reason = line[label.end() :].strip()
            if len(reason) < 40 and index + 1 < len(lines):
                reason = f"{reason} {lines[index + 1].strip()}".strip()
            if reason:
                return reason[:LONGEST]
    prose = " ".join(line.strip() for line in lines)
    return next((s.strip()[:LONGEST] for s in _SENTENCE.split(prose) if _CAUSE.search(s)), None)
