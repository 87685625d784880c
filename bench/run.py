"""Speed benchmark: the same fax pages through a plain tesseract loop (the floor), the OCR
engine alone kept loaded, `faxintake process`, and the daemon with 1 and 2 workers; plus
text-layer pages.

    python -m bench.run [--faxes 16] [--rounds 3] [--engines tesseract tesserocr] [--shapes]

Every path runs in this one invocation on the same pages, several times, each time between
two floor runs with as many processes (see `interleaved`), so the ratios compare like with
like on whatever machine runs it. Writes <out>/latest.json and <out>/latest.png."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache, partial
from pathlib import Path

import httpx
import numpy as np
import psutil
from PIL import Image
from redis import Redis
from rq import Worker
from sqlalchemy import select

from core.settings import Settings
from extractors.loading import open_fax
from extractors.ocr import ENGINES, make_ocr_engine
from extractors.raster import page_image
from pipeline.stages import Pipeline
from rules.engine import load_rules
from samples.packets import PacketMaker, save
from storage.db import make_engine, sessions
from storage.models import Fax, Task, aware

TODAY = date(2026, 11, 27)
STEAL_BASE = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")  # Linux fields
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


@dataclass
class Run:
    path: str
    processes: int
    pages: int
    seconds: float
    page_p50: float | None = None
    page_p95: float | None = None
    peak_mb_per_process: float | None = None
    ratio_to_floor: float | None = None
    notes: dict = field(default_factory=dict)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds


def make_faxes(folder: Path, count: int, seed: int, formats: tuple[str, ...]) -> list[Path]:
    maker = PacketMaker(seed, "all", TODAY)
    rules = load_rules(Settings().rules_file)
    paths = []
    for i in range(count):
        packet = maker.packet()
        packet.format, packet.mode = formats[i % len(formats)], "fine"
        paths.append(save(maker, packet, folder / f"bench-{i:03d}", rules))
    return paths


def page_pngs(faxes: list[Path], folder: Path) -> list[Path]:
    """Each page as the image the pipeline OCRs (native resolution, square pixels)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for fax_path in faxes:
        fax = open_fax(fax_path, Settings())
        for number in range(1, fax.page_count + 1):
            png = folder / f"{fax_path.stem}-{number}.png"
            page_image(fax, number).save(png)
            out.append(png)
    return out


def _tesseract(png: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["tesseract", str(png), "stdout", "--psm", "11", "tsv"], env=ENV, capture_output=True, check=True
    )
    return time.perf_counter() - started


def floor(pngs: list[Path], processes: int) -> Run:
    """A plain loop of the tesseract command over the page images, one process per core."""
    started = time.perf_counter()
    with ProcessPoolExecutor(processes) as pool:
        latencies = list(pool.map(_tesseract, pngs))
    return Run(
        "tesseract loop (floor)", processes, len(pngs), time.perf_counter() - started, *_p50_p95(latencies)
    )


@cache
def _loaded_engine():
    return make_ocr_engine("tesserocr", "eng")


def _engine_words(png: Path) -> float:
    pixels = np.asarray(Image.open(png).convert("L"))
    started = time.perf_counter()
    _loaded_engine().words(pixels)
    return time.perf_counter() - started


def interleaved(
    pngs: list[Path], contenders: list[tuple[int, Callable[[], Run]]], rounds: int
) -> tuple[list[Run], list[Run]]:
    """Measure each contender (processes, path) `rounds` times between floor runs with as many
    processes: per round and process count, floor, path, floor, path, floor ..., the paths'
    order turned by one every round. A path's ratio is to the mean of the two floors either
    side of it. This machine's speed drifts by tens of percent over minutes, so one path run
    against one floor says little; the median of several bracketed ratios says more.
    Returns the paths' runs and the floor runs."""
    runs, floors = [], []
    for number in range(1, rounds + 1):
        for processes in sorted({p for p, _ in contenders}, reverse=True):
            group = [measure for p, measure in contenders if p == processes]
            shift = (number - 1) % len(group)
            measure_floor = partial(with_steal, partial(floor, pngs, processes))
            before = measure_floor()
            floors.append(before)
            before.notes["round"] = number
            for measure in group[shift:] + group[:shift]:
                run = with_steal(measure)
                after = measure_floor()
                after.notes["round"] = number
                floors.append(after)
                _bracket(run, before, after, number)
                runs.append(run)
                before = after
    return runs, floors


