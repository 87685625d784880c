"""Speed benchmark: the same fax pages through a plain tesseract loop (the floor), the OCR
engine alone kept loaded, `faxintake process`, and the daemon with 1 and 2 workers; plus
text-layer pages.

    python -m bench.run [--faxes 16] [--engines tesseract tesserocr] [--out bench/results]

Every path runs in this one invocation on the same pages, each right after its own floor
measurement, so the ratios compare like with like on whatever machine runs it. Writes
<out>/latest.json and <out>/latest.png."""

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

from extractors.loading import open_fax
from extractors.ocr import make_engine as make_ocr_engine
from extractors.raster import page_image
from faxintake.pipeline import Pipeline
from faxintake.settings import Settings
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


def beside_floor(pngs: list[Path], processes: int, measure: Callable[[], Run]) -> Run:
    """Run a path right after the floor with as many processes, and compare the two. This
    machine's speed drifts by tens of percent over minutes, so each ratio is taken between
    neighbouring measurements rather than against one floor taken at the start."""
    reference = with_steal(partial(floor, pngs, processes))
    run = with_steal(measure)
    run.ratio_to_floor = round(run.pages_per_second / reference.pages_per_second, 3)
    run.notes["floor_pages_per_second"] = round(reference.pages_per_second, 3)
    run.notes["floor_cpu_steal_percent"] = reference.notes["cpu_steal_percent"]
    return run


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


def scaling(runs: list[Run], cores: int) -> dict[str, float]:
    """Each path's pages per second with `cores` processes over its pages per second with one."""
    speeds: dict[str, dict[int, float]] = {}
    for run in runs:
        path = run.path.replace(f"{run.processes} worker(s)", "n workers")
        speeds.setdefault(path, {})[run.processes] = run.pages_per_second
    return {path: round(s[cores] / s[1], 3) for path, s in speeds.items() if cores in s and 1 in s}


def add_median_floor_ratios(runs: list[dict]) -> None:
    """Each path's ratio to the median of every floor the run measured with as many processes,
    beside the ratio to its neighbouring floor: one floor run can itself land on a fast or
    slow minute of this machine (2.5-3.3 pages/s within one run)."""
    floors: dict[int, list[float]] = {}
    for run in runs:
        if run["path"].startswith("tesseract loop"):
            floors.setdefault(run["processes"], []).append(run["pages_per_second"])
        elif "floor_pages_per_second" in run["notes"]:
            floors.setdefault(run["processes"], []).append(run["notes"]["floor_pages_per_second"])
    for run in runs:
        if run["ratio_to_floor"] is not None and not run["path"].startswith("tesseract loop"):
            median = statistics.median(floors[run["processes"]])
            run["notes"]["ratio_to_median_floor"] = round(run["pages_per_second"] / median, 3)


def chart(runs: list[dict], path: Path) -> None:
    """Bars of pages per second for the OCR paths, each labelled with its ratio to the floor."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ocr = [r for r in runs if r["ratio_to_floor"] is not None]
    rows = range(len(ocr))
    fig, axis = plt.subplots(figsize=(10, 0.6 + 0.45 * len(ocr)))
    axis.barh(list(rows), [r["pages_per_second"] for r in ocr], color="#1f5fbf")
    axis.set_yticks(list(rows), [f"{r['path']} [{r['processes']}p]" for r in ocr])
    for row, run in zip(rows, ocr, strict=True):
        axis.text(
            run["pages_per_second"],
            row,
            f" {run['pages_per_second']:.2f} ({run['ratio_to_floor']:.2f}x)",
            va="center",
        )
    axis.invert_yaxis()
    axis.set_xlim(0, max(r["pages_per_second"] for r in ocr) * 1.25)
    axis.set_xlabel("pages per second (ratio: to the tesseract loop with as many processes)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--faxes", type=int, default=16)
    parser.add_argument("--engines", nargs="+", default=["tesseract", "tesserocr"])
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    parser.add_argument("--chart", type=Path, help="only redraw the chart of this JSON report")
    args = parser.parse_args()
    if args.chart:
        chart(json.loads(args.chart.read_text())["runs"], args.chart.with_suffix(".png"))
        return
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="faxintake-bench-"))
    faxes = make_faxes(work / "faxes", args.faxes, 777, ("fax_tiff", "fax_pdf"))
    pngs = page_pngs(faxes, work / "pngs")
    pages = len(pngs)
    runs = [with_steal(partial(floor, pngs, cores)), with_steal(partial(floor, pngs, 1))]
    for run in runs:
        run.ratio_to_floor = 1.0
    runs += [beside_floor(pngs, n, partial(engine_loop, pngs, n)) for n in (cores, 1)]
    for engine in args.engines:
        runs.append(beside_floor(pngs, cores, partial(cli, faxes, cores, engine, pages)))
        for workers in (1, 2):
            runs.append(beside_floor(pngs, workers, partial(daemon, faxes, workers, engine, pages)))
    for size in (1, 0):
        shape = partial(daemon, faxes, cores, args.engines[-1], pages, size)
        runs.append(beside_floor(pngs, cores, shape))
    runs.append(with_steal(partial(text_layer, 20, work / "text")))
    report = {
        "machine": {"cpus": cores, "python": platform.python_version(), "platform": platform.platform()},
        "tesseract": subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split(
            "\n"
        )[0],
        "faxes": len(faxes),
        "pages": pages,
        "runs": [asdict(r) | {"pages_per_second": round(r.pages_per_second, 3)} for r in runs],
        "scaling": scaling(runs, cores),
    }
    add_median_floor_ratios(report["runs"])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(report, indent=1))
    chart(report["runs"], args.out / "latest.png")
    for run in report["runs"]:
        median = run["notes"].get("ratio_to_median_floor")
        ratio = f"{run['ratio_to_floor']:.2f}x floor ({median}x median)" if run["ratio_to_floor"] else ""
        print(
            f"{run['path']:<48} {run['processes']}p {run['pages_per_second']:6.2f} pages/s  {ratio}  "
            f"p50 {run['page_p50']} p95 {run['page_p95']} peak {run['peak_mb_per_process']} MB  "
            f"steal {run['notes']['cpu_steal_percent']}%"
        )
    for path, ratio in report["scaling"].items():
        print(f"{cores} processes over 1: {ratio:.2f}x  {path}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
