"""What a new machine and the container image are built from: bootstrap, Dockerfile, compose."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from samples.layout import FONT_FAMILIES, font_path

ROOT = Path(__file__).resolve().parents[1]


def bootstrap_packages() -> set[str]:
    """Every Debian package scripts/bootstrap.sh may install."""
    script = (ROOT / "scripts" / "bootstrap.sh").read_text()
    listed = re.findall(r"packages\+?=\(([^)]*)\)", script)
    return {name for group in listed for name in group.split()}


def test_every_package_pyproject_lists_is_copied_into_the_image():
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    copied = set(re.findall(r"^COPY (\S+) \1$", (ROOT / "Dockerfile").read_text(), re.MULTILINE))
    assert {name.split(".")[0] for name in packages} <= copied


@pytest.mark.parametrize("font", sorted({name for family in FONT_FAMILIES for name in family}))
def test_every_generator_font_comes_from_a_package_the_bootstrap_installs(font):
    owner = subprocess.run(["dpkg", "-S", str(font_path(font))], capture_output=True, text=True)
    assert owner.returncode == 0, owner.stderr
    assert owner.stdout.split(":")[0] in bootstrap_packages()


def test_the_main_job_gets_redis_server_without_the_test_extras():
    script = (ROOT / "scripts" / "bootstrap.sh").read_text()
    base = re.search(r"^packages=\(([^)]*)\)", script, re.MULTILINE).group(1).split()
    assert "redis-server" in base


def _compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    return [shutil.which("docker-compose")] if shutil.which("docker-compose") else None


def test_compose_accepts_the_production_file():
    command = _compose_command()
    if command is None:
        pytest.skip("no docker compose client on this machine")
    done = subprocess.run(
        [*command, "-f", str(ROOT / "compose.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        env={"FAXINTAKE_SECRET_KEY": "x" * 32, "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
