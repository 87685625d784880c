#!/usr/bin/env bash
# Set up and run faxintake on the bundled sample faxes.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
export OMP_THREAD_LIMIT=1
mapfile -t faxes < <(find samples/faxes -type f ! -name '*.json' | sort)
echo "== processing the ${#faxes[@]} bundled sample faxes (samples/faxes) =="
.venv/bin/faxintake process "${faxes[@]}"
echo
echo "== scoring them against their ground truth =="
.venv/bin/faxintake eval samples/faxes
