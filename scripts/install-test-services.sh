#!/usr/bin/env bash
# What the tests need from Debian besides Python: Chromium for the real-browser test
# (tests/test_browser.py drives /usr/bin/chromium through Playwright, never a browser
# downloaded by `playwright install`) and the PostgreSQL server for the store tests on
# PostgreSQL (the tests start their own cluster on a free port). Installs whichever is
# missing through apt-get; does nothing when both are there.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "mancano ${missing[*]} e apt-get non è disponibile: installali per i test nel browser e su PostgreSQL" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "Installo ${missing[*]} (pacchetti Debian) per i test…" >&2
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
  echo "installazione di ${missing[*]} non riuscita: i test che ne hanno bisogno falliranno" >&2
fi