def _bracket(run: Run, before: Run, after: Run, number: int) -> None:
    """Note a path run's round and its ratio to the floors just before and after it."""
    floor_speed = (before.pages_per_second + after.pages_per_second) / 2
    run.ratio_to_floor = round(run.pages_per_second / floor_speed, 3)
    run.notes |= {
        "round": number,
        "floor_pages_per_second": round(floor_speed, 3),
        "floor_cpu_steal_percent": max(before.notes["cpu_steal_percent"], after.notes["cpu_steal_percent"]),
    }


def with_steal(measure: Callable[[], Run]) -> Run:
    """Run a path, noting the share of CPU time the virtual machine's host took for others
    meanwhile ("steal"): a run that lost much of it to the host says little about faxintake."""
    before = psutil.cpu_times()
    run = measure()
    after = psutil.cpu_times()
    spent = {name: getattr(after, name) - getattr(before, name) for name in STEAL_BASE}
    total = sum(spent.values())
    run.notes["cpu_steal_percent"] = round(100 * spent["steal"] / total, 1) if total else 0.0
    return run


def engine_loop(pngs: list[Path], processes: int) -> Run:
    """The OCR engine alone, loaded once per process, over the same page images: no pipeline
    around it. Its two-process over one-process ratio is the most this machine gives two
    workers (both cores busy slow each one down)."""
    with ProcessPoolExecutor(processes, initializer=os.environ.update, initargs=(ENV,)) as pool:
        list(pool.map(_engine_words, pngs[:processes]))  # load the engine in every process
        started = time.perf_counter()
        latencies = list(pool.map(_engine_words, pngs))
    return Run(
        "tesserocr loop (engine alone)",
        processes,
        len(pngs),
        time.perf_counter() - started,
        *_p50_p95(latencies),
    )


def cli(faxes: list[Path], processes: int, engine: str, pages: int) -> Run:
    """One `faxintake process --jobs N` over all the faxes: N processes reading pages while
    the command itself analyses each fax."""
    env = {**ENV, "FAXINTAKE_OCR_ENGINE": engine, "FAXINTAKE_DATA_DIR": tempfile.mkdtemp()}
    started = time.perf_counter()
    command = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "faxintake.cli",
            "process",
            "--json",
            "--jobs",
            str(processes),
            *map(str, faxes),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    peak = _watch_memory(lambda: _tree(command))
    command.wait()
    return Run(
        f"faxintake process ({engine})",
        processes,
        pages,
        time.perf_counter() - started,
        peak_mb_per_process=peak,
    )


