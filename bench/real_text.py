"""A set of real clinical documents' text, faxed: reports and notes as real systems and
clinicians wrote them (wording, headings, the order things come in), printed as plain
monospaced text the way an EHR prints a report, then faxed with bench.foreign's fax model.
Truth is the page type only; `faxintake eval` on the set measures page type and split.

    python -m bench.real_text OUT --mirrors DIR
    faxintake eval OUT

DIR holds a git clone of each source below as DIR/owner+name/repo (what `git clone --bare
https://github.com/owner/name DIR/owner+name/repo` makes); each file is read at the commit
recorded here. Nothing of these sources is committed to the project (see docs/accuracy.md)."""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment
from pdf2image import convert_from_bytes

from bench.foreign import TODAY, faxed

VA = "department-of-veterans-affairs/mhv-fhir-phr-mapping"  # CC BY-SA 4.0; mock VistA records
VA_COMMIT = "187b25d33b0ac756f43feaccf4b0467ae9324ec6"
DRAGON = "DIAGNijmegen/dragon_sample_reports"  # CC BY-NC-SA 4.0; anonymised, translated reports
DRAGON_COMMIT = "ab12d230f234f7b892337be0af2acd0c600378d7"

PAGE = """<html><head><style>
body { margin: 0.7in; } pre { font: {{ size }}pt {{ font }}; white-space: pre-wrap; }
</style></head><body><pre>{{ text }}</pre></body></html>"""
FONTS = ["Courier New, monospace", "DejaVu Sans Mono, monospace", "Liberation Mono, monospace"]


@dataclass(frozen=True)
class Source:
    repo: str
    commit: str
    path: str
    kind: str  # the contract's document type a clinic would file it as
    text: Callable[[str], str]


def vista_text(markdown: str) -> str:
    """A VistA record's printed text, under its title where the record has one."""
    title = re.search(r"<title>(.*?)</title>", markdown, re.S)
    body = html.unescape(re.findall(r"<text>(.*?)</text>", markdown, re.S)[0])
    return f"{html.unescape(title.group(1))}\n\n{body}" if title else body


def dragon_text(markdown: str) -> str:
    """The sample report inside the first code block, without the anonymisation banner."""
    block = markdown.split("```")[1]
    banner = re.compile(r"#{5,}|DISCLAIMER|THIS REPORT|ANY RESEMBLANCE")
    keep = [line for line in block.splitlines() if not banner.match(line)]
    return "\n".join(keep).strip()


def _va(path: str, kind: str) -> Source:
    return Source(VA, VA_COMMIT, f"input/pagecontent/{path}-intro.md", kind, vista_text)


def _dragon(task: str, kind: str) -> Source:
    return Source(DRAGON, DRAGON_COMMIT, f"english/{task}.md", kind, dragon_text)


SOURCES = (
    [_va(f"DiagnosticReport-ex-MHV-labreport-{n}", "lab_result") for n in range(1, 9)]
    + [_va("DiagnosticReport-ex-MHV-imaging-0", "imaging_report")]
    + [_va(f"DocumentReference-ex-MHV-note-{n}", "clinical_notes") for n in range(0, 9)]
    + [
        _dragon(task, "imaging_report")
        for task in (
            "Task001_adhesion_clf",
            "Task002_nodule_clf",
            "Task003_kidney_clf",
            "Task005_recist_timeline_clf",
            "Task007_nodule_diameter_presence_clf",
            "Task008_pdac_size_presence_clf",
            "Task010_prostate_radiology_clf",
            "Task018_osteoarthritis_clf",
        )
    ]
    + [
        _dragon(task, "lab_result")  # pathology reports
        for task in (
            "Task004_skin_case_selection_clf",
            "Task006_pathology_tumor_origin_clf",
            "Task011_prostate_pathology_clf",
            "Task012_pathology_tissue_type_clf",
            "Task013_pathology_tissue_origin_clf",
        )
    ]
)


def read_source(mirrors: Path, source: Source) -> str:
    git_dir = mirrors / source.repo.replace("/", "+") / "repo"
    shown = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{source.commit}:{source.path}"],
        check=True,
        capture_output=True,
        text=True,
    )
    return source.text(shown.stdout)


def make(out: Path, mirrors: Path, seed: int) -> None:
    from playwright.sync_api import sync_playwright

    rng, page = random.Random(seed), Environment(autoescape=True).from_string(PAGE)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        tab = browser.new_page()
        for number, source in enumerate(SOURCES, start=1):
            text = read_source(mirrors, source)
            tab.set_content(page.render(text=text, font=rng.choice(FONTS), size=rng.choice([10, 11, 12])))
            rendered = convert_from_bytes(tab.pdf(format="Letter"), dpi=204, grayscale=True)
            standard = rng.random() < 0.3
            pages = [faxed(p, rng, standard) for p in rendered]
            name = f"real-{number:03d}"
            dpi = (204, 98) if standard else (204, 196)
            tiff = out / f"{name}.tif"
            pages[0].save(tiff, compression="group4", save_all=True, append_images=pages[1:], dpi=dpi)
            numbers = list(range(1, len(pages) + 1))
            truth = {
                "source": f"{name}.tif",
                "origin": f"{source.repo}@{source.commit[:12]}:{source.path}",
                "generated_on": TODAY.isoformat(),
                "fields_labelled": False,
                "pages": [{"page": n, "type": source.kind} for n in numbers],
                "documents": [{"type": source.kind, "pages": numbers, "fields": {}}],
            }
            (out / f"{name}.truth.json").write_text(json.dumps(truth, indent=1))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--mirrors", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    make(args.out, args.mirrors, args.seed)


if __name__ == "__main__":
    main()
