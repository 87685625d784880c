"""The `faxintake` command."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from extractors.loading import UnreadableInput
from faxintake.settings import Settings, load_settings

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE, EXIT_SETUP = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = load_settings()
    try:
        return args.run(args, settings)
    except (FileNotFoundError, ValueError) as exc:
        print(f"faxintake: {exc}", file=sys.stderr)
        return EXIT_SETUP


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="faxintake", description="Fax intake for medical practices")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("process", help="process fax files; print the result")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--json", action="store_true", help="the contract's JSON (JSON Lines for several files)")
    p.set_defaults(run=cmd_process)

    p = sub.add_parser("text", help="print each page's text as the pipeline read it")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="with word boxes and confidences")
    p.set_defaults(run=cmd_text)

    p = sub.add_parser("train", help="build the page classifier from labelled sample folders")
    p.add_argument("folders", nargs="+", type=Path)
    p.add_argument("--out", type=Path, help="model file (default: the configured model file)")
    p.add_argument("--processes", type=int)
    p.set_defaults(run=cmd_train)

    p = sub.add_parser("eval", help="score the pipeline on a generated folder with truth files")
    p.add_argument("folder", type=Path)
    p.add_argument("--json", action="store_true")
    p.add_argument("--processes", type=int)
    p.set_defaults(run=cmd_eval)

    p = sub.add_parser("samples", help="generate synthetic fax packets with ground truth")
    p.add_argument("folder", type=Path)
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--split",
        choices=["train", "holdout", "all"],
        default="all",
        help="which half of the layouts and wordings to draw from",
    )
    p.set_defaults(run=cmd_samples)
    return parser


def cmd_process(args: argparse.Namespace, settings: Settings) -> int:
    from faxintake.pipeline import Pipeline
    from faxintake.summary import summary

    pipeline = Pipeline.from_settings(settings)
    code = EXIT_OK
    for path in args.files:
        try:
            result = pipeline.process(path)
        except (UnreadableInput, FileNotFoundError, IsADirectoryError) as exc:
            print(f"faxintake: {path}: {_reason(exc)}", file=sys.stderr)
            code = EXIT_UNREADABLE
            continue
        print(json.dumps(result) if args.json else summary(result), flush=True)
    return code


def cmd_text(args: argparse.Namespace, settings: Settings) -> int:
    from extractors.loading import open_fax
    from extractors.ocr import make_engine
    from extractors.reading import read_pages

    try:
        pages = read_pages(
            open_fax(args.file, settings), settings, make_engine(settings.ocr_engine, settings.ocr_language)
        )
    except (UnreadableInput, FileNotFoundError, IsADirectoryError) as exc:
        print(f"faxintake: {args.file}: {_reason(exc)}", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.json:
        print(json.dumps({"source": str(args.file), "pages": [p.to_json() for p in pages]}))
    else:
        for page in pages:
            conf = f", OCR confidence {page.ocr_confidence}" if page.ocr_confidence is not None else ""
            print(f"===== page {page.number} ({page.source}{conf}) =====\n{page.text}\n")
    return EXIT_OK


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from classifiers.training import train

    metadata = train(args.folders, settings, args.out or settings.model_file, args.processes)
    print(json.dumps(metadata, indent=2))
    return EXIT_OK


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from faxintake.evaluation import evaluate_folder
    from faxintake.summary import eval_summary

    report = evaluate_folder(args.folder, settings, args.processes)
    print(json.dumps(report, indent=2) if args.json else eval_summary(report))
    return EXIT_FAILED if report["failures"] else EXIT_OK


def cmd_samples(args: argparse.Namespace, settings: Settings) -> int:
    from rules.engine import load_rules
    from samples.packets import generate

    paths = generate(
        args.folder, args.count, args.seed, args.split, date.today(), load_rules(settings.rules_file)
    )
    print(f"wrote {len(paths)} faxes with truth files to {args.folder}")
    return EXIT_OK


def _reason(exc: Exception) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a fax file"
    return str(exc)


if __name__ == "__main__":
    sys.exit(main())
