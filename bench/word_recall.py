"""Word recall on real scanned forms with word-level truth: the share of the true words an OCR
path reads, beside plain `tesseract IMG -` on the same pages in the same run.

    python -m bench.word_recall FOLDER [--paths plain tesseract ...] [--jobs 2] [--limit N]

FOLDER holds images/*.png and annotations/*.json as FUNSD ships them (use its training
split; its test split is kept for evaluation). Words compare as lower case without the
punctuation around them, each true word matched at most once (a multiset). Prints one line
per path: recall, pages, CPU seconds a page; with --by-kind, recall by page kind too."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

from PIL import Image

from extractors.ocr import make_ocr_engine, ocr_page
from extractors.pagekind import page_kind

os.environ["OMP_THREAD_LIMIT"] = "1"
EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")


def tokens(text: str) -> Counter[str]:
    """The words of `text` as compared: lower case, without the punctuation around them."""
    words = (EDGE_PUNCTUATION.sub("", word.lower()) for word in text.split())
    return Counter(word for word in words if word)


def truth(annotation: Path) -> Counter[str]:
    form = json.loads(annotation.read_text())["form"]
    return tokens(" ".join(word["text"] for entity in form for word in entity["words"]))


def plain_tesseract(image: Path) -> str:
    return subprocess.run(["tesseract", str(image), "-"], capture_output=True, text=True).stdout


@cache
def _engine(name: str):
    return make_ocr_engine(name, "eng")


def faxintake_reader(engine: str) -> Callable[[Path], str]:
    def read(image: Path) -> str:
        page = ocr_page(Image.open(image), 1, _engine(engine))
        return " ".join(word.text for word in page.words)

    return read


def reader(path: str) -> Callable[[Path], str]:
    return plain_tesseract if path == "plain" else faxintake_reader(path)


def _measure(path: str, image: Path) -> tuple[str, float]:
    started = time.process_time()
    children = os.times().children_user + os.times().children_system
    text = reader(path)(image)
    spent = time.process_time() - started + os.times().children_user + os.times().children_system - children
    return text, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--paths", nargs="+", default=["plain", "tesseract"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--by-kind", action="store_true")
    args = parser.parse_args()
    images = sorted((args.folder / "images").glob("*.png"))[: args.limit or None]
    truths = [truth(args.folder / "annotations" / f"{image.stem}.json") for image in images]
    kinds = [page_kind(Image.open(image)).value for image in images] if args.by_kind else []
    with ProcessPoolExecutor(args.jobs) as pool:
        for path in args.paths:
            read = list(pool.map(_measure, [path] * len(images), images))
            texts = [text for text, _ in read]
            found = [sum((tokens(text) & true).values()) for text, true in zip(texts, truths, strict=True)]
            total = sum(sum(true.values()) for true in truths)
            seconds = sum(spent for _, spent in read) / len(images)
            line = f"{path:12} recall {sum(found) / total:.3f}  pages {len(images)}  cpu {seconds:.2f} s/page"
            if kinds:
                line += "  " + _by_kind(kinds, found, truths)
            print(line, flush=True)


def _by_kind(kinds: list[str], found: list[int], truths: list[Counter[str]]) -> str:
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, count, true in zip(kinds, found, truths, strict=True):
        hits[kind][0] += count
        hits[kind][1] += sum(true.values())
    return " ".join(f"{kind}={hit / total:.3f}" for kind, (hit, total) in sorted(hits.items()))


if __name__ == "__main__":
    main()
