#!/usr/bin/env bash
# Install what faxintake needs on Debian/Ubuntu (system packages, a virtualenv, the project).
# Safe to run again: it only installs what is missing. Usage: scripts/bootstrap.sh [test]
set -euo pipefail
cd "$(dirname "$0")/.."

# What the main job needs: OCR, rasterising, the sample generator's fonts, and redis-server
# for the private Redis `faxintake up` starts when no FAXINTAKE_REDIS_URL is set.
packages=(python3 python3-venv python3-pip tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd
          poppler-utils fonts-dejavu-core fonts-dejavu-extra fonts-liberation redis-server)
if [ "${1:-}" = "test" ]; then
  packages+=(chromium prometheus docker-compose)  # browser tests; promtool; compose.yaml checked
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -c requirements.lock -e '.[test]'  # every dependency at its locked version
  rm -f .venv/.installed-*
  touch "$stamp"
fi
