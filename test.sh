#!/usr/bin/env bash
# Set up and run faxintake's test suite. Extra arguments go to pytest.
# The tests use a Redis on 127.0.0.1:6379 (and PostgreSQL on :5432 where one answers; those
# tests are skipped otherwise); with no Redis answering, a private redis-server runs for the suite.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh test
export OMP_THREAD_LIMIT=1
unset PYTHONDONTWRITEBYTECODE  # the suite starts hundreds of faxintake processes: compile each module once
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
  trap 'kill $! 2>/dev/null' EXIT
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.1; done
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy  # the packages listed in pyproject.toml
.venv/bin/python -m pytest -q -n auto "$@"  # one test process per core (xdist)
