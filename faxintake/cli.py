"""The `faxintake` command."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import threading
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from core.lifecycle import private_files, share_metrics
from core.logs import configure_logging
from core.settings import Settings, load_settings
from extractors.loading import UnreadableInput

if TYPE_CHECKING:
    from extractors.parallel import QueuedFax
    from pipeline.stages import Pipeline

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE, EXIT_SETUP = 0, 1, 2, 3
EXIT_TRY_AGAIN = 75  # sysexits' EX_TEMPFAIL: a backend is down; the fax is still the caller's


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    private_files()
    settings = load_settings()
    configure_logging(settings.log_level)
    if getattr(args, "service", False):
        share_metrics(settings.metrics, fresh=args.run is cmd_up)
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
    p.add_argument(
        "--jobs", type=_positive, default=1, help="processes reading pages (OCR) while this one analyses"
    )
    p.set_defaults(run=cmd_process)

    p = sub.add_parser("text", help="print each page's text as the pipeline read it")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="with word boxes and confidences")
    p.set_defaults(run=cmd_text)

    p = sub.add_parser("train", help="build the page classifier from labelled sample folders")
    p.add_argument("folders", nargs="+", type=Path)
    p.add_argument("--out", type=Path, help="model file (default: the configured model file)")
    p.add_argument("--processes", type=int)
    p.add_argument("--reviewed", action="store_true", help="also learn from faxes VAs approved")
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
    p.add_argument(
        "--skew", type=_askew, default=0.0, help="degrees every fax page is fed further askew, either way"
    )
    p.set_defaults(run=cmd_samples)

    p = sub.add_parser("watch", help="take faxes from the drop folder into the queue")
    p.set_defaults(run=cmd_watch, service=True)

    p = sub.add_parser("worker", help="run rq workers (OCR and analysis)")
    p.add_argument("--count", type=int, default=1, help="worker processes")
    p.add_argument("--burst", action="store_true", help="stop when the queue is empty (one process)")
    p.set_defaults(run=cmd_worker, service=True)

    p = sub.add_parser("hylafax-rcvd", help="HylaFAX FaxRcvdCmd hook: ingest a received fax")
    p.add_argument("qfile", type=Path)
    p.add_argument("devid")
    p.add_argument("commid")
    p.add_argument("msg", nargs="?", default="")
    p.add_argument("callid", nargs="*")
    p.set_defaults(run=cmd_hylafax)

    p = sub.add_parser("requeue", help="queue again faxes left waiting (after an outage), or one fax")
    p.add_argument("fax_id", type=int, nargs="?")
    p.set_defaults(run=cmd_requeue)

    p = sub.add_parser("user", help="manage review accounts")
    user_sub = p.add_subparsers(required=True, metavar="ACTION")
    p = user_sub.add_parser("add", help="add an account; the password is asked for (or read from stdin)")
    p.add_argument("username")
    p.add_argument("--role", choices=["va", "supervisor", "admin"], default="va")
    p.set_defaults(run=cmd_user_add)

    p = sub.add_parser("serve", help="run the web app (review screens, webhooks, health)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.set_defaults(run=cmd_serve, service=True)

    p = sub.add_parser("up", help="everything on one machine: redis, workers, watcher, web app")
    p.add_argument("--exit-when-idle", action="store_true", help="stop once the drop folder is processed")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.set_defaults(run=cmd_up, service=True)

    p = sub.add_parser("status", help="throughput, backlog, failures and workers (as the ops page)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_status)
    return parser


def cmd_process(args: argparse.Namespace, settings: Settings) -> int:
    from extractors.parallel import PageReaders

    with PageReaders(settings, args.jobs) as readers:
        queued = [readers.queue(path) for path in args.files]
        from pipeline.stages import Pipeline  # loaded while the readers start on the pages

        pipeline = Pipeline.from_settings(settings)
        codes = [_print_result(pipeline, fax, args.json) for fax in queued]
    return max(codes, default=EXIT_OK)


def _print_result(pipeline: Pipeline, fax: QueuedFax, as_json: bool) -> int:
    """Analyse a queued fax once its pages are read and print its result, or why there is none."""
    from faxintake.summary import summary
    from pipeline.stages import sha256_of

    try:
        result = pipeline.analyse(str(fax.path), sha256_of(fax.path), fax.read())
    except (UnreadableInput, FileNotFoundError, IsADirectoryError) as exc:
        print(f"faxintake: {fax.path}: {_reason(exc)}", file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenProcessPool:
        print(f"faxintake: {fax.path}: a page reader died (out of memory, or OCR crashed)", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps(result) if as_json else summary(result), flush=True)
    return EXIT_OK


def cmd_text(args: argparse.Namespace, settings: Settings) -> int:
    from extractors.loading import open_fax
    from extractors.ocr import make_ocr_engine
    from extractors.reading import read_every_page

    try:
        pages = read_every_page(
            open_fax(args.file, settings),
            settings,
            make_ocr_engine(settings.ocr_engine, settings.ocr_language),
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

    folders = [*args.folders, settings.reviewed] if args.reviewed else args.folders
    metadata = train(folders, settings, args.out or settings.model_file, args.processes)
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
        args.folder,
        args.count,
        args.seed,
        args.split,
        date.today(),
        load_rules(settings.rules_file),
        args.skew,
    )
    print(f"wrote {len(paths)} faxes with truth files to {args.folder}")
    return EXIT_OK


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    from intake.watching import run_watcher
    from workers.queue import keep_requeuing
    from workers.services import Services

    services = Services.from_settings(settings)
    threading.Thread(target=keep_requeuing, args=(services,), daemon=True).start()
    run_watcher(services)
    return EXIT_OK


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from workers.runner import run_workers, work

    if args.burst:
        work(settings, burst=True)
    else:
        run_workers(settings, args.count)
    return EXIT_OK


def cmd_hylafax(args: argparse.Namespace, settings: Settings) -> int:
    from intake.hylafax import receive
    from workers.services import Services

    if not args.qfile.is_file():
        print(f"faxintake: {args.qfile}: no such file", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        accepted = receive(
            Services.from_settings(settings), args.qfile, args.devid, args.commid, args.msg, args.callid
        )
    except Exception as exc:  # noqa: BLE001 - a backend is down; HylaFAX keeps the file in recvq
        print(
            f"faxintake: could not store the fax now ({type(exc).__name__}); it stays in recvq",
            file=sys.stderr,
        )
        return EXIT_TRY_AGAIN
    print(f"fax {accepted.fax_id}: {accepted.status}" + (f" ({accepted.reason})" if accepted.reason else ""))
    return EXIT_UNREADABLE if accepted.status == "failed" else EXIT_OK


def cmd_requeue(args: argparse.Namespace, settings: Settings) -> int:
    from workers.queue import requeue, rerun
    from workers.services import Services

    services = Services.from_settings(settings)
    again = [args.fax_id] if args.fax_id else requeue(services)
    if args.fax_id:
        rerun(services, args.fax_id)
    print(f"queued again: {', '.join(map(str, again)) or 'nothing'}")
    return EXIT_OK


def cmd_user_add(args: argparse.Namespace, settings: Settings) -> int:
    import getpass

    from review.accounts import add_user
    from storage.db import make_engine, migrate, sessions

    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    engine = make_engine(settings.sqlalchemy_url)
    migrate(engine)
    with sessions(engine)() as session:
        add_user(session, args.username, password, args.role)
        session.commit()
    print(f"added {args.role} {args.username}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from review.app import serve
    from workers.services import Services

    serve(Services.from_settings(settings), args.host, args.port)
    return EXIT_OK


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import asdict

    from faxintake.summary import status_text
    from review.ops import snapshot
    from workers.services import Services

    state = snapshot(Services.from_settings(settings))
    print(json.dumps(asdict(state), default=str, indent=1) if args.json else status_text(state))
    return EXIT_OK


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from faxintake.up import up

    up(settings, args.workers, args.host, args.port, args.exit_when_idle)
    return EXIT_OK


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of 1 or more: {text!r}")
    return int(text)


def _askew(text: str) -> float:
    """A page fed askew, not turned: 0 to 45 degrees (nan and inf are floats too)."""
    try:
        degrees = float(text)
    except ValueError:
        degrees = math.nan
    if not 0 <= degrees <= 45:
        raise argparse.ArgumentTypeError(f"not a number of degrees from 0 to 45: {text!r}")
    return degrees


def _reason(exc: Exception) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a fax file"
    return str(exc)


if __name__ == "__main__":
    sys.exit(main())