def daemon(faxes: list[Path], workers: int, engine: str, pages: int, pages_per_job: int | None = None) -> Run:
    """Files dropped into the watched folder of `faxintake up` until every one is ready.
    `pages_per_job`: the fan-out shape (1 per page, n per chunk, 0 the whole fax; None the
    default, which picks per page or per fax by how backed up the queue is)."""
    data = Path(tempfile.mkdtemp())
    port = _free_port()
    env = {k: v for k, v in ENV.items() if not k.startswith("FAXINTAKE_")}
    env |= {
        "FAXINTAKE_DATA_DIR": str(data),
        "FAXINTAKE_STABLE_SECONDS": "0.3",
        "FAXINTAKE_OCR_ENGINE": engine,
    }
    shape_variable = "" if pages_per_job is None else str(pages_per_job)
    env |= {"FAXINTAKE_LOG_LEVEL": "WARNING", "FAXINTAKE_PAGES_PER_JOB": shape_variable}
    up = subprocess.Popen(
        [sys.executable, "-m", "faxintake.cli", "up", "--workers", str(workers), "--port", str(port)],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_ready(port)
        _wait_workers(data / "redis" / "redis.sock", workers)
        dropped = time.time()
        for path in faxes:
            shutil.copy(path, data / "inbox" / path.name)
        factory = sessions(make_engine(f"sqlite:///{data / 'faxintake.db'}"))
        peak = _watch_memory(lambda: _workers_of(up), until=lambda: _all_ready(factory, len(faxes)))
        with factory() as session:
            seconds = _last_ready(session) - dropped
            latencies = list(session.scalars(select(Task.run_seconds).where(Task.stage.startswith("page:"))))
    finally:
        up.terminate()
        up.wait(60)
    shapes = {None: "automatic", 1: "per page", 0: "per fax"}
    shape = shapes.get(pages_per_job, f"{pages_per_job} pages per job")
    name = f"daemon, {workers} worker(s) ({engine}, {shape})"
    return Run(name, workers, pages, seconds, *_p50_p95(latencies), peak)


def text_layer(count: int, folder: Path) -> Run:
    """Born-digital PDFs in one process: the path that skips OCR."""
    faxes = make_faxes(folder, count, 4242, ("born_digital",))
    pipeline = Pipeline.from_settings(Settings())
    for path in make_faxes(folder / "warm-up", 2, 4343, ("born_digital",)):
        pipeline.process(path)  # the model and spaCy loaded, on other pages than those timed
    started = time.perf_counter()
    pages = sum(pipeline.process(path)["page_count"] for path in faxes)
    return Run("text-layer PDFs, faxintake process (in process)", 1, pages, time.perf_counter() - started)


def _watch_memory(processes, until=None, every: float = 0.2) -> float:
    """Peak resident memory (MB) of any one of the processes while they run (or until `until`)."""
    peak = 0.0
    while True:
        alive = processes()
        if until is None and not alive:
            return round(peak, 1)
        for process in alive:
            try:
                peak = max(peak, process.memory_info().rss / 2**20)
            except psutil.Error:
                pass
        if until is not None and until():
            return round(peak, 1)
        time.sleep(every)


def _tree(command: subprocess.Popen) -> list[psutil.Process]:
    """The command and its child processes while it runs."""
    if command.poll() is not None:
        return []
    try:
        top = psutil.Process(command.pid)
        return [top, *top.children(recursive=True)]
    except psutil.Error:
        return []


def _workers_of(up: subprocess.Popen) -> list[psutil.Process]:
    children = psutil.Process(up.pid).children()
    return [c for c in children if "redis-server" not in " ".join(c.cmdline())]


def _all_ready(factory, expected: int) -> bool:
    with factory() as session:
        return session.query(Fax).filter(Fax.status.in_(("ready", "failed"))).count() >= expected


def _last_ready(session) -> float:
    """When the last fax became ready, as its worker recorded it: the end of the run, not
    when the benchmark's polling noticed it."""
    return max(aware(finished).timestamp() for finished in session.scalars(select(Fax.finished_at)))


def _wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("faxintake up did not become ready")


def _wait_workers(socket: Path, count: int, timeout: float = 120) -> None:
    """Until every worker has loaded its engine and model and listens: throughput is measured
    from then, not from the daemon's start (its ~2 s are paid once, not per fax)."""
    connection = Redis(unix_socket_path=str(socket))
    deadline = time.monotonic() + timeout
    while Worker.count(connection=connection) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{count} worker(s) did not start")
        time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _p50_p95(values: list[float]) -> tuple[float | None, float | None]:
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return None, None
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return round(cuts[49], 3), round(cuts[94], 3)


def summary(runs: list[Run]) -> list[dict]:
    """One row per path and process count: the median over rounds of its pages per second,
    its bracketed ratio to the floor and its page latencies; every round's ratio; the highest
    peak memory and steal."""
    groups: dict[tuple[str, int], list[Run]] = {}
    for run in runs:
        groups.setdefault((run.path, run.processes), []).append(run)
    rows = []
    for (path, processes), group in groups.items():
        rows.append(
            {
                "path": path,
                "processes": processes,
                "rounds": len(group),
                "pages_per_second": _median([r.pages_per_second for r in group]),
                "ratio_to_floor": _median([r.ratio_to_floor for r in group]),
                "ratios": [r.ratio_to_floor for r in group],
                "speeds": [round(r.pages_per_second, 3) for r in group],
                "page_p50": _median([r.page_p50 for r in group]),
                "page_p95": _median([r.page_p95 for r in group]),
                "peak_mb_per_process": max((r.peak_mb_per_process or 0 for r in group), default=0) or None,
                "cpu_steal_percent": max(r.notes["cpu_steal_percent"] for r in group),
            }
        )
    return rows


def scaling(runs: list[Run], cores: int) -> dict[str, float]:
    """Each path's pages per second with `cores` processes over its pages per second with one,
    per round (the two runs of a round are minutes apart, not hours; a path measured several
    times in a round, as the floor is, by its median), median over rounds."""
    speeds: dict[str, dict[int, dict[int, list[float]]]] = {}
    for run in runs:
        path = run.path.replace(f"{run.processes} worker(s)", "n workers")
        of_round = speeds.setdefault(path, {}).setdefault(run.notes.get("round", 0), {})
        of_round.setdefault(run.processes, []).append(run.pages_per_second)
    ratios = {
        path: [_median(s[cores]) / _median(s[1]) for s in rounds.values() if cores in s and 1 in s]
        for path, rounds in speeds.items()
    }
    return {path: _median(values) for path, values in ratios.items() if values}


def _median(values: list[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def chart(rows: list[dict], path: Path) -> None:
    """Bars of median pages per second for the OCR paths, each labelled with its median ratio
    to the floor."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ocr = [r for r in rows if r["ratio_to_floor"] is not None]
    places = range(len(ocr))
    fig, axis = plt.subplots(figsize=(10, 0.6 + 0.45 * len(ocr)))
    axis.barh(list(places), [r["pages_per_second"] for r in ocr], color="#1f5fbf")
    axis.set_yticks(list(places), [f"{r['path']} [{r['processes']}p]" for r in ocr])
    for place, row in zip(places, ocr, strict=True):
        label = f" {row['pages_per_second']:.2f} ({row['ratio_to_floor']:.2f}x)"
        axis.text(row["pages_per_second"], place, label, va="center")
    axis.invert_yaxis()
    axis.set_xlim(0, max(r["pages_per_second"] for r in ocr) * 1.25)
    axis.set_xlabel("pages per second, median of rounds (ratio: to the tesseract loops either side)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def contenders(
    faxes: list[Path], pngs: list[Path], cores: int, engines: list[str], shapes: bool
) -> list[tuple[int, Callable[[], Run]]]:
    """The paths measured against the floor, with their process counts."""
    pages = len(pngs)
    paths = [(n, partial(engine_loop, pngs, n)) for n in (cores, 1)]
    for engine in engines:
        paths.append((cores, partial(cli, faxes, cores, engine, pages)))
        paths += [(n, partial(daemon, faxes, n, engine, pages)) for n in (1, cores)]
    if shapes:
        paths += [(cores, partial(daemon, faxes, cores, engines[-1], pages, size)) for size in (1, 0)]
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--faxes", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each path, between floors")
    parser.add_argument("--engines", nargs="+", default=["tesserocr"], choices=list(ENGINES))
    parser.add_argument("--shapes", action="store_true", help="also the daemon always per page, per fax")
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    parser.add_argument("--chart", type=Path, help="only redraw the chart of this JSON report")
    args = parser.parse_args()
    if args.faxes < 1 or args.rounds < 1:
        parser.error("--faxes and --rounds take 1 or more")
    if args.chart:
        chart(json.loads(args.chart.read_text())["paths"], args.chart.with_suffix(".png"))
        return
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="faxintake-bench-"))
    faxes = make_faxes(work / "faxes", args.faxes, 777, ("fax_tiff", "fax_pdf"))
    pngs = page_pngs(faxes, work / "pngs")
    runs, floors = interleaved(pngs, contenders(faxes, pngs, cores, args.engines, args.shapes), args.rounds)
    for run in floors:
        run.ratio_to_floor = 1.0
    text = with_steal(partial(text_layer, 20, work / "text"))
    report = {
        "machine": {"cpus": cores, "python": platform.python_version(), "platform": platform.platform()},
        "tesseract": _tesseract_version(),
        "faxes": len(faxes),
        "pages": len(pngs),
        "rounds": args.rounds,
        "paths": summary(floors + runs + [text]),
        "scaling": scaling(floors + runs, cores),
        "runs": [
            asdict(r) | {"pages_per_second": round(r.pages_per_second, 3)} for r in floors + runs + [text]
        ],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(report, indent=1))
    chart(report["paths"], args.out / "latest.png")
    _print(report, cores)
    shutil.rmtree(work, ignore_errors=True)


def _tesseract_version() -> str:
    return subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]


def _print(report: dict, cores: int) -> None:
    for row in report["paths"]:
        ratio = f"{row['ratio_to_floor']:.2f}x floor {row['ratios']}" if row["ratio_to_floor"] else ""
        ratio = f"each {row['speeds']}" if row["path"].startswith("tesseract loop") else ratio
        print(
            f"{row['path']:<48} {row['processes']}p {row['pages_per_second']:6.2f} pages/s  {ratio}  "
            f"p50 {row['page_p50']} p95 {row['page_p95']} peak {row['peak_mb_per_process']} MB  "
            f"steal {row['cpu_steal_percent']}%"
        )
    for path, ratio in report["scaling"].items():
        print(f"{cores} processes over 1: {ratio:.2f}x  {path}")


if __name__ == "__main__":
    main()
