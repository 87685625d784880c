#!/usr/bin/env bash
# Set up and run faxintake on the bundled sample faxes: the pipeline on each file, its score
# against the ground truth, then the daemon (private Redis, workers, watcher, web app, local
# storage, SQLite) taking the same faxes from its drop folder until all are ready for review.
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
echo
echo "== the daemon: dropping them into var/demo/inbox and running until all are processed =="
export FAXINTAKE_DATA_DIR=var/demo FAXINTAKE_LOG_LEVEL=WARNING
mkdir -p var/demo/inbox
cp "${faxes[@]}" var/demo/inbox/
.venv/bin/faxintake up --exit-when-idle --port "${FAXINTAKE_PORT:-8080}"
.venv/bin/faxintake status
echo
echo "To review them: .venv/bin/faxintake user add admin --role admin   (with FAXINTAKE_DATA_DIR=var/demo)"
echo "then FAXINTAKE_DATA_DIR=var/demo .venv/bin/faxintake up   and open http://127.0.0.1:8080/"
