"""Whether an ICD-10-CM code exists, from simple-icd-10-cm's code list.

Only the list is read: importing the package builds its whole classification tree, which
costs every worker about 170 MB for a set lookup."""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path


def exists(code: str) -> bool:
    """True for a code (or category) in ICD-10-CM, written with or without its dot."""
    return code.replace(".", "").upper() in _codes()


@cache
def _codes() -> frozenset[str]:
    spec = find_spec("simple_icd_10_cm")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("simple-icd-10-cm is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    listing = max(folder.glob("code-list-*.txt"))
    return frozenset(line.strip() for line in listing.read_text().splitlines() if line.strip())
