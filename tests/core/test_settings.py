"""Settings come from the environment and a dotenv file, which the suite never reads."""

import subprocess
import sys


def test_the_suite_reads_no_developer_settings(tmp_path, monkeypatch):
    from core.settings import Settings

    (tmp_path / ".env").write_text("FAXINTAKE_QUEUE_NAME=from-dotenv\n")
    monkeypatch.chdir(tmp_path)
    assert Settings().queue_name == "faxintake"
    code = "from core.settings import Settings; print(Settings().queue_name)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert run.stdout.strip() == "faxintake", run.stderr


def test_a_dotenv_file_is_read_outside_the_suite(tmp_path):
    code = "from core.settings import Settings; print(Settings().queue_name)"
    env = {"PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.stdout.strip() == "faxintake", run.stderr
    (tmp_path / ".env").write_text("FAXINTAKE_QUEUE_NAME=from-dotenv\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.stdout.strip() == "from-dotenv", run.stderr
