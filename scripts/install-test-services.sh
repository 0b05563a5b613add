#!/usr/bin/env bash
# What the tests need from Debian besides Python: Chromium for the real-browser test
# (tests/test_browser.py drives /usr/bin/chromium through Playwright, never a browser
# downloaded by `playwright install`), the PostgreSQL server for the store tests on
# PostgreSQL (the tests start their own cluster on a free port) and LibreOffice Writer without
# GUI for the layout zoo's Word-to-PDF export (tests/test_layouts.py). Installs whichever is
# missing through apt-get; does nothing when all are there.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
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
