#!/usr/bin/env bash
# The browser test (tests/test_browser.py) drives Debian's headless Chromium through
# Playwright, never a browser downloaded by `playwright install`. Installs the `chromium`
# package when /usr/bin/chromium is missing; does nothing when it is there.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium non trovato e apt-get non disponibile: installa Chromium in /usr/bin/chromium per il test nel browser" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "Installo chromium (pacchetto Debian) per il test nel browser…" >&2
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; }; then
  echo "installazione di chromium non riuscita: il test nel browser fallirà" >&2
fi
