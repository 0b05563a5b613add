#!/usr/bin/env bash
# What the app and the tests need from Debian besides Python: Tesseract with its Italian data
# for scanned PDFs (read through ocrmypdf), and Ghostscript, which ocrmypdf uses for PDFs its
# own rasteriser cannot render. Installs whichever is missing through apt-get; does nothing
# when all are there. Without them the app still runs, and a scan is refused with one line
# naming the packages to install. With --check it only prints the missing packages (one line,
# empty when none) and installs nothing.
set -euo pipefail
missing=()
if command -v tesseract >/dev/null 2>&1; then
  tesseract --list-langs 2>/dev/null | grep -qx ita || missing+=(tesseract-ocr-ita)
else
  missing+=(tesseract-ocr tesseract-ocr-ita)
fi
command -v gs >/dev/null 2>&1 || missing+=(ghostscript)
if [ "${1:-}" = "--check" ]; then
  echo "${missing[*]}"
  exit 0
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "mancano ${missing[*]} e apt-get non è disponibile: installali per leggere i PDF scansionati (OCR)" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "Installo ${missing[*]} (pacchetti Debian) per leggere i PDF scansionati…" >&2
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "installazione di ${missing[*]} non riuscita: i PDF scansionati saranno rifiutati" >&2
fi
