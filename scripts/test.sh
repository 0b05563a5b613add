#!/usr/bin/env bash
# Sets up, then runs the whole test suite (offline: no model hub access), the real-browser
# and PostgreSQL tests included (Debian's chromium and postgresql are installed first when
# missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install-test-services.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec .venv/bin/python -m pytest "$@"
