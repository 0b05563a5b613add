#!/usr/bin/env bash
# Creates .venv in the repository root and installs everything the app and the tests need.
# torch is installed first, pinned to the CPU build (2.13.0), so that sentence-transformers
# finds it and does not pull a multi-GB CUDA build. Debian's Tesseract (Italian) and
# Ghostscript, for scanned PDFs, are installed first when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-packages.sh
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev]"
