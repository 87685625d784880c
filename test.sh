#!/usr/bin/env bash
# Set up and run faxintake's test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh test
export OMP_THREAD_LIMIT=1
.venv/bin/ruff check .
exec .venv/bin/python -m pytest -q "$@"
