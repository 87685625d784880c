"""The shipped monitoring: alert rules Prometheus accepts, a dashboard Grafana can import, and
every metric either refers to is one faxintake exposes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import core.metrics  # noqa: F401 - the counters, as every faxintake process imports them
from review.ops import exposition

MONITORING = Path(__file__).resolve().parents[1] / "monitoring"
METRIC = re.compile(r"\bfaxintake_[a-z_]+\b")


def alert_expressions() -> list[str]:
    groups = yaml.safe_load((MONITORING / "alerts.yml").read_text())["groups"]
    return [rule["expr"] for group in groups for rule in group["rules"]]


def dashboard() -> dict:
    return json.loads((MONITORING / "grafana-dashboard.json").read_text())


def test_promtool_accepts_the_alert_rules():
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (Debian's prometheus package)")
    done = subprocess.run(
        [promtool, "check", "rules", str(MONITORING / "alerts.yml")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    config = subprocess.run(
        [promtool, "check", "config", "--syntax-only", str(MONITORING / "prometheus.yml")],
        capture_output=True,
        text=True,
    )
    assert config.returncode == 0, config.stdout + config.stderr


def test_the_dashboard_is_a_grafana_dashboard():
    board = dashboard()
    assert board["title"] and board["uid"] and board["schemaVersion"] >= 30
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids)) >= 8
    for panel in board["panels"]:
        assert panel["targets"] and all(target["expr"].strip() for target in panel["targets"])


def test_every_metric_the_alerts_and_dashboard_use_is_exposed(services):
    exposed = exposition(services).decode()
    names = {name for expr in alert_expressions() for name in METRIC.findall(expr)}
    names |= {
        name
        for panel in dashboard()["panels"]
        for t in panel["targets"]
        for name in METRIC.findall(t["expr"])
    }
    missing = {name for name in names if not re.search(rf"^{name}(\{{|\s)", exposed, re.MULTILINE)}
    assert not missing


def test_metrics_follow_prometheus_naming_and_show_every_series_from_the_start(services):
    exposed = exposition(services).decode()
    types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", exposed, re.MULTILINE))
    assert not [name for name, kind in types.items() if kind != "counter" and name.endswith("_total")]
    assert not [name for name in types if re.search(r"_(days|hours|minutes|milliseconds)$", name)]
    for component in ("redis", "database", "object_store", "worker", "watcher"):
        assert f'faxintake_up{{component="{component}"}}' in exposed
    assert re.search(
        r'^faxintake_failures_total\{kind="outage",stage="push_cases"\} 0\.0$', exposed, re.MULTILINE
    )
    assert 'faxintake_faxes{status="failed"} 0.0' in exposed
    assert re.search(r'^faxintake_build_info\{python="[\d.]+",version="[^"]+"\} 1\.0$', exposed, re.MULTILINE)
